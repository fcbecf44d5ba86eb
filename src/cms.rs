//! `broadsheet cms`: the configuration of the git-backed editors a
//! newsroom writes in from a browser (Decap CMS and Sveltia CMS, which
//! read `static/admin/config.yml`; Pages CMS, which reads `.pages.yml`),
//! made from the site itself: a collection per section (flat files or
//! bundles, as the section's stories are), the standalone pages, each
//! live blog's updates, the authors and series of `site.toml` as choices,
//! and every front-matter field a writer sets with the rules the build
//! applies. Each file holds one generated block between marker lines;
//! running again rewrites only that block, so an editor's own additions
//! outside it are kept.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, anyhow};

use broadsheet_base::layout::CONTENT;
use broadsheet_site::config::Config;
use broadsheet_site::content::tree::Value;
use broadsheet_site::content::{frontmatter, is_hidden, is_markdown};

/// The Decap CMS release `static/admin/index.html` loads, and the
/// SHA-384 of that file (Subresource Integrity): computed from the npm
/// package's `dist/decap-cms.js`, the file unpkg serves at this address.
pub const DECAP_VERSION: &str = "3.16.3";
pub const DECAP_INTEGRITY: &str = "sha384-A/Gdn928CNLufmnGWGs9RM4Q9o8bSNLeJERqBFrBjwzL7FRpoLT3MPF8Tl0+Wd2p";

/// Where the generated files go, relative to the site.
pub const DECAP_CONFIG: &str = "static/admin/config.yml";
pub const DECAP_INDEX: &str = "static/admin/index.html";
pub const PAGES_CONFIG: &str = ".pages.yml";

/// The marker lines around each file's generated block.
const BEGIN: &str = ">>> broadsheet cms";
const END: &str = "<<< broadsheet cms";

/// Where uploaded photos go for flat stories and pages (bundles keep
/// theirs beside the story), and the address they are written as.
const MEDIA_FOLDER: &str = "static/images";
const PUBLIC_FOLDER: &str = "/images";

/// The date forms the build reads (`broadsheet_base::date`): a day, or a
/// day and time with an optional offset.
pub const DATE_PATTERN: &str = r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$";
const DATE_MESSAGE: &str = "a date such as 2026-10-14 or 2026-10-14T09:30:00-04:00";
/// `image.focus`: two fractions, across and down.
pub const FOCUS_PATTERN: &str = r"^\s*(0(\.\d+)?|1(\.0+)?|\.\d+)\s*,\s*(0(\.\d+)?|1(\.0+)?|\.\d+)\s*$";
/// A slug the build keeps as written (no "made URL-safe" warning).
pub const SLUG_PATTERN: &str = r"^[a-z0-9]+(-[a-z0-9]+)*$";
/// An address a story's source may have (`safe_url`: http or https).
const URL_PATTERN: &str = r"^https?://\S+$";

/// A section of the site and how its stories are stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// The folder under `content/`.
    pub folder: String,
    /// Its `_index.md` title, or the folder's name.
    pub title: String,
    /// Stories as bundles (`<slug>/index.md`, photos beside it) rather
    /// than flat files: what most of the section's stories are.
    pub bundles: bool,
    /// Whether it has an `_index.md`.
    pub index: bool,
}

/// What the editors are configured from.
#[derive(Debug, Clone)]
pub struct SiteModel {
    pub title: String,
    pub base_url: String,
    pub sections: Vec<Section>,
    /// Standalone pages not at the top of `content/` (bundles, folders of
    /// pages), relative to the site: edited one by one.
    pub nested_pages: Vec<String>,
    /// Live blogs' bundle folders, relative to the site (`content/news/storm-live`).
    pub live_blogs: Vec<String>,
    /// `[authors.<key>]`: key and name.
    pub authors: Vec<(String, String)>,
    /// `[series.<slug>]`: slug and title.
    pub series: Vec<(String, String)>,
    /// `owner/name` of the GitHub repository, from the `origin` remote.
    pub repo: Option<String>,
}

/// The site's content as the editors need it.
pub fn model(root: &Path, config: &Config) -> SiteModel {
    let content = root.join(CONTENT);
    let mut sections = Vec::new();
    let mut nested_pages = Vec::new();
    let mut live_blogs = Vec::new();
    let mut folders: Vec<PathBuf> = std::fs::read_dir(&content)
        .map(|entries| {
            entries.flatten().filter(|e| !is_hidden(&e.file_name())).map(|e| e.path()).filter(|p| p.is_dir()).collect()
        })
        .unwrap_or_default();
    folders.sort();
    for folder in folders {
        let name = folder.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let files = markdown_files(&folder);
        let index = folder.join("_index.md");
        let stories: Vec<&PathBuf> = files.iter().filter(|f| is_story(root, f)).collect();
        if stories.is_empty() && !index.is_file() {
            nested_pages.extend(files.iter().map(|f| relative(root, f)));
            continue;
        }
        let bundled = stories.iter().filter(|f| f.file_name().is_some_and(|n| n == "index.md")).count();
        for story in stories.iter().filter(|f| f.file_name().is_some_and(|n| n == "index.md")) {
            if let Some(bundle) = story.parent()
                && front_matter(root, story).is_some_and(|keys| keys.iter().any(|(k, v)| k == "live" && v == "true"))
            {
                live_blogs.push(relative(root, bundle));
            }
        }
        let title = front_matter(root, &index)
            .and_then(|keys| keys.into_iter().find(|(k, _)| k == "title").map(|(_, v)| v))
            .unwrap_or_else(|| broadsheet_site::content::title_case(&name));
        sections.push(Section { folder: name, title, bundles: bundled * 2 > stories.len(), index: index.is_file() });
    }
    nested_pages.sort();
    live_blogs.sort();
    SiteModel {
        title: config.title.clone(),
        base_url: config.urls.base_url().to_string(),
        sections,
        nested_pages,
        live_blogs,
        authors: config.authors.iter().map(|(k, a)| (k.clone(), a.name.clone())).collect(),
        series: config.series.iter().map(|(k, s)| (k.clone(), s.title.clone())).collect(),
        repo: github_repo(root),
    }
}

/// Markdown files under `dir`, but a section's `_index.md` and live
/// blogs' updates.
fn markdown_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_entry(|e| !is_hidden(e.file_name()) && e.file_name() != broadsheet_site::content::UPDATES)
        .flatten()
        .filter(|e| e.file_type().is_file() && is_markdown(e.path()) && e.file_name() != "_index.md")
        .map(|e| e.into_path())
        .collect();
    files.sort();
    files
}

/// A file written as a story, as the build tells one from a page: dated
/// by its name or its front matter, or with a byline, tags, a source, a
/// dateline or corrections.
fn is_story(root: &Path, file: &Path) -> bool {
    let stem = match file.file_name().is_some_and(|n| n == "index.md") {
        true => file.parent().and_then(Path::file_name),
        false => file.file_stem(),
    };
    if stem.is_some_and(|s| broadsheet_base::date::from_file_name(&s.to_string_lossy()).is_some()) {
        return true;
    }
    const STORY_KEYS: &[&str] = &["date", "authors", "author", "tags", "source", "dateline", "corrections"];
    front_matter(root, file).is_some_and(|keys| keys.iter().any(|(k, _)| STORY_KEYS.contains(&k.as_str())))
}

/// The top-level keys of a file's front matter, each with its value as
/// text when it is a scalar (empty otherwise).
fn front_matter(root: &Path, file: &Path) -> Option<Vec<(String, String)>> {
    let text = broadsheet_base::confine::read_to_string(root, file).ok()?;
    let split = frontmatter::split(&text).ok()?;
    let tree = frontmatter::parse(&split).ok()?;
    let Value::Table(entries) = tree.value else { return None };
    Some(entries.into_iter().map(|(k, n)| (k.name, n.value.scalar_text().unwrap_or_default())).collect())
}

fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root).unwrap_or(path).to_string_lossy().replace('\\', "/")
}

/// `owner/name` of a GitHub `origin` remote, if the site has one.
fn github_repo(root: &Path) -> Option<String> {
    let out = std::process::Command::new("git")
        .args(["remote", "get-url", "origin"])
        .current_dir(root)
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    let url = String::from_utf8(out.stdout).ok()?;
    let rest = url.trim().split_once("github.com")?.1.trim_start_matches([':', '/']);
    let repo = rest.trim_end_matches('/').trim_end_matches(".git");
    let ok = repo.split('/').count() == 2
        && repo.chars().all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c))
        && !repo.contains("..");
    ok.then(|| repo.to_string())
}

// ---------------------------------------------------------------------
// The fields, once, for both editors.

#[derive(Debug, Clone)]
enum Kind {
    String,
    Text,
    Body,
    /// A date and time (or a day, `day`), optional ones empty by default.
    Date {
        day: bool,
    },
    Bool,
    /// A whole number at least `min`.
    Int {
        min: i64,
    },
    /// A list of names or addresses.
    List,
    /// A choice of `(value, label)`.
    Select {
        options: Vec<(String, String)>,
        multiple: bool,
    },
    Object(Vec<Field>),
    ObjectList(Vec<Field>),
    Image,
}

#[derive(Debug, Clone)]
struct Field {
    name: &'static str,
    label: &'static str,
    kind: Kind,
    required: bool,
    hint: Option<&'static str>,
    pattern: Option<(&'static str, &'static str)>,
}

fn field(name: &'static str, label: &'static str, kind: Kind) -> Field {
    Field { name, label, kind, required: false, hint: None, pattern: None }
}

impl Field {
    fn required(self) -> Field {
        Field { required: true, ..self }
    }
    fn hint(self, hint: &'static str) -> Field {
        Field { hint: Some(hint), ..self }
    }
    fn pattern(self, regex: &'static str, message: &'static str) -> Field {
        Field { pattern: Some((regex, message)), ..self }
    }
}

fn image_field() -> Field {
    field(
        "image",
        "Photo",
        Kind::Object(vec![
            field("src", "Photo file", Kind::Image),
            field("alt", "Alt text", Kind::String)
                .hint("Required with a photo: what the picture shows, for readers who cannot see it."),
            field("caption", "Caption", Kind::String),
            field("credit", "Credit", Kind::String),
            field("focus", "Crop focus", Kind::String)
                .hint("Where crops centre, across and down, such as 0.5,0.3 (optional).")
                .pattern(FOCUS_PATTERN, "two fractions between 0 and 1, such as 0.5,0.3"),
        ]),
    )
    .hint("The hero photo. Alt text is required when a photo is chosen.")
}

fn names_field(name: &'static str, label: &'static str, choices: &[(String, String)]) -> Field {
    match choices.is_empty() {
        true => field(name, label, Kind::List).hint("Names, separated by commas."),
        false => field(name, label, Kind::Select { options: choices.to_vec(), multiple: true })
            .hint("From the authors in site.toml."),
    }
}

/// A story's fields (`live` ones only for bundles: a live blog is one).
fn story_fields(model: &SiteModel, bundles: bool) -> Vec<Field> {
    let date = |name, label| field(name, label, Kind::Date { day: false }).pattern(DATE_PATTERN, DATE_MESSAGE);
    let series = match model.series.is_empty() {
        true => field("series", "Series", Kind::String).hint("The series' slug, as in site.toml's [series.<slug>]."),
        false => field("series", "Series", Kind::Select { options: model.series.clone(), multiple: false }),
    };
    let mut fields = vec![
        field("title", "Headline", Kind::String).required(),
        date("date", "Published").required(),
        field("summary", "Dek", Kind::Text).hint("One or two sentences under the headline (Markdown)."),
        names_field("authors", "Byline", &model.authors),
        field("tags", "Tags", Kind::List).hint("Topics, separated by commas."),
        image_field(),
        field("dateline", "Dateline", Kind::String).hint("Such as PARIS: printed before the first paragraph."),
        field(
            "source",
            "Syndicated from",
            Kind::Object(vec![
                field("name", "Publisher", Kind::String).hint("Required when the story is syndicated."),
                field("url", "Original address", Kind::String).pattern(URL_PATTERN, "an http(s) address"),
            ]),
        ),
        field(
            "corrections",
            "Corrections",
            Kind::ObjectList(vec![
                field("date", "Date", Kind::Date { day: true }).required().pattern(DATE_PATTERN, DATE_MESSAGE),
                field("text", "Correction", Kind::Text).required(),
            ]),
        ),
        date("updated", "Updated").hint("The time of the last significant update (optional)."),
        field("featured", "Lead the front page", Kind::Bool),
        field("draft", "Draft", Kind::Bool).hint("Drafts are left out of the published site."),
        series,
        field("series_order", "Part number", Kind::Int { min: 1 }),
        field("slug", "URL slug", Kind::String)
            .hint("Keeps the URL when the headline changes (optional).")
            .pattern(SLUG_PATTERN, "lowercase letters, digits and hyphens"),
        field("aliases", "Old addresses", Kind::List).hint("Old URLs that redirect here, such as /2024/old-path/."),
    ];
    if bundles {
        fields.push(field("live", "Live blog", Kind::Bool).hint("Live coverage: its updates are their own entries."));
        fields.push(date("coverage_end", "Coverage ended"));
    }
    fields.push(field("body", "Story", Kind::Body));
    fields
}

fn page_fields() -> Vec<Field> {
    vec![
        field("title", "Title", Kind::String).required(),
        field("summary", "Summary", Kind::Text),
        image_field(),
        field("updated", "Updated", Kind::Date { day: false }).pattern(DATE_PATTERN, DATE_MESSAGE),
        field("slug", "URL slug", Kind::String).pattern(SLUG_PATTERN, "lowercase letters, digits and hyphens"),
        field("aliases", "Old addresses", Kind::List),
        field("draft", "Draft", Kind::Bool),
        field("body", "Text", Kind::Body),
    ]
}

fn update_fields(model: &SiteModel) -> Vec<Field> {
    vec![
        field("time", "Posted at", Kind::Date { day: false }).required().pattern(DATE_PATTERN, DATE_MESSAGE),
        field("title", "Title", Kind::String),
        names_field("authors", "Byline", &model.authors),
        field("key", "Key event", Kind::Bool),
        field("pinned", "Pinned summary", Kind::Bool),
        field("body", "Update", Kind::Body),
    ]
}

fn section_fields() -> Vec<Field> {
    vec![
        field("title", "Title", Kind::String),
        field("description", "Description", Kind::Text),
        field("order", "Order in the navigation", Kind::Int { min: i64::MIN }),
    ]
}

// ---------------------------------------------------------------------
// YAML, written by hand: block style, every string quoted unless plain.

/// A YAML value, keys in the order written.
#[derive(Debug, Clone)]
enum Y {
    S(String),
    B(bool),
    I(i64),
    L(Vec<Y>),
    M(Vec<(String, Y)>),
}

fn s(text: impl Into<String>) -> Y {
    Y::S(text.into())
}

fn m(entries: Vec<(&str, Y)>) -> Y {
    Y::M(entries.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
}

fn scalar(y: &Y) -> Option<String> {
    match y {
        Y::S(text) => {
            let plain = text.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                && text.chars().all(|c| c.is_ascii_alphanumeric() || "_-./".contains(c))
                && !matches!(
                    text.to_ascii_lowercase().as_str(),
                    "yes" | "no" | "true" | "false" | "null" | "on" | "off" | "y" | "n"
                );
            // A JSON string is a YAML double-quoted scalar.
            Some(if plain { text.clone() } else { serde_json::Value::String(text.clone()).to_string() })
        }
        Y::B(b) => Some(b.to_string()),
        Y::I(i) => Some(i.to_string()),
        Y::L(items) if items.is_empty() => Some("[]".into()),
        Y::M(entries) if entries.is_empty() => Some("{}".into()),
        _ => None,
    }
}

fn emit(out: &mut String, y: &Y, indent: usize) {
    let pad = " ".repeat(indent);
    match y {
        Y::M(entries) => {
            for (key, value) in entries {
                match scalar(value) {
                    Some(text) => out.push_str(&format!("{pad}{key}: {text}\n")),
                    None => {
                        out.push_str(&format!("{pad}{key}:\n"));
                        emit(out, value, indent + 2);
                    }
                }
            }
        }
        Y::L(items) => {
            for item in items {
                match scalar(item) {
                    Some(text) => out.push_str(&format!("{pad}- {text}\n")),
                    None => {
                        let mut inner = String::new();
                        emit(&mut inner, item, indent + 2);
                        out.push_str(&format!("{pad}- {}", &inner[indent + 2..]));
                    }
                }
            }
        }
        other => out.push_str(&format!("{pad}{}\n", scalar(other).unwrap_or_default())),
    }
}

// ---------------------------------------------------------------------
// Decap CMS and Sveltia CMS.

fn decap_field(f: &Field) -> Y {
    let mut e: Vec<(&str, Y)> = vec![("name", s(f.name)), ("label", s(f.label))];
    match &f.kind {
        Kind::String => e.push(("widget", s("string"))),
        Kind::Text => e.push(("widget", s("text"))),
        Kind::Body => e.push(("widget", s("markdown"))),
        Kind::Date { day } => {
            e.push(("widget", s("datetime")));
            match day {
                true => e.extend([
                    ("format", s("YYYY-MM-DD")),
                    ("date_format", s("YYYY-MM-DD")),
                    ("time_format", Y::B(false)),
                ]),
                false => e.extend([
                    ("format", s("YYYY-MM-DDTHH:mm:ssZ")),
                    ("date_format", s("YYYY-MM-DD")),
                    ("time_format", s("HH:mm")),
                ]),
            }
            if !f.required {
                e.push(("default", s("")));
            }
        }
        Kind::Bool => e.extend([("widget", s("boolean")), ("default", Y::B(false))]),
        Kind::Int { min } => {
            e.extend([("widget", s("number")), ("value_type", s("int"))]);
            if *min > i64::MIN {
                e.push(("min", Y::I(*min)));
            }
        }
        Kind::List => e.push(("widget", s("list"))),
        Kind::Select { options, multiple } => {
            e.push(("widget", s("select")));
            if *multiple {
                e.push(("multiple", Y::B(true)));
            }
            let options = options.iter().map(|(value, label)| m(vec![("label", s(label)), ("value", s(value))]));
            e.push(("options", Y::L(options.collect())));
        }
        Kind::Object(fields) => {
            e.extend([("widget", s("object")), ("collapsed", Y::B(true))]);
            e.push(("fields", Y::L(fields.iter().map(decap_field).collect())));
        }
        Kind::ObjectList(fields) => {
            e.push(("widget", s("list")));
            e.push(("fields", Y::L(fields.iter().map(decap_field).collect())));
        }
        Kind::Image => e.extend([("widget", s("image")), ("choose_url", Y::B(false))]),
    }
    e.push(("required", Y::B(f.required)));
    if let Some(hint) = f.hint {
        e.push(("hint", s(hint)));
    }
    if let Some((regex, message)) = f.pattern {
        e.push(("pattern", Y::L(vec![s(regex), s(format!("Expected {message}."))])));
    }
    m(e)
}

fn decap_fields(fields: &[Field]) -> Y {
    Y::L(fields.iter().map(decap_field).collect())
}

fn decap_collections(model: &SiteModel) -> Vec<Y> {
    let mut out = Vec::new();
    for section in &model.sections {
        let folder = format!("{CONTENT}/{}", section.folder);
        let mut e: Vec<(&str, Y)> = vec![
            ("name", s(format!("section-{}", section.folder))),
            ("label", s(section.title.clone())),
            ("label_singular", s("Story")),
            ("folder", s(folder)),
            ("create", Y::B(true)),
            ("extension", s("md")),
            ("format", s("toml-frontmatter")),
            ("slug", s("{{slug}}")),
            ("identifier_field", s("title")),
            ("summary", s("{{title}} ({{date}})")),
            ("sortable_fields", Y::L(vec![s("date"), s("title")])),
        ];
        if section.bundles {
            // A bundle: the story is <slug>/index.md, its photos beside it.
            e.extend([("path", s("{{slug}}/index")), ("media_folder", s("")), ("public_folder", s(""))]);
        }
        e.push(("fields", decap_fields(&story_fields(model, section.bundles))));
        out.push(m(e));
    }
    for blog in &model.live_blogs {
        let name = blog.trim_start_matches(&format!("{CONTENT}/")).replace('/', "-");
        out.push(m(vec![
            ("name", s(format!("updates-{name}"))),
            ("label", s(format!("Live updates: {}", blog.rsplit('/').next().unwrap_or(blog)))),
            ("label_singular", s("Update")),
            ("folder", s(format!("{blog}/{}", broadsheet_site::content::UPDATES))),
            ("create", Y::B(true)),
            ("extension", s("md")),
            ("format", s("toml-frontmatter")),
            ("slug", s("{{year}}{{month}}{{day}}-{{hour}}{{minute}}{{second}}")),
            ("summary", s("{{time}} {{title}}")),
            ("fields", decap_fields(&update_fields(model))),
        ]));
    }
    out.push(m(vec![
        ("name", s("pages")),
        ("label", s("Pages")),
        ("label_singular", s("Page")),
        ("folder", s(CONTENT)),
        ("create", Y::B(true)),
        ("extension", s("md")),
        ("format", s("toml-frontmatter")),
        ("slug", s("{{slug}}")),
        ("fields", decap_fields(&page_fields())),
    ]));
    let mut files: Vec<Y> = model
        .nested_pages
        .iter()
        .map(|path| {
            m(vec![
                ("name", s(file_name(path))),
                ("label", s(path.trim_start_matches(&format!("{CONTENT}/")).to_string())),
                ("file", s(path.clone())),
                ("format", s("toml-frontmatter")),
                ("fields", decap_fields(&page_fields())),
            ])
        })
        .collect();
    if !files.is_empty() {
        out.push(m(vec![
            ("name", s("more-pages")),
            ("label", s("More pages")),
            ("files", Y::L(std::mem::take(&mut files))),
        ]));
    }
    let sections: Vec<Y> = model
        .sections
        .iter()
        .filter(|section| section.index)
        .map(|section| {
            m(vec![
                ("name", s(format!("section-{}-index", section.folder))),
                ("label", s(section.title.clone())),
                ("file", s(format!("{CONTENT}/{}/_index.md", section.folder))),
                ("format", s("toml-frontmatter")),
                ("fields", decap_fields(&section_fields())),
            ])
        })
        .collect();
    if !sections.is_empty() {
        out.push(m(vec![("name", s("sections")), ("label", s("Section fronts")), ("files", Y::L(sections))]));
    }
    out
}

/// A collection or file name from a path (`content/policies/ethics.md`
/// is `policies-ethics`).
fn file_name(path: &str) -> String {
    let path = path.trim_start_matches(&format!("{CONTENT}/"));
    let path = path.strip_suffix("/index.md").or_else(|| path.strip_suffix(".md")).unwrap_or(path);
    broadsheet_base::slug::slugify(&path.replace('/', "-"))
}

fn decap_config(model: &SiteModel) -> String {
    let repo = model.repo.clone().unwrap_or_else(|| "OWNER/REPOSITORY".into());
    let mut out = format!(
        "# Decap CMS (and Sveltia CMS) for {title}, written by `broadsheet cms`.\n\
         # Yours to edit: everything outside the two `broadsheet cms` marker lines\n\
         # is kept when `broadsheet cms` runs again (after a new section, author\n\
         # or series); the collections between them are rewritten from site.toml\n\
         # and content/. The editor saves through the GitHub API: see the README,\n\
         # \"Editors: writing in the browser\".\n",
        title = serde_json::Value::String(model.title.clone())
    );
    emit(&mut out, &m(vec![("backend", m(vec![("name", s("github")), ("repo", s(repo)), ("branch", s("main"))]))]), 0);
    out.push_str("# On a local checkout, `broadsheet serve` is the local backend: open /admin/ on it.\n");
    emit(
        &mut out,
        &m(vec![
            ("local_backend", Y::B(true)),
            ("site_url", s(model.base_url.clone())),
            ("media_folder", s(MEDIA_FOLDER)),
            ("public_folder", s(PUBLIC_FOLDER)),
        ]),
        0,
    );
    out.push_str("collections:\n");
    out.push_str(&format!("  # {BEGIN}: generated from site.toml and content/, rewritten by every run; add your own collections above or below these markers\n"));
    emit(&mut out, &Y::L(decap_collections(model)), 2);
    out.push_str(&format!("  # {END}\n"));
    out
}

/// The editor's page: Decap CMS pinned by version and hash, and the rule
/// the build applies that Decap's fields cannot say (alt text whenever a
/// photo is chosen), checked before every save.
fn decap_index(model: &SiteModel) -> String {
    let title = broadsheet_base::html::escape(&model.title);
    format!(
        r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Editor: {title}</title>
</head>
<body>
<!-- Written by `broadsheet cms`; what is outside the marker lines is yours and kept. -->
<!-- {BEGIN}: generated, rewritten by every run -->
<!-- Decap CMS {DECAP_VERSION}, pinned, and refused by the browser unless it is
     exactly that file (Subresource Integrity). Sveltia CMS reads the same
     config.yml: to use it, load https://unpkg.com/@sveltia/cms/dist/sveltia-cms.js
     (pinned to a version, with its own integrity hash) instead; it may not
     run the save check below. -->
<script src="https://unpkg.com/decap-cms@{DECAP_VERSION}/dist/decap-cms.js" integrity="{DECAP_INTEGRITY}" crossorigin="anonymous"></script>
<script>
// Broadsheet's rules Decap's fields cannot say, checked before every save:
// a photo needs alt text (the build warns without it), a syndicated story
// needs its publisher's name; an empty photo, source or text field is left
// out, as a story written by hand would leave it out.
CMS.registerEventListener({{
  name: "preSave",
  handler: ({{ entry }}) => {{
    const blank = (v) => v === undefined || v === null || (typeof v === "string" && v.trim() === "");
    let data = entry.get("data");
    const image = data.get("image");
    if (image && typeof image.get === "function") {{
      if (blank(image.get("src"))) {{
        data = data.delete("image");
      }} else if (blank(image.get("alt"))) {{
        throw new Error("The photo needs alt text: describe what it shows for readers who cannot see it.");
      }} else {{
        data = data.set("image", image.filter((v) => !blank(v)));
      }}
    }}
    const source = data.get("source");
    if (source && typeof source.get === "function") {{
      if (blank(source.get("name")) && blank(source.get("url"))) {{
        data = data.delete("source");
      }} else if (blank(source.get("name"))) {{
        throw new Error("A syndicated story needs the original publisher's name.");
      }} else {{
        data = data.set("source", source.filter((v) => !blank(v)));
      }}
    }}
    return data.filter((v, k) => k === "body" || !blank(v));
  }},
}});
</script>
<!-- {END} -->
</body>
</html>
"#
    )
}

// ---------------------------------------------------------------------
// Pages CMS (https://pagescms.org/docs/configuration/): `.pages.yml`.

fn pages_field(f: &Field) -> Y {
    let mut e: Vec<(&str, Y)> = vec![("name", s(f.name)), ("label", s(f.label))];
    let mut pattern = f.pattern;
    match &f.kind {
        Kind::String => e.push(("type", s("string"))),
        Kind::Text => e.push(("type", s("text"))),
        Kind::Body => e.push(("type", s("rich-text"))),
        Kind::Date { day } => {
            e.push(("type", s("date")));
            if !f.required {
                e.push(("default", s("")));
            }
            let options = match day {
                true => m(vec![("format", s("yyyy-MM-dd"))]),
                false => m(vec![("time", Y::B(true)), ("format", s("yyyy-MM-dd'T'HH:mm:ssXXX"))]),
            };
            e.push(("options", options));
            pattern = None; // only string and text fields take a pattern
        }
        Kind::Bool => e.extend([("type", s("boolean")), ("default", Y::B(false))]),
        Kind::Int { .. } => e.push(("type", s("number"))),
        Kind::List => e.extend([("type", s("string")), ("list", Y::B(true))]),
        Kind::Select { options, multiple } => {
            e.push(("type", s("select")));
            let values = options.iter().map(|(value, label)| m(vec![("name", s(value)), ("label", s(label))]));
            let mut o = vec![("values", Y::L(values.collect()))];
            if *multiple {
                o.push(("multiple", Y::B(true)));
            }
            e.push(("options", m(o)));
        }
        Kind::Object(fields) => {
            e.push(("type", s("object")));
            e.push(("fields", Y::L(fields.iter().map(pages_field).collect())));
        }
        Kind::ObjectList(fields) => {
            e.extend([("type", s("object")), ("list", Y::B(true))]);
            e.push(("fields", Y::L(fields.iter().map(pages_field).collect())));
        }
        Kind::Image => e.push(("type", s("image"))),
    }
    if f.required {
        e.push(("required", Y::B(true)));
    }
    if let Some(hint) = f.hint {
        e.push(("description", s(hint)));
    }
    if let Some((regex, message)) = pattern {
        e.push(("pattern", m(vec![("regex", s(regex)), ("message", s(format!("Expected {message}.")))])));
    }
    m(e)
}

fn pages_fields(fields: &[Field]) -> Y {
    Y::L(fields.iter().map(pages_field).collect())
}

fn pages_content(model: &SiteModel) -> Vec<Y> {
    let mut out = Vec::new();
    for section in &model.sections {
        // Pages CMS keeps uploads in its media folder: a bundle's story
        // names its photo by its address there (`/images/x.jpg`).
        let filename = if section.bundles { "{primary}/index.md" } else { "{primary}.md" };
        out.push(m(vec![
            ("name", s(format!("section-{}", section.folder))),
            ("label", s(section.title.clone())),
            ("type", s("collection")),
            ("path", s(format!("{CONTENT}/{}", section.folder))),
            ("format", s("toml-frontmatter")),
            ("filename", s(filename)),
            ("subfolders", Y::B(section.bundles)),
            // A live blog's updates are their own collection.
            ("exclude", Y::L(vec![s("_index.md"), s(broadsheet_site::content::UPDATES)])),
            ("view", pages_view(section.bundles)),
            ("fields", pages_fields(&story_fields(model, section.bundles))),
        ]));
    }
    for blog in &model.live_blogs {
        let name = blog.trim_start_matches(&format!("{CONTENT}/")).replace('/', "-");
        out.push(m(vec![
            ("name", s(format!("updates-{name}"))),
            ("label", s(format!("Live updates: {}", blog.rsplit('/').next().unwrap_or(blog)))),
            ("type", s("collection")),
            ("path", s(format!("{blog}/{}", broadsheet_site::content::UPDATES))),
            ("format", s("toml-frontmatter")),
            ("filename", s("{year}{month}{day}-{hour}{minute}{second}.md")),
            ("fields", pages_fields(&update_fields(model))),
        ]));
    }
    out.push(m(vec![
        ("name", s("pages")),
        ("label", s("Pages")),
        ("type", s("collection")),
        ("path", s(CONTENT)),
        ("format", s("toml-frontmatter")),
        ("filename", s("{primary}.md")),
        ("subfolders", Y::B(false)),
        ("fields", pages_fields(&page_fields())),
    ]));
    for path in &model.nested_pages {
        out.push(m(vec![
            ("name", s(format!("page-{}", file_name(path)))),
            ("label", s(path.trim_start_matches(&format!("{CONTENT}/")).to_string())),
            ("type", s("file")),
            ("path", s(path.clone())),
            ("format", s("toml-frontmatter")),
            ("fields", pages_fields(&page_fields())),
        ]));
    }
    for section in model.sections.iter().filter(|section| section.index) {
        out.push(m(vec![
            ("name", s(format!("section-{}-index", section.folder))),
            ("label", s(format!("{} (section front)", section.title))),
            ("type", s("file")),
            ("path", s(format!("{CONTENT}/{}/_index.md", section.folder))),
            ("format", s("toml-frontmatter")),
            ("fields", pages_fields(&section_fields())),
        ]));
    }
    out
}

/// The list of a section's stories; bundles shown as one entry each
/// (their `index.md`), as Pages CMS's tree view does for page bundles.
fn pages_view(bundles: bool) -> Y {
    let mut view = vec![("fields", Y::L(vec![s("title"), s("date")])), ("primary", s("title"))];
    if bundles {
        view.push(("layout", s("tree")));
        view.push(("node", m(vec![("filename", s("index.md")), ("hideDirs", s("nodes"))])));
    }
    view.push(("default", m(vec![("sort", s("date")), ("order", s("desc"))])));
    m(view)
}

fn pages_config(model: &SiteModel) -> String {
    let mut out = format!(
        "# Pages CMS (https://pagescms.org) for {title}, written by `broadsheet cms`.\n\
         # Yours to edit: everything outside the two `broadsheet cms` marker lines\n\
         # is kept when `broadsheet cms` runs again; the entries between them are\n\
         # rewritten from site.toml and content/.\n",
        title = serde_json::Value::String(model.title.clone())
    );
    emit(&mut out, &m(vec![("media", m(vec![("input", s(MEDIA_FOLDER)), ("output", s(PUBLIC_FOLDER))]))]), 0);
    out.push_str("content:\n");
    out.push_str(&format!("  # {BEGIN}: generated from site.toml and content/, rewritten by every run; add your own entries above or below these markers\n"));
    emit(&mut out, &Y::L(pages_content(model)), 2);
    out.push_str(&format!("  # {END}\n"));
    out
}

// ---------------------------------------------------------------------
// Writing: only the generated block of a file that exists is replaced.

/// `existing` with its generated block replaced by `fresh`'s; `fresh`
/// itself when there is no file yet.
pub fn merge(existing: Option<&str>, fresh: &str) -> Result<String, String> {
    let Some(existing) = existing else { return Ok(fresh.to_string()) };
    let block = |text: &str| -> Option<(usize, usize)> {
        let mut offset = 0;
        let (mut begin, mut end) = (None, None);
        for line in text.split_inclusive('\n') {
            if begin.is_none() && line.contains(BEGIN) {
                begin = Some(offset);
            } else if begin.is_some() && line.contains(END) {
                end = Some(offset + line.len());
                break;
            }
            offset += line.len();
        }
        Some((begin?, end?))
    };
    let (from, to) =
        block(existing).ok_or_else(|| format!("has no generated block (the lines marked `{BEGIN}` and `{END}`)"))?;
    let (fresh_from, fresh_to) = block(fresh).ok_or("the generated text has no block")?;
    Ok(format!("{}{}{}", &existing[..from], &fresh[fresh_from..fresh_to], &existing[to..]))
}

/// The three files, each as the site's copy should now read.
pub fn files(root: &Path, config: &Config) -> anyhow::Result<Vec<(PathBuf, String)>> {
    let model = model(root, config);
    let fresh = [
        (DECAP_CONFIG, decap_config(&model)),
        (DECAP_INDEX, decap_index(&model)),
        (PAGES_CONFIG, pages_config(&model)),
    ];
    let mut out = Vec::new();
    for (rel, text) in fresh {
        let path = root.join(rel);
        let existing = match broadsheet_base::confine::read_to_string(root, &path) {
            Ok(text) => Some(text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(anyhow!(e).context(format!("cannot read {}", path.display()))),
        };
        let merged = merge(existing.as_deref(), &text).map_err(|why| {
            anyhow!(
                "{} {why}: nothing was written. Move your version aside and run `broadsheet cms` again, then copy your changes outside the markers",
                path.display()
            )
        })?;
        out.push((PathBuf::from(rel), merged));
    }
    Ok(out)
}

/// Writes `text` at `path` in one step (a new file renamed over the old).
pub fn write(path: &Path, text: &str) -> anyhow::Result<()> {
    let parent = path.parent().ok_or_else(|| anyhow!("{} has no folder", path.display()))?;
    std::fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
    let mut temp =
        tempfile::NamedTempFile::new_in(parent).with_context(|| format!("cannot write in {}", parent.display()))?;
    std::io::Write::write_all(&mut temp, text.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))?;
    // A temporary file is private (0600); the editor's files are the site's,
    // readable as any file written by hand (a web server reads them too).
    #[cfg(unix)]
    {
        let permissions = match std::fs::metadata(path) {
            Ok(old) => old.permissions(),
            Err(_) => std::os::unix::fs::PermissionsExt::from_mode(0o644),
        };
        temp.as_file().set_permissions(permissions).with_context(|| format!("cannot write {}", path.display()))?;
    }
    temp.persist(path).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_is_block_style_with_quoted_strings() {
        let mut out = String::new();
        emit(
            &mut out,
            &m(vec![("a", Y::L(vec![m(vec![("name", s("x")), ("n", Y::I(1))]), s("yes")])), ("b", s("a: b"))]),
            0,
        );
        assert_eq!(out, "a:\n  - name: x\n    n: 1\n  - \"yes\"\nb: \"a: b\"\n");
    }

    #[test]
    fn merging_replaces_only_the_block() {
        let fresh = "head\n# >>> broadsheet cms\nnew\n# <<< broadsheet cms\ntail\n";
        let mine = "mine\n# >>> broadsheet cms\nold\n# <<< broadsheet cms\nmore of mine\n";
        assert_eq!(
            merge(Some(mine), fresh).unwrap(),
            "mine\n# >>> broadsheet cms\nnew\n# <<< broadsheet cms\nmore of mine\n"
        );
        assert!(merge(Some("no markers\n"), fresh).is_err());
        assert_eq!(merge(None, fresh).unwrap(), fresh);
    }
}
