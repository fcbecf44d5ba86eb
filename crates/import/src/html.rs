//! HTML from another system (a WordPress post, a Jekyll `.html` post) to
//! Markdown: `htmd` converts what Markdown can say; figures with captions
//! and tables are kept as clean HTML (the build sanitizes it); embeds of
//! known video and social sites become links. Small tag scanners find the
//! parts kept as HTML: the input is HTML as editors write it, so each
//! scanner gives up (keeps the text) rather than guessing.

use std::collections::BTreeMap;

/// What converting a body found, for the summary and the report.
#[derive(Debug, Default)]
pub struct Findings {
    /// Embeds turned into links, by site.
    pub embeds: usize,
    /// Iframes (maps, forms, players) that were dropped: their addresses.
    pub dropped_iframes: Vec<String>,
    /// Every image address in the body.
    pub images: Vec<String>,
}

/// What the import summary counts old embeds as.
pub const EMBEDS_COUNTED: &str = "embeds (video, social posts, maps; a link where Broadsheet has no embed)";

/// Sites whose bare URL on its own line WordPress (and others) embed.
const EMBED_HOSTS: &[(&str, &str)] = &[
    ("youtube.com", "YouTube"),
    ("youtu.be", "YouTube"),
    ("vimeo.com", "Vimeo"),
    ("twitter.com", "X (Twitter)"),
    ("x.com", "X (Twitter)"),
    ("instagram.com", "Instagram"),
    ("facebook.com", "Facebook"),
    ("soundcloud.com", "SoundCloud"),
    ("open.spotify.com", "Spotify"),
    ("tiktok.com", "TikTok"),
    ("flickr.com", "Flickr"),
    ("dailymotion.com", "Dailymotion"),
    ("gist.github.com", "GitHub"),
    ("slideshare.net", "SlideShare"),
    ("scribd.com", "Scribd"),
    ("reddit.com", "Reddit"),
    ("tumblr.com", "Tumblr"),
    ("google.com/maps", "Google Maps"),
];

/// The site a URL embeds, if it is one WordPress would embed.
pub fn embed_site(url: &str) -> Option<&'static str> {
    let parsed = url::Url::parse(url.trim()).ok()?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return None;
    }
    let host = parsed.host_str()?.trim_start_matches("www.").trim_start_matches("m.");
    let with_path = format!("{host}{}", parsed.path());
    EMBED_HOSTS
        .iter()
        .find(|(h, _)| host == *h || host.ends_with(&format!(".{h}")) || with_path.starts_with(h))
        .map(|(_, name)| *name)
}

/// What an old embed becomes in Markdown: Broadsheet's own
/// `{{< embed URL >}}` for a provider it embeds, or a link to it.
pub fn embed_block(url: &str, site: &str) -> String {
    match embeddable(url) {
        Some(url) => format!("{{{{< embed {url} >}}}}"),
        None => embed_link(url, site),
    }
}

/// An old embed's address as Broadsheet embeds it (entities decoded:
/// WordPress keeps `&amp;` in shortcode addresses), if a provider it knows
/// serves it.
pub fn embeddable(url: &str) -> Option<String> {
    let url = decode_entities(url.trim());
    broadsheet_base::embed::known_provider(&url).then_some(url)
}

/// The arguments a theme's own video or embed shortcode gives its address in.
pub const ADDRESS_ARGUMENTS: [&str; 4] = ["url", "src", "href", "link"];

/// An old embed in HTML about to become Markdown: Broadsheet's embed kept
/// aside (the converter would escape it), or a link.
fn embed_html(kept: &mut BTreeMap<String, String>, url: &str, site: &str) -> String {
    match embeddable(url) {
        Some(_) => placeholder(kept, embed_block(url, site)),
        None => embed_link(url, site),
    }
}

/// Old embeds written as raw HTML in a Markdown body (Jekyll, Hugo and
/// Zola posts): an `<iframe>` of a provider Broadsheet embeds, alone on its
/// lines, or an X post's `<blockquote class="twitter-tweet">`, becomes
/// `{{< embed URL >}}`, and the providers' widget scripts go (they would
/// load on every page view). Code blocks are left as they are. Gives the
/// body and how many embeds it made.
pub fn embeds_in_markdown(body: &str) -> (String, usize) {
    const WIDGETS: [&str; 4] = [
        "platform.twitter.com/widgets.js",
        "instagram.com/embed.js",
        "tiktok.com/embed.js",
        "embed.bsky.app/static/embed.js",
    ];
    let lines: Vec<&str> = body.split_inclusive('\n').collect();
    let mut out = String::with_capacity(body.len());
    let mut made = 0;
    let mut fence: Option<&str> = None;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let trimmed = line.trim();
        if let Some(open) = fence {
            if trimmed.starts_with(open) {
                fence = None;
            }
            out.push_str(line);
            i += 1;
            continue;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fence = Some(&trimmed[..3]);
            out.push_str(line);
            i += 1;
            continue;
        }
        if trimmed.starts_with("<script")
            && WIDGETS.iter().any(|w| trimmed.contains(w))
            && trimmed.ends_with("</script>")
        {
            i += 1;
            continue;
        }
        let (open, close) = if trimmed.starts_with("<iframe") {
            ("<iframe", "</iframe>")
        } else if trimmed.starts_with("<blockquote") && trimmed.contains("twitter-tweet") {
            ("<blockquote", "</blockquote>")
        } else {
            out.push_str(line);
            i += 1;
            continue;
        };
        // The element, over at most 40 lines, alone on them.
        let end = (i..lines.len().min(i + 40)).find(|&j| lines[j].contains(close));
        let address = end.and_then(|end| {
            let block: String = lines[i..=end].concat();
            let after = block.rfind(close).map(|at| block[at + close.len()..].trim())?;
            // Alone, or with the provider's script after it (X's embed code).
            let widget = after.starts_with("<script")
                && after.ends_with("</script>")
                && WIDGETS.iter().any(|w| after.contains(w));
            if !after.is_empty() && !widget {
                return None;
            }
            let address = if open == "<iframe" {
                start_tag(&block).and_then(|t| attr(t, "src"))?
            } else {
                // The post's own address is the blockquote's last status link.
                let mut found = None;
                let mut from = 0;
                while let Some(at) = block[from..].find("href=\"") {
                    let start = from + at + 6;
                    let Some(len) = block[start..].find('"') else { break };
                    let href = &block[start..start + len];
                    if href.contains("/status/") {
                        found = Some(href.split('?').next().unwrap_or(href).to_string());
                    }
                    from = start + len;
                }
                found?
            };
            let address = if address.starts_with("//") { format!("https:{address}") } else { address };
            embeddable(&address)
        });
        match (address, end) {
            (Some(address), Some(end)) => {
                out.push_str(&format!("\n{}\n\n", embed_block(&address, "")));
                made += 1;
                i = end + 1;
            }
            _ => {
                out.push_str(line);
                i += 1;
            }
        }
    }
    (out, made)
}

/// The link an embed becomes where Broadsheet cannot embed it.
pub fn embed_link(url: &str, site: &str) -> String {
    let url = url.trim();
    let verb = match site {
        "YouTube" | "Vimeo" | "Dailymotion" | "TikTok" => "Watch on",
        "SoundCloud" | "Spotify" => "Listen on",
        _ => "See on",
    };
    format!("<p><a href=\"{}\">{verb} {site}</a></p>", escape(url))
}

/// Text made safe inside an HTML attribute or element.
pub fn escape(s: &str) -> String {
    broadsheet_base::html::escape(s)
}

/// `<img src alt>`, then `more` attributes (` width="800"`).
pub fn img(src: &str, alt: &str, more: &str) -> String {
    format!("<img src=\"{}\" alt=\"{}\"{more}>", escape(src), escape(alt))
}

/// A figure: `inner` (an image, maybe linked) with its caption as text.
pub fn figure(inner: &str, caption: Option<&str>) -> String {
    match caption {
        Some(c) => format!("<figure>{inner}<figcaption>{}</figcaption></figure>", escape(c)),
        None => format!("<figure>{inner}</figure>"),
    }
}

/// A figure whose caption is Markdown: Hugo's `figure` runs it through
/// `markdownify`, so its links and emphasis show as such.
pub fn figure_markdown(inner: &str, caption: Option<&str>) -> String {
    match caption {
        Some(c) => format!("<figure>{inner}<figcaption>{}</figcaption></figure>", inline_markdown(c)),
        None => format!("<figure>{inner}</figure>"),
    }
}

/// Inline Markdown as HTML, for a caption (one paragraph; Hugo drops the
/// `<p>` of a single one): links, images, `*em*`, `**strong**`, code
/// spans, `<https://…>` autolinks, backslash escapes and character
/// references; any other character is text, escaped (raw HTML too, as
/// Hugo's default renderer omits it).
pub fn inline_markdown(text: &str) -> String {
    let chars: Vec<char> = text.trim().chars().collect();
    let mut out = String::with_capacity(text.len());
    inline_into(&chars, &mut out);
    out
}

fn inline_into(c: &[char], out: &mut String) {
    let mut i = 0;
    while i < c.len() {
        let next = match c[i] {
            '\\' if c.get(i + 1).is_some_and(char::is_ascii_punctuation) => {
                out.push_str(&escape(&c[i + 1].to_string()));
                Some(i + 2)
            }
            '`' => code_span(c, i, out),
            '!' if c.get(i + 1) == Some(&'[') => link(c, i + 1).map(|(label, url, next)| {
                let alt: String = label.iter().filter(|ch| !matches!(ch, '*' | '_' | '`')).collect();
                out.push_str(&img(&url, &alt, ""));
                next
            }),
            '[' => link(c, i).map(|(label, url, next)| {
                out.push_str(&format!("<a href=\"{}\">", escape(&url)));
                inline_into(label, out);
                out.push_str("</a>");
                next
            }),
            '<' => autolink(c, i, out),
            '*' | '_' => emphasis(c, i, out),
            '&' => reference(c, i, out),
            _ => None,
        };
        match next {
            Some(n) => i = n,
            None => {
                out.push_str(&escape(&c[i].to_string()));
                i += 1;
            }
        }
    }
}

/// `` `code` ``: written as code; gives where the text goes on.
fn code_span(c: &[char], at: usize, out: &mut String) -> Option<usize> {
    let run = c[at..].iter().take_while(|ch| **ch == '`').count();
    let start = at + run;
    let end = (start..c.len())
        .find(|&j| c[j..].iter().take_while(|ch| **ch == '`').count() == run && (j == 0 || c[j - 1] != '`'))?;
    let code: String = c[start..end].iter().collect();
    out.push_str(&format!("<code>{}</code>", escape(code.trim())));
    Some(end + run)
}

/// `[label](url "title")` at `open`: the label, the address and where the
/// text goes on.
fn link(c: &[char], open: usize) -> Option<(&[char], String, usize)> {
    let close = matching(c, open, '[', ']')?;
    if c.get(close + 1) != Some(&'(') {
        return None;
    }
    let end = matching(c, close + 1, '(', ')')?;
    let inside: String = c[close + 2..end].iter().collect();
    let inside = inside.trim();
    let url = match inside.strip_prefix('<') {
        Some(rest) => rest.split('>').next().unwrap_or(""),
        None => inside.split_whitespace().next().unwrap_or(""),
    };
    Some((&c[open + 1..close], url.to_string(), end + 1))
}

/// Where the bracket opened at `open` closes (nested pairs counted,
/// backslash escapes skipped).
fn matching(c: &[char], open: usize, left: char, right: char) -> Option<usize> {
    let mut depth = 0;
    let mut j = open;
    while j < c.len() {
        match c[j] {
            '\\' => j += 1,
            ch if ch == left => depth += 1,
            ch if ch == right => {
                depth -= 1;
                if depth == 0 {
                    return Some(j);
                }
            }
            _ => {}
        }
        j += 1;
    }
    None
}

/// `<https://…>`: a link to itself.
fn autolink(c: &[char], at: usize, out: &mut String) -> Option<usize> {
    let end = at + c[at..].iter().position(|ch| *ch == '>')?;
    let url: String = c[at + 1..end].iter().collect();
    let is_url = ["http://", "https://", "mailto:"].iter().any(|p| url.starts_with(p));
    if !is_url || url.contains(char::is_whitespace) {
        return None;
    }
    out.push_str(&format!("<a href=\"{0}\">{0}</a>", escape(&url)));
    Some(end + 1)
}

/// `*em*`, `_em_`, `**strong**`, `__strong__`: the closing run is as long
/// as the opening one, follows text and (for `_`) ends a word.
fn emphasis(c: &[char], at: usize, out: &mut String) -> Option<usize> {
    let mark = c[at];
    let run = c[at..].iter().take_while(|ch| **ch == mark).count();
    let word = |j: usize| c.get(j).is_some_and(|ch| ch.is_alphanumeric());
    let opens = run <= 2 && c.get(at + run).is_some_and(|ch| !ch.is_whitespace());
    if !opens || (mark == '_' && at > 0 && word(at - 1)) {
        return None;
    }
    let start = at + run;
    let mut j = start + 1;
    while j < c.len() {
        let len = c[j..].iter().take_while(|ch| **ch == mark).count();
        if len == 0 {
            j += 1;
            continue;
        }
        if len == run && !c[j - 1].is_whitespace() && !(mark == '_' && word(j + len)) {
            let tag = if run == 2 { "strong" } else { "em" };
            out.push_str(&format!("<{tag}>"));
            inline_into(&c[start..j], out);
            out.push_str(&format!("</{tag}>"));
            return Some(j + len);
        }
        j += len;
    }
    None
}

/// `&amp;`, `&#39;`: the character it names, escaped again.
fn reference(c: &[char], at: usize, out: &mut String) -> Option<usize> {
    let end = at + c[at..].iter().take(34).position(|ch| *ch == ';')?;
    let written: String = c[at..=end].iter().collect();
    let decoded = decode_entities(&written);
    if decoded == written {
        return None;
    }
    out.push_str(&escape(&decoded));
    Some(end + 1)
}

/// Converts an HTML body to Markdown.
pub fn to_markdown(html: &str, findings: &mut Findings) -> String {
    let mut kept: BTreeMap<String, String> = BTreeMap::new();
    let mut html = drop_comments(html);
    html = replace_elements(&html, "iframe", |element| {
        let src = start_tag(element).and_then(|t| attr(t, "src")).unwrap_or_default();
        match embed_site(&src) {
            Some(site) => {
                findings.embeds += 1;
                Some(embed_html(&mut kept, &src, site))
            }
            None => {
                findings.dropped_iframes.push(src);
                Some(String::new())
            }
        }
    });
    html = replace_elements(&html, "figure", |element| {
        if element.contains("wp-block-embed") {
            let inner = strip_tags(element);
            let url = inner.split_whitespace().find(|w| w.starts_with("http"))?.to_string();
            let site = embed_site(&url).unwrap_or("the web");
            findings.embeds += 1;
            return Some(embed_html(&mut kept, &url, site));
        }
        let figure = clean_figure(element)?;
        Some(placeholder(&mut kept, figure))
    });
    html = replace_elements(&html, "table", |element| Some(placeholder(&mut kept, element.to_string())));
    html = embed_lines(&html, findings, &mut kept);
    for (i, _) in html.match_indices("<img") {
        if let Some(src) = start_tag(&html[i..]).and_then(|t| attr(t, "src")) {
            findings.images.push(src);
        }
    }
    for figure in kept.values() {
        if let Some(src) = figure.find("<img").and_then(|i| start_tag(&figure[i..])).and_then(|t| attr(t, "src")) {
            findings.images.push(src);
        }
    }
    let converter = htmd::HtmlToMarkdown::builder()
        .skip_tags(vec!["script", "style", "noscript", "form", "input", "button"])
        .options(htmd::options::Options {
            heading_style: htmd::options::HeadingStyle::Atx,
            code_block_style: htmd::options::CodeBlockStyle::Fenced,
            bullet_list_marker: htmd::options::BulletListMarker::Dash,
            ..Default::default()
        })
        .build();
    let mut markdown = converter.convert(&html).unwrap_or_else(|_| strip_tags(&html));
    for (key, value) in &kept {
        markdown = markdown.replace(key, &format!("\n\n{value}\n\n"));
    }
    tidy(&markdown)
}

/// Blank lines at most two in a row, no trailing spaces.
fn tidy(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut blank = 0;
    for line in markdown.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank += 1;
            if blank > 1 {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    out.trim().to_string()
}

fn placeholder(kept: &mut BTreeMap<String, String>, html: String) -> String {
    let key = format!("BROADSHEETKEPT{}X", kept.len());
    kept.insert(key.clone(), html);
    format!("<p>{key}</p>")
}

/// Drops HTML comments (Gutenberg's `<!-- wp:... -->` block marks, `<!--more-->`).
pub fn drop_comments(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find("<!--") {
        out.push_str(&rest[..start]);
        match rest[start..].find("-->") {
            Some(end) => rest = &rest[start + end + 3..],
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// Replaces each `<tag ...>...</tag>` (not nested in itself) by what `f`
/// returns for it (`None` keeps it).
pub fn replace_elements(html: &str, tag: &str, mut f: impl FnMut(&str) -> Option<String>) -> String {
    let lower = html.to_ascii_lowercase();
    let open = format!("<{tag}");
    let close = format!("</{tag}>");
    let mut out = String::with_capacity(html.len());
    let mut at = 0;
    while let Some(found) = lower[at..].find(&open) {
        let start = at + found;
        let after = lower.as_bytes().get(start + open.len()).copied();
        if !matches!(after, Some(b' ' | b'>' | b'\n' | b'\t' | b'/' | b'\r')) {
            out.push_str(&html[at..start + open.len()]);
            at = start + open.len();
            continue;
        }
        let Some(end) = lower[start..].find(&close).map(|e| start + e + close.len()) else { break };
        out.push_str(&html[at..start]);
        let element = &html[start..end];
        out.push_str(&f(element).unwrap_or_else(|| element.to_string()));
        at = end;
    }
    out.push_str(&html[at..]);
    out
}

/// The start tag at the beginning of `html` (`<img src="..." alt="">`).
pub fn start_tag(html: &str) -> Option<&str> {
    let mut quote = None;
    for (i, c) in html.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return Some(&html[..=i]),
            _ => {}
        }
    }
    None
}

/// An attribute's value in a start tag, entities decoded.
pub fn attr(tag: &str, name: &str) -> Option<String> {
    broadsheet_base::html::attribute(tag, name).map(decode_entities)
}

/// Character references decoded (one decoder for the whole program).
pub fn decode_entities(s: &str) -> String {
    broadsheet_base::html::decode_entities(s).into_owned()
}

/// The text of an HTML fragment, tags removed, whitespace collapsed.
pub fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    decode_entities(&out.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// A figure reduced to its image and caption: WordPress's classes,
/// wrappers and inline styles go.
fn clean_figure(element: &str) -> Option<String> {
    let img_at = element.to_ascii_lowercase().find("<img")?;
    let tag = start_tag(&element[img_at..])?;
    let src = attr(tag, "src")?;
    let alt = attr(tag, "alt").unwrap_or_default();
    let mut dims = String::new();
    for dim in ["width", "height"] {
        if let Some(v) = attr(tag, dim).filter(|v| v.chars().all(|c| c.is_ascii_digit()) && !v.is_empty()) {
            dims.push_str(&format!(" {dim}=\"{v}\""));
        }
    }
    let lower = element.to_ascii_lowercase();
    let caption = lower.find("<figcaption").and_then(|s| {
        let body = &element[s..];
        let open_end = start_tag(body)?.len();
        let close = body.to_ascii_lowercase().find("</figcaption>")?;
        Some(strip_tags(&body[open_end..close]))
    });
    Some(figure(&img(&src, &alt, &dims), caption.as_deref().filter(|c| !c.is_empty())))
}

/// A URL alone on its line (or alone in a paragraph) of an embeddable
/// site becomes a link.
fn embed_lines(html: &str, findings: &mut Findings, kept: &mut BTreeMap<String, String>) -> String {
    let mut out = String::with_capacity(html.len());
    for line in html.split_inclusive('\n') {
        let bare = line.trim();
        let inner = bare.strip_prefix("<p>").and_then(|l| l.strip_suffix("</p>")).unwrap_or(bare).trim();
        if inner.starts_with("http")
            && !inner.contains(char::is_whitespace)
            && !inner.contains('<')
            && let Some(site) = embed_site(inner)
        {
            findings.embeds += 1;
            out.push_str(&embed_html(kept, inner, site));
            out.push('\n');
            continue;
        }
        out.push_str(line);
    }
    out
}

/// WordPress's `wpautop`: paragraphs separated by blank lines, without
/// `<p>` tags, as the classic editor stores them.
pub fn autop(html: &str) -> String {
    const BLOCKS: &[&str] = &[
        "<p",
        "<div",
        "<h1",
        "<h2",
        "<h3",
        "<h4",
        "<h5",
        "<h6",
        "<ul",
        "<ol",
        "<li",
        "<table",
        "<blockquote",
        "<pre",
        "<figure",
        "<hr",
        "<dl",
        "<section",
        "<iframe",
        "<form",
        "<address",
        "<!--",
        "<style",
        "<script",
    ];
    let normalized = html.replace("\r\n", "\n");
    let mut out = String::with_capacity(normalized.len() + 64);
    for chunk in normalized.split("\n\n") {
        let trimmed = chunk.trim();
        if trimmed.is_empty() {
            continue;
        }
        let lower = trimmed.to_ascii_lowercase();
        if BLOCKS.iter().any(|b| lower.starts_with(b)) || lower.contains("<pre") {
            out.push_str(trimmed);
        } else {
            out.push_str("<p>");
            out.push_str(&trimmed.replace('\n', "<br>\n"));
            out.push_str("</p>");
        }
        out.push_str("\n\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_become_markdown_and_figures_keep_their_caption() {
        let html = "<!-- wp:heading --><h2>Storm</h2><!-- /wp:heading -->\n<!-- wp:paragraph --><p>The <strong>quay</strong> flooded.</p><!-- /wp:paragraph -->\n<!-- wp:image --><figure class=\"wp-block-image size-large\"><img src=\"https://g.example/wp-content/uploads/a.jpg\" alt=\"Waves\" class=\"x\" width=\"800\" height=\"600\"/><figcaption class=\"wp-element-caption\">Waves at <em>dawn</em></figcaption></figure><!-- /wp:image -->";
        let mut f = Findings::default();
        let md = to_markdown(html, &mut f);
        assert!(md.starts_with("## Storm\n\nThe **quay** flooded."), "{md}");
        assert!(
            md.contains("<figure><img src=\"https://g.example/wp-content/uploads/a.jpg\" alt=\"Waves\" width=\"800\" height=\"600\"><figcaption>Waves at dawn</figcaption></figure>"),
            "{md}"
        );
        assert_eq!(f.images, ["https://g.example/wp-content/uploads/a.jpg"]);
    }

    #[test]
    fn raw_html_embeds_in_markdown_become_broadsheet_embeds() {
        let body = "Intro.\n\n<iframe width=\"560\" src=\"https://www.youtube.com/embed/aZuY5-2lwW4\"\n  allowfullscreen></iframe>\n\n\
<blockquote class=\"twitter-tweet\"><p>Hi</p>&mdash; A (@a) <a href=\"https://twitter.com/a/status/123?ref_src=x\">May 1</a></blockquote>\n\
<script async src=\"https://platform.twitter.com/widgets.js\" charset=\"utf-8\"></script>\n\n\
<blockquote class=\"twitter-tweet\"><a href=\"https://twitter.com/b/status/9\">x</a></blockquote><script async src=\"https://platform.twitter.com/widgets.js\"></script>\n\n\
<iframe src=\"https://forms.example/x\"></iframe>\n\n```html\n<iframe src=\"https://player.vimeo.com/video/1\"></iframe>\n```\n";
        let (md, made) = embeds_in_markdown(body);
        assert_eq!(made, 3, "{md}");
        assert!(md.contains("\n{{< embed https://twitter.com/b/status/9 >}}\n"), "with X's script on its line: {md}");
        assert!(md.contains("\n{{< embed https://www.youtube.com/embed/aZuY5-2lwW4 >}}\n"), "{md}");
        assert!(md.contains("\n{{< embed https://twitter.com/a/status/123 >}}\n"), "{md}");
        assert!(!md.contains("widgets.js"), "the widget script goes: {md}");
        assert!(md.contains("<iframe src=\"https://forms.example/x\"></iframe>"), "not a provider: kept: {md}");
        assert!(
            md.contains("```html\n<iframe src=\"https://player.vimeo.com/video/1\"></iframe>\n```"),
            "code is code: {md}"
        );
    }

    #[test]
    fn embeds_become_broadsheet_embeds_or_links_and_other_iframes_are_dropped() {
        let html = "<p>https://www.youtube.com/watch?v=abc_d</p>\n<iframe src=\"https://maps.example/x\"></iframe>\n<figure class=\"wp-block-embed is-type-video\"><div class=\"wp-block-embed__wrapper\">\nhttps://vimeo.com/1\n</div></figure>\n<p>https://soundcloud.com/a/b</p>";
        let mut f = Findings::default();
        let md = to_markdown(html, &mut f);
        // Unescaped (the underscore too), on a paragraph of its own.
        let lines: Vec<&str> = md.lines().collect();
        let at = lines.iter().position(|l| *l == "{{< embed https://www.youtube.com/watch?v=abc_d >}}");
        assert!(at.is_some_and(|i| lines.get(i + 1) == Some(&"")), "a paragraph of its own: {md}");
        assert!(md.contains("{{< embed https://vimeo.com/1 >}}"), "{md}");
        assert!(md.contains("[Listen on SoundCloud](https://soundcloud.com/a/b)"), "no SoundCloud embed: a link: {md}");
        assert_eq!(f.embeds, 3);
        assert_eq!(f.dropped_iframes, ["https://maps.example/x"]);
    }

    #[test]
    fn classic_editor_paragraphs_get_their_tags() {
        assert_eq!(
            autop("One\nline.\n\nTwo.\n\n<ul><li>x</li></ul>"),
            "<p>One<br>\nline.</p>\n\n<p>Two.</p>\n\n<ul><li>x</li></ul>\n\n"
        );
    }

    #[test]
    fn captions_in_markdown_become_html() {
        assert_eq!(
            inline_markdown("Chat in [Monocles Chat](https://monocles.eu/more) *now* & **free** `x<y`"),
            "Chat in <a href=\"https://monocles.eu/more\">Monocles Chat</a> <em>now</em> &amp; <strong>free</strong> <code>x&lt;y</code>"
        );
        assert_eq!(inline_markdown("snake_case_name, 2 * 3 and \\*stars\\*"), "snake_case_name, 2 * 3 and *stars*");
        assert_eq!(
            inline_markdown("Five Veterans&#39; <b>journeys</b>"),
            "Five Veterans&#39; &lt;b&gt;journeys&lt;/b&gt;"
        );
        assert_eq!(
            inline_markdown("[**bold** link](/a \"t\") <https://x.example/>"),
            "<a href=\"/a\"><strong>bold</strong> link</a> <a href=\"https://x.example/\">https://x.example/</a>"
        );
        assert_eq!(inline_markdown("[not a link] (x) and *open"), "[not a link] (x) and *open");
    }

    #[test]
    fn tables_are_kept_as_html() {
        let mut f = Findings::default();
        let md = to_markdown("<p>Tides:</p><table><tr><td>6am</td></tr></table>", &mut f);
        assert!(md.contains("<table><tr><td>6am</td></tr></table>"), "{md}");
    }
}
