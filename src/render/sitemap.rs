//! `sitemap.xml` (an index of parts past `[sitemap] max_urls`), the Google
//! News sitemap of the last two days' stories, and `robots.txt` naming them.
//! Pure: each function returns the document as a string.

use std::fmt::Write as _;

use chrono::{DateTime, Duration, FixedOffset, Utc};
use quick_xml::escape::escape;

use crate::config::Config;
use crate::route::Route;
use crate::site::{ArticleId, Site};

const SITEMAP_NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";
const NEWS_NS: &str = "http://www.google.com/schemas/sitemap-news/0.9";
/// Google News takes stories from the last two days, at most 1,000.
const NEWS_WINDOW_HOURS: i64 = 48;

/// How long a story stays in the news sitemap.
pub fn news_window() -> Duration {
    Duration::hours(NEWS_WINDOW_HOURS)
}
const NEWS_MAX: usize = 1_000;

/// A `<urlset>` of (absolute URL, last modified) entries.
pub fn urlset(entries: &[(String, Option<DateTime<FixedOffset>>)]) -> String {
    let mut xml = format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"{SITEMAP_NS}\">\n");
    for (loc, lastmod) in entries {
        let _ = write!(xml, "  <url><loc>{}</loc>", escape(loc.as_str()));
        if let Some(date) = lastmod {
            let _ = write!(xml, "<lastmod>{}</lastmod>", date.to_rfc3339());
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

/// A `<sitemapindex>` of the sitemap parts.
pub fn index(config: &Config, parts: usize, lastmod: Option<DateTime<FixedOffset>>) -> String {
    let mut xml = format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"{SITEMAP_NS}\">\n");
    for part in 0..parts {
        let _ =
            write!(xml, "  <sitemap><loc>{}</loc>", escape(config.urls.absolute(&Route::sitemap_part(part)).as_str()));
        if let Some(date) = lastmod {
            let _ = write!(xml, "<lastmod>{}</lastmod>", date.to_rfc3339());
        }
        xml.push_str("</sitemap>\n");
    }
    xml.push_str("</sitemapindex>\n");
    xml
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

pub fn news(site: &Site, config: &Config) -> String {
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"{SITEMAP_NS}\" xmlns:news=\"{NEWS_NS}\">\n"
    );
    let name = escape(config.title.as_str()).into_owned();
    let language = news_language(&config.language);
    for i in news_articles(site) {
        let a = &site[i];
        let _ = writeln!(
            xml,
            "  <url><loc>{}</loc><news:news><news:publication><news:name>{name}</news:name><news:language>{language}</news:language></news:publication><news:publication_date>{}</news:publication_date><news:title>{}</news:title></news:news></url>",
            escape(config.urls.absolute(&a.place.route).as_str()),
            a.place.date.to_rfc3339(),
            escape(a.title.as_str()),
        );
    }
    xml.push_str("</urlset>\n");
    xml
}

/// Google News wants an ISO 639 code: `en-GB` -> `en`, but `zh-cn`/`zh-tw` stay.
fn news_language(language: &str) -> String {
    let lower = language.to_lowercase().replace('_', "-");
    if lower == "zh-cn" || lower == "zh-tw" { lower } else { lower.split('-').next().unwrap_or("en").to_string() }
}

pub fn robots(config: &Config) -> String {
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\nSitemap: {}\n",
        config.urls.absolute(&Route::SITEMAP),
        config.urls.absolute(&Route::NEWS_SITEMAP)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urlset_escapes_and_dates() {
        let date = DateTime::parse_from_rfc3339("2026-11-20T10:30:00+01:00").unwrap();
        let xml = urlset(&[("https://e.com/a&b/".into(), Some(date)), ("https://e.com/".into(), None)]);
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
