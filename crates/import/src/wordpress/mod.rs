//! A WordPress export (WXR, the `.xml` from Tools → Export), read as a
//! stream with quick-xml: one `<item>` at a time is held, converted and
//! dropped, so an export of any size imports in bounded memory. The XML's
//! document type is never read: entities it declares are refused, not
//! expanded. Nothing personal is kept: author e-mail addresses and logins,
//! passwords, commenters and their addresses are read past, never stored.
//! This module turns each item read into an [`Item`] and places the
//! posts in sections; the XML is read in `xml`, shortcodes converted in
//! `shortcodes`, images copied from `--uploads` in `uploads`.

mod shortcodes;
mod uploads;
mod xml;

use std::collections::{BTreeMap, HashMap};

use anyhow::anyhow;
use chrono::{DateTime, FixedOffset, NaiveDateTime, TimeZone};

use crate::common::{as_written_in, best_zone};
use crate::html::{self, Findings};
use crate::{Author, Imported, Item, Kind, Options, clip};
use broadsheet_base::slug::slugify;
pub(crate) use shortcodes::shortcodes;
use uploads::copy_uploads;
use xml::Reader;

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
    languages_of(&mut posts, &mut imported);
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

/// A Polylang site's languages (each post's `language` term): the one the
/// export's `<language>` names (else the most posts') is the default, its
/// posts untranslated; the others are written as translations, linked by
/// their `post_translations` group. A site in one language is left alone.
fn languages_of(posts: &mut [(Option<String>, Item)], imported: &mut Imported) {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for (_, item) in posts.iter() {
        if let Some(lang) = &item.lang {
            *counts.entry(lang.clone()).or_default() += 1;
        }
    }
    if counts.len() < 2 {
        for (_, item) in posts.iter_mut() {
            item.lang = None;
            item.group = None;
            item.translation_key = None;
        }
        return;
    }
    let channel = imported.language.clone().unwrap_or_default().to_ascii_lowercase();
    let primary = channel.split(['-', '_']).next().unwrap_or("").to_string();
    let default = counts
        .keys()
        .find(|l| l.eq_ignore_ascii_case(&channel) || l.eq_ignore_ascii_case(&primary))
        .cloned()
        .or_else(|| counts.iter().max_by_key(|(_, n)| **n).map(|(l, _)| l.clone()))
        .unwrap_or_default();
    for (_, item) in posts.iter_mut() {
        if item.lang.as_deref() == Some(default.as_str()) {
            item.lang = None;
        }
    }
    imported.language = Some(default.clone());
    let mut languages = vec![crate::Language { code: default.clone(), ..crate::Language::default() }];
    languages.extend(
        counts
            .keys()
            .filter(|l| **l != default)
            .map(|code| crate::Language { code: code.clone(), ..crate::Language::default() }),
    );
    imported.languages = languages;
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
    // Polylang: the post's language and its group of translations (the
    // default language's are made untranslated once every post is read).
    for (domain, nicename, _) in &raw.terms {
        match domain.as_str() {
            "language" if !nicename.trim().is_empty() => item.lang = Some(nicename.trim().to_string()),
            "post_translations" if !nicename.trim().is_empty() => {
                item.translation_key = Some(nicename.trim().to_string());
                item.group = Some(format!("key:{}", nicename.trim()));
            }
            _ => {}
        }
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
    fn old_paths_are_below_the_blog() {
        assert_eq!(old_path("https://e.org/blog/2024/03/x/", "https://e.org/blog").as_deref(), Some("2024/03/x/"));
        assert_eq!(old_path("https://e.org/?p=12", "https://e.org"), None);
    }
}
