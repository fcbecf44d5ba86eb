//! `broadsheet import`: turns another generator's site (a WordPress export,
//! a Jekyll, Hugo or Zola folder) into a new Broadsheet site. Each reader
//! (`wordpress`, `jekyll`, `hugo`, `zola`) fills an [`Imported`]: articles,
//! pages, authors, static files and the notes a human must read; `plan`
//! decides where every item goes (choosing the permalink pattern that keeps
//! the most old URLs, and aliases for the rest), `write` rewrites links
//! between items and writes the site, `report` sums it up in
//! `import-report.md`, and nothing else is written. The source is only
//! read. Output is byte-identical for the same source. This module owns
//! what they all share: the options, the items, notes and bylines a reader
//! gives, and `run`.

mod common;
pub mod html;
pub mod hugo;
mod identity;
pub mod jekyll;
mod kramdown;
#[cfg(test)]
mod languages_tests;
mod pictures;
mod plan;
mod report;
pub mod wordpress;
mod write;
pub mod zola;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, anyhow};
use chrono::{DateTime, FixedOffset};

use broadsheet_base::slug::slugify;

/// Where the site comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum From {
    /// A WordPress export (the .xml from Tools → Export).
    Wordpress,
    /// A Jekyll site's folder.
    Jekyll,
    /// A Hugo site's folder.
    Hugo,
    /// A Zola site's folder.
    Zola,
}

/// What `broadsheet import` was asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    /// Which generator made the source, and so which reader reads it.
    pub from: From,
    /// The WordPress export file, or the folder of the site for the others.
    pub source: PathBuf,
    /// The folder the new site is written into: new or empty, else [`run`]
    /// refuses it.
    pub into: PathBuf,
    /// A copy of WordPress's `wp-content/uploads`.
    pub uploads: Option<PathBuf>,
    /// Category (or tag) name or slug → section.
    pub sections: BTreeMap<String, String>,
    /// Only this language of a multilingual Hugo or Zola site (without
    /// it, every language is imported).
    pub language: Option<String>,
}

/// An article or a standalone page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// A story: in a section (`news` when the source names none), at the
    /// URL the permalink pattern gives its date and slug.
    Article,
    /// A standalone page (About, Contact): no section, at the top of the
    /// site (or in a folder of pages when its old URL was a path of folders).
    Page,
}

/// One post or page, read from the source.
#[derive(Debug, Clone)]
pub struct Item {
    /// Whether it becomes an article or a standalone page.
    pub kind: Kind,
    /// Where it came from, for the report: `_posts/x.md` or `export.xml, item 42`.
    pub origin: String,
    /// Section name as the source says it (a category); `section_slug` is made from it.
    pub section: String,
    /// The slug the source gives (WordPress's post name, a file's name);
    /// the planner replaces an empty or reserved one with the old URL's last
    /// name or the title's slug.
    pub slug: String,
    /// The headline, written as `title`; where the source has none, the
    /// reader puts a stand-in (the file's name, "Untitled") and a note.
    pub title: String,
    /// When it was published, with the offset the source wrote; `None` when
    /// the source gives none, as for most pages.
    pub date: Option<DateTime<FixedOffset>>,
    /// When it was last changed; only set when later than `date`.
    pub updated: Option<DateTime<FixedOffset>>,
    /// Not published: written with `draft = true` (a WordPress draft or
    /// pending post, a Jekyll `_drafts/` post, a Hugo page past its
    /// `expiryDate`).
    pub draft: bool,
    /// The dek (WordPress's excerpt, front matter's `description` or
    /// `summary`); `None` when the source has none.
    pub summary: Option<String>,
    /// Keys of `Imported::authors`: crediting someone adds them there.
    pub authors: Vec<String>,
    /// Tag names, as the source writes them.
    pub tags: Vec<String>,
    /// The featured image: a file of its bundle (a name in `files`), a path
    /// from the site's root (`/images/x.jpg`) or an address; `None` when
    /// there is none, or its file was not found (a note says so).
    pub image: Option<String>,
    /// The featured image's alt text; empty when the source gives none.
    pub image_alt: String,
    /// Old URL paths, relative to the old site's root path (`2024/03/x/`).
    pub old_paths: Vec<String>,
    /// Other ways the source links to it (`https://old.example/?p=12`,
    /// `_posts/2024-01-02-x.md`): links written so are rewritten.
    pub link_keys: Vec<String>,
    /// The body, in Markdown (or HTML for an `.html` source kept as it is).
    pub body: String,
    /// `body` is HTML, written as it is to an `.html` file, not Markdown.
    pub html: bool,
    /// Files that go beside it (a bundle): (source file, name in the bundle).
    pub files: Vec<(PathBuf, String)>,
    /// Its language when it is a translation (not in the site's default
    /// language); its old paths then start with `<lang>/` when Hugo or Zola
    /// served it under that prefix.
    pub lang: Option<String>,
    /// Items of one group in several languages are translations of one
    /// another: a translation is written beside the default-language item
    /// of its group (`x.fr.md` beside `x.md`).
    pub group: Option<String>,
    /// The source's own link between translations (Hugo's `translationKey`),
    /// written as `translation_key`.
    pub translation_key: Option<String>,
}

impl Item {
    /// An item of `kind` read from `origin`, every other field empty for
    /// the reader to fill in.
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
            lang: None,
            group: None,
            translation_key: None,
        }
    }
}

/// A person credited on items, written to site.toml as `[authors.<key>]`.
#[derive(Debug, Clone, Default)]
pub struct Author {
    /// The name bylines show.
    pub name: String,
    /// A line about them (Jekyll's author data, the affiliation a byline
    /// gives); empty when the source has none.
    pub bio: String,
}

/// Something a human must look at.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Note {
    /// `_posts/x.md:12` or `export.xml, item 42 ("Title")`.
    pub origin: String,
    /// What is wrong and what to do about it, as the report's line says it
    /// after the origin: "its image `x.png` is not in the site: add one by
    /// hand".
    pub what: String,
}

/// One language of a multilingual site, as `[languages.<code>]` says it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Language {
    /// Lowercase, as the source gives it (`fr`, `pt-br`).
    pub code: String,
    /// The site's title in this language; `None` for the default language
    /// (its title is the site's) or when the source gives none.
    pub title: Option<String>,
    /// The site's description in this language; `None` as for `title`.
    pub description: Option<String>,
    /// Its name in itself (`Français`, Hugo's `languageName`).
    pub name: Option<String>,
}

/// Everything a reader found.
#[derive(Debug, Default)]
pub struct Imported {
    /// The site's title; empty when the source has none (site.toml then
    /// gets a stand-in).
    pub title: String,
    /// The site's description; empty when the source has none.
    pub description: String,
    /// The new site's base URL (the old site's address, with its path).
    pub base_url: String,
    /// The old site's timezone, by its IANA name (`Europe/Oslo`): from its
    /// configuration, or worked out from its dates' offsets; `None`: UTC.
    pub timezone: Option<String>,
    /// The site's (default) language code (`en`); `None` when the source
    /// names none.
    pub language: Option<String>,
    /// Everyone credited, by key (the slug of their name): the keys
    /// `Item::authors` holds.
    pub authors: BTreeMap<String, Author>,
    /// Section slug → title, for sections the source names.
    pub section_titles: BTreeMap<String, String>,
    /// Every post and page read, in the order found.
    pub items: Vec<Item>,
    /// Files copied into `static/`: (source, path under static/).
    pub statics: Vec<(PathBuf, PathBuf)>,
    /// The folders files are copied from (the source, `--uploads`): each
    /// file is opened beneath one of them (`confine`), never through a
    /// symbolic link out of it.
    pub roots: Vec<PathBuf>,
    /// What a human must look at, listed in `import-report.md`.
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
    /// The site's logo as the source named it; after `identity::resolve`,
    /// a site path under `static/` or an address, `None` when the file did
    /// not come along (a note says so).
    pub logo: Option<String>,
    /// The site's favicon, named and resolved as `logo` is.
    pub favicon: Option<String>,
    /// Every language imported, the default (`language`) first; empty for
    /// a site of one language.
    pub languages: Vec<Language>,
    /// Language → section slug → the section's title in it (`_index.fr.md`).
    pub translated_sections: BTreeMap<String, BTreeMap<String, String>>,
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
    /// Adds a note for the report: `what` a human must do about `origin`.
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

    /// Counts one item left out for `reason` ("status `trash`"), for the
    /// summary's "Skipped" line.
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

    /// Adds `n` to the summary's count of `what` ("images copied"); 0 adds
    /// nothing, so no line says "0 ...".
    pub fn count(&mut self, what: &str, n: usize) {
        if n > 0 {
            *self.counts.entry(what.to_string()).or_default() += n;
        }
    }

    /// Takes in what converting one kept item noted, counted, credited and
    /// redirected (gathered aside, so a left-out item leaves no trace).
    pub fn absorb(&mut self, side: Imported) {
        self.notes.extend(side.notes);
        for (what, n) in side.counts {
            self.count(&what, n);
        }
        for (key, author) in side.authors {
            self.authors.entry(key).or_insert(author);
        }
        for (key, url) in side.author_urls {
            self.author_urls.entry(key).or_insert(url);
        }
        self.redirects.extend(side.redirects);
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
    /// The lines `broadsheet import` prints, in order; `import-report.md`
    /// opens with them too.
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
    let site = plan::plan(imported);
    write::write(&site, &opts.into)
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

/// Source syntax Broadsheet cannot convert (an unknown shortcode, a Liquid
/// tag), kept for the editor as an HTML comment: readers never see it, and
/// the report says where it was.
pub(crate) fn hidden(source: &str) -> String {
    // A comment ends at the first `--`; `-->` inside would end it early.
    let text = source.replace("--", "- -").replace('>', "&gt;");
    format!("<!-- not converted (see import-report.md): {} -->", text.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
