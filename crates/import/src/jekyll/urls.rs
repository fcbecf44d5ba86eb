//! The URLs Jekyll 4 gives posts, pages and documents: permalink styles
//! and placeholders (`URL#generate_url_from_drop`), a page's template and
//! the site's style's ending, and `Utils.slugify`.

use std::path::Path;

use serde_json::Value;

/// The URL Jekyll gives a page (`Page#template`), without the leading `/`.
pub(super) fn page_url(rel: &Path, front: &Value, style: &str) -> String {
    let stem = rel.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let ext = rel.extension().map(|e| e.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    let output_ext = match ext.as_str() {
        "md" | "markdown" | "mkd" | "mkdn" | "mdown" => ".html".to_string(),
        e => format!(".{e}"),
    };
    let dir = rel.parent().map(|p| p.to_string_lossy().replace('\\', "/")).unwrap_or_default();
    let template = match front.get("permalink").and_then(Value::as_str).map(str::trim).filter(|p| !p.is_empty()) {
        Some(p) => p.to_string(),
        None if !matches!(output_ext.as_str(), ".html" | ".htm" | ".xhtml") => "/:path/:basename:output_ext".into(),
        None if stem == "index" => "/:path/".into(),
        None => add_permalink_suffix("/:path/:basename", style),
    };
    let url = template.replace(":path", &dir).replace(":basename", &stem).replace(":output_ext", &output_ext);
    squeeze(&url)
}

/// `Utils.add_permalink_suffix`: a template ends as the site's style does.
pub(super) fn add_permalink_suffix(template: &str, style: &str) -> String {
    let mut t = template.to_string();
    match style {
        "pretty" => t.push('/'),
        "date" | "ordinal" | "none" => t.push_str(":output_ext"),
        s => {
            if s.ends_with('/') {
                t.push('/');
            }
            if s.ends_with(":output_ext") {
                t.push_str(":output_ext");
            }
        }
    }
    t
}

/// Repeated `/` made one, the leading one dropped; `x/index.html` is
/// `x/` (one file answers both, and a redirect there would replace the
/// page it leads to).
fn squeeze(url: &str) -> String {
    let mut url = url.to_string();
    while url.contains("//") {
        url = url.replace("//", "/");
    }
    let url = url.trim_start_matches('/');
    match url.strip_suffix("index.html") {
        Some(folder) if folder.is_empty() || folder.ends_with('/') => folder.to_string(),
        _ => url.to_string(),
    }
}

/// What a post's or document's URL is made of (Jekyll's `UrlDrop`).
pub(super) struct Marks<'a> {
    pub(super) collection: &'a str,
    /// The file's path in its collection, without extension (`/2024-01-02-x`).
    pub(super) path: &'a str,
    /// The file name without extension.
    pub(super) basename: &'a str,
    /// The file name without its date (a post's slug as Jekyll reads it).
    pub(super) title: &'a str,
    /// `slug:` in front matter.
    pub(super) slug: Option<&'a str>,
    pub(super) categories: &'a [String],
    pub(super) ext: &'a str,
}

/// The URL Jekyll gives a post (relative to the site's root, without the
/// `baseurl`).
pub(super) fn jekyll_url(
    pattern: &str,
    categories: &[String],
    title: &str,
    slug: Option<&str>,
    date: &chrono::NaiveDateTime,
    ext: &str,
) -> String {
    let marks = Marks { collection: "posts", path: title, basename: title, title, slug, categories, ext };
    expand(pattern, &marks, Some(date))
}

/// A permalink style or pattern, its placeholders filled in as Jekyll
/// does (`URL#generate_url_from_drop`: each `:name` is read whole).
pub(super) fn expand(pattern: &str, m: &Marks, date: Option<&chrono::NaiveDateTime>) -> String {
    use chrono::{Datelike, Timelike};
    let pattern = match pattern {
        "date" => "/:categories/:year/:month/:day/:title:output_ext",
        "pretty" => "/:categories/:year/:month/:day/:title/",
        "ordinal" => "/:categories/:year/:y_day/:title:output_ext",
        "weekdate" => "/:categories/:year/W:week/:short_day/:title:output_ext",
        "none" => "/:categories/:title:output_ext",
        p => p,
    };
    let out_ext = if matches!(m.ext, "html" | "htm") { format!(".{}", m.ext) } else { ".html".to_string() };
    let mut seen = std::collections::HashSet::new();
    let cats: Vec<String> = m.categories.iter().map(|c| c.to_lowercase()).filter(|c| seen.insert(c.clone())).collect();
    let value = |name: &str| -> Option<String> {
        let d = date;
        Some(match name {
            "collection" => m.collection.to_string(),
            "path" => m.path.to_string(),
            "categories" => cats.join("/"),
            "slugified_categories" => {
                m.categories.iter().map(|c| jekyll_slugify(c, "default", false)).collect::<Vec<_>>().join("/")
            }
            "output_ext" => out_ext.clone(),
            "title" => jekyll_slugify(m.slug.unwrap_or(m.title), "pretty", true),
            "slug" => jekyll_slugify(m.slug.unwrap_or(m.title), "default", false),
            "name" => jekyll_slugify(m.basename, "default", false),
            "year" => format!("{:04}", d?.year()),
            "short_year" => format!("{:02}", d?.year() % 100),
            "w_year" => d?.format("%G").to_string(),
            "month" => format!("{:02}", d?.month()),
            "i_month" => d?.month().to_string(),
            "short_month" => d?.format("%b").to_string(),
            "long_month" => d?.format("%B").to_string(),
            "day" => format!("{:02}", d?.day()),
            "i_day" => d?.day().to_string(),
            "y_day" => format!("{:03}", d?.ordinal()),
            "short_day" => d?.format("%a").to_string(),
            "long_day" => d?.format("%A").to_string(),
            "week" => d?.format("%V").to_string(),
            "w_day" => d?.format("%u").to_string(),
            "hour" => format!("{:02}", d?.hour()),
            "minute" => format!("{:02}", d?.minute()),
            "second" => format!("{:02}", d?.second()),
            _ => return None,
        })
    };
    let mut url = String::with_capacity(pattern.len() + 16);
    let mut rest = pattern;
    while let Some(at) = rest.find(':') {
        url.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let len = after.find(|c: char| !(c.is_ascii_lowercase() || c == '_')).unwrap_or(after.len());
        let name = &after[..len];
        // `:title_` is `:title` then `_` when there is no `title_`.
        let found = value(name).map(|v| (v, len)).or_else(|| {
            let short = name.strip_suffix('_')?;
            value(short).map(|v| (v, short.len()))
        });
        match found {
            Some((v, used)) => {
                url.push_str(&v);
                rest = &after[used..];
            }
            None => {
                url.push(':');
                rest = after;
            }
        }
    }
    url.push_str(rest);
    squeeze(&url)
}

/// `Utils.slugify` as Jekyll 4 does it: `default` keeps letters, marks and
/// digits; `pretty` also `._~!$&'()+,;=@`; every other run becomes one
/// `-`, none at either end; lower case unless `cased`.
fn jekyll_slugify(s: &str, mode: &str, cased: bool) -> String {
    let keep = |c: char| {
        c.is_alphanumeric()
            || unicode_mark(c)
            || (mode == "pretty" && "._~!$&'()+,;=@".contains(c))
            || (mode == "raw" && !c.is_whitespace())
    };
    let mut out = String::with_capacity(s.len());
    let mut gap = false;
    for c in s.chars() {
        if keep(c) {
            if gap && !out.is_empty() {
                out.push('-');
            }
            gap = false;
            out.push(c);
        } else {
            gap = true;
        }
    }
    // A run at either end is dropped, as `gsub!(/^-|-$/)` does.
    if cased { out } else { out.to_lowercase() }
}

fn unicode_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(y: i32, m: u32, d: u32) -> chrono::NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(9, 5, 0).unwrap()
    }

    #[test]
    fn urls_follow_jekylls_styles() {
        let cats = vec!["News".to_string(), "Council".to_string()];
        assert_eq!(jekyll_url("date", &cats, "x", None, &at(2024, 1, 2), "md"), "news/council/2024/01/02/x.html");
        assert_eq!(jekyll_url("pretty", &[], "x", None, &at(2024, 1, 2), "md"), "2024/01/02/x/");
        assert_eq!(
            jekyll_url("/blog/:year/:month/:day/:title/", &cats, "x", None, &at(2024, 1, 2), "md"),
            "blog/2024/01/02/x/"
        );
        assert_eq!(jekyll_url("/:i_month/:title", &[], "x", None, &at(2024, 3, 2), "md"), "3/x");
    }

    #[test]
    fn titles_in_urls_are_slugified_as_jekyll_does() {
        assert_eq!(jekyll_url("date", &[], "jobs copy", None, &at(2022, 9, 7), "md"), "2022/09/07/jobs-copy.html");
        assert_eq!(jekyll_url("/:title/", &[], "Use-VS-Code", None, &at(2022, 9, 7), "md"), "Use-VS-Code/");
        assert_eq!(jekyll_url("/:slug/", &[], "Use VS Code!", None, &at(2022, 9, 7), "md"), "use-vs-code/");
        assert_eq!(jekyll_slugify("  Café: the (best) one ", "pretty", true), "Café-the-(best)-one");
        assert_eq!(jekyll_slugify("--a__b--", "default", false), "a-b");
    }

    #[test]
    fn pages_end_their_urls_as_the_sites_style_does() {
        let none = Value::Null;
        let url = |rel: &str, style: &str| page_url(Path::new(rel), &none, style);
        assert_eq!(url("about/index.md", "date"), "about/");
        assert_eq!(url("examples/cities.md", "pretty"), "examples/cities/");
        assert_eq!(url("examples/cities.md", "date"), "examples/cities.html");
        assert_eq!(url("work.html", "/:year/:title/"), "work/");
        assert_eq!(url("documentation.html", "/:title"), "documentation");
        assert_eq!(url("news.md", "/:year/:title:output_ext"), "news.html");
        assert_eq!(url("index.md", "pretty"), "");
        let own = serde_json::json!({"permalink": "/community/index.html"});
        assert_eq!(page_url(Path::new("pages/community.html"), &own, "pretty"), "community/");
        let own = serde_json::json!({"permalink": "pages/alicloud"});
        assert_eq!(page_url(Path::new("pages/alicloud.md"), &own, "pretty"), "pages/alicloud");
    }
}
