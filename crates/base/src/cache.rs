//! The build cache folder (`.broadsheet-cache/`): made with a `.gitignore`
//! that keeps it out of the site's repository, and written one whole file
//! at a time. A leaf module shared by photos and the search index.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::{Context as _, Result};

/// Makes the cache folder, with a `.gitignore` that keeps it out of the
/// site's repository.
pub fn make_cache(cache: &Path, dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot make the cache {}", dir.display()))?;
    let ignore = cache.join(".gitignore");
    if !ignore.exists() {
        std::fs::write(&ignore, "# Broadsheet's cache of encoded photos: made again when missing.\n*\n")
            .with_context(|| format!("cannot write {}", ignore.display()))?;
    }
    Ok(())
}

/// Writes a cache file beside its place, then renames it there: a build
/// killed midway leaves no half file, and two writers of one file (the
/// same photo used twice) each write whole.
pub fn put(target: &Path, bytes: &[u8]) -> std::io::Result<()> {
    static WRITES: AtomicUsize = AtomicUsize::new(0);
    let n = WRITES.fetch_add(1, Ordering::Relaxed);
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let partial = target.with_file_name(format!(".{name}.{}-{n}.partial", std::process::id()));
    std::fs::write(&partial, bytes).and_then(|_| std::fs::rename(&partial, target)).map_err(|e| {
        let _ = std::fs::remove_file(&partial);
        std::io::Error::new(e.kind(), format!("cannot write the cache {}: {e}", target.display()))
    })
}
