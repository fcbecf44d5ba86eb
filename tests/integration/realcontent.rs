//! Content written for other generators (issue 15): Jekyll, Hugo and Zola
//! front matter, dates and slugs in file names, year folders, `.markdown`
//! and `.html` articles, and files that must never be published raw. The
//! fixtures and what each page must show are in
//! `tests/fixtures/README-real-content.md`.

use crate::harness::{Built, SiteTest, check_golden};

/// What an article page shows: its date, summary (the dek, or the lead
/// paragraph when none was written: either way the page's description) and
/// tags.
fn check_page(built: &Built, route: &str, date: &str, dek: &str, tags: &[&str]) {
    let page = built.page(route);
    assert_eq!(page.attr(".dates a time", "datetime"), date, "{route}");
    let summary = page.attr("meta[name=description]", "content");
    assert!(summary.starts_with(dek), "{route}: summary {summary:?}");
    assert_eq!(page.texts("a[rel=tag]"), tags, "{route}");
}

/// The redirect page an alias makes points at `target`.
fn check_alias(built: &Built, alias: &str, target: &str) {
    let page = built.page(alias);
    let refresh = page.attr("meta[http-equiv=refresh]", "content");
    assert!(refresh.ends_with(target), "{alias} redirects to {refresh}");
}

/// The Jekyll fixture without its second `council-approves-budget` (the
/// two clash on one URL until permalinks with dates exist).
fn jekyll_without_the_clash() -> SiteTest {
    let site = SiteTest::fixture("jekyll-habits");
    std::fs::remove_file(site.root().join("content/news/2017-05-06-council-approves-budget.md")).unwrap();
    site
}

#[test]
fn jekyll_posts_take_dates_from_file_names_and_synonyms_from_front_matter() {
    let built = jekyll_without_the_clash().build();
    check_page(
        &built,
        "news/council-approves-budget/",
        "2015-01-12T00:00:00-06:00",
        "The council passed a $212 million budget just after midnight",
        &["city", "budget"],
    );
    assert_eq!(built.page("news/council-approves-budget/").text(".byline"), "By Dana Ruiz");
    check_page(
        &built,
        "news/ferry-schedule/",
        "2016-03-04T12:48:22-06:00",
        "The county ferry will add a 5:40 a.m. crossing",
        &["ferry"],
    );
    check_alias(&built, "ferry-schedule-2016/", "/news/ferry-schedule/");
    assert!(!built.exists("news/ferry.png"), "the photo's own file is left out");
    // The front matter's bare `ferry.png` was found: the hero is its resized copies.
    let hero = built.page("news/ferry-schedule/").attrs("main img", "src");
    assert!(hero.iter().any(|src| src.starts_with("/_photos/") && src.ends_with(".png")), "{hero:?}");
}

#[test]
fn jekyll_drafts_and_sources_are_never_published() {
    let built = jekyll_without_the_clash().build();
    assert!(!built.exists("news/unpublished-draft/index.html"));
    let sitemap = std::fs::read_to_string(built.output.join("sitemap.xml")).unwrap();
    assert!(!sitemap.contains("unpublished-draft"));
    let raw = walkdir::WalkDir::new(&built.output)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "markdown" || x == "md"))
        .count();
    assert_eq!(raw, 0, "a source file was published");
}

#[test]
fn the_same_slug_in_two_years_is_a_reported_clash() {
    let errors: Vec<String> =
        SiteTest::fixture("jekyll-habits").build().errors().into_iter().filter(|e| e.contains(": error: ")).collect();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(errors[0].contains("URL /news/council-approves-budget/ is claimed twice"), "{}", errors[0]);
    assert!(errors[0].contains("2015-01-12-council-approves-budget.markdown"), "{}", errors[0]);
    assert!(errors[0].contains("2017-05-06-council-approves-budget.md"), "{}", errors[0]);
}

#[test]
fn hugo_year_folders_are_part_of_their_section() {
    let built = SiteTest::fixture("hugo-habits").build();
    check_page(
        &built,
        "blog/harbour-dredging/",
        "2023-05-30T09:00:00-05:00",
        "The port authority will deepen the main channel by two metres over six weeks.",
        &["port"],
    );
    let dredging = built.page("blog/harbour-dredging/");
    assert_eq!(dredging.attrs(".dates time", "datetime")[1], "2023-06-02T00:00:00-05:00");
    check_alias(&built, "old/harbour/", "/blog/harbour-dredging/");
    check_page(&built, "blog/storm-bundle/", "2024-04-11T07:15:00-05:00", "Winds above 90 km/h", &["weather", "power"]);
    assert!(!built.exists("blog/storm-bundle/storm.png"), "the bundle's photo is published as its resized copies");
    check_page(&built, "blog/expiring/", "2024-06-03T08:00:00-05:00", "Mill Street will be closed", &[]);
    assert!(built.page("blog/").texts("h2, h3").iter().any(|t| t.contains("Harbour dredging")));
}

#[test]
fn hugo_expiry_dates_are_honoured() {
    let site = SiteTest::fixture("hugo-habits");
    site.edit("content/blog/2024/expiring.md", "expiryDate = 2030-01-01", "expiryDate = 2025-01-01");
    let built = site.build();
    assert!(!built.exists("blog/expiring/index.html"));
}

#[test]
fn zola_posts_take_date_and_slug_from_the_file_name_and_keep_their_path() {
    let built = SiteTest::fixture("zola-habits").build();
    check_page(&built, "posts/rust-meetup-recap/", "2019-03-22T00:00:00-05:00", "About forty people came", &[]);
    assert_eq!(built.page("posts/rust-meetup-recap/").text(".byline"), "By Priya Nair");
    check_alias(&built, "2019/03/22/meetup-recap/", "/posts/rust-meetup-recap/");
    check_page(
        &built,
        "posts/summer-fair/",
        "2020-07-01T00:00:00-05:00",
        "Rides, a pie contest and the first evening concert in four years.",
        &[],
    );
    assert_eq!(built.page("posts/summer-fair/").count(".byline"), 0);
}

#[test]
fn html_articles_are_built_and_a_wordpress_export_is_refused() {
    let errors = SiteTest::fixture("raw-sources").build().errors();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(errors[0].starts_with("content/export.xml:1:1: error: this is a WordPress export"), "{}", errors[0]);
    assert!(errors[0].contains("Move it out of content/"), "{}", errors[0]);

    let site = SiteTest::fixture("raw-sources");
    std::fs::remove_file(site.root().join("content/export.xml")).unwrap();
    let built = site.build();
    check_page(
        &built,
        "news/old-page/",
        "2012-08-15T00:00:00-05:00",
        "Our policy on corrections, written when the paper went online.",
        &[],
    );
    assert!(built.page("news/old-page/").text("main").contains("An editor reads every report."));
    assert!(!built.exists("news/old-page.html"), "the source was published");
    check_page(&built, "news/ok/", "2024-05-02T00:00:00-05:00", "Painters finished the Oak Street bridge", &["roads"]);
    check_page(
        &built,
        "news/notes/",
        "2024-05-09T19:30:00-05:00",
        "The planning board heard two hours",
        &["zoning", "housing"],
    );
}

#[test]
fn a_failed_build_publishes_nothing_of_the_export() {
    let built = SiteTest::fixture("raw-sources").build();
    assert!(built.result.is_err());
    assert!(!built.exists("export.xml"));
    assert!(!built.output.exists() || walkdir::WalkDir::new(&built.output).into_iter().count() <= 1);
}

#[test]
fn files_that_look_like_articles_are_refused_and_folders_named_like_files_are_fine() {
    let built = SiteTest::new()
        .file("content/news/ok.md", "+++\ntitle = \"Ok\"\ndate = 2024-01-01\n+++\nBody.\n")
        .file("content/news/draft.txt", "---\ntitle: Secret\n---\nNot for readers.\n")
        .file("content/export.xml/readme.txt", "just a file in a folder named like a file\n")
        .build();
    let errors = built.errors();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(errors[0].starts_with("content/news/draft.txt:1:1: error: this looks like an article"), "{}", errors[0]);
    assert!(errors[0].contains("rename it to `.md`"), "{}", errors[0]);
    assert!(!errors[0].contains("Is a directory"));
}

#[test]
fn other_markdown_extensions_are_articles() {
    let built = SiteTest::new()
        .file("content/news/a.mdown", "+++\ntitle = \"A\"\ndate = 2024-01-01\n+++\nAlpha.\n")
        .file("content/news/2024-02-03-b.mkd", "---\ntitle: B\n---\nBravo.\n")
        .build();
    assert_eq!(built.page("news/a/").text("h1"), "A");
    assert_eq!(built.page("news/b/").attr(".dates a time", "datetime"), "2024-02-03T00:00:00+00:00");
}

#[test]
fn unknown_fields_can_be_kept_with_one_summary_warning() {
    let site = SiteTest::new()
        .file("content/news/a.md", "---\ntitle: A\ndate: 2024-01-01\nfoo: 1\nbar: x\n---\nAlpha.\n")
        .file("content/news/b.md", "---\ntitle: B\ndate: 2024-01-02\nfoo: 2\n---\nBravo.\n");
    let errors = site.build().errors();
    assert_eq!(errors.len(), 3, "{errors:#?}");
    std::fs::write(
        site.root().join("site.toml"),
        format!("{}[content]\nunknown_fields = \"extra\"\n", crate::harness::MINIMAL_CONFIG),
    )
    .unwrap();
    let built = site.build();
    let warnings: Vec<String> = built.report().warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        [
            "site.toml:1:1: warning: 2 front matter fields that Broadsheet does not know kept under `extra` (unknown_fields = \"extra\"): `foo` (2 files), `bar` (1 file)"
        ]
    );
}

#[test]
fn every_problem_of_every_file_in_one_run() {
    let errors = SiteTest::fixture("three-problems").build().errors();
    let places: std::collections::BTreeSet<String> =
        errors.iter().map(|e| e.splitn(4, ':').take(3).collect::<Vec<_>>().join(":")).collect();
    assert_eq!(places.len(), 9, "each problem has its own place: {errors:#?}");
    check_golden("three-problems.stderr", &(errors.join("\n") + "\n"));
}

#[test]
fn every_problem_of_site_toml_in_one_run() {
    let errors = SiteTest::fixture("bad-config").cli(&["build"]);
    assert_eq!(errors.code, Some(1), "{}", errors.stderr);
    check_golden("bad-config.stderr", &errors.stderr);
}

#[test]
fn a_second_markdown_file_in_a_bundle_is_refused() {
    let errors = SiteTest::new()
        .file("content/news/storm/index.md", "+++\ntitle = \"S\"\ndate = 2024-01-01\n+++\nBody.\n")
        .file("content/news/storm/notes.md", "+++\ntitle = \"N\"\ndate = 2024-01-01\n+++\nBody.\n")
        .build()
        .errors();
    assert_eq!(
        errors,
        [
            "content/news/storm/notes.md:1:1: error: a page bundle holds one article, its index file: move this file out of the bundle's folder"
        ]
    );
}

#[test]
fn a_nested_index_file_is_part_of_its_section() {
    let built = SiteTest::new()
        .file("content/blog/_index.md", "+++\ntitle = \"Blog\"\n+++\n")
        .file("content/blog/2023/_index.md", "+++\ntitle = \"2023\"\n+++\n")
        .file("content/blog/2023/x.md", "+++\ntitle = \"X\"\ndate = 2023-01-01\n+++\nBody.\n")
        .build();
    assert_eq!(built.page("blog/x/").text("h1"), "X");
    assert!(!built.exists("blog/2023/_index.md"));
    assert!(!built.exists("blog/2023/index.html"));
}

#[test]
fn a_dated_permalink_keeps_jekyll_posts_with_one_headline_apart() {
    let site = SiteTest::fixture("jekyll-habits");
    let config = std::fs::read_to_string(site.root().join("site.toml")).unwrap();
    let dated = format!("{config}\n[permalinks]\narticle = \"/:section/:year/:month/:day/:slug/\"\n");
    let built = site.file("site.toml", dated).build();
    for route in ["news/2015/01/12/council-approves-budget/", "news/2017/05/06/council-approves-budget/"] {
        assert!(built.page(route).text("h1").contains("budget"), "{route}");
    }
}
