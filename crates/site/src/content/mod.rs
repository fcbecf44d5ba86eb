//! The content model: what loading `content/` gives, an [`Article`] (with
//! its [`Placement`], the part that decides which pages show it) or a
//! [`SectionMeta`] per file, its Markdown already rendered, and the names a
//! build reads (Markdown extensions, bundles, live blogs' updates). The
//! loader is `load` (walking, reading in parallel, the [`Cache`]); one
//! article's front matter is checked in `check`. Every problem becomes a
//! [`Diagnostic`]; loading never stops at the first one and never panics.
//! This module reads the site tree and nothing else: it decides nothing
//! about which articles are published or how they are ordered (that is
//! `site`).

mod check;
pub mod fields;
pub mod frontmatter;
mod load;
pub mod markdown;
pub mod tree;

use std::path::{Path, PathBuf};

use chrono::DateTime;
use chrono_tz::Tz;

use broadsheet_base::diagnostic::Diagnostic;
use broadsheet_base::route::Route;
pub(crate) use load::load_article;
pub use load::{Cache, load};

/// Extensions of Markdown articles: Broadsheet's own, Jekyll's default and
/// other editors' spellings.
pub const MARKDOWN_EXTENSIONS: &[&str] = &["md", "markdown", "mdown", "mkd"];

/// One article, as written, with its body rendered.
#[derive(Debug, Clone)]
pub struct Article {
    /// Where it sits in the site: a save that leaves this alone changes
    /// only the pages that show the article (see `live`).
    pub place: Placement,
    /// The headline, from `title` (a number such as `1984` is taken as text),
    /// trimmed. Required: a file without one is an error.
    pub title: String,
    /// When the story last changed in a way worth telling readers (`updated`,
    /// or `lastmod`, `last_modified_at`, `modified`), in the site's timezone;
    /// `None` when not written.
    pub updated: Option<DateTime<Tz>>,
    /// The dek as plain text (meta descriptions, feeds, search).
    pub summary: String,
    /// The dek as inline HTML (it is written in Markdown).
    pub summary_html: String,
    /// The summary is the body's first paragraph (none was written, or the
    /// one written repeats it): the article page does not print it twice.
    pub summary_is_lead: bool,
    /// The hero picture (`image`, or `featured_image`, `cover`, `thumbnail`);
    /// `None` when there is none or its `src` was left empty.
    pub image: Option<Image>,
    /// Where syndicated copy first appeared (`source`); `None` for the site's
    /// own stories.
    pub source: Option<Source>,
    /// Its corrections (`corrections`), in the order written; the latest is the
    /// story's last change.
    pub corrections: Vec<Correction>,
    /// Where the story was filed from (`dateline`, e.g. `PARIS`), as written;
    /// the body's first paragraph already opens with it. `None` when not
    /// written.
    pub dateline: Option<String>,
    /// Whether the search index holds it (`search` in front matter: on for
    /// articles, off for standalone pages unless asked).
    pub searchable: bool,
    /// The site's own photos the body shows, for their resized copies.
    pub body_images: Vec<BodyImage>,
    /// The writer's own fields, for templates: the `extra` table and, with
    /// `[content] unknown_fields = "extra"`, every field Broadsheet does not
    /// know.
    pub extra: serde_json::Map<String, serde_json::Value>,
    /// The body as pages show it: the Markdown rendered (an `.html` article's
    /// body as written), sanitized when `unsafe_html = false`, its embeds
    /// filled in.
    pub html: String,
    /// Words in the body (code included), for the reading time and JSON-LD
    /// `wordCount`.
    pub word_count: usize,
    /// How many embeds the body and a live blog's updates have (their
    /// pages load `embeds.js`).
    pub embeds: usize,
    /// A live blog's coverage: its updates, newest first.
    pub live: Option<LiveBlog>,
    /// What links it to its translations: its `translation_key`, else its
    /// file's place under `content/` without the language
    /// (`news/harbour-vote.md` for `news/harbour-vote.fr.md` too).
    pub translation: String,
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

/// One update of a live blog: a Markdown file of the bundle's `updates/`
/// folder, with `time` (required), `title`, `authors`, `pinned` and `key` in
/// its front matter.
#[derive(Debug, Clone, PartialEq)]
pub struct LiveUpdate {
    /// From the file name: the anchor is `#update-<id>`.
    pub id: String,
    /// When it was posted (`time`), in the site's timezone.
    pub time: DateTime<Tz>,
    /// Its headline (`title`); `None` when not written or blank.
    pub title: Option<String>,
    /// Its byline (`authors` or `author`) as written: `[authors]` keys or plain
    /// names.
    pub authors: Vec<String>,
    /// `pinned = true`: shown first, apart from the other updates, as the
    /// blog's summary.
    pub pinned: bool,
    /// `key = true`: listed under "Key events".
    pub key: bool,
    /// Its body as HTML, made as an article's is (sanitized when
    /// `unsafe_html = false`, embeds filled in).
    pub html: String,
    /// Plain text, for feeds' summaries and JSON-LD.
    pub text: String,
}

/// The folder of a live blog's updates, beside its `index.md`.
pub const UPDATES: &str = "updates";

/// The most tags and authors one story uses: each makes a page and a feed
/// that lists the story, so there are bounds (a warning says what was left).
pub const MAX_TAGS: usize = 100;
/// The most authors one story names (see [`MAX_TAGS`]).
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
    /// The section's slug: the first folder under `content/` (however deep the
    /// file is), made URL-safe; empty for a standalone page.
    pub section: String,
    /// The last segment of its URL: `slug`, else the file's (or bundle
    /// folder's) name without the date it may start with, made URL-safe.
    pub slug: String,
    /// Site-relative URL path, e.g. `world/some-story/`.
    pub route: Route,
    /// Line of the field that decided the URL (`slug`), or 1.
    pub route_line: usize,
    /// Publication time (`date`, else the date the file name or a Zola `path`
    /// starts with), in the site's timezone. An undated page has its `updated`
    /// time, else the Unix epoch.
    pub date: DateTime<Tz>,
    /// Whether `date` was written (or implied by the file name): a
    /// standalone page may have none, and then shows and claims none.
    pub dated: bool,
    /// After this time the article is left out of builds.
    pub expires: Option<DateTime<Tz>>,
    /// `draft = true` (or `published = false`): left out unless `--drafts`.
    pub draft: bool,
    /// `featured = true`: the newest featured story leads the front page.
    pub featured: bool,
    /// The series it is a part of (a slug), and its part number, if given.
    pub series: Option<String>,
    /// `series_order`, 1 or more; `None` when not given (such parts come after
    /// the numbered ones, oldest first).
    pub series_order: Option<i64>,
    /// Its byline (`authors` or `author`): `[authors]` keys or plain names as
    /// written, repeats (by slug) removed, at most [`MAX_AUTHORS`].
    pub authors: Vec<String>,
    /// Its topics (`tags`, with every `categories` and `category` added) as
    /// written, repeats (by slug) removed, at most [`MAX_TAGS`].
    pub tags: Vec<String>,
    /// Old URLs that redirect to it (`aliases`, `redirect_from`, and other
    /// generators' `permalink`, `url` or `path`); its own URL and repeats left
    /// out.
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

/// A story's hero picture (`image`): its source resolved and, for a file of the
/// site's, the file found and its size read.
#[derive(Debug, Clone)]
pub struct Image {
    /// Where the picture is: another site's address, or a route on this site (a
    /// name relative to the article, or from the site's root).
    pub src: ImageSource,
    /// `alt`: what the picture shows, for readers who cannot see it; empty when
    /// not written (a warning).
    pub alt: String,
    /// `caption`, plain text; `None` when not written.
    pub caption: Option<String>,
    /// `credit` (`Photo: Staff`), plain text; `None` when not written.
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
    /// The picture's route on the site: what its resized copies are found by in
    /// `Site::photos`.
    pub route: Route,
    /// The file on disk it is read from.
    pub file: PathBuf,
}

/// Where a hero picture is: on another site, or among this site's files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImageSource {
    /// An absolute URL on another host.
    External(String),
    /// A site-relative route, e.g. `world/story/photo.jpg`.
    Route(Route),
}

/// Where syndicated copy first appeared (`source = { name, url }`).
#[derive(Debug, Clone)]
pub struct Source {
    /// The original publisher's name (`source.name`, required).
    pub name: String,
    /// The original's address (`source.url`); `None` when not given. With
    /// `syndication = "canonical"` the copy's canonical link points at it.
    pub url: Option<String>,
}

/// One entry of `corrections`: shown under the story and on `/corrections/`.
#[derive(Debug, Clone)]
pub struct Correction {
    /// When it was made (`date`), in the site's timezone.
    pub date: DateTime<Tz>,
    /// What was corrected (`text`), as written; shown as plain text.
    pub text: String,
}

/// An old URL that should redirect to the article.
#[derive(Debug, Clone, PartialEq)]
pub struct Alias {
    /// The old URL, read from the site's root (a translation's from its
    /// language's root).
    pub route: Route,
    /// Line of the field that listed it (`aliases` or a synonym), for problems
    /// such as a URL two pages claim.
    pub line: usize,
}

/// A section folder, with what its `_index.md` says (if it has one).
#[derive(Debug, Clone)]
pub struct SectionMeta {
    /// The section's URL segment: its folder's name made URL-safe.
    pub slug: String,
    /// The folder's name under `content/`, as written.
    pub folder: String,
    /// `_index.md`'s `title`, else the folder's name in title case
    /// (`world-news` is World News).
    pub title: String,
    /// `_index.md`'s `description` (or `summary`); empty when not written.
    pub description: String,
    /// `_index.md`'s `order` (or Hugo's `weight`): lower comes first in the
    /// navigation; sections without one go last, by title.
    pub order: Option<i64>,
    /// Its `_index.md`, relative to the site's root; `None` when the folder has
    /// none.
    pub file: Option<PathBuf>,
    /// `_index.md`'s `extra` table (and its unknown fields, with
    /// `unknown_fields = "extra"`), for templates.
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// A file under `content/` that is copied to the output as is.
#[derive(Debug, Clone)]
pub struct Asset {
    /// The file on disk, under the site's `content/`.
    pub from: PathBuf,
    /// Output-relative destination.
    pub to: PathBuf,
}

/// What loading one language's `content/` gave: its articles, standalone pages,
/// sections and files to copy, and every problem found.
#[derive(Debug, Default)]
pub struct Loaded {
    /// The articles (files in sections), published or not, in file order:
    /// `site` chooses and sorts them.
    pub articles: Vec<Article>,
    /// Standalone pages (`content/about.md`, `content/about/index.md`):
    /// articles outside every section, listing and feed.
    pub pages: Vec<Article>,
    /// One per top-level folder holding an article or an `_index.md`, by folder
    /// name.
    pub sections: Vec<SectionMeta>,
    /// The files copied as they are, each with where it goes.
    pub assets: Vec<Asset>,
    /// Every problem found, errors and warnings.
    pub diagnostics: Vec<Diagnostic>,
}

/// Names a build never reads: hidden files and editors' swap and backup
/// files (`.story.md.swp`, `story.md~`).
pub fn is_hidden(name: &std::ffi::OsStr) -> bool {
    let name = name.to_string_lossy();
    name.starts_with('.') || name.ends_with('~')
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_case_of_folder() {
        assert_eq!(title_case("world-news"), "World News");
    }
}

/// Which files under `content/` one language of a multilingual site reads,
/// and the place each stands for: `content/fr/news/x.md` and
/// `content/news/x.fr.md` are both French `news/x.md`. A site in one
/// language reads every file where it is ([`Languages::one`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Languages {
    /// This language's code (as `site.toml` writes it; files' suffixes and
    /// folders match it in any case); `None` for a site in one language.
    pub code: Option<String>,
    /// Whether it is the site's default language (its files have no suffix).
    pub default: bool,
    /// The site's other languages' codes.
    pub others: Vec<String>,
}

impl Languages {
    /// A site in one language: every file, where it is.
    pub fn one() -> Languages {
        Languages::default()
    }

    /// The language code a file's name ends with (`x.fr.md`, `index.fr.md`), if
    /// it is one of the site's.
    fn suffix<'p>(&self, path: &'p Path) -> Option<&'p str> {
        let stem = path.file_stem()?.to_str()?;
        let (_, code) = stem.rsplit_once('.')?;
        self.is_code(code).then_some(code)
    }

    /// The language folder (`content/fr/`) `rel` (under `content/`) starts
    /// in, if any.
    fn folder_language<'p>(&self, rel: &'p Path) -> Option<&'p str> {
        self.code.as_ref()?;
        let first = rel.components().next()?.as_os_str().to_str()?;
        self.is_code(first).then_some(first)
    }

    /// Whether `name` is one of the site's language codes, in any case.
    fn is_code(&self, name: &str) -> bool {
        self.code.iter().chain(&self.others).any(|c| c.eq_ignore_ascii_case(name))
    }

    /// Whether `name` is this language's code, in any case.
    fn is_own(&self, name: &str) -> bool {
        self.code.as_ref().is_some_and(|c| c.eq_ignore_ascii_case(name))
    }

    /// The place `path` stands for in this language, under `content`: the
    /// language's folder or suffix taken away.
    pub fn logical(&self, content: &Path, path: &Path) -> PathBuf {
        if self.code.is_none() {
            return path.to_path_buf();
        }
        let Ok(rel) = path.strip_prefix(content) else { return path.to_path_buf() };
        if self.folder_language(rel).is_some_and(|f| self.is_own(f)) {
            return content.join(rel.components().skip(1).collect::<PathBuf>());
        }
        match (self.suffix(path), path.extension()) {
            (Some(suffix), Some(ext)) => {
                let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
                let name = format!("{}.{}", &stem[..stem.len() - suffix.len() - 1], ext.to_string_lossy());
                path.with_file_name(name)
            }
            _ => path.to_path_buf(),
        }
    }

    /// Whether a folder under `content` is walked for this language.
    fn walks(&self, content: &Path, dir: &Path) -> bool {
        if self.code.is_none() {
            return true;
        }
        let Ok(rel) = dir.strip_prefix(content) else { return true };
        match self.folder_language(rel) {
            None => true,
            Some(folder) => self.is_own(folder),
        }
    }

    /// Whether an article file (found in a walked folder) is this language's.
    fn reads(&self, content: &Path, path: &Path) -> bool {
        if self.code.is_none() {
            return true;
        }
        let in_folder = path.strip_prefix(content).ok().and_then(|rel| self.folder_language(rel)).is_some();
        match (in_folder, self.suffix(path)) {
            (true, _) => suffix_is_none_or(self, path),
            (false, None) => self.default,
            (false, Some(s)) => self.is_own(s),
        }
    }
}

/// A file in a language's folder is that language's unless its name says
/// another (`content/fr/x.de.md` is refused by neither: it is left out).
fn suffix_is_none_or(languages: &Languages, path: &Path) -> bool {
    languages.suffix(path).is_none_or(|s| languages.is_own(s))
}
