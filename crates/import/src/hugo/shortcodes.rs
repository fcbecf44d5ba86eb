//! Hugo's shortcodes in a body (`{{< name args >}}`, `{{% %}}`): the
//! built-in ones Broadsheet can say in Markdown (figures, embeds,
//! highlighted code, `ref`) converted, escaped ones (`{{</* */>}}`) written
//! out, and any other hidden in an HTML comment with a report line.

use crate::{Imported, html};

/// One `{{< name args >}}` (or `{{% %}}`) tag.
struct Tag<'a> {
    start: usize,
    end: usize,
    name: &'a str,
    closing: bool,
    self_closing: bool,
    args: Vec<(Option<String>, String)>,
    /// `{{</* x */>}}`: written out as a shortcode, not run.
    escaped: bool,
}

/// The next shortcode tag at or after `from`.
fn next_tag(text: &str, from: usize) -> Option<Tag<'_>> {
    let mut at = from;
    loop {
        let rel = text[at..].find("{{")?;
        let start = at + rel;
        let delim = match text[start + 2..].trim_start_matches([' ', '\t']).chars().next() {
            Some('<') => '<',
            Some('%') => '%',
            _ => {
                at = start + 2;
                continue;
            }
        };
        let open_len = text[start..].find(delim)? + 1;
        let close = if delim == '<' { ">}}" } else { "%}}" };
        let Some(inner_len) = text[start + open_len..].find(close) else {
            at = start + 2;
            continue;
        };
        let inner = text[start + open_len..start + open_len + inner_len].trim();
        let end = start + open_len + inner_len + close.len();
        if let Some(comment) = inner.strip_prefix("/*").and_then(|i| i.strip_suffix("*/")) {
            return Some(Tag {
                start,
                end,
                name: comment.trim(),
                closing: false,
                self_closing: true,
                args: Vec::new(),
                escaped: true,
            });
        }
        let (closing, inner) = match inner.strip_prefix('/') {
            Some(i) => (true, i.trim_start()),
            None => (false, inner),
        };
        let (self_closing, inner) = match inner.strip_suffix('/') {
            Some(i) => (true, i.trim_end()),
            None => (false, inner),
        };
        let name_len = inner.find(char::is_whitespace).unwrap_or(inner.len());
        let name = &inner[..name_len];
        if name.is_empty() {
            at = start + 2;
            continue;
        }
        return Some(Tag { start, end, name, closing, self_closing, args: args(&inner[name_len..]), escaped: false });
    }
}

/// `a "b c" key=value key="v w"` → positional and named arguments.
fn args(s: &str) -> Vec<(Option<String>, String)> {
    let mut out = Vec::new();
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    let word = |i: &mut usize| -> String {
        let mut w = String::new();
        if let Some(&q) = chars.get(*i).filter(|c| matches!(c, '"' | '`')) {
            *i += 1;
            while *i < chars.len() && chars[*i] != q {
                if chars[*i] == '\\' && q == '"' && *i + 1 < chars.len() {
                    *i += 1;
                }
                w.push(chars[*i]);
                *i += 1;
            }
            *i += 1;
        } else {
            while *i < chars.len() && !chars[*i].is_whitespace() && chars[*i] != '=' {
                w.push(chars[*i]);
                *i += 1;
            }
        }
        w
    };
    while i < chars.len() {
        if chars[i].is_whitespace() {
            i += 1;
            continue;
        }
        let quoted = matches!(chars[i], '"' | '`');
        let first = word(&mut i);
        if !quoted && chars.get(i) == Some(&'=') {
            i += 1;
            let value = word(&mut i);
            out.push((Some(first), value));
        } else {
            out.push((None, first));
        }
    }
    out
}

fn arg(tag: &Tag, name: &str, position: usize) -> Option<String> {
    tag.args
        .iter()
        .find(|(k, _)| k.as_deref() == Some(name))
        .or_else(|| tag.args.iter().filter(|(k, _)| k.is_none()).nth(position))
        .map(|(_, v)| v.clone())
        .filter(|v| !v.is_empty())
}

fn named(tag: &Tag, name: &str) -> Option<String> {
    tag.args.iter().find(|(k, _)| k.as_deref() == Some(name)).map(|(_, v)| v.clone()).filter(|v| !v.is_empty())
}

/// Where the closing tag of `open` is: (inner end, after the close).
fn find_close(text: &str, open: &Tag) -> Option<(usize, usize)> {
    let mut depth = 0;
    let mut at = open.end;
    while let Some(tag) = next_tag(text, at) {
        if tag.name == open.name && !tag.escaped {
            if tag.closing {
                if depth == 0 {
                    return Some((tag.start, tag.end));
                }
                depth -= 1;
            } else if !tag.self_closing {
                depth += 1;
            }
        }
        at = tag.end;
    }
    None
}

/// Converts Hugo's shortcodes in a body; `first_line` is the file's line
/// the body starts on, for notes.
pub(super) fn shortcodes(body: &str, origin: &str, first_line: usize, imported: &mut Imported) -> String {
    comments_after_text(&convert_all(body, origin, first_line, imported))
}

/// The comment that hides a shortcode, on one line (a comment over
/// several lines would make an HTML block of the text after it).
fn hide(source: &str) -> String {
    crate::hidden(&source.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// A line whose text starts with our comments (`{{< note >}}This post…`)
/// is read by CommonMark as an HTML block, its Markdown shown raw: the
/// comments move to the end of the line, after its text. A comment alone
/// on its line is an HTML block of its own and stays.
fn comments_after_text(text: &str) -> String {
    const MARK: &str = "<!-- not converted";
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let (body, newline) = line.strip_suffix('\n').map_or((line, ""), |b| (b, "\n"));
        let lead = block_prefix(body);
        let mut rest = &body[lead..];
        let mut moved: Vec<&str> = Vec::new();
        while rest.starts_with(MARK) {
            let Some(end) = rest.find("-->") else { break };
            moved.push(&rest[..end + 3]);
            rest = rest[end + 3..].trim_start();
        }
        if moved.is_empty() || rest.trim().is_empty() {
            out.push_str(line);
            continue;
        }
        // After the text, before the comments that end the line (a closing tag's).
        let mut text_end = rest.trim_end().len();
        while let Some(at) = rest[..text_end].rfind(MARK).filter(|_| rest[..text_end].ends_with("-->")) {
            text_end = rest[..at].trim_end().len();
        }
        let (text, trailing) = rest.split_at(text_end);
        out.push_str(&format!("{}{text} {}{}{newline}", &body[..lead], moved.join(" "), trailing.trim_end()));
    }
    out
}

/// How much of a line is block markup before its text: indentation,
/// block quote markers and a list item's marker.
fn block_prefix(line: &str) -> usize {
    let bytes = line.as_bytes();
    let mut i = 0;
    loop {
        while bytes.get(i).is_some_and(|b| matches!(b, b' ' | b'\t' | b'>')) {
            i += 1;
        }
        let digits = bytes[i..].iter().take_while(|b| b.is_ascii_digit()).count();
        let marker = match bytes.get(i + digits) {
            Some(b'.' | b')') if digits > 0 => digits + 1,
            Some(b'-' | b'*' | b'+') if digits == 0 => 1,
            _ => 0,
        };
        if marker == 0 || !bytes.get(i + marker).is_some_and(|b| *b == b' ' || *b == b'\t') {
            return i;
        }
        i += marker;
    }
}

/// Converts the shortcodes of `body`, inner texts of unknown paired ones
/// too (their own lines may keep comments at their start: see
/// `comments_after_text`).
fn convert_all(body: &str, origin: &str, first_line: usize, imported: &mut Imported) -> String {
    let mut out = String::with_capacity(body.len());
    let mut at = 0;
    while let Some(tag) = next_tag(body, at) {
        out.push_str(&body[at..tag.start]);
        let line = first_line + body[..tag.start].matches('\n').count();
        if tag.escaped {
            let delim = &body[tag.start..tag.end];
            let open = if delim.contains("{{%") { ("{{% ", " %}}") } else { ("{{< ", " >}}") };
            out.push_str(&format!("{}{}{}", open.0, tag.name, open.1));
            at = tag.end;
            continue;
        }
        if tag.closing {
            // A closing tag whose opening was handled (or never was): dropped.
            at = tag.end;
            continue;
        }
        let close = if tag.self_closing { None } else { find_close(body, &tag) };
        let (inner, end) = match close {
            Some((inner_end, after)) => (Some(&body[tag.end..inner_end]), after),
            None => (None, tag.end),
        };
        if let Some(text) = convert(&tag, inner, imported) {
            out.push_str(&text);
        } else if let Some(picture) = picture(&tag, inner.filter(|i| caption_like(i))) {
            imported.note(
                format!("{origin}:{line}"),
                format!(
                    "shortcode `{{{{< {} >}}}}` made an image of the file it names, its path kept as written: if the theme put an address before it (a CDN in the config's params), fix the path",
                    tag.name
                ),
            );
            out.push_str(&picture);
            // Inner text that is more than a caption (paragraphs, other
            // shortcodes: a theme's picture-and-text block) follows the
            // picture, converted as the body is.
            if let Some(inner) = inner.filter(|i| !caption_like(i)) {
                let inner_line = first_line + body[..tag.end].matches('\n').count();
                out.push_str("\n\n");
                out.push_str(&convert_all(inner, origin, inner_line, imported));
            }
        } else {
            imported.note(
                format!("{origin}:{line}"),
                format!(
                    "shortcode `{{{{< {} >}}}}` hidden in an HTML comment (its inner text kept): replace it by hand (Broadsheet has no `{}`)",
                    tag.name, tag.name
                ),
            );
            out.push_str(&hide(&body[tag.start..tag.end]));
            if let (Some(inner), Some((inner_end, after))) = (inner, close) {
                let inner_line = first_line + body[..tag.end].matches('\n').count();
                out.push_str(&convert_all(inner, origin, inner_line, imported));
                out.push_str(&hide(&body[inner_end..after]));
            }
        }
        at = end;
    }
    out.push_str(&body[at..]);
    out
}

/// Whether a picture shortcode's inner text reads as its caption: one
/// paragraph, no shortcode inside.
fn caption_like(inner: &str) -> bool {
    !inner.contains("{{") && !inner.trim().contains("\n\n")
}

/// The file types an unknown shortcode's `src` is a picture in.
const PICTURES: [&str; 7] = ["png", "jpg", "jpeg", "gif", "webp", "svg", "avif"];

/// An unknown shortcode that names a picture file (`src=`, or its first
/// argument: a theme's `legacy-img`, `img-right`): that picture, with its
/// `alt`, and its `caption` (or `title`, or inner text) in a figure.
fn picture(tag: &Tag, inner: Option<&str>) -> Option<String> {
    let src = named(tag, "src").or_else(|| arg(tag, "src", 0))?;
    let path = src.split(['?', '#']).next().unwrap_or("");
    let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase())?;
    if !PICTURES.contains(&ext.as_str()) || src.contains(char::is_whitespace) {
        return None;
    }
    let alt = named(tag, "alt").unwrap_or_default();
    let caption = named(tag, "caption")
        .or_else(|| named(tag, "title"))
        .or_else(|| inner.map(|i| i.trim().to_string()).filter(|i| !i.is_empty()));
    Some(match caption {
        Some(caption) => html::figure_markdown(&html::img(&src, &alt, ""), Some(&caption)),
        None if src.contains(['(', ')']) => format!("![{}](<{src}>)", alt.replace(['[', ']'], "")),
        None => format!("![{}]({src})", alt.replace(['[', ']'], "")),
    })
}

/// What a known shortcode becomes; `None` for one kept as text.
fn convert(tag: &Tag, inner: Option<&str>, imported: &mut Imported) -> Option<String> {
    let embed = |url: String, site: &str, imported: &mut Imported| {
        imported.count(html::EMBEDS_COUNTED, 1);
        format!("\n\n{}\n\n", html::embed_block(&url, site))
    };
    match tag.name {
        "figure" | "imgproc" => {
            let src = if tag.name == "imgproc" {
                arg(tag, "src", 0)?
            } else {
                named(tag, "src").or_else(|| arg(tag, "src", 0))?
            };
            let alt = named(tag, "alt").unwrap_or_default();
            let caption = named(tag, "caption")
                .or_else(|| named(tag, "title"))
                .or_else(|| inner.map(|i| i.trim().to_string()).filter(|i| !i.is_empty()));
            let img = html::img(&src, &alt, "");
            let link = named(tag, "link");
            let img = match &link {
                Some(link) => format!("<a href=\"{}\">{img}</a>", html::escape(link)),
                None => img,
            };
            Some(match caption {
                None if link.is_none() => format!("![{}]({})", alt.replace(['[', ']'], ""), src),
                caption => html::figure_markdown(&img, caption.as_deref()),
            })
        }
        "youtube" => {
            let id = arg(tag, "id", 0)?;
            Some(embed(format!("https://www.youtube.com/watch?v={id}"), "YouTube", imported))
        }
        "vimeo" => {
            let id = arg(tag, "id", 0)?;
            Some(embed(format!("https://vimeo.com/{id}"), "Vimeo", imported))
        }
        "x" | "twitter" | "tweet" => {
            let (user, id) = match (named(tag, "user"), named(tag, "id")) {
                (Some(u), Some(id)) => (u, id),
                _ if tag.args.len() >= 2 => (arg(tag, "", 0)?, arg(tag, "", 1)?),
                _ => ("i".to_string(), arg(tag, "id", 0)?),
            };
            let url = if user == "i" {
                format!("https://twitter.com/i/status/{id}")
            } else {
                format!("https://x.com/{user}/status/{id}")
            };
            Some(embed(url, "X (Twitter)", imported))
        }
        "instagram" => {
            let id = arg(tag, "id", 0)?;
            Some(embed(format!("https://www.instagram.com/p/{id}/"), "Instagram", imported))
        }
        "gist" => {
            let user = arg(tag, "user", 0)?;
            let id = arg(tag, "id", 1)?;
            Some(embed(format!("https://gist.github.com/{user}/{id}"), "GitHub", imported))
        }
        "highlight" => {
            let lang = arg(tag, "lang", 0).unwrap_or_default();
            let code = inner.unwrap_or("").trim_start_matches(['\r', '\n']).trim_end();
            Some(format!("\n```{lang}\n{code}\n```\n"))
        }
        "ref" | "relref" => Some(arg(tag, "path", 0).unwrap_or_default()),
        "param" => Some(String::new()),
        // A theme's own video or embed shortcode: its address, when a
        // provider Broadsheet embeds serves it.
        _ => html::ADDRESS_ARGUMENTS
            .iter()
            .find_map(|k| named(tag, k))
            .and_then(|u| html::embeddable(&u))
            .map(|u| embed(u, "", imported)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(body: &str) -> (String, Imported) {
        let mut imported = Imported::default();
        let out = shortcodes(body, "content/posts/x.md", 5, &mut imported);
        (out, imported)
    }

    #[test]
    fn figure_with_caption_becomes_a_figure() {
        let (out, _) = run(r#"{{< figure src="photo.jpg" alt="Waves" caption="At 2am" >}}"#);
        assert_eq!(out, r#"<figure><img src="photo.jpg" alt="Waves"><figcaption>At 2am</figcaption></figure>"#);
        let (out, _) = run(r#"{{< figure src="/a.png" alt="A" >}}"#);
        assert_eq!(out, "![A](/a.png)");
    }

    #[test]
    fn figure_captions_are_markdown() {
        let (out, _) =
            run(r#"{{< figure src="a.png" caption="Seen in [Monocles Chat](https://monocles.eu/more), *new*" >}}"#);
        assert_eq!(
            out,
            r#"<figure><img src="a.png" alt=""><figcaption>Seen in <a href="https://monocles.eu/more">Monocles Chat</a>, <em>new</em></figcaption></figure>"#
        );
    }

    #[test]
    fn a_comment_that_would_start_a_line_of_text_goes_after_it() {
        let (out, _) = run("Intro.\n\n{{< note >}}This post is [part one](/a/).{{< /note >}}\nMore *text*.\n");
        let (open, close) = (crate::hidden("{{< note >}}"), crate::hidden("{{< /note >}}"));
        assert_eq!(out, format!("Intro.\n\nThis post is [part one](/a/). {open}{close}\nMore *text*.\n"));
        // In a list item or a quote, after the markers; alone on its line, it stays.
        let (out, _) = run("- {{< tip >}}Use [it](/b/)\n> {{< tip >}}Quoted\n{{< tip >}}\nText\n");
        let tip = crate::hidden("{{< tip >}}");
        assert_eq!(out, format!("- Use [it](/b/) {tip}\n> Quoted {tip}\n{tip}\nText\n"));
        // A shortcode over several lines: its comment is on one.
        let (out, _) = run("{{< note\n  kind=\"x\" >}}Text");
        assert_eq!(out, format!("Text {}", crate::hidden("{{< note kind=\"x\" >}}")));
    }

    #[test]
    fn unknown_shortcodes_naming_a_picture_become_pictures() {
        let (out, imported) = run(
            "{{< legacy-img src=\"/2013/11/Phones-300x210.JPG\" alt=\"Hands [holding] phones\" >}}\n{{< img-right \"team.png\" caption=\"The *team*\" >}}\n{{< img src=\"plain-language\" >}}",
        );
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[0], "![Hands holding phones](/2013/11/Phones-300x210.JPG)");
        assert_eq!(
            lines[1],
            r#"<figure><img src="team.png" alt=""><figcaption>The <em>team</em></figcaption></figure>"#
        );
        assert_eq!(lines[2], crate::hidden("{{< img src=\"plain-language\" >}}"), "not a picture file: hidden");
        assert_eq!(imported.notes.len(), 3);
        assert!(imported.notes[0].what.contains("`{{< legacy-img >}}` made an image"), "{}", imported.notes[0].what);
        assert!(imported.notes[0].what.contains("CDN"), "{}", imported.notes[0].what);
    }

    #[test]
    fn a_picture_shortcodes_paragraphs_and_inner_shortcodes_follow_the_picture() {
        let (out, _) = run(
            "{{< two_column_block_img src=\"/img/scalable.svg\" alt=\"Scalable\" >}}\n\n{{< content_arrow href=\"#a\" >}}\nScales with the cluster.\n{{< /content_arrow >}}\n\n{{< /two_column_block_img >}}",
        );
        assert!(out.starts_with("![Scalable](/img/scalable.svg)\n\n"), "{out}");
        assert!(!out.contains("figcaption"), "{out}");
        assert!(out.contains("Scales with the cluster."), "{out}");
        // Readers see no shortcode: the inner ones are hidden in comments.
        let shown: String =
            out.split("<!--").map(|part| part.split_once("-->").map_or(part, |(_, after)| after)).collect();
        assert!(!shown.contains("{{"), "{out}");
    }

    #[test]
    fn embeds_become_broadsheet_embeds_or_links_and_are_counted() {
        let (out, imported) =
            run("{{< youtube dQw4w9WgXcQ >}}\n{{% tweet user=\"a\" id=\"12\" %}}\n{{< gist u abc >}}");
        assert!(out.contains("{{< embed https://www.youtube.com/watch?v=dQw4w9WgXcQ >}}"), "{out}");
        assert!(out.contains("{{< embed https://x.com/a/status/12 >}}"), "{out}");
        assert!(out.contains("<a href=\"https://gist.github.com/u/abc\">See on GitHub</a>"), "{out}");
        assert_eq!(imported.counts[html::EMBEDS_COUNTED], 3);
        // A theme's own shortcode, by the address it names.
        let (out, _) = run("{{< video url=\"https://player.vimeo.com/video/46709928\" >}}");
        assert!(out.contains("{{< embed https://player.vimeo.com/video/46709928 >}}"), "{out}");
    }

    #[test]
    fn highlight_becomes_a_fenced_block() {
        let (out, _) = run("{{< highlight go \"linenos=table\" >}}\nfunc f() {}\n{{< /highlight >}}");
        assert_eq!(out, "\n```go\nfunc f() {}\n```\n");
    }

    #[test]
    fn refs_keep_the_path_and_unknown_shortcodes_are_noted() {
        let (out, imported) =
            run("[a]({{< relref \"posts/other.md\" >}})\n\n{{< callout type=\"warning\" >}}\nHi\n{{< /callout >}}");
        let (open, close) = (crate::hidden("{{< callout type=\"warning\" >}}"), crate::hidden("{{< /callout >}}"));
        assert_eq!(out, format!("[a](posts/other.md)\n\n{open}\nHi\n{close}"));
        assert!(!open.contains("-->{") && open.starts_with("<!-- ") && open.ends_with(" -->"), "{open}");
        assert_eq!(imported.notes.len(), 1);
        assert_eq!(imported.notes[0].origin, "content/posts/x.md:7");
        let (out, imported) = run("{{</* youtube x */>}} <!--more-->");
        assert_eq!(out, "{{< youtube x >}} <!--more-->");
        assert!(imported.notes.is_empty());
    }
}
