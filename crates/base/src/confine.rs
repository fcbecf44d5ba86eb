//! Reading a folder's files without ever leaving the folder: the one rule
//! for everything Broadsheet reads from a site (content, static files,
//! photos, theme files) or from an import's source (a Jekyll, Hugo or Zola
//! folder, WordPress `--uploads`).
//!
//! A file is opened through a handle on its root folder (`cap-std`, which
//! resolves every part of the path beneath that handle: `openat2` with
//! `RESOLVE_BENEATH` where the kernel has it), so a symbolic link that
//! leads out of the root, or a `..` that climbs out of it, is refused at
//! the moment of opening. A link that stays inside the root is followed.
//! There is no check before the open that a swapped file could slip past.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

/// The root folder's handle. Opened for each call, so a root that was
/// replaced meanwhile (`serve` while the site is moved) is the new one.
fn root_dir(root: &Path) -> io::Result<cap_std::fs::Dir> {
    let root = if root.as_os_str().is_empty() { Path::new(".") } else { root };
    cap_std::fs::Dir::open_ambient_dir(root, cap_std::ambient_authority())
}

/// `path` relative to `root`: given relative (to the root) or joined to it.
fn below<'a>(root: &Path, path: &'a Path) -> io::Result<&'a Path> {
    if let Ok(rel) = path.strip_prefix(root) {
        return Ok(rel);
    }
    // A relative path is taken as relative to the root (it is opened
    // beneath the root either way, so it cannot lead anywhere else).
    if path.is_relative() {
        return Ok(path);
    }
    let message = format!("{} is outside {}: not read", path.display(), root.display());
    Err(io::Error::new(io::ErrorKind::PermissionDenied, message))
}

/// Why a path that the handle refused cannot be read: a symbolic link (or
/// `..`) that leads out of the root, said with where it leads.
fn explain(root: &Path, path: &Path, error: io::Error) -> io::Error {
    if error.kind() != io::ErrorKind::PermissionDenied {
        return error;
    }
    let full = if path.is_relative() { root.join(path) } else { path.to_path_buf() };
    let (Ok(real_root), Ok(target)) = (std::fs::canonicalize(root), std::fs::canonicalize(&full)) else {
        return error;
    };
    if target.starts_with(&real_root) {
        return error;
    }
    io::Error::new(
        io::ErrorKind::PermissionDenied,
        format!(
            "{} leads outside {} (to {}) through a symbolic link or `..`: not followed",
            full.display(),
            root.display(),
            target.display()
        ),
    )
}

/// Opens `path` (below `root`) for reading.
pub fn open(root: &Path, path: &Path) -> io::Result<File> {
    let rel = below(root, path)?;
    let opened = root_dir(root).and_then(|dir| dir.open(rel));
    opened.map(cap_std::fs::File::into_std).map_err(|e| explain(root, path, e))
}

/// The whole of `path` (below `root`).
pub fn read(root: &Path, path: &Path) -> io::Result<Vec<u8>> {
    let mut file = open(root, path)?;
    let mut bytes = Vec::with_capacity(file.metadata().map(|m| m.len() as usize).unwrap_or(0));
    file.read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// The whole of `path` (below `root`) as UTF-8.
pub fn read_to_string(root: &Path, path: &Path) -> io::Result<String> {
    String::from_utf8(read(root, path)?).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
}

/// The first `limit` bytes of `path` (below `root`).
pub fn read_head(root: &Path, path: &Path, limit: u64) -> io::Result<Vec<u8>> {
    let mut head = Vec::new();
    open(root, path)?.take(limit).read_to_end(&mut head)?;
    Ok(head)
}

/// Whether `path` is a file that can be read without leaving `root`.
pub fn is_file(root: &Path, path: &Path) -> bool {
    let Ok(rel) = below(root, path) else { return false };
    root_dir(root).and_then(|dir| dir.metadata(rel)).is_ok_and(|m| m.is_file())
}

/// Whether `path` is a symbolic link (not followed): for walkers that skip
/// links and say so.
pub fn is_link(path: &Path) -> bool {
    path.symlink_metadata().is_ok_and(|m| m.file_type().is_symlink())
}

/// The message a walker gives for a symbolic link it skipped.
pub fn skipped_link(path: &Path) -> String {
    match std::fs::read_link(path) {
        Ok(target) => {
            format!("symbolic link to {} not followed: the folder must hold the files themselves", target.display())
        }
        Err(_) => "symbolic link not followed: the folder must hold the files themselves".into(),
    }
}

/// Writes `bytes` at `path` (below `root`), making its folders: a link or
/// `..` leading out of the root is refused, as for reading. The file is
/// written beside its place and renamed over it, so a reader never sees
/// half of it.
pub fn write(root: &Path, path: &Path, bytes: &[u8]) -> io::Result<()> {
    let rel = below(root, path)?;
    let dir = root_dir(root)?;
    let name = rel.file_name().ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "not a file name"))?;
    let parent = rel.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    dir.create_dir_all(parent).map_err(|e| explain(root, path, e))?;
    let temp = parent.join(format!(".{}.broadsheet-new", name.to_string_lossy()));
    dir.write(&temp, bytes).map_err(|e| explain(root, path, e))?;
    dir.rename(&temp, &dir, rel).map_err(|e| {
        let _ = dir.remove_file(&temp);
        explain(root, path, e)
    })
}

/// Removes the file at `path` (below `root`); a missing file is not an error.
pub fn remove(root: &Path, path: &Path) -> io::Result<()> {
    let rel = below(root, path)?;
    match root_dir(root)?.remove_file(rel) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        other => other.map_err(|e| explain(root, path, e)),
    }
}

/// The files in the folder `path` (below `root`) and its folders down to
/// `depth` levels (1: the folder's own files), relative to `root`, sorted;
/// symbolic links are left out. A missing folder has none.
pub fn list(root: &Path, path: &Path, depth: usize) -> io::Result<Vec<std::path::PathBuf>> {
    fn walk(dir: &cap_std::fs::Dir, at: &Path, depth: usize, out: &mut Vec<std::path::PathBuf>) -> io::Result<()> {
        if depth == 0 {
            return Ok(());
        }
        for entry in dir.entries()? {
            let entry = entry?;
            let kind = entry.file_type()?;
            let name = at.join(entry.file_name());
            if kind.is_dir() {
                walk(&entry.open_dir()?, &name, depth - 1, out)?;
            } else if kind.is_file() {
                out.push(name);
            }
        }
        Ok(())
    }
    let rel = below(root, path)?;
    let dir = match root_dir(root)?.open_dir(if rel.as_os_str().is_empty() { Path::new(".") } else { rel }) {
        Ok(dir) => dir,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(explain(root, path, e)),
    };
    let mut out = Vec::new();
    walk(&dir, rel, depth, &mut out)?;
    out.sort();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn links_out_of_the_root_are_refused_when_opened() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("site");
        std::fs::create_dir_all(root.join("content/a")).unwrap();
        std::fs::write(tmp.path().join("secret.txt"), "secret").unwrap();
        std::fs::write(root.join("content/a/in.txt"), "inside").unwrap();
        symlink(tmp.path().join("secret.txt"), root.join("content/a/out.txt")).unwrap();
        symlink(tmp.path(), root.join("content/up")).unwrap();
        symlink("in.txt", root.join("content/a/near.txt")).unwrap();

        assert_eq!(read(&root, &root.join("content/a/in.txt")).unwrap(), b"inside");
        assert_eq!(read(&root, &root.join("content/a/near.txt")).unwrap(), b"inside", "a link inside is followed");
        for escape in ["content/a/out.txt", "content/up/secret.txt", "content/../../secret.txt"] {
            let e = read(&root, &root.join(escape)).unwrap_err();
            assert_eq!(e.kind(), io::ErrorKind::PermissionDenied, "{escape}");
            assert!(!is_file(&root, &root.join(escape)), "{escape}");
        }
        let e = read(&root, &root.join("content/a/out.txt")).unwrap_err().to_string();
        assert!(e.contains("leads outside") && e.contains("secret.txt"), "{e}");
        assert!(read(&root, &tmp.path().join("secret.txt")).is_err(), "a path beside the root");
        assert!(is_file(&root, &root.join("content/a/near.txt")));
    }

    #[test]
    fn writes_stay_inside_the_root() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("site");
        std::fs::create_dir_all(root.join("content")).unwrap();
        std::fs::create_dir_all(tmp.path().join("outside")).unwrap();
        symlink(tmp.path().join("outside"), root.join("content/up")).unwrap();

        write(&root, Path::new("content/news/x.md"), b"story").unwrap();
        assert_eq!(std::fs::read(root.join("content/news/x.md")).unwrap(), b"story");
        write(&root, Path::new("content/news/x.md"), b"edited").unwrap();
        assert_eq!(read(&root, Path::new("content/news/x.md")).unwrap(), b"edited");
        for escape in ["content/up/x.md", "content/../../x.md", "content/up/new/x.md"] {
            assert!(write(&root, Path::new(escape), b"x").is_err(), "{escape}");
        }
        assert_eq!(std::fs::read_dir(tmp.path().join("outside")).unwrap().count(), 0);
        assert_eq!(
            list(&root, Path::new("content"), 3).unwrap(),
            [Path::new("content/news/x.md")],
            "links are left out"
        );
        remove(&root, Path::new("content/news/x.md")).unwrap();
        remove(&root, Path::new("content/news/x.md")).unwrap();
        assert!(list(&root, Path::new("content/none"), 1).unwrap().is_empty());
    }
}
