//! Where each key and value of `site.toml` was written ([`Places`]), and
//! every top-level key checked on its own against the shape it takes, so
//! one run names every unknown key and every value of the wrong shape, in
//! a writer's words, at its own line and column.

use std::collections::{BTreeMap, HashMap};

use super::{
    AuthorConfig, ContentConfig, FeedsConfig, ImagesConfig, LiveConfig, RawBreaking, RawMenus, RawPermalinks,
    RawReactions, RelatedConfig, SearchConfig, SeriesConfig, ShareConfig, SitemapConfig, Syndication, config_error,
};
use broadsheet_base::diagnostic::{Diagnostic, explain_serde_message, line_col};

/// A line and column in `site.toml`.
type LineCol = (usize, usize);

/// Where each key and value of `site.toml` was written.
pub(super) struct Places {
    /// Dotted key path -> (key position, value position).
    at: HashMap<String, (LineCol, LineCol)>,
}

impl Places {
    pub(super) fn of(text: &str, doc: &toml::de::DeTable<'_>) -> Places {
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
    pub(super) fn key(&self, path: &str) -> (usize, usize) {
        self.at.get(path).map_or((1, 1), |(k, _)| *k)
    }

    /// Where the value at `path` is written, or 1:1.
    pub(super) fn value(&self, path: &str) -> (usize, usize) {
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
    ("languages", "tables like [languages.fr] title = \"...\""),
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
    ("theme", "a table like [theme] css = [\"/css/newsroom.css\"]"),
    ("extra", "a table of your own settings"),
];

/// Checks every top-level key on its own, removing the bad ones so the
/// rest can still be read; returns one problem per bad key or value.
pub(super) fn check_keys(table: &mut toml::Table, places: &Places) -> Vec<Diagnostic> {
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
        "languages" => read::<BTreeMap<String, super::LanguageConfig>>(value),
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
        "theme" => read::<super::ThemeConfig>(value),
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
pub(super) fn missing_message(message: &str) -> String {
    match message.strip_prefix("missing field `").and_then(|r| r.split('`').next()) {
        Some("title") => "missing `title`: expected the site's name, such as title = \"The Daily\"".into(),
        Some("base_url") => {
            "missing `base_url`: expected the site's address, such as base_url = \"https://news.example.com/\"".into()
        }
        _ => writer_words(message),
    }
}

pub(super) fn toml_diagnostic(text: &str, e: &toml::de::Error) -> Diagnostic {
    let (line, column) = e.span().map_or((1, 1), |s| line_col(text, s.start));
    Diagnostic::error(broadsheet_base::layout::CONFIG, line, column, explain_serde_message(e.message()))
}
