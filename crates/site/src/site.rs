//! The site model: published articles in one `Vec`, newest first, and the
//! sections, tags, authors and monthly archives that index into it (never
//! copies), by typed ids (`site[id]`) rather than bare numbers; a
//! [`Listing`] names any of them and answers which articles, where. The
//! page plan (every page the site has, with its route and pagination) is
//! `plan`, the check that no two pages claim one URL `claims`, and the
//! menus resolved against the plan `menus`. Pure: no I/O, no clock (the
//! build time is passed in).

mod claims;
mod indexes;
mod menus;
mod plan;

use std::collections::HashMap;
use std::path::PathBuf;

use chrono::{DateTime, Utc};

use crate::config::Config;
use crate::content::{Article, SectionMeta};
pub use broadsheet_base::route::{FeedFormat, Route};
use broadsheet_base::slug::slugify;
use indexes::{archives, author_identity, sections};
pub use menus::{MenuItem, Menus};
pub use plan::{FeedScope, Page, PageKind, Pager, Plan, paginate};

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
    /// A section of `Site::sections`, in navigation order.
    SectionId;
    /// A tag of `Site::tags`, which are sorted by slug.
    TagId;
    /// An author of `Site::authors`, which are sorted by name.
    AuthorId;
    /// A year of `Site::years`: 0 is the newest.
    YearId;
    /// A series (story package) of `Site::series`.
    SeriesId;
}

/// A month of a year's archive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MonthId {
    /// The year whose archive holds the month.
    pub year: YearId,
    month: usize,
}

/// A paginated list of articles: a section, a tag, an author or a month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Listing {
    /// A section's stories, at `/<section>/`.
    Section(SectionId),
    /// A tag's stories, at `/tags/<slug>/`.
    Tag(TagId),
    /// An author's stories, at `/authors/<slug>/`.
    Author(AuthorId),
    /// A month's stories, at `/<year>/<month>/`.
    Month(MonthId),
    /// A series, in reading order.
    Series(SeriesId),
}

impl Listing {
    /// Whether its feed has an RSS copy beside the Atom one: a section's
    /// always; a tag's, author's or series' when `[feeds] listing_rss` asks.
    pub fn has_rss(self, listing_rss: bool) -> bool {
        matches!(self, Listing::Section(_)) || listing_rss
    }
}

/// An article with its section, tags and authors (see [`Site::story`]).
pub struct Story<'a> {
    /// The article (`site[id]`).
    pub article: &'a Article,
    /// The section it is in.
    pub section: &'a Section,
    /// Its tags, in the order its front matter gives them.
    pub tags: Vec<&'a Taxon>,
    /// Its authors, in the byline's order.
    pub authors: Vec<&'a Taxon>,
}

impl<'a> Story<'a> {
    /// The tags' names (each tag's first spelling, in the newest article that
    /// has it), in the front matter's order.
    pub fn tag_names(&self) -> impl Iterator<Item = &'a str> + '_ {
        self.tags.iter().map(|t| t.name.as_str())
    }

    /// The authors' names as bylines print them: an `[authors]` key's `name`,
    /// else the name as written.
    pub fn author_names(&self) -> impl Iterator<Item = &'a str> + '_ {
        self.authors.iter().map(|a| a.name.as_str())
    }
}

/// Which articles are published in this build.
#[derive(Debug, Clone, Copy)]
pub struct Publish {
    /// Keep articles with `draft = true` (`--drafts`; `serve` keeps them unless
    /// `--hide-drafts`).
    pub drafts: bool,
    /// Keep articles dated after `now`, and live blogs' updates timed after it
    /// (`--future`).
    pub future: bool,
    /// Keep articles whose `expires` time has passed.
    pub expired: bool,
    /// The build time the other rules are applied at.
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

    /// Whether these rules publish `a`: not a draft, not dated after `now`, not
    /// expired (each unless asked for).
    pub fn includes(&self, a: &Article) -> bool {
        let live = a.place.expires.is_none_or(|e| e.with_timezone(&Utc) > self.now);
        (self.drafts || !a.place.draft)
            && (self.future || a.place.date.with_timezone(&Utc) <= self.now)
            && (self.expired || live)
    }
}

/// A section: a top-level folder of `content/` and its articles.
#[derive(Debug)]
pub struct Section {
    /// Its URL segment (`/<slug>/`): the folder's name made URL-safe.
    pub slug: String,
    /// Its name in the navigation: `_index.md`'s `title`, else the folder's
    /// name in title case.
    pub title: String,
    /// `_index.md`'s `description`; empty without one.
    pub description: String,
    /// Its `_index.md`, relative to the site's root; `None` when it has none.
    pub file: Option<PathBuf>,
    /// The folder's name under `content/`, as written.
    pub folder: String,
    /// Its published articles, newest first.
    pub articles: Vec<ArticleId>,
}

/// A series: articles told in parts (`series = "slug"` in front matter),
/// described by `[series.<slug>]` in site.toml.
#[derive(Debug)]
pub struct Series {
    /// The slug front matter's `series` names, made URL-safe: the landing page
    /// is `/series/<slug>/`.
    pub slug: String,
    /// `[series.<slug>] title`, else the slug in title case (`night-shift` is
    /// Night Shift).
    pub title: String,
    /// `[series.<slug>] description`; empty without one.
    pub description: String,
    /// The landing page's picture (a site path or an address).
    pub image: Option<String>,
    /// The parts in reading order: `series_order`, then oldest first.
    pub articles: Vec<ArticleId>,
}

/// A tag or an author: a named list of articles.
#[derive(Debug)]
pub struct Taxon {
    /// Its URL segment (`/tags/<slug>/`, `/authors/<slug>/`): the name made
    /// URL-safe. Names with one slug are one tag or author.
    pub slug: String,
    /// The name pages show: an `[authors]` key's `name`, else the first
    /// spelling seen (in the newest article).
    pub name: String,
    /// The `[authors]` key, for authors that have one.
    pub key: Option<String>,
    /// Its published articles, newest first.
    pub articles: Vec<ArticleId>,
}

/// A year of the archive, with its months that have stories.
#[derive(Debug)]
pub struct Year {
    /// The calendar year, in the site's timezone.
    pub year: i32,
    /// Newest month first.
    pub months: Vec<Month>,
}

/// A month of the archive, with its stories.
#[derive(Debug)]
pub struct Month {
    /// The calendar year, in the site's timezone.
    pub year: i32,
    /// The month, 1 to 12.
    pub month: u32,
    /// Its published articles, newest first.
    pub articles: Vec<ArticleId>,
}

/// Where an article sits in the indexes.
#[derive(Debug)]
pub struct Links {
    /// The article's section.
    pub section: SectionId,
    /// Its tags, in the order its front matter gives them.
    pub tags: Vec<TagId>,
    /// Its authors, in the byline's order.
    pub authors: Vec<AuthorId>,
    /// The next older and next newer article in the same section.
    pub older: Option<ArticleId>,
    /// The next newer article in the same section; `None` for the section's
    /// newest.
    pub newer: Option<ArticleId>,
    /// "You may also like", best first.
    pub related: Vec<ArticleId>,
    /// The series the article is part of, and its place in it (0: part 1).
    pub series: Option<(SeriesId, usize)>,
}

/// The site model of one language: its published articles and standalone pages,
/// and the indexes into them.
#[derive(Debug)]
pub struct Site {
    /// The published articles, newest first (ties by URL); [`ArticleId`]
    /// numbers them.
    pub articles: Vec<Article>,
    /// Standalone pages: in no section, listing, feed or search index.
    pub pages: Vec<Article>,
    /// Each article's place in the indexes, by [`ArticleId`].
    pub links: Vec<Links>,
    /// The sections, in navigation order (`order`, then title).
    pub sections: Vec<Section>,
    /// Every tag of a published article, by slug.
    pub tags: Vec<Taxon>,
    /// Every author of a published article, by name (ignoring case).
    pub authors: Vec<Taxon>,
    /// The archive: the years that have stories, newest first.
    pub years: Vec<Year>,
    /// Every series a published article names, by slug.
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

impl Site {
    /// The model of `articles` (those `publish` lets out, newest first) in the
    /// sections `metas` describes, with every index made: sections, tags,
    /// authors (named by `[authors]` in `config`), series, related stories and
    /// the archive. Standalone pages come with [`Site::with_pages`]; menus and
    /// photos are filled in later.
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

    /// Every standalone page's id, by URL.
    pub fn page_ids(&self) -> impl ExactSizeIterator<Item = PageId> + use<> {
        (0..self.pages.len()).map(PageId)
    }

    /// Every article's id, newest first.
    pub fn article_ids(&self) -> impl ExactSizeIterator<Item = ArticleId> + DoubleEndedIterator + use<> {
        (0..self.articles.len()).map(ArticleId)
    }

    /// Every section's id, in navigation order.
    pub fn section_ids(&self) -> impl ExactSizeIterator<Item = SectionId> + use<> {
        (0..self.sections.len()).map(SectionId)
    }

    /// Every tag's id, by slug.
    pub fn tag_ids(&self) -> impl ExactSizeIterator<Item = TagId> + use<> {
        (0..self.tags.len()).map(TagId)
    }

    /// Every author's id, by name.
    pub fn author_ids(&self) -> impl ExactSizeIterator<Item = AuthorId> + use<> {
        (0..self.authors.len()).map(AuthorId)
    }

    /// Every series' id, by slug.
    pub fn series_ids(&self) -> impl ExactSizeIterator<Item = SeriesId> + use<> {
        (0..self.series.len()).map(SeriesId)
    }

    /// Every year's id, newest first.
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
            translation: format!("{section}/{slug}"),
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
            listing_rss: false,
        }));
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].path, PathBuf::from("content/news/x.md"));
        assert_eq!(problems[0].line, 4);
        assert!(problems[0].message.contains("content/news/y.md"), "{}", problems[0].message);
    }

    #[test]
    fn sitemap_is_split_into_an_index_past_the_limit() {
        let s = site((0..5).map(|i| article("news", &format!("a{i}"), i)).collect());
        let pages = s.pages(&Plan {
            per_page: 20,
            sitemap_max: 1_000,
            search: true,
            syndication: Default::default(),
            listing_rss: false,
        });
        assert!(pages.iter().any(|p| p.route == "sitemap.xml" && p.kind == PageKind::Sitemap { part: 0 }));
        let pages = s.pages(&Plan {
            per_page: 20,
            sitemap_max: 4,
            search: true,
            syndication: Default::default(),
            listing_rss: false,
        });
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
        let feeds = |listing_rss: bool| -> Vec<String> {
            s.pages(&Plan {
                per_page: 20,
                sitemap_max: 50_000,
                search: true,
                syndication: Default::default(),
                listing_rss,
            })
            .into_iter()
            .filter(|p| matches!(p.kind, PageKind::Feed { .. }))
            .map(|p| p.route.to_string())
            .collect()
        };
        let routes = feeds(false);
        for expected in ["feed.xml", "rss.xml", "feed.json", "news/feed.xml", "news/rss.xml", "tags/x/feed.xml"] {
            assert!(routes.iter().any(|r| r == expected), "{expected} missing from {routes:?}");
        }
        // One format for a tag or an author, unless both are asked for.
        assert!(!routes.iter().any(|r| r == "tags/x/rss.xml" || r == "authors/ann/rss.xml"), "{routes:?}");
        let routes = feeds(true);
        assert!(routes.iter().any(|r| r == "authors/ann/rss.xml"), "{routes:?}");
    }

    #[test]
    fn a_section_cannot_take_a_reserved_url() {
        let s = Site::new(vec![article("tags", "a", 1)], vec![meta("tags", None)], &config(), publish(100));
        let problems = s.check_routes(&s.pages(&Plan {
            per_page: 20,
            sitemap_max: 50_000,
            search: true,
            syndication: Default::default(),
            listing_rss: false,
        }));
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].message.contains("tags index"), "{}", problems[0].message);
    }
}
