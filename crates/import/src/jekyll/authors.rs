//! A Jekyll site's authors: `_data/authors.yml` (or `.json`) and the
//! files of `_authors/`, and a post's `author:`/`authors:` credited to
//! them (a name no author file has is a byline of its own).

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::front::{split, words};
use crate::{Author, Imported, Item};
use broadsheet_base::slug::slugify;

pub(super) fn read_authors(root: &Path, imported: &mut Imported) {
    for name in ["_data/authors.yml", "_data/authors.yaml", "_data/authors.json"] {
        let path = root.join(name);
        let Ok(text) = std::fs::read_to_string(&path) else { continue };
        let value = authors_file(name, &text, imported);
        if let Some(map) = value.as_object() {
            for (key, a) in map {
                let display = display_name(a).unwrap_or(key).to_string();
                let bio = ["bio", "description", "about"]
                    .iter()
                    .find_map(|k| a.get(*k).and_then(Value::as_str))
                    .unwrap_or("");
                imported.authors.insert(author_key(key), Author { name: display, bio: bio.to_string() });
            }
        }
    }
    let dir = root.join("_authors");
    if let Ok(entries) = std::fs::read_dir(&dir) {
        let mut files: Vec<PathBuf> = entries.filter_map(|e| Some(e.ok()?.path())).collect();
        files.sort();
        for file in files {
            let Ok(text) = std::fs::read_to_string(&file) else { continue };
            let (front, body) = split(&text);
            let key = front
                .get("short_name")
                .and_then(Value::as_str)
                .map(str::to_string)
                .unwrap_or_else(|| file.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default());
            let display = display_name(&front).unwrap_or(&key).to_string();
            let bio = front.get("bio").and_then(Value::as_str).map_or_else(|| body.trim().to_string(), str::to_string);
            imported.authors.insert(author_key(&key), Author { name: display, bio });
        }
    }
}

/// `_data/authors.yml` (or `.json`) as Jekyll reads it: a key written
/// twice keeps its last value; a file that cannot be read at all is
/// `Null`. Either is a report line naming the file and line.
fn authors_file(name: &str, text: &str, imported: &mut Imported) -> Value {
    if name.ends_with(".json") {
        return serde_json::from_str(text).unwrap_or_else(|e| {
            imported
                .note(format!("{name}:{}", e.line()), format!("not readable as JSON ({e}): its authors were left out"));
            Value::Null
        });
    }
    match super::front::yaml(text) {
        Ok((value, dup)) => {
            if let Some((line, what)) = dup {
                imported.note(format!("{name}:{line}"), what);
            }
            value
        }
        Err(e) => {
            let line = e.location().map_or(1, |l| l.line());
            imported.note(format!("{name}:{line}"), format!("not readable as YAML ({e}): its authors were left out"));
            Value::Null
        }
    }
}

/// An author's name as the site shows it.
pub(super) fn display_name(a: &Value) -> Option<&str> {
    ["full_name", "display_name", "name", "title"]
        .iter()
        .find_map(|k| a.get(*k).and_then(Value::as_str).map(str::trim).filter(|n| !n.is_empty()))
}

/// `author:`/`authors:` of a post: each person credited ("A and B",
/// "A, B & C" are several); a name that is an author file's key is that author.
pub(super) fn credit_authors(imported: &mut Imported, item: &mut Item, front: &Value) {
    for written in words(front, &["author", "authors"], false) {
        let key = author_key(&written);
        if imported.authors.contains_key(&key) {
            if !item.authors.contains(&key) {
                item.authors.push(key);
            }
        } else {
            imported.credit_line(item, &written);
        }
    }
}

fn author_key(key: &str) -> String {
    let slug = slugify(key);
    if slug.is_empty() { "author".into() } else { slug }
}
