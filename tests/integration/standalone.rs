//! Standalone pages: About, Contact, an ethics policy, written as
//! `content/<name>.md` or `content/<name>/index.md`, outside every section.

use crate::harness::SiteTest;

const ABOUT: &str = "---\ntitle: About us\nsummary: Who we are and how to reach the newsroom.\nupdated: 2026-05-01\naliases: [/about-us/]\nimage: { src: /world/quake/photo.png, alt: Our newsroom, caption: The newsroom. }\n---\nThe *Gazette* has covered the harbour since 1889.\n";
const ETHICS: &str = "+++\ntitle = \"Ethics policy\"\n+++\nWe correct our mistakes.\n\n![The newsroom](newsroom.png)\n";

fn photo() -> std::path::PathBuf {
    crate::harness::repo().join("tests/fixtures/basic/content/world/quake/photo.png")
}

fn site() -> SiteTest {
    SiteTest::fixture("basic")
        .file("content/about.md", ABOUT)
        .file("content/ethics/index.md", ETHICS)
        .file("content/ethics/newsroom.png", std::fs::read(photo()).unwrap())
        .file("content/contact.md", "---\ntitle: Contact\ndraft: true\n---\nSoon.\n")
}

#[test]
fn a_top_level_file_is_a_page_at_its_name() {
    let built = site().build();
    let page = built.page("about/");
    assert_eq!(page.text("main h1"), "About us");
    assert_eq!(page.text(".dek"), "Who we are and how to reach the newsroom.");
    assert_eq!(page.text(".story-body em"), "Gazette");
    assert_eq!(page.attr(".dates time", "datetime"), "2026-05-01T00:00:00+02:00");
    assert_eq!(page.count(".byline, .reactions, .related, .more-in, .kicker"), 0, "a page is not a story");
    assert_eq!(page.attr("link[rel=canonical]", "href"), "https://example.com/about/");
    assert!(page.attr(".hero img", "src").starts_with("/_photos/"));
    assert_eq!(page.attr(".hero img", "alt"), "Our newsroom");
    assert_eq!(page.text(".hero figcaption"), "The newsroom.");
}

#[test]
fn a_bundle_page_keeps_its_files_and_an_undated_page_shows_no_date() {
    let built = site().build();
    let page = built.page("ethics/");
    assert_eq!(page.text("main h1"), "Ethics policy");
    // The bundle's picture, shown as its resized copies; the file itself is
    // not published.
    assert!(page.attr(".story-body img", "src").starts_with("/_photos/"));
    assert_eq!(page.attr(".story-body img", "alt"), "The newsroom");
    assert!(!built.exists("ethics/newsroom.png"));
    assert_eq!(page.count(".dates"), 0);
    let sections = built.page("sections/").texts("main a");
    assert!(!sections.is_empty() && sections.iter().all(|t| !t.contains("Ethics")), "{sections:?}");
}

#[test]
fn pages_are_in_the_footer_and_sitemap_but_not_in_listings_or_feeds() {
    let built = site().build();
    let front = built.page("");
    assert_eq!(front.texts(".footer-pages a"), ["About us", "Ethics policy"], "drafts are left out");
    assert_eq!(front.attrs(".footer-pages a", "href"), ["/about/", "/ethics/"]);
    let sitemap = std::fs::read_to_string(built.output.join("sitemap.xml")).unwrap();
    let doc = scraper::Html::parse_fragment(&sitemap);
    let loc = scraper::Selector::parse("loc").unwrap();
    let locs: Vec<String> = doc.select(&loc).map(|n| n.text().collect()).collect();
    assert!(locs.iter().any(|l| l == "https://example.com/about/"), "{locs:?}");
    assert!(locs.iter().any(|l| l == "https://example.com/ethics/"), "{locs:?}");
    let feed = std::fs::read_to_string(built.output.join("feed.xml")).unwrap();
    assert!(!feed.contains("About us") && !feed.contains("/ethics/"), "pages are not news");
    assert!(!built.exists("contact/index.html"), "a draft page is not published");
    assert!(front.texts("main a").iter().all(|t| t != "About us"), "pages are not stories on the front page");
}

#[test]
fn an_old_url_of_a_page_redirects_to_it() {
    let page = site().build().page("about-us/");
    assert_eq!(page.attr("meta[http-equiv=refresh]", "content"), "0; url=/about/");
}

#[test]
fn a_page_that_takes_a_sections_url_is_an_error_naming_both() {
    let errors = site().file("content/world.md", "---\ntitle: World\n---\nx\n").build().errors();
    assert!(
        errors.iter().any(|e| e.starts_with("content/world.md:1:1") && e.contains("URL /world/ is claimed twice")),
        "{errors:?}"
    );
}

#[test]
fn a_front_page_file_is_refused_with_what_to_do() {
    let errors = site().file("content/index.md", "---\ntitle: Home\n---\nx\n").build().errors();
    assert!(
        errors.iter().any(|e| e.starts_with("content/index.md:1:1") && e.contains("front page is made by Broadsheet")),
        "{errors:?}"
    );
}
