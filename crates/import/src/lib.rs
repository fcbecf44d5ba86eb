//! `broadsheet import`: turns another generator's site (a WordPress export,
//! a Jekyll, Hugo or Zola folder) into a new Broadsheet site. Each reader
//! (`wordpress`, `jekyll`, `hugo`, `zola`) fills an [`Imported`]: articles,
//! pages, authors, static files and the notes a human must read; this
//! module decides where every item goes (choosing the permalink pattern
//! that keeps the most old URLs, and aliases for the rest), rewrites links
//! between items, and writes the site, `import-report.md` and nothing else.
//! The source is only read. Output is byte-identical for the same source.

pub mod html;
pub mod hugo;
mod identity;
pub mod jekyll;
mod kramdown;
pub mod wordpress;
pub mod zola;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, anyhow};
use chrono::{DateTime, FixedOffset};

use broadsheet_base::diagnostic::plural;
use broadsheet_base::route::{FeedFormat, Permalink, Route};
use broadsheet_base::slug::slugify;

/// Where the site comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum From {
    Wordpress,
    Jekyll,
    Hugo,
    Zola,
}

#[derive(Debug, Clone)]
pub struct Options {
    pub from: From,
    pub source: PathBuf,
    pub into: PathBuf,
    /// A copy of WordPress's `wp-content/uploads`.
    pub uploads: Option<PathBuf>,
    /// Category (or tag) name or slug → section.
    pub sections: BTreeMap<String, String>,
    /// One language of a multilingual Hugo site.
    pub language: Option<String>,
}

/// An article or a standalone page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Article,
    Page,
}

/// One post or page, read from the source.
#[derive(Debug, Clone)]
pub struct Item {
    pub kind: Kind,
    /// Where it came from, for the report: `_posts/x.md` or `export.xml, item 42`.
    pub origin: String,
    /// Section name as the source says it (a category); `section_slug` is made from it.
    pub section: String,
    pub slug: String,
    pub title: String,
    pub date: Option<DateTime<FixedOffset>>,
    pub updated: Option<DateTime<FixedOffset>>,
    pub draft: bool,
    pub summary: Option<String>,
    /// Keys of `Imported::authors`, or plain names.
    pub authors: Vec<String>,
    pub tags: Vec<String>,
    pub image: Option<String>,
    pub image_alt: String,
    /// Old URL paths, relative to the old site's root path (`2024/03/x/`).
    pub old_paths: Vec<String>,
    /// Other ways the source links to it (`https://old.example/?p=12`,
    /// `_posts/2024-01-02-x.md`): links written so are rewritten.
    pub link_keys: Vec<String>,
    /// The body, in Markdown (or HTML for an `.html` source kept as it is).
    pub body: String,
    pub html: bool,
    /// Files that go beside it (a bundle): (source file, name in the bundle).
    pub files: Vec<(PathBuf, String)>,
}

impl Item {
    pub fn new(kind: Kind, origin: impl Into<String>) -> Item {
        Item {
            kind,
            origin: origin.into(),
            section: String::new(),
            slug: String::new(),
            title: String::new(),
            date: None,
            updated: None,
            draft: false,
            summary: None,
            authors: Vec::new(),
            tags: Vec::new(),
            image: None,
            image_alt: String::new(),
            old_paths: Vec::new(),
            link_keys: Vec::new(),
            body: String::new(),
            html: false,
            files: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Author {
    pub name: String,
    pub bio: String,
}

/// Something a human must look at.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Note {
    /// `_posts/x.md:12` or `export.xml, item 42 ("Title")`.
    pub origin: String,
    pub what: String,
}

/// Everything a reader found.
#[derive(Debug, Default)]
pub struct Imported {
    pub title: String,
    pub description: String,
    /// The new site's base URL (the old site's address, with its path).
    pub base_url: String,
    pub timezone: Option<String>,
    pub language: Option<String>,
    pub authors: BTreeMap<String, Author>,
    /// Section slug → title, for sections the source names.
    pub section_titles: BTreeMap<String, String>,
    pub items: Vec<Item>,
    /// Files copied into `static/`: (source, path under static/).
    pub statics: Vec<(PathBuf, PathBuf)>,
    /// The folders files are copied from (the source, `--uploads`): each
    /// file is opened beneath one of them (`confine`), never through a
    /// symbolic link out of it.
    pub roots: Vec<PathBuf>,
    pub notes: Vec<Note>,
    /// Items not imported, by reason.
    pub skipped: BTreeMap<String, usize>,
    /// Things done that a summary counts (`images copied`, `embeds kept as links`).
    pub counts: BTreeMap<String, usize>,
    /// Old URLs of listings (a section's or the front page's own URL and
    /// `aliases`): each becomes a redirect to the matching Broadsheet page.
    pub redirects: Vec<Redirect>,
    /// Author key → the address a byline linked to (`[Name](https://…)`).
    pub author_urls: BTreeMap<String, String>,
    /// The site's logo and favicon as the source named them; after
    /// [`identity::resolve`], a site path under `static/` or an address.
    pub logo: Option<String>,
    pub favicon: Option<String>,
}

/// An old URL of something that is not an item (a Hugo section's or home
/// page's `aliases`), and what it should lead to.
#[derive(Debug, Clone)]
pub struct Redirect {
    /// The source file, for the report.
    pub origin: String,
    /// The old URL path, relative to the old site's root (`list/`).
    pub from: String,
    /// The section (as the source names it) whose page answers it; `None`
    /// for the front page.
    pub section: Option<String>,
    /// The listing's own old URL (`archive/`, `` for the home page), tried
    /// when no section of that name is imported.
    pub target: String,
}

impl Imported {
    pub fn note(&mut self, origin: impl Into<String>, what: impl Into<String>) {
        self.notes.push(Note { origin: origin.into(), what: what.into() });
    }

    /// A report line for a symbolic link that was not followed.
    pub fn skipped_link(&mut self, root: &Path, path: &Path) {
        let shown = path.strip_prefix(root).unwrap_or(path).display().to_string();
        self.note(shown, broadsheet_base::confine::skipped_link(path));
    }

    /// Reads a file to copy, beneath the root it was found in.
    fn read_copied(&self, from: &Path) -> anyhow::Result<Vec<u8>> {
        let root = self.roots.iter().filter(|r| from.starts_with(r)).max_by_key(|r| r.as_os_str().len());
        let root = root.ok_or_else(|| anyhow!("{} is outside the folders being imported", from.display()))?;
        broadsheet_base::confine::read(root, from).with_context(|| format!("cannot read {}", from.display()))
    }

    pub fn skip(&mut self, reason: impl Into<String>) {
        *self.skipped.entry(reason.into()).or_default() += 1;
    }

    /// Credits the author called `name` on `item`, adding them to the
    /// site's authors (keyed by the name's slug) when they are new.
    pub fn credit(&mut self, item: &mut Item, name: &str) {
        let key = slugify(name);
        if key.is_empty() || item.authors.contains(&key) {
            return;
        }
        self.authors.entry(key.clone()).or_insert_with(|| Author { name: name.trim().to_string(), bio: String::new() });
        item.authors.push(key);
    }

    /// Credits every person a byline names: `[Name](https://x) (Org)`
    /// becomes Name (with the address and the affiliation kept), and "A and
    /// B", "A, B & C" are each credited apart.
    pub fn credit_line(&mut self, item: &mut Item, line: &str) {
        for person in people(line) {
            let key = slugify(&person.name);
            if key.is_empty() {
                continue;
            }
            self.credit(item, &person.name);
            if let Some(url) = person.url {
                self.author_urls.entry(key.clone()).or_insert(url);
            }
            if let Some(org) = person.affiliation
                && let Some(author) = self.authors.get_mut(&key)
                && author.bio.is_empty()
            {
                author.bio = org;
            }
        }
    }

    pub fn count(&mut self, what: &str, n: usize) {
        if n > 0 {
            *self.counts.entry(what.to_string()).or_default() += n;
        }
    }
}

/// One person named in a byline.
#[derive(Debug, PartialEq, Eq)]
struct Person {
    name: String,
    url: Option<String>,
    affiliation: Option<String>,
}

/// The people a byline names: Markdown links become a name and an
/// address, `(Org)` after a name its affiliation; names are split on `, `,
/// ` and `, ` & ` (a comma inside a link or brackets does not split).
fn people(line: &str) -> Vec<Person> {
    // Split at separators outside `[...]`, `(...)`.
    let mut parts: Vec<String> = vec![String::new()];
    let mut depth = 0i32;
    let chars: Vec<char> = line.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '[' | '(' => depth += 1,
            ']' | ')' => depth = (depth - 1).max(0),
            _ => {}
        }
        if depth == 0 {
            let rest: String = chars[i..].iter().take(6).collect();
            let lower = rest.to_lowercase();
            let sep = if c == ',' || c == ';' || c == '&' {
                Some(1)
            } else if lower.starts_with(" and ") {
                Some(5)
            } else {
                None
            };
            if let Some(n) = sep {
                parts.push(String::new());
                i += n;
                continue;
            }
        }
        if let Some(last) = parts.last_mut() {
            last.push(c);
        }
        i += 1;
    }
    let parts: Vec<String> = parts.into_iter().map(|p| p.trim().to_string()).filter(|p| !p.is_empty()).collect();
    // "Naruse, Yui": a comma between two single words is one person's name, family name first.
    if parts.len() == 2 && !line.contains(" and ") && !line.contains('&') && !line.contains('[') {
        let one_word = |p: &String| !p.contains(' ');
        if parts.iter().all(one_word) && parts[0].chars().all(|c| !c.is_lowercase()) {
            return vec![person(line.trim())];
        }
    }
    parts.iter().map(|p| person(p)).collect()
}

fn person(text: &str) -> Person {
    let text = text.trim();
    let (mut name, mut url, mut rest) = (text.to_string(), None, "");
    if let Some(inner) = text.strip_prefix('[')
        && let Some((label, after)) = inner.split_once("](")
        && let Some((link, tail)) = after.split_once(')')
    {
        name = label.trim().to_string();
        let link = link.split_whitespace().next().unwrap_or("").to_string();
        url = (link.starts_with("http://") || link.starts_with("https://")).then_some(link);
        rest = tail;
    } else if let Some(open) = text.find(" (")
        && text.ends_with(')')
    {
        name = text[..open].trim().to_string();
        rest = &text[open..];
    }
    let affiliation = rest
        .trim()
        .strip_prefix('(')
        .and_then(|r| r.strip_suffix(')'))
        .map(|r| r.trim().to_string())
        .filter(|r| !r.is_empty());
    Person { name, url, affiliation }
}

/// What an import did, for the summary line.
#[derive(Debug, Default)]
pub struct Summary {
    pub lines: Vec<String>,
}

/// Imports `opts.source` into `opts.into`.
pub fn run(opts: &Options) -> broadsheet_base::error::Result<Summary> {
    check_into(&opts.into)?;
    if !opts.source.exists() {
        return Err(anyhow!("{} does not exist", opts.source.display()).into());
    }
    let mut imported = match opts.from {
        From::Wordpress => wordpress::read(opts)?,
        From::Jekyll => jekyll::read(opts)?,
        From::Hugo => hugo::read(opts)?,
        From::Zola => zola::read(opts)?,
    };
    let config_file = match opts.from {
        From::Wordpress => "the export",
        From::Jekyll => "_config.yml",
        From::Hugo => "the Hugo configuration",
        From::Zola => "config.toml",
    };
    identity::resolve(&mut imported, config_file);
    apply_sections(&mut imported, &opts.sections);
    let site = plan(imported);
    write(&site, &opts.into)
}

/// The folder to write into must be new or empty.
fn check_into(into: &Path) -> broadsheet_base::error::Result<()> {
    if let Ok(mut entries) = std::fs::read_dir(into)
        && entries.next().is_some()
    {
        return Err(broadsheet_base::error::Refused {
            folder: into.to_path_buf(),
            why: "it is not empty (an import writes a whole new site)".into(),
            instead: "Name a new folder with --into, or empty this one.",
        }
        .into());
    }
    if into.exists() && !into.is_dir() {
        return Err(anyhow!("{} is a file, not a folder", into.display()).into());
    }
    Ok(())
}

/// `--section-from`: a category's name or slug → the section it goes to.
fn apply_sections(imported: &mut Imported, map: &BTreeMap<String, String>) {
    if map.is_empty() {
        return;
    }
    let by_slug: HashMap<String, &String> = map.iter().map(|(k, v)| (slugify(k), v)).collect();
    for item in imported.items.iter_mut().filter(|i| i.kind == Kind::Article) {
        let mut candidates = std::iter::once(&item.section).chain(&item.tags);
        if let Some(to) = candidates.find_map(|c| map.get(c).or_else(|| by_slug.get(&slugify(c)).copied())) {
            item.section = to.clone();
        }
    }
}

/// A source's words in a note: at most 60 characters.
fn clip(s: &str) -> String {
    let s = s.trim();
    match s.char_indices().nth(60) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

/// Where each item goes.
struct Planned {
    imported: Imported,
    permalink: Option<String>,
    /// Per item: its file under the site, its new route, its aliases.
    places: Vec<Place>,
    /// Old URLs of listings, as redirects: (old URL, the new page's route).
    redirects: Vec<(Route, Route)>,
    /// Old URLs the new site answers, of all the import knows.
    kept: (usize, usize),
}

struct Place {
    file: PathBuf,
    route: Route,
    slug: String,
    /// Whether the front matter must say `slug` (it differs from the file name).
    slug_written: bool,
    aliases: Vec<String>,
    /// A page in a folder of pages (`content/docs/intro.md`): its front
    /// matter must hold nothing that makes the folder a section.
    nested: bool,
}

/// Permalink patterns an import may choose, Broadsheet's default first.
const PATTERNS: &[&str] = &[
    "/:section/:slug/",
    "/:year/:month/:day/:slug/",
    "/:year/:month/:slug/",
    "/:year/:slug/",
    "/:section/:year/:month/:day/:slug/",
    "/:section/:year/:month/:slug/",
    "/:section/:year/:slug/",
];

/// Where every Broadsheet site has pages or files of its own.
fn site_folders() -> [Route; 9] {
    [
        Route::TAGS,
        Route::AUTHORS,
        Route::SECTIONS,
        Route::ARCHIVE,
        Route::SEARCH,
        Route::SEARCH_BUNDLE,
        Route::section("css"),
        Route::section("js"),
        Route::section("page"),
    ]
}

/// A section's slug: no section may take a folder of the site's own (or
/// `images/` and `static/`, where sites keep their files).
fn section_slug(name: &str) -> String {
    let slug = slugify(name);
    let own = site_folders().contains(&Route::section(&slug)) || matches!(slug.as_str(), "images" | "static");
    match slug.as_str() {
        "" => "news".into(),
        s if own => format!("{s}-section"),
        _ => slug,
    }
}

fn plan(mut imported: Imported) -> Planned {
    // Dates in URLs are local dates in the site's timezone, as a build makes them.
    let tz: chrono_tz::Tz = imported.timezone.as_deref().and_then(|t| t.parse().ok()).unwrap_or(chrono_tz::UTC);
    let local = |d: &DateTime<FixedOffset>| d.with_timezone(&tz).date_naive();
    let mut embedded = 0;
    for item in imported.items.iter_mut().filter(|i| !i.html) {
        let (body, made) = html::embeds_in_markdown(&item.body);
        if made > 0 {
            item.body = body;
            embedded += made;
        }
    }
    imported.count(html::EMBEDS_COUNTED, embedded);
    for item in imported.items.iter_mut() {
        if item.kind == Kind::Article {
            if item.section.trim().is_empty() {
                item.section = "news".into();
            }
            let s = section_slug(&item.section);
            imported.section_titles.entry(s).or_insert_with(|| item.section.clone());
        }
        let slug = slugify(&item.slug);
        item.slug = if slug.is_empty() { slugify(&item.title) } else { slug };
        if item.slug.is_empty() || item.slug == "page" {
            item.slug = format!("item-{}", item.slug.len() + 1);
        }
    }
    // The pattern that gives the most published articles their old URL.
    let articles: Vec<&Item> = imported.items.iter().filter(|i| i.kind == Kind::Article && i.date.is_some()).collect();
    let mut best = (0usize, PATTERNS[0]);
    for pattern in PATTERNS {
        let Ok(p) = Permalink::parse(pattern) else { continue };
        let kept = articles
            .iter()
            .filter(|i| {
                let route =
                    p.route(&section_slug(&i.section), &i.slug, &i.date.as_ref().map(local).unwrap_or_default());
                i.old_paths.iter().any(|old| Route::alias(old).is_ok_and(|old| old == route))
            })
            .count();
        if kept > best.0 {
            best = (kept, pattern);
        }
    }
    let permalink = Permalink::parse(best.1).unwrap_or_default();
    // Routes and files, each once.
    let mut taken_routes: BTreeSet<Route> = BTreeSet::new();
    let mut taken_files: BTreeSet<PathBuf> = BTreeSet::new();
    let sections: BTreeSet<String> = imported.section_titles.keys().cloned().collect();
    // Published items first, oldest first, so a later copy gets the `-2`.
    let mut order: Vec<usize> = (0..imported.items.len()).collect();
    let key = |it: &Item| (it.draft, it.kind, it.date);
    let items = &imported.items;
    order.sort_by(|&a, &b| key(&items[a]).cmp(&key(&items[b])).then_with(|| items[a].origin.cmp(&items[b].origin)));
    let mut by_index: Vec<Option<Place>> = (0..imported.items.len()).map(|_| None).collect();
    // Every item's old URLs: no other item's new page may take one.
    let mut old_owner: HashMap<Route, usize> = HashMap::new();
    for (i, item) in imported.items.iter().enumerate() {
        for old in &item.old_paths {
            if let Ok(route) = Route::alias(old) {
                old_owner.entry(route).or_insert(i);
            }
        }
    }
    let others_old = |route: &Route, i: usize| old_owner.get(route).is_some_and(|&owner| owner != i);
    for &i in &order {
        let item = &imported.items[i];
        // An undated page whose old URL is a path of plain folders
        // (`/docs/setup/intro/`) keeps it, in a folder of pages.
        if let Some((route, file)) = nested_page(item, &sections)
            && !taken_routes.contains(&route)
            && !taken_files.contains(&file)
            && !others_old(&route, i)
        {
            taken_routes.insert(route.clone());
            taken_files.insert(file.clone());
            let slug = file_stem_slug(&file);
            let aliases = aliases_of(item, &route);
            by_index[i] = Some(Place { file, route, slug, slug_written: false, aliases, nested: true });
            continue;
        }
        let mut n = 1;
        loop {
            let slug = if n == 1 { item.slug.clone() } else { format!("{}-{n}", item.slug) };
            let (route, dir) = match item.kind {
                Kind::Article => {
                    let section = section_slug(&item.section);
                    let route = match &item.date {
                        Some(d) => permalink.route(&section, &slug, &local(d)),
                        None => Route::article(&section, &slug),
                    };
                    (route, PathBuf::from("content").join(&section))
                }
                Kind::Page => (Route::section(&slug), PathBuf::from("content")),
            };
            // A bundle when the item has files of its own.
            let file =
                if item.files.is_empty() { dir.join(format!("{slug}.md")) } else { dir.join(&slug).join("index.md") };
            let clash = taken_routes.contains(&route)
                || taken_files.contains(&file)
                || others_old(&route, i)
                || (item.kind == Kind::Page && (sections.contains(&slug) || section_slug(&slug) != slug));
            if clash {
                n += 1;
                continue;
            }
            taken_routes.insert(route.clone());
            taken_files.insert(file.clone());
            let aliases = aliases_of(item, &route);
            // The loader takes a date off the front of a file name
            // (`2018-11-12-digest.md` is `digest`): such a slug is written.
            let stem = file_stem_slug(&file);
            let slug_written = slug != stem || dated_stem(&stem);
            by_index[i] = Some(Place { file, route, slug, slug_written, aliases, nested: false });
            break;
        }
    }
    // Old URLs no redirect can answer (too long for a file name, one of Broadsheet's own).
    let mut lost = Vec::new();
    for item in &imported.items {
        for old in &item.old_paths {
            match Route::alias(old) {
                Err(why) if why != Route::FRONT_PAGE_ALIAS => lost.push(Note {
                    origin: item.origin.clone(),
                    what: format!("its old URL {old} cannot be kept as a redirect: {why}"),
                }),
                _ => {}
            }
        }
    }
    imported.notes.extend(lost);
    // Every item is placed: the loop above ends only when it is.
    let mut places: Vec<Place> = by_index.into_iter().flatten().collect();
    // An old URL that is also a new page's URL, or one of the pages every
    // Broadsheet site has (`/tags/`, `/search/`, date archives): the page wins.
    // A section's page is one too (a page's alias `/economie/` beside the
    // section `economie` would stop the build).
    let mut claimed: BTreeSet<String> = places.iter().map(|p| p.route.shown()).collect();
    let used_sections: BTreeSet<String> = imported
        .items
        .iter()
        .zip(&places)
        .filter(|(i, _)| i.kind == Kind::Article)
        .map(|(i, _)| section_slug(&i.section))
        .collect();
    claimed.extend(used_sections.iter().map(|s| Route::section(s).shown()));
    for (item, place) in imported.items.iter().zip(places.iter_mut()) {
        let before = place.aliases.clone();
        place.aliases.retain(|a| !site_route(a) && claimed.insert(a.clone()));
        for lost in before.iter().filter(|a| !place.aliases.contains(a)) {
            imported.notes.push(Note {
                origin: item.origin.clone(),
                what: format!("its old URL {lost} is now another page of the site, so it cannot redirect here"),
            });
        }
    }
    let listings = imported.redirects.len();
    let (redirects, listings_kept) = plan_redirects(&mut imported, &places, &used_sections, &mut claimed);
    let (mut kept, mut all) = (listings_kept, listings);
    for (item, place) in imported.items.iter().zip(&places).filter(|(i, _)| !i.draft) {
        let olds: BTreeSet<&String> = item.old_paths.iter().collect();
        for old in olds {
            all += 1;
            kept += usize::from(match Route::alias(old) {
                Ok(route) => route == place.route || place.aliases.contains(&route.shown()),
                Err(why) => why == Route::FRONT_PAGE_ALIAS,
            });
        }
    }
    let permalink = (best.1 != PATTERNS[0]).then(|| best.1.to_string());
    Planned { imported, permalink, places, redirects, kept: (kept, all) }
}

/// An item's old URLs other than its new one, each once, as shown.
fn aliases_of(item: &Item, route: &Route) -> Vec<String> {
    item.old_paths
        .iter()
        .filter_map(|old| Route::alias(old).ok())
        .filter(|old| old != route)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .map(|old| old.shown())
        .collect()
}

/// Whether a file name starts with a date the loader reads (`2018-11-12-x`).
fn dated_stem(stem: &str) -> bool {
    let b = stem.as_bytes();
    b.len() >= 10
        && b[..10].iter().enumerate().all(|(i, c)| if i == 4 || i == 7 { *c == b'-' } else { c.is_ascii_digit() })
}

/// Where an undated page keeps its old URL of two or more folders
/// (`docs/setup/intro/` → `content/docs/setup/intro.md`), each part as a
/// slug; `None` when that cannot be (a dated or bylined item, a bundle, a
/// first folder that is a section or one of the site's own).
fn nested_page(item: &Item, sections: &BTreeSet<String>) -> Option<(Route, PathBuf)> {
    if item.kind != Kind::Page
        || item.date.is_some()
        || !item.files.is_empty()
        || item.html
        || !item.authors.is_empty()
        || !item.tags.is_empty()
    {
        return None;
    }
    let old = Route::alias(item.old_paths.first()?).ok()?;
    let path = old.as_str().trim_end_matches('/');
    let path = path.strip_suffix(".html").or_else(|| path.strip_suffix(".htm")).unwrap_or(path);
    let parts: Vec<String> = path.split('/').map(slugify).collect();
    let first = parts.first()?;
    if parts.len() < 2
        || parts.iter().any(|p| p.is_empty() || p == "page" || p == "index" || p.starts_with('_'))
        || dated_stem(parts.last()?)
        || sections.contains(first)
        || section_slug(first) != *first
        || site_route(&format!("/{first}/"))
    {
        return None;
    }
    let route = Route::alias(&format!("/{}/", parts.join("/"))).ok()?;
    let mut file = PathBuf::from("content");
    for p in &parts {
        file.push(p);
    }
    file.set_extension("md");
    Some((route, file))
}

/// Each listing's old URL becomes a redirect to its section's page, the
/// front page or the page now at that URL; one that cannot is a report line.
fn plan_redirects(
    imported: &mut Imported,
    places: &[Place],
    sections: &BTreeSet<String>,
    claimed: &mut BTreeSet<String>,
) -> (Vec<(Route, Route)>, usize) {
    let mut out = Vec::new();
    let mut answered = 0;
    let redirects = std::mem::take(&mut imported.redirects);
    for r in &redirects {
        let Ok(from) = Route::alias(&r.from) else { continue };
        let section = r.section.as_deref().map(section_slug).filter(|s| sections.contains(s));
        let by_old = || {
            let target = Route::alias(&r.target).ok()?;
            imported.items.iter().zip(places).find(|(i, p)| {
                p.route == target || i.old_paths.iter().any(|o| Route::alias(o).is_ok_and(|o| o == target))
            })
        };
        let to = match (&r.section, section) {
            (None, _) => Some(Route::FRONT),
            (Some(_), Some(s)) => Some(Route::section(&s)),
            (Some(_), None) => match by_old() {
                // The listing became a page and keeps its aliases itself.
                Some((_, p)) if p.aliases.contains(&from.shown()) => {
                    answered += 1;
                    continue;
                }
                Some((_, p)) => Some(p.route.clone()),
                None if site_route(&format!("/{}", r.target.trim_start_matches('/'))) => Route::alias(&r.target).ok(),
                None => None,
            },
        };
        let Some(to) = to else {
            imported.notes.push(Note {
                origin: r.origin.clone(),
                what: format!("its old URL {} cannot be kept: the listing it led to is not imported", from.shown()),
            });
            continue;
        };
        if from == to {
            answered += 1;
            continue;
        }
        if site_route(&from.shown()) || !claimed.insert(from.shown()) {
            imported.notes.push(Note {
                origin: r.origin.clone(),
                what: format!("its old URL {} is now another page of the site, so it cannot redirect", from.shown()),
            });
            continue;
        }
        out.push((from, to));
        answered += 1;
    }
    (out, answered)
}

/// Whether an old URL is one a Broadsheet site makes for itself: in one
/// of its folders, one of its files, or a date archive (`/2024/03/`).
fn site_route(alias: &str) -> bool {
    let Ok(route) = Route::alias(alias) else { return true };
    let folders = site_folders();
    let files = [
        Route::FRONT.feed(FeedFormat::Atom),
        Route::FRONT.feed(FeedFormat::Rss),
        Route::FRONT.feed(FeedFormat::Json),
        Route::SITEMAP,
        Route::NEWS_SITEMAP,
        Route::ROBOTS,
        Route::NOT_FOUND,
        Route::FRONT,
    ];
    let first = route.as_str().split('/').next().unwrap_or("");
    let parts: Vec<&str> = route.as_str().split('/').filter(|p| !p.is_empty()).collect();
    let date_archive = parts.len() <= 2 && parts.iter().all(|p| p.chars().all(|c| c.is_ascii_digit()));
    let file = alias.trim_matches('/');
    folders.contains(&Route::section(first)) || files.iter().any(|f| f.file() == file) || date_archive
}

fn file_stem_slug(file: &Path) -> String {
    let name = if file.file_stem().is_some_and(|s| s == "index") {
        file.parent().and_then(Path::file_name)
    } else {
        file.file_stem()
    };
    name.map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

/// Front matter, in the order written.
#[derive(serde::Serialize)]
struct Front<'a> {
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<toml::value::Datetime>,
    #[serde(skip_serializing_if = "Option::is_none")]
    updated: Option<toml::value::Datetime>,
    #[serde(skip_serializing_if = "Option::is_none")]
    slug: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<&'a str>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    authors: &'a [String],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    tags: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<FrontImage<'a>>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    draft: bool,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    aliases: &'a [String],
}

#[derive(serde::Serialize)]
struct FrontImage<'a> {
    src: &'a str,
    alt: &'a str,
}

fn toml_date(d: &DateTime<FixedOffset>) -> Option<toml::value::Datetime> {
    d.to_rfc3339_opts(chrono::SecondsFormat::Secs, false).parse().ok()
}

fn write(site: &Planned, into: &Path) -> broadsheet_base::error::Result<Summary> {
    let Planned { imported, permalink, places, redirects, kept } = site;
    // Each file is written as soon as it is made: at 20,000 posts, holding
    // them all would double the import's memory.
    let mut files = Files(into);
    // Links between items, rewritten to the new URLs (root-relative).
    let mut links: HashMap<String, String> = HashMap::new();
    for (item, place) in imported.items.iter().zip(places) {
        let new = format!("/{}", place.route.as_str());
        for key in item.old_paths.iter().chain(&item.link_keys) {
            links.insert(key.clone(), new.clone());
            if !key.contains("://") && !key.starts_with('/') {
                links.insert(format!("/{key}"), new.clone());
            }
        }
    }
    for (item, place) in imported.items.iter().zip(places) {
        let front = Front {
            title: &item.title,
            date: item.date.as_ref().and_then(toml_date),
            updated: item.updated.as_ref().filter(|u| Some(*u) != item.date.as_ref()).and_then(toml_date),
            slug: place.slug_written.then_some(place.slug.as_str()),
            summary: item.summary.as_deref().filter(|s| !s.trim().is_empty()),
            authors: if place.nested { &[] } else { &item.authors },
            tags: if place.nested { &[] } else { &item.tags },
            image: item.image.as_deref().map(|src| FrontImage { src, alt: &item.image_alt }),
            draft: item.draft,
            aliases: &place.aliases,
        };
        let head =
            toml::to_string(&front).map_err(|e| anyhow!("cannot write the front matter of {}: {e}", item.origin))?;
        let body = rewrite_links(&item.body, &links);
        let mut text = format!("+++\n{head}+++\n");
        if item.html {
            text.push_str(&body);
        } else {
            text.push('\n');
            text.push_str(body.trim());
            text.push('\n');
        }
        let file = if item.html { place.file.with_extension("html") } else { place.file.clone() };
        files.insert(file.clone(), text.into_bytes())?;
        for (from, name) in &item.files {
            let dir = file.parent().unwrap_or(Path::new("content"));
            let bytes = imported.read_copied(from)?;
            files.insert(dir.join(name), bytes)?;
        }
    }
    for (section, title) in &imported.section_titles {
        if places.iter().any(|p| p.file.starts_with(Path::new("content").join(section))) && title != section {
            let front = format!("+++\ntitle = {}\n+++\n", toml::Value::String(title.clone()));
            files.insert(PathBuf::from("content").join(section).join("_index.md"), front.into_bytes())?;
        }
    }
    for (from, to) in &imported.statics {
        let bytes = imported.read_copied(from)?;
        files.insert(PathBuf::from("static").join(to), bytes)?;
    }
    // Listings' old URLs: a page in static/ that sends the reader on.
    let base_path = base_path(&imported.base_url);
    for (from, to) in redirects {
        let url = format!("{base_path}{}", to.as_str());
        let page = redirect_page(&url);
        files.insert(PathBuf::from("static").join(from.file()), page.into_bytes())?;
    }
    let mut config = site_toml(imported, permalink.as_deref());
    // Pages in folders (a documentation tree) would all be listed in every
    // page's footer: the footer lists the top-level ones only.
    if places.iter().any(|p| p.nested) {
        config.push_str(&footer_menu(imported, places));
    }
    files.insert(PathBuf::from("site.toml"), config.into_bytes())?;
    let mut summary = summarize(imported, places);
    summary.lines.insert(1, format!("Old URLs kept: {} of {}.", kept.0, kept.1));
    files.insert(PathBuf::from("import-report.md"), report(imported, places, &summary).into_bytes())?;
    Ok(summary)
}

/// The path of a base URL (`/news/` for `https://x.org/news/`), ending in `/`.
pub(crate) fn base_path(base_url: &str) -> String {
    let rest = base_url.split_once("://").map_or(base_url, |(_, r)| r);
    let path = rest.find('/').map_or("/", |i| &rest[i..]);
    if path.ends_with('/') { path.to_string() } else { format!("{path}/") }
}

/// A redirect as Broadsheet writes one for an alias.
fn redirect_page(url: &str) -> String {
    let url = html::escape(url);
    format!(
        "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>Moved</title>\n<link rel=\"canonical\" href=\"{url}\">\n<meta name=\"robots\" content=\"noindex\">\n<meta http-equiv=\"refresh\" content=\"0; url={url}\">\n</head>\n<body>\n<main>\n<h1>This page has moved</h1>\n<p><a href=\"{url}\">{url}</a></p>\n</main>\n</body>\n</html>\n"
    )
}

/// `[[menus.footer]]`: the top-level pages (or the front page when there is none).
fn footer_menu(imported: &Imported, places: &[Place]) -> String {
    let s = |v: &str| toml::Value::String(v.to_string()).to_string();
    let mut t = String::new();
    let top: Vec<&Place> = imported
        .items
        .iter()
        .zip(places)
        .filter(|(i, p)| i.kind == Kind::Page && !i.draft && !p.nested)
        .map(|(_, p)| p)
        .collect();
    for place in &top {
        let _ = writeln!(t, "\n[[menus.footer]]\npage = {}", s(place.route.as_str().trim_end_matches('/')));
    }
    if top.is_empty() {
        let _ = writeln!(t, "\n[[menus.footer]]\nurl = \"/\"\ntitle = \"Front page\"");
    }
    t
}

/// The new site's folder.
struct Files<'a>(&'a Path);

impl Files<'_> {
    fn insert(&mut self, rel: PathBuf, bytes: Vec<u8>) -> anyhow::Result<()> {
        let path = self.0.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
        }
        std::fs::write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))
    }
}

/// Rewrites link targets (`](url)`, `href="url"`, `src="url"`) that name
/// an imported item the old way.
fn rewrite_links(body: &str, links: &HashMap<String, String>) -> String {
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(at) = rest.find(['(', '"']) {
        let (before, from) = rest.split_at(at + 1);
        out.push_str(before);
        let close = if before.ends_with('(') { ')' } else { '"' };
        let end = from.find([close, ' ', '\n']).unwrap_or(from.len());
        let target = &from[..end];
        let (bare, anchor) = target.split_once('#').map_or((target, ""), |(b, a)| (b, a));
        let found = links.get(bare).or_else(|| links.get(bare.trim_end_matches('/'))).or_else(|| {
            let with_slash = format!("{bare}/");
            links.get(&with_slash)
        });
        match found {
            Some(new) if !bare.is_empty() => {
                out.push_str(new);
                if !anchor.is_empty() {
                    out.push('#');
                    out.push_str(anchor);
                }
            }
            _ => out.push_str(target),
        }
        rest = &from[end..];
    }
    out.push_str(rest);
    out
}

fn site_toml(imported: &Imported, permalink: Option<&str>) -> String {
    let mut t = String::from("# Written by `broadsheet import`. Every key is described in Broadsheet's README.\n");
    let s = |v: &str| toml::Value::String(v.to_string()).to_string();
    let title = if imported.title.trim().is_empty() { "My Newsroom" } else { imported.title.trim() };
    let _ = writeln!(t, "title = {}", s(title));
    if !imported.description.trim().is_empty() {
        let _ = writeln!(t, "description = {}", s(imported.description.trim()));
    }
    let base =
        if imported.base_url.is_empty() { "https://example.com/".to_string() } else { imported.base_url.clone() };
    let base = if base.ends_with('/') { base } else { format!("{base}/") };
    let _ = writeln!(t, "base_url = {}", s(&base));
    for (key, file) in [("logo", &imported.logo), ("favicon", &imported.favicon)] {
        if let Some(file) = file {
            let _ = writeln!(t, "{key} = {}", s(file));
        }
    }
    if let Some(lang) = &imported.language {
        let _ = writeln!(t, "language = {}", s(lang));
    }
    if let Some(tz) = &imported.timezone {
        let _ = writeln!(t, "timezone = {}", s(tz));
    }
    if let Some(p) = permalink {
        let _ = writeln!(t, "\n[permalinks]\narticle = {}", s(p));
    }
    for (key, author) in &imported.authors {
        let _ = writeln!(t, "\n[authors.{}]\nname = {}", toml_key(key), s(&author.name));
        if let Some(url) = imported.author_urls.get(key) {
            let _ = writeln!(t, "url = {}", s(url));
        }
        if !author.bio.trim().is_empty() {
            let _ = writeln!(t, "bio = {}", s(author.bio.trim()));
        }
    }
    t
}

fn toml_key(key: &str) -> String {
    if !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        key.to_string()
    } else {
        toml::Value::String(key.to_string()).to_string()
    }
}

fn summarize(imported: &Imported, places: &[Place]) -> Summary {
    let items = &imported.items;
    let count = |f: &dyn Fn(&Item) -> bool| items.iter().filter(|i| f(i)).count();
    let posts = count(&|i| i.kind == Kind::Article && !i.draft);
    let pages = count(&|i| i.kind == Kind::Page && !i.draft);
    let drafts = count(&|i| i.draft);
    let aliases: usize = places.iter().map(|p| p.aliases.len()).sum();
    let sections = imported.section_titles.len();
    let tags: BTreeSet<&String> = items.iter().flat_map(|i| &i.tags).collect();
    let mut lines = vec![format!(
        "Imported {}, {} and {} ({} {}, {}, {}); wrote {} from old URLs.",
        plural(posts, "article"),
        plural(pages, "page"),
        plural(drafts, "draft"),
        plural(imported.authors.len(), "author"),
        if sections == 1 { "in 1 section".to_string() } else { format!("in {sections} sections") },
        plural(tags.len(), "tag"),
        plural(imported.statics.len() + items.iter().map(|i| i.files.len()).sum::<usize>(), "file"),
        plural(aliases, "redirect"),
    )];
    for (what, n) in &imported.counts {
        lines.push(format!("  {n} {what}"));
    }
    if !imported.skipped.is_empty() {
        let skipped: usize = imported.skipped.values().sum();
        let reasons: Vec<String> = imported.skipped.iter().map(|(why, n)| format!("{n} {why}")).collect();
        lines.push(format!("Skipped {}: {}.", plural(skipped, "item"), reasons.join(", ")));
    }
    lines.push(format!("{} for a human: see import-report.md.", plural(imported.notes.len(), "note")));
    Summary { lines }
}

fn report(imported: &Imported, places: &[Place], summary: &Summary) -> String {
    let mut r = String::from("# Import report\n\n");
    for line in &summary.lines {
        let _ = writeln!(r, "{}", line.trim_start());
        r.push('\n');
    }
    if !imported.notes.is_empty() {
        r.push_str("## Needs a human\n\nEach line names the source item and what to do.\n\n");
        let mut notes = imported.notes.clone();
        notes.sort();
        for note in notes {
            let _ = writeln!(r, "- **{}**: {}", note.origin, note.what);
        }
        r.push('\n');
    }
    let moved: Vec<(&Item, &Place)> =
        imported.items.iter().zip(places).filter(|(_, p)| !p.aliases.is_empty()).collect();
    if !moved.is_empty() {
        let _ = writeln!(
            r,
            "## Old URLs kept as redirects\n\n{} now live at a new URL; their old URL redirects there (`aliases` in their front matter).\n",
            plural(moved.len(), "item")
        );
    }
    r
}

/// Source syntax Broadsheet cannot convert (an unknown shortcode, a Liquid
/// tag), kept for the editor as an HTML comment: readers never see it, and
/// the report says where it was.
pub(crate) fn hidden(source: &str) -> String {
    // A comment ends at the first `--`; `-->` inside would end it early.
    let text = source.replace("--", "- -").replace('>', "&gt;");
    format!("<!-- not converted (see import-report.md): {} -->", text.trim())
}

/// A source folder's files, relative to it, hidden ones left out; a
/// symbolic link is kept when it leads to a file inside `dir`, and listed
/// apart when it does not (for a report line).
pub(crate) fn walk(dir: &Path) -> (Vec<PathBuf>, Vec<PathBuf>) {
    let (mut files, mut links) = (Vec::new(), Vec::new());
    let entries = walkdir::WalkDir::new(dir)
        .follow_links(false)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
        .filter_map(Result::ok);
    for e in entries {
        let Ok(rel) = e.path().strip_prefix(dir) else { continue };
        if e.file_type().is_file() || (e.path_is_symlink() && broadsheet_base::confine::is_file(dir, rel)) {
            files.push(rel.to_path_buf());
        } else if e.path_is_symlink() {
            links.push(e.path().to_path_buf());
        }
    }
    files.sort();
    (files, links)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_to_old_urls_become_new_ones() {
        let links: HashMap<String, String> =
            [("https://old.example/2024/01/x/".to_string(), "/news/x/".to_string())].into_iter().collect();
        let body = "See [x](https://old.example/2024/01/x/#part) and <a href=\"https://old.example/2024/01/x\">x</a>.";
        assert_eq!(rewrite_links(body, &links), "See [x](/news/x/#part) and <a href=\"/news/x/\">x</a>.");
    }

    #[test]
    fn bylines_are_split_into_people() {
        let names = |line: &str| people(line).into_iter().map(|p| p.name).collect::<Vec<_>>();
        assert_eq!(names("Dan Sinker and Erika Owens"), ["Dan Sinker", "Erika Owens"]);
        assert_eq!(names("A, B & C"), ["A", "B", "C"]);
        assert_eq!(names("NARUSE, Yui"), ["NARUSE, Yui"], "family name first is one person");
        let p = people("[Jane Doe](https://github.com/janedoe) (Harbour Labs)");
        assert_eq!(
            p,
            [Person {
                name: "Jane Doe".into(),
                url: Some("https://github.com/janedoe".into()),
                affiliation: Some("Harbour Labs".into())
            }]
        );
        let p = people("[A, B](https://x.org/ab) and C (Org, Inc)");
        assert_eq!(p.len(), 2, "{p:?}");
        assert_eq!(p[1].affiliation.as_deref(), Some("Org, Inc"));
    }

    #[test]
    fn a_date_at_the_start_of_a_file_name_is_seen() {
        assert!(dated_stem("2018-11-12-digest"));
        assert!(!dated_stem("digest-2018-11-12"));
        assert!(!dated_stem("2018"));
    }

    #[test]
    fn old_urls_of_the_sites_own_pages_are_known() {
        for own in ["/tags/", "/search/", "/tags/x/", "/2024/", "/2024/03/", "/feed.xml", "/404.html", "/css/x.css"] {
            assert!(site_route(own), "{own}");
        }
        for story in ["/2024/03/x/", "/news/x/", "/about/", "/a/b.html"] {
            assert!(!site_route(story), "{story}");
        }
    }
}
