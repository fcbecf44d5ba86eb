//! Newsrooms in more than one language (issue 34): `[languages.<code>]`
//! in site.toml, translations as `story.fr.md`, `index.fr.md` in a bundle
//! or `content/fr/…`, linked both ways on every page (`hreflang`, the
//! language switcher, `og:locale:alternate`), each language with its own
//! listings, feeds, sitemap and search under `/<code>/`, Arabic right to
//! left. The fixture is tests/fixtures/multilingual.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use scraper::{Html, Selector};

use crate::harness::{MINIMAL_CONFIG, SiteTest};

fn built() -> crate::harness::Built {
    SiteTest::fixture("multilingual").build()
}

/// Every HTML page of the output, by its path-absolute URL under the
/// site's base path (`/herald/fr/news/x/`).
fn pages(output: &Path) -> BTreeMap<String, Html> {
    let mut all = BTreeMap::new();
    for entry in walkdir::WalkDir::new(output) {
        let entry = entry.unwrap();
        let path = entry.path();
        if path.file_name().is_some_and(|n| n == "index.html") {
            let rel = path.parent().unwrap().strip_prefix(output).unwrap().to_string_lossy().replace('\\', "/");
            let url = if rel.is_empty() { "/herald/".to_string() } else { format!("/herald/{rel}/") };
            all.insert(url, Html::parse_document(&std::fs::read_to_string(path).unwrap()));
        }
    }
    all
}

fn hreflangs(page: &Html) -> BTreeMap<String, String> {
    let links = Selector::parse(r#"link[rel="alternate"][hreflang]"#).unwrap();
    page.select(&links)
        .map(|l| (l.value().attr("hreflang").unwrap().to_string(), l.value().attr("href").unwrap().to_string()))
        .collect()
}

fn path_of(absolute: &str) -> String {
    absolute.strip_prefix("https://example.com").unwrap_or(absolute).to_string()
}

#[test]
fn each_language_has_its_own_pages_under_its_code_and_the_default_at_the_root() {
    let built = built();
    let report = built.report();
    assert!(report.warnings.iter().all(|w| !w.is_error()), "{:?}", report.warnings);
    // The English story, its French and Arabic translations.
    assert_eq!(built.page("news/harbour-vote/").text("h1"), "Council approves the harbour plan");
    assert_eq!(built.page("fr/news/harbour-vote/").text("h1"), "Le conseil approuve le plan du port");
    assert_eq!(built.page("ar/news/harbour-vote/").text("h1"), "المجلس يوافق على خطة الميناء");
    // A bundle's translation, a page's, and a story written in French only
    // (in content/fr/): no copy in the other languages.
    assert_eq!(built.page("fr/news/ferry-strike/").text("h1"), "Grève des équipages de ferry");
    assert_eq!(built.page("fr/about/").text("h1"), "Qui sommes-nous");
    assert_eq!(built.page("fr/news/seulement-en-francais/").text("h1"), "La fête du quartier nord");
    assert!(!built.exists("news/seulement-en-francais/index.html"));
    assert!(!built.exists("fr/news/only-english/index.html"));
    assert!(!built.exists("ar/news/ferry-strike/index.html"));
    // Each front page lists its own language's stories only, under its title.
    let fr = built.page("fr/");
    assert_eq!(fr.text(".site-title"), "Le Héraut du Port");
    let titles = fr.texts(".card-title, .lead-title");
    assert!(titles.iter().any(|t| t == "La fête du quartier nord"), "{titles:?}");
    assert!(!titles.iter().any(|t| t == "Night market returns" || t == "Council approves the harbour plan"));
    let en = built.page("");
    assert!(!en.texts(".card-title, .lead-title").iter().any(|t| t.contains("fête") || t.contains("المجلس")));
    // Sections take their language's name from `_index.<code>.md`.
    assert_eq!(built.page("fr/news/").text("h1"), "Actualités");
    assert_eq!(built.page("ar/news/").text("h1"), "أخبار");
    // The site's own files are written once, at the root.
    assert!(built.exists("css/broadsheet.css"));
    assert!(!built.exists("fr/css/broadsheet.css"));
    let stylesheet = fr.attr(r#"link[rel="stylesheet"]"#, "href");
    assert_eq!(stylesheet, "/herald/css/broadsheet.css");
}

#[test]
fn pages_say_their_language_and_direction_and_arabic_runs_right_to_left() {
    let built = built();
    for (route, lang, dir) in [("", "en", "ltr"), ("fr/news/harbour-vote/", "fr", "ltr"), ("ar/", "ar", "rtl")] {
        let page = built.page(route);
        assert_eq!(page.attr("html", "lang"), lang, "{route}");
        assert_eq!(page.attr("html", "dir"), dir, "{route}");
    }
    assert_eq!(built.page("ar/news/harbour-vote/").attr(r#"meta[property="og:locale"]"#, "content"), "ar");
}

#[test]
fn every_alternate_links_back_and_translations_are_linked_by_place_or_key() {
    let built = built();
    let all = pages(&built.output);
    let mut checked = 0;
    for (url, page) in &all {
        let alternates = hreflangs(page);
        if alternates.is_empty() {
            continue;
        }
        // A page names itself among its alternates, and x-default is the default language's.
        let own: Vec<&String> = alternates.iter().filter(|(l, _)| *l != "x-default").map(|(_, u)| u).collect();
        assert!(own.iter().any(|u| path_of(u) == *url), "{url} does not name itself: {alternates:?}");
        assert_eq!(alternates.get("x-default"), alternates.get("en"), "{url}");
        for (lang, href) in &alternates {
            let target = all.get(&path_of(href)).unwrap_or_else(|| panic!("{url}: {lang} alternate {href} is no page"));
            let back = hreflangs(target);
            assert!(back.values().any(|u| path_of(u) == *url), "{href} does not link back to {url}: {back:?}");
            checked += 1;
        }
    }
    assert!(checked > 30, "only {checked} alternates checked");
    // Linked by the file's place, by `translation_key` across slugs, and not at all.
    let vote = hreflangs(&all["/herald/news/harbour-vote/"]);
    let langs: BTreeSet<&str> = vote.keys().map(String::as_str).collect();
    assert_eq!(langs, BTreeSet::from(["ar", "en", "fr", "x-default"]));
    assert_eq!(path_of(&vote["ar"]), "/herald/ar/news/harbour-vote/");
    let derby = hreflangs(&all["/herald/sports/derby/"]);
    assert_eq!(path_of(&derby["ar"]), "/herald/ar/sports/derby-report/");
    assert!(!derby.contains_key("fr"));
    assert!(hreflangs(&all["/herald/news/only-english/"]).is_empty());
    assert!(hreflangs(&all["/herald/fr/news/seulement-en-francais/"]).is_empty());
}

#[test]
fn the_language_switcher_leads_to_the_same_story_or_else_the_front_page() {
    let built = built();
    let vote = built.page("fr/news/harbour-vote/");
    assert_eq!(
        vote.attrs("nav.languages a", "href"),
        ["/herald/news/harbour-vote/", "/herald/fr/news/harbour-vote/", "/herald/ar/news/harbour-vote/"]
    );
    assert_eq!(vote.texts("nav.languages a"), ["English", "Français", "العربية"]);
    assert_eq!(vote.attr("nav.languages a[aria-current]", "hreflang"), "fr");
    // A story in one language only: the switcher offers the other front pages.
    let alone = built.page("news/only-english/");
    assert_eq!(alone.attrs("nav.languages a", "href"), ["/herald/", "/herald/fr/", "/herald/ar/"]);
    // A story in two of the three languages: the third offers its front page.
    let derby = built.page("sports/derby/");
    assert_eq!(
        derby.attrs("nav.languages a", "href"),
        ["/herald/sports/derby/", "/herald/fr/", "/herald/ar/sports/derby-report/"]
    );
    assert_eq!(derby.attr("nav.languages a[aria-current]", "hreflang"), "en");
    let locales = vote.attrs(r#"meta[property="og:locale:alternate"]"#, "content");
    assert_eq!(locales, ["en", "ar"]);
}

#[test]
fn each_language_has_its_own_feeds_sitemap_and_search_index() {
    let built = built();
    let feed = std::fs::read_to_string(built.output.join("fr/feed.xml")).unwrap();
    let doc = roxmltree::Document::parse(&feed).unwrap();
    let root = doc.root_element();
    assert_eq!(root.attribute(("http://www.w3.org/XML/1998/namespace", "lang")), Some("fr"));
    let titles: Vec<&str> = root
        .children()
        .filter(|n| n.has_tag_name("entry"))
        .filter_map(|e| e.children().find(|c| c.has_tag_name("title")).and_then(|t| t.text()))
        .collect();
    assert!(titles.contains(&"Le conseil approuve le plan du port"), "{titles:?}");
    assert!(!titles.contains(&"Council approves the harbour plan"));
    let rss = std::fs::read_to_string(built.output.join("ar/rss.xml")).unwrap();
    let doc = roxmltree::Document::parse(&rss).unwrap();
    let language = doc.descendants().find(|n| n.has_tag_name("language")).and_then(|n| n.text());
    assert_eq!(language, Some("ar"));
    // Sitemaps per language, all named in the root robots.txt.
    let sitemap = std::fs::read_to_string(built.output.join("fr/sitemap.xml")).unwrap();
    assert!(
        roxmltree::Document::parse(&sitemap)
            .unwrap()
            .descendants()
            .any(|n| n.has_tag_name("loc") && n.text() == Some("https://example.com/herald/fr/news/harbour-vote/"))
    );
    // Each page of the sitemap names its translations (xhtml:link), and the
    // sitemap matches the sitemap schema with that element.
    let doc = roxmltree::Document::parse(&sitemap).unwrap();
    let url = doc
        .descendants()
        .find(|n| {
            n.has_tag_name("url")
                && n.children().any(|c| c.text() == Some("https://example.com/herald/fr/news/harbour-vote/"))
        })
        .unwrap();
    let links: Vec<(&str, &str)> = url
        .children()
        .filter(|c| c.has_tag_name(("http://www.w3.org/1999/xhtml", "link")))
        .map(|l| (l.attribute("hreflang").unwrap(), l.attribute("href").unwrap()))
        .collect();
    assert_eq!(
        links,
        [
            ("en", "https://example.com/herald/news/harbour-vote/"),
            ("x-default", "https://example.com/herald/news/harbour-vote/"),
            ("fr", "https://example.com/herald/fr/news/harbour-vote/"),
            ("ar", "https://example.com/herald/ar/news/harbour-vote/"),
        ]
    );
    let test = "each_language_has_its_own_feeds_sitemap_and_search_index";
    for language in ["", "fr/", "ar/"] {
        crate::feeds::xmllint(&built.output.join(format!("{language}sitemap.xml")), "alternates-urlset.xsd", test);
    }
    // Every feed of every language reads in feedparser without a problem.
    if let Some(feeds) = crate::feeds::feedparser(&built.output, test) {
        assert!(feeds.len() > 20, "{}", feeds.len());
        for (file, feed) in &feeds {
            assert_eq!(feed["bozo"], false, "{file}: {}", feed["error"]);
        }
        assert!(crate::feeds::titles(&feeds["ar/feed.xml"]).contains(&"المجلس يوافق على خطة الميناء"));
    }
    assert!(!built.exists("fr/robots.txt"), "crawlers read robots.txt at the root only");
    let robots = std::fs::read_to_string(built.output.join("robots.txt")).unwrap();
    for line in [
        "Sitemap: https://example.com/herald/sitemap.xml",
        "Sitemap: https://example.com/herald/fr/sitemap.xml",
        "Sitemap: https://example.com/herald/ar/sitemap.xml",
    ] {
        assert!(robots.lines().any(|l| l == line), "{line} missing from robots.txt:\n{robots}");
    }
    // One search index per language, which the language's search page reads.
    let search = built.page("fr/search/");
    let index = search.attr("form.search-form", "data-index");
    assert!(index.starts_with("/herald/fr/"), "{index}");
    assert!(built.output.join(index.trim_start_matches("/herald/")).exists(), "{index}");
}

#[test]
fn a_site_without_languages_has_no_switcher_no_dir_and_no_alternates() {
    let built = SiteTest::fixture("newsroom-site").build();
    let page = built.page("");
    assert_eq!(page.count("nav.languages"), 0);
    assert_eq!(page.count(r#"link[hreflang]"#), 0);
    assert!(page.attrs("html", "dir").is_empty());
}

#[test]
fn a_bad_language_code_is_named_at_its_line() {
    let built = SiteTest::new()
        .file("site.toml", format!("{MINIMAL_CONFIG}\n[languages.\"french please\"]\ntitle = \"x\"\n"))
        .file("content/news/a.md", "+++\ntitle = \"A\"\ndate = 2026-11-01T09:00:00Z\n+++\n\nText.\n")
        .build();
    let errors = built.errors();
    assert!(errors.iter().any(|e| e.starts_with("site.toml:4:") && e.contains("not a language tag")), "{errors:?}");
}

#[test]
fn a_translations_pictures_and_old_addresses_work_in_its_language() {
    let built = built();
    // The bundle's picture serves both languages: each page's picture is a file.
    for route in ["news/ferry-strike/", "fr/news/ferry-strike/"] {
        let page = built.page(route);
        let src = page.attr(".story-body img", "src");
        let file = src.strip_prefix("/herald/").unwrap_or_else(|| panic!("{route}: {src}"));
        assert!(built.exists(file), "{route} shows {src}, which is not published");
    }
    // Resized once: both languages show the same copies, from the root.
    let en = built.page("news/ferry-strike/").attr(".story-body img", "src");
    assert_eq!(built.page("fr/news/ferry-strike/").attr(".story-body img", "src"), en);
    assert!(en.starts_with("/herald/_photos/"), "{en}");
    assert!(!built.exists("fr/_photos"));
    // An alias in a French story answers under /fr/ and leads to it.
    let alias = built.page("fr/2026/vote-du-port/");
    assert_eq!(alias.attr(r#"link[rel="canonical"]"#, "href"), "https://example.com/herald/fr/news/harbour-vote/");
    assert!(!built.exists("2026/vote-du-port/index.html"));
}

/// The fixture with more files (and site.toml lines) added.
fn fixture_with(files: &[(&str, &str)], config: &str) -> SiteTest {
    let base = std::fs::read_to_string(crate::harness::repo().join("tests/fixtures/multilingual/site.toml")).unwrap();
    let mut site = SiteTest::fixture("multilingual").file("site.toml", format!("{base}{config}"));
    for (path, text) in files {
        site = site.file(path, *text);
    }
    site
}

#[test]
fn a_menu_entry_a_language_has_no_page_for_links_the_default_languages_and_files_stay_at_the_root() {
    let config = "\n[[menus.main]]\npage = \"about\"\n\n[[menus.footer]]\nurl = \"/files/rate-card.pdf\"\ntitle = \"Rate card\"\n";
    let built = fixture_with(&[("static/files/rate-card.pdf", "%PDF-1.4\n")], config).build();
    built.report();
    // French has its About page; Arabic has none and links the English one.
    assert_eq!(built.page("fr/").attrs(".main-menu a", "href"), ["/herald/fr/about/"]);
    assert_eq!(built.page("fr/").texts(".main-menu a"), ["Qui sommes-nous"]);
    assert_eq!(built.page("ar/").attrs(".main-menu a", "href"), ["/herald/about/"]);
    for route in ["", "fr/news/harbour-vote/", "ar/"] {
        assert_eq!(built.page(route).attrs(".footer-pages a", "href"), ["/herald/files/rate-card.pdf"], "{route}");
    }
    assert!(built.exists("files/rate-card.pdf"));
}

#[test]
fn the_default_language_may_keep_its_stories_in_a_folder_of_its_own() {
    let story = "+++\ntitle = \"Tram line opens\"\ndate = 2026-11-16T10:00:00+01:00\n+++\n\nText.\n";
    let built = fixture_with(&[("content/en/news/tram.md", story)], "").build();
    assert_eq!(built.page("news/tram/").text("h1"), "Tram line opens");
    assert!(!built.exists("en/news/tram/index.html"));
}

#[test]
fn a_bundle_and_a_flat_file_at_one_place_are_one_story_in_two_languages() {
    let french = "+++\ntitle = \"Grève des ferries\"\ndate = 2026-11-21T07:30:00+01:00\n+++\n\nTexte.\n";
    let built = fixture_with(&[("content/fr/news/ferry-strike.md", french)], "");
    std::fs::remove_file(built.root().join("content/news/ferry-strike/index.fr.md")).unwrap();
    let built = built.build();
    let english = built.page("news/ferry-strike/");
    let hreflang = english.attrs(r#"link[rel="alternate"][hreflang="fr"]"#, "href");
    assert_eq!(hreflang, ["https://example.com/herald/fr/news/ferry-strike/"]);
}

#[test]
fn a_translation_key_used_twice_in_one_language_is_told_and_links_nothing_wrong() {
    let twin = "+++\ntitle = \"Derby, live\"\ndate = 2026-11-22T19:00:00+01:00\ntranslation_key = \"derby-2026\"\n+++\n\nKick-off.\n";
    let built = fixture_with(&[("content/sports/derby-live.md", twin)], "").build();
    let warnings: Vec<String> = built.report().warnings.iter().map(ToString::to_string).collect();
    assert!(
        warnings.iter().any(|w| w.contains("derby-live.md") && w.contains("translation_key `derby-2026`")),
        "{warnings:?}"
    );
    // The second story names no other page as itself.
    let live = built.page("sports/derby-live/");
    for href in live.attrs(r#"link[rel="alternate"][hreflang]"#, "href") {
        assert!(!href.ends_with("/sports/derby/"), "{href}");
    }
    assert_eq!(built.page("sports/derby/").attrs(r#"link[hreflang="ar"]"#, "href").len(), 1);
}

#[test]
fn a_url_two_languages_claim_is_an_error_naming_it() {
    let site = fixture_with(&[], "");
    // The English story's alias is the French one's (which answers /fr/2026/vote-du-port/).
    site.edit(
        "content/news/harbour-vote.md",
        "tags = [\"harbour\"]",
        "tags = [\"harbour\"]\naliases = [\"/fr/2026/vote-du-port/\"]",
    );
    let errors = site.build().errors();
    assert!(errors.iter().any(|e| e.contains("/fr/2026/vote-du-port/") && e.contains("two languages")), "{errors:?}");
}

#[test]
fn a_language_may_have_its_own_breaking_news_and_else_shows_the_defaults_marked_as_english() {
    let config = "\n[breaking]\ntext = \"Ferry strike: no boats until Monday\"\nurl = \"/news/ferry-strike/\"\nuntil = 2026-12-31T00:00:00Z\n\n[languages.fr.breaking]\ntext = \"Grève des ferries : aucun bateau avant lundi\"\nurl = \"/fr/news/ferry-strike/\"\nuntil = 2026-12-31T00:00:00Z\n";
    // TOML's table headers are absolute: appended after the fixture's tables.
    let site = fixture_with(&[], config);
    let built = site.build();
    built.report();
    let french = built.page("fr/");
    assert_eq!(french.text(".breaking a"), "Grève des ferries : aucun bateau avant lundi");
    assert_eq!(french.attr(".breaking a", "href"), "/herald/fr/news/ferry-strike/");
    assert!(french.attrs(".breaking p", "lang").is_empty());
    // Arabic has none of its own: the English one, marked as English.
    let arabic = built.page("ar/");
    assert_eq!(arabic.text(".breaking a"), "Ferry strike: no boats until Monday");
    assert_eq!(arabic.attr(".breaking p", "lang"), "en");
    assert!(built.page("").attrs(".breaking p", "lang").is_empty());
}

#[test]
fn a_feed_in_another_language_dates_live_updates_and_credits_the_source_in_it() {
    let built = fixture_with(
        &[
            (
                "content/fr/news/tempete/index.md",
                "+++\ntitle = \"Tempête sur la côte\"\ndate = 2026-11-18T08:00:00+01:00\nlive = true\nsource = { name = \"Ouest Matin\", url = \"https://ouest-matin.example/tempete\" }\n+++\nLe vent se lève.\n",
            ),
            (
                "content/fr/news/tempete/updates/0900-rafales.md",
                "+++\ntime = 2026-11-18T09:00:00+01:00\ntitle = \"Rafales à 120 km/h\"\n+++\nLa route côtière est fermée.\n",
            ),
        ],
        "",
    )
    .build();
    let feed = std::fs::read_to_string(built.output.join("fr/feed.xml")).unwrap();
    let doc = roxmltree::Document::parse(&feed).unwrap();
    let entry = doc
        .descendants()
        .find(|n| {
            n.has_tag_name("entry")
                && n.children().any(|c| c.has_tag_name("title") && c.text() == Some("Tempête sur la côte"))
        })
        .expect("no entry for the live blog in the French feed");
    let content = entry.children().find(|c| c.has_tag_name("content")).unwrap().text().unwrap();
    let html = Html::parse_fragment(content);
    let update = html.select(&Selector::parse("h2 a").unwrap()).next().expect("no update in the entry");
    let when = update.text().collect::<String>();
    assert!(when.contains("18 novembre 2026"), "{when}");
    assert!(!when.contains("November"), "{when}");
    let source = html.select(&Selector::parse(".source-line").unwrap()).next().unwrap().text().collect::<String>();
    assert!(!source.contains("appeared first"), "{source}");
    assert!(source.contains("Ouest Matin"), "{source}");
}
