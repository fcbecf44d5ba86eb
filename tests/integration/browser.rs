//! Real Chromium, driven over WebDriver (chromedriver) with a small
//! blocking client: pages at phone and desktop widths, and the reaction
//! buttons. The built site is served over HTTP by `StaticServer`.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::demo::demo;
use crate::harness::SiteTest;
use crate::static_server::StaticServer;
use crate::tools;

/// Pass to [`Browser::start_with`] to keep the page's network log.
pub const LOG_NETWORK: &str = "broadsheet:log-network";

/// A headless Chromium session through chromedriver.
pub struct Browser {
    driver: Child,
    url: String,
    session: String,
    agent: ureq::Agent,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// Starts chromedriver and a session, or `None` (skipped) without them.
    pub fn start(test: &str) -> Option<Browser> {
        Browser::start_with(test, &[])
    }

    /// Starts one with more Chromium arguments.
    pub fn start_with(test: &str, extra: &[String]) -> Option<Browser> {
        let chromium = tools::require("chromium", test)?;
        let chromedriver = tools::require("chromedriver", test)?;
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let driver = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let url = format!("http://127.0.0.1:{port}");
        let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
        wait_until_ready(&agent, &url);
        let profile = tempfile::tempdir().unwrap();
        let args = [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--hide-scrollbars",
        ];
        let mut args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        args.push(format!("--user-data-dir={}", profile.path().display()));
        args.extend(extra.iter().cloned());
        // The page's network events, read back with `requests()` (only for
        // the tests that ask: it is kept in memory).
        let logging = if extra.iter().any(|a| a == LOG_NETWORK) { json!({"performance": "ALL"}) } else { json!({}) };
        args.retain(|a| a != LOG_NETWORK);
        let caps = json!({"capabilities": {"alwaysMatch": {
            "goog:chromeOptions": {"binary": chromium, "args": args},
            "goog:loggingPrefs": logging,
        }}});
        let mut browser = Browser { driver, url, session: String::new(), agent, _profile: profile };
        let created = browser.call("POST", "/session", caps);
        browser.session = created["sessionId"].as_str().unwrap_or_else(|| panic!("no session: {created}")).to_string();
        Some(browser)
    }

    fn call(&self, method: &str, path: &str, body: Value) -> Value {
        let url = format!("{}{}", self.url, path);
        let mut response = match method {
            "POST" => self.agent.post(&url).send_json(&body),
            "DELETE" => self.agent.delete(&url).call(),
            _ => self.agent.get(&url).call(),
        }
        .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        let value: Value = response.body_mut().read_json().unwrap();
        if value["value"].get("error").is_some() {
            panic!("{method} {path}: {}", value["value"]);
        }
        value.get("value").cloned().unwrap_or(value)
    }

    fn session_call(&self, method: &str, path: &str, body: Value) -> Value {
        self.call(method, &format!("/session/{}{path}", self.session), body)
    }

    /// Every address the page (and its frames) asked for since the last
    /// call: Chromium's `Network.requestWillBeSent` events, sent or not.
    /// Needs a browser started with [`LOG_NETWORK`].
    pub fn requests(&self) -> Vec<String> {
        let log = self.session_call("POST", "/se/log", json!({"type": "performance"}));
        let entries = log.as_array().cloned().unwrap_or_default();
        entries
            .iter()
            .filter_map(|e| serde_json::from_str::<Value>(e["message"].as_str()?).ok())
            .filter(|m| m["message"]["method"] == "Network.requestWillBeSent")
            .filter_map(|m| m["message"]["params"]["request"]["url"].as_str().map(str::to_string))
            .collect()
    }

    pub fn resize(&self, width: u32, height: u32) {
        self.session_call("POST", "/window/rect", json!({"width": width, "height": height}));
    }

    pub fn go(&self, url: &str) {
        self.session_call("POST", "/url", json!({"url": url}));
    }

    /// Runs `script` (a function body) in the page and returns its result.
    pub fn eval(&self, script: &str) -> Value {
        self.session_call("POST", "/execute/sync", json!({"script": script, "args": []}))
    }

    fn element(&self, css: &str) -> String {
        let found = self.session_call("POST", "/element", json!({"using": "css selector", "value": css}));
        found.as_object().and_then(|o| o.values().next()).and_then(Value::as_str).unwrap().to_string()
    }

    pub fn click(&self, css: &str) {
        let id = self.element(css);
        self.session_call("POST", &format!("/element/{id}/click"), json!({}));
    }

    /// Types `text` into the element, as a reader would.
    pub fn type_into(&self, css: &str, text: &str) {
        let id = self.element(css);
        self.session_call("POST", &format!("/element/{id}/value"), json!({"text": text}));
    }

    /// Sends a Chrome DevTools command (`Emulation.setEmulatedMedia`, ...).
    pub fn cdp(&self, cmd: &str, params: Value) -> Value {
        self.session_call("POST", "/goog/cdp/execute", json!({"cmd": cmd, "params": params}))
    }

    /// Saves what the window shows as a PNG.
    pub fn screenshot(&self, path: &std::path::Path) {
        use base64::Engine as _;
        let data = self.session_call("GET", "/screenshot", json!({}));
        let png = base64::engine::general_purpose::STANDARD.decode(data.as_str().unwrap()).unwrap();
        std::fs::write(path, png).unwrap();
    }

    /// Evaluates `script` until it returns something other than null or
    /// false (within 10 s), and returns that.
    pub fn wait_for(&self, script: &str) -> Value {
        let started = Instant::now();
        loop {
            let value = self.eval(script);
            if !value.is_null() && value != json!(false) {
                return value;
            }
            assert!(started.elapsed() < Duration::from_secs(10), "timed out waiting for: {script}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = self.agent.delete(&format!("{}/session/{}", self.url, self.session)).call();
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn wait_until_ready(agent: &ureq::Agent, url: &str) {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(20) {
        if let Ok(mut r) = agent.get(&format!("{url}/status")).call()
            && r.body_mut().read_json::<Value>().is_ok_and(|v| v["value"]["ready"] == json!(true))
        {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("chromedriver did not start");
}

const NO_HORIZONTAL_SCROLL: &str =
    "return document.documentElement.scrollWidth <= document.documentElement.clientWidth;";

#[test]
fn pages_fit_phone_and_desktop_widths() {
    let Some(browser) = Browser::start("pages_fit_phone_and_desktop_widths") else { return };
    let built = demo().build();
    let Some(server) = StaticServer::start(&built.output, "browser tests") else { return };
    for (width, height) in [(390, 844), (1280, 900)] {
        browser.resize(width, height);
        for route in ["", "news/us-ukraine-highest-level-talks/", "politics/", "news/port-halden-ferry-strike-ends/"] {
            browser.go(&format!("{}/{route}", server.base));
            let fits = browser.eval(NO_HORIZONTAL_SCROLL);
            let widths =
                browser.eval("return [document.documentElement.scrollWidth, document.documentElement.clientWidth];");
            assert_eq!(fits, json!(true), "/{route} scrolls sideways at {width}px: {widths}");
            let h1 = browser.eval("return document.querySelectorAll('h1').length;");
            assert_eq!(h1, json!(1), "/{route} has one h1");
        }
    }
    // The seed's parts are visible in the browser, not only in the HTML.
    browser.go(&format!("{}/news/us-ukraine-highest-level-talks/", server.base));
    let visible = browser.eval(
        "return ['.story-header .kicker', 'h1', '.dek', '.story-body h2', '.source-line', '#reactions-heading', \
         '#related-heading', '#more-heading'].filter(s => { const e = document.querySelector(s); \
         return !e || e.getBoundingClientRect().height === 0; });",
    );
    assert_eq!(visible, json!([]), "parts of the article page are missing or hidden");
}

#[test]
fn a_reaction_is_kept_after_reload_without_an_endpoint() {
    let Some(browser) = Browser::start("a_reaction_is_kept_after_reload_without_an_endpoint") else { return };
    let built = demo().build();
    let Some(server) = StaticServer::start(&built.output, "browser tests") else { return };
    let url = format!("{}/news/us-ukraine-highest-level-talks/", server.base);
    browser.go(&url);
    let pressed = "return [...document.querySelectorAll('.reactions button[aria-pressed=true]')].map(b => b.value);";
    assert_eq!(browser.eval(pressed), json!([]));
    browser.click(".reactions button[value='In Love']");
    assert_eq!(browser.eval(pressed), json!(["In Love"]));
    assert_eq!(
        browser.eval("return document.querySelector('.reaction-status').textContent;"),
        json!("Your reaction: In Love")
    );
    browser.go(&url);
    assert_eq!(browser.eval(pressed), json!(["In Love"]), "the choice is kept after a reload");
    browser.go(&format!("{}/news/port-halden-ferry-strike-ends/", server.base));
    assert_eq!(browser.eval(pressed), json!([]), "the choice belongs to one article");
}

#[test]
fn reaction_counts_come_from_the_counter_and_the_page_works_without_it() {
    let test = "reaction_counts_come_from_the_counter_and_the_page_works_without_it";
    let Some(browser) = Browser::start(test) else { return };
    // The counter's port is chosen first: the site is built pointing at it.
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let site = demo();
    let config = std::fs::read_to_string(site.root().join("site.toml")).unwrap();
    let endpoint = format!("\n[reactions]\nendpoint = \"http://127.0.0.1:{port}/\"\n");
    let site = site.file("site.toml", config + &endpoint);
    let built = site.build();
    let Some(server) = StaticServer::start(&built.output, test) else { return };
    let db = tempfile::tempdir().unwrap();
    let db = db.path().join("reactions.sqlite");
    let output = built.output.to_str().unwrap().to_string();
    let origin = ["--origin", server.base.as_str()];
    let counter = crate::reactions::Counter::start_on(&output, &db, port, &origin);
    let url = format!("{}/news/us-ukraine-highest-level-talks/", server.base);
    let counts = "return [...document.querySelectorAll('.reactions button')].map(b => b.value + ' ' + b.querySelector('.reaction-count').textContent);";
    let shown = "const c = [...document.querySelectorAll('.reaction-count')].map(e => e.textContent); \
                 return c.every(t => t !== '') ? c : null;";
    let places = "return [...document.querySelectorAll('.reactions button')].map(b => { const r = b.getBoundingClientRect(); return [r.x, r.y, r.width, r.height]; });";

    browser.go(&url);
    assert_eq!(browser.wait_for(shown), json!(["0", "0", "0", "0", "0"]), "the counts arrive");
    let with_counts = browser.eval(places);
    browser.click(".reactions button[value='Happy']");
    browser.wait_for(
        "return document.querySelector('.reactions button[value=Happy] .reaction-count').textContent === '1' || null;",
    );
    browser.go(&url);
    browser.wait_for(shown);
    assert_eq!(
        browser.eval(counts),
        json!(["Excited 0", "Happy 1", "In Love 0", "Not Sure 0", "Silly 0"]),
        "the vote is kept after a reload"
    );
    let pressed = "return [...document.querySelectorAll('.reactions button[aria-pressed=true]')].map(b => b.value);";
    assert_eq!(browser.eval(pressed), json!(["Happy"]));
    // A changed mind moves the count, not adds one.
    browser.click(".reactions button[value='Silly']");
    browser.wait_for(
        "return document.querySelector('.reactions button[value=Silly] .reaction-count').textContent === '1' || null;",
    );
    assert_eq!(browser.eval(counts), json!(["Excited 0", "Happy 0", "In Love 0", "Not Sure 0", "Silly 1"]));

    // The counter stops: the page still works, locally, and nothing moves.
    counter.kill();
    browser.go(&url);
    browser.wait_for("return document.readyState === 'complete' || null;");
    assert_eq!(browser.eval(places), with_counts, "the buttons sit where they sit with counts: no layout shift");
    browser.click(".reactions button[value='Excited']");
    assert_eq!(browser.eval(pressed), json!(["Excited"]));
    assert_eq!(
        browser.eval("return document.querySelector('.reaction-status').textContent;"),
        json!("Your reaction: Excited")
    );
    assert_eq!(
        browser.eval(counts),
        json!(["Excited ", "Happy ", "In Love ", "Not Sure ", "Silly "]),
        "no invented counts"
    );
}

#[test]
fn a_counter_that_does_not_answer_is_given_up_on_after_two_seconds() {
    let test = "a_counter_that_does_not_answer_is_given_up_on_after_two_seconds";
    let Some(browser) = Browser::start(test) else { return };
    // A counter that takes connections and never answers; it notes how
    // long each stayed open before the page let go of it.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let held = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let noted = held.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let noted = noted.clone();
            std::thread::spawn(move || {
                let opened = Instant::now();
                let mut stream = stream;
                let mut buf = [0u8; 4096];
                // Read the request, then wait for the page to close the connection.
                while let Ok(n @ 1..) = std::io::Read::read(&mut stream, &mut buf) {
                    let _ = n;
                }
                noted.lock().unwrap().push(opened.elapsed());
            });
        }
    });
    let site = demo();
    let config = std::fs::read_to_string(site.root().join("site.toml")).unwrap();
    let site = site.file("site.toml", config + &format!("\n[reactions]\nendpoint = \"http://127.0.0.1:{port}/\"\n"));
    let built = site.build();
    let Some(server) = StaticServer::start(&built.output, test) else { return };
    browser.go(&format!("{}/news/us-ukraine-highest-level-talks/", server.base));
    // The page works at once, counter or not.
    browser.click(".reactions button[value='Happy']");
    let pressed = "return [...document.querySelectorAll('.reactions button[aria-pressed=true]')].map(b => b.value);";
    assert_eq!(browser.eval(pressed), json!(["Happy"]));
    // The request for the counts is dropped at 2 seconds (Chromium closes
    // its connection; the vote's CORS preflight is Chromium's to end).
    let started = Instant::now();
    while held.lock().unwrap().is_empty() {
        assert!(
            started.elapsed() < Duration::from_secs(8),
            "the page held on to the counter: {:?}",
            held.lock().unwrap()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    for time in held.lock().unwrap().iter() {
        assert!(*time < Duration::from_millis(2600), "a request waited {time:?} for a counter that never answers");
    }
    assert_eq!(
        browser.eval("return document.querySelector('.reaction-count').textContent;"),
        json!(""),
        "no invented counts"
    );
}

/// An HTTP proxy on 127.0.0.1 that notes the host of every request
/// Chromium sends through it (`CONNECT host:443` for HTTPS) and answers
/// 502: what a page asks of the outside world.
struct RecordingProxy {
    port: u16,
    hosts: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl RecordingProxy {
    fn start() -> RecordingProxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let hosts = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let seen = hosts.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut line = String::new();
                let mut reader = std::io::BufReader::new(stream.try_clone().unwrap());
                if std::io::BufRead::read_line(&mut reader, &mut line).is_ok() {
                    let target = line.split_whitespace().nth(1).unwrap_or("").to_string();
                    let host = target.trim_start_matches("http://").split(['/', ':']).next().unwrap_or("").to_string();
                    seen.lock().unwrap().push(host);
                }
                let _ =
                    std::io::Write::write_all(&mut stream, b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n");
            }
        });
        RecordingProxy { port, hosts }
    }

    fn hosts(&self) -> Vec<String> {
        self.hosts.lock().unwrap().clone()
    }
}

#[test]
fn no_third_party_host_is_contacted_before_an_embed_is_clicked() {
    let proxy = RecordingProxy::start();
    let test = "no_third_party_host_is_contacted_before_an_embed_is_clicked";
    let args = [format!("--proxy-server=http://127.0.0.1:{}", proxy.port), LOG_NETWORK.to_string()];
    let Some(browser) = Browser::start_with(test, &args) else { return };
    let built = crate::embeds::embeds_site("").build();
    let Some(server) = StaticServer::start(&built.output, test) else { return };
    browser.requests(); // the new-tab page's, before ours
    browser.go(&format!("{}/news/embeds/", server.base));
    let buttons = "const b = document.querySelectorAll('figure.embed .embed-load'); return b.length || null;";
    assert_eq!(browser.wait_for(buttons), json!(crate::embeds::PROVIDERS.len() + 1));
    // Scroll through the whole page, so anything lazy would have loaded.
    browser.eval("window.scrollTo(0, document.body.scrollHeight); return null;");
    std::thread::sleep(Duration::from_millis(1500));
    // What the page asked for: only the site's own files.
    let asked = browser.requests();
    assert!(asked.iter().any(|u| u.ends_with("/js/embeds.js")), "the log works: {asked:?}");
    let web = |u: &&String| u.starts_with("http://") || u.starts_with("https://");
    let outside: Vec<&String> = asked.iter().filter(web).filter(|u| !u.starts_with(&server.base)).collect();
    assert!(outside.is_empty(), "the page asked the outside world before any click: {outside:?}");
    // What left the machine (the browser's own update checks aside): no provider.
    let providers = [
        "youtube",
        "vimeo",
        "twitter",
        "instagram",
        "tiktok",
        "bsky",
        "mastodon",
        "google.com/maps",
        "maps.google",
        "openstreetmap",
        "documentcloud",
        "example.org",
    ];
    let contacted: Vec<String> =
        proxy.hosts().into_iter().filter(|h| providers.iter().any(|p| h.contains(p))).collect();
    assert_eq!(contacted, Vec::<String>::new(), "a provider was contacted before any click");

    let size = "const r = document.querySelector('figure.embed').getBoundingClientRect(); return [r.width, r.height];";
    let before = browser.eval(size);
    browser.click("figure.embed .embed-load");
    let frame = browser.wait_for(
        "const f = document.querySelector('figure.embed iframe'); \
         return f && [f.src, f.title, f.getAttribute('loading'), f.getAttribute('sandbox')];",
    );
    assert_eq!(
        frame,
        json!([
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1",
            "A video on YouTube",
            "lazy",
            "allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox allow-presentation"
        ])
    );
    assert_eq!(browser.eval(size), before, "the frame takes the placeholder's box: nothing moves");
    let started = Instant::now();
    while !proxy.hosts().iter().any(|h| h == "www.youtube-nocookie.com") {
        assert!(started.elapsed() < Duration::from_secs(10), "the click asked nothing of YouTube: {:?}", proxy.hosts());
        std::thread::sleep(Duration::from_millis(100));
    }
    let asked = browser.requests();
    let outside: Vec<&String> = asked.iter().filter(web).filter(|u| !u.starts_with(&server.base)).collect();
    assert!(
        outside.iter().all(|u| u.starts_with("https://www.youtube-nocookie.com/")),
        "only the clicked provider: {outside:?}"
    );
}

/// The titles of the search results once they are shown.
const RESULT_TITLES: &str = "const r = [...document.querySelectorAll('.search-result .card-title')].map(e => e.textContent); \
     return r.length ? r : null;";

#[test]
fn a_reader_searches_the_demo_site() {
    let Some(browser) = Browser::start("a_reader_searches_the_demo_site") else { return };
    let built = demo().build();
    let Some(server) = StaticServer::start(&built.output, "browser tests") else { return };
    browser.go(&format!("{}/", server.base));
    browser.click(".nav-search a");
    browser.type_into("#search-query", "ferry strike");
    browser.click(".search-row button");
    let titles = browser.wait_for(RESULT_TITLES);
    assert_eq!(titles[0], "Ferry strike ends after 11 days as crews accept new contract", "{titles}");
    let url = browser.eval("return location.search;");
    assert_eq!(url, json!("?q=ferry+strike"), "the query lives in the URL");
    let marked = browser.eval("return document.querySelector('.search-result mark').textContent.toLowerCase();");
    assert!(
        marked.as_str().unwrap().starts_with("ferry") || marked.as_str().unwrap().starts_with("strike"),
        "{marked}"
    );

    // A shared link shows its results on load; the section filter narrows them.
    browser.go(&format!("{}/search/?q=harbour&section=Sports", server.base));
    browser.wait_for(RESULT_TITLES);
    let sections =
        browser.eval("return [...document.querySelectorAll('.search-result .kicker')].map(e => e.textContent);");
    assert!(sections.as_array().unwrap().iter().all(|s| s == "Sports"), "{sections}");
    browser.go(&format!("{}/search/?q=harbour&sort=newest", server.base));
    browser.wait_for(RESULT_TITLES);
    let dates = browser
        .eval("return [...document.querySelectorAll('.search-result time')].map(e => e.getAttribute('datetime'));");
    let dates: Vec<&str> = dates.as_array().unwrap().iter().map(|d| d.as_str().unwrap()).collect();
    let mut sorted = dates.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert!(dates.len() > 2);
    assert_eq!(dates, sorted, "newest first");

    // A standalone page that asked to be found (`search = true`: Contact), and not one that did not (About).
    browser.go(&format!("{}/search/?q=letters+editor", server.base));
    let titles = browser.wait_for(RESULT_TITLES);
    assert_eq!(titles[0], "Contact us", "{titles}");
    browser.go(&format!("{}/search/?q=developer+shipping", server.base));
    let status = browser.wait_for(SEARCH_DONE);
    let titles =
        browser.eval("return [...document.querySelectorAll('.search-result .card-title')].map(e => e.textContent);");
    assert!(!titles.as_array().unwrap().iter().any(|t| t == "About the Courier"), "{status}: {titles}");
}

/// The status line once a search has finished.
const SEARCH_DONE: &str =
    "const s = document.querySelector('.search-status').textContent; return s && s !== 'Searching…' ? s : null;";

/// The query set of issue 19, on stories written so that each query has one
/// right answer and a near miss (tests/fixtures/search-site).
#[test]
fn search_answers_the_query_set() {
    let Some(browser) = Browser::start("search_answers_the_query_set") else { return };
    let built = SiteTest::fixture("search-site").build();
    built.report();
    let Some(server) = StaticServer::start(&built.output, "browser tests") else { return };
    let results = |query: &str| -> Vec<String> {
        let url = format!("{}/search/?{query}", server.base);
        browser.go(&url);
        let status = browser.wait_for(SEARCH_DONE);
        let titles = browser
            .eval("return [...document.querySelectorAll('.search-result .card-title')].map(e => e.textContent);");
        let titles: Vec<String> = serde_json::from_value(titles).unwrap();
        eprintln!("{query}: {status} {titles:?}");
        titles
    };
    // Exact words: every word must be there.
    assert_eq!(results("q=lighthouse+keeper"), ["Last lighthouse keeper retires"]);
    // Stems: "strikes" finds "strike", not the story about a walkout.
    assert_eq!(results("q=strikes"), ["Ferry crews strike over new rosters"]);
    // A phrase in quotes finds the words side by side; without quotes, both
    // stories with both words.
    assert_eq!(results("q=%22harbour+bridge%22"), ["Repairs close the harbour bridge for a month"]);
    let mut both = results("q=harbour+bridge");
    both.sort();
    assert_eq!(both, ["Bridge club moves to the old harbour office", "Repairs close the harbour bridge for a month"]);
    // Names with diacritics, typed with or without them.
    for query in ["q=zoe+lefevre", "q=Lef%C3%A8vre", "q=ZO%C3%8B"] {
        assert_eq!(results(query), ["Zoë Lefèvre wins the poetry prize"], "{query}");
    }
    // The section filter, and newest first.
    let mut sports = results("q=harbour&section=Sports");
    sports.sort();
    assert_eq!(
        sports,
        [
            "Rowing crews race across the harbour",
            "United win with a late goal",
            "Winter swim in the harbour draws hundreds"
        ]
    );
    assert_eq!(
        results("q=harbour&sort=newest"),
        [
            "United win with a late goal",
            "Winter swim in the harbour draws hundreds",
            "Bridge club moves to the old harbour office",
            "Repairs close the harbour bridge for a month",
            "Rowing crews race across the harbour",
            "Harbour festival returns",
        ]
    );
    // Best match: a headline mention ranks above one at the end of a report.
    let best = results("q=harbour");
    assert_eq!(best.len(), 6);
    assert_eq!(best.last().map(String::as_str), Some("United win with a late goal"), "{best:?}");
    // The excerpt comes from where the word is, marked.
    results("q=sixteen");
    let marked = browser.eval("return [...document.querySelectorAll('.search-result mark')].map(e => e.textContent);");
    assert_eq!(marked, json!(["sixteen"]));
    // While typing: the last word is a prefix, and results come without
    // pressing Search.
    browser.go(&format!("{}/search/", server.base));
    browser.type_into("#search-query", "lighth");
    let status =
        "const s = document.querySelector('.search-status').textContent; return s.includes('lighth') ? s : null;";
    assert_eq!(browser.wait_for(status), json!("1 story matches “lighth”."));
    assert_eq!(browser.wait_for(RESULT_TITLES), json!(["Last lighthouse keeper retires"]));
    assert_eq!(browser.eval("return location.search;"), json!("?q=lighth"));
    // No story: said so.
    results("q=volcano");
    assert_eq!(browser.eval(SEARCH_DONE), json!("No stories match “volcano”."));
}

/// A phrase of two words most stories hold finds the stories with the
/// words side by side, and only those: from the index's pair files, without
/// fetching the stories that merely hold both words.
#[test]
fn a_phrase_of_common_words_finds_only_the_stories_with_it() {
    let Some(browser) = Browser::start("a_phrase_of_common_words_finds_only_the_stories_with_it") else {
        return;
    };
    let test = SiteTest::fixture("search-site");
    // Both words in every story, never side by side ("city hall. The
    // council"), and once the wrong way round: so many stories that the
    // words' lists are long ones, with skips, and the phrase's stories
    // are scored from blocks of them (one near the start, one near the end).
    for i in 0..1300 {
        let body = "The council met in the city hall. ".repeat(3);
        let date = format!("2026-08-{:02}T10:{:02}:00Z", 1 + i / 60, i % 60);
        let text = format!("+++\ntitle = \"Meeting {i}\"\ndate = {date}\n+++\n\n{body}\n");
        std::fs::write(test.root().join(format!("content/news/meeting-{i}.md")), text).unwrap();
    }
    let reversed = "+++\ntitle = \"Twin towns\"\ndate = 2026-08-02\n+++\n\nThe council city of Marrow signed.\n";
    std::fs::write(test.root().join("content/news/twin-towns.md"), reversed).unwrap();
    let text = "+++\ntitle = \"Budget passes\"\ndate = 2020-01-01\n+++\n\nThe city council passed the budget.\n";
    std::fs::write(test.root().join("content/news/budget.md"), text).unwrap();
    let text = "+++\ntitle = \"City council ends its year\"\ndate = 2026-08-25\n+++\n\nThe city council sat for the last time.\n";
    std::fs::write(test.root().join("content/news/last-sitting.md"), text).unwrap();
    let built = test.build();
    built.report();
    let Some(server) = StaticServer::start(&built.output, "browser tests") else { return };
    let done = "const l = document.querySelector('.search-results'); \
                return l.dataset.searchState === 'done' ? document.querySelector('.search-status').textContent : null;";
    let search = |query: &str| {
        browser.go(&format!("{}/search/?q={query}", server.base));
        let status = browser.wait_for(done);
        let titles = browser
            .eval("return [...document.querySelectorAll('.search-result .card-title')].map(e => e.textContent);");
        (status, titles)
    };
    // The headline's phrase first, then the oldest story's.
    let (status, titles) = search("%22city+council%22");
    assert_eq!(titles, json!(["City council ends its year", "Budget passes"]), "{status}");
    // The query's own quotes are shown, not wrapped in another pair.
    assert_eq!(status, json!("2 stories match \"city council\"."));
    let fetched = "return performance.getEntriesByType('resource').filter(e => e.name.includes('/_search/d/')).length;";
    assert_eq!(browser.eval(fetched), json!(2), "only the stories shown are fetched");
    assert_eq!(browser.eval("return document.querySelector('.search-more').hidden;"), json!(true));
    let marked = browser.eval("return [...document.querySelectorAll('.search-result mark')].map(e => e.textContent);");
    assert_eq!(marked, json!(["city", "council", "city", "council"]));
    // With the section filter.
    assert_eq!(search("%22city+council%22&section=News").1, json!(["City council ends its year", "Budget passes"]));
    assert_eq!(search("%22city+council%22&section=Sports").0, json!("No stories match \"city council\"."));
    // Three words, the wrong order, and words that are never together.
    assert_eq!(search("%22the+city+council+passed%22").1, json!(["Budget passes"]));
    assert_eq!(search("%22council+city%22").1, json!(["Twin towns"]));
    assert_eq!(search("%22council+passed+city%22").0, json!("No stories match \"council passed city\"."));
    // One common word: its first page and the next, best first and newest
    // first, found in its list's weights and blocks, as the full ranking
    // (which the section filter, every story being in News, goes through).
    let pages = |query: &str| {
        let status = search(query).0;
        browser.eval("document.querySelector('.search-more').click(); return null;");
        browser.wait_for("return document.querySelectorAll('.search-result').length >= 20 ? true : null;");
        let titles = browser
            .eval("return [...document.querySelectorAll('.search-result .card-title')].map(e => e.textContent);");
        (status, titles)
    };
    for sort in ["", "&sort=newest"] {
        let (status, titles) = pages(&format!("council{sort}"));
        assert_eq!(status, json!("1303 stories match “council”."));
        assert_eq!(titles.as_array().map(Vec::len), Some(20), "{titles}");
        assert_eq!(titles, pages(&format!("council{sort}&section=News")).1, "{sort}");
    }
    let newest = pages("council&sort=newest").1;
    assert_eq!(
        newest.as_array().map(|t| &t[..2]),
        Some(&[json!("City council ends its year"), json!("Meeting 1299")][..])
    );
    // Without quotes: every story with both words, and no pair file fetched.
    let (status, _) = search("city+council");
    assert_eq!(status, json!("1303 stories match “city council”."));
    let pairs = "return performance.getEntriesByType('resource').filter(e => e.name.includes('/_search/p/')).length;";
    assert_eq!(browser.eval(pairs), json!(0));
}

#[test]
fn search_works_under_a_subpath() {
    let Some(browser) = Browser::start("search_works_under_a_subpath") else { return };
    let built = demo().base_url("https://user.github.io/repo/").build();
    let www = tempfile::tempdir().unwrap();
    crate::harness::copy_tree(&built.output, &www.path().join("repo"));
    let Some(server) = StaticServer::start(www.path(), "browser tests") else { return };
    browser.go(&format!("{}/repo/search/?q=comet", server.base));
    let titles = browser.wait_for(RESULT_TITLES);
    assert_eq!(titles[0], "How to see Comet Halvorsen-Ito before it fades this month", "{titles}");
    let href = browser.eval("return document.querySelector('.search-result a').getAttribute('href');");
    assert_eq!(href, json!("/repo/science/comet-visible-november/"));
}

/// A story as real blogs write them: a long code line, a wide table, an
/// embedded map, a long bare URL and a very long word.
fn real_bodies() -> crate::harness::SiteTest {
    let code = format!("let total = {};", (1..60).map(|n| format!("value_{n}")).collect::<Vec<_>>().join(" + "));
    let header = (1..=12).map(|n| format!("Column heading {n}")).collect::<Vec<_>>().join(" | ");
    let rule = ["---"; 12].join(" | ");
    let row = (1..=12).map(|n| format!("cell-value-number-{n}")).collect::<Vec<_>>().join(" | ");
    let url = format!("https://example.org/{}", "very-long-path-segment/".repeat(14));
    let word = "Donaudampfschifffahrtsgesellschaftskapitänswitwenpensionsberechtigungsnachweis";
    let body = format!(
        "+++\ntitle = \"Budget in numbers\"\ndate = 2026-11-20\n+++\n\nThe figures, line by line.\n\n```rust\n{code}\n```\n\n\
         | {header} |\n| {rule} |\n| {row} |\n\n\
         <iframe src=\"https://www.openstreetmap.org/export/embed.html\" width=\"1200\" height=\"500\" title=\"Map of the ward\"></iframe>\n\n\
         Read it all at {url} or ask the {word}.\n\nInline `{code}` too.\n"
    );
    crate::harness::SiteTest::fixture("basic").file("content/world/budget-in-numbers.md", body)
}

#[test]
fn real_bodies_fit_a_phone() {
    let Some(browser) = Browser::start("real_bodies_fit_a_phone") else { return };
    let built = real_bodies().build();
    let Some(server) = StaticServer::start(&built.output, "browser tests") else { return };
    browser.resize(390, 844);
    for route in ["world/budget-in-numbers/", "world/", ""] {
        browser.go(&format!("{}/{route}", server.base));
        let widths =
            browser.eval("return [document.documentElement.scrollWidth, document.documentElement.clientWidth];");
        assert_eq!(browser.eval(NO_HORIZONTAL_SCROLL), json!(true), "/{route} scrolls sideways at 390px: {widths}");
    }
    browser.go(&format!("{}/world/budget-in-numbers/", server.base));
    // The code and the table scroll inside themselves; the map fits the column.
    let inner = browser.eval(
        "const s = e => e.scrollWidth > e.clientWidth; \
         const body = document.querySelector('.story-body').getBoundingClientRect().width; \
         return [s(document.querySelector('.story-body pre')), s(document.querySelector('.story-body table')), \
                 document.querySelector('.story-body iframe').getBoundingClientRect().width <= body];",
    );
    assert_eq!(inner, json!([true, true, true]), "code scrolls, table scrolls, iframe fits");
}

/// Boxes of a block that overlap: `[a, b]` selector pairs whose rectangles
/// intersect, among the visible children named.
const OVERLAPS: &str = "const [root, parts] = arguments; const box = document.querySelector(root); if (!box) return null; \
     const els = parts.map(p => [p, box.querySelector(p)]).filter(([, e]) => e && e.getBoundingClientRect().height > 0); \
     const out = []; for (let i = 0; i < els.length; i++) for (let j = i + 1; j < els.length; j++) { \
       const a = els[i][1].getBoundingClientRect(), b = els[j][1].getBoundingClientRect(); \
       if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1) out.push([els[i][0], els[j][0]]); } \
     return out;";

#[test]
fn newsroom_pages_lay_out_on_a_phone_and_a_desktop() {
    let Some(browser) = Browser::start("newsroom_pages_lay_out_on_a_phone_and_a_desktop") else { return };
    let built = demo().build();
    let Some(server) = StaticServer::start(&built.output, "browser tests") else { return };
    // A section whose newest story has no photo (most of the demo's).
    let section = ["news/", "world/", "politics/", "business/", "science/", "culture/", "sports/", "technology/"]
        .into_iter()
        .find(|s| built.page(s).count(".section-lead .card-image") == 0)
        .expect("a section led by a story without a photo");
    let shots = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    let pages = [
        ("front", ""),
        ("section", section),
        ("article", "news/us-ukraine-highest-level-talks/"),
        ("page", "about/"),
        ("search", "search/"),
    ];
    for (width, height) in [(390, 844), (1366, 900)] {
        browser.resize(width, height);
        for (name, route) in pages {
            browser.go(&format!("{}/{route}", server.base));
            browser.screenshot(&shots.join(format!("{name}-{width}.png")));
            let widths =
                browser.eval("return [document.documentElement.scrollWidth, document.documentElement.clientWidth];");
            assert_eq!(
                browser.eval(NO_HORIZONTAL_SCROLL),
                json!(true),
                "/{route} scrolls sideways at {width}px: {widths}"
            );
            // Every link in the section menu is a 48-pixel tap target.
            let small = browser.eval(
                "return [...document.querySelectorAll('.sections-nav a')].map(a => [a.textContent, a.getBoundingClientRect()]) \
                 .filter(([, r]) => r.height < 48 || r.width < 48).map(([t, r]) => `${t} ${r.width}x${r.height}`);",
            );
            assert_eq!(small, json!([]), "small tap targets on /{route} at {width}px");
        }
        // The lead block without a photo: no overlap, and the headline starts at the block's left edge.
        browser.go(&format!("{}/{section}", server.base));
        let parts = json!([".kicker", ".card-title", ".card-dek", ".card-meta", ".card-image"]);
        let overlaps = browser.session_call(
            "POST",
            "/execute/sync",
            json!({"script": OVERLAPS, "args": [".section-lead .card", parts]}),
        );
        assert_eq!(overlaps, json!([]), "/{section} lead at {width}px");
        let offset = browser.eval(
            "const card = document.querySelector('.section-lead .card').getBoundingClientRect(); \
             const title = document.querySelector('.section-lead .card-title').getBoundingClientRect(); \
             return Math.round(title.left - card.left);",
        );
        assert_eq!(offset, json!(0), "the headline of /{section} sits in a column of its own at {width}px");
        // The front page's lead, with its photo.
        browser.go(&format!("{}/", server.base));
        let parts = json!([".lead-image", ".kicker", ".lead-title", ".lead-dek", ".card-meta"]);
        let overlaps =
            browser.session_call("POST", "/execute/sync", json!({"script": OVERLAPS, "args": [".lead", parts]}));
        assert_eq!(overlaps, json!([]), "front lead at {width}px");
        // Search: the footer starts below the fold, so results arriving move nothing in view.
        browser.go(&format!("{}/search/", server.base));
        let below =
            browser.eval("return document.querySelector('.site-footer').getBoundingClientRect().top >= innerHeight;");
        assert_eq!(below, json!(true), "the search page's footer is in view at {width}px");
    }
    // On paper: the story alone, with its address.
    browser.go(&format!("{}/news/us-ukraine-highest-level-talks/", server.base));
    browser.cdp("Emulation.setEmulatedMedia", json!({"media": "print"}));
    let printed = browser.eval(
        "const shown = s => [...document.querySelectorAll(s)].some(e => e.getBoundingClientRect().height > 0); \
         return Object.fromEntries(['.story-body', '.print-url', '.reactions', '.related', '.more-in', '.share', \
         '.sections-nav', '.site-footer', '.story-nav'].map(s => [s, shown(s)]));",
    );
    assert_eq!(
        printed,
        json!({".story-body": true, ".print-url": true, ".reactions": false, ".related": false, ".more-in": false,
               ".share": false, ".sections-nav": false, ".site-footer": false, ".story-nav": false})
    );
}

#[test]
fn on_a_phone_search_and_the_readers_section_stay_in_sight() {
    let Some(browser) = Browser::start("on_a_phone_search_and_the_readers_section_stay_in_sight") else { return };
    let built = demo().build();
    let Some(server) = StaticServer::start(&built.output, "browser tests") else { return };
    browser.resize(390, 844);
    // On screen, and not covered by anything (the element under its middle is it).
    let in_sight = |css: &str| {
        browser.eval(&format!(
            "const e = document.querySelector({css:?}); if (!e) return null; \
             const r = e.getBoundingClientRect(); const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2); \
             return r.left >= 0 && r.right <= window.innerWidth && !!hit && e.contains(hit);"
        ))
    };
    let article = built.page("sports/").attrs(".card-title a", "href").remove(0);
    for route in ["", "sports/", "technology/", article.trim_start_matches('/')] {
        browser.go(&format!("{}/{route}", server.base));
        assert_eq!(
            in_sight(".sections-nav .nav-search a"),
            json!(true),
            "/{route}: Search is off-screen or covered at 390px"
        );
        if !route.is_empty() {
            let current = in_sight(".sections-nav li:not(.nav-search) a[aria-current]");
            assert_eq!(current, json!(true), "/{route}: the reader's section is not in sight at 390px");
        }
    }
    // An article marks its section, as where the reader is (not as the page itself).
    browser.go(&format!("{}{article}", server.base));
    let marked = browser.eval(
        "const a = document.querySelector('.sections-nav a[aria-current]'); return [a.getAttribute('aria-current'), a.textContent];",
    );
    assert_eq!(marked, json!(["true", "Sports"]));
}

/// Where a block's text runs: the left and right edges of its words
/// against the block's own edges, in pixels (`[gap left, gap right]`).
const TEXT_GAPS: &str = "const e = document.querySelector(arguments[0]); const r = document.createRange(); \
     r.selectNodeContents(e); const t = r.getBoundingClientRect(), b = e.getBoundingClientRect(); \
     return [Math.round(t.left - b.left), Math.round(b.right - t.right)];";

#[test]
fn a_site_in_arabic_and_french_lays_out_right_to_left_and_left_to_right() {
    let test = "a_site_in_arabic_and_french_lays_out_right_to_left_and_left_to_right";
    let Some(browser) = Browser::start(test) else { return };
    let built = SiteTest::fixture("multilingual").base_url("https://example.com/").build();
    let Some(server) = StaticServer::start(&built.output, "browser tests") else { return };
    let masthead = json!([".languages", ".site-title", ".sections-nav"]);
    for (width, height) in [(390, 844), (1366, 900)] {
        browser.resize(width, height);
        for route in ["ar/", "ar/news/", "ar/news/harbour-vote/", "fr/news/harbour-vote/", "ar/search/"] {
            browser.go(&format!("{}/{route}", server.base));
            let widths =
                browser.eval("return [document.documentElement.scrollWidth, document.documentElement.clientWidth];");
            assert_eq!(
                browser.eval(NO_HORIZONTAL_SCROLL),
                json!(true),
                "/{route} scrolls sideways at {width}px: {widths}"
            );
            let overlaps = browser.session_call(
                "POST",
                "/execute/sync",
                json!({"script": OVERLAPS, "args": ["header", masthead]}),
            );
            assert_eq!(overlaps, json!([]), "/{route} masthead at {width}px");
        }
        // Arabic headlines start at the right, French ones at the left.
        browser.go(&format!("{}/ar/news/harbour-vote/", server.base));
        let gaps = browser.session_call("POST", "/execute/sync", json!({"script": TEXT_GAPS, "args": ["h1"]}));
        let [left, right] = [gaps[0].as_i64().unwrap(), gaps[1].as_i64().unwrap()];
        assert!(right <= 1 && left > 10, "the Arabic headline does not start at the right at {width}px: {gaps}");
        browser.go(&format!("{}/fr/news/harbour-vote/", server.base));
        let gaps = browser.session_call("POST", "/execute/sync", json!({"script": TEXT_GAPS, "args": ["h1"]}));
        assert!(gaps[0].as_i64().unwrap() <= 1, "the French headline does not start at the left at {width}px: {gaps}");
    }
    // The switcher leads from the Arabic story to the French one.
    browser.go(&format!("{}/ar/news/harbour-vote/", server.base));
    browser.eval("document.querySelector('nav.languages a[hreflang=\"fr\"]').click(); return true;");
    let h1 = browser
        .wait_for("return location.pathname === '/fr/news/harbour-vote/' && document.querySelector('h1').textContent;");
    assert_eq!(h1, json!("Le conseil approuve le plan du port"));
    // Search in Arabic reads the Arabic index and finds the Arabic stories.
    browser.go(&format!("{}/ar/search/?q={}", server.base, "الميناء"));
    let titles = browser.wait_for(RESULT_TITLES);
    assert!(titles.as_array().unwrap().iter().any(|t| t == "المجلس يوافق على خطة الميناء"), "{titles}");
    assert!(!titles.as_array().unwrap().iter().any(|t| t.as_str().unwrap().is_ascii()), "{titles}");
}

/// Issue 33, item 4: on the demo, `harbour` leads with the story whose
/// headline opens with it (not one that says only "Harbourside", nor a
/// review whose headline names an opera), and a misspelling is offered the
/// index's own word, a link that runs the corrected search; a search that
/// finds nothing shows the newest stories and the sections.
#[test]
fn search_ranks_headlines_first_and_forgives_a_misspelling() {
    let Some(browser) = Browser::start("search_ranks_headlines_first_and_forgives_a_misspelling") else { return };
    let built = demo().build();
    let Some(server) = StaticServer::start(&built.output, "browser tests") else { return };
    let lead = "Harbour authority approves $40m dredging plan after a year of delays";
    for width in [1366, 390] {
        browser.resize(width, 900);
        browser.go(&format!("{}/search/?q=harbour", server.base));
        let titles = browser.wait_for(RESULT_TITLES);
        assert_eq!(titles[0], lead, "{width}: {titles}");
        assert_eq!(browser.eval("return document.querySelector('.search-suggestion').hidden;"), json!(true));

        browser.go(&format!("{}/search/?q=harbuor", server.base));
        assert_eq!(browser.wait_for(SEARCH_DONE), json!("No stories match “harbuor”."));
        let offered = browser.wait_for(
            "const s = document.querySelector('.search-suggestion'); return s.hidden ? null : s.textContent;",
        );
        assert_eq!(offered, json!("Did you mean harbour?"));
        // Nothing matched: the newest stories, newest first, and every section.
        let dates = browser.wait_for(
            "const e = document.querySelector('.search-empty'); \
             const d = [...e.querySelectorAll('.search-latest time')].map(t => t.getAttribute('datetime')); \
             return e.hidden || !d.length ? null : d;",
        );
        let dates: Vec<String> = serde_json::from_value(dates).unwrap();
        assert!(dates.len() >= 3, "{dates:?}");
        assert!(dates.windows(2).all(|w| w[0] >= w[1]), "newest first: {dates:?}");
        let sections = browser.eval(
            "return [...document.querySelectorAll('.search-empty .search-sections a')].map(a => a.getAttribute('href'));",
        );
        assert!(sections.as_array().unwrap().iter().any(|s| s == "/sports/"), "{sections}");
        assert_eq!(browser.eval("return document.querySelectorAll('.search-result').length;"), json!(0));

        browser.click(".search-suggestion a");
        let titles = browser.wait_for(RESULT_TITLES);
        assert_eq!(titles[0], lead, "{width}: {titles}");
        assert_eq!(browser.eval("return location.search;"), json!("?q=harbour"));
        assert_eq!(browser.eval("return document.querySelector('.search-empty').hidden;"), json!(true));
        assert_eq!(browser.eval("return document.querySelector('.search-suggestion').hidden;"), json!(true));
    }
}
