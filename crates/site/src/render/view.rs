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

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImageView {
    pub src: String,
    pub alt: String,
    pub caption: Option<String>,
    pub credit: Option<String>,
    pub width: Option<usize>,
    pub height: Option<usize>,
    /// The resized copies in the photo's own format (`url 480w, ...`), and
    /// in WebP, for `<picture>`; none for pictures that are not resized.
    pub srcset: Option<String>,
    pub webp_srcset: Option<String>,
}

impl ImageView {
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
    pub title: String,
    pub url: String,
    /// The dek as plain text.
    pub summary: String,
    /// The dek as inline HTML.
    pub summary_html: String,
    pub date: DateView,
    pub section: Link,
    pub authors: Vec<Link>,
    pub image: Option<ImageView>,
    pub featured: bool,
    pub reading_minutes: usize,
    /// An open live blog: its card says "Live".
    pub live: bool,
}

impl Card {
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
    /// The body, its photos shown as their resized copies.
    pub content: std::borrow::Cow<'a, str>,
    /// Publication, with its time of day when the day says too little.
    pub date: DateView,
    pub updated: Option<DateView>,
    pub tags: Vec<Link>,
    pub source: Option<SourceView>,
    pub dateline: Option<&'a str>,
    pub corrections: Vec<CorrectionView>,
    /// When it was last corrected: the newest correction's date.
    pub corrected: Option<DateView>,
    pub word_count: usize,
    /// "4 min read", in the site's language.
    pub reading_label: String,
    /// The dek under the headline, unless it is the body's first paragraph:
    /// plain text, and inline HTML.
    pub dek: Option<&'a str>,
    pub dek_html: Option<&'a str>,
    /// A stable id for the article (its route without slashes at the ends),
    /// used by the reactions block.
    pub id: &'a str,
    /// The article's own address, for the "Share" button.
    pub permalink: String,
    /// Plain share links: e-mail, then the networks `[share]` lists.
    pub share: Vec<Link>,
    pub extra: &'a serde_json::Map<String, serde_json::Value>,
    /// The body has embeds: the page loads the script that shows them.
    pub embeds: bool,
    /// A live blog's coverage.
    pub live: Option<LiveView<'a>>,
    /// Marked `draft = true`: shown only by `serve` and `build --drafts`,
    /// with a "Draft" note so nobody mistakes it for a published story.
    pub draft: bool,
}

/// A live blog as its page shows it.
#[derive(Debug, Serialize)]
pub struct LiveView<'a> {
    /// Still being updated (no `coverage_end`, or one still to come).
    pub open: bool,
    pub ended: Option<DateView>,
    /// The newest update's time (or the start).
    pub updated: DateView,
    /// The small JSON file readers' pages poll for new updates.
    pub feed: String,
    /// How often they poll, in seconds.
    pub poll: u64,
    pub pinned: Vec<UpdateView<'a>>,
    /// Key events, newest first.
    pub key: Vec<UpdateView<'a>>,
    /// Every update but the pinned, newest first.
    pub updates: Vec<UpdateView<'a>>,
}

#[derive(Debug, Serialize)]
pub struct UpdateView<'a> {
    pub id: &'a str,
    pub anchor: String,
    /// Its date and time of day.
    pub time: DateView,
    pub title: Option<&'a str>,
    pub authors: Vec<String>,
    pub html: &'a str,
    pub key: bool,
    /// The update's own address (the page with its anchor).
    pub permalink: String,
    /// An e-mail with the update's address.
    pub share: String,
    /// What it shows, hashed: the page compares it with the polled file's
    /// to show an edited or corrected update.
    pub version: String,
}

impl<'a> LiveView<'a> {
    pub fn new(
        a: &'a Article,
        live: &'a crate::content::LiveBlog,
        config: &Config,
        now: DateTime<chrono::Utc>,
    ) -> LiveView<'a> {
        let (urls, words) = (&config.urls, &*config.words);
        let permalink = urls.absolute(&a.place.route);
        let update = |u: &'a crate::content::LiveUpdate| {
            let anchor = u.anchor();
            let own = format!("{permalink}#{anchor}");
            let authors: Vec<String> =
                u.authors.iter().map(|n| config.authors.get(n).map_or(n.clone(), |x| x.name.clone())).collect();
            let mut version = blake3::Hasher::new();
            for part in [u.time.to_rfc3339().as_str(), u.title.as_deref().unwrap_or(""), &u.html, &authors.join("\n")] {
                version.update(part.as_bytes()).update(&[0]);
            }
            version.update(&[u8::from(u.key)]);
            UpdateView {
                id: &u.id,
                time: DateView::timed(&u.time, urls, true, words),
                title: u.title.as_deref(),
                authors,
                version: version.finalize().to_hex()[..12].to_string(),
                html: &u.html,
                key: u.key,
                share: mail_link(u.title.as_deref().unwrap_or(&a.title), &own),
                permalink: own,
                anchor,
            }
        };
        let open = live.is_open(now);
        LiveView {
            open,
            ended: live.ended.filter(|_| !open).map(|e| DateView::timed(&e, urls, true, words)),
            updated: DateView::timed(&live.updates.first().map_or(a.place.date, |u| u.time), urls, true, words),
            feed: urls.path(&a.place.route.live_feed()),
            poll: config.live.poll_seconds,
            pinned: live.updates.iter().filter(|u| u.pinned).map(update).collect(),
            key: live.updates.iter().filter(|u| u.key).map(update).collect(),
            updates: live.updates.iter().filter(|u| !u.pinned).map(update).collect(),
        }
    }
}

impl<'a> ArticleView<'a> {
    pub fn new(site: &'a Site, i: ArticleId, config: &Config) -> ArticleView<'a> {
        let (urls, words) = (&config.urls, &*config.words);
        let story = site.story(i);
        let a: &'a Article = story.article;
        // A live blog was last updated by its newest update, when that is
        // later than its start and its own `updated`: the header says so.
        let newest_update = a.live.as_ref().and_then(|l| l.updates.first()).map(|u| u.time);
        let updated = newest_update.filter(|t| *t > a.updated.unwrap_or(a.place.date)).or(a.updated);
        let events: Vec<DateTime<Tz>> =
            [a.place.date].into_iter().chain(updated).chain(a.corrections.iter().map(|c| c.date)).collect();
        let mut timed = timed_events(&events, site.built_at).into_iter();
        let mut next = |d: &DateTime<Tz>| DateView::timed(d, urls, timed.next().unwrap_or(false), words);
        let date = next(&a.place.date);
        let updated = updated.as_ref().map(&mut next);
        let corrections: Vec<CorrectionView> =
            a.corrections.iter().map(|c| CorrectionView { date: next(&c.date), text: c.text.clone() }).collect();
        let newest = a.corrections.iter().enumerate().max_by_key(|(_, c)| c.date).map(|(n, _)| n);
        let corrected = newest.map(|n| corrections[n].date.clone());
        let permalink = urls.absolute(&a.place.route);
        ArticleView {
            content: body_photos(&a.html, &a.body_images, &site.photos, urls, !config.images.publish_originals),
            date,
            updated,
            share: share_links(&a.title, &permalink, &config.share.networks, words),
            reading_label: words.count("min_read", a.word_count.div_ceil(230).max(1), &[]),
            tags: story.tags.iter().map(|t| taxon_link(&t.name, Route::tag(&t.slug), urls)).collect(),
            source: a.source.as_ref().map(|s| SourceView { name: s.name.clone(), url: s.url.clone() }),
            dateline: a.dateline.as_deref(),
            corrections,
            corrected,
            word_count: a.word_count,
            dek: (!a.summary_is_lead && !a.summary.is_empty()).then_some(a.summary.as_str()),
            dek_html: (!a.summary_is_lead && !a.summary.is_empty()).then_some(a.summary_html.as_str()),
            id: a.place.route.as_id(),
            draft: a.place.draft,
            permalink,
            extra: &a.extra,
            embeds: a.embeds > 0,
            live: a.live.as_ref().map(|l| LiveView::new(a, l, config, site.built_at)),
        }
    }
}

/// How wide a body picture is shown: the story's column.
const BODY_SIZES: &str = "(min-width: 44rem) 42rem, calc(100vw - 2rem)";

/// A body's HTML with each of its photos shown as a `<picture>` of the
/// resized copies (WebP first), with `srcset`, `sizes` and the size; with
/// `originals_unpublished`, a link to a photo's file (a picture linked to
/// its full size) leads to its largest copy.
pub fn body_photos<'a>(
    html: &'a str,
    images: &[crate::content::BodyImage],
    photos: &Photos,
    urls: &Urls,
    originals_unpublished: bool,
) -> std::borrow::Cow<'a, str> {
    let mut out = std::borrow::Cow::Borrowed(html);
    for image in images {
        let Some(set) = photos.get(&image.route) else { continue };
        if originals_unpublished && let Some(largest) = set.fallback() {
            retarget(&mut out, "<a href=", &image.src, &largest.route, urls);
        }
        let start = crate::content::markdown::image_tag_start(&image.src);
        let Some(at) = out.find(&start) else { continue };
        let Some(end) = out[at..].find('>').map(|e| at + e + 1) else { continue };
        let Some(fallback) = set.fallback() else { continue };
        let esc = crate::render::escape_html;
        let rest = &out[at + start.len()..end];
        let mut picture = String::from("<picture>");
        if let Some(webp) = srcset(&set.webp, urls) {
            picture.push_str(&format!("<source type=\"image/webp\" srcset=\"{}\" sizes=\"{BODY_SIZES}\">", esc(&webp)));
        }
        picture.push_str(&format!(
            "<img src=\"{}\" srcset=\"{}\" sizes=\"{BODY_SIZES}\" width=\"{}\" height=\"{}\" decoding=\"async\"{rest}</picture>",
            esc(&urls.path(&fallback.route)),
            esc(&srcset(&set.variants, urls).unwrap_or_default()),
            set.width,
            set.height,
        ));
        out = std::borrow::Cow::Owned(format!("{}{picture}{}", &out[..at], &out[end..]));
    }
    out
}

/// A body's HTML with each resized photo's `src` (and a link to its file)
/// leading to its largest copy: for feeds, whose readers take one picture.
pub fn photo_copies<'a>(
    html: &'a str,
    images: &[crate::content::BodyImage],
    photos: &Photos,
    urls: &Urls,
) -> std::borrow::Cow<'a, str> {
    let mut out = std::borrow::Cow::Borrowed(html);
    for image in images {
        let Some(largest) = photos.get(&image.route).and_then(|set| set.fallback()) else { continue };
        for attribute in ["<img src=", "<a href="] {
            retarget(&mut out, attribute, &image.src, &largest.route, urls);
        }
    }
    out
}

/// Points every `attribute` (`<img src=`, `<a href=`) that names the photo
/// `src` as written at the copy `to` instead.
fn retarget(out: &mut std::borrow::Cow<'_, str>, attribute: &str, src: &str, to: &Route, urls: &Urls) {
    let start = crate::content::markdown::image_tag_start(src);
    let from = format!("{attribute}{}", &start["<img src=".len()..]);
    if out.contains(&from) {
        let copy = format!("{attribute}\"{}\"", crate::render::escape_html(&urls.path(to)));
        *out = std::borrow::Cow::Owned(out.replace(&from, &copy));
    }
}

/// Share links that are plain links: no third-party script loads.
/// An e-mail with `title` as its subject and `url` as its text.
fn mail_link(title: &str, url: &str) -> String {
    use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
    let (t, u) = (utf8_percent_encode(title, NON_ALPHANUMERIC), utf8_percent_encode(url, NON_ALPHANUMERIC));
    format!("mailto:?subject={t}&body={u}")
}

fn share_links(title: &str, url: &str, networks: &[Network], words: &Words) -> Vec<Link> {
    use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
    let (t, u) = (utf8_percent_encode(title, NON_ALPHANUMERIC), utf8_percent_encode(url, NON_ALPHANUMERIC));
    let link = |name: &str, url: String| Link { name: name.to_string(), url };
    let mut links = vec![link(words.get("email"), mail_link(title, url))];
    links.extend(networks.iter().map(|n| match n {
        Network::Bluesky => link("Bluesky", format!("https://bsky.app/intent/compose?text={t}%20{u}")),
        Network::Facebook => link("Facebook", format!("https://www.facebook.com/sharer/sharer.php?u={u}")),
        Network::Linkedin => link("LinkedIn", format!("https://www.linkedin.com/sharing/share-offsite/?url={u}")),
        Network::Reddit => link("Reddit", format!("https://www.reddit.com/submit?url={u}&title={t}")),
        Network::Threads => link("Threads", format!("https://www.threads.net/intent/post?text={t}%20{u}")),
        Network::Whatsapp => link("WhatsApp", format!("https://wa.me/?text={t}%20{u}")),
        Network::X => link("X", format!("https://x.com/intent/post?text={t}&url={u}")),
    }));
    links
}

/// A series' landing page: what its template sees besides the cards.
#[derive(Debug, Serialize)]
pub struct SeriesView<'a> {
    pub description: &'a str,
    pub parts: usize,
    /// The part number of the page's first card.
    pub first_part: usize,
    pub image: Option<ImageView>,
    /// "5 parts", in the site's language.
    pub count_label: String,
    /// "Part 3" for each card of the page, in order.
    pub part_labels: Vec<String>,
}

/// On a part of a series: "Part 2 of 5 in <title>".
#[derive(Debug, Serialize)]
pub struct SeriesPartView<'a> {
    pub title: &'a str,
    pub url: String,
    pub part: usize,
    pub parts: usize,
    /// "part 2 of 5" (the kicker), "Part 2 of 5 in" (before the series'
    /// name), and "Part 1" and "Part 3" (the parts before and after).
    pub part_of: String,
    pub part_of_in: String,
    pub previous_label: String,
    pub next_label: String,
}

impl<'a> SeriesPartView<'a> {
    pub fn new(title: &'a str, url: String, part: usize, parts: usize, words: &Words) -> SeriesPartView<'a> {
        SeriesPartView {
            title,
            url,
            part,
            parts,
            part_of: words.fill("part_of", &[&part, &parts]),
            part_of_in: words.fill("part_of_in", &[&part, &parts]),
            previous_label: words.fill("part", &[&part.saturating_sub(1)]),
            next_label: words.fill("part", &[&(part + 1)]),
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
    pub summary_html: Option<&'a str>,
    pub content: std::borrow::Cow<'a, str>,
    pub updated: Option<DateView>,
    pub image: Option<ImageView>,
    pub extra: &'a serde_json::Map<String, serde_json::Value>,
    pub embeds: bool,
}

impl<'a> StandaloneView<'a> {
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
    pub number: usize,
    pub total: usize,
    pub previous: Option<String>,
    pub next: Option<String>,
    /// "Page 2 of 5", in the site's language.
    pub label: String,
}

/// A line of an index page: a tag, author, section or month with its count.
#[derive(Debug, Serialize)]
pub struct Entry {
    pub name: String,
    pub url: String,
    pub count: usize,
    /// "12 stories", in the site's language.
    pub count_label: String,
    pub description: String,
}

#[derive(Debug, Serialize)]
pub struct YearView {
    pub year: i32,
    pub url: String,
    pub count: usize,
    /// "48 stories", in the site's language.
    pub count_label: String,
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
    /// Absolute URL of the page's image (an article's hero).
    pub image: Option<String>,
    pub published: Option<String>,
    pub modified: Option<String>,
    pub section: Option<String>,
    /// The address of an article's section, which the sections bar marks.
    pub section_url: Option<String>,
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
    pub title: String,
    pub url: String,
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
    pub title: &'a str,
    pub description: &'a str,
    pub language: &'a str,
    /// `ltr` or `rtl`: the language's script's direction.
    pub direction: &'static str,
    /// A multilingual site's front pages, this language's marked current.
    pub languages: Vec<crate::translations::Alternate>,
    pub url: &'a str,
    pub home: String,
    pub stylesheet: String,
    /// `[theme] css`: the site's own stylesheets, after the theme's.
    pub stylesheets: Vec<String>,
    pub sections: Vec<Link>,
    pub tags_url: String,
    pub authors_url: String,
    pub sections_url: String,
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
    pub logo: Option<LogoView>,
    pub favicon: IconView,
    pub touch_icon: String,
    pub theme_color: &'a str,
    /// The script behind the "Share" button (the Web Share API, or copying the link).
    pub share_script: String,
    pub breaking: Option<BreakingView<'a>>,
    pub reactions: Option<ReactionsView<'a>>,
    pub reactions_script: String,
    pub embeds_script: String,
    pub live_script: String,
    /// The site-wide feeds, linked from every page.
    pub feeds: Vec<FeedLink>,
    pub extra: &'a serde_json::Map<String, serde_json::Value>,
}

#[derive(Debug, Serialize)]
pub struct LogoView {
    pub src: String,
    pub width: Option<usize>,
    pub height: Option<usize>,
}

#[derive(Debug, Serialize)]
pub struct IconView {
    pub href: String,
    /// Its media type, for `<link rel="icon" type>`.
    pub mime: String,
}

#[derive(Debug, Serialize)]
pub struct BreakingView<'a> {
    pub text: &'a str,
    pub url: Option<String>,
    /// Its language, when the page is in another one.
    pub lang: Option<&'a str>,
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
            direction: config.direction.as_str(),
            languages: Vec::new(),
            url: urls.base_url(),
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
