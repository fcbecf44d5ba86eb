//! The only code that writes the output. A build writes into a fresh
//! staging folder beside the output folder and swaps it in at the end, so a
//! failed or interrupted build leaves the previous output as it was. It
//! refuses output folders that would destroy the site's sources, and it
//! never deletes anything but the output folder and its own staging folders.

use std::collections::HashMap;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use anyhow::{Context as _, Result, bail};

/// Written first into every staging folder, so only folders we made are
/// ever removed as stale staging.
const STAGING_MARK: &str = ".broadsheet-staging";

/// Where a build's files go: a staging folder on disk, or memory (for
/// `serve`). Paths are output-relative and may never leave the output.
pub trait Sink: Sync {
    fn write(&self, rel: &str, contents: Vec<u8>) -> io::Result<()>;
    /// Puts the file `from` at `rel`.
    fn copy(&self, from: &Path, rel: &Path) -> io::Result<()>;
}

/// Refuses relative paths that could leave the output folder.
fn confined(rel: &Path) -> io::Result<&Path> {
    if rel.components().next().is_some() && rel.components().all(|c| matches!(c, Component::Normal(_))) {
        Ok(rel)
    } else {
        let message = format!("refusing to write outside the output folder: {}", rel.display());
        Err(io::Error::new(io::ErrorKind::InvalidInput, message))
    }
}

pub struct Staging {
    output: PathBuf,
    dir: PathBuf,
    /// Folders already made, so each page does not ask the file system again.
    made: Mutex<std::collections::HashSet<PathBuf>>,
}

/// Where the output may not go: the site root, its source folders, anything
/// inside the sources, and any ancestor of the site root.
pub fn check_output_location(site_root: &Path, output: &Path) -> Result<()> {
    let root =
        fs::canonicalize(site_root).with_context(|| format!("cannot open site folder {}", site_root.display()))?;
    let out = absolute(output)?;
    if root.starts_with(&out) {
        bail!(
            "refusing to use {} as the output folder: it is the site folder or contains it, and the build replaces the output folder",
            output.display()
        );
    }
    for source in ["content", "templates", "static"] {
        let protected = root.join(source);
        if out.starts_with(&protected) {
            bail!(
                "refusing to use {} as the output folder: it is inside the site's {source}/ folder",
                output.display()
            );
        }
    }
    if out.exists() && !out.is_dir() {
        bail!("the output path {} exists and is not a folder", output.display());
    }
    Ok(())
}

/// An absolute, normalised form of a path whose last parts may not exist
/// yet: `.` and `..` are resolved first, then symlinks in the part that exists.
fn absolute(path: &Path) -> Result<PathBuf> {
    let path = std::path::absolute(path).with_context(|| format!("cannot resolve {}", path.display()))?;
    let mut lexical = PathBuf::new();
    for component in path.components() {
        match component {
            Component::ParentDir => {
                lexical.pop();
            }
            Component::CurDir => {}
            other => lexical.push(other),
        }
    }
    let mut existing = lexical;
    let mut rest = Vec::new();
    while !existing.exists() {
        let Some(name) = existing.file_name().map(ToOwned::to_owned) else { break };
        rest.push(name);
        existing.pop();
    }
    let mut out = fs::canonicalize(&existing).unwrap_or(existing);
    out.extend(rest.iter().rev());
    Ok(out)
}

fn sibling(output: &Path, suffix: &str) -> Result<PathBuf> {
    let name = output.file_name().context("the output folder needs a name")?.to_string_lossy();
    Ok(output.with_file_name(format!(".{name}.{suffix}")))
}

impl Staging {
    /// Creates a fresh staging folder beside `output`, first putting back an
    /// output left aside by an interrupted swap and clearing stale staging.
    pub fn create(output: &Path) -> Result<Staging> {
        let output = absolute(output)?;
        let old = sibling(&output, "old")?;
        if old.is_dir() && !output.exists() {
            fs::rename(&old, &output).with_context(|| format!("cannot restore {}", output.display()))?;
        }
        remove_ours(&old)?;
        let dir = sibling(&output, "staging")?;
        remove_ours(&dir)?;
        if dir.exists() {
            bail!("{} exists and was not made by broadsheet: move it away", dir.display());
        }
        fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
        fs::write(dir.join(STAGING_MARK), b"").with_context(|| format!("cannot write in {}", dir.display()))?;
        Ok(Staging { output, dir, made: Mutex::default() })
    }

    /// `rel` joined to the staging folder, its parent folder created.
    fn place(&self, rel: &Path) -> io::Result<PathBuf> {
        let path = self.dir.join(confined(rel)?);
        if let Some(parent) = path.parent() {
            let lock = || self.made.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            if !lock().contains(parent) {
                fs::create_dir_all(parent)?;
                lock().insert(parent.to_path_buf());
            }
        }
        Ok(path)
    }

    /// Swaps the staging folder in as the output.
    pub fn commit(self) -> Result<()> {
        fs::remove_file(self.dir.join(STAGING_MARK)).context("cannot finish the staging folder")?;
        let old = sibling(&self.output, "old")?;
        let had_output = self.output.exists();
        if had_output {
            fs::rename(&self.output, &old).with_context(|| format!("cannot move {} aside", self.output.display()))?;
        }
        if let Err(e) = fs::rename(&self.dir, &self.output) {
            if had_output {
                let _ = fs::rename(&old, &self.output);
            }
            return Err(e).with_context(|| format!("cannot move the new site into {}", self.output.display()));
        }
        if had_output {
            remove_tree(&old).with_context(|| format!("cannot remove the previous output at {}", old.display()))?;
        }
        Ok(())
    }

    /// Removes the staging folder, leaving the output untouched.
    pub fn abandon(self) {
        let _ = fs::remove_dir_all(&self.dir);
    }

    /// Links the previous output's file at `rel` into the staging folder
    /// when `same` says it already holds what goes there (given the old
    /// file and its length). Most files of a rebuild are unchanged: a link
    /// costs a directory entry where a new file costs an inode (and
    /// removing the old output then frees nothing), which is most of the
    /// time a large build spends in the file system.
    fn reuse(&self, rel: &Path, path: &Path, same: impl FnOnce(&Path, u64) -> bool) -> bool {
        let old = self.output.join(rel);
        old.symlink_metadata().is_ok_and(|m| m.is_file() && same(&old, m.len())) && fs::hard_link(&old, path).is_ok()
    }
}

impl Sink for Staging {
    fn write(&self, rel: &str, contents: Vec<u8>) -> io::Result<()> {
        let rel = Path::new(rel);
        let path = self.place(rel)?;
        let same = |old: &Path, len: u64| len == contents.len() as u64 && fs::read(old).is_ok_and(|b| b == contents);
        if self.reuse(rel, &path, same) {
            return Ok(());
        }
        fs::write(path, contents)
    }

    fn copy(&self, from: &Path, rel: &Path) -> io::Result<()> {
        let path = self.place(rel)?;
        let same = |old: &Path, len: u64| {
            from.metadata().is_ok_and(|f| f.len() == len) && fs::read(old).ok() == fs::read(from).ok()
        };
        if self.reuse(rel, &path, same) {
            return Ok(());
        }
        fs::copy(from, path).map(|_| ())
    }
}

/// A file of a site held in memory: generated bytes, or a file on disk
/// (static files and images are served from where they are).
#[derive(Debug, Clone)]
pub enum MemoryFile {
    /// Rendered pages are handed over without a copy.
    Bytes(bytes::Bytes),
    Disk(PathBuf),
}

/// A built site in memory, keyed by output-relative path (`world/x/index.html`).
#[derive(Debug, Default)]
pub struct Memory {
    files: Mutex<HashMap<String, MemoryFile>>,
}

impl Memory {
    pub fn into_files(self) -> HashMap<String, MemoryFile> {
        self.files.into_inner().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn insert(&self, rel: &Path, file: MemoryFile) -> io::Result<()> {
        let key = confined(rel)?.to_string_lossy().replace('\\', "/");
        self.files.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).insert(key, file);
        Ok(())
    }
}

impl Sink for Memory {
    fn write(&self, rel: &str, contents: Vec<u8>) -> io::Result<()> {
        self.insert(Path::new(rel), MemoryFile::Bytes(contents.into()))
    }

    fn copy(&self, from: &Path, rel: &Path) -> io::Result<()> {
        self.insert(rel, MemoryFile::Disk(from.to_path_buf()))
    }
}

/// Removes a folder tree, its files in parallel (a large site's previous
/// output holds tens of thousands of them).
fn remove_tree(dir: &Path) -> io::Result<()> {
    use rayon::prelude::*;
    let files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| !e.file_type().is_dir())
        .map(walkdir::DirEntry::into_path)
        .collect();
    files.par_iter().try_for_each(fs::remove_file)?;
    fs::remove_dir_all(dir)
}

/// Removes a staging or set-aside folder, but only one we made: staging
/// folders carry the mark; a set-aside output is only removed when the real
/// output exists beside it.
fn remove_ours(dir: &Path) -> Result<()> {
    let ours = dir.join(STAGING_MARK).is_file() || (dir.extension().is_some_and(|e| e == "old") && dir.is_dir());
    if ours {
        remove_tree(dir).with_context(|| format!("cannot remove stale {}", dir.display()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_are_confined() {
        let tmp = tempfile::tempdir().unwrap();
        let staging = Staging::create(&tmp.path().join("public")).unwrap();
        assert!(staging.write("../escape.html", b"x".to_vec()).is_err());
        assert!(staging.write("/etc/x", b"x".to_vec()).is_err());
        assert!(staging.write("a/b/index.html", b"x".to_vec()).is_ok());
        staging.commit().unwrap();
        assert!(tmp.path().join("public/a/b/index.html").is_file());
        assert!(!tmp.path().join("escape.html").exists());
    }

    #[test]
    fn abandon_keeps_previous_output() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        fs::create_dir_all(&out).unwrap();
        fs::write(out.join("index.html"), b"old").unwrap();
        let staging = Staging::create(&out).unwrap();
        staging.write("index.html", b"new".to_vec()).unwrap();
        staging.abandon();
        assert_eq!(fs::read(out.join("index.html")).unwrap(), b"old");
        assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 1);
    }

    proptest::proptest! {
        /// Every path a build can produce stays inside the output: routes
        /// from slugs and from any alias string, and any string at all is
        /// either confined or refused.
        #[test]
        fn produced_paths_stay_inside_the_output(words in proptest::collection::vec("\\PC{0,16}", 0..4), alias in "\\PC{0,40}") {
            let route: String = words.iter().map(|w| crate::slug::slugify(w)).filter(|s| !s.is_empty()).map(|s| s + "/").collect();
            let file = crate::site::route::file(&route);
            proptest::prop_assert!(confined(Path::new(&file)).is_ok(), "{file}");
            if let Ok(alias_route) = crate::content::alias_route(&alias) {
                let file = crate::site::route::file(&alias_route);
                proptest::prop_assert!(confined(Path::new(&file)).is_ok(), "{alias:?} -> {file}");
            }
            let anything = Path::new(&alias);
            if let Ok(rel) = confined(anything) {
                let joined = Path::new("/out").join(rel);
                proptest::prop_assert!(joined.starts_with("/out") && !rel.components().any(|c| c == Component::ParentDir));
            }
        }
    }

    #[cfg(unix)]
    #[test]
    fn unchanged_files_are_linked_from_the_previous_output_and_changed_ones_written() {
        use std::os::unix::fs::MetadataExt;
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let first = Staging::create(&out).unwrap();
        first.write("same.html", b"same".to_vec()).unwrap();
        first.write("changed.html", b"old".to_vec()).unwrap();
        first.commit().unwrap();
        let inode = |name: &str| fs::metadata(out.join(name)).unwrap().ino();
        let (same_before, changed_before) = (inode("same.html"), inode("changed.html"));
        let second = Staging::create(&out).unwrap();
        second.write("same.html", b"same".to_vec()).unwrap();
        second.write("changed.html", b"new!".to_vec()).unwrap();
        second.commit().unwrap();
        assert_eq!(inode("same.html"), same_before, "reused");
        assert_ne!(inode("changed.html"), changed_before);
        assert_eq!(fs::read(out.join("changed.html")).unwrap(), b"new!");
        assert_eq!(fs::metadata(out.join("same.html")).unwrap().nlink(), 1, "the old output is gone");
    }

    #[test]
    fn memory_is_confined_too() {
        let memory = Memory::default();
        assert!(memory.write("../x", vec![]).is_err());
        memory.write("a/index.html", b"hi".to_vec()).unwrap();
        assert!(matches!(memory.into_files().get("a/index.html"), Some(MemoryFile::Bytes(b)) if &b[..] == b"hi"));
    }

    #[test]
    fn refuses_sources_and_ancestors() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("site");
        fs::create_dir_all(root.join("content")).unwrap();
        for bad in [
            root.clone(),
            root.join("content"),
            root.join("static/x"),
            tmp.path().to_path_buf(),
            root.join("public/.."),
        ] {
            assert!(check_output_location(&root, &bad).is_err(), "{} should be refused", bad.display());
        }
        assert!(check_output_location(&root, &root.join("public")).is_ok());
    }
}
