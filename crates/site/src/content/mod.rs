//! Loading: walks `content/`, reads every article and section file in
//! parallel, and turns each into an [`Article`] or [`SectionMeta`] with its
//! Markdown already rendered. Every problem becomes a [`Diagnostic`]; loading
//! never stops at the first one and never panics. This module reads the site
//! tree and nothing else: it decides nothing about which articles are
//! published or how they are ordered (that is `site`).

pub mod fields;
pub mod frontmatter;
pub mod markdown;
pub mod tree;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use chrono::DateTime;
use chrono_tz::Tz;
use rayon::prelude::*;
use walkdir::WalkDir;

use crate::config::Config;
use broadsheet_base::date;
use broadsheet_base::diagnostic::{Diagnostic, line_col, relative};
use broadsheet_base::route::Route;
use broadsheet_base::slug::slugify;
use frontmatter::{Problem, RawArticle, Split};

/// Extensions of Markdown articles: Broadsheet's own, Jekyll's default and
/// other editors' spellings.
pub const MARKDOWN_EXTENSIONS: &[&str] = &["md", "markdown", "mdown", "mkd"];

/// One article, as written, with its body rendered.
#[derive(Debug, Clone)]
pub struct Article {
    /// Where it sits in the site: a save that leaves this alone changes
    /// only the pages that show the article (see `live`).
    pub place: Placement,
    pub title: String,
    pub updated: Option<DateTime<Tz>>,
    /// The dek as plain text (meta descriptions, feeds, search).
    pub summary: String,
    /// The dek as inline HTML (it is written in Markdown).
    pub summary_html: String,
    /// The summary is the body's first paragraph (none was written, or the
    /// one written repeats it): the article page does not print it twice.
    pub summary_is_lead: bool,
    pub image: Option<Image>,
    pub source: Option<Source>,
    pub corrections: Vec<Correction>,
    pub dateline: Option<String>,
    /// Whether the search index holds it (`search` in front matter: on for
    /// articles, off for standalone pages unless asked).
    pub searchable: bool,
    /// The site's own photos the body shows, for their resized copies.
    pub body_images: Vec<BodyImage>,
    pub extra: serde_json::Map<String, serde_json::Value>,
    pub html: String,
    pub word_count: usize,
    /// How many embeds the body and a live blog's updates have (their
    /// pages load `embeds.js`).
    pub embeds: usize,
    /// A live blog's coverage: its updates, newest first.
    pub live: Option<LiveBlog>,
}

/// A live blog (`live = true` on a bundle's `index.md`): one file per
/// update in the bundle's `updates/` folder, so two editors never edit
/// the same file.
#[derive(Debug, Clone, PartialEq)]
pub struct LiveBlog {
    /// `coverage_end`: after it, "This live coverage has ended".
    pub ended: Option<DateTime<Tz>>,
    /// Newest first; those timed after the build are left out by `site`.
    pub updates: Vec<LiveUpdate>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LiveUpdate {
    /// From the file name: the anchor is `#update-<id>`.
    pub id: String,
    pub time: DateTime<Tz>,
    pub title: Option<String>,
    pub authors: Vec<String>,
    pub pinned: bool,
    pub key: bool,
    pub html: String,
    /// Plain text, for feeds' summaries and JSON-LD.
    pub text: String,
}

/// The folder of a live blog's updates, beside its `index.md`.
pub const UPDATES: &str = "updates";

/// The most tags and authors one story uses: each makes a page and a feed
/// that lists the story, so there are bounds (a warning says what was left).
pub const MAX_TAGS: usize = 100;
pub const MAX_AUTHORS: usize = 50;

/// Whether `path` is an update of a live blog: a Markdown file in the
/// `updates/` folder of a page bundle.
pub fn is_live_update(path: &Path) -> bool {
    is_markdown(path) && path.parent().and_then(live_blog_of).is_some()
}

/// The index of the live blog whose updates folder `updates` is.
pub fn live_blog_of(updates: &Path) -> Option<PathBuf> {
    if updates.file_name()? != UPDATES {
        return None;
    }
    bundle_index(updates.parent()?)
}

impl LiveBlog {
    /// Still being updated at `now`: no `coverage_end`, or one to come.
    pub fn is_open(&self, now: chrono::DateTime<chrono::Utc>) -> bool {
        self.ended.is_none_or(|e| e.with_timezone(&chrono::Utc) > now)
    }

    /// Every time the blog changes by itself: its updates' and its end.
    pub fn times(&self) -> impl Iterator<Item = DateTime<Tz>> + '_ {
        self.updates.iter().map(|u| u.time).chain(self.ended)
    }
}

impl LiveUpdate {
    /// Its anchor on the blog's page: `update-<id>`.
    pub fn anchor(&self) -> String {
        format!("update-{}", self.id)
    }
}

/// Everything about an article that decides which pages show it, in which
/// order, and what other articles' pages say about it besides its card.
#[derive(Debug, Clone, PartialEq)]
pub struct Placement {
    /// The file, relative to the site root.
    pub file: PathBuf,
    pub section: String,
    pub slug: String,
    /// Site-relative URL path, e.g. `world/some-story/`.
    pub route: Route,
    /// Line of the field that decided the URL (`slug`), or 1.
    pub route_line: usize,
    pub date: DateTime<Tz>,
    /// Whether `date` was written (or implied by the file name): a
    /// standalone page may have none, and then shows and claims none.
    pub dated: bool,
    /// After this time the article is left out of builds.
    pub expires: Option<DateTime<Tz>>,
    pub draft: bool,
    pub featured: bool,
    /// The series it is a part of (a slug), and its part number, if given.
    pub series: Option<String>,
    pub series_order: Option<i64>,
    pub authors: Vec<String>,
    pub tags: Vec<String>,
    pub aliases: Vec<Alias>,
}

impl Article {
    /// When the article last changed: its `updated` time or its date, or
    /// its latest correction when that came after.
    pub fn last_changed(&self) -> DateTime<Tz> {
        let written = self.updated.unwrap_or(self.place.date);
        let updates = self.live.iter().flat_map(|l| l.updates.first()).map(|u| u.time);
        self.corrections.iter().map(|c| c.date).chain(updates).fold(written, DateTime::max)
    }

    /// Whether search engines are sent elsewhere for it: syndicated copy
    /// whose canonical link is the original, or that asks not to be
    /// indexed. Such copies stay out of the sitemaps.
    pub fn is_copy(&self, policy: crate::config::Syndication) -> bool {
        match (&self.source, policy) {
            (Some(source), crate::config::Syndication::Canonical) => source.url.is_some(),
            (Some(_), crate::config::Syndication::Noindex) => true,
            (None, _) => false,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Image {
    pub src: ImageSource,
    pub alt: String,
    pub caption: Option<String>,
    pub credit: Option<String>,
    /// Pixel size read from the file, so the page does not jump as it loads.
    pub size: Option<(usize, usize)>,
    /// File size, for feed enclosures.
    pub bytes: Option<u64>,
    /// The file on disk, for a picture of the site's own.
    pub file: Option<PathBuf>,
    /// Line of the `image` field, for problems with the picture.
    pub line: usize,
    /// Where crops centre (`focus = "0.5,0.3"`), as fractions across and down.
    pub focus: Option<(f64, f64)>,
}

/// A picture in an article's body that is a file of the site.
#[derive(Debug, Clone)]
pub struct BodyImage {
    /// Its address as the body's HTML holds it.
    pub src: String,
    pub route: Route,
    pub file: PathBuf,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImageSource {
    /// An absolute URL on another host.
    External(String),
    /// A site-relative route, e.g. `world/story/photo.jpg`.
    Route(Route),
}

#[derive(Debug, Clone)]
pub struct Source {
    pub name: String,
    pub url: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Correction {
    pub date: DateTime<Tz>,
    pub text: String,
}

/// An old URL that should redirect to the article.
#[derive(Debug, Clone, PartialEq)]
pub struct Alias {
    pub route: Route,
    pub line: usize,
}

/// A section folder, with what its `_index.md` says (if it has one).
#[derive(Debug, Clone)]
pub struct SectionMeta {
    pub slug: String,
    pub folder: String,
    pub title: String,
    pub description: String,
    pub order: Option<i64>,
    pub file: Option<PathBuf>,
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// A file under `content/` that is copied to the output as is.
#[derive(Debug, Clone)]
pub struct Asset {
    pub from: PathBuf,
    /// Output-relative destination.
    pub to: PathBuf,
}

#[derive(Debug, Default)]
pub struct Loaded {
    pub articles: Vec<Article>,
    /// Standalone pages (`content/about.md`, `content/about/index.md`):
    /// articles outside every section, listing and feed.
    pub pages: Vec<Article>,
    pub sections: Vec<SectionMeta>,
    pub assets: Vec<Asset>,
    pub diagnostics: Vec<Diagnostic>,
}

/// What the walk found, before anything is read.
#[derive(Default)]
struct Found {
    articles: Vec<PathBuf>,
    pages: Vec<PathBuf>,
    /// `content/<name>/index.md`: a standalone page when nothing else in
    /// its folder is an article (else the folder is a section).
    page_bundles: Vec<PathBuf>,
    section_dirs: Vec<String>,
    section_files: Vec<PathBuf>,
    assets: Vec<PathBuf>,
    diagnostics: Vec<Diagnostic>,
}

/// What loading one article file gave: the article, its problems, and the
/// fields it kept under `extra` because Broadsheet does not know them.
type ArticleResult = (Option<Article>, Vec<Diagnostic>, Vec<String>);

/// Articles already loaded, for rebuilds (`serve`): a file whose size and
/// modification time have not changed is not read again. Settings that
/// change how files are read (timezone, base URL, raw HTML, search text)
/// empty it.
#[derive(Default)]
pub struct Cache {
    /// Whether to keep anything: a one-off build keeps nothing, as the
    /// copies would double its memory.
    pub enabled: bool,
    settings: String,
    entries: HashMap<PathBuf, (FileStamp, ArticleResult)>,
}

impl Cache {
    /// A cache for a series of builds (`serve`).
    pub fn for_rebuilds() -> Cache {
        Cache { enabled: true, ..Cache::default() }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
struct FileStamp {
    modified: Option<SystemTime>,
    len: u64,
    /// A bundle's live updates: their names, times and sizes, hashed.
    updates: u64,
}

fn stamp(path: &Path) -> Option<FileStamp> {
    let meta = std::fs::metadata(path).ok()?;
    let mut updates = 0;
    if is_bundle(path)
        && let Some(dir) = path.parent().map(|d| d.join(UPDATES))
        && let Ok(entries) = std::fs::read_dir(dir)
    {
        use std::hash::{Hash, Hasher};
        let mut seen: Vec<(std::ffi::OsString, Option<SystemTime>, u64)> = entries
            .flatten()
            .filter_map(|e| e.metadata().ok().map(|m| (e.file_name(), m.modified().ok(), m.len())))
            .collect();
        seen.sort();
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        seen.hash(&mut hasher);
        updates = hasher.finish();
    }
    Some(FileStamp { modified: meta.modified().ok(), len: meta.len(), updates })
}

/// Loads everything under `<root>/content`, reusing `cache` where it can.
pub fn load(root: &Path, config: &Config, cache: &mut Cache) -> Loaded {
    let found = walk(root);
    let mut loaded = Loaded { diagnostics: found.diagnostics, ..Loaded::default() };
    // Everything `load_article` reads from the configuration.
    let settings = format!(
        "{}|{}|{}|{}|{:?}",
        config.timezone,
        config.urls.base_url(),
        config.unsafe_html,
        config.search.enabled,
        config.content.unknown_fields
    );
    if cache.settings != settings {
        *cache = Cache { enabled: cache.enabled, settings, entries: HashMap::new() };
    }
    let mut previous = std::mem::take(&mut cache.entries);
    let enabled = cache.enabled;
    // (file, its stamp when caching, what loading it gave, whether that came from the cache)
    let pages: std::collections::HashSet<&PathBuf> = found.pages.iter().collect();
    let results: Vec<(&PathBuf, Option<FileStamp>, ArticleResult, bool)> = found
        .articles
        .par_iter()
        .chain(found.pages.par_iter())
        .map(|path| {
            let stamp = if enabled { stamp(path) } else { None };
            match previous.get(path) {
                Some((seen, result)) if Some(*seen) == stamp => (path, stamp, result.clone(), true),
                _ => (path, stamp, read_file(root, path, config, pages.contains(path)), false),
            }
        })
        .collect();
    let mut kept: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
    for (path, stamp, (article, diagnostics, unknown), hit) in results {
        if hit {
            // The cached entry stays as it is; `article` is its copy.
            if let Some(entry) = previous.remove(path) {
                cache.entries.insert(path.clone(), entry);
            }
        } else if let Some(stamp) = stamp {
            cache.entries.insert(path.clone(), (stamp, (article.clone(), diagnostics.clone(), unknown.clone())));
        }
        for field in unknown {
            *kept.entry(field).or_default() += 1;
        }
        match pages.contains(path) {
            true => loaded.pages.extend(article),
            false => loaded.articles.extend(article),
        }
        loaded.diagnostics.extend(diagnostics);
    }
    loaded.diagnostics.extend(kept_summary(&kept));
    // A top-level folder is a section when it holds an article or an
    // `_index.md`; others (e.g. `content/images/`) only hold files to copy.
    let with_markdown: std::collections::HashSet<String> =
        found.articles.iter().chain(&found.section_files).filter_map(|f| section_folder(root, f)).collect();
    for folder in found.section_dirs.iter().filter(|f| with_markdown.contains(*f)) {
        let file = found.section_files.iter().find(|f| section_folder(root, f).as_deref() == Some(folder.as_str()));
        match load_section(root, folder, file, config) {
            Ok(meta) => loaded.sections.push(meta),
            Err(d) => loaded.diagnostics.push(d),
        }
    }
    loaded.pages.sort_by(|a, b| a.place.route.cmp(&b.place.route));
    loaded.assets = place_assets(root, &found.assets, loaded.articles.iter().chain(&loaded.pages), &loaded.sections);
    loaded
}

fn walk(root: &Path) -> Found {
    let content = root.join(broadsheet_base::layout::CONTENT);
    let mut found = Found::default();
    let walker = WalkDir::new(&content).follow_links(false).sort_by_file_name().into_iter();
    for entry in walker.filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name())) {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let path =
                    e.path().map_or_else(|| PathBuf::from(broadsheet_base::layout::CONTENT), |p| relative(root, p));
                found.diagnostics.push(Diagnostic::error(path, 1, 1, format!("cannot read: {e}")));
                continue;
            }
        };
        classify(root, &content, entry, &mut found);
    }
    // A top-level folder with no `_index.md` and no file written as a
    // story (dated, or with a byline, tags or a source) holds standalone
    // pages (`content/policies/ethics.md`), not a section.
    let sections_named: std::collections::HashSet<String> =
        found.section_files.iter().filter_map(|f| section_folder(root, f)).collect();
    let mut by_folder: BTreeMap<String, Vec<PathBuf>> = BTreeMap::new();
    for file in &found.articles {
        if let Some(folder) = section_folder(root, file) {
            by_folder.entry(folder).or_default().push(file.clone());
        }
    }
    for (folder, files) in by_folder {
        if !sections_named.contains(&folder) && !files.iter().any(|f| is_story(root, f)) {
            found.articles.retain(|f| !files.contains(f));
            found.pages.extend(files);
        }
    }
    // A top-level folder holding `index.md` and no other article is a
    // standalone page with its files (`content/about/index.md`).
    for index in std::mem::take(&mut found.page_bundles) {
        let folder = index.parent().map(Path::to_path_buf).unwrap_or_default();
        let shared = found.articles.iter().chain(&found.section_files).any(|f| f.starts_with(&folder));
        match shared {
            true => found.articles.push(index),
            false => found.pages.push(index),
        }
    }
    found
}

/// Whether a file is written as a story: dated (by its name or its front
/// matter), or with what only stories have (a byline, tags, a source, a
/// dateline, corrections). A file that cannot be read counts as one, so
/// its problems are told as a story's (a forgotten date is an error).
fn is_story(root: &Path, path: &Path) -> bool {
    if file_name_date(path).is_some() {
        return true;
    }
    let Ok(text) = broadsheet_base::confine::read_to_string(root, path) else { return true };
    let Ok(split) = frontmatter::split(&text) else { return true };
    let Ok(tree) = frontmatter::parse(&split) else { return true };
    let (raw, _) = fields::article(&tree, crate::config::UnknownFields::Extra);
    const STORY_ONLY: [&str; 7] = ["date", "authors", "tags", "source", "dateline", "corrections", "featured"];
    raw.path_date.is_some() || STORY_ONLY.iter().any(|f| raw.positions.contains_key(f))
}

/// Names a build never reads: hidden files and editors' swap and backup
/// files (`.story.md.swp`, `story.md~`).
pub fn is_hidden(name: &std::ffi::OsStr) -> bool {
    let name = name.to_string_lossy();
    name.starts_with('.') || name.ends_with('~')
}

fn classify(root: &Path, content: &Path, entry: walkdir::DirEntry, found: &mut Found) {
    let path = entry.path();
    let rel: Vec<String> = match path.strip_prefix(content) {
        Ok(r) => r.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect(),
        Err(_) => return,
    };
    if entry.file_type().is_symlink() {
        let message = "symbolic link not followed: content/ must hold the files themselves";
        found.diagnostics.push(Diagnostic::warning(relative(root, path), 1, 1, message));
        return;
    }
    if entry.file_type().is_dir() {
        if rel.len() == 1 {
            found.section_dirs.push(rel[0].clone());
        }
        return;
    }
    let at = || relative(root, path);
    let head = FileHead::read(root, path);
    let is_article = is_markdown(path) || (is_html(path) && head.front_matter);
    if !is_article {
        match head.refusal(path) {
            Some(message) => found.diagnostics.push(Diagnostic::error(at(), 1, 1, message)),
            None => found.assets.push(path.to_path_buf()),
        }
        return;
    }
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    match rel.len() {
        0 => {}
        1 if stem == "_index" || stem == "index" => {
            let message = "the front page is made by Broadsheet from the articles: move this file into a section \
                           (content/<section>/) or give it another name to make it a standalone page";
            found.diagnostics.push(Diagnostic::error(at(), 1, 1, message));
        }
        1 => found.pages.push(path.to_path_buf()),
        2 if stem == "_index" => found.section_files.push(path.to_path_buf()),
        2 if stem == "index" => found.page_bundles.push(path.to_path_buf()),
        // A nested `_index.md` is part of its section, like its folder: it
        // makes no page of its own (documented in the README).
        _ if stem == "_index" => {}
        // A live blog's update: read with its blog.
        _ if is_live_update(path) => {}
        _ if stem != "index" && path.parent().and_then(bundle_index).is_some() => {
            let message = "a page bundle holds one article, its index file: move this file out of the bundle's folder";
            found.diagnostics.push(Diagnostic::error(at(), 1, 1, message));
        }
        _ => found.articles.push(path.to_path_buf()),
    }
}

/// A rendered body as pages show it: sanitized unless `unsafe_html`, then
/// its embeds put in their slots.
fn published_html(html: String, embeds: &[String], config: &Config) -> String {
    let html = if config.unsafe_html { html } else { markdown::sanitize(&html) };
    markdown::fill_embeds(html, embeds)
}

/// Whether a build reads `path` as a Markdown article (`.md`, `.markdown`, ...).
pub fn is_markdown(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| MARKDOWN_EXTENSIONS.contains(&e))
}

fn is_html(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| e == "html" || e == "htm")
}

/// Whether an article file is the index of a page bundle (`x/index.md`).
pub fn is_bundle(path: &Path) -> bool {
    path.file_stem().is_some_and(|s| s == "index")
}

/// The index file of the page bundle `dir` is, if it is one.
fn bundle_index(dir: &Path) -> Option<PathBuf> {
    MARKDOWN_EXTENSIONS.iter().chain(&["html"]).map(|e| dir.join(format!("index.{e}"))).find(|p| p.is_file())
}

/// What the start of a file under `content/` says about it.
struct FileHead {
    front_matter: bool,
    wordpress: bool,
}

impl FileHead {
    fn read(root: &Path, path: &Path) -> FileHead {
        let head = broadsheet_base::confine::read_head(root, path, 4096).unwrap_or_default();
        let text = String::from_utf8_lossy(&head);
        let text = text.trim_start_matches('\u{feff}');
        let first = text.lines().next().unwrap_or("").trim_end();
        FileHead {
            front_matter: first == "---" || first == "+++",
            wordpress: text.contains("xmlns:wp=") || text.contains("<wp:wxr_version>"),
        }
    }

    /// Why a file that is not an article must not be copied to the
    /// output as it is: a build never publishes a source file.
    fn refusal(&self, path: &Path) -> Option<String> {
        let ext = path.extension().map_or_else(String::new, |e| format!(".{}", e.to_string_lossy()));
        if self.wordpress {
            return Some(
                "this is a WordPress export (WXR): copied as it is, it would publish every post in it, drafts, \
                 post passwords and authors' e-mail addresses. Move it out of content/ (to turn it into articles, \
                 convert it, e.g. with `broadsheet import` where available)"
                    .into(),
            );
        }
        self.front_matter.then(|| {
            let kind =
                if ext.is_empty() { "a file without an extension".to_string() } else { format!("a `{ext}` file") };
            format!(
                "this looks like an article (it starts with front matter), but {kind} is not read as one and a build \
                 never publishes a source file: rename it to `.md`, or move it out of content/"
            )
        })
    }
}

fn section_folder(root: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(root.join(broadsheet_base::layout::CONTENT)).ok()?;
    rel.components().next().map(|c| c.as_os_str().to_string_lossy().into_owned())
}

/// Reads a file as UTF-8 (without a leading BOM), or says where it is not.
fn read_text(root: &Path, path: &Path) -> Result<String, Diagnostic> {
    let rel = relative(root, path);
    let bytes = broadsheet_base::confine::read(root, path)
        .map_err(|e| Diagnostic::error(&rel, 1, 1, format!("cannot read: {e}")))?;
    let mut text = String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let prefix = String::from_utf8_lossy(&e.as_bytes()[..valid]).into_owned();
        let (line, column) = line_col(&prefix, prefix.len());
        Diagnostic::error(
            &rel,
            line,
            column,
            "file is not valid UTF-8: expected UTF-8 text (re-save the file as UTF-8)",
        )
    })?;
    if text.starts_with('\u{feff}') {
        text.drain(..3);
    }
    Ok(text)
}

fn problem(rel: &Path, p: Problem) -> Diagnostic {
    Diagnostic::error(rel, p.line, p.column, p.message)
}

fn load_section(root: &Path, folder: &str, file: Option<&PathBuf>, config: &Config) -> Result<SectionMeta, Diagnostic> {
    let slug = slugify(folder);
    let at = file.map_or_else(|| PathBuf::from(broadsheet_base::layout::CONTENT).join(folder), |f| relative(root, f));
    if slug.is_empty() {
        return Err(Diagnostic::error(
            at,
            1,
            1,
            format!("section folder `{folder}` has no letters or digits to make a URL from"),
        ));
    }
    let raw = match file {
        Some(path) => {
            let text = read_text(root, path)?;
            let split = frontmatter::split(&text).map_err(|p| problem(&at, p))?;
            let tree = frontmatter::parse(&split).map_err(|p| problem(&at, p))?;
            let (raw, problems) = fields::section(&tree, config.content.unknown_fields);
            // The first problem: a section file has few fields.
            if let Some(p) = problems.into_iter().next() {
                return Err(problem(&at, p));
            }
            raw
        }
        None => frontmatter::RawSection::default(),
    };
    Ok(SectionMeta {
        title: raw.title.unwrap_or_else(|| title_case(folder)),
        slug,
        folder: folder.to_string(),
        description: raw.description,
        order: raw.order,
        file: file.map(|f| relative(root, f)),
        extra: raw.extra,
    })
}

/// `world-news` as a writer would name it: `World News`.
pub fn title_case(folder: &str) -> String {
    folder
        .split(['-', '_', ' '])
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            chars.next().map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
        })
        .collect::<Vec<_>>()
        .join(" ")
}

pub(crate) fn load_article(root: &Path, path: &Path, config: &Config) -> (Option<Article>, Vec<Diagnostic>) {
    let (article, diagnostics, _) = read_file(root, path, config, false);
    (article, diagnostics)
}

/// Loads one article file (or, with `page`, a standalone page), noting
/// the unknown fields it kept in `extra`.
fn read_file(root: &Path, path: &Path, config: &Config, page: bool) -> ArticleResult {
    let rel = relative(root, path);
    let text = match read_text(root, path) {
        Ok(text) => text,
        Err(d) => return (None, vec![d], Vec::new()),
    };
    let split = match frontmatter::split(&text) {
        Ok(split) => split,
        Err(p) => return (None, vec![problem(&rel, p)], Vec::new()),
    };
    let tree = match frontmatter::parse(&split) {
        Ok(tree) => tree,
        Err(p) => return (None, vec![problem(&rel, p)], Vec::new()),
    };
    let (mut raw, problems) = fields::article(&tree, config.content.unknown_fields);
    let kept = std::mem::take(&mut raw.kept_unknown);
    let mut checker = Checker {
        rel: &rel,
        split: &split,
        positions: std::mem::take(&mut raw.positions),
        tz: config.timezone,
        diagnostics: problems.into_iter().map(|p| problem(&rel, p)).collect(),
    };
    let article = checker.article(root, path, raw, config, page);
    (article, checker.diagnostics, kept)
}

/// One warning for every field kept under `extra` across the site, with
/// how many files use each.
fn kept_summary(kept: &std::collections::BTreeMap<String, usize>) -> Option<Diagnostic> {
    if kept.is_empty() {
        return None;
    }
    let mut by_count: Vec<(&String, &usize)> = kept.iter().collect();
    by_count.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let list: Vec<String> =
        by_count.iter().map(|(f, n)| format!("`{f}` ({})", broadsheet_base::diagnostic::plural(**n, "file"))).collect();
    let message = format!(
        "{} that Broadsheet does not know kept under `extra` (unknown_fields = \"extra\"): {}",
        broadsheet_base::diagnostic::plural(kept.len(), "front matter field"),
        list.join(", ")
    );
    Some(Diagnostic::warning(broadsheet_base::layout::CONFIG, 1, 1, message))
}

/// The body's pictures that are photos of the site's own: a bundle's
/// files (relative addresses, which the page's URL and the bundle share)
/// and root-relative ones. Others (other sites', a plain file's relative
/// ones) are shown as written.
fn body_images(written: &[String], folder: &Folder, bundle: bool, urls: &broadsheet_base::url::Urls) -> Vec<BodyImage> {
    written
        .iter()
        .filter(|src| !src.contains(':') && !src.starts_with("//") && (bundle || src.starts_with('/')))
        .filter_map(|src| {
            let (route, candidates) = folder.resolve(src.split(['?', '#']).next()?).ok()?;
            let file = candidates
                .into_iter()
                .find(|p| broadsheet_base::confine::is_file(folder.root, p) && crate::photos::is_strippable(p))?;
            Some(BodyImage { src: urls.resolve_link(src).into_owned(), route, file })
        })
        .collect()
}

/// A standalone page's URL: its folders under `content/` and its slug
/// (`content/policies/ethics.md` is `/policies/ethics/`).
fn page_route(rel: &Path, path: &Path, slug: &str) -> Route {
    let parents = rel.components().count().saturating_sub(if is_bundle(path) { 3 } else { 2 });
    let mut parts: Vec<String> =
        rel.components().skip(1).take(parents).map(|c| slugify(&c.as_os_str().to_string_lossy())).collect();
    parts.retain(|p| !p.is_empty());
    parts.push(slug.to_string());
    Route::section(&parts.join("/"))
}

/// Where an article's file sits, to resolve the files it names.
struct Folder<'a> {
    root: &'a Path,
    /// The folder relative names are read from (the bundle, or the section folder).
    dir: PathBuf,
    /// The route that folder is copied to.
    dir_route: Route,
}

impl Folder<'_> {
    /// The route a file name resolves to, and where the file may be on disk.
    fn resolve(&self, src: &str) -> Result<(Route, Vec<PathBuf>), &'static str> {
        match src.strip_prefix('/') {
            Some(rooted) => {
                let route = Route::from_site_path(rooted)?;
                let candidates =
                    [self.root.join(broadsheet_base::layout::STATIC), self.root.join(broadsheet_base::layout::CONTENT)];
                Ok((route.clone(), candidates.into_iter().map(|dir| dir.join(&route)).collect()))
            }
            None => {
                let route = self.dir_route.join(Path::new(src)).ok_or("expected a file inside the site")?;
                Ok((route, vec![self.dir.join(src)]))
            }
        }
    }
}

/// Validates raw front matter into an article, collecting every problem.
struct Checker<'a> {
    rel: &'a Path,
    split: &'a Split<'a>,
    /// Where each field's value was written.
    positions: HashMap<&'static str, tree::Pos>,
    tz: Tz,
    diagnostics: Vec<Diagnostic>,
}

impl Checker<'_> {
    /// Line and column of a field's value in the file, or the opening line.
    fn at(&self, key: &str) -> (usize, usize) {
        self.positions.get(key).map_or((1, 1), |p| (p.line, p.column))
    }

    fn error(&mut self, key: &str, message: impl Into<String>) {
        let (line, column) = self.at(key);
        self.diagnostics.push(Diagnostic::error(self.rel, line, column, message));
    }

    fn warn(&mut self, key: &str, message: impl Into<String>) {
        let (line, column) = self.at(key);
        self.diagnostics.push(Diagnostic::warning(self.rel, line, column, message));
    }

    fn date(&mut self, key: &str, input: &date::DateInput) -> Option<DateTime<Tz>> {
        date::parse(&input.0, self.tz).map_err(|m| self.error(key, format!("{key}: {m}"))).ok()
    }

    fn required(&mut self, key: &str, value: Option<String>, example: &str) -> Option<String> {
        match value {
            Some(v) if !v.trim().is_empty() => Some(v),
            Some(_) => {
                self.error(key, format!("`{key}` is empty: expected {example}"));
                None
            }
            None => {
                self.error(key, format!("missing `{key}`: expected {example} in the front matter"));
                None
            }
        }
    }

    fn article(
        &mut self,
        root: &Path,
        path: &Path,
        mut raw: RawArticle,
        config: &Config,
        page: bool,
    ) -> Option<Article> {
        let example = match self.split.format {
            frontmatter::Format::Toml => "a headline such as `title = \"...\"`",
            frontmatter::Format::Yaml => "a headline such as `title: ...`",
        };
        let title = if raw.title.is_none() && self.positions.contains_key("title") {
            None // refused already: say it once
        } else {
            self.required("title", raw.title, example)
        };
        let named = file_name_date(path);
        let implied = named.as_ref().map(|(d, _)| d.clone()).or(raw.path_date.clone());
        let date = match (&raw.date, implied) {
            (Some(d), _) => self.date("date", d),
            (None, _) if self.positions.contains_key("date") => None,
            (None, Some(from_name)) => self.date("date", &date::DateInput(from_name)),
            // A standalone page needs no date: it is in no listing.
            (None, None) if page => None,
            (None, None) => {
                self.error(
                    "date",
                    format!(
                        "missing `date`: {} (or a file name starting with one, such as 2026-10-14-slug.md)",
                        date::EXPECTED
                    ),
                );
                None
            }
        };
        let updated = raw.updated.as_ref().and_then(|d| self.date("updated", d));
        let expires = raw.expires.as_ref().and_then(|d| self.date("expires", d));
        let corrections = self.corrections(raw.corrections);
        let stem = named.map(|(_, rest)| rest).filter(|rest| !rest.is_empty());
        let (section, slug) = match page {
            true => (String::new(), self.page_slug(path, raw.slug.as_deref())?),
            false => self.names(path, raw.slug.as_deref(), stem.as_deref())?,
        };
        // Where the article goes, by the site's permalink pattern (without
        // a date there is no article, and that error is already said).
        let route = match &date {
            _ if page => page_route(self.rel, path, &slug),
            Some(date) => config.permalink.route(&section, &slug, date),
            None => Route::article(&section, &slug),
        };
        let aliases = self.aliases(&raw.aliases, &route);
        self.cap("tags", &mut raw.tags, MAX_TAGS, "tags");
        self.cap("authors", &mut raw.authors, MAX_AUTHORS, "authors");
        self.check_names("tags", &raw.tags, "tag");
        self.check_names("authors", &raw.authors, "author");
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let dir_route = if is_bundle(path) || page {
            route.clone()
        } else {
            // A folder inside the section (`blog/2023/`) keeps its place for the files it holds.
            let inner: PathBuf = self.rel.components().skip(2).collect();
            let inner = inner.parent().map(Path::to_path_buf).unwrap_or_default();
            match inner.as_os_str().is_empty() {
                true => Route::section(&section),
                false => Route::section(&section).join(&inner).unwrap_or_else(|| Route::section(&section)),
            }
        };
        let folder = Folder { root, dir, dir_route };
        let image = raw.image.map(|i| self.image(i, &folder));
        let rendered = if is_html(path) {
            markdown::render_html(self.split.body, raw.dateline.as_deref())
        } else {
            markdown::render(self.split.body, &config.urls, raw.dateline.as_deref())
        };
        // A written summary is Markdown: HTML for the dek, plain text for
        // descriptions and feeds.
        let body_line = self.split.front_line + self.split.front.matches('\n').count() + 1;
        for (offset, message) in &rendered.embed_problems {
            let line = body_line + self.split.body[..*offset].matches('\n').count();
            self.diagnostics.push(Diagnostic::warning(self.rel, line, 1, format!("embed: {message}")));
        }
        let body_images = body_images(&rendered.images, &folder, is_bundle(path), &config.urls);
        let depth = folder.dir.strip_prefix(root).map_or(0, |d| d.components().count());
        for src in rendered.images.iter().filter(|src| broadsheet_base::safe_url::climbs_out(src, depth)) {
            let line = body_line
                + self.split.body.find(src.as_str()).map_or(0, |at| self.split.body[..at].matches('\n').count());
            let message = format!("picture `{src}` points outside the site's folder: readers will see a broken image");
            self.diagnostics.push(Diagnostic::warning(self.rel, line, 1, message));
        }
        let written = raw.summary.filter(|s| !s.trim().is_empty()).map(|s| {
            let (html, text, refused) = markdown::inline(&s, &config.urls);
            for (address, why) in refused {
                self.warn("summary", format!("summary: the link to `{address}` is left out (its text is kept): {why}"));
            }
            (html, text)
        });
        let summary_is_lead = written.as_ref().is_none_or(|(_, text)| text.trim() == rendered.first_paragraph);
        let (summary_html, summary) = written.unwrap_or_else(|| {
            (broadsheet_base::html::escape(&rendered.first_paragraph), rendered.first_paragraph.clone())
        });
        let route_line = if raw.slug.is_some() { self.at("slug").0 } else { 1 };
        let mut live_embeds = 0;
        let live = match raw.live {
            true if !is_bundle(path) => {
                self.error(
                    "live",
                    "a live blog is a bundle: move this file to <slug>/index.md and put each update in <slug>/updates/",
                );
                None
            }
            true => {
                let ended = raw.coverage_end.as_ref().and_then(|d| self.date("coverage_end", d));
                let (updates, embeds) = self.live_updates(root, path, config);
                live_embeds = embeds;
                Some(LiveBlog { ended, updates })
            }
            false => None,
        };
        let dated = date.is_some();
        // An undated page: its `updated` time, or the start of time (shown nowhere).
        let date = match date {
            None if page && !self.diagnostics.iter().any(Diagnostic::is_error) => {
                Some(updated.unwrap_or_else(|| DateTime::UNIX_EPOCH.with_timezone(&self.tz)))
            }
            date => date,
        };
        let place = Placement {
            file: self.rel.to_path_buf(),
            route,
            section,
            slug,
            route_line,
            date: date?,
            dated,
            expires,
            draft: raw.draft,
            featured: raw.featured,
            series: raw.series.as_deref().map(slugify).filter(|s| !s.is_empty()),
            series_order: raw.series_order,
            authors: raw.authors,
            tags: raw.tags,
            aliases,
        };
        Some(Article {
            place,
            title: title?.trim().to_string(),
            updated,
            summary,
            summary_html,
            summary_is_lead,
            image,
            source: raw.source.map(|s| Source { name: s.name, url: s.url }),
            corrections,
            dateline: raw.dateline,
            searchable: raw.search.unwrap_or(!page),
            body_images,
            extra: raw.extra,
            embeds: rendered.embeds.len() + live_embeds,
            html: published_html(rendered.html, &rendered.embeds, config),
            word_count: rendered.word_count,
            live,
        })
        .filter(|_| !self.diagnostics.iter().any(Diagnostic::is_error))
    }

    /// The updates of the live blog whose `index.md` is `path`, newest
    /// first, and how many embeds they have; each update's problems are
    /// told at its own file and line.
    fn live_updates(&mut self, root: &Path, path: &Path, config: &Config) -> (Vec<LiveUpdate>, usize) {
        let dir = path.parent().map(|d| d.join(UPDATES)).unwrap_or_default();
        let Ok(entries) = std::fs::read_dir(&dir) else { return (Vec::new(), 0) };
        let mut files: Vec<PathBuf> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| is_markdown(p) && !p.file_name().is_some_and(is_hidden))
            .collect();
        files.sort();
        let mut updates = Vec::new();
        let mut embeds = 0;
        for file in files {
            let rel = relative(root, &file);
            let text = match read_text(root, &file) {
                Ok(text) => text,
                Err(d) => {
                    self.diagnostics.push(d);
                    continue;
                }
            };
            let parsed = frontmatter::split(&text).and_then(|split| Ok((frontmatter::parse(&split)?, split)));
            let (tree, split) = match parsed {
                Ok(parsed) => parsed,
                Err(p) => {
                    self.diagnostics.push(problem(&rel, p));
                    continue;
                }
            };
            let (raw, problems) = fields::update(&tree);
            let failed = !problems.is_empty();
            self.diagnostics.extend(problems.into_iter().map(|p| problem(&rel, p)));
            let time = match &raw.time {
                Some(t) => date::parse(&t.0, self.tz).map_err(|m| {
                    let pos = raw.time_pos.map_or((1, 1), |p| (p.line, p.column));
                    self.diagnostics.push(Diagnostic::error(&rel, pos.0, pos.1, format!("time: {m}")));
                }),
                None => {
                    let message = format!("missing `time`: when the update was posted, {}", date::EXPECTED);
                    self.diagnostics.push(Diagnostic::error(&rel, 1, 1, message));
                    Err(())
                }
            };
            let (Ok(time), false) = (time, failed) else { continue };
            let rendered = markdown::render(split.body, &config.urls, None);
            embeds += rendered.embeds.len();
            let html = published_html(rendered.html, &rendered.embeds, config);
            let stem = file.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
            updates.push(LiveUpdate {
                id: slugify(&stem),
                time,
                title: raw.title.filter(|t| !t.trim().is_empty()),
                authors: raw.authors,
                pinned: raw.pinned,
                key: raw.key,
                html,
                text: rendered.text,
            });
        }
        updates.sort_by(|a, b| b.time.cmp(&a.time).then_with(|| b.id.cmp(&a.id)));
        (updates, embeds)
    }

    fn corrections(&mut self, raw: Vec<frontmatter::RawCorrection>) -> Vec<Correction> {
        raw.into_iter()
            .filter_map(|c| {
                let date = date::parse(&c.date.0, self.tz).map_err(|m| {
                    let d = Diagnostic::error(self.rel, c.pos.line, c.pos.column, format!("corrections: {m}"));
                    self.diagnostics.push(d);
                });
                Some(Correction { date: date.ok()?, text: c.text })
            })
            .collect()
    }

    /// Section and slug from the path (or the `slug` field). The section
    /// is the first folder under `content/`, however deep the file is; a
    /// date at the start of the file name (`dated`) is not part of the slug.
    fn names(&mut self, path: &Path, slug_field: Option<&str>, dated: Option<&str>) -> Option<(String, String)> {
        let stem_source = if is_bundle(path) { path.parent()? } else { path };
        // A bundle's folder name is its slug whole (`Rust-1.12/index.md` is `rust-1-12`).
        let name = if is_bundle(path) { stem_source.file_name() } else { stem_source.file_stem() };
        let stem = dated.map_or_else(|| name.map(|s| s.to_string_lossy().into_owned()), |d| Some(d.to_string()))?;
        let section_dir = self.rel.components().nth(1)?.as_os_str().to_string_lossy().into_owned();
        let section = slugify(&section_dir);
        let slug = slugify(slug_field.unwrap_or(&stem));
        if section.is_empty() {
            self.error("title", format!("section folder `{section_dir}` has no letters or digits to make a URL from"));
        }
        if slug.is_empty() {
            let key = if slug_field.is_some() { "slug" } else { "title" };
            self.error(key, "slug is empty: expected letters or digits to make the article's URL from");
        }
        if let Some(given) = slug_field
            && given != slug
            && !slug.is_empty()
        {
            self.warn(
                "slug",
                format!(
                    "slug `{given}` was made URL-safe: the article is at {}",
                    Route::article(&section, &slug).shown()
                ),
            );
        }
        if slug == "page" {
            self.error("slug", "slug `page` is reserved for pagination: choose another");
        }
        (!section.is_empty() && !slug.is_empty()).then_some((section, slug))
    }

    /// A standalone page's slug: its `slug`, or its file's (or bundle's) name.
    fn page_slug(&mut self, path: &Path, slug_field: Option<&str>) -> Option<String> {
        let name = if is_bundle(path) { path.parent()?.file_name()? } else { path.file_stem()? };
        let slug = slugify(slug_field.unwrap_or(&name.to_string_lossy()));
        if slug.is_empty() {
            let key = if slug_field.is_some() { "slug" } else { "title" };
            self.error(key, "slug is empty: expected letters or digits to make the page's URL from");
            return None;
        }
        Some(slug)
    }

    /// Keeps the first `max` distinct names of a list (each one makes a
    /// page and a feed: an article with thousands would make the site grow
    /// with their square); says what was left out.
    fn cap(&mut self, key: &str, names: &mut Vec<String>, max: usize, what: &str) {
        let mut seen = HashSet::new();
        names.retain(|n| {
            let slug = slugify(n);
            slug.is_empty() || seen.insert(slug)
        });
        if names.len() > max {
            let dropped = names.len() - max;
            names.truncate(max);
            self.warn(key, format!("{} {what}: only the first {max} are used, {dropped} left out", max + dropped));
        }
    }

    fn check_names(&mut self, key: &str, names: &[String], what: &str) {
        for name in names.iter().filter(|n| slugify(n).is_empty()) {
            self.error(key, format!("{what} `{name}` has no letters or digits to make a URL from"));
        }
    }

    /// Old URLs; one that is the article's own URL (a `permalink` that
    /// stays the same) needs no redirect.
    fn aliases(&mut self, raw: &[String], own: &Route) -> Vec<Alias> {
        let line = self.at("aliases").0;
        let mut out = Vec::new();
        let mut seen = HashSet::from([own.clone()]);
        for alias in raw {
            match Route::alias(alias) {
                Ok(route) if !seen.insert(route.clone()) => {}
                Ok(route) => out.push(Alias { route, line }),
                Err(why) => self.error("aliases", format!("alias `{alias}` rejected: {why}")),
            }
        }
        out
    }

    /// The hero image, with its source resolved like the page's own links
    /// and its size read from the file.
    fn image(&mut self, raw: frontmatter::RawImage, folder: &Folder) -> Image {
        let alt = raw.alt.unwrap_or_default();
        if alt.trim().is_empty() {
            self.warn("image", "hero image has no `alt` text: describe the picture for readers who cannot see it");
        }
        let has_scheme = url::Url::parse(raw.src.trim()).is_ok();
        let (src, size) = if has_scheme || raw.src.contains("://") || raw.src.starts_with("//") {
            if let Err(why) = broadsheet_base::safe_url::check(raw.src.trim()) {
                self.error("image", format!("hero image `{}` is refused: {why}", raw.src));
            }
            (ImageSource::External(raw.src), None)
        } else {
            let (route, candidates) = match folder.resolve(&raw.src) {
                Ok(resolved) => resolved,
                Err(why) => {
                    self.error("image", format!("hero image `{}` rejected: {why}", raw.src));
                    return Image {
                        src: ImageSource::External(raw.src),
                        alt,
                        caption: None,
                        credit: None,
                        size: None,
                        bytes: None,
                        file: None,
                        line: self.at("image").0,
                        focus: None,
                    };
                }
            };
            let opened = candidates.iter().find_map(|p| match broadsheet_base::confine::open(folder.root, p) {
                Ok(f) if f.metadata().is_ok_and(|m| m.is_file()) => Some(Ok((p, f))),
                Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => Some(Err(e)),
                _ => None,
            });
            let found = match opened {
                Some(Ok((file, opened))) => Some((
                    imagesize::reader_size(std::io::BufReader::new(&opened)).ok().map(|s| (s.width, s.height)),
                    opened.metadata().ok().map(|m| m.len()),
                    Some(file.clone()),
                )),
                Some(Err(e)) => {
                    self.error("image", format!("hero image `{}` not published: {e}", raw.src));
                    None
                }
                None => {
                    let wanted = candidates.first().map(|p| relative(folder.root, p).display().to_string());
                    let where_ = wanted.map(|w| format!(": expected a file at {w}")).unwrap_or_default();
                    self.error("image", format!("hero image `{}` not found{where_}", raw.src));
                    None
                }
            };
            (ImageSource::Route(route), found)
        };
        let (size, bytes, file) = size.unwrap_or((None, None, None));
        let line = self.at("image").0;
        Image { src, alt, caption: raw.caption, credit: raw.credit, size, bytes, file, line, focus: raw.focus }
    }
}

/// The date and the rest of the name when an article's file (or bundle
/// folder) name starts with a date: `2015-01-12-introducing-kavya.md`.
fn file_name_date(path: &Path) -> Option<(String, String)> {
    let stem = if is_bundle(path) { path.parent()?.file_name()? } else { path.file_stem()? };
    let stem = stem.to_string_lossy();
    date::from_file_name(&stem).map(|(d, rest)| (d, rest.to_string()))
}

/// Decides where each non-article file under `content/` is copied: beside
/// its article for page bundles (however deep the bundle's folder is), at
/// the same place under its section otherwise.
fn place_assets<'a>(
    root: &Path,
    assets: &[PathBuf],
    articles: impl Iterator<Item = &'a Article>,
    sections: &[SectionMeta],
) -> Vec<Asset> {
    let content = root.join(broadsheet_base::layout::CONTENT);
    let bundles: HashMap<PathBuf, &Route> = articles
        .filter(|a| is_bundle(&a.place.file))
        .filter_map(|a| Some((root.join(a.place.file.parent()?), &a.place.route)))
        .collect();
    assets
        .iter()
        .filter_map(|from| {
            let bundle = from.ancestors().skip(1).take_while(|d| d.starts_with(&content)).find_map(|d| {
                let route = bundles.get(d)?;
                Some(Path::new(route.as_str()).join(from.strip_prefix(d).ok()?))
            });
            let to = match bundle {
                Some(to) => to,
                None => {
                    let rel = from.strip_prefix(&content).ok()?;
                    let mut parts = rel.components();
                    let first = parts.next()?.as_os_str().to_string_lossy().into_owned();
                    let section = sections.iter().find(|s| s.folder == first).map_or(first, |s| s.slug.clone());
                    PathBuf::from(section).join(parts.collect::<PathBuf>())
                }
            };
            Some(Asset { from: from.clone(), to })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_case_of_folder() {
        assert_eq!(title_case("world-news"), "World News");
    }
}
