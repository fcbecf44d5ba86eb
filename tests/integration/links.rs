//! A link checker over a built output folder: every `href` and `src` of
//! every page that points inside the site must name a file that exists, and
//! every `#fragment` an element id on its target page.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use scraper::{Html, Selector};

struct Scanned {
    ids: BTreeSet<String>,
    links: Vec<String>,
}

fn scan(text: &str) -> Scanned {
    let html = Html::parse_document(text);
    let ids = Selector::parse("[id]").unwrap();
    let links = Selector::parse("a[href], link[href], img[src], script[src], source[src]").unwrap();
    Scanned {
        ids: html.select(&ids).filter_map(|e| e.value().attr("id").map(str::to_string)).collect(),
        links: html
            .select(&links)
            .filter_map(|e| e.value().attr("href").or(e.value().attr("src")).map(str::to_string))
            .collect(),
    }
}

/// The URL path of an output file: `world/x/index.html` -> `{base}world/x/`.
fn url_of(rel: &str, base_path: &str) -> String {
    let rel = rel.strip_suffix("index.html").unwrap_or(rel);
    format!("{base_path}{rel}")
}

/// Resolves `href` found on the page at `page_url` to an output-relative
/// file and fragment, or `None` for links that leave the site.
fn target(href: &str, page_url: &str, base_path: &str) -> Option<(String, Option<String>)> {
    if href.contains("://") || href.starts_with("//") || href.starts_with("mailto:") {
        return None;
    }
    let (path, fragment) = match href.split_once('#') {
        Some((p, f)) => (p, Some(f.to_string())),
        None => (href, None),
    };
    let absolute = if path.is_empty() {
        page_url.to_string()
    } else if path.starts_with('/') {
        path.to_string()
    } else {
        format!("{}{}", &page_url[..page_url.rfind('/').unwrap() + 1], path)
    };
    let rel =
        absolute.strip_prefix(base_path).unwrap_or_else(|| panic!("link {href} on {page_url} leaves {base_path}"));
    let file = if rel.is_empty() || rel.ends_with('/') { format!("{rel}index.html") } else { rel.to_string() };
    Some((file, fragment))
}

/// Checks every internal link of every page under `output`; panics listing
/// all broken ones. Returns the number of links checked.
pub fn check_site(output: &Path, base_path: &str) -> usize {
    let mut pages: BTreeMap<String, Scanned> = BTreeMap::new();
    for entry in walkdir::WalkDir::new(output).into_iter().map(Result::unwrap) {
        let rel = entry.path().strip_prefix(output).unwrap().to_string_lossy().replace('\\', "/");
        if rel.ends_with(".html") {
            pages.insert(rel, scan(&std::fs::read_to_string(entry.path()).unwrap()));
        }
    }
    let mut broken = Vec::new();
    let mut checked = 0;
    for (rel, page) in &pages {
        let page_url = url_of(rel, base_path);
        for href in &page.links {
            let Some((file, fragment)) = target(href, &page_url, base_path) else { continue };
            checked += 1;
            if !output.join(&file).is_file() {
                broken.push(format!("{rel}: {href} (no file {file})"));
            } else if let Some(id) = fragment.filter(|f| !f.is_empty())
                && pages.get(&file).is_some_and(|p| !p.ids.contains(&id))
            {
                broken.push(format!("{rel}: {href} (no id {id} in {file})"));
            }
        }
    }
    assert!(broken.is_empty(), "{} broken links:\n{}", broken.len(), broken.join("\n"));
    checked
}
