//! HTML text in and out, for every module that writes or reads a little
//! HTML by hand (the Markdown renderer's additions, embeds, feeds, the
//! importers): escaping text, and decoding the character references
//! writers and exporters leave in titles, captions and attributes. A leaf:
//! it knows nothing of the site.

/// Plain text made safe to place in HTML, inside an element or a quoted
/// attribute.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let _ = pulldown_cmark_escape::escape_html(&mut out, text);
    out
}

/// The named references found in real exports and front matter (HTML's
/// full table has 2,000; these are the ones writers' tools produce).
const NAMED: &[(&str, &str)] = &[
    ("amp", "&"),
    ("lt", "<"),
    ("gt", ">"),
    ("quot", "\""),
    ("apos", "'"),
    ("nbsp", "\u{a0}"),
    ("rsquo", "\u{2019}"),
    ("lsquo", "\u{2018}"),
    ("rdquo", "\u{201d}"),
    ("ldquo", "\u{201c}"),
    ("mdash", "\u{2014}"),
    ("ndash", "\u{2013}"),
    ("hellip", "\u{2026}"),
    ("laquo", "\u{ab}"),
    ("raquo", "\u{bb}"),
    ("copy", "\u{a9}"),
    ("eacute", "\u{e9}"),
];

/// Text with its character references decoded, once and left to right
/// (`&amp;lt;` is `&lt;`, not `<`): the named ones above and every numeric
/// one (`&#40;`, `&#x2014;`); anything else is kept as written.
pub fn decode_entities(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains('&') {
        return text.into();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let decoded = rest[1..].find(';').filter(|&end| end <= 10).and_then(|end| {
            let name = &rest[1..=end];
            let c = match name.strip_prefix('#') {
                Some(num) => {
                    let code = match num.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok(),
                        None => num.parse::<u32>().ok(),
                    };
                    code.filter(|&c| c != 0).and_then(char::from_u32).map(String::from)
                }
                None => NAMED.iter().find(|(n, _)| *n == name).map(|(_, c)| (*c).to_string()),
            };
            c.map(|c| (c, end + 2))
        });
        match decoded {
            Some((c, len)) => {
                out.push_str(&c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out.into()
}

/// The raw value of attribute `name` in a start tag or its inside
/// (`img src="a" alt='b' width=800`): names compared without case, the
/// value quoted with `"` or `'` or bare; references not decoded.
pub fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    // ASCII lowercasing keeps every byte offset, so `tag` is cut where `lower` matched.
    let lower = tag.to_ascii_lowercase();
    let name = name.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = lower[from..].find(&name) {
        let at = from + i;
        from = at + name.len();
        if !lower[..at].chars().next_back().is_some_and(char::is_whitespace) {
            continue;
        }
        let rest = tag[at + name.len()..].trim_start();
        let Some(rest) = rest.strip_prefix('=') else { continue };
        let rest = rest.trim_start();
        return match rest.chars().next()? {
            q @ ('"' | '\'') => rest[1..].find(q).map(|end| &rest[1..=end][..end]),
            _ => rest.split(|c: char| c.is_whitespace() || c == '>').next(),
        };
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_decoded_once() {
        assert_eq!(
            decode_entities("The &#40;remarkably consistent&#41; &mdash; A&amp;B"),
            "The (remarkably consistent) \u{2014} A&B"
        );
        assert_eq!(decode_entities("&amp;lt; stays &lt;"), "&lt; stays <");
        assert_eq!(decode_entities("&#x2019;&#039;&apos;&#038;"), "\u{2019}''&");
        assert_eq!(decode_entities("AT&T & co &unknown; &#0; &#xZZ;"), "AT&T & co &unknown; &#0; &#xZZ;");
        assert_eq!(decode_entities("a&nbsp;b"), "a\u{a0}b");
    }

    #[test]
    fn attributes_are_found_by_name_in_any_case_and_quoting() {
        let tag = r#"img data-src="x" SRC="a.jpg" alt='A "b"' width=800>"#;
        assert_eq!(attribute(tag, "src"), Some("a.jpg"));
        assert_eq!(attribute(tag, "alt"), Some("A \"b\""));
        assert_eq!(attribute(tag, "width"), Some("800"));
        assert_eq!(attribute(tag, "height"), None);
        assert_eq!(attribute(r#"a title="unclosed"#, "title"), None);
    }

    #[test]
    fn escaping_round_trips() {
        for s in ["<b>\"Q\" & 'A'</b>", "plain", "&amp;"] {
            assert_eq!(decode_entities(&escape(s)), s);
        }
    }
}
