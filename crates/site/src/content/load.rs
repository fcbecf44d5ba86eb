//! The loader: walks `content/` (refusing source files that must not be
//! copied), decides which files are articles, standalone pages and section
//! files, reads them in parallel (reusing the [`Cache`] of a series of
//! builds), and places the files copied as they are. Each file gives an
//! article or diagnostics; checking one article's front matter is `check`.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use rayon::prelude::*;
use walkdir::WalkDir;

use super::check::{self, file_name_date};
use super::frontmatter::{self, Problem};
use super::{
    Article, Asset, Languages, Loaded, SectionMeta, UPDATES, bundle_index, fields, is_bundle, is_hidden, is_html,
    is_live_update, is_markdown, title_case,
};
use crate::config::Config;
use broadsheet_base::diagnostic::{Diagnostic, line_col, relative};
use broadsheet_base::route::Route;
use broadsheet_base::slug::slugify;

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

/// Loads everything under `<root>/content` that is in `languages`' language,
/// reusing `cache` where it can.
pub fn load(root: &Path, config: &Config, languages: &Languages, cache: &mut Cache) -> Loaded {
    let found = walk(root, languages);
    let content = root.join(broadsheet_base::layout::CONTENT);
    let logical = |path: &Path| languages.logical(&content, path);
    let mut loaded = Loaded { diagnostics: found.diagnostics, ..Loaded::default() };
    // Everything `load_article` reads from the configuration.
    let settings = format!(
        "{}|{}|{}|{}|{}|{:?}",
        config.language,
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
                _ => (path, stamp, read_file(root, path, &logical(path), config, pages.contains(path)), false),
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
        found.articles.iter().chain(&found.section_files).filter_map(|f| section_folder(root, &logical(f))).collect();
    let mut section_dirs = found.section_dirs.clone();
    section_dirs.sort();
    section_dirs.dedup();
    for folder in section_dirs.iter().filter(|f| with_markdown.contains(*f)) {
        let file =
            found.section_files.iter().find(|f| section_folder(root, &logical(f)).as_deref() == Some(folder.as_str()));
        match load_section(root, folder, file, config) {
            Ok(meta) => loaded.sections.push(meta),
            Err(d) => loaded.diagnostics.push(d),
        }
    }
    loaded.pages.sort_by(|a, b| a.place.route.cmp(&b.place.route));
    let articles = loaded.articles.iter().chain(&loaded.pages);
    loaded.assets = place_assets(root, &found.assets, articles, &loaded.sections, &logical);
    loaded
}

fn walk(root: &Path, languages: &Languages) -> Found {
    let content = root.join(broadsheet_base::layout::CONTENT);
    let mut found = Found::default();
    let walker = WalkDir::new(&content).follow_links(false).sort_by_file_name().into_iter();
    let walked = |e: &walkdir::DirEntry| {
        e.depth() == 0
            || (!is_hidden(e.file_name()) && (!e.file_type().is_dir() || languages.walks(&content, e.path())))
    };
    for entry in walker.filter_entry(walked) {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let path =
                    e.path().map_or_else(|| PathBuf::from(broadsheet_base::layout::CONTENT), |p| relative(root, p));
                found.diagnostics.push(Diagnostic::error(path, 1, 1, format!("cannot read: {e}")));
                continue;
            }
        };
        classify(root, &content, entry, languages, &mut found);
    }
    if languages.code.is_some() && !languages.default {
        keep_own_assets(&content, languages, &mut found);
    }
    // A top-level folder with no `_index.md` and no file written as a
    // story (dated, or with a byline, tags or a source) holds standalone
    // pages (`content/policies/ethics.md`), not a section.
    let logical = |path: &Path| languages.logical(&content, path);
    let sections_named: std::collections::HashSet<String> =
        found.section_files.iter().filter_map(|f| section_folder(root, &logical(f))).collect();
    let mut by_folder: BTreeMap<String, Vec<PathBuf>> = BTreeMap::new();
    for file in &found.articles {
        if let Some(folder) = section_folder(root, &logical(file)) {
            by_folder.entry(folder).or_default().push(file.clone());
        }
    }
    for (folder, files) in by_folder {
        if !sections_named.contains(&folder) && !files.iter().any(|f| is_story(root, f, &logical(f))) {
            found.articles.retain(|f| !files.contains(f));
            found.pages.extend(files);
        }
    }
    // A top-level folder holding `index.md` and no other article is a
    // standalone page with its files (`content/about/index.md`).
    for index in std::mem::take(&mut found.page_bundles) {
        let folder = logical(&index).parent().map(Path::to_path_buf).unwrap_or_default();
        let shared = found.articles.iter().chain(&found.section_files).any(|f| logical(f).starts_with(&folder));
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
fn is_story(root: &Path, path: &Path, logical: &Path) -> bool {
    if file_name_date(logical).is_some() {
        return true;
    }
    let Ok(text) = broadsheet_base::confine::read_to_string(root, path) else { return true };
    let Ok(split) = frontmatter::split(&text) else { return true };
    let Ok(tree) = frontmatter::parse(&split) else { return true };
    let (raw, _) = fields::article(&tree, crate::config::UnknownFields::Extra);
    const STORY_ONLY: [&str; 7] = ["date", "authors", "tags", "source", "dateline", "corrections", "featured"];
    raw.path_date.is_some() || STORY_ONLY.iter().any(|f| raw.positions.contains_key(f))
}

fn classify(root: &Path, content: &Path, entry: walkdir::DirEntry, languages: &Languages, found: &mut Found) {
    let path = entry.path();
    let logical = languages.logical(content, path);
    let rel: Vec<String> = match logical.strip_prefix(content) {
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
    if is_article && !languages.reads(content, path) {
        return;
    }
    if !is_article {
        match head.refusal(path) {
            Some(message) => found.diagnostics.push(Diagnostic::error(at(), 1, 1, message)),
            None => found.assets.push(path.to_path_buf()),
        }
        return;
    }
    let stem = logical.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
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
        _ if stem != "index" && languages.code.is_none() && path.parent().and_then(bundle_index).is_some() => {
            let message = "a page bundle holds one article, its index file: move this file out of the bundle's folder";
            found.diagnostics.push(Diagnostic::error(at(), 1, 1, message));
        }
        _ => found.articles.push(path.to_path_buf()),
    }
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
pub(super) fn read_text(root: &Path, path: &Path) -> Result<String, Diagnostic> {
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

pub(super) fn problem(rel: &Path, p: Problem) -> Diagnostic {
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
        title: raw.title.map_or_else(|| title_case(folder), |t| super::markdown::smart(&t)),
        slug,
        folder: folder.to_string(),
        description: raw.description,
        order: raw.order,
        file: file.map(|f| relative(root, f)),
        extra: raw.extra,
    })
}

pub(crate) fn load_article(root: &Path, path: &Path, config: &Config) -> (Option<Article>, Vec<Diagnostic>) {
    let (article, diagnostics, _) = read_file(root, path, path, config, false);
    (article, diagnostics)
}

/// Loads one article file (or, with `page`, a standalone page), noting
/// the unknown fields it kept in `extra`.
fn read_file(root: &Path, path: &Path, logical: &Path, config: &Config, page: bool) -> ArticleResult {
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
    let (article, diagnostics) = check::article(root, path, logical, &rel, &split, raw, problems, config, page);
    (article, diagnostics, kept)
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

/// Decides where each non-article file under `content/` is copied: beside
/// its article for page bundles (however deep the bundle's folder is), at
/// the same place under its section otherwise.
fn place_assets<'a>(
    root: &Path,
    assets: &[PathBuf],
    articles: impl Iterator<Item = &'a Article>,
    sections: &[SectionMeta],
    logical: &dyn Fn(&Path) -> PathBuf,
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
                    let logical = logical(from);
                    let rel = logical.strip_prefix(&content).ok()?;
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

/// A language other than the default copies the files of its own folder
/// (`content/fr/`) and, elsewhere, only those beside its translations (a
/// bundle's pictures for `index.fr.md`): the rest are the default
/// language's.
fn keep_own_assets(content: &Path, languages: &Languages, found: &mut Found) {
    if languages.code.is_none() {
        return;
    }
    // The language's own folder (`content/fr/`, in any case).
    let in_own_folder = |path: &Path| {
        path.strip_prefix(content)
            .ok()
            .and_then(|rel| languages.folder_language(rel))
            .is_some_and(|f| languages.is_own(f))
    };
    let translations = found.articles.iter().chain(&found.pages).chain(&found.page_bundles);
    let translations: Vec<&PathBuf> = translations.filter(|f| !in_own_folder(f)).collect();
    // A bundle's whole folder; a flat file's own folder's files.
    let bundles: std::collections::HashSet<&Path> =
        translations.iter().filter(|f| is_bundle(&languages.logical(content, f))).filter_map(|f| f.parent()).collect();
    let folders: std::collections::HashSet<&Path> = translations.iter().filter_map(|f| f.parent()).collect();
    found.assets.retain(|a| {
        in_own_folder(a)
            || a.parent().is_some_and(|d| folders.contains(d))
            || a.ancestors().skip(1).take_while(|d| *d != content).any(|d| bundles.contains(d))
    });
}
