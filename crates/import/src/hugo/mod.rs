//! A Hugo site folder: its configuration (one file or `config/_default/`),
//! `content/` (sections, leaf bundles, every language of a multilingual
//! site, each read as a `Site` of its own and its files linked to their
//! translations), front matter in TOML, YAML or JSON, the built-in shortcodes
//! Broadsheet can say in Markdown, and `static/`. Each post's old URL is
//! computed the way Hugo computes it (`url`, the section's permalink
//! pattern, or the content path), so the planner keeps it or writes an
//! alias. Theme files (`layouts/`, `assets/`, `themes/`) are not imported.
//! This module walks the content tree and places what it found; the
//! configuration is read in `config`, each page in `page`, its URL in
//! `urls` and its shortcodes in `shortcodes`.

mod config;
mod page;
mod shortcodes;
mod tree;
mod urls;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use anyhow::anyhow;
use chrono::{DateTime, FixedOffset};
use serde_json::{Map, Value};

use crate::common::{DOCS_SECTION, borrowed_images, front_matter, get, list_of, split_lang, statics, text_of};
use crate::{Imported, Item, Kind, Options};
use broadsheet_base::slug::slugify;
use config::load_config;
use page::headless;
use tree::Tree;
use urls::urlize_with;

/// Reads the Hugo site at `opts.source`.
pub fn read(opts: &Options) -> broadsheet_base::error::Result<Imported> {
    let source = &opts.source;
    if !source.is_dir() {
        return Err(anyhow!("{} is not a folder: give the Hugo site's folder", source.display()).into());
    }
    let (config, config_name) = load_config(source)?;
    let mut imported = Imported::default();
    let mut site = Site::new(&config, opts, source, &config_name, &mut imported);
    // Without --language, every language the site builds is imported.
    let languages = if opts.language.is_none() { enabled_languages(&config, &site.default_lang) } else { Vec::new() };
    let mut others: Vec<Site> = Vec::new();
    for lang in languages.iter().skip(1) {
        let opts = Options { language: Some(lang.clone()), ..opts.clone() };
        // Site-wide values (title, address, zone) are the default language's.
        let mut scratch = Imported::default();
        let mut other = Site::new(&config, &opts, source, &config_name, &mut scratch);
        other.imported_langs = languages.iter().cloned().collect();
        if scratch.base_url != imported.base_url && scratch.base_url != "https://example.com/" {
            // A language with an address of its own (Hugo's multihost) is served at its root there.
            other.own_host = Some(scratch.base_url.clone());
            other.prefix = String::new();
        }
        others.push(other);
    }
    site.imported_langs = languages.iter().cloned().collect();
    if !others.is_empty() {
        imported.language = Some(site.default_lang.to_lowercase());
        imported.languages = languages.iter().map(|l| language_of(&config, l, l == &languages[0])).collect();
    }

    // Sections' titles and the content files, by folder.
    imported.roots.push(source.to_path_buf());
    other_languages(&config, &site, &mut imported);
    // A multilingual site's default language also answers at `/en/` (Hugo
    // writes a redirect there to the home page).
    // (With `defaultContentLanguageInSubdir`, `/en/` was its home page.)
    let home_in_subdir = site.in_subdir && site.lang == site.default_lang;
    if (site.prefix.is_empty() || home_in_subdir)
        && get(&config, "languages").and_then(Value::as_object).is_some_and(|l| l.len() > 1)
    {
        imported.redirects.push(crate::Redirect {
            origin: config_name.clone(),
            from: format!("{}/", site.lang),
            section: None,
            target: String::new(),
        });
    }
    // Which languages read each content folder (a file of another
    // language in a folder that language reads is left to it).
    let mut trees = vec![(site.lang.clone(), site.content.clone())];
    trees.extend(others.iter().map(|o| (o.lang.clone(), o.content.clone())));
    for s in std::iter::once(&mut site).chain(others.iter_mut()) {
        s.shares = trees.iter().filter(|(_, c)| *c == s.content).map(|(l, _)| l.to_lowercase()).collect();
    }
    let (mut found, mut resources) = read_language(&config, source, &mut site, &mut imported);
    for mut other in others {
        let (more, files) = read_language(&config, source, &mut other, &mut imported);
        found.extend(more);
        // A section's file is published once, whichever languages list it.
        for (from, to) in files {
            if !resources.iter().any(|(f, _)| *f == from) {
                resources.push((from, to));
            }
        }
    }
    keep_written_days(&mut found, &config_name, &mut imported);
    place_undated(&mut imported, found);
    drop_absent_terms(&mut imported);
    copy_statics(&config, source, &mut imported);
    add_resources(&mut imported, resources);
    crate::pictures::rebase_pictures(&mut imported);
    Ok(imported)
}

/// One language's content: its tree, sections, terms, pages and listings.
fn read_language(
    config: &Map<String, Value>,
    source: &Path,
    site: &mut Site,
    imported: &mut Imported,
) -> (Vec<Found>, Vec<(PathBuf, PathBuf)>) {
    site.tree =
        Tree::mounted(config, source, &site.lang, imported).unwrap_or_else(|| Tree::folder(&site.content, imported));
    let files: Vec<PathBuf> = site.tree.paths();
    // Folders with an `_index` file: Hugo's sections (`:sections`).
    site.section_dirs = files
        .iter()
        .filter(|f| {
            f.file_stem().and_then(|s| s.to_str()).is_some_and(|s| split_lang(s, &site.languages).0 == "_index")
        })
        .filter_map(|f| f.parent().map(|p| p.to_string_lossy().replace('\\', "/")))
        .collect();
    site.read_terms(&files);
    let listings = imported.redirects.len();
    let (mut found, resources) = read_content(site, &files, imported);
    folder_redirects(site, &files, imported);
    if let Some(host) = &site.own_host {
        // Its URLs are on another address: none can be kept under /<lang>/.
        let lang = &site.lang;
        let lost = imported.redirects.len() - listings;
        imported.redirects.truncate(listings);
        let mut n = lost;
        for (item, ..) in found.iter_mut() {
            for old in item.old_paths.drain(..) {
                n += 1;
                imported.note(
                    &item.origin,
                    format!("its old URL {host}{old} is on language `{lang}`'s own address: Broadsheet builds `{lang}` under /{lang}/ of the site, so it is not kept (redirect it on that address)"),
                );
            }
        }
        imported.count(crate::plan::OTHER_LANGUAGE_URLS, n);
        if lost > 0 {
            imported.note(
                format!("{}/", site.origin(Path::new(""))),
                format!(
                    "language `{lang}` had its own address ({host}): its {lost} listings' old URLs there are not kept"
                ),
            );
        }
    }
    (found, resources)
}

/// The languages to import, the default first, then by `weight` and
/// code; disabled ones (`disabled = true`, `disableLanguages`) left out.
/// Empty for a site of one language.
fn enabled_languages(config: &Map<String, Value>, default_lang: &str) -> Vec<String> {
    let Some(table) = get(config, "languages").and_then(Value::as_object) else { return Vec::new() };
    let disabled: BTreeSet<String> =
        get(config, "disableLanguages").map(list_of).unwrap_or_default().iter().map(|l| l.to_lowercase()).collect();
    let mut langs: Vec<(bool, i64, String)> = table
        .iter()
        .filter(|(code, t)| {
            let off = t.as_object().and_then(|t| get(t, "disabled")).is_some_and(|d| d.as_bool() == Some(true));
            !off && !disabled.contains(&code.to_lowercase())
        })
        .map(|(code, t)| {
            let weight = t.as_object().and_then(|t| get(t, "weight")).and_then(Value::as_i64).unwrap_or(0);
            (!code.eq_ignore_ascii_case(default_lang), weight, code.to_lowercase())
        })
        .collect();
    langs.sort();
    if langs.len() < 2 || langs[0].0 {
        return Vec::new();
    }
    langs.into_iter().map(|(_, _, code)| code).collect()
}

/// `[languages.<code>]` of the new site: the language's own title and
/// description (or its `params`'), and its `languageName` (`label`).
fn language_of(config: &Map<String, Value>, code: &str, default: bool) -> crate::Language {
    let table =
        get(config, "languages").and_then(Value::as_object).and_then(|t| get(t, code)).and_then(Value::as_object);
    let value = |key: &str| {
        table
            .and_then(|t| get(t, key).or_else(|| get(t, "params").and_then(Value::as_object).and_then(|p| get(p, key))))
            .and_then(text_of)
            .filter(|v| !v.trim().is_empty())
    };
    crate::Language {
        code: code.to_string(),
        title: value("title").filter(|_| !default),
        description: value("description").filter(|_| !default),
        name: value("languageName").or_else(|| value("label")),
    }
}

/// Every content file outside a bundle's own files, read; and the other
/// files outside leaf bundles (a section's pictures), which Hugo publishes
/// at their paths: (where each really is, its path under static/).
fn read_content(site: &Site, files: &[PathBuf], imported: &mut Imported) -> (Vec<Found>, Vec<(PathBuf, PathBuf)>) {
    let bundles: BTreeSet<PathBuf> = files
        .iter()
        .filter(|f| f.file_stem().and_then(|s| s.to_str()).is_some_and(|s| split_lang(s, &site.languages).0 == "index"))
        .filter(|f| is_content(f))
        .filter_map(|f| f.parent().map(Path::to_path_buf))
        .collect();
    let in_bundle = |f: &Path| {
        bundles.iter().any(|b| f.starts_with(b) && f.parent() != Some(b.as_path()))
            || bundles.iter().any(|b| f.parent() == Some(b.as_path()) && !is_index(f, &site.languages))
    };
    let mut found: Vec<Found> = Vec::new();
    let mut resources = Vec::new();
    for rel in files {
        if in_bundle(rel) {
            continue;
        }
        if let Some(resource) = site.resource(rel) {
            resources.push(resource);
            continue;
        }
        read_file(site, rel, imported, &mut found);
    }
    (found, resources)
}

impl Site {
    /// A file of a branch bundle (`blog/img/x.png` beside `blog/_index.md`,
    /// or any folder's), not content: where it really is and the path Hugo
    /// publishes it at (its own, under the language's prefix).
    fn resource(&self, rel: &Path) -> Option<(PathBuf, PathBuf)> {
        let ext = rel.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
        if is_content(rel) || OTHER_FORMATS.contains(&ext.as_str()) || ext == "gotmpl" {
            return None;
        }
        // Its path as written: hugo 0.168 keeps a resource's case and spaces.
        Some((self.tree.real(rel)?, Path::new(self.prefix.trim_end_matches('/')).join(rel)))
    }
}

/// Branch-bundle files, copied where Hugo publishes them, unless a static
/// file of the same path is there (Hugo's static files win).
fn add_resources(imported: &mut Imported, resources: Vec<(PathBuf, PathBuf)>) {
    let taken: BTreeSet<PathBuf> = imported.statics.iter().map(|(_, to)| to.clone()).collect();
    let mut added = 0;
    for (from, to) in resources {
        if !taken.contains(&to) {
            imported.statics.push((from, to));
            added += 1;
        }
    }
    imported.count("files of sections (Hugo's branch bundles) copied to their old paths", added);
}

/// A term's old URL leads to its tag's (or author's) page when an
/// imported story has that tag (or author); otherwise to the topics' (or
/// journalists') page, with a report line.
fn drop_absent_terms(imported: &mut Imported) {
    let live = imported.items.iter().filter(|i| !i.draft);
    let tags: BTreeSet<String> = live.clone().flat_map(|i| &i.tags).map(|t| slugify(t)).collect();
    let authors: BTreeSet<&String> = live.flat_map(|i| &i.authors).collect();
    let mut absent = Vec::new();
    for r in &mut imported.redirects {
        let target = r.target.trim_end_matches('/').to_string();
        let index = match target.split_once('/') {
            Some(("tags", tag)) if !tags.contains(tag) => "tags",
            Some(("authors", key)) if !authors.contains(&key.to_string()) => "authors",
            _ => continue,
        };
        absent.push((r.origin.clone(), r.from.clone(), target));
        r.target = format!("{index}/");
    }
    for (origin, from, target) in absent {
        let index = if target.starts_with("tags") { "topics" } else { "journalists" };
        imported.note(
            origin,
            format!("its old URL /{from} leads to the {index}' page: no imported story is listed on /{target}/, the page it led to"),
        );
    }
}

/// One content file: an item found, a section's title and listing
/// redirects, or a reason it was skipped.
fn read_file(site: &Site, rel: &Path, imported: &mut Imported, found: &mut Vec<Found>) {
    let ext = rel.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    if OTHER_FORMATS.contains(&ext.as_str()) {
        imported.skip(format!("in a format Broadsheet does not read (.{ext})"));
        imported.note(site.origin(rel), format!("a .{ext} content file is not imported: convert it to Markdown"));
        return;
    }
    if !is_content(rel) {
        return;
    }
    let stem = rel.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    let (base, lang) = split_lang(stem, &site.languages);
    // Its language: the name's, else its folder's.
    let file_lang = match lang {
        Some(l) => l.to_string(),
        None if site.own_dir => site.lang.clone(),
        None => site.default_lang.clone(),
    };
    if !file_lang.eq_ignore_ascii_case(&site.lang) {
        // Another language imported reads this folder too: that one's pass reads it.
        if site.shares.contains(&file_lang.to_lowercase()) {
            return;
        }
        // The default language's pass reads this folder too, and names it.
        if site.translation().is_some() && site.shares.contains(&site.default_lang.to_lowercase()) {
            return;
        }
        site.lost_translation(rel, base, &file_lang, imported);
        return;
    }
    let origin = site.origin(rel);
    let text = match site.tree.read(rel) {
        Ok(t) => t,
        Err(e) => {
            imported.skip("unreadable");
            imported.note(&origin, format!("cannot be read: {e}"));
            return;
        }
    };
    let front = match front_matter(&text) {
        Ok(f) => f,
        Err(e) => {
            imported.skip("unreadable front matter");
            imported.note(&origin, format!("its front matter cannot be read ({e}): fix it and import again"));
            return;
        }
    };
    let parts: Vec<&str> = rel.iter().filter_map(|p| p.to_str()).collect();
    if base == "_index" && matches!(parts.len(), 2 | 3) && site.is_taxonomy(parts[0]) {
        site.term_redirects(rel, &parts, &front, imported);
        return;
    }
    if base == "_index" {
        if parts.len() == 2
            && let Some(title) = get(&front.data, "title").and_then(text_of)
        {
            match site.translation() {
                Some(lang) => {
                    imported.translated_sections.entry(lang).or_default().insert(slugify(parts[0]), title);
                }
                None => {
                    imported.section_titles.insert(slugify(parts[0]), title);
                }
            }
        }
        let page = parts.len() >= 2 && !front.body.trim().is_empty() && !headless(&front.data);
        if page {
            // A section's listing with text of its own: a page at its
            // old URL when the section is documentation (see `place_undated`).
            let mut side = Imported::default();
            let mut item = site.item(rel, &parts, base, true, &front, &ext, &mut side);
            site.link_translation(&mut item, &parts, base, &front);
            found.push((item, Some(parts[0].to_string()), side));
        }
        if parts.len() <= 2 || !page {
            site.listing_redirects(rel, &parts, &front, imported);
        }
        return;
    }
    if headless(&front.data) {
        imported.skip("not rendered (headless, or build.render = never)");
        return;
    }
    let bundle = base == "index";
    // What converting it notes or counts lands only if it is kept.
    let mut side = Imported::default();
    let mut item = site.item(rel, &parts, base, bundle, &front, &ext, &mut side);
    site.link_translation(&mut item, &parts, base, &front);
    let section = (parts.len() > 2 || (parts.len() == 2 && !bundle)).then(|| parts[0].to_string());
    found.push((item, section, side));
}

/// A top-level folder without `_index` is a section all the same: its
/// listing's URL leads to the Broadsheet section (or is a report line).
fn folder_redirects(site: &Site, files: &[PathBuf], imported: &mut Imported) {
    let top_dirs: BTreeSet<&str> = files
        .iter()
        .filter(|f| f.components().count() >= 2 && is_content(f))
        .filter_map(|f| f.iter().next().and_then(|d| d.to_str()))
        .filter(|d| !site.section_dirs.contains(*d))
        .collect();
    for dir in top_dirs {
        let own = format!("{}{}/", site.prefix, urlize_with(dir, site.lower));
        // A taxonomy's listing is Broadsheet's list of tags (or authors).
        let target = match site.is_taxonomy(dir) {
            true if site.author_taxonomy() == Some(dir.to_lowercase().as_str()) => "authors/".to_string(),
            true => "tags/".to_string(),
            false => own.clone(),
        };
        imported.redirects.push(crate::Redirect {
            origin: format!("{}/", site.origin(Path::new(dir))),
            from: own,
            section: Some(dir.to_string()),
            target,
        });
    }
}

/// The static files, images borrowed from other bundles, and a note for
/// the theme's files.
fn copy_statics(config: &Map<String, Value>, source: &Path, imported: &mut Imported) {
    // Hugo serves the theme's static files, then the mounts', then the
    // site's own `static/` over them, all at the site's root.
    let mut by_target: BTreeMap<PathBuf, PathBuf> = BTreeMap::new();
    for dir in static_dirs(config, source) {
        for (from, to) in statics(&dir, imported) {
            by_target.insert(to, from);
        }
    }
    imported.statics = by_target.into_iter().map(|(to, from)| (from, to)).collect();
    borrowed_images(imported, &source.join("static"));
    for (dir, what) in [("layouts", "layouts/"), ("assets", "assets/"), ("themes", "themes/")] {
        if source.join(dir).is_dir() {
            imported.note(what, "theme files are not imported: Broadsheet has its own templates and styles");
        }
    }
}

/// Another language's own content folder (`languages.zh.contentDir`) is
/// not read: a report line says so, with the command that imports it.
fn other_languages(config: &Map<String, Value>, site: &Site, imported: &mut Imported) {
    let Some(languages) = get(config, "languages").and_then(Value::as_object) else { return };
    for (lang, table) in languages {
        if lang.eq_ignore_ascii_case(&site.lang) || site.imported_langs.contains(&lang.to_lowercase()) {
            continue;
        }
        let Some(dir) = table.as_object().and_then(|t| get(t, "contentDir")).and_then(text_of) else { continue };
        let path = site.source.join(dir.trim_matches('/'));
        if !path.is_dir() || path == site.content {
            continue;
        }
        let files: Vec<PathBuf> = crate::common::walk_files(&path).0.into_iter().filter(|f| is_content(f)).collect();
        let n = files.len();
        // Each file a line of its own: every old URL not kept is named.
        for file in &files {
            let origin = format!("{}/{}", dir.trim_matches('/'), file.to_string_lossy().replace('\\', "/"));
            imported.note(
                origin,
                format!(
                    "in language `{lang}` (its URL is under /{lang}/): not imported, as the line on its folder says"
                ),
            );
        }
        // Each is an old URL lost.
        imported.count(crate::plan::OTHER_LANGUAGE_URLS, n);
        if n > 0 {
            imported.note(
                format!("{}/", dir.trim_matches('/')),
                format!(
                    "its {n} content files in language `{lang}` (URLs under /{lang}/) are not imported: import them into a site of their own with `broadsheet import hugo --language {lang}`"
                ),
            );
        }
    }
}

/// The folders Hugo copies to the site's root, lowest first: each theme's
/// `static/` (the last theme named lowest), then the module mounts with
/// target `static` (a file mounted alone is left out), then `static/`.
fn static_dirs(config: &Map<String, Value>, source: &Path) -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    let themes = get(config, "theme").map(list_of).unwrap_or_default();
    for theme in themes.iter().rev() {
        let name = theme.trim();
        if name.is_empty() || name.contains("..") {
            continue;
        }
        dirs.push(source.join("themes").join(name).join("static"));
    }
    let module = get(config, "module").and_then(Value::as_object);
    let mounts = module.and_then(|m| get(m, "mounts")).and_then(Value::as_array);
    for m in mounts.into_iter().flatten().filter_map(Value::as_object) {
        let target = get(m, "target").and_then(text_of).unwrap_or_default();
        let source_dir = get(m, "source").and_then(text_of).unwrap_or_default();
        if target.trim_matches('/') == "static" && !source_dir.contains("..") && !source_dir.trim().is_empty() {
            dirs.push(source.join(source_dir.trim_matches('/')));
        }
    }
    dirs.push(source.join("static"));
    let mut seen = BTreeSet::new();
    dirs.retain(|d| d.is_dir() && seen.insert(d.clone()));
    dirs
}

/// Formats Hugo renders that Broadsheet does not read.
const OTHER_FORMATS: &[&str] = &["adoc", "asciidoc", "asc", "org", "pandoc", "pdc", "rst", "ipynb"];

fn is_content(path: &Path) -> bool {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    matches!(ext.as_str(), "md" | "markdown" | "mdown" | "mkd" | "mkdn" | "html" | "htm")
}

fn is_index(path: &Path, languages: &BTreeSet<String>) -> bool {
    is_content(path) && path.file_stem().and_then(|s| s.to_str()).is_some_and(|s| split_lang(s, languages).0 == "index")
}

/// A content file read: the item, its top-level section (none for a
/// page), and the notes, counts and authors reading it gave.
type Found = (Item, Option<String>, Imported);

/// Hugo shows a date as written, offset and all. A site with no
/// `timeZone` whose posts write offsets gets the zone that has the most of
/// them, and a date whose day would be another one there keeps its written
/// day and time (a report line says so), so no story moves a day.
fn keep_written_days(found: &mut [Found], config_name: &str, imported: &mut Imported) {
    if imported.timezone.is_some() {
        return;
    }
    let dates: Vec<DateTime<FixedOffset>> =
        found.iter().filter(|(i, ..)| !i.draft).filter_map(|(i, ..)| i.date).collect();
    let Some(zone) = crate::common::best_zone(&dates) else { return };
    for (item, _, side) in found.iter_mut() {
        if let Some(date) = item.date {
            item.date = Some(crate::common::as_written_in(date, zone, &item.origin, side));
        }
    }
    imported.timezone = Some(zone.name().to_string());
    imported.note(
        config_name,
        format!(
            "it sets no timeZone and posts give times with offsets: `timezone = \"{}\"` was written, the zone that has the offsets of the most of them; set your own zone if it differs",
            zone.name()
        ),
    );
}

/// Articles need a date. An undated file in a section that has dated posts
/// becomes a standalone page; a large section with no dates at all is
/// documentation and is left out.
fn place_undated(imported: &mut Imported, found: Vec<Found>) {
    let mut dated: BTreeMap<String, usize> = BTreeMap::new();
    let mut undated: BTreeMap<String, usize> = BTreeMap::new();
    for (item, section, _) in &found {
        if let Some(s) = section {
            *(if item.date.is_some() { &mut dated } else { &mut undated }).entry(s.clone()).or_default() += 1;
        }
    }
    let docs: BTreeSet<String> =
        undated.iter().filter(|(s, n)| !dated.contains_key(*s) && **n > DOCS_SECTION).map(|(s, _)| s.clone()).collect();
    for s in &docs {
        imported.note(
            format!("{s}/"),
            format!(
                "none of its {} files has a date: documentation, not news, imported as standalone pages (each listed below)",
                undated[s]
            ),
        );
    }
    for (mut item, section, side) in found {
        // A top-level section's own text (`posts/_index.md`): the section's
        // page answers its URL, unless the section is documentation.
        let listing = Path::new(&item.origin).file_stem().is_some_and(|s| s.to_string_lossy().starts_with("_index"));
        let top = item.old_paths.first().is_none_or(|o| o.trim_matches('/').split('/').count() <= 1);
        match section {
            Some(s) if listing && top && dated.contains_key(&s) => continue,
            Some(s) if docs.contains(&s) => {
                let old = item.old_paths.first().map(|o| format!("/{}", o.trim_start_matches('/')));
                let at = old.map(|o| format!(", old URL {o}")).unwrap_or_default();
                imported
                    .note(&item.origin, format!("undated, in the documentation section {s}/: a standalone page{at}"));
                imported.count("documentation files imported as pages", 1);
                item.kind = Kind::Page;
            }
            Some(_) if item.date.is_none() => {
                imported
                    .note(&item.origin, "it has no date: imported as a standalone page (its old URL redirects there)");
                item.kind = Kind::Page;
            }
            Some(s) => item.section = s,
            None => item.kind = Kind::Page,
        }
        imported.items.push(item);
        imported.absorb(side);
    }
    // Many stories give one term's URL: it is one redirect.
    let mut seen = BTreeSet::new();
    imported.redirects.retain(|r| !r.target.starts_with("tags/") || seen.insert(r.from.clone()));
    let used: BTreeSet<String> =
        imported.items.iter().filter(|i| i.kind == Kind::Article).map(|i| slugify(&i.section)).collect();
    imported.section_titles.retain(|k, _| used.contains(k));
}

/// What the configuration says, resolved for one language.
struct Site {
    source: PathBuf,
    content: PathBuf,
    /// The content folder is this language's own (`contentDir`, a mount, `content/<lang>/`).
    own_dir: bool,
    lang: String,
    default_lang: String,
    languages: BTreeSet<String>,
    /// `en/` when the language's URLs have a prefix.
    prefix: String,
    tz: chrono_tz::Tz,
    base_url: String,
    /// Section → permalink pattern.
    permalinks: BTreeMap<String, String>,
    /// `uglyURLs = true`: every page at `x.html`.
    ugly_all: bool,
    /// `[uglyURLs] posts = true`: per section.
    ugly_sections: BTreeMap<String, bool>,
    /// Paths are lowercased (unless `disablePathToLower`).
    lower: bool,
    /// `defaultContentLanguageInSubdir`: the default language's URLs have a prefix too.
    in_subdir: bool,
    /// The taxonomies, singular → plural (`topic`, `topics`).
    taxonomies: Vec<(String, String)>,
    /// (taxonomy, term) → the name its term page gives.
    terms: BTreeMap<(String, String), String>,
    /// Content folders with an `_index` file (nested sections).
    section_dirs: BTreeSet<String>,
    /// The files under `content/`, as the module mounts put them there.
    tree: Tree,
    /// Every language imported (lowercase), when the site's are all.
    imported_langs: BTreeSet<String>,
    /// The languages imported whose content folder is this one's.
    shares: BTreeSet<String>,
    /// This language's own address, when it is not the site's (multihost).
    own_host: Option<String>,
}

impl Site {
    /// This language's code when it is a translation imported with the
    /// default language (not the default, not a site of one language).
    fn translation(&self) -> Option<String> {
        (!self.imported_langs.is_empty() && !self.lang.eq_ignore_ascii_case(&self.default_lang))
            .then(|| self.lang.to_lowercase())
    }

    /// A multilingual import's item: its language, the group of its
    /// translations (its content path without language, as Hugo links
    /// them) and its `translationKey`, which links it instead.
    fn link_translation(&self, item: &mut Item, parts: &[&str], base: &str, front: &crate::common::Front) {
        if self.imported_langs.is_empty() {
            return;
        }
        item.lang = self.translation();
        let key = get(&front.data, "translationKey").and_then(text_of).filter(|k| !k.trim().is_empty());
        let dirs = parts[..parts.len().saturating_sub(1)].join("/");
        item.group = Some(match &key {
            Some(k) => format!("key:{k}"),
            None if base == "index" => format!("path:{dirs}"),
            None => format!("path:{dirs}/{base}"),
        });
        item.translation_key = key;
    }
}
