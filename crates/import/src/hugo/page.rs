//! One Hugo content file made an item: its front matter's title, dates,
//! tags, authors and image, its bundle's files, its old URL and aliases,
//! the keys other pages link to it by, and its body with shortcodes
//! converted; and a listing's (`_index.md`) own URL and aliases, kept as
//! redirects.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::shortcodes::shortcodes;
use super::urls::{UrlInput, alias_path, default_path, expand, ugly_path, urlize_with};
use super::{Site, is_content, is_index};
use crate::common::{Front, get, list_of, parse_date, text_of};
use crate::{Imported, Item, Kind};
use broadsheet_base::slug::slugify;

impl Site {
    /// A listing's URL (a section's `_index.md`, the home page): its `url`,
    /// or its folders.
    pub(super) fn list_url(&self, parts: &[&str], data: &Map<String, Value>) -> String {
        if let Some(url) = get(data, "url").and_then(text_of).filter(|u| !u.trim().is_empty()) {
            return url.trim().trim_start_matches('/').to_string();
        }
        let mut out = self.prefix.clone();
        for d in &parts[..parts.len() - 1] {
            out.push_str(&urlize_with(d, self.lower));
            out.push('/');
        }
        out
    }

    /// A section's or the home page's own URL and `aliases`: redirects to
    /// the Broadsheet page that lists the same stories.
    pub(super) fn listing_redirects(&self, rel: &Path, parts: &[&str], front: &Front, imported: &mut Imported) {
        let origin = self.origin(rel);
        let own = self.list_url(parts, &front.data);
        let section = (parts.len() >= 2).then(|| parts[0].to_string());
        let ugly = self.ugly_all || section.as_deref().is_some_and(|s| self.ugly(s));
        let mut froms = Vec::new();
        if section.is_some() && !own.is_empty() {
            froms.push(own.clone());
        }
        for alias in get(&front.data, "aliases").map(list_of).unwrap_or_default() {
            if let Some(a) = alias_path(&alias, &own) {
                froms.push(if ugly { ugly_path(&a) } else { a });
            }
        }
        for from in froms {
            imported.redirects.push(crate::Redirect {
                origin: origin.clone(),
                from,
                section: section.clone(),
                target: own.clone(),
            });
        }
    }

    pub(super) fn origin(&self, rel: &Path) -> String {
        let full = self.tree.real(rel).unwrap_or_else(|| self.content.join(rel));
        full.strip_prefix(&self.source).unwrap_or(&full).to_string_lossy().replace('\\', "/")
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn item(
        &self,
        rel: &Path,
        parts: &[&str],
        base: &str,
        bundle: bool,
        front: &Front,
        ext: &str,
        imported: &mut Imported,
    ) -> Item {
        let origin = self.origin(rel);
        let data = &front.data;
        let mut item = Item::new(Kind::Article, origin.clone());
        // The file's own name: the bundle's folder for `x/index.md`.
        let name = if bundle { parts[parts.len() - 2] } else { base };
        self.read_fields(data, name, &mut item, imported);
        // Bundle files (a listing's folder holds other pages' files: none).
        let list = base == "_index";
        if bundle && !list {
            for (real, file) in self.tree.below(rel.parent().unwrap_or(Path::new(""))) {
                if is_index(&file, &self.languages) || is_content(&file) {
                    continue;
                }
                item.files.push((real, file.to_string_lossy().replace('\\', "/")));
            }
        }
        let image = ["images", "image", "featured_image", "featuredImage", "cover", "thumbnail"]
            .iter()
            .find_map(|k| field(data, k).and_then(image_of));
        item.image = image.map(|src| resolve(&src, &item.files));
        // Old URL.
        let slug = field(data, "slug").and_then(text_of).filter(|s| !s.trim().is_empty());
        let (old, ugly) = self.old_url(data, parts, base, bundle, slug.as_deref(), &item);
        if !item.draft {
            item.old_paths.push(old.clone());
            for alias in field(data, "aliases").map(list_of).unwrap_or_default() {
                if let Some(a) = alias_path(&alias, &old) {
                    item.old_paths.push(if ugly { ugly_path(&a) } else { a });
                }
            }
        }
        let last = old.trim_end_matches('/').rsplit('/').next().unwrap_or("");
        let last = last.strip_suffix(".html").unwrap_or(last);
        item.slug = if !last.is_empty() && slugify(last) == last {
            last.to_string()
        } else {
            slug.clone().unwrap_or_else(|| name.to_string())
        };
        item.link_keys = self.link_keys(rel, parts, name, bundle, (!item.draft).then_some(old.as_str()));
        item.html = matches!(ext, "html" | "htm");
        let mut body = shortcodes(front.body, &origin, front.body_line, imported);
        for more in ["<!--more-->", "<!-- more -->"] {
            body = body.replace(more, "");
        }
        item.body = body;
        item
    }

    /// Title, dates, draft, summary, tags and authors from front matter.
    fn read_fields(&self, data: &Map<String, Value>, name: &str, item: &mut Item, imported: &mut Imported) {
        item.title = field(data, "title").and_then(text_of).map(|t| t.trim().to_string()).unwrap_or_default();
        if item.title.is_empty() {
            item.title = name.to_string();
            imported.note(&item.origin, format!("it has no title: \"{name}\" was written; give it a headline"));
        }
        let date_of = |key: &str| field(data, key).and_then(text_of).and_then(|d| parse_date(&d, self.tz));
        item.date =
            ["date", "publishDate", "pubdate", "published", "lastmod", "modified"].iter().find_map(|k| date_of(k));
        item.updated =
            ["lastmod", "modified"].iter().find_map(|k| date_of(k)).filter(|u| item.date.is_none_or(|d| *u > d));
        item.draft = field(data, "draft").is_some_and(|d| d.as_bool() == Some(true) || d.as_str() == Some("true"));
        item.summary = ["description", "summary"]
            .iter()
            .find_map(|k| field(data, k).and_then(text_of))
            .filter(|s| !s.trim().is_empty());
        let mut tags: Vec<String> = Vec::new();
        for key in ["tags", "categories"] {
            for tag in field(data, key).map(list_of).unwrap_or_default() {
                if !tags.iter().any(|t| t.eq_ignore_ascii_case(&tag)) && !tag.trim().is_empty() {
                    tags.push(tag.trim().to_string());
                }
            }
        }
        item.tags = tags;
        for name in ["authors", "author"].iter().flat_map(|k| field(data, k).map(list_of).unwrap_or_default()) {
            imported.credit_line(item, &name);
        }
    }

    /// A page's old URL, as Hugo makes it (`url`, the section's permalink
    /// pattern, or the content path), and whether its section's pages are
    /// written as `x.html`.
    fn old_url(
        &self,
        data: &Map<String, Value>,
        parts: &[&str],
        base: &str,
        bundle: bool,
        slug: Option<&str>,
        item: &Item,
    ) -> (String, bool) {
        let list = base == "_index";
        let name = if bundle { parts[parts.len() - 2] } else { base };
        let url = field(data, "url").and_then(text_of).filter(|s| !s.trim().is_empty());
        let dirs: Vec<&str> = parts[..parts.len() - if bundle { 2 } else { 1 }].to_vec();
        // A nested folder is a section only with an `_index` file.
        let mut sections: Vec<&str> = dirs.iter().take(1).copied().collect();
        for k in 2..=dirs.len() {
            if !self.section_dirs.contains(&dirs[..k].join("/")) {
                break;
            }
            sections.push(dirs[k - 1]);
        }
        let page = UrlInput { dirs: &dirs, sections: &sections, name, slug, title: &item.title, date: item.date };
        let section = parts.first().filter(|_| parts.len() > 1).copied().unwrap_or("");
        // Sections' pages are never `.html`; the others in an ugly section are.
        let ugly = !list && self.ugly(section);
        let pattern = dirs.first().and_then(|s| self.permalinks.get(*s)).filter(|_| !list);
        let old = match (&url, pattern) {
            (Some(url), _) => url.trim().trim_start_matches('/').to_string(),
            (None, Some(pattern)) => {
                let path = format!("{}{}", self.prefix, expand(pattern, &page, self.lower).trim_start_matches('/'));
                if ugly { ugly_path(&path) } else { path }
            }
            (None, None) => {
                let path = format!("{}{}", self.prefix, default_path(&page, self.lower));
                if ugly { ugly_path(&path) } else { path }
            }
        };
        (old, ugly)
    }

    /// The ways other pages link to this one: with ref/relref, or to its
    /// old address (`old`, none for a draft).
    fn link_keys(&self, rel: &Path, parts: &[&str], name: &str, bundle: bool, old: Option<&str>) -> Vec<String> {
        let rel_str = rel.to_string_lossy().replace('\\', "/");
        let mut keys = vec![rel_str.clone(), format!("/{rel_str}")];
        let file_name = rel.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
        keys.push(file_name);
        keys.push(name.to_string());
        if bundle {
            let folder = parts[..parts.len() - 1].join("/");
            keys.push(format!("{name}/{}", parts[parts.len() - 1]));
            keys.push(folder.clone());
            keys.push(format!("/{folder}"));
        } else {
            let no_ext = rel.with_extension("").to_string_lossy().replace('\\', "/");
            keys.push(no_ext.clone());
            keys.push(format!("/{no_ext}"));
        }
        if let Some(old) = old
            && self.base_url != "https://example.com/"
        {
            keys.push(format!("{}{old}", self.base_url));
        }
        keys.sort();
        keys.dedup();
        keys
    }
}

pub(super) fn headless(data: &Map<String, Value>) -> bool {
    if get(data, "headless").and_then(Value::as_bool) == Some(true) {
        return true;
    }
    ["_build", "build"].iter().any(|k| {
        get(data, k)
            .and_then(Value::as_object)
            .and_then(|b| get(b, "render"))
            .is_some_and(|r| r.as_bool() == Some(false) || matches!(r.as_str(), Some("never" | "false")))
    })
}

/// An image field: a string, a list of strings, or `{ image = "..." }`.
fn image_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Array(a) => a.iter().find_map(image_of),
        Value::Object(o) => ["image", "src", "url"].iter().find_map(|k| get(o, k).and_then(image_of)),
        _ => None,
    }
}

/// An image path: a file of the bundle keeps its name; a site path gets
/// a leading `/` (Hugo reads it from `static/`).
fn resolve(src: &str, files: &[(PathBuf, String)]) -> String {
    let bare = src.trim_start_matches("./");
    if files.iter().any(|(_, name)| name == bare) {
        return bare.to_string();
    }
    if src.contains("://") || src.starts_with('/') { src.to_string() } else { format!("/{bare}") }
}

/// A front matter field, or the same key under `params`.
fn field<'a>(data: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    get(data, key).or_else(|| get(data, "params").and_then(Value::as_object).and_then(|p| get(p, key)))
}
