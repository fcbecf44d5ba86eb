//! Import conformance (issue 31): cases found on real sites, with the old
//! URLs the real generator gives, checked after `import` and `build`.
//! Each fixture's `expected-old-urls.txt` is what hugo 0.168 built from it.

use crate::harness::{SiteTest, answer, expected_old_urls, repo};

/// Imports `tests/fixtures/<fixture>` with the CLI, builds it with the CLI,
/// and returns the site and its report.
fn import_and_build(fixture: &str) -> (SiteTest, String) {
    let (site, run) = SiteTest::imported("hugo", fixture, &[]);
    assert_eq!(run.code, Some(0), "import: {}{}", run.stdout, run.stderr);
    let build = site.cli(&["build"]);
    assert_eq!(build.code, Some(0), "build: {}{}", build.stdout, build.stderr);
    let report = std::fs::read_to_string(site.root().join("import-report.md")).unwrap();
    (site, report)
}

/// Every old URL in the fixture's `expected-old-urls.txt` answers.
fn assert_old_urls_answer(site: &SiteTest, fixture: &str) {
    let olds = expected_old_urls(fixture);
    assert!(!olds.is_empty());
    let lost: Vec<&String> = olds.iter().filter(|old| answer(&site.output(), old, "/", false).is_none()).collect();
    assert!(lost.is_empty(), "old URLs that do not answer: {lost:?}");
}

fn headline(site: &SiteTest, old: &str) -> String {
    let page = answer(&site.output(), old, "/", false).unwrap_or_else(|| panic!("{old} does not answer"));
    page.text("main h1")
}

#[test]
fn a_hugo_documentation_section_becomes_pages_at_their_old_urls() {
    let fixture = "import-hugo-docs";
    let (site, report) = import_and_build(fixture);
    assert_old_urls_answer(&site, fixture);
    assert_eq!(headline(&site, "/docs/intro/"), "Introduction");
    assert_eq!(headline(&site, "/docs/getting-started/"), "Getting Started");
    assert_eq!(headline(&site, "/docs/guides/set-up/"), "Setting up");
    assert_eq!(headline(&site, "/Legacy/Setup/"), "Setting up");
    assert_eq!(headline(&site, "/docs/18.0/overview/"), "Overview 18");
    assert_eq!(headline(&site, "/manual/custom-place/"), "Custom");
    assert_eq!(headline(&site, "/docs/"), "Documentation");
    // The page keeps the old URL itself, not through a redirect.
    let intro = std::fs::read_to_string(site.output().join("docs/intro/index.html")).unwrap();
    assert!(!intro.contains("http-equiv=\"refresh\""), "{intro}");
    // Each page is a line of the report, and nothing is skipped.
    assert!(report.contains("**content/docs/intro.md**: undated"), "{report}");
    assert!(!report.contains("Skipped"), "{report}");
    // The footer does not list every documentation page.
    let front = std::fs::read_to_string(site.output().join("index.html")).unwrap();
    assert!(!front.contains("Reference 07"), "documentation pages are not in every footer");
}

#[test]
fn a_hugo_slug_starting_with_a_date_keeps_its_url_and_a_page_alias_on_a_section_is_dropped() {
    let fixture = "import-hugo-slug-date";
    let (site, report) = import_and_build(fixture);
    assert_old_urls_answer(&site, fixture);
    // Each digest at its own old URL, not both claiming `/blog/digest/`.
    assert_eq!(headline(&site, "/blog/2018-11-12-digest/"), "Weekly digest, November");
    assert_eq!(headline(&site, "/blog/2018-08-05-digest/"), "Weekly digest, August");
    // `/economie/` is the section's page; the page's alias there is a report line.
    let section = answer(&site.output(), "/economie/", "/", false).unwrap();
    assert!(section.main_html().contains("Markets rally"), "{}", section.main_html());
    assert!(report.contains("its old URL /economie/ is now another page of the site"), "{report}");
    // The summary counts them: the page's alias is the one not kept.
    assert!(report.contains("Old URLs kept: 6 of 7."), "{report}");
}

#[test]
fn aliases_of_hugo_sections_and_the_home_page_redirect_to_their_listings() {
    let fixture = "import-hugo-listing-aliases";
    let (site, report) = import_and_build(fixture);
    // A section with no page and no text of its own has nothing to lead
    // to: its URLs are report lines.
    let olds = expected_old_urls(fixture);
    let (lost, kept): (Vec<&String>, Vec<&String>) =
        olds.iter().partition(|u| u.starts_with("/guides/") || *u == "/howto/");
    assert_eq!(lost.len(), 2);
    for old in lost {
        assert!(report.contains(&format!("its old URL {old} cannot be kept")), "{old}: {report}");
    }
    for old in kept {
        assert!(answer(&site.output(), old, "/", false).is_some(), "{old} does not answer");
    }
    // `/list/` (an alias of the posts section, Hugo's `/all-posts/`) leads to the section's page.
    for old in ["/list/", "/all-posts/"] {
        let page = answer(&site.output(), old, "/", false).unwrap();
        assert!(page.main_html().contains("Icons 1.13"), "{old}: {}", page.main_html());
    }
    // The home page's aliases lead to the front page.
    let moved = std::fs::read_to_string(site.output().join("2017/06/14/introducing-jobs/index.html")).unwrap();
    assert!(moved.contains("url=/\""), "{moved}");
    // A section of pages with text of its own is a page, keeping its aliases.
    assert_eq!(headline(&site, "/training/"), "Enterprise");
    assert_eq!(headline(&site, "/enterprise/courses/"), "Courses");
}

#[test]
fn hugo_url_rules_ugly_urls_per_section_go_date_layouts_and_sections() {
    let fixture = "import-hugo-urls";
    let (site, _) = import_and_build(fixture);
    assert_old_urls_answer(&site, fixture);
    // `[uglyURLs] posts = true`: the post and its aliases are `.html` files.
    assert_eq!(headline(&site, "/2020/01/02/a-post.html"), "A Post");
    assert_eq!(headline(&site, "/old/a-post.html"), "A Post");
    assert_eq!(headline(&site, "/2020/01/02/rel-a.html"), "A Post");
    assert_eq!(headline(&site, "/2020/01/06/bund-slug.html"), "Bundle post");
    // `:2006/:Jan/:02`, lowercased as Hugo writes paths.
    assert_eq!(headline(&site, "/2021/mar/04/market-news/"), "Market News");
    // `:sections`: only folders with an `_index` file are sections.
    assert_eq!(headline(&site, "/g/guides/page-one/"), "Deep guide");
}

#[test]
fn hugo_global_ugly_urls_and_disable_path_to_lower() {
    let fixture = "import-hugo-ugly";
    let (site, report) = import_and_build(fixture);
    // `/Docs/` is Hugo's listing of a folder of pages: nothing lists them
    // in Broadsheet, so it is a report line.
    for old in expected_old_urls(fixture) {
        match old.as_str() {
            "/Docs/" => assert!(report.contains("its old URL /Docs/ cannot be kept"), "{report}"),
            _ => assert!(answer(&site.output(), &old, "/", false).is_some(), "{old} does not answer"),
        }
    }
    assert_eq!(headline(&site, "/2019/04/05/Harbour-Wall.html"), "Harbour Wall");
    assert_eq!(headline(&site, "/Old/Wall.html"), "Harbour Wall");
    assert_eq!(headline(&site, "/2019/04/06/Ferry-Times.html"), "Ferry");
    assert_eq!(headline(&site, "/Docs/Install.html"), "Install");
    assert_eq!(headline(&site, "/About.html"), "About");
}

#[test]
fn hugo_theme_static_files_and_static_mounts_are_copied_so_pictures_show() {
    let fixture = "import-hugo-theme-static";
    let (site, _) = import_and_build(fixture);
    assert_old_urls_answer(&site, fixture);
    let page = answer(&site.output(), "/posts/icons/", "/", false).unwrap();
    let images = page.attrs(".story-body img", "src");
    assert_eq!(images.len(), 3, "{}", page.main_html());
    for src in &images {
        let file = site.output().join(src.trim_start_matches('/'));
        assert!(file.is_file(), "picture {src} is not in the built site");
    }
    // The site's own `static/` wins over the theme's file of the same name.
    let own = std::fs::read(site.root().join("static/images/own.png")).unwrap();
    assert_eq!(own, std::fs::read(repo().join("tests/fixtures").join(fixture).join("static/images/own.png")).unwrap());
}

#[test]
fn hugo_bylines_written_as_markdown_links_or_lists_become_people() {
    let fixture = "import-hugo-authors";
    let (site, _) = import_and_build(fixture);
    assert_old_urls_answer(&site, fixture);
    let byline = |old: &str| answer(&site.output(), old, "/", false).unwrap().texts(".byline a");
    assert_eq!(byline("/blog/tracing/"), ["Jane Doe"]);
    assert_eq!(byline("/blog/rules/"), ["Jonas Rosland", "Libby Schulze"]);
    assert_eq!(byline("/blog/release/"), ["Ribbon", "Ron Williams"]);
    // The link is the author's address, the affiliation their bio.
    let jane = answer(&site.output(), "/authors/jane-doe/", "/", false).unwrap();
    assert_eq!(jane.attrs("main a[href^='https://github.com']", "href"), ["https://github.com/janedoe"]);
    assert!(jane.main_html().contains("Harbour Labs"), "{}", jane.main_html());
}

#[test]
fn hugo_content_folders_of_every_language_are_imported() {
    // `languages.zh.contentDir`: the Chinese story is the English one's
    // translation (`content/blog/launch.zh.md`), at /zh/blog/launch/ as
    // hugo 0.168 served it.
    let fixture = "import-hugo-languages";
    let (site, report) = import_and_build(fixture);
    assert_old_urls_answer(&site, fixture);
    assert_eq!(headline(&site, "/blog/launch/"), "Launch");
    assert_eq!(headline(&site, "/zh/blog/launch/"), "发布");
    assert!(site.root().join("content/blog/launch.zh.md").is_file());
    assert!(!report.contains("in language `zh`"), "{report}");
    assert!(report.contains("imported: 1 in en, 1 in zh"), "{report}");
}

#[test]
fn hugo_language_flag_still_imports_one_language_and_names_the_others() {
    let fixture = "import-hugo-languages";
    let (site, run) = SiteTest::imported("hugo", fixture, &["--language", "en"]);
    assert_eq!(run.code, Some(0), "import: {}{}", run.stdout, run.stderr);
    let report = std::fs::read_to_string(site.root().join("import-report.md")).unwrap();
    // `/zh/…` is the other language's: one line names its folder and the command.
    assert!(report.contains("**content/zh/**: its 1 content files in language `zh`"), "{report}");
    assert!(report.contains("--language zh"), "{report}");
    // And each of its files has a line: every old URL not kept is named.
    assert!(report.contains("**content/zh/blog/launch.md**: in language `zh`"), "{report}");
    assert!(!site.root().join("content/blog/launch.zh.md").exists());
}

#[test]
fn hugo_translations_by_file_name_keep_their_urls_under_their_language() {
    // Old URLs as hugo 0.168 built the fixture (expected-old-urls.txt is its
    // public/): a translation with its own slug, a bundle's translation, one
    // only in French, one linked by `translationKey`, a section's
    // `_index.fr.md`, an alias under /fr/ and a disabled language.
    let fixture = "import-hugo-translations";
    let (site, report) = import_and_build(fixture);
    // A folder of undated pages (`guide/`, with `_index.fr.md`) stays pages
    // in French too; its listing has no Broadsheet page, and says so.
    for listing in ["/guide/", "/fr/guide/"] {
        assert!(report.contains(&format!("its old URL {listing} cannot be kept")), "{listing}: {report}");
    }
    let olds: Vec<String> = expected_old_urls(fixture).into_iter().filter(|o| !o.ends_with("/guide/")).collect();
    let lost: Vec<&String> = olds.iter().filter(|old| answer(&site.output(), old, "/", false).is_none()).collect();
    assert!(lost.is_empty(), "old URLs that do not answer: {lost:?}");
    assert_eq!(headline(&site, "/fr/guide/start/"), "Premiers pas");
    assert!(!site.root().join("content/guide/_index.fr.md").exists(), "a folder of pages is no section in French");
    assert_eq!(headline(&site, "/fr/news/2024/tempete-sur-le-quai/"), "La tempête frappe le quai");
    assert_eq!(headline(&site, "/fr/ancien/tempete/"), "La tempête frappe le quai");
    assert_eq!(headline(&site, "/fr/news/2024/la-nouvelle-capitainerie/"), "La nouvelle capitainerie");
    assert_eq!(headline(&site, "/fr/news/2024/bonjour-lecteurs/"), "Bonjour, lecteurs");
    assert_eq!(headline(&site, "/fr/a-propos/"), "À propos");
    assert_eq!(headline(&site, "/news/2024/storm-hits-the-quay/"), "Storm hits the quay");
    // The disabled language is named, the imported one counted.
    assert!(report.contains("**content/news/storm.de.md**: it is in language `de`: not imported"), "{report}");
    assert!(!report.contains("language `fr`"), "{report}");
    assert!(report.contains("imported: 5 in en, 6 in fr"), "{report}");
}

#[test]
fn hugo_module_mounts_put_content_where_hugo_serves_it() {
    let fixture = "import-hugo-mounts";
    let (site, report) = import_and_build(fixture);
    assert_old_urls_answer(&site, fixture);
    // Each version's page is its own, read from the folder mounted there.
    for version in ["2.0", "2.1", "2.dev"] {
        let page = answer(&site.output(), &format!("/docs/{version}/getting-started/"), "/", false).unwrap();
        assert_eq!(page.text("main h1"), "Getting started");
        let folder = if version == "2.dev" { "_dev" } else { version };
        assert!(page.text("main").contains(&format!("version {}", folder)), "{version}: {}", page.text("main"));
    }
    // What the filters leave out is not imported; the report names pages by
    // the file they came from.
    assert!(answer(&site.output(), "/docs/v2/2.0/getting-started/", "/", false).is_none());
    assert!(!report.contains("_index-old.md"), "{report}");
    assert!(report.contains("content/docs/v2/2.1/configuration.md"), "{report}");
    // The news section's stories are dated articles.
    let story = answer(&site.output(), "/news/collector-release/", "/", false).unwrap();
    let published = story.attrs(".story-header .dates time", "datetime");
    assert_eq!(published.first().map(String::as_str), Some("2025-03-04T10:00:00+00:00"));
}

#[test]
fn hugo_dates_with_their_own_offsets_stay_on_the_day_written() {
    let fixture = "import-hugo-offsets";
    let (site, report) = import_and_build(fixture);
    assert_old_urls_answer(&site, fixture);
    for (old, day) in [
        ("/news/2024/07/09/kernel-notes/", "2024-07-09"),
        ("/news/2019/11/27/a-late-release/", "2019-11-27"),
        ("/news/2020/06/24/evening-update/", "2020-06-24"),
        ("/news/2021/03/02/morning-digest/", "2021-03-02"),
    ] {
        let page = answer(&site.output(), old, "/", false).unwrap();
        let published = page.attrs(".story-header .dates time", "datetime");
        assert_eq!(published.first().map(|d| &d[..10]), Some(day), "{old}: the day Hugo showed");
    }
    let config = std::fs::read_to_string(site.root().join("site.toml")).unwrap();
    assert!(config.contains("timezone = \"America/"), "the zone with the most of the offsets: {config}");
    assert!(report.contains("kernel-notes.md**: its time 2024-07-09T00:22:00+02:00"), "{report}");
}

#[test]
fn hugo_expired_pages_are_drafts_and_an_alias_takes_their_old_url() {
    let fixture = "import-hugo-r3-taxonomies";
    let (site, report) = import_and_build(fixture);
    // The build passes: the expired story's URL is the alias of `/301/` (as in Hugo).
    let gone = answer(&site.output(), "/2014/04/30/ferry-timetable/", "/", false).unwrap();
    assert_eq!(gone.text("main h1"), "The page you’re looking for is no longer available.");
    let draft = std::fs::read_to_string(site.root().join("content/news/ferry-timetable-2.md")).unwrap();
    assert!(draft.contains("draft = true"), "{draft}");
    assert!(
        report.contains("**content/news/2014-04-30-ferry-timetable.md**: its expiryDate 2020-01-01 has passed"),
        "{report}"
    );
    // An expiry to come (`ExpiryDate`, any case) leaves the story published.
    assert_eq!(headline(&site, "/2024/05/02/dredging-starts/"), "Dredging starts at the west quay");
}

#[test]
fn hugo_custom_taxonomies_become_tags_and_author_term_pages_name_the_bylines() {
    let fixture = "import-hugo-r3-taxonomies";
    let (site, report) = import_and_build(fixture);
    // Every old URL answers; those of a term no story has lead to the
    // topics' page, each named.
    for old in expected_old_urls(fixture) {
        assert!(answer(&site.output(), &old, "/", false).is_some(), "{old} does not answer");
    }
    for old in ["/topics/quiet/", "/topics/silence/"] {
        assert!(report.contains(&format!("its old URL {old} leads to the topics' page")), "{old}: {report}");
        let page = std::fs::read_to_string(site.output().join(old.trim_start_matches('/')).join("index.html")).unwrap();
        assert!(page.contains("url=/tags/\""), "{page}");
    }
    // `topics` are tags, named as their term page names them; the term's
    // URL and its aliases lead to the tag's page.
    let story = answer(&site.output(), "/2024/05/02/dredging-starts/", "/", false).unwrap();
    assert!(story.texts("a[href^='/tags/']").contains(&"Harbour".to_string()), "{}", story.main_html());
    for old in ["/topics/harbour/", "/topics/port/", "/topics/memories/"] {
        let page = answer(&site.output(), old, "/", false).unwrap();
        assert!(page.main_html().contains("Dredging starts") || old == "/topics/memories/", "{old}");
    }
    assert!(std::fs::read_to_string(site.output().join("topics/port/index.html")).unwrap().contains("/tags/harbour/"));
    // Bylines give the names of the author term pages, not their keys.
    assert_eq!(story.texts(".byline a"), ["Jane Roe", "Sam O'De"]);
    // An author whose handle is not their name's slug: the old page under
    // the handle leads to the page under the name; one whose only story
    // expired has no page, and theirs leads to the journalists' page.
    let moved = std::fs::read_to_string(site.output().join("authors/bbrown/index.html")).unwrap();
    assert!(moved.contains("url=/authors/bea-brown/"), "{moved}");
    assert_eq!(answer(&site.output(), "/authors/bea-brown/", "/", false).unwrap().text("h1"), "Bea Brown");
    let gone = std::fs::read_to_string(site.output().join("authors/old-hand/index.html")).unwrap();
    assert!(gone.contains("url=/authors/\""), "{gone}");
    let jane = std::fs::read_to_string(site.output().join("people/jane/index.html")).unwrap();
    assert!(jane.contains("url=/authors/jane-roe/"), "{jane}");
    assert!(report.contains("Old URLs kept: 19 of 19."), "{report}");
}

#[test]
fn hugo_entities_in_titles_and_summaries_are_shown_decoded() {
    let (site, _) = import_and_build("import-hugo-r3-taxonomies");
    let page = answer(&site.output(), "/2024/06/11/five-veterans/", "/", false).unwrap();
    assert_eq!(page.text("main h1"), "Five Veterans’ Journeys: the quay in 1944");
    // (The site's typography may curl the apostrophe.)
    let summary = page.attr("meta[name=description]", "content");
    assert!(summary.starts_with("Sailors") && summary.ends_with(" stories & more"), "{summary}");
    assert!(!summary.contains("#39") && !summary.contains("&amp;"), "{summary}");
}

#[test]
fn hugo_titles_with_a_slash_leading_blank_lines_self_aliases_and_translations() {
    let fixture = "import-hugo-r3-urls";
    let (site, report) = import_and_build(fixture);
    assert_old_urls_answer(&site, fixture);
    // `:title` is one part of the path: "Q3/2011" is `q3-2011`.
    assert_eq!(
        headline(&site, "/2011/06/membership-application-period-q3-2011/"),
        "Membership Application Period Q3/2011"
    );
    // Front matter after blank lines is read: the title, the date, the URL.
    assert_eq!(headline(&site, "/2021/04/chatbots-at-the-counter/"), "Chatbots at the counter");
    // An alias equal to the page's own URL is no redirect over the page.
    let own = std::fs::read_to_string(site.output().join("extensions/index.html")).unwrap();
    assert!(!own.contains("http-equiv=\"refresh\""), "{own}");
    assert_eq!(headline(&site, "/protocols/xmpp-extensions/"), "Extensions");
    // A translation by file name is imported beside its page, its alias
    // (`/de/rundbrief-september/`, which Hugo served under /de/) relative
    // to the language's root.
    let de = std::fs::read_to_string(site.root().join("content/blog/the-newsletter-for-september.de.md")).unwrap();
    assert!(de.contains("aliases = [\"/de/rundbrief-september/\"]"), "{de}");
    assert_eq!(headline(&site, "/de/de/rundbrief-september/"), "Der Newsletter für September");
    assert!(!report.contains("in another language"), "{report}");
}

#[test]
fn hugo_section_files_are_copied_where_hugo_published_them() {
    let fixture = "import-hugo-r3-bundles";
    let (site, report) = import_and_build(fixture);
    assert_old_urls_answer(&site, fixture);
    let page = answer(&site.output(), "/blog/cosign/", "/", false).unwrap();
    let images = page.attrs(".story-body img", "src");
    assert_eq!(images.len(), 2, "{}", page.main_html());
    for src in &images {
        // As the page's old URL resolves it (`../img/…` from `/blog/cosign/`).
        let path = if src.starts_with('/') { src.clone() } else { format!("/blog/cosign/{src}") };
        let resolved = path.replace("/blog/cosign/../", "/blog/");
        assert!(
            site.output().join(resolved.trim_start_matches('/')).is_file(),
            "picture {src} is not in the built site"
        );
    }
    // Hugo keeps the case of a resource's name.
    assert!(site.output().join("blog/img/cosign/Key-Pair.png").is_file());
    assert!(report.contains("3 files of sections"), "{report}");
    // A page whose URL changed (`18.0` → `18-0`) still shows its section's
    // picture: its relative path was resolved against the old URL.
    let page = answer(&site.output(), "/docs/18.0/overview/architecture/", "/", true).unwrap();
    let src = page.attr(".story-body img, main img", "src");
    assert!(src.starts_with('/'), "{src}");
    assert!(site.output().join(src.trim_start_matches('/')).is_file(), "picture {src} is not in the built site");
    assert!(!report.contains("Pictures readers will not see"), "{report}");
}

#[test]
fn a_hugo_blog_moved_from_wordpress_keeps_its_captions_as_figures() {
    // `[caption]` left in the Markdown by a WordPress-to-Hugo move (the XMPP
    // Standards Foundation's blog has 38); old URLs from real hugo 0.168.
    let fixture = "import-hugo-wp-captions";
    let (site, _) = import_and_build(fixture);
    let page = answer(&site.output(), "/blog/fosdem/", "/", false).unwrap();
    assert_eq!(page.text(".story-body figure figcaption"), "The flow of information in a client");
    assert_eq!(page.attr(".story-body figure img", "alt"), "Information flow");
    assert!(!page.main_html().contains("[caption"), "{}", page.main_html());
    assert!(answer(&site.output(), "/blog/", "/", false).is_some());
}
