//! Front matter fields, mapped by hand from the positioned tree (`tree`)
//! into raw article and section fields. This is where other generators'
//! spellings become Broadsheet's (`excerpt` -> `summary`, `lastmod` ->
//! `updated`, `categories` -> `tags`, ...), where presentation keys of other
//! themes are let through, and where each bad field gets its own problem at
//! its own line and column, in a writer's words. It decides nothing about
//! dates, URLs or files: that is the checker in `content`.

use std::collections::HashMap;

use super::frontmatter::{Problem, RawArticle, RawCorrection, RawImage, RawSection, RawSource};
use super::tree::{Key, Node, Pos, Value};
use crate::config::UnknownFields;
use broadsheet_base::date::DateInput;
use broadsheet_base::diagnostic::{suggest, unknown_message};

/// Broadsheet's article fields.
pub const ARTICLE_FIELDS: &[&str] = &[
    "title",
    "date",
    "updated",
    "expires",
    "slug",
    "summary",
    "authors",
    "tags",
    "image",
    "source",
    "draft",
    "featured",
    "aliases",
    "corrections",
    "dateline",
    "search",
    "series",
    "series_order",
    "live",
    "coverage_end",
    "translation_key",
    "extra",
];

/// Other generators' spellings of a single-valued field: giving two of one
/// group is an error naming both.
pub const SYNONYMS: &[(&str, &str)] = &[
    ("description", "summary"),
    ("excerpt", "summary"),
    ("author", "authors"),
    ("lastmod", "updated"),
    ("last_modified_at", "updated"),
    ("modified", "updated"),
    ("featured_image", "image"),
    ("cover", "image"),
    ("thumbnail", "image"),
    ("published", "draft"),
    ("expiryDate", "expires"),
    ("translationKey", "translation_key"),
];

/// Spellings whose values are added together: every category is a tag,
/// every old URL an alias.
pub const MERGED: &[(&str, &str)] = &[
    ("categories", "tags"),
    ("category", "tags"),
    ("redirect_from", "aliases"),
    ("permalink", "aliases"),
    ("url", "aliases"),
    ("path", "aliases"),
];

/// Keys other generators' themes use for presentation: accepted and ignored.
pub const IGNORED: &[&str] = &[
    "layout",
    "linkTitle",
    "weight",
    "toc",
    "toc_label",
    "toc_sticky",
    "comments",
    "sitemap",
    "template",
    "type",
    "share",
    "menu",
    "keywords",
    "lang",
    "math",
    "mathjax",
    "hidden",
    "sticky",
    "cSpell:ignore",
    "cspell:ignore",
    "author_profile",
    "read_time",
    "related",
    "excerpt_separator",
    "render_with_liquid",
    "outputs",
    "markup",
    "isCJKLanguage",
    "in_search_index",
    "insert_anchor_links",
    "classes",
];

/// The field a written key stands for, if any.
fn canonical(key: &str) -> Option<&'static str> {
    ARTICLE_FIELDS
        .iter()
        .copied()
        .find(|f| *f == key)
        .or_else(|| SYNONYMS.iter().chain(MERGED).find(|(s, _)| *s == key).map(|(_, f)| *f))
}

/// Reads a node as one of the shapes a field takes, or says what it found.
struct Reader<'a> {
    problems: &'a mut Vec<Problem>,
    /// Unknown keys inside a field's table are errors, or let through.
    unknown: UnknownFields,
}

impl Reader<'_> {
    fn problem(&mut self, pos: Pos, message: String) {
        self.problems.push(Problem::new(pos.line, pos.column, message));
    }

    fn wrong(&mut self, key: &str, node: &Node, expected: &str) {
        self.problem(node.pos, format!("{key}: expected {expected}, found {}", node.value.describe()));
    }

    fn text(&mut self, key: &str, node: &Node) -> Option<String> {
        match &node.value {
            Value::Null => None,
            Value::List(_) | Value::Table(_) => {
                self.wrong(key, node, "text");
                None
            }
            other => other.scalar_text(),
        }
    }

    fn date(&mut self, key: &str, node: &Node) -> Option<DateInput> {
        match &node.value {
            Value::Null => None,
            Value::Str(s) | Value::Date(s) => Some(DateInput(s.clone())),
            _ => {
                self.wrong(key, node, broadsheet_base::date::EXPECTED.trim_start_matches("expected "));
                None
            }
        }
    }

    fn flag(&mut self, key: &str, node: &Node) -> Option<bool> {
        match node.value {
            Value::Bool(b) => Some(b),
            Value::Null => None,
            _ => {
                self.wrong(key, node, "true or false");
                None
            }
        }
    }

    /// One name or a list of names.
    fn names(&mut self, key: &str, node: &Node, example: &str) -> Vec<String> {
        let expected = format!("a list of names like {example} or one name");
        match &node.value {
            Value::Null => Vec::new(),
            Value::List(items) => items
                .iter()
                .filter_map(|item| match &item.value {
                    Value::Null => None,
                    Value::List(_) | Value::Table(_) => {
                        self.wrong(key, item, "a name");
                        None
                    }
                    other => other.scalar_text(),
                })
                .collect(),
            Value::Table(_) => {
                self.wrong(key, node, &expected);
                Vec::new()
            }
            other => other.scalar_text().into_iter().collect(),
        }
    }

    /// The fields of a table, each read by `field`; unknown ones are errors.
    fn table<'n>(&mut self, key: &str, entries: &'n [(Key, Node)], known: &[&str]) -> HashMap<&'n str, &'n Node> {
        let mut out = HashMap::new();
        for (k, v) in entries {
            if known.contains(&k.name.as_str()) {
                out.insert(k.name.as_str(), v);
            } else if self.unknown == UnknownFields::Error {
                let message = unknown_message(&k.name, known);
                self.problem(k.pos, format!("{key}: {message}"));
            }
        }
        out
    }

    fn image(&mut self, key: &str, node: &Node) -> Option<RawImage> {
        const EXPECTED: &str = "a table like { src = \"...\", alt = \"...\" } or a path string";
        match &node.value {
            Value::Null => None,
            // What an editor (Decap, Pages CMS) leaves when a picture is removed: no picture.
            Value::Str(src) if src.trim().is_empty() => None,
            Value::Str(src) => Some(RawImage { src: src.clone(), alt: None, caption: None, credit: None, focus: None }),
            Value::Table(entries) => {
                // Jekyll themes write the hero as `path` or `feature`, with
                // sizes and thumbnails beside it (ignored).
                const KNOWN: &[&str] = &[
                    "src",
                    "alt",
                    "caption",
                    "credit",
                    "focus",
                    "path",
                    "feature",
                    "url",
                    "thumbnail",
                    "width",
                    "height",
                ];
                let fields = self.table(key, entries, KNOWN);
                let src_key = ["src", "path", "feature", "url"].into_iter().find(|k| fields.contains_key(k));
                let mut get = |name: &str| fields.get(name).and_then(|n| self.text(&format!("{key}.{name}"), n));
                let (src, alt, caption, credit) =
                    (src_key.and_then(&mut get), get("alt"), get("caption"), get("credit"));
                if src_key.is_none() {
                    self.problem(node.pos, format!("{key}: missing `src`: expected {EXPECTED}"));
                }
                // Where the crop for link previews centres: "0.5,0.3" (across, down).
                let focus = fields.get("focus").and_then(|n| {
                    let text = self.text(&format!("{key}.focus"), n)?;
                    let parts: Vec<f64> = text.split(',').filter_map(|p| p.trim().parse().ok()).collect();
                    match parts[..] {
                        [x, y] if (0.0..=1.0).contains(&x) && (0.0..=1.0).contains(&y) => Some((x, y)),
                        _ => {
                            let message = format!(
                                "{key}.focus: expected two fractions across and down, such as \"0.5,0.3\", found {text:?}"
                            );
                            self.problem(n.pos, message);
                            None
                        }
                    }
                });
                // `{ src = "", alt = "" }`, an editor's picture field left empty: no picture.
                let src = src.filter(|s| !s.trim().is_empty())?;
                Some(RawImage { src, alt, caption, credit, focus })
            }
            _ => {
                self.wrong(key, node, EXPECTED);
                None
            }
        }
    }

    fn source(&mut self, node: &Node) -> Option<RawSource> {
        let Value::Table(entries) = &node.value else {
            self.wrong("source", node, "a table like { name = \"...\", url = \"...\" }");
            return None;
        };
        let fields = self.table("source", entries, &["name", "url"]);
        let name = fields.get("name").and_then(|n| self.text("source.name", n));
        let url = fields.get("url").and_then(|n| {
            let url = self.text("source.url", n)?;
            match broadsheet_base::safe_url::check(url.trim()) {
                Ok(()) => Some(url),
                Err(why) => {
                    self.problem(n.pos, format!("source.url `{url}` is refused: {why}"));
                    None
                }
            }
        });
        if name.is_none() {
            self.problem(node.pos, "source: missing `name`: expected the original publisher's name".into());
        }
        Some(RawSource { name: name?, url })
    }

    fn corrections(&mut self, node: &Node) -> Vec<RawCorrection> {
        const EXPECTED: &str = "a list of entries like [{ date = 2026-10-14, text = \"...\" }]";
        let items = match &node.value {
            Value::List(items) => items,
            Value::Null => return Vec::new(),
            _ => {
                self.wrong("corrections", node, EXPECTED);
                return Vec::new();
            }
        };
        let mut out = Vec::new();
        for item in items {
            let Value::Table(entries) = &item.value else {
                self.wrong("corrections", item, "an entry like { date = 2026-10-14, text = \"...\" }");
                continue;
            };
            let fields = self.table("corrections", entries, &["date", "text"]);
            let date = fields.get("date").and_then(|n| Some((self.date("corrections.date", n)?, n.pos)));
            let text = fields.get("text").and_then(|n| self.text("corrections.text", n));
            match (date, text) {
                (Some((date, pos)), Some(text)) => out.push(RawCorrection { date, text, pos }),
                _ => self.problem(item.pos, "corrections: each entry needs a `date` and a `text`".into()),
            }
        }
        out
    }

    fn extra(&mut self, node: &Node) -> serde_json::Map<String, serde_json::Value> {
        match node.value.to_json() {
            serde_json::Value::Object(map) => map,
            serde_json::Value::Null => serde_json::Map::new(),
            _ => {
                self.wrong("extra", node, "a table of your own fields");
                serde_json::Map::new()
            }
        }
    }
}

/// The entries of the front matter's top level, or a problem when it is
/// not a table.
fn top_level(root: &Node, problems: &mut Vec<Problem>) -> Vec<(Key, Node)> {
    match &root.value {
        Value::Table(entries) => entries.clone(),
        Value::Null => Vec::new(),
        other => {
            let message =
                format!("front matter: expected fields like `title: ...`, one per line, found {}", other.describe());
            problems.push(Problem::new(root.pos.line, root.pos.column, message));
            Vec::new()
        }
    }
}

/// Maps an article's front matter; every problem is returned, none stops
/// the others from being found.
pub fn article(root: &Node, unknown: UnknownFields) -> (RawArticle, Vec<Problem>) {
    let mut problems = Vec::new();
    let entries = top_level(root, &mut problems);
    let mut raw = RawArticle::default();
    // The key that set each single-valued field, to name both in a conflict.
    let mut given: HashMap<&'static str, &Key> = HashMap::new();
    let mut reader = Reader { problems: &mut problems, unknown };
    for (key, node) in &entries {
        let name = key.name.as_str();
        let Some(field) = canonical(name) else {
            if IGNORED.contains(&name) {
                continue;
            }
            match unknown {
                UnknownFields::Error => reader.problem(key.pos, unknown_message(name, &known_article_names())),
                UnknownFields::Extra => {
                    raw.extra.entry(name.to_string()).or_insert_with(|| node.value.to_json());
                    raw.kept_unknown.push(name.to_string());
                }
            }
            continue;
        };
        let merged = MERGED.iter().any(|(s, _)| *s == name) || matches!(field, "tags" | "aliases");
        if !merged {
            if let Some(first) = given.get(field) {
                let message = format!(
                    "`{name}` and `{}` (line {}) both give the article's `{field}`: keep one",
                    first.name, first.pos.line
                );
                reader.problem(key.pos, message);
                continue;
            }
            given.insert(field, key);
        }
        raw.positions.entry(field).or_insert(node.pos);
        set_field(&mut raw, &mut reader, field, key, node);
    }
    problems.sort_by_key(|p| (p.line, p.column));
    (raw, problems)
}

/// The fields of a live blog's update (`<bundle>/updates/*.md`).
pub const UPDATE_FIELDS: &[&str] = &["time", "title", "authors", "pinned", "key"];

/// Reads an update's front matter.
pub fn update(root: &Node) -> (crate::content::frontmatter::RawUpdate, Vec<Problem>) {
    let mut problems = Vec::new();
    let entries = top_level(root, &mut problems);
    let mut raw = crate::content::frontmatter::RawUpdate::default();
    let mut reader = Reader { problems: &mut problems, unknown: UnknownFields::Error };
    for (key, node) in &entries {
        let name = key.name.as_str();
        match name {
            "time" => {
                raw.time = reader.date(name, node);
                raw.time_pos = Some(node.pos);
            }
            "title" => raw.title = reader.text(name, node),
            "authors" | "author" => raw.authors = reader.names(name, node, "[\"Dana Ruiz\"]"),
            "pinned" => raw.pinned = reader.flag(name, node).unwrap_or(false),
            "key" => raw.key = reader.flag(name, node).unwrap_or(false),
            _ => {
                let message = match suggest(name, UPDATE_FIELDS) {
                    Some(k) => format!("unknown field `{name}` in a live update: did you mean `{k}`?"),
                    None => format!("unknown field `{name}` in a live update: expected {}", UPDATE_FIELDS.join(", ")),
                };
                reader.problem(key.pos, message);
            }
        }
    }
    problems.sort_by_key(|p| (p.line, p.column));
    (raw, problems)
}

fn known_article_names() -> Vec<&'static str> {
    ARTICLE_FIELDS.iter().copied().chain(SYNONYMS.iter().chain(MERGED).map(|(s, _)| *s)).collect()
}

fn set_field(raw: &mut RawArticle, r: &mut Reader<'_>, field: &'static str, key: &Key, node: &Node) {
    let name = key.name.as_str();
    match field {
        "title" => raw.title = r.text(name, node),
        "date" => raw.date = r.date(name, node),
        "updated" => raw.updated = r.date(name, node),
        "expires" => raw.expires = r.date(name, node),
        "slug" => raw.slug = r.text(name, node),
        "summary" => raw.summary = r.text(name, node),
        "dateline" => raw.dateline = r.text(name, node),
        "translation_key" => raw.translation_key = r.text(name, node),
        "authors" => raw.authors = r.names(name, node, "[\"Dana Ruiz\"]"),
        "tags" => raw.tags.extend(r.names(name, node, "[\"ferry\", \"port\"]")),
        "image" => raw.image = r.image(name, node),
        "source" => raw.source = r.source(node),
        "draft" if name == "published" => raw.draft = r.flag(name, node).is_some_and(|published| !published),
        "draft" => raw.draft = r.flag(name, node).unwrap_or(false),
        "featured" => raw.featured = r.flag(name, node).unwrap_or(false),
        "search" => raw.search = r.flag(name, node),
        "live" => raw.live = r.flag(name, node).unwrap_or(false),
        "coverage_end" => raw.coverage_end = r.date(name, node),
        "series" => raw.series = r.text(name, node),
        "series_order" => match node.value {
            Value::Int(i) if i > 0 => raw.series_order = Some(i),
            _ => r.wrong(name, node, "a part number like 2"),
        },
        "aliases" => {
            if name == "path"
                && let Value::Str(path) = &node.value
            {
                raw.path_date = date_in_path(path);
            }
            raw.aliases.extend(old_urls(r, name, node))
        }
        "corrections" => raw.corrections = r.corrections(node),
        "extra" => raw.extra.extend(r.extra(node)),
        _ => {}
    }
}

/// Old URLs from `aliases`/`redirect_from` (lists or one) and from a post's
/// own `permalink`/`url`/`path` (Jekyll, Hugo, Zola). A permalink *pattern*
/// (`pretty`, `/:categories/:title/`) names no URL and is let through.
fn old_urls(r: &mut Reader<'_>, name: &str, node: &Node) -> Vec<String> {
    let own = matches!(name, "permalink" | "url" | "path");
    let urls = r.names(name, node, "[\"/old/url/\"]");
    if !own {
        return urls;
    }
    urls.into_iter()
        // Read from the site's root whether written `/2019/x/` or `2019/x/`.
        .filter(|u| !u.contains(':') && !u.trim().is_empty() && (u.contains('/') || name == "path"))
        .collect()
}

/// The date in a Zola `path` such as `2019/03/22/slug` or
/// `inside-rust/2019/03/22/slug`, as `YYYY-MM-DD`.
fn date_in_path(path: &str) -> Option<String> {
    let parts: Vec<&str> = path.split('/').collect();
    parts
        .windows(3)
        .find_map(|w| broadsheet_base::date::from_file_name(&format!("{}-{}-{}", w[0], w[1], w[2])).map(|(d, _)| d))
}

/// Maps a section's `_index.md` front matter (`weight` is Hugo's `order`).
pub fn section(root: &Node, unknown: UnknownFields) -> (RawSection, Vec<Problem>) {
    const KNOWN: &[&str] = &["title", "description", "order", "extra"];
    let mut problems = Vec::new();
    let entries = top_level(root, &mut problems);
    let mut raw = RawSection::default();
    let mut reader = Reader { problems: &mut problems, unknown };
    for (key, node) in &entries {
        match key.name.as_str() {
            "title" => raw.title = reader.text("title", node),
            "description" | "summary" => raw.description = reader.text(&key.name, node).unwrap_or_default(),
            "order" | "weight" => match node.value {
                Value::Int(i) => raw.order = Some(i),
                _ => reader.wrong(&key.name, node, "a whole number like 1"),
            },
            "extra" => raw.extra.extend(reader.extra(node)),
            name if IGNORED.contains(&name) || SECTION_IGNORED.contains(&name) => {}
            name => match unknown {
                UnknownFields::Error => reader.problem(key.pos, unknown_message(name, KNOWN)),
                UnknownFields::Extra => {
                    raw.extra.entry(name.to_string()).or_insert_with(|| node.value.to_json());
                }
            },
        }
    }
    (raw, problems)
}

/// Keys of Hugo's and Zola's section files about listing and rendering.
const SECTION_IGNORED: &[&str] = &[
    "sort_by",
    "paginate_by",
    "paginate_path",
    "page_template",
    "transparent",
    "cascade",
    "generate_feed",
    "generate_feeds",
    "render",
    "redirect_to",
    "aliases",
    "draft",
    "date",
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::tree;

    fn yaml(text: &str) -> (RawArticle, Vec<Problem>) {
        article(&tree::from_yaml(text, 2).unwrap(), UnknownFields::Error)
    }

    fn toml(text: &str) -> (RawArticle, Vec<Problem>) {
        article(&tree::from_toml(text, 2).unwrap(), UnknownFields::Error)
    }

    fn messages(problems: &[Problem]) -> Vec<String> {
        problems.iter().map(|p| format!("{}:{} {}", p.line, p.column, p.message)).collect()
    }

    #[test]
    fn jekyll_spellings_are_synonyms() {
        let (raw, problems) = yaml(
            "layout: post\ntitle: T\nexcerpt: Short\nauthor: Dana Ruiz\ncategories: [city, budget]\ntags: ferry\nredirect_from: /old/\npublished: false\nimage: a.png\nlast_modified_at: 2016-01-02\n",
        );
        assert_eq!(messages(&problems), Vec::<String>::new());
        assert_eq!(raw.summary.as_deref(), Some("Short"));
        assert_eq!(raw.authors, ["Dana Ruiz"]);
        assert_eq!(raw.tags, ["city", "budget", "ferry"]);
        assert_eq!(raw.aliases, ["/old/"]);
        assert!(raw.draft);
        assert_eq!(raw.image.unwrap().src, "a.png");
        assert_eq!(raw.updated, Some(DateInput("2016-01-02".into())));
    }

    #[test]
    fn hugo_and_zola_spellings_are_synonyms() {
        let (raw, problems) = toml(
            "title = \"T\"\ndescription = \"D\"\nlastmod = 2023-06-02\nexpiryDate = 2030-01-01\nlinkTitle = \"x\"\nweight = 3\npath = \"2019/03/22/meetup\"\nfeatured_image = \"s.png\"\n",
        );
        assert_eq!(messages(&problems), Vec::<String>::new());
        assert_eq!(raw.summary.as_deref(), Some("D"));
        assert_eq!(raw.expires, Some(DateInput("2030-01-01".into())));
        assert_eq!(raw.aliases, ["2019/03/22/meetup"], "an old URL, read from the root");
        assert_eq!(raw.image.unwrap().src, "s.png");
    }

    #[test]
    fn zola_paths_give_a_date() {
        let (raw, _) = toml("title = \"T\"\npath = \"inside-rust/2019/03/22/meetup\"\n");
        assert_eq!(raw.path_date.as_deref(), Some("2019-03-22"));
    }

    #[test]
    fn jekyll_theme_image_tables() {
        let (raw, problems) = yaml("title: T\nimage:\n  path: &i /a.jpg\n  feature: *i\n  width: 10\n");
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(raw.image.unwrap().src, "/a.jpg");
    }

    #[test]
    fn permalink_patterns_are_not_aliases() {
        let (raw, _) = yaml("title: T\npermalink: pretty\n");
        assert!(raw.aliases.is_empty());
        let (raw, _) = yaml("title: T\npermalink: /:categories/:title/\n");
        assert!(raw.aliases.is_empty());
        let (raw, _) = yaml("title: T\npermalink: /about-us/\n");
        assert_eq!(raw.aliases, ["/about-us/"]);
    }

    #[test]
    fn a_field_and_its_synonym_conflict() {
        let (_, problems) = yaml("title: T\nsummary: A\ndescription: B\n");
        assert_eq!(
            messages(&problems),
            ["4:1 `description` and `summary` (line 3) both give the article's `summary`: keep one"]
        );
    }

    #[test]
    fn every_bad_field_has_its_own_problem() {
        let (_, problems) =
            toml("title = \"T\"\nimage = [\"a.png\"]\ndraft = \"yes\"\nsumary = \"x\"\ntags = { a = 1 }\n");
        assert_eq!(
            messages(&problems),
            [
                "3:9 image: expected a table like { src = \"...\", alt = \"...\" } or a path string, found a list",
                "4:9 draft: expected true or false, found \"yes\"",
                "5:1 unknown field `sumary`: did you mean `summary`?",
                "6:8 tags: expected a list of names like [\"ferry\", \"port\"] or one name, found a table",
            ]
        );
    }

    #[test]
    fn suggestions_keep_their_meaning() {
        let known = known_article_names();
        assert_eq!(suggest("titel", &known), Some("title"));
        assert_eq!(suggest("data_file", &known), None);
        assert_eq!(suggest("image_alt", &known), None);
        assert_eq!(suggest("byline", &known), Some("authors"));
        assert_eq!(suggest("tag", &known), Some("tags"));
    }

    #[test]
    fn unknown_fields_can_be_kept_in_extra() {
        let root = tree::from_yaml("title: T\nfoo: 1\n", 2).unwrap();
        let (raw, problems) = article(&root, UnknownFields::Extra);
        assert!(problems.is_empty());
        assert_eq!(raw.extra["foo"], serde_json::json!(1));
        assert_eq!(raw.kept_unknown, ["foo"]);
    }

    #[test]
    fn empty_values_are_absent() {
        let (raw, problems) = yaml("title: T\nexcerpt:\ntags:\nlastmod:\n");
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!((raw.summary, raw.tags.len(), raw.updated), (None, 0, None));
    }

    #[test]
    fn sections_take_hugo_keys() {
        let root = tree::from_toml("title = \"Blog\"\nweight = 2\nlinkTitle = \"B\"\n[cascade]\nx = 1\n", 2).unwrap();
        let (raw, problems) = section(&root, UnknownFields::Error);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!((raw.title.as_deref(), raw.order), (Some("Blog"), Some(2)));
    }
}
