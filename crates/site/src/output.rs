//! The only code that writes the output. A build writes into a fresh
//! staging folder beside the output folder and swaps it in at the end, so a
//! failed or interrupted build leaves the previous output as it was.
//!
//! It never deletes what Broadsheet did not make. An existing output folder
//! is replaced only when it is empty or carries the mark a build leaves in
//! it ([`OUTPUT_MARK`]); any other folder is refused unless the user forces
//! it, and even then the home folder, the filesystem root, the current
//! folder, the site and its ancestors, and git repositories (but a
//! `gh-pages` checkout) are refused. Staging and set-aside folders get
//! unique names and their own mark, and only marked folders are removed.

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use anyhow::{Context as _, Result, anyhow};

use broadsheet_base::error::{Error, Refused};
use broadsheet_base::route::Route;

/// Left in every output folder a build makes: the next build may replace a
/// folder that has it. `deploy` leaves it out of what it publishes.
pub const OUTPUT_MARK: &str = ".broadsheet-output";

/// Written into staging and set-aside folders, so only folders we made are
/// ever removed as leftovers of an interrupted build.
const WORK_MARK: &str = ".broadsheet-work";

pub use broadsheet_base::sink::Sink;

/// Refuses relative paths that could leave the output folder.
fn confined(rel: &Path) -> io::Result<&Path> {
    if rel.components().next().is_some() && rel.components().all(|c| matches!(c, Component::Normal(_))) {
        Ok(rel)
    } else {
        let message = format!("refusing to write outside the output folder: {}", rel.display());
        Err(io::Error::new(io::ErrorKind::InvalidInput, message))
    }
}

/// The folder a build writes into: made fresh beside the output folder and
/// swapped in by [`Staging::commit`] when the build succeeded, or removed by
/// [`Staging::abandon`]. An unchanged file of the previous output is linked,
/// not written again.
pub struct Staging {
    output: PathBuf,
    dir: PathBuf,
    /// The site's folder: files are copied from beneath it only.
    site: PathBuf,
    /// Folders already made, so each page does not ask the file system again.
    made: Mutex<std::collections::HashSet<PathBuf>>,
}

const NEVER: &str =
    "Choose another output folder (the default is public/ in the site folder); even --force never replaces this one.";
const UNMARKED: &str = "Choose another folder, empty this one yourself, or pass --force to replace it with the site.";

fn refuse(folder: &Path, why: impl Into<String>, instead: &'static str) -> Error {
    Refused { folder: folder.to_path_buf(), why: why.into(), instead }.into()
}

/// Whether a build may replace `output` for the site at `site_root`: only a
/// missing or empty folder, or one a build made, unless `force`. Never the
/// site, its sources or its ancestors, the home folder, the filesystem
/// root, the current folder, or a folder holding a git repository other
/// than a `gh-pages` checkout.
pub fn check_output_location(site_root: &Path, output: &Path, force: bool) -> broadsheet_base::error::Result<()> {
    let root =
        fs::canonicalize(site_root).with_context(|| format!("cannot open site folder {}", site_root.display()))?;
    let out = absolute(output)?;
    never_replaced(&root, &out, output)?;
    if out.exists() && !out.is_dir() {
        return Err(anyhow!("the output path {} exists and is not a folder", output.display()).into());
    }
    if !out.exists() || is_marked(&out) || is_empty(&out)? {
        return Ok(());
    }
    if !force {
        let why = format!(
            "it holds files that Broadsheet did not write (it has no {OUTPUT_MARK} mark from an earlier build), and a build replaces its output folder whole"
        );
        return Err(refuse(output, why, UNMARKED));
    }
    if let Some(repo) = foreign_repository(&out) {
        let why =
            format!("it holds the git repository {}, and a build replaces its output folder whole", repo.display());
        return Err(refuse(output, why, NEVER));
    }
    Ok(())
}

/// The places no build replaces, `--force` or not.
fn never_replaced(root: &Path, out: &Path, given: &Path) -> broadsheet_base::error::Result<()> {
    if out.parent().is_none() {
        return Err(refuse(given, "it is the filesystem root", NEVER));
    }
    if root.starts_with(out) {
        return Err(refuse(given, "it is the site folder or contains it", NEVER));
    }
    for source in broadsheet_base::layout::SOURCES {
        if out.starts_with(root.join(source)) {
            return Err(refuse(given, format!("it is inside the site's {source}/ folder"), NEVER));
        }
    }
    if let Some(home) = std::env::home_dir().and_then(|h| fs::canonicalize(h).ok())
        && home.starts_with(out)
    {
        return Err(refuse(given, "it is your home folder or contains it", NEVER));
    }
    if let Ok(here) = std::env::current_dir().and_then(fs::canonicalize)
        && here.starts_with(out)
    {
        return Err(refuse(given, "it is the current folder or contains it", NEVER));
    }
    Ok(())
}

/// Whether a build made `dir` (it carries the output mark).
pub fn is_marked(dir: &Path) -> bool {
    dir.join(OUTPUT_MARK).symlink_metadata().is_ok_and(|m| m.is_file())
}

fn is_empty(dir: &Path) -> Result<bool> {
    let mut entries = fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))?;
    Ok(entries.next().is_none())
}

/// The first git repository inside `dir`, except a `gh-pages` checkout at
/// its top (`git worktree add public gh-pages`), which a build keeps.
fn foreign_repository(dir: &Path) -> Option<PathBuf> {
    let mut walker = walkdir::WalkDir::new(dir).follow_links(false).into_iter();
    while let Some(entry) = walker.next() {
        let Ok(entry) = entry else { continue };
        if entry.file_name() != ".git" {
            continue;
        }
        if entry.file_type().is_dir() {
            walker.skip_current_dir();
        }
        let top = entry.depth() == 1;
        if !(top && is_gh_pages(entry.path())) {
            return Some(entry.path().parent().unwrap_or(dir).to_path_buf());
        }
    }
    None
}

/// Whether `dot_git` (a `.git` folder, or a worktree's `.git` file) has
/// `gh-pages` checked out.
fn is_gh_pages(dot_git: &Path) -> bool {
    let git_dir = if dot_git.is_file() {
        let Ok(text) = fs::read_to_string(dot_git) else { return false };
        let Some(target) = text.trim().strip_prefix("gitdir:") else { return false };
        dot_git.parent().unwrap_or(Path::new(".")).join(target.trim())
    } else {
        dot_git.to_path_buf()
    };
    fs::read_to_string(git_dir.join("HEAD")).is_ok_and(|head| head.trim() == "ref: refs/heads/gh-pages")
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

/// The output's folder and name, and the prefixes of its staging and
/// set-aside folders (`.public.staging-XXXXXX`, `.public.old-XXXXXX`).
struct Beside {
    parent: PathBuf,
    name: std::ffi::OsString,
    staging: String,
    old: String,
}

impl Beside {
    fn of(output: &Path) -> Result<Beside> {
        let name = output.file_name().context("the output folder needs a name")?.to_os_string();
        let parent = output.parent().context("the output folder needs a parent folder")?.to_path_buf();
        let shown = name.to_string_lossy();
        Ok(Beside { staging: format!(".{shown}.staging-"), old: format!(".{shown}.old-"), parent, name })
    }

    /// A new, uniquely named, marked folder beside the output.
    fn make(&self, prefix: &str) -> Result<PathBuf> {
        fs::create_dir_all(&self.parent).with_context(|| format!("cannot create {}", self.parent.display()))?;
        let dir = tempfile::Builder::new()
            .prefix(prefix)
            .tempdir_in(&self.parent)
            .with_context(|| format!("cannot create a folder in {}", self.parent.display()))?
            .keep();
        fs::write(dir.join(WORK_MARK), b"").with_context(|| format!("cannot write in {}", dir.display()))?;
        Ok(dir)
    }

    /// Folders left by an interrupted build, with whether each is a
    /// set-aside output: named as ours and carrying the mark, or named as
    /// ours and holding no file at all (a build killed between making the
    /// folder and marking it, or while removing it: the mark goes last).
    fn leftovers(&self) -> Vec<(PathBuf, bool)> {
        let Ok(entries) = fs::read_dir(&self.parent) else { return Vec::new() };
        entries
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
            .filter_map(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                let old = name.starts_with(&self.old);
                let named = old || name.starts_with(&self.staging);
                let ours = named && (e.path().join(WORK_MARK).is_file() || holds_no_file(&e.path()));
                ours.then(|| (e.path(), old))
            })
            .collect()
    }
}

impl Staging {
    /// Creates a fresh staging folder beside `output` for the site at
    /// `site_root`, first putting back an output left aside by an
    /// interrupted swap and removing what interrupted builds left.
    pub fn create(output: &Path, site_root: &Path) -> Result<Staging> {
        let output = absolute(output)?;
        let beside = Beside::of(&output)?;
        for (leftover, old) in beside.leftovers() {
            let kept = leftover.join(&beside.name);
            if old && !output.exists() && kept.is_dir() {
                fs::rename(&kept, &output).with_context(|| format!("cannot restore {}", output.display()))?;
            }
            remove_tree(&leftover).with_context(|| format!("cannot remove stale {}", leftover.display()))?;
        }
        let dir = beside.make(&beside.staging)?;
        let mark = format!(
            "Made by Broadsheet for the site in {}.\nEach build replaces this folder whole. `broadsheet deploy` does not publish this file.\n",
            site_root.display()
        );
        fs::write(dir.join(OUTPUT_MARK), mark).with_context(|| format!("cannot write in {}", dir.display()))?;
        Ok(Staging { output, dir, site: site_root.to_path_buf(), made: Mutex::default() })
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

    /// Swaps the staging folder in as the output. A `gh-pages` checkout's
    /// `.git` in the previous output is carried over into the new one.
    pub fn commit(self) -> Result<()> {
        let beside = Beside::of(&self.output)?;
        let had_output = self.output.exists();
        let carried = self.output.join(".git");
        let carry = had_output && carried.symlink_metadata().is_ok();
        if carry {
            fs::rename(&carried, self.dir.join(".git")).context("cannot carry the output's .git over")?;
        }
        let aside = if had_output { Some(beside.make(&beside.old)?) } else { None };
        if let Some(aside) = &aside {
            fs::rename(&self.output, aside.join(&beside.name))
                .with_context(|| format!("cannot move {} aside", self.output.display()))?;
        }
        if let Err(e) = fs::rename(&self.dir, &self.output) {
            if let Some(aside) = &aside {
                let _ = fs::rename(aside.join(&beside.name), &self.output);
            }
            if carry {
                let _ = fs::rename(self.dir.join(".git"), &carried);
            }
            return Err(e).with_context(|| format!("cannot move the new site into {}", self.output.display()));
        }
        let _ = fs::remove_file(self.output.join(WORK_MARK));
        if let Some(aside) = aside {
            remove_tree(&aside).with_context(|| format!("cannot remove the previous output at {}", aside.display()))?;
        }
        Ok(())
    }

    /// Removes the staging folder, leaving the output untouched.
    pub fn abandon(self) {
        let _ = remove_tree(&self.dir);
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
        let mut source = broadsheet_base::confine::open(&self.site, from)?;
        let same = |old: &Path, len: u64| {
            source.metadata().is_ok_and(|f| f.len() == len)
                && fs::read(old).ok() == broadsheet_base::confine::read(&self.site, from).ok()
        };
        if self.reuse(rel, &path, same) {
            return Ok(());
        }
        io::copy(&mut source, &mut fs::File::create(path)?).map(|_| ())
    }

    fn link(&self, from: &Path, rel: &Path) -> io::Result<()> {
        let path = self.place(rel)?;
        match fs::hard_link(from, &path) {
            Ok(()) => Ok(()),
            // Written already by this build: a resized photo every language
            // of a site shows (its name is its content's hash).
            Err(e)
                if e.kind() == io::ErrorKind::AlreadyExists
                    && Route::from_site_path(&rel.to_string_lossy()).is_ok_and(|r| r.is_shared()) =>
            {
                Ok(())
            }
            Err(_) => fs::copy(from, path).map(|_| ()),
        }
    }
}

/// A file of a site held in memory: generated bytes, or a file on disk
/// (static files and images are served from where they are).
#[derive(Debug, Clone)]
pub enum MemoryFile {
    /// Rendered pages are handed over without a copy.
    Bytes(bytes::Bytes),
    /// A file of the site's own, read beneath the site's folder when served
    /// (`confine`: a file swapped for a symbolic link out of it is refused).
    Disk(PathBuf),
    /// A file Broadsheet made (a cache entry, named by its content).
    Made(PathBuf),
}

/// A built site in memory, keyed by output-relative path (`world/x/index.html`).
#[derive(Debug, Default)]
pub struct Memory {
    files: Mutex<HashMap<String, MemoryFile>>,
}

impl Memory {
    /// Every file written, by output-relative path with `/`
    /// (`world/x/index.html`).
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

    fn link(&self, from: &Path, rel: &Path) -> io::Result<()> {
        self.insert(rel, MemoryFile::Made(from.to_path_buf()))
    }
}

/// Removes a folder tree, its files in parallel (a large site's previous
/// output holds tens of thousands of them). The work mark goes last, so a
/// removal cut short leaves a marked folder the next build finishes.
fn remove_tree(dir: &Path) -> io::Result<()> {
    use rayon::prelude::*;
    let mark = dir.join(WORK_MARK);
    let files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| !e.file_type().is_dir() && e.path() != mark)
        .map(walkdir::DirEntry::into_path)
        .collect();
    files.par_iter().try_for_each(fs::remove_file)?;
    let mut dirs: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .min_depth(1)
        .contents_first(true)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_dir())
        .map(walkdir::DirEntry::into_path)
        .collect();
    dirs.dedup();
    for d in dirs {
        fs::remove_dir(&d)?;
    }
    match fs::remove_file(&mark) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    fs::remove_dir(dir)
}

/// Whether a folder tree holds only folders (no file, no link).
fn holds_no_file(dir: &Path) -> bool {
    walkdir::WalkDir::new(dir).follow_links(false).into_iter().all(|e| e.is_ok_and(|e| e.file_type().is_dir()))
}

/// GitHub Pages refuses a published site larger than this (1 GB).
pub const PAGES_LIMIT: u64 = 1_000_000_000;

/// How big a built site is: its files, their bytes, and its largest
/// top-level folders (name, bytes), largest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SiteSize {
    /// How many files (links not followed; a `gh-pages` checkout's `.git` left
    /// out).
    pub files: usize,
    /// Their total size, in bytes.
    pub bytes: u64,
    /// The three largest top-level folders (name, bytes), largest first; files
    /// at the top are in none.
    pub largest: Vec<(String, u64)>,
}

impl SiteSize {
    /// Measures the output folder (a `gh-pages` checkout's `.git` left out).
    pub fn of(output: &Path) -> SiteSize {
        let mut size = SiteSize::default();
        let mut folders: BTreeMap<String, u64> = BTreeMap::new();
        let walk = walkdir::WalkDir::new(output).follow_links(false).into_iter();
        for entry in walk.filter_entry(|e| e.depth() != 1 || e.file_name() != ".git").filter_map(Result::ok) {
            if !entry.file_type().is_file() {
                continue;
            }
            let bytes = entry.metadata().map_or(0, |m| m.len());
            size.files += 1;
            size.bytes += bytes;
            let rel = entry.path().strip_prefix(output).unwrap_or(entry.path());
            if rel.components().count() > 1
                && let Some(top) = rel.components().next()
            {
                *folders.entry(top.as_os_str().to_string_lossy().into_owned()).or_default() += bytes;
            }
        }
        size.largest = folders.into_iter().collect();
        size.largest.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        size.largest.truncate(3);
        size
    }

    /// "12.4 MB in 1,204 files (largest: tags/ 4.1 MB, world/ 3.0 MB, _search/ 2.2 MB)".
    pub fn describe(&self) -> String {
        let largest: Vec<String> = self.largest.iter().map(|(name, b)| format!("{name}/ {}", megabytes(*b))).collect();
        let largest = if largest.is_empty() { String::new() } else { format!(" (largest: {})", largest.join(", ")) };
        format!("{} in {} files{largest}", megabytes(self.bytes), self.files)
    }

    /// A warning when the site is over GitHub Pages' limit, with what to change.
    pub fn pages_warning(&self) -> Option<String> {
        (self.bytes > PAGES_LIMIT).then(|| {
            let biggest = self.largest.first().map(|(n, _)| format!(" {n}/ is the largest part.")).unwrap_or_default();
            format!(
                "the site is {}, over GitHub Pages' 1 GB limit: Pages will refuse it.{biggest} Set `[feeds] full_content = false` or a lower `[feeds] limit`, use fewer photo widths (`[images] widths`), or publish to other hosting",
                megabytes(self.bytes)
            )
        })
    }
}

/// Bytes in decimal megabytes, one decimal (as hosts count their limits).
fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1_000_000.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_site_over_the_pages_limit_is_warned_about() {
        let tmp = tempfile::tempdir().unwrap();
        fs::create_dir_all(tmp.path().join("tags/a")).unwrap();
        fs::create_dir_all(tmp.path().join(".git")).unwrap();
        fs::write(tmp.path().join("tags/a/index.html"), vec![b'x'; 3000]).unwrap();
        fs::write(tmp.path().join("index.html"), vec![b'x'; 1000]).unwrap();
        fs::write(tmp.path().join(".git/pack"), vec![b'x'; 9000]).unwrap();
        let size = SiteSize::of(tmp.path());
        assert_eq!((size.files, size.bytes), (2, 4000));
        assert_eq!(size.largest, [("tags".to_string(), 3000)]);
        assert_eq!(size.describe(), "0.0 MB in 2 files (largest: tags/ 0.0 MB)");
        assert_eq!(size.pages_warning(), None);
        let big = SiteSize { files: 9, bytes: PAGES_LIMIT + 1, largest: vec![("tags".into(), PAGES_LIMIT / 2)] };
        let warning = big.pages_warning().unwrap();
        assert!(warning.starts_with("the site is 1000.0 MB, over GitHub Pages' 1 GB limit"), "{warning}");
        assert!(warning.contains("tags/ is the largest part"), "{warning}");
    }

    #[test]
    fn writes_are_confined() {
        let tmp = tempfile::tempdir().unwrap();
        let staging = Staging::create(&tmp.path().join("public"), tmp.path()).unwrap();
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
        let staging = Staging::create(&out, tmp.path()).unwrap();
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
            let slugs: Vec<String> = words.iter().map(|w| broadsheet_base::slug::slugify(w)).filter(|s| !s.is_empty()).collect();
            if let [section, slug, ..] = slugs.as_slice() {
                let file = broadsheet_base::route::Route::article(section, slug).file();
                proptest::prop_assert!(confined(Path::new(&file)).is_ok(), "{file}");
            }
            if let Ok(alias_route) = broadsheet_base::route::Route::alias(&alias) {
                let file = alias_route.file();
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
        let first = Staging::create(&out, tmp.path()).unwrap();
        first.write("same.html", b"same".to_vec()).unwrap();
        first.write("changed.html", b"old".to_vec()).unwrap();
        first.commit().unwrap();
        let inode = |name: &str| fs::metadata(out.join(name)).unwrap().ino();
        let (same_before, changed_before) = (inode("same.html"), inode("changed.html"));
        let second = Staging::create(&out, tmp.path()).unwrap();
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

    /// A folder of someone's files, and what they hold.
    fn theirs(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
        fs::create_dir_all(dir.join("docs")).unwrap();
        fs::write(dir.join("docs/thesis.txt"), b"four years").unwrap();
        fs::write(dir.join("notes.txt"), b"notes").unwrap();
        snapshot(dir)
    }

    fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
        let mut files: Vec<_> = walkdir::WalkDir::new(dir)
            .into_iter()
            .map(Result::unwrap)
            .filter(|e| e.file_type().is_file())
            .map(|e| (e.path().to_path_buf(), fs::read(e.path()).unwrap()))
            .collect();
        files.sort();
        files
    }

    fn site(tmp: &Path) -> PathBuf {
        let root = tmp.join("site");
        fs::create_dir_all(root.join("content")).unwrap();
        root
    }

    /// What `build` does with the folder: check, then stage and swap.
    fn replace(root: &Path, out: &Path, force: bool) -> broadsheet_base::error::Result<()> {
        check_output_location(root, out, force)?;
        let staging = Staging::create(out, root)?;
        staging.write("index.html", b"site".to_vec()).map_err(anyhow::Error::from)?;
        Ok(staging.commit()?)
    }

    #[test]
    fn a_folder_of_other_files_is_refused_and_kept() {
        let tmp = tempfile::tempdir().unwrap();
        let root = site(tmp.path());
        let out = tmp.path().join("thesis");
        let before = theirs(&out);
        let Err(Error::Refused(refused)) = replace(&root, &out, false) else { panic!("expected a refusal") };
        assert!(refused.to_string().contains("--force"), "{refused}");
        assert_eq!(snapshot(&out), before);
        assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 2, "nothing was made beside it");
    }

    #[test]
    fn empty_and_marked_folders_are_replaced_and_forced_ones_too() {
        let tmp = tempfile::tempdir().unwrap();
        let root = site(tmp.path());
        let out = tmp.path().join("out");
        fs::create_dir_all(&out).unwrap();
        replace(&root, &out, false).unwrap();
        assert!(is_marked(&out));
        fs::write(out.join("stale.html"), b"old").unwrap();
        replace(&root, &out, false).unwrap();
        assert!(!out.join("stale.html").exists(), "a marked output is replaced whole");
        let forced = tmp.path().join("forced");
        theirs(&forced);
        replace(&root, &forced, true).unwrap();
        assert_eq!(fs::read(forced.join("index.html")).unwrap(), b"site");
        assert!(!forced.join("notes.txt").exists());
    }

    #[test]
    fn force_never_replaces_a_repository_but_keeps_a_gh_pages_checkout() {
        let tmp = tempfile::tempdir().unwrap();
        let root = site(tmp.path());
        let repo = tmp.path().join("repo");
        let before = theirs(&repo);
        fs::create_dir_all(repo.join("docs/.git")).unwrap();
        fs::write(repo.join("docs/.git/HEAD"), "ref: refs/heads/main\n").unwrap();
        assert!(matches!(replace(&root, &repo, true), Err(Error::Refused(_))));
        assert_eq!(snapshot(&repo).len(), before.len() + 1);
        let pages = tmp.path().join("pages");
        fs::create_dir_all(pages.join(".git")).unwrap();
        fs::write(pages.join(".git/HEAD"), "ref: refs/heads/gh-pages\n").unwrap();
        fs::write(pages.join("old.html"), b"old").unwrap();
        replace(&root, &pages, true).unwrap();
        assert_eq!(fs::read_to_string(pages.join(".git/HEAD")).unwrap(), "ref: refs/heads/gh-pages\n");
        assert!(pages.join("index.html").is_file() && !pages.join("old.html").exists());
    }

    #[test]
    fn only_marked_leftovers_are_removed() {
        let tmp = tempfile::tempdir().unwrap();
        let root = site(tmp.path());
        let out = tmp.path().join("public");
        let lookalike = tmp.path().join(".public.old-mine");
        let before = theirs(&lookalike);
        let stale = Beside::of(&out).unwrap().make(".public.staging-").unwrap();
        replace(&root, &out, false).unwrap();
        assert_eq!(snapshot(&lookalike), before, "a folder we did not make is kept");
        assert!(!stale.exists(), "our own leftover is removed");
    }

    #[test]
    fn an_output_set_aside_by_a_killed_swap_is_put_back() {
        let tmp = tempfile::tempdir().unwrap();
        let root = site(tmp.path());
        let out = tmp.path().join("public");
        replace(&root, &out, false).unwrap();
        let aside = Beside::of(&out).unwrap().make(".public.old-").unwrap();
        fs::rename(&out, aside.join("public")).unwrap();
        let staging = Staging::create(&out, &root).unwrap();
        assert_eq!(fs::read(out.join("index.html")).unwrap(), b"site");
        staging.abandon();
        assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 2);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]
        /// However a folder is spelled (`..` detours, `.`, trailing
        /// slashes, symlinks), a build never removes a folder it did not
        /// make unless forced, and never the site or a repository.
        #[cfg(unix)]
        #[test]
        fn no_spelling_removes_an_unmarked_folder(
            target in 0..5usize, detour in proptest::bool::ANY, dot in proptest::bool::ANY,
            slash in proptest::bool::ANY, link in proptest::bool::ANY, force in proptest::bool::ANY,
        ) {
            let tmp = tempfile::tempdir().unwrap();
            let base = fs::canonicalize(tmp.path()).unwrap();
            let root = site(&base);
            let other = base.join("other");
            let repo = base.join("repo");
            theirs(&other);
            theirs(&repo);
            fs::create_dir_all(repo.join(".git")).unwrap();
            fs::write(repo.join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
            let names = ["other", "repo", "site", "", "site/content"];
            let mut spelled = base.clone();
            if detour {
                spelled.push("site");
                spelled.push("..");
            }
            if dot {
                spelled.push(".");
            }
            if link && !names[target].is_empty() {
                let via = base.join("via");
                std::os::unix::fs::symlink(base.join(names[target]), &via).unwrap();
                spelled.push("via");
            } else {
                spelled.push(names[target]);
            }
            let mut spelled = spelled.into_os_string();
            if slash {
                spelled.push("/");
            }
            let protected = [&repo, &root, &base].map(|d| snapshot(d));
            let others = snapshot(&other);
            let result = replace(&root, Path::new(&spelled), force);
            if !(force && target == 0) {
                proptest::prop_assert_eq!(snapshot(&other), others);
            }
            if target != 0 {
                proptest::prop_assert!(result.is_err(), "{:?} was replaced", spelled);
                proptest::prop_assert_eq!(&[&repo, &root, &base].map(|d| snapshot(d)), &protected);
            }
        }
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
            PathBuf::from("/"),
        ] {
            assert!(check_output_location(&root, &bad, true).is_err(), "{} should be refused", bad.display());
        }
        assert!(check_output_location(&root, &root.join("public"), false).is_ok());
    }
}
