//! The newsroom features a reader sees: the seed article's parts, related
//! stories, reactions, the breaking banner, expiry, section leads, authors.

use crate::harness::SiteTest;

const BASIC_CONFIG: &str =
    "title = \"The Test Times\"\nbase_url = \"https://example.com/\"\ntimezone = \"Europe/Paris\"\n";
const AUTHORS: &str = "[authors.ann]\nname = \"Ann Lee\"\nbio = \"Ann Lee covers Europe.\"\nurl = \"https://example.org/ann\"\nphoto = \"/images/ann.png\"\n";

fn basic_with(extra_config: &str) -> SiteTest {
    SiteTest::fixture("basic").file("site.toml", format!("{BASIC_CONFIG}{extra_config}{AUTHORS}"))
}

#[test]
fn related_stories_share_tags_and_never_the_story_itself() {
    let page = SiteTest::fixture("basic").build().page("world/paris-summit/");
    assert_eq!(page.text("#related-heading"), "You may also like");
    // Markets shares no tag and no section with the summit story: not related.
    assert_eq!(page.texts(".related .card-title"), ["Earthquake shakes the coast"]);
    assert!(!page.texts(".related .card-title").iter().any(|t| t.starts_with("Leaders meet")));
}

#[test]
fn related_count_is_configurable() {
    let page = basic_with("[related]\ncount = 1\n").build().page("world/paris-summit/");
    assert_eq!(page.count(".related .card"), 1);
    let none = basic_with("[related]\ncount = 0\n").build().page("world/paris-summit/");
    assert_eq!(none.count(".related"), 0, "no empty block");
}

#[test]
fn reactions_block_has_the_five_labels_without_invented_counts() {
    let page = SiteTest::fixture("basic").build().page("world/paris-summit/");
    assert_eq!(page.text("#reactions-heading"), "What’s your reaction?");
    assert_eq!(page.texts(".reactions button .reaction-label"), ["Excited", "Happy", "In Love", "Not Sure", "Silly"]);
    assert_eq!(page.attrs(".reactions button", "type"), ["button"; 5], "no endpoint: nothing to submit to");
    assert!(page.texts(".reaction-count").iter().all(String::is_empty), "counts come only from an endpoint");
    assert_eq!(page.attr(".reactions", "data-article"), "world/paris-summit");
    assert_eq!(page.attr("script[src$='reactions.js']", "src"), "/js/reactions.js");
}

#[test]
fn reactions_post_to_a_configured_endpoint() {
    let config = "[reactions]\nendpoint = \"https://counter.example/api\"\nlabels = [\"Agree\", \"Disagree\"]\n";
    let page = basic_with(config).build().page("world/paris-summit/");
    assert_eq!(page.attr(".reactions form", "action"), "https://counter.example/api");
    assert_eq!(page.attr(".reactions form", "method"), "post");
    assert_eq!(page.attr(".reactions", "data-endpoint"), "https://counter.example/api");
    assert_eq!(page.texts(".reactions button"), ["Agree", "Disagree"]);
}

#[test]
fn reactions_can_be_turned_off() {
    let page = basic_with("reactions = false\n").build().page("world/paris-summit/");
    assert_eq!(page.count(".reactions"), 0);
    // Only the share button's script is left.
    assert_eq!(page.attrs("script[src]", "src"), ["/js/share.js"]);
}

#[test]
fn breaking_banner_shows_on_every_page_until_its_time() {
    let config = "[breaking]\ntext = \"Polls close at 8 p.m. & counting begins\"\nurl = \"/world/paris-summit/\"\nuntil = \"2026-11-26 20:00\"\n";
    let test = basic_with(config);
    let built = test.build();
    for route in ["", "world/", "world/quake/", "tags/europe/", "404.html"] {
        let page = built.page(route);
        assert_eq!(page.text(".breaking a"), "Polls close at 8 p.m. & counting begins", "on /{route}");
        assert_eq!(page.attr(".breaking a", "href"), "/world/paris-summit/");
    }
    let mut later = test.options();
    later.now = chrono::DateTime::parse_from_rfc3339("2026-11-26T19:00:01Z").unwrap().into();
    assert_eq!(test.build_with(later).page("").count(".breaking"), 0, "20:00 in Paris has passed");
}

#[test]
fn expired_articles_are_left_out_unless_asked() {
    let test = SiteTest::fixture("basic").file(
        "content/world/old-offer.md",
        "+++\ntitle = \"Offer ends soon\"\ndate = 2026-11-01\nexpires = 2026-11-20\n+++\nBody.\n",
    );
    assert!(!test.build().exists("world/old-offer/index.html"));
    let mut options = test.options();
    options.expired = true;
    assert!(test.build_with(options).exists("world/old-offer/index.html"));
    let run = test.cli(&["build", "--expired"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
}

#[test]
fn hero_image_has_its_size_and_loads_first_while_cards_below_the_fold_load_lazily() {
    let built = SiteTest::fixture("basic").build();
    let article = built.page("world/quake/");
    assert_eq!(article.attr(".hero img", "width"), "4");
    assert_eq!(article.attr(".hero img", "height"), "3");
    assert_eq!(article.count(".hero img[loading]"), 0);
    assert_eq!(article.attr(".hero img", "fetchpriority"), "high");
    assert_eq!(article.text(".hero figcaption"), "The coast road near the town. Photo: Test Times");
    // The "You may also like" cards are below the story.
    assert!(article.attrs(".related .card-image", "loading").iter().all(|l| l == "lazy"));
    // A listing's first card is above the fold: its photo loads at once.
    let listing = built.page("tags/europe/");
    assert_eq!(listing.count(".card-image[loading]"), 0);
    assert_eq!(listing.attrs(".card-image", "width"), ["4"]);
}

#[test]
fn a_hero_image_without_alt_is_a_warning_naming_the_file() {
    let built = SiteTest::fixture("basic")
        .file(
            "content/world/quake/index.md",
            "---\ntitle: Quake\ndate: 2026-11-10\nimage:\n  src: photo.png\n---\nBody.\n",
        )
        .build();
    let warnings: Vec<String> = built.report().warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        [
            "content/world/quake/index.md:5:3: warning: hero image has no `alt` text: describe the picture for readers who cannot see it"
        ]
    );
}

#[test]
fn a_missing_hero_image_file_is_an_error() {
    let built = SiteTest::fixture("basic")
        .file(
            "content/world/quake/index.md",
            "---\ntitle: Quake\ndate: 2026-11-10\nimage: { src: nope.png, alt: x }\n---\n",
        )
        .build();
    assert_eq!(
        built.errors(),
        [
            "content/world/quake/index.md:4:8: error: hero image `nope.png` not found: expected a file at content/world/quake/nope.png"
        ]
    );
}

#[test]
fn section_pages_lead_with_their_newest_story() {
    let page = SiteTest::fixture("basic").build().page("world/");
    assert_eq!(page.text(".section-lead .card-title"), "Leaders meet in Paris & agree on “next steps”");
    assert_eq!(page.texts(".card-list .card-title"), ["Earthquake shakes the coast"]);
}

#[test]
fn author_pages_show_bio_photo_and_link() {
    let built = basic_with("")
        .file("static/images/ann.png", include_bytes!("../fixtures/basic/content/world/quake/photo.png"))
        .build();
    let page = built.page("authors/ann/");
    assert_eq!(page.text("h1"), "Ann Lee");
    assert_eq!(page.text(".listing-description"), "Ann Lee covers Europe.");
    assert!(page.attr(".author-photo", "src").starts_with("/_photos/"), "the portrait is resized");
    assert_eq!(page.attr(".author-photo", "alt"), "Portrait of Ann Lee");
    assert_eq!(page.attr(".author-header a[href^='https']", "href"), "https://example.org/ann");
    let plain = built.page("authors/wire-desk/");
    assert_eq!(plain.count(".author-photo"), 0);
    let index = built.page("authors/");
    assert_eq!(index.texts(".entry-list .count"), ["(2 stories)", "(1 story)"]);
}

#[test]
fn footer_links_the_archive_and_article_dates_link_to_their_month() {
    let built = SiteTest::fixture("basic").build();
    let page = built.page("world/quake/");
    // A list of recent months in every footer would change every page when a month begins.
    assert_eq!(page.count(".footer-archive"), 0);
    assert_eq!(page.attrs(".site-footer a[href='/archive/']", "href"), ["/archive/"]);
    let archive = built.page("archive/").attrs("main a", "href");
    assert!(archive.contains(&"/2026/10/".to_string()) && archive.contains(&"/2026/11/".to_string()), "{archive:?}");
    assert_eq!(page.attr(".dates a", "href"), "/2026/11/");
    assert_eq!(built.page("2026/10/").texts(".card-title"), ["Markets rally on rate hopes"]);
}

fn story(n: u32) -> (String, String) {
    let day = 1 + n % 28;
    let month = if n < 28 { 10 } else { 11 };
    (
        format!("content/news/story-{n:02}.md"),
        format!("+++\ntitle = \"Story {n}\"\ndate = 2026-{month:02}-{day:02}T09:00:00Z\n+++\nText {n}.\n"),
    )
}

#[test]
fn more_in_shows_the_stories_nearest_in_time_so_a_new_story_changes_few_pages() {
    // No "You may also like" (it would pick section mates of a site without tags).
    let mut site =
        SiteTest::new().file("site.toml", format!("{}[related]\ncount = 0\n", crate::harness::MINIMAL_CONFIG));
    for n in 0..20 {
        let (path, text) = story(n);
        site = site.file(&path, text);
    }
    let built = site.build();
    let page = built.page("news/story-10/");
    assert_eq!(page.text(".story-nav a[rel=prev]"), "Previous: Story 9");
    assert_eq!(page.text(".story-nav a[rel=next]"), "Next: Story 11");
    // Not the section's newest, and not the stories the page links as previous and next.
    assert_eq!(page.texts(".more-in .card-title"), ["Story 8", "Story 12", "Story 7", "Story 13"]);
    let before = crate::harness::snapshot_tree(&site.output());
    // A story that also opens a new month.
    let (path, text) = story(30);
    let site = site.file(&path, text);
    site.build().report();
    let after = crate::harness::snapshot_tree(&site.output());
    let changed: Vec<String> = (0..20)
        .map(|n| format!("news/story-{n:02}/index.html"))
        .filter(|p| before.get(std::path::Path::new(p)) != after.get(std::path::Path::new(p)))
        .collect();
    // The previous newest (its "Next" link) and the two whose nearest stories now include it.
    assert_eq!(changed, ["news/story-17/index.html", "news/story-18/index.html", "news/story-19/index.html"]);
}

#[test]
fn the_search_index_covers_every_published_article() {
    let built = SiteTest::fixture("basic").build();
    let json = |rel: &str| -> serde_json::Value { crate::harness::search_file(&built.output, rel) };
    let documents = json("index.json")["documents"].as_u64().unwrap() as usize;
    assert_eq!(documents, built.report().articles);
    for n in 0..documents {
        // Each document is an article of the site, under its headline.
        let doc = json(&format!("d/0/{n}.json.gz"));
        let url = doc["url"].as_str().unwrap();
        assert_eq!(built.page(url.trim_start_matches('/')).texts("h1"), [doc["title"].as_str().unwrap()]);
    }
    let page = built.page("search/");
    assert_eq!(page.attr("label[for=search-query]", "for"), "search-query");
    assert_eq!(page.attr("form[role=search]", "action"), "/search/");
    assert_eq!(page.attr("#search-query", "name"), "q");
    // Parsed as a browser with JavaScript off would parse <noscript>.
    let noscript = scraper::Html::parse_fragment(&page.texts("noscript")[0]);
    let links = scraper::Selector::parse("a").unwrap();
    let hrefs: Vec<&str> = noscript.select(&links).filter_map(|a| a.value().attr("href")).collect();
    assert_eq!(hrefs, ["/sections/", "/tags/", "/archive/"]);
    assert!(noscript.root_element().text().collect::<String>().contains("Search needs JavaScript"));
    assert_eq!(built.page("world/quake/").attr(".nav-search a", "href"), "/search/");
}

#[test]
fn search_can_be_turned_off() {
    let built = basic_with("[search]\nenabled = false\n").build();
    built.report();
    assert!(!built.exists("search/index.html"));
    assert!(!built.exists("_search"));
    assert_eq!(built.page("").count(".nav-search"), 0);
}
