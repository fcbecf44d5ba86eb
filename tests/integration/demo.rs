//! The repository's own demo newsroom: it builds with no warning, every
//! internal link works, and the output is byte-for-byte reproducible.

use crate::harness::{SiteTest, copy_tree, repo, snapshot_tree};

/// A copy of the demo site (site.toml, content/, templates/, static/).
pub fn demo() -> SiteTest {
    let test = SiteTest::new();
    for part in ["content", "templates", "static"] {
        copy_tree(&repo().join(part), &test.root().join(part));
    }
    test.file("site.toml", std::fs::read(repo().join("site.toml")).unwrap())
}

#[test]
fn demo_site_builds_without_warnings_or_broken_links() {
    let built = demo().build();
    let report = built.report();
    assert!(
        report.warnings.is_empty(),
        "warnings: {:#?}",
        report.warnings.iter().map(ToString::to_string).collect::<Vec<_>>()
    );
    assert!(report.articles >= 40, "the demo has {} articles", report.articles);
    let checked = crate::links::check_site(&built.output, "/");
    assert!(checked > 1000, "only {checked} links checked");
}

#[test]
fn demo_site_has_the_promised_parts() {
    let built = demo().build();
    let site = &built.report();
    assert!(site.pages > 100);
    let seed = built.page("news/us-ukraine-highest-level-talks/");
    assert_eq!(seed.text(".story-header .kicker"), "News");
    assert_eq!(seed.text(".source-line"), "This post appeared first on cnn.com");
    assert_eq!(seed.texts(".story-body h2"), ["A ‘deal’ proves elusive"]);
    assert_eq!(seed.text(".more-in h2"), "More in: News");
    let front = built.page("");
    assert_eq!(front.count(".lead"), 1);
    assert!(front.count(".section-block") >= 8);
}

#[test]
fn demo_site_works_under_a_subpath() {
    let built = demo().base_url("https://user.github.io/broadsheet/").build();
    crate::links::check_site(&built.output, "/broadsheet/");
}

#[test]
fn two_builds_of_the_same_input_are_byte_identical() {
    let test = demo();
    let mut first = test.options();
    first.output = test.root().join("out-a");
    let mut second = test.options();
    second.output = test.root().join("out-b");
    test.build_with(first.clone()).report();
    test.build_with(second.clone()).report();
    let (a, b) = (snapshot_tree(&first.output), snapshot_tree(&second.output));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (path, bytes) in &a {
        assert!(bytes == &b[path], "{} differs between builds", path.display());
    }
}

#[test]
fn cards_name_their_section_only_where_the_block_is_not_that_section() {
    let built = demo().build();
    // A section's page and its block on the front page: the name is the heading, not each card's kicker.
    let news = built.page("news/");
    assert!(news.count(".card") > 5);
    assert_eq!(news.count(".card .kicker a"), 0, "no card on /news/ repeats “News”");
    let front = built.page("");
    let blocks = front.count(".section-block .card");
    assert!(blocks > 5, "{blocks} cards in the front page's section blocks");
    assert_eq!(front.count(".section-block .card .kicker a"), 0);
    // "Latest" mixes sections: every card says which.
    assert_eq!(front.count(".latest .card .kicker a"), front.count(".latest .card"));
    // Under a story, "More in: News" leaves the kicker out; "You may also like" keeps it.
    let story = built.page("news/us-ukraine-highest-level-talks/");
    assert!(story.count(".more-in .card") > 0 && story.count(".more-in .card .kicker a") == 0);
    assert_eq!(story.count(".related .card .kicker a"), story.count(".related .card"));
}
