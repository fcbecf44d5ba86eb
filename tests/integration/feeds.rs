//! Feeds, sitemaps and search metadata, checked by the clients that read
//! them: Python's feedparser, xmllint with the sitemap schemas, a JSON
//! parser for JSON-LD and JSON Feed.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::demo::demo;
use crate::harness::{Built, SiteTest, repo};
use crate::tools;

/// The headline as the fixture writes it; pages and feeds show it with
/// curly quotes, as bodies get them.
const TRICKY_TITLE: &str = "Rates & “risks” <rise> 🚀 — the week ahead";

/// What feedparser saw in every feed of a built site.
pub fn feedparser(output: &Path, test: &str) -> Option<serde_json::Map<String, Value>> {
    if !tools::require_python_module("feedparser", test) {
        return None;
    }
    let out = Command::new("python3").arg(repo().join("tests/tools/check_feeds.py")).arg(output).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    Some(serde_json::from_slice::<Value>(&out.stdout).unwrap().as_object().unwrap().clone())
}

/// Runs xmllint against one of the schemas in tests/schemas.
pub fn xmllint(file: &Path, schema: &str, test: &str) -> Option<String> {
    tools::require("xmllint", test)?;
    let out = Command::new("xmllint")
        .args(["--noout", "--schema"])
        .arg(repo().join("tests/schemas").join(schema))
        .arg(file)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{} does not match {schema}:\n{said}", file.display());
    Some(said)
}

pub fn titles(feed: &Value) -> Vec<&str> {
    feed["entries"].as_array().unwrap().iter().map(|e| e["title"].as_str().unwrap()).collect()
}

fn feeds_fixture() -> SiteTest {
    SiteTest::fixture("feeds")
}

/// Every feed parses without error and carries every story of its scope.
fn check_every_feed(built: &Built, test: &str) {
    let Some(feeds) = feedparser(&built.output, test) else { return };
    assert!(feeds.len() >= 4, "{:?}", feeds.keys());
    for (path, feed) in &feeds {
        assert_eq!(feed["bozo"], false, "{path}: {}", feed["error"]);
        assert!(!feed["entries"].as_array().unwrap().is_empty(), "{path} has no entries");
    }
    let site_atom = &feeds["feed.xml"];
    let expected = built.report().articles.min(50);
    assert_eq!(site_atom["entries"].as_array().unwrap().len(), expected);
    assert_eq!(feeds["rss.xml"]["entries"].as_array().unwrap().len(), expected);
    assert_eq!(site_atom["version"], "atom10");
    assert_eq!(feeds["rss.xml"]["version"], "rss20");
}

#[test]
fn every_feed_of_the_fixture_parses_with_feedparser() {
    let built = feeds_fixture().build();
    check_every_feed(&built, "every_feed_of_the_fixture_parses_with_feedparser");
    let Some(feeds) = feedparser(&built.output, "every_feed_of_the_fixture_parses_with_feedparser") else { return };
    for name in
        ["feed.xml", "rss.xml", "news/feed.xml", "news/rss.xml", "tags/economy/feed.xml", "authors/ann/feed.xml"]
    {
        assert!(feeds.contains_key(name), "{name} missing");
    }
    assert_eq!(
        titles(&feeds["feed.xml"]),
        [TRICKY_TITLE, "Wire copy from elsewhere", "An older story"],
        "newest first"
    );
    assert_eq!(titles(&feeds["rss.xml"])[0], TRICKY_TITLE, "escaped and read back exactly");
    assert_eq!(feeds["feed.xml"]["title"], "The Feed & \"Sitemap\" Times");
    assert_eq!(titles(&feeds["tags/r-d-lab-x/feed.xml"]), [TRICKY_TITLE]);
    assert_eq!(titles(&feeds["world/rss.xml"]), ["An older story"]);
}

#[test]
fn feed_entries_carry_authors_categories_dates_content_and_image() {
    let built = feeds_fixture().build();
    let Some(feeds) = feedparser(&built.output, "feed_entries_carry_authors_categories_dates_content_and_image") else {
        return;
    };
    let atom = &feeds["feed.xml"]["entries"][0];
    assert_eq!(atom["link"], "https://example.com/news/rates/");
    assert_eq!(atom["id"], "https://example.com/news/rates/");
    assert_eq!(atom["published"], "2026-11-25T18:00:00+01:00", "in the site timezone");
    assert_eq!(atom["updated"], "2026-11-26T09:15:00+01:00");
    assert_eq!(atom["authors"], serde_json::json!(["Ann", "Bo <Bold> & Co"]));
    assert_eq!(atom["tags"], serde_json::json!(["News", "R&D <lab> \"x\" 🚀", "Economy"]));
    // The photo's largest copy (its own file is not published by default).
    let enclosures = atom["enclosures"].as_array().unwrap();
    assert_eq!(enclosures.len(), 1, "{enclosures:?}");
    let enclosure = enclosures[0].as_str().unwrap();
    assert!(enclosure.starts_with("https://example.com/_photos/") && enclosure.ends_with(".png"), "{enclosure}");
    let content = atom["content"].as_str().unwrap();
    assert!(content.contains("href=\"https://example.com/world/old-story/\""), "links made absolute: {content}");
    // The body's photo is its largest copy, made absolute.
    assert!(content.contains(&format!("src=\"{enclosure}\"")), "{content}");
    assert!(!content.contains("chart.png"), "the unpublished original is not named: {content}");
    let rss = &feeds["rss.xml"]["entries"][0];
    assert_eq!(rss["enclosures"], serde_json::json!([enclosure]));
    assert_eq!(rss["published"], "Wed, 25 Nov 2026 18:00:00 +0100");
    assert!(rss["has_content"].as_bool().unwrap());
}

#[test]
fn feed_limit_and_summaries_are_configurable() {
    let config = std::fs::read_to_string(repo().join("tests/fixtures/feeds/site.toml")).unwrap();
    let built =
        feeds_fixture().file("site.toml", format!("{config}[feeds]\nlimit = 1\nfull_content = false\n")).build();
    let Some(feeds) = feedparser(&built.output, "feed_limit_and_summaries_are_configurable") else { return };
    assert_eq!(titles(&feeds["feed.xml"]), [TRICKY_TITLE]);
    assert_eq!(feeds["feed.xml"]["entries"][0]["has_content"], false);
}

#[test]
fn json_feed_follows_version_1_1() {
    let built = feeds_fixture().build();
    built.report();
    let feed: Value = serde_json::from_str(&std::fs::read_to_string(built.output.join("feed.json")).unwrap()).unwrap();
    assert_eq!(feed["version"], "https://jsonfeed.org/version/1.1");
    assert_eq!(feed["title"], "The Feed & \"Sitemap\" Times");
    assert_eq!(feed["feed_url"], "https://example.com/feed.json");
    let items = feed["items"].as_array().unwrap();
    assert_eq!(items.len(), 3);
    for item in items {
        assert!(item["id"].is_string() && item["url"].as_str().unwrap().starts_with("https://example.com/"));
        assert!(item["content_html"].is_string() || item["content_text"].is_string(), "1.1 needs content");
    }
    assert_eq!(items[0]["title"], TRICKY_TITLE);
    assert_eq!(items[0]["date_published"], "2026-11-25T18:00:00+01:00");
    assert_eq!(items[0]["authors"][1]["name"], "Bo <Bold> & Co");
}

#[test]
fn feeds_are_discoverable_from_every_page() {
    let built = feeds_fixture().build();
    for route in ["", "news/rates/", "world/", "tags/economy/", "authors/ann/", "2026/11/", "404.html"] {
        let page = built.page(route);
        let atom = page.attrs("link[rel=alternate][type='application/atom+xml']", "href");
        assert!(atom.contains(&"/feed.xml".to_string()), "/{route}: {atom:?}");
        assert_eq!(page.attrs("link[rel=alternate][type='application/feed+json']", "href"), ["/feed.json"]);
    }
    assert!(
        built.page("tags/economy/").attrs("link[rel=alternate]", "href").contains(&"/tags/economy/feed.xml".into())
    );
}

#[test]
fn subpath_base_url_makes_every_feed_and_sitemap_url_absolute_under_it() {
    let built = feeds_fixture().base_url("https://user.github.io/repo/").build();
    built.report();
    let sitemap = std::fs::read_to_string(built.output.join("sitemap.xml")).unwrap();
    let locs: Vec<&str> = sitemap.split("<loc>").skip(1).map(|s| &s[..s.find("</loc>").unwrap()]).collect();
    assert!(locs.len() > 10);
    assert!(locs.iter().all(|l| l.starts_with("https://user.github.io/repo/")), "{locs:?}");
    let robots = std::fs::read_to_string(built.output.join("robots.txt")).unwrap();
    assert!(robots.contains("Sitemap: https://user.github.io/repo/sitemap.xml"), "{robots}");
    let Some(feeds) = feedparser(&built.output, "subpath_base_url_makes_every_feed_and_sitemap_url_absolute_under_it")
    else {
        return;
    };
    let entry = &feeds["feed.xml"]["entries"][0];
    assert_eq!(entry["link"], "https://user.github.io/repo/news/rates/");
    assert!(entry["content"].as_str().unwrap().contains("href=\"https://user.github.io/repo/world/old-story/\""));
    crate::links::check_site(&built.output, "/repo/");
}

#[test]
fn sitemap_lists_every_page_with_lastmod_and_matches_the_schema() {
    let built = feeds_fixture().build();
    built.report();
    let sitemap = std::fs::read_to_string(built.output.join("sitemap.xml")).unwrap();
    for url in [
        "https://example.com/",
        "https://example.com/news/rates/",
        "https://example.com/tags/",
        "https://example.com/2026/11/",
    ] {
        assert!(sitemap.contains(&format!("<loc>{url}</loc>")), "{url} missing");
    }
    assert!(!sitemap.contains("404.html") && !sitemap.contains("/2026/older/"), "no 404 page and no redirects");
    assert!(sitemap.contains("<loc>https://example.com/news/rates/</loc><lastmod>2026-11-26T09:15:00+01:00</lastmod>"));
    assert_eq!(sitemap.matches("<url>").count(), sitemap.matches("<lastmod>").count());
    xmllint(
        &built.output.join("sitemap.xml"),
        "sitemap.xsd",
        "sitemap_lists_every_page_with_lastmod_and_matches_the_schema",
    );
}

#[test]
fn sitemap_splits_into_an_index_past_the_configured_limit() {
    let config = std::fs::read_to_string(repo().join("tests/fixtures/feeds/site.toml")).unwrap();
    let built = feeds_fixture().file("site.toml", format!("{config}[sitemap]\nmax_urls = 5\n")).build();
    built.report();
    let index = std::fs::read_to_string(built.output.join("sitemap.xml")).unwrap();
    assert!(index.contains("<sitemapindex"), "{index}");
    let parts = index.matches("<sitemap>").count();
    assert!(parts >= 3, "{index}");
    let test = "sitemap_splits_into_an_index_past_the_configured_limit";
    xmllint(&built.output.join("sitemap.xml"), "siteindex.xsd", test);
    let mut total = 0;
    for n in 1..=parts {
        let part = built.output.join(format!("sitemap-{n}.xml"));
        assert!(index.contains(&format!("<loc>https://example.com/sitemap-{n}.xml</loc>")));
        let text = std::fs::read_to_string(&part).unwrap();
        let urls = text.matches("<url>").count();
        assert!((1..=5).contains(&urls), "part {n} has {urls} URLs");
        total += urls;
        xmllint(&part, "sitemap.xsd", test);
    }
    let single = feeds_fixture().build();
    let all = std::fs::read_to_string(single.output.join("sitemap.xml")).unwrap();
    assert_eq!(total, all.matches("<url>").count(), "the parts list every page once");
}

#[test]
fn news_sitemap_lists_the_last_two_days_without_syndicated_copy() {
    let built = feeds_fixture().build();
    built.report();
    let news = std::fs::read_to_string(built.output.join("news-sitemap.xml")).unwrap();
    assert_eq!(news.matches("<url>").count(), 1, "{news}");
    assert!(news.contains("<loc>https://example.com/news/rates/</loc>"));
    assert!(news.contains("<news:name>The Feed &amp; &quot;Sitemap&quot; Times</news:name>"), "{news}");
    assert!(news.contains("<news:language>fr</news:language>"));
    assert!(news.contains("<news:publication_date>2026-11-25T18:00:00+01:00</news:publication_date>"));
    assert!(news.contains("<news:title>Rates &amp; “risks” &lt;rise&gt; 🚀 — the week ahead</news:title>"));
    assert!(!news.contains("wire-copy"), "syndicated copy never enters the news sitemap");
    xmllint(
        &built.output.join("news-sitemap.xml"),
        "news-urlset.xsd",
        "news_sitemap_lists_the_last_two_days_without_syndicated_copy",
    );
    let robots = std::fs::read_to_string(built.output.join("robots.txt")).unwrap();
    assert_eq!(
        robots,
        "User-agent: *\nAllow: /\n\nSitemap: https://example.com/sitemap.xml\nSitemap: https://example.com/news-sitemap.xml\n"
    );
}

/// The JSON-LD objects of a page, parsed.
pub fn jsonld(page: &crate::harness::Page) -> Vec<Value> {
    let scripts = page.texts("script[type='application/ld+json']");
    assert_eq!(scripts.len(), 1);
    match serde_json::from_str::<Value>(&scripts[0]).unwrap() {
        Value::Array(items) => items,
        other => vec![other],
    }
}

#[test]
fn article_pages_carry_open_graph_twitter_and_news_article_json_ld() {
    let built = feeds_fixture().build();
    let page = built.page("news/rates/");
    let meta = |property: &str| page.attr(&format!("meta[property='{property}']"), "content");
    assert_eq!(meta("og:type"), "article");
    assert_eq!(meta("og:title"), TRICKY_TITLE);
    // The hero's 1200×630 crop for link previews.
    assert!(meta("og:image").starts_with("https://example.com/_photos/") && meta("og:image").ends_with("-share.jpg"));
    assert_eq!(meta("article:published_time"), "2026-11-25T18:00:00+01:00");
    assert_eq!(meta("article:modified_time"), "2026-11-26T09:15:00+01:00");
    assert_eq!(meta("article:section"), "News");
    assert_eq!(page.attrs("meta[property='article:tag']", "content"), ["R&D <lab> \"x\" 🚀", "Economy"]);
    assert_eq!(page.attr("meta[name='twitter:card']", "content"), "summary_large_image");
    // The dek is Markdown: its plain text, with the typographer's quotes the page shows.
    assert_eq!(page.attr("meta[name=description]", "content"), "A dek with <angle brackets> & “quotes”.");
    assert_eq!(page.attr("html", "lang"), "fr-FR");
    assert_eq!(page.text("h1"), TRICKY_TITLE);

    let ld = jsonld(&page);
    let article = ld.iter().find(|v| v["@type"] == "NewsArticle").expect("a NewsArticle");
    assert_eq!(article["headline"], TRICKY_TITLE);
    assert_eq!(article["image"][0], meta("og:image"));
    assert_eq!(article["datePublished"], "2026-11-25T18:00:00+01:00");
    assert_eq!(article["dateModified"], "2026-11-26T09:15:00+01:00");
    assert_eq!(article["author"][0]["name"], "Ann");
    assert_eq!(article["author"][0]["url"], "https://example.com/authors/ann/");
    assert_eq!(article["author"][1]["name"], "Bo <Bold> & Co");
    assert_eq!(article["publisher"]["name"], "The Feed & \"Sitemap\" Times");
    assert_eq!(article["mainEntityOfPage"]["@id"], "https://example.com/news/rates/");
    assert_eq!(article["articleSection"], "News");
    assert_eq!(article["dateline"], "PARIS");
    let crumbs = ld.iter().find(|v| v["@type"] == "BreadcrumbList").expect("a BreadcrumbList");
    let names: Vec<&str> =
        crumbs["itemListElement"].as_array().unwrap().iter().map(|i| i["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["The Feed & \"Sitemap\" Times", "News", TRICKY_TITLE]);
}

#[test]
fn front_page_describes_the_website() {
    let page = feeds_fixture().build().page("");
    let ld = jsonld(&page);
    assert_eq!(ld[0]["@type"], "WebSite");
    assert_eq!(ld[0]["url"], "https://example.com/");
    assert_eq!(page.attr("meta[property='og:type']", "content"), "website");
}

#[test]
fn syndicated_copy_points_search_engines_at_the_original_or_asks_not_to_be_indexed() {
    let built = feeds_fixture().build();
    let page = built.page("news/wire-copy/");
    // One answer for search engines and link previews: the original.
    assert_eq!(page.attr("link[rel=canonical]", "href"), "https://example.net/original-story");
    assert_eq!(page.attr("meta[property='og:url']", "content"), "https://example.net/original-story");
    let ld = jsonld(&page);
    let article = ld.iter().find(|v| v["@type"] == "NewsArticle").expect("a NewsArticle");
    assert_eq!(article["mainEntityOfPage"]["@id"], "https://example.net/original-story");
    assert_eq!(article["url"], "https://example.net/original-story");
    assert_eq!(page.count("meta[name=robots]"), 0);
    // The copy stays out of the sitemap; the site's own stories stay in.
    let sitemap = std::fs::read_to_string(built.output.join("sitemap.xml")).unwrap();
    assert!(!sitemap.contains("wire-copy"), "{sitemap}");
    assert!(sitemap.contains("<loc>https://example.com/news/rates/</loc>"));
    // Feed readers see the line the page shows, in the site's language.
    let feed = std::fs::read_to_string(built.output.join("feed.xml")).unwrap();
    let entry = &feed[feed.find("wire-copy").expect("the copy is in the feed")..];
    let entry = &entry[..entry.find("</entry>").unwrap()];
    let said = built.page("news/wire-copy/").text(".source-line");
    let said = said.strip_suffix("example.net").unwrap().trim();
    assert_eq!(said, "Cet article a d’abord été publié sur", "the page's line");
    let line = format!("{said} &lt;a href=&quot;https://example.net/original-story&quot;&gt;example.net");
    assert!(entry.contains(&line), "{entry}");

    let config = std::fs::read_to_string(repo().join("tests/fixtures/feeds/site.toml")).unwrap();
    let page = feeds_fixture()
        .file("site.toml", config.replace("language", "syndication = \"noindex\"\nlanguage"))
        .build()
        .page("news/wire-copy/");
    assert_eq!(page.attr("meta[name=robots]", "content"), "noindex");
    assert_eq!(page.attr("link[rel=canonical]", "href"), "https://example.com/news/wire-copy/");
}

#[test]
fn demo_feeds_and_sitemaps_pass_their_clients() {
    let built = demo().build();
    let test = "demo_feeds_and_sitemaps_pass_their_clients";
    check_every_feed(&built, test);
    xmllint(&built.output.join("sitemap.xml"), "sitemap.xsd", test);
    xmllint(&built.output.join("news-sitemap.xml"), "news-urlset.xsd", test);
    for route in ["", "news/us-ukraine-highest-level-talks/", "world/", "authors/maria-alvarez/"] {
        let page = built.page(route);
        for item in jsonld(&page) {
            assert_eq!(item["@context"], "https://schema.org", "/{route}");
        }
    }
}

#[test]
fn tag_author_and_series_feeds_are_short_summaries_unless_asked() {
    let test = "tag_author_and_series_feeds_are_short_summaries_unless_asked";
    let built = feeds_fixture().build();
    // One format for a tag or an author (Atom), both for the site and its sections.
    let rss_links = |built: &crate::harness::Built, route: &str| -> Vec<String> {
        built.page(route).attrs("link[rel=alternate][type='application/rss+xml']", "href")
    };
    assert!(!built.exists("tags/economy/rss.xml") && !built.exists("authors/ann/rss.xml"));
    assert_eq!(rss_links(&built, "tags/economy/"), ["/rss.xml"], "only the site's RSS feed is linked");
    assert!(built.exists("news/rss.xml") && rss_links(&built, "news/").contains(&"/news/rss.xml".to_string()));
    let Some(feeds) = feedparser(&built.output, test) else { return };
    let has_content = |feeds: &serde_json::Map<String, Value>, name: &str| {
        let entries = feeds[name]["entries"].as_array().unwrap();
        assert!(!entries.is_empty(), "{name}");
        entries.iter().all(|e| e["has_content"] == true)
    };
    // The site's and sections' feeds carry whole stories; tags' and authors' summaries.
    assert!(has_content(&feeds, "feed.xml") && has_content(&feeds, "news/feed.xml"));
    assert!(!has_content(&feeds, "tags/economy/feed.xml") && !has_content(&feeds, "authors/ann/feed.xml"));
    let ann = feeds["authors/ann/feed.xml"]["entries"].as_array().unwrap().len();
    assert!(ann >= 2, "the fixture's Ann has two stories: {ann}");

    let config = std::fs::read_to_string(repo().join("tests/fixtures/feeds/site.toml")).unwrap();
    let settings = "[feeds]\nlisting_limit = 1\nlisting_full_content = true\nlisting_rss = true\n";
    let built = feeds_fixture().file("site.toml", format!("{config}{settings}")).build();
    assert!(rss_links(&built, "tags/economy/").contains(&"/tags/economy/rss.xml".to_string()));
    let Some(feeds) = feedparser(&built.output, test) else { return };
    assert_eq!(feeds["authors/ann/feed.xml"]["entries"].as_array().unwrap().len(), 1);
    assert_eq!(feeds["authors/ann/rss.xml"]["entries"].as_array().unwrap().len(), 1, "RSS when asked for");
    assert!(has_content(&feeds, "tags/economy/feed.xml") && has_content(&feeds, "authors/ann/feed.xml"));
    assert_eq!(feeds["feed.xml"]["entries"].as_array().unwrap().len(), built.report().articles.min(50));
}
