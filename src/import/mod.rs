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
pub mod jekyll;
pub mod wordpress;
pub mod zola;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, anyhow};
use chrono::{DateTime, FixedOffset};

use crate::diagnostic::plural;
use crate::route::{FeedFormat, Permalink, Route};
use crate::slug::slugify;

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
}

impl Imported {
    pub fn note(&mut self, origin: impl Into<String>, what: impl Into<String>) {
        self.notes.push(Note { origin: origin.into(), what: what.into() });
    }

    /// A report line for a symbolic link that was not followed.
    pub fn skipped_link(&mut self, root: &Path, path: &Path) {
        let shown = path.strip_prefix(root).unwrap_or(path).display().to_string();
        self.note(shown, crate::confine::skipped_link(path));
    }

    /// Reads a file to copy, beneath the root it was found in.
    fn read_copied(&self, from: &Path) -> anyhow::Result<Vec<u8>> {
        let root = self.roots.iter().filter(|r| from.starts_with(r)).max_by_key(|r| r.as_os_str().len());
        let root = root.ok_or_else(|| anyhow!("{} is outside the folders being imported", from.display()))?;
        crate::confine::read(root, from).with_context(|| format!("cannot read {}", from.display()))
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

    pub fn count(&mut self, what: &str, n: usize) {
        if n > 0 {
            *self.counts.entry(what.to_string()).or_default() += n;
        }
    }
}

/// What an import did, for the summary line.
#[derive(Debug, Default)]
pub struct Summary {
    pub lines: Vec<String>,
}

/// Imports `opts.source` into `opts.into`.
pub fn run(opts: &Options) -> crate::error::Result<Summary> {
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
    apply_sections(&mut imported, &opts.sections);
    let site = plan(imported);
    write(&site, &opts.into)
}

/// The folder to write into must be new or empty.
fn check_into(into: &Path) -> crate::error::Result<()> {
    if let Ok(mut entries) = std::fs::read_dir(into)
        && entries.next().is_some()
    {
        return Err(crate::error::Refused {
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
}

struct Place {
    file: PathBuf,
    route: Route,
    slug: String,
    /// Whether the front matter must say `slug` (it differs from the file name).
    slug_written: bool,
    aliases: Vec<String>,
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
    for &i in &order {
        let item = &imported.items[i];
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
                || (item.kind == Kind::Page && (sections.contains(&slug) || section_slug(&slug) != slug));
            if clash {
                n += 1;
                continue;
            }
            taken_routes.insert(route.clone());
            taken_files.insert(file.clone());
            let aliases = item
                .old_paths
                .iter()
                .filter_map(|old| Route::alias(old).ok())
                .filter(|old| *old != route)
                .collect::<BTreeSet<_>>()
                .into_iter()
                .map(|old| old.shown())
                .collect();
            let slug_written = slug != file_stem_slug(&file);
            by_index[i] = Some(Place { file, route, slug, slug_written, aliases });
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
    let mut claimed: BTreeSet<String> = places.iter().map(|p| p.route.shown()).collect();
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
    let permalink = (best.1 != PATTERNS[0]).then(|| best.1.to_string());
    Planned { imported, permalink, places }
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

fn write(site: &Planned, into: &Path) -> crate::error::Result<Summary> {
    let Planned { imported, permalink, places } = site;
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
            authors: &item.authors,
            tags: &item.tags,
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
    files.insert(PathBuf::from("site.toml"), site_toml(imported, permalink.as_deref()).into_bytes())?;
    let summary = summarize(imported, places);
    files.insert(PathBuf::from("import-report.md"), report(imported, places, &summary).into_bytes())?;
    Ok(summary)
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

/// A source folder's files, relative to it, hidden ones left out; a
/// symbolic link is kept when it leads to a file inside `dir`, and listed
/// apart when it does not (for a report line).
pub(super) fn walk(dir: &Path) -> (Vec<PathBuf>, Vec<PathBuf>) {
    let (mut files, mut links) = (Vec::new(), Vec::new());
    let entries = walkdir::WalkDir::new(dir)
        .follow_links(false)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
        .filter_map(Result::ok);
    for e in entries {
        let Ok(rel) = e.path().strip_prefix(dir) else { continue };
        if e.file_type().is_file() || (e.path_is_symlink() && crate::confine::is_file(dir, rel)) {
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
    fn old_urls_of_the_sites_own_pages_are_known() {
        for own in ["/tags/", "/search/", "/tags/x/", "/2024/", "/2024/03/", "/feed.xml", "/404.html", "/css/x.css"] {
            assert!(site_route(own), "{own}");
        }
        for story in ["/2024/03/x/", "/news/x/", "/about/", "/a/b.html"] {
            assert!(!site_route(story), "{story}");
        }
    }
}
