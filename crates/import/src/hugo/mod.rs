//! A Hugo site folder: its configuration (one file or `config/_default/`),
//! `content/` (sections, leaf bundles, one language of a multilingual
//! site), front matter in TOML, YAML or JSON, the built-in shortcodes
//! Broadsheet can say in Markdown, and `static/`. Each post's old URL is
//! computed the way Hugo computes it (`url`, the section's permalink
//! pattern, or the content path), so the planner keeps it or writes an
//! alias. Theme files (`layouts/`, `assets/`, `themes/`) are not imported.
//! The helpers marked `pub(super)` are shared with the Zola reader.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use anyhow::anyhow;
use chrono::{DateTime, Datelike, FixedOffset};
use serde_json::{Map, Value};

use super::{Imported, Item, Kind, Options, html};
use tree::Tree;

mod tree;
use broadsheet_base::slug::slugify;

/// Sections with no dated file and more files than this are documentation,
/// not news: they are left out (with a note) rather than made into pages.
pub(super) const DOCS_SECTION: usize = 30;

/// Reads the Hugo site at `opts.source`.
pub fn read(opts: &Options) -> broadsheet_base::error::Result<Imported> {
    let source = &opts.source;
    if !source.is_dir() {
        return Err(anyhow!("{} is not a folder: give the Hugo site's folder", source.display()).into());
    }
    let (config, config_name) = load_config(source)?;
    let mut imported = Imported::default();
    let mut site = Site::new(&config, opts, source, &config_name, &mut imported);

    // Sections' titles and the content files, by folder.
    imported.roots.push(source.to_path_buf());
    other_languages(&config, &site, &mut imported);
    // A multilingual site's default language also answers at `/en/` (Hugo
    // writes a redirect there to the home page).
    if site.prefix.is_empty() && get(&config, "languages").and_then(Value::as_object).is_some_and(|l| l.len() > 1) {
        imported.redirects.push(super::Redirect {
            origin: config_name.clone(),
            from: format!("{}/", site.lang),
            section: None,
            target: String::new(),
        });
    }
    site.tree = Tree::mounted(&config, source, &site.lang, &mut imported)
        .unwrap_or_else(|| Tree::folder(&site.content, &mut imported));
    let files: Vec<PathBuf> = site.tree.paths();
    // Folders with an `_index` file: Hugo's sections (`:sections`).
    site.section_dirs = files
        .iter()
        .filter(|f| {
            f.file_stem().and_then(|s| s.to_str()).is_some_and(|s| split_lang(s, &site.languages).0 == "_index")
        })
        .filter_map(|f| f.parent().map(|p| p.to_string_lossy().replace('\\', "/")))
        .collect();
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
    for rel in &files {
        let ext = rel.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
        if in_bundle(rel) {
            continue;
        }
        if OTHER_FORMATS.contains(&ext.as_str()) {
            imported.skip(format!("in a format Broadsheet does not read (.{ext})"));
            imported.note(site.origin(rel), format!("a .{ext} content file is not imported: convert it to Markdown"));
            continue;
        }
        if !is_content(rel) {
            continue;
        }
        let stem = rel.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        let (base, lang) = split_lang(stem, &site.languages);
        match lang {
            Some(l) if l != site.lang => {
                imported.skip("in another language");
                continue;
            }
            None if !site.own_dir && site.lang != site.default_lang => {
                imported.skip("in another language");
                continue;
            }
            _ => {}
        }
        let origin = site.origin(rel);
        let text = match site.tree.read(rel) {
            Ok(t) => t,
            Err(e) => {
                imported.skip("unreadable");
                imported.note(&origin, format!("cannot be read: {e}"));
                continue;
            }
        };
        let front = match front_matter(&text) {
            Ok(f) => f,
            Err(e) => {
                imported.skip("unreadable front matter");
                imported.note(&origin, format!("its front matter cannot be read ({e}): fix it and import again"));
                continue;
            }
        };
        let parts: Vec<&str> = rel.iter().filter_map(|p| p.to_str()).collect();
        if base == "_index" {
            if parts.len() == 2
                && let Some(title) = get(&front.data, "title").and_then(text_of)
            {
                imported.section_titles.insert(slugify(parts[0]), title);
            }
            let page = parts.len() >= 2 && !front.body.trim().is_empty() && !headless(&front.data);
            if page {
                // A section's listing with text of its own: a page at its
                // old URL when the section is documentation (see `place_undated`).
                let mut side = Imported::default();
                let item = site.item(rel, &parts, base, true, &front, &ext, &mut side);
                found.push((item, Some(parts[0].to_string()), side));
            }
            if parts.len() <= 2 || !page {
                site.listing_redirects(rel, &parts, &front, &mut imported);
            }
            continue;
        }
        if headless(&front.data) {
            imported.skip("not rendered (headless, or build.render = never)");
            continue;
        }
        let bundle = base == "index";
        // What converting it notes or counts lands only if it is kept.
        let mut side = Imported::default();
        let item = site.item(rel, &parts, base, bundle, &front, &ext, &mut side);
        let section = (parts.len() > 2 || (parts.len() == 2 && !bundle)).then(|| parts[0].to_string());
        found.push((item, section, side));
    }
    // A top-level folder without `_index` is a section all the same: its
    // listing's URL leads to the Broadsheet section (or is a report line).
    let top_dirs: BTreeSet<&str> = files
        .iter()
        .filter(|f| f.components().count() >= 2 && is_content(f))
        .filter_map(|f| f.iter().next().and_then(|d| d.to_str()))
        .filter(|d| !site.section_dirs.contains(*d))
        .collect();
    for dir in top_dirs {
        let own = format!("{}{}/", site.prefix, urlize_with(dir, site.lower));
        imported.redirects.push(super::Redirect {
            origin: format!("{}/", site.origin(Path::new(dir))),
            from: own.clone(),
            section: Some(dir.to_string()),
            target: own,
        });
    }
    keep_written_days(&mut found, &config_name, &mut imported);
    place_undated(&mut imported, found);
    // Hugo serves the theme's static files, then the mounts', then the
    // site's own `static/` over them, all at the site's root.
    let mut by_target: BTreeMap<PathBuf, PathBuf> = BTreeMap::new();
    for dir in static_dirs(&config, source) {
        for (from, to) in statics(&dir, &mut imported) {
            by_target.insert(to, from);
        }
    }
    imported.statics = by_target.into_iter().map(|(to, from)| (from, to)).collect();
    borrowed_images(&mut imported, &source.join("static"));
    for (dir, what) in [("layouts", "layouts/"), ("assets", "assets/"), ("themes", "themes/")] {
        if source.join(dir).is_dir() {
            imported.note(what, "theme files are not imported: Broadsheet has its own templates and styles");
        }
    }
    Ok(imported)
}

/// Another language's own content folder (`languages.zh.contentDir`) is
/// not read: a report line says so, with the command that imports it.
fn other_languages(config: &Map<String, Value>, site: &Site, imported: &mut Imported) {
    let Some(languages) = get(config, "languages").and_then(Value::as_object) else { return };
    for (lang, table) in languages {
        if lang.eq_ignore_ascii_case(&site.lang) {
            continue;
        }
        let Some(dir) = table.as_object().and_then(|t| get(t, "contentDir")).and_then(text_of) else { continue };
        let path = site.source.join(dir.trim_matches('/'));
        if !path.is_dir() || path == site.content {
            continue;
        }
        let n = super::walk(&path).0.iter().filter(|f| is_content(f)).count();
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

/// `x.fr` → (`x`, Some(`fr`)) when `fr` is one of the site's languages.
pub(super) fn split_lang<'a>(stem: &'a str, languages: &BTreeSet<String>) -> (&'a str, Option<&'a str>) {
    match stem.rsplit_once('.') {
        Some((base, lang)) if languages.iter().any(|l| l.eq_ignore_ascii_case(lang)) => (base, Some(lang)),
        _ => (stem, None),
    }
}

/// A content file read: the item, its top-level section (none for a
/// page), and the notes, counts and authors reading it gave.
pub(super) type Found = (Item, Option<String>, Imported);

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
    let Some(zone) = super::wordpress::best_zone(&dates) else { return };
    for (item, _, side) in found.iter_mut() {
        if let Some(date) = item.date {
            item.date = Some(super::wordpress::as_written_in(date, zone, &item.origin, side));
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
pub(super) fn place_undated(imported: &mut Imported, found: Vec<Found>) {
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
        imported.notes.extend(side.notes);
        for (what, n) in side.counts {
            imported.count(&what, n);
        }
        for (key, author) in side.authors {
            imported.authors.entry(key).or_insert(author);
        }
        for (key, url) in side.author_urls {
            imported.author_urls.entry(key).or_insert(url);
        }
    }
    let used: BTreeSet<String> =
        imported.items.iter().filter(|i| i.kind == Kind::Article).map(|i| slugify(&i.section)).collect();
    imported.section_titles.retain(|k, _| used.contains(k));
}

/// A featured image written as another page's old address
/// (`/2023/06/21/x/cover.jpg`) is that bundle's file: it is copied beside
/// this item too. One found nowhere is dropped, with a note.
pub(super) fn borrowed_images(imported: &mut Imported, static_dir: &Path) {
    let bundles: BTreeMap<String, Vec<(PathBuf, String)>> = imported
        .items
        .iter()
        .filter(|i| !i.files.is_empty())
        .flat_map(|i| i.old_paths.iter().map(move |p| (p.trim_matches('/').to_string(), i.files.clone())))
        .collect();
    let mut notes = Vec::new();
    for item in imported.items.iter_mut() {
        let Some(src) = item.image.clone() else { continue };
        let Some(path) = src.strip_prefix('/') else { continue };
        if static_dir.join(path).is_file() {
            continue;
        }
        let (dir, name) = path.rsplit_once('/').unwrap_or(("", path));
        match bundles.get(dir).and_then(|files| files.iter().find(|(_, n)| n == name)) {
            Some((from, name)) => {
                if !item.files.iter().any(|(_, n)| n == name) {
                    item.files.push((from.clone(), name.clone()));
                }
                item.image = Some(name.clone());
            }
            None => {
                item.image = None;
                notes.push((item.origin.clone(), format!("its image `{src}` is not in the site: add one by hand")));
            }
        }
    }
    for (origin, what) in notes {
        imported.note(origin, what);
    }
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
    /// Content folders with an `_index` file (nested sections).
    section_dirs: BTreeSet<String>,
    /// The files under `content/`, as the module mounts put them there.
    tree: Tree,
}

impl Site {
    fn new(
        config: &Map<String, Value>,
        opts: &Options,
        source: &Path,
        config_name: &str,
        imported: &mut Imported,
    ) -> Site {
        let s = |key: &str| get(config, key).and_then(text_of).unwrap_or_default();
        let default_lang = Some(s("defaultContentLanguage")).filter(|l| !l.is_empty()).unwrap_or_else(|| "en".into());
        let lang = opts.language.clone().unwrap_or_else(|| default_lang.clone());
        let languages_table = get(config, "languages").and_then(Value::as_object).cloned().unwrap_or_default();
        let mut languages: BTreeSet<String> = languages_table.keys().cloned().collect();
        languages.insert(default_lang.clone());
        languages.insert(lang.clone());
        if opts.language.is_some() && !languages_table.is_empty() && !languages_table.keys().any(|k| k == &lang) {
            imported.note(
                config_name,
                format!("the site declares no language `{lang}`: content in no language folder was read"),
            );
        }
        let this_lang =
            languages_table.iter().find(|(k, _)| k.eq_ignore_ascii_case(&lang)).and_then(|(_, v)| v.as_object());
        // Where this language's content is.
        let mut own_dir = false;
        let mut content = source.join("content");
        if let Some(dir) = this_lang.and_then(|l| get(l, "contentDir")).and_then(text_of) {
            content = source.join(dir);
            own_dir = true;
        } else if let Some(dir) = get(config, "contentDir").and_then(text_of) {
            content = source.join(dir);
        } else if let Some(mount) = mounts(config, &lang) {
            content = source.join(mount);
            own_dir = true;
        }
        if !own_dir
            && content.join(&lang).is_dir()
            && (config.keys().any(|k| k.eq_ignore_ascii_case("languages")) || !s("defaultContentLanguage").is_empty())
        {
            content = content.join(&lang);
            own_dir = true;
        }
        let in_subdir = get(config, "defaultContentLanguageInSubdir").and_then(Value::as_bool).unwrap_or(false);
        let prefix = if lang != default_lang || in_subdir { format!("{lang}/") } else { String::new() };
        let tz_name = s("timeZone");
        let tz: chrono_tz::Tz = tz_name.parse().unwrap_or(chrono_tz::UTC);
        if !tz_name.is_empty() {
            imported.timezone = Some(tz_name);
        }
        // Site-wide values, the language's own first.
        let lang_value = |key: &str| {
            this_lang
                .and_then(|l| {
                    get(l, key).or_else(|| get(l, "params").and_then(Value::as_object).and_then(|p| get(p, key)))
                })
                .and_then(text_of)
        };
        imported.title = lang_value("title").unwrap_or_else(|| s("title"));
        let params = get(config, "params").and_then(Value::as_object);
        imported.description = lang_value("description")
            .or_else(|| params.and_then(|p| get(p, "description")).and_then(text_of))
            .unwrap_or_else(|| s("description"));
        let param = |key: &str| lang_value(key).or_else(|| params.and_then(|p| get(p, key)).and_then(text_of));
        imported.logo = param("logo");
        imported.favicon = param("favicon");
        imported.language = lang_value("languageCode")
            .or_else(|| Some(s("languageCode")).filter(|l| !l.is_empty() && lang == default_lang))
            .or_else(|| Some(lang.clone()));
        let base = lang_value("baseURL").unwrap_or_else(|| s("baseURL"));
        let base_url = if base.trim().is_empty() || base.trim() == "/" || !base.contains("://") {
            imported.note(
                config_name,
                format!("baseURL is `{}`, not the site's address: set base_url in site.toml", base.trim()),
            );
            "https://example.com/".to_string()
        } else {
            format!("{}/", base.trim().trim_end_matches('/'))
        };
        imported.base_url = base_url.clone();
        let mut permalinks = BTreeMap::new();
        let tables = [Some(config), this_lang];
        for table in tables.into_iter().flatten() {
            if let Some(p) = get(table, "permalinks").and_then(Value::as_object) {
                for (key, value) in p {
                    match value {
                        Value::String(pattern) => {
                            permalinks.insert(key.clone(), pattern.clone());
                        }
                        Value::Object(kinds) if key.eq_ignore_ascii_case("page") => {
                            for (section, pattern) in kinds {
                                if let Some(pattern) = pattern.as_str() {
                                    permalinks.insert(section.clone(), pattern.to_string());
                                }
                            }
                        }
                        _ => {}
                    }
                }
            }
        }
        let (mut ugly_all, mut ugly_sections) = (false, BTreeMap::new());
        for table in [Some(config), this_lang].into_iter().flatten() {
            match get(table, "uglyURLs") {
                Some(Value::Bool(b)) => ugly_all = *b,
                Some(Value::String(b)) => ugly_all = b == "true",
                Some(Value::Object(per)) => {
                    for (section, on) in per {
                        let on = on.as_bool().unwrap_or(on.as_str() == Some("true"));
                        ugly_sections.insert(section.to_lowercase(), on);
                    }
                }
                _ => {}
            }
        }
        let lower =
            !get(config, "disablePathToLower").is_some_and(|v| v.as_bool() == Some(true) || v.as_str() == Some("true"));
        Site {
            section_dirs: BTreeSet::new(),
            tree: Tree::default(),
            ugly_all,
            ugly_sections,
            lower,
            source: source.to_path_buf(),
            content,
            own_dir,
            lang,
            default_lang,
            languages,
            prefix,
            tz,
            base_url,
            permalinks,
        }
    }

    /// Whether pages of `section` are written as `x.html`.
    fn ugly(&self, section: &str) -> bool {
        self.ugly_sections.get(&section.to_lowercase()).copied().unwrap_or(self.ugly_all)
    }

    /// A listing's URL (a section's `_index.md`, the home page): its `url`,
    /// or its folders.
    fn list_url(&self, parts: &[&str], data: &Map<String, Value>) -> String {
        if let Some(url) = get(data, "url").and_then(text_of).filter(|u| !u.trim().is_empty()) {
            return url.trim().trim_start_matches('/').to_string();
        }
        let mut out = self.prefix.clone();
        for d in &parts[..parts.len() - 1] {
            out.push_str(&urlize_with(d, self.lower));
            out.push('/');
        }
        out
    }

    /// A section's or the home page's own URL and `aliases`: redirects to
    /// the Broadsheet page that lists the same stories.
    fn listing_redirects(&self, rel: &Path, parts: &[&str], front: &Front, imported: &mut Imported) {
        let origin = self.origin(rel);
        let own = self.list_url(parts, &front.data);
        let section = (parts.len() >= 2).then(|| parts[0].to_string());
        let ugly = self.ugly_all || section.as_deref().is_some_and(|s| self.ugly(s));
        let mut froms = Vec::new();
        if section.is_some() && !own.is_empty() {
            froms.push(own.clone());
        }
        for alias in get(&front.data, "aliases").map(list_of).unwrap_or_default() {
            if let Some(a) = alias_path(&alias, &own) {
                froms.push(if ugly { ugly_path(&a) } else { a });
            }
        }
        for from in froms {
            imported.redirects.push(super::Redirect {
                origin: origin.clone(),
                from,
                section: section.clone(),
                target: own.clone(),
            });
        }
    }

    fn origin(&self, rel: &Path) -> String {
        let full = self.tree.real(rel).unwrap_or_else(|| self.content.join(rel));
        full.strip_prefix(&self.source).unwrap_or(&full).to_string_lossy().replace('\\', "/")
    }

    #[allow(clippy::too_many_arguments)]
    fn item(
        &self,
        rel: &Path,
        parts: &[&str],
        base: &str,
        bundle: bool,
        front: &Front,
        ext: &str,
        imported: &mut Imported,
    ) -> Item {
        let origin = self.origin(rel);
        let data = &front.data;
        let params = get(data, "params").and_then(Value::as_object);
        let field = |key: &str| get(data, key).or_else(|| params.and_then(|p| get(p, key)));
        let mut item = Item::new(Kind::Article, origin.clone());
        // The file's own name: the bundle's folder for `x/index.md`.
        let name = if bundle { parts[parts.len() - 2] } else { base };
        item.title = field("title").and_then(text_of).map(|t| t.trim().to_string()).unwrap_or_default();
        if item.title.is_empty() {
            item.title = name.to_string();
            imported.note(&origin, format!("it has no title: \"{name}\" was written; give it a headline"));
        }
        let date_of = |key: &str| field(key).and_then(text_of).and_then(|d| parse_date(&d, self.tz));
        item.date =
            ["date", "publishDate", "pubdate", "published", "lastmod", "modified"].iter().find_map(|k| date_of(k));
        item.updated =
            ["lastmod", "modified"].iter().find_map(|k| date_of(k)).filter(|u| item.date.is_none_or(|d| *u > d));
        item.draft = field("draft").is_some_and(|d| d.as_bool() == Some(true) || d.as_str() == Some("true"));
        item.summary =
            ["description", "summary"].iter().find_map(|k| field(k).and_then(text_of)).filter(|s| !s.trim().is_empty());
        let mut tags: Vec<String> = Vec::new();
        for key in ["tags", "categories"] {
            for tag in field(key).map(list_of).unwrap_or_default() {
                if !tags.iter().any(|t| t.eq_ignore_ascii_case(&tag)) && !tag.trim().is_empty() {
                    tags.push(tag.trim().to_string());
                }
            }
        }
        item.tags = tags;
        for name in ["authors", "author"].iter().flat_map(|k| field(k).map(list_of).unwrap_or_default()) {
            imported.credit_line(&mut item, &name);
        }
        // Bundle files (a listing's folder holds other pages' files: none).
        let list = base == "_index";
        if bundle && !list {
            for (real, file) in self.tree.below(rel.parent().unwrap_or(Path::new(""))) {
                if is_index(&file, &self.languages) || is_content(&file) {
                    continue;
                }
                item.files.push((real, file.to_string_lossy().replace('\\', "/")));
            }
        }
        let image = ["images", "image", "featured_image", "featuredImage", "cover", "thumbnail"]
            .iter()
            .find_map(|k| field(k).and_then(image_of));
        item.image = image.map(|src| resolve(&src, &item.files));
        // Old URL.
        let slug = field("slug").and_then(text_of).filter(|s| !s.trim().is_empty());
        let url = field("url").and_then(text_of).filter(|s| !s.trim().is_empty());
        let dirs: Vec<&str> = parts[..parts.len() - if bundle { 2 } else { 1 }].to_vec();
        // A nested folder is a section only with an `_index` file.
        let mut sections: Vec<&str> = dirs.iter().take(1).copied().collect();
        for k in 2..=dirs.len() {
            if !self.section_dirs.contains(&dirs[..k].join("/")) {
                break;
            }
            sections.push(dirs[k - 1]);
        }
        let page = UrlInput {
            dirs: &dirs,
            sections: &sections,
            name,
            slug: slug.as_deref(),
            title: &item.title,
            date: item.date,
        };
        let section = parts.first().filter(|_| parts.len() > 1).copied().unwrap_or("");
        // Sections' pages are never `.html`; the others in an ugly section are.
        let ugly = !list && self.ugly(section);
        let pattern = dirs.first().and_then(|s| self.permalinks.get(*s)).filter(|_| !list);
        let old = match (&url, pattern) {
            (Some(url), _) => url.trim().trim_start_matches('/').to_string(),
            (None, Some(pattern)) => {
                let path = format!("{}{}", self.prefix, expand(pattern, &page, self.lower).trim_start_matches('/'));
                if ugly { ugly_path(&path) } else { path }
            }
            (None, None) => {
                let path = format!("{}{}", self.prefix, default_path(&page, self.lower));
                if ugly { ugly_path(&path) } else { path }
            }
        };
        if !item.draft {
            item.old_paths.push(old.clone());
            for alias in field("aliases").map(list_of).unwrap_or_default() {
                if let Some(a) = alias_path(&alias, &old) {
                    item.old_paths.push(if ugly { ugly_path(&a) } else { a });
                }
            }
        }
        let last = old.trim_end_matches('/').rsplit('/').next().unwrap_or("");
        let last = last.strip_suffix(".html").unwrap_or(last);
        item.slug = if !last.is_empty() && slugify(last) == last {
            last.to_string()
        } else {
            slug.clone().unwrap_or_else(|| name.to_string())
        };
        // Links written with ref/relref or to the old address.
        let rel_str = rel.to_string_lossy().replace('\\', "/");
        let mut keys = vec![rel_str.clone(), format!("/{rel_str}")];
        let file_name = rel.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
        keys.push(file_name);
        keys.push(name.to_string());
        if bundle {
            let folder = parts[..parts.len() - 1].join("/");
            keys.push(format!("{name}/{}", parts[parts.len() - 1]));
            keys.push(folder.clone());
            keys.push(format!("/{folder}"));
        } else {
            let no_ext = rel.with_extension("").to_string_lossy().replace('\\', "/");
            keys.push(no_ext.clone());
            keys.push(format!("/{no_ext}"));
        }
        if !item.draft && self.base_url != "https://example.com/" {
            keys.push(format!("{}{old}", self.base_url));
        }
        keys.sort();
        keys.dedup();
        item.link_keys = keys;
        item.html = matches!(ext, "html" | "htm");
        let mut body = shortcodes(front.body, &origin, front.body_line, imported);
        for more in ["<!--more-->", "<!-- more -->"] {
            body = body.replace(more, "");
        }
        item.body = body;
        item
    }
}

/// The content folder a module mount gives (`content/en` → `content`).
fn mounts(config: &Map<String, Value>, lang: &str) -> Option<String> {
    let module = get(config, "module").and_then(Value::as_object)?;
    let mounts = get(module, "mounts").and_then(Value::as_array)?;
    mounts.iter().filter_map(Value::as_object).find_map(|m| {
        let target = get(m, "target").and_then(text_of)?;
        let for_lang = get(m, "lang").and_then(text_of);
        (target.trim_matches('/') == "content" && for_lang.is_none_or(|l| l == lang))
            .then(|| get(m, "source").and_then(text_of))
            .flatten()
    })
}

fn headless(data: &Map<String, Value>) -> bool {
    if get(data, "headless").and_then(Value::as_bool) == Some(true) {
        return true;
    }
    ["_build", "build"].iter().any(|k| {
        get(data, k)
            .and_then(Value::as_object)
            .and_then(|b| get(b, "render"))
            .is_some_and(|r| r.as_bool() == Some(false) || matches!(r.as_str(), Some("never" | "false")))
    })
}

/// An image field: a string, a list of strings, or `{ image = "..." }`.
fn image_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Array(a) => a.iter().find_map(image_of),
        Value::Object(o) => ["image", "src", "url"].iter().find_map(|k| get(o, k).and_then(image_of)),
        _ => None,
    }
}

/// An image path: a file of the bundle keeps its name; a site path gets
/// a leading `/` (Hugo reads it from `static/`).
fn resolve(src: &str, files: &[(PathBuf, String)]) -> String {
    let bare = src.trim_start_matches("./");
    if files.iter().any(|(_, name)| name == bare) {
        return bare.to_string();
    }
    if src.contains("://") || src.starts_with('/') { src.to_string() } else { format!("/{bare}") }
}

/// An alias, as a path from the site root: relative ones are relative to
/// the page's folder.
pub(super) fn alias_path(alias: &str, page: &str) -> Option<String> {
    let alias = alias.trim();
    if alias.is_empty() || alias.contains("://") {
        return None;
    }
    if let Some(abs) = alias.strip_prefix('/') {
        return Some(abs.to_string());
    }
    let parent = page.trim_end_matches('/').rsplit_once('/').map_or("", |(p, _)| p);
    // `../x` climbs from the page's folder, as Hugo resolves it.
    let mut parts: Vec<&str> = parent.split('/').filter(|p| !p.is_empty()).collect();
    for part in alias.split('/') {
        match part {
            "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// What a permalink pattern is expanded from.
pub(super) struct UrlInput<'a> {
    /// Content folders above the page (the bundle's folder excluded).
    pub dirs: &'a [&'a str],
    /// The sections it is in: the first folder, and each nested folder
    /// with an `_index` file below it.
    pub sections: &'a [&'a str],
    /// The file name without extension, or the bundle's folder.
    pub name: &'a str,
    pub slug: Option<&'a str>,
    pub title: &'a str,
    pub date: Option<DateTime<FixedOffset>>,
}

/// Hugo's default path: the content path, its last part replaced by `slug`.
fn default_path(p: &UrlInput, lower: bool) -> String {
    let mut out = String::new();
    for d in p.dirs {
        out.push_str(&urlize_with(d, lower));
        out.push('/');
    }
    out.push_str(&urlize_with(p.slug.unwrap_or(p.name), lower));
    out.push('/');
    out
}

/// A page's path under `uglyURLs`: `a/b/` is `a/b.html`.
fn ugly_path(path: &str) -> String {
    let bare = path.trim_end_matches('/');
    if bare.is_empty() || bare.ends_with(".html") || bare.ends_with(".htm") || bare.ends_with(".xml") {
        return path.to_string();
    }
    format!("{bare}.html")
}

/// Go's reference time in a layout (`2006`, `Jan`, `02`), formatted for
/// `date`; `None` when `layout` holds none of it.
fn go_layout(layout: &str, date: &DateTime<FixedOffset>) -> Option<String> {
    const ELEMENTS: &[(&str, &str)] = &[
        ("January", "%B"),
        ("Monday", "%A"),
        ("2006", "%Y"),
        ("Jan", "%b"),
        ("Mon", "%a"),
        ("MST", "%Z"),
        ("01", "%m"),
        ("02", "%d"),
        ("_2", "%e"),
        ("06", "%y"),
        ("15", "%H"),
        ("03", "%I"),
        ("04", "%M"),
        ("05", "%S"),
        ("PM", "%p"),
        ("1", "%-m"),
        ("2", "%-d"),
        ("3", "%-I"),
        ("4", "%-M"),
        ("5", "%-S"),
    ];
    let (mut out, mut rest, mut any) = (String::new(), layout, false);
    'outer: while !rest.is_empty() {
        for (element, format) in ELEMENTS {
            if let Some(after) = rest.strip_prefix(element) {
                out.push_str(&date.format(format).to_string());
                rest = after;
                any = true;
                continue 'outer;
            }
        }
        let c = rest.chars().next()?;
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    any.then_some(out)
}

/// A Hugo permalink pattern (`/:year/:month/:slug/`) for one page.
fn expand(pattern: &str, p: &UrlInput, lower: bool) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let date = p.date.unwrap_or_default();
    let url = |s: &str| urlize_with(s, lower);
    let title = url(p.title);
    let slug = p.slug.map(url).unwrap_or_else(|| title.clone());
    let name = p.name.to_string();
    let section = p.dirs.first().copied().unwrap_or("").to_string();
    let sections = p.sections.join("/");
    let tokens: Vec<(&str, String)> = vec![
        ("slugorcontentbasename", p.slug.map(url).unwrap_or_else(|| name.clone())),
        ("contentbasenameorslug", name.clone()),
        ("slugorfilename", p.slug.map(url).unwrap_or_else(|| name.clone())),
        ("contentbasename", name.clone()),
        ("weekdayname", date.format("%A").to_string()),
        ("monthname", MONTHS[date.month0() as usize].to_string()),
        ("filename", name.clone()),
        ("sections", sections),
        ("section", section),
        ("weekday", date.weekday().num_days_from_sunday().to_string()),
        ("yearday", date.ordinal().to_string()),
        ("title", title),
        ("month", format!("{:02}", date.month())),
        ("year", format!("{:04}", date.year())),
        ("slug", slug),
        ("day", format!("{:02}", date.day())),
    ];
    let mut out = String::new();
    let mut rest = pattern;
    while let Some(at) = rest.find(':') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        match tokens
            .iter()
            .find(|(t, _)| after.starts_with(t) && !after[t.len()..].starts_with(|c: char| c.is_ascii_alphanumeric()))
        {
            Some((t, v)) => {
                out.push_str(v);
                rest = &after[t.len()..];
            }
            None => {
                // Any other `:word` is a Go date layout (`:2006`, `:Jan`).
                let word_len = after.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(after.len());
                match go_layout(&after[..word_len], &date) {
                    Some(formatted) if word_len > 0 => {
                        out.push_str(&formatted);
                        rest = &after[word_len..];
                    }
                    _ => {
                        out.push(':');
                        rest = after;
                    }
                }
            }
        }
    }
    out.push_str(rest);
    while out.contains("//") {
        out = out.replace("//", "/");
    }
    // Hugo makes the whole path URL-safe (and lowercase unless told not to).
    out.split('/').map(|part| urlize_with(part, lower)).collect::<Vec<_>>().join("/")
}

/// Hugo's `urlize`: spaces become hyphens, characters not allowed in a path
/// are dropped, lowercase.
/// (`lower` false: `disablePathToLower`, the case is kept).
fn urlize_with(s: &str, lower: bool) -> String {
    let allowed = |c: char| {
        c.is_alphanumeric()
            || matches!(c, '.' | '/' | '\\' | '_' | '#' | '+' | '~' | '-' | '@')
            || unicode_normalization::char::is_combining_mark(c)
    };
    let mut out = String::with_capacity(s.len());
    let (mut prepend, mut was_hyphen) = (false, false);
    for c in s.chars() {
        if c != ' ' && allowed(c) {
            was_hyphen = c == '-';
            if prepend {
                if !was_hyphen {
                    out.push('-');
                }
                prepend = false;
            }
            out.push(c);
        } else if !out.is_empty() && !was_hyphen && c.is_whitespace() {
            prepend = true;
        }
    }
    if lower { out.to_lowercase() } else { out }
}

/// A date as written: its own offset kept (Hugo and Zola put the written
/// date in URLs); a date without an offset is read in `tz`.
pub(super) fn parse_date(s: &str, tz: chrono_tz::Tz) -> Option<DateTime<FixedOffset>> {
    let s = s.trim();
    // `2022-05-10 8:30:00+00:00`: a single-digit hour.
    let fixed;
    let s = match s.as_bytes().get(10..13) {
        Some([b' ' | b'T', h, b':']) if h.is_ascii_digit() => {
            fixed = format!("{}0{}", &s[..11], &s[11..]);
            fixed.as_str()
        }
        _ => s,
    };
    // Go's default layout (`2006-01-02 15:04:05 -0700 MST`) besides the writers' forms.
    let date = broadsheet_base::date::parse_as_written(s, tz)
        .ok()
        .or_else(|| DateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S %z %Z").ok())?;
    (1..=9999).contains(&date.year()).then_some(date)
}

/// Every file below `dir`, relative to it, hidden files left out (links
/// out of it are said by the walk of the whole folder).
pub(super) fn walk(dir: &Path) -> Vec<PathBuf> {
    super::walk(dir).0
}

/// Every file below `dir`, with a report line for each symbolic link out of it.
pub(super) fn walk_noting(dir: &Path, imported: &mut Imported) -> Vec<PathBuf> {
    let (files, links) = super::walk(dir);
    for link in links {
        imported.skipped_link(dir, &link);
    }
    files
}

/// `static/`'s files: (source, path under static/).
pub(super) fn statics(dir: &Path, imported: &mut Imported) -> Vec<(PathBuf, PathBuf)> {
    if !dir.is_dir() {
        return Vec::new();
    }
    walk_noting(dir, imported).into_iter().map(|rel| (dir.join(&rel), rel)).collect()
}

/// A value by key, any case (Hugo's keys are case-insensitive).
pub(super) fn get<'a>(map: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    map.get(key).or_else(|| map.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, v)| v))
}

pub(super) fn text_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A list of names: a list, or one name.
pub(super) fn list_of(v: &Value) -> Vec<String> {
    match v {
        Value::Array(a) => a
            .iter()
            .filter_map(|x| text_of(x).or_else(|| x.as_object().and_then(|o| get(o, "name")).and_then(text_of)))
            .collect(),
        Value::Object(o) => get(o, "name").and_then(text_of).into_iter().collect(),
        v => text_of(v).into_iter().collect(),
    }
}

/// A file's front matter, as JSON values, and its body.
pub(super) struct Front<'a> {
    pub data: Map<String, Value>,
    pub body: &'a str,
    /// The 1-based line of the file the body starts on.
    pub body_line: usize,
}

/// Splits and parses TOML (`+++`), YAML (`---`) or JSON (`{`) front matter.
pub(super) fn front_matter(text: &str) -> Result<Front<'_>, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = text.lines().next().unwrap_or("").trim_end();
    let lines_in = |s: &str| s.matches('\n').count();
    if first == "+++" || first == "---" {
        let start = text.find('\n').map_or(text.len(), |i| i + 1);
        let mut offset = start;
        for line in text[start..].split_inclusive('\n') {
            if line.trim_end() == first {
                let front = &text[start..offset];
                let body = &text[offset + line.len()..];
                let data = if first == "+++" {
                    let table: toml::Table = toml::from_str(front).map_err(|e| e.message().to_string())?;
                    match toml_json(toml::Value::Table(table)) {
                        Value::Object(m) => m,
                        _ => Map::new(),
                    }
                } else if front.trim().is_empty() {
                    Map::new()
                } else {
                    match serde_saphyr::from_str::<Value>(front).map_err(|e| e.to_string())? {
                        Value::Object(m) => m,
                        Value::Null => Map::new(),
                        _ => return Err("the front matter is not a table of fields".into()),
                    }
                };
                return Ok(Front { data, body, body_line: lines_in(&text[..offset + line.len()]) + 1 });
            }
            offset += line.len();
        }
        return Err(format!("the front matter opened with `{first}` is never closed"));
    }
    if text.trim_start().starts_with('{') {
        let mut stream = serde_json::Deserializer::from_str(text).into_iter::<Value>();
        return match stream.next() {
            Some(Ok(Value::Object(data))) => {
                let end = stream.byte_offset();
                Ok(Front { data, body: &text[end..], body_line: lines_in(&text[..end]) + 1 })
            }
            Some(Err(e)) => Err(e.to_string()),
            _ => Err("the front matter is not a table of fields".into()),
        };
    }
    Ok(Front { data: Map::new(), body: text, body_line: 1 })
}

pub(super) fn toml_json(v: toml::Value) -> Value {
    match v {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(a) => Value::Array(a.into_iter().map(toml_json).collect()),
        toml::Value::Table(t) => Value::Object(t.into_iter().map(|(k, v)| (k, toml_json(v))).collect()),
    }
}

/// A configuration file (TOML, YAML or JSON) as JSON values.
pub(super) fn read_config(path: &Path) -> broadsheet_base::error::Result<Map<String, Value>> {
    let text = std::fs::read_to_string(path).map_err(|e| anyhow!("cannot read {}: {e}", path.display()))?;
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    let value = match ext {
        "toml" => toml::from_str::<toml::Table>(&text)
            .map(|t| toml_json(toml::Value::Table(t)))
            .map_err(|e| anyhow!("{}: {}", path.display(), e.message()))?,
        "json" => serde_json::from_str::<Value>(&text).map_err(|e| anyhow!("{}: {e}", path.display()))?,
        _ if text.trim().is_empty() => Value::Object(Map::new()),
        _ => serde_saphyr::from_str::<Value>(&text).map_err(|e| anyhow!("{}: {e}", path.display()))?,
    };
    match value {
        Value::Object(m) => Ok(m),
        Value::Null => Ok(Map::new()),
        _ => Err(anyhow!("{}: expected a table of settings", path.display()).into()),
    }
}

/// The site's configuration and the name of its file, for notes.
fn load_config(source: &Path) -> broadsheet_base::error::Result<(Map<String, Value>, String)> {
    const NAMES: &[&str] =
        &["hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json", "config.toml", "config.yaml", "config.yml", "config.json"];
    if let Some(name) = NAMES.iter().find(|n| source.join(n).is_file()) {
        return Ok((read_config(&source.join(name))?, name.to_string()));
    }
    let dir = source.join("config").join("_default");
    if dir.is_dir() {
        let mut merged = Map::new();
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .map_err(|e| anyhow!("cannot read {}: {e}", dir.display()))?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| {
                p.extension().and_then(|e| e.to_str()).is_some_and(|e| matches!(e, "toml" | "yaml" | "yml" | "json"))
            })
            .collect();
        // hugo.* / config.* first, so the others land on top.
        files.sort_by_key(|p| {
            let stem = p.file_stem().and_then(|s| s.to_str()).unwrap_or("").to_string();
            (!matches!(stem.as_str(), "hugo" | "config"), stem)
        });
        for file in files {
            let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or("").to_string();
            let table = read_config(&file)?;
            if matches!(stem.as_str(), "hugo" | "config") {
                merged.extend(table);
            } else {
                match merged.get_mut(&stem) {
                    Some(Value::Object(existing)) => existing.extend(table),
                    _ => {
                        merged.insert(stem, Value::Object(table));
                    }
                }
            }
        }
        return Ok((merged, "config/_default/".to_string()));
    }
    Err(anyhow!(
        "{}: this is not a Hugo site: expected hugo.toml (or config.toml, hugo.yaml, config/_default/)",
        source.display()
    )
    .into())
}

/// One `{{< name args >}}` (or `{{% %}}`) tag.
struct Tag<'a> {
    start: usize,
    end: usize,
    name: &'a str,
    closing: bool,
    self_closing: bool,
    args: Vec<(Option<String>, String)>,
    /// `{{</* x */>}}`: written out as a shortcode, not run.
    escaped: bool,
}

/// The next shortcode tag at or after `from`.
fn next_tag(text: &str, from: usize) -> Option<Tag<'_>> {
    let mut at = from;
    loop {
        let rel = text[at..].find("{{")?;
        let start = at + rel;
        let delim = match text[start + 2..].trim_start_matches([' ', '\t']).chars().next() {
            Some('<') => '<',
            Some('%') => '%',
            _ => {
                at = start + 2;
                continue;
            }
        };
        let open_len = text[start..].find(delim)? + 1;
        let close = if delim == '<' { ">}}" } else { "%}}" };
        let Some(inner_len) = text[start + open_len..].find(close) else {
            at = start + 2;
            continue;
        };
        let inner = text[start + open_len..start + open_len + inner_len].trim();
        let end = start + open_len + inner_len + close.len();
        if let Some(comment) = inner.strip_prefix("/*").and_then(|i| i.strip_suffix("*/")) {
            return Some(Tag {
                start,
                end,
                name: comment.trim(),
                closing: false,
                self_closing: true,
                args: Vec::new(),
                escaped: true,
            });
        }
        let (closing, inner) = match inner.strip_prefix('/') {
            Some(i) => (true, i.trim_start()),
            None => (false, inner),
        };
        let (self_closing, inner) = match inner.strip_suffix('/') {
            Some(i) => (true, i.trim_end()),
            None => (false, inner),
        };
        let name_len = inner.find(char::is_whitespace).unwrap_or(inner.len());
        let name = &inner[..name_len];
        if name.is_empty() {
            at = start + 2;
            continue;
        }
        return Some(Tag { start, end, name, closing, self_closing, args: args(&inner[name_len..]), escaped: false });
    }
}

/// `a "b c" key=value key="v w"` → positional and named arguments.
fn args(s: &str) -> Vec<(Option<String>, String)> {
    let mut out = Vec::new();
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    let word = |i: &mut usize| -> String {
        let mut w = String::new();
        if let Some(&q) = chars.get(*i).filter(|c| matches!(c, '"' | '`')) {
            *i += 1;
            while *i < chars.len() && chars[*i] != q {
                if chars[*i] == '\\' && q == '"' && *i + 1 < chars.len() {
                    *i += 1;
                }
                w.push(chars[*i]);
                *i += 1;
            }
            *i += 1;
        } else {
            while *i < chars.len() && !chars[*i].is_whitespace() && chars[*i] != '=' {
                w.push(chars[*i]);
                *i += 1;
            }
        }
        w
    };
    while i < chars.len() {
        if chars[i].is_whitespace() {
            i += 1;
            continue;
        }
        let quoted = matches!(chars[i], '"' | '`');
        let first = word(&mut i);
        if !quoted && chars.get(i) == Some(&'=') {
            i += 1;
            let value = word(&mut i);
            out.push((Some(first), value));
        } else {
            out.push((None, first));
        }
    }
    out
}

fn arg(tag: &Tag, name: &str, position: usize) -> Option<String> {
    tag.args
        .iter()
        .find(|(k, _)| k.as_deref() == Some(name))
        .or_else(|| tag.args.iter().filter(|(k, _)| k.is_none()).nth(position))
        .map(|(_, v)| v.clone())
        .filter(|v| !v.is_empty())
}

fn named(tag: &Tag, name: &str) -> Option<String> {
    tag.args.iter().find(|(k, _)| k.as_deref() == Some(name)).map(|(_, v)| v.clone()).filter(|v| !v.is_empty())
}

/// Where the closing tag of `open` is: (inner end, after the close).
fn find_close(text: &str, open: &Tag) -> Option<(usize, usize)> {
    let mut depth = 0;
    let mut at = open.end;
    while let Some(tag) = next_tag(text, at) {
        if tag.name == open.name && !tag.escaped {
            if tag.closing {
                if depth == 0 {
                    return Some((tag.start, tag.end));
                }
                depth -= 1;
            } else if !tag.self_closing {
                depth += 1;
            }
        }
        at = tag.end;
    }
    None
}

/// Converts Hugo's shortcodes in a body; `first_line` is the file's line
/// the body starts on, for notes.
pub(super) fn shortcodes(body: &str, origin: &str, first_line: usize, imported: &mut Imported) -> String {
    let mut out = String::with_capacity(body.len());
    let mut at = 0;
    while let Some(tag) = next_tag(body, at) {
        out.push_str(&body[at..tag.start]);
        let line = first_line + body[..tag.start].matches('\n').count();
        if tag.escaped {
            let delim = &body[tag.start..tag.end];
            let open = if delim.contains("{{%") { ("{{% ", " %}}") } else { ("{{< ", " >}}") };
            out.push_str(&format!("{}{}{}", open.0, tag.name, open.1));
            at = tag.end;
            continue;
        }
        if tag.closing {
            // A closing tag whose opening was handled (or never was): dropped.
            at = tag.end;
            continue;
        }
        let close = if tag.self_closing { None } else { find_close(body, &tag) };
        let (inner, end) = match close {
            Some((inner_end, after)) => (Some(&body[tag.end..inner_end]), after),
            None => (None, tag.end),
        };
        let converted = convert(&tag, inner, imported);
        match converted {
            Some(text) => out.push_str(&text),
            None => {
                imported.note(
                    format!("{origin}:{line}"),
                    format!(
                        "shortcode `{{{{< {} >}}}}` hidden in an HTML comment (its inner text kept): replace it by hand (Broadsheet has no `{}`)",
                        tag.name, tag.name
                    ),
                );
                out.push_str(&super::hidden(&body[tag.start..tag.end]));
                if let (Some(inner), Some((inner_end, after))) = (inner, close) {
                    let inner_line = first_line + body[..tag.end].matches('\n').count();
                    out.push_str(&shortcodes(inner, origin, inner_line, imported));
                    out.push_str(&super::hidden(&body[inner_end..after]));
                }
            }
        }
        at = end;
    }
    out.push_str(&body[at..]);
    out
}

/// What a known shortcode becomes; `None` for one kept as text.
fn convert(tag: &Tag, inner: Option<&str>, imported: &mut Imported) -> Option<String> {
    let embed = |url: String, site: &str, imported: &mut Imported| {
        imported.count(html::EMBEDS_COUNTED, 1);
        format!("\n\n{}\n\n", html::embed_block(&url, site))
    };
    match tag.name {
        "figure" | "imgproc" => {
            let src = if tag.name == "imgproc" {
                arg(tag, "src", 0)?
            } else {
                named(tag, "src").or_else(|| arg(tag, "src", 0))?
            };
            let alt = named(tag, "alt").unwrap_or_default();
            let caption = named(tag, "caption")
                .or_else(|| named(tag, "title"))
                .or_else(|| inner.map(|i| i.trim().to_string()).filter(|i| !i.is_empty()));
            let img = html::img(&src, &alt, "");
            let link = named(tag, "link");
            let img = match &link {
                Some(link) => format!("<a href=\"{}\">{img}</a>", html::escape(link)),
                None => img,
            };
            Some(match caption {
                None if link.is_none() => format!("![{}]({})", alt.replace(['[', ']'], ""), src),
                caption => html::figure(&img, caption.as_deref()),
            })
        }
        "youtube" => {
            let id = arg(tag, "id", 0)?;
            Some(embed(format!("https://www.youtube.com/watch?v={id}"), "YouTube", imported))
        }
        "vimeo" => {
            let id = arg(tag, "id", 0)?;
            Some(embed(format!("https://vimeo.com/{id}"), "Vimeo", imported))
        }
        "x" | "twitter" | "tweet" => {
            let (user, id) = match (named(tag, "user"), named(tag, "id")) {
                (Some(u), Some(id)) => (u, id),
                _ if tag.args.len() >= 2 => (arg(tag, "", 0)?, arg(tag, "", 1)?),
                _ => ("i".to_string(), arg(tag, "id", 0)?),
            };
            let url = if user == "i" {
                format!("https://twitter.com/i/status/{id}")
            } else {
                format!("https://x.com/{user}/status/{id}")
            };
            Some(embed(url, "X (Twitter)", imported))
        }
        "instagram" => {
            let id = arg(tag, "id", 0)?;
            Some(embed(format!("https://www.instagram.com/p/{id}/"), "Instagram", imported))
        }
        "gist" => {
            let user = arg(tag, "user", 0)?;
            let id = arg(tag, "id", 1)?;
            Some(embed(format!("https://gist.github.com/{user}/{id}"), "GitHub", imported))
        }
        "highlight" => {
            let lang = arg(tag, "lang", 0).unwrap_or_default();
            let code = inner.unwrap_or("").trim_start_matches(['\r', '\n']).trim_end();
            Some(format!("\n```{lang}\n{code}\n```\n"))
        }
        "ref" | "relref" => Some(arg(tag, "path", 0).unwrap_or_default()),
        "param" => Some(String::new()),
        // A theme's own video or embed shortcode: its address, when a
        // provider Broadsheet embeds serves it.
        _ => html::ADDRESS_ARGUMENTS
            .iter()
            .find_map(|k| named(tag, k))
            .and_then(|u| html::embeddable(&u))
            .map(|u| embed(u, "", imported)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(body: &str) -> (String, Imported) {
        let mut imported = Imported::default();
        let out = shortcodes(body, "content/posts/x.md", 5, &mut imported);
        (out, imported)
    }

    #[test]
    fn figure_with_caption_becomes_a_figure() {
        let (out, _) = run(r#"{{< figure src="photo.jpg" alt="Waves" caption="At 2am" >}}"#);
        assert_eq!(out, r#"<figure><img src="photo.jpg" alt="Waves"><figcaption>At 2am</figcaption></figure>"#);
        let (out, _) = run(r#"{{< figure src="/a.png" alt="A" >}}"#);
        assert_eq!(out, "![A](/a.png)");
    }

    #[test]
    fn embeds_become_broadsheet_embeds_or_links_and_are_counted() {
        let (out, imported) =
            run("{{< youtube dQw4w9WgXcQ >}}\n{{% tweet user=\"a\" id=\"12\" %}}\n{{< gist u abc >}}");
        assert!(out.contains("{{< embed https://www.youtube.com/watch?v=dQw4w9WgXcQ >}}"), "{out}");
        assert!(out.contains("{{< embed https://x.com/a/status/12 >}}"), "{out}");
        assert!(out.contains("<a href=\"https://gist.github.com/u/abc\">See on GitHub</a>"), "{out}");
        assert_eq!(imported.counts[html::EMBEDS_COUNTED], 3);
        // A theme's own shortcode, by the address it names.
        let (out, _) = run("{{< video url=\"https://player.vimeo.com/video/46709928\" >}}");
        assert!(out.contains("{{< embed https://player.vimeo.com/video/46709928 >}}"), "{out}");
    }

    #[test]
    fn highlight_becomes_a_fenced_block() {
        let (out, _) = run("{{< highlight go \"linenos=table\" >}}\nfunc f() {}\n{{< /highlight >}}");
        assert_eq!(out, "\n```go\nfunc f() {}\n```\n");
    }

    #[test]
    fn refs_keep_the_path_and_unknown_shortcodes_are_noted() {
        let (out, imported) =
            run("[a]({{< relref \"posts/other.md\" >}})\n\n{{< callout type=\"warning\" >}}\nHi\n{{< /callout >}}");
        let (open, close) =
            (super::super::hidden("{{< callout type=\"warning\" >}}"), super::super::hidden("{{< /callout >}}"));
        assert_eq!(out, format!("[a](posts/other.md)\n\n{open}\nHi\n{close}"));
        assert!(!open.contains("-->{") && open.starts_with("<!-- ") && open.ends_with(" -->"), "{open}");
        assert_eq!(imported.notes.len(), 1);
        assert_eq!(imported.notes[0].origin, "content/posts/x.md:7");
        let (out, imported) = run("{{</* youtube x */>}} <!--more-->");
        assert_eq!(out, "{{< youtube x >}} <!--more-->");
        assert!(imported.notes.is_empty());
    }

    #[test]
    fn urlize_is_hugos() {
        assert_eq!(
            urlize_with("Regatta results: Harbour RC take the cup", true),
            "regatta-results-harbour-rc-take-the-cup"
        );
        assert_eq!(urlize_with("Gitea 1.8.3 is released", true), "gitea-1.8.3-is-released");
        assert_eq!(urlize_with("A - B", true), "a-b");
    }

    #[test]
    fn permalinks_use_the_written_offset_and_slug_falls_back_to_the_title() {
        let date = parse_date("2024-03-31T23:30:00-05:00", chrono_tz::Europe::London);
        let dirs = ["posts"];
        let page = UrlInput {
            dirs: &dirs,
            sections: &dirs,
            name: "regatta",
            slug: None,
            title: "Regatta results: RC win",
            date,
        };
        assert_eq!(expand("/:year/:month/:slug/", &page, true), "/2024/03/regatta-results-rc-win/");
        assert_eq!(expand("/:section/:filename/", &page, true), "/posts/regatta/");
        let page = UrlInput { slug: Some("office-moves"), ..page };
        assert_eq!(expand("/:year/:month/:day/:slug/", &page, true), "/2024/03/31/office-moves/");
        assert_eq!(default_path(&page, true), "posts/office-moves/");
        assert_eq!(alias_path("old-name", "posts/new/"), Some("posts/old-name".into()));
        assert_eq!(alias_path("/a/b.html", "posts/new/"), Some("a/b.html".into()));
        assert_eq!(
            alias_path("../configuration", "docs/2.0/deployment/configuration/"),
            Some("docs/2.0/configuration".into())
        );
        assert_eq!(alias_path("old/", "posts/new/"), Some("posts/old/".into()));
    }

    #[test]
    fn go_date_layouts_ugly_urls_and_case_are_hugos() {
        let date = parse_date("2021-03-04T10:00:00Z", chrono_tz::UTC);
        let dirs = ["News"];
        let page = UrlInput { dirs: &dirs, sections: &dirs, name: "Spaced Name", slug: None, title: "N", date };
        // As hugo 0.168 writes them (tests/fixtures/import-hugo-urls).
        assert_eq!(expand("/:2006/:Jan/:02/:slug/", &page, true), "/2021/mar/04/n/");
        assert_eq!(expand("/:2006/:Jan/:02/:slug/", &page, false), "/2021/Mar/04/N/");
        assert_eq!(expand("/:year/:month/:day/:filename/", &page, true), "/2021/03/04/spaced-name/");
        assert_eq!(expand("/:06/:1/", &page, true), "/21/3/");
        assert_eq!(default_path(&page, false), "News/Spaced-Name/");
        assert_eq!(ugly_path("2020/01/02/a-post/"), "2020/01/02/a-post.html");
        assert_eq!(ugly_path("a/b.html"), "a/b.html");
    }

    #[test]
    fn dates_keep_their_offset() {
        let d = parse_date("2022-05-10 8:30:00+02:00", chrono_tz::UTC).unwrap();
        assert_eq!(d.to_rfc3339(), "2022-05-10T08:30:00+02:00");
        let d = parse_date("2024-01-02", chrono_tz::Europe::Paris).unwrap();
        assert_eq!(d.to_rfc3339(), "2024-01-02T00:00:00+01:00");
    }

    #[test]
    fn json_and_toml_front_matter() {
        let f = front_matter("{\n\"title\": \"A\"\n}\n\nBody").unwrap();
        assert_eq!(f.data["title"], "A");
        assert_eq!(f.body.trim(), "Body");
        assert_eq!(f.body_line, 3);
        let f = front_matter("+++\ndate = 2024-03-05T09:00:00Z\n+++\nBody").unwrap();
        assert_eq!(f.data["date"], "2024-03-05T09:00:00Z");
        assert_eq!(f.body_line, 4);
    }
}
