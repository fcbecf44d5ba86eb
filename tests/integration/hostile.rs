//! Hostile and broken input (tests/fixtures/hostile/): each file gives a
//! clear error naming file, line and column, or a documented safe outcome;
//! never a panic, never a write outside the output folder, and a failed
//! build leaves the previous output byte for byte as it was.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::harness::{Built, CliRun, SiteTest, repo, snapshot_tree};
use crate::serve::Server;

/// The basic fixture (without search: these tests are about loading) with
/// `files` (fixture names) dropped into content/world/.
fn with_files(files: &[&str]) -> SiteTest {
    let test = SiteTest::fixture("basic");
    let config = test.root().join("site.toml");
    let text = std::fs::read_to_string(&config).unwrap() + "\n[search]\nenabled = false\n";
    std::fs::write(&config, text).unwrap();
    for name in files {
        let from = repo().join("tests/fixtures/hostile").join(name);
        std::fs::copy(&from, test.root().join("content/world").join(name)).unwrap();
    }
    test
}

/// The site with `files`, built once without them, then with them by the
/// real binary; and whether the first output is intact afterwards.
fn drop_in(files: &[&str]) -> (SiteTest, CliRun, bool) {
    let test = with_files(&[]);
    test.build().report();
    let before = snapshot_tree(&test.output());
    for name in files {
        std::fs::copy(repo().join("tests/fixtures/hostile").join(name), test.root().join("content/world").join(name))
            .unwrap();
    }
    let run = test.cli(&["build"]);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    let intact = before == snapshot_tree(&test.output());
    (test, run, intact)
}

/// The file is refused with exactly these diagnostics; the output is intact.
fn check_refused(name: &str, expected: &[&str]) {
    let (_, run, intact) = drop_in(&[name]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    let lines: Vec<&str> = run.stderr.lines().filter(|l| !l.starts_with("error: the site has")).collect();
    assert_eq!(lines, expected);
    assert!(intact, "the previous output changed");
}

/// The file builds (once, with the library: the binary's printing is
/// covered by the refused cases); returns the site and its build.
fn check_accepted(name: &str) -> (SiteTest, Built) {
    let test = with_files(&[name]);
    let built = test.build();
    built.report();
    (test, built)
}

/// The warnings of a build, as the binary prints them.
fn warnings(built: &Built) -> String {
    built.report().warnings.iter().map(|w| format!("{w}\n")).collect()
}

#[test]
fn unterminated_front_matter() {
    check_refused(
        "unterminated.md",
        &[
            "content/world/unterminated.md:1:1: error: front matter opened with `+++` on line 1 is never closed: expected a line with only `+++`",
        ],
    );
}

#[test]
fn valid_toml_of_the_wrong_types() {
    check_refused(
        "wrong-types.md",
        &["content/world/wrong-types.md:5:9: error: draft: expected true or false, found \"yes\""],
    );
}

#[test]
fn yaml_alias_bomb_is_refused_quickly() {
    let started = Instant::now();
    let (_, run, intact) = drop_in(&["yaml-bomb.md"]);
    assert_eq!(run.code, Some(1));
    assert!(run.stderr.starts_with("content/world/yaml-bomb.md:"), "{}", run.stderr);
    assert!(run.stderr.contains("error: the YAML expands to far too much data"), "{}", run.stderr);
    assert!(intact);
    assert!(started.elapsed() < Duration::from_secs(30), "not a hang");
}

#[test]
fn deeply_nested_yaml() {
    let (_, run, intact) = drop_in(&["yaml-deep.md"]);
    assert_eq!(run.code, Some(1));
    assert!(run.stderr.starts_with("content/world/yaml-deep.md:4:"), "{}", run.stderr);
    assert!(run.stderr.contains("error: the YAML is nested too deeply"), "{}", run.stderr);
    assert!(intact);
}

#[test]
fn a_date_that_does_not_exist() {
    check_refused(
        "bad-date.md",
        &[
            "content/world/bad-date.md:3:8: error: date: `2025-02-30` is not a valid date: expected a date such as 2026-10-14, \"2026-10-14 09:30\" or 2026-10-14T09:30:00-04:00",
        ],
    );
}

#[test]
fn invalid_utf8() {
    check_refused(
        "invalid-utf8.md",
        &[
            "content/world/invalid-utf8.md:2:13: error: file is not valid UTF-8: expected UTF-8 text (re-save the file as UTF-8)",
        ],
    );
}

#[test]
fn an_empty_file() {
    check_refused(
        "empty.md",
        &[
            "content/world/empty.md:1:1: error: expected front matter: the file must start with a `+++` line (TOML) or a `---` line (YAML)",
        ],
    );
}

#[test]
fn a_byte_order_mark_is_ignored() {
    let (_, built) = check_accepted("bom.md");
    let page = built.page("world/bom/");
    assert_eq!(page.text("h1"), "Starts with a BOM");
}

#[test]
fn crlf_line_endings_work() {
    let (_, built) = check_accepted("crlf.md");
    let page = built.page("world/crlf/");
    assert_eq!(page.text("h1"), "Windows line endings");
    assert_eq!(page.attr(".story-body h2", "id"), "a-heading");
    assert_eq!(page.texts(".tags a"), ["crlf"]);
}

#[test]
fn slugs_that_try_to_leave_the_folder_are_made_safe_and_said_so() {
    let (test, built) = check_accepted("slug-traversal.md");
    let printed = warnings(&built);
    assert!(
        printed.contains("content/world/slug-traversal.md:4:8: warning: slug `../../etc/passwd` was made URL-safe: the article is at /world/etc-passwd/"),
        "{printed}"
    );
    assert!(test.output().join("world/etc-passwd/index.html").is_file());
    assert!(!test.root().join("etc").exists() && !test.root().parent().unwrap().join("etc").exists());
    let (test, built) = check_accepted("slug-windows.md");
    let printed = warnings(&built);
    assert!(printed.contains("was made URL-safe: the article is at /world/c-windows-system32/"), "{printed}");
    assert!(test.output().join("world/c-windows-system32/index.html").is_file());
}

#[test]
fn aliases_that_try_to_leave_the_folder_are_rejected() {
    check_refused(
        "alias-traversal.md",
        &[
            "content/world/alias-traversal.md:4:11: error: alias `/%2e%2e/%2e%2e/outside/` rejected: `.` and `..` segments would leave the output folder",
            "content/world/alias-traversal.md:4:11: error: alias `/../../outside/` rejected: `.` and `..` segments would leave the output folder",
            "content/world/alias-traversal.md:4:11: error: alias `/a\0b/` rejected: expected a path such as `/2024/old-story/` (no `\\`, `:`, `?`, `#` or NUL)",
            "content/world/alias-traversal.md:4:11: error: alias `C:\\temp\\x` rejected: expected a path such as `/2024/old-story/` (no `\\`, `:`, `?`, `#` or NUL)",
        ],
    );
}

#[test]
fn an_alias_that_claims_an_articles_url() {
    let test = SiteTest::fixture("basic").file(
        "content/world/mover.md",
        "+++\ntitle = \"Mover\"\ndate = 2026-01-01\naliases = [\"/world/quake/\"]\n+++\n",
    );
    assert_eq!(
        test.build().errors(),
        [
            "content/world/mover.md:4:1: error: URL /world/quake/ is claimed twice: by content/world/quake/index.md and by an alias in content/world/mover.md"
        ]
    );
}

#[test]
fn tags_that_slugify_to_nothing() {
    check_refused(
        "empty-tag.md",
        &[
            "content/world/empty-tag.md:4:8: error: tag `!!!` has no letters or digits to make a URL from",
            "content/world/empty-tag.md:4:8: error: tag `<>` has no letters or digits to make a URL from",
        ],
    );
}

#[cfg(unix)]
#[test]
fn symlinks_are_not_followed_out_of_the_site() {
    use std::os::unix::fs::symlink;
    let test = SiteTest::fixture("basic");
    let outside = test.root().parent().unwrap().join("secret.md");
    std::fs::write(&outside, "+++\ntitle = \"Secret\"\ndate = 2026-01-01\n+++\nPrivate.\n").unwrap();
    symlink(&outside, test.root().join("content/world/secret.md")).unwrap();
    symlink("..", test.root().join("content/world/loop")).unwrap();
    symlink("/etc", test.root().join("static/etc")).unwrap();
    let run = test.cli(&["build"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.stderr.contains("content/world/secret.md:1:1: warning: symbolic link not followed"), "{}", run.stderr);
    assert!(run.stderr.contains("content/world/loop:1:1: warning: symbolic link not followed"), "{}", run.stderr);
    assert!(run.stderr.contains("static/etc:1:1: warning: symbolic link not copied"), "{}", run.stderr);
    assert!(!test.output().join("world/secret/index.html").exists());
    assert!(!test.output().join("etc").exists());
}

/// Every HTML and XML file of the output, as text.
fn output_texts(test: &SiteTest) -> Vec<(String, String)> {
    snapshot_tree(&test.output())
        .into_iter()
        .filter(|(p, _)| p.extension().is_some_and(|e| e == "html" || e == "xml"))
        .map(|(p, bytes)| (p.display().to_string(), String::from_utf8(bytes).unwrap()))
        .collect()
}

#[test]
fn html_quotes_and_emoji_are_escaped_everywhere() {
    let (test, built) = check_accepted("escaping.md");
    let page = built.page("world/escaping/");
    // As written, with the typography bodies get (curly quotes).
    let title = "<script>alert(“title”)</script> & “quotes” 🚀";
    assert_eq!(page.text("h1"), title);
    assert_eq!(page.attr("meta[property='og:title']", "content"), title);
    assert_eq!(page.attr(".hero img", "alt"), "\" onload=\"alert(1)");
    assert_eq!(page.texts(".byline a"), ["<b>Bold</b> & \"Co\""]);
    assert_eq!(page.text(".story-body .dateline"), "<b>PARIS</b> —");
    let ld: serde_json::Value = serde_json::from_str(&page.texts("script[type='application/ld+json']")[0]).unwrap();
    assert_eq!(ld[0]["headline"], title);
    for (file, text) in output_texts(&test) {
        for raw in [
            "<script>alert(\"title\")",
            "<img src=x onerror",
            "<b>Bold</b>",
            "<i>tag</i>",
            "<script>cap",
            "<em>Wire</em>",
        ] {
            assert!(!text.contains(raw), "{file} carries {raw:?} unescaped");
        }
    }
    let feed: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(test.output().join("feed.json")).unwrap()).unwrap();
    assert_eq!(feed["items"][0]["title"], title);
}

#[test]
fn raw_html_is_kept_by_default_and_stripped_when_unsafe_html_is_off() {
    let (test, built) = check_accepted("raw-html.md");
    let kept = built.page("world/raw-html/").html.html();
    assert!(kept.contains("<script>alert(\"raw\")</script>") && kept.contains("<iframe"), "embeds are kept");
    let config = std::fs::read_to_string(test.root().join("site.toml")).unwrap();
    std::fs::write(test.root().join("site.toml"), format!("unsafe_html = false\n{config}")).unwrap();
    let page = test.build().page("world/raw-html/");
    let body = page.html.html();
    assert!(!body.contains("alert(\"raw\")") && !body.contains("<iframe") && !body.contains("onclick"), "{body}");
    assert!(!body.contains("javascript:alert"), "{body}");
    assert!(page.text(".story-body").contains("Before."), "the story itself stays");
}

#[test]
fn a_template_that_includes_itself_is_an_error_not_a_hang() {
    let test = SiteTest::fixture("basic").file("templates/loop.html", "{% include \"loop.html\" %}").file(
        "templates/article.html",
        "{% extends \"base.html\" %}{% block content %}{% include \"loop.html\" %}{% endblock content %}",
    );
    let started = Instant::now();
    let errors = test.build().errors();
    assert!(started.elapsed() < Duration::from_secs(30));
    assert!(errors[0].starts_with("templates/loop.html:1:1: error: Circular include"), "{errors:?}");
}

#[test]
fn a_fifty_megabyte_article_builds() {
    let mut body = String::with_capacity(52 << 20);
    let words = ["harbour", "council", "budget", "ferry", "vote", "residents", "said", "the", "plan", "new"];
    let mut n = 0usize;
    while body.len() < 50 << 20 {
        for _ in 0..100 {
            body.push_str(words[n % words.len()]);
            body.push(' ');
            n = n.wrapping_mul(31).wrapping_add(7);
        }
        body.push_str(".\n\n");
    }
    let test = SiteTest::fixture("basic")
        .file("content/world/huge.md", format!("+++\ntitle = \"Huge\"\ndate = 2026-01-01\n+++\n\n{body}"));
    let with_search = peak_memory(&test);
    let page = std::fs::metadata(test.output().join("world/huge/index.html")).unwrap().len();
    assert!(page > 50 << 20, "the whole article is on its page");
    // The search index reads the first 256 KB of a story: it adds no more
    // than that to the build's memory.
    let without = peak_memory(&without_search(test));
    assert_search_costs_little(with_search, without);
}

/// A site of 3,000 one-word stories: the search index holds 3,000
/// documents, not 3,000 times a fixed cost.
#[test]
fn three_thousand_one_word_stories_build_with_search() {
    let words = ["harbour", "council", "ferry", "budget", "vote"];
    let test = SiteTest::fixture("basic");
    for i in 0..3000 {
        let text = format!("+++\ntitle = \"S{i}\"\ndate = 2026-01-01T00:00:00Z\n+++\n\n{}\n", words[i % words.len()]);
        std::fs::write(test.root().join(format!("content/world/s-{i}.md")), text).unwrap();
    }
    let with_search = peak_memory(&test);
    let index: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(test.output().join("_search/index.json")).unwrap()).unwrap();
    assert_eq!(index["documents"], 3000 + 3, "every story is a document (and the fixture's three)");
    let without = peak_memory(&without_search(test));
    assert_search_costs_little(with_search, without);
}

fn without_search(test: SiteTest) -> SiteTest {
    let config = test.root().join("site.toml");
    let text = std::fs::read_to_string(&config).unwrap() + "\n[search]\nenabled = false\n";
    std::fs::write(&config, text).unwrap();
    test
}

/// Builds with the real binary and returns its peak memory in kB, as the
/// build's own timings report it (`VmHWM` on Linux; 0 elsewhere).
fn peak_memory(test: &SiteTest) -> u64 {
    let out = Command::new(env!("CARGO_BIN_EXE_broadsheet"))
        .args(["build", "--root"])
        .arg(test.root())
        .env("BROADSHEET_TIMINGS", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let last = stderr.lines().rfind(|l| l.starts_with("timing:")).unwrap_or_default();
    last.split("peak ").nth(1).and_then(|p| p.trim_end_matches(" kB").trim().parse().ok()).unwrap_or(0)
}

fn assert_search_costs_little(with_search: u64, without: u64) {
    if !cfg!(target_os = "linux") {
        return;
    }
    assert!(with_search > 0 && without > 0, "no peak reported");
    let extra = with_search.saturating_sub(without);
    eprintln!("peak {with_search} kB with search, {without} kB without");
    assert!(extra < 64 * 1024, "search added {extra} kB to a peak of {without} kB");
}

/// Writes `n` small articles so a build takes a while.
fn many_articles(test: &SiteTest, n: usize) {
    for i in 0..n {
        let body = "Paragraph of filler text for a large site. ".repeat(40);
        let text = format!(
            "+++\ntitle = \"Story {i}\"\ndate = 2026-01-01T00:00:00Z\ntags = [\"t{}\"]\n+++\n\n{body}\n",
            i % 50
        );
        std::fs::write(test.root().join(format!("content/world/story-{i}.md")), text).unwrap();
    }
}

#[cfg(unix)]
#[test]
fn a_build_killed_halfway_leaves_the_previous_output_whole() {
    let test = with_files(&[]);
    test.build().report();
    let before = snapshot_tree(&test.output());
    many_articles(&test, 3000);
    let staging_folder = || {
        let beside = std::fs::read_dir(test.root()).unwrap().map(|e| e.unwrap().path());
        beside.into_iter().find(|p| p.file_name().unwrap().to_string_lossy().starts_with(".public.staging-"))
    };
    let mut child = Command::new(env!("CARGO_BIN_EXE_broadsheet"))
        .args(["build", "--root"])
        .arg(test.root())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Kill it once it has started writing the new site.
    let started = Instant::now();
    while !staging_folder().is_some_and(|staging| staging.join("world").is_dir()) {
        assert!(started.elapsed() < Duration::from_secs(60), "the build never started writing");
        assert!(child.try_wait().unwrap().is_none(), "the build finished before it could be killed");
        std::thread::sleep(Duration::from_millis(2));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    assert!(before == snapshot_tree(&test.output()), "the previous output changed");
    assert!(staging_folder().is_some(), "the killed build left its staging folder");
    // The next build cleans up and succeeds.
    let run = test.cli(&["build"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(staging_folder().is_none(), "the staging folder was cleaned");
    assert!(test.output().join("world/story-2999/index.html").is_file());
}

#[test]
fn the_server_survives_a_flood_of_requests() {
    let test = SiteTest::fixture("basic");
    let server = Server::start(&test);
    let addr = server.url.trim_start_matches("http://").trim_end_matches('/').to_string();
    let threads: Vec<_> = (0..8)
        .map(|t| {
            let addr = addr.clone();
            std::thread::spawn(move || {
                let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
                let paths = ["/", "/world/quake/", "/nope/", "/css/broadsheet.css", "/%2e%2e/site.toml"];
                (0..250)
                    .map(|i| {
                        agent
                            .get(&format!("http://{addr}{}", paths[(i + t) % paths.len()]))
                            .call()
                            .map(|r| r.status().as_u16())
                    })
                    .filter(|s| matches!(s, Ok(200) | Ok(404)))
                    .count()
            })
        })
        .collect();
    let answered: usize = threads.into_iter().map(|t| t.join().unwrap()).sum();
    assert_eq!(answered, 2000, "every request was answered");
    assert_eq!(server.get("world/quake/").0, 200, "still serving");
}

#[test]
fn the_reload_channel_cannot_read_files() {
    let test = SiteTest::fixture("basic");
    let server = Server::start(&test);
    let addr = server.url.trim_start_matches("http://").trim_end_matches('/').to_string();
    let mut stream = TcpStream::connect(&addr).unwrap();
    stream.set_read_timeout(Some(Duration::from_millis(500))).unwrap();
    write!(stream, "GET /__broadsheet/events?file=../site.toml&path=/etc/passwd HTTP/1.1\r\nHost: {addr}\r\n\r\n")
        .unwrap();
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.to_lowercase().contains("content-type: text/event-stream"), "{answer}");
    assert!(!answer.contains("base_url") && !answer.contains("root:"), "{answer}");
    assert_eq!(server.get("__broadsheet/events/../../site.toml").0, 404);
}

#[test]
fn the_server_listens_only_on_loopback_by_default() {
    let server = Server::start(&SiteTest::fixture("basic"));
    assert!(server.url.starts_with("http://127.0.0.1:"), "{}", server.url);
}
