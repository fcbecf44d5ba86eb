//! Live coverage: a bundle with `live = true` and one file per update in
//! its `updates/` folder becomes a live blog: pinned summary, key events,
//! updates newest first with their own anchors, `LiveBlogPosting` JSON-LD,
//! a JSON file readers' pages poll, and the "Live" label while it is open.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::feeds::jsonld;
use crate::harness::{MINIMAL_CONFIG, SiteTest, repo};

const STORM: &str = "content/news/storm-live";

fn update(time: &str, fields: &str, body: &str) -> String {
    format!("+++\ntime = {time}\n{fields}+++\n\n{body}\n")
}

/// An open storm blog (pinned summary, a key event, a scheduled update)
/// and an ended one.
pub fn live_site(config: &str) -> SiteTest {
    SiteTest::new()
        .file("site.toml", format!("{MINIMAL_CONFIG}{config}"))
        .file(
            &format!("{STORM}/index.md"),
            "+++\ntitle = \"Storm Elin: live\"\ndate = 2026-11-26T06:00:00Z\nlive = true\nauthors = [\"Ann Lee\"]\n+++\n\nFollow the storm as it crosses the county.\n",
        )
        .file(
            &format!("{STORM}/updates/0605-summary.md"),
            update("2026-11-26T06:05:00Z", "title = \"What we know\"\npinned = true\n", "Winds of 120 km/h are expected by noon."),
        )
        .file(
            &format!("{STORM}/updates/0700-winds.md"),
            update(
                "2026-11-26T07:00:00Z",
                "title = \"Gusts reach 120 km/h\"\nkey = true\nauthors = [\"Ben Ode\"]\n",
                "The coast road is closed.",
            ),
        )
        .file(&format!("{STORM}/updates/0800-power.md"), update("2026-11-26T08:00:00Z", "", "Power is out in **4,000** homes."))
        .file(&format!("{STORM}/updates/2300-later.md"), update("2026-11-26T23:00:00Z", "title = \"Not yet\"\n", "Scheduled."))
        .file(
            "content/news/quake-live/index.md",
            "+++\ntitle = \"Quake: live\"\ndate = 2026-11-20T06:00:00Z\nlive = true\ncoverage_end = 2026-11-21T06:00:00Z\n+++\n\nThe quake and after.\n",
        )
        .file("content/news/quake-live/updates/a.md", update("2026-11-20T07:00:00Z", "", "Aftershocks."))
        .file("content/news/quake-live/updates/b.md", update("2026-11-20T09:00:00Z", "title = \"All clear\"\n", "Schools reopen."))
}

#[test]
fn an_open_live_blog_shows_its_summary_key_events_and_updates_newest_first() {
    let built = live_site("").build();
    let page = built.page("news/storm-live/");
    assert_eq!(page.text(".story-header .live-badge"), "Live");
    assert_eq!(page.text(".story-body"), "Follow the storm as it crosses the county.");
    assert_eq!(page.text(".live-pinned h3"), "What we know");
    assert_eq!(page.attr(".live-pinned", "id"), "update-0605-summary");
    assert_eq!(page.attrs(".live-key a", "href"), ["#update-0700-winds"]);
    assert!(page.text(".live-key a").ends_with(": Gusts reach 120 km/h"), "{}", page.text(".live-key a"));
    // Newest first; the pinned summary is above, the 23:00 one not out yet.
    assert_eq!(page.attrs(".live-updates > li", "id"), ["update-0800-power", "update-0700-winds"]);
    assert_eq!(page.text("#update-0800-power .live-body strong"), "4,000");
    assert_eq!(page.text("#update-0700-winds .live-byline"), "By Ben Ode");
    assert_eq!(page.attr("#update-0700-winds .live-time a", "href"), "#update-0700-winds");
    assert_eq!(page.attr("#update-0700-winds time", "datetime"), "2026-11-26T07:00:00+00:00");
    let links = page.attrs("#update-0800-power .live-share a", "href");
    assert_eq!(links[0], "https://example.com/news/storm-live/#update-0800-power");
    assert!(
        links[1].starts_with("mailto:?subject=Storm%20Elin") && links[1].contains("%23update%2D0800%2Dpower"),
        "{}",
        links[1]
    );
    assert_eq!(page.attr("section.live", "data-live-feed"), "/news/storm-live/live.json");
    assert_eq!(page.count("section.live[data-live-open]"), 1);
    assert_eq!(page.attrs("script[src]", "src").iter().filter(|s| s.ends_with("/js/live.js")).count(), 1);
    // The front page marks it while it is open; the ended one not.
    let front = built.page("");
    // Each story on it: its kicker (none in a block named after its own section) and headline.
    let css = |s: &str| scraper::Selector::parse(s).unwrap();
    let text = |e: scraper::ElementRef, s: &str| e.select(&css(s)).next().map(|k| k.text().collect::<String>());
    let cards: Vec<(String, String)> = front
        .html
        .select(&css(".lead, .card"))
        .map(|c| (text(c, ".kicker").unwrap_or_default(), text(c, ".lead-title, .card-title").unwrap_or_default()))
        .collect();
    let labelled: Vec<&str> = cards.iter().filter(|(k, _)| k.starts_with("Live ")).map(|(_, t)| t.as_str()).collect();
    assert!(!labelled.is_empty() && labelled.iter().all(|t| *t == "Storm Elin: live"), "{cards:?}");
    assert!(cards.iter().any(|(k, t)| t == "Quake: live" && !k.starts_with("Live")), "{cards:?}");
}

#[test]
fn an_ended_live_blog_says_so_and_stops_asking_for_updates() {
    let built = live_site("").build();
    let page = built.page("news/quake-live/");
    assert!(page.text(".live-ended").starts_with("This live coverage has ended"), "{}", page.text(".live-ended"));
    assert_eq!(page.count("section.live[data-live-open]"), 0);
    assert_eq!(page.count(".story-header .live-badge"), 0);
    assert_eq!(page.attrs(".live-updates > li", "id"), ["update-b", "update-a"]);
}

#[test]
fn scheduled_updates_come_out_with_future_and_the_json_file_has_what_the_page_has() {
    let built = live_site("").build();
    let live: Value =
        serde_json::from_slice(&std::fs::read(built.output.join("news/storm-live/live.json")).unwrap()).unwrap();
    assert_eq!(live["open"], true);
    let ids: Vec<&str> = live["updates"].as_array().unwrap().iter().map(|u| u["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["0800-power", "0700-winds"]);
    assert!(live["updates"][0]["html"].as_str().unwrap().contains("<strong>4,000</strong>"));
    let site = live_site("");
    let mut options = site.options();
    options.future = true;
    let later = site.build_with(options);
    assert_eq!(later.page("news/storm-live/").attrs(".live-updates > li", "id")[0], "update-2300-later");
}

/// Every property of every typed node is one schema.org defines for that
/// type (or a supertype), by `tests/schemas/schemaorg-subset.json`.
pub fn check_schema(node: &Value, defined: &Value, path: &str) {
    match node {
        Value::Array(items) => {
            items.iter().enumerate().for_each(|(i, n)| check_schema(n, defined, &format!("{path}[{i}]")))
        }
        Value::Object(map) => {
            if let Some(kind) = map.get("@type").and_then(Value::as_str) {
                let known = defined["types"][kind]["properties"]
                    .as_array()
                    .unwrap_or_else(|| panic!("{path}: type {kind} is not in the schema subset"));
                for key in map.keys().filter(|k| !k.starts_with('@')) {
                    assert!(known.iter().any(|p| p == key), "{path}: schema.org's {kind} has no property `{key}`");
                }
            }
            for (key, value) in map {
                check_schema(value, defined, &format!("{path}.{key}"));
            }
        }
        _ => {}
    }
}

pub fn schema_subset() -> Value {
    serde_json::from_slice(&std::fs::read(repo().join("tests/schemas/schemaorg-subset.json")).unwrap()).unwrap()
}

#[test]
fn live_blogs_are_live_blog_postings_by_schema_org() {
    let built = live_site("").build();
    let defined = schema_subset();
    let graph = jsonld(&built.page("news/storm-live/"));
    check_schema(&Value::Array(graph.clone()), &defined, "storm");
    let blog = graph.iter().find(|n| n["@type"] == "LiveBlogPosting").expect("a LiveBlogPosting");
    // What search engines require of one, and of each update.
    for required in ["headline", "datePublished", "coverageStartTime", "liveBlogUpdate", "author", "publisher"] {
        assert!(blog.get(required).is_some(), "LiveBlogPosting lacks {required}");
    }
    assert_eq!(blog["coverageStartTime"], "2026-11-26T06:00:00+00:00");
    assert!(blog.get("coverageEndTime").is_none(), "still open");
    let updates = blog["liveBlogUpdate"].as_array().unwrap();
    let urls: Vec<&str> = updates.iter().map(|u| u["url"].as_str().unwrap()).collect();
    assert_eq!(
        urls,
        [
            "https://example.com/news/storm-live/#update-0800-power",
            "https://example.com/news/storm-live/#update-0700-winds",
            "https://example.com/news/storm-live/#update-0605-summary"
        ]
    );
    assert_eq!(updates[1]["@type"], "BlogPosting");
    assert_eq!(updates[1]["headline"], "Gusts reach 120 km/h");
    assert_eq!(updates[1]["datePublished"], "2026-11-26T07:00:00+00:00");
    let ended = jsonld(&built.page("news/quake-live/"));
    check_schema(&Value::Array(ended.clone()), &defined, "quake");
    let blog = ended.iter().find(|n| n["@type"] == "LiveBlogPosting").unwrap();
    assert_eq!(blog["coverageEndTime"], "2026-11-21T06:00:00+00:00");
    // A plain story and a series part are checked the same way.
    let plain = SiteTest::fixture("basic").build();
    check_schema(&Value::Array(jsonld(&plain.page("world/paris-summit/"))), &defined, "story");
    let series = crate::series::series_site().build();
    check_schema(&Value::Array(jsonld(&series.page("news/dredging-2/"))), &defined, "part");
    check_schema(&Value::Array(jsonld(&series.page("series/harbour-dredging/"))), &defined, "series");
}

#[test]
fn the_feed_entry_of_a_live_blog_carries_its_newest_updates() {
    let built = live_site("").build();
    let feed = std::fs::read_to_string(built.output.join("feed.xml")).unwrap();
    let doc = scraper::Html::parse_document(&feed);
    let entry_of = |title: &str| {
        let selector = scraper::Selector::parse("entry").unwrap();
        doc.select(&selector).find(|e| e.text().any(|t| t == title)).map(|e| e.html()).unwrap_or_default()
    };
    let storm = entry_of("Storm Elin: live");
    assert!(storm.contains("Gusts reach 120 km/h") && storm.contains("4,000"), "{storm}");
    assert!(storm.contains("#update-0800-power"), "each update links to its anchor");
    assert!(!storm.contains("Scheduled."), "not the update still to come");
    // The entry's time is the newest update's.
    assert!(storm.contains("<updated>2026-11-26T08:00:00"), "{storm}");
}

#[test]
fn a_broken_update_is_named_at_its_file_and_line() {
    let site = live_site("")
        .file(&format!("{STORM}/updates/0900-broken.md"), "+++\ntitle = \"No time\"\npined = true\n+++\n\nText.\n")
        .file(
            "content/news/flat-live.md",
            "+++\ntitle = \"Flat\"\ndate = 2026-11-26T06:00:00Z\nlive = true\n+++\n\nText.\n",
        );
    let errors = site.build().errors();
    let found = |needle: &str| errors.iter().any(|e| e.contains(needle));
    assert!(
        found(
            "content/news/storm-live/updates/0900-broken.md:3:1: error: unknown field `pined` in a live update: did you mean `pinned`?"
        ),
        "{errors:#?}"
    );
    assert!(found("content/news/storm-live/updates/0900-broken.md:1:1: error: missing `time`"), "{errors:#?}");
    assert!(found("content/news/flat-live.md:4:") && found("a live blog is a bundle"), "{errors:#?}");
    let by_file: BTreeMap<&str, usize> = errors.iter().fold(BTreeMap::new(), |mut m, e| {
        *m.entry(e.split(':').next().unwrap()).or_default() += 1;
        m
    });
    assert_eq!(by_file.len(), 2, "every problem in one run: {errors:#?}");
}

#[test]
fn updates_are_not_articles_and_their_folder_is_not_copied() {
    let built = live_site("").build();
    assert_eq!(built.report().articles, 2);
    assert!(!built.exists("news/storm-live/updates/0800-power.md"));
    assert!(!built.exists("news/storm-live/updates/"));
}

#[test]
fn an_update_saved_during_serve_appears_on_the_open_page_with_an_announcement() {
    let test = "an_update_saved_during_serve_appears_on_the_open_page_with_an_announcement";
    let Some(browser) = crate::browser::Browser::start(test) else { return };
    let site = live_site("[live]\npoll_seconds = 1\n");
    let server = crate::serve::Server::start(&site);
    browser.go(&format!("{}news/storm-live/", server.url));
    let first = "return document.querySelector('.live-updates > li').id;";
    assert_eq!(browser.eval(first), "update-2300-later", "serve builds with the real clock: every update is out");
    // A mark on the page: it is gone if the page reloads.
    browser.eval("window.notReloaded = true; return null;");
    let saved = std::time::Instant::now();
    std::fs::write(
        site.root().join(STORM).join("updates/2330-bridge.md"),
        update("2026-11-26T23:30:00Z", "title = \"Bridge reopens\"\nkey = true\n", "Traffic is moving again."),
    )
    .unwrap();
    let shown = browser.wait_for(
        "const u = document.getElementById('update-2330-bridge'); \
         return u && [u.querySelector('h3').textContent, document.querySelector('.live-announce').textContent, \
                      document.querySelector('.live-updates > li').id, window.notReloaded === true];",
    );
    assert_eq!(shown, serde_json::json!(["Bridge reopens", "1 new update", "update-2330-bridge", true]));
    eprintln!("live: the open page showed the update {} ms after the save", saved.elapsed().as_millis());
    // The new key event joins "Key events", and "Last update" moves on to it.
    let key_events = "return [...document.querySelectorAll('.live-key a')].map(a => a.getAttribute('href'));";
    let keys = browser.wait_for(&format!(
        "const k = (function () {{ {key_events} }})(); return k.includes('#update-2330-bridge') ? k : null;"
    ));
    assert_eq!(keys, serde_json::json!(["#update-2330-bridge", "#update-0700-winds"]));
    let last = "return document.querySelector('.live-status time').getAttribute('datetime');";
    assert!(browser.eval(last).as_str().unwrap().starts_with("2026-11-26T23:30:00"), "{}", browser.eval(last));
    // An update corrected after it was shown is shown corrected, in its place.
    site.edit(
        &format!("{STORM}/updates/0800-power.md"),
        "Power is out in **4,000** homes.",
        "Power is out in **3,500** homes.",
    );
    let corrected = browser.wait_for(
        "const b = document.querySelector('#update-0800-power .live-body');          return b && b.textContent.includes('3,500') ? [b.textContent.trim(), window.notReloaded === true] : null;",
    );
    assert_eq!(corrected, serde_json::json!(["Power is out in 3,500 homes.", true]));
    // An update taken down is taken off the page, and out of "Key events".
    std::fs::remove_file(site.root().join(STORM).join("updates/0700-winds.md")).unwrap();
    let gone = browser.wait_for(&format!(
        "const k = (function () {{ {key_events} }})();          return document.getElementById('update-0700-winds') ? null : [k, window.notReloaded === true];"
    ));
    assert_eq!(gone, serde_json::json!([["#update-2330-bridge"], true]));
    // The page as served now has it too, for readers who come later.
    let (_, _, html) = server.get("news/storm-live/");
    let page = scraper::Html::parse_document(&html);
    let ids: Vec<&str> =
        page.select(&scraper::Selector::parse(".live-updates > li").unwrap()).filter_map(|l| l.value().id()).collect();
    assert_eq!(ids.first(), Some(&"update-2330-bridge"));
}

#[test]
fn search_finds_a_live_blog_by_the_words_of_its_updates() {
    let built = live_site("").build();
    let json = |rel: &str| -> Value { crate::harness::search_file(&built.output, rel) };
    let documents = json("index.json")["documents"].as_u64().unwrap() as usize;
    let storm = (0..documents)
        .map(|n| json(&format!("d/0/{n}.json.gz")))
        .find(|d| d["url"] == "/news/storm-live/")
        .expect("the live blog is a search document");
    let text = storm["text"].as_str().unwrap();
    assert!(text.contains("Follow the storm"), "the intro: {text}");
    assert!(text.contains("Gusts reach 120 km/h") && text.contains("The coast road is closed."), "the updates: {text}");
    assert!(!text.contains("Scheduled."), "not the update still to come: {text}");
}

#[test]
fn an_open_live_blog_leads_the_front_page_and_says_when_it_was_last_updated() {
    // A featured story newer than the live blog: the open live blog still leads.
    let featured =
        "+++\ntitle = \"Ferry deal signed\"\ndate = 2026-11-26T10:00:00Z\nfeatured = true\n+++\n\nThe deal.\n";
    let built = live_site("").file("content/news/ferry.md", featured).build();
    let front = built.page("");
    assert_eq!(front.text(".lead-title"), "Storm Elin: live");
    assert!(front.text(".lead .kicker").starts_with("Live"), "{}", front.text(".lead .kicker"));
    assert!(front.texts(".latest .card-title").contains(&"Ferry deal signed".to_string()));
    // Its header: updated at its newest update (08:00; the 23:00 one is not out yet), with the time.
    let page = built.page("news/storm-live/");
    let times = page.attrs(".story-header .dates time", "datetime");
    assert_eq!(times.len(), 2, "{times:?}");
    assert!(times[1].starts_with("2026-11-26T08:00:00"), "{times:?}");
    assert!(page.text(".story-header .dates").contains("Updated"), "{}", page.text(".story-header .dates"));
    // Once the coverage has ended, the featured story leads again.
    let ended = live_site("").file("content/news/ferry.md", featured);
    ended.edit(&format!("{STORM}/index.md"), "live = true\n", "live = true\ncoverage_end = 2026-11-26T09:00:00Z\n");
    assert_eq!(ended.build().page("").text(".lead-title"), "Ferry deal signed");
}
