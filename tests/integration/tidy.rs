//! The conventions ARCHITECTURE.md states, checked mechanically (after
//! rust-analyzer's `tidy.rs`), so the document cannot drift from the code:
//! every module opens with its `//!` paragraph and is named in its crate's
//! code map; the crates depend in one direction and the pipeline crate's
//! modules use only the modules below them; routes are formatted only in
//! `route.rs`; `site` and `render` touch no file system (but the theme
//! loader); no `unwrap()` outside tests; no function over 100 lines and no
//! pipeline or import file over 800.

use std::path::{Path, PathBuf};

use crate::harness::repo;

/// The workspace's crates: the folder of each, and its package name.
const CRATES: [(&str, &str); 8] = [
    (".", "broadsheet"),
    ("crates/base", "broadsheet-base"),
    ("crates/search", "broadsheet-search"),
    ("crates/import", "broadsheet-import"),
    ("crates/reactions", "broadsheet-reactions"),
    ("crates/site", "broadsheet-site"),
    ("crates/photo-codec", "photo-codec"),
    ("crates/publish", "broadsheet-publish"),
];

/// Every `.rs` file under the crates' `src/`, relative to the repository.
fn sources() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = CRATES
        .iter()
        .flat_map(|(dir, _)| walkdir::WalkDir::new(repo().join(dir).join("src")))
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
    file.starts_with(dir)
}

/// The crate folder a source file is in, and the file's path in its `src/`.
fn crate_of(file: &Path) -> (&'static str, &Path) {
    let (dir, _) =
        CRATES.iter().filter(|(dir, _)| *dir == "." || file.starts_with(dir)).max_by_key(|(dir, _)| dir.len()).unwrap();
    let crate_root = if *dir == "." { Path::new("") } else { Path::new(dir) };
    (dir, file.strip_prefix(crate_root.join("src")).unwrap())
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
    // Each crate's code map is the part of ARCHITECTURE.md under its own
    // `### ` heading (naming the crate's folder); in it, a top-level module
    // by its file, a module folder's files by the folder (`content/`) or by
    // their own path (`render/feed.rs`).
    let doc = std::fs::read_to_string(repo().join("ARCHITECTURE.md")).unwrap();
    let map_of = |dir: &str| -> String {
        let heading = if dir == "." { "### `src/`".to_string() } else { format!("### `{dir}/`") };
        let Some(start) = doc.find(&heading) else { panic!("ARCHITECTURE.md has no `{heading}` code map") };
        let rest = &doc[start + heading.len()..];
        rest[..rest.find("\n#").unwrap_or(rest.len())].to_string()
    };
    for file in sources() {
        let (dir, rel) = crate_of(&file);
        let map = map_of(dir);
        let mut names = vec![format!("`{}`", rel.display())];
        if let Some(parent) = rel.parent().filter(|p| !p.as_os_str().is_empty()) {
            names.push(format!("`{}/`", parent.display()));
        }
        assert!(names.iter().any(|n| map.contains(n)), "{dir}'s code map names none of {names:?}");
    }
}

/// The crates below each crate: a crate may depend only on these.
const CRATE_EDGES: [(&str, &[&str]); 8] = [
    ("broadsheet-base", &[]),
    ("photo-codec", &[]),
    ("broadsheet-search", &["broadsheet-base"]),
    ("broadsheet-import", &["broadsheet-base"]),
    ("broadsheet-reactions", &["broadsheet-base"]),
    ("broadsheet-publish", &["broadsheet-base"]),
    ("broadsheet-site", &["broadsheet-base", "broadsheet-search", "photo-codec"]),
    (
        "broadsheet",
        &[
            "broadsheet-base",
            "broadsheet-search",
            "broadsheet-import",
            "broadsheet-reactions",
            "broadsheet-site",
            "broadsheet-publish",
        ],
    ),
];

/// What each crate's manifest asks for, by package name.
fn manifest_dependencies(dir: &str) -> Vec<String> {
    let text = std::fs::read_to_string(repo().join(dir).join("Cargo.toml")).unwrap();
    let manifest: toml::Table = toml::from_str(&text).unwrap();
    manifest.get("dependencies").and_then(|d| d.as_table()).map(|d| d.keys().cloned().collect()).unwrap_or_default()
}

#[test]
fn crates_depend_only_on_the_crates_below_them() {
    let ours: Vec<&str> = CRATES.iter().map(|(_, name)| *name).collect();
    for (dir, name) in CRATES {
        let allowed = CRATE_EDGES.iter().find(|(n, _)| *n == name).unwrap().1;
        for dependency in manifest_dependencies(dir) {
            if ours.contains(&dependency.as_str()) {
                assert!(allowed.contains(&dependency.as_str()), "{name} depends on {dependency}, above or beside it");
            }
        }
    }
}

#[test]
fn the_pipeline_never_compiles_sqlite_the_importers_or_the_server() {
    // The pipeline crate and every crate below it, as their manifests say.
    let mut below = vec!["broadsheet-site"];
    let mut i = 0;
    while i < below.len() {
        let name = below[i];
        for dependency in CRATE_EDGES.iter().find(|(n, _)| *n == name).unwrap().1 {
            if !below.contains(dependency) {
                below.push(dependency);
            }
        }
        i += 1;
    }
    for name in below {
        let dir = CRATES.iter().find(|(_, n)| *n == name).unwrap().0;
        for heavy in ["rusqlite", "htmd", "governor", "axum", "hyper", "broadsheet-import", "broadsheet-reactions"] {
            assert!(!manifest_dependencies(dir).contains(&heavy.to_string()), "{name} depends on {heavy}");
        }
    }
}

/// Inside the pipeline crate, the modules each module may use: the
/// pipeline's order (`config` -> `content` -> `site` -> `render` ->
/// `output`, `build` and `live` on top), so no edge points back.
const PIPELINE_EDGES: [(&str, &[&str]); 11] = [
    ("config", &[]),
    ("output", &[]),
    ("related", &[]),
    ("photos", &["config", "output"]),
    ("content", &["config", "photos"]),
    ("site", &["config", "content", "photos", "related"]),
    ("translations", &["config", "site"]),
    ("render", &["config", "content", "photos", "site", "translations"]),
    ("site_search", &["config", "content", "output", "site"]),
    ("build", &["config", "content", "live", "output", "photos", "render", "site", "site_search", "translations"]),
    ("live", &["build", "config", "content", "output", "render", "site", "site_search"]),
];

#[test]
fn pipeline_modules_use_only_the_modules_below_them() {
    let mut found = Vec::new();
    for file in sources().into_iter().filter(|f| under(f, "crates/site/src")) {
        let (_, rel) = crate_of(&file);
        let module = rel.iter().next().unwrap().to_str().unwrap().trim_end_matches(".rs");
        if module == "lib" {
            continue;
        }
        let Some((_, allowed)) = PIPELINE_EDGES.iter().find(|(m, _)| *m == module) else {
            panic!("{} is a pipeline module the use table in tidy.rs does not list", file.display());
        };
        for (n, line) in code(&file) {
            for (at, _) in line.match_indices("crate::") {
                let used: String = line[at + 7..].chars().take_while(|c| c.is_ascii_lowercase() || *c == '_').collect();
                if used != module && !allowed.contains(&used.as_str()) {
                    found.push(format!("{}:{n}: {module} uses {used}: {}", file.display(), line.trim()));
                }
            }
        }
    }
    assert!(found.is_empty(), "pipeline modules using modules above them:\n{}", found.join("\n"));
}

#[test]
fn routes_are_formatted_only_in_the_route_module() {
    // In the pipeline (loading, the model, rendering), a `format!` that
    // puts a slash against a placeholder is a route made by hand.
    let pipeline = |f: &Path| {
        ["crates/site/src/content", "crates/site/src/render", "crates/site/src/site/", "crates/search/src"]
            .iter()
            .any(|d| under(f, d))
            || ["site.rs", "live.rs", "build.rs", "site_search.rs"]
                .iter()
                .any(|m| f == Path::new("crates/site/src").join(m))
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
    let site = Path::new("crates/site/src");
    let pure =
        |f: &Path| f == site.join("site.rs") || under(f, "crates/site/src/site/") || under(f, "crates/site/src/render");
    for file in sources().into_iter().filter(|f| pure(f)) {
        if file == site.join("render/theme.rs") {
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

/// Lines of a function, from its `fn` line to its closing brace at the
/// same indentation: (name, first line, length), for every function of
/// the file's code before its tests.
fn functions(file: &Path) -> Vec<(String, usize, usize)> {
    let text = std::fs::read_to_string(repo().join(file)).unwrap();
    let lines: Vec<&str> = text.lines().take_while(|l| l.trim() != "#[cfg(test)]").collect();
    let mut found = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let indent = line.len() - line.trim_start().len();
        let words: Vec<&str> = line.split_whitespace().take(4).collect();
        let Some(at) = words.iter().position(|w| *w == "fn") else { continue };
        let before_ok = words[..at].iter().all(|w| w.starts_with("pub") || matches!(*w, "async" | "const" | "unsafe"));
        if !before_ok || line.trim_end().ends_with(';') {
            continue;
        }
        let name = words.get(at + 1).map_or("", |w| w.split(['(', '<']).next().unwrap_or(""));
        let end = lines[i + 1..]
            .iter()
            .position(|l| l.len() - l.trim_start().len() == indent && l.trim_start().starts_with('}'));
        if let Some(end) = end {
            found.push((name.to_string(), i + 1, end + 2));
        }
    }
    found
}

#[test]
fn no_function_over_100_lines_and_no_pipeline_or_import_file_over_800() {
    let mut long = Vec::new();
    for file in sources() {
        for (name, line, length) in functions(&file) {
            if length > 100 {
                long.push(format!("{}:{line}: fn {name} is {length} lines", file.display()));
            }
        }
        let text = std::fs::read_to_string(repo().join(&file)).unwrap();
        let size = text.lines().take_while(|l| l.trim() != "#[cfg(test)]").count();
        let walled = file.starts_with("crates/site") || file.starts_with("crates/import");
        if walled && size > 800 {
            long.push(format!("{}: {size} lines before its tests", file.display()));
        }
    }
    assert!(long.is_empty(), "split these (ARCHITECTURE.md, Invariants):\n{}", long.join("\n"));
    // The check sees what it is meant to: this file's own long test would
    // be flagged if it were code.
    let own = functions(Path::new("crates/import/src/plan/place.rs"));
    assert!(own.iter().any(|(name, _, length)| name == "place_beside" && *length > 20), "{own:?}");
}
