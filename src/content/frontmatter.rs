//! Splitting a file into front matter and body, and parsing the front matter
//! (TOML between `+++` lines or YAML between `---` lines) into raw fields.
//! Nothing here knows about sites or URLs; positions are reported as lines
//! and columns of the whole file.

use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::date::DateInput;
use crate::diagnostic::{explain_serde_message, line_col};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Toml,
    Yaml,
}

/// A file cut in two. Lines are 1-based lines of the whole file.
#[derive(Debug, PartialEq, Eq)]
pub struct Split<'a> {
    pub format: Format,
    pub front: &'a str,
    /// Line of the file on which `front` starts.
    pub front_line: usize,
    pub body: &'a str,
}

/// A problem at a position in the file.
#[derive(Debug, PartialEq, Eq)]
pub struct Problem {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl Problem {
    pub fn new(line: usize, column: usize, message: impl Into<String>) -> Self {
        Problem { line, column, message: message.into() }
    }
}

/// Cuts `text` at its front matter delimiters. The opening delimiter must be
/// the first line; CRLF line endings are accepted.
pub fn split(text: &str) -> Result<Split<'_>, Problem> {
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
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
    let mut offset = front_start;
    for line in lines {
        if line.trim_end() == delimiter {
            return Ok(Split {
                format,
                front: &text[front_start..offset],
                front_line: 2,
                body: &text[offset + line.len()..],
            });
        }
        offset += line.len();
    }
    Err(Problem::new(
        1,
        1,
        format!(
            "front matter opened with `{delimiter}` on line 1 is never closed: expected a line with only `{delimiter}`"
        ),
    ))
}

/// Deserialises front matter into `T`, naming the closest known field for an
/// unknown one.
pub fn parse<T: DeserializeOwned>(split: &Split<'_>) -> Result<T, Problem> {
    match split.format {
        Format::Toml => toml::from_str(split.front).map_err(|e| {
            let (line, column) = e.span().map_or((1, 1), |s| line_col(split.front, s.start));
            let message = explain_serde_message(e.message());
            Problem::new(line + split.front_line - 1, column, message)
        }),
        Format::Yaml => serde_saphyr::from_str(split.front).map_err(|e| {
            let (line, column) = e.location().map_or((1, 1), |l| (l.line() as usize, l.column() as usize));
            let message = explain_serde_message(&yaml_message(&e));
            Problem::new(line + split.front_line - 1, column, message)
        }),
    }
}

/// The first line of serde-saphyr's message, without its source snippet.
fn yaml_message(e: &serde_saphyr::Error) -> String {
    let text = e.without_snippet().to_string();
    let first = text.lines().next().unwrap_or("invalid YAML").trim();
    // The parser's safety limits, said in a writer's words.
    if first.starts_with("budget breached") {
        return "the YAML expands to far too much data (aliases repeating aliases?): refusing to expand it".into();
    }
    if first.starts_with("recursion limit exceeded") {
        return "the YAML is nested too deeply: refusing to read it".into();
    }
    // "... at line 3, column 5" duplicates what we print in front.
    match first.rfind(" at line ") {
        Some(i) => first[..i].to_string(),
        None => first.to_string(),
    }
}

/// An article's front matter as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawArticle {
    pub title: Option<String>,
    pub date: Option<DateInput>,
    pub updated: Option<DateInput>,
    pub expires: Option<DateInput>,
    pub slug: Option<String>,
    pub summary: Option<String>,
    #[serde(default)]
    pub authors: Vec<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    pub image: Option<RawImage>,
    pub source: Option<RawSource>,
    #[serde(default)]
    pub draft: bool,
    #[serde(default)]
    pub featured: bool,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub corrections: Vec<RawCorrection>,
    pub dateline: Option<String>,
    #[serde(default)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawImage {
    pub src: String,
    #[serde(default)]
    pub alt: Option<String>,
    #[serde(default)]
    pub caption: Option<String>,
    #[serde(default)]
    pub credit: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSource {
    pub name: String,
    pub url: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCorrection {
    pub date: DateInput,
    pub text: String,
}

/// A section's `_index.md` front matter.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSection {
    pub title: Option<String>,
    #[serde(default)]
    pub description: String,
    pub order: Option<i64>,
    #[serde(default)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let e = parse::<RawArticle>(&split(text).unwrap()).unwrap_err();
        assert_eq!((e.line, e.column), (4, 1));
        assert_eq!(e.message, "unknown field `titel`: did you mean `title`?");
    }

    #[test]
    fn yaml_errors_are_positioned_in_the_file() {
        let text = "---\ntitle: a\ntags: [unclosed\n---\n";
        let e = parse::<RawArticle>(&split(text).unwrap()).unwrap_err();
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
        let e = parse::<RawArticle>(&split(&bomb).unwrap()).unwrap_err();
        assert!(e.message.contains("far too much data"), "{}", e.message);
        let deep = format!("---\ntitle: x\nextra: {{d: {}{}}}\n---\n", "[".repeat(5000), "]".repeat(5000));
        let e = parse::<RawArticle>(&split(&deep).unwrap()).unwrap_err();
        assert!(e.message.contains("nested too deeply"), "{}", e.message);
    }

    #[test]
    fn yaml_unknown_field() {
        let text = "---\ntitle: a\nsumary: b\n---\n";
        let e = parse::<RawArticle>(&split(text).unwrap()).unwrap_err();
        assert_eq!(e.line, 3);
        assert!(e.message.contains("did you mean `summary`"), "{}", e.message);
    }
}
