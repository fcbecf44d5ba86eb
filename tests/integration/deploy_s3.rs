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
    cli_with(test, args, &[])
}

/// [`cli`] with more of the environment set (a CDN's address and token).
fn cli_with(test: &SiteTest, args: &[&str], env: &[(&str, &str)]) -> CliRun {
    let out = Command::new(env!("CARGO_BIN_EXE_broadsheet"))
        .args(args)
        .current_dir(test.root())
        .envs(git_isolated())
        .env("AWS_ACCESS_KEY_ID", "test-key-id")
        .env("AWS_SECRET_ACCESS_KEY", "test-secret-never-printed")
        .env_remove("AWS_ENDPOINT")
        .env_remove("AWS_PROFILE")
        .envs(env.iter().copied())
        .output()
        .unwrap();
    let run = CliRun::from(out);
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

/// The object as the bucket stores it, read without any decoding:
/// (Content-Encoding, body).
fn raw_object(moto: &Moto, key: &str) -> (String, Vec<u8>) {
    use std::io::{Read as _, Write as _};
    let address = moto.endpoint.trim_start_matches("http://");
    let mut stream = TcpStream::connect(address).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let request = format!(
        "GET /{BUCKET}/{key} HTTP/1.1\r\nHost: {address}\r\nAuthorization: {AUTH}\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).unwrap();
    let split = answer.windows(4).position(|w| w == b"\r\n\r\n").expect("no end of headers");
    let head = String::from_utf8_lossy(&answer[..split]).to_ascii_lowercase();
    assert!(head.starts_with("http/1.1 200"), "{key}: {head}");
    assert!(!head.contains("transfer-encoding: chunked"), "{key}: a chunked answer");
    let encoding = head.lines().find_map(|l| l.strip_prefix("content-encoding: ")).unwrap_or_default().to_string();
    (encoding, answer[split + 4..].to_vec())
}

/// `tests/tools/s3_website.py` over the bucket's `prefix`: the site as a
/// website endpoint (or a CDN) serves it. Stopped when dropped.
struct Website {
    child: Child,
    origin: String,
}

impl Website {
    fn start(moto: &Moto, prefix: &str) -> Website {
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let script = repo().join("tests/tools/s3_website.py");
        let child = Command::new("python3")
            .arg(script)
            .args([&port.to_string(), &moto.endpoint, BUCKET, prefix])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("cannot start the website proxy");
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(started.elapsed() < Duration::from_secs(30), "the website proxy did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        Website { child, origin: format!("http://127.0.0.1:{port}") }
    }
}

impl Drop for Website {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn deploy_to_s3_with_gzip_serves_the_site_from_the_bucket_with_no_broken_links() {
    let Some(moto) = Moto::start("deploy to S3 tests") else { return };
    let test = site().file(
        "content/news/moved.md",
        "+++\ntitle = \"Ferry timetable changes\"\ndate = 2026-11-16\naliases = [\"/2019/old-ferry-story/\"]\n+++\nNew times.\n",
    );
    // Without --gzip, objects are stored as built.
    ok(&deploy(&test, &moto, &[]));
    let output = test.output();
    let (encoding, body) = raw_object(&moto, "news/index.html");
    assert_eq!((encoding.as_str(), body), ("", std::fs::read(output.join("index.html")).unwrap()));

    // With it, every text file is uploaded again, compressed; pictures and
    // the search index (already gzip) are not.
    let total = built_keys(&output, "news").len();
    let zipped = deploy(&test, &moto, &["--gzip"]);
    let uploaded = count(ok(&zipped), "uploaded");
    assert!(uploaded > total / 2 && uploaded < total, "{uploaded} of {total} uploaded again");
    let (encoding, body) = raw_object(&moto, "news/index.html");
    assert_eq!(encoding, "gzip");
    let mut page = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&body[..]), &mut page).unwrap();
    assert_eq!(page, std::fs::read(output.join("index.html")).unwrap());
    assert!(body.len() < page.len() / 2, "{} bytes stored for a {}-byte page", body.len(), page.len());
    let built = built_keys(&output, "news");
    let photo = built.iter().find(|k| k.starts_with("news/_photos/")).unwrap();
    assert_eq!(raw_object(&moto, photo).0, "", "{photo} was compressed");
    let search = built.iter().find(|k| k.ends_with(".json.gz")).expect("no search index file");
    assert_eq!(raw_object(&moto, search).0, "", "{search} was compressed twice");
    // The same again changes nothing; --verify agrees with the stored sizes.
    assert_eq!(count(ok(&deploy(&test, &moto, &["--gzip"])), "uploaded"), 0);
    let verified = deploy(&test, &moto, &["--gzip", "--verify"]);
    assert_eq!((count(ok(&verified), "uploaded"), count(&verified, "deleted")), (0, 0), "{}", verified.stdout);

    // Served from the bucket as a website endpoint serves it: every link
    // and asset answers, and the old address leads to the story.
    let website = Website::start(&moto, "news");
    let (pages, urls) = crate::publish::crawl(&website.origin, "/");
    assert!(pages >= 10 && urls > pages, "crawled {pages} pages, {urls} URLs");
    let agent = ureq::Agent::new_with_defaults();
    let old = agent.get(&format!("{}/2019/old-ferry-story/", website.origin)).call().unwrap();
    let old = scraper::Html::parse_document(&old.into_body().read_to_string().unwrap());
    let refresh = scraper::Selector::parse("meta[http-equiv=refresh]").unwrap();
    let content = old.select(&refresh).next().expect("the old address is no redirect").value().attr("content").unwrap();
    let target = content.split_once("url=").unwrap().1;
    assert!(target.starts_with('/'), "{target}");
    let story = agent.get(format!("{}{target}", website.origin)).call().unwrap();
    let story = scraper::Html::parse_document(&story.into_body().read_to_string().unwrap());
    let h1 = story.select(&scraper::Selector::parse("h1").unwrap()).next().unwrap();
    assert_eq!(h1.text().collect::<String>().trim(), "Ferry timetable changes");
}

/// Runs Python with boto3 against moto's CloudFront; prints what `code` prints.
fn cloudfront(moto: &Moto, code: &str) -> String {
    let program = format!(
        "import boto3, json\ncf = boto3.client('cloudfront', endpoint_url='{}', region_name='us-east-1', aws_access_key_id='test-key-id', aws_secret_access_key='x')\n{code}",
        moto.endpoint
    );
    let out = Command::new("python3").args(["-c", &program]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

#[test]
fn deploy_to_s3_invalidates_exactly_the_changed_addresses_on_cloudfront() {
    let Some(moto) = Moto::start("deploy to S3 tests") else { return };
    let distribution = cloudfront(
        &moto,
        "print(cf.create_distribution(DistributionConfig={'CallerReference': 'test', 'Comment': '', 'Enabled': True,
  'Origins': {'Quantity': 1, 'Items': [{'Id': 'bucket', 'DomainName': 'newsroom.s3.amazonaws.com', 'S3OriginConfig': {'OriginAccessIdentity': ''}}]},
  'DefaultCacheBehavior': {'TargetOriginId': 'bucket', 'ViewerProtocolPolicy': 'redirect-to-https'}})['Distribution']['Id'])",
    );
    let invalidations = || -> Vec<Vec<String>> {
        let printed = cloudfront(
            &moto,
            &format!(
                "ids = [i['Id'] for i in cf.list_invalidations(DistributionId='{distribution}')['InvalidationList'].get('Items', [])]\nprint(json.dumps([cf.get_invalidation(DistributionId='{distribution}', Id=i)['Invalidation']['InvalidationBatch']['Paths']['Items'] for i in ids]))"
            ),
        );
        serde_json::from_str(&printed).unwrap()
    };
    let test = site();
    let cdn = format!("cloudfront:{distribution}");
    let run = |more: &[&str]| {
        let target = moto.target("news");
        let mut args = vec!["deploy", "--to", target.as_str(), "--invalidate", cdn.as_str()];
        args.extend_from_slice(more);
        cli_with(&test, &args, &[("AWS_ENDPOINT_URL_CLOUDFRONT", moto.endpoint.as_str())])
    };
    ok(&run(&[]));
    assert_eq!(invalidations().len(), 1, "the first deploy invalidated nothing");
    // A no-op deploy asks for nothing.
    let again = run(&[]);
    assert!(ok(&again).stdout.contains("Invalidated nothing"), "{}", again.stdout);
    assert_eq!(invalidations().len(), 1);
    // One story changed: exactly the addresses of what was uploaded.
    let before = moto.objects();
    test.edit("content/news/tide.md", "The tide turned.", "The tide turned early today.");
    let changed = run(&[]);
    ok(&changed);
    let after = moto.objects();
    let mut expected = std::collections::BTreeSet::new();
    for (key, object) in &after {
        let Some(rel) = key.strip_prefix("news/") else { continue };
        if before.get(key) != Some(object) && rel != ".broadsheet-manifest.json" {
            expected.insert(format!("/{rel}"));
            if let Some(folder) = rel.strip_suffix("index.html") {
                expected.insert(format!("/{folder}"));
            }
        }
    }
    let all = invalidations();
    assert_eq!(all.len(), 2, "{all:?}");
    let paths: std::collections::BTreeSet<String> = all[1].iter().cloned().collect();
    assert_eq!(paths, expected);
    let tide = format!("/{}", page_of(&test.output(), "tide").to_str().unwrap());
    assert!(paths.contains(&tide), "{tide} not in {paths:?}");
    assert!(paths.contains("/"), "the front page is not in {paths:?}");
    assert!(!paths.iter().any(|p| p.contains("_photos/") || p.ends_with(".css")), "unchanged files in {paths:?}");
    let told = changed.stdout.lines().find(|l| l.starts_with("Invalidated ")).unwrap();
    assert!(told.contains(&format!("{} addresses", paths.len())), "{told}");
}

/// A stand-in for Cloudflare's API on 127.0.0.1: records each request
/// (path, Authorization, body) and answers as Cloudflare does, busy (429)
/// for the first one. No outside service can be called from a test.
struct FakeCloudflare {
    base: String,
    seen: std::sync::Arc<std::sync::Mutex<Vec<(String, String, serde_json::Value)>>>,
}

impl FakeCloudflare {
    fn start() -> FakeCloudflare {
        use std::io::{BufRead as _, Read as _, Write as _};
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}/client/v4", listener.local_addr().unwrap());
        let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let log = std::sync::Arc::clone(&seen);
        std::thread::spawn(move || {
            for (n, stream) in listener.incoming().enumerate() {
                let Ok(mut stream) = stream else { return };
                stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
                let mut reader = std::io::BufReader::new(stream.try_clone().unwrap());
                let (mut line, mut head) = (String::new(), Vec::new());
                while reader.read_line(&mut line).unwrap_or(0) > 2 {
                    head.push(std::mem::take(&mut line));
                }
                let header = |name: &str| {
                    head.iter()
                        .find_map(|h| {
                            let (key, value) = h.split_once(':')?;
                            key.eq_ignore_ascii_case(name).then(|| value.trim().to_string())
                        })
                        .unwrap_or_default()
                };
                let mut body = vec![0; header("content-length").parse().unwrap_or(0)];
                reader.read_exact(&mut body).unwrap();
                let (status, answer) = if n == 0 {
                    ("429 Too Many Requests", r#"{"success":false,"errors":[{"code":971,"message":"busy"}]}"#)
                } else {
                    let path = head[0].split(' ').nth(1).unwrap_or_default().to_string();
                    let json = serde_json::from_slice(&body).unwrap_or_default();
                    log.lock().unwrap().push((path, header("authorization"), json));
                    ("200 OK", r#"{"success":true,"errors":[],"messages":[],"result":{"id":"purged"}}"#)
                };
                let reply = format!(
                    "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{answer}",
                    answer.len()
                );
                let _ = stream.write_all(reply.as_bytes());
            }
        });
        FakeCloudflare { base, seen }
    }
}

#[test]
fn deploy_to_s3_purges_the_changed_addresses_from_cloudflare_in_batches() {
    let Some(moto) = Moto::start("deploy to S3 tests") else { return };
    let test = site();
    let api = FakeCloudflare::start();
    let zone = "0123456789abcdef0123456789abcdef";
    let target = moto.target("news");
    let cdn = format!("cloudflare:{zone}");
    let run = |token: &str| {
        let env = [("CLOUDFLARE_API_BASE_URL", api.base.as_str()), ("CLOUDFLARE_API_TOKEN", token)];
        cli_with(&test, &["deploy", "--to", &target, "--invalidate", &cdn], &env)
    };
    // Without a token, nothing is built or uploaded.
    let refused = run("");
    assert!(!test.output().exists(), "a build ran before the token was checked");
    assert_eq!(refused.code, Some(2), "{}{}", refused.stdout, refused.stderr);
    assert!(refused.stderr.contains("CLOUDFLARE_API_TOKEN"), "{}", refused.stderr);
    assert!(moto.keys("news/").is_empty(), "a deploy refused for its CDN uploaded");

    let first = run("cf-token-1");
    ok(&first);
    let seen = api.seen.lock().unwrap().clone();
    assert!(seen.len() >= 2, "{} requests for the whole first deploy", seen.len());
    let mut purged = std::collections::BTreeSet::new();
    for (path, authorization, body) in &seen {
        assert_eq!(path, &format!("/client/v4/zones/{zone}/purge_cache"));
        assert_eq!(authorization, "Bearer cf-token-1");
        let files = body["files"].as_array().expect("no files in the purge");
        assert!(!files.is_empty() && files.len() <= 30, "{} addresses in one request", files.len());
        purged.extend(files.iter().map(|f| f.as_str().unwrap().to_string()));
    }
    // Every built file's address, on the site's own domain, and each page's folder.
    for key in built_keys(&test.output(), "news") {
        let rel = key.strip_prefix("news/").unwrap();
        assert!(purged.contains(&format!("https://news.test-times.org/{rel}")), "{rel} was not purged");
    }
    assert!(purged.contains("https://news.test-times.org/"));
    let told = first.stdout.lines().find(|l| l.starts_with("Invalidated ")).unwrap();
    assert!(told.contains(&format!("{} addresses in {} requests", purged.len(), seen.len())), "{told}");
}

#[test]
fn deploy_to_s3_shows_its_progress_on_a_terminal_and_keeps_logs_plain() {
    let Some(moto) = Moto::start("deploy to S3 tests") else { return };
    let test = site();
    // Piped, as in CI: no progress bar, no terminal codes.
    let piped = deploy(&test, &moto, &[]);
    assert!(!ok(&piped).stderr.contains("Uploading") && !piped.stderr.contains('\u{1b}'), "{}", piped.stderr);
    // On a terminal (util-linux `script` gives it one): the bar, counting files.
    let Some(script) = tools::require("script", "deploy_to_s3_shows_its_progress_on_a_terminal") else { return };
    test.edit("content/news/tide.md", "The tide turned.", "The tide turned at noon.");
    let target = moto.target("news");
    let command = format!("'{}' deploy --to '{target}'", env!("CARGO_BIN_EXE_broadsheet"));
    let out = Command::new(script)
        .args(["-q", "-e", "-c", &command, "/dev/null"])
        .current_dir(test.root())
        .envs(git_isolated())
        .env("AWS_ACCESS_KEY_ID", "test-key-id")
        .env("AWS_SECRET_ACCESS_KEY", "test-secret")
        .env_remove("AWS_PROFILE")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{shown}");
    assert!(shown.contains("Uploading") && shown.contains(" files"), "no progress on a terminal:\n{shown}");
    assert!(shown.contains("Deployed to"), "{shown}");
}
