//! The article page's views: the story itself (`ArticleView`), its live
//! blog and updates, its source and corrections, its series, and the body's
//! photos pointed at their published copies. Part of the view structs
//! (`view.rs`): the only data templates see.

#[allow(clippy::wildcard_imports)]
use super::*;

/// Where syndicated copy first appeared (`source` in front matter).
#[derive(Debug, Serialize)]
pub struct SourceView {
    /// The original publisher's name, plain text.
    pub name: String,
    /// The original's address as written; None when not given.
    pub url: Option<String>,
}

/// One correction of a story.
#[derive(Debug, Serialize)]
pub struct CorrectionView {
    /// When it was made, with its time of day when the day says too little.
    pub date: DateView,
    /// What was corrected, plain text.
    pub text: String,
}

/// Everything the article page shows beyond its card (the template sees
/// both as one `article`).
#[derive(Debug, Serialize)]
pub struct ArticleView<'a> {
    /// The body, its photos shown as their resized copies: already-escaped
    /// HTML, print it with `| safe`.
    pub content: std::borrow::Cow<'a, str>,
    /// Publication, with its time of day when the day says too little.
    pub date: DateView,
    /// The last update: `updated` in front matter, or a live blog's newest
    /// update when that is later, with its time of day when the day says
    /// too little. None when there is neither.
    pub updated: Option<DateView>,
    /// The story's tags, each linking its page, in the order written;
    /// empty when it has none.
    pub tags: Vec<Link>,
    /// Where syndicated copy first appeared; None for the site's own stories.
    pub source: Option<SourceView>,
    /// The dateline as written (`PARIS`), plain text. The body already
    /// opens with it; None when there is none.
    pub dateline: Option<&'a str>,
    /// The story's corrections, in the order written; empty when it has none.
    pub corrections: Vec<CorrectionView>,
    /// When it was last corrected: the newest correction's date.
    pub corrected: Option<DateView>,
    /// How many words the body has.
    pub word_count: usize,
    /// "4 min read", in the site's language.
    pub reading_label: String,
    /// The dek under the headline as plain text; None when there is none,
    /// or when it is the body's first paragraph.
    pub dek: Option<&'a str>,
    /// The same dek as inline HTML, already escaped: print it with `| safe`.
    /// None whenever `dek` is.
    pub dek_html: Option<&'a str>,
    /// A stable id for the article (its route without slashes at the ends),
    /// used by the reactions block.
    pub id: &'a str,
    /// The article's own address, for the "Share" button.
    pub permalink: String,
    /// Plain share links: e-mail, then the networks `[share]` lists.
    pub share: Vec<Link>,
    /// The front matter's `extra` table (with the fields Broadsheet does
    /// not know, when `[content] unknown_fields = "extra"`), as written;
    /// empty when there is none.
    pub extra: &'a serde_json::Map<String, serde_json::Value>,
    /// The body has embeds: the page loads the script that shows them.
    pub embeds: bool,
    /// A live blog's coverage; None for other stories. It replaces the
    /// card's `live` flag in `article`: test `article.live.open`.
    pub live: Option<LiveView<'a>>,
    /// Marked `draft = true`: shown only by `serve` and `build --drafts`,
    /// with a "Draft" note so nobody mistakes it for a published story.
    pub draft: bool,
}

/// A live blog as its page shows it, and as `live.json` (the file readers'
/// pages poll) holds it.
#[derive(Debug, Serialize)]
pub struct LiveView<'a> {
    /// Still being updated (no `coverage_end`, or one still to come).
    pub open: bool,
    /// When coverage ended (`coverage_end`), with its time of day; None
    /// while the blog is open.
    pub ended: Option<DateView>,
    /// The newest update's time (or the start).
    pub updated: DateView,
    /// The small JSON file readers' pages poll for new updates
    /// (path-absolute, with the base path).
    pub feed: String,
    /// How often they poll, in seconds.
    pub poll: u64,
    /// Pinned updates (a summary kept on top), newest first; they are not
    /// in `updates`. Empty when none is pinned.
    pub pinned: Vec<UpdateView<'a>>,
    /// Key events, newest first.
    pub key: Vec<UpdateView<'a>>,
    /// Every update but the pinned, newest first.
    pub updates: Vec<UpdateView<'a>>,
}

/// One update of a live blog.
#[derive(Debug, Serialize)]
pub struct UpdateView<'a> {
    /// Its id, from its file's name: the live script tells updates apart
    /// by it.
    pub id: &'a str,
    /// `update-<id>`: the element id its links point at.
    pub anchor: String,
    /// Its date and time of day.
    pub time: DateView,
    /// Its headline, plain text; None when it has none.
    pub title: Option<&'a str>,
    /// Its authors' display names (an `[authors]` key's name, else as
    /// written), plain text; empty when none is named.
    pub authors: Vec<String>,
    /// The update's body: already-escaped HTML, print it with `| safe`.
    pub html: &'a str,
    /// A key event: also listed in the blog's `key`.
    pub key: bool,
    /// The update's own address (the page's absolute URL with its anchor).
    pub permalink: String,
    /// An e-mail with the update's address.
    pub share: String,
    /// What it shows, hashed: the page compares it with the polled file's
    /// to show an edited or corrected update.
    pub version: String,
}

impl<'a> LiveView<'a> {
    /// Article `a`'s live blog as it stands at `now`.
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
    /// What the page of article `i` shows beyond its card.
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

/// An e-mail with `title` as its subject and `url` as its text.
fn mail_link(title: &str, url: &str) -> String {
    use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
    let (t, u) = (utf8_percent_encode(title, NON_ALPHANUMERIC), utf8_percent_encode(url, NON_ALPHANUMERIC));
    format!("mailto:?subject={t}&body={u}")
}

/// Share links that are plain links: no third-party script loads.
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
    /// The description `[series.<slug>]` gives, plain text; empty when
    /// none is written.
    pub description: &'a str,
    /// How many parts the series has.
    pub parts: usize,
    /// The part number of the page's first card.
    pub first_part: usize,
    /// The series' picture (`image` in `[series.<slug>]`), resized when it
    /// is a photo, with no alternative text; None when none is named.
    pub image: Option<ImageView>,
    /// "5 parts", in the site's language.
    pub count_label: String,
    /// "Part 3" for each card of the page, in order.
    pub part_labels: Vec<String>,
}

/// On a part of a series: "Part 2 of 5 in" the series' title.
#[derive(Debug, Serialize)]
pub struct SeriesPartView<'a> {
    /// The series' title, plain text.
    pub title: &'a str,
    /// The series' landing page, path-absolute with the base path.
    pub url: String,
    /// This story's part number, from 1.
    pub part: usize,
    /// How many parts the series has.
    pub parts: usize,
    /// "part 2 of 5", in the site's language: the kicker.
    pub part_of: String,
    /// "Part 2 of 5 in", in the site's language: before the series' name.
    pub part_of_in: String,
    /// "Part 1": the label of the link to the part before. Set on the
    /// first part too, which has none (`series_previous` is then empty).
    pub previous_label: String,
    /// "Part 3": the label of the link to the part after. Set on the last
    /// part too, which has none (`series_next` is then empty).
    pub next_label: String,
}

impl<'a> SeriesPartView<'a> {
    /// Part `part` (from 1) of `parts` of the series `title`, whose page
    /// is at `url`.
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
