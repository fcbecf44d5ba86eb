//! Import conformance (issue 31): cases found on real sites, with the old
//! URLs the real generator gives, checked after `import` and `build`.
//! Each Zola fixture's `expected-old-urls.txt` is what Zola 0.22.1 (built
//! from getzola/zola) wrote for it: pages and `aliases` redirects.

use std::path::Path;

#[allow(unused_imports)]
use crate::harness::{Page, SiteTest, copy_tree, expected_old_urls, repo};

/// The page an old URL answers with, following redirects: `None` when
/// nothing answers.
fn answer(output: &Path, old: &str) -> Option<Page> {
    crate::harness::answer(output, old, "/", false)
}

/// Imports the fixture with the CLI, builds it with the CLI (exit 0), and
/// checks every old URL answers with a page that has a headline.
fn import_and_build(fixture: &str) -> (SiteTest, std::path::PathBuf) {
    let (site, run) = SiteTest::imported("zola", fixture, &[]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let build = site.cli(&["build"]);
    assert_eq!(build.code, Some(0), "the import builds: {}{}", build.stdout, build.stderr);
    let output = site.output();
    for old in expected_old_urls(fixture) {
        let page = answer(&output, &old).unwrap_or_else(|| panic!("old URL {old} does not answer"));
        assert_eq!(page.count("main h1"), 1, "{old} answers with a page with a headline");
    }
    (site, output)
}

/// The `datetime` of an article page's publication date.
fn published(page: &Page) -> String {
    page.attr(".dates time", "datetime")
}

#[test]
fn zola_pages_dated_by_path_file_or_folder_are_articles_and_aliases_start_at_the_root() {
    let (site, output) = import_and_build("import-zola-dated");
    // A root bundle with a `date`, under a root sorted by weight (146parks).
    let alta = answer(&output, "/alta-lake/").unwrap();
    assert_eq!(alta.text("main h1"), "Alta Lake");
    assert!(published(&alta).starts_with("2022-07-16"), "{}", published(&alta));
    // A root file dated by its name.
    let anderson = answer(&output, "/anderson-lake/").unwrap();
    assert!(published(&anderson).starts_with("2021-06-27"), "{}", published(&anderson));
    // A date only in `path` (the Rust blog): a dated article; its
    // `aliases` are read from the site root, not the page's folder.
    for old in ["/2025/06/26/Harbour-1.88.0/", "/releases/1.88.0/", "/2025/06/26/Harbour-1.88.0.html"] {
        let page = answer(&output, old).unwrap();
        assert_eq!(page.text("main h1"), "Announcing Harbour 1.88.0", "{old}");
        assert!(published(&page).starts_with("2025-06-26"), "{old}: {}", published(&page));
    }
    assert!(!output.join("2025/06/26/releases").exists(), "no alias below the page's folder");
    // A section of 32 pages dated only by their paths is news, not documentation.
    let note = answer(&output, "/inside/2024/09/02/note-1/").unwrap();
    assert!(published(&note).starts_with("2024-09-02"), "{}", published(&note));
    // A page in a transparent year folder under a date-sorted section.
    let storm = answer(&output, "/news/2024/storm-night/").unwrap();
    assert!(published(&storm).starts_with("2024-02-03"), "{}", published(&storm));
    // A section's `aliases` lead to its section.
    let stories = answer(&output, "/stories/").unwrap();
    assert!(stories.texts("main a").iter().any(|t| t == "Storm night"), "{:?}", stories.texts("main a"));
    // The undated page stays a page; the front page lists the stories.
    let about = answer(&output, "/about/").unwrap();
    assert_eq!(about.count(".dates time"), 0);
    let text = std::fs::read_to_string(output.join("index.html")).unwrap();
    let front = Page { html: scraper::Html::parse_document(&text) };
    assert!(!front.main_html().contains("No stories yet"));
    assert!(front.texts("main a").iter().any(|t| t == "Alta Lake"), "{:?}", front.texts("main a"));
    let config = std::fs::read_to_string(site.root().join("site.toml")).unwrap();
    assert!(config.contains("title = \"Harbour Parks\""), "the root _index.md's title: {config}");
}

#[test]
fn a_zola_extra_image_under_static_is_a_site_path_and_a_missing_one_is_named() {
    let (site, output) = import_and_build("import-zola-images");
    let ripe = answer(&output, "/posts/ripe-atlas-probe-setup/").unwrap();
    let hero = ripe.attr(".hero img", "src");
    assert!(hero.starts_with("/_photos/"), "the picture from static/ is the hero: {hero}");
    let lost = answer(&output, "/posts/lost-picture/").unwrap();
    assert_eq!(lost.count(".hero img"), 0);
    let report = std::fs::read_to_string(site.root().join("import-report.md")).unwrap();
    assert!(
        report.contains("**content/posts/lost-picture.md**: its image `/images/not-there.png` is not in the site"),
        "{report}"
    );
}

#[test]
fn zola_dates_keep_the_day_they_were_written_on() {
    let (site, output) = import_and_build("import-zola-offsets");
    // As Zola shows them: the written date, whatever its offset.
    for (old, day) in [
        ("/parties/fettelan-17/", "2020-08-29"),
        ("/parties/winter-lan/", "2020-01-10"),
        ("/parties/spring-lan/", "2020-04-03"),
        ("/parties/march-lan/", "2020-03-01"),
        ("/parties/desert-lan/", "2024-01-05"),
    ] {
        let page = answer(&output, old).unwrap();
        assert!(published(&page).starts_with(day), "{old}: {} is not {day}", published(&page));
    }
    let report = std::fs::read_to_string(site.root().join("import-report.md")).unwrap();
    assert!(report.contains("**content/parties/desert-lan.md**: its time 2024-01-05T20:00:00-07:00"), "{report}");
}

#[test]
fn wordpress_dates_keep_their_day_categories_beyond_a_handful_are_tags_and_attachment_pages_redirect() {
    let fixture = "import-zola-wordpress";
    let (site, run) = SiteTest::imported("wordpress", &format!("{fixture}/export.xml"), &[]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let build = site.cli(&["build"]);
    assert_eq!(build.code, Some(0), "the import builds: {}{}", build.stdout, build.stderr);
    let output = site.output();
    // The export's own <link>s, and the attached picture's page.
    for old in expected_old_urls(fixture) {
        let page = answer(&output, &old).unwrap_or_else(|| panic!("old URL {old} does not answer"));
        assert_eq!(page.count("main h1"), 1, "{old} answers with a page with a headline");
        // A post's URL carries its `post_date`: the page shows that day,
        // whatever offset `post_date_gmt` gives it.
        let parts: Vec<&str> = old.split('/').filter(|p| !p.is_empty()).collect();
        if parts.len() == 4 {
            let day = format!("{}-{}-{}", parts[0], parts[1], parts[2]);
            assert!(published(&page).starts_with(&day), "{old}: shown as {}", published(&page));
        }
    }
    let attached = answer(&output, "/2024/01/15/council-vote/ballot-box/").unwrap();
    assert_eq!(attached.text("main h1"), "Council votes on the harbour");
    // Nine categories: six sections at most; "Search" and "Economie" (the
    // address of a page) never sections; the least used one is a tag.
    let sections: Vec<String> = std::fs::read_dir(site.root().join("content"))
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(sections.len() <= 7, "six sections and the default one: {sections:?}");
    assert!(!sections.iter().any(|s| s.starts_with("search") || s.starts_with("economie")), "{sections:?}");
    assert!(output.join("tags/health/index.html").is_file(), "a category beyond the six is a tag");
    assert!(output.join("tags/search/index.html").is_file(), "\"Search\" is a tag");
    let economie = answer(&output, "/economie/").unwrap();
    assert_eq!(economie.text("main h1"), "Economie", "the page keeps its address");
    let report = std::fs::read_to_string(site.root().join("import-report.md")).unwrap();
    assert!(report.contains("its attachment page /old-logo/ is not kept"), "{report}");
    assert!(report.contains("item 13 (\"Ferry prices rise\")**: its time 2024-03-12T02:00:00+05:30"), "{report}");
}

/// `import-zola-r3-sections/expected-old-urls.txt` also holds the section
/// URLs and the `page/1/` redirects Zola 0.22.1 wrote (klausi, ruma), the
/// root's `/page/1/` too; not `/news/page/2/` (Broadsheet pages its
/// listings itself).
#[test]
fn zola_sections_with_text_are_pages_redirect_to_is_followed_and_page_one_goes_back() {
    let (site, output) = import_and_build("import-zola-r3-sections");
    // A section with text and no dated pages (klausi's About, ruma's
    // docs/matrix): a page at the section's URL, its aliases leading there.
    for old in ["/about/", "/about.html", "/node/1.html"] {
        let about = answer(&output, old).unwrap();
        assert_eq!(about.text("main h1"), "About", "{old}");
        assert!(about.main_html().contains("<strong>quay</strong>"), "{old}: {}", about.main_html());
        assert_eq!(about.count(".dates time"), 0, "a page, not an article");
    }
    for old in ["/guide/intro/", "/status/"] {
        assert_eq!(answer(&output, old).unwrap().text("main h1"), "Introduction to the quay", "{old}");
    }
    assert_eq!(answer(&output, "/contact.html").unwrap().text("main h1"), "Contact");
    // A section with text and dated pages stays the listing of its news.
    let news = answer(&output, "/news/").unwrap();
    assert!(news.texts("main a").iter().any(|t| t == "Harbour fair returns"), "{:?}", news.texts("main a"));
    // `redirect_to`: the section's URL and its aliases lead to its target.
    for old in ["/speaking/", "/speaking.html", "/node/51.html"] {
        let tag = answer(&output, old).unwrap();
        assert!(tag.texts("main a").iter().any(|t| t == "Ferry timetable changes"), "{old}: {:?}", tag.texts("main a"));
    }
    // A paginated section's page 1 goes back to the section.
    let first = answer(&output, "/news/page/1/").unwrap();
    assert!(first.texts("main a").iter().any(|t| t == "Harbour fair returns"), "{:?}", first.texts("main a"));
    let front = answer(&output, "/page/1/").unwrap();
    assert_eq!(
        front.attr("link[rel=canonical]", "href"),
        answer(&output, "/").unwrap().attr("link[rel=canonical]", "href")
    );
    let report = std::fs::read_to_string(site.root().join("import-report.md")).unwrap();
    assert!(!report.contains("/speaking.html cannot be kept"), "{report}");
}

#[test]
fn zola_authors_written_as_one_line_are_each_credited() {
    let (_site, output) = import_and_build("import-zola-r3-sections");
    let byline = |old: &str| answer(&output, old).unwrap().texts(".byline a");
    assert_eq!(byline("/news/ferry-timetable/"), ["Ada Quayle", "Bram Tiller"]);
    assert_eq!(byline("/news/pier-lights/"), ["Cora Mast", "Dov Keel", "Eli Stern"]);
}

#[test]
fn zola_translations_are_imported_beside_their_pages() {
    // Not built with Zola: its URLs follow Zola's documented rules (a
    // translation at /<lang>/<path>, `aliases` from the site's root).
    let fixture = "import-zola-languages";
    let (site, run) = SiteTest::imported("zola", fixture, &[]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let build = site.cli(&["build"]);
    assert_eq!(build.code, Some(0), "the import builds: {}{}", build.stdout, build.stderr);
    let output = site.output();
    // `/old-ferry/`, a French page's alias outside /fr/, cannot be kept.
    for old in expected_old_urls(fixture).into_iter().filter(|o| o != "/old-ferry/") {
        assert!(answer(&output, &old).is_some(), "old URL {old} does not answer");
    }
    assert_eq!(answer(&output, "/fr/blog/bac/").unwrap().text("main h1"), "Horaires du ferry");
    // A translation's `path` is taken as written (`fr/marees`), as Zola does.
    assert_eq!(answer(&output, "/fr/marees/").unwrap().text("main h1"), "Les marées de la semaine");
    let report = std::fs::read_to_string(site.root().join("import-report.md")).unwrap();
    assert!(report.contains("**content/blog/ferry.fr.md**: its old URL /old-ferry/ is not under /fr/"), "{report}");
    assert!(site.root().join("content/blog/ferry.fr.md").is_file());
}
