//! The test harness: copy a fixture site (or write one) into a temporary
//! folder, build it with a fixed clock, and look at the pages as parsed HTML.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::rc::Rc;

use broadsheet::build::{BuildOptions, Report, build};
use broadsheet::error::Error;
use chrono::{DateTime, TimeZone, Utc};
use scraper::{Html, Selector};
use tempfile::TempDir;

/// The build time every test uses, so results do not depend on the day.
pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 26, 12, 0, 0).unwrap()
}

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub const MINIMAL_CONFIG: &str = "title = \"Test Times\"\nbase_url = \"https://example.com/\"\n";

pub struct SiteTest {
    /// Shared with every [`Built`], so a build's output outlives the test value.
    dir: Rc<TempDir>,
    root: PathBuf,
    pub base_url: Option<String>,
}

impl SiteTest {
    /// A copy of `tests/fixtures/<name>`.
    pub fn fixture(name: &str) -> SiteTest {
        let test = SiteTest::empty();
        copy_tree(&repo().join("tests/fixtures").join(name), test.root());
        test
    }

    /// A site written by `broadsheet import <from> tests/fixtures/<source> --into <site>`
    /// (more arguments after), with the command's run.
    pub fn imported(from: &str, source: &str, args: &[&str]) -> (SiteTest, CliRun) {
        let test = SiteTest::empty();
        let source = repo().join("tests/fixtures").join(source);
        let into = test.root().to_string_lossy().into_owned();
        let mut all = vec!["import", from, source.to_str().unwrap(), "--into", &into];
        all.extend_from_slice(args);
        let run = test.cli(&all);
        (test, run)
    }

    /// A site with only a minimal `site.toml`.
    pub fn new() -> SiteTest {
        SiteTest::empty().file("site.toml", MINIMAL_CONFIG)
    }

    pub fn empty() -> SiteTest {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        std::fs::create_dir_all(&root).unwrap();
        SiteTest { dir: Rc::new(dir), root, base_url: None }
    }

    /// The site in the folder `sub` of this one (made by `init`, say),
    /// sharing its temporary folder.
    pub fn at(&self, sub: &str) -> SiteTest {
        SiteTest { dir: Rc::clone(&self.dir), root: self.root.join(sub), base_url: None }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn output(&self) -> PathBuf {
        self.root().join("public")
    }

    pub fn file(self, rel: &str, contents: impl AsRef<[u8]>) -> SiteTest {
        let path = self.root().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
        self
    }

    /// Replaces the first `from` in the file at `rel` with `to`, as a writer saving it would.
    pub fn edit(&self, rel: &str, from: &str, to: &str) {
        let path = self.root().join(rel);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{rel} does not contain {from:?}");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    }

    pub fn base_url(mut self, url: &str) -> SiteTest {
        self.base_url = Some(url.to_string());
        self
    }

    pub fn options(&self) -> BuildOptions {
        BuildOptions {
            root: self.root().to_path_buf(),
            output: self.output(),
            base_url: self.base_url.clone(),
            drafts: false,
            future: false,
            expired: false,
            now: now(),
            progress: false,
            force: false,
        }
    }

    pub fn build(&self) -> Built {
        self.build_with(self.options())
    }

    pub fn build_with(&self, options: BuildOptions) -> Built {
        let result = build(&options);
        Built { _site: Rc::clone(&self.dir), output: options.output, result }
    }

    /// Runs the real binary in the site folder.
    pub fn cli(&self, args: &[&str]) -> CliRun {
        let out = Command::new(env!("CARGO_BIN_EXE_broadsheet"))
            .args(args)
            .current_dir(self.root())
            .envs(git_isolated())
            .output()
            .unwrap();
        CliRun::from(out)
    }
}

impl From<std::process::Output> for CliRun {
    fn from(out: std::process::Output) -> CliRun {
        CliRun {
            code: out.status.code(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}

pub struct CliRun {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

pub struct Built {
    _site: Rc<TempDir>,
    pub output: PathBuf,
    pub result: Result<Report, Error>,
}

impl Built {
    pub fn report(&self) -> &Report {
        match &self.result {
            Ok(r) => r,
            Err(e) => panic!("build failed: {}", describe(e)),
        }
    }

    /// The diagnostics of a failed build, as printed.
    pub fn errors(&self) -> Vec<String> {
        match &self.result {
            Ok(_) => panic!("expected the build to fail"),
            Err(Error::Content(ds)) => ds.iter().map(ToString::to_string).collect(),
            Err(e) => panic!("expected content errors, got: {}", describe(e)),
        }
    }

    /// The page at a site-relative route (`world/x/`), parsed.
    pub fn page(&self, route: &str) -> Page {
        self.report();
        let file = self.output.join(broadsheet::route::file_of(route));
        let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("no page at {}: {e}", file.display()));
        Page { html: Html::parse_document(&text) }
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.output.join(rel).exists()
    }
}

fn describe(e: &Error) -> String {
    match e {
        Error::Content(ds) => ds.iter().map(|d| format!("\n  {d}")).collect(),
        Error::Other(e) => format!("{e:#}"),
        Error::Refused(refused) => refused.to_string(),
    }
}

pub struct Page {
    pub html: Html,
}

impl Page {
    fn select(&self, css: &str) -> Vec<scraper::ElementRef<'_>> {
        let selector = Selector::parse(css).unwrap_or_else(|e| panic!("bad selector {css}: {e:?}"));
        self.html.select(&selector).collect()
    }

    /// Text of every element matching `css`, whitespace collapsed.
    pub fn texts(&self, css: &str) -> Vec<String> {
        self.select(css)
            .iter()
            .map(|e| e.text().collect::<String>().split_whitespace().collect::<Vec<_>>().join(" "))
            .collect()
    }

    pub fn text(&self, css: &str) -> String {
        let all = self.texts(css);
        assert_eq!(all.len(), 1, "expected one {css}, found {all:?}");
        all.into_iter().next().unwrap()
    }

    pub fn attrs(&self, css: &str, attr: &str) -> Vec<String> {
        self.select(css).iter().filter_map(|e| e.value().attr(attr).map(str::to_string)).collect()
    }

    pub fn attr(&self, css: &str, attr: &str) -> String {
        let all = self.attrs(css, attr);
        assert_eq!(all.len(), 1, "expected one {css}[{attr}], found {all:?}");
        all.into_iter().next().unwrap()
    }

    pub fn count(&self, css: &str) -> usize {
        self.select(css).len()
    }

    /// The inner HTML of `<main>`, for golden files.
    pub fn main_html(&self) -> String {
        self.select("main").first().map(|m| m.inner_html()).unwrap_or_default()
    }
}

/// A file of the search index as JSON: the `.json.gz` files inflated, as
/// search.js inflates them.
pub fn search_json(bytes: &[u8]) -> serde_json::Value {
    use std::io::Read as _;
    let mut text = Vec::new();
    match bytes.starts_with(&[0x1f, 0x8b]) {
        true => flate2::read::GzDecoder::new(bytes).read_to_end(&mut text).map(|_| ()).unwrap(),
        false => text.extend_from_slice(bytes),
    }
    serde_json::from_slice(&text).unwrap()
}

/// The file `rel` (`index.json`, `d/0/3.json.gz`) of the search index a
/// build wrote into `output`, as JSON.
pub fn search_file(output: &Path, rel: &str) -> serde_json::Value {
    search_json(&std::fs::read(output.join("_search").join(rel)).unwrap())
}

pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let dest = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

/// Every file under `dir`, relative path -> bytes.
pub fn snapshot_tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().strip_prefix(dir).unwrap().to_path_buf(), std::fs::read(e.path()).unwrap()))
        .collect()
}

/// Compares `actual` with the golden file `tests/golden/<name>`;
/// `SNAPSHOTS=overwrite` rewrites it instead.
pub fn check_golden(name: &str, actual: &str) {
    let path = repo().join("tests/golden").join(name);
    if std::env::var("SNAPSHOTS").as_deref() == Ok("overwrite") {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("no golden file {}: run with SNAPSHOTS=overwrite", path.display()));
    assert_eq!(actual, expected, "output differs from {} (SNAPSHOTS=overwrite regenerates it)", path.display());
}

/// Environment for a `git` the tests run (or the binary runs for them):
/// none of the user's or the system's configuration applies, so a global
/// `commit.gpgsign` or hook cannot break a test.
pub fn git_isolated() -> [(&'static str, &'static str); 2] {
    [("GIT_CONFIG_GLOBAL", "/dev/null"), ("GIT_CONFIG_NOSYSTEM", "1")]
}

/// The page an old URL answers with in a built `output` (a site whose
/// URLs start with `base_path`), following up to four redirect pages:
/// `None` when nothing answers. With `folder_too`, a path without a
/// trailing slash is also answered by its folder's `index.html` (as GitHub
/// Pages does for `/about`).
pub fn answer(output: &Path, old: &str, base_path: &str, folder_too: bool) -> Option<Page> {
    let mut old = old.to_string();
    for _ in 0..=4 {
        let route = old.strip_prefix(base_path).unwrap_or(&old).trim_start_matches('/');
        let direct = output.join(broadsheet::route::file_of(route));
        let file = if folder_too && !direct.is_file() { output.join(route).join("index.html") } else { direct };
        let page = Page { html: Html::parse_document(&std::fs::read_to_string(file).ok()?) };
        if page.count("meta[http-equiv=refresh]") == 0 {
            return Some(page);
        }
        let target = page.attr("meta[http-equiv=refresh]", "content");
        old = target.split_once("url=")?.1.to_string();
    }
    None
}

/// The old URLs the real generator gave for `tests/fixtures/<fixture>`
/// (its `expected-old-urls.txt`, one per line).
pub fn expected_old_urls(fixture: &str) -> Vec<String> {
    std::fs::read_to_string(repo().join("tests/fixtures").join(fixture).join("expected-old-urls.txt"))
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(str::to_string)
        .collect()
}
