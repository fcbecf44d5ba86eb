//! Problems found in a site's files, as data: a path relative to the site
//! root, a 1-based line and column, a severity and a message that says what
//! was expected. Loading and rendering return these instead of failing, so one
//! run reports every problem. This module only describes and formats them; it
//! never prints.

use std::fmt;
use std::path::{Path, PathBuf};

/// How bad a problem is. Errors sort before warnings at the same place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The build refuses the site: it fails and leaves the output as it was.
    Error,
    /// Worth fixing, but the build goes on.
    Warning,
}

/// One problem at one place in a site's files. Sorts by path, then line,
/// column and severity, which is the order they are reported in.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// The file, relative to the site root when it is inside it.
    pub path: PathBuf,
    /// 1-based line (the constructors take 0 as 1).
    pub line: usize,
    /// 1-based column, in characters (the constructors take 0 as 1).
    pub column: usize,
    /// Whether it stops the build.
    pub severity: Severity,
    /// What is wrong and what was expected; shown after `error: ` or
    /// `warning: `.
    pub message: String,
}

impl Diagnostic {
    /// An error at `line` and `column` of `path` (0 is taken as 1).
    pub fn error(path: impl Into<PathBuf>, line: usize, column: usize, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, path.into(), line, column, message.into())
    }

    /// A warning at `line` and `column` of `path` (0 is taken as 1).
    pub fn warning(path: impl Into<PathBuf>, line: usize, column: usize, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, path.into(), line, column, message.into())
    }

    fn new(severity: Severity, path: PathBuf, line: usize, column: usize, message: String) -> Self {
        Self { path, line: line.max(1), column: column.max(1), severity, message }
    }

    /// Whether it stops the build.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let path = self.path.display().to_string().replace('\\', "/");
        write!(f, "{path}:{}:{}: {kind}: {}", self.line, self.column, self.message)
    }
}

/// 1-based line and column (in characters) of a byte offset in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// The largest character boundary of `text` at or before `offset`.
pub fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// The closest of `known` to `word`, when it is close enough to be a likely typo.
pub fn closest<'a>(word: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    known
        .into_iter()
        .map(|k| (strsim::jaro_winkler(word, k), k))
        .filter(|(score, _)| *score > 0.75)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

/// Rewrites serde's "unknown field `x`, expected one of `a`, `b`" into a
/// message that names the closest known field (taken from serde's own list),
/// and leaves other messages as they are.
pub fn explain_serde_message(message: &str) -> String {
    let message = message.trim();
    let Some(rest) = message.strip_prefix("unknown field `") else {
        return message.to_string();
    };
    let Some((field, expected)) = rest.split_once('`') else {
        return message.to_string();
    };
    // serde writes "expected one of `a`, `b`"; serde-saphyr "expected one of a, b".
    let expected = expected.trim_start_matches(',').trim();
    let names = expected.strip_prefix("expected one of ").or_else(|| expected.strip_prefix("expected "));
    let known: Vec<&str> = names.map_or_else(Vec::new, |n| n.split(", ").map(|k| k.trim_matches('`')).collect());
    match closest(field, known.iter().copied()) {
        Some(k) => format!("unknown field `{field}`: did you mean `{k}`?"),
        None if known.is_empty() => format!("unknown field `{field}`: this table takes no fields"),
        None => format!("unknown field `{field}`: expected one of {}", list(&known)),
    }
}

fn list(known: &[&str]) -> String {
    known.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
}

/// "1 article", "2 articles": a count with its noun.
pub fn plural(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

/// A path shown relative to the site root when it is inside it.
pub fn relative(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

/// Line and column of the value of a top-level `key = ...` (TOML) or
/// `key: ...` (YAML) line, or 1:1 when there is none. Serde forgets where a
/// value came from; this finds it again for messages about valid syntax
/// with a wrong meaning (a date that does not exist, a slug that is empty).
pub fn key_position(text: &str, key: &str) -> Option<(usize, usize)> {
    text.lines().enumerate().find_map(|(i, line)| {
        let rest = line.strip_prefix(key)?.trim_start();
        let value = rest.strip_prefix('=').or_else(|| rest.strip_prefix(':'))?.trim_start();
        Some((i + 1, line.chars().count() - value.chars().count() + 1))
    })
}

/// Names people write for a field of another name, suggested by meaning
/// rather than by spelling.
const MEANINGS: &[(&str, &str)] = &[
    ("byline", "authors"),
    ("writer", "authors"),
    ("headline", "title"),
    ("subtitle", "summary"),
    ("dek", "summary"),
    ("standfirst", "summary"),
    ("abstract", "summary"),
    ("teaser", "summary"),
    ("publishDate", "date"),
    ("pubDate", "date"),
    ("published_at", "date"),
    ("publish_date", "date"),
    ("updated_at", "updated"),
    ("expiry_date", "expires"),
    ("label", "tags"),
    ("labels", "tags"),
    ("keyword", "tags"),
];

/// A known name close to `word`, by meaning first, then by spelling: a
/// spelling suggestion needs a small edit distance and a similar length,
/// so `data_file` never becomes `dateline` nor `image_alt` `image`.
pub fn suggest<'a>(word: &str, known: &[&'a str]) -> Option<&'a str> {
    if let Some((_, meant)) = MEANINGS.iter().find(|(w, _)| w.eq_ignore_ascii_case(word)) {
        return known.iter().copied().find(|k| k == meant);
    }
    let lower = word.to_lowercase();
    let allowed = if lower.chars().count() <= 5 { 1 } else { 2 };
    known
        .iter()
        .copied()
        .map(|k| (strsim::damerau_levenshtein(&lower, &k.to_lowercase()), k))
        .filter(|(d, k)| *d <= allowed && k.chars().count().abs_diff(lower.chars().count()) <= allowed)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// A message for a key Broadsheet does not know.
pub fn unknown_message(key: &str, known: &[&str]) -> String {
    match suggest(key, known) {
        Some(k) => format!("unknown field `{key}`: did you mean `{k}`?"),
        None => format!(
            "unknown field `{key}`: not a Broadsheet field (keep your own fields under `extra`, or set `[content] unknown_fields = \"extra\"` in site.toml)"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_a_compiler() {
        let d = Diagnostic::error("content/world/x.md", 3, 7, "expected a date");
        assert_eq!(d.to_string(), "content/world/x.md:3:7: error: expected a date");
    }

    #[test]
    fn line_col_counts_characters() {
        assert_eq!(line_col("ab\ncé d", 7), (2, 4));
        assert_eq!(line_col("abc", 0), (1, 1));
    }

    #[test]
    fn suggests_closest_field() {
        let msg = explain_serde_message("unknown field `titel`, expected one of `title`, `date`");
        assert_eq!(msg, "unknown field `titel`: did you mean `title`?");
    }

    #[test]
    fn reads_unquoted_field_lists() {
        let msg = explain_serde_message("unknown field `sumary`, expected one of title, summary");
        assert_eq!(msg, "unknown field `sumary`: did you mean `summary`?");
    }

    #[test]
    fn lists_fields_when_nothing_is_close() {
        let msg = explain_serde_message("unknown field `zzz`, expected one of `title`, `date`");
        assert_eq!(msg, "unknown field `zzz`: expected one of `title`, `date`");
    }
}
