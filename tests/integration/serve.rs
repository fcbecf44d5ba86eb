//! `serve` as a writer uses it: a real HTTP server on a free port that
//! rebuilds when a file is saved, shows errors in the page, and never writes
//! the output folder; and `new` / `init`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::browser::Browser;
use crate::demo::demo;
use crate::harness::SiteTest;

/// A running `broadsheet serve`, stopped when dropped.
pub struct Server {
    child: Child,
    pub url: String,
    lines: mpsc::Receiver<String>,
    agent: ureq::Agent,
}

impl Server {
    pub fn start(test: &SiteTest) -> Server {
        Server::start_with(test, &[])
    }

    /// `serve` with more arguments after the usual ones.
    pub fn start_with(test: &SiteTest, args: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_broadsheet"))
            .args(["serve", "--port", "0", "--root"])
            .arg(test.root())
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let (send, lines) = mpsc::channel();
        for stream in
            [Box::new(child.stdout.take().unwrap()) as Box<dyn Read + Send>, Box::new(child.stderr.take().unwrap())]
        {
            let send = send.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    let _ = send.send(line);
                }
            });
        }
        let agent: ureq::Agent =
            ureq::Agent::config_builder().http_status_as_error(false).max_redirects(0).build().into();
        let mut server = Server { child, url: String::new(), lines, agent };
        let line = server.wait_for_line("Serving at ");
        server.url = line.split_whitespace().find(|w| w.starts_with("http://")).unwrap().to_string();
        server
    }

    /// The next printed line containing `needle` (within 20 s).
    pub fn wait_for_line(&self, needle: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.lines.recv_timeout(left) {
                Ok(line) if line.contains(needle) => return line,
                Ok(_) => continue,
                Err(_) => break,
            }
        }
        panic!("serve never printed {needle:?}");
    }

    /// (status, content type, body) of a GET for `path` below the site URL.
    pub fn get(&self, path: &str) -> (u16, String, String) {
        let mut response = self.agent.get(&format!("{}{path}", self.url)).call().unwrap();
        let kind = response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
        let status = response.status().as_u16();
        (status, kind, response.body_mut().read_to_string().unwrap_or_default())
    }

    /// The status and bytes of `path`, as they are served.
    pub fn get_bytes(&self, path: &str) -> (u16, Vec<u8>) {
        let mut response = self.agent.get(&format!("{}{path}", self.url)).call().unwrap();
        let status = response.status().as_u16();
        (status, response.body_mut().with_config().limit(64 << 20).read_to_vec().unwrap_or_default())
    }

    /// Polls `path` until `done` holds for its body (within 10 s).
    pub fn wait_for(&self, path: &str, what: &str, done: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let (_, _, body) = self.get(path);
            if done(&body) {
                return body;
            }
            assert!(Instant::now() < deadline, "{path} never showed {what}");
            std::thread::sleep(Duration::from_millis(25));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

const STORY: &str = "content/news/marrow-county-water-main-break.md";
const STORY_PATH: &str = "news/marrow-county-water-main-break/";

fn h1(html: &str) -> String {
    let page = scraper::Html::parse_document(html);
    let selector = scraper::Selector::parse("h1").unwrap();
    page.select(&selector).next().map(|e| e.text().collect()).unwrap_or_default()
}

/// The URLs of the documents whose words include `word` (lower case),
/// read from the served search index as the search page reads it.
pub fn search(server: &Server, word: &str) -> Vec<String> {
    let json = |path: &str| -> serde_json::Value {
        let (status, body) = server.get_bytes(&format!("_search/{path}"));
        assert_eq!(status, 200, "_search/{path}");
        crate::harness::search_json(&body)
    };
    let index = json("index.json");
    let file_of = |firsts: &serde_json::Value, key: &str| {
        firsts.as_array().unwrap().iter().take_while(|f| f.as_str().unwrap() <= key).count().max(1) - 1
    };
    let words = json(&format!("w/{}.json.gz", file_of(&index["words"], word)));
    let stem = words.get(word).and_then(|s| s.as_str()).unwrap_or(word);
    let stems = json(&format!("s/{}.json.gz", file_of(&index["stems"], stem)));
    let Some(entry) = stems.get(stem) else { return Vec::new() };
    let mut doc = -1i64;
    let mut urls = Vec::new();
    for gap in entry[0].as_str().unwrap().split(',') {
        doc += i64::from_str_radix(gap, 36).unwrap();
        urls.push(json(&format!("d/{}/{doc}.json.gz", doc / 1000))["url"].as_str().unwrap().to_string());
    }
    urls
}

#[test]
fn serve_rebuilds_when_an_article_is_saved() {
    let test = demo();
    let server = Server::start(&test);
    let (status, kind, body) = server.get(STORY_PATH);
    assert_eq!((status, kind.as_str()), (200, "text/html; charset=utf-8"));
    assert!(h1(&body).starts_with("Water main break"));
    let story = format!("/{STORY_PATH}");
    assert!(!search(&server, "updated").contains(&story));
    test.edit(STORY, "title = \"Water main break", "title = \"Updated: Water main break");
    server.wait_for(STORY_PATH, "the new headline", |b| h1(b).starts_with("Updated: Water main break"));
    // Only the pages that show the story were rendered again.
    let line = server.wait_for_line("rebuilt");
    assert!(line.starts_with("rebuilt 1 article (") && line.ends_with(" ms"), "{line}");
    // A section page that lists the story changed too.
    let (_, _, news) = server.get("news/");
    assert!(news.contains("Updated: Water main break"));
    // Search finds the story by its new words, updated right after the pages.
    let line = server.wait_for_line("updated the search index");
    assert!(line.ends_with(" ms"), "{line}");
    assert!(search(&server, "updated").contains(&story));
    assert!(!test.root().join("public").exists(), "serve never writes the output folder");
}

#[test]
fn serve_shows_errors_in_every_page_until_the_next_good_save() {
    let test = demo();
    let server = Server::start(&test);
    test.edit(STORY, "title = \"Water main break", "title = \"Water main break\nbroken = ");
    let body = server.wait_for(STORY_PATH, "the error overlay", |b| b.contains("broadsheet-errors"));
    let page = scraper::Html::parse_document(&body);
    let overlay: String =
        page.select(&scraper::Selector::parse("#broadsheet-errors li").unwrap()).next().unwrap().text().collect();
    assert!(overlay.starts_with(&format!("{STORY}:3:")), "{overlay}");
    let (_, _, other) = server.get("");
    assert!(other.contains("broadsheet-errors"), "every page carries the error");
    assert!(h1(&body).starts_with("Water main break"), "the last good version is still served");
    server.wait_for_line(&format!("{STORY}:3:"));
    test.edit(STORY, "\nbroken = ", "");
    server.wait_for(STORY_PATH, "the page without errors", |b| !b.contains("broadsheet-errors"));
}

#[test]
fn serve_answers_like_a_web_server_and_stays_inside_the_site() {
    let test = SiteTest::fixture("basic");
    let server = Server::start(&test);
    let (status, kind, _) = server.get("css/broadsheet.css");
    assert_eq!((status, kind.as_str()), (200, "text/css"));
    // A photo's resized copy, as the page names it.
    let (_, _, quake) = server.get("world/quake/");
    let quake = scraper::Html::parse_document(&quake);
    let hero =
        quake.select(&scraper::Selector::parse(".hero img").unwrap()).next().unwrap().value().attr("src").unwrap();
    assert!(hero.ends_with(".png"), "{hero}");
    assert_eq!(server.get(hero.trim_start_matches('/')).1, "image/png");
    assert_eq!(server.get("feed.xml").1, "text/xml");
    let (status, _, body) = server.get("no/such/page/");
    assert_eq!(status, 404);
    assert_eq!(h1(&body), "Page not found");
    assert_eq!(server.get("css/").0, 404, "no directory listing");
    let (status, _, _) = server.get("world");
    assert_eq!(status, 302, "a folder without its slash redirects");
    // Raw requests, so no client tidies the path first.
    let addr = server.url.trim_start_matches("http://").trim_end_matches('/').to_string();
    for path in [
        "/../site.toml",
        "/%2e%2e/site.toml",
        "/world/..%2f..%2fsite.toml",
        "//etc/passwd",
        "/content/world/quake/index.md",
    ] {
        let mut stream = TcpStream::connect(&addr).unwrap();
        write!(stream, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).unwrap();
        assert!(answer.starts_with("HTTP/1.1 404"), "{path}: {}", answer.lines().next().unwrap_or(""));
        assert!(!answer.contains("base_url"), "{path} leaked site.toml");
    }
    let (_, _, page) = server.get("world/quake/");
    assert!(page.contains("EventSource(\"/__broadsheet/events\")"), "serve adds the reload script");
    let built = test.build();
    assert!(!built.page("world/quake/").html.html().contains("EventSource"), "build output never has it");
}

#[test]
fn serve_keeps_the_configured_subpath() {
    let test = SiteTest::fixture("basic").file(
        "site.toml",
        "title = \"Sub\"\nbase_url = \"https://user.github.io/repo/\"\n[authors.ann]\nname = \"Ann\"\n",
    );
    let server = Server::start(&test);
    assert!(server.url.ends_with("/repo/"), "{}", server.url);
    let root = server.url.trim_end_matches("repo/").to_string();
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).max_redirects(0).build().into();
    let response = agent.get(&root).call().unwrap();
    assert_eq!(response.status().as_u16(), 302);
    assert_eq!(response.headers().get("location").unwrap(), "/repo/");
    let (status, _, body) = server.get("world/quake/");
    assert_eq!(status, 200);
    assert!(body.contains("href=\"/repo/css/broadsheet.css\""));
    assert!(
        body.contains(&format!("<link rel=\"canonical\" href=\"{}world/quake/\">", server.url)),
        "base_url is the local address"
    );
}

#[test]
fn the_open_page_reloads_itself_when_the_article_is_saved() {
    let Some(browser) = Browser::start("the_open_page_reloads_itself_when_the_article_is_saved") else { return };
    let test = demo();
    let server = Server::start(&test);
    browser.go(&format!("{}{STORY_PATH}", server.url));
    let headline = "return document.querySelector('h1').textContent;";
    assert!(browser.eval(headline).as_str().unwrap().starts_with("Water main break"));
    let saved = Instant::now();
    test.edit(STORY, "title = \"Water main break", "title = \"Live: Water main break");
    loop {
        if browser.eval(headline).as_str().is_some_and(|h| h.starts_with("Live: Water main break")) {
            break;
        }
        assert!(saved.elapsed() < Duration::from_secs(10), "the open page never reloaded");
        std::thread::sleep(Duration::from_millis(10));
    }
    eprintln!("serve: the open page showed the edit {} ms after the save", saved.elapsed().as_millis());
}

#[test]
fn new_writes_an_article_and_never_overwrites() {
    let test = SiteTest::fixture("basic");
    let run = test.cli(&["new", "Storm & \"surge\" hits the coast", "--section", "world", "--author", "ann"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let path = test.root().join("content/world/storm-surge-hits-the-coast.md");
    assert_eq!(run.stdout.trim(), "./content/world/storm-surge-hits-the-coast.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let front: toml::Table = toml::from_str(text.split("+++").nth(1).unwrap()).unwrap();
    assert_eq!(front["title"].as_str(), Some("Storm & \"surge\" hits the coast"));
    assert_eq!(front["slug"].as_str(), Some("storm-surge-hits-the-coast"), "fixed, so headline edits keep the URL");
    assert_eq!(front["authors"].as_array().unwrap()[0].as_str(), Some("ann"));
    assert_eq!(front["summary"].as_str(), Some(""));
    assert!(front["tags"].as_array().unwrap().is_empty());
    let date = front["date"].as_datetime().unwrap().to_string();
    assert!(date.ends_with("+01:00") || date.ends_with("+02:00"), "in the site timezone, Europe/Paris: {date}");
    let again = test.cli(&["new", "Storm & surge hits the coast", "--section", "world"]);
    assert_eq!(again.code, Some(2));
    assert!(again.stderr.contains("refusing to overwrite"), "{}", again.stderr);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
    let mut options = test.options();
    options.future = true;
    options.drafts = true;
    let page = test.build_with(options).page("world/storm-surge-hits-the-coast/");
    // Shown with curly quotes, as a body would be.
    assert_eq!(page.text("h1"), "Storm & “surge” hits the coast");
}

#[test]
fn init_writes_a_site_that_builds_with_a_pages_workflow() {
    let test = SiteTest::new();
    let dir = test.root().join("newsroom");
    let run = test.cli(&["init", dir.to_str().unwrap()]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    for file in
        ["site.toml", "content/news/_index.md", "content/news/welcome.md", ".gitignore", ".github/workflows/pages.yml"]
    {
        assert!(dir.join(file).is_file(), "{file} missing");
    }
    let build = test.cli(&["build", "--root", dir.to_str().unwrap()]);
    assert_eq!(build.code, Some(0), "{}", build.stderr);
    assert!(dir.join("public/news/welcome/index.html").is_file());
    assert_eq!(std::fs::read_to_string(dir.join(".gitignore")).unwrap(), "/public\n/.broadsheet-cache\n");

    let workflow: serde_json::Value =
        serde_saphyr::from_str(&std::fs::read_to_string(dir.join(".github/workflows/pages.yml")).unwrap()).unwrap();
    assert!(workflow["on"]["schedule"][0]["cron"].is_string(), "an hourly schedule publishes scheduled articles");
    let steps = workflow["jobs"]["build"]["steps"].as_array().unwrap();
    let uses: Vec<&str> = steps.iter().filter_map(|s| s["uses"].as_str()).collect();
    assert!(uses.iter().any(|u| u.starts_with("actions/configure-pages@")), "{uses:?}");
    let upload = steps
        .iter()
        .find(|s| s["uses"].as_str().is_some_and(|u| u.starts_with("actions/upload-pages-artifact@")))
        .unwrap();
    assert_eq!(upload["with"]["include-hidden-files"], true);
    let deploy = workflow["jobs"]["deploy"]["steps"][0]["uses"].as_str().unwrap();
    assert!(deploy.starts_with("actions/deploy-pages@"));
    let build_step = steps.iter().find_map(|s| s["run"].as_str().filter(|r| r.contains("broadsheet build"))).unwrap();
    assert!(build_step.contains("steps.pages.outputs.base_url"), "base_url comes from configure-pages");

    let again = test.cli(&["init", dir.to_str().unwrap()]);
    assert_eq!(again.code, Some(2));
    assert!(again.stderr.contains("already holds a site"));
}

#[test]
fn the_preview_shows_the_draft_being_written_marked_as_one_unless_told_not_to() {
    let test = SiteTest::new()
        .file(
            "content/news/council-votes.md",
            "+++\ntitle = \"Council votes\"\ndate = 2026-11-20\ndraft = true\n+++\nWork in progress.\n",
        )
        .file("content/news/published.md", "+++\ntitle = \"Published\"\ndate = 2026-11-19\n+++\nDone.\n");
    let server = Server::start(&test);
    let (status, _, body) = server.get("news/council-votes/");
    assert_eq!(status, 200, "the story being written is in the preview");
    let page = scraper::Html::parse_document(&body);
    let note = scraper::Selector::parse(".draft-note").unwrap();
    let text: String = page.select(&note).flat_map(|n| n.text()).collect();
    assert!(text.starts_with("Draft: not published until"), "{text:?}");
    let (_, _, published) = server.get("news/published/");
    assert_eq!(scraper::Html::parse_document(&published).select(&note).count(), 0, "only drafts are marked");
    drop(server);
    let hidden = Server::start_with(&test, &["--hide-drafts"]);
    assert_eq!(hidden.get("news/council-votes/").0, 404);
    assert_eq!(hidden.get("news/published/").0, 200);
    // A build never publishes it.
    assert!(!test.build().exists("news/council-votes/index.html"));
}

/// The README's quick start, followed as a new user would (no network):
/// `init`, `new`, `serve` showing the draft, the story finished, `build`,
/// `deploy` to a bare repository standing in for GitHub.
#[test]
fn the_readmes_quick_start_works_from_init_to_deploy() {
    if crate::tools::require("git", "the_readmes_quick_start_works_from_init_to_deploy").is_none() {
        return;
    }
    let readme = std::fs::read_to_string(crate::harness::repo().join("README.md")).unwrap();
    let quick = readme.split("## Quick start").nth(1).unwrap().split("\n## ").next().unwrap();
    for step in [
        "broadsheet init gazette",
        "broadsheet new \"Council approves the budget\" --section news",
        "broadsheet serve",
        "broadsheet build",
    ] {
        assert!(quick.contains(step), "the quick start no longer says `{step}`");
    }
    let home = SiteTest::empty();
    let run = home.cli(&["init", "gazette"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let site = home.root().join("gazette");
    let run = Command::new(env!("CARGO_BIN_EXE_broadsheet"))
        .args(["new", "Council approves the budget", "--section", "news"])
        .current_dir(&site)
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let story = site.join("content/news/council-approves-the-budget.md");
    assert_eq!(
        String::from_utf8_lossy(&run.stdout).trim().trim_start_matches("./"),
        "content/news/council-approves-the-budget.md"
    );
    // The draft is in the preview, marked.
    let test = home.at("gazette");
    let server = Server::start(&test);
    let (status, _, body) = server.get("news/council-approves-the-budget/");
    assert_eq!(status, 200);
    assert!(body.contains("class=\"draft-note\""), "the draft is marked");
    drop(server);
    // Finished: the draft line deleted, the text written.
    let text = std::fs::read_to_string(&story).unwrap();
    let text = text
        .replace("# Delete this line to publish the story.\ndraft = true\n", "")
        .replace("Write the story here.", "The council approved the budget on Tuesday.");
    std::fs::write(&story, text).unwrap();
    let built = test.cli(&["build", "--base-url", "https://gazette.github.io/gazette/"]);
    assert_eq!(built.code, Some(0), "{}", built.stderr);
    assert!(site.join("public/news/council-approves-the-budget/index.html").is_file());
    // Published to a repository, as the gh-pages branch.
    let remote = home.root().join("remote.git");
    crate::publish::git(home.root(), &["init", "--quiet", "--bare", remote.to_str().unwrap()]);
    crate::publish::git(&site, &["init", "--quiet", "-b", "main"]);
    crate::publish::git(&site, &["config", "user.name", "New Editor"]);
    crate::publish::git(&site, &["config", "user.email", "editor@gazette.test"]);
    crate::publish::git(&site, &["add", "-A"]);
    crate::publish::git(&site, &["commit", "--quiet", "-m", "First edition"]);
    crate::publish::git(&site, &["remote", "add", "origin", remote.to_str().unwrap()]);
    let deployed = test.cli(&["deploy", "--base-url", "https://gazette.github.io/gazette/"]);
    assert_eq!(deployed.code, Some(0), "{}", deployed.stderr);
    let files = crate::publish::git(&remote, &["ls-tree", "-r", "--name-only", "gh-pages"]);
    assert!(files.lines().any(|f| f == "news/council-approves-the-budget/index.html"), "{files}");
}

#[test]
fn serve_previews_every_language_and_a_translations_save_reaches_its_pages() {
    let test = SiteTest::fixture("multilingual");
    let server = Server::start(&test);
    let (status, _, body) = server.get("fr/news/harbour-vote/");
    assert_eq!(status, 200);
    assert_eq!(h1(&body), "Le conseil approuve le plan du port");
    let (status, _, body) = server.get("ar/");
    assert_eq!(status, 200);
    assert!(body.contains("dir=\"rtl\""));
    // A save of the French story changes its page and the English
    // original's language switcher stays pointed at it.
    test.edit("content/news/harbour-vote.fr.md", "Le conseil approuve", "Le conseil municipal approuve");
    server.wait_for("fr/news/harbour-vote/", "the new headline", |b| {
        h1(b) == "Le conseil municipal approuve le plan du port"
    });
    let (_, _, front) = server.get("fr/");
    assert!(front.contains("Le conseil municipal approuve le plan du port"));
    let (_, _, english) = server.get("news/harbour-vote/");
    assert!(english.contains("hreflang=\"fr\""), "{english}");
}
