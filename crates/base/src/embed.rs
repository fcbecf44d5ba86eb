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

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Embed {
    /// "YouTube", or the host for a page framed as it is.
    pub provider: String,
    /// Where a reader sees it at the provider (the address written).
    pub page: String,
    /// The frame's address.
    pub frame: String,
    pub title: String,
    pub shape: Shape,
    /// The frame's `sandbox` permissions.
    sandbox: &'static str,
    /// The frame's `allow` permissions.
    allow: &'static str,
    /// "Watch on", "See on", ...
    verb: &'static str,
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
        if let Some(title) = title.filter(|t| !t.trim().is_empty()) {
            e.title = title;
        }
        e
    }))
}

/// The embed of an address (what the importers turn old embeds into), if
/// a known provider serves it.
pub fn known_provider(address: &str) -> bool {
    of_address(address).is_ok_and(|e| e.sandbox != STRANGER)
}

fn of_address(address: &str) -> Result<Embed, String> {
    let url = Url::parse(address)
        .map_err(|_| format!("`{address}` is not an address: expected {{{{< embed https://... >}}}}"))?;
    if url.scheme() != "https" && url.scheme() != "http" {
        return Err(format!("`{address}` is not a web address: expected {{{{< embed https://... >}}}}"));
    }
    let host = url.host_str().unwrap_or("").trim_start_matches("www.").trim_start_matches("m.").to_ascii_lowercase();
    let segments: Vec<&str> = url.path_segments().map(|s| s.filter(|s| !s.is_empty()).collect()).unwrap_or_default();
    let query = |key: &str| url.query_pairs().find(|(k, _)| k == key).map(|(_, v)| v.into_owned());
    let made = |provider: &str, frame: String, shape: Shape, sandbox, allow, verb, what: &str| Embed {
        provider: provider.to_string(),
        page: address.to_string(),
        frame,
        title: format!("{what} on {provider}"),
        shape,
        sandbox,
        allow,
        verb,
    };
    let id_like = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let bad = |provider: &str, example: &str| {
        Err(format!("`{address}` is not a {provider} address Broadsheet can embed: expected one like {example}"))
    };

    match host.as_str() {
        "youtube.com" | "youtu.be" | "youtube-nocookie.com" | "music.youtube.com" => {
            let (id, short) = match (host.as_str(), segments.as_slice()) {
                ("youtu.be", [id, ..]) => (Some(id.to_string()), false),
                (_, ["watch"]) => (query("v"), false),
                (_, ["shorts", id, ..]) => (Some(id.to_string()), true),
                (_, ["embed" | "live" | "v", id, ..]) => (Some(id.to_string()), false),
                _ => (None, false),
            };
            let Some(id) = id.filter(|id| id_like(id)) else {
                return bad("YouTube", "https://www.youtube.com/watch?v=dQw4w9WgXcQ");
            };
            let start = query("t").or_else(|| query("start")).map(|t| t.trim_end_matches('s').to_string());
            let start = start.filter(|t| digits(t)).map(|t| format!("&start={t}")).unwrap_or_default();
            let frame = format!("https://www.youtube-nocookie.com/embed/{id}?autoplay=1{start}");
            let shape = if short { Shape::Tall } else { Shape::Wide };
            Ok(made("YouTube", frame, shape, PLAYER, VIDEO_ALLOW, "Watch on", "A video"))
        }
        "vimeo.com" | "player.vimeo.com" => match segments.iter().rev().find(|s| digits(s)) {
            Some(id) => {
                let frame = format!("https://player.vimeo.com/video/{id}?autoplay=1&dnt=1");
                Ok(made("Vimeo", frame, Shape::Wide, PLAYER, VIDEO_ALLOW, "Watch on", "A video"))
            }
            None => bad("Vimeo", "https://vimeo.com/76979871"),
        },
        "twitter.com" | "x.com" | "mobile.twitter.com" | "mobile.x.com" => match segments.as_slice() {
            [_, "status", id, ..] if digits(id) => {
                let frame = format!("https://platform.twitter.com/embed/Tweet.html?id={id}&dnt=true");
                Ok(made("X", frame, Shape::Post, POST, "", "See the post on", "A post"))
            }
            _ => bad("X", "https://x.com/user/status/1234567890"),
        },
        "instagram.com" => match segments.as_slice() {
            ["p" | "reel" | "tv", code, ..] if id_like(code) => {
                let frame = format!("https://www.instagram.com/p/{code}/embed/");
                Ok(made("Instagram", frame, Shape::Post, POST, "", "See the post on", "A post"))
            }
            _ => bad("Instagram", "https://www.instagram.com/p/C1a2b3c4d5e/"),
        },
        "tiktok.com" => match segments.as_slice() {
            [_, "video", id, ..] if digits(id) => {
                let frame = format!("https://www.tiktok.com/embed/v2/{id}");
                Ok(made("TikTok", frame, Shape::Tall, PLAYER, VIDEO_ALLOW, "Watch on", "A video"))
            }
            _ => bad("TikTok", "https://www.tiktok.com/@user/video/7234567890123456789"),
        },
        "bsky.app" => match segments.as_slice() {
            ["profile", actor, "post", rkey] if id_like(rkey) => {
                let actor = actor.to_string();
                let frame = format!("https://embed.bsky.app/embed/{actor}/app.bsky.feed.post/{rkey}");
                Ok(made("Bluesky", frame, Shape::Post, POST, "", "See the post on", "A post"))
            }
            _ => bad("Bluesky", "https://bsky.app/profile/user.bsky.social/post/3kabc123"),
        },
        "openstreetmap.org" => {
            let position = url.fragment().and_then(|f| f.split('&').find_map(|p| p.strip_prefix("map=")));
            let parts: Vec<f64> =
                position.map(|p| p.split('/').filter_map(|n| n.parse().ok()).collect()).unwrap_or_default();
            let frame = if segments.first() == Some(&"export") {
                Some(address.to_string())
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
                Some(frame) => Ok(made("OpenStreetMap", frame, Shape::Map, POST, "", "See the map on", "A map")),
                None => bad("OpenStreetMap", "https://www.openstreetmap.org/#map=15/59.9139/10.7522"),
            }
        }
        "documentcloud.org" | "embed.documentcloud.org" => match segments.as_slice() {
            ["documents", doc, ..] if doc.split('-').next().is_some_and(digits) => {
                let frame = format!("https://embed.documentcloud.org/documents/{doc}/?embed=1&responsive=1");
                Ok(made("DocumentCloud", frame, Shape::Document, POST, "", "Read it on", "A document"))
            }
            _ => bad("DocumentCloud", "https://www.documentcloud.org/documents/2082346-example"),
        },
        h if h == "google.com" && segments.first() == Some(&"maps") || h == "maps.google.com" => {
            let frame = if segments.get(1) == Some(&"embed") {
                Some(address.to_string())
            } else {
                let place = match segments.as_slice() {
                    ["maps", "place", name, ..] => Some(name.replace('+', " ")),
                    _ => query("q").or_else(|| query("query")),
                };
                place.map(|q| {
                    let q: String = url::form_urlencoded::byte_serialize(q.as_bytes()).collect();
                    format!("https://maps.google.com/maps?q={q}&output=embed")
                })
            };
            match frame {
                Some(frame) => Ok(made("Google Maps", frame, Shape::Map, POST, "", "See the map on", "A map")),
                None => {
                    bad("Google Maps", "https://www.google.com/maps/place/Eiffel+Tower or a /maps/embed?... address")
                }
            }
        }
        _ => {
            // Mastodon (any server): /@user/123 or /users/user/statuses/123.
            let mastodon = match segments.as_slice() {
                [user, id] if user.starts_with('@') && digits(id) => Some((user.to_string(), id.to_string())),
                ["users", user, "statuses", id] if digits(id) => Some((format!("@{user}"), id.to_string())),
                _ => None,
            };
            let origin = url.origin().ascii_serialization();
            if let Some((user, id)) = mastodon {
                let frame = format!("{origin}/{user}/{id}/embed");
                return Ok(made("Mastodon", frame, Shape::Post, POST, "", "See the post on", "A post"));
            }
            if url.scheme() != "https" {
                return Err(format!("`{address}` is not secure: an embedded page must be an https:// address"));
            }
            let host = url.host_str().unwrap_or("the web").to_string();
            let mut e = made(&host, address.to_string(), Shape::Wide, STRANGER, "", "Open it on", "A page");
            e.title = format!("A page from {host}");
            Ok(e)
        }
    }
}

impl Embed {
    /// The placeholder: complete without JavaScript (a link to the
    /// provider), sized as the frame will be.
    pub fn html(&self) -> String {
        let e = |s: &str| escape_html(s);
        format!(
            "<figure class=\"embed embed-{shape}\" data-embed-src=\"{frame}\" data-embed-title=\"{title}\" data-embed-provider=\"{provider}\" data-embed-sandbox=\"{sandbox}\" data-embed-allow=\"{allow}\">\
<div class=\"embed-box\"><p class=\"embed-provider\">{provider}</p><p class=\"embed-title\">{title}</p>\
<p class=\"embed-actions\"><a class=\"embed-open\" href=\"{page}\" rel=\"noopener\">{verb} {provider}</a></p>\
<p class=\"embed-privacy\">Shown here, it would load from {provider}, which then sees your visit.</p></div></figure>\n",
            shape = self.shape.class(),
            frame = e(&self.frame),
            title = e(&self.title),
            provider = e(&self.provider),
            sandbox = self.sandbox,
            allow = self.allow,
            page = e(&self.page),
            verb = self.verb,
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
        assert_eq!(e.title, "Results by ward");
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
        let html = e.html();
        assert!(html.contains("<p class=\"embed-title\">&lt;b&gt;Votes&lt;/b&gt;</p>"), "{html}");
        assert!(html.contains("data-embed-src=\"https://data.example.org/?a=1&amp;b=2\""), "{html}");
    }
}
