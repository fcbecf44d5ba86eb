//! Writing the new site from the plan: each item's Markdown (or HTML) file
//! with its TOML front matter and its links to other items rewritten to
//! their new URLs, bundle and static files copied beneath the folders
//! they came from, section `_index.md` files, redirect pages for listings'
//! old URLs, `site.toml` and the report. Each file is written as soon as it
//! is made.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, anyhow};
use chrono::{DateTime, FixedOffset};

use crate::plan::{Place, Planned};
use crate::report::{report, summarize};
use crate::{Imported, Item, Kind, Summary, html};

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
    #[serde(skip_serializing_if = "Option::is_none")]
    translation_key: Option<&'a str>,
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

/// Writes the planned site into `into`: every story and page with its
/// files, section titles, static files, listing redirects, site.toml and
/// import-report.md.
pub(crate) fn write(site: &Planned, into: &Path) -> broadsheet_base::error::Result<Summary> {
    let Planned { imported, permalink, places, redirects, kept } = site;
    // Each file is written as soon as it is made: at 20,000 posts, holding
    // them all would double the import's memory.
    let mut files = Files(into);
    let (links, by_language) = new_links(imported, places);
    let none = HashMap::new();
    for (item, place) in imported.items.iter().zip(places) {
        let own = item.lang.as_deref().and_then(|l| by_language.get(l)).unwrap_or(&none);
        let text = story_file(item, place, &[own, &links])?;
        let file = if item.html { place.file.with_extension("html") } else { place.file.clone() };
        files.insert(file.clone(), text.into_bytes())?;
        for (from, name) in &item.files {
            let dir = file.parent().unwrap_or(Path::new("content"));
            let bytes = imported.read_copied(from)?;
            files.insert(dir.join(name), bytes)?;
        }
    }
    write_section_titles(imported, places, &mut files)?;
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

/// Links between items, rewritten to the new URLs (root-relative): every
/// language's keys, and each language's own. A translation's keys are its
/// language's (`ref "story"` in a French page is the French story); the
/// default language's are everyone's.
type Links = HashMap<String, String>;

fn new_links<'a>(imported: &'a Imported, places: &[Place]) -> (Links, HashMap<&'a str, Links>) {
    let mut links: Links = HashMap::new();
    let mut by_language: HashMap<&str, Links> = HashMap::new();
    for (item, place) in imported.items.iter().zip(places) {
        let new = format!("/{}", place.route.as_str());
        let map = match &item.lang {
            Some(lang) => by_language.entry(lang.as_str()).or_default(),
            None => &mut links,
        };
        for key in item.old_paths.iter().chain(&item.link_keys) {
            map.insert(key.clone(), new.clone());
            if !key.contains("://") && !key.starts_with('/') {
                map.insert(format!("/{key}"), new.clone());
            }
        }
    }
    // A key only a translation has (its file, its old URL) leads to it from anywhere.
    for map in by_language.values() {
        for (key, new) in map {
            links.entry(key.clone()).or_insert_with(|| new.clone());
        }
    }
    (links, by_language)
}

/// A story's or page's file: its front matter and its body, with links to
/// other items rewritten (`links`, the first that knows a key wins).
fn story_file(item: &Item, place: &Place, links: &[&Links]) -> broadsheet_base::error::Result<String> {
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
        translation_key: item.translation_key.as_deref(),
        aliases: &place.aliases,
    };
    let head = toml::to_string(&front).map_err(|e| anyhow!("cannot write the front matter of {}: {e}", item.origin))?;
    let body = rewrite_links(&item.body, links);
    let mut text = format!("+++\n{head}+++\n");
    if item.html {
        text.push_str(&body);
    } else {
        text.push('\n');
        text.push_str(body.trim());
        text.push('\n');
    }
    Ok(text)
}

/// Each section's `_index.md` with its title (when it differs from the
/// folder's name), and `_index.<lang>.md` for its title in another
/// language; not for a folder of pages (documentation), which it would
/// make a section.
fn write_section_titles(
    imported: &Imported,
    places: &[Place],
    files: &mut Files<'_>,
) -> broadsheet_base::error::Result<()> {
    for (section, title) in &imported.section_titles {
        if places.iter().any(|p| p.file.starts_with(Path::new("content").join(section))) && title != section {
            let front = format!("+++\ntitle = {}\n+++\n", toml::Value::String(title.clone()));
            files.insert(PathBuf::from("content").join(section).join("_index.md"), front.into_bytes())?;
        }
    }
    for (lang, titles) in &imported.translated_sections {
        for (section, title) in titles {
            let folder = Path::new("content").join(section);
            let stories =
                imported.items.iter().zip(places).any(|(i, p)| i.kind == Kind::Article && p.file.starts_with(&folder));
            if stories {
                let front = format!("+++\ntitle = {}\n+++\n", toml::Value::String(title.clone()));
                let name = format!("_index.{lang}.md");
                files.insert(PathBuf::from("content").join(section).join(name), front.into_bytes())?;
            }
        }
    }
    Ok(())
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
        .filter(|(i, p)| i.kind == Kind::Page && !i.draft && !p.nested && p.lang.is_none())
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
/// (`maps` are tried in order: a translation's language's keys first.)
fn rewrite_links(body: &str, maps: &[&HashMap<String, String>]) -> String {
    let get = |key: &str| maps.iter().find_map(|m| m.get(key));
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(at) = rest.find(['(', '"']) {
        let (before, from) = rest.split_at(at + 1);
        out.push_str(before);
        let close = if before.ends_with('(') { ')' } else { '"' };
        let end = from.find([close, ' ', '\n']).unwrap_or(from.len());
        let target = &from[..end];
        let (bare, anchor) = target.split_once('#').map_or((target, ""), |(b, a)| (b, a));
        let found = get(bare).or_else(|| get(bare.trim_end_matches('/'))).or_else(|| get(&format!("{bare}/")));
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
    // Each language of a multilingual site: the default's name, the
    // others' title, description and name.
    for language in &imported.languages {
        let default = imported.language.as_deref() == Some(language.code.as_str());
        let mut table = String::new();
        let fields = [("title", &language.title), ("description", &language.description), ("name", &language.name)];
        for (key, value) in fields {
            if let Some(v) = value.as_deref().map(str::trim).filter(|v| !v.is_empty())
                && (!default || key == "name")
            {
                let _ = writeln!(table, "{key} = {}", s(v));
            }
        }
        // Every other language has its table, even with nothing in it: it
        // is what makes it one of the site's languages.
        if !table.is_empty() || !default {
            let _ = write!(t, "\n[languages.{}]\n{table}", toml_key(&language.code));
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_to_old_urls_become_new_ones() {
        let links: HashMap<String, String> =
            [("https://old.example/2024/01/x/".to_string(), "/news/x/".to_string())].into_iter().collect();
        let body = "See [x](https://old.example/2024/01/x/#part) and <a href=\"https://old.example/2024/01/x\">x</a>.";
        assert_eq!(rewrite_links(body, &[&links]), "See [x](/news/x/#part) and <a href=\"/news/x/\">x</a>.");
    }
}
