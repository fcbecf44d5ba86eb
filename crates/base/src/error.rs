//! How a command can fail, as a type the binary matches to choose its exit
//! code: problems in the site's files (every diagnostic, exit 1), a folder
//! Broadsheet will not write into or publish (exit 1), or anything else:
//! usage, I/O, git, the indexer (exit 2). Lower layers return these, or
//! `anyhow` errors that become [`Error::Other`]; nothing is recovered by
//! downcasting.

use std::fmt;
use std::path::PathBuf;

use crate::diagnostic::{Diagnostic, plural};

/// How a command failed; each kind has its exit code
/// ([`Error::exit_code`]).
#[derive(Debug)]
pub enum Error {
    /// The site has problems; nothing was written. Every diagnostic,
    /// warnings included, in file order.
    Content(Vec<Diagnostic>),
    /// A folder Broadsheet refuses to replace or publish.
    Refused(Refused),
    /// Anything else, with its chain of causes.
    Other(anyhow::Error),
}

/// A result whose error is Broadsheet's [`Error`] unless another is named.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A folder Broadsheet will not write into or publish, and why.
#[derive(Debug)]
pub struct Refused {
    /// The folder refused: a build's output, an import's `--into`, a
    /// folder to publish.
    pub folder: PathBuf,
    /// Why, as a clause: "it is not empty (an import writes a whole new site)".
    pub why: String,
    /// What the user can do instead.
    pub instead: &'static str,
}

impl Error {
    /// The problems in the site's files, sorted, each once.
    pub fn content(mut diagnostics: Vec<Diagnostic>) -> Error {
        diagnostics.sort();
        diagnostics.dedup();
        Error::Content(diagnostics)
    }

    /// 1 for problems in the site or a refused folder, 2 for the rest.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Content(_) | Error::Refused(_) => 1,
            Error::Other(_) => 2,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Content(diagnostics) => {
                let n = diagnostics.iter().filter(|d| d.is_error()).count();
                write!(f, "the site has {}; the output was left as it was", plural(n, "error"))
            }
            Error::Refused(refused) => refused.fmt(f),
            Error::Other(e) => e.fmt(f),
        }
    }
}

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "refusing to use {}: {}. {}", self.folder.display(), self.why, self.instead)
    }
}

impl std::error::Error for Error {}

impl From<anyhow::Error> for Error {
    fn from(e: anyhow::Error) -> Error {
        Error::Other(e)
    }
}

impl From<Refused> for Error {
    fn from(refused: Refused) -> Error {
        Error::Refused(refused)
    }
}
