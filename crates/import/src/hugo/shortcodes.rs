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
        let converted = convert(&tag, inner, imported);
        match converted {
            Some(text) => out.push_str(&text),
            None => {
                imported.note(
                    format!("{origin}:{line}"),
                    format!(
                        "shortcode `{{{{< {} >}}}}` hidden in an HTML comment (its inner text kept): replace it by hand (Broadsheet has no `{}`)",
                        tag.name, tag.name
                    ),
                );
                out.push_str(&crate::hidden(&body[tag.start..tag.end]));
                if let (Some(inner), Some((inner_end, after))) = (inner, close) {
                    let inner_line = first_line + body[..tag.end].matches('\n').count();
                    out.push_str(&shortcodes(inner, origin, inner_line, imported));
                    out.push_str(&crate::hidden(&body[inner_end..after]));
                }
            }
        }
        at = end;
    }
    out.push_str(&body[at..]);
    out
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
                caption => html::figure(&img, caption.as_deref()),
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
