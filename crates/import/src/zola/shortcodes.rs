//! Zola's shortcodes in a body (`{{ name(args) }}`, `{% name(args) %}`
//! up to `{% end %}`): embeds and figures Broadsheet can say in Markdown
//! converted, any other hidden in an HTML comment (a block's inner text
//! kept) with a report line.

use crate::{Imported, html};

/// One `{{ name(args) }}` or `{% name(args) %}`.
struct Call {
    start: usize,
    end: usize,
    name: String,
    args: Vec<(String, String)>,
    /// `{% %}`: a body follows, up to `{% end %}`.
    block: bool,
}

/// The next shortcode call at or after `from`.
fn next_call(text: &str, from: usize) -> Option<Call> {
    let mut at = from;
    loop {
        let rel = text[at..].find(['{'])?;
        let start = at + rel;
        let rest = &text[start..];
        let (block, close) = if rest.starts_with("{{") {
            (false, "}}")
        } else if rest.starts_with("{%") {
            (true, "%}")
        } else {
            at = start + 1;
            continue;
        };
        let inner_start = start + 2;
        let inner = text[inner_start..].trim_start_matches([' ', '\t']);
        let name: String = inner.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
        let after = &inner[name.len()..];
        if name.is_empty() || !after.starts_with('(') {
            at = start + 2;
            continue;
        }
        // Arguments up to the `)` that is not in a string.
        let args_start = text.len() - after.len() + 1;
        let mut quote = None;
        let mut end_args = None;
        for (i, c) in text[args_start..].char_indices() {
            match (quote, c) {
                (None, '"' | '\'' | '`') => quote = Some(c),
                (Some(q), c) if c == q => quote = None,
                (None, ')') => {
                    end_args = Some(args_start + i);
                    break;
                }
                _ => {}
            }
        }
        let Some(end_args) = end_args else {
            at = start + 2;
            continue;
        };
        let tail = text[end_args + 1..].trim_start_matches([' ', '\t']);
        if !tail.starts_with(close) {
            at = start + 2;
            continue;
        }
        let end = text.len() - tail.len() + close.len();
        return Some(Call { start, end, name, args: call_args(&text[args_start..end_args]), block });
    }
}

/// `id="x", caption='y', n=3` → named arguments (quotes removed).
fn call_args(s: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = s.trim();
    while !rest.is_empty() {
        let Some(eq) = rest.find('=') else { break };
        let key = rest[..eq].trim().trim_start_matches(',').trim().to_string();
        let after = rest[eq + 1..].trim_start();
        let (value, next) = match after.chars().next() {
            Some(q @ ('"' | '\'' | '`')) => match after[1..].find(q) {
                Some(e) => (after[1..1 + e].to_string(), &after[e + 2..]),
                None => (after[1..].to_string(), ""),
            },
            Some('[') => match after.find(']') {
                Some(e) => (after[..=e].to_string(), &after[e + 1..]),
                None => (after.to_string(), ""),
            },
            _ => {
                let e = after.find(',').unwrap_or(after.len());
                (after[..e].trim().to_string(), &after[e..])
            }
        };
        out.push((key, value));
        rest = next.trim_start().trim_start_matches(',').trim_start();
    }
    out
}

/// Converts Zola's shortcodes in a body.
pub(super) fn shortcodes(body: &str, origin: &str, first_line: usize, imported: &mut Imported) -> String {
    let mut out = String::with_capacity(body.len());
    let mut at = 0;
    while let Some(call) = next_call(body, at) {
        out.push_str(&body[at..call.start]);
        let line = first_line + body[..call.start].matches('\n').count();
        let (inner, end) = if call.block {
            match find_end(body, call.end) {
                Some((inner_end, after)) => (Some(&body[call.end..inner_end]), after),
                None => (None, call.end),
            }
        } else {
            (None, call.end)
        };
        let arg = |k: &str| call.args.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()).filter(|v| !v.is_empty());
        let embed = |url: String, site: &str, imported: &mut Imported| {
            imported.count(html::EMBEDS_COUNTED, 1);
            format!("\n\n{}\n\n", html::embed_block(&url, site))
        };
        let lname = call.name.to_ascii_lowercase();
        let converted = match lname.as_str() {
            "youtube" => {
                arg("id").map(|id| embed(format!("https://www.youtube.com/watch?v={id}"), "YouTube", imported))
            }
            "vimeo" => arg("id").map(|id| embed(format!("https://vimeo.com/{id}"), "Vimeo", imported)),
            n if n.contains("figure") || n.contains("image") || n == "img" => {
                ["src", "path", "url", "image", "file"].iter().find_map(|k| arg(k)).map(|src| {
                    let alt = arg("alt").unwrap_or_default();
                    let caption = arg("caption")
                        .or_else(|| arg("title"))
                        .or_else(|| inner.map(|i| i.trim().to_string()).filter(|i| !i.is_empty()));
                    match caption {
                        Some(c) => html::figure(&html::img(&src, &alt, ""), Some(&c)),
                        None => format!("![{}]({src})", alt.replace(['[', ']'], "")),
                    }
                })
            }
            // A theme's own video or embed shortcode: its address, when a
            // provider Broadsheet embeds serves it.
            _ => html::ADDRESS_ARGUMENTS
                .iter()
                .find_map(|k| arg(k))
                .and_then(|u| html::embeddable(&u))
                .map(|u| embed(u, "", imported)),
        };
        match converted {
            Some(text) => out.push_str(&text),
            None => {
                imported.note(
                    format!("{origin}:{line}"),
                    format!(
                        "shortcode `{}` hidden in an HTML comment (its inner text kept): replace it by hand (Broadsheet has no `{}`)",
                        body[call.start..call.end].trim(),
                        call.name
                    ),
                );
                out.push_str(&crate::hidden(&body[call.start..call.end]));
                if let Some(inner) = inner {
                    out.push_str(inner);
                    out.push_str(&crate::hidden(&body[call.end + inner.len()..end]));
                }
            }
        }
        at = end;
    }
    out.push_str(&body[at..]);
    out
}

/// Where `{% end %}` closes a block opened before `from`, nested blocks counted.
fn find_end(body: &str, from: usize) -> Option<(usize, usize)> {
    let mut depth = 0;
    let mut at = from;
    loop {
        let rel = body[at..].find("{%")?;
        let start = at + rel;
        let close = body[start..].find("%}")? + start + 2;
        let inner = body[start + 2..close - 2].trim();
        if inner == "end" {
            if depth == 0 {
                return Some((start, close));
            }
            depth -= 1;
        } else if next_call(body, start).is_some_and(|c| c.start == start && c.block) {
            depth += 1;
        }
        at = close;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortcodes_become_links_figures_or_notes() {
        let mut imported = Imported::default();
        let body = "A\n\n{{ youtube(id=\"dQw4w9WgXcQ\") }}\n\n{% note(kind=\"warning\") %}\nClosed\n{% end %}\n\n{{ figure(src=\"a.jpg\", caption=\"Quay, at dusk\") }}\n<!-- more -->";
        let out = shortcodes(body, "content/blog/x.md", 10, &mut imported);
        assert!(out.contains("{{< embed https://www.youtube.com/watch?v=dQw4w9WgXcQ >}}"), "{out}");
        let (open, close) = (crate::hidden("{% note(kind=\"warning\") %}"), crate::hidden("{% end %}"));
        assert!(out.contains(&format!("{open}\nClosed\n{close}")), "{out}");
        assert!(
            out.contains("<figure><img src=\"a.jpg\" alt=\"\"><figcaption>Quay, at dusk</figcaption></figure>"),
            "{out}"
        );
        assert_eq!(imported.notes.len(), 1);
        assert_eq!(imported.notes[0].origin, "content/blog/x.md:14");
        assert_eq!(imported.counts[html::EMBEDS_COUNTED], 1);
        // A theme's own shortcode, by the address it names.
        let out = shortcodes(
            "{{ video(url=\"https://www.youtube.com/embed/B5xYBrxVSiE\", preview=\"a.jpg\") }}",
            "x.md",
            1,
            &mut imported,
        );
        assert!(out.contains("{{< embed https://www.youtube.com/embed/B5xYBrxVSiE >}}"), "{out}");
    }
}
