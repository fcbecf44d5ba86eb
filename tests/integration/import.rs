//! `broadsheet import`: each kind of source, imported from a fixture made
//! for it, builds with no error, and every old URL of every published post
//! and page answers in the output: as the page itself or as a redirect to
//! it. The old URLs are read from the source (the export's `<link>`s) or
//! from what the real generator built (`expected-old-urls.txt`), never
//! from the import.

use std::path::Path;

use crate::harness::{Page, SiteTest, repo, snapshot_tree};

/// The page an old URL answers with (below the site's base path).
fn answer(output: &Path, old: &str, base_path: &str) -> Option<Page> {
    crate::harness::answer(output, old, base_path, false)
}

fn assert_every_old_url_answers(built: &crate::harness::Built, olds: &[String], base_path: &str) {
    assert!(!olds.is_empty());
    for old in olds {
        let page = answer(&built.output, old, base_path).unwrap_or_else(|| panic!("old URL {old} does not answer"));
        assert_eq!(page.count("main h1"), 1, "{old} answers with a page with a headline");
    }
}

/// Old URLs of the published posts and pages, read from the export's items.
fn wxr_old_urls(xml: &str) -> Vec<String> {
    let field = |item: &str, tag: &str| -> String {
        let open = format!("<{tag}>");
        let Some(start) = item.find(&open) else { return String::new() };
        let rest = &item[start + open.len()..];
        let end = rest.find(&format!("</{tag}>")).unwrap_or(0);
        rest[..end].trim().trim_start_matches("<![CDATA[").trim_end_matches("]]>").to_string()
    };
    xml.split("<item>")
        .skip(1)
        .filter(|item| field(item, "wp:status") == "publish" && field(item, "wp:post_password").is_empty())
        .filter(|item| matches!(field(item, "wp:post_type").as_str(), "post" | "page"))
        .map(|item| field(item, "link"))
        .filter(|link| !link.contains("?p="))
        .map(|link| link.trim_start_matches("https://gazette.example.org").to_string())
        .collect()
}

fn wordpress() -> (SiteTest, crate::harness::CliRun) {
    let uploads = repo().join("tests/fixtures/import-wordpress/uploads");
    SiteTest::imported("wordpress", "import-wordpress/export.xml", &["--uploads", uploads.to_str().unwrap()])
}

#[test]
fn a_wordpress_export_builds_and_keeps_every_old_url() {
    let (site, run) = wordpress();
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.stdout.starts_with("Imported 10 articles, 2 pages and 2 drafts"), "{}", run.stdout);
    assert!(run.stdout.contains("1 password-protected, 1 private (status), 1 trash (status)"), "{}", run.stdout);
    let built = site.build();
    let warnings = &built.report().warnings;
    assert!(warnings.is_empty(), "{warnings:?}");
    let xml = std::fs::read_to_string(repo().join("tests/fixtures/import-wordpress/export.xml")).unwrap();
    let olds = wxr_old_urls(&xml);
    assert_eq!(olds.len(), 10, "{olds:?}");
    assert_every_old_url_answers(&built, &olds, "");
}

#[test]
fn wordpress_posts_keep_their_figures_links_and_featured_image() {
    let (site, _) = wordpress();
    let built = site.build();
    let wall = built.page("2024/03/05/harbour-wall-repairs-begin/");
    assert_eq!(wall.text("main h1"), "Harbour wall repairs begin");
    assert!(wall.attr(".hero img", "src").starts_with("/_photos/"), "the featured image is the hero");
    assert_eq!(wall.attr(".hero img", "alt"), "The east harbour wall at low tide");
    let copied = walkdir::WalkDir::new(site.root().join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .any(|e| e.file_name() == "harbour.jpg" && e.path().parent().is_some_and(|p| p.join("index.md").is_file()));
    assert!(copied, "the upload is copied into the story's bundle");
    assert!(
        !built.exists("2024/03/05/harbour-wall-repairs-begin/harbour.jpg"),
        "its original is not published: the resized copies are"
    );
    assert_eq!(wall.text(".story-body figure figcaption"), "The east wall at low tide, photographed from the slipway");
    assert_eq!(wall.texts(".story-body h2"), ["What happens next"]);
    assert_eq!(wall.attr(".story-body a[href*=youtube]", "href"), "https://www.youtube.com/watch?v=dQw4w9WgXcQ");
    assert_eq!(wall.count(".story-body iframe, .story-body script"), 0, "no third-party embed loads");
}

#[test]
fn wordpress_statuses_become_drafts_and_scheduled_stories_and_nothing_private_is_written() {
    let (site, run) = wordpress();
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let files = snapshot_tree(site.root());
    let all: String = files.values().map(|b| String::from_utf8_lossy(b).into_owned()).collect();
    for secret in [
        "ann@gazette.example.org",
        "tom.brixham@gazette.example.org",
        "morwenna.t@example.net",
        "pete.olver@example.com",
        "192.0.2.44",
        "198.51.100.7",
        "203.0.113.19",
        "anchor-chain-42",
        "PRIVATE-MARKER",
        "TRASH-MARKER",
        "PASSWORD-MARKER",
        "BLOCK-MARKER",
    ] {
        assert!(!all.contains(secret), "{secret} was written");
    }
    let drafts = files.iter().filter(|(_, b)| String::from_utf8_lossy(b).contains("\ndraft = true\n")).count();
    assert_eq!(drafts, 2, "the draft and the pending post");
    let built = site.build();
    let published: String =
        snapshot_tree(&built.output).values().map(|b| String::from_utf8_lossy(b).into_owned()).collect();
    for unpublished in ["DRAFT-MARKER", "PENDING-MARKER", "FUTURE-MARKER"] {
        assert!(all.contains(unpublished), "{unpublished} is imported");
        assert!(!published.contains(unpublished), "{unpublished} is not published yet");
    }
    let report = std::fs::read_to_string(site.root().join("import-report.md")).unwrap();
    assert!(report.contains("item 16 (\"Regatta results\")**: shortcode `[gallery"), "{report}");
    assert!(report.contains("https://gazette.example.org/?p=99 is a query"), "{report}");
}

#[test]
fn importing_twice_gives_the_same_files_and_never_touches_the_source() {
    let source = repo().join("tests/fixtures/import-wordpress");
    let before = snapshot_tree(&source);
    let (a, _) = wordpress();
    let (b, _) = wordpress();
    assert_eq!(snapshot_tree(a.root()), snapshot_tree(b.root()));
    assert_eq!(snapshot_tree(&source), before);
}

#[test]
fn an_import_refuses_a_folder_that_is_not_empty() {
    let site = SiteTest::new().file("notes.txt", "mine");
    let xml = repo().join("tests/fixtures/import-wordpress/export.xml");
    let run = site.cli(&["import", "wordpress", xml.to_str().unwrap(), "--into", "."]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(run.stderr.contains("it is not empty"), "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(site.root().join("notes.txt")).unwrap(), "mine");
    assert!(!site.root().join("content").exists());
}

#[test]
fn hostile_exports_give_a_clear_error_and_write_nothing() {
    let laughs = "<?xml version=\"1.0\"?>\n<!DOCTYPE rss [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]>\n<rss><channel><title>&c;</title><link>https://e.org</link></channel></rss>";
    let external = "<?xml version=\"1.0\"?>\n<!DOCTYPE rss [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<rss><channel><link>https://e.org</link><item><title>&x;</title><wp:post_type>post</wp:post_type><wp:status>publish</wp:status></item></channel></rss>";
    let cut = "<rss><channel><link>https://e.org</link><item><title>Half";
    let latin1: &[u8] =
        b"<rss><channel><link>https://e.org</link><item><title><![CDATA[Caf\xe9]]></title></item></channel></rss>";
    for (name, bytes, says) in [
        ("laughs.xml", laughs.as_bytes(), "entity `&c;`"),
        ("cut.xml", cut.as_bytes(), "cut short"),
        ("latin1.xml", latin1, "not UTF-8"),
    ] {
        let site = SiteTest::new().file(name, bytes);
        let run = site.cli(&["import", "wordpress", name, "--into", "out"]);
        assert_eq!(run.code, Some(2), "{name}: {}", run.stderr);
        assert!(run.stderr.contains(name) && run.stderr.contains(says), "{name}: {}", run.stderr);
        assert!(!site.root().join("out").exists(), "{name}: nothing is written");
    }
    // An item using an entity the export declares is skipped, not expanded.
    let site = SiteTest::new().file("ext.xml", external);
    let run = site.cli(&["import", "wordpress", "ext.xml", "--into", "out"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.stdout.contains("Skipped 1 item: 1 unreadable"), "{}", run.stdout);
    let written: String =
        snapshot_tree(&site.root().join("out")).values().map(|b| String::from_utf8_lossy(b).into_owned()).collect();
    assert!(!written.contains("root:"), "no external entity is read");
}

#[test]
fn a_jekyll_site_builds_keeps_its_old_urls_and_rewrites_liquid() {
    let (site, run) = SiteTest::imported("jekyll", "import-jekyll", &[]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let built = site.build();
    let warnings = &built.report().warnings;
    assert!(warnings.is_empty(), "{warnings:?}");
    let olds: Vec<String> = std::fs::read_to_string(repo().join("tests/fixtures/import-jekyll/expected-old-urls.txt"))
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    assert_every_old_url_answers(&built, &olds, "/news");
    let config = std::fs::read_to_string(site.root().join("site.toml")).unwrap();
    assert!(config.contains("base_url = \"https://gazette.example.org/news/\""), "{config}");
    // `{% post_url %}` and `{% link %}` now point at the story's new page.
    let votes = answer(&built.output, "/news/news/council/2024/01/15/council-votes.html", "/news").unwrap();
    let links = votes.attrs(".story-body a", "href");
    let other = answer(&built.output, "/news/town/2024/01/02/other.html", "/news").unwrap();
    let other_url = other.attr("link[rel=canonical]", "href").replace("https://gazette.example.org", "");
    assert!(links.iter().filter(|l| **l == other_url).count() >= 2, "{links:?} should link to {other_url}");
    // `{{ site.baseurl }}/assets/img/x.png` is the site's own picture: shown resized, under the subpath.
    let body_images = votes.attrs(".story-body img", "src");
    assert!(body_images.iter().any(|s| s.starts_with("/news/_photos/") && s.ends_with(".png")), "{body_images:?}");
    assert!(built.exists("assets/img/x.png"), "static files are copied");
    let report = std::fs::read_to_string(site.root().join("import-report.md")).unwrap();
    assert!(
        report.contains("**_posts/2024-02-03-storm-night.markdown:18**: Liquid `{% include note.html %}`"),
        "{report}"
    );
    assert!(!report.contains("not liquid"), "raw blocks are unwrapped, not reported: {report}");
    // A post moved from WordPress (`wordpress_id`): its `[caption]` shows
    // the picture and the caption, a Markdown link with `=` in its words is
    // still a link, and `[gallery]` is a report line, not text.
    let regatta = answer(&built.output, "/news/sport/2024/03/20/regatta-photos.html", "/news").unwrap();
    assert_eq!(regatta.count(".story-body img"), 1, "{}", regatta.main_html());
    assert!(regatta.text(".story-body").contains("The start line at ten o’clock"));
    assert!(!regatta.text(".story-body").contains("caption"), "{}", regatta.text(".story-body"));
    assert_eq!(regatta.texts(".story-body a[href='https://example.org/results']"), ["results, class=open"]);
    assert!(report.contains("regatta-photos.md**: shortcode `[gallery"), "{report}");
}

/// Imports `tests/fixtures/<fixture>` and checks every line of its
/// `expected-old-urls.txt` (what the real generator built) answers.
fn folder_site_keeps_its_old_urls(from: &str, fixture: &str) -> crate::harness::Built {
    let (site, run) = SiteTest::imported(from, fixture, &[]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let built = site.build();
    let errors: Vec<_> = built.report().warnings.iter().filter(|d| d.is_error()).collect();
    assert!(errors.is_empty(), "{errors:?}");
    let olds: Vec<String> =
        std::fs::read_to_string(repo().join("tests/fixtures").join(fixture).join("expected-old-urls.txt"))
            .unwrap()
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(str::to_string)
            .collect();
    assert_every_old_url_answers(&built, &olds, "");
    built
}

#[test]
fn a_hugo_site_builds_and_keeps_its_old_urls_and_aliases() {
    let built = folder_site_keeps_its_old_urls("hugo", "import-hugo");
    let aliases = std::fs::read_to_string(repo().join("tests/fixtures/import-hugo/expected-old-aliases.txt")).unwrap();
    let olds: Vec<String> = aliases.lines().filter_map(|l| l.split_whitespace().next()).map(str::to_string).collect();
    assert_every_old_url_answers(&built, &olds, "");
}

#[test]
fn a_zola_site_builds_and_keeps_its_old_urls() {
    folder_site_keeps_its_old_urls("zola", "import-zola");
}

#[test]
fn section_from_sends_a_category_to_the_section_named() {
    let uploads = repo().join("tests/fixtures/import-wordpress/uploads");
    let args = ["--uploads", uploads.to_str().unwrap(), "--section-from", "Opinion=letters"];
    let (site, run) = SiteTest::imported("wordpress", "import-wordpress/export.xml", &args);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(site.root().join("content/letters/letters-the-ferry-timetable.md").is_file());
    assert!(!site.root().join("content/opinion").exists(), "no post is left in the category's own section");
    let page = site.build().page("2024/06/01/letters-the-ferry-timetable/");
    assert_eq!(page.attr(".story-header .kicker a", "href"), "/letters/");
}

/// The words every built page shows a reader (comments and scripts are not).
fn shown_text(output: &Path) -> Vec<(String, String)> {
    let script = scraper::Selector::parse("script, style, template").unwrap();
    walkdir::WalkDir::new(output)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            let html = scraper::Html::parse_document(&std::fs::read_to_string(e.path()).unwrap());
            let hidden: Vec<_> = html.select(&script).flat_map(|s| s.text()).collect();
            let text: String = html.root_element().text().filter(|t| !hidden.contains(t)).collect();
            (e.path().display().to_string(), text)
        })
        .collect()
}

#[test]
fn no_reader_sees_shortcode_or_liquid_syntax_and_paired_ones_keep_their_words() {
    for (from, source, args) in [
        ("wordpress", "import-wordpress/export.xml", vec![]),
        ("jekyll", "import-jekyll", vec![]),
        ("hugo", "import-hugo", vec![]),
        ("zola", "import-zola", vec![]),
    ] {
        let (test, run) = SiteTest::imported(from, source, &args);
        assert_eq!(run.code, Some(0), "{from}: {}", run.stderr);
        let report = std::fs::read_to_string(test.root().join("import-report.md")).unwrap();
        assert!(report.contains("hidden in an HTML comment"), "{from}: the report names what was hidden\n{report}");
        let build = test.cli(&["build"]);
        assert_eq!(build.code, Some(0), "{from}: {}", build.stderr);
        for (page, text) in shown_text(&test.output()) {
            // `{% raw %}{{ not liquid }}{% endraw %}` shows its braces in Jekyll too.
            let text = text.replace("{{ not liquid }}", "");
            for syntax in ["{{<", "{{%", ">}}", "{%", "%}", "{{", "}}", "[gallery", "[/"] {
                assert!(!text.contains(syntax), "{from}: {page} shows {syntax:?}");
            }
        }
    }
    // A paired shortcode's inner words stay for readers (Zola's `note` block).
    let (test, _) = SiteTest::imported("zola", "import-zola", &[]);
    test.cli(&["build"]);
    let all: String = shown_text(&test.output()).into_iter().map(|(_, t)| t).collect();
    let inner =
        std::fs::read_to_string(repo().join("tests/fixtures/import-zola/content/blog/2024-03-05-harbour-wall.md"))
            .unwrap()
            .lines()
            .skip_while(|l| !l.starts_with("{% note"))
            .nth(1)
            .unwrap()
            .trim()
            .to_string();
    assert!(all.contains(inner.split_whitespace().take(3).collect::<Vec<_>>().join(" ").as_str()), "{inner}");
}

#[test]
fn a_wordpress_com_export_names_its_authors_in_wp_wp_author() {
    // WordPress.com exports of 2014 write `<wp:wp_author>`, not `<wp:author>`.
    let (site, run) = SiteTest::imported("wordpress", "import-wordpress-r3-wpcom/export.xml", &[]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let built = site.build();
    built.report();
    let post = answer(&built.output, "/2014/02/11/notes-from-the-ferry-summit/", "/").unwrap();
    assert_eq!(post.texts("main .byline a[rel=author]"), ["Ines Harbour"], "the display name, not the login");
    let report = std::fs::read_to_string(site.root().join("import-report.md")).unwrap();
    assert!(!report.contains("author list"), "{report}");
}

#[test]
fn a_polylang_export_comes_in_with_both_languages_linked() {
    // Polylang gives each post's language and translation group as
    // taxonomy terms; its French posts are under /fr/.
    let (site, run) = SiteTest::imported("wordpress", "import-wordpress-polylang/export.xml", &[]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.stdout.contains("imported: 2 in en, 2 in fr"), "{}", run.stdout);
    let config: toml::Table = toml::from_str(&std::fs::read_to_string(site.root().join("site.toml")).unwrap()).unwrap();
    assert_eq!(config["language"].as_str(), Some("en"));
    assert!(config["languages"].as_table().unwrap().contains_key("fr"));
    let built = site.build();
    built.report();
    let xml = std::fs::read_to_string(repo().join("tests/fixtures/import-wordpress-polylang/export.xml")).unwrap();
    let olds: Vec<String> =
        wxr_old_urls(&xml).into_iter().map(|u| u.trim_start_matches("https://port.example.org").to_string()).collect();
    assert_eq!(olds.len(), 4);
    assert_every_old_url_answers(&built, &olds, "/");
    // The English story and its French translation name each other.
    let english = answer(&built.output, "/2024/05/14/ferry-timetable-changes/", "/").unwrap();
    assert_eq!(
        english.attrs(r#"link[rel="alternate"][hreflang="fr"]"#, "href"),
        ["https://port.example.org/fr/2024/05/14/changements-horaires-ferry/"]
    );
    let french = answer(&built.output, "/fr/2024/05/14/changements-horaires-ferry/", "/").unwrap();
    assert_eq!(french.attr("html", "lang"), "fr");
    assert_eq!(
        french.attrs(r#"link[rel="alternate"][hreflang="en"]"#, "href"),
        ["https://port.example.org/2024/05/14/ferry-timetable-changes/"]
    );
    // A story only in French is only in French.
    assert!(answer(&built.output, "/2024/05/22/seulement-en-francais/", "/").is_none());
}
