//! `--uploads`: every image under `wp-content/uploads/` an item shows,
//! copied into its bundle (a resized copy falling back to the original),
//! only from beneath the uploads folder.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::Imported;

/// Copies every image under `wp-content/uploads/` that an item shows into
/// its bundle, and points the item at the copy.
pub(super) fn copy_uploads(imported: &mut Imported, uploads: &Path, base: &str) {
    let mut copied = 0;
    let mut missing: Vec<(String, String)> = Vec::new();
    let mut refused: Vec<(String, String)> = Vec::new();
    imported.roots.push(uploads.to_path_buf());
    let host = url::Url::parse(base).ok().and_then(|u| u.host_str().map(str::to_string)).unwrap_or_default();
    for item in imported.items.iter_mut() {
        let mut urls: Vec<String> = Vec::new();
        let mut at = 0;
        while let Some(i) = item.body[at..].find("/wp-content/uploads/") {
            let start = item.body[..at + i].rfind(['(', '"', ' ', '\n']).map_or(0, |s| s + 1);
            let end = item.body[at + i..].find(['"', ')', ' ', '\n']).map_or(item.body.len(), |e| at + i + e);
            urls.push(item.body[start..end].to_string());
            at = end.max(at + i + 1);
        }
        urls.extend(item.image.clone());
        urls.sort();
        urls.dedup();
        let mut names: BTreeMap<String, String> = BTreeMap::new();
        for url in urls {
            let Some(rel) = url.split("/wp-content/uploads/").nth(1) else { continue };
            let on_our_host = url.starts_with('/')
                || url::Url::parse(&url).ok().and_then(|u| u.host_str().map(str::to_string)).is_some_and(|h| h == host);
            if !on_our_host {
                continue;
            }
            let rel = rel.split(['?', '#']).next().unwrap_or(rel);
            let from = match find_upload(uploads, rel) {
                Ok(from) => from,
                Err(None) => {
                    missing.push((item.origin.clone(), url.clone()));
                    continue;
                }
                Err(Some(why)) => {
                    refused.push((item.origin.clone(), format!("image {url} is not copied: {why}")));
                    continue;
                }
            };
            let name = from.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let name = unique_name(&names, &name);
            names.insert(url.clone(), name.clone());
            item.files.push((from, name));
            copied += 1;
        }
        for (url, name) in &names {
            item.body = item.body.replace(url.as_str(), name);
            if item.image.as_deref() == Some(url.as_str()) {
                item.image = Some(name.clone());
            }
        }
    }
    imported.count("images copied from --uploads", copied);
    for (origin, why) in refused {
        imported.note(origin, why);
    }
    for (origin, url) in missing {
        imported.note(origin, format!("image {url} is not in the uploads folder: it still points at the old site"));
    }
}

fn unique_name(taken: &BTreeMap<String, String>, name: &str) -> String {
    let used = |n: &str| taken.values().any(|v| v == n);
    if !used(name) {
        return name.to_string();
    }
    let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
    (2..).map(|i| format!("{stem}-{i}.{ext}")).find(|n| !used(n)).unwrap_or_default()
}

/// An upload by its path below `uploads/`; a resized copy
/// (`photo-300x200.jpg`) falls back to the original. Only files beneath
/// the uploads folder count: a symbolic link out of it is refused, and
/// why (`Err(Some)`); `Err(None)` when there is no such file.
fn find_upload(uploads: &Path, rel: &str) -> Result<PathBuf, Option<String>> {
    let rel = percent_encoding::percent_decode_str(rel).decode_utf8_lossy().into_owned();
    if rel.split('/').any(|s| s == ".." || s.is_empty()) {
        return Err(None);
    }
    let inside = |rel: &str| -> Result<PathBuf, Option<String>> {
        let path = uploads.join(rel);
        match broadsheet_base::confine::open(uploads, Path::new(rel)) {
            Ok(f) if f.metadata().is_ok_and(|m| m.is_file()) => Ok(path),
            Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => Err(Some(e.to_string())),
            _ => Err(None),
        }
    };
    match inside(&rel) {
        Err(None) => {}
        found => return found,
    }
    let (stem, ext) = rel.rsplit_once('.').ok_or(None)?;
    let (base, size) = stem.rsplit_once('-').ok_or(None)?;
    let is_size = size.split_once('x').is_some_and(|(w, h)| {
        !w.is_empty() && !h.is_empty() && w.chars().all(|c| c.is_ascii_digit()) && h.chars().all(|c| c.is_ascii_digit())
    });
    if !is_size {
        return Err(None);
    }
    inside(&format!("{base}.{ext}"))
}
