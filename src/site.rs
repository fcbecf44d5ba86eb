//! The site model: published articles in one `Vec`, newest first, and the
//! sections, tags, authors and monthly archives that index into it (never
//! copies). Also the page plan: every page the site has, with its route and
//! pagination, and the check that no two pages claim one URL. Pure: no I/O,
//! no clock (the build time is passed in).

use std::collections::BTreeMap;
use std::collections::btree_map::Entry;
use std::ops::Range;
use std::path::PathBuf;

use chrono::{DateTime, Datelike, Utc};

use crate::config::Config;
use crate::content::{Article, SectionMeta};
use crate::diagnostic::Diagnostic;
use crate::slug::slugify;

/// Which articles are published in this build.
#[derive(Debug, Clone, Copy)]
pub struct Publish {
    pub drafts: bool,
    pub future: bool,
    pub now: DateTime<Utc>,
}

impl Publish {
    fn includes(&self, a: &Article) -> bool {
        (self.drafts || !a.draft) && (self.future || a.date.with_timezone(&Utc) <= self.now)
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
}

#[derive(Debug)]
pub struct Site {
    pub articles: Vec<Article>,
    pub links: Vec<Links>,
    pub sections: Vec<Section>,
    pub tags: Vec<Taxon>,
    pub authors: Vec<Taxon>,
    pub years: Vec<Year>,
    /// Articles left out by the publishing rules (drafts, scheduled).
    pub unpublished: usize,
}

impl Site {
    pub fn new(articles: Vec<Article>, metas: Vec<SectionMeta>, config: &Config, publish: Publish) -> Site {
        let total = articles.len();
        let mut articles: Vec<Article> = articles.into_iter().filter(|a| publish.includes(a)).collect();
        articles.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.route.cmp(&b.route)));
        let mut site = Site {
            unpublished: total - articles.len(),
            links: (0..articles.len()).map(|_| Links::default()).collect(),
            sections: sections(metas),
            tags: Vec::new(),
            authors: Vec::new(),
            years: Vec::new(),
            articles,
        };
        site.index_sections();
        site.tags = site.taxons(|a| a.tags.iter().map(|t| (slugify(t), t.clone(), None)).collect());
        site.authors = site.taxons(|a| a.authors.iter().map(|name| author_identity(name, config)).collect());
        site.authors.sort_by(|a, b| a.name.to_lowercase().cmp(&b.name.to_lowercase()).then(a.slug.cmp(&b.slug)));
        site.link_taxons();
        site.years = archives(&site.articles);
        site
    }

    fn index_sections(&mut self) {
        for (i, article) in self.articles.iter().enumerate() {
            let position = match self.sections.iter().position(|s| s.slug == article.section) {
                Some(p) => p,
                None => {
                    self.sections.push(Section {
                        slug: article.section.clone(),
                        title: article.section.clone(),
                        description: String::new(),
                        file: None,
                        folder: article.section.clone(),
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

    fn link_taxons(&mut self) {
        for (t, tag) in self.tags.iter().enumerate() {
            for &i in &tag.articles {
                self.links[i].tags.push(t);
            }
        }
        for (a, author) in self.authors.iter().enumerate() {
            for &i in &author.articles {
                self.links[i].authors.push(a);
            }
        }
        // Keep the order the writer gave.
        for (i, links) in self.links.iter_mut().enumerate() {
            let article = &self.articles[i];
            links.tags.sort_by_key(|&t| article.tags.iter().position(|n| slugify(n) == self.tags[t].slug));
            links.authors.sort_by_key(|&a| {
                let author = &self.authors[a];
                article.authors.iter().position(|n| Some(n) == author.key.as_ref() || slugify(n) == author.slug)
            });
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
        let (y, m) = (a.date.year(), a.date.month());
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

/// Routes: site-relative URL paths. The only place that knows the URL scheme.
pub mod route {
    pub fn section(slug: &str) -> String {
        format!("{slug}/")
    }
    pub fn tag(slug: &str) -> String {
        format!("tags/{slug}/")
    }
    pub fn author(slug: &str) -> String {
        format!("authors/{slug}/")
    }
    pub fn year(year: i32) -> String {
        format!("{year:04}/")
    }
    pub fn month(year: i32, month: u32) -> String {
        format!("{year:04}/{month:02}/")
    }
    pub const TAGS: &str = "tags/";
    pub const AUTHORS: &str = "authors/";
    pub const SECTIONS: &str = "sections/";
    pub const ARCHIVE: &str = "archive/";
    pub const NOT_FOUND: &str = "404.html";

    /// Page `n` (1-based) of a paginated listing.
    pub fn paged(base: &str, n: usize) -> String {
        if n <= 1 { base.to_string() } else { format!("{base}page/{n}/") }
    }

    /// The file a route is written to, relative to the output folder.
    pub fn file(route: &str) -> String {
        if route.is_empty() || route.ends_with('/') { format!("{route}index.html") } else { route.to_string() }
    }
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
    pub base: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageKind {
    Front,
    Article(usize),
    List { kind: ListKind, index: usize, pager: Pager },
    Year(usize),
    TagIndex,
    AuthorIndex,
    SectionIndex,
    Archive,
    Alias { article: usize, alias: usize },
    NotFound,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    pub route: String,
    pub kind: PageKind,
}

/// Splits `count` items into pages of `per_page` (at least one page).
pub fn paginate(base: &str, count: usize, per_page: usize) -> Vec<Pager> {
    let total = count.div_ceil(per_page).max(1);
    (1..=total)
        .map(|n| Pager { number: n, total, items: (n - 1) * per_page..(n * per_page).min(count), base: base.to_string() })
        .collect()
}

impl Site {
    /// Every page of the site, in a deterministic order.
    pub fn pages(&self, per_page: usize) -> Vec<Page> {
        let mut pages = vec![Page { route: String::new(), kind: PageKind::Front }];
        pages.extend((0..self.articles.len()).map(|i| Page { route: self.articles[i].route.clone(), kind: PageKind::Article(i) }));
        let lists = self.sections.iter().enumerate().map(|(i, s)| (ListKind::Section, i, route::section(&s.slug), s.articles.len()));
        let tags = self.tags.iter().enumerate().map(|(i, t)| (ListKind::Tag, i, route::tag(&t.slug), t.articles.len()));
        let authors = self.authors.iter().enumerate().map(|(i, a)| (ListKind::Author, i, route::author(&a.slug), a.articles.len()));
        let months = self.years.iter().enumerate().flat_map(|(y, year)| {
            year.months.iter().enumerate().map(move |(m, month)| {
                (ListKind::Month { year: y }, m, route::month(month.year, month.month), month.articles.len())
            })
        });
        for (kind, index, base, count) in lists.chain(tags).chain(authors).chain(months) {
            for pager in paginate(&base, count, per_page) {
                pages.push(Page { route: route::paged(&base, pager.number), kind: PageKind::List { kind, index, pager } });
            }
        }
        pages.extend(self.years.iter().enumerate().map(|(i, y)| Page { route: route::year(y.year), kind: PageKind::Year(i) }));
        for (route, kind) in [
            (route::TAGS, PageKind::TagIndex),
            (route::AUTHORS, PageKind::AuthorIndex),
            (route::SECTIONS, PageKind::SectionIndex),
            (route::ARCHIVE, PageKind::Archive),
            (route::NOT_FOUND, PageKind::NotFound),
        ] {
            pages.push(Page { route: route.to_string(), kind });
        }
        for (article, a) in self.articles.iter().enumerate() {
            for (alias, al) in a.aliases.iter().enumerate() {
                pages.push(Page { route: al.route.clone(), kind: PageKind::Alias { article, alias } });
            }
        }
        pages
    }

    /// One error for every URL that two pages claim, naming both.
    pub fn check_routes(&self, pages: &[Page]) -> Vec<Diagnostic> {
        let mut claimed: BTreeMap<&str, &Page> = BTreeMap::new();
        let mut problems = Vec::new();
        for page in pages {
            match claimed.entry(page.route.as_str()) {
                Entry::Vacant(v) => {
                    v.insert(page);
                }
                Entry::Occupied(o) => problems.push(self.conflict(o.get(), page)),
            }
        }
        problems
    }

    fn conflict(&self, first: &Page, second: &Page) -> Diagnostic {
        let url = format!("/{}", first.route);
        let (path, line) = self.origin(second).or_else(|| self.origin(first)).unwrap_or((PathBuf::from("content"), 1));
        let message = format!(
            "URL {url} is claimed twice: by {} and by {}",
            self.describe(first),
            self.describe(second)
        );
        Diagnostic::error(path, line, 1, message)
    }

    /// The file (and line) responsible for a page, when one is.
    fn origin(&self, page: &Page) -> Option<(PathBuf, usize)> {
        match &page.kind {
            PageKind::Article(i) => Some((self.articles[*i].file.clone(), self.articles[*i].route_line)),
            PageKind::Alias { article, alias } => {
                let a = &self.articles[*article];
                Some((a.file.clone(), a.aliases[*alias].line))
            }
            PageKind::List { kind: ListKind::Section, index, .. } => {
                let s = &self.sections[*index];
                Some((s.file.clone().unwrap_or_else(|| PathBuf::from("content").join(&s.folder)), 1))
            }
            _ => None,
        }
    }

    fn describe(&self, page: &Page) -> String {
        match &page.kind {
            PageKind::Article(i) => self.articles[*i].file.display().to_string(),
            PageKind::Alias { article, .. } => format!("an alias in {}", self.articles[*article].file.display()),
            PageKind::List { kind: ListKind::Section, index, .. } => format!("section `{}`", self.sections[*index].slug),
            PageKind::List { kind: ListKind::Tag, index, .. } => format!("the page of tag `{}`", self.tags[*index].name),
            PageKind::List { kind: ListKind::Author, index, .. } => format!("the page of author `{}`", self.authors[*index].name),
            PageKind::List { kind: ListKind::Month { .. }, .. } | PageKind::Year(_) | PageKind::Archive => "the date archive".into(),
            PageKind::Front => "the front page".into(),
            PageKind::TagIndex => "the tags index".into(),
            PageKind::AuthorIndex => "the authors index".into(),
            PageKind::SectionIndex => "the sections index".into(),
            PageKind::NotFound => "the 404 page".into(),
        }
    }
}
