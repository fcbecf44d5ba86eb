//! `[permalinks] article`: articles at URLs that keep their date, and every
//! place that links an article follows the pattern.

use crate::harness::{MINIMAL_CONFIG, SiteTest};

/// Two stories with one recurring headline, a year apart, and a bundle.
fn recurring(pattern: &str) -> SiteTest {
    let config = format!("{MINIMAL_CONFIG}[permalinks]\narticle = \"{pattern}\"\n");
    SiteTest::new()
        .file("site.toml", config)
        .file(
            "content/news/2024-report.md",
            "+++\ntitle = \"Transparency report\"\nslug = \"transparency-report\"\ndate = 2024-05-14\n+++\nThe first.\n",
        )
        .file(
            "content/news/2025-report.md",
            "+++\ntitle = \"Transparency report\"\nslug = \"transparency-report\"\ndate = 2025-05-13\naliases = [\"/old/report/\"]\n+++\nThe second.\n",
        )
        .file(
            "content/news/storm/index.md",
            "+++\ntitle = \"Storm\"\ndate = 2025-11-02T08:00:00Z\nimage = { src = \"photo.png\", alt = \"Clouds\" }\n+++\nSee ![the sky](photo.png).\n",
        )
        .file("content/news/storm/photo.png", include_bytes!("../fixtures/basic/content/world/quake/photo.png"))
}

#[test]
fn dated_permalinks_keep_recurring_headlines_apart() {
    let built = recurring("/:section/:year/:month/:day/:slug/").build();
    assert_eq!(built.page("news/2024/05/14/transparency-report/").text("h1"), "Transparency report");
    assert_eq!(built.page("news/2025/05/13/transparency-report/").text(".story-body p"), "The second.");
    // Listings, feeds, sitemaps and aliases link the dated URLs.
    let section = built.page("news/");
    let links = section.attrs("main a[href*='transparency-report']", "href");
    assert!(links.contains(&"/news/2025/05/13/transparency-report/".to_string()), "{links:?}");
    let feed = std::fs::read_to_string(built.output.join("feed.xml")).unwrap();
    assert!(feed.contains("<id>https://example.com/news/2024/05/14/transparency-report/</id>"), "{feed}");
    let sitemap = std::fs::read_to_string(built.output.join("sitemap.xml")).unwrap();
    assert!(sitemap.contains("<loc>https://example.com/news/2025/05/13/transparency-report/</loc>"));
    let alias = built.page("old/report/");
    assert_eq!(alias.attr("link[rel=canonical]", "href"), "https://example.com/news/2025/05/13/transparency-report/");
    // A bundle's photo is published as its resized copies, not beside the page.
    assert!(!built.exists("news/2025/11/02/storm/photo.png"));
    let storm = built.page("news/2025/11/02/storm/");
    assert!(storm.attr(".hero img", "src").starts_with("/_photos/"));
}

#[test]
fn without_a_date_in_the_pattern_recurring_headlines_clash() {
    let errors = recurring("/:section/:slug/").build().errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].contains("URL /news/transparency-report/ is claimed twice"), "{errors:?}");
}

#[test]
fn a_bad_pattern_names_its_line_and_what_is_wrong() {
    let errors = recurring("/:section/:title/").build().errors();
    assert_eq!(
        errors,
        [
            "site.toml:4:11: error: [permalinks] article: unknown token `:title` in `/:section/:title/`: the tokens are :year :month :day :section :slug"
        ]
    );
}
