//! One article's front matter checked into an [`Article`]: its title and
//! dates, its section, slug and URL, its tags and authors, its hero image
//! and the body's pictures, its summary and a live blog's updates. Every
//! problem is a diagnostic at the field's line; the steps are named
//! methods of [`Checker`], in the order their problems are told.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use chrono::DateTime;
use chrono_tz::Tz;

use super::frontmatter::{self, Problem, RawArticle, Split};
use super::load::{problem, read_text};
use super::markdown::{self, Rendered};
use super::{
    Alias, Article, BodyImage, Correction, Image, ImageSource, LiveBlog, LiveUpdate, MAX_AUTHORS, MAX_TAGS, Placement,
    Source, UPDATES, fields, is_bundle, is_hidden, is_html, is_markdown, tree,
};
use crate::config::Config;
use broadsheet_base::date;
use broadsheet_base::diagnostic::{Diagnostic, relative};
use broadsheet_base::route::Route;
use broadsheet_base::slug::slugify;
use broadsheet_base::url::Urls;

/// Checks one article file's front matter (`raw`, with the `problems`
/// reading it found) into an article (or, with `page`, a standalone page),
/// and every problem it has.
#[allow(clippy::too_many_arguments)]
pub(super) fn article(
    root: &Path,
    path: &Path,
    logical: &Path,
    rel: &Path,
    split: &Split,
    mut raw: RawArticle,
    problems: Vec<Problem>,
    config: &Config,
    page: bool,
) -> (Option<Article>, Vec<Diagnostic>) {
    let mut checker = Checker {
        rel,
        logical_rel: relative(root, logical),
        split,
        positions: std::mem::take(&mut raw.positions),
        tz: config.timezone,
        diagnostics: problems.into_iter().map(|p| problem(rel, p)).collect(),
    };
    let article = checker.article(root, path, logical, raw, config, page);
    (article, checker.diagnostics)
}

/// A rendered body as pages show it: sanitized unless `unsafe_html`, then
/// its embeds put in their slots.
fn published_html(html: String, embeds: &[broadsheet_base::embed::Embed], config: &Config) -> String {
    let html = if config.unsafe_html { html } else { markdown::sanitize(&html) };
    let w = |key: &str| config.words.get(key);
    let words = broadsheet_base::embed::Words {
        titles: [w("embed_video"), w("embed_post"), w("embed_map"), w("embed_document"), w("embed_page")],
        open: [w("open_video"), w("open_post"), w("open_map"), w("open_document"), w("open_page")],
        privacy: w("embed_privacy"),
    };
    markdown::fill_embeds(html, embeds, &words)
}

/// Whether a relative picture is a file where the page's own address
/// leads (`static/<page>/x.png`, as imported sites keep them).
fn page_relative_file(root: &Path, page: &Route, path: &str) -> bool {
    page.join(Path::new(path)).is_some_and(|route| {
        broadsheet_base::layout::site_file_candidates(root, route.as_str())
            .iter()
            .any(|p| broadsheet_base::confine::is_file(root, p))
    })
}

/// The kind of picture file a hero cannot be resized from (a GIF, TIFF,
/// HEIC, BMP...), by name; `None` for the photos Broadsheet resizes and
/// for SVG, which needs no resizing.
fn unresizable(file: &Path) -> Option<String> {
    let ext = file.extension()?.to_string_lossy().to_ascii_lowercase();
    (!crate::photos::is_strippable(file) && ext != "svg").then(|| format!("a {} file", ext.to_ascii_uppercase()))
}

/// A standalone page's URL: its folders under `content/` and its slug
/// (`content/policies/ethics.md` is `/policies/ethics/`).
fn page_route(rel: &Path, path: &Path, slug: &str) -> Route {
    let parents = rel.components().count().saturating_sub(if is_bundle(path) { 3 } else { 2 });
    let mut parts: Vec<String> =
        rel.components().skip(1).take(parents).map(|c| slugify(&c.as_os_str().to_string_lossy())).collect();
    parts.retain(|p| !p.is_empty());
    parts.push(slug.to_string());
    Route::section(&parts.join("/"))
}

/// Where an article's file sits, to resolve the files it names.
struct Folder<'a> {
    root: &'a Path,
    /// The folder relative names are read from (the bundle, or the section folder).
    dir: PathBuf,
    /// The route that folder is copied to.
    dir_route: Route,
}

impl Folder<'_> {
    /// The route a file name resolves to, and where the file may be on disk.
    fn resolve(&self, src: &str) -> Result<(Route, Vec<PathBuf>), &'static str> {
        match src.strip_prefix('/') {
            Some(rooted) => {
                let route = Route::from_site_path(rooted)?;
                let candidates =
                    [self.root.join(broadsheet_base::layout::STATIC), self.root.join(broadsheet_base::layout::CONTENT)];
                Ok((route.clone(), candidates.into_iter().map(|dir| dir.join(&route)).collect()))
            }
            None => {
                let route = self.dir_route.join(Path::new(src)).ok_or("expected a file inside the site")?;
                Ok((route, vec![self.dir.join(src)]))
            }
        }
    }
}

/// Validates raw front matter into an article, collecting every problem.
struct Checker<'a> {
    rel: &'a Path,
    /// The place the file stands for in its language (`content/news/x.md`
    /// for `content/news/x.fr.md`): its names and URL come from it.
    logical_rel: PathBuf,
    split: &'a Split<'a>,
    /// Where each field's value was written.
    positions: HashMap<&'static str, tree::Pos>,
    tz: Tz,
    diagnostics: Vec<Diagnostic>,
}

impl Checker<'_> {
    /// Line and column of a field's value in the file, or the opening line.
    fn at(&self, key: &str) -> (usize, usize) {
        self.positions.get(key).map_or((1, 1), |p| (p.line, p.column))
    }

    fn error(&mut self, key: &str, message: impl Into<String>) {
        let (line, column) = self.at(key);
        self.diagnostics.push(Diagnostic::error(self.rel, line, column, message));
    }

    fn warn(&mut self, key: &str, message: impl Into<String>) {
        let (line, column) = self.at(key);
        self.diagnostics.push(Diagnostic::warning(self.rel, line, column, message));
    }

    fn date(&mut self, key: &str, input: &date::DateInput) -> Option<DateTime<Tz>> {
        date::parse(&input.0, self.tz).map_err(|m| self.error(key, format!("{key}: {m}"))).ok()
    }

    fn required(&mut self, key: &str, value: Option<String>, example: &str) -> Option<String> {
        match value {
            Some(v) if !v.trim().is_empty() => Some(v),
            Some(_) => {
                self.error(key, format!("`{key}` is empty: expected {example}"));
                None
            }
            None => {
                self.error(key, format!("missing `{key}`: expected {example} in the front matter"));
                None
            }
        }
    }

    /// The article, or `None` when any of its problems is an error. Each
    /// step tells its own problems, in this order.
    fn article(
        &mut self,
        root: &Path,
        path: &Path,
        logical: &Path,
        mut raw: RawArticle,
        config: &Config,
        page: bool,
    ) -> Option<Article> {
        let title = self.title(raw.title);
        let named = file_name_date(logical);
        let implied = named.as_ref().map(|(d, _)| d.clone()).or(raw.path_date.clone());
        let date = self.written_date(raw.date.as_ref(), implied, page);
        let updated = raw.updated.as_ref().and_then(|d| self.date("updated", d));
        let expires = raw.expires.as_ref().and_then(|d| self.date("expires", d));
        let corrections = self.corrections(raw.corrections);
        let stem = named.map(|(_, rest)| rest).filter(|rest| !rest.is_empty());
        let (section, slug) = match page {
            true => (String::new(), self.page_slug(logical, raw.slug.as_deref())?),
            false => self.names(logical, raw.slug.as_deref(), stem.as_deref())?,
        };
        // Where the article goes, by the site's permalink pattern (without
        // a date there is no article, and that error is already said).
        let route = match &date {
            _ if page => page_route(&self.logical_rel, logical, &slug),
            Some(date) => config.permalink.route(&section, &slug, date),
            None => Route::article(&section, &slug),
        };
        let aliases = self.aliases(&raw.aliases, &route);
        self.cap("tags", &mut raw.tags, MAX_TAGS, "tags");
        self.cap("authors", &mut raw.authors, MAX_AUTHORS, "authors");
        self.check_names("tags", &raw.tags, "tag");
        self.check_names("authors", &raw.authors, "author");
        let folder = self.folder(root, path, logical, &route, &section, page);
        let image = raw.image.map(|i| self.image(i, &folder));
        let rendered = self.body(path, raw.dateline.as_deref(), &folder, config);
        let body_images = self.body_pictures(&rendered, &folder, &route, &config.urls);
        let (summary_html, summary, summary_is_lead) = self.summary(raw.summary, &rendered, config);
        let route_line = if raw.slug.is_some() { self.at("slug").0 } else { 1 };
        let (live, live_embeds) = self.live_blog(root, path, logical, raw.live, raw.coverage_end.as_ref(), config);
        let dated = date.is_some();
        // An undated page: its `updated` time, or the start of time (shown nowhere).
        let date = match date {
            None if page && !self.diagnostics.iter().any(Diagnostic::is_error) => {
                Some(updated.unwrap_or_else(|| DateTime::UNIX_EPOCH.with_timezone(&self.tz)))
            }
            date => date,
        };
        let place = Placement {
            file: self.rel.to_path_buf(),
            route,
            section,
            slug,
            route_line,
            date: date?,
            dated,
            expires,
            draft: raw.draft,
            featured: raw.featured,
            series: raw.series.as_deref().map(slugify).filter(|s| !s.is_empty()),
            series_order: raw.series_order,
            authors: raw.authors,
            tags: raw.tags,
            aliases,
        };
        Some(Article {
            place,
            // Curly quotes and dashes, as the body gets them.
            title: markdown::smart(title?.trim()),
            updated,
            summary,
            summary_html,
            summary_is_lead,
            image,
            source: raw.source.map(|s| Source { name: s.name, url: s.url }),
            corrections,
            dateline: raw.dateline,
            searchable: raw.search.unwrap_or(!page),
            body_images,
            extra: raw.extra,
            embeds: rendered.embeds.len() + live_embeds,
            html: published_html(rendered.html, &rendered.embeds, config),
            word_count: rendered.word_count,
            live,
            translation: raw.translation_key.unwrap_or_else(|| {
                let place =
                    self.logical_rel.strip_prefix(broadsheet_base::layout::CONTENT).unwrap_or(&self.logical_rel);
                // A bundle and a flat file at one place are one story (`news/x/index.md`, `fr/news/x.md`).
                let place = if is_bundle(logical) { place.parent().unwrap_or(place) } else { place };
                place.with_extension("").to_string_lossy().replace('\\', "/")
            }),
        })
        .filter(|_| !self.diagnostics.iter().any(Diagnostic::is_error))
    }

    /// The headline, required (a `title` refused already is not told twice).
    fn title(&mut self, written: Option<String>) -> Option<String> {
        let example = match self.split.format {
            frontmatter::Format::Toml => "a headline such as `title = \"...\"`",
            frontmatter::Format::Yaml => "a headline such as `title: ...`",
        };
        if written.is_none() && self.positions.contains_key("title") {
            None // refused already: say it once
        } else {
            self.required("title", written, example)
        }
    }

    /// The article's date: its `date`, else the one its file name (or its
    /// Zola `path`) implies; a standalone page needs none.
    fn written_date(
        &mut self,
        written: Option<&date::DateInput>,
        implied: Option<String>,
        page: bool,
    ) -> Option<DateTime<Tz>> {
        match (written, implied) {
            (Some(d), _) => self.date("date", d),
            (None, _) if self.positions.contains_key("date") => None,
            (None, Some(from_name)) => self.date("date", &date::DateInput(from_name)),
            // A standalone page needs no date: it is in no listing.
            (None, None) if page => None,
            (None, None) => {
                self.error(
                    "date",
                    format!(
                        "missing `date`: {} (or a file name starting with one, such as 2026-10-14-slug.md)",
                        date::EXPECTED
                    ),
                );
                None
            }
        }
    }

    /// Where the files the article names are read from and copied to: a
    /// bundle's (or a page's) own folder at its URL, else its folder in the
    /// section.
    fn folder<'r>(
        &self,
        root: &'r Path,
        path: &Path,
        logical: &Path,
        route: &Route,
        section: &str,
        page: bool,
    ) -> Folder<'r> {
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let dir_route = if is_bundle(logical) || page {
            route.clone()
        } else {
            // A folder inside the section (`blog/2023/`) keeps its place for the files it holds.
            let inner: PathBuf = self.logical_rel.components().skip(2).collect();
            let inner = inner.parent().map(Path::to_path_buf).unwrap_or_default();
            match inner.as_os_str().is_empty() {
                true => Route::section(section),
                false => Route::section(section).join(&inner).unwrap_or_else(|| Route::section(section)),
            }
        };
        Folder { root, dir, dir_route }
    }

    /// The body rendered (an HTML file's as written), with a warning at
    /// its line for each embed that could not be made and each picture
    /// that points outside the site's folder.
    fn body(&mut self, path: &Path, dateline: Option<&str>, folder: &Folder, config: &Config) -> Rendered {
        let rendered = if is_html(path) {
            markdown::render_html(self.split.body, dateline)
        } else {
            markdown::render(self.split.body, &config.urls, dateline)
        };
        let body_line = self.split.front_line + self.split.front.matches('\n').count() + 1;
        for (offset, message) in &rendered.embed_problems {
            let line = body_line + self.split.body[..*offset].matches('\n').count();
            self.diagnostics.push(Diagnostic::warning(self.rel, line, 1, format!("embed: {message}")));
        }
        let depth = folder.dir.strip_prefix(folder.root).map_or(0, |d| d.components().count());
        for src in rendered.images.iter().filter(|src| broadsheet_base::safe_url::climbs_out(src, depth)) {
            let line = body_line
                + self.split.body.find(src.as_str()).map_or(0, |at| self.split.body[..at].matches('\n').count());
            let message = format!("picture `{src}` points outside the site's folder: readers will see a broken image");
            self.diagnostics.push(Diagnostic::warning(self.rel, line, 1, message));
        }
        rendered
    }

    /// The line of the body where `text` first appears (its first line if nowhere).
    fn body_line_of(&self, text: &str) -> usize {
        let body_line = self.split.front_line + self.split.front.matches('\n').count() + 1;
        body_line + self.split.body.find(text).map_or(0, |at| self.split.body[..at].matches('\n').count())
    }

    /// The body's pictures that are photos of the site's own (resized like
    /// heroes): a bundle's files, root-relative ones, and a plain file's
    /// relative ones, read from its section's folder as its hero is. Other
    /// sites' are shown as written; a picture of the site's that is no
    /// file, or that the page's address would not reach, is a warning at
    /// its line (a broken image, though the build goes on).
    fn body_pictures(&mut self, rendered: &Rendered, folder: &Folder, page: &Route, urls: &Urls) -> Vec<BodyImage> {
        let mut photos = Vec::new();
        let markdown = rendered.images.iter().map(|src| (src, true));
        for (src, is_markdown) in markdown.chain(rendered.html_images.iter().map(|src| (src, false))) {
            if src.contains(':') || src.starts_with("//") || src.starts_with('#') {
                continue;
            }
            let Some(path) = src.split(['?', '#']).next().filter(|p| !p.is_empty()) else { continue };
            let path = percent_encoding::percent_decode_str(path).decode_utf8_lossy().into_owned();
            // One that leads out of the site's folder is warned about in `body`.
            let Ok((route, candidates)) = folder.resolve(&path) else { continue };
            let file = candidates.iter().find(|p| broadsheet_base::confine::is_file(folder.root, p));
            let reached = path.starts_with('/') || folder.dir_route == *page;
            let message = match file {
                Some(file) if is_markdown && crate::photos::is_strippable(file) => {
                    photos.push(BodyImage { src: urls.resolve_link(src).into_owned(), route, file: file.clone() });
                    continue;
                }
                Some(_) if reached => continue,
                // Beside a plain file, a GIF or SVG is not where the page's address leads.
                Some(_) => format!(
                    "picture `{src}` is beside the story, but the story's page is at {}: readers will see a broken image; write `{}` or make the story a bundle (a folder with index.md)",
                    urls.path(page),
                    urls.path(&route)
                ),
                None if page_relative_file(folder.root, page, &path) => continue,
                None => {
                    let wanted = candidates.first().map(|p| relative(folder.root, p).display().to_string());
                    format!(
                        "picture `{src}` not found: expected a file at {}; readers will see a broken image",
                        wanted.unwrap_or_default()
                    )
                }
            };
            let line = self.body_line_of(src);
            self.diagnostics.push(Diagnostic::warning(self.rel, line, 1, message));
        }
        photos
    }

    /// The dek as HTML and as plain text, and whether it is the body's
    /// first paragraph. A written summary is Markdown: HTML for the dek,
    /// plain text for descriptions and feeds.
    fn summary(&mut self, written: Option<String>, rendered: &Rendered, config: &Config) -> (String, String, bool) {
        let written = written.filter(|s| !s.trim().is_empty()).map(|s| {
            let (html, text, refused) = markdown::inline(&s, &config.urls);
            for (address, why) in refused {
                self.warn("summary", format!("summary: the link to `{address}` is left out (its text is kept): {why}"));
            }
            (html, text)
        });
        let summary_is_lead = written.as_ref().is_none_or(|(_, text)| text.trim() == rendered.first_paragraph);
        let (summary_html, summary) = written.unwrap_or_else(|| {
            (broadsheet_base::html::escape(&rendered.first_paragraph), rendered.first_paragraph.clone())
        });
        (summary_html, summary, summary_is_lead)
    }

    /// A live blog's coverage (`live = true`, only on a bundle), and how
    /// many embeds its updates have.
    fn live_blog(
        &mut self,
        root: &Path,
        path: &Path,
        logical: &Path,
        live: bool,
        coverage_end: Option<&date::DateInput>,
        config: &Config,
    ) -> (Option<LiveBlog>, usize) {
        match live {
            true if !is_bundle(logical) => {
                self.error(
                    "live",
                    "a live blog is a bundle: move this file to <slug>/index.md and put each update in <slug>/updates/",
                );
                (None, 0)
            }
            true => {
                let ended = coverage_end.and_then(|d| self.date("coverage_end", d));
                let (updates, embeds) = self.live_updates(root, path, config);
                (Some(LiveBlog { ended, updates }), embeds)
            }
            false => (None, 0),
        }
    }

    /// The updates of the live blog whose `index.md` is `path`, newest
    /// first, and how many embeds they have; each update's problems are
    /// told at its own file and line.
    fn live_updates(&mut self, root: &Path, path: &Path, config: &Config) -> (Vec<LiveUpdate>, usize) {
        let dir = path.parent().map(|d| d.join(UPDATES)).unwrap_or_default();
        let Ok(entries) = std::fs::read_dir(&dir) else { return (Vec::new(), 0) };
        let mut files: Vec<PathBuf> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| is_markdown(p) && !p.file_name().is_some_and(is_hidden))
            .collect();
        files.sort();
        let mut updates = Vec::new();
        let mut embeds = 0;
        for file in files {
            let rel = relative(root, &file);
            let text = match read_text(root, &file) {
                Ok(text) => text,
                Err(d) => {
                    self.diagnostics.push(d);
                    continue;
                }
            };
            let parsed = frontmatter::split(&text).and_then(|split| Ok((frontmatter::parse(&split)?, split)));
            let (tree, split) = match parsed {
                Ok(parsed) => parsed,
                Err(p) => {
                    self.diagnostics.push(problem(&rel, p));
                    continue;
                }
            };
            let (raw, problems) = fields::update(&tree);
            let failed = !problems.is_empty();
            self.diagnostics.extend(problems.into_iter().map(|p| problem(&rel, p)));
            let time = match &raw.time {
                Some(t) => date::parse(&t.0, self.tz).map_err(|m| {
                    let pos = raw.time_pos.map_or((1, 1), |p| (p.line, p.column));
                    self.diagnostics.push(Diagnostic::error(&rel, pos.0, pos.1, format!("time: {m}")));
                }),
                None => {
                    let message = format!("missing `time`: when the update was posted, {}", date::EXPECTED);
                    self.diagnostics.push(Diagnostic::error(&rel, 1, 1, message));
                    Err(())
                }
            };
            let (Ok(time), false) = (time, failed) else { continue };
            let rendered = markdown::render(split.body, &config.urls, None);
            embeds += rendered.embeds.len();
            let html = published_html(rendered.html, &rendered.embeds, config);
            let stem = file.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
            updates.push(LiveUpdate {
                id: slugify(&stem),
                time,
                title: raw.title.filter(|t| !t.trim().is_empty()),
                authors: raw.authors,
                pinned: raw.pinned,
                key: raw.key,
                html,
                text: rendered.text,
            });
        }
        updates.sort_by(|a, b| b.time.cmp(&a.time).then_with(|| b.id.cmp(&a.id)));
        (updates, embeds)
    }

    fn corrections(&mut self, raw: Vec<frontmatter::RawCorrection>) -> Vec<Correction> {
        raw.into_iter()
            .filter_map(|c| {
                let date = date::parse(&c.date.0, self.tz).map_err(|m| {
                    let d = Diagnostic::error(self.rel, c.pos.line, c.pos.column, format!("corrections: {m}"));
                    self.diagnostics.push(d);
                });
                Some(Correction { date: date.ok()?, text: c.text })
            })
            .collect()
    }

    /// Section and slug from the path (or the `slug` field). The section
    /// is the first folder under `content/`, however deep the file is; a
    /// date at the start of the file name (`dated`) is not part of the slug.
    fn names(&mut self, path: &Path, slug_field: Option<&str>, dated: Option<&str>) -> Option<(String, String)> {
        let stem_source = if is_bundle(path) { path.parent()? } else { path };
        // A bundle's folder name is its slug whole (`Rust-1.12/index.md` is `rust-1-12`).
        let name = if is_bundle(path) { stem_source.file_name() } else { stem_source.file_stem() };
        let stem = dated.map_or_else(|| name.map(|s| s.to_string_lossy().into_owned()), |d| Some(d.to_string()))?;
        let section_dir = self.logical_rel.components().nth(1)?.as_os_str().to_string_lossy().into_owned();
        let section = slugify(&section_dir);
        let slug = slugify(slug_field.unwrap_or(&stem));
        if section.is_empty() {
            self.error("title", format!("section folder `{section_dir}` has no letters or digits to make a URL from"));
        }
        if slug.is_empty() {
            let key = if slug_field.is_some() { "slug" } else { "title" };
            self.error(key, "slug is empty: expected letters or digits to make the article's URL from");
        }
        if let Some(given) = slug_field
            && given != slug
            && !slug.is_empty()
        {
            self.warn(
                "slug",
                format!(
                    "slug `{given}` was made URL-safe: the article is at {}",
                    Route::article(&section, &slug).shown()
                ),
            );
        }
        if slug == "page" {
            self.error("slug", "slug `page` is reserved for pagination: choose another");
        }
        (!section.is_empty() && !slug.is_empty()).then_some((section, slug))
    }

    /// A standalone page's slug: its `slug`, or its file's (or bundle's) name.
    fn page_slug(&mut self, path: &Path, slug_field: Option<&str>) -> Option<String> {
        let name = if is_bundle(path) { path.parent()?.file_name()? } else { path.file_stem()? };
        let slug = slugify(slug_field.unwrap_or(&name.to_string_lossy()));
        if slug.is_empty() {
            let key = if slug_field.is_some() { "slug" } else { "title" };
            self.error(key, "slug is empty: expected letters or digits to make the page's URL from");
            return None;
        }
        Some(slug)
    }

    /// Keeps the first `max` distinct names of a list (each one makes a
    /// page and a feed: an article with thousands would make the site grow
    /// with their square); says what was left out.
    fn cap(&mut self, key: &str, names: &mut Vec<String>, max: usize, what: &str) {
        let mut seen = HashSet::new();
        names.retain(|n| {
            let slug = slugify(n);
            slug.is_empty() || seen.insert(slug)
        });
        if names.len() > max {
            let dropped = names.len() - max;
            names.truncate(max);
            self.warn(key, format!("{} {what}: only the first {max} are used, {dropped} left out", max + dropped));
        }
    }

    fn check_names(&mut self, key: &str, names: &[String], what: &str) {
        for name in names.iter().filter(|n| slugify(n).is_empty()) {
            self.error(key, format!("{what} `{name}` has no letters or digits to make a URL from"));
        }
    }

    /// Old URLs; one that is the article's own URL (a `permalink` that
    /// stays the same) needs no redirect.
    fn aliases(&mut self, raw: &[String], own: &Route) -> Vec<Alias> {
        let line = self.at("aliases").0;
        let mut out = Vec::new();
        let mut seen = HashSet::from([own.clone()]);
        for alias in raw {
            match Route::alias(alias) {
                Ok(route) if !seen.insert(route.clone()) => {}
                Ok(route) => out.push(Alias { route, line }),
                Err(why) => self.error("aliases", format!("alias `{alias}` rejected: {why}")),
            }
        }
        out
    }

    /// The hero image, with its source resolved like the page's own links
    /// and its size read from the file.
    fn image(&mut self, raw: frontmatter::RawImage, folder: &Folder) -> Image {
        let alt = raw.alt.unwrap_or_default();
        if alt.trim().is_empty() {
            self.warn("image", "hero image has no `alt` text: describe the picture for readers who cannot see it");
        }
        let has_scheme = url::Url::parse(raw.src.trim()).is_ok();
        let (src, size) = if has_scheme || raw.src.contains("://") || raw.src.starts_with("//") {
            if let Err(why) = broadsheet_base::safe_url::check(raw.src.trim()) {
                self.error("image", format!("hero image `{}` is refused: {why}", raw.src));
            }
            (ImageSource::External(raw.src), None)
        } else {
            let (route, candidates) = match folder.resolve(&raw.src) {
                Ok(resolved) => resolved,
                Err(why) => {
                    self.error("image", format!("hero image `{}` rejected: {why}", raw.src));
                    return Image {
                        src: ImageSource::External(raw.src),
                        alt,
                        caption: None,
                        credit: None,
                        size: None,
                        bytes: None,
                        file: None,
                        line: self.at("image").0,
                        focus: None,
                    };
                }
            };
            let opened = candidates.iter().find_map(|p| match broadsheet_base::confine::open(folder.root, p) {
                Ok(f) if f.metadata().is_ok_and(|m| m.is_file()) => Some(Ok((p, f))),
                Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => Some(Err(e)),
                _ => None,
            });
            let found = match opened {
                Some(Ok((file, opened))) => Some((
                    imagesize::reader_size(std::io::BufReader::new(&opened)).ok().map(|s| (s.width, s.height)),
                    opened.metadata().ok().map(|m| m.len()),
                    Some(file.clone()),
                )),
                Some(Err(e)) => {
                    self.error("image", format!("hero image `{}` not published: {e}", raw.src));
                    None
                }
                None => {
                    let wanted = candidates.first().map(|p| relative(folder.root, p).display().to_string());
                    let where_ = wanted.map(|w| format!(": expected a file at {w}")).unwrap_or_default();
                    self.error("image", format!("hero image `{}` not found{where_}", raw.src));
                    None
                }
            };
            (ImageSource::Route(route), found)
        };
        let (size, bytes, file) = size.unwrap_or((None, None, None));
        if let Some(format) = file.as_deref().and_then(unresizable) {
            self.warn(
                "image",
                format!("hero image is {format}, which Broadsheet cannot resize: it is published as it is, at its full size, and link previews may not show it; convert it to JPEG (a photo) or PNG (a graphic)"),
            );
        }
        let line = self.at("image").0;
        Image { src, alt, caption: raw.caption, credit: raw.credit, size, bytes, file, line, focus: raw.focus }
    }
}

/// The date and the rest of the name when an article's file (or bundle
/// folder) name starts with a date: `2015-01-12-introducing-kavya.md`.
pub(super) fn file_name_date(path: &Path) -> Option<(String, String)> {
    let stem = if is_bundle(path) { path.parent()?.file_name()? } else { path.file_stem()? };
    let stem = stem.to_string_lossy();
    date::from_file_name(&stem).map(|(d, rest)| (d, rest.to_string()))
}
