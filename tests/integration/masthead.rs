//! What a newsroom's site has beyond its stories (issue 17): nested
//! standalone pages, menus checked against the pages, the corrections
//! page, the logo, icons and share image, share links, times of day,
//! Markdown deks, and a story listed once per page. The fixture
//! `tests/fixtures/newsroom-site` is built as of 2026-11-26 07:00 EST.

use std::collections::HashSet;

use crate::feeds::jsonld;
use crate::harness::SiteTest;

fn site() -> SiteTest {
    SiteTest::fixture("newsroom-site")
}

#[test]
fn nested_pages_live_under_their_folder_which_is_no_section() {
    let built = site().build();
    let ethics = built.page("policies/ethics/");
    assert_eq!(ethics.text("main h1"), "Ethics policy");
    assert_eq!(ethics.count(".byline, .reactions, .related, .more-in, .share"), 0, "a page is not a story");
    assert_eq!(built.page("policies/privacy/").text("main h1"), "Privacy");
    assert!(!built.exists("policies/index.html"), "a folder of pages is no section");
    let sections = built.page("sections/").texts("main a");
    assert_eq!(sections, ["News", "Sports"]);
    let sitemap = std::fs::read_to_string(built.output.join("sitemap.xml")).unwrap();
    assert!(sitemap.contains("<loc>https://example.com/policies/ethics/</loc>"), "{sitemap}");
}

#[test]
fn menus_link_pages_by_name_and_urls_as_written() {
    let built = site().build();
    let about = built.page("about/");
    assert_eq!(about.texts(".main-menu a"), ["About the Herald", "Subscribe"]);
    assert_eq!(about.attrs(".main-menu a", "href"), ["/about/", "https://shop.example.com/subscribe"]);
    assert_eq!(about.attr(".main-menu a[aria-current=page]", "href"), "/about/");
    // The main menu sits above the sections.
    assert_eq!(about.count(".masthead .main-menu + .sections-nav"), 1);
    assert_eq!(about.texts(".footer-pages a"), ["Contact", "Our standards", "Corrections"]);
    assert_eq!(about.attrs(".footer-pages a", "href"), ["/contact/", "/policies/ethics/", "/corrections/"]);
    // Under a subpath every menu link keeps it.
    let sub = site().base_url("https://user.github.io/herald/").build();
    let hrefs = sub.page("").attrs(".footer-pages a, .main-menu a", "href");
    assert!(hrefs.iter().filter(|h| !h.starts_with("https:")).all(|h| h.starts_with("/herald/")), "{hrefs:?}");
}

#[test]
fn a_menu_entry_that_leads_nowhere_is_an_error_at_its_line() {
    let test = site();
    let config = std::fs::read_to_string(test.root().join("site.toml")).unwrap();
    let config = format!(
        "{config}\n[[menus.footer]]\npage = \"polices/ethics\"\n\n[[menus.footer]]\ntitle = \"Jobs\"\nurl = \"/jobs/\"\n\n[[menus.footer]]\ntitle = \"Both\"\n"
    );
    let lines = config.lines().count();
    let built = test.file("site.toml", &config).build();
    assert_eq!(
        built.errors(),
        [format!(
            "site.toml:{}:1: error: [[menus.footer]] entry 6: expected `page = \"about\"` (a standalone page) or `url = \"/corrections/\"`, found neither",
            lines - 1
        ),],
        "a shapeless entry is reported when site.toml is read, before the pages are known"
    );
    let built =
        site().file("site.toml", config.trim_end().trim_end_matches("[[menus.footer]]\ntitle = \"Both\"")).build();
    assert_eq!(
        built.errors(),
        [
            format!(
                "site.toml:{}:8: error: [[menus.footer]] page `polices/ethics`: there is no such page: did you mean `policies/ethics`?",
                lines - 7
            ),
            format!(
                "site.toml:{}:7: error: menu url `/jobs/`: no page or file of the site is there: expected a path such as \"/corrections/\" or a full address such as \"https://example.com/\"",
                lines - 3
            ),
        ]
    );
}

#[test]
fn the_corrections_page_lists_every_correction_newest_first_after_the_policy() {
    let built = site().build();
    let page = built.page("corrections/");
    assert_eq!(page.text("main h1"), "Corrections and clarifications");
    assert_eq!(page.text(".story-body"), "How we correct our work.");
    assert_eq!(page.texts(".correction-story a"), ["Council votes to dredge the harbour", "The budget, line by line"]);
    assert_eq!(page.attrs(".correction-story a", "href"), ["/news/dredging-vote/", "/news/budget/"]);
    assert_eq!(
        page.attrs(".corrections-list time", "datetime"),
        ["2026-11-26T06:45:00-05:00", "2026-11-22T12:00:00-05:00"]
    );
    assert!(page.texts(".corrections-list li")[0].ends_with(": The vote was 5 to 4, not 6 to 3."));
    // Every page links it, once: the footer menu here.
    assert_eq!(built.page("").texts(".site-footer a[href='/corrections/']"), ["Corrections"]);
    assert_eq!(built.page("").count(".footer-pages a[href='/corrections/']"), 1);
    // Without a policy page it is still there, with its own title, and
    // the footer's "Browse" links lead to it when no menu does.
    let test = SiteTest::fixture("basic");
    let built = test.build();
    assert_eq!(built.page("corrections/").text("main h1"), "Corrections");
    assert_eq!(built.page("").attrs("footer nav[aria-label=Browse] a[href='/corrections/']", "href").len(), 1);
}

#[test]
fn logo_icons_and_theme_colour_are_in_every_page() {
    let built = site().build();
    let front = built.page("");
    assert_eq!(front.attr(".site-title img", "src"), "/images/logo.png");
    assert_eq!(front.attr(".site-title img", "alt"), "The Harbour Herald");
    assert_eq!(front.attr(".site-title img", "width"), "4");
    assert_eq!(front.attr("link[rel=icon]", "href"), "/favicon.svg");
    assert_eq!(front.attr("link[rel=icon]", "type"), "image/svg+xml");
    assert_eq!(front.attr("link[rel=apple-touch-icon]", "href"), "/apple-touch-icon.png");
    assert_eq!(front.attr("meta[name=theme-color]", "content"), "#0b4f8a");
    // The monogram: H, in the theme colour; browsers asking for /favicon.ico get one.
    let svg = std::fs::read_to_string(built.output.join("favicon.svg")).unwrap();
    assert!(svg.contains(">H</text>") && svg.contains("fill=\"#0b4f8a\""), "{svg}");
    let ico = std::fs::read(built.output.join("favicon.ico")).unwrap();
    assert_eq!(&ico[..4], &[0, 0, 1, 0], "an ICO file");
    let touch = imagesize::size(built.output.join("apple-touch-icon.png")).unwrap();
    assert_eq!((touch.width, touch.height), (180, 180));
    // A site's own favicon wins, and nothing is generated for it.
    let own = site().file("static/favicon.png", std::fs::read(built.output.join("apple-touch-icon.png")).unwrap());
    let config = std::fs::read_to_string(own.root().join("site.toml")).unwrap();
    let own = own.file("site.toml", config.replace("theme_color", "favicon = \"/favicon.png\"\ntheme_color")).build();
    assert_eq!(own.page("").attr("link[rel=icon]", "href"), "/favicon.png");
    assert_eq!(own.page("").attr("link[rel=icon]", "type"), "image/png");
    assert!(!own.exists("favicon.svg"));
}

#[test]
fn a_named_file_that_is_not_there_is_an_error_at_its_line() {
    let test = site();
    let config = std::fs::read_to_string(test.root().join("site.toml")).unwrap();
    let built = test.file("site.toml", config.replace("/images/logo.png", "/images/lgoo.png")).build();
    assert_eq!(
        built.errors(),
        [
            "site.toml:7:8: error: logo: no file /images/lgoo.png in static/ (or content/): expected the path of a file there, such as \"/images/logo.png\" for static/images/logo.png"
        ]
    );
}

#[test]
fn stories_without_a_photo_share_the_logo_or_the_generated_card() {
    let built = site().build();
    let vote = built.page("news/dredging-vote/");
    assert_eq!(vote.attr("meta[property='og:image']", "content"), "https://example.com/images/logo.png");
    // X (Twitter) reads the Open Graph title, description and image: no copies under its own names.
    assert_eq!(vote.attr("meta[name='twitter:card']", "content"), "summary_large_image");
    assert_eq!(vote.count("meta[name^='twitter:']"), 1, "only the card kind");
    let budget = built.page("news/budget/");
    assert!(budget.attr("meta[property='og:image']", "content").ends_with("-share.jpg"), "a photo's own crop");
    let ld = jsonld(&vote);
    let article = ld.iter().find(|v| v["@type"] == "NewsArticle").unwrap();
    assert_eq!(article["publisher"]["logo"]["url"], "https://example.com/images/logo.png");
    assert!(!built.exists("share.png"), "the logo is the share image");

    // Without a logo: the generated 1200×630 card, and the touch icon as the publisher's logo.
    let test = site();
    let config = std::fs::read_to_string(test.root().join("site.toml")).unwrap();
    let built = test.file("site.toml", config.replace("logo = \"/images/logo.png\"\n", "")).build();
    let vote = built.page("news/dredging-vote/");
    assert_eq!(vote.attr("meta[property='og:image']", "content"), "https://example.com/share.png");
    let card = imagesize::size(built.output.join("share.png")).unwrap();
    assert_eq!((card.width, card.height), (1200, 630));
    let ld = jsonld(&vote);
    let article = ld.iter().find(|v| v["@type"] == "NewsArticle").unwrap();
    assert_eq!(article["publisher"]["logo"]["url"], "https://example.com/apple-touch-icon.png");
    assert_eq!(article["image"][0], "https://example.com/share.png");
    assert_eq!(built.page("").attr(".site-title a", "href"), "/");
    assert_eq!(built.page("").text(".site-title"), "The Harbour Herald");
}

#[test]
fn the_last_change_is_the_latest_correction() {
    let page = site().build().page("news/budget/");
    let ld = jsonld(&page);
    let article = ld.iter().find(|v| v["@type"] == "NewsArticle").unwrap();
    assert_eq!(article["dateModified"], "2026-11-22T12:00:00-05:00");
    assert_eq!(page.attr("meta[property='article:modified_time']", "content"), "2026-11-22T12:00:00-05:00");
}

#[test]
fn share_links_are_plain_links_and_load_no_other_site() {
    let page = site().build().page("news/budget/");
    assert_eq!(page.texts(".share a"), ["Email", "X", "WhatsApp"]);
    let hrefs = page.attrs(".share a", "href");
    let url = "https%3A%2F%2Fexample%2Ecom%2Fnews%2Fbudget%2F";
    assert_eq!(hrefs[0], format!("mailto:?subject=The%20budget%2C%20line%20by%20line&body={url}"));
    assert_eq!(hrefs[1], format!("https://x.com/intent/post?text=The%20budget%2C%20line%20by%20line&url={url}"));
    assert!(hrefs[2].starts_with("https://wa.me/?text=") && hrefs[2].ends_with(url), "{}", hrefs[2]);
    // The Web Share / copy button needs JavaScript: hidden until the script shows it.
    assert_eq!(page.attr(".share-button", "data-url"), "https://example.com/news/budget/");
    assert_eq!(page.count(".share-button[hidden]"), 1);
    let scripts = page.attrs("script[src]", "src");
    assert!(!scripts.is_empty() && scripts.iter().all(|s| s.starts_with("/js/")), "{scripts:?}");
}

#[test]
fn a_section_lead_without_a_photo_is_text_alone() {
    let built = site().build();
    let news = built.page("news/");
    // The newest story has no photo: no image box and no photo grid.
    assert_eq!(news.text(".section-lead .card-title"), "Council votes to dredge the harbour");
    assert_eq!(news.count(".section-lead .card-image"), 0);
    assert_eq!(news.count(".section-lead .card.has-image"), 0);
    // The cards right under it are above the fold: their photos load at once.
    assert_eq!(news.count(".card-list .card-image"), 1);
    assert_eq!(news.count(".card-list .card-image[loading]"), 0);
    // With a photo the lead is a photo-and-text grid, its photo loading first.
    let test = site();
    test.edit(
        "content/news/dredging-vote.md",
        "tags = [",
        "image = { src = \"photo.png\", alt = \"The council\" }\ntags = [",
    );
    let news = test.build().page("news/");
    assert_eq!(news.count(".section-lead .card.has-image"), 1);
    assert_eq!(news.attr(".section-lead .card-image", "fetchpriority"), "high");
}

#[test]
fn a_story_is_listed_once_per_page() {
    let built = site().build();
    let front = built.page("");
    let listed = front.attrs("main .lead-title a, main .card-title a", "href");
    let unique: HashSet<&String> = listed.iter().collect();
    assert_eq!(listed.len(), unique.len(), "{listed:?}");
    assert_eq!(unique.len(), 5, "every story is on the front page once: {listed:?}");
    for story in ["news/dredging-vote/", "news/budget/", "news/ferry-times/", "sports/regatta/"] {
        let page = built.page(story);
        let cards = page.attrs(".related .card-title a, .more-in .card-title a", "href");
        let unique: HashSet<&String> = cards.iter().collect();
        assert_eq!(cards.len(), unique.len(), "{story}: {cards:?}");
        assert!(!cards.iter().any(|c| c.ends_with(story)), "{story} lists itself");
    }
}

#[test]
fn times_of_day_show_when_the_day_says_too_little() {
    let built = site().build();
    // Under a day old: the time with the zone, everywhere it is listed.
    let vote = built.page("news/dredging-vote/");
    // Published, updated, corrected.
    assert_eq!(
        vote.texts(".dates time"),
        ["November 26, 2026, 4:30 a.m. EST", "November 26, 2026, 6:15 a.m. EST", "November 26, 2026, 6:45 a.m. EST"]
    );
    assert_eq!(
        vote.attrs(".dates time", "datetime"),
        ["2026-11-26T04:30:00-05:00", "2026-11-26T06:15:00-05:00", "2026-11-26T06:45:00-05:00"]
    );
    assert_eq!(vote.text(".corrections time"), "November 26, 2026, 6:45 a.m. EST");
    let front = built.page("");
    assert_eq!(front.text(".lead time"), "November 26, 2026, 4:30 a.m. EST");
    // Published and updated on one day: both times.
    let ferry = built.page("news/ferry-times/");
    assert_eq!(ferry.texts(".dates time"), ["November 18, 2026, 8:00 a.m. EST", "November 18, 2026, 3:30 p.m. EST"]);
    // Different days, days old: the day says it.
    let budget = built.page("news/budget/");
    assert_eq!(budget.texts(".dates time"), ["November 20, 2026", "November 21, 2026", "November 22, 2026"]);
    assert_eq!(budget.text(".corrections time"), "November 22, 2026");
}

#[test]
fn a_dek_written_in_markdown_is_shown_formatted_and_described_in_plain_text() {
    let built = site().build();
    let vote = built.page("news/dredging-vote/");
    assert_eq!(vote.text(".dek em"), "close");
    assert_eq!(vote.attr(".dek a", "href"), "/news/budget/");
    assert_eq!(vote.text(".dek"), "The vote was close: see the budget for the cost.");
    let plain = "The vote was close: see the budget for the cost.";
    assert_eq!(vote.attr("meta[name=description]", "content"), plain);
    assert_eq!(vote.attr("meta[property='og:description']", "content"), plain);
    let card = built.page("news/").text(".section-lead .card-dek");
    assert_eq!(card, plain);
    assert_eq!(built.page("news/").count(".section-lead .card-dek em"), 1);
    let feed = std::fs::read_to_string(built.output.join("feed.xml")).unwrap();
    assert!(feed.contains(&format!("<summary>{plain}</summary>")), "{feed}");
    assert!(!feed.contains("*close*"));
    // Under a subpath the dek's site link keeps it.
    let sub = site().base_url("https://user.github.io/herald/").build();
    assert_eq!(sub.page("news/dredging-vote/").attr(".dek a", "href"), "/herald/news/budget/");
}

#[test]
fn a_sites_own_favicon_in_static_is_used_as_it_is() {
    // Imported sites bring theirs: no monogram hides it.
    let ico = std::fs::read(site().build().output.join("favicon.ico")).unwrap();
    let built = site().file("static/favicon.ico", &ico).file("static/apple-touch-icon.png", b"not checked").build();
    let front = built.page("");
    assert_eq!(front.attr("link[rel=icon]", "href"), "/favicon.ico");
    assert_eq!(front.attr("link[rel=icon]", "type"), "image/x-icon");
    assert_eq!(front.attr("link[rel=apple-touch-icon]", "href"), "/apple-touch-icon.png");
    assert!(!built.exists("favicon.svg"), "no monogram is made");
    assert_eq!(std::fs::read(built.output.join("apple-touch-icon.png")).unwrap(), b"not checked");
}
