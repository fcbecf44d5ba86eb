//! Outside tools (Chromium, the Nu HTML Checker, ...): a test that needs one
//! runs when it is installed and says loudly that it skipped when it is not;
//! with `BROADSHEET_REQUIRE_TOOLS=1` (set by `.ci/run`) a missing tool fails.

use std::path::PathBuf;

/// The path of `program` if it is on PATH, else skip (or fail under CI).
pub fn require(program: &str, test: &str) -> Option<PathBuf> {
    let found = std::env::var_os("PATH")
        .and_then(|paths| std::env::split_paths(&paths).map(|p| p.join(program)).find(|p| p.is_file()));
    if found.is_none() {
        missing(&format!("`{program}` is not installed"), test);
    }
    found
}

/// Whether `python3 -c "import <module>"` works, else skip (or fail under CI).
pub fn require_python_module(module: &str, test: &str) -> bool {
    let ok = std::process::Command::new("python3")
        .args(["-c", &format!("import {module}")])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        missing(&format!("the Python module `{module}` is not installed"), test);
    }
    ok
}

fn missing(what: &str, test: &str) {
    if std::env::var("BROADSHEET_REQUIRE_TOOLS").as_deref() == Ok("1") {
        panic!("{test}: {what}, and BROADSHEET_REQUIRE_TOOLS=1 requires it (see .ci/run)");
    }
    // Written to the terminal itself: `eprintln!` is captured by the test
    // harness and shown only for failing tests, which made skips silent.
    use std::io::Write as _;
    let line = format!("\n*** SKIPPED {test}: {what}. `bash .ci/run` installs it. ***\n");
    let _ = std::io::stderr().lock().write_all(line.as_bytes());
}
