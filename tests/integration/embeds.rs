//! Embeds without trackers: `{{< embed URL >}}` on a paragraph of its own
//! becomes a placeholder linking to the provider, sized as the frame will
//! be; the page asks nothing of the provider until the reader clicks.

use crate::harness::{MINIMAL_CONFIG, SiteTest};

/// Every provider, by the address a writer pastes, and the frame it gets.
pub const PROVIDERS: [(&str, &str, &str); 11] = [
    (
        "YouTube",
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1",
    ),
    ("Vimeo", "https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871?autoplay=1&dnt=1"),
    (
        "X",
        "https://x.com/harbourcouncil/status/1790000000000000000",
        "https://platform.twitter.com/embed/Tweet.html?id=1790000000000000000&dnt=true",
    ),
    ("Instagram", "https://www.instagram.com/p/C7xYz12AbCd/", "https://www.instagram.com/p/C7xYz12AbCd/embed/"),
    (
        "TikTok",
        "https://www.tiktok.com/@harbourtimes/video/7361234567890123456",
        "https://www.tiktok.com/embed/v2/7361234567890123456",
    ),
    (
        "Bluesky",
        "https://bsky.app/profile/harbour.bsky.social/post/3kt4abcdxyz2a",
        "https://embed.bsky.app/embed/harbour.bsky.social/app.bsky.feed.post/3kt4abcdxyz2a",
    ),
    (
        "Mastodon",
        "https://mastodon.social/@harbour/112233445566778899",
        "https://mastodon.social/@harbour/112233445566778899/embed",
    ),
    (
        "Google Maps",
        "https://www.google.com/maps/place/Port+Halden+Ferry+Terminal",
        "https://maps.google.com/maps?q=Port+Halden+Ferry+Terminal&output=embed",
    ),
    (
        "OpenStreetMap",
        "https://www.openstreetmap.org/export/embed.html?bbox=10.70%2C59.90%2C10.80%2C59.93&layer=mapnik",
        "https://www.openstreetmap.org/export/embed.html?bbox=10.70%2C59.90%2C10.80%2C59.93&layer=mapnik",
    ),
    (
        "DocumentCloud",
        "https://www.documentcloud.org/documents/24512345-harbour-dredging-contract",
        "https://embed.documentcloud.org/documents/24512345-harbour-dredging-contract/?embed=1&responsive=1",
    ),
    ("results.example.org", "https://results.example.org/wards/", "https://results.example.org/wards/"),
];

/// A site with one story embedding every provider, and one without.
pub fn embeds_site(config: &str) -> SiteTest {
    let mut body = String::from("The council met on Tuesday.\n\n");
    for (_, address, _) in PROVIDERS {
        body.push_str(&format!("{{{{< embed {address} >}}}}\n\n"));
    }
    body.push_str("{{< embed https://results.example.org/map title=\"Results by ward\" >}}\n\n");
    body.push_str("Written in a sentence, {{< embed https://vimeo.com/1 >}} stays text.\n\n");
    body.push_str("```\n{{< embed https://vimeo.com/2 >}}\n```\n");
    SiteTest::new()
        .file("site.toml", format!("{MINIMAL_CONFIG}{config}"))
        .file("content/news/embeds.md", format!("+++\ntitle = \"Every embed\"\ndate = 2026-03-01T10:00:00Z\n+++\n\n{body}"))
        .file(
            "content/news/plain.md",
            "+++\ntitle = \"No embeds\"\ndate = 2026-03-02T10:00:00Z\n+++\n\nJust text.\n\n{{< embed https://www.youtube.com/channel/UC123 >}}\n",
        )
}

#[test]
fn every_provider_becomes_a_placeholder_with_a_link_and_no_frame() {
    for config in ["", "unsafe_html = true\n"] {
        let built = embeds_site(config).build();
        let page = built.page("news/embeds/");
        let figures = page.count(".story-body figure.embed");
        assert_eq!(figures, PROVIDERS.len() + 1, "{config}");
        let frames = page.attrs("figure.embed", "data-embed-src");
        let links = page.attrs("figure.embed a.embed-open", "href");
        let providers = page.texts("figure.embed .embed-provider");
        for (i, (provider, address, frame)) in PROVIDERS.iter().enumerate() {
            assert_eq!((providers[i].as_str(), links[i].as_str(), frames[i].as_str()), (*provider, *address, *frame));
        }
        assert_eq!(page.texts("figure.embed .embed-title").last().unwrap(), "Results by ward");
        assert_eq!(page.count("iframe"), 0, "no frame before a click");
        assert_eq!(page.count(".embed-slot"), 0, "every slot filled");
        let scripts = page.attrs("script[src]", "src");
        assert!(scripts.iter().all(|s| s.starts_with('/')), "only the site's own scripts: {scripts:?}");
        assert!(scripts.contains(&"/js/embeds.js".to_string()), "{scripts:?}");
        // Each box has its shape, so the frame takes the box's place.
        let classes = page.attrs("figure.embed", "class");
        assert_eq!(classes[0], "embed embed-wide");
        assert_eq!(classes[3], "embed embed-post");
        assert_eq!(classes[4], "embed embed-tall");
        assert_eq!(classes[7], "embed embed-map");
        assert_eq!(classes[9], "embed embed-document");
        let sandboxes = page.attrs("figure.embed", "data-embed-sandbox");
        assert!(sandboxes.iter().all(|s| s.contains("allow-scripts")), "{sandboxes:?}");
        assert_eq!(sandboxes[10], "allow-scripts allow-popups", "a page of any site runs on an opaque origin");
        // Not embeds: a mention in a sentence, and code.
        let text = page.text(".story-body");
        assert!(text.contains("Written in a sentence, {{< embed https://vimeo.com/1 >}} stays text."), "{text}");
        assert_eq!(page.text(".story-body pre"), "{{< embed https://vimeo.com/2 >}}");
        // The first paragraph (the feed's summary, the meta description) is text, not an embed.
        assert_eq!(page.attr("meta[name=description]", "content"), "The council met on Tuesday.");

        let plain = built.page("news/plain/");
        assert!(!plain.attrs("script[src]", "src").iter().any(|s| s.ends_with("embeds.js")), "no embeds, no script");
    }
}

#[test]
fn an_embed_written_wrong_is_named_with_its_line_and_kept_as_text() {
    let built = embeds_site("").build();
    let warnings: Vec<String> = built.report().warnings.iter().map(ToString::to_string).collect();
    let wrong: Vec<&String> = warnings.iter().filter(|w| w.contains("embed")).collect();
    assert_eq!(wrong.len(), 2, "{warnings:#?}");
    // In the order of the files: the one inside a sentence, then the bad address.
    assert!(
        wrong[0].contains("content/news/embeds.md:") && wrong[0].contains("a paragraph of its own"),
        "{}",
        wrong[0]
    );
    assert!(wrong[1].contains("content/news/plain.md:8:1"), "{}", wrong[1]);
    assert!(wrong[1].contains("https://www.youtube.com/watch?v="), "says what is expected: {}", wrong[1]);
    let plain = built.page("news/plain/");
    assert!(plain.text(".story-body").contains("{{< embed https://www.youtube.com/channel/UC123 >}}"));
}

#[test]
fn feeds_carry_the_embeds_as_links() {
    let built = embeds_site("").build();
    let feed = std::fs::read_to_string(built.output.join("feed.xml")).unwrap();
    assert!(feed.contains("https://www.youtube.com/watch?v=dQw4w9WgXcQ"), "the link to the provider");
    assert!(!feed.contains("<iframe") && !feed.contains("&lt;iframe"), "no frame in a feed");
}

#[test]
fn an_embed_speaks_the_pages_language() {
    let story = "+++\ntitle = \"Le débat\"\ndate = 2026-11-20T09:00:00Z\n+++\n\nLe débat en vidéo :\n\n{{< embed https://www.youtube.com/watch?v=dQw4w9WgXcQ >}}\n";
    let built = SiteTest::new()
        .file("site.toml", format!("{MINIMAL_CONFIG}language = \"fr\"\n"))
        .file("content/news/debat.md", story)
        .build();
    let page = built.page("news/debat/");
    assert_eq!(page.text(".embed-title"), "Une vidéo sur YouTube");
    assert_eq!(page.text(".embed-open"), "Regarder sur YouTube");
    assert_eq!(
        page.text(".embed-privacy"),
        "Affiché ici, ce contenu se chargerait depuis YouTube, qui verrait alors votre visite."
    );
    assert_eq!(page.attr("figure.embed", "data-embed-title"), "Une vidéo sur YouTube");
}
