//! `deploy --to s3://...` against a real S3-compatible server (moto in
//! server mode, started per test on a free loopback port and killed at the
//! end): every file with its headers, nothing uploaded again when nothing
//! changed, only what changed when a story does, stale pages removed,
//! `--max-deletes` and `--dry-run` leaving the bucket as it was, and
//! `--verify` repairing drift without touching anything outside the prefix.

use std::collections::BTreeMap;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::harness::{CliRun, SiteTest, git_isolated, repo};
use crate::tools;

const BUCKET: &str = "newsroom";
/// moto checks no signature; a request with any AWS authorization is let in.
const AUTH: &str =
    "AWS4-HMAC-SHA256 Credential=test/20261207/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0";

/// A moto server on 127.0.0.1, killed when dropped (a test that panics
/// too), and by its own alarm after ten minutes whatever happens to the
/// test (the server is the child itself, so the kill reaches it).
struct Moto {
    child: Child,
    endpoint: String,
    agent: ureq::Agent,
}

impl Moto {
    fn start(test: &str) -> Option<Moto> {
        if !tools::require_python_module("moto.server", test) {
            return None;
        }
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let serve = format!(
            "import signal; signal.alarm(600); from moto.server import main; main(['-H', '127.0.0.1', '-p', '{port}'])"
        );
        let child = Command::new("python3")
            .args(["-c", &serve])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("cannot start moto");
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(30)))
            .build()
            .into();
        let moto = Moto { child, endpoint: format!("http://127.0.0.1:{port}"), agent };
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(started.elapsed() < Duration::from_secs(30), "moto did not start listening in 30 s");
            std::thread::sleep(Duration::from_millis(100));
        }
        let made = moto.agent.put(&moto.url("")).header("Authorization", AUTH).send_empty().unwrap();
        assert_eq!(made.status(), 200, "cannot create the bucket");
        Some(moto)
    }

    fn url(&self, key: &str) -> String {
        format!("{}/{BUCKET}/{key}", self.endpoint)
    }

    fn target(&self, prefix: &str) -> String {
        format!("s3://{BUCKET}/{prefix}?endpoint={}&region=us-east-1", self.endpoint)
    }

    /// Status, Content-Type, Cache-Control and body of an object.
    fn get(&self, key: &str) -> (u16, String, String, Vec<u8>) {
        let mut response = self.agent.get(&self.url(key)).header("Authorization", AUTH).call().unwrap();
        let header =
            |name: &str| response.headers().get(name).map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
        let (content_type, cache_control) = (header("content-type"), header("cache-control"));
        let body = response.body_mut().with_config().limit(64 << 20).read_to_vec().unwrap();
        (response.status().as_u16(), content_type, cache_control, body)
    }

    fn put(&self, key: &str, body: &str) {
        let response = self.agent.put(&self.url(key)).header("Authorization", AUTH).send(body).unwrap();
        assert_eq!(response.status(), 200);
    }

    fn delete(&self, key: &str) {
        let response = self.agent.delete(&self.url(key)).header("Authorization", AUTH).call().unwrap();
        assert!(response.status().is_success(), "{}", response.status());
    }

    /// Every object in the bucket: key -> (ETag, Last-Modified).
    fn objects(&self) -> BTreeMap<String, (String, String)> {
        let mut found = BTreeMap::new();
        let mut token: Option<String> = None;
        loop {
            let mut url = format!("{}/{BUCKET}?list-type=2", self.endpoint);
            if let Some(token) = &token {
                url.push_str(&format!("&continuation-token={}", percent(token)));
            }
            let mut response = self.agent.get(&url).header("Authorization", AUTH).call().unwrap();
            assert_eq!(response.status(), 200);
            let xml = response.body_mut().with_config().limit(64 << 20).read_to_string().unwrap();
            for item in xml.split("<Contents>").skip(1) {
                found.insert(tag(item, "Key"), (tag(item, "ETag"), tag(item, "LastModified")));
            }
            if !xml.contains("<IsTruncated>true</IsTruncated>") {
                return found;
            }
            token = Some(tag(&xml, "NextContinuationToken"));
        }
    }

    fn keys(&self, prefix: &str) -> Vec<String> {
        self.objects().into_keys().filter(|k| k.starts_with(prefix)).collect()
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn tag(xml: &str, name: &str) -> String {
    let open = format!("<{name}>");
    let start = xml.find(&open).map(|i| i + open.len()).unwrap_or_else(|| panic!("no <{name}> in {xml}"));
    let text = &xml[start..start + xml[start..].find('<').unwrap()];
    text.replace("&quot;", "\"").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
}

fn percent(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Runs the real binary in the site folder with test credentials.
fn cli(test: &SiteTest, args: &[&str]) -> CliRun {
    let out = Command::new(env!("CARGO_BIN_EXE_broadsheet"))
        .args(args)
        .current_dir(test.root())
        .envs(git_isolated())
        .env("AWS_ACCESS_KEY_ID", "test-key-id")
        .env("AWS_SECRET_ACCESS_KEY", "test-secret-never-printed")
        .env_remove("AWS_ENDPOINT")
        .env_remove("AWS_PROFILE")
        .output()
        .unwrap();
    let run = CliRun {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert!(!run.stdout.contains("test-secret") && !run.stderr.contains("test-secret"), "the secret was printed");
    run
}

fn deploy(test: &SiteTest, moto: &Moto, more: &[&str]) -> CliRun {
    let target = moto.target("news");
    let mut args = vec!["deploy", "--to", target.as_str()];
    args.extend_from_slice(more);
    cli(test, &args)
}

fn ok(run: &CliRun) -> &CliRun {
    assert_eq!(run.code, Some(0), "stdout:\n{}\nstderr:\n{}", run.stdout, run.stderr);
    run
}

/// The number after `word ` in the summary line.
fn count(run: &CliRun, word: &str) -> usize {
    let line = run.stdout.lines().rfind(|l| l.starts_with("Deployed to") || l.starts_with("Dry run for")).unwrap();
    let at = line.find(&format!("{word} ")).unwrap_or_else(|| panic!("no `{word}` in {line}")) + word.len() + 1;
    line[at..].split(|c: char| !c.is_ascii_digit()).next().unwrap().parse().unwrap()
}

fn story(title: &str, day: u32, body: &str) -> String {
    format!(
        "+++\ntitle = \"{title}\"\ndate = 2026-11-{day:02}\nauthors = [\"Ann\"]\ntags = [\"harbour\"]\n+++\n{body}\n"
    )
}

/// A site at its own address (`deploy` refuses `init`'s placeholder).
fn new_site() -> SiteTest {
    SiteTest::empty().file("site.toml", "title = \"Test Times\"\nbase_url = \"https://news.test-times.org/\"\n")
}

fn site() -> SiteTest {
    let photo = std::fs::read(repo().join("tests/fixtures/photos/phone.jpg")).unwrap();
    new_site()
        .file(
            "content/news/dawn/index.md",
            "+++\ntitle = \"Harbour at dawn\"\ndate = 2026-11-20\nimage = { src = \"phone.jpg\", alt = \"Boats\" }\n+++\nThe boats came in.\n",
        )
        .file("content/news/dawn/phone.jpg", photo)
        .file("content/news/tide.md", story("Tide tables", 19, "The tide turned."))
        .file("content/news/storm.md", story("Storm warning", 18, "Wind tonight."))
        .file("content/sport/match.md", story("Cup final", 17, "A draw."))
}

/// The built files, as keys under `prefix/`.
fn built_keys(output: &Path, prefix: &str) -> Vec<String> {
    let mut keys: Vec<String> = walkdir::WalkDir::new(output)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file() && e.file_name() != ".broadsheet-output")
        .map(|e| format!("{prefix}/{}", e.path().strip_prefix(output).unwrap().to_str().unwrap()))
        .collect();
    keys.sort();
    keys
}

/// The output file of a story, found by its slug.
fn page_of(output: &Path, slug: &str) -> PathBuf {
    let found = walkdir::WalkDir::new(output)
        .into_iter()
        .map(Result::unwrap)
        .find(|e| e.file_name() == "index.html" && e.path().parent().unwrap().file_name().unwrap() == slug);
    found.unwrap_or_else(|| panic!("no page for {slug}")).path().strip_prefix(output).unwrap().to_path_buf()
}

fn key_of(output: &Path, slug: &str) -> String {
    format!("news/{}", page_of(output, slug).to_str().unwrap())
}

#[test]
fn deploy_to_s3_uploads_everything_once_then_only_what_changed() {
    let Some(moto) = Moto::start("deploy to S3 tests") else { return };
    let test = site();
    moto.put("elsewhere/keep.html", "another site's page");

    // First deploy: every built file, with its headers, and the manifest.
    let first = deploy(&test, &moto, &[]);
    ok(&first);
    let output = test.output();
    let built = built_keys(&output, "news");
    let mut expected = built.clone();
    expected.push("news/.broadsheet-manifest.json".into());
    expected.sort();
    assert_eq!(moto.keys("news/"), expected);
    assert_eq!(count(&first, "uploaded"), built.len());
    assert_eq!(count(&first, "deleted"), 0);

    let (status, content_type, cache_control, body) = moto.get("news/index.html");
    assert_eq!(status, 200);
    assert_eq!(content_type, "text/html; charset=utf-8");
    assert_eq!(cache_control, "public, max-age=300");
    assert_eq!(body, std::fs::read(output.join("index.html")).unwrap());
    let photo = built.iter().find(|k| k.starts_with("news/_photos/")).expect("the site has no _photos/ file");
    let (status, content_type, cache_control, _) = moto.get(photo);
    assert_eq!(status, 200);
    assert!(content_type.starts_with("image/"), "{photo}: {content_type}");
    assert_eq!(cache_control, "public, max-age=31536000, immutable");
    let css = built.iter().find(|k| k.ends_with(".css")).expect("the site has no stylesheet");
    let (_, content_type, cache_control, _) = moto.get(css);
    assert_eq!(content_type, "text/css; charset=utf-8");
    assert_eq!(cache_control, "public, max-age=86400");
    let feed = built.iter().find(|k| k.ends_with(".xml")).expect("the site has no feed or sitemap");
    assert_eq!(moto.get(feed).2, "public, max-age=300");

    // Nothing changed: nothing uploaded, nothing rewritten (the manifest too).
    let before = moto.objects();
    let again = deploy(&test, &moto, &[]);
    assert_eq!((count(ok(&again), "uploaded"), count(&again, "deleted")), (0, 0), "{}", again.stdout);
    assert_eq!(count(&again, "unchanged"), built.len());
    assert_eq!(moto.objects(), before);

    // One story changed: its page and the pages and indexes that show it,
    // not the whole site (no photo, no stylesheet).
    test.edit("content/news/tide.md", "The tide turned.", "The tide turned early today.");
    let changed = deploy(&test, &moto, &[]);
    let uploaded = count(ok(&changed), "uploaded");
    assert!(uploaded >= 1 && uploaded < built.len() / 2, "{uploaded} of {} uploaded", built.len());
    let tide = key_of(&output, "tide");
    assert!(String::from_utf8(moto.get(&tide).3).unwrap().contains("The tide turned early today."));
    let after = moto.objects();
    assert_eq!(after[photo], before[photo], "the photo was uploaded again");
    assert_eq!(after[css], before[css], "the stylesheet was uploaded again");

    // A dry run lists what would change and changes nothing.
    test.edit("content/news/storm.md", "Wind tonight.", "Gales tonight.");
    let before = moto.objects();
    let dry = deploy(&test, &moto, &["--dry-run"]);
    ok(&dry);
    let storm = page_of(&output, "storm");
    assert!(dry.stdout.contains(&format!("would upload {}", storm.display())), "{}", dry.stdout);
    assert!(dry.stdout.contains("nothing was changed"), "{}", dry.stdout);
    assert!(count(&dry, "upload") > 0);
    assert_eq!(moto.objects(), before);

    // One story deleted: its page goes, after the rest is up.
    let match_key = key_of(&output, "match");
    std::fs::remove_file(test.root().join("content/sport/match.md")).unwrap();
    let gone = deploy(&test, &moto, &[]);
    assert!(count(ok(&gone), "deleted") >= 1, "{}", gone.stdout);
    assert!(!moto.keys("news/").contains(&match_key), "{match_key} is still there");
    let mut expected = built_keys(&output, "news");
    expected.push("news/.broadsheet-manifest.json".into());
    expected.sort();
    assert_eq!(moto.keys("news/"), expected, "the bucket is not the build");
    // Nothing outside the prefix was touched.
    assert_eq!(moto.get("elsewhere/keep.html").3, b"another site's page");
}

#[test]
fn deploy_to_s3_refuses_more_deletes_than_allowed_and_leaves_the_bucket() {
    let Some(moto) = Moto::start("deploy to S3 tests") else { return };
    let test = site()
        .file("content/news/a.md", story("Extra one", 10, "One."))
        .file("content/news/b.md", story("Extra two", 11, "Two."));
    ok(&deploy(&test, &moto, &[]));
    std::fs::remove_file(test.root().join("content/news/a.md")).unwrap();
    std::fs::remove_file(test.root().join("content/news/b.md")).unwrap();
    let before = moto.objects();
    let refused = deploy(&test, &moto, &["--max-deletes", "1"]);
    assert_eq!(refused.code, Some(1), "stdout:\n{}\nstderr:\n{}", refused.stdout, refused.stderr);
    assert!(refused.stderr.contains("--max-deletes 1"), "{}", refused.stderr);
    assert!(refused.stderr.contains("Nothing was changed"), "{}", refused.stderr);
    assert_eq!(moto.objects(), before, "a refused deploy changed the bucket");
    // Allowed, the same deploy goes through.
    let allowed = deploy(&test, &moto, &["--max-deletes", "100"]);
    assert!(count(ok(&allowed), "deleted") >= 2, "{}", allowed.stdout);
}

#[test]
fn deploy_to_s3_verify_repairs_drift_and_a_lost_manifest_converges() {
    let Some(moto) = Moto::start("deploy to S3 tests") else { return };
    let test = site();
    ok(&deploy(&test, &moto, &[]));
    let total = built_keys(&test.output(), "news").len();
    // Someone removed a page and left a stray file; outside the prefix, another site.
    moto.delete("news/index.html");
    moto.put("news/stray.html", "left behind");
    moto.put("newsletter/index.html", "a neighbour with a longer name");
    // A normal deploy reads only the manifest, so it sees none of it.
    let normal = deploy(&test, &moto, &[]);
    assert_eq!(count(ok(&normal), "uploaded"), 0);
    let verified = deploy(&test, &moto, &["--verify"]);
    assert_eq!((count(ok(&verified), "uploaded"), count(&verified, "deleted")), (1, 1), "{}", verified.stdout);
    assert_eq!(moto.get("news/index.html").0, 200);
    assert!(!moto.keys("news/").contains(&"news/stray.html".to_string()));
    assert_eq!(moto.get("newsletter/index.html").3, b"a neighbour with a longer name");
    // A deploy stopped before writing its manifest starts over and converges.
    moto.delete("news/.broadsheet-manifest.json");
    let resumed = deploy(&test, &moto, &[]);
    assert_eq!(count(ok(&resumed), "uploaded"), total);
    assert_eq!(count(&deploy(&test, &moto, &[]), "uploaded"), 0);
}

#[test]
fn deploy_to_s3_refuses_bad_targets_and_folders_no_build_made() {
    // No server needed: all of these stop before any request.
    let test = new_site().file("leak/secret.txt", "not a build");
    for bad in ["https://example.com/site", "s3://key:secret@bucket/x", "s3://bucket/../x", "gs://bucket/x"] {
        let run = cli(&test, &["deploy", "--to", bad]);
        assert_eq!(run.code, Some(2), "{bad}: {}{}", run.stdout, run.stderr);
        assert!(run.stderr.contains("--to"), "{bad}: {}", run.stderr);
        assert!(!test.output().exists(), "{bad}: a build ran before the target was checked");
    }
    let run = cli(&test, &["deploy", "--output", "leak", "--to", "s3://bucket/x?endpoint=http://127.0.0.1:9"]);
    assert_eq!(run.code, Some(1), "{}{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("no Broadsheet build made it"), "{}", run.stderr);
    let run = cli(&test, &["deploy", "--dry-run"]);
    assert_eq!(run.code, Some(2), "--dry-run without --to: {}", run.stderr);
}
