//! Search-engine and link-preview metadata: JSON-LD (`NewsArticle`,
//! `BreadcrumbList`, `WebSite`), and the canonical/robots policy for
//! syndicated copy. Pure.

use serde_json::{Value, json};

use crate::config::{Config, Syndication};
use crate::content::{Article, ImageSource};
use crate::site::{Site, route};

/// JSON for a `<script type="application/ld+json">`: `<`, `>` and `&` are
/// written as JSON escapes, so the text can never close the script element
/// or look like markup, and still parses to the same value.
pub fn script_json(value: &Value) -> String {
    value.to_string().replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026")
}

/// The absolute URL of an article's hero image, if it has one.
pub fn image_url(article: &Article, config: &Config) -> Option<String> {
    article.image.as_ref().map(|img| match &img.src {
        ImageSource::External(url) => url.clone(),
        ImageSource::Route(r) => config.urls.absolute(r),
    })
}

/// Where an article's canonical link points and whether it asks not to be
/// indexed: its own URL, unless it is syndicated copy.
pub fn canonical_and_robots(article: &Article, config: &Config) -> (String, Option<&'static str>) {
    let own = config.urls.absolute(&article.route);
    match (&article.source, config.syndication) {
        (Some(source), Syndication::Canonical) => (source.url.clone().unwrap_or(own), None),
        (Some(_), Syndication::Noindex) => (own, Some("noindex")),
        (None, _) => (own, None),
    }
}

pub fn news_article(site: &Site, config: &Config, i: usize) -> Value {
    let a = &site.articles[i];
    let links = &site.links[i];
    let urls = &config.urls;
    let page = urls.absolute(&a.route);
    let mut value = json!({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": a.title,
        "description": a.summary,
        "datePublished": a.date.to_rfc3339(),
        "dateModified": a.last_changed().to_rfc3339(),
        "author": links.authors.iter().map(|&x| json!({
            "@type": "Person",
            "name": site.authors[x].name,
            "url": urls.absolute(&route::author(&site.authors[x].slug)),
        })).collect::<Vec<_>>(),
        "publisher": {"@type": "Organization", "name": config.title, "url": urls.base_url()},
        "mainEntityOfPage": {"@type": "WebPage", "@id": page},
        "url": page,
        "articleSection": site.sections[links.section].title,
        "keywords": links.tags.iter().map(|&t| site.tags[t].name.as_str()).collect::<Vec<_>>(),
        "inLanguage": config.language,
        "wordCount": a.word_count,
    });
    if let Some(image) = image_url(a, config) {
        value["image"] = json!([image]);
    }
    if let Some(dateline) = &a.dateline {
        value["dateline"] = json!(dateline);
    }
    if let Some(url) = a.source.as_ref().and_then(|s| s.url.as_ref()) {
        value["isBasedOn"] = json!(url);
    }
    value
}

/// A `BreadcrumbList` of (name, absolute URL) from the front page down.
pub fn breadcrumbs(trail: &[(String, String)]) -> Value {
    json!({
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": trail.iter().enumerate().map(|(n, (name, url))| json!({
            "@type": "ListItem", "position": n + 1, "name": name, "item": url,
        })).collect::<Vec<_>>(),
    })
}

pub fn website(config: &Config) -> Value {
    json!({
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": config.title,
        "description": config.description,
        "url": config.urls.base_url(),
        "inLanguage": config.language,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_json_cannot_close_the_script() {
        let v = json!({"headline": "</script><script>alert(1)</script> <!--"});
        let s = script_json(&v);
        assert!(!s.contains("</script"), "{s}");
        assert!(!s.contains("<!--"), "{s}");
        assert_eq!(serde_json::from_str::<Value>(&s).unwrap(), v, "still the same JSON");
    }
}
