//! Where a build's files go ([`Sink`]), for the parts of the build that
//! write files without knowing the output folder (the search index).

use std::io;
use std::path::Path;

/// Where a build's files go: a staging folder on disk, or memory (for
/// `serve`). Paths are output-relative and may never leave the output.
pub trait Sink: Sync {
    /// Puts `contents` at `rel` (`_search/index.json`), replacing what is
    /// there.
    fn write(&self, rel: &str, contents: Vec<u8>) -> io::Result<()>;
    /// Puts the site's file `from` at `rel`, read beneath the site's folder
    /// (a symbolic link out of it is refused when the file is opened).
    fn copy(&self, from: &Path, rel: &Path) -> io::Result<()>;
    /// Puts `from`, a file that never changes in place (a cache entry,
    /// named by its content), at `rel`: a hard link where the file system
    /// allows, so a rebuild does not copy photos again.
    fn link(&self, from: &Path, rel: &Path) -> io::Result<()> {
        self.copy(from, rel)
    }
}
