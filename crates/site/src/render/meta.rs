//! Search-engine and link-preview metadata: JSON-LD (`NewsArticle`,
//! `BreadcrumbList`, `WebSite`), and the canonical/robots policy for
//! syndicated copy. Pure.

use serde::Serialize;

use crate::config::{Config, NamedFile, Syndication};
use crate::content::{Article, ImageSource};
use crate::site::{ArticleId, Site};
use broadsheet_base::route::Route;

/// JSON for a `<script type="application/ld+json">`: `<`, `>` and `&` are
/// written as JSON escapes, so the text can never close the script element
/// or look like markup, and still parses to the same value.
pub fn script_json(value: &impl Serialize) -> String {
    let json = serde_json::to_string(value).unwrap_or_else(|_| "null".into());
    let mut out = String::new();
    let mut copied = 0;
    for (at, byte) in json.bytes().enumerate() {
        let escape = match byte {
            b'<' => "\\u003c",
            b'>' => "\\u003e",
            b'&' => "\\u0026",
            _ => continue,
        };
        if out.is_empty() {
            out.reserve(json.len() + 32);
        }
        out.push_str(&json[copied..at]);
        out.push_str(escape);
        copied = at + 1;
    }
    if copied == 0 {
        return json;
    }
    out.push_str(&json[copied..]);
    out
}

/// The absolute URL of an article's hero image, if it has one.
pub fn image_url(article: &Article, site: &Site, config: &Config) -> Option<String> {
    article.image.as_ref().map(|img| match &img.src {
        ImageSource::External(url) => url.clone(),
        ImageSource::Route(r) => config.urls.absolute(stand_in(r, site, config).map_or(r, |copy| &copy.route)),
    })
}

/// The largest copy that stands in for a photo whose own file is not
/// published (`[images] publish_originals` off); None when the file is.
pub fn stand_in<'a>(route: &Route, site: &'a Site, config: &Config) -> Option<&'a crate::photos::Variant> {
    (!config.images.publish_originals).then(|| site.photos.get(route).and_then(|set| set.fallback())).flatten()
}

/// What link previews show of an article's hero: its 1200×630 crop when
/// the photo was resized, else the picture itself.
pub fn preview_url(article: &Article, site: &Site, config: &Config) -> Option<String> {
    let crop = article.image.as_ref().and_then(|img| match &img.src {
        ImageSource::Route(r) => site.photos.get(r)?.share.as_ref(),
        ImageSource::External(_) => None,
    });
    crop.map(|v| config.urls.absolute(&v.route)).or_else(|| image_url(article, site, config))
}

/// The absolute URL of a file `site.toml` names.
fn named_url(file: &NamedFile, config: &Config) -> String {
    file.route().map_or_else(|| file.path.clone(), |r| config.urls.file_absolute(&r))
}

/// What link previews show for a page without a photo of its own: the
/// site's `share_image`, its logo when previews can show it, or the
/// generated card.
pub fn share_image_url(config: &Config) -> String {
    let identity = &config.identity;
    match (&identity.share_image, &identity.logo) {
        (Some(image), _) => named_url(image, config),
        (None, Some(logo)) if logo.is_picture() => named_url(logo, config),
        _ => config.urls.file_absolute(&Route::SHARE_CARD),
    }
}

/// The publisher's logo in JSON-LD: the site's logo, or its touch icon
/// (180 pixels square, generated when not named).
fn logo_url(config: &Config) -> String {
    let identity = &config.identity;
    match (&identity.logo, &identity.apple_touch_icon) {
        (Some(logo), _) => named_url(logo, config),
        (None, Some(icon)) => named_url(icon, config),
        (None, None) => config.urls.file_absolute(&Route::TOUCH_ICON),
    }
}

/// Where an article's canonical link points and whether it asks not to be
/// indexed: its own URL, unless it is syndicated copy.
pub fn canonical_and_robots(article: &Article, config: &Config) -> (String, Option<&'static str>) {
    let own = config.urls.absolute(&article.place.route);
    match (&article.source, config.syndication) {
        (Some(source), Syndication::Canonical) => (source.url.clone().unwrap_or(own), None),
        (Some(_), Syndication::Noindex) => (own, Some("noindex")),
        (None, _) => (own, None),
    }
}

/// One node of a page's JSON-LD graph.
#[derive(Serialize)]
#[serde(untagged)]
pub enum Node<'a> {
    /// A story (`NewsArticle`, or `LiveBlogPosting` for a live blog).
    NewsArticle(Box<NewsArticle<'a>>),
    /// The site, on its front page.
    WebSite(WebSite<'a>),
    /// The trail from the front page to the page.
    BreadcrumbList(BreadcrumbList<'a>),
    /// A series, on its landing page.
    CreativeWorkSeries(SeriesNode<'a>),
}

const SCHEMA: &str = "https://schema.org";
/// The newest updates a live blog's JSON-LD lists.
const LIVE_UPDATES_IN_JSON_LD: usize = 50;

/// A story's node: `NewsArticle`, or `LiveBlogPosting` for a live blog.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewsArticle<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    headline: &'a str,
    description: &'a str,
    date_published: String,
    date_modified: String,
    author: Vec<Person<'a>>,
    publisher: Organization<'a>,
    main_entity_of_page: WebPage<'a>,
    url: &'a str,
    article_section: &'a str,
    keywords: Vec<&'a str>,
    in_language: &'a str,
    word_count: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<[String; 1]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    dateline: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    is_based_on: Option<&'a str>,
    /// The series it is a part of, and which part.
    #[serde(skip_serializing_if = "Option::is_none")]
    is_part_of: Option<SeriesRef<'a>>,
    /// The story in the site's default language, of which this is a translation.
    #[serde(skip_serializing_if = "Option::is_none")]
    translation_of_work: Option<WorkRef>,
    /// The story's translations, on the default language's story.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    work_translation: Vec<WorkRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    position: Option<usize>,
    /// A live blog (`LiveBlogPosting`): its coverage and updates.
    #[serde(skip_serializing_if = "Option::is_none")]
    coverage_start_time: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    coverage_end_time: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    live_blog_update: Vec<BlogPosting<'a>>,
}

/// One update of a live blog.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BlogPosting<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    headline: &'a str,
    date_published: String,
    url: String,
    article_body: &'a str,
}

/// The series a story is a part of, by its name and address.
#[derive(Serialize)]
pub struct SeriesRef<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    url: String,
}

/// A series' landing page: the series, its parts in order.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SeriesNode<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    description: &'a str,
    url: String,
    in_language: &'a str,
    publisher: Organization<'a>,
    has_part: Vec<SeriesPart<'a>>,
}

/// One part of a series, in its landing page's node.
#[derive(Serialize)]
pub struct SeriesPart<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    headline: &'a str,
    url: String,
    position: usize,
}

/// The `CreativeWorkSeries` node of series `id`'s landing page.
pub fn series<'a>(site: &'a Site, config: &'a Config, id: crate::site::SeriesId) -> Node<'a> {
    let series = &site[id];
    let urls = &config.urls;
    Node::CreativeWorkSeries(SeriesNode {
        context: SCHEMA,
        kind: "CreativeWorkSeries",
        name: &series.title,
        description: &series.description,
        url: urls.absolute(&Route::series(&series.slug)),
        in_language: &config.language,
        publisher: publisher(config),
        has_part: series
            .articles
            .iter()
            .enumerate()
            .map(|(n, &a)| SeriesPart {
                kind: "NewsArticle",
                headline: &site[a].title,
                url: urls.absolute(&site[a].place.route),
                position: n + 1,
            })
            .collect(),
    })
}

fn publisher(config: &Config) -> Organization<'_> {
    Organization {
        kind: "Organization",
        name: &config.title,
        url: config.urls.base_url(),
        logo: ImageObject { kind: "ImageObject", url: logo_url(config) },
    }
}

/// An author of a story, with the address of their page.
#[derive(Serialize)]
pub struct Person<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    url: String,
}

/// The publisher: the site, with its logo.
#[derive(Serialize)]
pub struct Organization<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    url: &'a str,
    logo: ImageObject,
}

/// A picture by its address (the publisher's logo).
#[derive(Serialize)]
pub struct ImageObject {
    #[serde(rename = "@type")]
    kind: &'static str,
    url: String,
}

/// Another page, by its address.
#[derive(Serialize)]
pub struct WorkRef {
    #[serde(rename = "@id")]
    id: String,
}

/// The page a story is the main subject of, by its address.
#[derive(Serialize)]
pub struct WebPage<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "@id")]
    id: &'a str,
}

/// `page` is the article's URL for search engines: its own, or the
/// original's for syndicated copy (see [`canonical_and_robots`]).
/// `alternates` are the story's translations, itself among them (see
/// [`crate::translations`]).
pub fn news_article<'a>(
    site: &'a Site,
    config: &'a Config,
    i: ArticleId,
    page: &'a str,
    alternates: &[crate::translations::Alternate],
) -> Node<'a> {
    let story = site.story(i);
    let a = story.article;
    let urls = &config.urls;
    let live = a.live.as_ref();
    let updates = live.map(|l| l.updates.as_slice()).unwrap_or_default();
    Node::NewsArticle(Box::new(NewsArticle {
        context: SCHEMA,
        kind: if live.is_some() { "LiveBlogPosting" } else { "NewsArticle" },
        headline: &a.title,
        description: &a.summary,
        date_published: a.place.date.to_rfc3339(),
        date_modified: a.last_changed().to_rfc3339(),
        author: story
            .authors
            .iter()
            .map(|x| Person { kind: "Person", name: &x.name, url: urls.absolute(&Route::author(&x.slug)) })
            .collect(),
        publisher: publisher(config),
        main_entity_of_page: WebPage { kind: "WebPage", id: page },
        url: page,
        article_section: &story.section.title,
        keywords: story.tag_names().collect(),
        in_language: &config.language,
        word_count: a.word_count,
        image: Some([preview_url(a, site, config).unwrap_or_else(|| share_image_url(config))]),
        // `dateline` is NewsArticle's alone.
        dateline: a.dateline.as_deref().filter(|_| live.is_none()),
        is_based_on: a.source.as_ref().and_then(|s| s.url.as_deref()),
        is_part_of: site.links(i).series.map(|(s, _)| SeriesRef {
            kind: "CreativeWorkSeries",
            name: &site[s].title,
            url: urls.absolute(&Route::series(&site[s].slug)),
        }),
        position: site.links(i).series.map(|(_, p)| p + 1),
        translation_of_work: alternates.iter().find(|x| x.default && !x.current).map(|x| WorkRef { id: x.url.clone() }),
        work_translation: match alternates.iter().any(|x| x.default && x.current) {
            true => alternates.iter().filter(|x| !x.current).map(|x| WorkRef { id: x.url.clone() }).collect(),
            false => Vec::new(),
        },
        coverage_start_time: live.map(|_| a.place.date.to_rfc3339()),
        coverage_end_time: live.and_then(|l| l.ended).map(|e| e.to_rfc3339()),
        live_blog_update: updates
            .iter()
            .take(LIVE_UPDATES_IN_JSON_LD)
            .map(|u| BlogPosting {
                kind: "BlogPosting",
                headline: u.title.as_deref().unwrap_or(&a.title),
                date_published: u.time.to_rfc3339(),
                url: format!("{page}#{}", u.anchor()),
                article_body: &u.text,
            })
            .collect(),
    }))
}

/// A page's breadcrumb trail, from the front page down.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BreadcrumbList<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    item_list_element: Vec<ListItem<'a>>,
}

/// One step of a breadcrumb trail.
#[derive(Serialize)]
pub struct ListItem<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    position: usize,
    name: &'a str,
    item: &'a str,
}

/// A `BreadcrumbList` of (name, absolute URL) from the front page down.
pub fn breadcrumbs(trail: &[(String, String)]) -> Node<'_> {
    Node::BreadcrumbList(BreadcrumbList {
        context: SCHEMA,
        kind: "BreadcrumbList",
        item_list_element: trail
            .iter()
            .enumerate()
            .map(|(n, (name, url))| ListItem { kind: "ListItem", position: n + 1, name, item: url })
            .collect(),
    })
}

/// The site itself, described on its front page.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WebSite<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    description: &'a str,
    url: &'a str,
    in_language: &'a str,
}

/// The `WebSite` node of the front page.
pub fn website(config: &Config) -> Node<'_> {
    Node::WebSite(WebSite {
        context: SCHEMA,
        kind: "WebSite",
        name: &config.title,
        description: &config.description,
        url: config.urls.base_url(),
        in_language: &config.language,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    use serde_json::{Value, json};

    #[test]
    fn script_json_cannot_close_the_script() {
        let v = json!({"headline": "</script><script>alert(1)</script> <!--"});
        let s = script_json(&v);
        assert!(!s.contains("</script"), "{s}");
        assert!(!s.contains("<!--"), "{s}");
        assert_eq!(serde_json::from_str::<Value>(&s).unwrap(), v, "still the same JSON");
    }
}
