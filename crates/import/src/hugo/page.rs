//! One Hugo content file made an item: its front matter's title, dates,
//! tags, authors and image, its bundle's files, its old URL and aliases,
//! the keys other pages link to it by, and its body with shortcodes
//! converted; and a listing's (`_index.md`) own URL and aliases, kept as
//! redirects.

use std::path::{Path, PathBuf};

use chrono::Utc;
use serde_json::{Map, Value};

use super::shortcodes::shortcodes;
use super::urls::{UrlInput, alias_path, default_path, expand, ugly_path, urlize_with};
use super::{Site, is_content, is_index};
use crate::common::{Front, front_matter, get, list_of, parse_date, split_lang, text_of};
use crate::{Imported, Item, Kind};
use broadsheet_base::html::decode_entities;
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
            if let Some(a) = self.alias_of(&alias, &own) {
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

    /// A taxonomy's page (`topics/_index.md`) or a term's
    /// (`topics/18f/_index.md`): its URL and `aliases` lead to Broadsheet's
    /// tags page or the term's tag page (the authors' pages for the author
    /// taxonomy). `parts[0]` is the taxonomy.
    pub(super) fn term_redirects(&self, rel: &Path, parts: &[&str], front: &Front, imported: &mut Imported) {
        let taxonomy = parts[0].to_lowercase();
        let folder = if Some(taxonomy.as_str()) == self.author_taxonomy() { "authors" } else { "tags" };
        let target = match parts {
            [_, _] => format!("{folder}/"),
            [_, term, _] => format!("{folder}/{}/", slugify(&self.term_name(&taxonomy, term))),
            _ => return,
        };
        let own = self.list_url(parts, &front.data);
        let aliases = get(&front.data, "aliases").map(list_of).unwrap_or_default();
        let froms = std::iter::once(own.clone()).chain(aliases.iter().filter_map(|a| self.alias_of(a, &own)));
        for from in froms.collect::<Vec<_>>() {
            imported.redirects.push(crate::Redirect {
                origin: self.origin(rel),
                from,
                section: Some(parts[0].to_string()),
                target: target.clone(),
            });
        }
    }

    /// The names the taxonomies' term pages give their terms
    /// (`authors/dan-williams/_index.md` says "Dan Williams"): its
    /// `display_name`, `title` or `name`.
    pub(super) fn read_terms(&mut self, files: &[PathBuf]) {
        for rel in files {
            let parts: Vec<&str> = rel.iter().filter_map(|p| p.to_str()).collect();
            let [taxonomy, term, file] = parts[..] else { continue };
            let stem = Path::new(file).file_stem().and_then(|s| s.to_str()).unwrap_or("");
            let (base, lang) = split_lang(stem, &self.languages);
            let taxonomy = taxonomy.to_lowercase();
            if base != "_index" || lang.is_some_and(|l| l != self.lang) || !self.is_taxonomy(&taxonomy) {
                continue;
            }
            let Ok(text) = self.tree.read(rel) else { continue };
            let Ok(front) = front_matter(&text) else { continue };
            let name = ["display_name", "title", "name"]
                .iter()
                .find_map(|k| get(&front.data, k).and_then(text_of))
                .map(|n| decode_entities(n.trim()).into_owned())
                .filter(|n| !n.is_empty());
            if let Some(name) = name {
                self.terms.insert((taxonomy, urlize_with(term, true)), name);
            }
        }
    }

    /// An alias as a path from the site root: Hugo writes a language's
    /// absolute aliases under its prefix (`/old/` in a French page is
    /// `/fr/old/`); relative ones are relative to the page.
    fn alias_of(&self, alias: &str, page: &str) -> Option<String> {
        let path = alias_path(alias, page)?;
        Some(if alias.trim().starts_with('/') { format!("{}{path}", self.prefix) } else { path })
    }

    /// Whether a top-level content folder is a taxonomy's (`topics`).
    pub(super) fn is_taxonomy(&self, folder: &str) -> bool {
        self.taxonomies.iter().any(|(_, many)| many.eq_ignore_ascii_case(folder))
    }

    /// A file in another language than the one imported (`x.de.md`): not
    /// imported, and a report line names its old URLs, which the summary
    /// counts as lost, with the command that keeps them.
    pub(super) fn lost_translation(&self, rel: &Path, base: &str, lang: &str, imported: &mut Imported) {
        imported.skip("in another language");
        let origin = self.origin(rel);
        let ext = rel.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
        let text = self.tree.read(rel).unwrap_or_default();
        let Ok(front) = front_matter(&text) else { return };
        if base == "_index" || headless(&front.data) {
            return;
        }
        let parts: Vec<&str> = rel.iter().filter_map(|p| p.to_str()).collect();
        let item = self.item(rel, &parts, base, base == "index", &front, &ext, &mut Imported::default());
        // Its URLs are under its own language's prefix, not this one's.
        let prefix = if lang != self.default_lang || self.in_subdir { format!("{lang}/") } else { String::new() };
        let olds: Vec<String> = item
            .old_paths
            .iter()
            .map(|o| format!("/{prefix}{}", o.strip_prefix(self.prefix.as_str()).unwrap_or(o)))
            .collect();
        let urls = match olds.len() {
            0 => String::new(),
            _ => format!(" ({})", olds.join(", ")),
        };
        imported.note(
            origin,
            format!("it is in language `{lang}`: not imported, so its old URLs{urls} are not kept (import that language into a site of its own with --language {lang})"),
        );
        imported.count(crate::plan::OTHER_LANGUAGE_URLS, olds.len());
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
                let Some(a) = self.alias_of(&alias, &old).map(|a| if ugly { ugly_path(&a) } else { a }) else {
                    continue;
                };
                // `/x/index.html` for a page at `/x/` would be a redirect
                // written over the page itself.
                if !same_url(&a, &old) {
                    item.old_paths.push(a);
                }
            }
        }
        // The URL is made from the title as written; readers saw it decoded
        // (the themes show it through `markdownify`).
        item.title = decode_entities(&item.title).into_owned();
        item.summary = item.summary.take().map(|s| decode_entities(&s).into_owned());
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
        // A blog moved from WordPress keeps its `[caption]` shortcodes:
        // converted as the WordPress reader does.
        if body.contains("[/caption]") {
            body = crate::wordpress::shortcodes(&body, &origin, imported);
        }
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
        if let Some(expired) = ["expiryDate", "unpublishdate"].iter().find_map(|k| date_of(k))
            && expired < Utc::now()
            && !item.draft
        {
            // Hugo no longer publishes it: neither does Broadsheet, and its
            // old URL is not one to keep (another page's alias may take it).
            item.draft = true;
            imported.note(
                &item.origin,
                format!(
                    "its expiryDate {} has passed, so Hugo does not publish it: imported as a draft, its old URL not kept",
                    expired.format("%Y-%m-%d")
                ),
            );
        }
        item.summary = ["description", "summary"]
            .iter()
            .find_map(|k| field(data, k).and_then(text_of))
            .filter(|s| !s.trim().is_empty());
        let mut tags: Vec<String> = Vec::new();
        for key in self.tag_taxonomies() {
            for term in field(data, key).map(list_of).unwrap_or_default() {
                let tag = self.term_name(key, &term);
                if !item.draft {
                    self.term_url(key, &term, &tag, &item.origin, imported);
                }
                if !tags.iter().any(|t| t.eq_ignore_ascii_case(&tag)) && !tag.is_empty() {
                    tags.push(tag);
                }
            }
        }
        item.tags = tags;
        let own = self.author_taxonomy().filter(|t| !matches!(*t, "authors" | "author"));
        let author_keys = ["authors", "author"].into_iter().chain(own);
        for key in author_keys.flat_map(|k| field(data, k).map(list_of).unwrap_or_default()) {
            // A key of the author taxonomy (`dan-williams`) is the name its
            // term page gives.
            let name = self.term_name(self.author_taxonomy().unwrap_or("authors"), &key);
            imported.credit_line(item, &name);
        }
    }

    /// A term's own old URL (`/topics/harbour/`, which Hugo makes for every
    /// term used), leading to the tag's page; not for Broadsheet's own
    /// `tags/` folder, where the tag's page is.
    fn term_url(&self, taxonomy: &str, term: &str, tag: &str, origin: &str, imported: &mut Imported) {
        if taxonomy == "tags" {
            return;
        }
        imported.redirects.push(crate::Redirect {
            origin: origin.to_string(),
            from: format!(
                "{}{}/{}/",
                self.prefix,
                urlize_with(taxonomy, self.lower),
                urlize_with(term.trim(), self.lower)
            ),
            section: Some(taxonomy.to_string()),
            target: format!("tags/{}/", slugify(tag)),
        });
    }

    /// The taxonomies whose terms are tags: all but the authors'.
    fn tag_taxonomies(&self) -> impl Iterator<Item = &str> {
        let authors = self.author_taxonomy();
        self.taxonomies.iter().map(|(_, many)| many.as_str()).filter(move |m| Some(*m) != authors)
    }

    /// The taxonomy that names a page's authors (`author = "authors"`).
    pub(super) fn author_taxonomy(&self) -> Option<&str> {
        self.taxonomies.iter().find(|(one, many)| one == "author" || many == "authors").map(|(_, many)| many.as_str())
    }

    /// A term as readers saw it: its term page's name, or as written.
    pub(super) fn term_name(&self, taxonomy: &str, term: &str) -> String {
        let key = (taxonomy.to_string(), urlize_with(term.trim(), true));
        self.terms.get(&key).cloned().unwrap_or_else(|| term.trim().to_string())
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

/// Whether two URL paths are one page: `x/index.html` is `x/`.
fn same_url(a: &str, b: &str) -> bool {
    let bare = |u: &str| u.trim_start_matches('/').trim_end_matches("index.html").trim_end_matches('/').to_string();
    bare(a) == bare(b)
}

/// A front matter field, or the same key under `params`.
fn field<'a>(data: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    get(data, key).or_else(|| get(data, "params").and_then(Value::as_object).and_then(|p| get(p, key)))
}
