//! `broadsheet cms`: the browser editors' configuration written from a
//! site (Decap/Sveltia `static/admin/config.yml` and `index.html`, Pages
//! CMS `.pages.yml`), read back as YAML; a story saved the way the config
//! describes builds without a warning; a second run keeps an editor's own
//! additions.

use serde_json::Value;

use crate::harness::{SiteTest, repo};

const SITE: &str = r#"title = "The Harbour Herald"
base_url = "https://example.com/"
timezone = "America/New_York"

[authors.ann-lee]
name = "Ann Lee"

[authors.ben-ode]
name = "Ben Ode"

[series.harbour-dredging]
title = "Dredging the harbour"
"#;

/// A site with a flat section (news), a section of bundles with a live
/// blog (world, with an `_index.md`), a page at the top and a folder of pages.
fn site() -> SiteTest {
    let photo = std::fs::read(repo().join("tests/fixtures/newsroom-site/content/news/photo.png")).unwrap();
    SiteTest::empty()
        .file("site.toml", SITE)
        .file(
            "content/news/ferry.md",
            "+++\ntitle = \"Winter ferry times\"\ndate = 2026-11-18T08:00:00-05:00\nauthors = [\"ann-lee\"]\n+++\nFewer sailings.\n",
        )
        .file("content/world/_index.md", "+++\ntitle = \"Abroad\"\n+++\n")
        .file(
            "content/world/election/index.md",
            "+++\ntitle = \"Election\"\ndate = 2026-11-24T07:00:00-05:00\n+++\nVotes.\n",
        )
        .file(
            "content/world/storm-live/index.md",
            "+++\ntitle = \"Storm, live\"\ndate = 2026-11-25T07:00:00-05:00\nlive = true\n+++\nIntro.\n",
        )
        .file(
            "content/world/storm-live/updates/0800-winds.md",
            "+++\ntime = 2026-11-25T08:00:00-05:00\ntitle = \"Winds\"\n+++\nWindy.\n",
        )
        .file("content/about.md", "+++\ntitle = \"About us\"\n+++\nWho we are.\n")
        .file("content/policies/ethics.md", "+++\ntitle = \"Ethics\"\n+++\nOur standards.\n")
        .file("static/images/harbour.png", &photo)
        .file("content/world/election/ballot.png", &photo)
}

fn yaml(test: &SiteTest, rel: &str) -> Value {
    let text = std::fs::read_to_string(test.root().join(rel)).unwrap();
    serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{rel} is not YAML: {e}\n{text}"))
}

fn named<'a>(list: &'a Value, name: &str) -> &'a Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no entry named {name} in {list:#}"))
}

fn names(list: &Value) -> Vec<String> {
    list.as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap().to_string()).collect()
}

fn run_cms(test: &SiteTest) {
    let run = test.cli(&["cms"]);
    assert_eq!(run.code, Some(0), "cms failed: {}{}", run.stdout, run.stderr);
}

#[test]
fn decap_config_follows_the_site() {
    let test = site();
    run_cms(&test);
    let config = yaml(&test, "static/admin/config.yml");
    assert_eq!(config["backend"]["name"], "github");
    assert_eq!(config["media_folder"], "static/images");
    assert_eq!(config["public_folder"], "/images");
    let collections = &config["collections"];
    assert_eq!(
        names(collections),
        ["section-news", "section-world", "updates-world-storm-live", "pages", "more-pages", "sections"]
    );

    // A flat section: new stories are content/news/<slug>.md.
    let news = named(collections, "section-news");
    assert_eq!(news["folder"], "content/news");
    assert_eq!(news["format"], "toml-frontmatter");
    assert_eq!(news["extension"], "md");
    assert_eq!(news["slug"], "{{slug}}");
    assert!(news.get("path").is_none(), "{news:#}");
    // A section of bundles: content/world/<slug>/index.md, photos beside it.
    let world = named(collections, "section-world");
    assert_eq!((&world["folder"], &world["path"]), (&Value::from("content/world"), &Value::from("{{slug}}/index")));
    assert_eq!((&world["media_folder"], &world["public_folder"]), (&Value::from(""), &Value::from("")));
    assert!(names(&world["fields"]).contains(&"live".to_string()));
    assert!(!names(&news["fields"]).contains(&"live".to_string()), "only a bundle can be a live blog");

    let fields = &news["fields"];
    for name in [
        "title",
        "date",
        "summary",
        "authors",
        "tags",
        "image",
        "dateline",
        "source",
        "corrections",
        "updated",
        "featured",
        "draft",
        "series",
        "series_order",
        "slug",
        "aliases",
        "body",
    ] {
        named(fields, name);
    }
    // Required title and date, the date forms the build reads.
    for name in ["title", "date"] {
        assert_eq!(named(fields, name)["required"], true, "{name}");
    }
    for name in ["summary", "tags", "image", "updated", "series", "body"] {
        assert_eq!(named(fields, name)["required"], false, "{name}: Decap requires every field unless told");
    }
    let date = named(fields, "date");
    assert_eq!(date["widget"], "datetime");
    let pattern = date["pattern"][0].as_str().unwrap();
    assert_eq!(pattern, broadsheet::cms::DATE_PATTERN);
    assert_eq!(named(&named(fields, "corrections")["fields"], "date")["required"], true);
    assert_eq!(named(&named(fields, "corrections")["fields"], "text")["required"], true);
    assert_eq!(named(fields, "series_order")["value_type"], "int");

    // Authors: exactly the keys of site.toml's [authors]; series likewise.
    let authors = named(fields, "authors");
    assert_eq!((&authors["widget"], &authors["multiple"]), (&Value::from("select"), &Value::from(true)));
    let keys: Vec<&str> = authors["options"].as_array().unwrap().iter().map(|o| o["value"].as_str().unwrap()).collect();
    assert_eq!(keys, ["ann-lee", "ben-ode"]);
    let series: Vec<&str> =
        named(fields, "series")["options"].as_array().unwrap().iter().map(|o| o["value"].as_str().unwrap()).collect();
    assert_eq!(series, ["harbour-dredging"]);

    // The photo: an object with alt, caption, credit and focus. Decap has
    // no "required when another field is set", so index.html refuses the
    // save of a photo without alt text before anything is written.
    let image = named(fields, "image");
    assert_eq!(names(&image["fields"]), ["src", "alt", "caption", "credit", "focus"]);
    assert_eq!(named(&image["fields"], "src")["widget"], "image");
    assert_eq!(named(&image["fields"], "focus")["pattern"][0], broadsheet::cms::FOCUS_PATTERN);
    let index = std::fs::read_to_string(test.root().join("static/admin/index.html")).unwrap();
    assert!(index.contains(&format!("decap-cms@{}/dist/decap-cms.js", broadsheet::cms::DECAP_VERSION)), "{index}");
    assert!(index.contains(&format!("integrity=\"{}\"", broadsheet::cms::DECAP_INTEGRITY)), "{index}");
    assert!(index.contains("name: \"preSave\"") && index.contains("The photo needs alt text"), "{index}");

    // Live updates, pages, the folder of pages and the section front.
    let updates = named(collections, "updates-world-storm-live");
    assert_eq!(updates["folder"], "content/world/storm-live/updates");
    assert_eq!(named(&updates["fields"], "time")["required"], true);
    assert_eq!(named(collections, "pages")["folder"], "content");
    let more = &named(collections, "more-pages")["files"];
    assert_eq!(named(more, "policies-ethics")["file"], "content/policies/ethics.md");
    assert_eq!(
        named(&named(collections, "sections")["files"], "section-world-index")["file"],
        "content/world/_index.md"
    );
    assert_eq!(named(collections, "section-world")["label"], "Abroad");
}

/// The story a writer saves in Decap: TOML front matter, every field by
/// the config's names, dates as its `datetime` widgets write them.
#[test]
fn a_story_saved_as_the_config_describes_builds_without_a_warning() {
    let test = site();
    run_cms(&test);
    let config = yaml(&test, "static/admin/config.yml");
    let story = "+++\n\
        title = \"Harbour authority approves dredging plan\"\n\
        date = \"2026-11-20T09:30:00-05:00\"\n\
        summary = \"The dek, with *emphasis*.\"\n\
        authors = [\"ann-lee\", \"ben-ode\"]\n\
        tags = [\"harbour\", \"infrastructure\"]\n\
        dateline = \"PORT HALDEN\"\n\
        corrections = [{ date = \"2026-11-21\", text = \"The plan costs $40m, not $14m.\" }]\n\
        updated = \"2026-11-21T10:00:00-05:00\"\n\
        featured = true\n\
        draft = false\n\
        series = \"harbour-dredging\"\n\
        series_order = 1\n\
        slug = \"dredging-plan\"\n\
        aliases = [\"/2026/dredging/\"]\n\
        \n\
        [image]\n\
        src = \"/images/harbour.png\"\n\
        alt = \"Cranes at dusk\"\n\
        caption = \"The terminal.\"\n\
        credit = \"Photo: Staff\"\n\
        focus = \"0.5,0.3\"\n\
        \n\
        [source]\n\
        name = \"Coast Wire\"\n\
        url = \"https://wire.example.net/dredging\"\n\
        +++\n\
        The story, in Markdown.\n";
    // Every key is a field of the section's collection, every date matches its pattern.
    let fields = &named(&config["collections"], "section-news")["fields"];
    let known = names(fields);
    let date = regex_lite(broadsheet::cms::DATE_PATTERN);
    for line in story.lines().filter(|l| l.contains(" = ")) {
        let key = line.split(" = ").next().unwrap();
        let nested = ["src", "alt", "caption", "credit", "focus", "name", "url"];
        assert!(known.contains(&key.to_string()) || nested.contains(&key), "{key} is not a field of the config");
    }
    for value in ["2026-11-20T09:30:00-05:00", "2026-11-21", "2026-11-21T10:00:00-05:00"] {
        assert!(date(value), "{value} does not match the config's date pattern");
    }
    let test = test.file("content/news/dredging-plan.md", story).file(
        "content/world/storm-live/updates/20261125-091500.md",
        "+++\ntime = \"2026-11-25T09:15:00-05:00\"\ntitle = \"Roads closed\"\nauthors = [\"ben-ode\"]\nkey = true\npinned = false\n+++\nThe coast road is closed.\n",
    );
    let run = test.cli(&["build"]);
    assert_eq!(run.code, Some(0), "{}{}", run.stdout, run.stderr);
    assert!(!run.stderr.contains("warning") && !run.stdout.contains("warning"), "{}{}", run.stdout, run.stderr);
    assert!(test.root().join("public/news/dredging-plan/index.html").is_file());
    assert!(test.root().join("public/admin/index.html").is_file(), "the editor is published with the site");
}

#[test]
fn a_picture_an_editor_cleared_is_no_picture_not_an_error() {
    // What Decap and Pages CMS save when a story's picture is removed: an
    // empty string, or the picture's fields left empty.
    let test = site();
    let story = |image: &str| {
        format!(
            "+++\ntitle = \"No picture\"\ndate = \"2026-11-20T09:30:00-05:00\"\nauthors = [\"ann-lee\"]\n{image}+++\nText.\n"
        )
    };
    let test = test
        .file("content/news/cleared.md", story("image = \"\"\n"))
        .file("content/news/emptied.md", story("[image]\nsrc = \"\"\nalt = \"\"\n"));
    let run = test.cli(&["build"]);
    assert_eq!(run.code, Some(0), "{}{}", run.stdout, run.stderr);
    assert!(!run.stderr.contains("hero image"), "{}", run.stderr);
    for page in ["cleared", "emptied"] {
        let html = std::fs::read_to_string(test.root().join(format!("public/news/{page}/index.html"))).unwrap();
        let html = scraper::Html::parse_document(&html);
        assert_eq!(html.select(&scraper::Selector::parse(".story-header img, figure.hero").unwrap()).count(), 0);
    }
}

/// The date pattern, checked without a regex crate: the forms it accepts.
fn regex_lite(pattern: &str) -> impl Fn(&str) -> bool {
    assert_eq!(pattern, broadsheet::cms::DATE_PATTERN);
    |value: &str| {
        let day = |s: &str| {
            s.len() == 10 && s.char_indices().all(|(i, c)| if i == 4 || i == 7 { c == '-' } else { c.is_ascii_digit() })
        };
        match value.split_at_checked(10) {
            Some((d, "")) => day(d),
            Some((d, rest)) => day(d) && chrono::DateTime::parse_from_rfc3339(&format!("2000-01-01{rest}")).is_ok(),
            None => false,
        }
    }
}

#[test]
fn running_again_keeps_an_editors_additions() {
    let test = site();
    run_cms(&test);
    let path = test.root().join("static/admin/config.yml");
    let text = std::fs::read_to_string(&path).unwrap();
    // An editor names the repository and adds a collection of their own after the block.
    let mine = "  - name: newsletter\n    label: Newsletter\n    folder: content/newsletter-drafts\n    create: true\n    fields:\n      - { name: title, label: Title, widget: string }\n";
    let edited = format!("{}{mine}", text.replace("repo: OWNER/REPOSITORY", "repo: herald/site"));
    std::fs::write(&path, edited).unwrap();
    let pages = test.root().join(".pages.yml");
    std::fs::write(
        &pages,
        format!("{}settings:\n  content:\n    merge: true\n", std::fs::read_to_string(&pages).unwrap()),
    )
    .unwrap();

    // A new section and a new author, then the command again.
    let test = test
        .file("content/sports/regatta.md", "+++\ntitle = \"Regatta\"\ndate = 2026-11-19T08:00:00-05:00\n+++\nBoats.\n")
        .file("site.toml", format!("{SITE}\n[authors.cy-moss]\nname = \"Cy Moss\"\n"));
    run_cms(&test);
    let config = yaml(&test, "static/admin/config.yml");
    assert_eq!(config["backend"]["repo"], "herald/site");
    let collections = &config["collections"];
    assert_eq!(named(collections, "newsletter")["folder"], "content/newsletter-drafts");
    assert_eq!(named(collections, "section-sports")["folder"], "content/sports");
    let authors = &named(&named(collections, "section-sports")["fields"], "authors")["options"];
    assert_eq!(authors.as_array().unwrap().len(), 3);
    assert_eq!(yaml(&test, ".pages.yml")["settings"]["content"]["merge"], true);
    assert_eq!(names(&yaml(&test, ".pages.yml")["content"])[..2], ["section-news", "section-sports"]);

    // A file of the editor's own without the markers is left alone.
    std::fs::write(&pages, "content: []\n").unwrap();
    let run = test.cli(&["cms"]);
    assert_eq!(run.code, Some(2), "{}{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("has no generated block"), "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(&pages).unwrap(), "content: []\n");
}

/// `.pages.yml` checked against Pages CMS's configuration schema as its
/// documentation and source give it: https://pagescms.org/docs/configuration/
/// (content entries, fields, `pattern` for string and text only, date
/// options `time` and `format` with date-fns tokens, select
/// `options.values` with `name`/`label` and `multiple`, filename tokens
/// `{primary}`, `{year}`...`{second}`), and the Zod schema the app
/// validates with (pages-cms/pages-cms `lib/config-schema.ts`: strict
/// objects, names `^[a-zA-Z0-9-_]+$`, paths with no leading or trailing
/// slash, media `input`/`output`, the `format` values, `view.layout`
/// tree|list with `node.filename` and `hideDirs`).
#[test]
fn pages_cms_config_follows_its_schema() {
    let test = site();
    run_cms(&test);
    let config = yaml(&test, ".pages.yml");
    keys_within(&config, &["media", "content", "components", "settings", "actions", "cache", "hide"], "top level");
    let media = &config["media"];
    keys_within(
        media,
        &["input", "output", "path", "extensions", "categories", "commit", "name", "label", "actions"],
        "media",
    );
    assert_eq!((&media["input"], &media["output"]), (&Value::from("static/images"), &Value::from("/images")));
    let content = config["content"].as_array().unwrap();
    for entry in content {
        let at = entry["name"].as_str().unwrap();
        keys_within(
            entry,
            &[
                "name",
                "label",
                "description",
                "type",
                "path",
                "filename",
                "exclude",
                "view",
                "format",
                "delimiters",
                "subfolders",
                "fields",
                "list",
                "commit",
                "actions",
            ],
            at,
        );
        assert!(plain_name(at), "{at}");
        assert!(matches!(entry["type"].as_str(), Some("collection" | "file")), "{at}");
        let path = entry["path"].as_str().unwrap();
        assert!(!path.starts_with('/') && !path.ends_with('/'), "{at}: {path}");
        assert_eq!(entry["format"], "toml-frontmatter", "{at}");
        if let Some(view) = entry.get("view") {
            keys_within(view, &["layout", "node", "fields", "primary", "sort", "search", "default"], at);
        }
        if let Some(filename) = entry["filename"].as_str() {
            let tokens: Vec<&str> = filename.split('{').skip(1).map(|t| t.split('}').next().unwrap()).collect();
            for token in tokens {
                assert!(
                    ["primary", "slug", "year", "month", "day", "hour", "minute", "second"].contains(&token),
                    "{at}: {{{token}}}"
                );
            }
        }
        for field in entry["fields"].as_array().unwrap() {
            check_pages_field(field, at);
        }
    }
    let news = named(&config["content"], "section-news");
    assert_eq!((&news["path"], &news["filename"]), (&Value::from("content/news"), &Value::from("{primary}.md")));
    let fields = &news["fields"];
    assert_eq!(named(fields, "title")["required"], true);
    assert_eq!(named(fields, "date")["required"], true);
    assert_eq!(named(fields, "date")["options"]["format"], "yyyy-MM-dd'T'HH:mm:ssXXX");
    let authors: Vec<&str> = named(fields, "authors")["options"]["values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["name"].as_str().unwrap())
        .collect();
    assert_eq!(authors, ["ann-lee", "ben-ode"]);
    assert_eq!(named(fields, "body")["type"], "rich-text");
    let world = named(&config["content"], "section-world");
    assert_eq!(world["view"]["node"]["filename"], "index.md");
    assert_eq!(named(&config["content"], "updates-world-storm-live")["path"], "content/world/storm-live/updates");
}

fn plain_name(name: &str) -> bool {
    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

fn keys_within(value: &Value, allowed: &[&str], at: &str) {
    for key in value.as_object().unwrap_or_else(|| panic!("{at}: not a table")).keys() {
        assert!(allowed.contains(&key.as_str()), "{at}: key `{key}` is not in Pages CMS's schema");
    }
}

fn check_pages_field(field: &Value, at: &str) {
    let name = field["name"].as_str().unwrap();
    let at = format!("{at}.{name}");
    assert!(plain_name(name), "{at}");
    keys_within(
        field,
        &[
            "name",
            "label",
            "description",
            "component",
            "default",
            "fields",
            "type",
            "list",
            "hidden",
            "readonly",
            "required",
            "pattern",
            "options",
            "blocks",
            "blockKey",
        ],
        &at,
    );
    let kind = field["type"].as_str().unwrap();
    let types = [
        "string",
        "text",
        "rich-text",
        "code",
        "number",
        "boolean",
        "date",
        "select",
        "reference",
        "image",
        "file",
        "object",
        "uuid",
    ];
    assert!(types.contains(&kind), "{at}: type {kind}");
    if field.get("pattern").is_some() {
        assert!(matches!(kind, "string" | "text"), "{at}: pattern only on string and text");
        keys_within(&field["pattern"], &["regex", "message"], &at);
    }
    if let Some(options) = field.get("options") {
        let allowed: &[&str] = match kind {
            "date" => &["time", "format", "min", "max", "step"],
            "select" => &["values", "multiple", "min", "max", "placeholder", "creatable"],
            _ => panic!("{at}: options on a {kind} field"),
        };
        keys_within(options, allowed, &at);
    }
    if kind == "object" {
        for inner in field["fields"].as_array().unwrap() {
            check_pages_field(inner, &at);
        }
    }
}

/// `serve` answers Decap's local backend (decap-server's API) at
/// `/api/v1`: the editor at `/admin/` on the preview saves a story with its
/// photo into `content/`, the preview shows it; nothing outside `content/`
/// and `static/` is read or written, and only the preview's own pages may ask.
#[test]
fn serve_is_the_editors_local_backend() {
    let test = site();
    run_cms(&test);
    let server = crate::serve::Server::start(&test);
    let origin = server.url.trim_end_matches('/').to_string();
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
    let post = |body: Value, origin: Option<&str>, kind: &str| -> (u16, Value) {
        let mut request = agent.post(&format!("{origin_url}/api/v1", origin_url = server.url.trim_end_matches('/')));
        request = request.header("Content-Type", kind);
        if let Some(origin) = origin {
            request = request.header("Origin", origin);
        }
        let mut response = request.send(body.to_string()).unwrap();
        let status = response.status().as_u16();
        let text = response.body_mut().read_to_string().unwrap_or_default();
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    };
    let api = |body: Value| post(body, Some(&origin), "application/json");

    // The served config points Decap's local backend at this server.
    let (_, _, config) = server.get("admin/config.yml");
    assert!(config.contains(&format!("local_backend:\n  url: \"{origin}/api/v1\"")), "{config}");

    let (status, info) = api(serde_json::json!({ "action": "info" }));
    assert_eq!((status, &info["type"]), (200, &Value::from("local_fs")), "{info}");

    // A photo, then a story naming it, as Decap sends them.
    let photo = std::fs::read(repo().join("tests/fixtures/newsroom-site/content/news/photo.png")).unwrap();
    let encoded = base64_encode(&photo);
    let (status, media) = api(serde_json::json!({ "action": "persistMedia", "params": {
        "asset": { "path": "static/images/quay.png", "content": encoded, "encoding": "base64" } } }));
    assert_eq!(status, 200, "{media}");
    assert_eq!(std::fs::read(test.root().join("static/images/quay.png")).unwrap(), photo);
    let story = "+++\ntitle = \"Quay reopens\"\ndate = \"2026-11-20T09:30:00-05:00\"\ntags = [\"harbour\", \"quay\"]\n\n[image]\nsrc = \"/images/quay.png\"\nalt = \"The quay at dawn\"\n+++\nThe quay is open again.\n";
    let (status, saved) = api(serde_json::json!({ "action": "persistEntry", "params": {
        "entry": { "path": "content/news/quay-reopens.md", "raw": story }, "assets": [] } }));
    assert_eq!(status, 200, "{saved}");
    assert_eq!(std::fs::read_to_string(test.root().join("content/news/quay-reopens.md")).unwrap(), story);
    server.wait_for("news/quay-reopens/", "the new story", |html| html.contains("Quay reopens"));

    let (_, entries) = api(serde_json::json!({ "action": "entriesByFolder", "params": {
        "folder": "content/news", "extension": "md", "depth": 1 } }));
    let paths: Vec<&str> = entries.as_array().unwrap().iter().map(|e| e["file"]["path"].as_str().unwrap()).collect();
    assert_eq!(paths, ["content/news/ferry.md", "content/news/quay-reopens.md"]);
    let (_, entry) =
        api(serde_json::json!({ "action": "getEntry", "params": { "path": "content/news/quay-reopens.md" } }));
    assert_eq!(entry["data"], story);
    let (_, media) = api(serde_json::json!({ "action": "getMedia", "params": { "mediaFolder": "static/images" } }));
    assert!(
        media
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["path"] == "static/images/quay.png" && m["content"] == encoded.as_str())
    );

    // Editing the headline updates the page.
    let edited = story.replace("Quay reopens", "Quay reopens after repairs");
    api(serde_json::json!({ "action": "persistEntry", "params": {
        "entry": { "path": "content/news/quay-reopens.md", "raw": edited }, "assets": [] } }));
    server.wait_for("news/quay-reopens/", "the new headline", |html| html.contains("Quay reopens after repairs"));

    // Nothing outside content/ and static/.
    for path in ["site.toml", "content/../site.toml", "templates/base.html", "/etc/passwd", ".git/config"] {
        let (status, _) = api(serde_json::json!({ "action": "persistEntry", "params": {
            "entry": { "path": path, "raw": "x" }, "assets": [] } }));
        assert_eq!(status, 400, "{path}");
        let (status, _) = api(serde_json::json!({ "action": "getEntry", "params": { "path": path } }));
        assert_eq!(status, 400, "{path}");
    }
    assert!(std::fs::read_to_string(test.root().join("site.toml")).unwrap().starts_with("title = "));
    // Only the preview's own pages: no other origin, no form posts.
    let (status, _) = post(serde_json::json!({ "action": "info" }), Some("https://evil.example"), "application/json");
    assert_eq!(status, 403);
    let (status, _) = post(serde_json::json!({ "action": "info" }), None, "application/json");
    assert_eq!(status, 403);
    let (status, _) = post(serde_json::json!({ "action": "info" }), Some(&origin), "text/plain");
    assert_eq!(status, 415);

    let (status, _) =
        api(serde_json::json!({ "action": "deleteFile", "params": { "path": "content/news/quay-reopens.md" } }));
    assert_eq!(status, 200);
    assert!(!test.root().join("content/news/quay-reopens.md").exists());
}

fn base64_encode(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

#[cfg(unix)]
#[test]
fn the_editors_files_are_readable_like_any_file_of_the_site() {
    use std::os::unix::fs::PermissionsExt;
    let test = site();
    run_cms(&test);
    for rel in ["static/admin/config.yml", "static/admin/index.html", ".pages.yml"] {
        let mode = std::fs::metadata(test.root().join(rel)).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o644, "{rel} is {mode:o}: a web server could not read it");
    }
}
