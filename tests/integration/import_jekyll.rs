//! Import conformance (issue 31): cases found on real sites, with the old
//! URLs the real generator gives, checked after `import` and `build`.
//!
//! Each fixture's `expected-old-urls.txt` is what Jekyll 4.3.1 (Debian)
//! gave for it (`benches/conformance/jekyll_truth.rb`, and the files it
//! wrote), never what the import says.

use std::path::Path;

use crate::harness::{Built, Page, SiteTest, repo};

/// The page an old URL answers with, following redirects: `None` when
/// nothing answers. `/x` is served by `x` or `x/index.html`, as a web
/// server does.
fn answer(output: &Path, old: &str) -> Option<Page> {
    crate::harness::answer(output, old, "/", true)
}

/// Imports `tests/fixtures/<fixture>`, builds it with no error and checks
/// every line of `expected-old-urls.txt` answers with a page that has a
/// headline.
fn imported_and_built(fixture: &str) -> (SiteTest, Built) {
    let (site, run) = SiteTest::imported("jekyll", fixture, &[]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let built = site.build();
    let errors: Vec<_> = built.report().warnings.iter().filter(|d| d.is_error()).collect();
    assert!(errors.is_empty(), "{errors:?}");
    let expected =
        std::fs::read_to_string(repo().join("tests/fixtures").join(fixture).join("expected-old-urls.txt")).unwrap();
    let olds: Vec<&str> = expected.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    assert!(!olds.is_empty());
    let report = std::fs::read_to_string(site.root().join("import-report.md")).unwrap();
    for old in olds {
        let page = answer(&built.output, old).unwrap_or_else(|| panic!("old URL {old} does not answer\n{report}"));
        assert_eq!(page.count("main h1"), 1, "{old} answers with a page with a headline");
    }
    (site, built)
}

/// The date an article page says it was published.
fn published(page: &Page) -> String {
    page.attrs(".story-header .dates time", "datetime").into_iter().next().unwrap_or_default()
}

#[test]
fn jekyll_pages_keep_their_urls_under_the_sites_permalink_style() {
    // `permalink: pretty`; `about/index.md`, `examples/cities.md`, an HTML
    // page with front matter, a layout-only page, a `redirect_to` page, a
    // page with `redirect_from`, and listings made by Liquid.
    let (site, built) = imported_and_built("import-jekyll-pages");
    let about = answer(&built.output, "/about/").unwrap();
    assert_eq!(about.text("main h1"), "About us");
    assert!(about.text("main").contains("covered the valley since 1921"));
    let cities = answer(&built.output, "/examples/cities/").unwrap();
    assert_eq!(cities.text("main h1"), "Cities we cover");
    let work = answer(&built.output, "/work/").unwrap();
    assert_eq!(work.text("main h1"), "Work with us");
    assert_eq!(work.texts("main h2"), ["Openings"], "the HTML page's own markup is kept");
    // `permalink: /community/index.html` is the page itself, never a redirect to itself.
    let community = std::fs::read_to_string(built.output.join("community/index.html")).unwrap();
    assert!(!community.contains("http-equiv=\"refresh\""), "{community}");
    assert_eq!(answer(&built.output, "/community/index.html").unwrap().text("main h1"), "Community");
    // `redirect_to: /about/` leads to the about page.
    let contact = answer(&built.output, "/contact-us/").unwrap();
    assert_eq!(contact.text("main h1"), "About us");
    // The theme's listings are not pages of their own.
    let report = std::fs::read_to_string(site.root().join("import-report.md")).unwrap();
    assert!(!report.contains("site.posts"), "{report}");
    assert!(!site.root().join("content/blog/index.html").exists());
    assert!(!site.root().join("content/feed.xml").exists());
    // The layout-only page answers, and the report says its text is missing.
    assert!(report.contains("**api.md**: it has no text of its own (layout `go-import`"), "{report}");
    // A page with a date stays a page, as in Jekyll; the date it cannot show is named.
    assert!(report.contains("**examples/cities.md**: a page with `date: 2024-06-04 09:00:00"), "{report}");
    assert_eq!(cities.count(".story-header time"), 0);
}

#[test]
fn jekyll_collections_that_are_written_are_imported_at_their_urls() {
    // `_releases` (dated: articles, `permalink: /:year/:month/:day/:title/`,
    // one with a front-matter date a day after its file name's), `_events`
    // (undated: a page at the default `/:collection/:path:output_ext`),
    // `_staff` (`output: false`: Jekyll writes nothing, nor does the import).
    let (site, built) = imported_and_built("import-jekyll-collections");
    let release = answer(&built.output, "/2021/05/07/Release-2-0/").unwrap();
    assert_eq!(release.text("main h1"), "Release 2.0 is here");
    assert_eq!(published(&release), "2021-05-07T10:00:00+00:00");
    let meetup = answer(&built.output, "/events/town-meetup.html").unwrap();
    assert_eq!(meetup.text("main h1"), "Town meetup");
    assert_eq!(meetup.count(".story-header .dates time"), 0, "an undated document is a page");
    let written: Vec<String> = walkdir::WalkDir::new(site.root().join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| std::fs::read_to_string(e.path()).unwrap_or_default())
        .collect();
    assert!(!written.iter().any(|t| t.contains("Jo writes about schools")), "`output: false` is not imported");
}

#[test]
fn jekyll_dates_in_prose_win_over_the_file_name_and_spaces_are_slugified() {
    let (_site, built) = imported_and_built("import-jekyll-dates");
    for (old, day) in [
        ("/2020/06/02/prose.html", "2020-06-02T00:00:00+00:00"),
        ("/2020/07/03/evening.html", "2020-07-03T22:30:00+00:00"),
        ("/2020/08/04/rfc.html", "2020-08-04T07:15:00+00:00"),
        ("/2020/09/05/ordinal.html", "2020-09-05T00:00:00+00:00"),
    ] {
        let page = answer(&built.output, old).unwrap();
        assert_eq!(published(&page), day, "{old}: the date Jekyll gives it");
    }
    let copy = answer(&built.output, "/2022/09/07/newsapps-jobs-copy.html").unwrap();
    assert_eq!(copy.text("main h1"), "We are hiring");
}

#[test]
fn jekyll_bylines_name_people_from_author_files_and_split_shared_credits() {
    let (_site, built) = imported_and_built("import-jekyll-bylines");
    let byline = |old: &str| answer(&built.output, old).unwrap().texts("main .byline a[rel=author]");
    assert_eq!(byline("/2021/01/05/council-budget.html"), ["Matt Dobson"], "`full_name` of _authors/matt-dobson.md");
    assert_eq!(byline("/2021/01/06/two-reporters.html"), ["Dan Sinker", "Erika Owens"]);
    assert_eq!(
        byline("/2021/01/07/three-reporters.html"),
        ["Lena Park", "Omar Haddad", "Ayo Okafor"],
        "`display_name` of _authors/ayo.md"
    );
    // The author pages of the `authors` collection answer with the author.
    assert_eq!(answer(&built.output, "/author/matt-dobson/").unwrap().text("main h1"), "Matt Dobson");
}

/// The first element of `html` matching `css`.
fn select<'a>(html: &'a scraper::Html, css: &str) -> scraper::ElementRef<'a> {
    html.select(&scraper::Selector::parse(css).unwrap()).next().unwrap_or_else(|| panic!("no {css}"))
}

/// What a reader sees of an article body: each block and inline element
/// (but the wrappers a highlighter adds) with its text, and headings' ids
/// (links to them must still land).
fn shape(body: scraper::ElementRef) -> Vec<String> {
    let kinds = ["p", "h2", "h3", "h4", "ul", "ol", "li", "strong", "em", "a", "div", "section", "pre", "blockquote"];
    body.descendants()
        .skip(1)
        .filter_map(scraper::ElementRef::wrap)
        .filter(|e| kinds.contains(&e.value().name()))
        .filter(|e| e.value().name() != "div" || !e.value().attr("class").is_some_and(|c| c.contains("highlight")))
        .map(|e| {
            let text = e.text().collect::<String>().split_whitespace().collect::<Vec<_>>().join(" ");
            let id = e.value().name().starts_with('h').then(|| e.value().attr("id")).flatten();
            format!("{} {text}{}", e.value().name(), id.map(|i| format!(" #{i}")).unwrap_or_default())
        })
        .collect()
}

#[test]
fn kramdown_attribute_lists_and_markdown_blocks_render_as_jekyll_rendered_them() {
    let (site, built) = imported_and_built("import-jekyll-kramdown");
    let fixture = repo().join("tests/fixtures/import-jekyll-kramdown");
    for (old, expected) in [
        ("/2024/04/harbour-notice/", "harbour-notice.html"),
        ("/2024/04/fog-bell/", "fog-bell.html"),
        ("/2024/04/tide-tables/", "tide-tables.html"),
    ] {
        let jekyll = scraper::Html::parse_document(
            &std::fs::read_to_string(fixture.join("expected-jekyll").join(expected)).unwrap(),
        );
        let page = answer(&built.output, old).unwrap();
        let shown = shape(select(&page.html, ".story-body"));
        assert_eq!(shown, shape(select(&jekyll, "article.post-body")), "{old}: the body as Jekyll showed it");
        // Links within the page (`{:toc}`'s table of contents) land where Jekyll's did.
        let within = |html: &scraper::Html, css: &str| -> Vec<String> {
            select(html, css)
                .select(&scraper::Selector::parse("a").unwrap())
                .filter_map(|a| a.value().attr("href").filter(|h| h.starts_with('#')).map(str::to_string))
                .collect()
        };
        assert_eq!(within(&page.html, ".story-body"), within(&jekyll, "article.post-body"), "{old}");
        // An entity in a title is shown as its character, once.
        let title = select(&jekyll, "h1").text().collect::<String>();
        assert_eq!(page.text("main h1"), title, "{old}");
        // No attribute list or extension is shown (but in code, as written).
        for block in shown.iter().filter(|b| !b.starts_with("pre ")) {
            assert!(!block.contains("{:") && !block.contains("markdown="), "{old} shows {block:?}");
        }
        assert!(!page.main_html().contains("markdown="), "{old}");
    }
    // A feed its Liquid made is not a page: left out, and named.
    let report = std::fs::read_to_string(site.root().join("import-report.md")).unwrap();
    assert!(report.contains("**_pages/releases/feed.xml**: a .xml file its Liquid made"), "{report}");
    assert!(!built.output.join("releases/feed.xml").exists());
    // The site keeps its name (`name:`, no `title:`) and its logo.
    let config = std::fs::read_to_string(site.root().join("site.toml")).unwrap();
    let config: toml::Table = toml::from_str(&config).unwrap();
    assert_eq!(config["title"].as_str(), Some("The Quayside Courier"));
    assert_eq!(config["logo"].as_str(), Some("/assets/logo.png"));
    let front = crate::harness::answer(&built.output, "/", "/", true).unwrap();
    assert_eq!(front.attr(".masthead img, header img", "alt"), "The Quayside Courier", "the logo is in the masthead");
}

#[test]
fn jekyll_files_named_like_broadsheets_own_pages_get_other_names_and_the_site_builds() {
    // A post `2019-01-01-index.md` (the home page, `permalink: /`), a
    // document `_docs/0.16.0/index.md`, a page at `/world/2023` and a listing
    // at `/2019/`: none may become a bundle's `index.md`, the front page or
    // a year archive.
    let (site, built) = imported_and_built("import-jekyll-r3-reserved");
    assert_eq!(answer(&built.output, "/en/doc/0.16.0/").unwrap().text("main h1"), "Ledger 0.16.0");
    assert_eq!(answer(&built.output, "/world/2023").unwrap().text("main h1"), "Harbour World 2023");
    assert_eq!(answer(&built.output, "/2019/02/harbour-dues/").unwrap().text("main h1"), "Harbour dues rise");
    let content = site.root().join("content");
    let indexes: Vec<_> = walkdir::WalkDir::new(&content)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with("index."))
        .map(|e| e.path().strip_prefix(&content).unwrap().to_path_buf())
        .collect();
    assert!(indexes.is_empty(), "no file is a bundle's or the front page's: {indexes:?}");
    // The home page post is an article of its own, and the year is
    // Broadsheet's archive, which lists the months of the posts the listing listed.
    let home = walkdir::WalkDir::new(&content)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| std::fs::read_to_string(e.path()).is_ok_and(|t| t.contains("Welcome to the Ledger")))
        .count();
    assert_eq!(home, 1, "the home page post is imported once");
    let year = answer(&built.output, "/2019/").unwrap();
    assert!(year.texts("main a").iter().any(|t| t == "February 2019"), "{:?}", year.texts("main a"));
    let report = std::fs::read_to_string(site.root().join("import-report.md")).unwrap();
    assert!(report.contains("**archive-2019.html**: not imported: it was a listing made by Liquid, and Broadsheet's own page at /2019/ answers its old URL"), "{report}");
    // A category's listing page (real Jekyll writes /category/releases/)
    // leads to the page that lists its stories now: their section.
    let category = std::fs::read_to_string(built.output.join("category/releases/index.html")).unwrap();
    assert!(category.contains("url=/releases/\""), "{category}");
    let topic = answer(&built.output, "/releases/").unwrap();
    assert!(topic.texts("main a").iter().any(|t| t == "New tide tables"), "{:?}", topic.texts("main a"));
}

#[test]
fn jekyll_yaml_with_a_key_written_twice_keeps_the_last_value_as_jekyll_does() {
    // `_data/authors.yml` lists `mara-quill` twice; a post says `category:`
    // twice (Jekyll's URL uses the second, `transport`).
    let (site, built) = imported_and_built("import-jekyll-r3-yaml");
    let byline = |old: &str| answer(&built.output, old).unwrap().texts("main .byline a[rel=author]");
    assert_eq!(byline("/transport/2021/05/03/ferry-timetable/"), ["Tomas Reed"], "names, never handles");
    assert_eq!(byline("/2021/05/10/crane-repairs/"), ["Mara Quill"]);
    let ferry = answer(&built.output, "/transport/2021/05/03/ferry-timetable/").unwrap();
    assert_eq!(ferry.text("main h1"), "Ferry timetable changes");
    let report = std::fs::read_to_string(site.root().join("import-report.md")).unwrap();
    assert!(report.contains("**_data/authors.yml:6**"), "the repeated key is named with its line\n{report}");
    assert!(report.contains("**_posts/2021-05-03-ferry-timetable.md:7**"), "{report}");
}

#[test]
fn jekyll_front_matter_times_without_a_zone_are_read_as_psych_and_time_parse_read_them() {
    let (_site, built) = imported_and_built("import-jekyll-r3-dates");
    let expected =
        std::fs::read_to_string(repo().join("tests/fixtures/import-jekyll-r3-dates/expected-dates.tsv")).unwrap();
    for line in expected.lines().filter(|l| !l.trim().is_empty()) {
        let (old, date) = line.split_once('\t').unwrap();
        let page = answer(&built.output, old).unwrap();
        assert_eq!(published(&page), date, "{old}: the date Jekyll gave it");
    }
}

#[test]
fn jekyll_relative_pictures_show_the_same_file_after_the_url_changes() {
    // `permalink: /:title`: `img/x.png` and `../img/x.png` were resolved
    // against `/crane-photos`; the article is now in a folder of its own.
    let (_site, built) = imported_and_built("import-jekyll-r3-bodies");
    let jekyll = std::fs::read_to_string(
        repo().join("tests/fixtures/import-jekyll-r3-bodies/expected-jekyll/crane-photos.html"),
    )
    .unwrap();
    let jekyll_alts: Vec<String> = scraper::Html::parse_document(&jekyll)
        .select(&scraper::Selector::parse("img").unwrap())
        .filter_map(|i| i.value().attr("alt").map(str::to_string))
        .collect();
    let page = answer(&built.output, "/crane-photos").unwrap();
    assert_eq!(page.attrs(".story-body img", "alt"), jekyll_alts, "every picture Jekyll's page showed");
    for src in page.attrs(".story-body img", "src") {
        // Broadsheet may serve a resized copy (`/_photos/…`): it is made
        // only from a picture it found.
        assert!(src.starts_with('/'), "{src} is found from any URL");
        assert!(built.output.join(src.trim_start_matches('/')).is_file(), "{src} is a file of the site");
    }
}

#[test]
fn jekyll_posts_below_folders_jekyll_does_not_read_are_not_imported() {
    // `_vendor/…/spec/source/_posts/2014-05-20-blah.md`: a gem's test post.
    let (site, _built) = imported_and_built("import-jekyll-r3-bodies");
    let written: Vec<String> = walkdir::WalkDir::new(site.root().join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| std::fs::read_to_string(e.path()).unwrap_or_default())
        .collect();
    assert!(!written.iter().any(|t| t.contains("A gem's test post")), "never imported");
}

#[test]
fn jekyll_liquid_over_several_lines_is_hidden_and_included_link_definitions_make_jekylls_links() {
    // `{% include note.html\n kind="tip" %}` and `{% include references.md %}`
    // (the `[Name]: url` definitions the post's `[Pieter Quill][]` uses).
    let (site, built) = imported_and_built("import-jekyll-r3-bodies");
    let jekyll =
        std::fs::read_to_string(repo().join("tests/fixtures/import-jekyll-r3-bodies/expected-jekyll/dues-review.html"))
            .unwrap();
    let jekyll = scraper::Html::parse_document(&jekyll);
    let links = |html: &scraper::Html, css: &str| -> Vec<(String, String)> {
        html.select(&scraper::Selector::parse(css).unwrap())
            .map(|a| (a.text().collect(), a.value().attr("href").unwrap_or("").to_string()))
            .collect()
    };
    let page = answer(&built.output, "/dues-review").unwrap();
    assert_eq!(links(&page.html, ".story-body a"), links(&jekyll, "body a"), "the links Jekyll made");
    // The HTML include is hidden whole and named with its first line.
    let shown = page.texts(".story-body").join(" ");
    assert!(!shown.contains("{%") && !shown.contains("%}") && !shown.contains("]["), "{shown}");
    let report = std::fs::read_to_string(site.root().join("import-report.md")).unwrap();
    assert!(
        report.contains("**_posts/2021-05-01-dues-review.md:7**: Liquid `{% include note.html kind=\"tip\" %}`"),
        "{report}"
    );
}

#[test]
fn jekyll_pictures_that_cannot_be_found_are_named_in_the_report_and_never_shown_broken_from_liquid() {
    let (site, built) = imported_and_built("import-jekyll-lost-pictures");
    let report = std::fs::read_to_string(site.root().join("import-report.md")).unwrap();
    let section = report.split("## Pictures readers will not see").nth(1).unwrap_or_else(|| panic!("{report}"));
    let named: Vec<&str> = section.lines().filter(|l| l.starts_with("- ")).collect();
    assert_eq!(named.len(), 2, "the two missing pictures, each once: {section}");
    for missing in ["/assets/lamp-post.jpg", "/assets/sea-wall.jpg"] {
        let line = named.iter().find(|l| l.contains(missing)).unwrap_or_else(|| panic!("{missing} named: {section}"));
        assert!(line.contains("storm-damage") && line.contains(" line "), "file and line: {line}");
    }
    // The picture that is there shows; the page made by a Liquid loop shows
    // no picture whose address is Liquid (or a comment).
    let story = answer(&built.output, "/2022/03/04/storm-damage/").unwrap();
    assert!(story.attrs(".story-body img", "alt").contains(&"The quay at noon".to_string()));
    let apps = answer(&built.output, "/apps/").unwrap();
    for src in apps.attrs("main img", "src") {
        assert!(built.output.join(src.trim_start_matches('/')).is_file(), "{src} is a file of the site");
    }
    assert!(report.contains("{{ app.image }}"), "the hidden picture is named: {report}");
}
