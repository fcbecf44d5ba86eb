//! One Jekyll file made an item: a post (`_posts/`, `_drafts/`), a page
//! (or what stands in its place: a redirect, a listing the theme made, a
//! page whose layout made its text), or a document of a collection Jekyll
//! writes, each with its title, dates, section, tags, authors, old URLs
//! and body.

use std::path::Path;

use serde_json::Value;

use super::authors::{credit_authors, display_name};
use super::dates::{date_of, file_date, midnight};
use super::front::{front_matter, split, symbol_note, with_defaults, words};
use super::liquid::{convert_body, strip_liquid_urls};
use super::urls::{Marks, add_permalink_suffix, expand, jekyll_url, page_url};
use super::{Collection, Config};
use crate::{Imported, Item, Kind, clip};

pub(super) fn read_post(
    root: &Path,
    rel: &Path,
    draft_folder: bool,
    folder_categories: &[String],
    cfg: &Config,
    imported: &mut Imported,
) -> Option<Item> {
    let shown = rel.display().to_string();
    let text = match broadsheet_base::confine::read(root, rel) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(_) => {
                imported.skip("not UTF-8");
                imported.note(&shown, "not imported: the file is not UTF-8 text; re-save it as UTF-8 and import again");
                return None;
            }
        },
        Err(e) => {
            imported.skip("unreadable");
            imported.note(&shown, format!("not imported: {e}"));
            return None;
        }
    };
    symbol_note(&text, &shown, imported);
    let (front, body) = front_matter(&text, &shown, imported);
    let front = with_defaults(&cfg.defaults, &rel.to_string_lossy().replace('\\', "/"), "posts", front);
    let body_line = text[..text.len() - body.len()].lines().count() + 1;
    let stem = rel.file_stem()?.to_string_lossy().into_owned();
    let ext = rel.extension().map(|e| e.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    let named = file_date(&stem);
    if named.is_none() && !draft_folder {
        imported.skip("in _posts without a date in the file name (Jekyll skips them too)");
        return None;
    }
    let title_slug = named.map_or(stem.as_str(), |(_, rest)| rest).to_string();
    let mut item = Item::new(Kind::Article, shown.clone());
    let tz = cfg.timezone;
    item.date = date_of(&front, "date", tz).or_else(|| midnight(named?.0, tz));
    item.title = front.get("title").and_then(Value::as_str).map(str::trim).filter(|t| !t.is_empty()).map_or_else(
        || title_slug.split('-').map(capitalize).collect::<Vec<_>>().join(" "),
        crate::html::decode_entities,
    );
    let published =
        front.get("published").and_then(|v| v.as_bool().or_else(|| v.as_str().map(|s| s.trim() != "false")));
    item.draft = draft_folder || published == Some(false);
    let mut categories = folder_categories.to_vec();
    categories.extend(words(&front, &["categories", "category"], true));
    let tags = words(&front, &["tags", "tag"], true);
    item.section = categories.first().cloned().unwrap_or_else(|| "blog".into());
    item.tags = categories.iter().skip(1).chain(&tags).cloned().collect();
    item.tags.dedup();
    let slug_field = front.get("slug").and_then(Value::as_str).map(str::to_string);
    item.slug = slug_field.clone().unwrap_or_else(|| title_slug.clone());
    credit_authors(imported, &mut item, &front);
    item.summary = ["excerpt", "description", "summary"]
        .iter()
        .find_map(|k| front.get(*k).and_then(Value::as_str))
        .map(crate::html::strip_tags);
    item.image = ["image", "featured_image", "cover", "thumbnail"].iter().find_map(|k| match front.get(*k) {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Object(o)) => {
            o.get("path").or_else(|| o.get("feature")).and_then(Value::as_str).map(str::to_string)
        }
        _ => None,
    });
    if let Some(src) = &item.image {
        item.image = Some(strip_liquid_urls(src));
        item.image_alt = item.title.clone();
    }
    let updated_key = if front.get("last_modified_at").is_some() { "last_modified_at" } else { "modified" };
    item.updated = date_of(&front, updated_key, tz);
    if !item.draft {
        let pattern = front.get("permalink").and_then(Value::as_str).unwrap_or(&cfg.permalink);
        if let Some(date) = item.date {
            let local = date.with_timezone(&tz.unwrap_or(chrono_tz::UTC)).naive_local();
            item.old_paths.push(jekyll_url(pattern, &categories, &title_slug, slug_field.as_deref(), &local, &ext));
        }
        item.old_paths.extend(words(&front, &["redirect_from"], false));
    }
    let rel_str = rel.to_string_lossy().replace('\\', "/");
    item.link_keys.push(rel_str.clone());
    item.link_keys.push(stem.clone());
    item.html = matches!(ext.as_str(), "html" | "htm");
    item.body = convert_body(body, body_line, item.html, &front, cfg, &shown, imported);
    Some(item)
}

/// What a page is once read.
pub(super) enum Read {
    Item(Item),
    /// A page without text of its own (its layout made it): kept only
    /// when its URL is no listing of the new site.
    Bare(Item),
    /// A `redirect_to` page (jekyll-redirect-from): its URL, and where it sent readers.
    Redirect {
        origin: String,
        from: String,
        to: String,
    },
    /// An HTML page made by Liquid over the site's posts (a listing, an
    /// archive): the theme's work, kept out.
    Listing {
        origin: String,
        url: String,
        /// The category or tag it lists (`category: agents`), when its
        /// front matter names one, with its other old URLs (`redirect_from`).
        term: Option<String>,
        also: Vec<String>,
    },
}

pub(super) fn read_page(root: &Path, rel: &Path, cfg: &Config, imported: &mut Imported) -> Option<Read> {
    let shown = rel.display().to_string();
    let text = broadsheet_base::confine::read_to_string(root, rel).ok()?;
    let (front, body) = front_matter(&text, &shown, imported);
    let rel_str = rel.to_string_lossy().replace('\\', "/");
    let front = with_defaults(&cfg.defaults, &rel_str, "pages", front);
    let stem = rel.file_stem()?.to_string_lossy().into_owned();
    let ext = rel.extension().map(|e| e.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    let html = matches!(ext.as_str(), "html" | "htm");
    let old = page_url(rel, &front, &cfg.style);
    if old.is_empty() || old == "index.html" || (stem == "404" && rel.parent().is_none_or(|p| p.as_os_str().is_empty()))
    {
        // The front page and 404 are Broadsheet's.
        imported.count("pages without text of their own left out (listings their layout made)", 1);
        return None;
    }
    if (html && is_template(body)) || lists(body) || layout_lists(root, &front) {
        let term = words(&front, &["category", "tag"], false).into_iter().next().filter(|t| !t.is_empty());
        let also =
            words(&front, &["redirect_from"], false).iter().map(|p| p.trim_start_matches('/').to_string()).collect();
        return Some(Read::Listing { origin: shown, url: old, term, also });
    }
    if let Some(to) = redirect_target(&front) {
        return Some(Read::Redirect { origin: shown, from: old, to });
    }
    let body_line = text[..text.len() - body.len()].lines().count() + 1;
    let mut item = Item::new(Kind::Page, shown.clone());
    item.title =
        front.get("title").and_then(Value::as_str).map(str::trim).filter(|t| !t.is_empty()).map_or_else(
            || titleize(if stem == "index" { parent_name(rel) } else { &stem }),
            crate::html::decode_entities,
        );
    item.draft = front.get("published").and_then(Value::as_bool) == Some(false);
    item.summary = front.get("description").and_then(Value::as_str).map(str::to_string);
    item.slug = if stem == "index" { parent_name(rel).to_string() } else { stem.clone() };
    // The URL's last name (`community` of `/community/index.html`).
    let named = old.trim_end_matches('/').trim_end_matches("index.html").trim_end_matches("index.htm");
    if let Some(last) = named.trim_end_matches('/').rsplit('/').next().map(|s| s.trim_end_matches(".html"))
        && !last.is_empty()
    {
        item.slug = last.to_string();
    }
    item.old_paths.push(old);
    item.old_paths
        .extend(words(&front, &["redirect_from"], false).iter().map(|p| p.trim_start_matches('/').to_string()));
    item.link_keys.push(rel_str);
    item.html = html;
    if let Some(date) = front.get("date").filter(|d| !d.is_null()) {
        let date = date.as_str().map_or_else(|| date.to_string(), str::to_string);
        imported.note(
            &shown,
            format!(
                "a page with `date: {}`: Jekyll keeps it a page (not one of the site's posts), and so does the import, but a Broadsheet page shows no date; to make it a dated story, move it into a section's folder (content/<section>/) with its date",
                clip(&date)
            ),
        );
    }
    item.body = convert_body(body, body_line, item.html, &front, cfg, &shown, imported);
    if item.body.trim().is_empty() {
        let layout = front.get("layout").and_then(Value::as_str).unwrap_or("its layout");
        imported.note(
            &shown,
            format!(
                "it has no text of its own (layout `{layout}` made it, and Broadsheet does not run Jekyll layouts): \
                 it was imported as a page without text so its old URL answers; write its text"
            ),
        );
        return Some(Read::Bare(item));
    }
    Some(Read::Item(item))
}

/// An HTML page with front matter that is a theme's work, not content:
/// it shows other content (`{{ content }}`, a paginator) or is a whole
/// document of its own. (Loops over the site's posts: [`lists`].)
fn is_template(body: &str) -> bool {
    let squeezed: String = body.chars().filter(|c| !c.is_whitespace()).collect();
    let lower = squeezed.to_ascii_lowercase();
    lower.contains("{{content}}")
        || lower.contains("paginator.")
        || lower.starts_with("<!doctype")
        || lower.starts_with("<html")
}

/// Liquid that lists the site's posts, pages or collections: a listing
/// (an archive, a category page), not a page of its own.
fn lists(text: &str) -> bool {
    ["paginator", "site.posts", "site.categories", "site.tags", "site.collections"].iter().any(|w| {
        text.match_indices(w).any(|(at, _)| {
            let before = text[..at].chars().next_back();
            let after = text[at + w.len()..].chars().next();
            let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
            !word(before) && !word(after)
        })
    })
}

/// Whether the page's layout (or a layout it sits in) lists the site's posts.
fn layout_lists(root: &Path, front: &Value) -> bool {
    let mut layout = front.get("layout").and_then(Value::as_str).map(str::to_string);
    for _ in 0..10 {
        let Some(name) = layout.take().filter(|n| !n.is_empty() && !n.contains("..")) else { return false };
        let found = ["html", "md", "htm"].iter().find_map(|ext| {
            broadsheet_base::confine::read_to_string(root, &Path::new("_layouts").join(format!("{name}.{ext}"))).ok()
        });
        let Some(text) = found else { return false };
        let (front, body) = split(&text);
        if lists(body) {
            return true;
        }
        layout = front.get("layout").and_then(Value::as_str).map(str::to_string);
    }
    false
}

/// The first target of `redirect_to` (a string or a list).
fn redirect_target(front: &Value) -> Option<String> {
    match front.get("redirect_to")? {
        Value::String(s) => Some(s.trim().to_string()),
        Value::Array(list) => list.iter().find_map(Value::as_str).map(|s| s.trim().to_string()),
        _ => None,
    }
    .filter(|s| !s.is_empty())
}

fn parent_name(rel: &Path) -> &str {
    rel.parent().and_then(Path::file_name).and_then(|n| n.to_str()).unwrap_or("page")
}

/// `my-page_name` → `My Page Name`.
fn titleize(stem: &str) -> String {
    stem.split(['-', '_', ' ']).filter(|w| !w.is_empty()).map(capitalize).collect::<Vec<_>>().join(" ")
}

fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

/// A document's title: front matter's `title` (or a display name), else
/// its file's name made a title (an `index` file's folder's).
fn doc_title(front: &Value, title_slug: &str, rel: &Path) -> String {
    front
        .get("title")
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .or_else(|| display_name(front))
        .map_or_else(
            || titleize(if title_slug == "index" { parent_name(rel) } else { title_slug }),
            crate::html::decode_entities,
        )
}

/// The permalink a collection's documents have when their front matter
/// gives none: the collection's, else Jekyll's default with the site's style.
fn collection_permalink(coll: &Collection, cfg: &Config) -> String {
    coll.permalink.clone().unwrap_or_else(|| add_permalink_suffix("/:collection/:path", &cfg.style))
}

/// Whether a permalink pattern puts a part of the date in the URL.
fn has_date_marks(pattern: &str) -> bool {
    ["year", "month", "day", "hour", "minute", "second", "y_day", "week", "w_", "i_", "short_", "long_"]
        .iter()
        .any(|t| pattern.contains(&format!(":{t}")))
}

/// A document of a collection Jekyll writes: an article when it has a
/// date (front matter or file name), a page otherwise; at the URL Jekyll
/// gives it.
pub(super) fn read_doc(
    root: &Path,
    rel: &Path,
    coll: &Collection,
    cfg: &Config,
    imported: &mut Imported,
) -> Option<Item> {
    let shown = rel.display().to_string();
    let text = match broadsheet_base::confine::read_to_string(root, rel) {
        Ok(t) => t,
        Err(e) => {
            imported.skip("unreadable");
            imported.note(&shown, format!("not imported: {e}"));
            return None;
        }
    };
    symbol_note(&text, &shown, imported);
    let (front, body) = front_matter(&text, &shown, imported);
    let rel_str = rel.to_string_lossy().replace('\\', "/");
    let front = with_defaults(&cfg.defaults, &rel_str, &coll.label, front);
    if front.get("published").and_then(Value::as_bool) == Some(false) {
        imported.skip("unpublished (`published: false`)");
        return None;
    }
    let stem = rel.file_stem()?.to_string_lossy().into_owned();
    let ext = rel.extension().map(|e| e.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    let named = file_date(&stem);
    let tz = cfg.timezone;
    let date = date_of(&front, "date", tz).or_else(|| midnight(named?.0, tz));
    let title_slug = named.map_or(stem.as_str(), |(_, rest)| rest).trim_end_matches('.').to_string();
    let slug_field = front.get("slug").and_then(Value::as_str).map(str::to_string);
    let kind = if date.is_some() { Kind::Article } else { Kind::Page };
    let mut item = Item::new(kind, shown.clone());
    item.date = date;
    item.title = doc_title(&front, &title_slug, rel);
    let categories = words(&front, &["categories", "category"], true);
    item.section = categories.first().cloned().unwrap_or_else(|| coll.label.clone());
    item.tags = categories.iter().skip(1).chain(&words(&front, &["tags", "tag"], true)).cloned().collect();
    // `0.16.0/index.html` is named by its folder, as a page is: `index`
    // would make a bundle or the front page.
    let named_slug = if title_slug == "index" { parent_name(rel).to_string() } else { title_slug.clone() };
    item.slug = slug_field.clone().unwrap_or(named_slug);
    credit_authors(imported, &mut item, &front);
    item.summary = ["excerpt", "description", "summary"]
        .iter()
        .find_map(|k| front.get(*k).and_then(Value::as_str))
        .map(crate::html::strip_tags);
    let pattern =
        front.get("permalink").and_then(Value::as_str).map_or_else(|| collection_permalink(coll, cfg), str::to_string);
    let coll_dir = coll.dir.to_string_lossy().replace('\\', "/");
    let path = rel_str.strip_prefix(&coll_dir).unwrap_or(&rel_str);
    let path = path.strip_suffix(&format!(".{}", rel.extension()?.to_string_lossy())).unwrap_or(path);
    let date_in_url = has_date_marks(&pattern);
    let local = date.map(|d| d.with_timezone(&tz.unwrap_or(chrono_tz::UTC)).naive_local());
    let marks = Marks {
        collection: &coll.label,
        path: path.trim_end_matches('.'),
        basename: &stem,
        title: &title_slug,
        slug: slug_field.as_deref(),
        categories: &categories,
        ext: &ext,
    };
    match (local, date_in_url) {
        (None, true) => imported.note(
            &shown,
            format!(
                "its old URL (`{pattern}`) held the day Jekyll built the site, since it has no date: it cannot be kept"
            ),
        ),
        _ => item.old_paths.push(expand(&pattern, &marks, local.as_ref())),
    }
    item.old_paths
        .extend(words(&front, &["redirect_from"], false).iter().map(|p| p.trim_start_matches('/').to_string()));
    item.link_keys.push(rel_str);
    let body_line = text[..text.len() - body.len()].lines().count() + 1;
    item.html = matches!(ext.as_str(), "html" | "htm");
    item.body = convert_body(body, body_line, item.html, &front, cfg, &shown, imported);
    if coll.label == "authors" {
        let old = item.old_paths.first().cloned().unwrap_or_default();
        imported.note(
            &shown,
            format!(
                "its old URL /{old} is an author's page: Broadsheet lists each author's stories at /authors/<name>/; \
                 the old URL is kept as a page with the author's text"
            ),
        );
    }
    Some(item)
}
