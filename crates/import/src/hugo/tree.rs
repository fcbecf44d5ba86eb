//! Hugo's content tree as its module mounts make it: each mount puts a
//! folder (or one file) of the source at a path under `content/`, filtered
//! by its `files` globs (`'! docs/v?'` leaves a folder out), so that
//! `content/docs/v2/2.20/x.md` can be served as `docs/2.20/x/`. A site
//! without content mounts has one: `content/` (or its `contentDir`).

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use serde_json::{Map, Value};

use crate::Imported;
use crate::common::{get, list_of, text_of, walk_noting};

/// The files under `content/`: each one's path there → the folder it is
/// read beneath (confined) and its path in that folder.
#[derive(Default)]
pub(super) struct Tree {
    files: BTreeMap<PathBuf, (PathBuf, PathBuf)>,
}

impl Tree {
    /// Every file below `dir`, at its own path.
    pub(super) fn folder(dir: &Path, imported: &mut Imported) -> Tree {
        let files = walk_noting(dir, imported).into_iter().map(|rel| (rel.clone(), (dir.to_path_buf(), rel))).collect();
        Tree { files }
    }

    /// The tree the module mounts with target `content` make for `lang`,
    /// or None when the configuration mounts no content.
    pub(super) fn mounted(
        config: &Map<String, Value>,
        source: &Path,
        lang: &str,
        imported: &mut Imported,
    ) -> Option<Tree> {
        let module = get(config, "module").and_then(Value::as_object)?;
        let mounts: Vec<&Map<String, Value>> = get(module, "mounts")
            .and_then(Value::as_array)?
            .iter()
            .filter_map(Value::as_object)
            .filter(|m| {
                let target = get(m, "target").and_then(text_of).unwrap_or_default();
                let target = target.trim_matches('/');
                let for_lang = get(m, "lang").and_then(text_of);
                (target == "content" || target.starts_with("content/")) && for_lang.is_none_or(|l| l == lang)
            })
            .collect();
        if mounts.is_empty() {
            return None;
        }
        let mut files = BTreeMap::new();
        for mount in mounts {
            let from = get(mount, "source").and_then(text_of).unwrap_or_default();
            let from = from.trim_matches('/');
            let target = get(mount, "target").and_then(text_of).unwrap_or_default();
            let under =
                Path::new(target.trim_matches('/')).strip_prefix("content").unwrap_or(Path::new("")).to_path_buf();
            if from.is_empty() || from.split('/').any(|p| p == "..") {
                continue;
            }
            let path = source.join(from);
            // A mount is read beneath its own folder: that folder (or file)
            // must itself be inside the source, not a link out of it.
            let inside =
                |p: &Path| p.canonicalize().ok().zip(source.canonicalize().ok()).is_some_and(|(p, s)| p.starts_with(s));
            if path.exists() && !inside(&path) {
                imported.note(
                    format!("{from}/"),
                    "a module mount that leads out of the site's folder (a symbolic link): not read",
                );
                continue;
            }
            if path.is_file() {
                if let (Some(dir), Some(name)) = (path.parent(), path.file_name()) {
                    files.entry(under).or_insert((dir.to_path_buf(), PathBuf::from(name)));
                }
                continue;
            }
            if !path.is_dir() {
                continue;
            }
            let filter = Filter::of(mount);
            for rel in walk_noting(&path, imported) {
                if filter.keeps(&rel) {
                    // The first mount of a path wins, as in Hugo.
                    files.entry(under.join(&rel)).or_insert((path.clone(), rel));
                }
            }
        }
        Some(Tree { files })
    }

    /// The paths under `content/`, sorted.
    pub(super) fn paths(&self) -> Vec<PathBuf> {
        self.files.keys().cloned().collect()
    }

    /// A file's text, read beneath the folder it is mounted from.
    pub(super) fn read(&self, rel: &Path) -> io::Result<String> {
        let (root, real) = self.files.get(rel).ok_or_else(|| io::Error::from(io::ErrorKind::NotFound))?;
        broadsheet_base::confine::read_to_string(root, real)
    }

    /// Where a file really is.
    pub(super) fn real(&self, rel: &Path) -> Option<PathBuf> {
        self.files.get(rel).map(|(root, real)| root.join(real))
    }

    /// The files below the folder `dir` (a bundle): where each really is,
    /// and its path in the folder.
    pub(super) fn below(&self, dir: &Path) -> Vec<(PathBuf, PathBuf)> {
        self.files
            .range(dir.to_path_buf()..)
            .take_while(|(rel, _)| rel.starts_with(dir))
            .filter_map(|(rel, (root, real))| Some((root.join(real), rel.strip_prefix(dir).ok()?.to_path_buf())))
            .collect()
    }
}

/// A mount's `files` (and the older `includeFiles`/`excludeFiles`): globs
/// matched against each path in the mounted folder and its folders; `! `
/// before a glob leaves out what it matches.
struct Filter {
    include: Option<GlobSet>,
    exclude: GlobSet,
}

impl Filter {
    fn of(mount: &Map<String, Value>) -> Filter {
        let mut include = Vec::new();
        let mut exclude = Vec::new();
        for pattern in get(mount, "files").map(list_of).unwrap_or_default() {
            match pattern.trim().strip_prefix('!') {
                Some(out) => exclude.push(out.trim().to_string()),
                None => include.push(pattern.trim().to_string()),
            }
        }
        include.extend(get(mount, "includeFiles").map(list_of).unwrap_or_default());
        exclude.extend(get(mount, "excludeFiles").map(list_of).unwrap_or_default());
        let set = |patterns: &[String]| {
            let mut set = GlobSetBuilder::new();
            for p in patterns {
                if let Ok(glob) = GlobBuilder::new(p.trim_start_matches('/')).literal_separator(true).build() {
                    set.add(glob);
                }
            }
            set.build().unwrap_or_else(|_| GlobSet::empty())
        };
        Filter { include: (!include.is_empty()).then(|| set(&include)), exclude: set(&exclude) }
    }

    /// Whether `rel` (or one of its folders) is let through.
    fn keeps(&self, rel: &Path) -> bool {
        let levels: Vec<&Path> = rel.ancestors().filter(|a| !a.as_os_str().is_empty()).collect();
        if levels.iter().any(|p| self.exclude.is_match(p)) {
            return false;
        }
        self.include.as_ref().is_none_or(|set| levels.iter().any(|p| set.is_match(p)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_globs_leave_out_folders_and_keep_the_rest() {
        let mount: Map<String, Value> = serde_json::from_str(
            r#"{"source": "content", "target": "content", "files": ["! docs/v?", "! _index-pre.md"]}"#,
        )
        .unwrap();
        let filter = Filter::of(&mount);
        assert!(filter.keeps(Path::new("docs/latest.md")));
        assert!(filter.keeps(Path::new("news.md")));
        assert!(!filter.keeps(Path::new("docs/v2/2.20/getting-started.md")));
        assert!(!filter.keeps(Path::new("_index-pre.md")));
        let mount: Map<String, Value> =
            serde_json::from_str(r#"{"source": "content/docs/v2", "target": "content/docs", "files": "! _*"}"#)
                .unwrap();
        let filter = Filter::of(&mount);
        assert!(filter.keeps(Path::new("2.20/getting-started.md")));
        assert!(!filter.keeps(Path::new("_dev/getting-started.md")));
        assert!(filter.keeps(Path::new("2.20/_index.md")), "`_*` matches one level, as in Hugo");
    }
}
