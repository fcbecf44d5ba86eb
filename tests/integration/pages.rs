//! What the generated pages show, read as parsed HTML.

use crate::harness::SiteTest;

#[test]
fn article_page_has_its_parts() {
    let built = SiteTest::fixture("basic").build();
    let page = built.page("world/paris-summit/");
    assert_eq!(page.text("h1"), "Leaders meet in Paris & agree on “next steps”");
    assert_eq!(page.count("h1"), 1);
    assert_eq!(page.text(".story-header .kicker a"), "World");
    assert_eq!(page.attr(".story-header .kicker a", "href"), "/world/");
    assert_eq!(page.text(".dek"), "A one-line dek for the summit story.");
    assert_eq!(page.texts(".byline a"), ["Ann Lee", "Wire Desk"]);
    assert_eq!(page.attrs(".byline a", "href"), ["/authors/ann/", "/authors/wire-desk/"]);
    assert_eq!(page.texts(".tags a"), ["Diplomacy", "Europe"]);
    assert_eq!(page.attrs(".tags a", "href"), ["/tags/diplomacy/", "/tags/europe/"]);
    assert_eq!(page.text(".story-body .dateline"), "PARIS —");
    assert_eq!(page.texts(".story-body p")[0], "PARIS — Ministers arrived on Thursday for talks.");
    assert_eq!(page.text(".source-line"), "This post appeared first on example.net");
    assert_eq!(page.attr(".source-line a", "href"), "https://example.net/original");
    assert_eq!(page.texts(".corrections li"), ["November 22, 2026: An earlier version misspelled a name."]);
    assert_eq!(page.attr("link[rel=canonical]", "href"), "https://example.net/original", "syndicated copy");
    assert_eq!(page.attr("html", "lang"), "en-GB");
}

#[test]
fn dates_are_in_the_site_timezone() {
    let page = SiteTest::fixture("basic").build().page("world/paris-summit/");
    let times = page.attrs(".dates time", "datetime");
    // Published, updated, and corrected (its newest correction, a link to the corrections).
    assert_eq!(times, ["2026-11-20T10:30:00+01:00", "2026-11-21T10:00:00+01:00", "2026-11-22T00:00:00+01:00"]);
    assert_eq!(page.attrs(".dates a", "href"), ["/2026/11/", "#corrections-heading"]);
    assert!(page.text(".dates").contains("Corrected November 22, 2026"), "{}", page.text(".dates"));
}

#[test]
fn markdown_body_is_rendered_with_extensions() {
    let page = SiteTest::fixture("basic").build().page("world/paris-summit/");
    assert_eq!(page.attr(".story-body h2", "id"), "what-was-agreed");
    assert_eq!(page.attr(".story-body a[href^='/world']", "href"), "/world/quake/");
    assert_eq!(page.count(".story-body .footnote-definition"), 1);
    assert_eq!(page.text(".story-body em"), "Thursday");
}

#[test]
fn yaml_front_matter_and_page_bundles() {
    let built = SiteTest::fixture("basic").build();
    let page = built.page("world/quake/");
    assert_eq!(page.text("h1"), "Earthquake shakes the coast");
    // Shown as resized copies; the picture itself is copied beside the page.
    assert!(page.attr(".hero img", "src").starts_with("/_photos/"), "{}", page.attr(".hero img", "src"));
    assert!(page.attr(".hero img", "srcset").ends_with(" 4w"));
    assert_eq!(page.attr(".hero img", "alt"), "A cracked road after the earthquake");
    assert!(!built.exists("world/quake/photo.png"), "the photo's own file is left out: its copies are published");
    let summary = page.attr("meta[name=description]", "content");
    assert_eq!(summary, "The first paragraph becomes the summary when there is none.");
}

#[test]
fn local_dates_are_read_in_the_site_timezone() {
    let page = SiteTest::fixture("basic").build().page("business/markets/");
    assert_eq!(page.attr(".dates time", "datetime"), "2026-10-01T09:30:00+02:00");
}

#[test]
fn drafts_and_scheduled_articles_are_left_out() {
    let test = SiteTest::fixture("basic");
    let built = test.build();
    assert_eq!(built.report().articles, 3);
    assert_eq!(built.report().unpublished, 2);
    assert!(!built.exists("business/draft-story/index.html"));
    assert!(!built.exists("business/scheduled-story/index.html"));
    let section = built.page("business/");
    assert_eq!(section.texts(".card-title"), ["Markets rally on rate hopes"]);

    let mut options = test.options();
    options.drafts = true;
    options.future = true;
    let all = test.build_with(options);
    assert_eq!(all.report().articles, 5);
    assert!(all.exists("business/draft-story/index.html"));
    assert!(all.exists("business/scheduled-story/index.html"));
}

#[test]
fn scheduled_article_is_published_once_its_time_has_come() {
    let test = SiteTest::fixture("basic");
    let mut options = test.options();
    options.now = chrono::DateTime::parse_from_rfc3339("2027-01-15T08:00:00Z").unwrap().into();
    assert!(test.build_with(options).exists("business/scheduled-story/index.html"));
}

#[test]
fn front_page_leads_with_the_featured_story_then_the_latest() {
    let page = SiteTest::fixture("basic").build().page("");
    assert_eq!(page.text(".lead-title"), "Markets rally on rate hopes");
    assert_eq!(
        page.texts(".latest .card-title"),
        ["Leaders meet in Paris & agree on “next steps”", "Earthquake shakes the coast"]
    );
    assert_eq!(page.count("h1"), 1);
    assert_eq!(page.texts(".sections-nav a"), ["Home", "World", "Business", "Search"], "sections in their order");
}

#[test]
fn section_tag_author_and_month_pages_list_their_articles() {
    let built = SiteTest::fixture("basic").build();
    let world = built.page("world/");
    assert_eq!(world.text("h1"), "World");
    assert_eq!(
        world.texts(".card-title"),
        ["Leaders meet in Paris & agree on “next steps”", "Earthquake shakes the coast"]
    );
    let europe = built.page("tags/europe/");
    assert_eq!(europe.text("h1"), "Europe");
    assert_eq!(europe.count(".card"), 2);
    let ann = built.page("authors/ann/");
    assert_eq!(ann.text("h1"), "Ann Lee");
    assert_eq!(ann.text(".listing-description"), "Ann Lee covers Europe.");
    assert_eq!(ann.count(".card"), 2);
    let november = built.page("2026/11/");
    assert_eq!(november.text("h1"), "November 2026");
    assert_eq!(november.count(".card"), 2);
    assert_eq!(built.page("2026/").texts(".entry-list a"), ["November 2026", "October 2026"]);
}

#[test]
fn index_pages_count_articles() {
    let built = SiteTest::fixture("basic").build();
    let tags = built.page("tags/");
    assert_eq!(tags.texts(".entry-list li a"), ["Diplomacy", "Disasters", "Economy", "Europe"]);
    assert_eq!(tags.texts(".entry-list .count")[3], "(2 stories)");
    let authors = built.page("authors/");
    assert_eq!(authors.texts(".entry-list li > a"), ["Ann Lee", "Wire Desk"]);
    let sections = built.page("sections/");
    assert_eq!(sections.texts(".entry-list li > a"), ["World", "Business"]);
    assert_eq!(built.page("archive/").texts("h2"), ["2026"]);
}

#[test]
fn pagination_splits_listings_with_previous_and_next() {
    let built = SiteTest::fixture("pagination").build();
    let first = built.page("news/");
    assert_eq!(first.texts(".card-title"), ["Story 5", "Story 4"]);
    assert_eq!(first.attrs(".pagination a[rel=next]", "href"), ["/news/page/2/"]);
    assert_eq!(first.count(".pagination a[rel=prev]"), 0);
    let second = built.page("news/page/2/");
    assert_eq!(second.texts(".card-title"), ["Story 3", "Story 2"]);
    assert_eq!(second.attr(".pagination a[rel=prev]", "href"), "/news/");
    assert_eq!(second.attr(".pagination a[rel=next]", "href"), "/news/page/3/");
    let third = built.page("news/page/3/");
    assert_eq!(third.texts(".card-title"), ["Story 1"]);
    assert_eq!(third.count(".pagination a[rel=next]"), 0);
    for listing in ["tags/weather/", "authors/pat-doe/", "2026/10/"] {
        assert_eq!(built.page(&format!("{listing}page/3/")).count(".card"), 1, "{listing} is paginated");
    }
}

#[test]
fn site_templates_override_the_builtin_theme_file_by_file() {
    let built = SiteTest::fixture("override").build();
    assert_eq!(built.page("news/one/").text(".custom-headline"), "One story");
    assert_eq!(built.page("news/").text("h1"), "News", "other templates stay built-in");
}

#[test]
fn static_files_and_theme_stylesheet_are_copied() {
    let built = SiteTest::fixture("basic").build();
    assert!(built.exists("robots.txt"));
    assert!(built.exists("css/broadsheet.css"));
    assert_eq!(built.page("").attr("link[rel=stylesheet]", "href"), "/css/broadsheet.css");
}

#[test]
fn aliases_redirect_to_the_article() {
    let page = SiteTest::fixture("basic").build().page("2026/markets-old-url/");
    assert_eq!(page.attr("link[rel=canonical]", "href"), "https://example.com/business/markets/");
    assert_eq!(page.attr("meta[http-equiv=refresh]", "content"), "0; url=/business/markets/");
}

#[test]
fn not_found_page_links_from_the_site_root() {
    let built = SiteTest::fixture("basic").base_url("https://user.github.io/repo/").build();
    let page = built.page("404.html");
    assert_eq!(page.text("h1"), "Page not found");
    assert_eq!(page.attr("link[rel=stylesheet]", "href"), "/repo/css/broadsheet.css");
    let links = page.attrs("a:not(.skip-link)", "href");
    assert!(links.len() > 5 && links.iter().all(|h| h.starts_with("/repo/")), "{links:?}");
    // A reader who followed a dead link can search from where they are.
    assert_eq!(page.attr("main form[role=search]", "action"), "/repo/search/");
    assert_eq!(page.attr("main form[role=search] input[type=search]", "name"), "q");
    let label = page.attr("main form[role=search] input", "id");
    assert_eq!(page.count(&format!("main label[for={label}]")), 1, "the search box has no label");
}

#[test]
fn every_page_says_it_has_a_dark_palette_and_the_footer_carries_the_year() {
    let built = SiteTest::fixture("basic").build();
    for path in ["", "world/paris-summit/", "404.html"] {
        let page = built.page(path);
        assert_eq!(page.attr("meta[name=color-scheme]", "content"), "light dark", "{path}");
        // The build's year in the site's timezone (the tests' clock says 2026).
        assert_eq!(page.text(".site-footer > p"), format!("© 2026 {}", page.text(".site-title")), "{path}");
    }
}

#[test]
fn subpath_base_url_prefixes_every_link() {
    let built = SiteTest::fixture("basic").base_url("https://user.github.io/repo/").build();
    let page = built.page("world/paris-summit/");
    let internal: Vec<String> = page
        .attrs("a[href], link[href], img[src]", "href")
        .into_iter()
        .filter(|h| !h.starts_with("http") && !h.starts_with("mailto:"))
        .collect();
    assert!(!internal.is_empty());
    for href in internal.iter().filter(|h| !h.starts_with('#')) {
        assert!(href.starts_with("/repo/"), "{href} is not under /repo/");
    }
    let quake = built.page("world/quake/");
    assert_eq!(quake.attr("meta[property='og:url']", "content"), "https://user.github.io/repo/world/quake/");
    assert_eq!(quake.attr("link[rel=canonical]", "href"), "https://user.github.io/repo/world/quake/");
    assert_eq!(page.attr(".story-body a[href*='quake']", "href"), "/repo/world/quake/", "root-relative Markdown links");
    crate::links::check_site(&built.output, "/repo/");
}

#[test]
fn the_summary_line_counts_articles_and_pages() {
    let run = SiteTest::fixture("basic").cli(&["build"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.stdout.starts_with("Built 3 articles (2 draft or scheduled left out) into "), "{}", run.stdout);
    assert!(run.stdout.contains(" pages and "), "{}", run.stdout);
}

/// The whole `<main>` of an article, reviewed as a golden file
/// (`SNAPSHOTS=overwrite` regenerates it).
#[test]
fn article_main_matches_golden() {
    let page = SiteTest::fixture("basic").build().page("world/paris-summit/");
    crate::harness::check_golden("basic-article-main.html", &page.main_html());
}

#[test]
fn a_dek_that_is_the_first_paragraph_is_printed_once() {
    let built = SiteTest::fixture("basic").build();
    let quake = built.page("world/quake/");
    assert_eq!(quake.count(".dek"), 0, "no summary was written: the body's first paragraph is not repeated above it");
    let lead = "The first paragraph becomes the summary when there is none.";
    assert_eq!(quake.texts("p").iter().filter(|p| p.as_str() == lead).count(), 1);
    // The derived summary still describes the story elsewhere.
    assert_eq!(quake.attr("meta[name=description]", "content"), lead);
    assert_eq!(built.page("world/paris-summit/").text(".dek"), "A one-line dek for the summit story.");
}

#[test]
fn a_raw_html_h1_in_the_body_is_demoted() {
    let built = SiteTest::fixture("basic")
        .file(
            "content/world/raw-heading.md",
            "+++\ntitle = \"Raw heading\"\ndate = 2026-11-01\n+++\n\nIntro.\n\n<h1 class=\"big\">Inner heading</h1>\n\n# Markdown heading\n",
        )
        .build();
    let page = built.page("world/raw-heading/");
    assert_eq!(page.count("h1"), 1, "the headline is the page's only h1");
    assert_eq!(page.texts(".story-body h2"), ["Inner heading", "Markdown heading"]);
}

#[test]
fn fenced_code_is_highlighted_at_build_time() {
    let built = SiteTest::fixture("basic")
        .file(
            "content/world/code.md",
            "+++\ntitle = \"Code\"\ndate = 2026-11-01\n+++\n\n```python\ndef tally(votes):\n    return sum(votes)  # total\n```\n",
        )
        .build();
    let page = built.page("world/code/");
    assert_eq!(page.attr(".story-body pre.highlight code", "class"), "language-python");
    assert_eq!(page.texts(".story-body .hl-comment")[0], "# total");
    assert!(page.texts(".story-body .hl-storage, .story-body .hl-keyword").contains(&"def".to_string()));
    let plain = built.page("world/paris-summit/");
    assert_eq!(page.count("script[src]"), plain.count("script[src]"), "no script is added for it");
    assert_eq!(page.text(".story-body pre"), "def tally(votes): return sum(votes) # total");
}
