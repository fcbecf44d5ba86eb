//! `site.toml`: each top-level key is checked on its own (so one run names
//! every unknown key and every value of the wrong shape, in a writer's
//! words, at its own line and column; `keys`), then the whole is read with
//! serde into a raw form and validated into [`Config`] (a parsed base URL,
//! a real timezone, a positive page size; `validate`), and the files it
//! names for the site's look are checked to exist (`identity`). Problems
//! come back as diagnostics pointing into `site.toml`; this module reads
//! that one file and nothing else. The types here are the configuration
//! as the rest of the pipeline sees it, and its raw serde form.

mod identity;
mod keys;
mod languages;
mod validate;
pub mod words;

use std::collections::BTreeMap;
use std::path::Path;

use chrono::DateTime;
use chrono_tz::Tz;
use serde::Deserialize;

use broadsheet_base::date::DateInput;
use broadsheet_base::diagnostic::{Diagnostic, explain_serde_message};
use broadsheet_base::route::Permalink;
use broadsheet_base::url::Urls;
pub use identity::{Identity, NamedFile};
use keys::{Places, check_keys, missing_message, toml_diagnostic};
pub use languages::{Direction, Language, LanguageConfig, direction_of};
use validate::validate;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: String,
    base_url: String,
    #[serde(default)]
    description: String,
    #[serde(default = "default_language")]
    language: String,
    #[serde(default)]
    languages: BTreeMap<String, LanguageConfig>,
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
    theme: ThemeConfig,
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
    /// Publish a resized photo's original file beside its copies (for
    /// sites that offer downloads); without it the largest copy stands in
    /// for it wherever the original was linked.
    pub publish_originals: bool,
    /// Where encoded photos are kept between builds, relative to the site.
    pub cache: String,
    /// Which widths also get a copy in the photo's own format beside WebP:
    /// the largest only (what a browser without WebP shows, and the
    /// stand-in for the original), or every width.
    pub fallback_widths: FallbackWidths,
}

/// `[images] fallback_widths`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FallbackWidths {
    /// One copy in the photo's own format, at the largest width (every
    /// current browser reads WebP; this is the smaller site).
    #[default]
    Largest,
    /// A copy in the photo's own format at every width.
    All,
}

impl Default for ImagesConfig {
    fn default() -> Self {
        ImagesConfig {
            widths: vec![320, 480, 800, 1200, 1600],
            quality: 80,
            webp: true,
            keep_credit: false,
            publish_originals: false,
            cache: ".broadsheet-cache".into(),
            fallback_widths: FallbackWidths::Largest,
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
    /// Where it goes: the entry's `page` or its `url` (one of the two; a `url`
    /// needs a `title`).
    pub target: MenuTarget,
    /// Line and column of the target in `site.toml`.
    pub at: (usize, usize),
}

/// `[[menus.main]]` and `[[menus.footer]]` as `site.toml` lists them; a build
/// resolves them against its pages (`site::Menus`). Both empty by default.
#[derive(Debug, Clone, Default)]
pub struct Menus {
    /// Shown above the sections in the masthead.
    pub main: Vec<MenuEntry>,
    /// Shown in every page's footer.
    pub footer: Vec<MenuEntry>,
}

/// The theme's accent colour, the default `theme_color`.
pub const ACCENT: &str = "#a4161a";

/// Networks an article's share links can name, besides e-mail and copying the link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Network {
    /// `"bluesky"`: Bluesky's compose page, with the headline and the link.
    Bluesky,
    /// `"facebook"`: Facebook's sharer, with the link.
    Facebook,
    /// `"linkedin"`: LinkedIn's share page, with the link.
    Linkedin,
    /// `"reddit"`: Reddit's submit page, with the link and the headline.
    Reddit,
    /// `"threads"`: a Threads post, with the headline and the link.
    Threads,
    /// `"whatsapp"`: a WhatsApp message, with the headline and the link.
    Whatsapp,
    /// `"x"`: an X post, with the headline and the link.
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
    /// An RSS feed beside the Atom feed of each tag, author and series too
    /// (off by default: every feed reader reads Atom, and the copies were
    /// 6 MB of a 10,000-story site). The site and its sections have both.
    pub listing_rss: bool,
}

impl Default for FeedsConfig {
    fn default() -> Self {
        FeedsConfig {
            limit: 50,
            full_content: true,
            listing_limit: 20,
            listing_full_content: false,
            listing_rss: false,
        }
    }
}

fn default_true() -> bool {
    true
}

/// `[theme]`: the site's own additions to the built-in look.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ThemeConfig {
    /// Stylesheets every page loads after the theme's own (site paths such
    /// as "/css/newsroom.css", or https addresses), so a site restyles
    /// without overriding `base.html`.
    pub css: Vec<String>,
}

/// `[search]`: the search page and its index.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SearchConfig {
    /// `[search] enabled`: build the search index (under `_search/`) and the
    /// `/search/` page. Default `true`.
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

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBreaking {
    text: String,
    url: Option<String>,
    until: DateInput,
}

/// `[breaking]`: a banner on every page until `until`.
#[derive(Debug, Clone)]
pub struct Breaking {
    /// `[breaking] text`: what the banner says, as written (required).
    pub text: String,
    /// `[breaking] url`: where the banner links (a site path or an address);
    /// `None` for a banner without a link.
    pub url: Option<String>,
    /// `[breaking] until`, read in the site's timezone: pages built from then
    /// on show no banner (required).
    pub until: DateTime<Tz>,
    /// The language it is written in, when a page of another language
    /// shows it (a language without a banner of its own shows the default's).
    pub language: Option<String>,
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
    /// `[reactions] labels`: the reactions readers choose from, in order
    /// (default Excited, Happy, In Love, Not Sure, Silly).
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
    /// `title`: the series' name, on its landing page and its parts (required).
    pub title: String,
    /// `description`: shown on the landing page. Default empty.
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
    /// `name`: the author as bylines and their page name them (required).
    pub name: String,
    /// `bio`: shown on the author's page and in the authors index. Default
    /// empty.
    #[serde(default)]
    pub bio: String,
    /// `url`: the author's own page elsewhere, linked from their page; `None`
    /// without one.
    #[serde(default)]
    pub url: Option<String>,
    /// A portrait: a path under the site's `static/` (e.g. `/images/ann.jpg`) or an absolute URL.
    #[serde(default)]
    pub photo: Option<String>,
}

/// The validated site configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// `title`: the site's name (required); a language's own with
    /// [`Config::for_language`].
    pub title: String,
    /// `description`: the tagline, and the front page's description. Default
    /// empty.
    pub description: String,
    /// `language`: the default language's BCP 47 tag as written (default
    /// `"en"`); a language's own tag with [`Config::for_language`].
    pub language: String,
    /// The words pages show in `language`: the built-in ones here; a
    /// build puts the site's own `i18n/` files over them
    /// ([`words::load`]).
    pub words: std::sync::Arc<words::Words>,
    /// Which way this language's script runs.
    pub direction: Direction,
    /// Every language of the site, the default first; empty for a site in
    /// one language (no `[languages]` table).
    pub languages: Vec<Language>,
    /// `timezone`, an IANA name (default UTC): dates written without an offset
    /// are read in it, and every date is shown in it.
    pub timezone: Tz,
    /// `per_page`: stories per page of a listing, 1 or more. Default 20.
    pub per_page: usize,
    /// `[authors.<key>]` tables, by key: the names front matter `authors` may
    /// use for a byline.
    pub authors: BTreeMap<String, AuthorConfig>,
    /// `[series.<slug>]` tables, by slug.
    pub series: BTreeMap<String, SeriesConfig>,
    /// `[related]`: how many related stories each article lists (default 4).
    pub related: RelatedConfig,
    /// `[breaking]`: the banner on every page; `None` without one.
    pub breaking: Option<Breaking>,
    /// The reactions block: `None` with `reactions = false`; the default labels
    /// and no endpoint without a `[reactions]` table.
    pub reactions: Option<Reactions>,
    /// `[feeds]`: how many stories the feeds carry, and whether whole (see
    /// [`FeedsConfig`] for each key's default).
    pub feeds: FeedsConfig,
    /// `[sitemap]`: URLs per sitemap file (default 50,000).
    pub sitemap: SitemapConfig,
    /// `syndication`: what copies with a `source` tell search engines. Default
    /// `"canonical"`.
    pub syndication: Syndication,
    /// `cname`: the custom domain each build writes to `CNAME`, trimmed; `None`
    /// without one.
    pub cname: Option<String>,
    /// `[search]`: whether the site has search (on by default).
    pub search: SearchConfig,
    /// `[live]`: how often an open live blog's page asks for updates (default
    /// every 60 seconds).
    pub live: LiveConfig,
    /// `unsafe_html`: keep raw HTML in bodies as written (default `true`);
    /// `false` sanitizes it (no scripts, frames or event handlers).
    pub unsafe_html: bool,
    /// `[content]`: how front matter written for other generators is read (an
    /// unknown field is an error by default).
    pub content: ContentConfig,
    /// `[[menus.main]]` and `[[menus.footer]]`: each entry a `page` or a
    /// `url`, resolved against the site's pages by the build.
    pub menus: Menus,
    /// The site's look: `logo`, `favicon`, `apple_touch_icon`, `share_image`,
    /// `theme_color` and `[theme] css`.
    pub identity: Identity,
    /// `[share]`: the networks linked under each article (none by default).
    pub share: ShareConfig,
    /// `[images]`: how photos are resized and published (see [`ImagesConfig`]
    /// for each key's default).
    pub images: ImagesConfig,
    /// `[extra]`: anything the templates want, as `site.extra`. Default empty.
    pub extra: serde_json::Map<String, serde_json::Value>,
    /// The site's addresses, from `base_url` (or `--base-url`); a language's,
    /// under `/<code>/`, with [`Config::for_language`].
    pub urls: Urls,
    /// Where articles go (`[permalinks] article`).
    pub permalink: Permalink,
}

impl Config {
    /// The configuration of one of the site's other languages: its title
    /// and description, its pages under `/<code>/`.
    pub fn for_language(&self, language: &Language) -> Config {
        let mut config = self.clone();
        config.language = language.tag.clone();
        config.words = std::sync::Arc::new(words::Words::builtin(&language.tag));
        config.direction = language.direction;
        config.title = language.title.clone();
        config.description = language.description.clone();
        config.urls = self.urls.for_language(&language.code);
        match &language.breaking {
            Some(own) => config.breaking = Some(own.clone()),
            None => {
                if let Some(b) = config.breaking.as_mut() {
                    b.language.get_or_insert_with(|| self.language.clone());
                }
            }
        }
        config
    }

    /// Whether the site publishes in more than one language.
    pub fn is_multilingual(&self) -> bool {
        self.languages.len() > 1
    }

    /// Reads `site.toml` in `root`. `Err` holds every problem found.
    pub fn load(root: &Path, base_url_override: Option<&str>) -> Result<Config, Vec<Diagnostic>> {
        match Config::load_lenient(root, base_url_override) {
            (Some(config), problems) if problems.is_empty() => Ok(config),
            (_, problems) => Err(problems),
        }
    }

    /// Reads `site.toml` in `root`, and every problem in it; the
    /// configuration too when one can be made from the rest (a key with a
    /// bad value left at its default), so that the content can still be
    /// checked and its problems reported in the same run.
    pub fn load_lenient(root: &Path, base_url_override: Option<&str>) -> (Option<Config>, Vec<Diagnostic>) {
        let path = root.join(broadsheet_base::layout::CONFIG);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) => return (None, vec![unreadable(root, &e)]),
        };
        let (mut config, mut problems) = Config::parse_lenient(&text, base_url_override);
        if let Some(config) = config.as_mut()
            && let Err(more) = config.identity.find_files(root)
        {
            problems.extend(more);
        }
        (config, problems)
    }

    /// Reads the text of a `site.toml` (`base_url_override` as `--base-url`
    /// gives it) without looking for the files it names: the configuration, or
    /// every problem in it.
    pub fn parse(text: &str, base_url_override: Option<&str>) -> Result<Config, Vec<Diagnostic>> {
        match Config::parse_lenient(text, base_url_override) {
            (Some(config), problems) if problems.is_empty() => Ok(config),
            (_, problems) => Err(problems),
        }
    }

    fn parse_lenient(text: &str, base_url_override: Option<&str>) -> (Option<Config>, Vec<Diagnostic>) {
        let doc = match toml::de::DeTable::parse(text) {
            Ok(doc) => doc,
            Err(e) => return (None, vec![toml_diagnostic(text, &e)]),
        };
        let places = Places::of(text, doc.get_ref());
        let mut table: toml::Table = match toml::from_str(text) {
            Ok(table) => table,
            Err(e) => return (None, vec![toml_diagnostic(text, &e)]),
        };
        let mut problems = check_keys(&mut table, &places);
        let raw = match RawConfig::deserialize(toml::Value::Table(table)) {
            Ok(raw) => raw,
            Err(e) => {
                let (line, column) = places.key(e.message().split('`').nth(1).unwrap_or(""));
                problems.push(config_error(line, column, missing_message(&explain_serde_message(e.message()))));
                return (None, problems);
            }
        };
        match validate(raw, &places, base_url_override) {
            Ok(config) => (Some(config), problems),
            Err(more) => {
                problems.extend(more);
                problems.sort_by_key(|d| (d.line, d.column));
                (None, problems)
            }
        }
    }
}

/// No `site.toml`: most often the command was run in another folder than
/// the site's, so the message names the folder and the way out.
fn unreadable(root: &Path, e: &std::io::Error) -> Diagnostic {
    let message = match e.kind() {
        std::io::ErrorKind::NotFound => {
            let folder = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
            format!(
                "no site here: {} has no site.toml. Run Broadsheet in the site's folder (or pass --root DIR), or make a new site with `broadsheet init DIR`",
                folder.display()
            )
        }
        _ => format!("cannot read the site configuration: {e}"),
    };
    Diagnostic::error(broadsheet_base::layout::CONFIG, 1, 1, message)
}

fn config_error(line: usize, column: usize, message: impl Into<String>) -> Diagnostic {
    Diagnostic::error(broadsheet_base::layout::CONFIG, line, column, message)
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
