//! Jekyll's front matter: YAML between `---` lines, `defaults:` filled in
//! by path and type, list fields written as one string of words, `*`
//! globs over paths, and front matter Jekyll refuses (a Ruby symbol).

use serde_json::Value;

use crate::Imported;

/// Front matter (YAML) and body.
pub(super) fn split(text: &str) -> (Value, &str) {
    let text = text.trim_start_matches('\u{feff}');
    let Some(rest) = text.strip_prefix("---") else { return (Value::Null, text) };
    let rest = rest.trim_start_matches([' ', '\t']);
    let rest = rest.strip_prefix("\r\n").or_else(|| rest.strip_prefix('\n')).unwrap_or(rest);
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "---" || line.trim_end() == "..." {
            let front = serde_saphyr::from_str::<Value>(&rest[..offset]).unwrap_or(Value::Null);
            return (if front.is_object() { front } else { Value::Null }, &rest[offset + line.len()..]);
        }
        offset += line.len();
    }
    (Value::Null, text)
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
