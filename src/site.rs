//! The site model: published articles in one `Vec`, newest first, and the
//! sections, tags, authors and monthly archives that index into it (never
//! copies). Also the page plan: every page the site has, with its route and
//! pagination, and the check that no two pages claim one URL. Pure: no I/O,
//! no clock (the build time is passed in).

use std::collections::btree_map::Entry;
use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::PathBuf;

use chrono::{DateTime, Datelike, Utc};

use crate::config::Config;
use crate::content::{Article, SectionMeta};
use crate::diagnostic::Diagnostic;
use crate::related;
pub use crate::route::{FeedFormat, Route};
use crate::slug::slugify;

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
    pub articles: Vec<usize>,
}

/// A tag or an author: a named list of articles.
#[derive(Debug)]
pub struct Taxon {
    pub slug: String,
    pub name: String,
    /// The `[authors]` key, for authors that have one.
    pub key: Option<String>,
    pub articles: Vec<usize>,
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
    pub articles: Vec<usize>,
}

/// Where an article sits in the indexes.
#[derive(Debug, Default)]
pub struct Links {
    pub section: usize,
    pub tags: Vec<usize>,
    pub authors: Vec<usize>,
    /// The next older and next newer article in the same section.
    pub older: Option<usize>,
    pub newer: Option<usize>,
    /// "You may also like", best first.
    pub related: Vec<usize>,
}

#[derive(Debug)]
pub struct Site {
    pub articles: Vec<Article>,
    pub links: Vec<Links>,
    pub sections: Vec<Section>,
    pub tags: Vec<Taxon>,
    pub authors: Vec<Taxon>,
    pub years: Vec<Year>,
    /// Articles left out by the publishing rules (drafts, scheduled, expired).
    pub unpublished: usize,
    /// The build time the publishing rules were applied at.
    pub built_at: DateTime<Utc>,
}

impl Site {
    pub fn new(articles: Vec<Article>, metas: Vec<SectionMeta>, config: &Config, publish: Publish) -> Site {
        let total = articles.len();
        let mut articles: Vec<Article> = articles.into_iter().filter(|a| publish.includes(a)).collect();
        articles.sort_by(|a, b| b.place.date.cmp(&a.place.date).then_with(|| a.place.route.cmp(&b.place.route)));
        let mut site = Site {
            unpublished: total - articles.len(),
            built_at: publish.now,
            links: (0..articles.len()).map(|_| Links::default()).collect(),
            sections: sections(metas),
            tags: Vec::new(),
            authors: Vec::new(),
            years: Vec::new(),
            articles,
        };
        site.index_sections();
        site.tags = site.taxons(|a| a.place.tags.iter().map(|t| (slugify(t), t.clone(), None)).collect());
        site.authors = site.taxons(|a| a.place.authors.iter().map(|name| author_identity(name, config)).collect());
        site.authors.sort_by(|a, b| a.name.to_lowercase().cmp(&b.name.to_lowercase()).then(a.slug.cmp(&b.slug)));
        site.link_taxons();
        site.link_related(config.related.count);
        site.years = archives(&site.articles);
        site
    }

    fn link_related(&mut self, count: usize) {
        let items: Vec<related::Item<'_>> = self
            .articles
            .iter()
            .zip(&self.links)
            .map(|(a, l)| related::Item::new(l.section, &l.tags, &a.place.date))
            .collect();
        let postings: Vec<&[usize]> = self.tags.iter().map(|t| t.articles.as_slice()).collect();
        let sections: Vec<&[usize]> = self.sections.iter().map(|s| s.articles.as_slice()).collect();
        let all = related::related(&items, &postings, &sections, count);
        for (links, related) in self.links.iter_mut().zip(all) {
            links.related = related;
        }
    }

    fn index_sections(&mut self) {
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
            self.sections[position].articles.push(i);
            self.links[i].section = position;
        }
        for section in &self.sections {
            for pair in section.articles.windows(2) {
                self.links[pair[0]].older = Some(pair[1]);
                self.links[pair[1]].newer = Some(pair[0]);
            }
        }
    }

    /// Groups articles by the (slug, display name, key) that `names` gives
    /// each; the first spelling seen (in the newest article) names the group.
    fn taxons(&self, names: impl Fn(&Article) -> Vec<(String, String, Option<String>)>) -> Vec<Taxon> {
        let mut map: BTreeMap<String, Taxon> = BTreeMap::new();
        for (i, article) in self.articles.iter().enumerate() {
            for (slug, name, key) in names(article) {
                let taxon = map.entry(slug.clone()).or_insert_with(|| Taxon { slug, name, key, articles: Vec::new() });
                if taxon.articles.last() != Some(&i) {
                    taxon.articles.push(i);
                }
            }
        }
        map.into_values().collect()
    }

    /// Each article's tags and authors as indexes, in the order the writer
    /// gave them (slugs computed once per name, looked up by hash).
    fn link_taxons(&mut self) {
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
        for (article, links) in self.articles.iter().zip(self.links.iter_mut()) {
            links.tags = find(&article.place.tags, &tag_index);
            links.authors = find(&article.place.authors, &author_index);
        }
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
            month.articles.push(i);
        }
    }
    years
}

/// The listings that are paginated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListKind {
    Section,
    Tag,
    Author,
    Month { year: usize },
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
    Article(usize),
    List {
        kind: ListKind,
        index: usize,
        pager: Pager,
    },
    Year(usize),
    TagIndex,
    AuthorIndex,
    SectionIndex,
    Archive,
    Search,
    Alias {
        article: usize,
        alias: usize,
    },
    NotFound,
    Feed {
        scope: FeedScope,
        format: FeedFormat,
    },
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
                | PageKind::List { .. }
                | PageKind::Year(_)
                | PageKind::TagIndex
                | PageKind::AuthorIndex
                | PageKind::SectionIndex
                | PageKind::Archive
        )
    }
}

/// Whose stories a feed carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedScope {
    Site,
    Section(usize),
    Tag(usize),
    Author(usize),
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
        let listed = pages.iter().filter(|p| p.kind.in_sitemap()).count();
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
        let scoped = (0..self.sections.len())
            .map(|i| (Route::section(&self.sections[i].slug), FeedScope::Section(i)))
            .chain((0..self.tags.len()).map(|i| (Route::tag(&self.tags[i].slug), FeedScope::Tag(i))))
            .chain((0..self.authors.len()).map(|i| (Route::author(&self.authors[i].slug), FeedScope::Author(i))));
        for (base, scope) in scoped {
            feeds.push(feed(base.clone(), scope, FeedFormat::Atom));
            feeds.push(feed(base, scope, FeedFormat::Rss));
        }
        feeds
    }

    /// The articles a feed carries, newest first, at most `limit`.
    pub fn feed_articles(&self, scope: FeedScope, limit: usize) -> Vec<usize> {
        let list: &[usize] = match scope {
            FeedScope::Site => return (0..self.articles.len().min(limit)).collect(),
            FeedScope::Section(i) => &self.sections[i].articles,
            FeedScope::Tag(i) => &self.tags[i].articles,
            FeedScope::Author(i) => &self.authors[i].articles,
        };
        list.iter().copied().take(limit).collect()
    }

    fn html_pages(&self, per_page: usize) -> Vec<Page> {
        let mut pages = vec![Page { route: Route::FRONT, kind: PageKind::Front }];
        pages.extend(
            (0..self.articles.len())
                .map(|i| Page { route: self.articles[i].place.route.clone(), kind: PageKind::Article(i) }),
        );
        let lists = self
            .sections
            .iter()
            .enumerate()
            .map(|(i, s)| (ListKind::Section, i, Route::section(&s.slug), s.articles.len()));
        let tags = self.tags.iter().enumerate().map(|(i, t)| (ListKind::Tag, i, Route::tag(&t.slug), t.articles.len()));
        let authors = self
            .authors
            .iter()
            .enumerate()
            .map(|(i, a)| (ListKind::Author, i, Route::author(&a.slug), a.articles.len()));
        let months = self.years.iter().enumerate().flat_map(|(y, year)| {
            year.months.iter().enumerate().map(move |(m, month)| {
                (ListKind::Month { year: y }, m, Route::month(month.year, month.month), month.articles.len())
            })
        });
        for (kind, index, base, count) in lists.chain(tags).chain(authors).chain(months) {
            for pager in paginate(&base, count, per_page) {
                pages.push(Page { route: base.paged(pager.number), kind: PageKind::List { kind, index, pager } });
            }
        }
        pages.extend(
            self.years.iter().enumerate().map(|(i, y)| Page { route: Route::year(y.year), kind: PageKind::Year(i) }),
        );
        for (route, kind) in [
            (Route::TAGS, PageKind::TagIndex),
            (Route::AUTHORS, PageKind::AuthorIndex),
            (Route::SECTIONS, PageKind::SectionIndex),
            (Route::ARCHIVE, PageKind::Archive),
            (Route::NOT_FOUND, PageKind::NotFound),
        ] {
            pages.push(Page { route, kind });
        }
        for (article, a) in self.articles.iter().enumerate() {
            for (alias, al) in a.place.aliases.iter().enumerate() {
                pages.push(Page { route: al.route.clone(), kind: PageKind::Alias { article, alias } });
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
        let (path, line) = self.origin(second).unwrap_or((PathBuf::from(crate::layout::CONTENT), 1));
        let url = format!("/{}", first.route);
        let message =
            format!("URL {url} is claimed twice: by {} and by {}", self.describe(first), self.describe(second));
        Diagnostic::error(path, line, 1, message)
    }

    /// The file (and line) responsible for a page, when one is.
    fn origin(&self, page: &Page) -> Option<(PathBuf, usize)> {
        match &page.kind {
            PageKind::Article(i) => Some((self.articles[*i].place.file.clone(), self.articles[*i].place.route_line)),
            PageKind::Alias { article, alias } => {
                let a = &self.articles[*article];
                Some((a.place.file.clone(), a.place.aliases[*alias].line))
            }
            PageKind::List { kind: ListKind::Section, index, .. } => {
                let s = &self.sections[*index];
                Some((s.file.clone().unwrap_or_else(|| PathBuf::from(crate::layout::CONTENT).join(&s.folder)), 1))
            }
            _ => None,
        }
    }

    fn describe(&self, page: &Page) -> String {
        match &page.kind {
            PageKind::Article(i) => self.articles[*i].place.file.display().to_string(),
            PageKind::Alias { article, .. } => format!("an alias in {}", self.articles[*article].place.file.display()),
            PageKind::List { kind: ListKind::Section, index, .. } => {
                format!("section `{}`", self.sections[*index].slug)
            }
            PageKind::List { kind: ListKind::Tag, index, .. } => {
                format!("the page of tag `{}`", self.tags[*index].name)
            }
            PageKind::List { kind: ListKind::Author, index, .. } => {
                format!("the page of author `{}`", self.authors[*index].name)
            }
            PageKind::List { kind: ListKind::Month { .. }, .. } | PageKind::Year(_) | PageKind::Archive => {
                "the date archive".into()
            }
            PageKind::Front => "the front page".into(),
            PageKind::TagIndex => "the tags index".into(),
            PageKind::AuthorIndex => "the authors index".into(),
            PageKind::SectionIndex => "the sections index".into(),
            PageKind::NotFound => "the 404 page".into(),
            PageKind::Search => "the search page".into(),
            PageKind::Feed { .. } => "a feed".into(),
            PageKind::Sitemap { .. } | PageKind::SitemapIndex { .. } | PageKind::NewsSitemap => "a sitemap".into(),
            PageKind::Robots => "robots.txt".into(),
        }
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
                expires: None,
                draft: false,
                featured: false,
                authors: vec![],
                tags: vec![],
                aliases: vec![],
            },
            title: slug.into(),
            updated: None,
            summary: String::new(),
            image: None,
            source: None,
            corrections: vec![],
            dateline: None,
            extra: Default::default(),
            html: String::new(),
            text: String::new(),
            word_count: 0,
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
        assert_eq!(s.sections[1].articles, [0]);
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
        assert_eq!(s.links[1].tags, [1, 0], "tags keep the writer's order");
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
        assert_eq!(s.links[0].older, Some(2));
        assert_eq!(s.links[2].newer, Some(0));
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
        let problems = s.check_routes(&s.pages(&Plan { per_page: 20, sitemap_max: 50_000, search: true }));
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].path, PathBuf::from("content/news/x.md"));
        assert_eq!(problems[0].line, 4);
        assert!(problems[0].message.contains("content/news/y.md"), "{}", problems[0].message);
    }

    #[test]
    fn sitemap_is_split_into_an_index_past_the_limit() {
        let s = site((0..5).map(|i| article("news", &format!("a{i}"), i)).collect());
        let pages = s.pages(&Plan { per_page: 20, sitemap_max: 1_000, search: true });
        assert!(pages.iter().any(|p| p.route == "sitemap.xml" && p.kind == PageKind::Sitemap { part: 0 }));
        let pages = s.pages(&Plan { per_page: 20, sitemap_max: 4, search: true });
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
            .pages(&Plan { per_page: 20, sitemap_max: 50_000, search: true })
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
        let problems = s.check_routes(&s.pages(&Plan { per_page: 20, sitemap_max: 50_000, search: true }));
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].message.contains("tags index"), "{}", problems[0].message);
    }
}
