//! The conventions ARCHITECTURE.md states, checked mechanically (after
//! rust-analyzer's `tidy.rs`), so the document cannot drift from the code:
//! every module opens with its `//!` paragraph and is named in the code
//! map; routes are formatted only in `route.rs`; `site` and `render` touch
//! no file system (but the theme loader); no `unwrap()` outside tests.

use std::path::{Path, PathBuf};

use crate::harness::repo;

/// Every `.rs` file under `src/`, relative to the repository.
fn sources() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(repo().join("src"))
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.path().extension().is_some_and(|x| x == "rs"))
        .map(|e| e.path().strip_prefix(repo()).unwrap().to_path_buf())
        .collect();
    files.sort();
    files
}

/// The file's code before its `#[cfg(test)]` module, line by line with
/// line numbers, comments dropped.
fn code(file: &Path) -> Vec<(usize, String)> {
    let text = std::fs::read_to_string(repo().join(file)).unwrap();
    text.lines()
        .enumerate()
        .take_while(|(_, l)| l.trim() != "#[cfg(test)]")
        .filter(|(_, l)| !l.trim_start().starts_with("//"))
        .map(|(n, l)| (n + 1, l.to_string()))
        .collect()
}

fn under(file: &Path, dir: &str) -> bool {
    file.starts_with(Path::new("src").join(dir))
}

#[test]
fn every_module_says_what_it_owns() {
    for file in sources() {
        let text = std::fs::read_to_string(repo().join(&file)).unwrap();
        assert!(text.starts_with("//!"), "{} does not open with a `//!` paragraph", file.display());
    }
}

#[test]
fn architecture_md_names_every_module() {
    // A top-level module by its file; a module folder's files by the folder
    // (`content/`) or by their own path (`render/feed.rs`).
    let map = std::fs::read_to_string(repo().join("ARCHITECTURE.md")).unwrap();
    for file in sources() {
        let rel = file.strip_prefix("src").unwrap();
        let mut names = vec![format!("`{}`", rel.display())];
        if let Some(dir) = rel.parent().filter(|p| !p.as_os_str().is_empty()) {
            names.push(format!("`{}/`", dir.display()));
        }
        assert!(names.iter().any(|n| map.contains(n)), "ARCHITECTURE.md's code map names none of {names:?}");
    }
}

#[test]
fn routes_are_formatted_only_in_the_route_module() {
    // In the pipeline (loading, the model, rendering), a `format!` that
    // puts a slash against a placeholder is a route made by hand.
    let pipeline = |f: &Path| {
        ["content", "render", "search"].iter().any(|d| under(f, d))
            || ["src/site.rs", "src/live.rs", "src/build.rs"].iter().any(|m| f == Path::new(m))
    };
    let mut found = Vec::new();
    for file in sources().into_iter().filter(|f| pipeline(f)) {
        for (n, line) in code(&file) {
            let Some(at) = line.find("format!(\"") else { continue };
            let literal = line[at + 9..].split('"').next().unwrap_or("");
            if literal.contains("}/") || literal.contains("/{") {
                found.push(format!("{}:{n}: {}", file.display(), line.trim()));
            }
        }
    }
    assert!(found.is_empty(), "routes formatted outside src/route.rs:\n{}", found.join("\n"));
}

#[test]
fn the_model_and_the_renderer_touch_no_files() {
    let mut found = Vec::new();
    for file in sources().into_iter().filter(|f| f == Path::new("src/site.rs") || under(f, "render")) {
        if file == Path::new("src/render/theme.rs") {
            continue; // reads the site's templates/, as ARCHITECTURE.md says
        }
        for (n, line) in code(&file) {
            if line.contains("std::fs") || line.contains("fs::") || line.contains("File::") {
                found.push(format!("{}:{n}: {}", file.display(), line.trim()));
            }
        }
    }
    assert!(found.is_empty(), "file system use in pure modules:\n{}", found.join("\n"));
}

#[test]
fn no_unwrap_outside_tests() {
    let mut found = Vec::new();
    for file in sources() {
        for (n, line) in code(&file) {
            if line.contains(".unwrap()") || line.contains(".expect(") {
                found.push(format!("{}:{n}: {}", file.display(), line.trim()));
            }
        }
    }
    assert!(found.is_empty(), "unwrap/expect outside tests (return an error instead):\n{}", found.join("\n"));
}
