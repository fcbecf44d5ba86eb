//! Markdown to HTML with pulldown-cmark (tables, footnotes, strikethrough,
//! smart punctuation, heading attributes). Adds an `id` to every heading,
//! demotes `#` headings and raw `<h1>` tags to `<h2>` (the page's headline
//! is its only `<h1>`), highlights fenced code at build time,
//! resolves root-relative links against the base path, and measures the text
//! (first paragraph, word count) in the same pass. Never fails.

use std::borrow::Cow;
use std::collections::HashSet;

use pulldown_cmark::{CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd, html};
use pulldown_cmark_escape::{escape_href, escape_html};

use broadsheet_base::slug::slugify;
use broadsheet_base::url::Urls;

/// A body rendered, with what was measured of it in the same pass.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Rendered {
    /// The body as HTML, not yet sanitized, each embed an empty slot for
    /// [`fill_embeds`].
    pub html: String,
    /// The first paragraph as plain text.
    pub first_paragraph: String,
    /// Words in the text (code included), for the reading time and JSON-LD
    /// `wordCount`.
    pub word_count: usize,
    /// The whole body as plain text, for the search index.
    pub text: String,
    /// The pictures the body shows (`![alt](src)`), as written.
    pub images: Vec<String>,
    /// The pictures its raw HTML shows (`<img src>`), as written (entities
    /// decoded): checked, shown as written.
    pub html_images: Vec<String>,
    /// The body's embeds (see `embed`), for [`fill_embeds`] in the page's
    /// language.
    pub embeds: Vec<broadsheet_base::embed::Embed>,
    /// Embeds written wrong: where in the body (a byte offset) and what was
    /// expected. The paragraph is kept as text.
    pub embed_problems: Vec<(usize, String)>,
}

/// The pulldown-cmark extensions bodies and summaries are read with: tables,
/// footnotes, strikethrough, smart punctuation and heading attributes.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Renders `markdown`; a `dateline` ("PARIS") opens the first paragraph,
/// as newspapers print it.
pub fn render(markdown: &str, urls: &Urls, dateline: Option<&str>) -> Rendered {
    let (mut events, embeds, embed_problems) = with_embeds(markdown);
    let mut measure = Measure::counting();
    let mut images = Vec::new();
    let mut html_images = Vec::new();
    for event in &events {
        measure.see(event);
        match event {
            Event::Start(Tag::Image { dest_url, .. }) => images.push(dest_url.to_string()),
            Event::Html(html) | Event::InlineHtml(html) => html_images.extend(img_sources(html)),
            _ => {}
        }
    }
    rewrite(&mut events, urls);
    if let Some(dateline) = dateline.map(str::trim).filter(|d| !d.is_empty()) {
        insert_dateline(&mut events, dateline);
    }
    let events = highlight_code(lazy_images(autolink(events)));
    let mut out = String::with_capacity(markdown.len() + markdown.len() / 4);
    html::push_html(&mut out, events.into_iter());
    Rendered {
        html: out,
        first_paragraph: measure.first_paragraph.trim().to_string(),
        word_count: measure.words(),
        text: measure.text.trim_end().to_string(),
        images,
        html_images,
        embeds,
        embed_problems,
    }
}

/// The body's events, each paragraph that is an embed replaced by a slot
/// [`fill_embeds`] fills once the body is sanitized (the embed's markup is
/// Broadsheet's own, not the writer's HTML).
#[allow(clippy::type_complexity)]
fn with_embeds(markdown: &str) -> (Vec<Event<'_>>, Vec<broadsheet_base::embed::Embed>, Vec<(usize, String)>) {
    let mut events = Vec::new();
    let mut embeds = Vec::new();
    let mut problems = Vec::new();
    let mut skipping = false;
    for (event, range) in Parser::new_ext(markdown, options()).into_offset_iter() {
        if skipping {
            skipping = !matches!(event, Event::End(TagEnd::Paragraph));
            continue;
        }
        if let Event::Start(Tag::Paragraph) = event {
            let source = &markdown[range.clone()];
            let found = broadsheet_base::embed::parse(source);
            if found.is_none() && source.contains("{{< embed") {
                let message = "`{{< embed ... >}}` is an embed only as a paragraph of its own, with a blank line before and after: it is printed as text here";
                problems.push((range.start + source.find("{{< embed").unwrap_or(0), message.to_string()));
            }
            if let Some(found) = found {
                match found {
                    Ok(embed) => {
                        events.push(Event::Html(embed_slot(embeds.len()).into()));
                        embeds.push(embed);
                        skipping = true;
                        continue;
                    }
                    Err(message) => problems.push((range.start, message)),
                }
            }
        }
        events.push(event);
    }
    (events, embeds, problems)
}

fn embed_slot(n: usize) -> String {
    format!("<div class=\"embed-slot\" id=\"embed-slot-{n}\"></div>\n")
}

/// Puts each embed's markup in its slot, in `words`' language.
pub fn fill_embeds(
    mut html: String,
    embeds: &[broadsheet_base::embed::Embed],
    words: &broadsheet_base::embed::Words,
) -> String {
    for (n, embed) in embeds.iter().enumerate() {
        let slot = embed_slot(n);
        let slot = slot.trim_end();
        if let Some(at) = html.find(slot) {
            html.replace_range(at..at + slot.len(), embed.html(words).trim_end());
        }
    }
    html
}

/// Plain text (a headline, a series' description) with the typography
/// bodies get from smart punctuation: curly quotes and apostrophes,
/// `--` and `---` as dashes, `...` as an ellipsis. Nothing else in it is
/// read as Markdown.
pub fn smart(text: &str) -> String {
    if !text.contains(['\'', '"', '-', '.']) {
        return text.to_string();
    }
    // Every other ASCII punctuation is escaped, so no emphasis, link, code
    // or entity is read; a leading no-break space keeps a line that starts
    // with `- ` or `1. ` from being a list, and counts as the space before
    // an opening quote.
    let mut escaped = String::with_capacity(text.len() + 8);
    escaped.push('\u{a0}');
    for c in text.chars() {
        if c.is_ascii_punctuation() && !matches!(c, '\'' | '"' | '-' | '.') {
            escaped.push('\\');
        }
        escaped.push(if c == '\n' || c == '\r' { ' ' } else { c });
    }
    let mut out = String::with_capacity(text.len() + 8);
    for event in Parser::new_ext(&escaped, Options::ENABLE_SMART_PUNCTUATION) {
        match event {
            Event::Text(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            _ => {}
        }
    }
    match out.strip_prefix('\u{a0}') {
        Some(rest) => rest.to_string(),
        // Whatever the parser did, the text is never lost.
        None => text.to_string(),
    }
}

/// A summary (a dek) written in Markdown: its inline HTML (emphasis,
/// links, code; raw HTML is shown as text, images by their alt text) and
/// its plain text, for meta descriptions and feeds.
/// Links whose address the URL policy refuses (`javascript:`, `data:`)
/// keep their text without the link, and come back with why.
pub fn inline(markdown: &str, urls: &Urls) -> (String, String, Vec<(String, String)>) {
    let mut text = String::new();
    let mut kept: Vec<Event<'_>> = Vec::new();
    let mut in_image = false;
    let mut refused = Vec::new();
    // Whether each open link was kept, so its end is kept or dropped too.
    let mut links_kept = Vec::new();
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Start(Tag::Image { .. }) => in_image = true,
            Event::End(TagEnd::Image) => in_image = false,
            Event::Text(t) | Event::Html(t) | Event::InlineHtml(t) => {
                text.push_str(&t);
                kept.push(Event::Text(t));
            }
            Event::Code(c) => {
                text.push_str(&c);
                if !in_image {
                    kept.push(Event::Code(c));
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                text.push(' ');
                kept.push(Event::Text(" ".into()));
            }
            // A new block (a second paragraph, a list item) is a space in one line.
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item) => {
                text.push(' ');
                kept.push(Event::Text(" ".into()));
            }
            Event::Start(Tag::Link { link_type, dest_url, title, id }) if !in_image => {
                if let Err(why) = broadsheet_base::safe_url::check(&dest_url) {
                    refused.push((dest_url.to_string(), why));
                    links_kept.push(false);
                    continue;
                }
                links_kept.push(true);
                let dest_url = match urls.resolve_link(&dest_url) {
                    Cow::Owned(resolved) => CowStr::from(resolved),
                    Cow::Borrowed(_) => dest_url,
                };
                kept.push(Event::Start(Tag::Link { link_type, dest_url, title, id }));
            }
            Event::End(TagEnd::Link) if !in_image => {
                let opened = links_kept.pop().unwrap_or(false);
                if opened {
                    kept.push(Event::End(TagEnd::Link));
                }
            }
            e @ (Event::Start(Tag::Emphasis | Tag::Strong | Tag::Strikethrough)
            | Event::End(TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough))
                if !in_image =>
            {
                kept.push(e)
            }
            _ => {}
        }
    }
    let mut html = String::with_capacity(markdown.len() + 16);
    html::push_html(&mut html, kept.into_iter());
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    (html.trim().to_string(), text, refused)
}

/// The `src` of every `<img>` in `html`, entities decoded (comments skipped).
fn img_sources(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    // Most raw HTML has no picture: it is not copied to be searched.
    if !html.as_bytes().windows(4).any(|w| w.eq_ignore_ascii_case(b"<img")) {
        return found;
    }
    let lower = html.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = lower[from..].find("<img") {
        let at = from + i;
        from = at + 4;
        if !lower[from..].starts_with(|c: char| c.is_ascii_whitespace() || c == '/' || c == '>') {
            continue;
        }
        if lower[..at].rfind("<!--").is_some_and(|open| !lower[open..at].contains("-->")) {
            continue;
        }
        let end = lower[from..].find('>').map_or(html.len(), |e| from + e);
        if let Some(src) = broadsheet_base::html::attribute(&html[from..end], "src") {
            found.push(broadsheet_base::html::decode_entities(src).into_owned());
        }
    }
    found
}

/// The `<img>` this module writes for a body picture whose (resolved)
/// address is `src`: `<img src="...`, to find it again in the HTML.
pub fn image_tag_start(src: &str) -> String {
    let mut html = String::from("<img src=\"");
    let _ = escape_href(&mut html, src);
    html.push('"');
    html
}

/// Keeps a body written in HTML (an `.html` article) as it is, measuring
/// it like Markdown: its first `<p>` is the first paragraph. A `dateline`
/// opens that paragraph.
pub fn render_html(body: &str, dateline: Option<&str>) -> Rendered {
    let measure = measure_html(body, &["script", "style"], Measure::counting());
    let mut html = body.to_string();
    if let Some(dateline) = dateline.map(str::trim).filter(|d| !d.is_empty())
        && let Some(p) = html.find("<p>")
    {
        let mut span = String::from("<span class=\"dateline\">");
        escape_html(&mut span, dateline).ok();
        span.push_str(" —</span> ");
        html.insert_str(p + 3, &span);
    }
    Rendered {
        html,
        first_paragraph: measure.first_paragraph.split_whitespace().collect::<Vec<_>>().join(" "),
        word_count: measure.words(),
        text: measure.text.trim_end().to_string(),
        images: Vec::new(),
        html_images: img_sources(body),
        embeds: Vec::new(),
        embed_problems: Vec::new(),
    }
}

/// The plain text of a rendered body, as the search index reads it:
/// paragraphs, headings, lists, tables, captions and code blocks (a reader
/// may search for a name in a listing), without scripts or styles.
pub fn plain_text(html: &str) -> String {
    let mut text = measure_html(html, &["script", "style"], Measure::default()).text;
    text.truncate(text.trim_end().len());
    text
}

/// Walks `body`'s tags and text (leaving out the insides of `skip`) into
/// `measure`, as the Markdown renderer's events would.
fn measure_html(body: &str, skip: &[&'static str], mut measure: Measure) -> Measure {
    let mut rest = body;
    let mut skipping: Option<&str> = None;
    while let Some(open) = rest.find('<') {
        let text = decode_entities(&rest[..open]);
        if skipping.is_none() && !text.is_empty() {
            measure.see(&Event::Text(CowStr::from(text)));
        }
        let close = rest[open..].find('>').map_or(rest.len(), |i| open + i + 1);
        let tag = rest[open + 1..close.saturating_sub(1).max(open + 1)].trim();
        let closing = tag.starts_with('/');
        let tag = tag.trim_start_matches('/');
        let name = &tag[..tag.find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(tag.len())];
        // Lower-cased without an allocation: the names that matter are short.
        let mut lower = [0u8; 8];
        let name = match lower.get_mut(..name.len()) {
            Some(lower) => {
                lower.copy_from_slice(name.as_bytes());
                lower.make_ascii_lowercase();
                std::str::from_utf8(lower).unwrap_or("")
            }
            None => "",
        };
        match (skipping, closing, name) {
            (Some(s), true, n) if n == s => skipping = None,
            (Some(_), _, _) => {}
            (None, false, n) if skip.contains(&n) => skipping = skip.iter().find(|s| **s == n).copied(),
            (None, false, "p") => measure.see(&Event::Start(Tag::Paragraph)),
            (None, true, "p") => measure.see(&Event::End(TagEnd::Paragraph)),
            (None, false, "br") => measure.see(&Event::SoftBreak),
            // An image's description is its text, as Markdown's `![...]`.
            (None, false, "img") => {
                if let Some(alt) = broadsheet_base::html::attribute(tag, "alt").filter(|a| !a.trim().is_empty()) {
                    measure.see(&Event::Text(CowStr::from(format!(" {} ", decode_entities(alt)))));
                }
            }
            (
                None,
                true,
                "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "li" | "td" | "th" | "pre" | "div" | "blockquote"
                | "figcaption",
            ) => measure.see(&Event::End(TagEnd::Item)),
            _ => {}
        }
        rest = &rest[close..];
    }
    if skipping.is_none() {
        measure.see(&Event::Text(CowStr::from(decode_entities(rest))));
    }
    measure
}

/// An HTML body's text with its references decoded, a no-break space
/// counted as a space.
fn decode_entities(text: &str) -> std::borrow::Cow<'_, str> {
    match broadsheet_base::html::decode_entities(text) {
        std::borrow::Cow::Owned(s) => s.replace('\u{a0}', " ").into(),
        same => same,
    }
}

/// Removes scripts, event handlers, `javascript:` links and other unsafe
/// HTML from rendered Markdown (for `unsafe_html = false`), keeping what
/// the renderer itself writes: heading ids, classes, lazy images.
pub fn sanitize(html: &str) -> String {
    static CLEANER: std::sync::OnceLock<ammonia::Builder<'static>> = std::sync::OnceLock::new();
    CLEANER
        .get_or_init(|| {
            let mut builder = ammonia::Builder::default();
            builder.add_generic_attributes(["id", "class"]).add_tag_attributes("img", ["loading", "width", "height"]);
            builder
        })
        .clean(html)
        .to_string()
}

#[derive(Default)]
struct Measure {
    /// Whether words are counted (the search index needs the text only).
    counting: bool,
    text: String,
    first_paragraph: String,
    paragraph_depth: usize,
    first_done: bool,
}

impl Measure {
    fn counting() -> Measure {
        Measure { counting: true, ..Measure::default() }
    }

    fn see(&mut self, event: &Event<'_>) {
        match event {
            Event::Start(Tag::Paragraph) => self.paragraph_depth += 1,
            Event::End(TagEnd::Paragraph) => {
                self.paragraph_depth = self.paragraph_depth.saturating_sub(1);
                self.first_done |= !self.first_paragraph.trim().is_empty();
                self.text.push('\n');
            }
            Event::End(TagEnd::Heading(_) | TagEnd::Item | TagEnd::CodeBlock | TagEnd::TableCell) => {
                self.text.push('\n')
            }
            Event::Text(t) | Event::Code(t) => {
                self.text.push_str(t);
                self.take(t);
            }
            Event::SoftBreak | Event::HardBreak => {
                self.text.push(' ');
                self.take(" ");
            }
            _ => {}
        }
    }

    /// The words of the text: counted once it is whole, because one word
    /// can arrive in pieces (smart punctuation splits "Don't" at its
    /// apostrophe, emphasis splits "in*cred*ible"), and a dash or a lone
    /// quote is no word.
    fn words(&self) -> usize {
        if !self.counting {
            return 0;
        }
        self.text.split_whitespace().filter(|w| w.chars().any(char::is_alphanumeric)).count()
    }

    fn take(&mut self, text: &str) {
        if self.paragraph_depth > 0 && !self.first_done {
            self.first_paragraph.push_str(text);
        }
    }
}

/// Heading ids, `#` demotion and root-relative link resolution.
fn rewrite(events: &mut [Event<'_>], urls: &Urls) {
    let mut used_ids = HashSet::new();
    for i in 0..events.len() {
        let derived = match &events[i] {
            Event::Start(Tag::Heading { id: None, .. }) => Some(slugify(&heading_text(&events[i + 1..]))),
            _ => None,
        };
        match &mut events[i] {
            Event::Start(Tag::Heading { level, id, .. }) => {
                demote(level);
                let wanted = derived.or_else(|| id.as_ref().map(|s| s.to_string())).unwrap_or_default();
                *id = Some(CowStr::from(broadsheet_base::slug::heading_id(&mut used_ids, wanted)));
            }
            Event::End(TagEnd::Heading(level)) => demote(level),
            Event::Html(html) | Event::InlineHtml(html) => {
                if let Cow::Owned(demoted) = demote_raw_h1(html) {
                    *html = CowStr::from(demoted);
                }
            }
            Event::Start(Tag::Link { dest_url, .. }) | Event::Start(Tag::Image { dest_url, .. }) => {
                if let Cow::Owned(resolved) = urls.resolve_link(dest_url) {
                    *dest_url = CowStr::from(resolved);
                }
            }
            _ => {}
        }
    }
}

/// Fenced code blocks whose language the bundled syntaxes know are
/// highlighted at build time: spans with `hl-` classes the theme colours,
/// no script on the page. Other code blocks are left as they are.
fn highlight_code(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    use pulldown_cmark::CodeBlockKind;
    let mut out = Vec::with_capacity(events.len());
    let mut iter = events.into_iter();
    while let Some(event) = iter.next() {
        let Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) = &event else {
            out.push(event);
            continue;
        };
        let language = info.split([' ', ',', '{']).next().unwrap_or("").to_string();
        let mut code = String::new();
        let mut rest = Vec::new();
        for inner in iter.by_ref() {
            match inner {
                Event::End(TagEnd::CodeBlock) => break,
                Event::Text(text) => code.push_str(&text),
                other => rest.push(other),
            }
        }
        match highlighted(&language, &code).filter(|_| rest.is_empty()) {
            Some(html) => out.push(Event::Html(CowStr::from(html))),
            None => {
                out.push(event);
                if !code.is_empty() {
                    out.push(Event::Text(CowStr::from(code)));
                }
                out.extend(rest);
                out.push(Event::End(TagEnd::CodeBlock));
            }
        }
    }
    out
}

/// `code` as highlighted HTML (`<pre><code>` included), when `language`
/// names a syntax the bundled set has.
fn highlighted(language: &str, code: &str) -> Option<String> {
    use syntect::html::{ClassStyle, ClassedHTMLGenerator};
    use syntect::parsing::SyntaxSet;
    use syntect::util::LinesWithEndings;
    static SYNTAXES: std::sync::OnceLock<SyntaxSet> = std::sync::OnceLock::new();
    if language.is_empty() {
        return None;
    }
    let syntaxes = SYNTAXES.get_or_init(SyntaxSet::load_defaults_newlines);
    let syntax = syntaxes.find_syntax_by_token(language)?;
    let style = ClassStyle::SpacedPrefixed { prefix: "hl-" };
    let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, syntaxes, style);
    for line in LinesWithEndings::from(code) {
        generator.parse_html_for_line_which_includes_newline(line).ok()?;
    }
    let mut html = String::from("<pre class=\"highlight\"><code class=\"language-");
    let _ = escape_html(&mut html, language);
    html.push_str("\">");
    html.push_str(&generator.finalize());
    html.push_str("</code></pre>\n");
    Some(html)
}

/// Raw HTML `<h1>` and `</h1>` tags written in a body become `<h2>`, as a
/// Markdown `#` does: the page's headline is its only `<h1>`.
pub fn demote_raw_h1(html: &str) -> Cow<'_, str> {
    let lower = html.to_ascii_lowercase();
    let is_tag =
        |at: usize, len: usize| lower[at + len..].starts_with(|c: char| c == '>' || c == '/' || c.is_whitespace());
    let mut out = String::new();
    let mut copied = 0;
    let mut from = 0;
    while let Some(found) = lower[from..].find("h1") {
        let at = from + found;
        from = at + 2;
        let opening = at >= 1 && &lower[at - 1..at] == "<";
        let closing = at >= 2 && &lower[at - 2..at] == "</";
        if (opening || closing) && is_tag(at, 2) {
            out.push_str(&html[copied..at + 1]);
            out.push('2');
            copied = at + 2;
        }
    }
    if copied == 0 {
        return Cow::Borrowed(html);
    }
    out.push_str(&html[copied..]);
    Cow::Owned(out)
}

fn insert_dateline<'a>(events: &mut Vec<Event<'a>>, dateline: &str) {
    let at = events.iter().position(|e| matches!(e, Event::Start(Tag::Paragraph))).map_or(0, |i| i + 1);
    let span = [
        Event::InlineHtml(CowStr::Borrowed("<span class=\"dateline\">")),
        Event::Text(CowStr::from(dateline.to_string())),
        Event::InlineHtml(CowStr::Borrowed(" —</span> ")),
    ];
    events.splice(at..at, span);
}

/// Bare web addresses (`https://...`) and e-mail addresses in text become
/// links, as Hugo and WordPress make them (writers paste them so); not
/// inside links, images or code, and only `http(s)` and `mailto:`.
fn autolink(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let mut finder = linkify::LinkFinder::new();
    finder.kinds(&[linkify::LinkKind::Url, linkify::LinkKind::Email]);
    let mut out = Vec::with_capacity(events.len());
    let mut inside = 0usize;
    for event in events {
        match &event {
            Event::Start(Tag::Link { .. } | Tag::Image { .. } | Tag::CodeBlock(_)) => inside += 1,
            Event::End(TagEnd::Link | TagEnd::Image | TagEnd::CodeBlock) => inside = inside.saturating_sub(1),
            // A link or code written as raw HTML (`<a href=...>address</a>`,
            // as imported WordPress posts have them) is not linked again.
            Event::InlineHtml(html) => match link_or_code_tag(html) {
                Some(false) => inside += 1,
                Some(true) => inside = inside.saturating_sub(1),
                None => {}
            },
            Event::Text(text) if inside == 0 && (text.contains('@') || text.contains("://")) => {
                let mut linked = false;
                let mut rest = 0;
                for link in finder.links(text) {
                    let (href, link_type) = match link.kind() {
                        // pulldown-cmark writes `mailto:` before an e-mail link's address.
                        linkify::LinkKind::Email => (link.as_str().to_string(), LinkType::Email),
                        _ if link.as_str().starts_with("https://") || link.as_str().starts_with("http://") => {
                            (link.as_str().to_string(), LinkType::Autolink)
                        }
                        _ => continue,
                    };
                    out.push(Event::Text(CowStr::from(text[rest..link.start()].to_string())));
                    let tag = Tag::Link { link_type, dest_url: href.into(), title: "".into(), id: "".into() };
                    out.push(Event::Start(tag));
                    out.push(Event::Text(CowStr::from(link.as_str().to_string())));
                    out.push(Event::End(TagEnd::Link));
                    rest = link.end();
                    linked = true;
                }
                if linked {
                    out.push(Event::Text(CowStr::from(text[rest..].to_string())));
                    continue;
                }
            }
            _ => {}
        }
        out.push(event);
    }
    out
}

/// Whether raw HTML is a link or code tag (`<a href=x>`, `</CODE>`, `<pre>`,
/// `<kbd>`, `<samp>`), and then whether it closes one.
fn link_or_code_tag(html: &str) -> Option<bool> {
    let rest = html.trim_start().strip_prefix('<')?;
    let (closing, rest) = match rest.strip_prefix('/') {
        Some(rest) => (true, rest),
        None => (false, rest),
    };
    let name = &rest[..rest.find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(rest.len())];
    ["a", "code", "pre", "kbd", "samp"].iter().any(|k| k.eq_ignore_ascii_case(name)).then_some(closing)
}

/// Images in the body load lazily (only the hero is above the fold), so each
/// image becomes one `<img ... loading="lazy">` with its text as `alt`.
fn lazy_images(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let mut out = Vec::with_capacity(events.len());
    let mut iter = events.into_iter();
    while let Some(event) = iter.next() {
        let Event::Start(Tag::Image { dest_url, title, .. }) = &event else {
            out.push(event);
            continue;
        };
        let mut alt = String::new();
        let mut depth = 1;
        for inner in iter.by_ref() {
            match inner {
                Event::Start(Tag::Image { .. }) => depth += 1,
                Event::End(TagEnd::Image) if depth == 1 => break,
                Event::End(TagEnd::Image) => depth -= 1,
                Event::Text(t) | Event::Code(t) => alt.push_str(&t),
                _ => {}
            }
        }
        let mut html = String::from("<img src=\"");
        let _ = escape_href(&mut html, dest_url);
        html.push_str("\" alt=\"");
        let _ = escape_html(&mut html, &alt);
        html.push('"');
        if !title.is_empty() {
            html.push_str(" title=\"");
            let _ = escape_html(&mut html, title);
            html.push('"');
        }
        html.push_str(" loading=\"lazy\">");
        out.push(Event::InlineHtml(CowStr::from(html)));
    }
    out
}

fn demote(level: &mut HeadingLevel) {
    if *level == HeadingLevel::H1 {
        *level = HeadingLevel::H2;
    }
}

fn heading_text(after_start: &[Event<'_>]) -> String {
    let mut text = String::new();
    for event in after_start {
        match event {
            Event::End(TagEnd::Heading(_)) => break,
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            _ => {}
        }
    }
    text
}

#[cfg(test)]
mod tests {

    #[test]
    fn fenced_code_is_highlighted_when_its_language_is_known() {
        let urls = Urls::parse("https://e.com/").unwrap();
        let known = render("```rust\nfn main() { let x = \"<hi>\"; }\n```\n", &urls, None).html;
        assert!(known.starts_with("<pre class=\"highlight\"><code class=\"language-rust\">"), "{known}");
        assert!(known.contains("<span class=\"hl-storage hl-type hl-function hl-rust\">fn</span>"), "{known}");
        assert!(known.contains("&lt;hi&gt;"), "code stays escaped: {known}");
        let unknown = render("```klingon\nqapla'\n```\n", &urls, None).html;
        assert_eq!(unknown, "<pre><code class=\"language-klingon\">qapla'\n</code></pre>\n");
        let plain = render("```\n<b>as is</b>\n```\n", &urls, None).html;
        assert_eq!(plain, "<pre><code>&lt;b&gt;as is&lt;/b&gt;\n</code></pre>\n");
    }

    #[test]
    fn raw_h1_tags_are_demoted_and_nothing_else() {
        assert_eq!(demote_raw_h1("<h1 class=\"x\">Inner</H1>"), "<h2 class=\"x\">Inner</H2>");
        assert_eq!(demote_raw_h1("<H1>A</h1 >"), "<H2>A</h2 >");
        for kept in ["<h10>", "<p>h1 and <b>h1</b></p>", "<th1>", "<div data-h1=\"1\">"] {
            assert!(matches!(demote_raw_h1(kept), Cow::Borrowed(_)), "{kept}");
        }
    }

    use super::*;

    #[test]
    fn html_bodies_are_kept_and_measured() {
        let r = render_html(
            "<p>When we get a fact <em>wrong</em>, we fix it.</p>\n<p>Second &amp; last.</p>\n<script>var x = 1;</script>",
            Some("PARIS"),
        );
        assert_eq!(r.first_paragraph, "When we get a fact wrong, we fix it.");
        assert!((11..=13).contains(&r.word_count), "{}", r.word_count);
        assert!(r.html.starts_with("<p><span class=\"dateline\">PARIS —</span> When"), "{}", r.html);
        assert!(r.text.contains("Second & last."), "{}", r.text);
        assert!(!r.text.contains("var x"), "{}", r.text);
    }

    fn md(input: &str) -> Rendered {
        render(input, &Urls::parse("https://u.github.io/repo/").unwrap(), None)
    }

    #[test]
    fn the_search_text_of_a_rendered_body_keeps_code_and_image_descriptions_and_leaves_out_scripts() {
        let r = md(
            "# Budget\n\nRates & fees **rise**.\n\n```rust\nlet total = a < b;\n```\n\n- one\n- two\n\n![Dock & crane](/c.jpg)\n",
        );
        let html = format!("{}<script>var secret = 1;</script><style>p {{ color: red }}</style>", r.html);
        let text = plain_text(&html);
        assert_eq!(
            text.split_whitespace().collect::<Vec<_>>(),
            [
                "Budget", "Rates", "&", "fees", "rise.", "let", "total", "=", "a", "<", "b;", "one", "two", "Dock",
                "&", "crane"
            ]
        );
        // Attributes named like it are not it; an unquoted value is one (as in HTML).
        assert_eq!(broadsheet_base::html::attribute(r#"img data-alt="no" alt='yes'"#, "alt"), Some("yes"));
        assert_eq!(broadsheet_base::html::attribute("img alt=bare", "alt"), Some("bare"));
        assert_eq!(broadsheet_base::html::attribute(r#"img title="alt=x""#, "alt"), None);
    }

    #[test]
    fn dateline_opens_the_first_paragraph_escaped() {
        let urls = Urls::parse("https://e.com/").unwrap();
        let r = render("## Sub\n\nFirst.\n\nSecond.", &urls, Some("PARIS <b>"));
        assert!(r.html.contains("<p><span class=\"dateline\">PARIS &lt;b&gt; —</span> First.</p>"), "{}", r.html);
        assert_eq!(r.first_paragraph, "First.");
    }

    #[test]
    fn headings_get_ids_and_h1_is_demoted() {
        let r = md("# Top\n\n## A ‘deal’ proves elusive\n\n## Top\n");
        assert!(r.html.contains("<h2 id=\"top\">Top</h2>"), "{}", r.html);
        assert!(r.html.contains("<h2 id=\"a-deal-proves-elusive\">"), "{}", r.html);
        assert!(r.html.contains("<h2 id=\"top-1\">"), "{}", r.html);
    }

    #[test]
    fn body_images_load_lazily_with_escaped_alt() {
        let r = md("![A \"quoted\" <b>alt</b>](/img/p.jpg \"T\")");
        assert!(
            r.html.contains(r#"<img src="/repo/img/p.jpg" alt="A “quoted” alt" title="T" loading="lazy">"#),
            "{}",
            r.html
        );
    }

    #[test]
    fn sanitizing_strips_scripts_but_keeps_our_markup() {
        let r = md(
            "## Head\n\n<script>alert(1)</script>\n\n<p onclick=\"x()\">Hi</p>\n\n[a](javascript:alert(1)) <a href=\"javascript:alert(2)\">b</a>\n\n![p](/a.png)",
        );
        let clean = sanitize(&r.html);
        assert!(!clean.contains("<script") && !clean.contains("onclick") && !clean.contains("javascript:"), "{clean}");
        assert!(clean.contains("<h2 id=\"head\">Head</h2>"), "{clean}");
        assert!(clean.contains("loading=\"lazy\""), "{clean}");
        assert!(clean.contains("<p>Hi</p>"), "{clean}");
    }

    #[test]
    fn explicit_heading_ids_are_kept() {
        assert!(md("## Notes {#notes}\n").html.contains("<h2 id=\"notes\">Notes</h2>"));
    }

    #[test]
    fn root_relative_links_use_base_path() {
        let r = md("[x](/world/a/) ![p](/img/p.jpg) [y](https://e.org/) [z](b/)");
        assert!(r.html.contains("href=\"/repo/world/a/\""), "{}", r.html);
        assert!(r.html.contains("src=\"/repo/img/p.jpg\""), "{}", r.html);
        assert!(r.html.contains("href=\"https://e.org/\""));
        assert!(r.html.contains("href=\"b/\""));
    }

    #[test]
    fn first_paragraph_is_plain_text() {
        let r = md("## Head\n\nThe *quick* `fox`\njumps.\n\nSecond.");
        assert_eq!(r.first_paragraph, "The quick fox jumps.");
        assert_eq!(r.text, "Head\nThe quick fox jumps.\nSecond.");
        assert_eq!(r.word_count, 1 + 4 + 1);
    }

    #[test]
    fn bare_addresses_become_links_but_not_in_code_links_or_other_schemes() {
        let r = md(
            "Write to corrections@news.example.com or see https://example.org/rates?a=1.\n\n`ops@example.com` [tips@example.com](/tips/) javascript://x ftp://example.org/f\n\n    https://example.org/code",
        );
        let page = scraper::Html::parse_fragment(&r.html);
        let hrefs: Vec<&str> =
            page.select(&scraper::Selector::parse("a").unwrap()).filter_map(|a| a.value().attr("href")).collect();
        assert_eq!(
            hrefs,
            ["mailto:corrections@news.example.com", "https://example.org/rates?a=1", "/repo/tips/"],
            "{}",
            r.html
        );
        assert!(r.html.contains("https://example.org/rates?a=1</a>."), "the full stop stays outside: {}", r.html);
        assert_eq!(
            r.text.lines().next(),
            Some("Write to corrections@news.example.com or see https://example.org/rates?a=1.")
        );
    }

    #[test]
    fn headlines_get_the_typography_bodies_get_and_nothing_else() {
        assert_eq!(smart("Leaders agree on \"next steps\""), "Leaders agree on “next steps”");
        assert_eq!(smart("Council's 'final' vote -- and what's next..."), "Council’s ‘final’ vote – and what’s next…");
        assert_eq!(smart("\"Quoted\" at the start"), "“Quoted” at the start");
        // Markdown-looking text stays as written.
        for plain in
            ["1. Not a list", "- Not a list", "# Not a heading", "*Not* _emphasis_ `code` [link](x) <b> &amp; \\"]
        {
            assert_eq!(smart(plain), plain);
        }
        assert_eq!(smart("Rates & risks"), "Rates & risks");
        assert_eq!(smart(""), "");
    }

    #[test]
    fn words_are_counted_whole_whatever_splits_them() {
        // Smart punctuation and emphasis cut words into several text
        // events; dashes, ellipses and lone quotes are no words.
        let r = md("Don't stop -- it's \"fine\"... *in*credible ' --- ok");
        assert_eq!(r.word_count, 6, "{}", r.text);
        let r = render_html("<div>one</div><div>two</div><blockquote>three</blockquote>", None);
        assert_eq!(r.word_count, 3, "{}", r.text);
    }

    #[test]
    fn extensions_are_on() {
        let r = md("| a |\n|---|\n| b |\n\n~~no~~ \"quoted\"[^1]\n\n[^1]: note");
        assert!(r.html.contains("<table>"));
        assert!(r.html.contains("<del>no</del>"));
        assert!(r.html.contains("“quoted”"));
        assert!(r.html.contains("footnote"));
    }
}
