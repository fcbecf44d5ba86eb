//! The one place that writes to the terminal what a run found: warnings,
//! the errors a command ended with and their causes. Commands print their
//! own one-line summaries; everything about problems goes through here, so
//! `build`, `deploy`, `new` and `serve` say them the same way.

use broadsheet_base::diagnostic::Diagnostic;
use broadsheet_base::error::Error;

/// Each diagnostic on its own line of standard error.
pub fn diagnostics(diagnostics: &[Diagnostic]) {
    for line in lines(diagnostics) {
        eprintln!("{line}");
    }
}

/// Problems already put into words (`serve` keeps them as lines for its
/// page overlay), each on its own line of standard error.
pub fn problem_lines(lines: &[String]) {
    for line in lines {
        eprintln!("{line}");
    }
}

/// An error that belongs to no file and ends nothing (`serve` goes on).
pub fn error_line(message: &str) {
    eprintln!("error: {message}");
}

/// A warning that belongs to no file.
pub fn warning(message: &str) {
    eprintln!("warning: {message}");
}

/// The error a command ended with: the site's diagnostics, then one
/// `error:` line, then the causes, if any.
pub fn error(e: &Error) {
    if let Error::Content(found) = e {
        diagnostics(found);
    }
    eprintln!("error: {e}");
    if let Error::Other(e) = e {
        for cause in e.chain().skip(1) {
            eprintln!("  caused by: {cause}");
        }
    }
}

/// The lines `diagnostics` prints, for `serve`'s page overlay.
pub fn lines(diagnostics: &[Diagnostic]) -> Vec<String> {
    diagnostics.iter().map(ToString::to_string).collect()
}

/// What `serve` shows for an error: the diagnostics, or the message and
/// its causes.
pub fn error_lines(e: &Error) -> Vec<String> {
    match e {
        Error::Content(found) => lines(found),
        Error::Other(e) => e.chain().map(ToString::to_string).collect(),
        Error::Refused(_) => vec![e.to_string()],
    }
}
