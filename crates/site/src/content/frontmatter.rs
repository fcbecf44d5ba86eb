//! Splitting a file into front matter and body, and parsing the front matter
//! (TOML between `+++` lines or YAML between `---` lines) into a positioned
//! tree; the raw field types `fields` maps that tree into.
//! Nothing here knows about sites or URLs; positions are reported as lines
//! and columns of the whole file.

use std::collections::HashMap;

use super::tree::{self, Node, Pos};
use broadsheet_base::date::DateInput;

/// The syntax of a file's front matter, told by its first line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// TOML, between `+++` lines (Hugo, Zola).
    Toml,
    /// YAML, between `---` lines (Jekyll, Hugo, most editors).
    Yaml,
}

/// A file cut in two. Lines are 1-based lines of the whole file.
#[derive(Debug, PartialEq, Eq)]
pub struct Split<'a> {
    /// Which syntax the front matter is in.
    pub format: Format,
    /// The front matter's text, between the delimiter lines (without them).
    pub front: &'a str,
    /// Line of the file on which `front` starts.
    pub front_line: usize,
    /// Everything after the closing delimiter line: the Markdown (or HTML)
    /// body.
    pub body: &'a str,
}

/// A problem at a position in the file.
#[derive(Debug, PartialEq, Eq)]
pub struct Problem {
    /// 1-based line in the whole file.
    pub line: usize,
    /// 1-based column in that line.
    pub column: usize,
    /// What is wrong, in a writer's words.
    pub message: String,
}

impl Problem {
    /// A problem at `line` and `column` (1-based, in the whole file).
    pub fn new(line: usize, column: usize, message: impl Into<String>) -> Self {
        Problem { line, column, message: message.into() }
    }
}

/// Cuts `text` at its front matter delimiters. The opening delimiter must be
/// the first line; CRLF line endings are accepted.
pub fn split(text: &str) -> Result<Split<'_>, Problem> {
    let first = text.split_inclusive('\n').next().unwrap_or("");
    let (format, delimiter) = match first.trim_end() {
        "+++" => (Format::Toml, "+++"),
        "---" => (Format::Yaml, "---"),
        _ => {
            return Err(Problem::new(
                1,
                1,
                "expected front matter: the file must start with a `+++` line (TOML) or a `---` line (YAML)",
            ));
        }
    };
    let front_start = first.len();
    let rest = &text[front_start..];
    if let Some((front, body)) = broadsheet_base::front::closing(rest, &[delimiter]) {
        return Ok(Split { format, front: &rest[..front], front_line: 2, body: &rest[body..] });
    }
    Err(Problem::new(
        1,
        1,
        format!(
            "front matter opened with `{delimiter}` on line 1 is never closed: expected a line with only `{delimiter}`"
        ),
    ))
}

/// Parses front matter into a tree of values that remember their positions.
pub fn parse(split: &Split<'_>) -> Result<Node, Problem> {
    let parsed = match split.format {
        Format::Toml => tree::from_toml(split.front, split.front_line),
        Format::Yaml => tree::from_yaml(split.front, split.front_line),
    };
    parsed.map_err(|e| Problem::new(e.pos.line, e.pos.column, e.message))
}

/// An article's front matter, mapped from what was written (see `fields`).
#[derive(Debug, Default)]
pub struct RawArticle {
    /// `title`, as text (a number or a boolean too); `None` when absent or
    /// given no value.
    pub title: Option<String>,
    /// `date`, as written; `check` reads it in the site's timezone.
    pub date: Option<DateInput>,
    /// `updated` (or `lastmod`, `last_modified_at`, `modified`), as written.
    pub updated: Option<DateInput>,
    /// `expires` (or Hugo's `expiryDate`), as written.
    pub expires: Option<DateInput>,
    /// `slug`, as written; `check` makes it URL-safe.
    pub slug: Option<String>,
    /// `summary` (or `description`, `excerpt`): the dek, in Markdown.
    pub summary: Option<String>,
    /// `authors` (or `author`): one name or a list, as written.
    pub authors: Vec<String>,
    /// `tags`, with every `categories` and `category` added, in the order
    /// written.
    pub tags: Vec<String>,
    /// `image` (or `featured_image`, `cover`, `thumbnail`); `None` when absent,
    /// refused, or its source is empty.
    pub image: Option<RawImage>,
    /// `source`; `None` when absent or refused (no `name`).
    pub source: Option<RawSource>,
    /// `draft`, or the opposite of `published`; `false` when absent.
    pub draft: bool,
    /// `featured`; `false` when absent.
    pub featured: bool,
    /// Old URLs, as written: `aliases` and `redirect_from`, and a post's own
    /// `permalink`, `url` or `path` (a permalink pattern left out).
    pub aliases: Vec<String>,
    /// `corrections`: the entries that have both a `date` and a `text`.
    pub corrections: Vec<RawCorrection>,
    /// `dateline`, as written.
    pub dateline: Option<String>,
    /// Links translations whose files are not at the same place.
    pub translation_key: Option<String>,
    /// Whether it is in the search index (articles are unless `false`,
    /// standalone pages are not unless `true`).
    pub search: Option<bool>,
    /// The series it is a part of (its slug), and which part.
    pub series: Option<String>,
    /// `series_order`: a part number, 1 or more.
    pub series_order: Option<i64>,
    /// A live blog: its updates are the files of `<bundle>/updates/`.
    pub live: bool,
    /// `coverage_end`: when a live blog's coverage ends, as written.
    pub coverage_end: Option<DateInput>,
    /// The `extra` table, and the fields Broadsheet does not know when
    /// `unknown_fields = "extra"` (a key of `extra` wins over a field of the
    /// same name).
    pub extra: serde_json::Map<String, serde_json::Value>,
    /// Where the value of each of Broadsheet's fields was written (under
    /// whichever spelling), also when it was refused.
    pub positions: HashMap<&'static str, Pos>,
    /// The date in a Zola `path` (`2019/03/22/slug`), for an article
    /// with no other date.
    pub path_date: Option<String>,
    /// Fields Broadsheet does not know, kept under `extra`
    /// (`unknown_fields = "extra"`).
    pub kept_unknown: Vec<String>,
}

/// A live blog update's front matter.
#[derive(Debug, Default)]
pub struct RawUpdate {
    /// `time`, as written: when the update was posted (`check` says when it is
    /// missing).
    pub time: Option<DateInput>,
    /// Where `time` was written, for its problems; `None` when absent.
    pub time_pos: Option<Pos>,
    /// `title`; `None` when absent.
    pub title: Option<String>,
    /// `authors` (or `author`): one name or a list, as written.
    pub authors: Vec<String>,
    /// `pinned`; `false` when absent.
    pub pinned: bool,
    /// `key` (a key event); `false` when absent.
    pub key: bool,
}

/// `image` as written: a path string, or a table.
#[derive(Debug)]
pub struct RawImage {
    /// The picture's path or address: the string itself, or the table's `src`
    /// (or Jekyll themes' `path`, `feature`, `url`); never empty.
    pub src: String,
    /// `alt`; `None` when not written (a path string has none).
    pub alt: Option<String>,
    /// `caption`; `None` when not written.
    pub caption: Option<String>,
    /// `credit`; `None` when not written.
    pub credit: Option<String>,
    /// Where crops centre, as fractions across and down.
    pub focus: Option<(f64, f64)>,
}

/// `source` as written: the original publisher of syndicated copy.
#[derive(Debug)]
pub struct RawSource {
    /// `source.name` (required: without it there is no source).
    pub name: String,
    /// `source.url`, already checked against the URL policy; `None` when absent
    /// or refused.
    pub url: Option<String>,
}

/// One entry of `corrections`, as written.
#[derive(Debug)]
pub struct RawCorrection {
    /// `date`, as written; `check` reads it in the site's timezone.
    pub date: DateInput,
    /// `text`: the correction, as written.
    pub text: String,
    /// Where the date was written.
    pub pos: Pos,
}

/// A section's `_index.md` front matter.
#[derive(Debug, Default)]
pub struct RawSection {
    /// `title`; `None` when absent (the folder's name stands in).
    pub title: Option<String>,
    /// `description` (or `summary`); empty when absent.
    pub description: String,
    /// `order` (or Hugo's `weight`): any whole number, lower first.
    pub order: Option<i64>,
    /// The `extra` table, and the fields Broadsheet does not know when
    /// `unknown_fields = "extra"`.
    pub extra: serde_json::Map<String, serde_json::Value>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first problem of an article's front matter, syntax or field.
    fn first_problem(text: &str) -> Problem {
        let tree = match parse(&split(text).unwrap()) {
            Ok(tree) => tree,
            Err(p) => return p,
        };
        let (_, problems) = super::super::fields::article(&tree, Default::default());
        problems.into_iter().next().expect("a problem")
    }

    #[test]
    fn splits_toml() {
        let s = split("+++\ntitle = \"a\"\n+++\nbody\n").unwrap();
        assert_eq!((s.format, s.front, s.body), (Format::Toml, "title = \"a\"\n", "body\n"));
    }

    #[test]
    fn splits_yaml_with_crlf() {
        let s = split("---\r\ntitle: a\r\n---\r\nbody").unwrap();
        assert_eq!((s.format, s.front, s.body), (Format::Yaml, "title: a\r\n", "body"));
    }

    #[test]
    fn empty_front_matter_is_allowed_to_split() {
        let s = split("+++\n+++\n").unwrap();
        assert_eq!((s.front, s.body), ("", ""));
    }

    #[test]
    fn missing_front_matter() {
        let e = split("# Just markdown\n").unwrap_err();
        assert_eq!((e.line, e.column), (1, 1));
        assert!(e.message.contains("`+++`"));
    }

    #[test]
    fn unterminated_front_matter() {
        let e = split("+++\ntitle = \"a\"\nbody\n").unwrap_err();
        assert!(e.message.contains("never closed"), "{}", e.message);
    }

    #[test]
    fn toml_errors_are_positioned_in_the_file() {
        let text = "+++\ntitle = \"a\"\ndate = 2024-01-01\ntitel = \"b\"\n+++\n";
        let e = first_problem(text);
        assert_eq!((e.line, e.column), (4, 1));
        assert_eq!(e.message, "unknown field `titel`: did you mean `title`?");
    }

    #[test]
    fn yaml_errors_are_positioned_in_the_file() {
        let text = "---\ntitle: a\ntags: [unclosed\n---\n";
        let e = first_problem(text);
        assert!(e.line >= 3, "line {} message {}", e.line, e.message);
    }

    #[test]
    fn yaml_alias_bombs_and_deep_nesting_are_refused() {
        let mut bomb = String::from("---\ntitle: x\nextra:\n  a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (name, prev) in
            ["b", "c", "d", "e", "f", "g", "h", "i"].iter().zip(["a", "b", "c", "d", "e", "f", "g", "h"])
        {
            bomb.push_str(&format!(
                "  {name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
            ));
        }
        bomb.push_str("---\n");
        let e = first_problem(&bomb);
        assert!(e.message.contains("far too much data"), "{}", e.message);
        let deep = format!("---\ntitle: x\nextra: {{d: {}{}}}\n---\n", "[".repeat(5000), "]".repeat(5000));
        let e = first_problem(&deep);
        assert!(e.message.contains("nested too deeply"), "{}", e.message);
    }

    #[test]
    fn yaml_unknown_field() {
        let text = "---\ntitle: a\nsumary: b\n---\n";
        let e = first_problem(text);
        assert_eq!(e.line, 3);
        assert!(e.message.contains("did you mean `summary`"), "{}", e.message);
    }
}
