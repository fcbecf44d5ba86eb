//! The hostile-input audit's attacks (issue 29), each reproduced and shown
//! refused: symbolic links out of a site or an import's source, URLs that
//! are not web addresses in every field Broadsheet writes into a page, a
//! foreign `Host` under `serve`, lists that made the output grow with their
//! square, and what killed builds leave behind.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::os::unix::fs::symlink;
use std::path::Path;
use std::time::{Duration, Instant};

use crate::harness::{SiteTest, copy_tree, repo, snapshot_tree};
use crate::serve::Server;

const SECRET: &str = "TOP-SECRET-OUTSIDE-THE-SITE";

/// Every file below `dir` whose bytes hold `needle`.
fn files_holding(dir: &Path, needle: &[u8]) -> Vec<String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter(|e| std::fs::read(e.path()).is_ok_and(|b| b.windows(needle.len()).any(|w| w == needle)))
        .map(|e| e.path().display().to_string())
        .collect()
}

/// A file outside any site, holding the secret, in its own temporary folder.
fn outside(name: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, SECRET).unwrap();
    (dir, path)
}

#[test]
fn wordpress_uploads_linked_out_of_the_folder_are_not_copied_and_are_reported() {
    let (secret_dir, secret) = outside("passwd");
    let uploads = tempfile::tempdir().unwrap();
    copy_tree(&repo().join("tests/fixtures/import-wordpress/uploads"), uploads.path());
    // One picture swapped for a link to a file outside, one folder for a link to a folder outside.
    let march = uploads.path().join("2024/03");
    std::fs::remove_file(march.join("harbour.jpg")).unwrap();
    symlink(&secret, march.join("harbour.jpg")).unwrap();
    std::fs::copy(march.join("boats.jpg"), secret_dir.path().join("boats.jpg")).unwrap();
    std::fs::write(secret_dir.path().join("boats.jpg.txt"), SECRET).unwrap();
    let moved = uploads.path().join("2024/03-real");
    std::fs::rename(&march, &moved).unwrap();
    std::fs::create_dir(&march).unwrap();
    std::fs::rename(moved.join("harbour.jpg"), march.join("harbour.jpg")).unwrap();
    symlink(secret_dir.path(), uploads.path().join("2024/03/elsewhere")).unwrap();

    let (test, run) = SiteTest::imported(
        "wordpress",
        "import-wordpress/export.xml",
        &["--uploads", uploads.path().to_str().unwrap()],
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(files_holding(test.root(), SECRET.as_bytes()), Vec::<String>::new());
    let report = std::fs::read_to_string(test.root().join("import-report.md")).unwrap();
    let line = report.lines().find(|l| l.contains("harbour.jpg")).unwrap_or_else(|| panic!("{report}"));
    assert!(line.contains("symbolic link") && line.contains("not"), "{line}");
    // The site still builds, and publishes nothing from outside.
    let run = test.cli(&["build"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(files_holding(&test.output(), SECRET.as_bytes()), Vec::<String>::new());
}

#[test]
fn jekyll_posts_linked_out_of_the_source_are_a_report_line() {
    let (_secret_dir, secret) = outside("post.md");
    std::fs::write(&secret, format!("---\ntitle: Linked\n---\n{SECRET}\n")).unwrap();
    let source = tempfile::tempdir().unwrap();
    copy_tree(&repo().join("tests/fixtures/import-jekyll"), source.path());
    symlink(&secret, source.path().join("_posts/2024-03-01-linked.md")).unwrap();
    let into = tempfile::tempdir().unwrap();
    let site = into.path().join("site");
    let run =
        SiteTest::empty().cli(&["import", "jekyll", source.path().to_str().unwrap(), "--into", site.to_str().unwrap()]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(files_holding(&site, SECRET.as_bytes()), Vec::<String>::new());
    let report = std::fs::read_to_string(site.join("import-report.md")).unwrap();
    let line = report.lines().find(|l| l.contains("2024-03-01-linked.md")).unwrap_or_else(|| panic!("{report}"));
    assert!(line.contains("symbolic link") && line.contains("not followed"), "{line}");
}

#[test]
fn a_hero_photo_linked_out_of_the_site_is_refused_with_its_line() {
    let (_dir, secret) = outside("picture.png");
    std::fs::copy(repo().join("tests/fixtures/basic/content/world/quake/photo.png"), &secret).unwrap();
    let test = SiteTest::fixture("basic");
    let photo = test.root().join("content/world/quake/photo.png");
    std::fs::remove_file(&photo).unwrap();
    symlink(&secret, &photo).unwrap();
    let errors = test.build().errors();
    let error = errors.iter().find(|e| e.contains("photo.png")).unwrap_or_else(|| panic!("{errors:?}"));
    assert!(error.starts_with("content/world/quake/index.md:7:"), "{error}");
    assert!(error.contains("outside") && error.contains("not followed"), "{error}");
    assert!(!test.output().exists(), "nothing is published");
}

/// A story whose front matter is `front` (TOML lines), in the basic site.
fn story(front: &str, body: &str) -> SiteTest {
    SiteTest::fixture("basic").file(
        "content/world/attack.md",
        format!("+++\ntitle = \"Attack\"\ndate = 2026-11-01T10:00:00Z\n{front}\n+++\n\n{body}\n"),
    )
}

#[test]
fn a_script_link_in_a_summary_is_dropped_with_a_warning_keeping_its_words() {
    let test =
        story("summary = \"Read [click here](javascript:alert(1)) and [this](https://example.org/ok).\"", "Body.");
    let built = test.build();
    let warning = built.report().warnings.iter().map(ToString::to_string).find(|w| w.contains("javascript:"));
    let warning = warning.unwrap_or_else(|| panic!("{:?}", built.report().warnings));
    assert!(warning.starts_with("content/world/attack.md:4:"), "{warning}");
    for route in ["world/attack/", "world/", ""] {
        let page = built.page(route);
        let hrefs = page.attrs("a", "href");
        assert!(hrefs.iter().all(|h| !h.to_ascii_lowercase().contains("javascript")), "{route}: {hrefs:?}");
    }
    let page = built.page("world/attack/");
    assert!(page.attrs("a", "href").contains(&"https://example.org/ok".to_string()));
    assert!(page.main_html().contains("click here"), "the link's words stay");
}

#[test]
fn script_and_file_addresses_in_front_matter_are_errors_at_their_line() {
    for (front, body, key, line) in [
        ("source = { name = \"x\", url = \"javascript:alert(1)\" }", "Body.", "source", 4),
        ("source = { name = \"x\", url = \" JaVaScRiPt:alert(1)\" }", "Body.", "source", 4),
        ("image = { src = \"file:///etc/passwd\", alt = \"x\" }", "Body.", "file:///etc/passwd", 4),
        ("image = { src = \"data:image/svg+xml,<svg/onload=alert(1)>\", alt = \"x\" }", "Body.", "data:", 4),
    ] {
        let errors = story(front, body).build().errors();
        let error = errors.iter().find(|e| e.contains(key)).unwrap_or_else(|| panic!("{front}: {errors:?}"));
        assert!(error.starts_with(&format!("content/world/attack.md:{line}:")), "{error}");
        assert!(error.contains("refused"), "{error}");
    }
}

#[test]
fn body_images_climbing_out_of_the_site_are_a_warning() {
    let test = story("", "![x](../../../../../../etc/passwd)\n\nText.");
    let built = test.build();
    let warnings: Vec<String> = built.report().warnings.iter().map(ToString::to_string).collect();
    let warning = warnings.iter().find(|w| w.contains("etc/passwd")).unwrap_or_else(|| panic!("{warnings:?}"));
    assert!(warning.starts_with("content/world/attack.md:"), "{warning}");
    assert!(warning.contains("outside"), "{warning}");
}

#[test]
fn script_addresses_in_site_toml_are_errors_at_their_line() {
    let extra = "\n[breaking]\ntext = \"News\"\nuntil = 2099-01-01T00:00:00Z\nurl = \"javascript:alert(1)\"\n\n[reactions]\nendpoint = \"javascript:alert(2)\"\n\n[[menus.main]]\ntitle = \"Bad\"\nurl = \"vbscript:x\"\n";
    let test = SiteTest::fixture("basic");
    let config = test.root().join("site.toml");
    let text = std::fs::read_to_string(&config)
        .unwrap()
        .replace("url = \"https://example.org/ann\"", "url = \"javascript:alert(3)\"")
        + extra;
    std::fs::write(&config, &text).unwrap();
    let line_of = |needle: &str| text.lines().position(|l| l.contains(needle)).unwrap() + 1;
    let run = test.cli(&["build"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    for (key, needle) in [
        ("breaking.url", "alert(1)"),
        ("reactions.endpoint", "alert(2)"),
        ("authors.ann.url", "alert(3)"),
        ("menus.main", "vbscript:x"),
    ] {
        let error = run.stderr.lines().find(|l| l.contains(key)).unwrap_or_else(|| panic!("{key}: {}", run.stderr));
        assert!(error.starts_with(&format!("site.toml:{}:", line_of(needle))), "{error}");
    }
}

/// The raw response to a GET of `/` with this `Host` header.
fn get_with_host(server: &Server, host: &str) -> String {
    let address = server.url.trim_start_matches("http://").trim_end_matches('/');
    let mut stream = TcpStream::connect(address).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(stream, "GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").unwrap();
    let mut response = String::new();
    let _ = stream.read_to_string(&mut response);
    response
}

#[test]
fn serve_answers_only_local_host_names() {
    let test = SiteTest::fixture("basic");
    let server = Server::start(&test);
    let port = server.url.trim_start_matches("http://").trim_end_matches('/').rsplit(':').next().unwrap().to_string();
    for host in [format!("127.0.0.1:{port}"), format!("localhost:{port}"), "preview.localhost".into()] {
        let response = get_with_host(&server, &host);
        assert!(response.starts_with("HTTP/1.1 200"), "{host}: {}", response.lines().next().unwrap_or(""));
    }
    // DNS rebinding: a page on attacker.example resolving to 127.0.0.1.
    for host in [format!("attacker.example:{port}"), "attacker.example".into(), "localhost.attacker.example".into()] {
        let response = get_with_host(&server, &host);
        assert!(response.starts_with("HTTP/1.1 421"), "{host}: {}", response.lines().next().unwrap_or(""));
        assert!(!response.contains("The Test Times"), "{host} saw the site");
    }
}

#[test]
fn serve_never_sends_a_file_swapped_for_a_link_out_of_the_site() {
    let (_dir, secret) = outside("passwd");
    let test = SiteTest::fixture("basic");
    let server = Server::start(&test);
    let (status, _, body) = server.get("robots.txt");
    assert_eq!(status, 200, "{body}");
    let robots = test.root().join("static/robots.txt");
    std::fs::remove_file(&robots).unwrap();
    symlink(&secret, &robots).unwrap();
    // Before, during and after the rebuild the swap causes.
    let until = Instant::now() + Duration::from_secs(3);
    let mut asked = 0;
    while Instant::now() < until {
        let (_, _, body) = server.get("robots.txt");
        assert!(!body.contains(SECRET), "served the file outside the site");
        asked += 1;
    }
    assert!(asked > 10);
}

#[test]
fn fifty_thousand_tags_and_twenty_thousand_corrections_stay_small() {
    let tags: Vec<String> = (0..50_000).map(|i| format!("\"tag {i}\"")).collect();
    let corrections: Vec<String> =
        (0..20_000).map(|i| format!("{{ date = 2026-11-{:02}, text = \"Fix {i}.\" }}", 2 + i % 27)).collect();
    let aliases: Vec<String> = (0..5_000).map(|i| format!("\"/old/{i}/\"")).collect();
    let test = story(
        &format!(
            "tags = [{}]\ncorrections = [{}]\naliases = [{}]",
            tags.join(", "),
            corrections.join(", "),
            aliases.join(", ")
        ),
        "Body.",
    );
    let built = test.build();
    let warnings: Vec<String> = built.report().warnings.iter().map(ToString::to_string).collect();
    let warning = warnings.iter().find(|w| w.contains("50000 tags")).unwrap_or_else(|| panic!("{warnings:?}"));
    assert!(warning.contains("first 100"), "{warning}");
    let page = built.page("world/attack/");
    assert_eq!(page.count("a[rel=tag]"), 100);
    assert!(built.exists("tags/tag-99/index.html") && !built.exists("tags/tag-100/index.html"));
    let bytes: u64 = walkdir::WalkDir::new(test.output())
        .into_iter()
        .filter_map(Result::ok)
        .filter_map(|e| e.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum();
    // Linear: the corrections page and the article list 20,000 entries each
    // (about 100 bytes apiece), 100 tag pages and feeds, 5,000 redirects.
    assert!(bytes < 60_000_000, "{bytes} bytes written");
}

#[test]
fn a_killed_builds_leftovers_are_removed_and_nothing_else() {
    let test = SiteTest::fixture("basic");
    let parent = test.root();
    // A build killed while removing: its mark is gone only if it went last.
    let marked = parent.join(".public.staging-AbC123");
    std::fs::create_dir_all(marked.join("world/quake")).unwrap();
    std::fs::write(marked.join(".broadsheet-work"), "").unwrap();
    // Killed between making the folder and marking it: empty folders only.
    let empty = parent.join(".public.staging-XyZ789");
    std::fs::create_dir_all(empty.join("a/b/c")).unwrap();
    // Someone's own folder with a name like ours, holding a file: kept.
    let theirs = parent.join(".public.staging-mine");
    std::fs::create_dir_all(&theirs).unwrap();
    std::fs::write(theirs.join("notes.txt"), "mine").unwrap();
    test.build().report();
    assert!(!marked.exists() && !empty.exists(), "leftovers stay");
    assert_eq!(std::fs::read_to_string(theirs.join("notes.txt")).unwrap(), "mine");
    let names: Vec<String> = std::fs::read_dir(parent)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public."))
        .collect();
    assert_eq!(names, [".public.staging-mine"]);
}

#[test]
fn a_template_linked_out_of_the_site_is_a_warning_and_not_read() {
    let (_dir, secret) = outside("base.html");
    let test = SiteTest::fixture("basic");
    std::fs::create_dir_all(test.root().join("templates")).unwrap();
    symlink(&secret, test.root().join("templates/base.html")).unwrap();
    let built = test.build();
    let warnings: Vec<String> = built.report().warnings.iter().map(ToString::to_string).collect();
    let warning =
        warnings.iter().find(|w| w.starts_with("templates/base.html:")).unwrap_or_else(|| panic!("{warnings:?}"));
    assert!(warning.contains("not followed"), "{warning}");
    assert_eq!(files_holding(&test.output(), SECRET.as_bytes()), Vec::<String>::new());
    assert_eq!(built.page("world/paris-summit/").text("h1"), "Leaders meet in Paris & agree on “next steps”");
}

#[test]
fn aliases_no_file_can_hold_and_broadsheets_own_names_are_errors_at_their_line() {
    let long = format!("\"/{}/\"", "a".repeat(300));
    for (alias, why) in [(long.as_str(), "255 bytes"), ("\"/.broadsheet-output\"", "Broadsheet's own")] {
        let errors = story(&format!("aliases = [{alias}]"), "Body.").build().errors();
        let error = errors.iter().find(|e| e.contains("alias")).unwrap_or_else(|| panic!("{alias}: {errors:?}"));
        assert!(error.starts_with("content/world/attack.md:4:"), "{error}");
        assert!(error.contains(why), "{error}");
    }
}

#[test]
fn an_imported_link_too_long_for_a_file_name_is_a_report_line_and_the_site_builds() {
    let source = tempfile::tempdir().unwrap();
    copy_tree(&repo().join("tests/fixtures/import-jekyll"), source.path());
    let post = source.path().join("_posts/2024-01-15-council-votes.md");
    let text = std::fs::read_to_string(&post).unwrap();
    let long = format!("/{}/", "%D0%B6".repeat(150));
    std::fs::write(&post, text.replacen("---\n", &format!("---\nredirect_from: [\"{long}\"]\n"), 1)).unwrap();
    let into = tempfile::tempdir().unwrap();
    let site = into.path().join("site");
    let run =
        SiteTest::empty().cli(&["import", "jekyll", source.path().to_str().unwrap(), "--into", site.to_str().unwrap()]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let report = std::fs::read_to_string(site.join("import-report.md")).unwrap();
    let line = report.lines().find(|l| l.contains("255 bytes")).unwrap_or_else(|| panic!("{report}"));
    assert!(line.contains("council-votes") && line.contains("cannot be kept"), "{line}");
    let build =
        std::process::Command::new(env!("CARGO_BIN_EXE_broadsheet")).arg("build").current_dir(&site).output().unwrap();
    assert!(build.status.success(), "{}", String::from_utf8_lossy(&build.stderr));
}

#[test]
fn a_cut_short_photo_is_called_cut_short_not_too_large() {
    let test = SiteTest::fixture("basic");
    let photo = test.root().join("content/world/quake/photo.png");
    let bytes = std::fs::read(&photo).unwrap();
    std::fs::write(&photo, &bytes[..20]).unwrap();
    let errors = test.build().errors();
    let error = errors.iter().find(|e| e.contains("photo.png")).unwrap_or_else(|| panic!("{errors:?}"));
    assert!(!error.contains("too large"), "{error}");
    assert!(error.contains("cut short"), "{error}");
}

#[test]
fn a_negative_photo_width_in_site_toml_says_which_value_is_wrong() {
    let test = SiteTest::fixture("basic");
    let config = test.root().join("site.toml");
    let text = std::fs::read_to_string(&config).unwrap() + "\n[images]\nwidths = [480, -800]\n";
    std::fs::write(&config, &text).unwrap();
    let run = test.cli(&["build"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    let line = text.lines().position(|l| l.starts_with("[images]")).unwrap() + 1;
    let error = run.stderr.lines().find(|l| l.contains("images")).unwrap_or_else(|| panic!("{}", run.stderr));
    assert!(error.starts_with(&format!("site.toml:{line}:")), "{error}");
    assert!(error.contains("-800") && error.contains("whole number of 0 or more"), "{error}");
    assert!(!error.contains("found a table"), "{error}");
}

#[test]
fn sources_named_by_a_relative_path_are_read_beneath_it() {
    // `confine` takes a relative path as relative to its root: `import hugo .` reads everything.
    for (from, fixture) in [("hugo", "import-hugo"), ("jekyll", "import-jekyll"), ("zola", "import-zola")] {
        let source = tempfile::tempdir().unwrap();
        copy_tree(&repo().join("tests/fixtures").join(fixture), source.path());
        let into = tempfile::tempdir().unwrap();
        let site = into.path().join("site");
        let run = std::process::Command::new(env!("CARGO_BIN_EXE_broadsheet"))
            .args(["import", from, ".", "--into", site.to_str().unwrap()])
            .current_dir(source.path())
            .output()
            .unwrap();
        assert!(run.status.success(), "{from}: {}", String::from_utf8_lossy(&run.stderr));
        let absolute = tempfile::tempdir().unwrap();
        let site2 = absolute.path().join("site");
        let run = SiteTest::empty().cli(&[
            "import",
            from,
            source.path().to_str().unwrap(),
            "--into",
            site2.to_str().unwrap(),
        ]);
        assert_eq!(run.code, Some(0), "{}", run.stderr);
        let files = |dir: &Path| -> Vec<String> {
            walkdir::WalkDir::new(dir.join("content"))
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_file())
                .map(|e| e.path().strip_prefix(dir).unwrap().display().to_string())
                .collect()
        };
        assert!(files(&site).len() > 3, "{from}: {:?}", files(&site));
        assert_eq!(files(&site), files(&site2), "{from}");
    }
}

#[test]
fn a_hugo_module_mount_through_a_link_out_of_the_site_is_not_read() {
    let source = tempfile::tempdir().unwrap();
    copy_tree(&repo().join("tests/fixtures/import-hugo-mounts"), source.path());
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.md"), "---\ntitle: SECRET-MARKER\n---\nSECRET-MARKER\n").unwrap();
    symlink(outside.path(), source.path().join("content/extra")).unwrap();
    let config = std::fs::read_to_string(source.path().join("hugo.yaml")).unwrap();
    let config = config.replace(
        "module:\n  mounts:\n",
        "module:\n  mounts:\n    - source: content/extra\n      target: content/extra\n",
    );
    std::fs::write(source.path().join("hugo.yaml"), config).unwrap();
    let into = tempfile::tempdir().unwrap();
    let site = into.path().join("site");
    let run =
        SiteTest::empty().cli(&["import", "hugo", source.path().to_str().unwrap(), "--into", site.to_str().unwrap()]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let written = snapshot_tree(&site);
    assert!(
        written.values().all(|b| !String::from_utf8_lossy(b).contains("SECRET-MARKER")),
        "the linked folder was read"
    );
    let report = std::fs::read_to_string(site.join("import-report.md")).unwrap();
    assert!(report.contains("**content/extra/**: a module mount that leads out"), "{report}");
}
