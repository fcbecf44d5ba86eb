//! Jekyll's front matter: YAML between `---` lines, `defaults:` filled in
//! by path and type, list fields written as one string of words, `*`
//! globs over paths, and front matter Jekyll refuses (a Ruby symbol).

use serde_json::Value;

use crate::Imported;

/// Front matter (YAML) and body.
pub(super) fn split(text: &str) -> (Value, &str) {
    let (front, body, _) = split_noting(text);
    (front, body)
}

/// Front matter and body, with a report line for the file (`shown`) when
/// its YAML has a key written twice (the last value is kept, as Jekyll
/// keeps it) or is no YAML at all (read as if it had none, as Jekyll does).
pub(super) fn front_matter<'a>(text: &'a str, shown: &str, imported: &mut Imported) -> (Value, &'a str) {
    let (front, body, note) = split_noting(text);
    if let Some((line, what)) = note {
        imported.note(format!("{shown}:{line}"), what);
    }
    (front, body)
}

/// Front matter, body, and what a report should say of the YAML (its
/// line in the file, and why).
fn split_noting(text: &str) -> (Value, &str, Option<(u64, String)>) {
    let text = text.trim_start_matches('\u{feff}');
    let Some(rest) = text.strip_prefix("---") else { return (Value::Null, text, None) };
    let rest = rest.trim_start_matches([' ', '\t']);
    let rest = rest.strip_prefix("\r\n").or_else(|| rest.strip_prefix('\n')).unwrap_or(rest);
    if let Some((offset, body_at)) = broadsheet_base::front::closing(rest, &["---", "..."]) {
        // The YAML starts on the file's second line.
        let (front, note) = match yaml(&rest[..offset]) {
            Ok((front, dup)) => (front, dup.map(|(line, what)| (line + 1, what))),
            Err(e) => (
                Value::Null,
                Some((
                    e.location().map_or(1, |l| l.line() + 1),
                    format!("its front matter is not YAML Jekyll could read ({e}): it was read as if it had none"),
                )),
            ),
        };
        let mut front = if front.is_object() { front } else { Value::Null };
        mark_plain_timestamps(&rest[..offset], &mut front);
        return (front, &rest[body_at..], note);
    }
    (Value::Null, text, None)
}

/// YAML as Ruby's Psych (Jekyll's reader) reads it: a key written twice
/// in one mapping keeps its last value rather than failing the whole
/// document. With it, the first repeated key's line and a report line.
pub(super) fn yaml(text: &str) -> Result<(Value, Option<(u64, String)>), serde_saphyr::Error> {
    let strict = serde_saphyr::from_str::<Value>(text);
    let Err(e) = strict else { return strict.map(|v| (v, None)) };
    let lenient = serde_saphyr::options! { duplicate_keys: serde_saphyr::DuplicateKeyPolicy::LastWins };
    let Ok(value) = serde_saphyr::from_str_with_options::<Value>(text, lenient) else { return Err(e) };
    let line = e.location().map_or(1, |l| l.line());
    Ok((value, Some((line, format!("{e}: the last value was kept, as Jekyll keeps it")))))
}

/// Top-level values written as a plain YAML timestamp with no zone
/// (`date: 2016-6-13 2:00:00`): Psych reads them as UTC times, where a
/// quoted one goes through `Time.parse` in the site's zone. Such a value
/// is given its `+0000`, so `dates` reads it as Jekyll did.
fn mark_plain_timestamps(yaml: &str, front: &mut Value) {
    let Some(map) = front.as_object_mut() else { return };
    for line in yaml.lines() {
        if line.starts_with([' ', '\t', '-', '#']) {
            continue;
        }
        let Some((key, value)) = line.split_once(':') else { continue };
        let value = value.split(" #").next().unwrap_or("").trim();
        if psych_time(value) == Some(false)
            && let Some(v @ Value::String(_)) = map.get_mut(key.trim())
        {
            *v = Value::String(format!("{value} +0000"));
        }
    }
}

/// Whether a plain scalar is a YAML timestamp as Psych reads one
/// (`2016-6-13 2:00:00`, `2016-06-13T02:00:00.5 +02:00`): `Some(zoned)`,
/// or `None` when it is not one (a day alone, a time without seconds).
fn psych_time(v: &str) -> Option<bool> {
    let digits = |s: &str, min: usize, max: usize| -> Option<usize> {
        let n = s.bytes().take_while(u8::is_ascii_digit).count();
        (min..=max).contains(&n).then_some(n)
    };
    let mut s = v.strip_prefix('-').unwrap_or(v);
    for (i, (min, max, sep)) in [(4, 4, '-'), (1, 2, '-'), (1, 2, ' ')].into_iter().enumerate() {
        s = &s[digits(s, min, max)?..];
        if i < 2 {
            s = s.strip_prefix(sep)?;
        }
    }
    let after_day = s.trim_start_matches([' ', '\t']);
    s = match s.strip_prefix(['T', 't']) {
        Some(rest) => rest,
        None if after_day.len() < s.len() => after_day,
        None => return None,
    };
    for (i, (min, max)) in [(1, 2), (2, 2), (2, 2)].into_iter().enumerate() {
        s = &s[digits(s, min, max)?..];
        if i < 2 {
            s = s.strip_prefix(':')?;
        }
    }
    if let Some(rest) = s.strip_prefix('.') {
        s = rest.trim_start_matches(|c: char| c.is_ascii_digit());
    }
    let zone = s.trim_start_matches([' ', '\t']);
    if zone.is_empty() {
        return Some(false);
    }
    if zone == "Z" {
        return Some(true);
    }
    let offset = zone.strip_prefix(['+', '-'])?;
    let h = offset.bytes().take_while(u8::is_ascii_digit).count().min(2);
    if h == 0 {
        return None;
    }
    let rest = offset[h..].strip_prefix(':').unwrap_or(&offset[h..]);
    (rest.is_empty() || (rest.len() == 2 && digits(rest, 2, 2).is_some())).then_some(true)
}

/// A front matter key whose plain value Ruby reads as a Symbol
/// (`summary: :-)`): Jekyll refuses such front matter and reads the file
/// as if it had none (its date is the day of the build).
fn ruby_symbol(text: &str) -> Option<&str> {
    let rest = text.trim_start_matches('\u{feff}').strip_prefix("---")?;
    for line in rest.lines().skip(1) {
        if line.trim_end() == "---" || line.trim_end() == "..." {
            break;
        }
        let Some((key, value)) = line.split_once(": ") else { continue };
        let value = value.trim();
        if !key.starts_with([' ', '-', '#']) && value.len() > 1 && value.starts_with(':') && !value.starts_with(": ") {
            return Some(key.trim());
        }
    }
    None
}

pub(super) fn symbol_note(text: &str, shown: &str, imported: &mut Imported) {
    if let Some(key) = ruby_symbol(text) {
        imported.note(
            shown,
            format!(
                "Jekyll could not read its front matter (`{key}` is a Ruby symbol, which Jekyll refuses), so its old URL \
                 held the day the old site was built instead of its date: that URL cannot be kept"
            ),
        );
    }
}

/// A list field that may be one string of space-separated words (Jekyll's
/// `categories: news local`) or a list.
pub(super) fn words(front: &Value, keys: &[&str], split_spaces: bool) -> Vec<String> {
    let mut out = Vec::new();
    for key in keys {
        match front.get(*key) {
            Some(Value::String(s)) if split_spaces => out.extend(s.split_whitespace().map(str::to_string)),
            Some(Value::String(s)) => out.push(s.trim().to_string()),
            Some(Value::Array(list)) => out.extend(list.iter().filter_map(|v| match v {
                Value::String(s) => Some(s.trim().to_string()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            })),
            _ => {}
        }
    }
    out.retain(|s| !s.is_empty());
    out
}

/// Front matter with `defaults:` filled in (`scope: {path, type}`; a
/// longer path wins, and the file's own front matter over all).
pub(super) fn with_defaults(defaults: &Value, rel: &str, kind: &str, front: Value) -> Value {
    let Some(list) = defaults.as_array() else { return front };
    type Rank = (usize, bool);
    let mut sets: Vec<(Rank, &serde_json::Map<String, Value>)> = list
        .iter()
        .filter_map(|d| {
            let scope = d.get("scope");
            let path = scope.and_then(|s| s.get("path")).and_then(Value::as_str).unwrap_or("").trim_matches('/');
            let ty = scope.and_then(|s| s.get("type")).and_then(Value::as_str);
            let path_ok = path.is_empty()
                || rel == path
                || rel.starts_with(&format!("{path}/"))
                || (path.contains('*') && glob_match(path, rel));
            (path_ok && ty.is_none_or(|t| t == kind))
                .then(|| Some(((path.len(), ty.is_some()), d.get("values")?.as_object()?)))?
        })
        .collect();
    sets.sort_by_key(|(rank, _)| *rank);
    let mut merged = serde_json::Map::new();
    for (_, values) in sets {
        for (k, v) in values {
            merged.insert(k.clone(), v.clone());
        }
    }
    if let Value::Object(own) = front {
        merged.extend(own);
    }
    if merged.is_empty() { Value::Null } else { Value::Object(merged) }
}

/// A `*` glob over a path (`scope: {path: "section/*/special"}`).
pub(super) fn glob_match(pattern: &str, path: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    let [first, .., last] = parts[..] else { return false };
    if !path.starts_with(first) || !path.ends_with(last) || path.len() < first.len() + last.len() {
        return false;
    }
    let mut rest = &path[first.len()..path.len() - last.len()];
    for part in &parts[1..parts.len() - 1] {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_jekyll_refuses_is_found() {
        assert_eq!(ruby_symbol("---\ntitle: x\nsummary: :-)\n---\nbody"), Some("summary"));
        assert_eq!(ruby_symbol("---\ntitle: \":-)\"\ntime: 10:30\n---\n"), None);
        assert_eq!(ruby_symbol("---\ntitle: x\n---\nnote: :-)\n"), None, "only front matter counts");
    }

    #[test]
    fn plain_yaml_timestamps_are_told_from_quoted_ones() {
        assert_eq!(psych_time("2016-6-13 2:00:00"), Some(false));
        assert_eq!(psych_time("2016-06-13T02:00:00.25"), Some(false));
        assert_eq!(psych_time("2016-06-13 02:00:00 +0200"), Some(true));
        assert_eq!(psych_time("2016-06-13 02:00:00 -04:00"), Some(true));
        assert_eq!(psych_time("2016-06-13"), None, "a day alone is a Date, local");
        assert_eq!(psych_time("2016-06-13 02:00"), None, "no seconds: a string for Time.parse");
        let (front, _) = split("---\na: 2016-6-13 2:00:00\nb: \"2016-6-13 2:00:00\"\n---\n");
        assert_eq!(front["a"], "2016-6-13 2:00:00 +0000");
        assert_eq!(front["b"], "2016-6-13 2:00:00");
    }

    #[test]
    fn a_key_written_twice_keeps_its_last_value() {
        let (front, _, note) = split_noting("---\ntitle: A\ntype: post\ntype: page\n---\nbody");
        assert_eq!(front["type"], "page");
        assert_eq!(front["title"], "A");
        assert_eq!(note.map(|(line, _)| line), Some(4), "the file's line of the second `type`");
    }

    #[test]
    fn globs_match_as_jekylls_exclude_does() {
        assert!(glob_match("*.gemspec", "x.gemspec"));
        assert!(!glob_match("*.gemspec", "x.gemspec.bak"));
        assert!(glob_match("docs/*/draft.md", "docs/a/draft.md"));
        assert!(!glob_match("README", "README"), "no `*`: compared as a path, not here");
    }

    #[test]
    fn defaults_fill_front_matter_by_path_and_type() {
        let defaults = serde_json::json!([
            {"scope": {"path": ""}, "values": {"layout": "a", "permalink": "/:title/"}},
            {"scope": {"path": "docs", "type": "pages"}, "values": {"layout": "b"}},
            {"scope": {"type": "releases"}, "values": {"permalink": "/r/:title/"}},
        ]);
        let front = with_defaults(&defaults, "docs/x.md", "pages", serde_json::json!({"title": "X"}));
        assert_eq!(front["layout"], "b");
        assert_eq!(front["title"], "X");
        let front = with_defaults(&defaults, "_releases/x.md", "releases", Value::Null);
        assert_eq!(front["permalink"], "/r/:title/");
    }
}
