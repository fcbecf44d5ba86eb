//! kramdown, Jekyll's Markdown, where it differs from CommonMark in ways a
//! reader would see: inline attribute lists (`{: .note}`, `{:target="_blank"}`,
//! `{#id}` after a heading), extensions (`{::comment}`, `{::nomarkdown}`,
//! `{::options /}`), HTML blocks whose inside is Markdown (`markdown="1"`)
//! and headings without a space after their hashes (`###Heading`), and the
//! table of contents `* TOC` + `{:toc}` asks for. Each is rewritten into
//! the CommonMark that renders as Jekyll rendered it, or removed where it
//! only set an attribute; code blocks are left alone.

use std::collections::HashSet;

/// Where `{:toc}` asked for the table of contents, until it is made.
const TOC_HERE: &str = "\u{0}toc\u{0}";

/// `body` (kramdown) as CommonMark.
pub(crate) fn to_commonmark(body: &str) -> String {
    let mut state = State { out: String::with_capacity(body.len()), previous_blank: true, ..State::default() };
    let lines: Vec<&str> = body.split_inclusive('\n').collect();
    let mut next = 0;
    while next < lines.len() {
        let line = lines[next];
        next += 1;
        let raw = line.trim_end_matches(['\n', '\r']);
        if state.verbatim(line, raw) {
            continue;
        }
        // An attribute list may go on over the next lines (`{: .icon` then
        // `width="70"}`): kramdown reads the line break as a space.
        let mut joined = raw.to_string();
        while opens_list(&joined) && next < lines.len() && !lines[next].trim().is_empty() && joined.len() < 4096 {
            joined.push(' ');
            joined.push_str(lines[next].trim_end_matches(['\n', '\r']).trim_start());
            next += 1;
        }
        if state.table_of_contents(&joined) {
            continue;
        }
        // A line that is only attribute lists (a block IAL, an attribute
        // list definition, `{::options ... /}`) sets attributes: dropped.
        let mut text = strip_attribute_lists(&joined);
        if text.trim().is_empty() {
            continue;
        }
        if !state.markdown_blocks.is_empty() {
            // Indentation that follows the HTML's nesting is not code.
            text = text.trim_start().to_string();
        }
        if state.markdown_html(&text) {
            continue;
        }
        state.previous_blank = false;
        state.out.push_str(&text);
        if line.ends_with('\n') {
            state.out.push('\n');
        }
    }
    if state.toc {
        let list = table_of_contents(&state.out, &state.no_toc);
        state.out = state.out.replacen(TOC_HERE, &list, 1);
    }
    state.out
}

/// Where the conversion is, line by line.
#[derive(Default)]
struct State {
    out: String,
    /// Inside a fenced code block: its fence character and length.
    fence: Option<(char, usize)>,
    /// Open `markdown="1"` elements: their tag names, innermost last.
    markdown_blocks: Vec<String>,
    /// Inside `{::comment}` (dropped) or `{::nomarkdown}` (kept as written).
    extension: Option<&'static str>,
    previous_blank: bool,
    in_code: bool,
    /// Inside a list: an indented line continues its item (a paragraph, a
    /// quote), it is no code block.
    in_list: bool,
    /// Headings `{:.no_toc}` keeps out of the table of contents.
    no_toc: HashSet<String>,
    /// Whether a table of contents was asked for.
    toc: bool,
}

impl State {
    /// Lines kept (or dropped) as they are: inside fences, extensions and
    /// indented code, blank lines, and the lines that open them. True when
    /// `line` was one.
    fn verbatim(&mut self, line: &str, raw: &str) -> bool {
        let trimmed = raw.trim_start();
        if let Some((c, n)) = self.fence {
            self.out.push_str(line);
            if trimmed.starts_with(&c.to_string().repeat(n)) && trimmed.trim_start_matches(c).trim().is_empty() {
                self.fence = None;
            }
            return true;
        }
        if let Some(name) = self.extension {
            if close_extension(raw, line, name, &mut self.out) {
                self.extension = None;
            }
            return true;
        }
        if trimmed.is_empty() {
            self.out.push_str(line);
            self.previous_blank = true;
            return true;
        }
        let indented = raw.starts_with("    ") || raw.starts_with('\t');
        if !indented {
            self.in_list = list_item(raw);
        }
        let list_code = self.in_list && (raw.starts_with("        ") || raw.starts_with("\t\t"));
        let in_html_markdown = !self.markdown_blocks.is_empty();
        if !in_html_markdown && (self.previous_blank || self.in_code) && indented && (!self.in_list || list_code) {
            self.in_code = true;
            self.previous_blank = false;
            self.out.push_str(line);
            return true;
        }
        self.in_code = false;
        if let Some(opened) = fence_of(trimmed) {
            self.fence = Some(opened);
            self.out.push_str(line);
            self.previous_blank = false;
            return true;
        }
        if let Some(name) = ["comment", "nomarkdown"].into_iter().find(|n| trimmed.starts_with(&format!("{{::{n}}}"))) {
            if !open_extension(trimmed, name, &mut self.out, &mut self.previous_blank) {
                self.extension = Some(name);
            }
            return true;
        }
        false
    }

    /// `* TOC` then `{:toc}`: the item becomes the table of contents (true:
    /// the line is used up). `{:.no_toc}` after a heading or on its line
    /// keeps the heading out of it.
    fn table_of_contents(&mut self, joined: &str) -> bool {
        if !self.toc && is_toc(joined) && last_line(&self.out).is_some_and(|l| list_item(l) && l.contains("TOC")) {
            let keep = self.out.trim_end_matches('\n').rfind('\n').map_or(0, |at| at + 1);
            self.out.truncate(keep);
            self.out.push_str(TOC_HERE);
            self.out.push('\n');
            self.toc = true;
            return true;
        }
        if joined.contains(".no_toc") {
            let heading = if joined.trim_start().starts_with('#') { Some(joined) } else { last_line(&self.out) };
            if let Some(h) = heading.filter(|h| h.trim_start().starts_with('#')) {
                self.no_toc.insert(heading_words(&strip_attribute_lists(h)));
            }
        }
        false
    }

    /// `markdown="1"` (or "block", "span"): the element's inside is
    /// Markdown; CommonMark reads it so when blank lines set it apart. True
    /// when `text` opened or closed such an element.
    fn markdown_html(&mut self, text: &str) -> bool {
        if let Some((name, rewritten)) = markdown_attribute(text) {
            if !self.previous_blank {
                self.out.push('\n');
            }
            let closes_here = rewritten.contains(&format!("</{name}>"));
            self.out.push_str(&rewritten);
            self.out.push_str("\n\n");
            if !closes_here {
                self.markdown_blocks.push(name);
            }
            self.previous_blank = true;
            return true;
        }
        if let Some(name) = self.markdown_blocks.last()
            && text.starts_with(&format!("</{name}"))
        {
            if !self.previous_blank {
                self.out.push('\n');
            }
            self.out.push_str(text);
            self.out.push_str("\n\n");
            self.markdown_blocks.pop();
            self.previous_blank = true;
            return true;
        }
        false
    }
}

/// Whether `line` is kramdown's `{:toc}` (the attribute list that makes
/// the list item before it the table of contents).
fn is_toc(line: &str) -> bool {
    let inside = line.trim().strip_prefix("{:").and_then(|l| l.strip_suffix('}'));
    inside.is_some_and(|i| i.split_whitespace().any(|w| w == "toc"))
}

/// The last line written, without its line break.
fn last_line(out: &str) -> Option<&str> {
    out.trim_end_matches('\n').rsplit('\n').next().filter(|l| !l.trim().is_empty())
}

/// A heading line's words, as the table of contents compares them.
fn heading_words(line: &str) -> String {
    line.trim().trim_start_matches('#').split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The list kramdown's `{:toc}` makes, as Markdown: every heading of
/// `markdown` but those in `left_out`, nested by level, each linking to
/// the id Broadsheet's renderer gives it (its `{#id}`, or its words
/// slugified, a number added when two are alike).
fn table_of_contents(markdown: &str, left_out: &HashSet<String>) -> String {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    let mut used = HashSet::new();
    let mut entries: Vec<(usize, String, String)> = Vec::new();
    // The open heading: its level, `{#id}`, words, and words as Markdown.
    let mut open: Option<(usize, Option<String>, String, String)> = None;
    for event in Parser::new_ext(markdown, Options::ENABLE_HEADING_ATTRIBUTES | Options::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::Heading { level, id, .. }) => {
                open = Some((level as usize, id.map(|i| i.to_string()), String::new(), String::new()));
            }
            Event::Text(t) => {
                if let Some((_, _, text, label)) = open.as_mut() {
                    text.push_str(&t);
                    label.push_str(&t.replace('\\', "\\\\").replace('[', "\\[").replace(']', "\\]"));
                }
            }
            Event::Code(t) => {
                if let Some((_, _, text, label)) = open.as_mut() {
                    text.push_str(&t);
                    label.push_str(&format!("`{t}`"));
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                let Some((level, id, text, label)) = open.take() else { continue };
                let wanted = id.unwrap_or_else(|| broadsheet_base::slug::slugify(&text));
                let id = broadsheet_base::slug::heading_id(&mut used, wanted);
                if !left_out.contains(&heading_words(&text)) {
                    entries.push((level, label, id));
                }
            }
            _ => {}
        }
    }
    // Nested by level: a heading deeper than the one before is one step in.
    let mut list = String::new();
    let mut levels: Vec<usize> = Vec::new();
    for (level, label, id) in entries {
        while levels.last().is_some_and(|l| *l >= level) {
            levels.pop();
        }
        let indent = "  ".repeat(levels.len());
        levels.push(level);
        list.push_str(&format!("{indent}- [{label}](#{id})\n"));
    }
    list.trim_end().to_string()
}

/// A line inside `{::comment}` or `{::nomarkdown}` (`name`): kept when the
/// extension is `nomarkdown`, dropped when `comment`; whether it closes
/// the extension (`{:/}`), what follows the close kept.
fn close_extension(raw: &str, line: &str, name: &str, out: &mut String) -> bool {
    if let Some((at, end)) = closing_of(raw, name) {
        if name == "nomarkdown" {
            out.push_str(&raw[..at]);
        }
        if !raw[..at].trim().is_empty() || !raw[end..].trim().is_empty() || name == "nomarkdown" {
            out.push_str(&raw[end..]);
            out.push('\n');
        }
        true
    } else {
        if name == "nomarkdown" {
            out.push_str(line);
        }
        false
    }
}

/// A line opening `{::comment}` or `{::nomarkdown}` (`name`): what of it
/// is kept goes to `out`; whether the extension closes on the same line.
fn open_extension(trimmed: &str, name: &str, out: &mut String, previous_blank: &mut bool) -> bool {
    let after = &trimmed[name.len() + 4..];
    match closing_of(after, name) {
        Some((at, end)) => {
            let kept = if name == "nomarkdown" {
                format!("{}{}", &after[..at], &after[end..])
            } else {
                after[end..].to_string()
            };
            if !kept.trim().is_empty() {
                out.push_str(&kept);
                out.push('\n');
                *previous_blank = false;
            }
            true
        }
        None => {
            if name == "nomarkdown" && !after.trim().is_empty() {
                out.push_str(after);
                out.push('\n');
            }
            false
        }
    }
}

/// Where `{:/name}` (or `{:/}`) is in `text`: its start and end.
fn closing_of(text: &str, name: &str) -> Option<(usize, usize)> {
    let long = format!("{{:/{name}}}");
    text.find(&long).map(|at| (at, at + long.len())).or_else(|| text.find("{:/}").map(|at| (at, at + 4)))
}

/// The fence a line opens (``` or ~~~, three or more), if it opens one.
fn fence_of(trimmed: &str) -> Option<(char, usize)> {
    let c = trimmed.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let n = trimmed.chars().take_while(|x| *x == c).count();
    (n >= 3).then_some((c, n))
}

/// `text` without its kramdown attribute lists (`{: ...}`, `{:.class}`,
/// `{:#id}`, `{::options ... /}`); a heading keeps its id as the Markdown
/// renderer reads it (`## Heading {#id}`), so old links to it still land.
/// Braces in prose (`{x}`, `{{ liquid }}`) are kept.
fn strip_attribute_lists(text: &str) -> String {
    let heading = text.trim_start().starts_with('#');
    let mut ids = Vec::new();
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("{:") {
        // A Liquid `{{:` or an escaped `\{:` is not an attribute list.
        let escaped = rest[..at].ends_with('\\') || rest[..at].ends_with('{');
        let Some(end) = closing_brace(&rest[at..]).map(|e| at + e + 1) else { break };
        let inside = &rest[at + 2..end - 1];
        let looks_like_list = inside.starts_with([':', '/'])
            || inside.trim_start().starts_with(['.', '#'])
            || inside.contains('=')
            || inside.trim().is_empty()
            || inside.trim_end().ends_with(':')
            || inside.split_whitespace().all(|w| w.starts_with(['.', '#']) || w.contains('='));
        if escaped || !looks_like_list {
            out.push_str(&rest[..end]);
        } else {
            ids.extend(inside.split_whitespace().filter(|w| w.starts_with('#') && w.len() > 1).map(str::to_string));
            if rest[end..].trim().is_empty() {
                // A list closing the line: the space before it goes too.
                out.push_str(rest[..at].trim_end_matches(' '));
            } else {
                out.push_str(&rest[..at]);
            }
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    if heading && let Some(id) = ids.first() {
        out.push_str(&format!(" {{{id}}}"));
    }
    out
}

/// Whether `line` starts a list item (`* x`, `- x`, `+ x`, `1. x`), at
/// most three spaces in.
fn list_item(line: &str) -> bool {
    let lead = line.len() - line.trim_start_matches(' ').len();
    let rest = line.trim_start_matches(' ');
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let marker = if digits > 0 { rest[digits..].starts_with(['.', ')']).then_some(digits + 1) } else { None };
    let marker = marker.or_else(|| rest.starts_with(['*', '-', '+']).then_some(1));
    lead < 4 && marker.is_some_and(|m| rest[m..].starts_with([' ', '\t']) || rest[m..].is_empty())
}

/// Whether `text` ends inside an attribute list it opened (`{: .icon`).
fn opens_list(text: &str) -> bool {
    text.rfind("{:").is_some_and(|at| !text[..at].ends_with(['\\', '{']) && closing_brace(&text[at..]).is_none())
}

/// Where the brace that closes `text`'s first `{` is (quotes respected).
fn closing_brace(text: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    for (i, c) in text.char_indices().skip(1) {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '}') => return Some(i),
            (None, '{') => return None,
            _ => {}
        }
    }
    None
}

/// An opening HTML tag carrying `markdown="1"` (or `block`/`span`, any
/// quotes): its name, and the line without the attribute.
fn markdown_attribute(text: &str) -> Option<(String, String)> {
    let trimmed = text.trim_start();
    let name: String = trimmed.strip_prefix('<')?.chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
    if name.is_empty() {
        return None;
    }
    for value in ["1", "block", "span"] {
        for quote in ['"', '\''] {
            let attribute = format!(" markdown={quote}{value}{quote}");
            if let Some(at) = trimmed.find(&attribute) {
                let rewritten = format!("{}{}", &trimmed[..at], &trimmed[at + attribute.len()..]);
                return Some((name.to_ascii_lowercase(), rewritten));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::to_commonmark;

    #[test]
    fn attribute_lists_are_removed_and_the_text_kept() {
        let body = "A note.\n{: .notice}\n\n[Read](https://example.org){:target=\"_blank\"} more.\n\n## Heading {#the-id}\n\n### Other {: #other .x}\n\n![Map](map.png){: width=\"50%\" .center}\n";
        let expected = "A note.\n\n[Read](https://example.org) more.\n\n## Heading {#the-id}\n\n### Other {#other}\n\n![Map](map.png)\n";
        assert_eq!(to_commonmark(body), expected);
    }

    #[test]
    fn an_attribute_list_over_two_lines_is_removed_too() {
        let body = "![Cover](cover.jpg){: .icon\nwidth=\"70\"}Hal Fulton's book is out.\n\nNext.\n";
        assert_eq!(to_commonmark(body), "![Cover](cover.jpg)Hal Fulton's book is out.\n\nNext.\n");
    }

    #[test]
    fn an_attribute_list_in_a_list_items_indented_quote_is_removed() {
        let body = "1. The default mode:\n\n    > ![Default](default.gif){:width=\"100%\"}\n\n2. Next.\n";
        assert_eq!(to_commonmark(body), "1. The default mode:\n\n    > ![Default](default.gif)\n\n2. Next.\n");
    }

    #[test]
    fn braces_in_prose_and_code_stay() {
        let body = "Sets are {a, b}.\n\n```\nx = {: .not-this}\n```\n\n    {: .nor-this}\n";
        assert_eq!(to_commonmark(body), body);
    }

    #[test]
    fn markdown_inside_html_blocks_is_set_apart_to_render() {
        let body = "<div class=\"box\" markdown=\"1\">\n    **Bold** inside\n</div>\nAfter.\n";
        assert_eq!(to_commonmark(body), "<div class=\"box\">\n\n**Bold** inside\n\n</div>\n\nAfter.\n");
    }

    #[test]
    fn toc_becomes_the_table_of_contents_kramdown_makes() {
        let body = "## Contents\n{:.no_toc}\n\n* TOC\n{:toc}\n\n## The plan\n\n### Costs [in full]\n\n## The plan\n\n## Next {#next-steps}\n";
        let out = to_commonmark(body);
        let expected = "- [The plan](#the-plan)\n  - [Costs \\[in full\\]](#costs-in-full)\n- [The plan](#the-plan-1)\n- [Next](#next-steps)\n";
        assert!(out.starts_with(&format!("## Contents\n\n{expected}")), "{out}");
        assert!(!out.contains("TOC") && !out.contains("{:"), "{out}");
    }

    #[test]
    fn extensions_are_read_and_unspaced_hashes_stay_text() {
        let body = "{::comment}\nhidden\n{:/comment}\n###Heading\n\nText {::nomarkdown}<b>x</b>{:/nomarkdown}\n{::options parse_block_html=\"true\" /}\n";
        assert_eq!(to_commonmark(body), "###Heading\n\nText <b>x</b>\n");
    }
}
