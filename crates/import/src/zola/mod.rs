//! A Zola site folder: `config.toml`, `content/` (sections with
//! `_index.md`, pages, asset bundles, every language: `x.fr.md` is the
//! translation of `x.md`), TOML front matter,
//! the shortcodes Broadsheet can say in Markdown, and `static/`. Each
//! page's old URL is computed as Zola does (`path`, or the section's
//! folders and the slug, a file name's date prefix removed).
//! This module reads the configuration and the pages; shortcodes are
//! converted in `shortcodes`.

mod shortcodes;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use anyhow::anyhow;
use chrono::{DateTime, FixedOffset};
use chrono_tz::UTC;
use serde_json::{Map, Value};

use crate::common::{self, Front, get, list_of, text_of};
use crate::{Imported, Item, Kind, Options};
use shortcodes::shortcodes;

/// Reads the Zola site at `opts.source`; fails when it has no
/// `zola.toml` or `config.toml`, or that cannot be read.
pub fn read(opts: &Options) -> broadsheet_base::error::Result<Imported> {
    let source = &opts.source;
    let config_name = ["zola.toml", "config.toml"].into_iter().find(|n| source.join(n).is_file()).ok_or_else(|| {
        anyhow!("{}: this is not a Zola site: expected zola.toml or config.toml beside content/", source.display())
    })?;
    let config = common::read_config(&source.join(config_name))?;
    let mut imported = Imported::default();
    let (lang, default_lang) = site_values(&config, config_name, opts, &mut imported);
    let mut languages: BTreeSet<String> =
        config.get("languages").and_then(Value::as_object).map(|l| l.keys().cloned().collect()).unwrap_or_default();
    languages.insert(default_lang.clone());
    languages.insert(lang.clone());
    // Without --language, every language of the site is imported.
    let imported_langs: BTreeSet<String> = if opts.language.is_none() && languages.len() > 1 {
        // Codes as Zola writes them in URLs (`pt-BR`): Broadsheet builds a
        // language under its code as site.toml writes it.
        languages.iter().cloned().collect()
    } else {
        BTreeSet::new()
    };
    if !imported_langs.is_empty() {
        imported.language = Some(default_lang.clone());
        let table = config.get("languages").and_then(Value::as_object);
        let mut others: Vec<crate::Language> = imported_langs
            .iter()
            .filter(|l| !l.eq_ignore_ascii_case(&default_lang))
            .map(|code| {
                let own = table.and_then(|t| get(t, code)).and_then(Value::as_object);
                let value =
                    |key: &str| own.and_then(|o| get(o, key)).and_then(text_of).filter(|v| !v.trim().is_empty());
                crate::Language {
                    code: code.clone(),
                    title: value("title"),
                    description: value("description"),
                    name: None,
                }
            })
            .collect();
        others.insert(0, crate::Language { code: default_lang.clone(), ..crate::Language::default() });
        imported.languages = others;
    }
    let prefix = if lang == default_lang { String::new() } else { format!("{lang}/") };
    let slugs_on = config
        .get("slugify")
        .and_then(Value::as_object)
        .and_then(|s| s.get("paths"))
        .and_then(Value::as_str)
        .unwrap_or("on")
        .to_string();
    let ignored = globs(&config.get("ignored_content").map(list_of).unwrap_or_default());

    let content = source.join("content");
    if !content.is_dir() {
        return Err(anyhow!("{}: this Zola site has no content/ folder", source.display()).into());
    }
    imported.roots.push(source.to_path_buf());
    let files = common::walk_noting(&content, &mut imported);
    let bundles: BTreeSet<PathBuf> = files
        .iter()
        .filter(|f| is_md(f) && common::split_lang(&stem_of(f), &languages).0 == "index")
        .filter_map(|f| f.parent().map(Path::to_path_buf))
        .collect();
    let sections = read_sections(&content, &files);
    let site =
        Site { content, lang, default_lang, languages, imported_langs, prefix, slugs_on, ignored, bundles, sections };
    if imported.title.trim().is_empty()
        && let Some(title) = site.sections.get(Path::new("")).and_then(|d| get(d, "title")).and_then(text_of)
    {
        imported.title = title.trim().to_string();
    }
    let news = news_sections(&site);
    section_titles(&site, &mut imported);
    let mut found: Vec<Found> = Vec::new();
    for rel in &files {
        if let Some(page) = read_file(&site, rel, &mut imported) {
            found.push(page);
        }
    }
    let pages = keep_section_pages(&mut found);
    section_redirects(&site, &pages, &mut imported);
    let zone = site_zone(&mut found, &mut imported);
    if let Some(zone) = zone {
        imported.timezone = Some(zone.name().to_string());
    }
    place(&mut imported, found, &news);
    imported.statics = common::statics(&source.join("static"), &mut imported);
    common::borrowed_images(&mut imported, &source.join("static"));
    for dir in ["templates", "sass", "themes"] {
        if source.join(dir).is_dir() {
            imported
                .note(format!("{dir}/"), "theme files are not imported: Broadsheet has its own templates and styles");
        }
    }
    Ok(imported)
}

/// What reading each page needs of the configuration and the content tree.
struct Site {
    content: PathBuf,
    lang: String,
    default_lang: String,
    languages: BTreeSet<String>,
    /// Every language imported (lowercase), when the site's are all.
    imported_langs: BTreeSet<String>,
    /// `fr/` when the language's URLs have a prefix.
    prefix: String,
    /// `slugify.paths`: `on`, `safe` or `off`.
    slugs_on: String,
    ignored: globset::GlobSet,
    /// Folders with an `index.md`: asset bundles.
    bundles: BTreeSet<PathBuf>,
    /// Sections: folder → its `_index.md` front matter (default language).
    sections: BTreeMap<PathBuf, Map<String, Value>>,
}

fn is_md(f: &Path) -> bool {
    f.extension().is_some_and(|e| e == "md")
}

fn stem_of(f: &Path) -> String {
    f.file_stem().and_then(|s| s.to_str()).unwrap_or("").to_string()
}

/// The site's title, description, logo, favicon, language and address;
/// returns the language imported and the default one.
fn site_values(
    config: &Map<String, Value>,
    config_name: &str,
    opts: &Options,
    imported: &mut Imported,
) -> (String, String) {
    let s = |key: &str| config.get(key).and_then(text_of).unwrap_or_default();
    imported.title = s("title");
    imported.description = s("description");
    let extra = |key: &str| config.get("extra").and_then(|e| e.get(key)).and_then(text_of);
    imported.logo = extra("logo");
    imported.favicon = extra("favicon");
    let default_lang = Some(s("default_language")).filter(|l| !l.is_empty()).unwrap_or_else(|| "en".into());
    let lang = opts.language.clone().unwrap_or_else(|| default_lang.clone());
    imported.language = Some(lang.clone());
    let base = s("base_url");
    imported.base_url = if base.contains("://") {
        format!("{}/", base.trim().trim_end_matches('/'))
    } else {
        imported.note(config_name, format!("base_url is `{base}`, not the site's address: set base_url in site.toml"));
        "https://example.com/".into()
    };
    (lang, default_lang)
}

/// Sections: folder → its `_index.md` front matter (default language).
fn read_sections(content: &Path, files: &[PathBuf]) -> BTreeMap<PathBuf, Map<String, Value>> {
    let mut sections: BTreeMap<PathBuf, Map<String, Value>> = BTreeMap::new();
    for f in files.iter().filter(|f| is_md(f) && stem_of(f) == "_index") {
        if let Ok(text) = broadsheet_base::confine::read_to_string(content, f)
            && let Ok(front) = common::front_matter(&text)
        {
            sections.insert(f.parent().map(Path::to_path_buf).unwrap_or_default(), front.data);
        }
    }
    sections
}

/// Top-level sections that are news: one of their sections is sorted by
/// date (Zola lists only dated pages there). Never documentation.
fn news_sections(site: &Site) -> BTreeSet<String> {
    let mut news: BTreeSet<String> = BTreeSet::new();
    for (dir, data) in &site.sections {
        let sort = get(data, "sort_by").and_then(text_of).unwrap_or_default();
        if let Some(top) = dir.iter().next().and_then(|p| p.to_str())
            && matches!(sort.as_str(), "date" | "update_date")
        {
            news.insert(top.to_string());
        }
    }
    news
}

/// The old URLs of each section that Zola answers with a redirect or a
/// listing: its `aliases` (Zola writes them from the output root), its
/// own URL when it has `redirect_to`, and `<section>/page/1/` when it
/// paginates (Zola sends page 1 back to the section; Broadsheet's page 1
/// is the section itself). A listing's URLs
/// lead to the Broadsheet section of its top-level folder (the front
/// page for the root); a `redirect_to` section's lead where it pointed.
/// Sections imported as pages (`pages`) keep their aliases themselves.
fn section_redirects(site: &Site, pages: &BTreeSet<PathBuf>, imported: &mut Imported) {
    for (dir, data) in &site.sections {
        if pages.contains(dir) {
            continue;
        }
        let origin = format!("content/{}", dir.join("_index.md").to_string_lossy().replace('\\', "/"));
        let own = dir.iter().filter_map(|p| p.to_str()).map(|p| format!("{p}/")).collect::<String>();
        let redirect_to = get(data, "redirect_to").and_then(text_of).filter(|t| !t.trim().is_empty());
        let (section, target) = match &redirect_to {
            Some(to) => match redirect_target(to, &imported.base_url) {
                Some(t) => t,
                None => {
                    imported.note(&origin, format!("it redirects to another site ({to}): its old URLs are not kept"));
                    continue;
                }
            },
            None => (dir.iter().next().and_then(|p| p.to_str()).map(str::to_string), format!("{}{own}", site.prefix)),
        };
        let mut froms: Vec<String> = Vec::new();
        if redirect_to.is_some() && !own.is_empty() {
            froms.push(format!("{}{own}", site.prefix));
        }
        // Zola's first page of a paginated section (the root's too) leads
        // back to the section.
        if redirect_to.is_none() && paginates(data) {
            let paged = get(data, "paginate_path").and_then(text_of).unwrap_or_else(|| "page".into());
            froms.push(format!("{}{own}{}/1/", site.prefix, paged.trim_matches('/')));
        }
        for alias in get(data, "aliases").map(list_of).unwrap_or_default() {
            let alias = alias.trim();
            if !alias.is_empty() && !alias.contains("://") {
                froms.push(alias.trim_start_matches('/').to_string());
            }
        }
        let mut seen = BTreeSet::new();
        for from in froms.into_iter().filter(|f| seen.insert(f.trim_matches('/').to_string())) {
            imported.redirects.push(crate::Redirect {
                origin: origin.clone(),
                from,
                section: section.clone(),
                target: target.clone(),
            });
        }
    }
}

/// Whether a section lists its pages over several pages (`paginate_by`).
fn paginates(data: &Map<String, Value>) -> bool {
    get(data, "paginate_by").and_then(Value::as_u64).is_some_and(|n| n > 0)
}

/// Where a section's `redirect_to` leads, as a redirect's section and old
/// URL (`/tags/speaking` → `tags/speaking`; a path on the site's own
/// address too). The section named is the path itself: when the path is
/// an imported section (`/blog/`) its page answers, otherwise the planner
/// finds the page or the Broadsheet page (a tag) now at that URL. `None`
/// for another site.
fn redirect_target(to: &str, base_url: &str) -> Option<(Option<String>, String)> {
    let to = to.trim();
    let base = base_url.trim_end_matches('/');
    let path = match to.strip_prefix(base) {
        Some(rest) if !base.is_empty() && (rest.is_empty() || rest.starts_with('/')) => rest,
        _ if to.contains("://") || to.starts_with("//") => return None,
        _ => to,
    };
    let path = path.trim_start_matches('/');
    let section = Some(path.trim_matches('/').to_string()).filter(|s| !s.is_empty());
    Some((section, path.to_string()))
}

/// Top-level sections' titles (a transparent section has none of its own).
fn section_titles(site: &Site, imported: &mut Imported) {
    for (dir, data) in &site.sections {
        let parts: Vec<&str> = dir.iter().filter_map(|p| p.to_str()).collect();
        if parts.len() == 1
            && get(data, "transparent").and_then(Value::as_bool) != Some(true)
            && let Some(title) = get(data, "title").and_then(text_of).filter(|t| !t.trim().is_empty())
        {
            imported.section_titles.insert(broadsheet_base::slug::slugify(parts[0]), title);
        }
    }
}

/// One content file: a page found, or a reason it was left out.
fn read_file(site: &Site, rel: &Path, imported: &mut Imported) -> Option<Found> {
    if !is_md(rel) {
        return None;
    }
    let rel_str = rel.to_string_lossy().replace('\\', "/");
    if site.ignored.is_match(&rel_str) {
        return None;
    }
    let stem = stem_of(rel);
    let (base, file_lang) = common::split_lang(&stem, &site.languages);
    // A translation imported with the default language: its code and URL prefix.
    let translation = file_lang
        .and_then(|l| site.imported_langs.iter().find(|c| c.eq_ignore_ascii_case(l)).cloned())
        .filter(|l| !l.eq_ignore_ascii_case(&site.default_lang));
    let prefix = match &translation {
        Some(l) => format!("{l}/"),
        None => site.prefix.clone(),
    };
    if base == "_index" {
        let own_language = file_lang.unwrap_or(&site.default_lang) == site.lang;
        if let Some(lang) = &translation {
            translated_section(site, rel, lang, imported);
        }
        return if own_language || translation.is_some() {
            section_page(site, rel, imported, &prefix).map(|mut found| {
                link_translation(site, &mut found.0, rel, translation.as_deref());
                found
            })
        } else {
            None
        };
    }
    let parent = rel.parent().map(Path::to_path_buf).unwrap_or_default();
    let bundle = base == "index";
    // A Markdown file inside a bundle (not its index) is an asset Zola ignores.
    if !bundle && site.bundles.iter().any(|b| rel.starts_with(b)) {
        return None;
    }
    if let Some(other) =
        Some(file_lang.unwrap_or(&site.default_lang)).filter(|l| *l != site.lang && translation.is_none())
    {
        imported.skip("in another language");
        imported.note(
            format!("content/{rel_str}"),
            format!("it is in language `{other}`: not imported, so its old URL is not kept (import that language into a site of its own with --language {other})"),
        );
        return None;
    }
    let origin = format!("content/{rel_str}");
    let text = match broadsheet_base::confine::read_to_string(&site.content, rel) {
        Ok(t) => t,
        Err(e) => {
            imported.skip("unreadable");
            imported.note(&origin, format!("cannot be read: {e}"));
            return None;
        }
    };
    let front = match common::front_matter(&text) {
        Ok(f) if !f.data.is_empty() || text.starts_with("+++") || text.starts_with("---") => f,
        Ok(_) => {
            imported.skip("no front matter (Zola does not build it)");
            imported.note(&origin, "it has no front matter, so Zola did not publish it: not imported");
            return None;
        }
        Err(e) => {
            imported.skip("unreadable front matter");
            imported.note(&origin, format!("its front matter cannot be read ({e}): fix it and import again"));
            return None;
        }
    };
    let page_dir = if bundle { parent.parent().map(Path::to_path_buf).unwrap_or_default() } else { parent.clone() };
    let dirs: Vec<String> = page_dir.iter().filter_map(|p| p.to_str()).map(str::to_string).collect();
    let name =
        if bundle { parent.file_name().and_then(|n| n.to_str()).unwrap_or("").to_string() } else { base.to_string() };
    // What converting it notes or counts lands only if it is kept.
    let mut side = Imported { base_url: imported.base_url.clone(), ..Imported::default() };
    let (mut item, raw_date) = page(&front, &origin, &name, &dirs, &prefix, &site.slugs_on, &mut side);
    item.link_keys.push(format!("@/{rel_str}"));
    link_translation(site, &mut item, rel, translation.as_deref());
    if bundle {
        bundle_files(&site.content.join(&parent), &mut item);
    }
    image_path(&mut item);
    let section = section_of(site, &dirs);
    Some((item, section, side, raw_date))
}

/// A section whose `_index.md` has text of its own (an About page, a
/// documentation chapter): a page at the section's URL, its aliases its
/// own old URLs, as Hugo's importer does with `_index` files with text.
/// Not the root (the front page), nor a section Zola does not render or
/// that redirects; `keep_section_pages` drops it again when dated pages
/// sit beneath it (then it is a listing of news).
fn section_page(site: &Site, rel: &Path, imported: &Imported, prefix: &str) -> Option<Found> {
    let dir = rel.parent().filter(|d| !d.as_os_str().is_empty())?;
    let text = broadsheet_base::confine::read_to_string(&site.content, rel).ok()?;
    let front = common::front_matter(&text).ok()?;
    let data = &front.data;
    let listing_only = get(data, "redirect_to").is_some()
        || get(data, "render").and_then(Value::as_bool) == Some(false)
        || get(data, "draft").and_then(Value::as_bool) == Some(true);
    if front.body.trim().is_empty() || listing_only {
        return None;
    }
    // A section has no `path` or `slug` of its own: its folder is its path.
    let mut data = data.clone();
    data.remove("slug");
    data.insert("path".into(), Value::String(format!("{prefix}{}", dir.to_string_lossy().replace('\\', "/"))));
    let front = Front { data, ..front };
    let dirs: Vec<String> =
        dir.parent().into_iter().flat_map(Path::iter).filter_map(|p| p.to_str()).map(str::to_string).collect();
    let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let rel_str = rel.to_string_lossy().replace('\\', "/");
    let origin = format!("content/{rel_str}");
    let mut side = Imported { base_url: imported.base_url.clone(), ..Imported::default() };
    let (mut item, _) = page(&front, &origin, name, &dirs, prefix, &site.slugs_on, &mut side);
    item.kind = Kind::Page;
    item.date = None;
    item.updated = None;
    item.link_keys.push(format!("@/{rel_str}"));
    Some((item, String::new(), side, None))
}

/// A multilingual import's item: its language (a translation's) and the
/// group of its translations, its file's place without the language (Zola
/// links translations so).
fn link_translation(site: &Site, item: &mut Item, rel: &Path, lang: Option<&str>) {
    if site.imported_langs.is_empty() {
        return;
    }
    let stem = stem_of(rel);
    let base = common::split_lang(&stem, &site.languages).0;
    let dir = rel.parent().map(|p| p.to_string_lossy().replace('\\', "/")).unwrap_or_default();
    item.lang = lang.map(str::to_string);
    item.group = Some(if base == "index" { format!("path:{dir}") } else { format!("path:{dir}/{base}") });
}

/// A top-level section's title in another language (`_index.fr.md`).
fn translated_section(site: &Site, rel: &Path, lang: &str, imported: &mut Imported) {
    let parts: Vec<&str> = rel.iter().filter_map(|p| p.to_str()).collect();
    if parts.len() != 2 {
        return;
    }
    let Ok(text) = broadsheet_base::confine::read_to_string(&site.content, rel) else { return };
    let Ok(front) = common::front_matter(&text) else { return };
    let transparent =
        site.sections.get(Path::new(parts[0])).and_then(|d| get(d, "transparent")).and_then(Value::as_bool);
    if transparent == Some(true) {
        return;
    }
    if let Some(title) = get(&front.data, "title").and_then(text_of).filter(|t| !t.trim().is_empty()) {
        let slug = broadsheet_base::slug::slugify(parts[0]);
        imported.translated_sections.entry(lang.to_string()).or_default().insert(slug, title);
    }
}

/// Whether a page read is a section's own text (`section_page`).
fn is_section_page(item: &Item) -> bool {
    Path::new(&item.origin).file_stem().is_some_and(|s| s.to_string_lossy().starts_with("_index"))
}

/// The content folder of what was read: the section folder for a
/// section's page, the folder a page sits in.
fn content_dir(item: &Item) -> PathBuf {
    let origin = Path::new(&item.origin);
    origin.strip_prefix("content").unwrap_or(origin).parent().map(Path::to_path_buf).unwrap_or_default()
}

/// Drops the section pages that have published dated pages beneath them
/// (a news section lists those: its URL stays a listing); gives the
/// folders of the section pages kept.
fn keep_section_pages(found: &mut Vec<Found>) -> BTreeSet<PathBuf> {
    let dated: Vec<PathBuf> = found
        .iter()
        .filter(|(item, ..)| !is_section_page(item) && !item.draft && item.date.is_some())
        .map(|(item, ..)| content_dir(item))
        .collect();
    found.retain(|(item, ..)| !is_section_page(item) || !dated.iter().any(|d| d.starts_with(content_dir(item))));
    found.iter().filter(|(item, ..)| is_section_page(item)).map(|(item, ..)| content_dir(item)).collect()
}

/// A bundle's files (all but its Markdown), copied beside its page.
fn bundle_files(dir: &Path, item: &mut Item) {
    for file in common::walk(dir) {
        if file.extension().is_none_or(|e| e != "md") {
            item.files.push((dir.join(&file), file.to_string_lossy().replace('\\', "/")));
        }
    }
}

/// The image a page names: a file of its bundle, or a path from the site
/// root (Zola serves `static/` there): `borrowed_images` checks it is a file.
fn image_path(item: &mut Item) {
    if let Some(img) = item.image.take() {
        let bare = img.trim_start_matches("./").to_string();
        item.image = Some(if img.starts_with('/') || img.contains("://") {
            img
        } else if item.files.iter().any(|(_, n)| *n == bare) {
            bare
        } else {
            format!("/{bare}")
        });
    }
}

/// The Broadsheet section: the top-level folder, unless it is transparent
/// or the page sits at the root ("" is the planner's default section for
/// dated pages; undated ones are pages).
fn section_of(site: &Site, dirs: &[String]) -> String {
    match dirs.first() {
        Some(top) => {
            let transparent =
                site.sections.get(&PathBuf::from(top)).and_then(|d| get(d, "transparent")).and_then(Value::as_bool)
                    == Some(true);
            if transparent { String::new() } else { top.clone() }
        }
        None => String::new(),
    }
}

/// A page read: the item, its Broadsheet section (`""`: the default one,
/// for a page at the root or in a transparent section), what reading it
/// noted, and its date as written.
type Found = (Item, String, Imported, Option<String>);

/// The site's timezone, when pages write dates with offsets: the zone
/// whose offsets fit the most of them (Zola shows a date as written, so
/// a date read in another zone could move a day). Dates written without
/// an offset are read in it; a date whose offset the zone does not have,
/// and that would fall on another day there, keeps its written day and
/// time (a report line says so).
fn site_zone(found: &mut [Found], imported: &mut Imported) -> Option<chrono_tz::Tz> {
    let explicit = |raw: &str| {
        let a = common::parse_date(raw, chrono_tz::Pacific::Kiritimati);
        a.is_some() && a == common::parse_date(raw, chrono_tz::Pacific::Niue)
    };
    let written: Vec<DateTime<FixedOffset>> = found
        .iter()
        .filter(|(item, ..)| !item.draft)
        .filter_map(|(_, _, _, raw)| raw.as_deref().filter(|r| explicit(r)).and_then(|r| common::parse_date(r, UTC)))
        .collect();
    let zone = common::best_zone(&written)?;
    for (item, _, side, raw) in found.iter_mut() {
        let Some(raw) = raw.as_deref() else { continue };
        let Some(date) = common::parse_date(raw, zone) else { continue };
        item.date = Some(common::as_written_in(date, zone, &item.origin, side));
    }
    imported.note(
        "config.toml",
        format!("pages give times with offsets, not the site's timezone: `timezone = \"{}\"` was written, the zone that has the offsets of the most of them; set your own zone if it differs", zone.name()),
    );
    Some(zone)
}

/// Articles need a date. An undated page in a section that has dated
/// pages (or is sorted by date) becomes a standalone page; a large
/// section with no dates at all is documentation and is left out, each of
/// its old URLs named in the report.
fn place(imported: &mut Imported, found: Vec<Found>, news: &BTreeSet<String>) {
    let mut dated: BTreeSet<String> = BTreeSet::new();
    let mut undated: BTreeMap<String, usize> = BTreeMap::new();
    for (item, section, ..) in &found {
        if item.date.is_some() {
            dated.insert(section.clone());
        } else {
            *undated.entry(section.clone()).or_default() += 1;
        }
    }
    let docs: BTreeSet<String> = undated
        .iter()
        .filter(|(s, n)| !s.is_empty() && !dated.contains(*s) && !news.contains(*s) && **n > common::DOCS_SECTION)
        .map(|(s, _)| s.clone())
        .collect();
    for s in &docs {
        imported.note(
            format!("content/{s}/"),
            format!("none of its {} files has a date: it is documentation, not news, and was not imported", undated[s]),
        );
    }
    for (mut item, section, side, _) in found {
        if docs.contains(&section) {
            imported.skip("undated, in a documentation section");
            for old in &item.old_paths {
                imported.note(
                    &item.origin,
                    format!("its old URL /{old} is not kept: its section is documentation, not imported"),
                );
            }
            continue;
        }
        match item.date {
            Some(_) => item.section = section,
            None => {
                if !section.is_empty() {
                    imported.note(
                        &item.origin,
                        "it has no date: imported as a standalone page (its old URL redirects there)",
                    );
                }
                item.kind = Kind::Page;
            }
        }
        imported.items.push(item);
        imported.absorb(side);
    }
    let used: BTreeSet<String> = imported
        .items
        .iter()
        .filter(|i| i.kind == Kind::Article)
        .map(|i| broadsheet_base::slug::slugify(&i.section))
        .collect();
    imported.section_titles.retain(|k, _| used.contains(k));
}

/// One page from its front matter.
fn page(
    front: &Front,
    origin: &str,
    name: &str,
    dirs: &[String],
    prefix: &str,
    slugs_on: &str,
    imported: &mut Imported,
) -> (Item, Option<String>) {
    let data = &front.data;
    let extra = get(data, "extra").and_then(Value::as_object);
    let taxonomies = get(data, "taxonomies").and_then(Value::as_object);
    let mut item = Item::new(Kind::Article, origin);
    item.title = get(data, "title").and_then(text_of).map(|t| t.trim().to_string()).unwrap_or_default();
    // `2024-01-02-slug` / `2024-01-02_slug`: a date and the slug.
    let (name_date, rest) = file_date(name);
    if item.title.is_empty() {
        item.title = rest.to_string();
        imported.note(origin, format!("it has no title: \"{rest}\" was written; give it a headline"));
    }
    let date_of = |key: &str| get(data, key).and_then(text_of).and_then(|d| common::parse_date(&d, chrono_tz::UTC));
    let written = get(data, "date").and_then(text_of).filter(|d| common::parse_date(d, chrono_tz::UTC).is_some());
    let mut raw_date = written.or(name_date);
    item.date = raw_date.as_deref().and_then(|d| common::parse_date(d, chrono_tz::UTC));
    item.updated = date_of("updated").filter(|u| item.date.is_none_or(|d| *u > d));
    item.draft = get(data, "draft").and_then(Value::as_bool) == Some(true);
    item.summary = get(data, "description").and_then(text_of).filter(|s| !s.trim().is_empty());
    let mut tags: Vec<String> = Vec::new();
    for key in ["tags", "categories"] {
        for tag in taxonomies.and_then(|t| get(t, key)).map(list_of).unwrap_or_default() {
            if !tag.trim().is_empty() && !tags.iter().any(|t| t.eq_ignore_ascii_case(tag.trim())) {
                tags.push(tag.trim().to_string());
            }
        }
    }
    item.tags = tags;
    let names = get(data, "authors")
        .or_else(|| extra.and_then(|e| get(e, "authors").or_else(|| get(e, "author"))))
        .map(list_of)
        .unwrap_or_default();
    // "A and B", "A, B & C": each person credited, as Hugo and Jekyll do.
    for n in names {
        imported.credit_line(&mut item, &n);
    }
    item.image = extra.and_then(|e| {
        let mut keys: Vec<&String> = e
            .keys()
            .filter(|k| {
                let k = k.to_ascii_lowercase();
                k.contains("image") || k.contains("img") || k.contains("cover") || k.contains("thumbnail")
            })
            .collect();
        keys.sort_by_key(|k| (!matches!(k.as_str(), "image" | "cover"), k.to_string()));
        keys.into_iter().find_map(|k| e.get(k).and_then(Value::as_str)).map(str::to_string)
    });
    let slug_field = get(data, "slug").and_then(text_of).filter(|s| !s.trim().is_empty());
    let slug = zola_slug(slug_field.as_deref().unwrap_or(rest).trim(), slugs_on);
    let old = match get(data, "path").and_then(text_of).filter(|p| !p.trim().is_empty()) {
        // Zola takes `path` as written, a translation's too (blog_os writes
        // `path = "fr/freestanding-rust-binary"`): no language prefix is added.
        Some(path) => {
            let p = path.trim().trim_matches('/');
            format!("{p}/")
        }
        None => old_path(dirs, &slug, prefix),
    };
    // A date only in the path (`path = "2025/06/26/Rust-1.88.0"`) or the
    // folders (`2013/02/x/`): the page is dated there, as its URL says.
    if item.date.is_none()
        && let Some(d) = path_date(&old)
    {
        item.date = common::parse_date(&d, chrono_tz::UTC);
        raw_date = Some(d);
    }
    if !item.draft {
        item.old_paths.push(old.clone());
        // Zola writes an alias from the output root, whatever the page's folder or language.
        for alias in get(data, "aliases").map(list_of).unwrap_or_default() {
            let alias = alias.trim();
            if !alias.is_empty() && !alias.contains("://") {
                item.old_paths.push(alias.trim_start_matches('/').to_string());
            }
        }
        if !imported.base_url.is_empty() && imported.base_url != "https://example.com/" {
            item.link_keys.push(format!("{}{old}", imported.base_url));
        }
    }
    let last = old.trim_end_matches('/').rsplit('/').next().unwrap_or("");
    item.slug = if !last.is_empty() && broadsheet_base::slug::slugify(last) == last { last.to_string() } else { slug };
    let mut body = shortcodes(front.body, origin, front.body_line, imported);
    for more in ["<!-- more -->", "<!--more-->"] {
        body = body.replace(more, "");
    }
    item.body = body;
    (item, raw_date)
}

/// The date a page's URL path holds: `YYYY/MM/DD` segments, or a segment
/// that starts with `YYYY-MM-DD` followed by `-` or `_`.
fn path_date(path: &str) -> Option<String> {
    let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    let num = |s: &str, n: usize, range: std::ops::RangeInclusive<u32>| {
        s.len() == n && s.bytes().all(|b| b.is_ascii_digit()) && s.parse::<u32>().is_ok_and(|v| range.contains(&v))
    };
    for w in parts.windows(3) {
        if num(w[0], 4, 1..=9999) && num(w[1], 2, 1..=12) && num(w[2], 2, 1..=31) {
            let d = format!("{}-{}-{}", w[0], w[1], w[2]);
            if chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d").is_ok() {
                return Some(d);
            }
        }
    }
    parts.iter().find_map(|p| file_date(p).0).filter(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_ok())
}

/// `<section folders>/<slug>/`, as Zola builds a page's path.
fn old_path(dirs: &[String], slug: &str, prefix: &str) -> String {
    let mut out = prefix.to_string();
    for d in dirs {
        out.push_str(d);
        out.push('/');
    }
    out.push_str(slug);
    out.push('/');
    out
}

/// The date a file name starts with and the rest (Zola's rule: the date,
/// then `_` or `-`).
fn file_date(name: &str) -> (Option<String>, &str) {
    let b = name.as_bytes();
    let digits = |r: std::ops::Range<usize>| b.get(r).is_some_and(|s| s.iter().all(u8::is_ascii_digit));
    if b.len() > 11
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10)
        && matches!(b[10], b'_' | b'-')
    {
        return (Some(name[..10].to_string()), &name[11..]);
    }
    (None, name)
}

/// Zola's slugify for paths: `on` makes lowercase ASCII with hyphens,
/// `safe` only drops characters unsafe in a path, `off` keeps the text.
fn zola_slug(s: &str, mode: &str) -> String {
    match mode {
        "off" => s.to_string(),
        // Zola 0.22: characters a file name cannot hold are dropped, and
        // trailing spaces and dots.
        "safe" => s.trim_end_matches([' ', '.']).chars().filter(|c| !r#"<>:"/\|?*"#.contains(*c)).collect(),
        _ => {
            use unicode_normalization::UnicodeNormalization;
            let mut out = String::new();
            let mut hyphen = false;
            for c in s.nfd() {
                if unicode_normalization::char::is_combining_mark(c) {
                    continue;
                }
                if c.is_ascii_alphanumeric() {
                    if hyphen && !out.is_empty() {
                        out.push('-');
                    }
                    hyphen = false;
                    out.push(c.to_ascii_lowercase());
                } else {
                    hyphen = true;
                }
            }
            out
        }
    }
}

/// `ignored_content`'s globs, compiled as Zola compiles them (globset,
/// where `*` also crosses folders); a glob that does not compile is left out.
fn globs(patterns: &[String]) -> globset::GlobSet {
    let mut set = globset::GlobSetBuilder::new();
    for pattern in patterns {
        if let Ok(glob) = globset::Glob::new(pattern) {
            set.add(glob);
        }
    }
    set.build().unwrap_or_else(|_| globset::GlobSet::empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_and_dates_come_from_file_names() {
        assert_eq!(file_date("2024-01-02_harbour-office-moves"), (Some("2024-01-02".into()), "harbour-office-moves"));
        assert_eq!(file_date("2024-02-03-storm-night"), (Some("2024-02-03".into()), "storm-night"));
        assert_eq!(file_date("storm"), (None, "storm"));
        assert_eq!(zola_slug("Régates 2024: RC!", "on"), "regates-2024-rc");
        assert_eq!(old_path(&["blog".into()], "storm-night", ""), "blog/storm-night/");
        assert_eq!(old_path(&[], "about", "fr/"), "fr/about/");
        assert_eq!(zola_slug("npm modules: (dev). ", "safe"), "npm modules (dev)");
        assert_eq!(path_date("2025/06/26/Rust-1.88.0/"), Some("2025-06-26".into()));
        assert_eq!(path_date("inside-rust/2024/09/02/all-hands/"), Some("2024-09-02".into()));
        assert_eq!(path_date("blog/2020-05-21-governance-wg/"), Some("2020-05-21".into()));
        assert_eq!(path_date("2024/13/02/x/"), None);
        assert_eq!(path_date("releases/1.88.0/"), None);
        assert!(globs(&["*/README.md".into()]).is_match("edition-2/README.md"));
        assert!(!globs(&["*/README.md".into()]).is_match("README.md"));
        assert!(globs(&["*.{xlsx,csv}".into()]).is_match("data/2024/budget.xlsx"), "braces, as in Zola");
    }
}
