//! What a deploy does, decided without the network: the built folder's
//! files (content hash, size, headers, which wave each goes in), the
//! manifest of what the bucket holds, and the difference between them.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// The manifest's name under the target's prefix.
pub const MANIFEST: &str = ".broadsheet-manifest.json";

/// Content-addressed files: their URL changes when their bytes do.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Pages, feeds, sitemaps and the search index: new within minutes.
pub const SHORT: &str = "public, max-age=300";
/// Everything else (stylesheets, scripts, pictures under `static/`).
pub const DAY: &str = "public, max-age=86400";

/// One object as the manifest records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// blake3 of the built file's bytes, hex.
    pub hash: String,
    /// The built file's size in bytes.
    pub size: u64,
    /// The `Content-Type` the object is stored with.
    pub content_type: String,
    /// The `Cache-Control` the object is stored with.
    pub cache_control: String,
    /// `gzip` when the object is stored compressed (`deploy --gzip`), with
    /// that `Content-Encoding`; absent when stored as built.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_encoding: Option<String>,
    /// The object's size in the bucket when it differs from `size` (a
    /// compressed object); known once it is uploaded, so not compared.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stored_size: Option<u64>,
}

impl Entry {
    /// Whether the bucket's object is this file with these headers (the
    /// stored size follows from them).
    pub fn same_object(&self, other: &Entry) -> bool {
        (&self.hash, self.size, &self.content_type, &self.cache_control, &self.content_encoding)
            == (&other.hash, other.size, &other.content_type, &other.cache_control, &other.content_encoding)
    }

    /// The size a listing of the bucket shows for the object.
    pub fn size_in_bucket(&self) -> u64 {
        self.stored_size.unwrap_or(self.size)
    }
}

/// What a deploy left in the bucket: site-relative path -> object.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// The manifest's format; only 1 exists.
    pub version: u32,
    /// Every object the deploy left, by site-relative path.
    pub files: BTreeMap<String, Entry>,
}

/// The waves a deploy uploads in, each finished before the next starts,
/// so a page never links to an asset not there yet and a feed never
/// announces a page not there yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Wave {
    /// Photos, stylesheets, scripts, pictures, fonts.
    Assets,
    /// HTML pages.
    Pages,
    /// Feeds, sitemaps, the search index, robots.txt and other data.
    Indexes,
}

/// A file of the built folder.
#[derive(Debug, Clone)]
pub struct Local {
    /// Site-relative, `/`-separated.
    pub rel: String,
    /// Where the file is on disk.
    pub path: PathBuf,
    /// The object it should be in the bucket.
    pub entry: Entry,
    /// When in the deploy it goes up.
    pub wave: Wave,
}

/// Which wave a file goes in and how long it may be cached.
pub fn kind(rel: &str) -> (Wave, &'static str) {
    let ext = rel.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    if rel.starts_with("_photos/") {
        (Wave::Assets, IMMUTABLE)
    } else if matches!(ext.as_str(), "html" | "htm") {
        (Wave::Pages, SHORT)
    } else if rel.starts_with("_search/")
        || rel.starts_with("_reactions/")
        || matches!(ext.as_str(), "xml" | "json" | "txt")
    {
        (Wave::Indexes, SHORT)
    } else {
        (Wave::Assets, DAY)
    }
}

/// The Content-Type a file is served with; text in UTF-8, as a build writes it.
pub fn content_type(rel: &str) -> String {
    let ext = rel.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    let mime = match ext.as_str() {
        "webmanifest" => "application/manifest+json".to_string(),
        "ico" => "image/x-icon".to_string(),
        _ => mime_guess::from_path(rel).first_or_octet_stream().essence_str().to_string(),
    };
    let text = mime.starts_with("text/")
        || matches!(
            mime.as_str(),
            "application/json"
                | "application/javascript"
                | "application/xml"
                | "application/atom+xml"
                | "application/rss+xml"
                | "application/manifest+json"
                | "image/svg+xml"
        );
    if text { format!("{mime}; charset=utf-8") } else { mime }
}

/// Whether a file of this Content-Type is worth storing gzip-compressed:
/// text (pages, feeds, sitemaps, stylesheets, scripts, SVG, JSON). Pictures
/// and the search index (already gzip) are not.
pub fn compressible(content_type: &str) -> bool {
    content_type.ends_with("charset=utf-8")
}

/// Every file under `folder` (hashed in parallel), leaving out the names in
/// `skip` at its top; with `gzip`, text files are to be stored compressed.
/// Refuses symbolic links and names an object store cannot hold as written.
pub fn scan(folder: &Path, skip: &[&str], gzip: bool) -> Result<Vec<Local>> {
    let mut found = Vec::new();
    for entry in walkdir::WalkDir::new(folder).follow_links(false).sort_by_file_name() {
        let entry = entry.with_context(|| format!("cannot read {}", folder.display()))?;
        let kind = entry.file_type();
        if kind.is_dir() {
            continue;
        }
        let rel_path = entry.path().strip_prefix(folder).unwrap_or(entry.path());
        let Some(rel) = rel_path.to_str().map(|r| r.replace(std::path::MAIN_SEPARATOR, "/")) else {
            bail!("{} has a name that is not UTF-8", entry.path().display());
        };
        if skip.contains(&rel.as_str()) || rel == MANIFEST {
            continue;
        }
        if !kind.is_file() {
            bail!("{} is not a plain file (a link?); a build writes only files", entry.path().display());
        }
        object_store::path::Path::parse(&rel)
            .map_err(|e| anyhow::anyhow!("{rel} cannot be stored under this name ({e})"))?;
        found.push((rel, entry.into_path()));
    }
    found
        .into_par_iter()
        .map(|(rel, path)| {
            let bytes = std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
            let (wave, cache_control) = kind(&rel);
            let content_type = content_type(&rel);
            let entry = Entry {
                hash: blake3::hash(&bytes).to_hex().to_string(),
                size: bytes.len() as u64,
                content_encoding: (gzip && compressible(&content_type)).then(|| "gzip".to_string()),
                content_type,
                cache_control: cache_control.to_string(),
                stored_size: None,
            };
            Ok(Local { rel, path, entry, wave })
        })
        .collect()
}

/// What to change in the bucket.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// Indices into the local files, in wave order (then by path).
    pub upload: Vec<usize>,
    /// How many built files the bucket already holds as they are.
    pub unchanged: usize,
    /// Site-relative paths to remove: in the old manifest (or, verifying,
    /// in the bucket under the prefix) and no longer built.
    pub delete: Vec<String>,
    /// The manifest once the deploy is done.
    pub next: Manifest,
}

/// Compares the built files with the manifest and, when verifying, with
/// what a listing found in the bucket (path -> size).
pub fn diff(locals: &[Local], old: &Manifest, listed: Option<&BTreeMap<String, u64>>) -> Plan {
    let mut plan = Plan { next: Manifest { version: 1, files: BTreeMap::new() }, ..Plan::default() };
    let mut built = BTreeSet::new();
    for (i, local) in locals.iter().enumerate() {
        built.insert(local.rel.as_str());
        let recorded = old.files.get(&local.rel).filter(|old| old.same_object(&local.entry));
        let present = |old: &Entry| listed.is_none_or(|l| l.get(&local.rel) == Some(&old.size_in_bucket()));
        let next = match recorded {
            Some(old) if present(old) => {
                plan.unchanged += 1;
                old.clone()
            }
            _ => {
                plan.upload.push(i);
                local.entry.clone()
            }
        };
        plan.next.files.insert(local.rel.clone(), next);
    }
    plan.upload.sort_by(|&a, &b| (locals[a].wave, &locals[a].rel).cmp(&(locals[b].wave, &locals[b].rel)));
    let mut stale: BTreeSet<&str> = old.files.keys().map(String::as_str).filter(|r| !built.contains(r)).collect();
    if let Some(listed) = listed {
        stale.extend(listed.keys().map(String::as_str).filter(|r| !built.contains(r) && *r != MANIFEST));
    }
    plan.delete = stale.into_iter().map(str::to_string).collect();
    plan
}

/// Reads a manifest, refusing one whose paths could reach outside the prefix.
pub fn read_manifest(bytes: &[u8]) -> Result<Manifest> {
    let manifest: Manifest = serde_json::from_slice(bytes).context("the manifest in the bucket is not Broadsheet's")?;
    if manifest.version != 1 {
        bail!("the manifest in the bucket has version {}, which this Broadsheet does not know", manifest.version);
    }
    for rel in manifest.files.keys() {
        let clean = !rel.is_empty()
            && !rel.starts_with('/')
            && rel.split('/').all(|part| !matches!(part, "" | "." | ".."))
            && object_store::path::Path::parse(rel).is_ok();
        if !clean {
            bail!("the manifest in the bucket names {rel:?}, which is not a path under the prefix");
        }
    }
    Ok(manifest)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn local(rel: &str, hash: &str) -> Local {
        let (wave, cache) = kind(rel);
        let entry = Entry {
            hash: hash.into(),
            size: 1,
            content_type: content_type(rel),
            cache_control: cache.into(),
            content_encoding: None,
            stored_size: None,
        };
        Local { rel: rel.into(), path: PathBuf::from(rel), entry, wave }
    }

    #[test]
    fn headers_follow_the_kind_of_file() {
        assert_eq!(kind("_photos/ab12/hero-800.webp"), (Wave::Assets, IMMUTABLE));
        assert_eq!(kind("world/story/index.html"), (Wave::Pages, SHORT));
        assert_eq!(kind("feed.xml"), (Wave::Indexes, SHORT));
        assert_eq!(kind("_search/meta.json"), (Wave::Indexes, SHORT));
        assert_eq!(kind("_search/p/ab.bin"), (Wave::Indexes, SHORT));
        assert_eq!(kind("css/site.css"), (Wave::Assets, DAY));
        assert_eq!(content_type("index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("css/site.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("a.webp"), "image/webp");
        assert_eq!(content_type("CNAME"), "application/octet-stream");
    }

    #[test]
    fn uploads_what_changed_in_waves_and_deletes_what_went() {
        let old_files = [local("index.html", "1"), local("gone.html", "1"), local("a.css", "1")];
        let old = Manifest { version: 1, files: old_files.iter().map(|l| (l.rel.clone(), l.entry.clone())).collect() };
        let now = [local("feed.xml", "2"), local("index.html", "2"), local("a.css", "1"), local("_photos/x.jpg", "3")];
        let plan = diff(&now, &old, None);
        let order: Vec<&str> = plan.upload.iter().map(|&i| now[i].rel.as_str()).collect();
        assert_eq!(order, ["_photos/x.jpg", "index.html", "feed.xml"]);
        assert_eq!(plan.unchanged, 1);
        assert_eq!(plan.delete, ["gone.html"]);
        assert_eq!(plan.next.files.len(), 4);
        // Verifying: a recorded object missing from the bucket is uploaded
        // again, and an object nobody recorded is removed.
        let listed = BTreeMap::from([("index.html".to_string(), 1), ("stray.html".to_string(), 5)]);
        let plan = diff(&now, &plan.next, Some(&listed));
        let order: Vec<&str> = plan.upload.iter().map(|&i| now[i].rel.as_str()).collect();
        assert_eq!(order, ["_photos/x.jpg", "a.css", "feed.xml"]);
        assert_eq!(plan.delete, ["stray.html"]);
    }

    #[test]
    fn a_manifest_cannot_name_paths_outside_the_prefix() {
        for bad in ["../x", "/x", "a//b", "a/./b", ""] {
            let text = format!(
                r#"{{"version":1,"files":{{"{bad}":{{"hash":"","size":0,"content_type":"","cache_control":""}}}}}}"#
            );
            assert!(read_manifest(text.as_bytes()).is_err(), "{bad}");
        }
    }
}
