//! A Jekyll site folder: `_config.yml`, posts in `_posts/` (also inside
//! category folders, `news/_posts/`), drafts in `_drafts/`, pages (Markdown,
//! and HTML with front matter that is content rather than a theme's
//! listing), documents of collections Jekyll writes (`output: true`),
//! authors from `_data/authors.yml` or `_authors/`, and the static files
//! beside them; `exclude:` is left out as Jekyll leaves it. Every item's old
//! URL is worked out the way Jekyll 4 makes it (`permalink` styles and
//! placeholders, `defaults:`, `Utils.slugify`, front-matter dates as Ruby's
//! `Time.parse` reads them, the site's timezone), so the planner can keep
//! it; `redirect_to` pages become redirects to the page they named. An old
//! URL that cannot be kept is a report line. Liquid in bodies is rewritten
//! where it has a Markdown meaning and reported where it has not.
//! This module reads the configuration, walks the folder and keeps or
//! drops what it found; posts, pages and documents are read in
//! `documents`, their front matter in `front`, their dates in `dates`,
//! their URLs in `urls`, their Liquid in `liquid`, authors in `authors`.

mod authors;
mod dates;
mod documents;
mod front;
mod liquid;
mod urls;

use std::path::{Path, PathBuf};

use anyhow::anyhow;
use chrono::{FixedOffset, TimeZone};
use serde_json::Value;
use walkdir::WalkDir;

use crate::{Imported, Item, Kind, Options};
use authors::read_authors;
use broadsheet_base::slug::slugify;
use documents::{Read, read_doc, read_page, read_post};
use front::{glob_match, words};
pub(crate) use liquid::strip_liquid_urls;

const POST_EXTENSIONS: &[&str] = &["md", "markdown", "mkd", "mkdn", "mdown", "html", "htm"];

/// Files copied to `static/`: what a site serves as it is.
const STATIC_EXTENSIONS: &[&str] = &[
    "png", "jpg", "jpeg", "gif", "webp", "avif", "svg", "ico", "bmp", "tif", "tiff", "pdf", "mp3", "mp4", "m4a",
    "webm", "ogg", "ogv", "wav", "zip", "gz", "tgz", "txt", "woff", "woff2", "ttf", "otf", "eot", "css", "js", "csv",
    "json", "key", "asc", "pub", "epub", "doc", "docx", "xls", "xlsx", "ppt", "pptx",
];

/// Top-level names that are tooling, not the site.
const NOT_SITE: &[&str] = &[
    "node_modules",
    "vendor",
    "Gemfile",
    "Gemfile.lock",
    "Rakefile",
    "package.json",
    "package-lock.json",
    "README.md",
    "README",
    "LICENSE",
    "LICENSE.md",
    "LICENSE.txt",
    "CNAME",
    "bin",
    "script",
    "scripts",
    "tests",
    "test",
    "spec",
];

struct Config {
    permalink: String,
    /// The site's `permalink` (a style or a pattern): pages and collections
    /// end their URLs as it does.
    style: String,
    timezone: Option<chrono_tz::Tz>,
    excerpt_separator: String,
    /// `defaults:` of `_config.yml`, as written.
    defaults: Value,
    /// The site's folder: `{% include %}` reads `_includes/` in it.
    root: PathBuf,
}

/// A collection Jekyll writes (`output: true`).
struct Collection {
    label: String,
    /// Its folder, relative to the site (`_releases`, `my_collections/_releases`).
    dir: PathBuf,
    permalink: Option<String>,
}

/// Reads the Jekyll site at `opts.source`; fails when it is not a folder
/// or a file it needs cannot be read.
pub fn read(opts: &Options) -> broadsheet_base::error::Result<Imported> {
    let root = &opts.source;
    if !root.is_dir() {
        return Err(anyhow!(
            "{} is not a folder: expected a Jekyll site (with _config.yml and _posts/)",
            root.display()
        )
        .into());
    }
    let mut imported = Imported::default();
    let config = load_config(root, &mut imported)?;
    let timezone = site_values(&config, &mut imported);
    let cfg = site_config(&config, timezone, root);
    read_authors(root, &mut imported);
    let (collections, unwritten) = collections(&config);
    // `exclude:` names files and folders Jekyll leaves out (paths or globs).
    let excluded: Vec<String> = words(&config, &["exclude"], false)
        .into_iter()
        .map(|x| x.trim_start_matches("./").trim_matches('/').to_string())
        .filter(|x| !x.is_empty())
        .collect();
    imported.roots.push(root.to_path_buf());
    let found = walk_site(root, &collections, &unwritten, &excluded, &mut imported);
    for (rel, draft, folder_categories) in found.posts {
        if let Some(item) = read_post(root, &rel, draft, &folder_categories, &cfg, &mut imported) {
            imported.items.push(item);
        }
    }
    for (rel, at) in found.docs {
        if let Some(item) = read_doc(root, &rel, &collections[at], &cfg, &mut imported) {
            imported.items.push(item);
        }
    }
    read_pages(root, found.pages, &cfg, &mut imported);
    date_drafts(&mut imported);
    resolve_images(&mut imported, &found.statics);
    crate::pictures::rebase_pictures(&mut imported);
    imported.statics = found.statics;
    Ok(imported)
}

/// `_config.yml` as JSON values (`Null` when there is none, or it is not
/// YAML: a note says so).
fn load_config(root: &Path, imported: &mut Imported) -> broadsheet_base::error::Result<Value> {
    let raw = ["_config.yml", "_config.yaml"].iter().map(|n| root.join(n)).find(|p| p.is_file());
    Ok(match &raw {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| anyhow!("cannot read {}: {e}", path.display()))?;
            match front::yaml(&text) {
                Ok((config, dup)) => {
                    if let Some((line, what)) = dup {
                        imported.note(format!("_config.yml:{line}"), what);
                    }
                    config
                }
                Err(e) => {
                    imported.note("_config.yml", format!("not readable as YAML ({e}); the defaults were used"));
                    Value::Null
                }
            }
        }
        None => {
            imported.note("_config.yml", "there is none: set title and base_url in site.toml");
            Value::Null
        }
    })
}

/// The site's title, description, logo, favicon, address, language and
/// timezone (returned when Broadsheet knows its name).
fn site_values(config: &Value, imported: &mut Imported) -> Option<chrono_tz::Tz> {
    let text = |key: &str| config.get(key).and_then(Value::as_str).map(str::trim).unwrap_or("").to_string();
    // jekyll-seo-tag and most themes read `title`, then `name`.
    imported.title = Some(text("title")).filter(|t| !t.is_empty()).unwrap_or_else(|| text("name"));
    imported.description = text("description");
    imported.logo = Some(text("logo"));
    imported.favicon = Some(text("favicon"));
    let url = text("url");
    let baseurl = text("baseurl");
    imported.base_url = match url.is_empty() {
        true => {
            imported.note(
                "_config.yml",
                "it has no `url`: set base_url in site.toml to the address the site is published at",
            );
            format!("https://example.com/{}", baseurl.trim_matches('/'))
        }
        false => format!("{}/{}", url.trim_end_matches('/'), baseurl.trim_matches('/')),
    };
    imported.base_url = format!("{}/", imported.base_url.trim_end_matches('/'));
    let lang = text("lang");
    imported.language = (!lang.is_empty()).then_some(lang);
    let tz_name = text("timezone");
    let timezone = tz_name.parse::<chrono_tz::Tz>().ok();
    if timezone.is_some() {
        imported.timezone = Some(tz_name.clone());
    } else if !tz_name.is_empty() {
        imported.note(
            "_config.yml",
            format!("timezone `{tz_name}` is not a zone name Broadsheet knows: set `timezone` in site.toml"),
        );
    }
    timezone
}

/// What reading each file needs of `_config.yml`.
fn site_config(config: &Value, timezone: Option<chrono_tz::Tz>, root: &Path) -> Config {
    let text = |key: &str| config.get(key).and_then(Value::as_str).map(str::trim).unwrap_or("").to_string();
    let default_permalink = post_defaults(config).unwrap_or_else(|| match text("permalink") {
        p if p.is_empty() => "date".into(),
        p => p,
    });
    Config {
        permalink: default_permalink,
        style: match text("permalink") {
            p if p.is_empty() => "date".into(),
            p => p,
        },
        timezone,
        excerpt_separator: match text("excerpt_separator") {
            s if s.is_empty() => "<!--more-->".into(),
            s => s,
        },
        defaults: config.get("defaults").cloned().unwrap_or(Value::Null),
        root: root.to_path_buf(),
    }
}

/// The site's files, by what they are.
#[derive(Default)]
struct Found {
    /// Posts and drafts: (file, a draft, the category folders above `_posts`).
    posts: Vec<(PathBuf, bool, Vec<String>)>,
    pages: Vec<PathBuf>,
    /// Documents: (file, its collection's index).
    docs: Vec<(PathBuf, usize)>,
    /// (source, path under static/).
    statics: Vec<(PathBuf, PathBuf)>,
}

/// Walks the site: posts, documents of collections Jekyll writes, pages
/// and static files, in file name order; the rest left out.
fn walk_site(
    root: &Path,
    collections: &[Collection],
    unwritten: &[PathBuf],
    excluded: &[String],
    imported: &mut Imported,
) -> Found {
    let mut found = Found::default();
    let walk = WalkDir::new(root).sort_by_file_name().into_iter().filter_entry(|e| {
        let name = e.file_name().to_string_lossy();
        e.depth() == 0 || !(name.starts_with('.') || matches!(name.as_ref(), "_site" | "node_modules" | "vendor"))
    });
    for entry in walk.filter_map(Result::ok) {
        let path = entry.path();
        let rel = path.strip_prefix(root).unwrap_or(path).to_path_buf();
        if entry.path_is_symlink() && !broadsheet_base::confine::is_file(root, &rel) {
            imported.skipped_link(root, path);
            continue;
        }
        if !entry.file_type().is_file() && !entry.path_is_symlink() {
            continue;
        }
        let rel_str = rel.to_string_lossy().replace('\\', "/");
        if excluded.iter().any(|x| rel_str == *x || rel_str.starts_with(&format!("{x}/")) || glob_match(x, &rel_str)) {
            continue;
        }
        sort_file(root, path, rel, (collections, unwritten), &mut found, imported);
    }
    found
}

/// One file of the site, put where it belongs in `found` (or left out).
fn sort_file(
    root: &Path,
    path: &Path,
    rel: PathBuf,
    (collections, unwritten): (&[Collection], &[PathBuf]),
    found: &mut Found,
    imported: &mut Imported,
) {
    let parts: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    let head = || broadsheet_base::confine::read_head(root, &rel, 3).is_ok_and(|b| b.starts_with(b"---"));
    if let Some(at) = parts.iter().position(|p| p == "_posts" || p == "_drafts") {
        // Jekyll looks for `_posts` only in folders it reads: never below a
        // `_` or `.` folder (`_vendor/…/spec/_posts`, a gem's tests).
        if parts[..at].iter().any(|p| p.starts_with(['_', '.'])) {
            imported.count("files in folders Jekyll does not read (`_` or `.` folders) left out", 1);
            return;
        }
        if POST_EXTENSIONS.contains(&ext.as_str()) {
            let folder_categories = parts[..at].to_vec();
            found.posts.push((rel.clone(), parts[at] == "_drafts", folder_categories));
        } else if !STATIC_EXTENSIONS.contains(&ext.as_str()) {
            imported.skip(format!("`.{ext}` files in _posts"));
            if head() {
                imported.note(
                    rel.display().to_string(),
                    format!(
                        "not imported, and its old URL is lost: Broadsheet does not read `.{ext}` posts; \
                         convert it to Markdown and import again"
                    ),
                );
            }
        }
        return;
    }
    if let Some(at) = collections.iter().position(|c| rel.starts_with(&c.dir)) {
        // Documents have front matter; other files of a collection are copied as they are.
        if POST_EXTENSIONS.contains(&ext.as_str()) && head() {
            found.docs.push((rel, at));
        } else if head() {
            // A feed, sitemap or data file its Liquid makes (`feed.xml`):
            // copied as it is, readers would get the template.
            imported.note(
                rel.display().to_string(),
                format!(
                    "a .{ext} file its Liquid made (a feed, a sitemap or data) is not imported, nor its old URL: Broadsheet writes its own feeds, sitemaps and search index"
                ),
            );
            imported.count("generated .xml, .json and text files left out", 1);
        } else if STATIC_EXTENSIONS.contains(&ext.as_str()) {
            found.statics.push((path.to_path_buf(), rel));
        }
        return;
    }
    if unwritten.iter().any(|d| rel.starts_with(d)) && POST_EXTENSIONS.contains(&ext.as_str()) {
        imported.count("documents of collections Jekyll does not write (`output: false`) left out", 1);
        return;
    }
    if parts.iter().any(|p| p.starts_with('_')) || NOT_SITE.contains(&parts[0].as_str()) {
        return;
    }
    let head = head();
    if head && matches!(ext.as_str(), "md" | "markdown" | "mkd" | "mdown" | "html" | "htm") {
        found.pages.push(rel);
    } else if head {
        // Templates (index.html, feed.xml, main.scss): the theme's work.
        imported.count("template files left out (HTML, XML or Sass with front matter: the old theme's)", 1);
    } else if STATIC_EXTENSIONS.contains(&ext.as_str()) {
        found.statics.push((path.to_path_buf(), rel));
    }
}

/// Pages: kept as they are, kept without text, turned into redirects, or
/// left out as listings.
fn read_pages(root: &Path, pages: Vec<PathBuf>, cfg: &Config, imported: &mut Imported) {
    let mut redirects = Vec::new();
    let mut bare = Vec::new();
    let mut listings = Vec::new();
    for rel in pages {
        match read_page(root, &rel, cfg, imported) {
            Some(Read::Item(item)) => imported.items.push(item),
            Some(Read::Bare(item)) => bare.push(item),
            Some(Read::Redirect { origin, from, to }) => redirects.push((origin, from, to)),
            Some(Read::Listing { origin, url, term, also }) => listings.push(Listing { origin, url, term, also }),
            None => {}
        }
    }
    keep_bare_pages(imported, bare, listings);
    keep_redirects(imported, redirects);
}

/// A draft without a date gets the newest post's, so the site builds.
fn date_drafts(imported: &mut Imported) {
    let newest = imported.items.iter().filter(|i| i.kind == Kind::Article).filter_map(|i| i.date).max();
    for item in imported.items.iter_mut().filter(|i| i.kind == Kind::Article && i.date.is_none()) {
        item.date = newest.or_else(|| FixedOffset::east_opt(0)?.with_ymd_and_hms(2000, 1, 1, 0, 0, 0).single());
        imported.notes.push(crate::Note {
            origin: item.origin.clone(),
            what: "a draft without a date: it was given the newest post's date; set the real one when you publish it"
                .into(),
        });
    }
}

/// Front matter images as themes read them: a bare file name is looked
/// up among the static files (`xkcd.png` → `/images/xkcd.png`); one that
/// is nowhere is dropped, with a note.
fn resolve_images(imported: &mut Imported, statics: &[(PathBuf, PathBuf)]) {
    let paths: std::collections::HashSet<String> =
        statics.iter().map(|(_, rel)| format!("/{}", rel.to_string_lossy().replace('\\', "/"))).collect();
    let mut by_name: std::collections::HashMap<String, &String> = std::collections::HashMap::new();
    for p in &paths {
        if let Some(name) = p.rsplit('/').next() {
            by_name.entry(name.to_string()).or_insert(p);
        }
    }
    let mut notes = Vec::new();
    for item in imported.items.iter_mut() {
        let Some(src) = item.image.clone() else { continue };
        if src.contains("://") {
            continue;
        }
        let rooted = format!("/{}", src.trim_start_matches('/'));
        let name = src.rsplit('/').next().unwrap_or(&src);
        let found =
            if paths.contains(&rooted) { Some(rooted.clone()) } else { by_name.get(name).map(|p| (*p).clone()) };
        match found {
            Some(path) => item.image = Some(path),
            None => {
                item.image = None;
                notes.push((
                    item.origin.clone(),
                    format!("its image `{src}` is not among the site's files: it was left out; add it by hand"),
                ));
            }
        }
    }
    for (origin, what) in notes {
        imported.note(origin, what);
    }
}

/// `defaults:` giving posts a permalink (`scope: {type: posts}`).
fn post_defaults(config: &Value) -> Option<String> {
    config.get("defaults")?.as_array()?.iter().find_map(|d| {
        let scope = d.get("scope")?;
        let is_posts = scope.get("type").and_then(Value::as_str) == Some("posts");
        let path_ok = scope.get("path").and_then(Value::as_str).is_none_or(|p| p.is_empty());
        (is_posts && path_ok).then(|| d.get("values")?.get("permalink")?.as_str().map(str::to_string))?
    })
}

/// A listing page the theme made, as `keep_bare_pages` needs it.
struct Listing {
    origin: String,
    url: String,
    term: Option<String>,
    also: Vec<String>,
}

/// Pages whose text a layout made are kept unless their URL is now a
/// listing of the new site (a section, the front page), which answers it.
/// Listings the theme made are left out; their URL answers when it is a
/// section's, and is a report line when it is not.
fn keep_bare_pages(imported: &mut Imported, bare: Vec<Item>, listings: Vec<Listing>) {
    let sections: std::collections::HashSet<String> =
        imported.items.iter().filter(|i| i.kind == Kind::Article).map(|i| format!("{}/", section_of(i))).collect();
    for Listing { origin, url, term, also } in listings {
        imported.count("template files left out (HTML, XML or Sass with front matter: the old theme's)", 1);
        // A category's (or tag's) page leads to the section or the topic
        // page that now lists its stories.
        if let Some(term) = term.filter(|_| !crate::plan::site_route(&format!("/{}", normalized(&url)))) {
            for from in std::iter::once(url.clone()).chain(also) {
                imported.redirects.push(crate::Redirect {
                    origin: origin.clone(),
                    from: normalized(&from),
                    section: Some(term.clone()),
                    target: format!("tags/{}/", broadsheet_base::slug::slugify(&term)),
                });
            }
            continue;
        }
        if crate::plan::site_route(&format!("/{}", normalized(&url))) {
            imported.note(
                origin,
                format!(
                    "not imported: it was a listing made by Liquid, and Broadsheet's own page at /{} answers its old URL",
                    normalized(&url)
                ),
            );
        } else if !sections.contains(&normalized(&url)) {
            imported.note(
                origin,
                format!(
                    "its old URL /{url} is not kept: the page is a listing made by Liquid, which Broadsheet does not run; \
                     write it as a page by hand if readers need it"
                ),
            );
        }
    }
    for mut item in bare {
        // A page its layout made at a URL Broadsheet makes itself (a year
        // archive, `/tags/`): Broadsheet's page answers it.
        if let Some(own) =
            item.old_paths.first().map(|p| normalized(p)).filter(|p| crate::plan::site_route(&format!("/{p}")))
        {
            imported.notes.retain(|n| n.origin != item.origin);
            imported.note(
                &item.origin,
                format!(
                    "not imported: it had no text of its own, and Broadsheet's own page at /{own} answers its old URL"
                ),
            );
            continue;
        }
        let before = item.old_paths.len();
        item.old_paths.retain(|p| !sections.contains(&normalized(p)));
        if item.old_paths.len() < before {
            imported.notes.retain(|n| n.origin != item.origin);
            imported.count("pages without text of their own left out (listings their layout made)", 1);
            continue;
        }
        imported.items.push(item);
    }
    // A page with text at a section's URL: the section's page wins.
    let mut notes = Vec::new();
    for item in imported.items.iter_mut().filter(|i| i.kind == Kind::Page) {
        let taken: Vec<String> = item.old_paths.iter().filter(|p| sections.contains(&normalized(p))).cloned().collect();
        for old in taken {
            item.old_paths.retain(|p| *p != old);
            notes.push((
                item.origin.clone(),
                format!("its old URL /{old} is now the page of the section of the same name, which lists its stories"),
            ));
        }
    }
    for (origin, what) in notes {
        imported.note(origin, what);
    }
}

/// The slug of an article's section, as the planner makes it.
fn section_of(item: &Item) -> String {
    match slugify(&item.section) {
        s if s.is_empty() => "news".into(),
        s => s,
    }
}

/// `/news/index.html`, `news` → `news/`.
fn normalized(path: &str) -> String {
    let p = path.trim_start_matches('/');
    let p = p.strip_suffix("index.html").unwrap_or(p);
    if p.ends_with('/') || p.ends_with(".html") || p.ends_with(".htm") { p.to_string() } else { format!("{p}/") }
}

/// `redirect_to` pages: their URL becomes a redirect of the item they
/// sent readers to, when it is imported; otherwise a report line.
fn keep_redirects(imported: &mut Imported, redirects: Vec<(String, String, String)>) {
    for (origin, from, to) in redirects {
        let base = imported.base_url.trim_end_matches('/').to_string();
        let target = to.strip_prefix(&base).unwrap_or(&to);
        let target = normalized(target.split(['#', '?']).next().unwrap_or(""));
        let found = (!to.contains("://") || to.starts_with(&base))
            .then(|| imported.items.iter_mut().find(|i| i.old_paths.iter().any(|p| normalized(p) == target)))
            .flatten();
        match found {
            Some(item) => item.old_paths.push(from),
            None => imported.note(
                origin,
                format!(
                    "its old URL /{from} redirected to {to}, which is not an imported page: \
                     the redirect is not kept (Broadsheet redirects only to its own pages)"
                ),
            ),
        }
    }
}

/// `collections:` (a map or a list of names): the ones Jekyll writes, and
/// the folders of the ones it does not.
fn collections(config: &Value) -> (Vec<Collection>, Vec<PathBuf>) {
    let base = config.get("collections_dir").and_then(Value::as_str).unwrap_or("").trim_matches('/').to_string();
    let folder = |label: &str| {
        if base.is_empty() { PathBuf::from(format!("_{label}")) } else { Path::new(&base).join(format!("_{label}")) }
    };
    let (mut written, mut unwritten) = (Vec::new(), Vec::new());
    let entries: Vec<(String, Value)> = match config.get("collections") {
        Some(Value::Object(map)) => map.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
        Some(Value::Array(list)) => {
            list.iter().filter_map(Value::as_str).map(|l| (l.to_string(), Value::Null)).collect()
        }
        _ => Vec::new(),
    };
    for (label, meta) in entries {
        if label == "posts" || label.is_empty() {
            continue;
        }
        let output = meta.get("output").is_some_and(|o| o.as_bool() == Some(true) || o.as_str() == Some("true"));
        let permalink = meta.get("permalink").and_then(Value::as_str).map(str::to_string);
        if output {
            written.push(Collection { label: label.clone(), dir: folder(&label), permalink });
        } else {
            unwritten.push(folder(&label));
        }
    }
    (written, unwritten)
}
