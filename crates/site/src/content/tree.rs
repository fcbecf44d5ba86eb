//! Front matter as a generic tree that remembers where each key and value
//! was written: TOML through `toml`'s spanned document table, YAML through
//! serde-saphyr's `Spanned`. Fields are mapped by hand from this tree (see
//! `fields`), so one file can report every bad field at its own line and
//! column, and a field can accept more than one shape. Nothing here knows
//! what a field means.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};

use broadsheet_base::diagnostic::line_col;

/// A position in the whole file: 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Pos {
    /// 1-based line in the whole file.
    pub line: usize,
    /// 1-based column in that line.
    pub column: usize,
}

/// A value and where it starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// What was written there.
    pub value: Value,
    /// Where the value starts.
    pub pos: Pos,
}

/// A key of a table and where it starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    /// The key as written (`lastmod`, not the field it stands for).
    pub name: String,
    /// Where the key starts.
    pub pos: Pos,
}

/// A front matter value, TOML's or YAML's, in one shape.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// No value: YAML's `~` or `null`, or a key with nothing after it (TOML
    /// has none).
    Null,
    /// `true` or `false` (YAML 1.2's only: `yes` and `no` stay text).
    Bool(bool),
    /// A whole number that fits in an `i64`; a larger one is kept as `Str`.
    Int(i64),
    /// A number with a fraction or an exponent.
    Float(f64),
    /// Text, as written; YAML's dates and numbers with a leading zero too.
    Str(String),
    /// A TOML date or date-time, as written.
    Date(String),
    /// A list, its items in the order written.
    List(Vec<Node>),
    /// Entries in the order written.
    Table(Vec<(Key, Node)>),
}

impl Value {
    /// What the value is, in a writer's words: `"yes"`, `a list`, `a table`.
    pub fn describe(&self) -> String {
        match self {
            Value::Null => "nothing".into(),
            Value::Bool(b) => b.to_string(),
            Value::Int(i) => i.to_string(),
            Value::Float(f) => f.to_string(),
            Value::Str(s) => format!("{:?}", clip(s)),
            Value::Date(d) => format!("the date {d}"),
            Value::List(_) => "a list".into(),
            Value::Table(_) => "a table".into(),
        }
    }

    /// The value as text when it is a scalar (numbers and booleans too: a
    /// headline may be `1984`).
    pub fn scalar_text(&self) -> Option<String> {
        match self {
            Value::Str(s) | Value::Date(s) => Some(s.clone()),
            Value::Int(i) => Some(i.to_string()),
            Value::Float(f) => Some(f.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            Value::Null | Value::List(_) | Value::Table(_) => None,
        }
    }

    /// The value as JSON, for `extra`.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match self {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Int(i) => J::from(*i),
            Value::Float(f) => serde_json::Number::from_f64(*f).map_or(J::Null, J::Number),
            Value::Str(s) | Value::Date(s) => J::String(s.clone()),
            Value::List(items) => J::Array(items.iter().map(|n| n.value.to_json()).collect()),
            Value::Table(entries) => {
                J::Object(entries.iter().map(|(k, n)| (k.name.clone(), n.value.to_json())).collect())
            }
        }
    }
}

fn clip(s: &str) -> String {
    const MAX: usize = 40;
    if s.chars().count() <= MAX { s.to_string() } else { format!("{}…", s.chars().take(MAX).collect::<String>()) }
}

/// A front matter parse error: where, and the parser's words.
#[derive(Debug, PartialEq, Eq)]
pub struct SyntaxError {
    /// Where the error is, in the whole file.
    pub pos: Pos,
    /// The parser's words (its safety limits in a writer's).
    pub message: String,
}

/// Parses TOML `text`; `first_line` is the file line `text` starts on.
pub fn from_toml(text: &str, first_line: usize) -> Result<Node, SyntaxError> {
    let at = |offset: usize| {
        let (line, column) = line_col(text, offset);
        Pos { line: line + first_line - 1, column }
    };
    match toml::de::DeTable::parse(text) {
        Ok(table) => Ok(Node { pos: at(table.span().start), value: toml_table(table.into_inner(), &at) }),
        Err(e) => {
            Err(SyntaxError { pos: at(e.span().map_or(0, |s| s.start)), message: e.message().trim().to_string() })
        }
    }
}

fn toml_table(table: toml::de::DeTable<'_>, at: &dyn Fn(usize) -> Pos) -> Value {
    let mut entries: Vec<(Key, Node)> = table
        .into_iter()
        .map(|(k, v)| {
            let key = Key { pos: at(k.span().start), name: k.into_inner().into_owned() };
            (key, toml_node(v, at))
        })
        .collect();
    entries.sort_by_key(|(k, _)| k.pos);
    Value::Table(entries)
}

fn toml_node(value: toml::Spanned<toml::de::DeValue<'_>>, at: &dyn Fn(usize) -> Pos) -> Node {
    use toml::de::DeValue;
    let pos = at(value.span().start);
    let value = match value.into_inner() {
        DeValue::String(s) => Value::Str(s.into_owned()),
        DeValue::Integer(i) => {
            let digits = i.as_str().replace('_', "");
            let digits = digits.trim_start_matches("0x").trim_start_matches("0o").trim_start_matches("0b");
            i64::from_str_radix(digits, i.radix()).map_or_else(|_| Value::Str(i.as_str().into()), Value::Int)
        }
        DeValue::Float(f) => f.as_str().replace('_', "").parse().map_or(Value::Null, Value::Float),
        DeValue::Boolean(b) => Value::Bool(b),
        DeValue::Datetime(d) => Value::Date(d.to_string()),
        DeValue::Array(items) => Value::List(items.into_iter().map(|v| toml_node(v, at)).collect()),
        DeValue::Table(t) => toml_table(t, at),
    };
    Node { value, pos }
}

/// Parses YAML `text`; `first_line` is the file line `text` starts on. An
/// empty document is an empty table.
pub fn from_yaml(text: &str, first_line: usize) -> Result<Node, SyntaxError> {
    let empty = Node { value: Value::Table(Vec::new()), pos: Pos { line: first_line, column: 1 } };
    if text.trim().is_empty() {
        return Ok(empty);
    }
    let shift = |mut node: Node| {
        shift_lines(&mut node, first_line - 1);
        node
    };
    // YAML 1.2 booleans only: a headline `No`, a tag `y` or `draft: yes`
    // must stay the text it is (and `yes` be reported, not guessed).
    let mut options = serde_saphyr::Options::default();
    options.strict_booleans = true;
    options.leading_zero_numbers_as_strings = true;
    match serde_saphyr::from_str_with_options::<YamlNode>(text, options) {
        Ok(YamlNode(node)) if node.value == Value::Null => Ok(empty),
        Ok(YamlNode(node)) => Ok(shift(node)),
        Err(e) => {
            let (line, column) = e.location().map_or((1, 1), |l| (l.line() as usize, l.column() as usize));
            Err(SyntaxError { pos: Pos { line: line + first_line - 1, column }, message: yaml_message(&e) })
        }
    }
}

fn shift_lines(node: &mut Node, by: usize) {
    node.pos.line += by;
    match &mut node.value {
        Value::List(items) => items.iter_mut().for_each(|n| shift_lines(n, by)),
        Value::Table(entries) => entries.iter_mut().for_each(|(k, n)| {
            k.pos.line += by;
            shift_lines(n, by);
        }),
        _ => {}
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
    let first = first.rfind(" at line ").map_or(first, |i| &first[..i]);
    // Advice meant for the program, not the writer.
    first.trim_end_matches(", set DuplicateKeyPolicy in Options if acceptable").to_string()
}

/// A YAML node with its position (serde-saphyr fills `Spanned` for us).
struct YamlNode(Node);

impl<'de> Deserialize<'de> for YamlNode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let spanned = serde_saphyr::Spanned::<YamlValue>::deserialize(d)?;
        let at = spanned.referenced;
        let pos = Pos { line: at.line() as usize, column: at.column() as usize };
        Ok(YamlNode(Node { value: spanned.value.0, pos }))
    }
}

struct YamlValue(Value);

impl<'de> Deserialize<'de> for YamlValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(YamlVisitor).map(YamlValue)
    }
}

struct YamlVisitor;

impl<'de> Visitor<'de> for YamlVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Int(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or_else(|_| Value::Str(v.to_string()), Value::Int))
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Value, E> {
        Ok(Value::Str(v.to_string()))
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Value, E> {
        Ok(Value::Str(v.to_string()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Float(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::Str(v.to_string()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::Str(v))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        YamlValue::deserialize(d).map(|v| v.0)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(YamlNode(node)) = seq.next_element()? {
            items.push(node);
        }
        Ok(Value::List(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut entries = Vec::new();
        while let Some(YamlNode(key)) = map.next_key()? {
            let YamlNode(value) = map.next_value()?;
            let name = key.value.scalar_text().unwrap_or_else(|| key.value.describe());
            entries.push((Key { name, pos: key.pos }, value));
        }
        Ok(Value::Table(entries))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(node: Node) -> Vec<(Key, Node)> {
        match node.value {
            Value::Table(e) => e,
            other => panic!("not a table: {other:?}"),
        }
    }

    #[test]
    fn yaml_keys_and_values_have_positions() {
        let e = entries(from_yaml("title: A\ntags: [x, y]\nimage:\n  src: a.png\n", 2).unwrap());
        assert_eq!(e[0].0, Key { name: "title".into(), pos: Pos { line: 2, column: 1 } });
        assert_eq!(e[0].1.pos, Pos { line: 2, column: 8 });
        assert_eq!(e[1].1.pos, Pos { line: 3, column: 7 });
        let Value::List(tags) = &e[1].1.value else { panic!() };
        assert_eq!(tags[1], Node { value: Value::Str("y".into()), pos: Pos { line: 3, column: 11 } });
        assert_eq!(e[2].1.pos.line, 5);
    }

    #[test]
    fn yaml_scalars_keep_their_kind() {
        let e =
            entries(from_yaml("a: true\nb: 3\nc: 3.5\nd:\ne: 2016-03-04 10:48:22 -0800\nf: No\ng: 007\n", 2).unwrap());
        let values: Vec<Value> = e.into_iter().map(|(_, n)| n.value).collect();
        assert_eq!(
            values,
            [
                Value::Bool(true),
                Value::Int(3),
                Value::Float(3.5),
                Value::Null,
                Value::Str("2016-03-04 10:48:22 -0800".into()),
                Value::Str("No".into()),
                Value::Str("007".into()),
            ]
        );
    }

    #[test]
    fn toml_keys_and_values_have_positions() {
        let e = entries(from_toml("title = \"A\"\ndate = 2024-01-02\n\n[extra]\nx = 1\n", 2).unwrap());
        assert_eq!(e[0].0.pos, Pos { line: 2, column: 1 });
        assert_eq!(e[0].1.pos, Pos { line: 2, column: 9 });
        assert_eq!(e[1].1.value, Value::Date("2024-01-02".into()));
        assert_eq!(e[2].0.name, "extra");
        assert_eq!(e[2].0.pos.line, 5);
    }

    #[test]
    fn empty_front_matter_is_an_empty_table() {
        assert_eq!(from_yaml("", 2).unwrap().value, Value::Table(Vec::new()));
        assert_eq!(from_toml("", 2).unwrap().value, Value::Table(Vec::new()));
    }

    #[test]
    fn a_duplicate_key_is_said_in_a_writers_words() {
        let e = from_yaml("title: a\ntitle: b\n", 2).unwrap_err();
        assert_eq!(e.message, "duplicate mapping key: title");
    }

    #[test]
    fn syntax_errors_are_positioned() {
        let e = from_yaml("title: a\ntags: [unclosed\n", 2).unwrap_err();
        assert!(e.pos.line >= 3, "{e:?}");
        let e = from_toml("title = \"a\n", 2).unwrap_err();
        assert_eq!(e.pos.line, 2);
    }
}
