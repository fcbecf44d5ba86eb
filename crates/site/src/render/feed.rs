//! Feeds: Atom 1.0 and RSS 2.0 (written with [`super::xml`], which
//! escapes correctly; each article's entry is written once and shared by
//! every feed that carries it) and JSON Feed 1.1 (serde). Newest first,
//! at most `[feeds] limit` stories, every URL absolute, full content or
//! summaries. Pure: returns the document as a string.

use std::borrow::Cow;
use std::sync::OnceLock;

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

use crate::config::Config;
use crate::content::Article;
use crate::site::{ArticleId, FeedFormat, FeedScope, Site};
use broadsheet_base::route::Route;

use super::xml::Xml;

/// One story, as every feed format needs it.
struct FeedItem<'a> {
    article: &'a Article,
    url: String,
    authors: Vec<(String, String)>,
    tags: Vec<String>,
    section: String,
    content: Option<Cow<'a, str>>,
    image: Option<Enclosure>,
}

struct Enclosure {
    url: String,
    length: u64,
    mime: &'static str,
}

/// The feed's own description: title, the HTML page it belongs to, itself.
struct FeedMeta {
    title: String,
    description: String,
    page: String,
    self_url: String,
}

/// Each article's `<entry>` and `<item>`, written once and shared by every
/// feed that carries it (at 10,000 articles an article is in several of the
/// ~900 feeds, with its whole text).
pub struct FeedCache {
    /// Whole articles (`[feeds] full_content`), then summaries only.
    atom: [Vec<OnceLock<String>>; 2],
    rss: [Vec<OnceLock<String>>; 2],
}

fn cells(n: usize) -> [Vec<OnceLock<String>>; 2] {
    [(0..n).map(|_| OnceLock::new()).collect(), (0..n).map(|_| OnceLock::new()).collect()]
}

impl FeedCache {
    /// An empty cache for a site of `articles` articles.
    pub fn new(articles: usize) -> FeedCache {
        FeedCache { atom: cells(articles), rss: cells(articles) }
    }

    /// Drops an article's entries, to be made again from its new text.
    pub fn forget(&mut self, article: ArticleId) {
        for kind in 0..2 {
            self.atom[kind][article.index()] = OnceLock::new();
            self.rss[kind][article.index()] = OnceLock::new();
        }
    }
}

/// Which of the cache's two kinds of entry: whole (0) or summary (1).
fn kind(full: bool) -> usize {
    usize::from(!full)
}

/// The feed of `scope` in `format`, carrying `articles` (newest first);
/// Atom entries and RSS items come from `cache`, made when missing. Fails
/// only when the JSON Feed cannot be serialised.
pub fn render(
    site: &Site,
    config: &Config,
    cache: &FeedCache,
    articles: &[ArticleId],
    scope: FeedScope,
    format: FeedFormat,
) -> Result<String, String> {
    let meta = meta(site, config, scope, format);
    let updated = articles.iter().map(|&i| modified(&site[i])).max().unwrap_or_default();
    let full = scope.full_content(&config.feeds);
    let k = kind(full);
    match format {
        FeedFormat::Atom => {
            let entries: Result<Vec<&String>, String> = articles
                .iter()
                .map(|&i| cached(&cache.atom[k][i.index()], || atom_entry(&item(site, config, i, full))))
                .collect();
            Ok(atom(config, &meta, updated, &entries?))
        }
        FeedFormat::Rss => {
            let items: Result<Vec<&String>, String> = articles
                .iter()
                .map(|&i| cached(&cache.rss[k][i.index()], || rss_item(&item(site, config, i, full))))
                .collect();
            Ok(rss(config, &meta, (!articles.is_empty()).then_some(updated), &items?))
        }
        FeedFormat::Json => {
            let items: Vec<FeedItem<'_>> = articles.iter().map(|&i| item(site, config, i, full)).collect();
            json(config, &meta, &items)
        }
    }
}

/// Makes the Atom and RSS entries of `articles` ahead of the feeds that
/// will show them (in parallel).
pub fn warm(site: &Site, config: &Config, cache: &FeedCache, articles: &[ArticleId]) {
    use rayon::prelude::*;
    let k = kind(config.feeds.full_content);
    let missing = |i: ArticleId| cache.atom[k][i.index()].get().is_none() || cache.rss[k][i.index()].get().is_none();
    articles.par_iter().filter(|&&i| missing(i)).for_each(|&i| {
        let item = item(site, config, i, config.feeds.full_content);
        let _ = cached(&cache.atom[k][i.index()], || atom_entry(&item));
        let _ = cached(&cache.rss[k][i.index()], || rss_item(&item));
    });
}

/// The value in `cell`, made by `make` the first time.
fn cached(cell: &OnceLock<String>, make: impl FnOnce() -> Result<String, String>) -> Result<&String, String> {
    if let Some(done) = cell.get() {
        return Ok(done);
    }
    let made = make()?;
    Ok(cell.get_or_init(|| made))
}

fn meta(site: &Site, config: &Config, scope: FeedScope, format: FeedFormat) -> FeedMeta {
    let (name, base) = match scope {
        FeedScope::Site => (None, Route::FRONT),
        FeedScope::Of(listing) => (Some(site.listing_title(listing)), site.listing_route(listing)),
    };
    let urls = &config.urls;
    FeedMeta {
        title: name.map_or_else(|| config.title.clone(), |n| format!("{n} | {}", config.title)),
        description: if config.description.is_empty() { config.title.clone() } else { config.description.clone() },
        page: urls.absolute(&base),
        self_url: urls.absolute(&base.feed(format)),
    }
}

fn item<'a>(site: &'a Site, config: &Config, i: ArticleId, full: bool) -> FeedItem<'a> {
    let story = site.story(i);
    let article = story.article;
    let urls = &config.urls;
    FeedItem {
        article,
        url: urls.absolute(&article.place.route),
        authors: story.authors.iter().map(|a| (a.name.clone(), urls.absolute(&Route::author(&a.slug)))).collect(),
        tags: story.tag_names().map(str::to_string).collect(),
        section: story.section.title.clone(),
        content: content(article, site, config, full),
        image: article.image.as_ref().and_then(|img| {
            let url = super::meta::image_url(article, site, config)?;
            let mime = image_mime(&url.to_lowercase())?;
            // The largest copy stands in for an unpublished original: its
            // size is not known while pages are written, and the RSS Best
            // Practices Profile says 0 for a size not known.
            let copy = matches!(&img.src, crate::content::ImageSource::Route(r) if super::meta::stand_in(r, site, config).is_some());
            Some(Enclosure { url, length: if copy { 0 } else { img.bytes? }, mime })
        }),
    }
}

/// An entry's HTML: the whole article when feeds carry it, and for
/// syndicated copy the line naming the original, as the page shows it
/// (then with the summary when feeds carry summaries).
fn content<'a>(article: &'a Article, site: &Site, config: &Config, full: bool) -> Option<Cow<'a, str>> {
    let whole = full.then(|| {
        // A photo whose own file is not published: its largest copy.
        let html = match config.images.publish_originals {
            true => Cow::Borrowed(article.html.as_str()),
            false => super::view::photo_copies(&article.html, &article.body_images, &site.photos, &config.urls),
        };
        match absolutize(&html, config.urls.origin()) {
            Cow::Borrowed(_) => html,
            Cow::Owned(owned) => Cow::Owned(owned),
        }
    });
    // A live blog's entry carries its newest updates after the intro.
    let whole = match (&article.live, whole) {
        (Some(live), Some(intro)) if !live.updates.is_empty() => {
            let mut html = intro.into_owned();
            let page = config.urls.absolute(&article.place.route);
            for u in live.updates.iter().take(LIVE_UPDATES_IN_FEEDS) {
                // In the feed's language, as the page dates it.
                let time = format!("{}, {}", config.words.date(&u.time), config.words.time_of_day(&u.time));
                let title = u.title.as_deref().map(super::escape_html).map(|t| format!(": {t}")).unwrap_or_default();
                html.push_str(&format!(
                    "\n<h2><a href=\"{page}#{}\">{time}</a>{title}</h2>\n{}",
                    u.anchor(),
                    absolutize(&u.html, config.urls.origin())
                ));
            }
            Some(Cow::Owned(html))
        }
        (_, whole) => whole,
    };
    let Some(source) = &article.source else { return whole };
    let name = super::escape_html(&source.name);
    let said = super::escape_html(config.words.get("appeared_first_on"));
    let line = match &source.url {
        Some(url) => {
            let mut href = String::new();
            let _ = pulldown_cmark_escape::escape_href(&mut href, url);
            format!("<p class=\"source-line\">{said} <a href=\"{href}\">{name}</a></p>")
        }
        None => format!("<p class=\"source-line\">{said} {name}</p>"),
    };
    let body = whole.unwrap_or_else(|| Cow::Owned(format!("<p>{}</p>", article.summary_html)));
    Some(Cow::Owned(format!("{body}\n{line}")))
}

/// The newest updates of a live blog its feed entries carry.
const LIVE_UPDATES_IN_FEEDS: usize = 10;

fn image_mime(path: &str) -> Option<&'static str> {
    let ext = path.rsplit('.').next()?;
    Some(match ext {
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "svg" => "image/svg+xml",
        _ => return None,
    })
}

/// Path-absolute `href` and `src` values (`/repo/x/`) made absolute, so
/// feed readers resolve them against the site rather than themselves.
/// Borrows the HTML when it has none.
pub fn absolutize<'a>(html: &'a str, origin: &str) -> Cow<'a, str> {
    let mut out = String::new();
    let (mut copied, mut from) = (0, 0);
    while let Some(found) = html[from..].find("=\"/") {
        let slash = from + found + 2;
        from = slash + 1;
        let name = &html[..slash - 2];
        let protocol_relative = html[slash + 1..].starts_with('/');
        if protocol_relative || !(name.ends_with("href") || name.ends_with("src")) {
            continue;
        }
        if out.is_empty() {
            out.reserve(html.len() + 8 * origin.len());
        }
        out.push_str(&html[copied..slash]);
        out.push_str(origin);
        copied = slash;
    }
    if copied == 0 {
        return Cow::Borrowed(html);
    }
    out.push_str(&html[copied..]);
    Cow::Owned(out)
}

fn fixed(date: &DateTime<chrono_tz::Tz>) -> DateTime<FixedOffset> {
    date.fixed_offset()
}

fn modified(a: &Article) -> DateTime<FixedOffset> {
    fixed(&a.last_changed())
}

const ATOM_NS: &str = "http://www.w3.org/2005/Atom";
/// Namespaces every RSS document declares, so items written on their own
/// can be placed in any feed.
const RSS_NAMESPACES: [(&str, &str); 4] = [
    ("version", "2.0"),
    ("xmlns:atom", ATOM_NS),
    ("xmlns:content", "http://purl.org/rss/1.0/modules/content/"),
    ("xmlns:dc", "http://purl.org/dc/elements/1.1/"),
];

/// One article as an Atom `<entry>` element.
fn atom_entry(item: &FeedItem<'_>) -> Result<String, String> {
    let a = item.article;
    let mut xml = Xml::fragment();
    xml.open("entry", &[]);
    xml.element("title", &[], &a.title);
    xml.element("id", &[], &item.url);
    xml.element("updated", &[], &modified(a).to_rfc3339());
    xml.element("published", &[], &fixed(&a.place.date).to_rfc3339());
    for (name, uri) in &item.authors {
        xml.open_inline("author");
        xml.element("name", &[], name);
        xml.element("uri", &[], uri);
        xml.close_inline("author");
    }
    for term in std::iter::once(&item.section).chain(&item.tags) {
        xml.empty("category", &[("term", term)]);
    }
    xml.empty("link", &[("href", &item.url), ("rel", "alternate"), ("type", "text/html")]);
    if let Some(img) = &item.image {
        let length = img.length.to_string();
        xml.empty("link", &[("href", &img.url), ("rel", "enclosure"), ("type", img.mime), ("length", &length)]);
    }
    if !a.summary.is_empty() {
        xml.element("summary", &[], &a.summary);
    }
    if let Some(html) = &item.content {
        xml.element("content", &[("type", "html")], html);
    }
    xml.newline();
    xml.close("entry");
    Ok(xml.finish())
}

/// The Atom feed document with its (already written) entries.
fn atom(config: &Config, meta: &FeedMeta, updated: DateTime<FixedOffset>, entries: &[&String]) -> String {
    let mut xml = Xml::document();
    xml.open("feed", &[("xmlns", ATOM_NS), ("xml:lang", &config.language)]);
    xml.element("title", &[], &meta.title);
    xml.element("id", &[], &meta.page);
    xml.element("updated", &[], &updated.to_rfc3339());
    xml.element("subtitle", &[], &meta.description);
    xml.empty("link", &[("href", &meta.page), ("rel", "alternate"), ("type", "text/html")]);
    xml.empty("link", &[("href", &meta.self_url), ("rel", "self"), ("type", "application/atom+xml")]);
    xml.newline();
    entries.iter().for_each(|entry| xml.raw(entry));
    xml.close("feed");
    xml.finish()
}

/// One article as an RSS `<item>` element.
fn rss_item(item: &FeedItem<'_>) -> Result<String, String> {
    let a = item.article;
    let mut xml = Xml::fragment();
    xml.open("item", &[]);
    xml.element("title", &[], &a.title);
    xml.element("link", &[], &item.url);
    // RSS readers treat <description> as HTML: the dek is text.
    xml.element("description", &[], &super::escape_html(&a.summary));
    xml.element("guid", &[("isPermaLink", "true")], &item.url);
    xml.element("pubDate", &[], &fixed(&a.place.date).to_rfc2822());
    for name in std::iter::once(&item.section).chain(&item.tags) {
        xml.element("category", &[], name);
    }
    if let Some(img) = &item.image {
        let length = img.length.to_string();
        xml.empty("enclosure", &[("url", &img.url), ("length", &length), ("type", img.mime)]);
    }
    for (name, _) in &item.authors {
        xml.element("dc:creator", &[], name);
    }
    if let Some(html) = &item.content {
        xml.cdata("content:encoded", html);
    }
    xml.newline();
    xml.close("item");
    Ok(xml.finish())
}

/// The RSS document with its (already written) items.
fn rss(config: &Config, meta: &FeedMeta, updated: Option<DateTime<FixedOffset>>, items: &[&String]) -> String {
    let mut xml = Xml::document();
    xml.open("rss", &RSS_NAMESPACES);
    xml.open("channel", &[]);
    xml.element("title", &[], &meta.title);
    xml.element("link", &[], &meta.page);
    xml.element("description", &[], &meta.description);
    xml.element("language", &[], &config.language);
    if let Some(updated) = updated {
        xml.element("lastBuildDate", &[], &updated.to_rfc2822());
    }
    xml.empty("atom:link", &[("href", &meta.self_url), ("rel", "self"), ("type", "application/rss+xml")]);
    xml.newline();
    items.iter().for_each(|item| xml.raw(item));
    xml.close("channel");
    xml.close("rss");
    xml.finish()
}

#[derive(Serialize)]
struct JsonFeed<'a> {
    version: &'static str,
    title: &'a str,
    home_page_url: &'a str,
    feed_url: &'a str,
    description: &'a str,
    language: &'a str,
    items: Vec<JsonItem<'a>>,
}

#[derive(Serialize)]
struct JsonItem<'a> {
    id: &'a str,
    url: &'a str,
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    content_html: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    content_text: Option<&'a str>,
    summary: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<&'a str>,
    date_published: String,
    date_modified: String,
    authors: Vec<JsonAuthor<'a>>,
    tags: Vec<&'a str>,
}

#[derive(Serialize)]
struct JsonAuthor<'a> {
    name: &'a str,
    url: &'a str,
}

fn json(config: &Config, meta: &FeedMeta, items: &[FeedItem<'_>]) -> Result<String, String> {
    let feed = JsonFeed {
        version: "https://jsonfeed.org/version/1.1",
        title: &meta.title,
        home_page_url: &meta.page,
        feed_url: &meta.self_url,
        description: &meta.description,
        language: &config.language,
        items: items
            .iter()
            .map(|item| JsonItem {
                id: &item.url,
                url: &item.url,
                title: &item.article.title,
                content_html: item.content.as_deref(),
                content_text: item.content.is_none().then_some(item.article.summary.as_str()),
                summary: &item.article.summary,
                image: item.image.as_ref().map(|i| i.url.as_str()),
                date_published: fixed(&item.article.place.date).to_rfc3339(),
                date_modified: modified(item.article).to_rfc3339(),
                authors: item.authors.iter().map(|(name, url)| JsonAuthor { name, url }).collect(),
                tags: item.tags.iter().map(String::as_str).collect(),
            })
            .collect(),
    };
    serde_json::to_string_pretty(&feed).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::absolutize;

    #[test]
    fn makes_path_absolute_links_absolute() {
        let html = r#"<a href="/repo/x/">x</a> <img src="/repo/p.png"> <a href="//cdn/x">c</a> <a href="https://e.org/">e</a>"#;
        assert_eq!(
            absolutize(html, "https://u.github.io"),
            r#"<a href="https://u.github.io/repo/x/">x</a> <img src="https://u.github.io/repo/p.png"> <a href="//cdn/x">c</a> <a href="https://e.org/">e</a>"#
        );
        let plain = r#"<p>No links, <a href="https://e.org/">one</a> away; data="/x" is not a link.</p>"#;
        assert!(matches!(absolutize(plain, "https://u.github.io"), std::borrow::Cow::Borrowed(_)));
        assert_eq!(absolutize("<a href=\"/\">home</a>", "https://o"), "<a href=\"https://o/\">home</a>");
    }
}
