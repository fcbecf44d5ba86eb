//! View structs: the only data templates see. Each is small and built from
//! the model for one page; cards (an article's headline, dek, date, section
//! and byline) are built once per article and shared by every listing.

use chrono::{DateTime, Datelike};
use chrono_tz::Tz;
use serde::Serialize;

use super::words::ENGLISH;
use crate::config::Config;
use crate::content::{Article, Image, ImageSource};
use crate::route::Route;
use crate::site::{ArticleId, FeedFormat, Site};
use crate::url::Urls;

/// A named link.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Link {
    pub name: String,
    pub url: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DateView {
    /// RFC 3339 in the site timezone, for `<time datetime>`.
    pub iso: String,
    pub display: String,
    /// The month archive the date belongs to.
    pub archive_url: String,
}

impl DateView {
    pub fn new(date: &DateTime<Tz>, urls: &Urls) -> DateView {
        DateView {
            iso: date.to_rfc3339(),
            display: date.format(ENGLISH.date_format).to_string(),
            archive_url: urls.path(&Route::month(date.year(), date.month())),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImageView {
    pub src: String,
    pub alt: String,
    pub caption: Option<String>,
    pub credit: Option<String>,
    pub width: Option<usize>,
    pub height: Option<usize>,
}

impl ImageView {
    fn new(image: &Image, urls: &Urls) -> ImageView {
        let src = match &image.src {
            ImageSource::External(url) => url.clone(),
            ImageSource::Route(route) => urls.path(route),
        };
        ImageView {
            src,
            alt: image.alt.clone(),
            caption: image.caption.clone(),
            credit: image.credit.clone(),
            width: image.size.map(|s| s.0),
            height: image.size.map(|s| s.1),
        }
    }
}

/// What a listing shows of an article.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Card {
    pub title: String,
    pub url: String,
    pub summary: String,
    pub date: DateView,
    pub section: Link,
    pub authors: Vec<Link>,
    pub image: Option<ImageView>,
    pub featured: bool,
    pub reading_minutes: usize,
}

impl Card {
    pub fn new(site: &Site, i: ArticleId, urls: &Urls) -> Card {
        let story = site.story(i);
        let a = story.article;
        Card {
            title: a.title.clone(),
            url: urls.path(&a.place.route),
            summary: a.summary.clone(),
            date: DateView::new(&a.place.date, urls),
            section: taxon_link(&story.section.title, Route::section(&story.section.slug), urls),
            authors: story.authors.iter().map(|x| taxon_link(&x.name, Route::author(&x.slug), urls)).collect(),
            image: a.image.as_ref().map(|img| ImageView::new(img, urls)),
            featured: a.place.featured,
            reading_minutes: a.word_count.div_ceil(230).max(1),
        }
    }
}

pub fn taxon_link(name: &str, route: Route, urls: &Urls) -> Link {
    Link { name: name.to_string(), url: urls.path(&route) }
}

#[derive(Debug, Serialize)]
pub struct SourceView {
    pub name: String,
    pub url: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct CorrectionView {
    pub date: DateView,
    pub text: String,
}

/// Everything the article page shows beyond its card (the template sees
/// both as one `article`).
#[derive(Debug, Serialize)]
pub struct ArticleView<'a> {
    pub content: &'a str,
    pub updated: Option<DateView>,
    pub tags: Vec<Link>,
    pub source: Option<SourceView>,
    pub dateline: Option<&'a str>,
    pub corrections: Vec<CorrectionView>,
    pub word_count: usize,
    /// The dek under the headline, unless it is the body's first paragraph.
    pub dek: Option<&'a str>,
    /// A stable id for the article (its route without slashes at the ends),
    /// used by the reactions block.
    pub id: &'a str,
    pub extra: &'a serde_json::Map<String, serde_json::Value>,
}

impl<'a> ArticleView<'a> {
    pub fn new(site: &'a Site, i: ArticleId, urls: &Urls) -> ArticleView<'a> {
        let story = site.story(i);
        let a: &'a Article = story.article;
        ArticleView {
            content: &a.html,
            updated: a.updated.as_ref().map(|d| DateView::new(d, urls)),
            tags: story.tags.iter().map(|t| taxon_link(&t.name, Route::tag(&t.slug), urls)).collect(),
            source: a.source.as_ref().map(|s| SourceView { name: s.name.clone(), url: s.url.clone() }),
            dateline: a.dateline.as_deref(),
            corrections: a
                .corrections
                .iter()
                .map(|c| CorrectionView { date: DateView::new(&c.date, urls), text: c.text.clone() })
                .collect(),
            word_count: a.word_count,
            dek: (!a.summary_is_lead && !a.summary.is_empty()).then_some(a.summary.as_str()),
            id: a.place.route.as_id(),
            extra: &a.extra,
        }
    }
}

/// A standalone page (About, Contact) as its template sees it.
#[derive(Debug, Serialize)]
pub struct StandaloneView<'a> {
    pub title: &'a str,
    pub url: String,
    /// The summary, when one was written (a page shows no dek otherwise).
    pub summary: Option<&'a str>,
    pub content: &'a str,
    pub updated: Option<DateView>,
    pub image: Option<ImageView>,
    pub extra: &'a serde_json::Map<String, serde_json::Value>,
}

impl<'a> StandaloneView<'a> {
    pub fn new(page: &'a Article, urls: &Urls) -> StandaloneView<'a> {
        StandaloneView {
            title: &page.title,
            url: urls.path(&page.place.route),
            summary: (!page.summary_is_lead && !page.summary.is_empty()).then_some(page.summary.as_str()),
            content: &page.html,
            updated: page.updated.as_ref().map(|d| DateView::new(d, urls)),
            image: page.image.as_ref().map(|i| ImageView::new(i, urls)),
            extra: &page.extra,
        }
    }
}

/// Previous/next links of a paginated listing.
#[derive(Debug, Serialize)]
pub struct PaginatorView {
    pub number: usize,
    pub total: usize,
    pub previous: Option<String>,
    pub next: Option<String>,
}

/// A line of an index page: a tag, author, section or month with its count.
#[derive(Debug, Serialize)]
pub struct Entry {
    pub name: String,
    pub url: String,
    pub count: usize,
    pub description: String,
}

#[derive(Debug, Serialize)]
pub struct YearView {
    pub year: i32,
    pub url: String,
    pub count: usize,
    pub months: Vec<Entry>,
}

/// The document: title, description, URLs, and what search engines, feed
/// readers and link previews read from its `<head>`.
#[derive(Debug, Serialize)]
pub struct PageView {
    pub kind: &'static str,
    pub title: String,
    pub description: String,
    pub url: String,
    /// The page's own absolute URL (for `og:url`).
    pub permalink: String,
    /// Where search engines should look: the page itself, or the original
    /// of syndicated copy.
    pub canonical: String,
    /// `noindex` for pages that should stay out of search results.
    pub robots: Option<&'static str>,
    /// Open Graph type: `article` or `website`.
    pub og_type: &'static str,
    /// Absolute URL of the page's image (an article's hero).
    pub image: Option<String>,
    pub published: Option<String>,
    pub modified: Option<String>,
    pub section: Option<String>,
    pub tags: Vec<String>,
    /// JSON-LD, already escaped for a `<script>` element.
    pub jsonld: Option<String>,
    /// Feeds of the listing the page belongs to.
    pub feeds: Vec<FeedLink>,
}

/// A `<link rel="alternate">` to a feed.
#[derive(Debug, Clone, Serialize)]
pub struct FeedLink {
    pub title: String,
    pub url: String,
    pub mime: &'static str,
}

/// The Atom and RSS feeds of the listing at `base`.
pub fn feed_links(name: &str, base: &Route, urls: &Urls) -> Vec<FeedLink> {
    vec![
        FeedLink {
            title: format!("{name} (Atom)"),
            url: urls.path(&base.feed(FeedFormat::Atom)),
            mime: "application/atom+xml",
        },
        FeedLink {
            title: format!("{name} (RSS)"),
            url: urls.path(&base.feed(FeedFormat::Rss)),
            mime: "application/rss+xml",
        },
    ]
}

/// Site-wide values, set once in Tera's global context.
#[derive(Debug, Serialize)]
pub struct SiteView<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub language: &'a str,
    pub url: &'a str,
    pub home: String,
    pub stylesheet: String,
    pub sections: Vec<Link>,
    pub tags_url: String,
    pub authors_url: String,
    pub sections_url: String,
    pub archive_url: String,
    /// The search page, when the site has one.
    pub search_url: Option<String>,
    /// The most recent months, for the footer.
    pub archive_months: Vec<Link>,
    /// The standalone pages (About, Contact), by URL, for the footer.
    pub pages: Vec<Link>,
    pub breaking: Option<BreakingView<'a>>,
    pub reactions: Option<ReactionsView<'a>>,
    pub reactions_script: String,
    /// The site-wide feeds, linked from every page.
    pub feeds: Vec<FeedLink>,
    pub extra: &'a serde_json::Map<String, serde_json::Value>,
}

#[derive(Debug, Serialize)]
pub struct BreakingView<'a> {
    pub text: &'a str,
    pub url: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct ReactionsView<'a> {
    pub labels: &'a [String],
    pub endpoint: Option<&'a str>,
}

/// How many months the footer lists.
const FOOTER_MONTHS: usize = 12;

impl<'a> SiteView<'a> {
    pub fn new(site: &Site, config: &'a Config) -> SiteView<'a> {
        let urls = &config.urls;
        SiteView {
            title: &config.title,
            description: &config.description,
            language: &config.language,
            url: urls.base_url(),
            home: urls.path(&Route::FRONT),
            stylesheet: urls.path(&Route::STYLESHEET),
            sections: site.sections.iter().map(|s| taxon_link(&s.title, Route::section(&s.slug), urls)).collect(),
            tags_url: urls.path(&Route::TAGS),
            authors_url: urls.path(&Route::AUTHORS),
            sections_url: urls.path(&Route::SECTIONS),
            archive_url: urls.path(&Route::ARCHIVE),
            search_url: config.search.enabled.then(|| urls.path(&Route::SEARCH)),
            pages: site.pages.iter().map(|p| taxon_link(&p.title, p.place.route.clone(), urls)).collect(),
            archive_months: site
                .years
                .iter()
                .flat_map(|y| &y.months)
                .take(FOOTER_MONTHS)
                .map(|m| taxon_link(&month_name(m.year, m.month), Route::month(m.year, m.month), urls))
                .collect(),
            breaking: config.breaking.as_ref().filter(|b| b.until > site.built_at).map(|b| BreakingView {
                text: &b.text,
                url: b.url.as_deref().map(|u| urls.resolve_link(u).into_owned()),
            }),
            reactions: config
                .reactions
                .as_ref()
                .map(|r| ReactionsView { labels: &r.labels, endpoint: r.endpoint.as_deref() }),
            reactions_script: urls.path(&Route::REACTIONS_SCRIPT),
            feeds: {
                let mut feeds = feed_links(&config.title, &Route::FRONT, urls);
                feeds.push(FeedLink {
                    title: format!("{} (JSON Feed)", config.title),
                    url: urls.path(&Route::FRONT.feed(FeedFormat::Json)),
                    mime: "application/feed+json",
                });
                feeds
            },
            extra: &config.extra,
        }
    }
}

/// "October 2026".
pub fn month_name(year: i32, month: u32) -> String {
    chrono::NaiveDate::from_ymd_opt(year, month, 1)
        .map_or_else(|| format!("{year}-{month:02}"), |d| d.format(ENGLISH.month_format).to_string())
}
