//! A site in another language reads entirely in it: `language = "fr"`
//! gives French navigation, bylines, reading times and dates, and no
//! English phrase of the theme is left on the page (i18n/fr.toml over
//! i18n/en.toml); a site's own i18n/<code>.toml changes single words.

use crate::harness::{Page, SiteTest};

const CONFIG: &str = "title = \"Le Courrier du port\"\nbase_url = \"https://example.com/\"\nlanguage = \"fr\"\ntimezone = \"Europe/Paris\"\nper_page = 2\n";

fn story(title: &str, date: &str, authors: &str, tags: &str) -> String {
    format!(
        "+++\ntitle = \"{title}\"\ndate = {date}\nauthors = [{authors}]\ntags = [{tags}]\nsummary = \"Le conseil municipal a tranché.\"\n+++\n\nLe conseil municipal a voté mardi soir le budget du port. Les travaux commenceront au printemps.\n"
    )
}

fn french_site() -> SiteTest {
    SiteTest::new()
        .file("site.toml", CONFIG)
        .file(
            "content/politique/budget-du-port.md",
            story("Le budget du port adopté", "2026-11-20T09:30:00+01:00", "\"Ann Lee\", \"Bo Chen\"", "\"port\""),
        )
        .file(
            "content/politique/travaux.md",
            story("Les travaux commencent", "2026-11-18T08:00:00+01:00", "\"Ann Lee\"", "\"port\", \"travaux\""),
        )
        .file(
            "content/politique/quai.md",
            story("Le quai rouvre", "2026-11-17T08:00:00+01:00", "\"Bo Chen\"", "\"port\""),
        )
        .file(
            "content/economie/ferry.md",
            story("Le ferry reprend du service", "2026-11-26T10:15:00+01:00", "\"Ann Lee\"", "\"ferry\""),
        )
}

/// The French site with a live blog, a series, a corrected and updated
/// story and an old address.
fn french_newsroom() -> SiteTest {
    let part = |n: u32, day: u32| {
        format!(
            "+++\ntitle = \"Le dragage, épisode {n}\"\ndate = 2026-11-0{day}T09:00:00+01:00\nseries = \"dragage\"\nauthors = [\"Ann Lee\"]\n+++\n\nLe chantier du port avance.\n"
        )
    };
    french_site()
        .file(
            "content/politique/conseil.md",
            "+++\ntitle = \"Le conseil se réunit\"\ndate = 2026-11-10T09:00:00+01:00\nupdated = 2026-11-10T15:00:00+01:00\naliases = [\"/ancien/conseil/\"]\ncorrections = [{ date = 2026-11-11, text = \"Le vote a eu lieu mardi, non mercredi.\" }]\nsource = { name = \"Agence\", url = \"https://agence.example/\" }\n+++\n\nLe conseil municipal se réunit.\n",
        )
        .file("content/politique/dragage-1.md", part(1, 2))
        .file("content/politique/dragage-2.md", part(2, 3))
        .file("content/politique/dragage-3.md", part(3, 4))
        .file(
            "content/politique/tempete/index.md",
            "+++\ntitle = \"Tempête : le direct\"\ndate = 2026-11-26T06:00:00+01:00\nlive = true\n+++\n\nLa tempête touche la côte.\n",
        )
        .file(
            "content/politique/tempete/updates/0700-vents.md",
            "+++\ntime = 2026-11-26T07:00:00+01:00\ntitle = \"Rafales à 120 km/h\"\nauthors = [\"Ann Lee\", \"Bo Chen\"]\nkey = true\n+++\n\nLa route côtière est fermée.\n",
        )
        .file(
            "content/politique/tempete/updates/0800-resume.md",
            "+++\ntime = 2026-11-26T08:00:00+01:00\ntitle = \"L’essentiel\"\npinned = true\n+++\n\nLes écoles sont fermées.\n",
        )
}

/// Phrases of the English theme that a French page must not show.
const ENGLISH: &[&str] = &[
    "Skip to content",
    "Home",
    "Search",
    "By",
    "and",
    "Published",
    "Updated",
    "min read",
    "Previous:",
    "Next:",
    "More in",
    "You may also like",
    "Share this story",
    "Share",
    "Email",
    "Key events",
    "Live updates",
    "No stories yet",
    "Newer stories",
    "Older stories",
    "of",
    "story",
    "stories",
    "Latest",
    "Top story",
    "Topics",
    "Topic",
    "Journalists",
    "Archive",
    "Corrections",
    "All sections",
    "Browse",
    "Search every story",
    "Section",
    "Order",
    "Best match",
    "Newest first",
    "Show more results",
    "Search needs JavaScript",
    "every section",
    "every topic",
    "the archive by month",
    "What’s your reaction?",
    "Part",
    "November",
];

/// Every English phrase of [`ENGLISH`] found as whole words in a text
/// node (scripts and styles aside) or a label of `page`.
fn english_left(page: &Page) -> Vec<String> {
    let mut texts: Vec<String> = Vec::new();
    for node in page.html.tree.nodes() {
        if let scraper::Node::Text(text) = node.value() {
            let parent = node.parent().and_then(|p| p.value().as_element().map(|e| e.name().to_string()));
            if !matches!(parent.as_deref(), Some("script" | "style")) {
                texts.push(text.to_string());
            }
        }
        if let scraper::Node::Element(e) = node.value() {
            texts.extend(["aria-label", "alt", "title"].iter().filter_map(|a| e.attr(a)).map(str::to_string));
        }
    }
    let mut found = Vec::new();
    for text in &texts {
        let words: Vec<&str> =
            text.split(|c: char| !c.is_alphanumeric() && c != '’').filter(|w| !w.is_empty()).collect();
        for phrase in ENGLISH {
            let wanted: Vec<&str> =
                phrase.split(|c: char| !c.is_alphanumeric() && c != '’').filter(|w| !w.is_empty()).collect();
            if words.windows(wanted.len()).any(|w| w == wanted.as_slice()) {
                found.push(format!("{phrase:?} in {:?}", text.trim()));
            }
        }
    }
    found
}

#[test]
fn a_french_site_reads_in_french() {
    let built = french_site().build();
    let front = built.page("");
    assert_eq!(front.text(".skip-link"), "Aller au contenu");
    assert_eq!(front.texts(".sections-nav li a")[0], "Accueil");
    assert_eq!(front.text(".nav-search a"), "Recherche");
    assert_eq!(front.text("#latest-heading"), "Dernières actualités");

    let article = built.page("politique/budget-du-port/");
    assert_eq!(article.text(".byline"), "Par Ann Lee et Bo Chen");
    let dates = article.text(".story-header .dates");
    assert_eq!(dates, "Publié le 20 novembre 2026 · 1 min de lecture", "{dates}");
    assert_eq!(article.text("#share-heading"), "Partager cet article");
    assert_eq!(article.attr(".tags", "aria-label"), "Thèmes");

    // Today's story shows its time of day, on a 24-hour clock.
    let ferry = built.page("economie/ferry/");
    assert_eq!(ferry.text(".story-header .dates time"), "26 novembre 2026, 10 h 15 CET");

    let search = built.page("search/");
    assert_eq!(search.text("label[for=search-query]"), "Rechercher dans tous nos articles");
    assert_eq!(search.text(".search-row button"), "Rechercher");

    for (name, page) in [("front", &front), ("article", &article), ("ferry", &ferry), ("search", &search)] {
        let left = english_left(page);
        assert!(left.is_empty(), "English on the {name} page: {left:#?}");
    }
}

#[test]
fn listings_count_and_date_in_french() {
    let built = french_site().build();
    let tags = built.page("tags/");
    assert_eq!(tags.text("h1"), "Thèmes");
    let counts = tags.texts(".entry-list .count");
    assert!(counts.contains(&"(3 articles)".to_string()), "{counts:?}");
    assert!(counts.contains(&"(1 article)".to_string()), "{counts:?}");
    let section = built.page("politique/");
    assert_eq!(section.text(".pagination span"), "Page 1 sur 2");
    assert_eq!(section.text(".pagination a[rel=next]"), "Articles plus anciens");
    let month = built.page("2026/11/");
    assert_eq!(month.text("h1"), "novembre 2026");
    let archive = built.page("archive/");
    for (name, page) in [("tags", &tags), ("section", &section), ("month", &month), ("archive", &archive)] {
        let left = english_left(page);
        assert!(left.is_empty(), "English on the {name} page: {left:#?}");
    }
    // The search index shows dates as the pages do.
    let documents = std::fs::read_dir(built.output.join("_search/d/0")).unwrap();
    let shown: Vec<serde_json::Value> = documents
        .map(|d| crate::harness::search_json(&std::fs::read(d.unwrap().path()).unwrap()))
        .filter(|doc| doc.to_string().contains("Le budget du port"))
        .collect();
    assert!(shown.iter().any(|doc| doc["shown"] == "20 novembre 2026"), "{shown:?}");
}

#[test]
fn a_site_changes_single_words_and_hears_of_unknown_ones() {
    let built = french_site().file("i18n/fr.toml", "home = \"La une\"\n\nlatst = \"Le fil\"\n").build();
    let front = built.page("");
    assert_eq!(front.texts(".sections-nav li a")[0], "La une");
    // The other words stay French.
    assert_eq!(front.text("#latest-heading"), "Dernières actualités");
    let warnings = built.report().warnings.iter().map(ToString::to_string).collect::<Vec<_>>();
    assert!(warnings.iter().any(|w| w.starts_with("i18n/fr.toml:3:1: warning: unknown key `latst`")), "{warnings:#?}");
}

#[test]
fn the_check_finds_the_english_theme_on_an_english_site() {
    let site = french_site().file("site.toml", CONFIG.replace("language = \"fr\"\n", ""));
    let built = site.build();
    let left = english_left(&built.page(""));
    for phrase in ["\"Skip to content\"", "\"Home\"", "\"Search\"", "\"Browse\""] {
        assert!(left.iter().any(|l| l.starts_with(phrase)), "{phrase} not found in {left:#?}");
    }
}

#[test]
fn live_blogs_series_corrections_and_old_addresses_read_in_french() {
    let built = french_newsroom().build();
    let live = built.page("politique/tempete/");
    assert_eq!(live.text("#live-heading"), "Le direct");
    assert_eq!(live.text("#live-key-heading"), "Les moments clés");
    assert_eq!(live.text(".live-update .live-byline"), "Par Ann Lee, Bo Chen");
    assert_eq!(live.text(".live-update .live-time"), "26 novembre 2026, 7 h 00 CET");
    assert!(live.attr("script[data-words][src$='live.js']", "data-words").contains("nouveaux messages"));
    let part = built.page("politique/dragage-2/");
    let kicker = part.text(".story-header .kicker");
    assert!(kicker.ends_with("Dragage, épisode 2 sur 3"), "{kicker}");
    assert_eq!(part.text(".series-previous"), "Épisode 1 : Le dragage, épisode 1");
    let series = built.page("series/dragage/");
    assert_eq!(series.text(".series-count"), "3 épisodes");
    let corrected = built.page("politique/conseil/");
    assert_eq!(corrected.text("#corrections-heading"), "Rectificatifs");
    let dates = corrected.text(".story-header .dates");
    assert!(
        dates.starts_with("Publié le 10 novembre 2026, 9 h 00 CET · Mis à jour le 10 novembre 2026, 15 h 00 CET"),
        "{dates}"
    );
    let corrections = built.page("corrections/");
    let moved = built.page("ancien/conseil/");
    assert_eq!(moved.text("h1"), "Cet article a été déplacé");
    let missing = built.page("404.html");
    for (name, page) in [
        ("live", &live),
        ("part", &part),
        ("series", &series),
        ("corrected", &corrected),
        ("corrections", &corrections),
        ("moved", &moved),
        ("404", &missing),
    ] {
        let left = english_left(page);
        assert!(left.is_empty(), "English on the {name} page: {left:#?}");
    }
}
