//! The search index's format, read as a reader's browser reads it without a
//! browser: a small index written by the Rust side, searched by
//! `static/js/search.js` under Node's own test runner (`tests/js/`), so a
//! change to the format on either side fails here even without Chromium.

use std::io;
use std::path::{Path, PathBuf};
use std::process::Command;

use broadsheet::search::{Document, Input, Keys, write_index};
use broadsheet::sink::Sink;
use chrono::TimeZone as _;
use chrono_tz::Europe::London;

use crate::harness::repo;
use crate::tools;

/// Writes a build's files under a folder on disk.
struct Folder(PathBuf);

impl Sink for Folder {
    fn write(&self, rel: &str, contents: Vec<u8>) -> io::Result<()> {
        let path = self.0.join(rel);
        std::fs::create_dir_all(path.parent().unwrap())?;
        std::fs::write(path, contents)
    }

    fn copy(&self, from: &Path, rel: &Path) -> io::Result<()> {
        let path = self.0.join(rel);
        std::fs::create_dir_all(path.parent().unwrap())?;
        std::fs::copy(from, path).map(drop)
    }
}

/// A story: its URL, headline, dek, body, section and date (day of 2024).
fn story<'a>(
    url: &str,
    title: &'a str,
    summary: &'a str,
    body: &'a str,
    section: (usize, &'a str),
    (month, day): (u32, u32),
) -> Document<'a> {
    Document {
        names: vec!["Ada Reporter"],
        section: Some(section),
        date: Some(London.with_ymd_and_hms(2024, month, day, 9, 30, 0).unwrap()),
        ..page(url, title, summary, body)
    }
}

/// A page: no section, no date, no byline.
fn page<'a>(url: &str, title: &'a str, summary: &'a str, body: &'a str) -> Document<'a> {
    Document {
        url: url.to_string(),
        title,
        summary,
        summary_in_body: false,
        body,
        updates: Vec::new(),
        names: Vec::new(),
        section: None,
        date: None,
        changed: true,
    }
}

/// Writes the fixture index (tests/js/search.test.mjs says what it holds)
/// under `<output>/_search/`.
fn write_fixture(output: &Path) {
    const NEWS: (usize, &str) = (0, "News");
    const SPORT: (usize, &str) = (1, "Sport");
    // Eleven pages first, so the stories are numbered past 10 and the gaps
    // in their lists take base-36 letters.
    let notices: Vec<String> = (1..=10).map(|i| format!("Notice {i}")).collect();
    let mut documents = vec![page(
        "/about/",
        "About the Gazette",
        "Who we are.",
        "<p>The Gazette is the newsroom of a small harbour town.</p>",
    )];
    documents.extend(
        notices.iter().enumerate().map(|(i, title)| page(&format!("/notices/{i}/"), title, "", "<p>A notice.</p>")),
    );
    // "market" in three pages, and "marketplace" (rarer) in one, where it
    // opens the headline.
    documents.extend([
        page("/market/hall/", "Market hall reopens", "", "<p>The market hall on the quay reopens on Friday.</p>"),
        page("/market/stalls/", "Stalls for rent", "", "<p>Traders can rent a stall at the market from May.</p>"),
        page("/market/hours/", "Opening hours", "", "<p>The market opens at eight every morning.</p>"),
        page("/market/app/", "Marketplace app for traders", "", "<p>The marketplace app lists every trader.</p>"),
    ]);
    let mut storm = story(
        "/news/storm-live/",
        "Storm live",
        "Follow the storm as it happens.",
        "<p>Follow the storm.</p>",
        NEWS,
        (4, 2),
    );
    storm.updates = vec![(Some("Ferry cancelled"), "The evening ferry was cancelled because of the gale.")];
    // Then the stories, from the oldest to the newest.
    documents.extend([
        story(
            "/news/council-harbour-plan/",
            "Council backs the harbour plan",
            "A vote on Tuesday.",
            "<p>The city council voted to approve the harbour plan on Tuesday.</p>",
            NEWS,
            (1, 10),
        ),
        story(
            "/sport/rowers-win/",
            "Rowers win on the harbour",
            "Gold at last.",
            "<p>The rowing club won gold on a calm harbour.</p>",
            SPORT,
            (2, 5),
        ),
        story(
            "/news/bus-drivers/",
            "Bus drivers walk out",
            "No buses on Monday.",
            "<p>Bus drivers are striking over pay; the depot is shut.</p>",
            NEWS,
            (3, 1),
        ),
        story(
            "/news/harbour-questions/",
            "Questions over the harbour",
            "What the plan leaves out.",
            "<p>The plan for the harbour leaves the fishermen out.</p>",
            NEWS,
            (3, 20),
        ),
        storm,
    ]);
    let input = Input {
        language: "en",
        sections: vec![NEWS.1, SPORT.1],
        documents,
        plain_text: broadsheet::content::markdown::plain_text,
        date_format: "%-d %B %Y",
        date_locale: None,
    };
    write_index(&input, None, &mut Keys::default(), &Folder(output.to_path_buf())).unwrap();
}

#[test]
fn search_js_reads_the_index_the_rust_side_writes_under_node() {
    let test = "search_js_reads_the_index_the_rust_side_writes_under_node";
    let Some(node) = tools::require("node", test) else { return };
    let dir = tempfile::tempdir().unwrap();
    write_fixture(dir.path());
    let index = dir.path().join("_search");
    assert!(index.join("index.json").is_file(), "the index is written under _search/");
    let run = Command::new(node)
        .args(["--test", "--test-reporter=tap"])
        .arg(repo().join("tests/js/search.test.mjs"))
        .env("BROADSHEET_SEARCH_INDEX", &index)
        .current_dir(repo())
        .output()
        .expect("cannot run node");
    let (stdout, stderr) = (String::from_utf8_lossy(&run.stdout), String::from_utf8_lossy(&run.stderr));
    assert!(run.status.success(), "node --test tests/js/search.test.mjs failed ({}):\n{stdout}\n{stderr}", run.status);
    // Something was tested: a file that ran no test would pass as well.
    assert!(
        stdout.lines().any(|l| l.strip_prefix("# pass ").is_some_and(|n| n.trim().parse().is_ok_and(|n: u32| n > 0))),
        "node ran no test:\n{stdout}\n{stderr}"
    );
    println!("{stdout}");
}
