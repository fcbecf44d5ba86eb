//! `site.toml`: read with serde into a raw form that rejects unknown keys,
//! then validated into [`Config`] (a parsed base URL, a real timezone, a
//! positive page size). Problems come back as diagnostics pointing into
//! `site.toml`; this module reads that one file and nothing else.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::DateTime;
use chrono_tz::Tz;
use serde::Deserialize;

use crate::date::{self, DateInput};
use crate::diagnostic::{Diagnostic, explain_serde_message, key_position, line_col};
use crate::route::Permalink;
use crate::url::Urls;

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
    /// Keep raw HTML written in Markdown (embeds); `false` strips anything
    /// unsafe from it.
    #[serde(default = "default_true")]
    unsafe_html: bool,
    #[serde(default)]
    permalinks: RawPermalinks,
    #[serde(default)]
    extra: serde_json::Map<String, serde_json::Value>,
}

/// `[permalinks]`: where articles go.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPermalinks {
    article: Option<String>,
}

/// `[feeds]`: Atom, RSS and JSON Feed.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FeedsConfig {
    /// How many stories each feed carries, newest first.
    pub limit: usize,
    /// Whole articles (`true`) or only their summaries.
    pub full_content: bool,
}

impl Default for FeedsConfig {
    fn default() -> Self {
        FeedsConfig { limit: 50, full_content: true }
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
    pub related: RelatedConfig,
    pub breaking: Option<Breaking>,
    pub reactions: Option<Reactions>,
    pub feeds: FeedsConfig,
    pub sitemap: SitemapConfig,
    pub syndication: Syndication,
    pub cname: Option<String>,
    pub search: SearchConfig,
    pub unsafe_html: bool,
    pub extra: serde_json::Map<String, serde_json::Value>,
    pub urls: Urls,
    /// Where articles go (`[permalinks] article`).
    pub permalink: Permalink,
}

impl Config {
    /// Reads `site.toml` in `root`. `Err` holds every problem found.
    pub fn load(root: &Path, base_url_override: Option<&str>) -> Result<Config, Vec<Diagnostic>> {
        let path = root.join(crate::layout::CONFIG);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            vec![Diagnostic::error(crate::layout::CONFIG, 1, 1, format!("cannot read the site configuration: {e}"))]
        })?;
        Config::parse(&text, base_url_override)
    }

    pub fn parse(text: &str, base_url_override: Option<&str>) -> Result<Config, Vec<Diagnostic>> {
        let raw: RawConfig = toml::from_str(text).map_err(|e| vec![toml_diagnostic(text, &e)])?;
        validate(raw, text, base_url_override)
    }
}

fn toml_diagnostic(text: &str, e: &toml::de::Error) -> Diagnostic {
    let (line, column) = e.span().map_or((1, 1), |s| line_col(text, s.start));
    Diagnostic::error(crate::layout::CONFIG, line, column, explain_serde_message(e.message()))
}

fn validate(raw: RawConfig, text: &str, base_url_override: Option<&str>) -> Result<Config, Vec<Diagnostic>> {
    let mut problems = Vec::new();
    let at = |key: &str| key_position(text, key).unwrap_or((1, 1));
    let base_url = base_url_override.unwrap_or(&raw.base_url);
    let urls = Urls::parse(base_url).map_err(|msg| {
        let (l, c) = if base_url_override.is_some() { (1, 1) } else { at("base_url") };
        problems.push(Diagnostic::error(crate::layout::CONFIG, l, c, msg));
    });
    let timezone = raw.timezone.parse::<Tz>().map_err(|_| {
        let (l, c) = at("timezone");
        problems.push(Diagnostic::error(
            crate::layout::CONFIG,
            l,
            c,
            format!("unknown timezone `{}`: expected an IANA name such as `America/New_York` or `UTC`", raw.timezone),
        ));
    });
    let breaking = raw.breaking.and_then(|b| match date::parse(&b.until.0, timezone.unwrap_or(Tz::UTC)) {
        Ok(until) => Some(Breaking { text: b.text, url: b.url, until }),
        Err(message) => {
            let (l, c) = at("until");
            problems.push(Diagnostic::error(crate::layout::CONFIG, l, c, message));
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
            crate::layout::CONFIG,
            l,
            col,
            format!("`cname` must be a bare domain such as `news.example.com`, not `{c}`"),
        ));
    }
    let permalink = match raw.permalinks.article.as_deref().map(Permalink::parse) {
        None => Permalink::default(),
        Some(Ok(pattern)) => pattern,
        Some(Err(message)) => {
            let (l, c) = at("article");
            problems.push(Diagnostic::error(crate::layout::CONFIG, l, c, format!("[permalinks] article: {message}")));
            Permalink::default()
        }
    };
    if raw.per_page < 1 {
        let (l, c) = at("per_page");
        problems.push(Diagnostic::error(crate::layout::CONFIG, l, c, "`per_page` must be 1 or more"));
    }
    match (urls, timezone) {
        (Ok(urls), Ok(timezone)) if problems.is_empty() => Ok(Config {
            title: raw.title,
            description: raw.description,
            language: raw.language,
            timezone,
            per_page: raw.per_page as usize,
            authors: raw.authors,
            related: raw.related,
            breaking,
            reactions,
            feeds: raw.feeds,
            sitemap: raw.sitemap,
            syndication: raw.syndication,
            cname,
            // A binary built without the search feature has no indexer, so
            // no search page to plan or link.
            search: SearchConfig { enabled: raw.search.enabled && cfg!(feature = "search") },
            unsafe_html: raw.unsafe_html,
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
        assert_eq!(c.urls.path(&crate::route::Route::FRONT), "/news/");
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
        assert_eq!(c.urls.absolute(&crate::route::Route::section("world")), "https://user.github.io/repo/world/");
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
