//! The site model: published articles in one `Vec`, newest first, and the
//! sections, tags, authors and monthly archives that index into it (never
//! copies), by typed ids (`site[id]`) rather than bare numbers; a
//! [`Listing`] names any of them and answers which articles, where. Also the page plan: every page the site has, with its route and
//! pagination, and the check that no two pages claim one URL. Pure: no I/O,
//! no clock (the build time is passed in).

use std::collections::btree_map::Entry;
use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::PathBuf;

use chrono::{DateTime, Datelike, Utc};
use rayon::prelude::*;

use crate::config::{Config, MenuTarget};
use crate::content::{Article, SectionMeta};
use crate::related;
use broadsheet_base::diagnostic::Diagnostic;
pub use broadsheet_base::route::{FeedFormat, Route};
use broadsheet_base::slug::slugify;

/// Typed indexes into the model: an id says what it points at, and only
/// this module makes one (from the position it gives the item).
macro_rules! ids {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(usize);

        impl $name {
            /// The position in its list, for dense tables keyed by id.
            pub fn index(self) -> usize {
                self.0
            }
        }
    )*};
}

ids! {
    /// An article of `Site::articles`: 0 is the newest.
    ArticleId;
    /// A standalone page of `Site::pages` (About, Contact), by URL.
    PageId;
    SectionId;
    TagId;
    AuthorId;
    YearId;
    /// A series (story package) of `Site::series`.
    SeriesId;
}

/// A month of a year's archive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MonthId {
    pub year: YearId,
    month: usize,
}

/// A paginated list of articles: a section, a tag, an author or a month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Listing {
    Section(SectionId),
    Tag(TagId),
    Author(AuthorId),
    Month(MonthId),
    /// A series, in reading order.
    Series(SeriesId),
}

/// An article with its section, tags and authors (see [`Site::story`]).
pub struct Story<'a> {
    pub article: &'a Article,
    pub section: &'a Section,
    pub tags: Vec<&'a Taxon>,
    pub authors: Vec<&'a Taxon>,
}

impl<'a> Story<'a> {
    pub fn tag_names(&self) -> impl Iterator<Item = &'a str> + '_ {
        self.tags.iter().map(|t| t.name.as_str())
    }

    pub fn author_names(&self) -> impl Iterator<Item = &'a str> + '_ {
        self.authors.iter().map(|a| a.name.as_str())
    }
}

/// Which articles are published in this build.
#[derive(Debug, Clone, Copy)]
pub struct Publish {
    pub drafts: bool,
    pub future: bool,
    /// Keep articles whose `expires` time has passed.
    pub expired: bool,
    pub now: DateTime<Utc>,
}

impl Publish {
    /// Leaves out a live blog's updates timed after the build (unless
    /// `future`), like scheduled stories.
    pub fn keep_updates_out(&self, live: &mut crate::content::LiveBlog) {
        if !self.future {
            live.updates.retain(|u| u.time.with_timezone(&Utc) <= self.now);
        }
    }

    pub fn includes(&self, a: &Article) -> bool {
        let live = a.place.expires.is_none_or(|e| e.with_timezone(&Utc) > self.now);
        (self.drafts || !a.place.draft)
            && (self.future || a.place.date.with_timezone(&Utc) <= self.now)
            && (self.expired || live)
    }
}

#[derive(Debug)]
pub struct Section {
    pub slug: String,
    pub title: String,
    pub description: String,
    pub file: Option<PathBuf>,
    pub folder: String,
    pub articles: Vec<ArticleId>,
}

/// A series: articles told in parts (`series = "slug"` in front matter),
/// described by `[series.<slug>]` in site.toml.
#[derive(Debug)]
pub struct Series {
    pub slug: String,
    pub title: String,
    pub description: String,
    /// The landing page's picture (a site path or an address).
    pub image: Option<String>,
    /// The parts in reading order: `series_order`, then oldest first.
    pub articles: Vec<ArticleId>,
}

/// A tag or an author: a named list of articles.
#[derive(Debug)]
pub struct Taxon {
    pub slug: String,
    pub name: String,
    /// The `[authors]` key, for authors that have one.
    pub key: Option<String>,
    pub articles: Vec<ArticleId>,
}

#[derive(Debug)]
pub struct Year {
    pub year: i32,
    /// Newest month first.
    pub months: Vec<Month>,
}

#[derive(Debug)]
pub struct Month {
    pub year: i32,
    pub month: u32,
    pub articles: Vec<ArticleId>,
}

/// Where an article sits in the indexes.
#[derive(Debug)]
pub struct Links {
    pub section: SectionId,
    pub tags: Vec<TagId>,
    pub authors: Vec<AuthorId>,
    /// The next older and next newer article in the same section.
    pub older: Option<ArticleId>,
    pub newer: Option<ArticleId>,
    /// "You may also like", best first.
    pub related: Vec<ArticleId>,
    /// The series the article is part of, and its place in it (0: part 1).
    pub series: Option<(SeriesId, usize)>,
}

#[derive(Debug)]
pub struct Site {
    pub articles: Vec<Article>,
    /// Standalone pages: in no section, listing, feed or search index.
    pub pages: Vec<Article>,
    pub links: Vec<Links>,
    pub sections: Vec<Section>,
    pub tags: Vec<Taxon>,
    pub authors: Vec<Taxon>,
    pub years: Vec<Year>,
    pub series: Vec<Series>,
    /// Articles left out by the publishing rules (drafts, scheduled, expired).
    pub unpublished: usize,
    /// The build time the publishing rules were applied at.
    pub built_at: DateTime<Utc>,
    /// The menus of `site.toml`, checked against the site's pages.
    pub menus: Menus,
    /// The resized copies of each photo pages show, by the photo's route.
    pub photos: HashMap<Route, crate::photos::PhotoSet>,
}

/// A menu link, its URL ready for a page.
#[derive(Debug, Clone, PartialEq)]
pub struct MenuItem {
    pub title: String,
    pub url: String,
}

#[derive(Debug, Clone, Default)]
pub struct Menus {
    pub main: Vec<MenuItem>,
    pub footer: Vec<MenuItem>,
}

impl Site {
    pub fn new(articles: Vec<Article>, metas: Vec<SectionMeta>, config: &Config, publish: Publish) -> Site {
        let total = articles.len();
        let mut articles: Vec<Article> = articles.into_iter().filter(|a| publish.includes(a)).collect();
        for live in articles.iter_mut().filter_map(|a| a.live.as_mut()) {
            publish.keep_updates_out(live);
        }
        articles.sort_by(|a, b| b.place.date.cmp(&a.place.date).then_with(|| a.place.route.cmp(&b.place.route)));
        let mut site = Site {
            unpublished: total - articles.len(),
            built_at: publish.now,
            links: Vec::new(),
            sections: sections(metas),
            tags: Vec::new(),
            authors: Vec::new(),
            years: Vec::new(),
            series: Vec::new(),
            pages: Vec::new(),
            menus: Menus::default(),
            photos: HashMap::new(),
            articles,
        };
        let sections = site.index_sections();
        site.tags = site.taxons(|a| a.place.tags.iter().map(|t| (slugify(t), t.clone(), None)).collect());
        site.authors = site.taxons(|a| a.place.authors.iter().map(|name| author_identity(name, config)).collect());
        site.authors.sort_by(|a, b| a.name.to_lowercase().cmp(&b.name.to_lowercase()).then(a.slug.cmp(&b.slug)));
        site.link(sections);
        site.link_series(config);
        site.link_related(config.related.count);
        site.years = archives(&site.articles);
        site
    }

    /// The site with its standalone pages, those the publishing rules let out.
    pub fn with_pages(mut self, pages: Vec<Article>, publish: Publish) -> Site {
        self.pages = pages.into_iter().filter(|p| publish.includes(p)).collect();
        self
    }

    /// Resolves the menus of `site.toml` against the site's `pages` (and
    /// the files for which `has_file` says yes): one error, at its line,
    /// for every entry that leads nowhere.
    pub fn resolve_menus(
        &mut self,
        config: &Config,
        pages: &[Page],
        has_file: &dyn Fn(&Route) -> bool,
    ) -> Vec<Diagnostic> {
        let mut problems = Vec::new();
        let mut resolve = |name: &str, entries: &[crate::config::MenuEntry]| -> Vec<MenuItem> {
            entries
                .iter()
                .filter_map(|entry| {
                    let (line, column) = entry.at;
                    let item = match &entry.target {
                        MenuTarget::Page(wanted) => self.menu_page(wanted, config).map_err(|known| {
                            let mut message = format!("[[menus.{name}]] page `{wanted}`: there is no such page");
                            let names: Vec<&str> = known.iter().map(String::as_str).collect();
                            match broadsheet_base::diagnostic::suggest(wanted, &names) {
                                Some(close) => message.push_str(&format!(": did you mean `{close}`?")),
                                None if names.is_empty() => message.push_str(
                                    " (a standalone page is a file such as content/about.md, named `about` here)",
                                ),
                                None => message.push_str(&format!(" (the pages are: {})", names.join(", "))),
                            }
                            message
                        }),
                        MenuTarget::Url(url) => menu_url(url, pages, has_file, config)
                            .map(|href| MenuItem { title: entry.title.clone().unwrap_or_default(), url: href }),
                    };
                    match item {
                        Ok(mut item) => {
                            if let Some(title) = &entry.title {
                                item.title = title.clone();
                            }
                            Some(item)
                        }
                        Err(message) => {
                            problems.push(Diagnostic::error(broadsheet_base::layout::CONFIG, line, column, message));
                            None
                        }
                    }
                })
                .collect()
        };
        let menus =
            Menus { main: resolve("main", &config.menus.main), footer: resolve("footer", &config.menus.footer) };
        self.menus = menus;
        problems
    }

    /// The standalone page a menu names, by its path under `content/`
    /// (`policies/ethics`) or its URL; or the names there are.
    fn menu_page(&self, wanted: &str, config: &Config) -> Result<MenuItem, Vec<String>> {
        let name = |p: &Article| -> String {
            let file = p.place.file.strip_prefix(broadsheet_base::layout::CONTENT).unwrap_or(&p.place.file);
            let file = if crate::content::is_bundle(file) { file.parent().unwrap_or(file) } else { file };
            file.with_extension("").to_string_lossy().replace('\\', "/")
        };
        self.pages
            .iter()
            .find(|p| name(p) == wanted || p.place.route.as_id() == wanted)
            .map(|p| MenuItem { title: p.title.clone(), url: config.urls.path(&p.place.route) })
            .ok_or_else(|| self.pages.iter().map(name).collect())
    }

    /// Every standalone page's id, by URL.
    pub fn page_ids(&self) -> impl ExactSizeIterator<Item = PageId> + use<> {
        (0..self.pages.len()).map(PageId)
    }

    /// Every article's id, newest first.
    pub fn article_ids(&self) -> impl ExactSizeIterator<Item = ArticleId> + DoubleEndedIterator + use<> {
        (0..self.articles.len()).map(ArticleId)
    }

    pub fn section_ids(&self) -> impl ExactSizeIterator<Item = SectionId> + use<> {
        (0..self.sections.len()).map(SectionId)
    }

    pub fn tag_ids(&self) -> impl ExactSizeIterator<Item = TagId> + use<> {
        (0..self.tags.len()).map(TagId)
    }

    pub fn author_ids(&self) -> impl ExactSizeIterator<Item = AuthorId> + use<> {
        (0..self.authors.len()).map(AuthorId)
    }

    pub fn series_ids(&self) -> impl ExactSizeIterator<Item = SeriesId> + use<> {
        (0..self.series.len()).map(SeriesId)
    }

    pub fn year_ids(&self) -> impl ExactSizeIterator<Item = YearId> + use<> {
        (0..self.years.len()).map(YearId)
    }

    /// The months of a year's archive, newest first.
    pub fn month_ids(&self, year: YearId) -> impl ExactSizeIterator<Item = MonthId> + use<> {
        (0..self[year].months.len()).map(move |month| MonthId { year, month })
    }

    /// An article with what its links name: every view of it (card,
    /// page, feed entry, JSON-LD, search record) starts here.
    pub fn story(&self, id: ArticleId) -> Story<'_> {
        let links = self.links(id);
        Story {
            article: &self[id],
            section: &self[links.section],
            tags: links.tags.iter().map(|&t| &self[t]).collect(),
            authors: links.authors.iter().map(|&a| &self[a]).collect(),
        }
    }

    /// Where an article sits in the indexes.
    pub fn links(&self, id: ArticleId) -> &Links {
        &self.links[id.0]
    }

    /// The articles a listing lists, newest first.
    pub fn listed(&self, listing: Listing) -> &[ArticleId] {
        match listing {
            Listing::Section(id) => &self[id].articles,
            Listing::Tag(id) => &self[id].articles,
            Listing::Author(id) => &self[id].articles,
            Listing::Month(id) => &self[id].articles,
            Listing::Series(id) => &self[id].articles,
        }
    }

    /// Where a listing's first page is.
    pub fn listing_route(&self, listing: Listing) -> Route {
        match listing {
            Listing::Section(id) => Route::section(&self[id].slug),
            Listing::Tag(id) => Route::tag(&self[id].slug),
            Listing::Author(id) => Route::author(&self[id].slug),
            Listing::Month(id) => Route::month(self[id].year, self[id].month),
            Listing::Series(id) => Route::series(&self[id].slug),
        }
    }

    /// A listing's name, for feeds: a section's title, a tag's or an
    /// author's name, a month as `2026-11`.
    pub fn listing_title(&self, listing: Listing) -> String {
        match listing {
            Listing::Section(id) => self[id].title.clone(),
            Listing::Tag(id) => self[id].name.clone(),
            Listing::Author(id) => self[id].name.clone(),
            Listing::Month(id) => format!("{:04}-{:02}", self[id].year, self[id].month),
            Listing::Series(id) => self[id].title.clone(),
        }
    }

    /// Every listing, in the order their pages are planned.
    pub fn listings(&self) -> impl Iterator<Item = Listing> + '_ {
        let sections = self.section_ids().map(Listing::Section);
        let tags = self.tag_ids().map(Listing::Tag);
        let authors = self.author_ids().map(Listing::Author);
        let months = self.year_ids().flat_map(|y| self.month_ids(y)).map(Listing::Month);
        let series = self.series_ids().map(Listing::Series);
        sections.chain(tags).chain(authors).chain(months).chain(series)
    }

    fn link_related(&mut self, count: usize) {
        let dense = |lists: Vec<&[ArticleId]>| -> Vec<Vec<usize>> {
            lists.into_iter().map(|l| l.iter().map(|a| a.0).collect()).collect()
        };
        let postings = dense(self.tags.iter().map(|t| t.articles.as_slice()).collect());
        let sections = dense(self.sections.iter().map(|s| s.articles.as_slice()).collect());
        let tags: Vec<Vec<usize>> = self.links.iter().map(|l| l.tags.iter().map(|t| t.0).collect()).collect();
        let items: Vec<related::Item<'_>> = self
            .articles
            .iter()
            .zip(&self.links)
            .zip(&tags)
            .map(|((a, l), tags)| related::Item::new(l.section.0, tags, &a.place.date))
            .collect();
        let postings: Vec<&[usize]> = postings.iter().map(Vec::as_slice).collect();
        let sections: Vec<&[usize]> = sections.iter().map(Vec::as_slice).collect();
        let all = related::related(&items, &postings, &sections, count);
        for (links, related) in self.links.iter_mut().zip(all) {
            links.related = related.into_iter().map(ArticleId).collect();
        }
    }

    /// Gathers the series the articles name, each in reading order
    /// (`series_order`, then oldest first), with its title and
    /// description from `[series.<slug>]` (or its slug, capitalised).
    fn link_series(&mut self, config: &Config) {
        let mut by_slug: BTreeMap<String, Vec<ArticleId>> = BTreeMap::new();
        for (i, article) in self.articles.iter().enumerate() {
            if let Some(slug) = &article.place.series {
                by_slug.entry(slug.clone()).or_default().push(ArticleId(i));
            }
        }
        for (slug, mut articles) in by_slug {
            let order = |id: &ArticleId| self.articles[id.0].place.series_order.unwrap_or(i64::MAX);
            // Ids are newest first: a higher id is older.
            articles.sort_by(|a, b| order(a).cmp(&order(b)).then(b.cmp(a)));
            let table = config.series.get(&slug);
            let title = table.map(|t| t.title.clone()).unwrap_or_else(|| crate::content::title_case(&slug));
            let id = SeriesId(self.series.len());
            for (position, article) in articles.iter().enumerate() {
                self.links[article.0].series = Some((id, position));
            }
            self.series.push(Series {
                slug,
                title,
                description: table.map(|t| t.description.clone()).unwrap_or_default(),
                image: table.and_then(|t| t.image.clone()),
                articles,
            });
        }
    }

    /// Puts each article in its section (adding sections that have no
    /// `_index.md`), and gives back each article's section.
    fn index_sections(&mut self) -> Vec<SectionId> {
        let mut of = Vec::with_capacity(self.articles.len());
        for (i, article) in self.articles.iter().enumerate() {
            let position = match self.sections.iter().position(|s| s.slug == article.place.section) {
                Some(p) => p,
                None => {
                    self.sections.push(Section {
                        slug: article.place.section.clone(),
                        title: article.place.section.clone(),
                        description: String::new(),
                        file: None,
                        folder: article.place.section.clone(),
                        articles: Vec::new(),
                    });
                    self.sections.len() - 1
                }
            };
            self.sections[position].articles.push(ArticleId(i));
            of.push(SectionId(position));
        }
        of
    }

    /// Groups articles by the (slug, display name, key) that `names` gives
    /// each; the first spelling seen (in the newest article) names the group.
    fn taxons(&self, names: impl Fn(&Article) -> Vec<(String, String, Option<String>)> + Sync) -> Vec<Taxon> {
        // Naming (slugging) on every core, then gathering in order.
        let named: Vec<Vec<(String, String, Option<String>)>> = self.articles.par_iter().map(&names).collect();
        let mut map: BTreeMap<String, Taxon> = BTreeMap::new();
        for (i, names) in named.into_iter().enumerate() {
            for (slug, name, key) in names {
                let taxon = map.entry(slug.clone()).or_insert_with(|| Taxon { slug, name, key, articles: Vec::new() });
                if taxon.articles.last() != Some(&ArticleId(i)) {
                    taxon.articles.push(ArticleId(i));
                }
            }
        }
        map.into_values().collect()
    }

    /// Each article's links: its section, its tags and authors in the order
    /// the writer gave them (slugs computed once per name, looked up by
    /// hash), and its neighbours in the section.
    fn link(&mut self, sections: Vec<SectionId>) {
        let tag_index: HashMap<&str, usize> = self.tags.iter().enumerate().map(|(i, t)| (t.slug.as_str(), i)).collect();
        let author_index: HashMap<&str, usize> =
            self.authors.iter().enumerate().map(|(i, a)| (a.slug.as_str(), i)).collect();
        let find = |names: &[String], index: &HashMap<&str, usize>| {
            let mut found: Vec<usize> = Vec::with_capacity(names.len());
            for i in names.iter().filter_map(|name| index.get(slugify(name).as_str()).copied()) {
                if !found.contains(&i) {
                    found.push(i);
                }
            }
            found
        };
        self.links = self
            .articles
            .par_iter()
            .zip(sections)
            .map(|(article, section)| Links {
                section,
                tags: find(&article.place.tags, &tag_index).into_iter().map(TagId).collect(),
                authors: find(&article.place.authors, &author_index).into_iter().map(AuthorId).collect(),
                older: None,
                newer: None,
                related: Vec::new(),
                series: None,
            })
            .collect();
        for section in &self.sections {
            for pair in section.articles.windows(2) {
                self.links[pair[0].0].older = Some(pair[1]);
                self.links[pair[1].0].newer = Some(pair[0]);
            }
        }
    }
}

macro_rules! index {
    ($($id:ty => $field:ident: $item:ty;)*) => {$(
        impl std::ops::Index<$id> for Site {
            type Output = $item;
            fn index(&self, id: $id) -> &$item {
                &self.$field[id.0]
            }
        }
    )*};
}

index! {
    ArticleId => articles: Article;
    PageId => pages: Article;
    SectionId => sections: Section;
    TagId => tags: Taxon;
    AuthorId => authors: Taxon;
    YearId => years: Year;
    SeriesId => series: Series;
}

/// A live rebuild puts a saved article in its place.
impl std::ops::IndexMut<ArticleId> for Site {
    fn index_mut(&mut self, id: ArticleId) -> &mut Article {
        &mut self.articles[id.0]
    }
}

impl std::ops::Index<MonthId> for Site {
    type Output = Month;
    fn index(&self, id: MonthId) -> &Month {
        &self[id.year].months[id.month]
    }
}

/// `[authors]` keys give the display name; any other string is a name.
fn author_identity(name: &str, config: &Config) -> (String, String, Option<String>) {
    match config.authors.get(name) {
        Some(author) => (slugify(name), author.name.clone(), Some(name.to_string())),
        None => (slugify(name), name.to_string(), None),
    }
}

fn sections(mut metas: Vec<SectionMeta>) -> Vec<Section> {
    metas.sort_by(|a, b| {
        let order = |m: &SectionMeta| m.order.unwrap_or(i64::MAX);
        order(a).cmp(&order(b)).then_with(|| a.title.cmp(&b.title)).then_with(|| a.slug.cmp(&b.slug))
    });
    metas
        .into_iter()
        .map(|m| Section {
            slug: m.slug,
            title: m.title,
            description: m.description,
            file: m.file,
            folder: m.folder,
            articles: Vec::new(),
        })
        .collect()
}

fn archives(articles: &[Article]) -> Vec<Year> {
    let mut years: Vec<Year> = Vec::new();
    for (i, a) in articles.iter().enumerate() {
        let (y, m) = (a.place.date.year(), a.place.date.month());
        if years.last().is_none_or(|last| last.year != y) {
            years.push(Year { year: y, months: Vec::new() });
        }
        let Some(year) = years.last_mut() else { continue };
        if year.months.last().is_none_or(|last| last.month != m) {
            year.months.push(Month { year: y, month: m, articles: Vec::new() });
        }
        if let Some(month) = year.months.last_mut() {
            month.articles.push(ArticleId(i));
        }
    }
    years
}

/// One page of a paginated listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pager {
    pub number: usize,
    pub total: usize,
    pub items: Range<usize>,
    pub base: Route,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageKind {
    Front,
    Article(ArticleId),
    /// A standalone page (About, Contact).
    Standalone(PageId),
    List {
        listing: Listing,
        pager: Pager,
    },
    Year(YearId),
    TagIndex,
    AuthorIndex,
    SectionIndex,
    Archive,
    Search,
    /// Every correction of every story, newest first, after the text of
    /// the standalone page on `/corrections/` when there is one (a
    /// corrections policy).
    Corrections {
        intro: Option<PageId>,
    },
    Alias {
        article: ArticleId,
        /// Which of the article's aliases.
        alias: usize,
    },
    /// An old URL of a standalone page.
    PageAlias {
        page: PageId,
        alias: usize,
    },
    NotFound,
    Feed {
        scope: FeedScope,
        format: FeedFormat,
    },
    /// A live blog's updates as JSON, for readers' pages to poll.
    LiveFeed(ArticleId),
    /// A `<urlset>`: part `part` of the sitemap (the only part when the
    /// site fits in one).
    Sitemap {
        part: usize,
    },
    /// A `<sitemapindex>` naming `parts` sitemaps.
    SitemapIndex {
        parts: usize,
    },
    NewsSitemap,
    Robots,
}

impl PageKind {
    /// Whether the page is an HTML page that belongs in the sitemap.
    pub fn in_sitemap(&self) -> bool {
        matches!(
            self,
            PageKind::Front
                | PageKind::Article(_)
                | PageKind::Standalone(_)
                | PageKind::List { .. }
                | PageKind::Year(_)
                | PageKind::TagIndex
                | PageKind::AuthorIndex
                | PageKind::SectionIndex
                | PageKind::Archive
                | PageKind::Corrections { .. }
        )
    }
}

/// Whose stories a feed carries: the whole site's, or a listing's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedScope {
    Site,
    Of(Listing),
}

impl FeedScope {
    /// The site's and the sections' feeds: `[feeds] limit` and
    /// `full_content`; tags', authors' and series' take the `listing_` ones.
    pub fn is_main(self) -> bool {
        matches!(self, FeedScope::Site | FeedScope::Of(Listing::Section(_) | Listing::Month(_)))
    }

    /// Whether this feed carries whole articles.
    pub fn full_content(self, feeds: &crate::config::FeedsConfig) -> bool {
        if self.is_main() { feeds.full_content } else { feeds.listing_full_content }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    pub route: Route,
    pub kind: PageKind,
}

/// The choices that decide which pages a site has.
#[derive(Debug, Clone, Copy)]
pub struct Plan {
    pub per_page: usize,
    /// URLs per sitemap file before it is split into an index.
    pub sitemap_max: usize,
    /// Whether the site has a search page.
    pub search: bool,
    /// Which syndicated copies stay out of the sitemaps.
    pub syndication: crate::config::Syndication,
}

/// Splits `count` items into pages of `per_page` (at least one page).
pub fn paginate(base: &Route, count: usize, per_page: usize) -> Vec<Pager> {
    let total = count.div_ceil(per_page).max(1);
    (1..=total)
        .map(|n| Pager { number: n, total, items: (n - 1) * per_page..(n * per_page).min(count), base: base.clone() })
        .collect()
}

impl Site {
    /// Every page of the site, in a deterministic order: HTML pages, then
    /// feeds, then sitemaps (split past `plan.sitemap_max` URLs) and robots.txt.
    pub fn pages(&self, plan: &Plan) -> Vec<Page> {
        let (per_page, sitemap_max) = (plan.per_page, plan.sitemap_max);
        let mut pages = self.html_pages(per_page);
        if plan.search {
            pages.push(Page { route: Route::SEARCH, kind: PageKind::Search });
        }
        pages.extend(self.feeds());
        let listed = pages.iter().filter(|p| self.in_sitemap(p, plan.syndication)).count();
        let parts = listed.div_ceil(sitemap_max.max(1)).max(1);
        if parts == 1 {
            pages.push(Page { route: Route::SITEMAP, kind: PageKind::Sitemap { part: 0 } });
        } else {
            pages.push(Page { route: Route::SITEMAP, kind: PageKind::SitemapIndex { parts } });
            pages.extend(
                (0..parts).map(|part| Page { route: Route::sitemap_part(part), kind: PageKind::Sitemap { part } }),
            );
        }
        pages.push(Page { route: Route::NEWS_SITEMAP, kind: PageKind::NewsSitemap });
        pages.push(Page { route: Route::ROBOTS, kind: PageKind::Robots });
        pages
    }

    /// Whether a page is listed in the sitemap: an HTML page search
    /// engines should index (not syndicated copy pointing elsewhere).
    pub fn in_sitemap(&self, page: &Page, syndication: crate::config::Syndication) -> bool {
        match page.kind {
            PageKind::Article(id) => !self[id].is_copy(syndication),
            ref kind => kind.in_sitemap(),
        }
    }

    fn feeds(&self) -> Vec<Page> {
        let feed = |base: Route, scope: FeedScope, format: FeedFormat| Page {
            route: base.feed(format),
            kind: PageKind::Feed { scope, format },
        };
        let mut feeds = vec![
            feed(Route::FRONT, FeedScope::Site, FeedFormat::Atom),
            feed(Route::FRONT, FeedScope::Site, FeedFormat::Rss),
            feed(Route::FRONT, FeedScope::Site, FeedFormat::Json),
        ];
        let with_feeds = self.listings().filter(|l| !matches!(l, Listing::Month(_)));
        for listing in with_feeds {
            let base = self.listing_route(listing);
            feeds.push(feed(base.clone(), FeedScope::Of(listing), FeedFormat::Atom));
            feeds.push(feed(base, FeedScope::Of(listing), FeedFormat::Rss));
        }
        feeds
    }

    /// The articles a feed carries, newest first, at most `limit`.
    pub fn feed_articles(&self, scope: FeedScope, feeds: &crate::config::FeedsConfig) -> Vec<ArticleId> {
        let limit = if scope.is_main() { feeds.limit } else { feeds.listing_limit };
        match scope {
            FeedScope::Site => self.article_ids().take(limit).collect(),
            // A series lists its parts in reading order; its feed is newest first.
            FeedScope::Of(Listing::Series(id)) => {
                let mut parts = self[id].articles.clone();
                parts.sort();
                parts.truncate(limit);
                parts
            }
            FeedScope::Of(listing) => self.listed(listing).iter().copied().take(limit).collect(),
        }
    }

    fn html_pages(&self, per_page: usize) -> Vec<Page> {
        let mut pages = vec![Page { route: Route::FRONT, kind: PageKind::Front }];
        pages.extend(
            self.article_ids().map(|id| Page { route: self[id].place.route.clone(), kind: PageKind::Article(id) }),
        );
        pages.extend(
            self.article_ids()
                .filter(|&id| self[id].live.is_some())
                .map(|id| Page { route: self[id].place.route.live_feed(), kind: PageKind::LiveFeed(id) }),
        );
        for listing in self.listings() {
            let base = self.listing_route(listing);
            for pager in paginate(&base, self.listed(listing).len(), per_page) {
                pages.push(Page { route: base.paged(pager.number), kind: PageKind::List { listing, pager } });
            }
        }
        pages.extend(self.year_ids().map(|id| Page { route: Route::year(self[id].year), kind: PageKind::Year(id) }));
        for (route, kind) in [
            (Route::TAGS, PageKind::TagIndex),
            (Route::AUTHORS, PageKind::AuthorIndex),
            (Route::SECTIONS, PageKind::SectionIndex),
            (Route::ARCHIVE, PageKind::Archive),
            (Route::NOT_FOUND, PageKind::NotFound),
        ] {
            pages.push(Page { route, kind });
        }
        // A standalone page on /corrections/ (the policy) opens the list.
        let intro = self.page_ids().find(|&id| self[id].place.route == Route::CORRECTIONS);
        pages.push(Page { route: Route::CORRECTIONS, kind: PageKind::Corrections { intro } });
        pages.extend(
            self.page_ids()
                .filter(|&id| Some(id) != intro)
                .map(|id| Page { route: self[id].place.route.clone(), kind: PageKind::Standalone(id) }),
        );
        for article in self.article_ids() {
            for (alias, al) in self[article].place.aliases.iter().enumerate() {
                pages.push(Page { route: al.route.clone(), kind: PageKind::Alias { article, alias } });
            }
        }
        for page in self.page_ids() {
            for (alias, al) in self[page].place.aliases.iter().enumerate() {
                pages.push(Page { route: al.route.clone(), kind: PageKind::PageAlias { page, alias } });
            }
        }
        pages
    }

    /// One error for every URL that two pages claim, naming both.
    pub fn check_routes(&self, pages: &[Page]) -> Vec<Diagnostic> {
        let mut claimed: BTreeMap<&Route, &Page> = BTreeMap::new();
        let mut problems = Vec::new();
        for page in pages {
            match claimed.entry(&page.route) {
                Entry::Vacant(v) => {
                    v.insert(page);
                }
                Entry::Occupied(o) => problems.push(self.conflict(o.get(), page)),
            }
        }
        problems
    }

    /// The error for two pages on one URL, reported in the file that most
    /// likely made the clash: one that set its URL explicitly (a `slug` or an
    /// alias line), else the later file by name.
    fn conflict(&self, a: &Page, b: &Page) -> Diagnostic {
        let key = |p: &Page| self.origin(p).map(|(path, line)| (line > 1, path));
        let (first, second) = if key(a) <= key(b) { (a, b) } else { (b, a) };
        let (path, line) = self.origin(second).unwrap_or((PathBuf::from(broadsheet_base::layout::CONTENT), 1));
        let url = first.route.shown();
        let message =
            format!("URL {url} is claimed twice: by {} and by {}", self.describe(first), self.describe(second));
        Diagnostic::error(path, line, 1, message)
    }

    /// The story or standalone page an article's page, a page or an old
    /// URL (with which of its aliases) is made from.
    fn source_of(&self, kind: &PageKind) -> Option<(&Article, Option<usize>)> {
        match *kind {
            PageKind::Article(id) => Some((&self[id], None)),
            PageKind::Standalone(id) => Some((&self[id], None)),
            PageKind::Alias { article, alias } => Some((&self[article], Some(alias))),
            PageKind::PageAlias { page, alias } => Some((&self[page], Some(alias))),
            _ => None,
        }
    }

    /// The file (and line) responsible for a page, when one is.
    fn origin(&self, page: &Page) -> Option<(PathBuf, usize)> {
        if let Some((a, alias)) = self.source_of(&page.kind) {
            let line = alias.map_or(a.place.route_line, |i| a.place.aliases[i].line);
            return Some((a.place.file.clone(), line));
        }
        match &page.kind {
            PageKind::List { listing: Listing::Section(id), .. } => {
                let s = &self[*id];
                Some((
                    s.file.clone().unwrap_or_else(|| PathBuf::from(broadsheet_base::layout::CONTENT).join(&s.folder)),
                    1,
                ))
            }
            _ => None,
        }
    }

    fn describe(&self, page: &Page) -> String {
        match &page.kind {
            PageKind::Article(_) | PageKind::Standalone(_) | PageKind::Alias { .. } | PageKind::PageAlias { .. } => {
                self.source_of(&page.kind).map_or_else(String::new, |(a, alias)| {
                    let file = a.place.file.display();
                    if alias.is_some() { format!("an alias in {file}") } else { file.to_string() }
                })
            }
            PageKind::List { listing: Listing::Section(id), .. } => format!("section `{}`", self[*id].slug),
            PageKind::List { listing: Listing::Tag(id), .. } => format!("the page of tag `{}`", self[*id].name),
            PageKind::List { listing: Listing::Author(id), .. } => format!("the page of author `{}`", self[*id].name),
            PageKind::List { listing: Listing::Series(id), .. } => format!("the page of series `{}`", self[*id].slug),
            PageKind::List { listing: Listing::Month(_), .. } | PageKind::Year(_) | PageKind::Archive => {
                "the date archive".into()
            }
            PageKind::Front => "the front page".into(),
            PageKind::TagIndex => "the tags index".into(),
            PageKind::AuthorIndex => "the authors index".into(),
            PageKind::SectionIndex => "the sections index".into(),
            PageKind::NotFound => "the 404 page".into(),
            PageKind::Search => "the search page".into(),
            PageKind::Corrections { .. } => "the corrections page".into(),
            PageKind::Feed { .. } => "a feed".into(),
            PageKind::LiveFeed(id) => format!("the live updates of {}", self[*id].place.file.display()),
            PageKind::Sitemap { .. } | PageKind::SitemapIndex { .. } | PageKind::NewsSitemap => "a sitemap".into(),
            PageKind::Robots => "robots.txt".into(),
        }
    }
}

/// A menu's `url`: another site's address as written, or a path on this
/// site that a page or a file must answer.
fn menu_url(url: &str, pages: &[Page], has_file: &dyn Fn(&Route) -> bool, config: &Config) -> Result<String, String> {
    let url = url.trim();
    let elsewhere =
        url.contains("://") || url.starts_with("//") || url.starts_with("mailto:") || url.starts_with("tel:");
    if elsewhere {
        return Ok(url.to_string());
    }
    let (path, rest) = url.split_at(url.find(['?', '#']).unwrap_or(url.len()));
    let route = match Route::from_site_path(path) {
        Err(_) if path.trim_matches('/').is_empty() => Some(Route::FRONT),
        Err(why) => return Err(format!("menu url `{url}`: {why}")),
        Ok(route) => {
            let page = pages.iter().find(|p| p.route.as_str().trim_end_matches('/') == route.as_str());
            page.map(|p| p.route.clone()).or_else(|| has_file(&route).then_some(route))
        }
    };
    match route {
        Some(route) => Ok(config.urls.path(&route) + rest),
        None => Err(format!(
            "menu url `{url}`: no page or file of the site is there: expected a path such as \"/corrections/\" or a full address such as \"https://example.com/\""
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use chrono_tz::Tz;

    fn config() -> Config {
        Config::parse("title = \"T\"\nbase_url = \"https://e.com/\"\n[authors.ann]\nname = \"Ann Lee\"\n", None)
            .unwrap()
    }

    fn article(section: &str, slug: &str, day: u32) -> Article {
        Article {
            place: crate::content::Placement {
                file: PathBuf::from(format!("content/{section}/{slug}.md")),
                section: section.into(),
                slug: slug.into(),
                route: Route::article(section, slug),
                route_line: 1,
                date: Tz::UTC.with_ymd_and_hms(2026, 1 + day / 28, 1 + day % 28, 12, 0, 0).unwrap(),
                dated: true,
                expires: None,
                draft: false,
                featured: false,
                series: None,
                series_order: None,
                authors: vec![],
                tags: vec![],
                aliases: vec![],
            },
            title: slug.into(),
            updated: None,
            summary: String::new(),
            summary_html: String::new(),
            searchable: true,
            body_images: Vec::new(),
            summary_is_lead: true,
            image: None,
            source: None,
            corrections: vec![],
            dateline: None,
            extra: Default::default(),
            html: String::new(),
            word_count: 0,
            embeds: 0,
            live: None,
        }
    }

    fn meta(slug: &str, order: Option<i64>) -> SectionMeta {
        SectionMeta {
            slug: slug.into(),
            folder: slug.into(),
            title: slug.to_uppercase(),
            description: String::new(),
            order,
            file: None,
            extra: Default::default(),
        }
    }

    fn publish(day: u32) -> Publish {
        Publish {
            drafts: false,
            future: false,
            expired: false,
            now: Utc.with_ymd_and_hms(2026, 1 + day / 28, 1 + day % 28, 13, 0, 0).unwrap(),
        }
    }

    fn site(articles: Vec<Article>) -> Site {
        Site::new(articles, vec![meta("world", Some(2)), meta("news", Some(1))], &config(), publish(100))
    }

    #[test]
    fn newest_first_with_ties_by_url() {
        let s = site(vec![article("world", "b", 1), article("world", "a", 1), article("news", "c", 5)]);
        let routes: Vec<&str> = s.articles.iter().map(|a| a.place.route.as_str()).collect();
        assert_eq!(routes, ["news/c/", "world/a/", "world/b/"]);
    }

    #[test]
    fn drafts_and_scheduled_are_left_out_unless_asked() {
        let mut draft = article("news", "draft", 1);
        draft.place.draft = true;
        let later = article("news", "later", 200);
        let s = site(vec![draft.clone(), later.clone(), article("news", "now", 2)]);
        assert_eq!(s.articles.len(), 1);
        assert_eq!(s.unpublished, 2);
        let all =
            Site::new(vec![draft, later], vec![], &config(), Publish { drafts: true, future: true, ..publish(100) });
        assert_eq!(all.articles.len(), 2);
    }

    #[test]
    fn sections_follow_their_order() {
        let s = site(vec![article("world", "a", 1)]);
        let slugs: Vec<&str> = s.sections.iter().map(|s| s.slug.as_str()).collect();
        assert_eq!(slugs, ["news", "world"]);
        assert_eq!(s.sections[1].articles, [ArticleId(0)]);
    }

    #[test]
    fn tags_group_by_slug_and_keep_first_spelling() {
        let mut a = article("news", "a", 2);
        a.place.tags = vec!["Port Halden".into()];
        let mut b = article("news", "b", 1);
        b.place.tags = vec!["port halden".into(), "Climate".into()];
        let s = site(vec![a, b]);
        let names: Vec<(&str, &str, usize)> =
            s.tags.iter().map(|t| (t.slug.as_str(), t.name.as_str(), t.articles.len())).collect();
        assert_eq!(names, [("climate", "Climate", 1), ("port-halden", "Port Halden", 2)]);
        assert_eq!(s.links[1].tags, [TagId(1), TagId(0)], "tags keep the writer's order");
    }

    #[test]
    fn author_keys_and_plain_names() {
        let mut a = article("news", "a", 1);
        a.place.authors = vec!["ann".into(), "Wire Desk".into()];
        let s = site(vec![a]);
        let authors: Vec<(&str, &str, Option<&str>)> =
            s.authors.iter().map(|t| (t.slug.as_str(), t.name.as_str(), t.key.as_deref())).collect();
        assert_eq!(authors, [("ann", "Ann Lee", Some("ann")), ("wire-desk", "Wire Desk", None)]);
    }

    #[test]
    fn archives_group_by_month_newest_first() {
        let s = site(vec![article("news", "a", 1), article("news", "b", 30), article("news", "c", 31)]);
        assert_eq!(s.years.len(), 1);
        let months: Vec<(u32, usize)> = s.years[0].months.iter().map(|m| (m.month, m.articles.len())).collect();
        assert_eq!(months, [(2, 2), (1, 1)]);
    }

    #[test]
    fn older_and_newer_stay_in_the_section() {
        let s = site(vec![article("news", "a", 1), article("world", "b", 2), article("news", "c", 3)]);
        // order: c (news), b (world), a (news)
        assert_eq!(s.links[0].older, Some(ArticleId(2)));
        assert_eq!(s.links[2].newer, Some(ArticleId(0)));
        assert_eq!(s.links[1].older, None);
    }

    #[test]
    fn pagination_splits_and_names_pages() {
        let pagers = paginate(&Route::section("world"), 45, 20);
        assert_eq!(pagers.len(), 3);
        assert_eq!(pagers[2].items, 40..45);
        assert_eq!(Route::section("world").paged(3), "world/page/3/");
        assert_eq!(paginate(&Route::section("x"), 0, 20).len(), 1, "an empty listing still has its page");
    }

    #[test]
    fn every_url_is_claimed_once() {
        let mut a = article("news", "x", 1);
        a.place.aliases = vec![crate::content::Alias { route: Route::alias("/news/y/").unwrap(), line: 4 }];
        let s = site(vec![a, article("news", "y", 2)]);
        let problems = s.check_routes(&s.pages(&Plan {
            per_page: 20,
            sitemap_max: 50_000,
            search: true,
            syndication: Default::default(),
        }));
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].path, PathBuf::from("content/news/x.md"));
        assert_eq!(problems[0].line, 4);
        assert!(problems[0].message.contains("content/news/y.md"), "{}", problems[0].message);
    }

    #[test]
    fn sitemap_is_split_into_an_index_past_the_limit() {
        let s = site((0..5).map(|i| article("news", &format!("a{i}"), i)).collect());
        let pages = s.pages(&Plan { per_page: 20, sitemap_max: 1_000, search: true, syndication: Default::default() });
        assert!(pages.iter().any(|p| p.route == "sitemap.xml" && p.kind == PageKind::Sitemap { part: 0 }));
        let pages = s.pages(&Plan { per_page: 20, sitemap_max: 4, search: true, syndication: Default::default() });
        let listed = pages.iter().filter(|p| p.kind.in_sitemap()).count();
        let parts = listed.div_ceil(4);
        assert!(pages.iter().any(|p| p.route == "sitemap.xml" && p.kind == PageKind::SitemapIndex { parts }));
        assert!(pages.iter().any(|p| p.route == Route::sitemap_part(parts - 1)));
        assert!(s.check_routes(&pages).is_empty());
    }

    #[test]
    fn feeds_for_the_site_and_every_listing() {
        let mut a = article("news", "a", 1);
        a.place.tags = vec!["x".into()];
        a.place.authors = vec!["ann".into()];
        let s = site(vec![a]);
        let routes: Vec<String> = s
            .pages(&Plan { per_page: 20, sitemap_max: 50_000, search: true, syndication: Default::default() })
            .into_iter()
            .filter(|p| matches!(p.kind, PageKind::Feed { .. }))
            .map(|p| p.route.to_string())
            .collect();
        for expected in [
            "feed.xml",
            "rss.xml",
            "feed.json",
            "news/feed.xml",
            "news/rss.xml",
            "tags/x/feed.xml",
            "authors/ann/rss.xml",
        ] {
            assert!(routes.iter().any(|r| r == expected), "{expected} missing from {routes:?}");
        }
    }

    #[test]
    fn a_section_cannot_take_a_reserved_url() {
        let s = Site::new(vec![article("tags", "a", 1)], vec![meta("tags", None)], &config(), publish(100));
        let problems = s.check_routes(&s.pages(&Plan {
            per_page: 20,
            sitemap_max: 50_000,
            search: true,
            syndication: Default::default(),
        }));
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].message.contains("tags index"), "{}", problems[0].message);
    }
}
