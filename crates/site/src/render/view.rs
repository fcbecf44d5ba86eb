//! View structs: the only data templates see. Each is small and built from
//! the model for one page; cards (an article's headline, dek, date, section
//! and byline) are built once per article and shared by every listing.

use std::collections::HashMap;

use chrono::{DateTime, Datelike};
use chrono_tz::Tz;
use serde::Serialize;

use super::words::Words;
use crate::config::{Config, Network};
use crate::content::{Article, Image, ImageSource};
use crate::photos::PhotoSet;
use crate::site::{ArticleId, FeedFormat, Site};
use broadsheet_base::route::Route;
use broadsheet_base::url::Urls;

mod article;
pub use article::*;

/// A named link.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Link {
    /// The text to show, plain text (Tera escapes it).
    pub name: String,
    /// Where it leads, ready for `href`: a path-absolute URL with the
    /// site's base path (`/repo/world/`) for the site's own pages; a menu
    /// entry may hold another site's address as written, and a share link
    /// a full address or a `mailto:` link.
    pub url: String,
}

/// A date as pages show it: for machines, for readers, and the month
/// archive it belongs to.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DateView {
    /// RFC 3339 in the site timezone, for `<time datetime>`.
    pub iso: String,
    /// The day as readers see it, in the site's language and timezone
    /// (`November 26, 2026`), plain text.
    pub display: String,
    /// The time of day with the timezone (`9:30 a.m. EST`), shown when the
    /// day alone says too little (see [`DateView::timed`]).
    pub time: Option<String>,
    /// The month archive the date belongs to.
    pub archive_url: String,
}

/// How long a story shows the time it was published: news convention is
/// the time for today's stories, the day for older ones.
pub const FRESH: chrono::TimeDelta = chrono::TimeDelta::hours(24);

impl DateView {
    /// The date alone, without its time of day.
    pub fn new(date: &DateTime<Tz>, urls: &Urls, words: &Words) -> DateView {
        DateView {
            iso: date.to_rfc3339(),
            display: words.date(date),
            time: None,
            archive_url: urls.path(&Route::month(date.year(), date.month())),
        }
    }

    /// The date with its time of day when `show` is true.
    /// (`9:30 a.m. EST` in English: see [`Words::time_of_day`]).
    pub fn timed(date: &DateTime<Tz>, urls: &Urls, show: bool, words: &Words) -> DateView {
        DateView { time: show.then(|| words.time_of_day(date)), ..DateView::new(date, urls, words) }
    }
}

/// Which of a story's events (publication, update, corrections) show
/// their time of day: those sharing a day with another, and all of them
/// while the story is under a day old at `now`.
pub fn timed_events(events: &[DateTime<Tz>], now: DateTime<chrono::Utc>) -> Vec<bool> {
    let fresh = events.first().is_some_and(|first| now.signed_duration_since(first) < FRESH);
    let mut per_day: HashMap<chrono::NaiveDate, usize> = HashMap::new();
    for e in events {
        *per_day.entry(e.date_naive()).or_default() += 1;
    }
    events.iter().map(|e| fresh || per_day[&e.date_naive()] > 1).collect()
}

/// A picture as templates show it: a story's or page's hero (also on
/// cards), an author's portrait, a series' picture.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImageView {
    /// The URL for `<img src>`: a resized photo's largest copy, another
    /// site's picture as written, else the file's path-absolute URL with
    /// the base path.
    pub src: String,
    /// The alternative text as written, plain text; empty when none was
    /// given (a series' picture always has none).
    pub alt: String,
    /// The caption as written, plain text; None when there is none
    /// (always for portraits and series' pictures).
    pub caption: Option<String>,
    /// Who took or owns the picture, plain text; None when not given.
    pub credit: Option<String>,
    /// Width in pixels, for `<img width>`: the largest copy's for a resized
    /// photo, else a hero's file's own. None when not known (another
    /// site's picture, say); set whenever `height` is.
    pub width: Option<usize>,
    /// Height in pixels; set whenever `width` is.
    pub height: Option<usize>,
    /// The resized copies in the photo's own format (`url 480w, ...`), for
    /// `srcset`; None for pictures that are not resized.
    pub srcset: Option<String>,
    /// The resized copies in WebP, in the same form, for a `<source
    /// type="image/webp">` in `<picture>`; None for pictures that are not
    /// resized, and when `[images]` turns WebP off.
    pub webp_srcset: Option<String>,
}

impl ImageView {
    /// A hero picture from front matter, with its resized copies when it
    /// has some.
    pub fn new(image: &Image, urls: &Urls, photos: &Photos) -> ImageView {
        let route = match &image.src {
            ImageSource::External(url) => Err(url.clone()),
            ImageSource::Route(route) => Ok(route),
        };
        let view = ImageView {
            src: route.clone().map_or_else(|url| url, |r| urls.path(r)),
            alt: image.alt.clone(),
            caption: image.caption.clone(),
            credit: image.credit.clone(),
            width: image.size.map(|s| s.0),
            height: image.size.map(|s| s.1),
            srcset: None,
            webp_srcset: None,
        };
        match route.ok().and_then(|r| photos.get(r)) {
            Some(set) => view.with_photo(set, urls),
            None => view,
        }
    }

    /// A site picture at `path` (an author's portrait), resized when it is a photo.
    pub fn of_file(path: &str, alt: String, urls: &Urls, photos: &Photos) -> ImageView {
        let view = ImageView {
            src: urls.resolve_link(path).into_owned(),
            alt,
            caption: None,
            credit: None,
            width: None,
            height: None,
            srcset: None,
            webp_srcset: None,
        };
        match Route::from_site_path(path).ok().and_then(|r| photos.get(&r)) {
            Some(set) => view.with_photo(set, urls),
            None => view,
        }
    }

    fn with_photo(self, set: &PhotoSet, urls: &Urls) -> ImageView {
        ImageView {
            src: set.fallback().map_or(self.src, |v| urls.path(&v.route)),
            width: Some(set.width as usize),
            height: Some(set.height as usize),
            srcset: srcset(&set.variants, urls),
            webp_srcset: srcset(&set.webp, urls),
            ..self
        }
    }
}

/// `url 320w, url 480w, ...` for `srcset`, or none.
fn srcset(variants: &[crate::photos::Variant], urls: &Urls) -> Option<String> {
    (!variants.is_empty()).then(|| {
        variants.iter().map(|v| format!("{} {}w", urls.path(&v.route), v.width)).collect::<Vec<_>>().join(", ")
    })
}

/// Each photo's resized copies, by the photo's route.
pub type Photos = std::collections::HashMap<Route, PhotoSet>;

/// What a listing shows of an article.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Card {
    /// The headline as written, plain text.
    pub title: String,
    /// The story's page: a path-absolute URL with the base path
    /// (`/repo/world/some-story/`), ready for `href`.
    pub url: String,
    /// The dek as plain text: the summary written, else the body's first
    /// paragraph; empty when there is neither.
    pub summary: String,
    /// The dek as inline HTML, already escaped: print it with `| safe`.
    /// Empty when there is no dek.
    pub summary_html: String,
    /// When it was published, with its time of day while the story is
    /// under a day old.
    pub date: DateView,
    /// Its section: the section's name and the URL of its page.
    pub section: Link,
    /// Its byline: each author's display name and page, in the order
    /// written; empty for a story without one.
    pub authors: Vec<Link>,
    /// Its hero picture; None when the story has none.
    pub image: Option<ImageView>,
    /// Marked `featured = true` (the front page may lead with it).
    pub featured: bool,
    /// Minutes to read the body at 230 words a minute, at least 1.
    pub reading_minutes: usize,
    /// An open live blog: its card says "Live".
    pub live: bool,
}

impl Card {
    /// The card of article `i`.
    pub fn new(site: &Site, i: ArticleId, config: &Config) -> Card {
        let (urls, words) = (&config.urls, &*config.words);
        let story = site.story(i);
        let a = story.article;
        Card {
            title: a.title.clone(),
            url: urls.path(&a.place.route),
            summary: a.summary.clone(),
            summary_html: a.summary_html.clone(),
            date: DateView::timed(
                &a.place.date,
                urls,
                site.built_at.signed_duration_since(a.place.date) < FRESH,
                words,
            ),
            section: taxon_link(&story.section.title, Route::section(&story.section.slug), urls),
            authors: story.authors.iter().map(|x| taxon_link(&x.name, Route::author(&x.slug), urls)).collect(),
            image: a.image.as_ref().map(|img| ImageView::new(img, urls, &site.photos)),
            featured: a.place.featured,
            reading_minutes: a.word_count.div_ceil(230).max(1),
            live: a.live.as_ref().is_some_and(|l| l.is_open(site.built_at)),
        }
    }
}

/// A link named `name` to the page at `route` (a section, tag or author
/// page, or a story), its URL path-absolute.
pub fn taxon_link(name: &str, route: Route, urls: &Urls) -> Link {
    Link { name: name.to_string(), url: urls.path(&route) }
}

/// A standalone page (About, Contact) as its template sees it; also the
/// corrections page's `intro`.
#[derive(Debug, Serialize)]
pub struct StandaloneView<'a> {
    /// The page's title, plain text.
    pub title: &'a str,
    /// The page's own URL, path-absolute with the base path.
    pub url: String,
    /// The summary, when one was written (a page shows no dek otherwise).
    pub summary: Option<&'a str>,
    /// The same summary as inline HTML, already escaped: print it with
    /// `| safe`. None whenever `summary` is.
    pub summary_html: Option<&'a str>,
    /// The body, its photos shown as their resized copies: already-escaped
    /// HTML, print it with `| safe`.
    pub content: std::borrow::Cow<'a, str>,
    /// `updated` in front matter, without its time of day; None when not given.
    pub updated: Option<DateView>,
    /// Its hero picture; None when it has none.
    pub image: Option<ImageView>,
    /// The front matter's `extra` table (with the fields Broadsheet does
    /// not know, when `[content] unknown_fields = "extra"`), as written;
    /// empty when there is none.
    pub extra: &'a serde_json::Map<String, serde_json::Value>,
    /// The body has embeds: the page loads the script that shows them.
    pub embeds: bool,
}

impl<'a> StandaloneView<'a> {
    /// What the standalone page `page` shows.
    pub fn new(page: &'a Article, config: &Config, photos: &Photos) -> StandaloneView<'a> {
        let urls = &config.urls;
        StandaloneView {
            title: &page.title,
            url: urls.path(&page.place.route),
            summary: (!page.summary_is_lead && !page.summary.is_empty()).then_some(page.summary.as_str()),
            summary_html: (!page.summary_is_lead && !page.summary.is_empty()).then_some(page.summary_html.as_str()),
            content: body_photos(&page.html, &page.body_images, photos, urls, !config.images.publish_originals),
            updated: page.updated.as_ref().map(|d| DateView::new(d, urls, &config.words)),
            image: page.image.as_ref().map(|i| ImageView::new(i, urls, photos)),
            extra: &page.extra,
            embeds: page.embeds > 0,
        }
    }
}

/// Previous/next links of a paginated listing.
#[derive(Debug, Serialize)]
pub struct PaginatorView {
    /// This page's number, from 1.
    pub number: usize,
    /// How many pages the listing has, at least 1.
    pub total: usize,
    /// The page before (newer stories; a series' earlier parts),
    /// path-absolute; None on the first page.
    pub previous: Option<String>,
    /// The page after (older stories; a series' later parts),
    /// path-absolute; None on the last page.
    pub next: Option<String>,
    /// "Page 2 of 5", in the site's language.
    pub label: String,
}

/// A line of an index page: a tag, author, section or month with its count.
#[derive(Debug, Serialize)]
pub struct Entry {
    /// What it is called, plain text: a tag, an author's display name, a
    /// section's title, or a month (`October 2026`).
    pub name: String,
    /// Its page, path-absolute with the base path.
    pub url: String,
    /// How many stories it lists.
    pub count: usize,
    /// "12 stories", in the site's language.
    pub count_label: String,
    /// An author's bio or a section's description, plain text; empty when
    /// none is written, and always for tags and months.
    pub description: String,
}

/// A year of the archive, with its months.
#[derive(Debug, Serialize)]
pub struct YearView {
    /// The year, a number (`2026`).
    pub year: i32,
    /// The year's page, path-absolute with the base path.
    pub url: String,
    /// How many stories were published in the year.
    pub count: usize,
    /// "48 stories", in the site's language.
    pub count_label: String,
    /// The months with stories, newest first.
    pub months: Vec<Entry>,
}

/// The document: title, description, URLs, and what search engines, feed
/// readers and link previews read from its `<head>`.
#[derive(Debug, Serialize)]
pub struct PageView {
    /// Which page it is: `front`, `article`, `section`, `tag`, `author`,
    /// `month`, `series`, `year`, `tags`, `authors`, `sections`, `archive`,
    /// `search`, `page` (a standalone page), `corrections`, `alias` or `404`.
    pub kind: &'static str,
    /// The page's own title, plain text, without the site's name: the site
    /// title on the front page, "Name (page 2 of 5)" past a listing's first
    /// page (in the site's language).
    pub title: String,
    /// What the page is about, plain text (an article's dek, a section's
    /// description); empty when there is nothing to say.
    pub description: String,
    /// The page's own URL, path-absolute with the base path: compare it
    /// with links' URLs to mark the current one.
    pub url: String,
    /// The absolute URL link previews use (`og:url`): the page's own, or
    /// the original's for syndicated copy (as its canonical link).
    pub permalink: String,
    /// Where search engines should look: the page itself, or the original
    /// of syndicated copy.
    pub canonical: String,
    /// `noindex` for pages that should stay out of search results.
    pub robots: Option<&'static str>,
    /// Open Graph type: `article` or `website`.
    pub og_type: &'static str,
    /// Absolute URL of the picture link previews show: an article's or
    /// standalone page's hero (its 1200×630 crop when resized), else the
    /// site's share image. Always set in practice.
    pub image: Option<String>,
    /// When an article was published, RFC 3339; None on other pages.
    pub published: Option<String>,
    /// When an article last changed (its `updated` time, newest correction
    /// or live update, else its publication), or when a standalone page was
    /// updated, RFC 3339; None on other pages.
    pub modified: Option<String>,
    /// An article's section name, plain text; None on other pages.
    pub section: Option<String>,
    /// The address of an article's section, which the sections bar marks.
    pub section_url: Option<String>,
    /// An article's tag names, plain text; empty on other pages.
    pub tags: Vec<String>,
    /// JSON-LD, already escaped for a `<script>` element.
    pub jsonld: Option<String>,
    /// Feeds of the listing the page belongs to.
    pub feeds: Vec<FeedLink>,
    /// The same page in the site's other languages, itself included;
    /// empty when it has no translation.
    pub alternates: Vec<crate::translations::Alternate>,
    /// The language switcher: in each language, this page or else that
    /// language's front page (empty for a site in one language).
    pub switcher: Vec<crate::translations::Alternate>,
}

/// A `<link rel="alternate">` to a feed.
#[derive(Debug, Clone, Serialize)]
pub struct FeedLink {
    /// The feed's name for `title`: the listing's or site's name and the
    /// format (`World (Atom)`, `World (RSS)`, `The Courier (JSON Feed)`).
    pub title: String,
    /// The feed's URL, path-absolute with the base path.
    pub url: String,
    /// Its media type, for `type`: `application/atom+xml`,
    /// `application/rss+xml` or `application/feed+json`.
    pub mime: &'static str,
}

/// The Atom feed of the listing at `base`, and its RSS feed when it has one.
pub fn feed_links(name: &str, base: &Route, rss: bool, urls: &Urls) -> Vec<FeedLink> {
    let atom = FeedLink {
        title: format!("{name} (Atom)"),
        url: urls.path(&base.feed(FeedFormat::Atom)),
        mime: "application/atom+xml",
    };
    let rss = rss.then(|| FeedLink {
        title: format!("{name} (RSS)"),
        url: urls.path(&base.feed(FeedFormat::Rss)),
        mime: "application/rss+xml",
    });
    std::iter::once(atom).chain(rss).collect()
}

/// Site-wide values, set once in Tera's global context.
#[derive(Debug, Serialize)]
pub struct SiteView<'a> {
    /// The site's name (`title` in `site.toml`, or the language's own),
    /// plain text.
    pub title: &'a str,
    /// The site's tagline, plain text; empty when none is written.
    pub description: &'a str,
    /// The pages' language, a BCP 47 tag (`en`, `pt-BR`), for `lang`.
    pub language: &'a str,
    /// `ltr` or `rtl`: the language's script's direction.
    pub direction: &'static str,
    /// A multilingual site's front pages, this language's marked current.
    pub languages: Vec<crate::translations::Alternate>,
    /// The site's absolute base URL, ending in `/`
    /// (`https://example.com/`); a language's own on a multilingual site.
    pub url: &'a str,
    /// The year of the build in the site's timezone, for the footer's
    /// copyright line (`© 2026 The Harbour Herald`).
    pub year: i32,
    /// The front page, path-absolute with the base path.
    pub home: String,
    /// The theme's stylesheet, path-absolute from the site's root.
    pub stylesheet: String,
    /// `[theme] css`: the site's own stylesheets, after the theme's.
    pub stylesheets: Vec<String>,
    /// Every section, linking its page, in the sections' order (`order`,
    /// then title).
    pub sections: Vec<Link>,
    /// The page listing every tag, path-absolute with the base path.
    pub tags_url: String,
    /// The page listing every author, path-absolute with the base path.
    pub authors_url: String,
    /// The page listing every section, path-absolute with the base path.
    pub sections_url: String,
    /// The archive's page (every year and month), path-absolute with the
    /// base path.
    pub archive_url: String,
    /// The search page, when the site has one.
    pub search_url: Option<String>,
    /// The most recent months, for the footer.
    pub archive_months: Vec<Link>,
    /// The standalone pages (About, Contact), by URL.
    pub pages: Vec<Link>,
    /// `[[menus.main]]`: shown above the sections.
    pub main_menu: Vec<Link>,
    /// `[[menus.footer]]`, or every standalone page when there is none.
    pub footer_menu: Vec<Link>,
    /// Every correction of every story, for the footer's "Browse" links
    /// (none when the footer menu links it already).
    pub corrections_url: Option<String>,
    /// The site's logo; None when `site.toml` names none (the masthead
    /// shows the title).
    pub logo: Option<LogoView>,
    /// The favicon: the one `site.toml` names, or the generated monogram.
    pub favicon: IconView,
    /// The Apple touch icon's URL: path-absolute from the site's root for
    /// a file of the site (the generated one when none is named), another
    /// site's address as written.
    pub touch_icon: String,
    /// The theme colour, a CSS hex colour (`#a4161a`), for
    /// `<meta name="theme-color">`.
    pub theme_color: &'a str,
    /// The script behind the "Share" button (the Web Share API, or copying the link).
    pub share_script: String,
    /// The breaking news banner; None when there is none, or when its
    /// `until` time had passed when the site was built.
    pub breaking: Option<BreakingView<'a>>,
    /// The reaction buttons under each story; None when reactions are off.
    pub reactions: Option<ReactionsView<'a>>,
    /// The script behind the reaction buttons, path-absolute from the
    /// site's root.
    pub reactions_script: String,
    /// The script that shows a body's embeds, path-absolute from the
    /// site's root.
    pub embeds_script: String,
    /// The script that brings a live blog's new updates, path-absolute
    /// from the site's root.
    pub live_script: String,
    /// The site-wide feeds, linked from every page.
    pub feeds: Vec<FeedLink>,
    /// `[extra]` in `site.toml`, as written; empty when there is none.
    pub extra: &'a serde_json::Map<String, serde_json::Value>,
}

/// The site's logo (`logo` in `site.toml`).
#[derive(Debug, Serialize)]
pub struct LogoView {
    /// Its URL: path-absolute from the site's root for a file of the site,
    /// another site's address as written.
    pub src: String,
    /// Its width in pixels; None when it could not be read. Set whenever
    /// `height` is.
    pub width: Option<usize>,
    /// Its height in pixels; set whenever `width` is.
    pub height: Option<usize>,
}

/// The favicon.
#[derive(Debug, Serialize)]
pub struct IconView {
    /// Its URL: path-absolute from the site's root for a file of the site
    /// (the generated `favicon.svg` when none is named), another site's
    /// address as written.
    pub href: String,
    /// Its media type, for `<link rel="icon" type>`.
    pub mime: String,
}

/// The breaking news banner (`[breaking]` in `site.toml`).
#[derive(Debug, Serialize)]
pub struct BreakingView<'a> {
    /// What it says, plain text.
    pub text: &'a str,
    /// Where it leads, ready for `href`: a path from the site's root gets
    /// the base path, other addresses stay as written. None when it links
    /// nowhere.
    pub url: Option<String>,
    /// Its language, when the page is in another one.
    pub lang: Option<&'a str>,
}

/// The reaction buttons (`[reactions]` in `site.toml`).
#[derive(Debug, Serialize)]
pub struct ReactionsView<'a> {
    /// Each button's label, plain text, in the order written.
    pub labels: &'a [String],
    /// Where counts are read and choices posted, as written; None when a
    /// reader's choice is only kept in their browser.
    pub endpoint: Option<&'a str>,
}

/// How many months the footer lists.
const FOOTER_MONTHS: usize = 12;

impl<'a> SiteView<'a> {
    /// The site-wide values of `site`; `languages` is left empty, for the
    /// renderer of a multilingual site to fill.
    pub fn new(site: &Site, config: &'a Config) -> SiteView<'a> {
        let urls = &config.urls;
        SiteView {
            title: &config.title,
            description: &config.description,
            language: &config.language,
            direction: config.direction.as_str(),
            languages: Vec::new(),
            url: urls.base_url(),
            year: site.built_at.with_timezone(&config.timezone).year(),
            home: urls.path(&Route::FRONT),
            stylesheet: urls.file_path(&Route::STYLESHEET),
            stylesheets: config.identity.stylesheets.iter().map(|f| file_url(f, urls)).collect(),
            sections: site.sections.iter().map(|s| taxon_link(&s.title, Route::section(&s.slug), urls)).collect(),
            tags_url: urls.path(&Route::TAGS),
            authors_url: urls.path(&Route::AUTHORS),
            sections_url: urls.path(&Route::SECTIONS),
            archive_url: urls.path(&Route::ARCHIVE),
            search_url: config.search.enabled.then(|| urls.path(&Route::SEARCH)),
            pages: site.pages.iter().map(|p| taxon_link(&p.title, p.place.route.clone(), urls)).collect(),
            main_menu: menu_links(&site.menus.main),
            footer_menu: match config.menus.footer.is_empty() {
                true => site.pages.iter().map(|p| taxon_link(&p.title, p.place.route.clone(), urls)).collect(),
                false => menu_links(&site.menus.footer),
            },
            corrections_url: Some(urls.path(&Route::CORRECTIONS))
                .filter(|c| !site.menus.footer.iter().any(|item| item.url == *c)),
            logo: config.identity.logo.as_ref().map(|logo| LogoView {
                src: file_url(logo, urls),
                width: config.identity.logo_size.map(|s| s.0),
                height: config.identity.logo_size.map(|s| s.1),
            }),
            favicon: match &config.identity.favicon {
                Some(f) => IconView {
                    href: file_url(f, urls),
                    mime: mime_guess::from_path(f.path.split(['?', '#']).next().unwrap_or_default())
                        .first_or_octet_stream()
                        .to_string(),
                },
                None => IconView { href: urls.file_path(&Route::FAVICON_SVG), mime: "image/svg+xml".into() },
            },
            touch_icon: config
                .identity
                .apple_touch_icon
                .as_ref()
                .map_or_else(|| urls.file_path(&Route::TOUCH_ICON), |f| file_url(f, urls)),
            theme_color: &config.identity.theme_color,
            share_script: urls.file_path(&Route::SHARE_SCRIPT),
            archive_months: site
                .years
                .iter()
                .flat_map(|y| &y.months)
                .take(FOOTER_MONTHS)
                .map(|m| taxon_link(&config.words.month(m.year, m.month), Route::month(m.year, m.month), urls))
                .collect(),
            breaking: config.breaking.as_ref().filter(|b| b.until > site.built_at).map(|b| BreakingView {
                lang: b.language.as_deref(),
                text: &b.text,
                url: b.url.as_deref().map(|u| urls.resolve_link(u).into_owned()),
            }),
            reactions: config
                .reactions
                .as_ref()
                .map(|r| ReactionsView { labels: &r.labels, endpoint: r.endpoint.as_deref() }),
            reactions_script: urls.file_path(&Route::REACTIONS_SCRIPT),
            embeds_script: urls.file_path(&Route::EMBEDS_SCRIPT),
            live_script: urls.file_path(&Route::LIVE_SCRIPT),
            feeds: {
                let mut feeds = feed_links(&config.title, &Route::FRONT, true, urls);
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

fn menu_links(items: &[crate::site::MenuItem]) -> Vec<Link> {
    items.iter().map(|i| Link { name: i.title.clone(), url: i.url.clone() }).collect()
}

/// A file `site.toml` names, as a page links it: site paths get the base
/// path, other sites' addresses stay as written.
pub fn file_url(file: &crate::config::NamedFile, urls: &Urls) -> String {
    match file.route() {
        Some(route) => urls.file_path(&route),
        None => file.path.clone(),
    }
}

/// "October 2026", in the site's language.
pub fn month_name(year: i32, month: u32, words: &Words) -> String {
    words.month(year, month)
}
