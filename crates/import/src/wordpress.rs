//! A WordPress export (WXR, the `.xml` from Tools → Export), read as a
//! stream with quick-xml: one `<item>` at a time is held, converted and
//! dropped, so an export of any size imports in bounded memory. The XML's
//! document type is never read: entities it declares are refused, not
//! expanded. Nothing personal is kept: author e-mail addresses and logins,
//! passwords, commenters and their addresses are read past, never stored.

use std::collections::{BTreeMap, HashMap};
use std::io::BufRead;
use std::path::{Path, PathBuf};

use anyhow::anyhow;
use chrono::{DateTime, FixedOffset, NaiveDateTime, TimeZone};
use quick_xml::events::Event;

use super::html::{self, Findings};
use super::{Author, Imported, Item, Kind, Options, clip};
use broadsheet_base::slug::slugify;

/// One `<item>`, as far as it is read.
#[derive(Default)]
struct Raw {
    title: String,
    link: String,
    guid: String,
    creator: String,
    content: String,
    excerpt: String,
    id: String,
    date: String,
    date_gmt: String,
    modified: String,
    modified_gmt: String,
    name: String,
    status: String,
    parent: String,
    post_type: String,
    has_password: bool,
    attachment_url: String,
    /// An attachment's alt text (`_wp_attachment_image_alt`).
    alt: String,
    /// (domain, nicename, name)
    terms: Vec<(String, String, String)>,
    thumbnail: Option<String>,
    /// A reference the reader could not resolve (a declared entity).
    refused: Option<String>,
}

/// What the channel says besides items.
#[derive(Default)]
struct Channel {
    title: String,
    link: String,
    description: String,
    language: String,
    base_blog_url: String,
    /// login → (key, display name)
    authors: BTreeMap<String, (String, String)>,
}

/// Reads the export at `opts.source`.
pub fn read(opts: &Options) -> broadsheet_base::error::Result<Imported> {
    let file = std::fs::File::open(&opts.source).map_err(|e| anyhow!("cannot read {}: {e}", opts.source.display()))?;
    let name = opts.source.file_name().map_or_else(|| "export.xml".into(), |n| n.to_string_lossy().into_owned());
    let mut reader = Reader::new(std::io::BufReader::with_capacity(1 << 16, file), name.clone());
    let mut imported = Imported::default();
    let mut channel = Channel::default();
    let mut posts: Vec<(Option<String>, Item)> = Vec::new();
    // Per post: its id and its categories (names), in the export's order.
    let mut ids: Vec<String> = Vec::new();
    let mut categories: Vec<Vec<String>> = Vec::new();
    // id → (address, alt text or title)
    let mut attachments: HashMap<String, (String, String)> = HashMap::new();
    // Attachment pages: (origin, parent post id, the page's address).
    let mut attachment_pages: Vec<(String, String, String)> = Vec::new();
    reader.run(&mut channel, |raw, channel| {
        if raw.post_type == "attachment" {
            if !raw.attachment_url.is_empty() {
                let alt = if raw.alt.trim().is_empty() { raw.title.trim() } else { raw.alt.trim() };
                attachments.insert(raw.id.clone(), (raw.attachment_url.clone(), html::decode_entities(alt)));
            }
            if !raw.link.is_empty() {
                let origin = format!("{name}, item {} (\"{}\")", raw.id, clip(&raw.title));
                attachment_pages.push((origin, raw.parent.trim().to_string(), raw.link.clone()));
            }
            return;
        }
        let id = raw.id.clone();
        let cats: Vec<String> = raw
            .terms
            .iter()
            .filter(|(domain, nicename, _)| domain == "category" && nicename != "uncategorized")
            .map(|(_, _, name)| html::decode_entities(name.trim()))
            .filter(|n| !n.is_empty())
            .collect();
        if let Some(item) = convert(raw, channel, &name, &mut imported) {
            posts.push(item);
            ids.push(id);
            categories.push(cats);
        }
    })?;
    if channel.link.is_empty() && channel.base_blog_url.is_empty() {
        return Err(anyhow!(
            "{}: this is not a WordPress export: expected an <rss> with a <channel> and WordPress's <wp:...> elements",
            opts.source.display()
        )
        .into());
    }
    let dates: Vec<DateTime<FixedOffset>> =
        posts.iter().filter(|(_, item)| !item.draft).filter_map(|(_, item)| item.date).collect();
    if let Some(zone) = best_zone(&dates) {
        for (_, item) in posts.iter_mut() {
            if let Some(d) = item.date {
                item.date = Some(as_written_in(d, zone, &item.origin, &mut imported));
            }
        }
        let tz = zone.name();
        imported.timezone = Some(tz.to_string());
        imported.note(
            "site.toml",
            format!("the export gives times with offsets, not the newsroom's timezone: `timezone = \"{tz}\"` has the offsets of the most posts; set your own zone if it differs (a post's URL carries its local date, and old URLs were matched in this zone)"),
        );
    }
    imported.title = channel.title.clone();
    imported.description = channel.description.clone();
    let base = if channel.base_blog_url.is_empty() { &channel.link } else { &channel.base_blog_url };
    imported.base_url = format!("{}/", base.trim_end_matches('/'));
    imported.language = (!channel.language.is_empty()).then(|| channel.language.clone());
    for (key, display) in channel.authors.values() {
        imported.authors.insert(key.clone(), Author { name: display.clone(), bio: String::new() });
    }
    let base_owned =
        if channel.base_blog_url.is_empty() { channel.link.clone() } else { channel.base_blog_url.clone() };
    attach_pages(&mut posts, &ids, &attachment_pages, &base_owned, &mut imported);
    choose_sections(&mut posts, &categories, &opts.sections, &mut imported);
    for (thumbnail, mut item) in posts {
        if let Some((url, alt)) = thumbnail.as_ref().and_then(|id| attachments.get(id)) {
            item.image = Some(url.clone());
            item.image_alt = alt.clone();
            if alt.is_empty() {
                imported.note(&item.origin, "its featured image has no alt text: describe the picture in `image.alt`");
            }
        }
        imported.items.push(item);
    }
    if let Some(uploads) = &opts.uploads {
        copy_uploads(&mut imported, uploads, base);
    } else {
        let remote: usize = imported
            .items
            .iter()
            .map(|i| {
                i.body.matches("/wp-content/uploads/").count()
                    + usize::from(i.image.as_ref().is_some_and(|s| s.contains("/wp-content/uploads/")))
            })
            .sum();
        imported.count("images left at their old address (give --uploads to copy them)", remote);
    }
    Ok(imported)
}

/// The path of an old URL below the blog's address, or `None` when it is
/// a query (`?p=12`) that no static file can answer.
fn old_path(link: &str, base: &str) -> Option<String> {
    let url = url::Url::parse(link.trim()).ok()?;
    if url.query().is_some_and(|q| q.contains("p=") || q.contains("page_id=")) {
        return None;
    }
    let base_path = url::Url::parse(base).map(|b| b.path().trim_end_matches('/').to_string()).unwrap_or_default();
    let path = url.path();
    let rel = path.strip_prefix(&base_path).unwrap_or(path);
    let rel = rel.trim_start_matches('/');
    (!rel.is_empty()).then(|| rel.to_string())
}

/// The item, and its featured image's attachment id: the item's raw HTML
/// is dropped here, so the export is never held whole.
fn convert(raw: Raw, channel: &Channel, file: &str, imported: &mut Imported) -> Option<(Option<String>, Item)> {
    let origin = format!("{file}, item {} (\"{}\")", raw.id, clip(&raw.title));
    if let Some(what) = &raw.refused {
        imported.skip("unreadable (entities the export declares itself)");
        imported
            .note(&origin, format!("not imported: it uses {what}, which Broadsheet does not expand; fix the export"));
        return None;
    }
    let kind = match raw.post_type.as_str() {
        "post" => Kind::Article,
        "page" => Kind::Page,
        other => {
            imported.skip(format!("of type `{other}`"));
            return None;
        }
    };
    let draft = match raw.status.as_str() {
        "publish" | "future" => false,
        "draft" | "pending" => true,
        "private" | "trash" | "auto-draft" | "inherit" => {
            imported.skip(format!("{} (status)", raw.status));
            return None;
        }
        other => {
            imported.skip(format!("status `{other}`"));
            return None;
        }
    };
    if raw.has_password {
        imported.skip("password-protected");
        return None;
    }
    let base = if channel.base_blog_url.is_empty() { &channel.link } else { &channel.base_blog_url };
    let mut item = Item::new(kind, origin.clone());
    item.title = if raw.title.trim().is_empty() { "Untitled".into() } else { html::decode_entities(raw.title.trim()) };
    if raw.title.trim().is_empty() {
        imported.note(&origin, "it has no title: \"Untitled\" was written; give it a headline");
    }
    item.slug = percent_encoding::percent_decode_str(&raw.name).decode_utf8_lossy().into_owned();
    item.date = date(&raw.date, &raw.date_gmt);
    item.updated = date(&raw.modified, &raw.modified_gmt).filter(|u| item.date.is_none_or(|d| *u > d));
    item.draft = draft;
    if let Some((key, _)) = channel.authors.get(&raw.creator) {
        item.authors.push(key.clone());
    } else if !raw.creator.is_empty() {
        // An author the export does not describe: the login is not a name to publish.
        imported.note(&origin, "its author is not in the export's author list: add `authors` by hand");
    }
    // Categories are placed by `choose_sections` once every post is read.
    for (domain, _, name) in &raw.terms {
        let name = html::decode_entities(name.trim());
        if domain == "post_tag" && !name.is_empty() && !item.tags.contains(&name) {
            item.tags.push(name);
        }
    }
    if !draft {
        match old_path(&raw.link, base) {
            Some(path) => item.old_paths.push(path),
            None if !raw.link.is_empty() => imported.note(
                &origin,
                format!(
                    "its old address {} is a query, which no static site can redirect; links to it inside imported stories now point to its new URL",
                    raw.link
                ),
            ),
            None => {}
        }
    }
    item.link_keys.extend([raw.link.clone(), raw.guid.clone()].into_iter().filter(|l| !l.is_empty()));
    if !raw.id.is_empty() {
        let host = base.trim_end_matches('/');
        item.link_keys.push(format!("{host}/?p={}", raw.id));
        item.link_keys.push(format!("{host}/?page_id={}", raw.id));
        item.link_keys.push(format!("/?p={}", raw.id));
    }
    let excerpt = html::strip_tags(&raw.excerpt);
    item.summary = (!excerpt.is_empty()).then_some(excerpt);
    let body = shortcodes(&raw.content, &origin, imported);
    let body = html::autop(&body);
    let mut findings = Findings::default();
    item.body = html::to_markdown(&body, &mut findings);
    imported.count(html::EMBEDS_COUNTED, findings.embeds);
    for src in findings.dropped_iframes {
        imported
            .note(&origin, format!("an embedded frame from {src} was left out: embed it again by hand if it matters"));
    }
    Some((raw.thumbnail, item))
}

/// How many categories become sections: a newsroom has a handful of
/// sections, not one per category; the rest are tags.
const MAX_SECTIONS: usize = 6;

/// Sections from categories: the `MAX_SECTIONS` categories the most
/// published posts have (and any `--section-from` names) are sections;
/// a post goes to the first of its categories that is one. Every other
/// category is a tag. A category whose slug is a URL the site itself uses
/// (a page's old address, or one of Broadsheet's own folders such as
/// `/search/`) is never a section.
fn choose_sections(
    posts: &mut [(Option<String>, Item)],
    categories: &[Vec<String>],
    mapped: &BTreeMap<String, String>,
    imported: &mut Imported,
) {
    let own: Vec<String> = [
        broadsheet_base::route::Route::TAGS,
        broadsheet_base::route::Route::AUTHORS,
        broadsheet_base::route::Route::SECTIONS,
        broadsheet_base::route::Route::ARCHIVE,
        broadsheet_base::route::Route::SEARCH,
        broadsheet_base::route::Route::SEARCH_BUNDLE,
    ]
    .iter()
    .map(|r| r.as_str().trim_matches('/').to_string())
    .chain(["css", "js", "page", "images", "static"].map(String::from))
    .collect();
    let used: std::collections::BTreeSet<String> = posts
        .iter()
        .filter(|(_, i)| i.kind == Kind::Page)
        .flat_map(|(_, i)| i.old_paths.iter().map(|p| p.trim_matches('/').to_string()))
        .collect();
    let is_mapped = |c: &str| mapped.keys().any(|k| k == c || slugify(k) == slugify(c));
    let mut count: BTreeMap<String, (usize, String)> = BTreeMap::new();
    for ((_, item), cats) in posts.iter().zip(categories) {
        if item.kind != Kind::Article || item.draft {
            continue;
        }
        for c in cats {
            count.entry(slugify(c)).or_insert_with(|| (0, c.clone())).0 += 1;
        }
    }
    let mut refused: Vec<(String, String)> = Vec::new();
    let mut ranked: Vec<(usize, String, String)> = Vec::new();
    for (slug, (n, name)) in &count {
        if slug == "news" {
            ranked.push((*n, slug.clone(), name.clone()));
        } else if own.contains(slug) || used.contains(slug) {
            let why =
                if used.contains(slug) { "the address of one of its pages" } else { "one of Broadsheet's own pages" };
            refused.push((name.clone(), format!("category \"{name}\" is a tag, not a section: /{slug}/ is {why}")));
        } else {
            ranked.push((*n, slug.clone(), name.clone()));
        }
    }
    ranked.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    let sections: std::collections::BTreeSet<String> = ranked
        .iter()
        .enumerate()
        .filter(|(i, (_, _, name))| *i < MAX_SECTIONS || is_mapped(name))
        .map(|(_, (_, slug, _))| slug.clone())
        .collect();
    let tagged: Vec<&String> = ranked.iter().filter(|(_, s, _)| !sections.contains(s)).map(|(_, _, n)| n).collect();
    if !tagged.is_empty() {
        let names: Vec<&str> = tagged.iter().map(|s| s.as_str()).collect();
        imported.note(
            "categories",
            format!(
                "{} {} tags, not sections (the {MAX_SECTIONS} used the most are sections): {}; map one to a section with --section-from",
                names.len(),
                if names.len() == 1 { "category became" } else { "categories became" },
                names.join(", ")
            ),
        );
    }
    for (_, what) in refused {
        imported.note("categories", what);
    }
    for ((_, item), cats) in posts.iter_mut().zip(categories) {
        let section = cats.iter().find(|c| sections.contains(&slugify(c)));
        if let Some(s) = section {
            item.section = s.clone();
        }
        let mut tags: Vec<String> = cats.iter().filter(|c| Some(*c) != section).cloned().collect();
        for t in std::mem::take(&mut item.tags) {
            if !tags.iter().any(|x| x.eq_ignore_ascii_case(&t)) {
                tags.push(t);
            }
        }
        item.tags = tags;
    }
}

/// An attachment page (`/2024/03/05/story/harbour/`) redirects to the post
/// its media is attached to; one whose post is not imported is a report line.
fn attach_pages(
    posts: &mut [(Option<String>, Item)],
    ids: &[String],
    pages: &[(String, String, String)],
    base: &str,
    imported: &mut Imported,
) {
    let by_id: HashMap<&str, usize> = ids.iter().enumerate().map(|(i, id)| (id.as_str(), i)).collect();
    for (origin, parent, link) in pages {
        let Some(path) = old_path(link, base) else { continue };
        if url::Url::parse(link).is_ok_and(|u| u.query().is_some()) {
            continue;
        }
        match by_id.get(parent.as_str()).map(|&i| &mut posts[i].1).filter(|item| !item.draft) {
            Some(item) => {
                if !item.old_paths.contains(&path) {
                    item.old_paths.push(path);
                }
            }
            None => imported.note(
                origin,
                format!("its attachment page /{path} is not kept: the media is not attached to a published post"),
            ),
        }
    }
}

/// The zone whose offsets the most of these times have (exports and
/// front matter give offsets, not the zone), tried on up to 400 of them
/// across the archive; `None` when every offset is UTC's. Dates in URLs
/// and on pages are the site's local dates.
pub(super) fn best_zone(dates: &[DateTime<FixedOffset>]) -> Option<chrono_tz::Tz> {
    if dates.iter().all(|d| d.offset().local_minus_utc() == 0) {
        return None;
    }
    let step = (dates.len() / 400).max(1);
    let sample: Vec<&DateTime<FixedOffset>> = dates.iter().step_by(step).collect();
    let fits = |tz: &chrono_tz::Tz| {
        sample
            .iter()
            .filter(|d| {
                use chrono::Offset as _;
                d.with_timezone(tz).offset().fix().local_minus_utc() == d.offset().local_minus_utc()
            })
            .count()
    };
    // Zones of the most newsrooms first; aliases (`GB`, `Etc/...`) last.
    const REGIONS: &[&str] =
        &["America/", "Europe/", "Asia/", "Australia/", "Africa/", "Pacific/", "Atlantic/", "Indian/"];
    let rank = |name: &str| REGIONS.iter().position(|r| name.starts_with(r)).unwrap_or(REGIONS.len());
    let mut zones: Vec<&chrono_tz::Tz> = chrono_tz::TZ_VARIANTS.iter().collect();
    zones.sort_by_key(|z| (rank(z.name()), z.name()));
    let mut best: Option<(usize, chrono_tz::Tz)> = None;
    for z in zones {
        let n = fits(z);
        if n > best.map_or(0, |b| b.0) {
            best = Some((n, *z));
            if n == sample.len() {
                break;
            }
        }
    }
    best.map(|b| b.1)
}

/// A time as the site will show it in `zone`: kept when it falls on the
/// same day there as written; otherwise (its offset is not one the zone
/// has) its written day and clock time are kept in the zone, so no date
/// moves a day, and a report line says the moment moved.
pub(super) fn as_written_in(
    date: DateTime<FixedOffset>,
    zone: chrono_tz::Tz,
    origin: &str,
    imported: &mut Imported,
) -> DateTime<FixedOffset> {
    use chrono::Offset as _;
    if date.with_timezone(&zone).date_naive() == date.date_naive() {
        return date;
    }
    let wall = date.naive_local();
    // A clock time the zone skips (a spring-forward hour) is read an hour later.
    let Some(local) = zone
        .from_local_datetime(&wall)
        .earliest()
        .or_else(|| zone.from_local_datetime(&(wall + chrono::Duration::hours(1))).earliest())
    else {
        return date;
    };
    let kept = local.with_timezone(&local.offset().fix());
    imported.note(
        origin,
        format!(
            "its time {} has an offset the site's timezone {} does not: kept as written ({}), so it shows the same day; the moment moved by {} min",
            date.to_rfc3339(),
            zone.name(),
            kept.to_rfc3339(),
            (kept.timestamp() - date.timestamp()) / 60
        ),
    );
    kept
}

/// A WordPress local time and its GMT twin make a time with its offset.
fn date(local: &str, gmt: &str) -> Option<DateTime<FixedOffset>> {
    let parse = |s: &str| NaiveDateTime::parse_from_str(s.trim(), "%Y-%m-%d %H:%M:%S").ok();
    let local = parse(local)?;
    let offset = match parse(gmt) {
        // Offsets are whole quarter hours; a few seconds' skew is rounded away.
        Some(gmt) => {
            let secs = (local - gmt).num_seconds();
            ((secs as f64 / 900.0).round() as i32) * 900
        }
        None => 0,
    };
    FixedOffset::east_opt(offset)?.from_local_datetime(&local).single()
}

/// Shortcodes: `[caption]` becomes a figure, `[embed]` and `[youtube]` a
/// link; any other shortcode is hidden in an HTML comment (a paired one's
/// inner text kept) and reported.
pub(crate) fn shortcodes(body: &str, origin: &str, imported: &mut Imported) -> String {
    const KNOWN: &[&str] = &[
        "caption",
        "wp_caption",
        "embed",
        "youtube",
        "vimeo",
        "gallery",
        "audio",
        "video",
        "playlist",
        "soundcloud",
        "contact-form-7",
        "contact-form",
        "gravityform",
        "ninja_form",
        "wpforms",
        "tweet",
        "instagram",
        "googlemaps",
    ];
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(open) = rest.find('[') {
        out.push_str(&rest[..open]);
        let from = &rest[open..];
        let Some(close) = from.find(']') else {
            out.push_str(from);
            return out;
        };
        let tag = &from[1..close];
        let name: String = tag.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-').collect();
        let after = tag[name.len()..].chars().next();
        let lname = name.to_ascii_lowercase();
        let closing = format!("[/{name}]");
        let has_close = from.find(&closing);
        // `[text](url)`, `[text][ref]` and `[ref]: url` are Markdown links
        // (a Jekyll site moved from WordPress mixes both).
        let next = &from[close + 1..];
        let markdown_link = next.starts_with(['(', ':'])
            || (next.starts_with('[') && !KNOWN.contains(&name.to_ascii_lowercase().as_str()));
        let is_shortcode = !name.is_empty()
            && !markdown_link
            && name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            && matches!(after, None | Some(' ' | '='))
            && (KNOWN.contains(&lname.as_str()) || tag.contains('=') || has_close.is_some());
        if !is_shortcode {
            out.push('[');
            rest = &from[1..];
            continue;
        }
        let (inner, end) = match has_close {
            Some(c) => (&from[close + 1..c], c + closing.len()),
            None => ("", close + 1),
        };
        let whole = &from[..end];
        // SyntaxHighlighter's `[sourcecode language="x"]` and `[csharp]`.
        let code = has_close.and_then(|_| code_language(&lname, tag));
        match lname.as_str() {
            "caption" | "wp_caption" => out.push_str(&caption(inner)),
            _ if code.is_some() => {
                let lang = code.unwrap_or_default();
                let code = html::escape(&html::decode_entities(inner.trim_matches(['\n', '\r'])));
                let class = if lang.is_empty() { String::new() } else { format!(" class=\"language-{lang}\"") };
                out.push_str(&format!("\n\n<pre><code{class}>{code}</code></pre>\n\n"));
            }
            "embed" | "youtube" | "vimeo" => {
                let url = if inner.trim().is_empty() {
                    tag[name.len()..].trim_start_matches(['=', ' ']).split_whitespace().next().unwrap_or("").to_string()
                } else {
                    inner.trim().to_string()
                };
                let url =
                    if lname == "vimeo" && !url.starts_with("http") { format!("https://vimeo.com/{url}") } else { url };
                out.push_str(&format!("\n\n{url}\n\n"));
            }
            _ => {
                imported.note(
                    origin,
                    format!(
                        "shortcode `{}` hidden in an HTML comment: replace it by hand (Broadsheet has no `{name}`)",
                        clip(whole)
                    ),
                );
                // Paired: the inner text stays for readers, the tags do not.
                out.push_str(&super::hidden(&from[..=close]));
                if has_close.is_some() {
                    out.push_str(inner);
                    out.push_str(&super::hidden(&closing));
                }
            }
        }
        rest = &from[end..];
    }
    out.push_str(rest);
    out
}

/// The language of a code shortcode: `[sourcecode language="x"]`,
/// `[code lang="x"]`, or one named after its language (`[csharp]`).
fn code_language(name: &str, tag: &str) -> Option<String> {
    const LANGUAGES: &[&str] = &[
        "as3",
        "actionscript3",
        "bash",
        "shell",
        "c",
        "cpp",
        "csharp",
        "css",
        "delphi",
        "diff",
        "erlang",
        "go",
        "groovy",
        "html",
        "java",
        "javascript",
        "js",
        "jscript",
        "json",
        "kotlin",
        "matlab",
        "objc",
        "perl",
        "php",
        "plain",
        "powershell",
        "python",
        "py",
        "ruby",
        "rust",
        "scala",
        "sql",
        "swift",
        "text",
        "typescript",
        "vb",
        "vbnet",
        "xml",
        "xhtml",
        "xslt",
        "yaml",
    ];
    if matches!(name, "sourcecode" | "source" | "code" | "syntax") {
        let attrs = format!("<x {}>", &tag[name.len()..]);
        let lang = html::attr(&attrs, "language").or_else(|| html::attr(&attrs, "lang")).unwrap_or_default();
        return Some(lang.to_ascii_lowercase());
    }
    LANGUAGES.contains(&name).then(|| name.to_string())
}

/// `[caption id="" align="" width=""]<img ...> The caption[/caption]`.
fn caption(inner: &str) -> String {
    let lower = inner.to_ascii_lowercase();
    let Some(img_at) = lower.find("<img") else { return inner.to_string() };
    let Some(tag) = html::start_tag(&inner[img_at..]) else { return inner.to_string() };
    let img_end = img_at + tag.len();
    // A linked image: `<a href><img></a>`; the caption follows the `</a>`.
    let after = &inner[img_end..];
    let after = after.trim_start().strip_prefix("</a>").unwrap_or(after);
    let text = html::strip_tags(after);
    html::figure(tag, Some(&text))
}

/// Copies every image under `wp-content/uploads/` that an item shows into
/// its bundle, and points the item at the copy.
fn copy_uploads(imported: &mut Imported, uploads: &Path, base: &str) {
    let mut copied = 0;
    let mut missing: Vec<(String, String)> = Vec::new();
    let mut refused: Vec<(String, String)> = Vec::new();
    imported.roots.push(uploads.to_path_buf());
    let host = url::Url::parse(base).ok().and_then(|u| u.host_str().map(str::to_string)).unwrap_or_default();
    for item in imported.items.iter_mut() {
        let mut urls: Vec<String> = Vec::new();
        let mut at = 0;
        while let Some(i) = item.body[at..].find("/wp-content/uploads/") {
            let start = item.body[..at + i].rfind(['(', '"', ' ', '\n']).map_or(0, |s| s + 1);
            let end = item.body[at + i..].find(['"', ')', ' ', '\n']).map_or(item.body.len(), |e| at + i + e);
            urls.push(item.body[start..end].to_string());
            at = end.max(at + i + 1);
        }
        urls.extend(item.image.clone());
        urls.sort();
        urls.dedup();
        let mut names: BTreeMap<String, String> = BTreeMap::new();
        for url in urls {
            let Some(rel) = url.split("/wp-content/uploads/").nth(1) else { continue };
            let on_our_host = url.starts_with('/')
                || url::Url::parse(&url).ok().and_then(|u| u.host_str().map(str::to_string)).is_some_and(|h| h == host);
            if !on_our_host {
                continue;
            }
            let rel = rel.split(['?', '#']).next().unwrap_or(rel);
            let from = match find_upload(uploads, rel) {
                Ok(from) => from,
                Err(None) => {
                    missing.push((item.origin.clone(), url.clone()));
                    continue;
                }
                Err(Some(why)) => {
                    refused.push((item.origin.clone(), format!("image {url} is not copied: {why}")));
                    continue;
                }
            };
            let name = from.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let name = unique_name(&names, &name);
            names.insert(url.clone(), name.clone());
            item.files.push((from, name));
            copied += 1;
        }
        for (url, name) in &names {
            item.body = item.body.replace(url.as_str(), name);
            if item.image.as_deref() == Some(url.as_str()) {
                item.image = Some(name.clone());
            }
        }
    }
    imported.count("images copied from --uploads", copied);
    for (origin, why) in refused {
        imported.note(origin, why);
    }
    for (origin, url) in missing {
        imported.note(origin, format!("image {url} is not in the uploads folder: it still points at the old site"));
    }
}

fn unique_name(taken: &BTreeMap<String, String>, name: &str) -> String {
    let used = |n: &str| taken.values().any(|v| v == n);
    if !used(name) {
        return name.to_string();
    }
    let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
    (2..).map(|i| format!("{stem}-{i}.{ext}")).find(|n| !used(n)).unwrap_or_default()
}

/// An upload by its path below `uploads/`; a resized copy
/// (`photo-300x200.jpg`) falls back to the original. Only files beneath
/// the uploads folder count: a symbolic link out of it is refused, and
/// why (`Err(Some)`); `Err(None)` when there is no such file.
fn find_upload(uploads: &Path, rel: &str) -> Result<PathBuf, Option<String>> {
    let rel = percent_encoding::percent_decode_str(rel).decode_utf8_lossy().into_owned();
    if rel.split('/').any(|s| s == ".." || s.is_empty()) {
        return Err(None);
    }
    let inside = |rel: &str| -> Result<PathBuf, Option<String>> {
        let path = uploads.join(rel);
        match broadsheet_base::confine::open(uploads, Path::new(rel)) {
            Ok(f) if f.metadata().is_ok_and(|m| m.is_file()) => Ok(path),
            Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => Err(Some(e.to_string())),
            _ => Err(None),
        }
    };
    match inside(&rel) {
        Err(None) => {}
        found => return found,
    }
    let (stem, ext) = rel.rsplit_once('.').ok_or(None)?;
    let (base, size) = stem.rsplit_once('-').ok_or(None)?;
    let is_size = size.split_once('x').is_some_and(|(w, h)| {
        !w.is_empty() && !h.is_empty() && w.chars().all(|c| c.is_ascii_digit()) && h.chars().all(|c| c.is_ascii_digit())
    });
    if !is_size {
        return Err(None);
    }
    inside(&format!("{base}.{ext}"))
}

/// The streaming reader: elements are tracked by name on a stack, text is
/// collected for the leaf being read.
struct Reader<R: BufRead> {
    xml: quick_xml::Reader<R>,
    name: String,
}

impl<R: BufRead> Reader<R> {
    fn new(input: R, name: String) -> Reader<R> {
        let mut xml = quick_xml::Reader::from_reader(input);
        xml.config_mut().trim_text(false);
        Reader { xml, name }
    }

    fn error(&self, what: impl std::fmt::Display) -> broadsheet_base::error::Error {
        anyhow!("{}: not a readable WordPress export at byte {}: {what}", self.name, self.xml.buffer_position()).into()
    }

    fn run(
        &mut self,
        channel: &mut Channel,
        mut on_item: impl FnMut(Raw, &Channel),
    ) -> broadsheet_base::error::Result<()> {
        let mut buf = Vec::with_capacity(1 << 16);
        let mut stack: Vec<String> = Vec::new();
        let mut text = String::new();
        let mut raw: Option<Raw> = None;
        let mut term: Option<(String, String)> = None;
        let mut meta_key = String::new();
        let mut author: (String, String) = Default::default();
        let mut in_comment = 0usize;
        loop {
            let event = self.xml.read_event_into(&mut buf).map_err(|e| self.error(e))?;
            match event {
                Event::Start(e) => {
                    let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                    if name == "wp:comment" {
                        in_comment += 1;
                    }
                    if name == "item" {
                        raw = Some(Raw::default());
                    }
                    if name == "category" && raw.is_some() {
                        let mut domain = String::new();
                        let mut nicename = String::new();
                        for a in e.attributes().flatten() {
                            let v = html::decode_entities(&String::from_utf8_lossy(&a.value));
                            match a.key.as_ref() {
                                b"domain" => domain = v,
                                b"nicename" => nicename = v,
                                _ => {}
                            }
                        }
                        term = Some((domain, nicename));
                    }
                    if stack.len() > 64 {
                        return Err(self.error("elements nested more than 64 deep"));
                    }
                    stack.push(name);
                    text.clear();
                }
                Event::Empty(_) => text.clear(),
                Event::Text(t) if in_comment == 0 => {
                    text.push_str(&t.decode().map_err(|e| self.error(e))?);
                }
                Event::CData(t) if in_comment == 0 => {
                    let bytes = t.into_inner();
                    text.push_str(std::str::from_utf8(&bytes).map_err(|_| self.error("text that is not UTF-8"))?);
                }
                Event::GeneralRef(r) => {
                    if let Ok(Some(c)) = r.resolve_char_ref() {
                        text.push(c);
                    } else {
                        let name = r.decode().map_err(|e| self.error(e))?.into_owned();
                        match quick_xml::escape::resolve_xml_entity(&name) {
                            Some(s) => text.push_str(s),
                            None => match raw.as_mut() {
                                Some(raw) => raw.refused = Some(format!("the entity `&{name};`")),
                                None => return Err(self.error(format!("the entity `&{name};` is not XML's own"))),
                            },
                        }
                    }
                }
                Event::End(_) => {
                    let Some(name) = stack.pop() else { return Err(self.error("a closing tag without its opening")) };
                    let parent = stack.last().map(String::as_str).unwrap_or("");
                    let value = std::mem::take(&mut text);
                    if name == "wp:comment" {
                        in_comment = in_comment.saturating_sub(1);
                        continue;
                    }
                    if in_comment > 0 {
                        continue;
                    }
                    match (raw.as_mut(), name.as_str()) {
                        (Some(_), "item") => {
                            if let Some(r) = raw.take() {
                                on_item(r, channel);
                            }
                        }
                        (Some(r), field) => read_field(r, field, parent, value, &mut term, &mut meta_key),
                        (None, field) => read_channel(channel, field, parent, value, &mut author),
                    }
                }
                Event::DocType(_) => {}
                Event::Eof => break,
                _ => {}
            }
            buf.clear();
        }
        if !stack.is_empty() {
            return Err(self.error(format!("the file ends inside <{}>: it was cut short", stack.join("> <"))));
        }
        Ok(())
    }
}

fn read_field(
    r: &mut Raw,
    field: &str,
    parent: &str,
    value: String,
    term: &mut Option<(String, String)>,
    meta_key: &mut String,
) {
    match (parent, field) {
        ("item", "title") => r.title = value,
        ("item", "link") => r.link = value.trim().to_string(),
        ("item", "guid") => r.guid = value.trim().to_string(),
        ("item", "dc:creator") => r.creator = value.trim().to_string(),
        ("item", "content:encoded") => r.content = value,
        ("item", "excerpt:encoded") => r.excerpt = value,
        ("item", "wp:post_id") => r.id = value.trim().to_string(),
        ("item", "wp:post_date") => r.date = value,
        ("item", "wp:post_date_gmt") => r.date_gmt = value,
        ("item", "wp:post_modified") => r.modified = value,
        ("item", "wp:post_modified_gmt") => r.modified_gmt = value,
        ("item", "wp:post_name") => r.name = value.trim().to_string(),
        ("item", "wp:status") => r.status = value.trim().to_string(),
        ("item", "wp:post_parent") => r.parent = value.trim().to_string(),
        ("item", "wp:post_type") => r.post_type = value.trim().to_string(),
        ("item", "wp:post_password") => r.has_password = !value.trim().is_empty(),
        ("item", "wp:attachment_url") => r.attachment_url = value.trim().to_string(),
        ("item", "category") => {
            if let Some((domain, nicename)) = term.take() {
                let nicename = if nicename.is_empty() { slugify(&value) } else { nicename };
                r.terms.push((domain, nicename, value));
            }
        }
        ("wp:postmeta", "wp:meta_key") => *meta_key = value.trim().to_string(),
        ("wp:postmeta", "wp:meta_value") if meta_key == "_thumbnail_id" => r.thumbnail = Some(value.trim().to_string()),
        ("wp:postmeta", "wp:meta_value") if meta_key == "_wp_attachment_image_alt" => r.alt = value,
        _ => {}
    }
}

fn read_channel(c: &mut Channel, field: &str, parent: &str, value: String, author: &mut (String, String)) {
    match (parent, field) {
        ("channel", "title") => c.title = value.trim().to_string(),
        ("channel", "link") => c.link = value.trim().to_string(),
        ("channel", "description") => c.description = value.trim().to_string(),
        ("channel", "language") => c.language = value.trim().to_string(),
        ("channel", "wp:base_blog_url") => c.base_blog_url = value.trim().to_string(),
        ("wp:author", "wp:author_login") => author.0 = value.trim().to_string(),
        ("wp:author", "wp:author_display_name") => author.1 = value.trim().to_string(),
        ("channel", "wp:author") => {
            let (login, display) = std::mem::take(author);
            let display = if display.is_empty() { login.clone() } else { html::decode_entities(&display) };
            let mut key = slugify(&display);
            if key.is_empty() {
                key = format!("author-{}", c.authors.len() + 1);
            }
            while c.authors.values().any(|(k, _)| *k == key) {
                key.push_str("-2");
            }
            c.authors.insert(login, (key, display));
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_keep_the_sites_offset() {
        let d = date("2024-06-01 00:30:00", "2024-05-31 23:30:00").unwrap();
        assert_eq!(d.to_rfc3339(), "2024-06-01T00:30:00+01:00");
        assert_eq!(
            date("2024-06-01 00:30:00", "0000-00-00 00:00:00").unwrap().to_rfc3339(),
            "2024-06-01T00:30:00+00:00"
        );
    }

    #[test]
    fn mixed_offsets_get_the_zone_of_the_most_and_the_rest_keep_their_day() {
        let at = |s: &str| DateTime::parse_from_rfc3339(s).unwrap();
        let dates = [at("2024-01-15T21:30:00-05:00"), at("2024-07-04T21:15:00-04:00"), at("2024-03-12T02:00:00+05:30")];
        let zone = best_zone(&dates).unwrap();
        assert!(zone.name().starts_with("America/"), "{}", zone.name());
        assert_eq!(best_zone(&[at("2024-01-15T21:30:00+00:00")]), None);
        let mut imported = Imported::default();
        // Its day in the zone: kept as it is.
        assert_eq!(as_written_in(dates[0], zone, "a", &mut imported), dates[0]);
        // Another day in the zone: the written day and clock time, in the zone.
        let kept = as_written_in(dates[2], zone, "b", &mut imported);
        assert_eq!(kept.to_rfc3339(), "2024-03-12T02:00:00-04:00");
        assert_eq!(imported.notes.len(), 1);
        assert_eq!(imported.notes[0].origin, "b");
    }

    #[test]
    fn old_paths_are_below_the_blog() {
        assert_eq!(old_path("https://e.org/blog/2024/03/x/", "https://e.org/blog").as_deref(), Some("2024/03/x/"));
        assert_eq!(old_path("https://e.org/?p=12", "https://e.org"), None);
    }

    #[test]
    fn captions_become_figures_and_unknown_shortcodes_are_reported() {
        let mut imported = Imported::default();
        let body = "[caption id=\"a\" width=\"800\"]<img src=\"b.jpg\" alt=\"Boats\" /> Boats at dawn[/caption] [sic] [gallery ids=\"1,2\"]";
        let out = shortcodes(body, "x", &mut imported);
        assert!(
            out.starts_with(
                "<figure><img src=\"b.jpg\" alt=\"Boats\" /><figcaption>Boats at dawn</figcaption></figure>"
            ),
            "{out}"
        );
        assert!(out.contains("[sic]"));
        assert_eq!(imported.notes.len(), 1, "{:?}", imported.notes);
        assert!(imported.notes[0].what.contains("gallery"));
    }
}
