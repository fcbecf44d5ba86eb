//! `broadsheet import KIND SOURCE`: writes a new site from another
//! generator's, then prints what it did.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, anyhow};

use crate::cli::ImportArgs;
use broadsheet_import::{self as import, Options};

pub fn run(args: ImportArgs) -> broadsheet_base::error::Result<()> {
    let into = match &args.into {
        Some(dir) => dir.clone(),
        None => {
            let stem = args.source.file_stem().map_or_else(|| "imported".into(), |s| s.to_string_lossy().into_owned());
            std::path::PathBuf::from(format!("{stem}-broadsheet"))
        }
    };
    let mut sections = std::collections::BTreeMap::new();
    for pair in &args.section_from {
        let (from, to) = pair
            .split_once('=')
            .filter(|(f, t)| !f.trim().is_empty() && !t.trim().is_empty())
            .ok_or_else(|| anyhow!("--section-from {pair:?}: expected CATEGORY=SECTION, like \"Local News=news\""))?;
        sections.insert(from.trim().to_string(), to.trim().to_string());
    }
    let opts = Options {
        from: args.from,
        source: args.source.clone(),
        into: into.clone(),
        uploads: args.uploads.clone(),
        sections,
        language: args.language.clone(),
    };
    let summary = import::run(&opts)?;
    for line in &summary.lines {
        println!("{line}");
    }
    let checked = make_it_build(&into)?;
    if !checked.left_out.is_empty() {
        println!(
            "Left out {} so the site builds: moved to {LEFT_OUT}/, their old URLs lost (see import-report.md)",
            broadsheet_base::diagnostic::plural(checked.left_out.len(), "file")
        );
    }
    if checked.broken_pictures > 0 {
        println!(
            "{} in the stories cannot be found: named in import-report.md",
            broadsheet_base::diagnostic::plural(checked.broken_pictures, "picture")
        );
    }
    println!("Wrote the site into {}. Next: broadsheet build --root {}", into.display(), into.display());
    Ok(())
}

/// Where files the build refuses are moved: beside `content/`, never published.
const LEFT_OUT: &str = "import-left-out";

/// An import must always build. The site is checked as a build would check
/// it; every content file with an error is moved out of `content/` into
/// [`LEFT_OUT`] (a bundle with its folder) and named in import-report.md
/// with the error, and the check runs again (a file left out can leave
/// another, such as a redirect, without a clash), a few rounds at most.
/// Pictures the build cannot find are named there too.
fn make_it_build(into: &Path) -> broadsheet_base::error::Result<Checked> {
    let mut left_out: Vec<(String, String)> = Vec::new();
    let mut warnings = Vec::new();
    // The check reads photos' headers through the site's cache: one it
    // makes is removed after, so importing twice writes the same files.
    let cache = into.join(broadsheet_site::config::ImagesConfig::default().cache);
    let had_cache = cache.symlink_metadata().is_ok();
    for _ in 0..4 {
        let options = crate::cli::SiteArgs { root: into.to_path_buf() }.build_options();
        let problems = match broadsheet_site::build::check(&options) {
            Ok(diagnostics) => {
                warnings = diagnostics;
                break;
            }
            Err(broadsheet_base::error::Error::Content(problems)) => problems,
            Err(other) => return Err(other),
        };
        warnings = problems.iter().filter(|p| !p.is_error()).cloned().collect();
        let mut moved = false;
        for problem in problems.iter().filter(|p| p.is_error()) {
            let Some(what) = movable(into, &problem.path) else { continue };
            let shown = what.display().to_string();
            if left_out.iter().any(|(f, _)| *f == shown) {
                continue;
            }
            let to = into.join(LEFT_OUT).join(&what);
            if let Some(parent) = to.parent() {
                std::fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
            }
            move_into(&into.join(&what), &to).with_context(|| format!("cannot move {shown} out of content/"))?;
            left_out.push((shown, format!("line {}: {}", problem.line, problem.message)));
            moved = true;
        }
        if !moved {
            break;
        }
    }
    if !had_cache && cache.is_dir() {
        std::fs::remove_dir_all(&cache).with_context(|| format!("cannot remove {}", cache.display()))?;
    }
    let mut extra = String::new();
    let broken = broken_pictures(into, &warnings);
    if !broken.is_empty() {
        extra.push_str(&format!(
            "\n## Pictures readers will not see\n\n{} in the stories could not be found where the new site looks for them (most were missing from the source too). Put each file where its line says, or change the address.\n\n",
            broadsheet_base::diagnostic::plural(broken.len(), "picture")
        ));
        for line in &broken {
            extra.push_str(&format!("- {line}\n"));
        }
    }
    if !left_out.is_empty() {
        extra.push_str(&format!(
            "\n## Left out so the site builds\n\nThese files had errors the build refuses; they were moved to `{LEFT_OUT}/` (not published), and their old URLs are lost. Fix each and move it back into `content/`.\n\n"
        ));
        for (file, why) in &left_out {
            extra.push_str(&format!("- `{file}` ({why})\n"));
        }
    }
    if !extra.is_empty() {
        let report = into.join("import-report.md");
        let mut text = std::fs::read_to_string(&report).unwrap_or_default();
        text.push_str(&extra);
        std::fs::write(&report, text).with_context(|| format!("cannot write {}", report.display()))?;
    }
    Ok(Checked { left_out: left_out.into_iter().map(|(f, _)| f).collect(), broken_pictures: broken.len() })
}

/// What checking the imported site found.
struct Checked {
    /// Content files moved out so the site builds.
    left_out: Vec<String>,
    /// Pictures the stories show that are no file of the new site.
    broken_pictures: usize,
}

/// The build's warnings about pictures it cannot find, one line each:
/// the file (relative to the site), its line and the warning.
fn broken_pictures(into: &Path, warnings: &[broadsheet_base::diagnostic::Diagnostic]) -> Vec<String> {
    let mut lines: Vec<String> = warnings
        .iter()
        .filter(|w| w.message.starts_with("picture `"))
        .map(|w| {
            let file = w.path.strip_prefix(into).unwrap_or(&w.path);
            format!("`{}` line {}: {}", file.display(), w.line, w.message)
        })
        .collect();
    lines.sort();
    lines.dedup();
    lines
}

/// Moves `from` to `to`; a folder whose place is taken already (a file of
/// it was moved before) is moved into it entry by entry.
fn move_into(from: &Path, to: &Path) -> std::io::Result<()> {
    if !to.exists() || !from.is_dir() {
        return std::fs::rename(from, to);
    }
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        move_into(&entry.path(), &to.join(entry.file_name()))?;
    }
    std::fs::remove_dir(from)
}

/// The file or bundle folder under `content/` that a problem names, if it
/// is one the import wrote (never anything outside `content/`).
fn movable(into: &Path, named: &Path) -> Option<PathBuf> {
    let rel = named.strip_prefix(into).unwrap_or(named);
    let mut parts = rel.components();
    if parts.next()?.as_os_str() != broadsheet_base::layout::CONTENT || rel.components().count() < 2 {
        return None;
    }
    let bundle = rel.file_stem().is_some_and(|s| s == "index") && rel.components().count() > 2;
    let what = if bundle { rel.parent()?.to_path_buf() } else { rel.to_path_buf() };
    let on_disk = into.join(&what).symlink_metadata().ok()?;
    (!on_disk.file_type().is_symlink()).then_some(what)
}
