//! Story packages: `series = "slug"` in front matter gathers the parts, a
//! landing page at /series/<slug>/ lists them in order, each part says
//! "Part N of M" and links the parts before and after it.

use serde_json::{Value, json};

use crate::feeds::{feedparser, jsonld, titles};
use crate::harness::{MINIMAL_CONFIG, SiteTest};

fn part(n: u32, order: Option<u32>, series: &str, day: u32) -> String {
    let order = order.map(|o| format!("series_order = {o}\n")).unwrap_or_default();
    format!(
        "+++\ntitle = \"Dredging, part {n}\"\ndate = 2026-04-{day:02}T09:00:00Z\nseries = \"{series}\"\n{order}+++\n\nText of part {n}.\n"
    )
}

pub fn series_site() -> SiteTest {
    let config = "[series.harbour-dredging]\ntitle = \"Dredging the harbour\"\ndescription = \"A three-part investigation into the harbour contract.\"\n";
    SiteTest::new()
        .file("site.toml", format!("{MINIMAL_CONFIG}{config}"))
        // Part 3 was published before part 2 (a correction of the order):
        // series_order decides, not the date.
        .file("content/news/dredging-1.md", part(1, Some(1), "harbour-dredging", 1))
        .file("content/news/dredging-2.md", part(2, Some(2), "harbour-dredging", 9))
        .file("content/business/dredging-3.md", part(3, Some(3), "harbour-dredging", 5))
        .file("content/news/night-1.md", part(1, None, "Night Shift", 2))
        .file("content/news/night-2.md", part(2, None, "Night Shift", 3))
        .file("content/news/alone.md", "+++\ntitle = \"Alone\"\ndate = 2026-04-04T09:00:00Z\n+++\n\nText.\n")
}

#[test]
fn a_series_has_a_landing_page_with_its_parts_in_order() {
    let built = series_site().build();
    let page = built.page("series/harbour-dredging/");
    assert_eq!(page.text("h1"), "Dredging the harbour");
    assert_eq!(page.text(".series-header .dek"), "A three-part investigation into the harbour contract.");
    assert_eq!(page.text(".series-count"), "3 parts");
    assert_eq!(page.texts(".series-parts .part-number"), ["Part 1", "Part 2", "Part 3"]);
    assert_eq!(page.texts(".series-parts .card-title"), ["Dredging, part 1", "Dredging, part 2", "Dredging, part 3"]);
    // A series no table describes: its name from the slug, parts by date.
    let night = built.page("series/night-shift/");
    assert_eq!(night.text("h1"), "Night Shift");
    assert_eq!(night.attr("meta[name=description]", "content"), "A series in 2 parts");
    let sitemap = std::fs::read_to_string(built.output.join("sitemap.xml")).unwrap();
    assert!(sitemap.contains("https://example.com/series/harbour-dredging/"));
}

#[test]
fn each_part_says_where_it_is_and_links_its_neighbours() {
    let built = series_site().build();
    let second = built.page("news/dredging-2/");
    assert!(
        second.text(".story-header .kicker").ends_with("Dredging the harbour, part 2 of 3"),
        "{}",
        second.text(".kicker")
    );
    assert_eq!(second.text(".series-nav .series-place"), "Part 2 of 3 in Dredging the harbour");
    assert_eq!(second.attr(".series-nav .series-place a", "href"), "/series/harbour-dredging/");
    assert_eq!(second.text(".series-previous"), "Part 1: Dredging, part 1");
    assert_eq!(second.attr(".series-previous", "href"), "/news/dredging-1/");
    assert_eq!(second.text(".series-next"), "Part 3: Dredging, part 3");
    assert_eq!(second.attr(".series-next", "href"), "/business/dredging-3/");
    let first = built.page("news/dredging-1/");
    assert_eq!((first.count(".series-previous"), first.count(".series-next")), (0, 1));
    let last = built.page("business/dredging-3/");
    assert_eq!((last.count(".series-previous"), last.count(".series-next")), (1, 0));
    assert_eq!(built.page("news/alone/").count(".series-nav"), 0);
}

#[test]
fn parts_and_the_landing_page_carry_series_json_ld() {
    let built = series_site().build();
    let part = jsonld(&built.page("news/dredging-2/"));
    let article = part.iter().find(|n| n["@type"] == "NewsArticle").unwrap();
    assert_eq!(
        article["isPartOf"],
        json!({"@type": "CreativeWorkSeries", "name": "Dredging the harbour", "url": "https://example.com/series/harbour-dredging/"})
    );
    assert_eq!(article["position"], json!(2));
    let landing = jsonld(&built.page("series/harbour-dredging/"));
    let series = landing.iter().find(|n| n["@type"] == "CreativeWorkSeries").expect("a CreativeWorkSeries");
    assert_eq!(series["@context"], "https://schema.org");
    assert_eq!(series["name"], "Dredging the harbour");
    let parts: Vec<(&Value, &Value)> =
        series["hasPart"].as_array().unwrap().iter().map(|p| (&p["position"], &p["url"])).collect();
    assert_eq!(parts.len(), 3);
    assert_eq!(parts[2], (&json!(3), &json!("https://example.com/business/dredging-3/")));
}

#[test]
fn a_series_has_its_own_feed_newest_first() {
    let built = series_site().build();
    let page = built.page("series/harbour-dredging/");
    assert!(
        page.attrs("link[type='application/atom+xml']", "href")
            .contains(&"/series/harbour-dredging/feed.xml".to_string())
    );
    let Some(feeds) = feedparser(&built.output, "a_series_has_its_own_feed_newest_first") else { return };
    let feed = &feeds["series/harbour-dredging/feed.xml"];
    assert_eq!(feed["bozo"], false);
    assert_eq!(titles(feed), ["Dredging, part 2", "Dredging, part 3", "Dredging, part 1"]);
}

#[test]
fn a_wrong_part_number_is_named_with_its_line() {
    let built = series_site()
        .file("content/news/dredging-4.md", "+++\ntitle = \"Four\"\ndate = 2026-04-10T09:00:00Z\nseries = \"harbour-dredging\"\nseries_order = \"four\"\n+++\n\nText.\n")
        .build();
    let errors = built.errors();
    assert!(
        errors.iter().any(|e| e.contains("content/news/dredging-4.md:5:") && e.contains("series_order")),
        "{errors:#?}"
    );
}

#[test]
fn a_long_series_pages_its_parts_in_reading_order() {
    let mut site = series_site().file("site.toml", format!("{MINIMAL_CONFIG}per_page = 2\n"));
    for n in 4..=5 {
        site = site.file(&format!("content/news/dredging-{n}.md"), part(n, Some(n), "harbour-dredging", 10 + n));
    }
    let built = site.build();
    let first = built.page("series/harbour-dredging/");
    assert_eq!(first.texts(".series-parts .part-number"), ["Part 1", "Part 2"]);
    assert_eq!(first.text(".pagination a[rel=next]"), "Later parts");
    let second = built.page("series/harbour-dredging/page/2/");
    assert_eq!(second.texts(".series-parts .part-number"), ["Part 3", "Part 4"]);
    assert_eq!(second.attr(".series-parts", "start"), "3");
    assert_eq!(second.text(".pagination a[rel=prev]"), "Earlier parts");
}
