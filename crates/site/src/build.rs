//! The build pipeline, end to end: config -> load -> site -> render ->
//! output. Used by the `build` command and by `serve`. Content problems
//! come back as [`Error::Content`] holding every diagnostic; the
//! previous output is only replaced when the whole build succeeded.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use chrono::{DateTime, Utc};
use rayon::prelude::*;
use walkdir::WalkDir;

use crate::config::Config;
use crate::content;
use crate::output::{Sink, Staging, check_output_location};
use crate::render::{RenderState, Renderer, Shows, theme};
use crate::site::{Page, Plan, Publish, Site};
use broadsheet_base::articles_file::ArticlesFile;
use broadsheet_base::diagnostic::{Diagnostic, plural, relative};
use broadsheet_base::error::Error;
use broadsheet_base::route::Route;
use broadsheet_base::timing::Timer;

/// Everything that decides a build's output besides the site's files.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site's folder, holding `site.toml` and `content/` (`--root`).
    pub root: PathBuf,
    /// The folder `build` replaces with the site (`--output`, default
    /// `public/` in the site's folder); `render` writes into its sink
    /// instead.
    pub output: PathBuf,
    /// Overrides `base_url` from `site.toml`.
    pub base_url: Option<String>,
    /// Publish articles with `draft = true` (`--drafts`).
    pub drafts: bool,
    /// Publish articles dated after `now`, and live blogs' updates timed after
    /// it (`--future`).
    pub future: bool,
    /// Keep articles whose `expires` time has passed.
    pub expired: bool,
    /// The build time: decides which scheduled articles are published.
    pub now: DateTime<Utc>,
    /// Show a progress bar on standard error when the build takes over a
    /// second and standard error is a terminal.
    pub progress: bool,
    /// Replace an output folder that a build did not make (see
    /// [`check_output_location`]).
    pub force: bool,
}

/// What a build made, for the command line's summary: of a multilingual site,
/// every language's together.
#[derive(Debug)]
pub struct Report {
    /// Articles published (standalone pages not counted).
    pub articles: usize,
    /// Articles the publishing rules left out: drafts, scheduled, expired.
    pub unpublished: usize,
    /// Pages of the plan rendered: HTML pages, redirects, feeds, live blogs'
    /// JSON, sitemaps, `robots.txt`.
    pub pages: usize,
    /// Files copied as they are: the theme's and `static/` (once, by the
    /// default language), and the files under `content/` that are not articles.
    pub files_copied: usize,
    /// Resized photos encoded by this build, and taken from the cache.
    pub photos: crate::photos::Published,
    /// Every warning, sorted, each told once.
    pub warnings: Vec<Diagnostic>,
}

fn fail(diagnostics: Vec<Diagnostic>) -> Error {
    Error::content(diagnostics)
}

/// Builds the site into `opts.output`, replacing it only when everything
/// succeeded.
pub fn build(opts: &BuildOptions) -> broadsheet_base::error::Result<Report> {
    check_output_location(&opts.root, &opts.output, opts.force)?;
    let staging = Staging::create(&opts.output, &opts.root)?;
    match render(opts, &staging, &mut content::Cache::default()) {
        Ok(built) => {
            staging.commit()?;
            Ok(built.report)
        }
        Err(e) => {
            staging.abandon();
            Err(e)
        }
    }
}

/// Checks the site as a build would (configuration, content, theme, the
/// page plan and its URLs, photos' headers) without rendering or writing
/// anything: the warnings, or every problem. `import` uses it to make sure
/// the site it wrote builds.
pub fn check(opts: &BuildOptions) -> broadsheet_base::error::Result<Vec<Diagnostic>> {
    let mut timer = Timer::from_env();
    let models = load_all(opts, &mut content::Cache::default(), &mut timer)?;
    Ok(models.into_iter().flat_map(|m| m.diagnostics).collect())
}

/// What a build leaves for `serve` to rebuild only what a change touches
/// (see [`crate::live`]).
pub struct Kept {
    /// The configuration the build read, with the site's words.
    pub config: Config,
    /// The publishing rules it applied.
    pub publish: Publish,
    /// The site model, its menus resolved and its photos planned.
    pub site: Site,
    /// Every page of the plan, in the order of `shows`.
    pub pages: Vec<Page>,
    /// The theme and the caches of the render, to render pages again.
    pub render: RenderState,
    /// For each page (in the order of `pages`), what it shows of which articles.
    pub shows: Vec<Shows>,
    /// Every article file the build read, published or not, relative to
    /// the root, with the article's URL.
    pub article_files: Vec<(PathBuf, Route)>,
    /// The other files under `content/` it read: section files and assets.
    pub other_files: Vec<PathBuf>,
    /// The first article date or expiry after the build time: when the
    /// clock changes what is published.
    pub next_article_time: Option<DateTime<Utc>>,
    /// The search index's document keys (for `serve`'s updates of it).
    pub search_keys: broadsheet_search::Keys,
}

/// A site built into a sink: the report, and the model and theme behind it.
pub struct Built {
    /// What the build made.
    pub report: Report,
    /// What `serve` keeps for live rebuilds: of a multilingual site, the
    /// default language's (`live` builds such a site again whole).
    pub kept: Kept,
}

/// The site loaded and modelled, ready to render.
struct Model {
    config: Config,
    publish: Publish,
    site: Site,
    plan: Plan,
    pages: Vec<Page>,
    render: RenderState,
    assets: Vec<content::Asset>,
    photos: crate::photos::Photos,
    diagnostics: Vec<Diagnostic>,
    article_files: Vec<(PathBuf, Route)>,
    other_files: Vec<PathBuf>,
    next_article_time: Option<DateTime<Utc>>,
    /// The language's code when the site has several (its pages are under
    /// `/<code>/` unless it is the default).
    language: Option<(usize, String)>,
}

/// Builds the site into `sink` (a staging folder, or memory for `serve`),
/// reusing `cache` for articles whose files have not changed: load, model,
/// render, write, each a step below. A multilingual site is built one
/// language after another, each into its own folder (the default at the
/// root), every page knowing its translations.
pub fn render(
    opts: &BuildOptions,
    sink: &dyn Sink,
    cache: &mut content::Cache,
) -> broadsheet_base::error::Result<Built> {
    let mut timer = Timer::from_env();
    let mut models = load_all(opts, cache, &mut timer)?;
    if models.len() == 1 {
        let model = models.remove(0);
        return write(opts, model, sink, sink, &mut timer, None);
    }
    let languages = models[0].config.languages.clone();
    let editions: Vec<crate::translations::Edition> = models
        .iter()
        .map(|m| crate::translations::Edition { urls: &m.config.urls, site: &m.site, pages: &m.pages })
        .collect();
    let translations = crate::translations::Translations::of(&languages, &editions);
    drop(editions);
    let mut built: Option<Built> = None;
    for model in models {
        let number = model.language.as_ref().map_or(0, |(n, _)| *n);
        let one = match number {
            0 => write(opts, model, sink, sink, &mut timer, Some((&translations, 0)))?,
            _ => {
                let code = model.language.as_ref().map(|(_, c)| c.clone()).unwrap_or_default();
                let folder = Prefixed { sink, prefix: PathBuf::from(&code) };
                write(opts, model, &folder, sink, &mut timer, Some((&translations, number)))?
            }
        };
        built = Some(match built {
            None => one,
            Some(mut first) => {
                let r = one.report;
                first.report.articles += r.articles;
                first.report.unpublished += r.unpublished;
                first.report.pages += r.pages;
                first.report.files_copied += r.files_copied;
                first.report.warnings.extend(r.warnings);
                first
            }
        });
    }
    let mut built = built.ok_or_else(|| fail(Vec::new()))?;
    for (file, kept, key) in &translations.repeated {
        let message = format!(
            "translation_key `{key}` is also {}'s, in the same language: this story is linked to no translation (give each story of a language its own key)",
            kept.display()
        );
        built.report.warnings.push(Diagnostic::warning(file, 1, 1, message));
    }
    // A warning of the site's own files (a template, i18n/en.toml) is told once, not once per language.
    built.report.warnings.sort();
    built.report.warnings.dedup();
    Ok(built)
}

/// One language's pages written into its folder of the output.
struct Prefixed<'s> {
    sink: &'s dyn Sink,
    prefix: PathBuf,
}

impl Sink for Prefixed<'_> {
    fn write(&self, rel: &str, contents: Vec<u8>) -> std::io::Result<()> {
        self.sink.write(&self.prefix.join(rel).to_string_lossy(), contents)
    }

    fn copy(&self, from: &Path, rel: &Path) -> std::io::Result<()> {
        self.sink.copy(from, &self.prefix.join(rel))
    }

    fn link(&self, from: &Path, rel: &Path) -> std::io::Result<()> {
        self.sink.link(from, &self.prefix.join(rel))
    }
}

/// The configuration and every language's model; every problem of every
/// language at once, or the models (the default language first).
fn load_all(
    opts: &BuildOptions,
    cache: &mut content::Cache,
    timer: &mut Timer,
) -> broadsheet_base::error::Result<Vec<Model>> {
    // A bad value in site.toml does not hide the content's problems: the
    // content is checked with that key at its default, and the build fails
    // with both.
    let (config, diagnostics) = Config::load_lenient(&opts.root, opts.base_url.as_deref());
    let Some(config) = config else { return Err(fail(diagnostics)) };
    if !config.is_multilingual() {
        return load(opts, config, &content::Languages::one(), cache, timer, diagnostics, None)
            .map(|m| vec![m])
            .map_err(fail);
    }
    let codes: Vec<String> = config.languages.iter().map(|l| l.code.clone()).collect();
    let mut models = Vec::new();
    let mut problems = diagnostics;
    for (number, language) in config.languages.iter().enumerate() {
        let files = content::Languages {
            code: Some(language.code.clone()),
            default: number == 0,
            others: codes.iter().filter(|c| **c != language.code).cloned().collect(),
        };
        let (own, mut fresh) = match number {
            0 => (config.clone(), None),
            _ => (config.for_language(language), Some(content::Cache::default())),
        };
        let cache = fresh.as_mut().unwrap_or(&mut *cache);
        // A menu entry a language has no page for links the default language's.
        let menus = models.first().map(|m: &Model| m.site.menus.clone());
        match load(opts, own, &files, cache, timer, std::mem::take(&mut problems), menus.as_ref()) {
            Ok(mut model) => {
                model.language = Some((number, language.code.clone()));
                if number > 0 && model.site.articles.is_empty() {
                    let message = format!(
                        "[languages.{}] has no published story yet: its front page says so, and every page offers it in the language switcher",
                        language.code
                    );
                    model.diagnostics.push(Diagnostic::warning(broadsheet_base::layout::CONFIG, 1, 1, message));
                }
                problems.extend(model.diagnostics.iter().filter(|d| d.is_error()).cloned());
                models.push(model);
            }
            Err(found) => problems.extend(found),
        }
    }
    problems.extend(clashes_across_languages(&models));
    if problems.iter().any(Diagnostic::is_error) {
        problems.extend(models.into_iter().flat_map(|m| m.diagnostics).filter(|d| !d.is_error()));
        problems.sort();
        problems.dedup();
        return Err(fail(problems));
    }
    Ok(models)
}

/// URLs two languages both claim (an English story's alias `/fr/x/` and
/// the French page at `x/`): one error each, as within one language.
fn clashes_across_languages(models: &[Model]) -> Vec<Diagnostic> {
    let mut claimed: BTreeMap<String, (usize, &Route)> = BTreeMap::new();
    let mut problems = Vec::new();
    for (number, model) in models.iter().enumerate() {
        for page in &model.pages {
            if page.route.is_shared() {
                continue;
            }
            let url = model.config.urls.path(&page.route);
            match claimed.get(&url) {
                Some((other, _)) if *other != number => {
                    let file = |m: &Model, route: &Route| {
                        let a = m.site.articles.iter().chain(&m.site.pages);
                        a.clone()
                            .find(|a| a.place.route == *route || a.place.aliases.iter().any(|al| al.route == *route))
                            .map(|a| a.place.file.clone())
                    };
                    let (o, theirs) = claimed[&url];
                    let at = file(model, &page.route)
                        .or_else(|| file(&models[o], theirs))
                        .unwrap_or_else(|| PathBuf::from(broadsheet_base::layout::CONFIG));
                    let names = |m: &Model| m.config.language.clone();
                    problems.push(Diagnostic::error(
                        at,
                        1,
                        1,
                        format!(
                            "the URL {url} is claimed by a page of two languages ({} and {}): an alias in one language's file answers under that language's folder; remove one of them",
                            names(&models[o]),
                            names(model)
                        ),
                    ));
                }
                Some(_) => {}
                None => {
                    claimed.insert(url, (number, &page.route));
                }
            }
        }
    }
    problems
}

/// Load and model one language (or the whole of a site in one language):
/// the articles, the theme, the site and its page plan; every problem
/// found so far (`diagnostics` holds the configuration's), or the model.
fn load(
    opts: &BuildOptions,
    config: Config,
    languages: &content::Languages,
    cache: &mut content::Cache,
    timer: &mut Timer,
    mut diagnostics: Vec<Diagnostic>,
    menus: Option<&crate::site::Menus>,
) -> Result<Model, Vec<Diagnostic>> {
    // The language's words: the site's i18n/<code>.toml over the built-in ones.
    let mut config = config;
    let (words, problems) = crate::config::words::load(&opts.root, &config.language);
    config.words = std::sync::Arc::new(words);
    diagnostics.extend(problems);
    let loaded = content::load(&opts.root, &config, languages, cache);
    timer.lap("load");
    diagnostics.extend(loaded.diagnostics);
    let theme = match theme::load(&opts.root) {
        Ok((tera, origins, warnings)) => {
            diagnostics.extend(warnings);
            Some((tera, origins))
        }
        Err(problems) => {
            diagnostics.extend(problems);
            None
        }
    };
    let publish = Publish { drafts: opts.drafts, future: opts.future, expired: opts.expired, now: opts.now };
    // What serve needs to know of the files, before the site takes the articles.
    let article_files = loaded.articles.iter().map(|a| (a.place.file.clone(), a.place.route.clone())).collect();
    let sections = loaded.sections.iter().filter_map(|s| s.file.clone());
    // A standalone page changes the menu of every page: a save rebuilds.
    let sections = sections.chain(loaded.pages.iter().map(|p| p.place.file.clone()));
    let assets = loaded.assets.iter().map(|a| relative(&opts.root, &a.from));
    let other_files = sections.chain(assets).collect();
    // Live blogs' updates and ends too: each changes the page when it comes.
    let live = loaded.articles.iter().filter_map(|a| a.live.as_ref()).flat_map(content::LiveBlog::times);
    // Standalone pages are published and expire on the clock as stories are.
    let times = loaded.articles.iter().chain(&loaded.pages).flat_map(|a| [Some(a.place.date), a.place.expires]);
    let times = times.flatten();
    let times = times.chain(live);
    let next_article_time = times.map(|t| t.with_timezone(&Utc)).filter(|t| *t > opts.now).min();
    let mut site = Site::new(loaded.articles, loaded.sections, &config, publish).with_pages(loaded.pages, publish);
    let plan = Plan {
        per_page: config.per_page,
        sitemap_max: config.sitemap.max_urls,
        search: config.search.enabled,
        syndication: config.syndication,
        listing_rss: config.feeds.listing_rss,
    };
    let mut pages = site.pages(&plan);
    // Crawlers read robots.txt at the site's root only: the default
    // language's names every language's sitemaps.
    if languages.code.is_some() && !languages.default {
        pages.retain(|p| p.kind != crate::site::PageKind::Robots);
    }
    diagnostics.extend(site.check_routes(&pages));
    let has_file = |route: &Route| {
        broadsheet_base::layout::site_file_candidates(&opts.root, route.as_str()).iter().any(|p| p.exists())
    };
    diagnostics.extend(site.resolve_menus(&config, &pages, &has_file, menus));
    let cache = opts.root.join(&config.images.cache);
    let (photos, problems) =
        crate::photos::plan(&opts.root, photo_uses(&opts.root, &site, &config), &config.images, &cache);
    diagnostics.extend(problems);
    site.photos = photos.sets.clone();
    timer.lap("photos");
    timer.lap("model");
    let Some((tera, origins)) = theme.filter(|_| !diagnostics.iter().any(Diagnostic::is_error)) else {
        return Err(diagnostics);
    };
    Ok(Model {
        config,
        publish,
        site,
        plan,
        pages,
        render: RenderState::new(tera, origins),
        assets: loaded.assets,
        photos,
        diagnostics,
        article_files,
        other_files,
        next_article_time,
        language: None,
    })
}

/// Render and write: the search index (when the site has one), feeds,
/// pages, the host files and the copied files.
/// `sink` is where the language's pages go, `root` the whole output (the
/// same for a site in one language): resized photos go there, shared.
fn write(
    opts: &BuildOptions,
    model: Model,
    sink: &dyn Sink,
    root: &dyn Sink,
    timer: &mut Timer,
    translations: Option<(&crate::translations::Translations, usize)>,
) -> broadsheet_base::error::Result<Built> {
    let Model {
        config,
        publish,
        site,
        plan,
        pages,
        mut render,
        assets,
        photos,
        mut diagnostics,
        article_files,
        other_files,
        next_article_time,
        language,
    } = model;
    // The site's own files (static/, the theme's, icons, host files) are
    // written once, by the default language.
    let shared = language.as_ref().is_none_or(|(n, _)| *n == 0);
    // The search index first: its memory is given back before the pages'
    // is taken, so the build's peak is the larger of the two, not their sum.
    let mut search_keys = broadsheet_search::Keys::default();
    if plan.search {
        let cache = opts.root.join(&config.images.cache);
        let all = crate::site_search::Documents::All;
        let date_format = config.words.get("date_format");
        crate::site_search::write_index(&site, &config, Some(&cache), all, &mut search_keys, sink, date_format)?;
        timer.lap("search index");
    }
    let mut shows = vec![Shows::default(); pages.len()];
    {
        let mut renderer = Renderer::in_language(&site, &config, &mut render, &pages, translations);
        let (feeds, others): (Vec<Numbered>, Vec<Numbered>) =
            pages.iter().enumerate().partition(|(_, p)| matches!(p.kind, crate::site::PageKind::Feed { .. }));
        let progress = Progress::new(opts.progress, pages.len());
        diagnostics.extend(write_pages(&renderer, &feeds, sink, &progress, &mut shows)?);
        timer.lap("feeds");
        renderer.start_pages();
        timer.lap("cards");
        diagnostics.extend(write_pages(&renderer, &others, sink, &progress, &mut shows)?);
        timer.lap("render + write");
    }
    if diagnostics.iter().any(Diagnostic::is_error) {
        // A template failed: the copies would be wasted.
        return Err(fail(diagnostics));
    }
    if shared {
        write_host_files(&config, &site, sink)?;
        for icon in crate::render::icons::generated(&config) {
            let file = icon.route.file();
            sink.write(&file, icon.bytes).with_context(|| format!("cannot write {file}"))?;
        }
    }
    let cache = opts.root.join(&config.images.cache);
    let (published, problems) = crate::photos::publish(&photos, &cache, &config.images, root)?;
    diagnostics.extend(problems);
    timer.lap("photos");
    let keep_credit = config.images.keep_credit;
    let statics = if shared { copy_static(&opts.root, sink, &cache, keep_credit, &mut diagnostics)? } else { 0 };
    let files_copied =
        statics + copy_assets(&opts.root, &originals_left_out(assets, &photos, &config), sink, &cache, keep_credit)?;
    timer.lap("copy files");
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(fail(diagnostics));
    }
    diagnostics.sort();
    let report = Report {
        articles: site.articles.len(),
        unpublished: site.unpublished,
        pages: pages.len(),
        files_copied,
        photos: published,
        warnings: diagnostics,
    };
    let kept = Kept {
        config,
        publish,
        site,
        pages,
        render,
        shows,
        article_files,
        other_files,
        next_article_time,
        search_keys,
    };
    Ok(Built { report, kept })
}

/// A progress bar that appears only once writing has taken a second, and
/// only on a terminal.
struct Progress {
    bar: Option<indicatif::ProgressBar>,
    started: std::time::Instant,
    shown: std::sync::atomic::AtomicBool,
}

impl Progress {
    fn new(wanted: bool, total: usize) -> Progress {
        use std::io::IsTerminal;
        let bar = (wanted && std::io::stderr().is_terminal()).then(|| {
            let bar =
                indicatif::ProgressBar::with_draw_target(Some(total as u64), indicatif::ProgressDrawTarget::hidden());
            if let Ok(style) = indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} pages {elapsed}") {
                bar.set_style(style);
            }
            bar
        });
        Progress { bar, started: std::time::Instant::now(), shown: std::sync::atomic::AtomicBool::new(false) }
    }

    fn tick(&self) {
        use std::sync::atomic::Ordering;
        let Some(bar) = &self.bar else { return };
        bar.inc(1);
        if self.started.elapsed().as_secs() >= 1 && !self.shown.swap(true, Ordering::Relaxed) {
            bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// A page with its number in the site's list of pages.
type Numbered<'a> = (usize, &'a Page);

/// Renders and writes every page in parallel, and notes in `shows` which
/// articles each page shows (by page number). Template
/// errors are returned once per template position, not once per page.
fn write_pages(
    renderer: &Renderer<'_>,
    pages: &[Numbered],
    sink: &dyn Sink,
    bar: &Progress,
    shows: &mut [Shows],
) -> Result<Vec<Diagnostic>> {
    let results: Vec<Result<(Option<Diagnostic>, Shows)>> = pages
        .par_iter()
        .inspect(|_| bar.tick())
        .map(|(_, page)| {
            let mut shown = Shows::default();
            let outcome = match renderer.render(page, &mut shown) {
                Ok(html) => {
                    let file = page.route.file();
                    sink.write(&file, html).with_context(|| format!("cannot write {file}"))?;
                    None
                }
                Err(d) => Some(d),
            };
            Ok((outcome, shown))
        })
        .collect();
    let mut by_place: BTreeMap<(PathBuf, usize, usize), (Diagnostic, usize)> = BTreeMap::new();
    for ((number, _), result) in pages.iter().zip(results) {
        let (problem, shown) = result?;
        shows[*number] = shown;
        if let Some(d) = problem {
            by_place.entry((d.path.clone(), d.line, d.column)).or_insert((d, 0)).1 += 1;
        }
    }
    Ok(by_place
        .into_values()
        .map(|(mut d, n)| {
            if n > 1 {
                d.message.push_str(&format!(" (and {})", plural(n - 1, "other page")));
            }
            d
        })
        .collect())
}

/// What a reactions counter needs of a built site, or `None` when
/// reactions are off.
fn reactions_articles(site: &Site, config: &Config) -> Option<ArticlesFile> {
    let reactions = config.reactions.as_ref()?;
    let articles = site
        .articles
        .iter()
        .map(|a| (a.place.route.as_id().to_string(), config.urls.absolute(&a.place.route)))
        .collect();
    Some(ArticlesFile {
        version: broadsheet_base::articles_file::FORMAT,
        base_url: config.urls.base_url().to_string(),
        labels: reactions.labels.clone(),
        articles,
    })
}

/// Files GitHub Pages reads: `.nojekyll` (serve folders starting with `_`
/// as they are) and `CNAME` for a custom domain.
fn write_host_files(config: &Config, site: &Site, sink: &dyn Sink) -> Result<()> {
    sink.write(".nojekyll", Vec::new()).context("cannot write .nojekyll")?;
    // What a reactions counter accepts (see src/reactions).
    if let Some(articles) = reactions_articles(site, config) {
        let file = ArticlesFile::route().file();
        let json = serde_json::to_vec(&articles).context("cannot write the reactions articles file")?;
        sink.write(&file, json).with_context(|| format!("cannot write {file}"))?;
    }
    if let Some(cname) = &config.cname {
        sink.write("CNAME", format!("{cname}\n").into_bytes()).context("cannot write CNAME")?;
    }
    Ok(())
}

/// Every photo pages show: heroes of stories and pages (with the line of
/// their `image`), and authors' portraits, with the file each is read from.
fn photo_uses(root: &Path, site: &Site, config: &Config) -> Vec<(Route, PathBuf, crate::photos::Use)> {
    let mut uses = Vec::new();
    for a in site.articles.iter().chain(&site.pages) {
        if let Some(image) = &a.image
            && let (content::ImageSource::Route(route), Some(file)) = (&image.src, &image.file)
            && crate::photos::is_strippable(file)
        {
            let used =
                crate::photos::Use { file: a.place.file.clone(), line: image.line, hero: true, focus: image.focus };
            uses.push((route.clone(), file.clone(), used));
        }
        for body in &a.body_images {
            let used = crate::photos::Use { file: a.place.file.clone(), line: 1, hero: false, focus: None };
            uses.push((body.route.clone(), body.file.clone(), used));
        }
    }
    // Authors' portraits and series' pictures, named in site.toml.
    let named = config.authors.values().filter_map(|a| a.photo.as_deref());
    let named = named.chain(config.series.values().filter_map(|s| s.image.as_deref()));
    for photo in named.filter(|p| !p.contains("://")) {
        let Ok(route) = Route::from_site_path(photo) else { continue };
        let found = broadsheet_base::layout::site_file_candidates(root, route.as_str())
            .into_iter()
            .find(|p| broadsheet_base::confine::is_file(root, p) && crate::photos::is_strippable(p));
        if let Some(file) = found {
            let used = crate::photos::Use {
                file: PathBuf::from(broadsheet_base::layout::CONFIG),
                line: 1,
                hero: false,
                focus: None,
            };
            uses.push((route, file, used));
        }
    }
    uses
}

/// The file to publish for `from`: pictures without their metadata (made
/// once into the cache), anything else as it is.
fn cleaned(root: &Path, from: &Path, cache: &Path, keep_credit: bool) -> Result<PathBuf> {
    if !crate::photos::is_strippable(from) {
        return Ok(from.to_path_buf());
    }
    let stamp = crate::photos::file_stamp(from).with_context(|| format!("cannot read {}", from.display()))?;
    let stamp = format!("{stamp}|{keep_credit}|stripped-1");
    let ext = from.extension().map(|e| e.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    let dir = cache.join("originals");
    let target = dir.join(format!("{}.{ext}", &blake3::hash(stamp.as_bytes()).to_hex()[..32]));
    if target.is_file() {
        return Ok(target);
    }
    let bytes =
        broadsheet_base::confine::read(root, from).with_context(|| format!("cannot read {}", from.display()))?;
    let Some(stripped) = crate::photos::strip(&bytes, keep_credit) else { return Ok(from.to_path_buf()) };
    broadsheet_base::cache::make_cache(cache, &dir)?;
    broadsheet_base::cache::put(&target, &stripped)?;
    Ok(target)
}

/// The built-in theme's static files, then the site's `static/` over them.
fn copy_static(
    root: &Path,
    sink: &dyn Sink,
    cache: &Path,
    keep_credit: bool,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<usize> {
    let mut count = 0;
    for (rel, bytes) in theme::builtin_static() {
        sink.write(&rel.to_string_lossy(), bytes.to_vec())
            .with_context(|| format!("cannot write {}", rel.display()))?;
        count += 1;
    }
    let dir = root.join(broadsheet_base::layout::STATIC);
    for entry in WalkDir::new(&dir).follow_links(false).sort_by_file_name() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) if e.io_error().is_some_and(|io| io.kind() == std::io::ErrorKind::NotFound) => break,
            Err(e) => return Err(e).context("cannot read static/"),
        };
        if entry.file_type().is_symlink() {
            let msg = "symbolic link not copied: static/ must hold the files themselves";
            diagnostics.push(Diagnostic::warning(relative(root, entry.path()), 1, 1, msg));
        } else if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(&dir).unwrap_or(entry.path());
            let from = cleaned(root, entry.path(), cache, keep_credit)?;
            let put = if from == entry.path() { sink.copy(&from, rel) } else { sink.link(&from, rel) };
            put.with_context(|| format!("cannot copy {}", entry.path().display()))?;
            count += 1;
        }
    }
    Ok(count)
}

/// The bundle files to copy: a photo published as resized copies is not
/// copied itself unless `[images] publish_originals` asks (its largest
/// copy stands in for it where a page linked it).
fn originals_left_out(
    assets: Vec<content::Asset>,
    photos: &crate::photos::Photos,
    config: &Config,
) -> Vec<content::Asset> {
    if config.images.publish_originals {
        return assets;
    }
    assets
        .into_iter()
        .filter(|a| {
            let route = a.to.to_str().and_then(|to| Route::from_site_path(&to.replace('\\', "/")).ok());
            route.is_none_or(|r| photos.sets.get(&r).is_none_or(|set| set.fallback().is_none()))
        })
        .collect()
}

fn copy_assets(
    root: &Path,
    assets: &[content::Asset],
    sink: &dyn Sink,
    cache: &Path,
    keep_credit: bool,
) -> Result<usize> {
    assets.par_iter().try_for_each(|a| {
        let from = cleaned(root, &a.from, cache, keep_credit)?;
        let put = if from == a.from { sink.copy(&from, &a.to) } else { sink.link(&from, &a.to) };
        put.with_context(|| format!("cannot copy {}", a.from.display()))
    })?;
    Ok(assets.len())
}
