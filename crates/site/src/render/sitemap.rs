//! `sitemap.xml` (an index of parts past `[sitemap] max_urls`), the Google
//! News sitemap of the last two days' stories, and `robots.txt` naming them.
//! Written with [`super::xml`]. Pure: each function returns the document as
//! a string.

use chrono::{DateTime, Duration, FixedOffset, Utc};

use crate::config::Config;
use crate::site::{ArticleId, Site};
use broadsheet_base::route::Route;

use super::xml::Xml;

const SITEMAP_NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";
const NEWS_NS: &str = "http://www.google.com/schemas/sitemap-news/0.9";
/// Google News takes stories from the last two days, at most 1,000.
const NEWS_WINDOW_HOURS: i64 = 48;

/// How long a story stays in the news sitemap.
pub fn news_window() -> Duration {
    Duration::hours(NEWS_WINDOW_HOURS)
}
const NEWS_MAX: usize = 1_000;

/// One page in a sitemap: where, when it last changed, and the same page
/// in the site's other languages (itself among them).
#[derive(Debug, Clone)]
pub struct Entry {
    /// The page's absolute URL.
    pub loc: String,
    /// When it last changed; None when that is not known.
    pub lastmod: Option<DateTime<FixedOffset>>,
    /// The page in each of the site's languages; empty when it has no
    /// translation.
    pub alternates: Vec<crate::translations::Alternate>,
}

const XHTML_NS: &str = "http://www.w3.org/1999/xhtml";

/// A `<urlset>` of entries; a page with translations names them with
/// `xhtml:link` (Google's form for localised versions).
pub fn urlset(entries: &[Entry]) -> String {
    let mut xml = Xml::document();
    match entries.iter().any(|e| !e.alternates.is_empty()) {
        true => xml.open("urlset", &[("xmlns", SITEMAP_NS), ("xmlns:xhtml", XHTML_NS)]),
        false => xml.open("urlset", &[("xmlns", SITEMAP_NS)]),
    }
    for entry in entries {
        if entry.alternates.is_empty() {
            location(&mut xml, "url", &entry.loc, entry.lastmod);
            continue;
        }
        xml.raw("  ");
        xml.open("url", &[]);
        xml.raw("    ");
        xml.element("loc", &[], &entry.loc);
        xml.newline();
        if let Some(date) = entry.lastmod {
            xml.raw("    ");
            xml.element("lastmod", &[], &date.to_rfc3339());
            xml.newline();
        }
        for a in &entry.alternates {
            let mut links = vec![a.tag.as_str()];
            if a.default {
                links.push("x-default");
            }
            for hreflang in links {
                xml.raw("    ");
                xml.empty("xhtml:link", &[("rel", "alternate"), ("hreflang", hreflang), ("href", &a.url)]);
                xml.newline();
            }
        }
        xml.raw("  ");
        xml.close("url");
    }
    xml.close("urlset");
    xml.finish()
}

/// One `<url>` or `<sitemap>` line: where, and when it last changed.
fn location(xml: &mut Xml, element: &str, loc: &str, lastmod: Option<DateTime<FixedOffset>>) {
    xml.raw("  ");
    xml.open_inline(element);
    xml.element("loc", &[], loc);
    if let Some(date) = lastmod {
        xml.element("lastmod", &[], &date.to_rfc3339());
    }
    xml.close(element);
}

/// A `<sitemapindex>` of the sitemap parts.
pub fn index(config: &Config, parts: usize, lastmod: Option<DateTime<FixedOffset>>) -> String {
    let mut xml = Xml::document();
    xml.open("sitemapindex", &[("xmlns", SITEMAP_NS)]);
    for part in 0..parts {
        location(&mut xml, "sitemap", &config.urls.absolute(&Route::sitemap_part(part)), lastmod);
    }
    xml.close("sitemapindex");
    xml.finish()
}

/// The articles the Google News sitemap lists: published in the two days
/// before the build, not syndicated copy, newest first.
pub fn news_articles(site: &Site) -> Vec<ArticleId> {
    let since: DateTime<Utc> = site.built_at - news_window();
    let recent = |a: &crate::content::Article| {
        let date = a.place.date.with_timezone(&Utc);
        a.source.is_none() && date > since && date <= site.built_at
    };
    site.article_ids().filter(|&id| recent(&site[id])).take(NEWS_MAX).collect()
}

/// The Google News sitemap: each of [`news_articles`] with its
/// publication's name and language, its date and its title.
pub fn news(site: &Site, config: &Config) -> String {
    let mut xml = Xml::document();
    xml.open("urlset", &[("xmlns", SITEMAP_NS), ("xmlns:news", NEWS_NS)]);
    let language = news_language(&config.language);
    for i in news_articles(site) {
        let a = &site[i];
        xml.raw("  ");
        xml.open_inline("url");
        xml.element("loc", &[], &config.urls.absolute(&a.place.route));
        xml.open_inline("news:news");
        xml.open_inline("news:publication");
        xml.element("news:name", &[], &config.title);
        xml.element("news:language", &[], &language);
        xml.close_inline("news:publication");
        xml.element("news:publication_date", &[], &a.place.date.to_rfc3339());
        xml.element("news:title", &[], &a.title);
        xml.close_inline("news:news");
        xml.close("url");
    }
    xml.close("urlset");
    xml.finish()
}

/// Google News wants an ISO 639 code: `en-GB` -> `en`, but `zh-cn`/`zh-tw` stay.
fn news_language(language: &str) -> String {
    let lower = language.to_lowercase().replace('_', "-");
    if lower == "zh-cn" || lower == "zh-tw" { lower } else { lower.split('-').next().unwrap_or("en").to_string() }
}

/// `robots.txt`: everything allowed, and the sitemap and news sitemap
/// named (on a multilingual site's default language, every language's).
pub fn robots(config: &Config) -> String {
    let mut text = format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\nSitemap: {}\n",
        config.urls.absolute(&Route::SITEMAP),
        config.urls.absolute(&Route::NEWS_SITEMAP)
    );
    // A multilingual site's default language names every language's sitemaps.
    if config.languages.first().is_some_and(|l| l.tag == config.language) {
        for language in config.languages.iter().skip(1) {
            let urls = config.urls.for_language(&language.code);
            text.push_str(&format!(
                "Sitemap: {}\nSitemap: {}\n",
                urls.absolute(&Route::SITEMAP),
                urls.absolute(&Route::NEWS_SITEMAP)
            ));
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urlset_escapes_and_dates() {
        let date = DateTime::parse_from_rfc3339("2026-11-20T10:30:00+01:00").unwrap();
        let entry = |loc: &str, lastmod| Entry { loc: loc.into(), lastmod, alternates: Vec::new() };
        let xml = urlset(&[entry("https://e.com/a&b/", Some(date)), entry("https://e.com/", None)]);
        assert!(
            xml.contains("<url><loc>https://e.com/a&amp;b/</loc><lastmod>2026-11-20T10:30:00+01:00</lastmod></url>")
        );
        assert!(xml.contains("<url><loc>https://e.com/</loc></url>"));
    }

    #[test]
    fn news_language_codes() {
        assert_eq!(news_language("en-GB"), "en");
        assert_eq!(news_language("zh-CN"), "zh-cn");
        assert_eq!(news_language("fr"), "fr");
    }
}
