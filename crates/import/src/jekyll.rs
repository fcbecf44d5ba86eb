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

use std::path::{Path, PathBuf};

use anyhow::anyhow;
use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone};
use serde_json::Value;
use walkdir::WalkDir;

use super::{Author, Imported, Item, Kind, Options, clip};
use broadsheet_base::slug::slugify;

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
}

/// A collection Jekyll writes (`output: true`).
struct Collection {
    label: String,
    /// Its folder, relative to the site (`_releases`, `my_collections/_releases`).
    dir: PathBuf,
    permalink: Option<String>,
}

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
    let default_permalink = post_defaults(&config).unwrap_or_else(|| match text("permalink") {
        p if p.is_empty() => "date".into(),
        p => p,
    });
    let cfg = Config {
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
    };
    read_authors(root, &mut imported);
    let (collections, unwritten) = collections(&config);
    // `exclude:` names files and folders Jekyll leaves out (paths or globs).
    let excluded: Vec<String> = words(&config, &["exclude"], false)
        .into_iter()
        .map(|x| x.trim_start_matches("./").trim_matches('/').to_string())
        .filter(|x| !x.is_empty())
        .collect();
    let mut posts = Vec::new();
    let mut pages = Vec::new();
    let mut docs: Vec<(PathBuf, usize)> = Vec::new();
    let mut statics = Vec::new();
    let walk = WalkDir::new(root).sort_by_file_name().into_iter().filter_entry(|e| {
        let name = e.file_name().to_string_lossy();
        e.depth() == 0 || !(name.starts_with('.') || matches!(name.as_ref(), "_site" | "node_modules" | "vendor"))
    });
    imported.roots.push(root.to_path_buf());
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
        let parts: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
        let head = || broadsheet_base::confine::read_head(root, &rel, 3).is_ok_and(|b| b.starts_with(b"---"));
        if let Some(at) = parts.iter().position(|p| p == "_posts" || p == "_drafts") {
            if POST_EXTENSIONS.contains(&ext.as_str()) {
                let folder_categories = parts[..at].to_vec();
                posts.push((rel.clone(), parts[at] == "_drafts", folder_categories));
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
            continue;
        }
        if let Some(at) = collections.iter().position(|c| rel.starts_with(&c.dir)) {
            // Documents have front matter; other files of a collection are copied as they are.
            if POST_EXTENSIONS.contains(&ext.as_str()) && head() {
                docs.push((rel, at));
            } else if STATIC_EXTENSIONS.contains(&ext.as_str()) {
                statics.push((path.to_path_buf(), rel));
            }
            continue;
        }
        if unwritten.iter().any(|d| rel.starts_with(d)) && POST_EXTENSIONS.contains(&ext.as_str()) {
            imported.count("documents of collections Jekyll does not write (`output: false`) left out", 1);
            continue;
        }
        if parts.iter().any(|p| p.starts_with('_')) || NOT_SITE.contains(&parts[0].as_str()) {
            continue;
        }
        let head = head();
        if head && matches!(ext.as_str(), "md" | "markdown" | "mkd" | "mdown" | "html" | "htm") {
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
    for (rel, at) in docs {
        if let Some(item) = read_doc(root, &rel, &collections[at], &cfg, &mut imported) {
            imported.items.push(item);
        }
    }
    let mut redirects = Vec::new();
    let mut bare = Vec::new();
    let mut listings = Vec::new();
    for rel in pages {
        match read_page(root, &rel, &cfg, &mut imported) {
            Some(Read::Item(item)) => imported.items.push(item),
            Some(Read::Bare(item)) => bare.push(item),
            Some(Read::Redirect { origin, from, to }) => redirects.push((origin, from, to)),
            Some(Read::Listing { origin, url }) => listings.push((origin, url)),
            None => {}
        }
    }
    keep_bare_pages(&mut imported, bare, listings);
    keep_redirects(&mut imported, redirects);
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
                let display = display_name(a).unwrap_or(key).to_string();
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
            let display = display_name(&front).unwrap_or(&key).to_string();
            let bio = front.get("bio").and_then(Value::as_str).map_or_else(|| body.trim().to_string(), str::to_string);
            imported.authors.insert(author_key(&key), Author { name: display, bio });
        }
    }
}

/// An author's name as the site shows it.
fn display_name(a: &Value) -> Option<&str> {
    ["full_name", "display_name", "name", "title"]
        .iter()
        .find_map(|k| a.get(*k).and_then(Value::as_str).map(str::trim).filter(|n| !n.is_empty()))
}

/// `author:`/`authors:` of a post: each person credited ("A and B",
/// "A, B & C" are several); a name that is an author file's key is that author.
fn credit_authors(imported: &mut Imported, item: &mut Item, front: &Value) {
    for written in words(front, &["author", "authors"], false) {
        let key = author_key(&written);
        if imported.authors.contains_key(&key) {
            if !item.authors.contains(&key) {
                item.authors.push(key);
            }
        } else {
            imported.credit_line(item, &written);
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

/// A front matter key whose plain value Ruby reads as a Symbol
/// (`summary: :-)`): Jekyll refuses such front matter and reads the file
/// as if it had none (its date is the day of the build).
fn ruby_symbol(text: &str) -> Option<&str> {
    let rest = text.trim_start_matches('\u{feff}').strip_prefix("---")?;
    for line in rest.lines().skip(1) {
        if line.trim_end() == "---" || line.trim_end() == "..." {
            break;
        }
        let Some((key, value)) = line.split_once(": ") else { continue };
        let value = value.trim();
        if !key.starts_with([' ', '-', '#']) && value.len() > 1 && value.starts_with(':') && !value.starts_with(": ") {
            return Some(key.trim());
        }
    }
    None
}

fn symbol_note(text: &str, shown: &str, imported: &mut Imported) {
    if let Some(key) = ruby_symbol(text) {
        imported.note(
            shown,
            format!(
                "Jekyll could not read its front matter (`{key}` is a Ruby symbol, which Jekyll refuses), so its old URL \
                 held the day the old site was built instead of its date: that URL cannot be kept"
            ),
        );
    }
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
/// `June 2, 2020`, `Tue, 02 Jun 2020 10:00:00 +0200`: Ruby's `Time.parse`),
/// local to the site when it has no offset.
fn date_of(front: &Value, key: &str, tz: Option<chrono_tz::Tz>) -> Option<DateTime<FixedOffset>> {
    let s = front.get(key).and_then(Value::as_str)?.trim();
    let tz = tz.unwrap_or(chrono_tz::UTC);
    broadsheet_base::date::parse_as_written(s, tz).ok().or_else(|| prose_date(s, tz)).or_else(|| {
        let day = NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok()?;
        tz.from_local_datetime(&day.and_hms_opt(0, 0, 0)?).earliest().map(|d| d.fixed_offset())
    })
}

/// A date written in words or with other separators, as Ruby's
/// `Time.parse` reads it: a month by name (`June 2, 2020`, `2 Jun 2020`,
/// `Jun 2nd, 2020`), or `2020/06/02`, `2020-6-2`, `02.06.2020`, `02/06/2020`
/// (day first); a time (`10:30`, `10:30 PM`); an offset (`+0200`,
/// `+02:00`, `Z`, `UTC`, `EST`…).
fn prose_date(s: &str, tz: chrono_tz::Tz) -> Option<DateTime<FixedOffset>> {
    const MONTHS: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    const ZONES: &[(&str, i32)] = &[
        ("utc", 0),
        ("gmt", 0),
        ("z", 0),
        ("ut", 0),
        ("est", -5),
        ("edt", -4),
        ("cst", -6),
        ("cdt", -5),
        ("mst", -7),
        ("mdt", -6),
        ("pst", -8),
        ("pdt", -7),
        ("cet", 1),
        ("cest", 2),
        ("bst", 1),
    ];
    let (mut year, mut month, mut day): (Option<i32>, Option<u32>, Option<u32>) = (None, None, None);
    let mut hms: Option<(u32, u32, u32)> = None;
    let (mut pm, mut offset): (Option<bool>, Option<i32>) = (None, None);
    let mut numbers = Vec::new();
    let spaced = s.replace(',', " ");
    for raw in spaced.split_whitespace() {
        let word = raw.trim_end_matches('.').to_ascii_lowercase();
        if let Some(sign) = word.chars().next().filter(|c| (*c == '+' || *c == '-') && word.len() > 2) {
            let digits: String = word[1..].chars().filter(char::is_ascii_digit).collect();
            let (h, m) = match digits.len() {
                4 => (digits[..2].parse::<i32>().ok()?, digits[2..].parse::<i32>().ok()?),
                1 | 2 => (digits.parse().ok()?, 0),
                _ => return None,
            };
            let secs = (h * 60 + m) * 60;
            offset = Some(if sign == '-' { -secs } else { secs });
        } else if let Some((_, h)) = ZONES.iter().find(|(z, _)| *z == word) {
            offset = Some(h * 3600);
        } else if word == "am" || word == "pm" {
            pm = Some(word == "pm");
        } else if word.contains(':') {
            let (clock, suffix) = match word.strip_suffix("pm").or_else(|| word.strip_suffix("am")) {
                Some(c) => (c, Some(word.ends_with("pm"))),
                None => (word.as_str(), None),
            };
            let mut parts = clock.split(':').map(|p| p.split('.').next().unwrap_or("").parse::<u32>());
            let h = parts.next()?.ok()?;
            let m = parts.next().unwrap_or(Ok(0)).ok()?;
            let sec = parts.next().unwrap_or(Ok(0)).ok()?;
            hms = Some((h, m, sec));
            if suffix.is_some() {
                pm = suffix;
            }
        } else if word.contains(['/', '-', '.']) && word.chars().next().is_some_and(|c| c.is_ascii_digit()) {
            let parts: Vec<u32> = word.split(['/', '-', '.']).map(|p| p.parse().ok()).collect::<Option<_>>()?;
            let [a, b, c] = parts[..] else { return None };
            if word.split(['/', '-', '.']).next().is_some_and(|p| p.len() == 4) {
                (year, month, day) = (Some(a as i32), Some(b), Some(c));
            } else {
                (day, month, year) = (Some(a), Some(b), Some(c as i32));
            }
        } else if let Some(m) = MONTHS.iter().position(|m| word.len() >= 3 && word.starts_with(m)) {
            if month.is_some() && day.is_some() {
                // A weekday name would be caught here only if it looked like a month: none does.
                return None;
            }
            month = Some(m as u32 + 1);
        } else if let Some(n) = word
            .trim_end_matches(|c: char| c.is_ascii_alphabetic())
            .parse::<u32>()
            .ok()
            .filter(|_| word.chars().next().is_some_and(|c| c.is_ascii_digit()))
        {
            numbers.push((n, word.len()));
        } else if ["mon", "tue", "wed", "thu", "fri", "sat", "sun"].iter().any(|d| word.starts_with(d))
            || matches!(word.as_str(), "at" | "of" | "the" | "t")
        {
        } else {
            return None;
        }
    }
    for (n, len) in numbers {
        if len >= 4 || n > 31 {
            year = year.or(Some(n as i32));
        } else if day.is_none() {
            day = Some(n);
        } else if year.is_none() {
            year = Some(n as i32 + if n < 69 { 2000 } else { 1900 });
        }
    }
    let date = NaiveDate::from_ymd_opt(year?, month?, day?)?;
    let (mut h, m, sec) = hms.unwrap_or((0, 0, 0));
    match pm {
        Some(true) if h < 12 => h += 12,
        Some(false) if h == 12 => h = 0,
        _ => {}
    }
    let local = date.and_hms_opt(h, m, sec)?;
    match offset {
        Some(secs) => FixedOffset::east_opt(secs)?.from_local_datetime(&local).single(),
        None => tz.from_local_datetime(&local).earliest().map(|d| d.fixed_offset()),
    }
}

/// `2024-01-02-some-title.md` (or `2024-1-2-...`, as Jekyll allows) →
/// (date, `some-title`).
fn file_date(stem: &str) -> Option<(NaiveDate, &str)> {
    let (day, rest) = broadsheet_base::date::from_file_name(stem)?;
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
    let text = match broadsheet_base::confine::read(root, rel) {
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
    symbol_note(&text, &shown, imported);
    let (front, body) = split(&text);
    let front = with_defaults(&cfg.defaults, &rel.to_string_lossy().replace('\\', "/"), "posts", front);
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
    item.date = date_of(&front, "date", tz).or_else(|| midnight(named?.0, tz));
    item.title = front.get("title").and_then(Value::as_str).map(str::trim).filter(|t| !t.is_empty()).map_or_else(
        || title_slug.split('-').map(capitalize).collect::<Vec<_>>().join(" "),
        super::html::decode_entities,
    );
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
    credit_authors(imported, &mut item, &front);
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
    item.html = matches!(ext.as_str(), "html" | "htm");
    item.body = convert_body(body, body_line, item.html, &front, cfg, &shown, imported);
    Some(item)
}

/// What a page is once read.
enum Read {
    Item(Item),
    /// A page without text of its own (its layout made it): kept only
    /// when its URL is no listing of the new site.
    Bare(Item),
    /// A `redirect_to` page (jekyll-redirect-from): its URL, and where it sent readers.
    Redirect {
        origin: String,
        from: String,
        to: String,
    },
    /// An HTML page made by Liquid over the site's posts (a listing, an
    /// archive): the theme's work, kept out.
    Listing {
        origin: String,
        url: String,
    },
}

fn read_page(root: &Path, rel: &Path, cfg: &Config, imported: &mut Imported) -> Option<Read> {
    let shown = rel.display().to_string();
    let text = broadsheet_base::confine::read_to_string(root, rel).ok()?;
    let (front, body) = split(&text);
    let rel_str = rel.to_string_lossy().replace('\\', "/");
    let front = with_defaults(&cfg.defaults, &rel_str, "pages", front);
    let stem = rel.file_stem()?.to_string_lossy().into_owned();
    let ext = rel.extension().map(|e| e.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    let html = matches!(ext.as_str(), "html" | "htm");
    let old = page_url(rel, &front, &cfg.style);
    if old.is_empty() || old == "index.html" || (stem == "404" && rel.parent().is_none_or(|p| p.as_os_str().is_empty()))
    {
        // The front page and 404 are Broadsheet's.
        imported.count("pages without text of their own left out (listings their layout made)", 1);
        return None;
    }
    if (html && is_template(body)) || lists(body) || layout_lists(root, &front) {
        return Some(Read::Listing { origin: shown, url: old });
    }
    if let Some(to) = redirect_target(&front) {
        return Some(Read::Redirect { origin: shown, from: old, to });
    }
    let body_line = text[..text.len() - body.len()].lines().count() + 1;
    let mut item = Item::new(Kind::Page, shown.clone());
    item.title =
        front.get("title").and_then(Value::as_str).map(str::trim).filter(|t| !t.is_empty()).map_or_else(
            || titleize(if stem == "index" { parent_name(rel) } else { &stem }),
            super::html::decode_entities,
        );
    item.draft = front.get("published").and_then(Value::as_bool) == Some(false);
    item.summary = front.get("description").and_then(Value::as_str).map(str::to_string);
    item.slug = if stem == "index" { parent_name(rel).to_string() } else { stem.clone() };
    // The URL's last name (`community` of `/community/index.html`).
    let named = old.trim_end_matches('/').trim_end_matches("index.html").trim_end_matches("index.htm");
    if let Some(last) = named.trim_end_matches('/').rsplit('/').next().map(|s| s.trim_end_matches(".html"))
        && !last.is_empty()
    {
        item.slug = last.to_string();
    }
    item.old_paths.push(old);
    item.old_paths
        .extend(words(&front, &["redirect_from"], false).iter().map(|p| p.trim_start_matches('/').to_string()));
    item.link_keys.push(rel_str);
    item.html = html;
    item.body = convert_body(body, body_line, item.html, &front, cfg, &shown, imported);
    if item.body.trim().is_empty() {
        let layout = front.get("layout").and_then(Value::as_str).unwrap_or("its layout");
        imported.note(
            &shown,
            format!(
                "it has no text of its own (layout `{layout}` made it, and Broadsheet does not run Jekyll layouts): \
                 it was imported as a page without text so its old URL answers; write its text"
            ),
        );
        return Some(Read::Bare(item));
    }
    Some(Read::Item(item))
}

/// An HTML page with front matter that is a theme's work, not content:
/// it shows other content (`{{ content }}`, a paginator) or is a whole
/// document of its own. (Loops over the site's posts: [`lists`].)
fn is_template(body: &str) -> bool {
    let squeezed: String = body.chars().filter(|c| !c.is_whitespace()).collect();
    let lower = squeezed.to_ascii_lowercase();
    lower.contains("{{content}}")
        || lower.contains("paginator.")
        || lower.starts_with("<!doctype")
        || lower.starts_with("<html")
}

/// Liquid that lists the site's posts, pages or collections: a listing
/// (an archive, a category page), not a page of its own.
fn lists(text: &str) -> bool {
    ["paginator", "site.posts", "site.categories", "site.tags", "site.collections"].iter().any(|w| {
        text.match_indices(w).any(|(at, _)| {
            let before = text[..at].chars().next_back();
            let after = text[at + w.len()..].chars().next();
            let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
            !word(before) && !word(after)
        })
    })
}

/// Whether the page's layout (or a layout it sits in) lists the site's posts.
fn layout_lists(root: &Path, front: &Value) -> bool {
    let mut layout = front.get("layout").and_then(Value::as_str).map(str::to_string);
    for _ in 0..10 {
        let Some(name) = layout.take().filter(|n| !n.is_empty() && !n.contains("..")) else { return false };
        let found = ["html", "md", "htm"].iter().find_map(|ext| {
            broadsheet_base::confine::read_to_string(root, &Path::new("_layouts").join(format!("{name}.{ext}"))).ok()
        });
        let Some(text) = found else { return false };
        let (front, body) = split(&text);
        if lists(body) {
            return true;
        }
        layout = front.get("layout").and_then(Value::as_str).map(str::to_string);
    }
    false
}

/// The first target of `redirect_to` (a string or a list).
fn redirect_target(front: &Value) -> Option<String> {
    match front.get("redirect_to")? {
        Value::String(s) => Some(s.trim().to_string()),
        Value::Array(list) => list.iter().find_map(Value::as_str).map(|s| s.trim().to_string()),
        _ => None,
    }
    .filter(|s| !s.is_empty())
}

fn parent_name(rel: &Path) -> &str {
    rel.parent().and_then(Path::file_name).and_then(|n| n.to_str()).unwrap_or("page")
}

/// `my-page_name` → `My Page Name`.
fn titleize(stem: &str) -> String {
    stem.split(['-', '_', ' ']).filter(|w| !w.is_empty()).map(capitalize).collect::<Vec<_>>().join(" ")
}

/// The URL Jekyll gives a page (`Page#template`), without the leading `/`.
fn page_url(rel: &Path, front: &Value, style: &str) -> String {
    let stem = rel.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let ext = rel.extension().map(|e| e.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    let output_ext = match ext.as_str() {
        "md" | "markdown" | "mkd" | "mkdn" | "mdown" => ".html".to_string(),
        e => format!(".{e}"),
    };
    let dir = rel.parent().map(|p| p.to_string_lossy().replace('\\', "/")).unwrap_or_default();
    let template = match front.get("permalink").and_then(Value::as_str).map(str::trim).filter(|p| !p.is_empty()) {
        Some(p) => p.to_string(),
        None if !matches!(output_ext.as_str(), ".html" | ".htm" | ".xhtml") => "/:path/:basename:output_ext".into(),
        None if stem == "index" => "/:path/".into(),
        None => add_permalink_suffix("/:path/:basename", style),
    };
    let url = template.replace(":path", &dir).replace(":basename", &stem).replace(":output_ext", &output_ext);
    squeeze(&url)
}

/// `Utils.add_permalink_suffix`: a template ends as the site's style does.
fn add_permalink_suffix(template: &str, style: &str) -> String {
    let mut t = template.to_string();
    match style {
        "pretty" => t.push('/'),
        "date" | "ordinal" | "none" => t.push_str(":output_ext"),
        s => {
            if s.ends_with('/') {
                t.push('/');
            }
            if s.ends_with(":output_ext") {
                t.push_str(":output_ext");
            }
        }
    }
    t
}

/// Repeated `/` made one, the leading one dropped; `x/index.html` is
/// `x/` (one file answers both, and a redirect there would replace the
/// page it leads to).
fn squeeze(url: &str) -> String {
    let mut url = url.to_string();
    while url.contains("//") {
        url = url.replace("//", "/");
    }
    let url = url.trim_start_matches('/');
    match url.strip_suffix("index.html") {
        Some(folder) if folder.is_empty() || folder.ends_with('/') => folder.to_string(),
        _ => url.to_string(),
    }
}

/// Pages whose text a layout made are kept unless their URL is now a
/// listing of the new site (a section, the front page), which answers it.
/// Listings the theme made are left out; their URL answers when it is a
/// section's, and is a report line when it is not.
fn keep_bare_pages(imported: &mut Imported, bare: Vec<Item>, listings: Vec<(String, String)>) {
    let sections: std::collections::HashSet<String> =
        imported.items.iter().filter(|i| i.kind == Kind::Article).map(|i| format!("{}/", section_of(i))).collect();
    for (origin, url) in listings {
        imported.count("template files left out (HTML, XML or Sass with front matter: the old theme's)", 1);
        if !sections.contains(&normalized(&url)) {
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

/// A document of a collection Jekyll writes: an article when it has a
/// date (front matter or file name), a page otherwise; at the URL Jekyll
/// gives it.
fn read_doc(root: &Path, rel: &Path, coll: &Collection, cfg: &Config, imported: &mut Imported) -> Option<Item> {
    let shown = rel.display().to_string();
    let text = match broadsheet_base::confine::read_to_string(root, rel) {
        Ok(t) => t,
        Err(e) => {
            imported.skip("unreadable");
            imported.note(&shown, format!("not imported: {e}"));
            return None;
        }
    };
    symbol_note(&text, &shown, imported);
    let (front, body) = split(&text);
    let rel_str = rel.to_string_lossy().replace('\\', "/");
    let front = with_defaults(&cfg.defaults, &rel_str, &coll.label, front);
    if front.get("published").and_then(Value::as_bool) == Some(false) {
        imported.skip("unpublished (`published: false`)");
        return None;
    }
    let stem = rel.file_stem()?.to_string_lossy().into_owned();
    let ext = rel.extension().map(|e| e.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    let named = file_date(&stem);
    let tz = cfg.timezone;
    let date = date_of(&front, "date", tz).or_else(|| midnight(named?.0, tz));
    let title_slug = named.map_or(stem.as_str(), |(_, rest)| rest).trim_end_matches('.').to_string();
    let slug_field = front.get("slug").and_then(Value::as_str).map(str::to_string);
    let kind = if date.is_some() { Kind::Article } else { Kind::Page };
    let mut item = Item::new(kind, shown.clone());
    item.date = date;
    item.title = front
        .get("title")
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .or_else(|| display_name(&front))
        .map_or_else(|| titleize(&title_slug), super::html::decode_entities);
    let categories = words(&front, &["categories", "category"], true);
    item.section = categories.first().cloned().unwrap_or_else(|| coll.label.clone());
    item.tags = categories.iter().skip(1).chain(&words(&front, &["tags", "tag"], true)).cloned().collect();
    item.slug = slug_field.clone().unwrap_or_else(|| title_slug.clone());
    credit_authors(imported, &mut item, &front);
    item.summary = ["excerpt", "description", "summary"]
        .iter()
        .find_map(|k| front.get(*k).and_then(Value::as_str))
        .map(super::html::strip_tags);
    let pattern = front
        .get("permalink")
        .and_then(Value::as_str)
        .map(str::to_string)
        .or_else(|| coll.permalink.clone())
        .unwrap_or_else(|| add_permalink_suffix("/:collection/:path", &cfg.style));
    let coll_dir = coll.dir.to_string_lossy().replace('\\', "/");
    let path = rel_str.strip_prefix(&coll_dir).unwrap_or(&rel_str);
    let path = path.strip_suffix(&format!(".{}", rel.extension()?.to_string_lossy())).unwrap_or(path);
    let date_in_url =
        ["year", "month", "day", "hour", "minute", "second", "y_day", "week", "w_", "i_", "short_", "long_"]
            .iter()
            .any(|t| pattern.contains(&format!(":{t}")));
    let local = date.map(|d| d.with_timezone(&tz.unwrap_or(chrono_tz::UTC)).naive_local());
    let marks = Marks {
        collection: &coll.label,
        path: path.trim_end_matches('.'),
        basename: &stem,
        title: &title_slug,
        slug: slug_field.as_deref(),
        categories: &categories,
        ext: &ext,
    };
    match (local, date_in_url) {
        (None, true) => imported.note(
            &shown,
            format!(
                "its old URL (`{pattern}`) held the day Jekyll built the site, since it has no date: it cannot be kept"
            ),
        ),
        _ => item.old_paths.push(expand(&pattern, &marks, local.as_ref())),
    }
    item.old_paths
        .extend(words(&front, &["redirect_from"], false).iter().map(|p| p.trim_start_matches('/').to_string()));
    item.link_keys.push(rel_str);
    let body_line = text[..text.len() - body.len()].lines().count() + 1;
    item.html = matches!(ext.as_str(), "html" | "htm");
    item.body = convert_body(body, body_line, item.html, &front, cfg, &shown, imported);
    if coll.label == "authors" {
        let old = item.old_paths.first().cloned().unwrap_or_default();
        imported.note(
            &shown,
            format!(
                "its old URL /{old} is an author's page: Broadsheet lists each author's stories at /authors/<name>/; \
                 the old URL is kept as a page with the author's text"
            ),
        );
    }
    Some(item)
}

fn midnight(day: NaiveDate, tz: Option<chrono_tz::Tz>) -> Option<DateTime<FixedOffset>> {
    tz.unwrap_or(chrono_tz::UTC).from_local_datetime(&day.and_hms_opt(0, 0, 0)?).earliest().map(|d| d.fixed_offset())
}

/// Front matter with `defaults:` filled in (`scope: {path, type}`; a
/// longer path wins, and the file's own front matter over all).
fn with_defaults(defaults: &Value, rel: &str, kind: &str, front: Value) -> Value {
    let Some(list) = defaults.as_array() else { return front };
    type Rank = (usize, bool);
    let mut sets: Vec<(Rank, &serde_json::Map<String, Value>)> = list
        .iter()
        .filter_map(|d| {
            let scope = d.get("scope");
            let path = scope.and_then(|s| s.get("path")).and_then(Value::as_str).unwrap_or("").trim_matches('/');
            let ty = scope.and_then(|s| s.get("type")).and_then(Value::as_str);
            let path_ok = path.is_empty()
                || rel == path
                || rel.starts_with(&format!("{path}/"))
                || (path.contains('*') && glob_match(path, rel));
            (path_ok && ty.is_none_or(|t| t == kind))
                .then(|| Some(((path.len(), ty.is_some()), d.get("values")?.as_object()?)))?
        })
        .collect();
    sets.sort_by_key(|(rank, _)| *rank);
    let mut merged = serde_json::Map::new();
    for (_, values) in sets {
        for (k, v) in values {
            merged.insert(k.clone(), v.clone());
        }
    }
    if let Value::Object(own) = front {
        merged.extend(own);
    }
    if merged.is_empty() { Value::Null } else { Value::Object(merged) }
}

/// A `*` glob over a path (`scope: {path: "section/*/special"}`).
fn glob_match(pattern: &str, path: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    let [first, .., last] = parts[..] else { return false };
    if !path.starts_with(first) || !path.ends_with(last) || path.len() < first.len() + last.len() {
        return false;
    }
    let mut rest = &path[first.len()..path.len() - last.len()];
    for part in &parts[1..parts.len() - 1] {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    true
}

fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

/// What a post's or document's URL is made of (Jekyll's `UrlDrop`).
struct Marks<'a> {
    collection: &'a str,
    /// The file's path in its collection, without extension (`/2024-01-02-x`).
    path: &'a str,
    /// The file name without extension.
    basename: &'a str,
    /// The file name without its date (a post's slug as Jekyll reads it).
    title: &'a str,
    /// `slug:` in front matter.
    slug: Option<&'a str>,
    categories: &'a [String],
    ext: &'a str,
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
    let marks = Marks { collection: "posts", path: title, basename: title, title, slug, categories, ext };
    expand(pattern, &marks, Some(date))
}

/// A permalink style or pattern, its placeholders filled in as Jekyll
/// does (`URL#generate_url_from_drop`: each `:name` is read whole).
fn expand(pattern: &str, m: &Marks, date: Option<&chrono::NaiveDateTime>) -> String {
    use chrono::{Datelike, Timelike};
    let pattern = match pattern {
        "date" => "/:categories/:year/:month/:day/:title:output_ext",
        "pretty" => "/:categories/:year/:month/:day/:title/",
        "ordinal" => "/:categories/:year/:y_day/:title:output_ext",
        "weekdate" => "/:categories/:year/W:week/:short_day/:title:output_ext",
        "none" => "/:categories/:title:output_ext",
        p => p,
    };
    let out_ext = if matches!(m.ext, "html" | "htm") { format!(".{}", m.ext) } else { ".html".to_string() };
    let mut seen = std::collections::HashSet::new();
    let cats: Vec<String> = m.categories.iter().map(|c| c.to_lowercase()).filter(|c| seen.insert(c.clone())).collect();
    let value = |name: &str| -> Option<String> {
        let d = date;
        Some(match name {
            "collection" => m.collection.to_string(),
            "path" => m.path.to_string(),
            "categories" => cats.join("/"),
            "slugified_categories" => {
                m.categories.iter().map(|c| jekyll_slugify(c, "default", false)).collect::<Vec<_>>().join("/")
            }
            "output_ext" => out_ext.clone(),
            "title" => jekyll_slugify(m.slug.unwrap_or(m.title), "pretty", true),
            "slug" => jekyll_slugify(m.slug.unwrap_or(m.title), "default", false),
            "name" => jekyll_slugify(m.basename, "default", false),
            "year" => format!("{:04}", d?.year()),
            "short_year" => format!("{:02}", d?.year() % 100),
            "w_year" => d?.format("%G").to_string(),
            "month" => format!("{:02}", d?.month()),
            "i_month" => d?.month().to_string(),
            "short_month" => d?.format("%b").to_string(),
            "long_month" => d?.format("%B").to_string(),
            "day" => format!("{:02}", d?.day()),
            "i_day" => d?.day().to_string(),
            "y_day" => format!("{:03}", d?.ordinal()),
            "short_day" => d?.format("%a").to_string(),
            "long_day" => d?.format("%A").to_string(),
            "week" => d?.format("%V").to_string(),
            "w_day" => d?.format("%u").to_string(),
            "hour" => format!("{:02}", d?.hour()),
            "minute" => format!("{:02}", d?.minute()),
            "second" => format!("{:02}", d?.second()),
            _ => return None,
        })
    };
    let mut url = String::with_capacity(pattern.len() + 16);
    let mut rest = pattern;
    while let Some(at) = rest.find(':') {
        url.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let len = after.find(|c: char| !(c.is_ascii_lowercase() || c == '_')).unwrap_or(after.len());
        let name = &after[..len];
        // `:title_` is `:title` then `_` when there is no `title_`.
        let found = value(name).map(|v| (v, len)).or_else(|| {
            let short = name.strip_suffix('_')?;
            value(short).map(|v| (v, short.len()))
        });
        match found {
            Some((v, used)) => {
                url.push_str(&v);
                rest = &after[used..];
            }
            None => {
                url.push(':');
                rest = after;
            }
        }
    }
    url.push_str(rest);
    squeeze(&url)
}

/// `Utils.slugify` as Jekyll 4 does it: `default` keeps letters, marks and
/// digits; `pretty` also `._~!$&'()+,;=@`; every other run becomes one
/// `-`, none at either end; lower case unless `cased`.
fn jekyll_slugify(s: &str, mode: &str, cased: bool) -> String {
    let keep = |c: char| {
        c.is_alphanumeric()
            || unicode_mark(c)
            || (mode == "pretty" && "._~!$&'()+,;=@".contains(c))
            || (mode == "raw" && !c.is_whitespace())
    };
    let mut out = String::with_capacity(s.len());
    let mut gap = false;
    for c in s.chars() {
        if keep(c) {
            if gap && !out.is_empty() {
                out.push('-');
            }
            gap = false;
            out.push(c);
        } else {
            gap = true;
        }
    }
    // A run at either end is dropped, as `gsub!(/^-|-$/)` does.
    if cased { out } else { out.to_lowercase() }
}

fn unicode_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

/// `{{ site.baseurl }}/x` and `{{ '/x' | relative_url }}` → `/x`.
pub(crate) fn strip_liquid_urls(s: &str) -> String {
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

/// A post's, page's or document's body as Broadsheet reads it: Liquid
/// rewritten or hidden (each hidden tag a report line), WordPress
/// shortcodes of a site moved from WordPress (`wordpress_id` in front
/// matter, or `[/caption]` in the text) as the WordPress importer converts
/// them, and kramdown made CommonMark.
fn convert_body(
    body: &str,
    body_line: usize,
    html: bool,
    front: &Value,
    cfg: &Config,
    shown: &str,
    imported: &mut Imported,
) -> String {
    let (mut converted, notes) = liquid(body, body_line, &cfg.excerpt_separator);
    for (line, what) in notes {
        imported.note(format!("{shown}:{line}"), what);
    }
    if front.get("wordpress_id").is_some() || converted.contains("[/caption]") {
        converted = super::wordpress::shortcodes(&converted, shown, imported);
    }
    if html { converted } else { super::kramdown::to_commonmark(&converted) }
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
                            "Liquid `{{% {} %}}` hidden in an HTML comment: Broadsheet does not run Liquid; rewrite it by hand",
                            clip(tag)
                        ),
                    ));
                    rebuilt.push_str(&super::hidden(&rest[start..end]));
                }
            }
            rest = &rest[end..];
        }
        rebuilt.push_str(rest);
        if !raw && !had_raw {
            let mut stripped = strip_liquid_urls(&rebuilt);
            let mut from = 0;
            while let Some(at) = stripped[from..].find("{{").map(|a| from + a) {
                let Some(end) = stripped[at..].find("}}").map(|e| at + e + 2) else { break };
                notes.push((
                    n,
                    format!(
                        "Liquid `{}` hidden in an HTML comment: Broadsheet does not run Liquid; rewrite it by hand",
                        clip(&stripped[at..end])
                    ),
                ));
                let comment = super::hidden(&stripped[at..end]);
                stripped.replace_range(at..end, &comment);
                from = at + comment.len();
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
    fn titles_in_urls_are_slugified_as_jekyll_does() {
        assert_eq!(jekyll_url("date", &[], "jobs copy", None, &at(2022, 9, 7), "md"), "2022/09/07/jobs-copy.html");
        assert_eq!(jekyll_url("/:title/", &[], "Use-VS-Code", None, &at(2022, 9, 7), "md"), "Use-VS-Code/");
        assert_eq!(jekyll_url("/:slug/", &[], "Use VS Code!", None, &at(2022, 9, 7), "md"), "use-vs-code/");
        assert_eq!(jekyll_slugify("  Café: the (best) one ", "pretty", true), "Café-the-(best)-one");
        assert_eq!(jekyll_slugify("--a__b--", "default", false), "a-b");
    }

    #[test]
    fn dates_in_prose_are_read_as_rubys_time_parse_reads_them() {
        let utc = chrono_tz::UTC;
        let read = |s: &str| prose_date(s, utc).map(|d| d.to_rfc3339());
        assert_eq!(read("June 2, 2020").as_deref(), Some("2020-06-02T00:00:00+00:00"));
        assert_eq!(read("2 June 2020").as_deref(), Some("2020-06-02T00:00:00+00:00"));
        assert_eq!(read("Jun 2nd, 2020").as_deref(), Some("2020-06-02T00:00:00+00:00"));
        assert_eq!(read("June 2, 2020 10:30 PM").as_deref(), Some("2020-06-02T22:30:00+00:00"));
        assert_eq!(read("Tue, 02 Jun 2020 10:00:00 +0200").as_deref(), Some("2020-06-02T10:00:00+02:00"));
        assert_eq!(read("June 2 2020 10:30:00 EST").as_deref(), Some("2020-06-02T10:30:00-05:00"));
        assert_eq!(read("2020/06/02").as_deref(), Some("2020-06-02T00:00:00+00:00"));
        assert_eq!(read("06/02/2020").as_deref(), Some("2020-02-06T00:00:00+00:00"), "day first, as Ruby reads it");
        assert_eq!(read("02.06.2020").as_deref(), Some("2020-06-02T00:00:00+00:00"));
        assert_eq!(read("someday"), None);
        let front: Value = serde_json::json!({"date": "June 2, 2020"});
        let london: chrono_tz::Tz = "Europe/London".parse().unwrap();
        assert_eq!(date_of(&front, "date", Some(london)).unwrap().to_rfc3339(), "2020-06-02T00:00:00+01:00");
    }

    #[test]
    fn pages_end_their_urls_as_the_sites_style_does() {
        let none = Value::Null;
        let url = |rel: &str, style: &str| page_url(Path::new(rel), &none, style);
        assert_eq!(url("about/index.md", "date"), "about/");
        assert_eq!(url("examples/cities.md", "pretty"), "examples/cities/");
        assert_eq!(url("examples/cities.md", "date"), "examples/cities.html");
        assert_eq!(url("work.html", "/:year/:title/"), "work/");
        assert_eq!(url("documentation.html", "/:title"), "documentation");
        assert_eq!(url("news.md", "/:year/:title:output_ext"), "news.html");
        assert_eq!(url("index.md", "pretty"), "");
        let own = serde_json::json!({"permalink": "/community/index.html"});
        assert_eq!(page_url(Path::new("pages/community.html"), &own, "pretty"), "community/");
        let own = serde_json::json!({"permalink": "pages/alicloud"});
        assert_eq!(page_url(Path::new("pages/alicloud.md"), &own, "pretty"), "pages/alicloud");
    }

    #[test]
    fn front_matter_jekyll_refuses_is_found() {
        assert_eq!(ruby_symbol("---\ntitle: x\nsummary: :-)\n---\nbody"), Some("summary"));
        assert_eq!(ruby_symbol("---\ntitle: \":-)\"\ntime: 10:30\n---\n"), None);
        assert_eq!(ruby_symbol("---\ntitle: x\n---\nnote: :-)\n"), None, "only front matter counts");
    }

    #[test]
    fn globs_match_as_jekylls_exclude_does() {
        assert!(glob_match("*.gemspec", "x.gemspec"));
        assert!(!glob_match("*.gemspec", "x.gemspec.bak"));
        assert!(glob_match("docs/*/draft.md", "docs/a/draft.md"));
        assert!(!glob_match("README", "README"), "no `*`: compared as a path, not here");
    }

    #[test]
    fn defaults_fill_front_matter_by_path_and_type() {
        let defaults = serde_json::json!([
            {"scope": {"path": ""}, "values": {"layout": "a", "permalink": "/:title/"}},
            {"scope": {"path": "docs", "type": "pages"}, "values": {"layout": "b"}},
            {"scope": {"type": "releases"}, "values": {"permalink": "/r/:title/"}},
        ]);
        let front = with_defaults(&defaults, "docs/x.md", "pages", serde_json::json!({"title": "X"}));
        assert_eq!(front["layout"], "b");
        assert_eq!(front["title"], "X");
        let front = with_defaults(&defaults, "_releases/x.md", "releases", Value::Null);
        assert_eq!(front["permalink"], "/r/:title/");
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
