//! `site.toml`: each top-level key is checked on its own (so one run names
//! every unknown key and every value of the wrong shape, in a writer's
//! words, at its own line and column), then the whole is read with serde
//! into a raw form and validated into [`Config`] (a parsed base URL, a real
//! timezone, a positive page size). Problems come back as diagnostics
//! pointing into `site.toml`; this module reads that one file and nothing
//! else.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use chrono::DateTime;
use chrono_tz::Tz;
use serde::Deserialize;

use broadsheet_base::date::{self, DateInput};
use broadsheet_base::diagnostic::{Diagnostic, explain_serde_message, line_col};
use broadsheet_base::route::Permalink;
use broadsheet_base::url::Urls;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: String,
    base_url: String,
    #[serde(default)]
    description: String,
    #[serde(default = "default_language")]
    language: String,
    #[serde(default = "default_timezone")]
    timezone: String,
    #[serde(default = "default_per_page")]
    per_page: i64,
    #[serde(default)]
    authors: BTreeMap<String, AuthorConfig>,
    #[serde(default)]
    series: BTreeMap<String, SeriesConfig>,
    #[serde(default)]
    related: RelatedConfig,
    breaking: Option<RawBreaking>,
    #[serde(default)]
    reactions: RawReactions,
    #[serde(default)]
    feeds: FeedsConfig,
    #[serde(default)]
    sitemap: SitemapConfig,
    #[serde(default)]
    syndication: Syndication,
    /// A custom domain for GitHub Pages, written to `CNAME`.
    cname: Option<String>,
    #[serde(default)]
    search: SearchConfig,
    #[serde(default)]
    live: LiveConfig,
    /// Keep raw HTML written in Markdown (embeds); `false` strips anything
    /// unsafe from it.
    #[serde(default = "default_true")]
    unsafe_html: bool,
    #[serde(default)]
    permalinks: RawPermalinks,
    #[serde(default)]
    content: ContentConfig,
    #[serde(default)]
    menus: RawMenus,
    logo: Option<String>,
    favicon: Option<String>,
    apple_touch_icon: Option<String>,
    theme_color: Option<String>,
    share_image: Option<String>,
    #[serde(default)]
    share: ShareConfig,
    #[serde(default)]
    images: ImagesConfig,
    #[serde(default)]
    extra: serde_json::Map<String, serde_json::Value>,
}

/// `[images]`: how photos are published (see `photos`).
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ImagesConfig {
    /// Widths of the resized copies, in pixels (never wider than the original).
    pub widths: Vec<u32>,
    /// JPEG and WebP quality, 1 to 100.
    pub quality: u8,
    /// WebP copies beside the photo's own format.
    pub webp: bool,
    /// Keep the camera's copyright and artist fields (everything else of
    /// the metadata is removed either way).
    pub keep_credit: bool,
    /// Where encoded photos are kept between builds, relative to the site.
    pub cache: String,
}

impl Default for ImagesConfig {
    fn default() -> Self {
        ImagesConfig {
            widths: vec![320, 480, 800, 1200, 1600],
            quality: 80,
            webp: true,
            keep_credit: false,
            cache: ".broadsheet-cache".into(),
        }
    }
}

/// `[[menus.main]]` and `[[menus.footer]]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct RawMenus {
    main: Vec<RawMenuEntry>,
    footer: Vec<RawMenuEntry>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMenuEntry {
    title: Option<String>,
    url: Option<String>,
    page: Option<String>,
}

/// Where a menu entry goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MenuTarget {
    /// A standalone page, by its path under `content/` (`about`,
    /// `policies/ethics`): the build checks that it exists.
    Page(String),
    /// A URL: a path on the site (`/corrections/`) or another site's address.
    Url(String),
}

/// One menu entry, with where `site.toml` says it.
#[derive(Debug, Clone)]
pub struct MenuEntry {
    /// The link's text; a page's entry defaults to the page's title.
    pub title: Option<String>,
    pub target: MenuTarget,
    /// Line and column of the target in `site.toml`.
    pub at: (usize, usize),
}

#[derive(Debug, Clone, Default)]
pub struct Menus {
    /// Shown above the sections in the masthead.
    pub main: Vec<MenuEntry>,
    /// Shown in every page's footer.
    pub footer: Vec<MenuEntry>,
}

/// A file `site.toml` names (logo, favicon, share image): a path under
/// `static/` or `content/` such as `/images/logo.png`, or an absolute URL.
#[derive(Debug, Clone)]
pub struct NamedFile {
    pub path: String,
    /// The key it was given under, for messages.
    pub key: &'static str,
    pub at: (usize, usize),
}

/// The site's look in browsers and link previews.
#[derive(Debug, Clone, Default)]
pub struct Identity {
    pub logo: Option<NamedFile>,
    /// Without one, a monogram is made from the site's title.
    pub favicon: Option<NamedFile>,
    pub apple_touch_icon: Option<NamedFile>,
    /// For stories without a photo; without one, the logo (when it is a
    /// picture link previews can show) or a generated card.
    pub share_image: Option<NamedFile>,
    /// `#rrggbb`: the browser's toolbar colour and the monogram's.
    pub theme_color: String,
    /// The logo's width and height in pixels, when it could be read.
    pub logo_size: Option<(usize, usize)>,
}

impl NamedFile {
    /// Whether it names another site's file.
    pub fn is_external(&self) -> bool {
        self.path.starts_with("http://") || self.path.starts_with("https://") || self.path.starts_with("//")
    }

    /// The route of a site file (`/images/logo.png` is `images/logo.png`).
    pub fn route(&self) -> Option<broadsheet_base::route::Route> {
        (!self.is_external())
            .then(|| broadsheet_base::route::Route::from_site_path(self.path.trim_start_matches('/')).ok())?
    }

    /// Whether link previews can show it: a PNG, JPEG, GIF or WebP picture.
    pub fn is_picture(&self) -> bool {
        let lower = self.path.to_ascii_lowercase();
        let path = lower.split(['?', '#']).next().unwrap_or_default();
        [".png", ".jpg", ".jpeg", ".gif", ".webp"].iter().any(|ext| path.ends_with(ext))
    }
}

impl Identity {
    /// Checks that every file named on the site is there (in `static/`, or
    /// `content/`), and reads the logo's size so the masthead does not jump.
    fn find_files(&mut self, root: &Path) -> Result<(), Vec<Diagnostic>> {
        // A site's own icons at the usual places are used as they are.
        let own = |names: &[&str], key: &'static str| {
            names.iter().find(|n| root.join(broadsheet_base::layout::STATIC).join(n).is_file()).map(|n| NamedFile {
                path: format!("/{n}"),
                key,
                at: (1, 1),
            })
        };
        if self.favicon.is_none() {
            self.favicon = own(&["favicon.svg", "favicon.png", "favicon.ico"], "favicon");
        }
        if self.apple_touch_icon.is_none() {
            self.apple_touch_icon = own(&["apple-touch-icon.png"], "apple_touch_icon");
        }
        let mut problems = Vec::new();
        let mut logo_size = None;
        for file in [&self.logo, &self.favicon, &self.apple_touch_icon, &self.share_image].into_iter().flatten() {
            if file.is_external() {
                continue;
            }
            let (line, column) = file.at;
            let Some(route) = file.route() else {
                let message = format!(
                    "{}: expected a file on the site such as \"/images/logo.png\", or an address starting with https://, found {:?}",
                    file.key, file.path
                );
                problems.push(config_error(line, column, message));
                continue;
            };
            let found =
                broadsheet_base::layout::site_file_candidates(root, route.as_str()).into_iter().find(|p| p.is_file());
            match found {
                Some(path) if file.key == "logo" => {
                    logo_size = imagesize::size(&path).ok().map(|s| (s.width, s.height));
                }
                Some(_) => {}
                None => {
                    let message = format!(
                        "{}: no file {} in static/ (or content/): expected the path of a file there, such as \"/images/logo.png\" for static/images/logo.png",
                        file.key, file.path
                    );
                    problems.push(config_error(line, column, message));
                }
            }
        }
        self.logo_size = logo_size;
        if problems.is_empty() { Ok(()) } else { Err(problems) }
    }
}

/// The theme's accent colour, the default `theme_color`.
pub const ACCENT: &str = "#a4161a";

/// Networks an article's share links can name, besides e-mail and copying the link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Network {
    Bluesky,
    Facebook,
    Linkedin,
    Reddit,
    Threads,
    Whatsapp,
    X,
}

/// `[share]`: the share links under each article.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ShareConfig {
    /// Networks to link, in this order (e-mail and "copy link" are always there).
    pub networks: Vec<Network>,
}

/// `[permalinks]`: where articles go.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPermalinks {
    article: Option<String>,
}

/// What to do with a front matter field Broadsheet does not know
/// (`[content] unknown_fields` in `site.toml`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum UnknownFields {
    /// An error with "did you mean": typos are caught.
    #[default]
    Error,
    /// Kept under `extra`; the build prints one summary warning.
    Extra,
}

/// `[content]`: how articles written for other generators are read.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ContentConfig {
    /// A front matter field Broadsheet does not know: an error (typos are
    /// caught), or kept under `extra` with one summary warning.
    pub unknown_fields: UnknownFields,
}

/// `[feeds]`: Atom, RSS and JSON Feed.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FeedsConfig {
    /// How many stories the site's and each section's feed carry, newest first.
    pub limit: usize,
    /// Whole articles (`true`) or only their summaries, in those feeds.
    pub full_content: bool,
    /// How many stories each tag's, author's and series' feed carries: a
    /// newsroom has thousands of tags, so these are short by default.
    pub listing_limit: usize,
    /// Whole articles in tag, author and series feeds too (off by default:
    /// at 10,000 stories their full text was 250 MB of a 640 MB site).
    pub listing_full_content: bool,
}

impl Default for FeedsConfig {
    fn default() -> Self {
        FeedsConfig { limit: 50, full_content: true, listing_limit: 20, listing_full_content: false }
    }
}

fn default_true() -> bool {
    true
}

/// `[search]`: the search page and its index.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SearchConfig {
    pub enabled: bool,
}

impl Default for SearchConfig {
    fn default() -> Self {
        SearchConfig { enabled: true }
    }
}

/// `[live]`: live blogs.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LiveConfig {
    /// How often an open live blog's page looks for new updates, in
    /// seconds (GitHub Pages lets a file be cached 10 minutes; readers'
    /// pages ask past that cache).
    pub poll_seconds: u64,
}

impl Default for LiveConfig {
    fn default() -> Self {
        LiveConfig { poll_seconds: 60 }
    }
}

/// `[sitemap]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SitemapConfig {
    /// URLs per sitemap file; past it, `sitemap.xml` becomes an index.
    pub max_urls: usize,
}

impl Default for SitemapConfig {
    fn default() -> Self {
        SitemapConfig { max_urls: 50_000 }
    }
}

/// What syndicated copy (articles with a `source`) tells search engines.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Syndication {
    /// The canonical link points at the original (`source.url`).
    #[default]
    Canonical,
    /// The page asks not to be indexed.
    Noindex,
}

/// `[related]`: the "You may also like" block.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RelatedConfig {
    /// How many related articles each article lists.
    pub count: usize,
}

impl Default for RelatedConfig {
    fn default() -> Self {
        RelatedConfig { count: 4 }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBreaking {
    text: String,
    url: Option<String>,
    until: DateInput,
}

/// `[breaking]`: a banner on every page until `until`.
#[derive(Debug, Clone)]
pub struct Breaking {
    pub text: String,
    pub url: Option<String>,
    pub until: DateTime<Tz>,
}

/// `reactions = false`, or a `[reactions]` table.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum RawReactions {
    Enabled(bool),
    Table(ReactionsTable),
}

impl Default for RawReactions {
    fn default() -> Self {
        RawReactions::Enabled(true)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReactionsTable {
    #[serde(default = "default_reaction_labels")]
    labels: Vec<String>,
    endpoint: Option<String>,
}

fn default_reaction_labels() -> Vec<String> {
    ["Excited", "Happy", "In Love", "Not Sure", "Silly"].map(String::from).to_vec()
}

/// The "What's your reaction?" block.
#[derive(Debug, Clone)]
pub struct Reactions {
    pub labels: Vec<String>,
    /// Where counts are read and choices posted; without one, the reader's
    /// choice is kept in their browser.
    pub endpoint: Option<String>,
}

fn default_language() -> String {
    "en".into()
}
fn default_timezone() -> String {
    "UTC".into()
}
fn default_per_page() -> i64 {
    20
}

/// A `[series.<slug>]` table: a series' title, description and picture
/// (its parts say `series = "<slug>"` in their front matter).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeriesConfig {
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// A picture for the landing page (a site path, like
    /// `/images/harbour.jpg`, or an address).
    pub image: Option<String>,
}

/// An `[authors.<key>]` table: display details for an author key.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthorConfig {
    pub name: String,
    #[serde(default)]
    pub bio: String,
    #[serde(default)]
    pub url: Option<String>,
    /// A portrait: a path under the site's `static/` (e.g. `/images/ann.jpg`) or an absolute URL.
    #[serde(default)]
    pub photo: Option<String>,
}

/// The validated site configuration.
#[derive(Debug, Clone)]
pub struct Config {
    pub title: String,
    pub description: String,
    pub language: String,
    pub timezone: Tz,
    pub per_page: usize,
    pub authors: BTreeMap<String, AuthorConfig>,
    /// `[series.<slug>]` tables, by slug.
    pub series: BTreeMap<String, SeriesConfig>,
    pub related: RelatedConfig,
    pub breaking: Option<Breaking>,
    pub reactions: Option<Reactions>,
    pub feeds: FeedsConfig,
    pub sitemap: SitemapConfig,
    pub syndication: Syndication,
    pub cname: Option<String>,
    pub search: SearchConfig,
    pub live: LiveConfig,
    pub unsafe_html: bool,
    pub content: ContentConfig,
    pub menus: Menus,
    pub identity: Identity,
    pub share: ShareConfig,
    pub images: ImagesConfig,
    pub extra: serde_json::Map<String, serde_json::Value>,
    pub urls: Urls,
    /// Where articles go (`[permalinks] article`).
    pub permalink: Permalink,
}

impl Config {
    /// Reads `site.toml` in `root`. `Err` holds every problem found.
    pub fn load(root: &Path, base_url_override: Option<&str>) -> Result<Config, Vec<Diagnostic>> {
        let path = root.join(broadsheet_base::layout::CONFIG);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            vec![Diagnostic::error(
                broadsheet_base::layout::CONFIG,
                1,
                1,
                format!("cannot read the site configuration: {e}"),
            )]
        })?;
        let mut config = Config::parse(&text, base_url_override)?;
        config.identity.find_files(root)?;
        Ok(config)
    }

    pub fn parse(text: &str, base_url_override: Option<&str>) -> Result<Config, Vec<Diagnostic>> {
        let doc = toml::de::DeTable::parse(text).map_err(|e| vec![toml_diagnostic(text, &e)])?;
        let places = Places::of(text, doc.get_ref());
        let mut table: toml::Table = toml::from_str(text).map_err(|e| vec![toml_diagnostic(text, &e)])?;
        let mut problems = check_keys(&mut table, &places);
        let raw = match RawConfig::deserialize(toml::Value::Table(table)) {
            Ok(raw) => raw,
            Err(e) => {
                let (line, column) = places.key(e.message().split('`').nth(1).unwrap_or(""));
                problems.push(config_error(line, column, missing_message(&explain_serde_message(e.message()))));
                return Err(problems);
            }
        };
        let validated = validate(raw, &places, base_url_override);
        match validated {
            Ok(config) if problems.is_empty() => Ok(config),
            Ok(_) => Err(problems),
            Err(more) => {
                problems.extend(more);
                problems.sort_by_key(|d| (d.line, d.column));
                Err(problems)
            }
        }
    }
}

fn config_error(line: usize, column: usize, message: impl Into<String>) -> Diagnostic {
    Diagnostic::error(broadsheet_base::layout::CONFIG, line, column, message)
}

/// A line and column in `site.toml`.
type LineCol = (usize, usize);

/// Where each key and value of `site.toml` was written.
struct Places {
    /// Dotted key path -> (key position, value position).
    at: HashMap<String, (LineCol, LineCol)>,
}

impl Places {
    fn of(text: &str, doc: &toml::de::DeTable<'_>) -> Places {
        let mut places = Places { at: HashMap::new() };
        places.add(text, "", doc);
        places
    }

    fn add(&mut self, text: &str, prefix: &str, table: &toml::de::DeTable<'_>) {
        for (k, v) in table {
            let path = if prefix.is_empty() { k.get_ref().to_string() } else { format!("{prefix}.{}", k.get_ref()) };
            self.at.insert(path.clone(), (line_col(text, k.span().start), line_col(text, v.span().start)));
            match v.get_ref() {
                toml::de::DeValue::Table(inner) => self.add(text, &path, inner),
                // Arrays of tables (`[[menus.main]]`): `menus.main.0.page`.
                toml::de::DeValue::Array(items) => {
                    for (i, item) in items.iter().enumerate() {
                        let at = format!("{path}.{i}");
                        let start = line_col(text, item.span().start);
                        self.at.insert(at.clone(), (start, start));
                        if let toml::de::DeValue::Table(inner) = item.get_ref() {
                            self.add(text, &at, inner);
                        }
                    }
                }
                _ => {}
            }
        }
    }

    /// Where the key at `path` is written, or 1:1.
    fn key(&self, path: &str) -> (usize, usize) {
        self.at.get(path).map_or((1, 1), |(k, _)| *k)
    }

    /// Where the value at `path` is written, or 1:1.
    fn value(&self, path: &str) -> (usize, usize) {
        self.at.get(path).map_or((1, 1), |(_, v)| *v)
    }

    /// The first key named `name` at or below `under`, for serde's
    /// messages about a nested key.
    fn find_below(&self, under: &str, name: &str) -> Option<(usize, usize)> {
        self.at
            .iter()
            .filter(|(p, _)| p.starts_with(&format!("{under}.")) && p.rsplit('.').next() == Some(name))
            .map(|(_, (k, _))| *k)
            .min()
    }
}

/// The top-level keys of `site.toml`, each with the shape it takes in a
/// writer's words.
const KEYS: &[(&str, &str)] = &[
    ("title", "the site's name as text, like \"The Daily\""),
    ("base_url", "a URL as text, like \"https://news.example.com/\""),
    ("description", "text"),
    ("language", "a language code as text, like \"en\""),
    ("timezone", "a timezone name as text, like \"America/Chicago\""),
    ("per_page", "a whole number like 20"),
    ("authors", "tables like [authors.ann] with name = \"...\""),
    ("series", "tables like [series.harbour-dredging] with title = \"...\""),
    ("related", "a table like [related] count = 4"),
    ("breaking", "a table like [breaking] text = \"...\", until = 2026-11-26T20:00:00-05:00"),
    ("reactions", "true, false or a [reactions] table"),
    ("feeds", "a table like [feeds] limit = 50"),
    ("sitemap", "a table like [sitemap] max_urls = 50000"),
    ("syndication", "\"canonical\" or \"noindex\""),
    ("cname", "a domain as text, like \"news.example.com\""),
    ("search", "a table like [search] enabled = true"),
    ("live", "a table like [live] poll_seconds = 60"),
    ("unsafe_html", "true or false"),
    ("content", "a table like [content] unknown_fields = \"extra\""),
    ("permalinks", "a table like [permalinks] article = \"/:section/:year/:month/:slug/\""),
    ("menus", "tables like [[menus.main]] with title = \"About\" and page = \"about\" or url = \"/about/\""),
    ("logo", "a file as text, like \"/images/logo.png\""),
    ("favicon", "a file as text, like \"/images/favicon.png\""),
    ("apple_touch_icon", "a file as text, like \"/images/apple-touch-icon.png\""),
    ("theme_color", "a colour as text, like \"#a4161a\""),
    ("share_image", "a file as text, like \"/images/share.png\""),
    ("share", "a table like [share] networks = [\"facebook\", \"x\"]"),
    ("images", "a table like [images] widths = [480, 800, 1200, 1600]"),
    ("extra", "a table of your own settings"),
];

/// Checks every top-level key on its own, removing the bad ones so the
/// rest can still be read; returns one problem per bad key or value.
fn check_keys(table: &mut toml::Table, places: &Places) -> Vec<Diagnostic> {
    let known: Vec<&str> = KEYS.iter().map(|(k, _)| *k).collect();
    let mut problems = Vec::new();
    for (key, value) in table.clone() {
        let Some((_, shape)) = KEYS.iter().find(|(k, _)| *k == key) else {
            let (line, column) = places.key(&key);
            problems.push(config_error(
                line,
                column,
                broadsheet_base::diagnostic::unknown_message(&key, &known).replace(
                    "keep your own fields under `extra`, or set `[content] unknown_fields = \"extra\"` in site.toml",
                    "your own settings go under `[extra]`",
                ),
            ));
            table.remove(&key);
            continue;
        };
        if let Err(message) = check_value(&key, value.clone()) {
            let (line, column) = match message.split('`').nth(1).and_then(|inner| places.find_below(&key, inner)) {
                Some(at) if message.contains("unknown field") => at,
                _ => places.value(&key),
            };
            let found = describe(&value);
            let inner = value.is_table() || value.is_array();
            let message = if inner && (message.starts_with("invalid type") || message.starts_with("invalid value")) {
                // The shape is right, a value inside is not (`widths = [-480]`): say which.
                let said = ["u8", "u16", "u32", "u64", "usize"].iter().fold(message.clone(), |m, t| {
                    m.replace(&format!("expected {t}"), "expected a whole number of 0 or more")
                });
                format!("{key}: {said}; expected {shape}")
            } else if message.starts_with("invalid type") || message.starts_with("invalid value") {
                format!("{key}: expected {shape}, found {found}")
            } else {
                format!("{key}: {}", writer_words(&explain_serde_message(&message)))
            };
            problems.push(config_error(line, column, message));
            // A placeholder keeps a required key from being reported twice.
            match key.as_str() {
                "title" => table.insert(key, toml::Value::String(String::new())),
                "base_url" => table.insert(key, toml::Value::String("https://example.invalid/".into())),
                _ => table.remove(&key),
            };
        }
    }
    problems
}

/// Reads one top-level value into the type `RawConfig` gives it.
fn check_value(key: &str, value: toml::Value) -> Result<(), String> {
    fn read<T: serde::de::DeserializeOwned>(value: toml::Value) -> Result<(), String> {
        T::deserialize(value).map(|_| ()).map_err(|e| e.message().to_string())
    }
    match key {
        "per_page" => read::<i64>(value),
        "authors" => read::<BTreeMap<String, AuthorConfig>>(value),
        "series" => read::<BTreeMap<String, SeriesConfig>>(value),
        "related" => read::<RelatedConfig>(value),
        "breaking" => read::<RawBreaking>(value),
        "reactions" => read::<RawReactions>(value)
            .map_err(|_| "invalid type: expected true, false or a [reactions] table".to_string()),
        "feeds" => read::<FeedsConfig>(value),
        "sitemap" => read::<SitemapConfig>(value),
        "syndication" => read::<Syndication>(value),
        "search" => read::<SearchConfig>(value),
        "live" => read::<LiveConfig>(value),
        "unsafe_html" => read::<bool>(value),
        "content" => read::<ContentConfig>(value),
        "permalinks" => read::<RawPermalinks>(value),
        "menus" => read::<RawMenus>(value),
        "share" => read::<ShareConfig>(value),
        "images" => read::<ImagesConfig>(value),
        "extra" => read::<serde_json::Map<String, serde_json::Value>>(value),
        _ => read::<String>(value),
    }
}

/// What a value is, in a writer's words.
fn describe(value: &toml::Value) -> String {
    match value {
        toml::Value::String(s) => format!("{s:?}"),
        toml::Value::Integer(i) => i.to_string(),
        toml::Value::Float(f) => f.to_string(),
        toml::Value::Boolean(b) => b.to_string(),
        toml::Value::Datetime(d) => format!("the date {d}"),
        toml::Value::Array(_) => "a list".into(),
        toml::Value::Table(_) => "a table".into(),
    }
}

/// serde's names for types, in a writer's words.
fn writer_words(message: &str) -> String {
    const WORDS: &[(&str, &str)] = &[
        ("expected usize", "expected a whole number like 20"),
        ("expected u64", "expected a whole number like 20"),
        ("expected i64", "expected a whole number like 20"),
        ("expected a boolean", "expected true or false"),
        ("expected a string", "expected text in quotes"),
        ("expected a sequence", "expected a list like [\"...\"]"),
        ("expected a map", "expected a table"),
        ("invalid type: string", "found text"),
        ("invalid type: integer", "found the number"),
    ];
    WORDS.iter().fold(message.to_string(), |m, (from, to)| m.replace(from, to))
}

/// serde's "missing field `title`" in a writer's words.
fn missing_message(message: &str) -> String {
    match message.strip_prefix("missing field `").and_then(|r| r.split('`').next()) {
        Some("title") => "missing `title`: expected the site's name, such as title = \"The Daily\"".into(),
        Some("base_url") => {
            "missing `base_url`: expected the site's address, such as base_url = \"https://news.example.com/\"".into()
        }
        _ => writer_words(message),
    }
}

fn toml_diagnostic(text: &str, e: &toml::de::Error) -> Diagnostic {
    let (line, column) = e.span().map_or((1, 1), |s| line_col(text, s.start));
    Diagnostic::error(broadsheet_base::layout::CONFIG, line, column, explain_serde_message(e.message()))
}

/// Every address `site.toml` gives that pages link to, load from or post
/// to, checked against the one URL policy (`safe_url`): each refusal at
/// its line.
fn url_problems(raw: &RawConfig, places: &Places) -> Vec<Diagnostic> {
    type Check = fn(&str) -> Result<(), String>;
    let mut given: Vec<(String, &str, Check)> = Vec::new();
    if let Some(url) = raw.breaking.as_ref().and_then(|b| b.url.as_deref()) {
        given.push(("breaking.url".into(), url, broadsheet_base::safe_url::check));
    }
    if let RawReactions::Table(ReactionsTable { endpoint: Some(endpoint), .. }) = &raw.reactions {
        given.push(("reactions.endpoint".into(), endpoint, broadsheet_base::safe_url::check_web));
    }
    for (key, author) in &raw.authors {
        if let Some(url) = &author.url {
            given.push((format!("authors.{key}.url"), url, broadsheet_base::safe_url::check));
        }
        if let Some(photo) = &author.photo {
            given.push((format!("authors.{key}.photo"), photo, broadsheet_base::safe_url::check_web));
        }
    }
    for (key, series) in &raw.series {
        if let Some(image) = &series.image {
            given.push((format!("series.{key}.image"), image, broadsheet_base::safe_url::check_web));
        }
    }
    for (name, entries) in [("main", &raw.menus.main), ("footer", &raw.menus.footer)] {
        for (i, entry) in entries.iter().enumerate() {
            if let Some(url) = &entry.url {
                given.push((format!("menus.{name}.{i}.url"), url, broadsheet_base::safe_url::check));
            }
        }
    }
    given
        .into_iter()
        .filter_map(|(key, address, check)| {
            let why = check(address.trim()).err()?;
            let (line, column) = places.value(&key);
            let message = format!("{key} `{address}` is refused: {why}");
            Some(Diagnostic::error(broadsheet_base::layout::CONFIG, line, column, message))
        })
        .collect()
}

fn validate(raw: RawConfig, places: &Places, base_url_override: Option<&str>) -> Result<Config, Vec<Diagnostic>> {
    let mut problems = url_problems(&raw, places);
    let at = |key: &str| places.value(key);
    let base_url = base_url_override.unwrap_or(&raw.base_url);
    let urls = Urls::parse(base_url).map_err(|msg| {
        let (l, c) = if base_url_override.is_some() { (1, 1) } else { at("base_url") };
        problems.push(Diagnostic::error(broadsheet_base::layout::CONFIG, l, c, msg));
    });
    let timezone = raw.timezone.parse::<Tz>().map_err(|_| {
        let (l, c) = at("timezone");
        problems.push(Diagnostic::error(
            broadsheet_base::layout::CONFIG,
            l,
            c,
            format!(
                "timezone: `{}` is not a known timezone: expected an IANA name such as `America/Chicago` or `UTC`",
                raw.timezone
            ),
        ));
    });
    let breaking = raw.breaking.and_then(|b| match date::parse(&b.until.0, timezone.unwrap_or(Tz::UTC)) {
        Ok(until) => Some(Breaking { text: b.text, url: b.url, until }),
        Err(message) => {
            let (l, c) = at("breaking.until");
            problems.push(Diagnostic::error(broadsheet_base::layout::CONFIG, l, c, message));
            None
        }
    });
    let reactions = match raw.reactions {
        RawReactions::Enabled(false) => None,
        RawReactions::Enabled(true) => Some(Reactions { labels: default_reaction_labels(), endpoint: None }),
        RawReactions::Table(t) => Some(Reactions { labels: t.labels, endpoint: t.endpoint }),
    };
    let cname = raw.cname.map(|c| c.trim().to_string());
    if let Some(c) = &cname
        && (c.is_empty() || c.contains(['/', ':', ' ']))
    {
        let (l, col) = at("cname");
        problems.push(Diagnostic::error(
            broadsheet_base::layout::CONFIG,
            l,
            col,
            format!("`cname` must be a bare domain such as `news.example.com`, not `{c}`"),
        ));
    }
    let permalink = match raw.permalinks.article.as_deref().map(Permalink::parse) {
        None => Permalink::default(),
        Some(Ok(pattern)) => pattern,
        Some(Err(message)) => {
            let (l, c) = at("permalinks.article");
            problems.push(Diagnostic::error(
                broadsheet_base::layout::CONFIG,
                l,
                c,
                format!("[permalinks] article: {message}"),
            ));
            Permalink::default()
        }
    };
    let mut menu = |name: &str, entries: Vec<RawMenuEntry>| -> Vec<MenuEntry> {
        entries
            .into_iter()
            .enumerate()
            .filter_map(|(i, e)| {
                let entry = format!("menus.{name}.{i}");
                let (target, key) = match (e.page, e.url) {
                    (Some(page), None) => (MenuTarget::Page(page.trim_matches('/').to_string()), "page"),
                    (None, Some(url)) if e.title.is_some() => (MenuTarget::Url(url), "url"),
                    (None, Some(_)) => {
                        let (l, c) = at(&format!("{entry}.url"));
                        let message = format!("[[menus.{name}]] entry {}: a `url` needs a `title` to show", i + 1);
                        problems.push(Diagnostic::error(broadsheet_base::layout::CONFIG, l, c, message));
                        return None;
                    }
                    (page, _) => {
                        let (l, c) = at(&entry);
                        let found = if page.is_some() { "both" } else { "neither" };
                        let message = format!(
                            "[[menus.{name}]] entry {}: expected `page = \"about\"` (a standalone page) or `url = \"/corrections/\"`, found {found}",
                            i + 1
                        );
                        problems.push(Diagnostic::error(broadsheet_base::layout::CONFIG, l, c, message));
                        return None;
                    }
                };
                Some(MenuEntry { title: e.title, target, at: at(&format!("{entry}.{key}")) })
            })
            .collect()
    };
    let menus = Menus { main: menu("main", raw.menus.main), footer: menu("footer", raw.menus.footer) };
    let named = |key: &'static str, path: Option<String>| {
        path.map(|path| NamedFile { path: path.trim().to_string(), key, at: at(key) })
    };
    let theme_color = raw.theme_color.unwrap_or_else(|| ACCENT.to_string());
    let hex =
        theme_color.strip_prefix('#').filter(|h| matches!(h.len(), 3 | 6) && h.chars().all(|c| c.is_ascii_hexdigit()));
    if hex.is_none() {
        let (l, c) = at("theme_color");
        let message =
            format!("theme_color: expected a colour such as \"#a4161a\" (# and six hex digits), found {theme_color:?}");
        problems.push(Diagnostic::error(broadsheet_base::layout::CONFIG, l, c, message));
    }
    let identity = Identity {
        logo: named("logo", raw.logo),
        favicon: named("favicon", raw.favicon),
        apple_touch_icon: named("apple_touch_icon", raw.apple_touch_icon),
        share_image: named("share_image", raw.share_image),
        theme_color,
        logo_size: None,
    };
    if raw.images.widths.is_empty() || raw.images.widths.contains(&0) || !(1..=100).contains(&raw.images.quality) {
        let (l, c) = at("images");
        let message =
            "[images]: expected `widths` such as [480, 800, 1200, 1600] (none 0) and a `quality` from 1 to 100";
        problems.push(Diagnostic::error(broadsheet_base::layout::CONFIG, l, c, message));
    }
    if raw.per_page < 1 {
        let (l, c) = at("per_page");
        problems.push(Diagnostic::error(broadsheet_base::layout::CONFIG, l, c, "`per_page` must be 1 or more"));
    }
    match (urls, timezone) {
        (Ok(urls), Ok(timezone)) if problems.is_empty() => Ok(Config {
            title: raw.title,
            description: raw.description,
            language: raw.language,
            timezone,
            per_page: raw.per_page as usize,
            authors: raw.authors,
            series: raw.series,
            related: raw.related,
            breaking,
            reactions,
            feeds: raw.feeds,
            sitemap: raw.sitemap,
            syndication: raw.syndication,
            cname,
            search: raw.search,
            live: raw.live,
            unsafe_html: raw.unsafe_html,
            content: raw.content,
            menus,
            identity,
            share: raw.share,
            images: raw.images,
            extra: raw.extra,
            urls,
            permalink,
        }),
        _ => Err(problems),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = "title = \"T\"\nbase_url = \"https://example.com/news\"\n";

    #[test]
    fn applies_defaults() {
        let c = Config::parse(MINIMAL, None).unwrap();
        assert_eq!(c.per_page, 20);
        assert_eq!(c.language, "en");
        assert_eq!(c.timezone, Tz::UTC);
        assert_eq!(c.urls.path(&broadsheet_base::route::Route::FRONT), "/news/");
    }

    #[test]
    fn unknown_key_names_the_closest() {
        let text = format!("{MINIMAL}timezon = \"UTC\"\n");
        let errs = Config::parse(&text, None).unwrap_err();
        assert_eq!(errs[0].to_string(), "site.toml:3:1: error: unknown field `timezon`: did you mean `timezone`?");
    }

    #[test]
    fn bad_timezone_points_at_value() {
        let text = format!("{MINIMAL}timezone = \"Mars/Olympus\"\n");
        let errs = Config::parse(&text, None).unwrap_err();
        assert_eq!(errs[0].line, 3);
        assert_eq!(errs[0].column, 12);
        assert!(errs[0].message.contains("IANA"));
    }

    #[test]
    fn base_url_override_wins() {
        let c = Config::parse(MINIMAL, Some("https://user.github.io/repo/")).unwrap();
        assert_eq!(
            c.urls.absolute(&broadsheet_base::route::Route::section("world")),
            "https://user.github.io/repo/world/"
        );
    }

    #[test]
    fn newsroom_settings() {
        let text = format!(
            "{MINIMAL}timezone = \"Europe/Paris\"\n[related]\ncount = 2\n[breaking]\ntext = \"Polls close\"\nuntil = \"2026-11-26 20:00\"\n[reactions]\nendpoint = \"https://r.example/api\"\n"
        );
        let c = Config::parse(&text, None).unwrap();
        assert_eq!(c.related.count, 2);
        assert_eq!(c.breaking.unwrap().until.to_rfc3339(), "2026-11-26T20:00:00+01:00");
        let reactions = c.reactions.unwrap();
        assert_eq!(reactions.labels, ["Excited", "Happy", "In Love", "Not Sure", "Silly"]);
        assert_eq!(reactions.endpoint.as_deref(), Some("https://r.example/api"));
    }

    #[test]
    fn reactions_can_be_turned_off() {
        let c = Config::parse(&format!("{MINIMAL}reactions = false\n"), None).unwrap();
        assert!(c.reactions.is_none());
    }

    #[test]
    fn unknown_author_key_is_reported() {
        let text = format!("{MINIMAL}[authors.ann]\nname = \"Ann\"\nbiog = \"x\"\n");
        let errs = Config::parse(&text, None).unwrap_err();
        assert!(errs[0].message.contains("did you mean `bio`"), "{}", errs[0]);
        assert_eq!(errs[0].line, 5);
    }
}
