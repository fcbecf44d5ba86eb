//! Embeds without trackers: a paragraph of its own that reads
//! `{{< embed https://... >}}` (optionally with `title="..."`) becomes a
//! placeholder: the provider, a title and a link that works without
//! JavaScript, in a box of the size the embed will take. `embeds.js` adds
//! a button that swaps the box for the provider's frame; nothing is asked
//! of the provider before that click.
//!
//! Known providers: YouTube, Vimeo, X (Twitter), Instagram, TikTok,
//! Bluesky, Mastodon, Google Maps, OpenStreetMap and DocumentCloud. Any
//! other `https://` address is framed as it is, in a strict sandbox.

use url::Url;

use crate::html::escape as escape_html;

/// The box an embed takes, as the theme sizes it (`embed-<shape>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// 16:9 video.
    Wide,
    /// 9:16 video (Shorts, TikTok).
    Tall,
    /// A social post: a fixed height.
    Post,
    /// 4:3.
    Map,
    /// A page of a document.
    Document,
}

impl Shape {
    fn class(self) -> &'static str {
        match self {
            Shape::Wide => "wide",
            Shape::Tall => "tall",
            Shape::Post => "post",
            Shape::Map => "map",
            Shape::Document => "document",
        }
    }
}

/// What an embed shows, which decides the words around it ("A video on
/// YouTube", "Watch on YouTube").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A video or short: YouTube, Vimeo, TikTok.
    Video,
    /// A social post: X, Instagram, Bluesky, Mastodon.
    Post,
    /// Google Maps or OpenStreetMap.
    Map,
    /// A DocumentCloud document.
    Document,
    /// Any other page, framed as it is.
    Page,
}

/// One embed, as [`parse`] reads it: what the placeholder says and the
/// frame `embeds.js` swaps in for it. Only made here, so the frame's
/// address and permissions are always the ones its provider needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Embed {
    /// "YouTube", or the host for a page framed as it is.
    pub provider: String,
    /// Where a reader sees it at the provider (the address written).
    pub page: String,
    /// The frame's address.
    pub frame: String,
    /// The title written (`title="..."`); `None` when none was, and
    /// [`Embed::title`] then uses the words for its kind.
    pub title: Option<String>,
    /// The box it takes, by provider (a YouTube short is tall).
    pub shape: Shape,
    /// What it shows, which picks the words around it.
    pub kind: Kind,
    /// The frame's `sandbox` permissions.
    sandbox: &'static str,
    /// The frame's `allow` permissions.
    allow: &'static str,
}

/// The words around an embed, in the page's language: each phrase's `{}`
/// is the provider's name (the host for a page framed as it is).
#[derive(Debug, Clone)]
pub struct Words<'a> {
    /// "A video on {}", "A post on {}", "A map on {}", "A document on {}", "A page from {}".
    pub titles: [&'a str; 5],
    /// "Watch on {}", "See the post on {}", "See the map on {}", "Read it on {}", "Open it on {}".
    pub open: [&'a str; 5],
    /// "Shown here, it would load from {}, which then sees your visit."
    pub privacy: &'a str,
}

impl Words<'static> {
    /// The English words the fields show; a site makes its own from its
    /// language's phrases.
    pub const ENGLISH: Words<'static> = Words {
        titles: ["A video on {}", "A post on {}", "A map on {}", "A document on {}", "A page from {}"],
        open: ["Watch on {}", "See the post on {}", "See the map on {}", "Read it on {}", "Open it on {}"],
        privacy: "Shown here, it would load from {}, which then sees your visit.",
    };
}

impl Kind {
    fn index(self) -> usize {
        match self {
            Kind::Video => 0,
            Kind::Post => 1,
            Kind::Map => 2,
            Kind::Document => 3,
            Kind::Page => 4,
        }
    }
}

/// Permissions a player or post needs to run (its own scripts, on its own
/// origin), open links in a new tab, and go full screen.
const PLAYER: &str = "allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox allow-presentation";
const POST: &str = "allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox";
/// Any other page: its scripts run, but on an opaque origin (no cookies,
/// no storage), and it cannot navigate the page.
const STRANGER: &str = "allow-scripts allow-popups";
const VIDEO_ALLOW: &str = "autoplay; encrypted-media; picture-in-picture; fullscreen";

/// What a paragraph's source says: not an embed, an embed, or an embed
/// written wrong (the message says what was expected).
pub fn parse(paragraph: &str) -> Option<Result<Embed, String>> {
    let inner = paragraph.trim().strip_prefix("{{<")?.strip_suffix(">}}")?.trim();
    let rest = inner.strip_prefix("embed")?;
    if !rest.starts_with(char::is_whitespace) && !rest.is_empty() {
        return None;
    }
    let rest = rest.trim();
    let (address, options) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
    let address = address.trim_matches('"');
    if address.is_empty() {
        return Some(Err("`{{< embed >}}` needs an address: expected {{< embed https://... >}}".into()));
    }
    let title = match options.trim() {
        "" => None,
        o => match o.strip_prefix("title=").map(|t| t.trim()) {
            Some(t) if t.len() >= 2 && t.starts_with('"') && t.ends_with('"') => Some(t[1..t.len() - 1].to_string()),
            _ => {
                return Some(Err(format!("`{o}` after the embed's address: expected nothing, or title=\"...\"")));
            }
        },
    };
    Some(of_address(address).map(|mut e| {
        e.title = title.filter(|t| !t.trim().is_empty());
        e
    }))
}

/// Whether a known provider serves the address (the importers turn such
/// old embeds into `{{< embed >}}`), rather than it being framed as it is.
pub fn known_provider(address: &str) -> bool {
    of_address(address).is_ok_and(|e| e.sandbox != STRANGER)
}

/// An address taken apart, as each provider reads it.
struct Address<'a> {
    written: &'a str,
    url: Url,
    host: String,
    segments: Vec<String>,
}

impl Address<'_> {
    fn query(&self, key: &str) -> Option<String> {
        self.url.query_pairs().find(|(k, _)| k == key).map(|(_, v)| v.into_owned())
    }

    fn segments(&self) -> Vec<&str> {
        self.segments.iter().map(String::as_str).collect()
    }

    fn embed(&self, provider: &str, frame: String, shape: Shape, kind: Kind, sandbox: &'static str) -> Embed {
        let allow = if kind == Kind::Video { VIDEO_ALLOW } else { "" };
        Embed {
            provider: provider.to_string(),
            page: self.written.to_string(),
            frame,
            title: None,
            shape,
            kind,
            sandbox,
            allow,
        }
    }

    fn bad(&self, provider: &str, example: &str) -> Result<Embed, String> {
        Err(format!("`{}` is not a {provider} address Broadsheet can embed: expected one like {example}", self.written))
    }
}

fn id_like(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

fn of_address(address: &str) -> Result<Embed, String> {
    let url = Url::parse(address)
        .map_err(|_| format!("`{address}` is not an address: expected {{{{< embed https://... >}}}}"))?;
    if url.scheme() != "https" && url.scheme() != "http" {
        return Err(format!("`{address}` is not a web address: expected {{{{< embed https://... >}}}}"));
    }
    let host = url.host_str().unwrap_or("").trim_start_matches("www.").trim_start_matches("m.").to_ascii_lowercase();
    let segments =
        url.path_segments().map(|s| s.filter(|s| !s.is_empty()).map(str::to_string).collect()).unwrap_or_default();
    let a = Address { written: address, url, host, segments };
    match a.host.as_str() {
        "youtube.com" | "youtu.be" | "youtube-nocookie.com" | "music.youtube.com" => youtube(&a),
        "vimeo.com" | "player.vimeo.com" => match a.segments().iter().rev().find(|s| digits(s)) {
            Some(id) => {
                let frame = format!("https://player.vimeo.com/video/{id}?autoplay=1&dnt=1");
                Ok(a.embed("Vimeo", frame, Shape::Wide, Kind::Video, PLAYER))
            }
            None => a.bad("Vimeo", "https://vimeo.com/76979871"),
        },
        "twitter.com" | "x.com" | "mobile.twitter.com" | "mobile.x.com" => match a.segments()[..] {
            [_, "status", id, ..] if digits(id) => {
                let frame = format!("https://platform.twitter.com/embed/Tweet.html?id={id}&dnt=true");
                Ok(a.embed("X", frame, Shape::Post, Kind::Post, POST))
            }
            _ => a.bad("X", "https://x.com/user/status/1234567890"),
        },
        "instagram.com" => match a.segments()[..] {
            ["p" | "reel" | "tv", code, ..] if id_like(code) => {
                let frame = format!("https://www.instagram.com/p/{code}/embed/");
                Ok(a.embed("Instagram", frame, Shape::Post, Kind::Post, POST))
            }
            _ => a.bad("Instagram", "https://www.instagram.com/p/C1a2b3c4d5e/"),
        },
        "tiktok.com" => match a.segments()[..] {
            [_, "video", id, ..] if digits(id) => {
                let frame = format!("https://www.tiktok.com/embed/v2/{id}");
                Ok(a.embed("TikTok", frame, Shape::Tall, Kind::Video, PLAYER))
            }
            _ => a.bad("TikTok", "https://www.tiktok.com/@user/video/7234567890123456789"),
        },
        "bsky.app" => match a.segments()[..] {
            ["profile", actor, "post", rkey] if id_like(rkey) => {
                let frame = format!("https://embed.bsky.app/embed/{actor}/app.bsky.feed.post/{rkey}");
                Ok(a.embed("Bluesky", frame, Shape::Post, Kind::Post, POST))
            }
            _ => a.bad("Bluesky", "https://bsky.app/profile/user.bsky.social/post/3kabc123"),
        },
        "openstreetmap.org" => openstreetmap(&a),
        "documentcloud.org" | "embed.documentcloud.org" => match a.segments()[..] {
            ["documents", doc, ..] if doc.split('-').next().is_some_and(digits) => {
                let frame = format!("https://embed.documentcloud.org/documents/{doc}/?embed=1&responsive=1");
                Ok(a.embed("DocumentCloud", frame, Shape::Document, Kind::Document, POST))
            }
            _ => a.bad("DocumentCloud", "https://www.documentcloud.org/documents/2082346-example"),
        },
        h if h == "google.com" && a.segments().first() == Some(&"maps") || h == "maps.google.com" => google_maps(&a),
        _ => elsewhere(&a),
    }
}

fn youtube(a: &Address) -> Result<Embed, String> {
    let (id, short) = match (a.host.as_str(), &a.segments()[..]) {
        ("youtu.be", [id, ..]) => (Some(id.to_string()), false),
        (_, ["watch"]) => (a.query("v"), false),
        (_, ["shorts", id, ..]) => (Some(id.to_string()), true),
        (_, ["embed" | "live" | "v", id, ..]) => (Some(id.to_string()), false),
        _ => (None, false),
    };
    let Some(id) = id.filter(|id| id_like(id)) else {
        return a.bad("YouTube", "https://www.youtube.com/watch?v=dQw4w9WgXcQ");
    };
    let start = a.query("t").or_else(|| a.query("start")).map(|t| t.trim_end_matches('s').to_string());
    let start = start.filter(|t| digits(t)).map(|t| format!("&start={t}")).unwrap_or_default();
    let frame = format!("https://www.youtube-nocookie.com/embed/{id}?autoplay=1{start}");
    let shape = if short { Shape::Tall } else { Shape::Wide };
    Ok(a.embed("YouTube", frame, shape, Kind::Video, PLAYER))
}

fn openstreetmap(a: &Address) -> Result<Embed, String> {
    let position = a.url.fragment().and_then(|f| f.split('&').find_map(|p| p.strip_prefix("map=")));
    let parts: Vec<f64> = position.map(|p| p.split('/').filter_map(|n| n.parse().ok()).collect()).unwrap_or_default();
    let frame = if a.segments().first() == Some(&"export") {
        Some(a.written.to_string())
    } else if let [zoom, lat, lon] = parts.as_slice() {
        // The area a 600-pixel-wide map shows at that zoom.
        let span = 360.0 / 2f64.powf(*zoom) * 2.4;
        let (w, e, s, n) = (lon - span / 2.0, lon + span / 2.0, lat - span / 3.0, lat + span / 3.0);
        Some(format!(
            "https://www.openstreetmap.org/export/embed.html?bbox={w:.5}%2C{s:.5}%2C{e:.5}%2C{n:.5}&layer=mapnik&marker={lat:.5}%2C{lon:.5}"
        ))
    } else {
        None
    };
    match frame {
        Some(frame) => Ok(a.embed("OpenStreetMap", frame, Shape::Map, Kind::Map, POST)),
        None => a.bad("OpenStreetMap", "https://www.openstreetmap.org/#map=15/59.9139/10.7522"),
    }
}

fn google_maps(a: &Address) -> Result<Embed, String> {
    let frame = if a.segments().get(1) == Some(&"embed") {
        Some(a.written.to_string())
    } else {
        let place = match &a.segments()[..] {
            ["maps", "place", name, ..] => Some(name.replace('+', " ")),
            _ => a.query("q").or_else(|| a.query("query")),
        };
        place.map(|q| {
            let q: String = url::form_urlencoded::byte_serialize(q.as_bytes()).collect();
            format!("https://maps.google.com/maps?q={q}&output=embed")
        })
    };
    match frame {
        Some(frame) => Ok(a.embed("Google Maps", frame, Shape::Map, Kind::Map, POST)),
        None => a.bad("Google Maps", "https://www.google.com/maps/place/Eiffel+Tower or a /maps/embed?... address"),
    }
}

/// Mastodon (any server: `/@user/123` or `/users/user/statuses/123`), or
/// any other https page, framed as it is in a strict sandbox.
fn elsewhere(a: &Address) -> Result<Embed, String> {
    let mastodon = match &a.segments()[..] {
        [user, id] if user.starts_with('@') && digits(id) => Some((user.to_string(), id.to_string())),
        ["users", user, "statuses", id] if digits(id) => Some((format!("@{user}"), id.to_string())),
        _ => None,
    };
    let origin = a.url.origin().ascii_serialization();
    if let Some((user, id)) = mastodon {
        let frame = format!("{origin}/{user}/{id}/embed");
        return Ok(a.embed("Mastodon", frame, Shape::Post, Kind::Post, POST));
    }
    if a.url.scheme() != "https" {
        return Err(format!("`{}` is not secure: an embedded page must be an https:// address", a.written));
    }
    let host = a.url.host_str().unwrap_or("the web").to_string();
    Ok(a.embed(&host, a.written.to_string(), Shape::Wide, Kind::Page, STRANGER))
}

impl Embed {
    /// Its title: the one written, else the words for its kind.
    pub fn title(&self, words: &Words) -> String {
        self.title.clone().unwrap_or_else(|| words.titles[self.kind.index()].replacen("{}", &self.provider, 1))
    }

    /// The placeholder, in `words`' language: complete without JavaScript
    /// (a link to the provider), sized as the frame will be.
    pub fn html(&self, words: &Words) -> String {
        let e = |s: &str| escape_html(s);
        let open = words.open[self.kind.index()].replacen("{}", &self.provider, 1);
        let privacy = words.privacy.replacen("{}", &self.provider, 1);
        format!(
            "<figure class=\"embed embed-{shape}\" data-embed-src=\"{frame}\" data-embed-title=\"{title}\" data-embed-provider=\"{provider}\" data-embed-sandbox=\"{sandbox}\" data-embed-allow=\"{allow}\">\
<div class=\"embed-box\"><p class=\"embed-provider\">{provider}</p><p class=\"embed-title\">{title}</p>\
<p class=\"embed-actions\"><a class=\"embed-open\" href=\"{page}\" rel=\"noopener\">{open}</a></p>\
<p class=\"embed-privacy\">{privacy}</p></div></figure>\n",
            shape = self.shape.class(),
            frame = e(&self.frame),
            title = e(&self.title(words)),
            provider = e(&self.provider),
            sandbox = self.sandbox,
            allow = self.allow,
            page = e(&self.page),
            open = e(&open),
            privacy = e(&privacy),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn embed(line: &str) -> Embed {
        parse(line).unwrap().unwrap()
    }

    #[test]
    fn every_provider_gets_its_frame_and_shape() {
        let cases = [
            (
                "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42s",
                "YouTube",
                "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1&start=42",
                Shape::Wide,
            ),
            (
                "https://youtu.be/dQw4w9WgXcQ",
                "YouTube",
                "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1",
                Shape::Wide,
            ),
            (
                "https://www.youtube.com/shorts/abcDEF12345",
                "YouTube",
                "https://www.youtube-nocookie.com/embed/abcDEF12345?autoplay=1",
                Shape::Tall,
            ),
            (
                "https://vimeo.com/76979871",
                "Vimeo",
                "https://player.vimeo.com/video/76979871?autoplay=1&dnt=1",
                Shape::Wide,
            ),
            (
                "https://twitter.com/user/status/20",
                "X",
                "https://platform.twitter.com/embed/Tweet.html?id=20&dnt=true",
                Shape::Post,
            ),
            (
                "https://x.com/user/status/20",
                "X",
                "https://platform.twitter.com/embed/Tweet.html?id=20&dnt=true",
                Shape::Post,
            ),
            (
                "https://www.instagram.com/p/C1a2b3c/",
                "Instagram",
                "https://www.instagram.com/p/C1a2b3c/embed/",
                Shape::Post,
            ),
            (
                "https://www.tiktok.com/@user/video/7234567890",
                "TikTok",
                "https://www.tiktok.com/embed/v2/7234567890",
                Shape::Tall,
            ),
            (
                "https://bsky.app/profile/jay.bsky.team/post/3kabc",
                "Bluesky",
                "https://embed.bsky.app/embed/jay.bsky.team/app.bsky.feed.post/3kabc",
                Shape::Post,
            ),
            ("https://mastodon.social/@Gargron/1", "Mastodon", "https://mastodon.social/@Gargron/1/embed", Shape::Post),
            (
                "https://www.google.com/maps/place/Eiffel+Tower/@48.85,2.29,17z",
                "Google Maps",
                "https://maps.google.com/maps?q=Eiffel+Tower&output=embed",
                Shape::Map,
            ),
            (
                "https://www.documentcloud.org/documents/2082346-example",
                "DocumentCloud",
                "https://embed.documentcloud.org/documents/2082346-example/?embed=1&responsive=1",
                Shape::Document,
            ),
            ("https://data.example.org/results", "data.example.org", "https://data.example.org/results", Shape::Wide),
        ];
        for (address, provider, frame, shape) in cases {
            let e = embed(&format!("{{{{< embed {address} >}}}}"));
            assert_eq!((e.provider.as_str(), e.frame.as_str(), e.shape), (provider, frame, shape), "{address}");
            assert_eq!(e.page, address);
        }
        let osm = embed("{{< embed https://www.openstreetmap.org/#map=15/59.91390/10.75220 >}}");
        assert!(osm.frame.starts_with("https://www.openstreetmap.org/export/embed.html?bbox="), "{}", osm.frame);
        assert!(osm.frame.ends_with("&marker=59.91390%2C10.75220"), "{}", osm.frame);
    }

    #[test]
    fn a_title_is_taken_and_mistakes_are_explained() {
        let e = embed("{{< embed https://data.example.org/map title=\"Results by ward\" >}}");
        assert_eq!(e.title(&Words::ENGLISH), "Results by ward");
        let video = embed("{{< embed https://youtu.be/dQw4w9WgXcQ >}}");
        assert_eq!(video.title(&Words::ENGLISH), "A video on YouTube");
        assert!(parse("Not an embed").is_none());
        assert!(parse("{{< embedded x >}}").is_none());
        let wrong = |line: &str| parse(line).unwrap().unwrap_err();
        assert!(wrong("{{< embed >}}").contains("needs an address"));
        assert!(wrong("{{< embed https://www.youtube.com/channel/x >}}").contains("https://www.youtube.com/watch?v="));
        assert!(wrong("{{< embed http://plain.example/ >}}").contains("https://"));
        assert!(wrong("{{< embed https://a.example/ height=3 >}}").contains("title=\"...\""));
    }

    #[test]
    fn the_placeholder_escapes_what_it_is_given() {
        let e = embed("{{< embed https://data.example.org/?a=1&b=2 title=\"<b>Votes</b>\" >}}");
        let html = e.html(&Words::ENGLISH);
        assert!(html.contains("<p class=\"embed-title\">&lt;b&gt;Votes&lt;/b&gt;</p>"), "{html}");
        assert!(html.contains(">Open it on data.example.org</a>"), "{html}");
        assert!(html.contains("data-embed-src=\"https://data.example.org/?a=1&amp;b=2\""), "{html}");
    }
}
