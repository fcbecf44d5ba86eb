//! Live rebuilds (what `serve` does after each save): the pages a save
//! rewrites, put over the previous site, must give exactly the site a full
//! build of the same files gives, byte for byte; and a save that moves an
//! article in the site must ask for a full build.

use std::collections::BTreeMap;
use std::path::PathBuf;

use broadsheet::build::render;
use broadsheet::content::Cache;
use broadsheet::live::{Live, Update};
use broadsheet::output::{Memory, MemoryFile};

use crate::demo::demo;
use crate::harness::SiteTest;

const STORY: &str = "content/news/marrow-county-water-main-break.md";
const FERRY: &str = "content/news/port-halden-ferry-strike-ends/index.md";

type Files = BTreeMap<String, Vec<u8>>;

fn files(memory: Memory) -> Files {
    memory
        .into_files()
        .into_iter()
        .map(|(k, f)| {
            let bytes = match f {
                MemoryFile::Bytes(b) => b.to_vec(),
                MemoryFile::Disk(p) | MemoryFile::Made(p) => format!("file {}", p.display()).into_bytes(),
            };
            (k, bytes)
        })
        .collect()
}

/// A site as `serve` holds it: the files served, and the model behind them.
struct Served {
    test: SiteTest,
    live: Live,
    files: Files,
}

impl Served {
    fn start(test: SiteTest) -> Served {
        let memory = Memory::default();
        let kept = render(&test.options(), &memory, &mut Cache::for_rebuilds()).unwrap().kept;
        let live = Live::new(test.root(), kept);
        Served { test, live, files: files(memory) }
    }

    /// Tells the site that `changed` files changed (as the watcher does,
    /// with absolute paths) and puts the rewritten pages in place.
    fn update(&mut self, changed: &[&str]) -> Update {
        let paths: Vec<PathBuf> = changed.iter().map(|p| self.test.root().join(p)).collect();
        let update = self.live.update(&paths, crate::harness::now());
        if let Update::Pages { files, .. } = &update {
            for (key, bytes) in files {
                assert!(self.files.contains_key(key), "a live rebuild made a new file {key}");
                self.files.insert(key.clone(), bytes.clone());
            }
            // Then the search index, as `serve` asks for it right after.
            for (key, bytes) in self.live.search_update().transpose().unwrap().unwrap_or_default() {
                assert!(self.files.contains_key(&key), "a search update made a new file {key}");
                self.files.insert(key, bytes);
            }
        }
        update
    }

    /// Asserts the served site is the one a full build makes now.
    fn assert_matches_a_full_build(&self) {
        let memory = Memory::default();
        render(&self.test.options(), &memory, &mut Cache::default()).unwrap();
        let full = files(memory);
        let keys = |f: &Files| f.keys().cloned().collect::<Vec<_>>();
        assert_eq!(keys(&self.files), keys(&full), "the same files");
        let differ: Vec<&String> = full.keys().filter(|k| full[*k] != self.files[*k]).collect();
        assert!(differ.is_empty(), "served pages differ from a full build: {differ:?}");
    }

    fn page(&self, route: &str) -> scraper::Html {
        let key = format!("{route}index.html");
        scraper::Html::parse_document(&String::from_utf8_lossy(&self.files[&key]))
    }
}

fn written(update: &Update) -> Vec<&str> {
    match update {
        Update::Pages { files, .. } => files.iter().map(|(k, _)| k.as_str()).collect(),
        other => panic!("expected pages, got {other:?}"),
    }
}

fn texts(page: &scraper::Html, css: &str) -> Vec<String> {
    let selector = scraper::Selector::parse(css).unwrap();
    page.select(&selector).map(|e| e.text().collect::<String>().trim().to_string()).collect()
}

#[test]
fn a_saved_headline_rewrites_the_pages_that_show_it_and_no_others() {
    let mut served = Served::start(demo());
    let total = served.files.len();
    served.test.edit(STORY, "title = \"Water main break", "title = \"Updated: Water main break");
    served.test.edit(STORY, "About 9,000 households", "About 9,500 households");
    let update = served.update(&[STORY]);
    let written = written(&update);
    for expected in [
        "news/marrow-county-water-main-break/index.html",
        "news/index.html",
        "tags/infrastructure/index.html",
        "authors/tom-becker/index.html",
        "news/feed.xml",
        "sitemap.xml",
    ] {
        assert!(written.contains(&expected), "{expected} not rewritten: {written:?}");
    }
    assert!(written.iter().any(|w| w.starts_with("2026/09/")), "the September archive page that lists it");
    assert!(written.len() * 5 < total, "{} of {total} files rewritten", written.len());
    let story = served.page("news/marrow-county-water-main-break/");
    assert_eq!(texts(&story, "h1")[0], "Updated: Water main break leaves 9,000 Marrow County homes under boil notice");
    assert!(texts(&story, "article p").iter().any(|p| p.starts_with("About 9,500 households")));
    let section = served.page("news/");
    assert!(texts(&section, "main h2 a, main h3 a").iter().any(|t| t.starts_with("Updated: Water main break")));
    served.assert_matches_a_full_build();
}

#[test]
fn a_corrected_paragraph_rewrites_the_story_and_its_feeds_but_no_listing() {
    let mut served = Served::start(demo());
    served.test.edit(STORY, "About 9,000 households", "About 9,500 households");
    let update = served.update(&[STORY]);
    let written = written(&update);
    for expected in ["news/marrow-county-water-main-break/index.html", "news/feed.xml", "tags/health/feed.xml"] {
        assert!(written.contains(&expected), "{expected} not rewritten: {written:?}");
    }
    for listing in ["index.html", "news/index.html", "tags/health/index.html", "authors/tom-becker/index.html"] {
        assert!(!written.contains(&listing), "{listing} shows only the card, which did not change");
    }
    let story = served.page("news/marrow-county-water-main-break/");
    assert!(texts(&story, "article p").iter().any(|p| p.starts_with("About 9,500 households")));
    served.assert_matches_a_full_build();
}

#[test]
fn every_kind_of_text_edit_gives_what_a_full_build_gives() {
    let mut served = Served::start(demo());
    let edits: [(&str, &str, &str); 5] = [
        (FERRY, "summary = \"Crews on", "summary = \"Deckhands on"),
        (FERRY, "caption = \"The first sailing", "caption = \"The very first sailing"),
        (FERRY, "updated = 2026-11-18T16:20:00-05:00", "updated = 2026-11-25T09:00:00-05:00"),
        (STORY, "tags = [", "updated = 2026-11-20T10:00:00-05:00\ntags = ["),
        (STORY, "## An ageing network", "## An ageing network\n\nA new paragraph with **bold** words."),
    ];
    for (file, from, to) in edits {
        served.test.edit(file, from, to);
        let update = served.update(&[file]);
        assert!(matches!(update, Update::Pages { articles: 1, .. }), "{file}: {update:?}");
        served.assert_matches_a_full_build();
    }
    // Two files saved together.
    served.test.edit(FERRY, "title = \"Ferry strike ends", "title = \"Ferry strike over");
    served.test.edit(STORY, "summary = \"A 36-inch pipe", "summary = \"A 36-inch main");
    assert!(matches!(served.update(&[FERRY, STORY]), Update::Pages { articles: 2, .. }));
    served.assert_matches_a_full_build();
    let front = served.page("");
    assert!(texts(&front, "main a").iter().any(|t| t.starts_with("Ferry strike over")), "the front page's lead");
}

#[test]
fn a_save_that_moves_an_article_asks_for_a_full_build() {
    let moves: [(&str, &str, &str); 5] = [
        (STORY, "date = 2026-09-01", "date = 2026-09-02"),
        (STORY, "\"health\"]", "\"health\", \"water\"]"),
        (STORY, "authors = [\"tom-becker\"]", "authors = [\"maria-alvarez\"]"),
        (STORY, "+++\n\nAbout", "featured = true\n+++\n\nAbout"),
        (STORY, "+++\n\nAbout", "draft = true\n+++\n\nAbout"),
    ];
    for (file, from, to) in moves {
        let mut served = Served::start(demo());
        served.test.edit(file, from, to);
        assert!(matches!(served.update(&[file]), Update::Rebuild), "{to}");
    }
    for changed in ["templates/article.html", "site.toml", "static/css/broadsheet.css", "content/news/_index.md"] {
        let mut served = Served::start(demo());
        assert!(matches!(served.update(&[changed]), Update::Rebuild), "{changed}");
    }
    // A new article, and a deleted one.
    let mut served = Served::start(demo());
    std::fs::write(served.test.root().join("content/news/new.md"), "+++\ntitle = \"N\"\ndate = 2026-11-01\n+++\n")
        .unwrap();
    assert!(matches!(served.update(&["content/news/new.md"]), Update::Rebuild));
    let mut served = Served::start(demo());
    std::fs::remove_file(served.test.root().join(STORY)).unwrap();
    assert!(matches!(served.update(&[STORY]), Update::Rebuild));
    // A bundle moved out of content/ (the watcher names only the folder).
    let mut served = Served::start(demo());
    let bundle = "content/news/port-halden-ferry-strike-ends";
    std::fs::rename(served.test.root().join(bundle), served.test.root().join("moved-away")).unwrap();
    assert!(matches!(served.update(&[bundle]), Update::Rebuild));
}

const DRAFT: &str = "content/politics/council-redistricting-map-draft.md";
const SCHEDULED: &str = "content/sports/harriers-new-season-preview.md";

#[test]
fn unpublished_articles_change_no_page_until_they_come_out() {
    let mut served = Served::start(demo());
    served.test.edit(DRAFT, "Work in progress", "Still a work in progress");
    assert!(matches!(served.update(&[DRAFT]), Update::Pages { articles: 0, .. }));
    served.assert_matches_a_full_build();
    // Publishing it, or giving it another URL, is a full build.
    served.test.edit(DRAFT, "+++\n\n", "slug = \"ward-map\"\n+++\n\n");
    assert!(matches!(served.update(&[DRAFT]), Update::Rebuild));
    let mut served = Served::start(demo());
    served.test.edit(DRAFT, "draft = true", "draft = false");
    assert!(matches!(served.update(&[DRAFT]), Update::Rebuild));
    // Brought forward to half an hour from now: still unpublished, but the
    // first save after that time is a full build, which publishes it.
    let mut served = Served::start(demo());
    served.test.edit(SCHEDULED, "date = 2027-01-15T08:00:00-05:00", "date = 2026-11-26T12:30:00Z");
    assert!(matches!(served.update(&[SCHEDULED]), Update::Pages { articles: 0, .. }));
    served.test.edit(STORY, "About 9,000 households", "About 9,500 households");
    let later = crate::harness::now() + chrono::Duration::minutes(31);
    let paths = [served.test.root().join(STORY)];
    assert!(matches!(served.live.update(&paths, later), Update::Rebuild));
}

#[test]
fn editor_scratch_files_change_nothing() {
    let mut served = Served::start(demo());
    // Vim probes a folder with a file named 4913 and removes it; editors
    // keep swap and backup files beside the article or template (a full
    // build does not read them either).
    std::fs::write(served.test.root().join("content/news/.marrow-county-water-main-break.md.swp"), "x").unwrap();
    std::fs::write(served.test.root().join("content/news/marrow-county-water-main-break.md~"), "x").unwrap();
    std::fs::write(served.test.root().join("templates/.article.html.swp"), b"b0VIM \xff\xfe").unwrap();
    std::fs::write(served.test.root().join("templates/article.html~"), "{% block content %}{{ unclosed").unwrap();
    let update = served.update(&[
        "content/news/4913",
        "content/news/.marrow-county-water-main-break.md.swp",
        "content/news/marrow-county-water-main-break.md~",
        "templates/.article.html.swp",
        "templates/article.html~",
    ]);
    assert!(written(&update).is_empty());
    served.assert_matches_a_full_build();
}

#[test]
fn a_broken_save_changes_nothing_until_it_is_fixed() {
    let mut served = Served::start(demo());
    let before = served.files.clone();
    served.test.edit(STORY, "title = \"Water main break", "title = \"Water main break\nbroken = ");
    let Update::Errors(errors) = served.update(&[STORY]) else { panic!("expected errors") };
    assert!(errors[0].to_string().starts_with(&format!("{STORY}:3:")), "{}", errors[0]);
    assert_eq!(served.files, before);
    // Another good save while the first is still broken: the site keeps
    // its errors, as a full build would.
    served.test.edit(FERRY, "title = \"Ferry strike ends", "title = \"Ferry strike over");
    assert!(matches!(served.update(&[FERRY]), Update::Errors(_)));
    served.test.edit(STORY, "\nbroken = ", "");
    assert!(matches!(served.update(&[STORY]), Update::Pages { articles: 2, .. }));
    served.assert_matches_a_full_build();
}

#[test]
fn a_template_error_on_a_rewritten_page_keeps_the_last_good_site() {
    let template = std::fs::read_to_string(crate::harness::repo().join("templates/article.html")).unwrap();
    let test = demo().file(
        "templates/article.html",
        template.replacen(
            "{% block content %}",
            "{% block content %}{% if article.extra.mood %}<p class=\"mood\">{{ article.extra.mood | upper }}</p>{% endif %}",
            1,
        ),
    );
    let mut served = Served::start(test);
    let before = served.files.clone();
    // `upper` takes text: a number fails on this page only.
    served.test.edit(STORY, "+++\n\nAbout", "[extra]\nmood = 3\n+++\n\nAbout");
    let Update::Errors(errors) = served.update(&[STORY]) else { panic!("expected a template error") };
    assert!(errors[0].to_string().contains("templates/article.html"), "{}", errors[0]);
    assert_eq!(served.files, before, "the last good site is kept");
    served.test.edit(STORY, "mood = 3", "mood = \"grim\"");
    assert!(matches!(served.update(&[STORY]), Update::Pages { articles: 1, .. }));
    assert_eq!(texts(&served.page("news/marrow-county-water-main-break/"), ".mood"), ["GRIM"]);
    served.assert_matches_a_full_build();
}

#[test]
fn a_template_edit_renders_every_page_again_without_reading_articles_again() {
    let test = demo();
    let mut cache = Cache::for_rebuilds();
    render(&test.options(), &Memory::default(), &mut cache).unwrap();
    let template = std::fs::read_to_string(crate::harness::repo().join("templates/article.html")).unwrap();
    let test = test.file(
        "templates/article.html",
        template.replacen("{% block content %}", "{% block content %}<p class=\"edition\">Late edition</p>", 1),
    );
    // The story changes on disk behind the cache's back: same size, same
    // modification time. A build that read it again would show the change.
    let path = test.root().join(STORY);
    let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replacen("About 9,000 households", "About 9,999 households", 1)).unwrap();
    std::fs::File::options().write(true).open(&path).unwrap().set_modified(modified).unwrap();

    let memory = Memory::default();
    render(&test.options(), &memory, &mut cache).unwrap();
    let files = files(memory);
    let story = scraper::Html::parse_document(&String::from_utf8_lossy(
        &files["news/marrow-county-water-main-break/index.html"],
    ));
    assert_eq!(texts(&story, ".edition"), ["Late edition"], "the new template is used");
    let body = texts(&story, "article p");
    assert!(body.iter().any(|p| p.starts_with("About 9,000 households")), "the article was not read again");
}

#[test]
fn turning_raw_html_off_in_site_toml_reads_the_articles_again() {
    let test = demo().file(
        "content/news/embed.md",
        "+++\ntitle = \"Embed\"\ndate = 2026-11-01\n+++\n\nBefore.\n\n<script>alert(\"raw\")</script>\n",
    );
    let mut cache = Cache::for_rebuilds();
    let memory = Memory::default();
    render(&test.options(), &memory, &mut cache).unwrap();
    assert!(String::from_utf8_lossy(&files(memory)["news/embed/index.html"]).contains("alert(\"raw\")"));
    let config = std::fs::read_to_string(test.root().join("site.toml")).unwrap();
    let test = test.file("site.toml", format!("unsafe_html = false\n{config}"));
    let memory = Memory::default();
    render(&test.options(), &memory, &mut cache).unwrap();
    let page = String::from_utf8_lossy(&files(memory)["news/embed/index.html"]).into_owned();
    assert!(!page.contains("alert(\"raw\")") && page.contains("Before."), "{page}");
}

#[test]
fn a_live_blog_update_rewrites_the_blog_alone_and_one_still_to_come_waits() {
    let mut served = Served::start(crate::liveblog::live_site(""));
    let total = served.files.len();
    let updates = "content/news/storm-live/updates";
    // A new update, out already: the blog's page, its JSON and feeds, no listing.
    let new = format!("{updates}/1000-rain.md");
    std::fs::write(
        served.test.root().join(&new),
        "+++\ntime = 2026-11-26T10:00:00Z\ntitle = \"Rain\"\n+++\n\nHeavy rain.\n",
    )
    .unwrap();
    let update = served.update(&[&new]);
    let written = written(&update);
    for expected in ["news/storm-live/index.html", "news/storm-live/live.json", "feed.xml", "news/feed.xml"] {
        assert!(written.contains(&expected), "{expected} not rewritten: {written:?}");
    }
    assert!(!written.contains(&"news/index.html"), "the card did not change: {written:?}");
    assert!(written.len() * 3 < total, "{} of {total} files rewritten", written.len());
    let page = served.page("news/storm-live/");
    assert_eq!(texts(&page, ".live-updates > li h3")[0], "Rain");
    served.assert_matches_a_full_build();
    // One timed after now: nothing shows it yet, as in a full build.
    let later = format!("{updates}/1900-evening.md");
    std::fs::write(
        served.test.root().join(&later),
        "+++\ntime = 2026-11-26T19:00:00Z\ntitle = \"Evening\"\n+++\n\nLater.\n",
    )
    .unwrap();
    served.update(&[&later]);
    assert!(!texts(&served.page("news/storm-live/"), "h3").contains(&"Evening".to_string()));
    served.assert_matches_a_full_build();
    // Deleted: gone again.
    std::fs::remove_file(served.test.root().join(&new)).unwrap();
    served.update(&[&new]);
    assert!(!texts(&served.page("news/storm-live/"), "h3").contains(&"Rain".to_string()));
    served.assert_matches_a_full_build();
}

#[test]
fn a_scheduled_standalone_page_comes_out_at_its_time_in_serve() {
    // A page (not a story) dated half an hour from now: the first save
    // after that time is a full build, which publishes it.
    let test = demo().file(
        "content/election-guide.md",
        "+++\ntitle = \"Election guide\"\ndate = 2026-11-26T12:30:00Z\n+++\nWhere and how to vote.\n",
    );
    let mut served = Served::start(test);
    assert!(!served.files.keys().any(|k| k.contains("election-guide")), "the page came out before its time");
    served.test.edit(STORY, "About 9,000 households", "About 9,500 households");
    let paths = [served.test.root().join(STORY)];
    assert!(matches!(served.live.update(&paths, crate::harness::now()), Update::Pages { .. }));
    let later = crate::harness::now() + chrono::Duration::minutes(31);
    assert!(matches!(served.live.update(&paths, later), Update::Rebuild));
}
