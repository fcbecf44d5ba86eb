//! WordPress shortcodes in a post's HTML: `[caption]` a figure, code
//! shortcodes a code block, `[embed]`, `[youtube]` and `[vimeo]` a link;
//! any other hidden in an HTML comment and reported. A Jekyll site moved
//! from WordPress has its shortcodes converted here too.

use crate::{Imported, clip, html};

/// Shortcodes known to be shortcodes even without `=` or a closing tag.
const KNOWN: &[&str] = &[
    "caption",
    "wp_caption",
    "embed",
    "youtube",
    "vimeo",
    "gallery",
    "audio",
    "video",
    "playlist",
    "soundcloud",
    "contact-form-7",
    "contact-form",
    "gravityform",
    "ninja_form",
    "wpforms",
    "tweet",
    "instagram",
    "googlemaps",
];

/// Shortcodes: `[caption]` becomes a figure, `[embed]` and `[youtube]` a
/// link; any other shortcode is hidden in an HTML comment (a paired one's
/// inner text kept) and reported.
pub(crate) fn shortcodes(body: &str, origin: &str, imported: &mut Imported) -> String {
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(open) = rest.find('[') {
        out.push_str(&rest[..open]);
        let from = &rest[open..];
        let Some(close) = from.find(']') else {
            out.push_str(from);
            return out;
        };
        let tag = &from[1..close];
        let name: String = tag.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-').collect();
        let after = tag[name.len()..].chars().next();
        let lname = name.to_ascii_lowercase();
        let closing = format!("[/{name}]");
        let has_close = from.find(&closing);
        // `[text](url)`, `[text][ref]` and `[ref]: url` are Markdown links
        // (a Jekyll site moved from WordPress mixes both).
        let next = &from[close + 1..];
        let markdown_link = next.starts_with(['(', ':'])
            || (next.starts_with('[') && !KNOWN.contains(&name.to_ascii_lowercase().as_str()));
        let is_shortcode = !name.is_empty()
            && !markdown_link
            && name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            && matches!(after, None | Some(' ' | '='))
            && (KNOWN.contains(&lname.as_str()) || tag.contains('=') || has_close.is_some());
        if !is_shortcode {
            out.push('[');
            rest = &from[1..];
            continue;
        }
        let (inner, end) = match has_close {
            Some(c) => (&from[close + 1..c], c + closing.len()),
            None => ("", close + 1),
        };
        let whole = &from[..end];
        // SyntaxHighlighter's `[sourcecode language="x"]` and `[csharp]`.
        let code = has_close.and_then(|_| code_language(&lname, tag));
        match lname.as_str() {
            "caption" | "wp_caption" => {
                // Older WordPress writes the caption as an attribute.
                let written = html::attr(&format!("<x {}>", &tag[name.len()..]), "caption");
                out.push_str(&caption(inner, written.as_deref()));
            }
            _ if code.is_some() => {
                let lang = code.unwrap_or_default();
                let code = html::escape(&html::decode_entities(inner.trim_matches(['\n', '\r'])));
                let class = if lang.is_empty() { String::new() } else { format!(" class=\"language-{lang}\"") };
                out.push_str(&format!("\n\n<pre><code{class}>{code}</code></pre>\n\n"));
            }
            "embed" | "youtube" | "vimeo" => {
                out.push_str(&format!("\n\n{}\n\n", embed_address(&lname, &tag[name.len()..], inner)));
            }
            _ => {
                imported.note(
                    origin,
                    format!(
                        "shortcode `{}` hidden in an HTML comment: replace it by hand (Broadsheet has no `{name}`)",
                        clip(whole)
                    ),
                );
                // Paired: the inner text stays for readers, the tags do not.
                out.push_str(&crate::hidden(&from[..=close]));
                if has_close.is_some() {
                    out.push_str(inner);
                    out.push_str(&crate::hidden(&closing));
                }
            }
        }
        rest = &from[end..];
    }
    out.push_str(rest);
    out
}

/// The address an `[embed]`, `[youtube]` or `[vimeo]` shortcode shows:
/// its inner text, else its first attribute (`[youtube=URL]`); a bare
/// Vimeo number is Vimeo's.
fn embed_address(name: &str, attributes: &str, inner: &str) -> String {
    let url = if inner.trim().is_empty() {
        attributes.trim_start_matches(['=', ' ']).split_whitespace().next().unwrap_or("").to_string()
    } else {
        inner.trim().to_string()
    };
    if name == "vimeo" && !url.starts_with("http") { format!("https://vimeo.com/{url}") } else { url }
}

/// The language of a code shortcode: `[sourcecode language="x"]`,
/// `[code lang="x"]`, or one named after its language (`[csharp]`).
fn code_language(name: &str, tag: &str) -> Option<String> {
    const LANGUAGES: &[&str] = &[
        "as3",
        "actionscript3",
        "bash",
        "shell",
        "c",
        "cpp",
        "csharp",
        "css",
        "delphi",
        "diff",
        "erlang",
        "go",
        "groovy",
        "html",
        "java",
        "javascript",
        "js",
        "jscript",
        "json",
        "kotlin",
        "matlab",
        "objc",
        "perl",
        "php",
        "plain",
        "powershell",
        "python",
        "py",
        "ruby",
        "rust",
        "scala",
        "sql",
        "swift",
        "text",
        "typescript",
        "vb",
        "vbnet",
        "xml",
        "xhtml",
        "xslt",
        "yaml",
    ];
    if matches!(name, "sourcecode" | "source" | "code" | "syntax") {
        let attrs = format!("<x {}>", &tag[name.len()..]);
        let lang = html::attr(&attrs, "language").or_else(|| html::attr(&attrs, "lang")).unwrap_or_default();
        return Some(lang.to_ascii_lowercase());
    }
    LANGUAGES.contains(&name).then(|| name.to_string())
}

/// `[caption id="" align="" width=""]<img ...> The caption[/caption]`, or
/// its `caption="..."` attribute when no text follows the picture.
fn caption(inner: &str, written: Option<&str>) -> String {
    let lower = inner.to_ascii_lowercase();
    let Some(img_at) = lower.find("<img") else { return inner.to_string() };
    let Some(tag) = html::start_tag(&inner[img_at..]) else { return inner.to_string() };
    let img_end = img_at + tag.len();
    // A linked image: `<a href><img></a>`; the caption follows the `</a>`.
    let after = &inner[img_end..];
    let after = after.trim_start().strip_prefix("</a>").unwrap_or(after);
    let text = html::strip_tags(after);
    let text = match (text.trim().is_empty(), written) {
        (true, Some(written)) => html::decode_entities(written),
        _ => text,
    };
    html::figure(tag, Some(&text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn captions_become_figures_and_unknown_shortcodes_are_reported() {
        let mut imported = Imported::default();
        let body = "[caption id=\"a\" width=\"800\"]<img src=\"b.jpg\" alt=\"Boats\" /> Boats at dawn[/caption] [sic] [gallery ids=\"1,2\"]";
        let out = shortcodes(body, "x", &mut imported);
        assert!(
            out.starts_with(
                "<figure><img src=\"b.jpg\" alt=\"Boats\" /><figcaption>Boats at dawn</figcaption></figure>"
            ),
            "{out}"
        );
        assert!(out.contains("[sic]"));
        assert_eq!(imported.notes.len(), 1, "{:?}", imported.notes);
        assert!(imported.notes[0].what.contains("gallery"));
    }
}
