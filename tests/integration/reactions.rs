//! The reactions counter (`broadsheet reactions serve`), run for real: the
//! binary on 127.0.0.1 with a temporary SQLite database, spoken to over
//! HTTP the way `reactions.js`, the no-JavaScript form and an attacker
//! would.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::num::NonZeroU32;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use broadsheet::reactions::server::{self, Limits};
use serde_json::{Value, json};

use crate::harness::{MINIMAL_CONFIG, SiteTest};

/// The labels every site here counts.
const LABELS: [&str; 5] = ["Excited", "Happy", "In Love", "Not Sure", "Silly"];
/// The site's origin, which the counter allows by default.
const ORIGIN: &str = "https://news.example";

/// A built site of `n` articles (`news/story-0` ...) with reactions on.
pub fn counted_site(n: usize) -> SiteTest {
    let mut site = SiteTest::new().file(
        "site.toml",
        format!(
            "{}\n[reactions]\nendpoint = \"https://counter.example/\"\n",
            MINIMAL_CONFIG.replace("https://example.com/", "https://news.example/")
        ),
    );
    for i in 0..n {
        site = site.file(
            &format!("content/news/story-{i}.md"),
            format!("+++\ntitle = \"Story {i}\"\ndate = 2026-01-{:02}T10:00:00Z\n+++\n\nText {i}.\n", i % 28 + 1),
        );
    }
    let built = site.build();
    assert_eq!(built.report().articles, n);
    site
}

/// The counter process, its address and what it printed.
pub struct Counter {
    child: Child,
    pub url: String,
    pub lines: Arc<Mutex<Vec<String>>>,
    pub db: PathBuf,
}

impl Counter {
    /// Starts `broadsheet reactions serve` and waits for `/health`.
    pub fn start(site: &str, db: &Path, args: &[&str]) -> Counter {
        Counter::start_on(site, db, 0, args)
    }

    pub fn start_on(site: &str, db: &Path, port: u16, args: &[&str]) -> Counter {
        Counter::start_with(site, db, port, args, None)
    }

    /// Started with its open-file limit (soft and hard) set to
    /// `open_files`, as a service manager would.
    pub fn start_with(site: &str, db: &Path, port: u16, args: &[&str], open_files: Option<u64>) -> Counter {
        let mut command = Command::new(env!("CARGO_BIN_EXE_broadsheet"));
        command
            .args(["reactions", "serve", "--db", db.to_str().unwrap(), "--site", site, "--port", &port.to_string()])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        if let Some(n) = open_files {
            // SAFETY: setrlimit is async-signal-safe, and nothing else
            // runs between fork and exec.
            unsafe {
                command.pre_exec(move || rlimit::setrlimit(rlimit::Resource::NOFILE, n, n));
            }
        }
        let mut child = command.spawn().unwrap();
        let lines = Arc::new(Mutex::new(Vec::new()));
        let (tx, rx) = std::sync::mpsc::channel();
        let stdout = child.stdout.take().unwrap();
        let kept = lines.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(addr) = line.strip_prefix("reactions: listening on ") {
                    let _ = tx.send(addr.trim_end_matches('/').to_string());
                }
                kept.lock().unwrap().push(line);
            }
        });
        let url = rx.recv_timeout(Duration::from_secs(30)).expect("the counter did not start");
        let counter = Counter { child, url, lines, db: db.to_path_buf() };
        assert_eq!(counter.get("/health").0, 200);
        counter
    }

    fn agent() -> ureq::Agent {
        ureq::Agent::config_builder().http_status_as_error(false).max_redirects(0).build().into()
    }

    /// GET a path: status and JSON body.
    pub fn get(&self, path: &str) -> (u16, Value) {
        let mut r = Counter::agent().get(format!("{}{path}", self.url)).call().unwrap();
        (r.status().as_u16(), r.body_mut().read_json().unwrap_or(Value::Null))
    }

    pub fn counts(&self, id: &str) -> Value {
        let (status, body) = self.get(&format!("/?id={id}"));
        assert_eq!(status, 200, "{body}");
        body
    }

    /// POST a JSON vote from the site's origin.
    pub fn vote(&self, body: Value) -> (u16, Value) {
        post_json(&Counter::agent(), &self.url, &body.to_string(), Some(ORIGIN))
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// SIGKILL: no chance to commit or close anything.
    pub fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    /// SIGTERM, and the exit status.
    pub fn stop(mut self) -> std::process::ExitStatus {
        Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status().unwrap();
        self.child.wait().unwrap()
    }

    /// The process's peak resident memory, in KiB (Linux).
    pub fn peak_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid())).unwrap();
        let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
        line.split_whitespace().nth(1).unwrap().parse().unwrap()
    }
}

impl Drop for Counter {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn post_json(agent: &ureq::Agent, url: &str, body: &str, origin: Option<&str>) -> (u16, Value) {
    let mut request = agent.post(format!("{url}/")).header("Content-Type", "application/json");
    if let Some(origin) = origin {
        request = request.header("Origin", origin);
    }
    let mut r = request.send(body).unwrap();
    (r.status().as_u16(), r.body_mut().read_json().unwrap_or(Value::Null))
}

fn token(n: usize) -> String {
    format!("reader-token-{n:06}")
}

fn all_zero() -> Value {
    json!({"Excited": 0, "Happy": 0, "In Love": 0, "Not Sure": 0, "Silly": 0})
}

fn site_dir(site: &SiteTest) -> String {
    site.output().to_str().unwrap().to_string()
}

#[test]
fn the_built_site_lists_its_articles_and_labels_for_the_counter() {
    let site = counted_site(3);
    let file: Value =
        serde_json::from_slice(&std::fs::read(site.output().join("_reactions/articles.json")).unwrap()).unwrap();
    assert_eq!(file["labels"], json!(LABELS));
    assert_eq!(file["articles"]["news/story-1"], json!("https://news.example/news/story-1/"));
    assert_eq!(file["articles"].as_object().unwrap().len(), 3);
    let off = SiteTest::new()
        .file("site.toml", format!("{MINIMAL_CONFIG}reactions = false\n"))
        .file("content/news/a.md", "+++\ntitle = \"A\"\ndate = 2026-01-01T10:00:00Z\n+++\n\nText.\n");
    off.build();
    assert!(!off.output().join("_reactions").exists(), "no counter, no list");
}

#[test]
fn a_vote_is_counted_changed_and_kept_across_restarts_and_a_kill() {
    let site = counted_site(3);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("reactions.sqlite");
    let counter = Counter::start(&site_dir(&site), &db, &[]);
    assert_eq!(counter.counts("news/story-0"), all_zero());
    let (status, counts) =
        counter.vote(json!({"id": "news/story-0", "reaction": "Happy", "previous": null, "reader": token(1)}));
    assert_eq!((status, counts["Happy"].clone()), (200, json!(1)), "the answer carries the new counts");
    // The same reader changes their mind: the count moves.
    let (status, counts) =
        counter.vote(json!({"id": "news/story-0", "reaction": "Silly", "previous": "Happy", "reader": token(1)}));
    assert_eq!(status, 200);
    assert_eq!((counts["Happy"].clone(), counts["Silly"].clone()), (json!(0), json!(1)));
    assert!(counter.stop().success(), "SIGTERM ends it cleanly");

    let counter = Counter::start(&site_dir(&site), &db, &[]);
    assert_eq!(counter.counts("news/story-0")["Silly"], json!(1), "kept across a restart");

    // Votes streaming in while the process is killed: every vote that was
    // answered is in the database afterwards.
    let url = counter.url.clone();
    let sender = std::thread::spawn(move || {
        let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
        let mut answered = 0;
        let mut sent = 0;
        for n in 100..100_000 {
            let body = json!({"id": "news/story-1", "reaction": "Excited", "previous": null, "reader": token(n)});
            sent += 1;
            let mut request = agent.post(format!("{url}/")).header("Content-Type", "application/json");
            request = request.header("Origin", ORIGIN);
            match request.send(body.to_string()) {
                Ok(r) if r.status() == 200 => answered += 1,
                _ => break,
            }
        }
        (answered, sent)
    });
    std::thread::sleep(Duration::from_millis(800));
    counter.kill();
    let (answered, sent) = sender.join().unwrap();
    assert!(answered > 20, "only {answered} votes were answered before the kill");

    let counter = Counter::start(&site_dir(&site), &db, &[]);
    let excited = counter.counts("news/story-1")["Excited"].as_u64().unwrap();
    assert!(
        excited >= answered && excited <= sent,
        "{answered} votes answered, {sent} sent, {excited} counted after the kill"
    );
    assert_eq!(counter.counts("news/story-0")["Silly"], json!(1));
}

#[test]
fn two_thousand_concurrent_votes_are_all_counted() {
    let site = counted_site(3);
    let dir = tempfile::tempdir().unwrap();
    let counter = Counter::start(
        &site_dir(&site),
        &dir.path().join("r.sqlite"),
        &["--rate-limit", "100000", "--burst", "100000"],
    );
    // 200 readers, 10 votes each, changing their reaction every time; 50
    // threads at once, each reader's votes in order.
    let threads: Vec<_> = (0..50)
        .map(|t| {
            let url = counter.url.clone();
            std::thread::spawn(move || {
                let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
                let mut finals = Vec::new();
                let mut statuses = Vec::new();
                for reader in (0..200).filter(|r| r % 50 == t) {
                    let article = format!("news/story-{}", reader % 3);
                    let mut previous: Option<&str> = None;
                    for v in 0..10 {
                        let reaction = LABELS[(reader + v) % 5];
                        let body =
                            json!({"id": article, "reaction": reaction, "previous": previous, "reader": token(reader)});
                        statuses.push(post_json(&agent, &url, &body.to_string(), Some(ORIGIN)).0);
                        previous = Some(reaction);
                    }
                    finals.push((article, previous.unwrap()));
                }
                (finals, statuses)
            })
        })
        .collect();
    let mut expected: std::collections::BTreeMap<String, Value> =
        (0..3).map(|i| (format!("news/story-{i}"), all_zero())).collect();
    let mut statuses = Vec::new();
    for thread in threads {
        let (finals, s) = thread.join().unwrap();
        statuses.extend(s);
        for (article, reaction) in finals {
            let slot = &mut expected.get_mut(&article).unwrap()[reaction];
            *slot = json!(slot.as_u64().unwrap() + 1);
        }
    }
    assert_eq!(statuses.len(), 2000);
    assert!(
        statuses.iter().all(|s| *s == 200),
        "refused: {:?}",
        statuses.iter().filter(|s| **s != 200).collect::<Vec<_>>()
    );
    for (article, counts) in &expected {
        assert_eq!(&counter.counts(article), counts, "{article}");
    }
    let peak = counter.peak_kib();
    assert!(peak < 96 * 1024, "the counter peaked at {peak} KiB");
}

#[test]
fn the_rate_limit_answers_429_and_only_what_it_took_is_counted() {
    let site = counted_site(1);
    let dir = tempfile::tempdir().unwrap();
    let counter =
        Counter::start(&site_dir(&site), &dir.path().join("r.sqlite"), &["--rate-limit", "5", "--burst", "20"]);
    let threads: Vec<_> = (0..10)
        .map(|t| {
            let url = counter.url.clone();
            std::thread::spawn(move || {
                let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
                let mut statuses = Vec::new();
                let mut retry_after = Vec::new();
                for n in 0..20 {
                    let body = json!({"id": "news/story-0", "reaction": "Happy", "previous": null, "reader": token(t * 100 + n)});
                    let r = agent
                        .post(format!("{url}/"))
                        .header("Content-Type", "application/json")
                        .header("Origin", ORIGIN)
                        .send(body.to_string())
                        .unwrap();
                    statuses.push(r.status().as_u16());
                    if let Some(h) = r.headers().get("retry-after") {
                        retry_after.push(h.to_str().unwrap().to_string());
                    }
                }
                (statuses, retry_after)
            })
        })
        .collect();
    let mut taken = 0;
    let mut limited = 0;
    let mut retry_after = Vec::new();
    for thread in threads {
        let (statuses, r) = thread.join().unwrap();
        taken += statuses.iter().filter(|s| **s == 200).count() as u64;
        limited += statuses.iter().filter(|s| **s == 429).count();
        retry_after.extend(r);
        assert!(statuses.iter().all(|s| *s == 200 || *s == 429), "{statuses:?}");
    }
    assert!(limited >= 150, "200 votes at once against a burst of 20: only {limited} were refused");
    assert!(taken >= 20, "the burst is taken: {taken}");
    assert_eq!(retry_after.len(), limited, "every 429 says when to come back");
    assert_eq!(counter.get("/health").0, 200, "health checks are not rate limited");
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(counter.counts("news/story-0")["Happy"], json!(taken), "counted exactly the votes taken");
}

#[test]
fn bad_requests_are_refused_and_change_nothing() {
    let site = counted_site(1);
    let dir = tempfile::tempdir().unwrap();
    let counter = Counter::start(&site_dir(&site), &dir.path().join("r.sqlite"), &[]);
    let agent = Counter::agent();
    let ok = |over: Value| {
        let mut vote = json!({"id": "news/story-0", "reaction": "Happy", "previous": null, "reader": token(7)});
        for (k, v) in over.as_object().unwrap() {
            vote[k] = v.clone();
        }
        vote.to_string()
    };
    let sql = "x'); DROP TABLE counts; --";
    let cases: Vec<(&str, String, Option<&str>, u16)> = vec![
        ("unknown article", ok(json!({"id": "news/no-such-story"})), Some(ORIGIN), 400),
        ("unknown label", ok(json!({"reaction": "Furious"})), Some(ORIGIN), 400),
        ("SQL as the article", ok(json!({"id": sql})), Some(ORIGIN), 400),
        ("SQL as the label", ok(json!({"reaction": sql})), Some(ORIGIN), 400),
        ("SQL as previous", ok(json!({"previous": sql})), Some(ORIGIN), 400),
        ("SQL as the reader", ok(json!({"reader": sql})), Some(ORIGIN), 400),
        ("a previous never chosen", ok(json!({"previous": "Silly"})), Some(ORIGIN), 409),
        ("no reader token", ok(json!({"reader": null})), Some(ORIGIN), 400),
        ("a short reader token", ok(json!({"reader": "abc"})), Some(ORIGIN), 400),
        ("malformed JSON", "{\"id\": \"news/story-0\", \"reaction\": ".into(), Some(ORIGIN), 400),
        ("a number for the label", ok(json!({"reaction": 3})), Some(ORIGIN), 400),
        ("another site's origin", ok(json!({})), Some("https://evil.example"), 403),
        ("a null origin", ok(json!({})), Some("null"), 403),
    ];
    for (what, body, origin, want) in cases {
        let (status, answer) = post_json(&agent, &counter.url, &body, origin);
        assert_eq!(status, want, "{what}: {answer}");
        assert!(answer["error"].as_str().is_some_and(|e| !e.is_empty()), "{what}: a JSON error: {answer}");
    }
    // A 1 MB body is refused from its length alone, before it is read.
    let address = counter.url.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    let head = format!(
        "POST / HTTP/1.1\r\nHost: {address}\r\nOrigin: {ORIGIN}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        1 << 20
    );
    std::io::Write::write_all(&mut stream, head.as_bytes()).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut answer = Vec::new();
    let mut buf = [0; 4096];
    while let Ok(n @ 1..) = std::io::Read::read(&mut stream, &mut buf) {
        answer.extend_from_slice(&buf[..n]);
        if answer.ends_with(b"}") {
            break;
        }
    }
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains("\"error\""), "{answer}");
    let plain = agent
        .post(format!("{}/", counter.url))
        .header("Content-Type", "text/plain")
        .header("Origin", ORIGIN)
        .send("hi")
        .unwrap();
    assert_eq!(plain.status().as_u16(), 415);
    assert_eq!(counter.get("/").0, 400, "counts need an id");
    assert_eq!(counter.get("/?id=news/nope").0, 400);
    assert_eq!(counter.get(&format!("/?id={}", "%27%3B%20DROP%20TABLE%20votes%3B")).0, 400);
    let delete = agent.delete(format!("{}/", counter.url)).call().unwrap();
    assert_eq!(delete.status().as_u16(), 405);
    assert_eq!(counter.counts("news/story-0"), all_zero(), "nothing was counted");
    // The same vote, well formed, still counts: nothing was broken.
    assert_eq!(counter.vote(serde_json::from_str(&ok(json!({}))).unwrap()).0, 200);
    assert_eq!(counter.counts("news/story-0")["Happy"], json!(1));
}

#[test]
fn the_counter_answers_browsers_of_the_site_only() {
    let site = counted_site(1);
    let dir = tempfile::tempdir().unwrap();
    let counter = Counter::start(&site_dir(&site), &dir.path().join("r.sqlite"), &[]);
    let agent = Counter::agent();
    let preflight = |origin: &str| {
        agent
            .options(format!("{}/", counter.url))
            .header("Origin", origin)
            .header("Access-Control-Request-Method", "POST")
            .header("Access-Control-Request-Headers", "content-type")
            .call()
            .unwrap()
    };
    let allowed = preflight(ORIGIN);
    assert_eq!(allowed.headers().get("access-control-allow-origin").unwrap(), ORIGIN);
    assert!(preflight("https://evil.example").headers().get("access-control-allow-origin").is_none());
    let get = agent.get(format!("{}/?id=news/story-0", counter.url)).header("Origin", ORIGIN).call().unwrap();
    let headers = get.headers();
    assert_eq!(headers.get("access-control-allow-origin").unwrap(), ORIGIN);
    assert_eq!(headers.get("x-content-type-options").unwrap(), "nosniff");
    assert!(headers.get("content-security-policy").unwrap().to_str().unwrap().contains("default-src 'none'"));
    assert!(headers.get("set-cookie").is_none(), "reading counts sets no cookie");

    // An explicit --origin replaces the site's own.
    drop(counter);
    let counter =
        Counter::start(&site_dir(&site), &dir.path().join("r.sqlite"), &["--origin", "https://user.github.io"]);
    // A new client: the old one may hold a pooled connection to the stopped
    // counter's port, which the system is free to give the new one.
    let agent = Counter::agent();
    let body = json!({"id": "news/story-0", "reaction": "Happy", "reader": token(1)}).to_string();
    let mut refused = agent
        .post(format!("{}/", counter.url))
        .header("Content-Type", "application/json")
        .header("Origin", ORIGIN)
        .send(&body)
        .unwrap();
    assert_eq!(refused.status().as_u16(), 403);
    assert_eq!(refused.headers().get("connection").unwrap(), "close", "refused unread: the connection is not reused");
    assert!(refused.body_mut().read_to_string().unwrap().contains("not accepted"));
    assert_eq!(post_json(&agent, &counter.url, &body, Some("https://user.github.io")).0, 200);
}

#[test]
fn the_form_without_javascript_votes_and_goes_back_to_the_article() {
    let site = counted_site(1);
    let dir = tempfile::tempdir().unwrap();
    let counter = Counter::start(&site_dir(&site), &dir.path().join("r.sqlite"), &[]);
    let agent = Counter::agent();
    let form = |reaction: &str, cookie: Option<&str>| {
        let mut request = agent
            .post(format!("{}/", counter.url))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Origin", ORIGIN);
        if let Some(cookie) = cookie {
            request = request.header("Cookie", cookie);
        }
        request.send(format!("id=news%2Fstory-0&reaction={}", reaction.replace(' ', "+"))).unwrap()
    };
    let first = form("In Love", None);
    assert_eq!(first.status().as_u16(), 303);
    assert_eq!(first.headers().get("location").unwrap(), "https://news.example/news/story-0/#reactions-heading");
    let cookie = first.headers().get("set-cookie").unwrap().to_str().unwrap().to_string();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=None") && cookie.contains("Secure"), "{cookie}");
    let pair = cookie.split(';').next().unwrap().to_string();
    assert_eq!(counter.counts("news/story-0")["In Love"], json!(1));
    // The same reader, by their cookie, changes their reaction.
    let second = form("Not Sure", Some(&pair));
    assert_eq!(second.status().as_u16(), 303);
    assert!(second.headers().get("set-cookie").is_none(), "the cookie is kept, not replaced");
    let counts = counter.counts("news/story-0");
    assert_eq!((counts["In Love"].clone(), counts["Not Sure"].clone()), (json!(0), json!(1)));
    // The database holds no address and no token.
    let dump = std::fs::read(&counter.db).unwrap();
    let token = pair.split('=').nth(1).unwrap();
    assert!(!dump.windows(token.len()).any(|w| w == token.as_bytes()), "the token is stored only hashed");
    assert!(!dump.windows(9).any(|w| w == b"127.0.0.1"));
}

#[test]
fn the_counter_reads_the_site_again_on_sighup_and_by_address() {
    let site = counted_site(1);
    let dir = tempfile::tempdir().unwrap();
    let counter = Counter::start(&site_dir(&site), &dir.path().join("r.sqlite"), &["--log-every", "1"]);
    assert_eq!(counter.get("/?id=news/late-story").0, 400);
    let site =
        site.file("content/news/late-story.md", "+++\ntitle = \"Late\"\ndate = 2026-02-01T10:00:00Z\n+++\n\nText.\n");
    site.build();
    Command::new("kill").args(["-HUP", &counter.pid().to_string()]).status().unwrap();
    let started = Instant::now();
    while counter.get("/?id=news/late-story").0 != 200 {
        assert!(started.elapsed() < Duration::from_secs(10), "the new article was not taken after SIGHUP");
        std::thread::sleep(Duration::from_millis(100));
    }
    // The log: a line a second with totals, never one per request.
    let before = counter.lines.lock().unwrap().len();
    let started = Instant::now();
    for n in 0..50 {
        counter.vote(json!({"id": "news/late-story", "reaction": "Happy", "reader": token(n)}));
    }
    std::thread::sleep(Duration::from_millis(2500));
    let seconds = started.elapsed().as_secs() as usize;
    let lines: Vec<String> = counter.lines.lock().unwrap()[before..].to_vec();
    let totals: Vec<&String> = lines.iter().filter(|l| l.contains(" in all")).collect();
    assert!((1..=seconds + 1).contains(&totals.len()), "{seconds} s: {lines:#?}");
    assert_eq!(totals.len(), lines.len(), "only totals lines: {lines:#?}");
    assert!(totals.iter().any(|l| l.contains("50 votes on 1 articles in all")), "{lines:#?}");

    // --site as an address: the articles file is read over HTTP.
    let Some(server) = crate::static_server::StaticServer::start(&site.output(), "the counter reads a site by address")
    else {
        return;
    };
    let by_address = Counter::start(&format!("{}/", server.base), &dir.path().join("other.sqlite"), &[]);
    assert_eq!(by_address.get("/health").1["articles"], json!(2));
}

#[test]
fn the_counter_refuses_to_start_without_a_built_site_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_broadsheet"))
        .args(["reactions", "serve", "--db"])
        .arg(dir.path().join("r.sqlite"))
        .args(["--site"])
        .arg(dir.path())
        .args(["--port", "0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("_reactions/articles.json") && stderr.contains("reactions on"), "{stderr}");
    let site = counted_site(1);
    std::fs::write(site.output().join("_reactions/articles.json"), "{\"version\": 1,\n \"labels\": 3}").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_broadsheet"))
        .args(["reactions", "serve", "--port", "0", "--db"])
        .arg(dir.path().join("r.sqlite"))
        .args(["--site", &site_dir(&site)])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("articles.json:2:"), "line and column: {stderr}");
}

#[test]
fn counts_export_and_import_through_the_command_line() {
    let site = counted_site(2);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite");
    let counter = Counter::start(&site_dir(&site), &db, &[]);
    for (n, reaction) in ["Happy", "Happy", "Silly"].iter().enumerate() {
        counter.vote(json!({"id": "news/story-1", "reaction": reaction, "reader": token(n)}));
    }
    let run = |args: &[&str], stdin: Option<&Path>| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_broadsheet"));
        command.args(["reactions"]).args(args);
        if let Some(file) = stdin {
            command.stdin(std::fs::File::open(file).unwrap());
        }
        command.output().unwrap()
    };
    // Exported while the service runs (WAL: readers do not stop it).
    let export = run(&["export", "--db", db.to_str().unwrap()], None);
    assert!(export.status.success(), "{}", String::from_utf8_lossy(&export.stderr));
    let data: Value = serde_json::from_slice(&export.stdout).unwrap();
    assert_eq!(data["counts"]["news/story-1"], json!({"Happy": 2, "Silly": 1}));
    assert_eq!(data["votes"].as_array().unwrap().len(), 3);
    let file = dir.path().join("counts.json");
    std::fs::write(&file, &export.stdout).unwrap();
    let other = dir.path().join("moved.sqlite");
    let import = run(&["import", "--db", other.to_str().unwrap()], Some(&file));
    assert!(import.status.success(), "{}", String::from_utf8_lossy(&import.stderr));
    let moved = Counter::start(&site_dir(&site), &other, &[]);
    assert_eq!(moved.counts("news/story-1"), counter.counts("news/story-1"));
    assert_eq!(run(&["export", "--db", dir.path().join("none.sqlite").to_str().unwrap()], None).status.code(), Some(2));
}

/// The counter in this process, with [`Limits`] a test chooses (the
/// command line keeps the defaults); stopped when dropped.
struct InProcess {
    addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl InProcess {
    fn start(site: &str, db: &Path, limits: Limits) -> InProcess {
        let options = server::Options {
            db: db.to_path_buf(),
            site: site.to_string(),
            bind: [127, 0, 0, 1].into(),
            port: 0,
            origins: Vec::new(),
            refresh: None,
            rate: NonZeroU32::new(100).unwrap(),
            burst: NonZeroU32::new(100).unwrap(),
            behind_proxy: false,
            log_every: Duration::from_secs(3600),
        };
        let (ready, address) = std::sync::mpsc::channel();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Runtime::new().unwrap();
            let shutdown = async {
                let _ = stopped.await;
            };
            runtime.block_on(server::serve(options, limits, move |a| ready.send(a).unwrap(), shutdown)).unwrap();
        });
        let addr = address.recv_timeout(Duration::from_secs(30)).expect("the counter did not start");
        InProcess { addr, stop: Some(stop), thread: Some(thread) }
    }
}

impl Drop for InProcess {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Room for a thousand sockets in this process, whatever it was given.
fn raise_own_open_files() {
    let limit = rlimit::increase_nofile_limit(8192).unwrap();
    assert!(limit >= 4096, "this test needs 4,096 open files; the hard limit is {limit}");
}

/// A connection to the counter from another loopback address: the socket
/// is bound to `source` before it connects (Linux routes all of
/// 127.0.0.0/8 to the loopback interface).
fn connect_from(source: [u8; 4], url: &str) -> TcpStream {
    let to: SocketAddr = url.trim_start_matches("http://").parse().unwrap();
    let socket = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).unwrap();
    socket.bind(&SocketAddr::from((source, 0)).into()).unwrap();
    socket.connect_timeout(&to.into(), Duration::from_secs(5)).unwrap();
    socket.into()
}

/// Whether the server has closed this connection (the next read is the
/// end of the stream), without waiting.
fn closed_by_server(stream: &TcpStream) -> bool {
    stream.set_nonblocking(true).unwrap();
    let read = (&*stream).read(&mut [0; 256]);
    stream.set_nonblocking(false).unwrap();
    match read {
        Ok(0) => true,
        Ok(_) => false,
        Err(e) => e.kind() != std::io::ErrorKind::WouldBlock,
    }
}

/// Waits (5 s at most) until no more than `most` of `streams` are still
/// open, and answers how many are.
fn settle_at_most(streams: &[TcpStream], most: usize) -> usize {
    let started = Instant::now();
    loop {
        let open = streams.iter().filter(|s| !closed_by_server(s)).count();
        if open <= most || started.elapsed() > Duration::from_secs(5) {
            return open;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// `GET /health` from 127.0.0.1 by a new client with a one-second timeout:
/// how long it took and the body, or why it failed.
fn health_within_a_second(url: &str) -> (Duration, Result<Value, String>) {
    let agent: ureq::Agent = ureq::Agent::config_builder().timeout_global(Some(Duration::from_secs(1))).build().into();
    let started = Instant::now();
    let answer = agent.get(format!("{url}/health")).call().map_err(|e| e.to_string());
    let body = answer.and_then(|mut r| r.body_mut().read_json::<Value>().map_err(|e| e.to_string()));
    (started.elapsed(), body)
}

#[test]
fn eleven_hundred_idle_connections_from_one_address_leave_the_counter_answering() {
    raise_own_open_files();
    let site = counted_site(1);
    let dir = tempfile::tempdir().unwrap();
    // The open-file limit the attack was measured under: systemd's default.
    let counter = Counter::start_with(&site_dir(&site), &dir.path().join("r.sqlite"), 0, &[], Some(1024));
    let lines = counter.lines.lock().unwrap().join("\n");
    assert!(lines.contains("open-file limit 1024; at most 896 connections, 64 from one address"), "{lines}");

    let held: Vec<TcpStream> = (0..1100).map(|_| connect_from([127, 0, 0, 2], &counter.url)).collect();
    assert_eq!(settle_at_most(&held, 64), 64, "one address holds 64 connections; the others are closed at once");
    let (took, health) = health_within_a_second(&counter.url);
    let health = health.unwrap_or_else(|e| panic!("/health failed after {took:?} with 1,100 connections held: {e}"));
    assert!(took < Duration::from_secs(1), "/health took {took:?}");
    assert_eq!(health["open_files"], json!(1024));
    assert_eq!(health["connections"]["max"], json!(896));
    assert_eq!(health["connections"]["per_address"], json!(64));
    assert!(health["connections"]["open"].as_u64().unwrap() >= 65, "{health}");
    // Readers elsewhere still vote.
    let vote = json!({"id": "news/story-0", "reaction": "Happy", "previous": null, "reader": token(1)});
    assert_eq!(counter.vote(vote).0, 200);
    drop(held);
}

#[test]
fn connections_past_the_open_file_limit_are_closed_at_once_and_the_counter_recovers() {
    raise_own_open_files();
    let site = counted_site(1);
    let dir = tempfile::tempdir().unwrap();
    let counter = Counter::start_with(&site_dir(&site), &dir.path().join("r.sqlite"), 0, &[], Some(1024));
    // 20 addresses, 50 connections each: under the cap per address, over
    // the 896 the open files leave room for.
    let held: Vec<TcpStream> = (2..22)
        .flat_map(|last| (0..50).map(move |_| [127, 0, 0, last]))
        .map(|a| connect_from(a, &counter.url))
        .collect();
    assert_eq!(settle_at_most(&held, 896), 896, "the counter holds what its open files allow, and no more");
    // One more, from anywhere, is closed at once: not left in the queue.
    let extra = connect_from([127, 0, 0, 1], &counter.url);
    assert_eq!(settle_at_most(std::slice::from_ref(&extra), 0), 0, "a connection over the cap was left waiting");
    let fds = std::fs::read_dir(format!("/proc/{}/fd", counter.pid())).unwrap().count();
    assert!(fds < 1000, "the counter has {fds} files open under a limit of 1,024");
    // The holders go: the counter answers again at once.
    drop(held);
    let started = Instant::now();
    loop {
        let (took, health) = health_within_a_second(&counter.url);
        if health.is_ok() && took < Duration::from_secs(1) {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(3), "not answering after the holders left: {health:?}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Reads until the server closes the connection (5 s at most): what it
/// sent and when it closed, from `since`.
fn read_until_closed(stream: &mut TcpStream, since: Instant) -> (Duration, String) {
    stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut answer = Vec::new();
    let mut buf = [0; 4096];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => return (since.elapsed(), String::from_utf8_lossy(&answer).into_owned()),
            Ok(n) => answer.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => {
                return (since.elapsed(), String::from_utf8_lossy(&answer).into_owned());
            }
            Err(e) => {
                panic!("not closed after {:?} ({e}); sent: {}", since.elapsed(), String::from_utf8_lossy(&answer))
            }
        }
    }
}

#[test]
fn half_sent_requests_and_idle_connections_are_closed_after_the_timeouts() {
    let site = counted_site(1);
    let dir = tempfile::tempdir().unwrap();
    let limits =
        Limits { header_timeout: Duration::from_secs(1), body_timeout: Duration::from_secs(1), ..Limits::default() };
    let counter = InProcess::start(&site_dir(&site), &dir.path().join("r.sqlite"), limits);
    let within = |took: Duration| took >= Duration::from_millis(900) && took < Duration::from_secs(3);

    // Headers never finished.
    let mut stream = TcpStream::connect(counter.addr).unwrap();
    let sent = Instant::now();
    stream.write_all(b"GET /health HTTP/1.1\r\nHost: counter\r\nX-Slow: ").unwrap();
    let (took, answer) = read_until_closed(&mut stream, sent);
    assert!(within(took) && answer.is_empty(), "closed after {took:?}, having sent {answer:?}");

    // A connection that never sends anything.
    let mut stream = TcpStream::connect(counter.addr).unwrap();
    let (took, _) = read_until_closed(&mut stream, Instant::now());
    assert!(within(took), "a silent connection closed after {took:?}");

    // Kept alive after an answer, then idle.
    let mut stream = TcpStream::connect(counter.addr).unwrap();
    stream.write_all(b"GET /health HTTP/1.1\r\nHost: counter\r\n\r\n").unwrap();
    let sent = Instant::now();
    let (took, answer) = read_until_closed(&mut stream, sent);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(within(took), "an idle keep-alive connection closed after {took:?}");

    // Headers too large to be a vote's: 431 at once.
    let mut stream = TcpStream::connect(counter.addr).unwrap();
    let big = format!("GET /health HTTP/1.1\r\nHost: counter\r\nX-Big: {}\r\n\r\n", "a".repeat(20_000));
    let _ = stream.write_all(big.as_bytes());
    let (took, answer) = read_until_closed(&mut stream, Instant::now());
    assert!(answer.starts_with("HTTP/1.1 431") && took < Duration::from_millis(900), "{took:?}: {answer}");

    // A vote whose body stops half-way: 408, and the connection closed.
    let mut stream = TcpStream::connect(counter.addr).unwrap();
    let head = format!(
        "POST / HTTP/1.1\r\nHost: counter\r\nOrigin: {ORIGIN}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{{\"id\": "
    );
    stream.write_all(head.as_bytes()).unwrap();
    let sent = Instant::now();
    let (took, answer) = read_until_closed(&mut stream, sent);
    assert!(answer.starts_with("HTTP/1.1 408") && answer.contains("did not arrive"), "{answer}");
    assert!(within(took), "a half-sent body answered after {took:?}");
}

#[test]
fn a_vote_must_say_it_comes_from_the_site() {
    let site = counted_site(1);
    let dir = tempfile::tempdir().unwrap();
    let counter = Counter::start(&site_dir(&site), &dir.path().join("r.sqlite"), &[]);
    let agent = Counter::agent();
    let vote = json!({"id": "news/story-0", "reaction": "Happy", "previous": null, "reader": token(1)}).to_string();
    // A script's vote without Origin: refused, with a reason.
    let (status, answer) = post_json(&agent, &counter.url, &vote, None);
    assert_eq!(status, 403, "{answer}");
    assert!(answer["error"].as_str().unwrap().contains("no Origin header"), "{answer}");
    // A page address in Referer stands in for Origin on the form only.
    let referred = agent
        .post(format!("{}/", counter.url))
        .header("Content-Type", "application/json")
        .header("Referer", "https://news.example/news/story-0/")
        .send(&vote)
        .unwrap();
    assert_eq!(referred.status().as_u16(), 403);
    assert_eq!(counter.counts("news/story-0"), all_zero(), "nothing counted");
    // From the site's pages it counts.
    assert_eq!(post_json(&agent, &counter.url, &vote, Some(ORIGIN)).0, 200);

    // The form without JavaScript, from a browser that sends no Origin but
    // says which page it was on.
    let form = |referer: Option<&str>| {
        let mut request =
            agent.post(format!("{}/", counter.url)).header("Content-Type", "application/x-www-form-urlencoded");
        if let Some(referer) = referer {
            request = request.header("Referer", referer);
        }
        request.send("id=news%2Fstory-0&reaction=Silly").unwrap().status().as_u16()
    };
    assert_eq!(form(Some("https://news.example/news/story-0/")), 303);
    assert_eq!(form(Some("https://evil.example/news/story-0/")), 403);
    assert_eq!(form(Some("not an address")), 403);
    assert_eq!(form(None), 403);
    let counts = counter.counts("news/story-0");
    assert_eq!((counts["Happy"].clone(), counts["Silly"].clone()), (json!(1), json!(1)), "counted exactly twice");
}

/// The reader ids stored for an article.
fn stored_readers(db: &Path, article: &str) -> Vec<Vec<u8>> {
    let conn = rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    let mut stmt = conn.prepare("SELECT reader FROM votes WHERE article = ?1").unwrap();
    stmt.query_map([article], |row| row.get(0)).unwrap().map(Result::unwrap).collect()
}

#[test]
fn one_readers_votes_on_two_articles_cannot_be_linked_in_the_database() {
    let site = counted_site(2);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite");
    let counter = Counter::start(&site_dir(&site), &db, &[]);
    for (article, reaction) in [("news/story-0", "Happy"), ("news/story-1", "Silly")] {
        let vote = json!({"id": article, "reaction": reaction, "previous": null, "reader": token(1)});
        assert_eq!(counter.vote(vote).0, 200);
    }
    // The reader is still one reader on each article: they change their vote.
    let change = json!({"id": "news/story-0", "reaction": "Excited", "previous": "Happy", "reader": token(1)});
    let (status, counts) = counter.vote(change);
    assert_eq!((status, counts["Happy"].clone(), counts["Excited"].clone()), (200, json!(0), json!(1)));
    assert!(counter.stop().success());
    let (zero, one) = (stored_readers(&db, "news/story-0"), stored_readers(&db, "news/story-1"));
    assert_eq!((zero.len(), one.len()), (1, 1));
    assert_ne!(zero[0], one[0], "the same reader id on two articles");
    let token_hash = blake3::hash(token(1).as_bytes()).as_bytes()[..16].to_vec();
    assert!(zero[0] != token_hash && one[0] != token_hash, "stored as the token's hash, the same on every article");
}

#[test]
fn a_database_from_before_per_article_readers_keeps_every_vote() {
    let site = counted_site(2);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("old.sqlite");
    {
        // As the counter wrote it before: readers by their token's hash.
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute_batch(
            "CREATE TABLE votes (article TEXT NOT NULL, reader BLOB NOT NULL, reaction TEXT NOT NULL,
                 PRIMARY KEY (article, reader)) WITHOUT ROWID;
             CREATE TABLE counts (article TEXT NOT NULL, reaction TEXT NOT NULL, n INTEGER NOT NULL CHECK (n >= 0),
                 PRIMARY KEY (article, reaction)) WITHOUT ROWID;
             INSERT INTO counts VALUES ('news/story-0', 'Happy', 2), ('news/story-1', 'Silly', 1);",
        )
        .unwrap();
        for (article, n, reaction) in
            [("news/story-0", 1, "Happy"), ("news/story-0", 2, "Happy"), ("news/story-1", 1, "Silly")]
        {
            let reader = blake3::hash(token(n).as_bytes()).as_bytes()[..16].to_vec();
            conn.execute("INSERT INTO votes VALUES (?1, ?2, ?3)", rusqlite::params![article, reader, reaction])
                .unwrap();
        }
    }
    let counter = Counter::start(&site_dir(&site), &db, &[]);
    assert_eq!(counter.counts("news/story-0")["Happy"], json!(2));
    assert_eq!(counter.counts("news/story-1")["Silly"], json!(1));
    // Reader 1 changes their vote: recognised (no 409), moved (not added).
    let change = json!({"id": "news/story-0", "reaction": "Silly", "previous": "Happy", "reader": token(1)});
    let (status, counts) = counter.vote(change);
    assert_eq!(status, 200, "{counts}");
    assert_eq!((counts["Happy"].clone(), counts["Silly"].clone()), (json!(1), json!(1)));
    assert!(counter.stop().success());
    let (zero, one) = (stored_readers(&db, "news/story-0"), stored_readers(&db, "news/story-1"));
    assert_eq!((zero.len(), one.len()), (2, 1));
    assert!(zero.iter().all(|r| !one.contains(r)), "reader 1 is linkable across articles");
}
