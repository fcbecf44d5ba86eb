//! A Jekyll site folder: `_config.yml`, posts in `_posts/` (also inside
//! category folders, `news/_posts/`), drafts in `_drafts/`, pages written
//! in Markdown, authors from `_data/authors.yml` or `_authors/`, and the
//! static files beside them. Every post's old URL is worked out the way
//! Jekyll makes it (its `permalink` style or pattern, categories, the
//! site's timezone), so the planner can keep it. Liquid in bodies is
//! rewritten where it has a Markdown meaning and reported where it has not.

use std::path::{Path, PathBuf};

use anyhow::anyhow;
use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone};
use serde_json::Value;
use walkdir::WalkDir;

use super::{Author, Imported, Item, Kind, Options, clip};
use crate::slug::slugify;

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
    timezone: Option<chrono_tz::Tz>,
    excerpt_separator: String,
}

pub fn read(opts: &Options) -> crate::error::Result<Imported> {
    let root = &opts.source;
    if !root.is_dir() {
        return Err(anyhow!(
            "{} is not a folder: expected a Jekyll site (with _config.yml and _posts/)",
            root.display()
        )
        .into());
    }
    let mut imported = Imported::default();
    let raw = ["_config.yml", "_config.yaml"].iter().map(|n| root.join(n)).find(|p| p.is_file());
    let config: Value = match &raw {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| anyhow!("cannot read {}: {e}", path.display()))?;
            serde_saphyr::from_str::<Value>(&text).unwrap_or_else(|e| {
                imported.note("_config.yml", format!("not readable as YAML ({e}); the defaults were used"));
                Value::Null
            })
        }
        None => {
            imported.note("_config.yml", "there is none: set title and base_url in site.toml");
            Value::Null
        }
    };
    let text = |key: &str| config.get(key).and_then(Value::as_str).map(str::trim).unwrap_or("").to_string();
    imported.title = text("title");
    imported.description = text("description");
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
    let default_permalink = post_defaults(&config).unwrap_or_else(|| match text("permalink") {
        p if p.is_empty() => "date".into(),
        p => p,
    });
    let cfg = Config {
        permalink: default_permalink,
        timezone,
        excerpt_separator: match text("excerpt_separator") {
            s if s.is_empty() => "<!--more-->".into(),
            s => s,
        },
    };
    read_authors(root, &mut imported);
    if config.get("collections").is_some_and(|c| !c.is_null()) {
        imported.note(
            "_config.yml",
            "its `collections` are not imported (only posts and pages are): move their documents into content/ by hand",
        );
    }
    let mut posts = Vec::new();
    let mut pages = Vec::new();
    let mut statics = Vec::new();
    let walk = WalkDir::new(root).sort_by_file_name().into_iter().filter_entry(|e| {
        let name = e.file_name().to_string_lossy();
        e.depth() == 0 || !(name.starts_with('.') || matches!(name.as_ref(), "_site" | "node_modules" | "vendor"))
    });
    imported.roots.push(root.to_path_buf());
    for entry in walk.filter_map(Result::ok) {
        let path = entry.path();
        let rel = path.strip_prefix(root).unwrap_or(path).to_path_buf();
        if entry.path_is_symlink() && !crate::confine::is_file(root, &rel) {
            imported.skipped_link(root, path);
            continue;
        }
        if !entry.file_type().is_file() && !entry.path_is_symlink() {
            continue;
        }
        let parts: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
        if let Some(at) = parts.iter().position(|p| p == "_posts" || p == "_drafts") {
            if POST_EXTENSIONS.contains(&ext.as_str()) {
                let folder_categories = parts[..at].to_vec();
                posts.push((rel.clone(), parts[at] == "_drafts", folder_categories));
            } else if !STATIC_EXTENSIONS.contains(&ext.as_str()) {
                imported.skip(format!("`.{ext}` files in _posts"));
            }
            continue;
        }
        if parts.iter().any(|p| p.starts_with('_')) || NOT_SITE.contains(&parts[0].as_str()) {
            continue;
        }
        let head = crate::confine::read_head(root, &rel, 3).is_ok_and(|b| b.starts_with(b"---"));
        if head && matches!(ext.as_str(), "md" | "markdown" | "mkd" | "mdown") {
            pages.push(rel);
        } else if head {
            // Templates (index.html, feed.xml, main.scss): the theme's work.
            imported.count("template files left out (HTML, XML or Sass with front matter: the old theme's)", 1);
        } else if STATIC_EXTENSIONS.contains(&ext.as_str()) {
            statics.push((path.to_path_buf(), rel));
        }
    }
    for (rel, draft, folder_categories) in posts {
        if let Some(item) = read_post(root, &rel, draft, &folder_categories, &cfg, &mut imported) {
            imported.items.push(item);
        }
    }
    for rel in pages {
        if let Some(item) = read_page(root, &rel, &cfg, &mut imported) {
            imported.items.push(item);
        }
    }
    // A draft without a date gets the newest post's, so the site builds.
    let newest = imported.items.iter().filter(|i| i.kind == Kind::Article).filter_map(|i| i.date).max();
    for item in imported.items.iter_mut().filter(|i| i.kind == Kind::Article && i.date.is_none()) {
        item.date = newest.or_else(|| FixedOffset::east_opt(0)?.with_ymd_and_hms(2000, 1, 1, 0, 0, 0).single());
        imported.notes.push(super::Note {
            origin: item.origin.clone(),
            what: "a draft without a date: it was given the newest post's date; set the real one when you publish it"
                .into(),
        });
    }
    resolve_images(&mut imported, &statics);
    imported.statics = statics;
    Ok(imported)
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

fn read_authors(root: &Path, imported: &mut Imported) {
    for name in ["_data/authors.yml", "_data/authors.yaml", "_data/authors.json"] {
        let path = root.join(name);
        let Ok(text) = std::fs::read_to_string(&path) else { continue };
        let value: Value = if name.ends_with(".json") {
            serde_json::from_str(&text).unwrap_or(Value::Null)
        } else {
            serde_saphyr::from_str(&text).unwrap_or(Value::Null)
        };
        if let Some(map) = value.as_object() {
            for (key, a) in map {
                let display = a.get("name").and_then(Value::as_str).unwrap_or(key).to_string();
                let bio = ["bio", "description", "about"]
                    .iter()
                    .find_map(|k| a.get(*k).and_then(Value::as_str))
                    .unwrap_or("");
                imported.authors.insert(author_key(key), Author { name: display, bio: bio.to_string() });
            }
        }
    }
    let dir = root.join("_authors");
    if let Ok(entries) = std::fs::read_dir(&dir) {
        let mut files: Vec<PathBuf> = entries.filter_map(|e| Some(e.ok()?.path())).collect();
        files.sort();
        for file in files {
            let Ok(text) = std::fs::read_to_string(&file) else { continue };
            let (front, body) = split(&text);
            let key = front
                .get("short_name")
                .and_then(Value::as_str)
                .map(str::to_string)
                .unwrap_or_else(|| file.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default());
            let display = front.get("name").and_then(Value::as_str).unwrap_or(&key).to_string();
            let bio = front.get("bio").and_then(Value::as_str).map_or_else(|| body.trim().to_string(), str::to_string);
            imported.authors.insert(author_key(&key), Author { name: display, bio });
        }
    }
}

fn author_key(key: &str) -> String {
    let slug = slugify(key);
    if slug.is_empty() { "author".into() } else { slug }
}

/// Front matter (YAML) and body.
fn split(text: &str) -> (Value, &str) {
    let text = text.trim_start_matches('\u{feff}');
    let Some(rest) = text.strip_prefix("---") else { return (Value::Null, text) };
    let rest = rest.trim_start_matches([' ', '\t']);
    let rest = rest.strip_prefix("\r\n").or_else(|| rest.strip_prefix('\n')).unwrap_or(rest);
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "---" || line.trim_end() == "..." {
            let front = serde_saphyr::from_str::<Value>(&rest[..offset]).unwrap_or(Value::Null);
            return (if front.is_object() { front } else { Value::Null }, &rest[offset + line.len()..]);
        }
        offset += line.len();
    }
    (Value::Null, text)
}

/// A list field that may be one string of space-separated words (Jekyll's
/// `categories: news local`) or a list.
fn words(front: &Value, keys: &[&str], split_spaces: bool) -> Vec<String> {
    let mut out = Vec::new();
    for key in keys {
        match front.get(*key) {
            Some(Value::String(s)) if split_spaces => out.extend(s.split_whitespace().map(str::to_string)),
            Some(Value::String(s)) => out.push(s.trim().to_string()),
            Some(Value::Array(list)) => out.extend(list.iter().filter_map(|v| match v {
                Value::String(s) => Some(s.trim().to_string()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            })),
            _ => {}
        }
    }
    out.retain(|s| !s.is_empty());
    out
}

/// A front matter date as Jekyll reads it (`2016-03-04 10:48:22 -0800`,
/// or local to the site); failing that, the day it starts with.
fn date_of(front: &Value, key: &str, tz: Option<chrono_tz::Tz>) -> Option<DateTime<FixedOffset>> {
    let s = front.get(key).and_then(Value::as_str)?.trim();
    let tz = tz.unwrap_or(chrono_tz::UTC);
    crate::date::parse_as_written(s, tz).ok().or_else(|| {
        let day = NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok()?;
        tz.from_local_datetime(&day.and_hms_opt(0, 0, 0)?).earliest().map(|d| d.fixed_offset())
    })
}

/// `2024-01-02-some-title.md` (or `2024-1-2-...`, as Jekyll allows) →
/// (date, `some-title`).
fn file_date(stem: &str) -> Option<(NaiveDate, &str)> {
    let (day, rest) = crate::date::from_file_name(stem)?;
    let day = NaiveDate::parse_from_str(&day, "%Y-%m-%d").ok()?;
    (!rest.is_empty()).then_some((day, rest))
}

fn read_post(
    root: &Path,
    rel: &Path,
    draft_folder: bool,
    folder_categories: &[String],
    cfg: &Config,
    imported: &mut Imported,
) -> Option<Item> {
    let shown = rel.display().to_string();
    let text = match crate::confine::read(root, rel) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(_) => {
                imported.skip("not UTF-8");
                imported.note(&shown, "not imported: the file is not UTF-8 text; re-save it as UTF-8 and import again");
                return None;
            }
        },
        Err(e) => {
            imported.skip("unreadable");
            imported.note(&shown, format!("not imported: {e}"));
            return None;
        }
    };
    let (front, body) = split(&text);
    let body_line = text[..text.len() - body.len()].lines().count() + 1;
    let stem = rel.file_stem()?.to_string_lossy().into_owned();
    let ext = rel.extension().map(|e| e.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    let named = file_date(&stem);
    if named.is_none() && !draft_folder {
        imported.skip("in _posts without a date in the file name (Jekyll skips them too)");
        return None;
    }
    let title_slug = named.map_or(stem.as_str(), |(_, rest)| rest).to_string();
    let mut item = Item::new(Kind::Article, shown.clone());
    let tz = cfg.timezone;
    item.date = date_of(&front, "date", tz).or_else(|| {
        let (day, _) = named?;
        tz.unwrap_or(chrono_tz::UTC)
            .from_local_datetime(&day.and_hms_opt(0, 0, 0)?)
            .earliest()
            .map(|d| d.fixed_offset())
    });
    item.title = front
        .get("title")
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map_or_else(|| title_slug.split('-').map(capitalize).collect::<Vec<_>>().join(" "), str::to_string);
    let published =
        front.get("published").and_then(|v| v.as_bool().or_else(|| v.as_str().map(|s| s.trim() != "false")));
    item.draft = draft_folder || published == Some(false);
    let mut categories = folder_categories.to_vec();
    categories.extend(words(&front, &["categories", "category"], true));
    let tags = words(&front, &["tags", "tag"], true);
    item.section = categories.first().cloned().unwrap_or_else(|| "blog".into());
    item.tags = categories.iter().skip(1).chain(&tags).cloned().collect();
    item.tags.dedup();
    let slug_field = front.get("slug").and_then(Value::as_str).map(str::to_string);
    item.slug = slug_field.clone().unwrap_or_else(|| title_slug.clone());
    for name in words(&front, &["author", "authors"], false) {
        let key = author_key(&name);
        if !imported.authors.contains_key(&key) {
            imported.authors.insert(key.clone(), Author { name: name.clone(), bio: String::new() });
        }
        item.authors.push(key);
    }
    item.summary = ["excerpt", "description", "summary"]
        .iter()
        .find_map(|k| front.get(*k).and_then(Value::as_str))
        .map(super::html::strip_tags);
    item.image = ["image", "featured_image", "cover", "thumbnail"].iter().find_map(|k| match front.get(*k) {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Object(o)) => {
            o.get("path").or_else(|| o.get("feature")).and_then(Value::as_str).map(str::to_string)
        }
        _ => None,
    });
    if let Some(src) = &item.image {
        item.image = Some(strip_liquid_urls(src));
        item.image_alt = item.title.clone();
    }
    let updated_key = if front.get("last_modified_at").is_some() { "last_modified_at" } else { "modified" };
    item.updated = date_of(&front, updated_key, tz);
    if !item.draft {
        let pattern = front.get("permalink").and_then(Value::as_str).unwrap_or(&cfg.permalink);
        if let Some(date) = item.date {
            let local = date.with_timezone(&tz.unwrap_or(chrono_tz::UTC)).naive_local();
            item.old_paths.push(jekyll_url(pattern, &categories, &title_slug, slug_field.as_deref(), &local, &ext));
        }
        item.old_paths.extend(words(&front, &["redirect_from"], false));
    }
    let rel_str = rel.to_string_lossy().replace('\\', "/");
    item.link_keys.push(rel_str.clone());
    item.link_keys.push(stem.clone());
    let (converted, notes) = liquid(body, body_line, &cfg.excerpt_separator);
    for (line, what) in notes {
        imported.note(format!("{shown}:{line}"), what);
    }
    item.html = matches!(ext.as_str(), "html" | "htm");
    item.body = converted;
    Some(item)
}

fn read_page(root: &Path, rel: &Path, cfg: &Config, imported: &mut Imported) -> Option<Item> {
    let shown = rel.display().to_string();
    let text = crate::confine::read_to_string(root, rel).ok()?;
    let (front, body) = split(&text);
    let stem = rel.file_stem()?.to_string_lossy().into_owned();
    if matches!(stem.as_str(), "index" | "404") || body.trim().is_empty() {
        // The front page and 404 are Broadsheet's; a page without text is a layout's listing.
        imported.count("pages without text of their own left out (listings their layout made)", 1);
        return None;
    }
    let body_line = text[..text.len() - body.len()].lines().count() + 1;
    let mut item = Item::new(Kind::Page, shown.clone());
    item.title = front.get("title").and_then(Value::as_str).map_or_else(|| capitalize(&stem), |s| s.trim().to_string());
    item.draft = front.get("published").and_then(Value::as_bool) == Some(false);
    item.summary = front.get("description").and_then(Value::as_str).map(str::to_string);
    item.slug = stem.clone();
    let old = match front.get("permalink").and_then(Value::as_str) {
        Some(p) => p.trim_start_matches('/').to_string(),
        None => {
            let parent = rel.parent().map(|p| p.to_string_lossy().replace('\\', "/")).unwrap_or_default();
            let file = format!("{stem}.html");
            if parent.is_empty() { file } else { format!("{parent}/{file}") }
        }
    };
    if let Some(last) = old.trim_end_matches('/').rsplit('/').next().map(|s| s.trim_end_matches(".html"))
        && !last.is_empty()
    {
        item.slug = last.to_string();
    }
    item.old_paths.push(old);
    item.link_keys.push(rel.to_string_lossy().replace('\\', "/"));
    let (converted, notes) = liquid(body, body_line, &cfg.excerpt_separator);
    for (line, what) in notes {
        imported.note(format!("{shown}:{line}"), what);
    }
    item.body = converted;
    Some(item)
}

fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

/// The URL Jekyll gives a post (relative to the site's root, without the
/// `baseurl`).
fn jekyll_url(
    pattern: &str,
    categories: &[String],
    title: &str,
    slug: Option<&str>,
    date: &chrono::NaiveDateTime,
    ext: &str,
) -> String {
    use chrono::{Datelike, Timelike};
    let pattern = match pattern {
        "date" => "/:categories/:year/:month/:day/:title:output_ext",
        "pretty" => "/:categories/:year/:month/:day/:title/",
        "ordinal" => "/:categories/:year/:y_day/:title:output_ext",
        "weekdate" => "/:categories/:year/W:week/:short_day/:title:output_ext",
        "none" => "/:categories/:title:output_ext",
        p => p,
    };
    let title = slug.unwrap_or(title);
    let cats: Vec<String> = categories.iter().map(|c| c.to_lowercase()).collect();
    let out_ext = if matches!(ext, "html" | "htm") { format!(".{ext}") } else { ".html".to_string() };
    // Longest tokens first, so `:i_month` is not read as `:i` + `_month`.
    let replacements: Vec<(&str, String)> = vec![
        (":categories", cats.join("/")),
        (":output_ext", out_ext),
        (":short_year", format!("{:02}", date.year() % 100)),
        (":i_month", date.month().to_string()),
        (":short_month", date.format("%b").to_string()),
        (":long_month", date.format("%B").to_string()),
        (":i_day", date.day().to_string()),
        (":y_day", format!("{:03}", date.ordinal())),
        (":short_day", date.format("%a").to_string()),
        (":long_day", date.format("%A").to_string()),
        (":week", date.format("%V").to_string()),
        (":year", format!("{:04}", date.year())),
        (":month", format!("{:02}", date.month())),
        (":day", format!("{:02}", date.day())),
        (":hour", format!("{:02}", date.hour())),
        (":minute", format!("{:02}", date.minute())),
        (":second", format!("{:02}", date.second())),
        (":title", title.to_string()),
        (":slug", slugify(title)),
        (":name", title.to_string()),
    ];
    let mut url = pattern.to_string();
    for (token, value) in &replacements {
        url = url.replace(token, value);
    }
    while url.contains("//") {
        url = url.replace("//", "/");
    }
    url.trim_start_matches('/').to_string()
}

/// `{{ site.baseurl }}/x` and `{{ '/x' | relative_url }}` → `/x`.
fn strip_liquid_urls(s: &str) -> String {
    let mut out = s.to_string();
    for site_var in [
        "{{ site.url }}{{ site.baseurl }}",
        "{{site.url}}{{site.baseurl}}",
        "{{ site.baseurl }}",
        "{{site.baseurl}}",
        "{{ site.url }}",
        "{{site.url}}",
        "{{ base }}",
    ] {
        out = out.replace(site_var, "");
    }
    // `{{ "/path" | relative_url }}`, `absolute_url`, `prepend: site.baseurl`.
    let mut result = String::with_capacity(out.len());
    let mut rest = out.as_str();
    while let Some(start) = rest.find("{{") {
        let Some(end) = rest[start..].find("}}").map(|e| start + e + 2) else { break };
        let inner = rest[start + 2..end - 2].trim();
        let filters = ["relative_url", "absolute_url", "prepend: site.baseurl", "prepend:site.baseurl"];
        let value = inner.split('|').next().unwrap_or("").trim();
        let quoted =
            (value.starts_with('"') && value.ends_with('"')) || (value.starts_with('\'') && value.ends_with('\''));
        result.push_str(&rest[..start]);
        if quoted && value.len() >= 2 && filters.iter().any(|f| inner.contains(f)) {
            result.push_str(&value[1..value.len() - 1]);
        } else {
            result.push_str(&rest[start..end]);
        }
        rest = &rest[end..];
    }
    result.push_str(rest);
    result
}

/// Liquid in a body: what has a Markdown meaning is rewritten; the rest is
/// kept as written and reported with its line.
fn liquid(body: &str, first_line: usize, excerpt_separator: &str) -> (String, Vec<(usize, String)>) {
    let mut out = String::with_capacity(body.len());
    let mut notes = Vec::new();
    let mut raw = false;
    for (i, line) in body.split_inclusive('\n').enumerate() {
        let n = first_line + i;
        let mut line = line.to_string();
        if !excerpt_separator.is_empty() && !raw {
            line = line.replace(excerpt_separator, "");
        }
        let mut rebuilt = String::with_capacity(line.len());
        let mut rest = line.as_str();
        let mut had_raw = raw;
        while let Some(start) = rest.find("{%") {
            let Some(end) = rest[start..].find("%}").map(|e| start + e + 2) else { break };
            let tag = rest[start + 2..end - 2].trim().trim_matches('-').trim();
            let name = tag.split_whitespace().next().unwrap_or("");
            let arg = tag[name.len()..].trim();
            rebuilt.push_str(&rest[..start]);
            match (raw, name) {
                (true, "endraw") => raw = false,
                (true, _) => rebuilt.push_str(&rest[start..end]),
                (false, "raw") => {
                    raw = true;
                    had_raw = true;
                }
                (false, "highlight") => {
                    let lang = arg.split_whitespace().next().unwrap_or("");
                    rebuilt.push_str(&format!("\n```{lang}\n"));
                }
                (false, "endhighlight") => rebuilt.push_str("\n```\n"),
                (false, "link") => rebuilt.push_str(arg.trim_matches(['"', '\''])),
                (false, "post_url") => rebuilt.push_str(arg.trim_matches(['"', '\''])),
                (false, _) => {
                    notes.push((
                        n,
                        format!(
                            "Liquid `{{% {} %}}` kept as text: Broadsheet does not run Liquid; rewrite it by hand",
                            clip(tag)
                        ),
                    ));
                    rebuilt.push_str(&rest[start..end]);
                }
            }
            rest = &rest[end..];
        }
        rebuilt.push_str(rest);
        if !raw && !had_raw {
            let stripped = strip_liquid_urls(&rebuilt);
            if let Some(at) = stripped.find("{{") {
                let end = stripped[at..].find("}}").map_or(stripped.len(), |e| at + e + 2);
                notes.push((
                    n,
                    format!(
                        "Liquid `{}` kept as text: Broadsheet does not run Liquid; rewrite it by hand",
                        clip(&stripped[at..end])
                    ),
                ));
            }
            rebuilt = stripped;
        }
        // A fence opened by `{% highlight %}` mid-line leaves blank lines: harmless.
        out.push_str(&rebuilt);
    }
    (out, notes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(y: i32, m: u32, d: u32) -> chrono::NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(9, 5, 0).unwrap()
    }

    #[test]
    fn urls_follow_jekylls_styles() {
        let cats = vec!["News".to_string(), "Council".to_string()];
        assert_eq!(jekyll_url("date", &cats, "x", None, &at(2024, 1, 2), "md"), "news/council/2024/01/02/x.html");
        assert_eq!(jekyll_url("pretty", &[], "x", None, &at(2024, 1, 2), "md"), "2024/01/02/x/");
        assert_eq!(
            jekyll_url("/blog/:year/:month/:day/:title/", &cats, "x", None, &at(2024, 1, 2), "md"),
            "blog/2024/01/02/x/"
        );
        assert_eq!(jekyll_url("/:i_month/:title", &[], "x", None, &at(2024, 3, 2), "md"), "3/x");
    }

    #[test]
    fn liquid_with_a_markdown_meaning_is_rewritten_and_the_rest_reported() {
        let body = "![x]({{ site.baseurl }}/img/x.png)\n[o]({% post_url 2024-01-02-other %})\n{% highlight ruby %}\nputs 1\n{% endhighlight %}\n{% raw %}{{ kept }}{% endraw %}\n{% include note.html %}\n";
        let (out, notes) = liquid(body, 5, "<!--more-->");
        assert!(out.contains("![x](/img/x.png)"), "{out}");
        assert!(out.contains("[o](2024-01-02-other)"), "{out}");
        assert!(out.contains("```ruby\n\nputs 1\n\n```"), "{out}");
        assert!(out.contains("{{ kept }}"), "{out}");
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert_eq!(notes[0].0, 11);
        assert!(notes[0].1.contains("include note.html"));
    }

    #[test]
    fn relative_url_filters_become_paths() {
        assert_eq!(strip_liquid_urls("{{ \"/a/b.png\" | relative_url }}"), "/a/b.png");
        assert_eq!(strip_liquid_urls("{{ site.url }}{{ site.baseurl }}/x"), "/x");
    }
}
