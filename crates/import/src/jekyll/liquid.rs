//! Liquid in a Jekyll body: what has a Markdown meaning (`{% highlight %}`,
//! `{% link %}`, `{% post_url %}`, `{{ site.baseurl }}`, `relative_url`)
//! rewritten, the rest hidden in an HTML comment and reported with its
//! line; then WordPress shortcodes of a site moved from WordPress and
//! kramdown made CommonMark.

use serde_json::Value;

use super::Config;
use crate::{Imported, clip};

/// `{{ site.baseurl }}/x` and `{{ '/x' | relative_url }}` → `/x`.
pub(crate) fn strip_liquid_urls(s: &str) -> String {
    let mut out = s.to_string();
    for site_var in [
        "{{ site.url }}{{ site.baseurl }}",
        "{{site.url}}{{site.baseurl}}",
        "{{ site.baseurl }}",
        "{{site.baseurl}}",
        "{{ site.url }}",
        "{{site.url}}",
        "{{ base }}",
    ] {
        out = out.replace(site_var, "");
    }
    // `{{ "/path" | relative_url }}`, `absolute_url`, `prepend: site.baseurl`.
    let mut result = String::with_capacity(out.len());
    let mut rest = out.as_str();
    while let Some(start) = rest.find("{{") {
        let Some(end) = rest[start..].find("}}").map(|e| start + e + 2) else { break };
        let inner = rest[start + 2..end - 2].trim();
        let filters = ["relative_url", "absolute_url", "prepend: site.baseurl", "prepend:site.baseurl"];
        let value = inner.split('|').next().unwrap_or("").trim();
        let quoted =
            (value.starts_with('"') && value.ends_with('"')) || (value.starts_with('\'') && value.ends_with('\''));
        result.push_str(&rest[..start]);
        if quoted && value.len() >= 2 && filters.iter().any(|f| inner.contains(f)) {
            result.push_str(&value[1..value.len() - 1]);
        } else {
            result.push_str(&rest[start..end]);
        }
        rest = &rest[end..];
    }
    result.push_str(rest);
    result
}

/// A post's, page's or document's body as Broadsheet reads it: Liquid
/// rewritten or hidden (each hidden tag a report line), WordPress
/// shortcodes of a site moved from WordPress (`wordpress_id` in front
/// matter, or `[/caption]` in the text) as the WordPress importer converts
/// them, and kramdown made CommonMark.
pub(super) fn convert_body(
    body: &str,
    body_line: usize,
    html: bool,
    front: &Value,
    cfg: &Config,
    shown: &str,
    imported: &mut Imported,
) -> String {
    let (mut converted, notes) = liquid(body, body_line, cfg);
    for (line, what) in notes {
        imported.note(format!("{shown}:{line}"), what);
    }
    if front.get("wordpress_id").is_some() || converted.contains("[/caption]") {
        converted = crate::wordpress::shortcodes(&converted, shown, imported);
    }
    if html { converted } else { crate::kramdown::to_commonmark(&converted) }
}

/// Liquid in a body: what has a Markdown meaning is rewritten, an include
/// of a file without Liquid is the file's text (as Jekyll writes it), the
/// rest is hidden and reported with its line. A tag or an output may
/// span lines (`{% include x.html\n  a=1 %}`).
fn liquid(body: &str, first_line: usize, cfg: &Config) -> (String, Vec<(usize, String)>) {
    let body =
        if cfg.excerpt_separator.is_empty() { body.to_string() } else { body.replace(&cfg.excerpt_separator, "") };
    let mut out = String::with_capacity(body.len());
    let mut notes = Vec::new();
    let mut raw = false;
    let mut at = 0;
    let line_at = |pos: usize| first_line + body[..pos].matches('\n').count();
    while let Some(start) = body[at..].find("{%").map(|s| at + s) {
        let Some(end) = body[start..].find("%}").map(|e| start + e + 2) else { break };
        text_segment(&body[at..start], raw, line_at(at), &mut out, &mut notes);
        at = end;
        let source = &body[start..end];
        let tag = body[start + 2..end - 2].trim().trim_matches('-').trim();
        let name = tag.split_whitespace().next().unwrap_or("");
        let arg = tag[name.len()..].trim();
        let included = (!raw && name == "include").then(|| plain_include(cfg, arg)).flatten();
        match (raw, name) {
            (true, "endraw") => raw = false,
            (true, _) => out.push_str(source),
            (false, "raw") => raw = true,
            (false, "highlight") => {
                let lang = arg.split_whitespace().next().unwrap_or("");
                out.push_str(&format!("\n```{lang}\n"));
            }
            (false, "endhighlight") => out.push_str("\n```\n"),
            (false, "link") | (false, "post_url") => out.push_str(arg.trim_matches(['"', '\''])),
            (false, "include") if included.is_some() => {
                out.push_str(&format!("\n{}\n", included.unwrap_or_default().trim_end()));
            }
            (false, _) => {
                let shown = tag.split_whitespace().collect::<Vec<_>>().join(" ");
                notes.push((line_at(start), hidden_note(&format!("{{% {} %}}", clip(&shown)))));
                out.push_str(&crate::hidden(&source.split_whitespace().collect::<Vec<_>>().join(" ")));
            }
        }
    }
    text_segment(&body[at..], raw, line_at(at), &mut out, &mut notes);
    (out, notes)
}

fn hidden_note(what: &str) -> String {
    format!("Liquid `{what}` hidden in an HTML comment: Broadsheet does not run Liquid; rewrite it by hand")
}

/// Text between tags: kept as written inside `{% raw %}`; otherwise URL
/// filters made paths and each other `{{ … }}` (on one line or several)
/// hidden and reported with its line.
fn text_segment(text: &str, raw: bool, first_line: usize, out: &mut String, notes: &mut Vec<(usize, String)>) {
    if raw {
        out.push_str(text);
        return;
    }
    let mut stripped = strip_liquid_urls(text);
    let mut from = 0;
    while let Some(at) = stripped[from..].find("{{").map(|a| from + a) {
        let Some(end) = stripped[at..].find("}}").map(|e| at + e + 2) else { break };
        let output = stripped[at..end].split_whitespace().collect::<Vec<_>>().join(" ");
        notes.push((first_line + stripped[..at].matches('\n').count(), hidden_note(&clip(&output))));
        // Inside a tag a comment would be an attribute's value: a picture
        // whose address is Liquid is hidden whole, another attribute emptied.
        let tag = stripped[..at].rfind('<').filter(|lt| !stripped[*lt..at].contains('>'));
        match tag {
            Some(lt) if is_picture_tag(&stripped[lt..]) => {
                let close = stripped[at..].find('>').map_or(stripped.len(), |e| at + e + 1);
                let whole = stripped[lt..close].split_whitespace().collect::<Vec<_>>().join(" ");
                let comment = crate::hidden(&whole);
                stripped.replace_range(lt..close, &comment);
                from = lt + comment.len();
            }
            Some(_) => {
                stripped.replace_range(at..end, "");
                from = at;
            }
            None => {
                let comment = crate::hidden(&output);
                stripped.replace_range(at..end, &comment);
                from = at + comment.len();
            }
        }
    }
    out.push_str(&stripped);
}

/// Whether `tag` (from its `<`) opens a picture: `<img` or `<source`.
fn is_picture_tag(tag: &str) -> bool {
    let name: String = tag[1..].chars().take_while(char::is_ascii_alphanumeric).collect();
    name.eq_ignore_ascii_case("img") || name.eq_ignore_ascii_case("source")
}

/// The text of `{% include name.md %}` when `_includes/name.md` is
/// Markdown without Liquid (link definitions such as `[Name]: https://…`):
/// Jekyll writes it in place, and a post's `[Name][]` links need its
/// definitions. `None` for other includes (HTML, Liquid, parameters it
/// reads), which stay hidden and reported.
fn plain_include(cfg: &Config, arg: &str) -> Option<String> {
    let name = arg.split_whitespace().next()?;
    let markdown = [".md", ".markdown", ".mkd", ".mdown"].iter().any(|e| name.ends_with(e));
    if !markdown || name.contains("{{") || name.contains("..") {
        return None;
    }
    let text =
        broadsheet_base::confine::read_to_string(&cfg.root, &std::path::Path::new("_includes").join(name)).ok()?;
    (!text.contains("{%") && !text.contains("{{")).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn liquid_with_a_markdown_meaning_is_rewritten_and_the_rest_reported() {
        let body = "![x]({{ site.baseurl }}/img/x.png)\n[o]({% post_url 2024-01-02-other %})\n{% highlight ruby %}\nputs 1\n{% endhighlight %}\n{% raw %}{{ kept }}{% endraw %}\n{% include note.html %}\n";
        let (out, notes) = liquid(body, 5, &config(std::path::Path::new("/nonexistent")));
        assert!(out.contains("![x](/img/x.png)"), "{out}");
        assert!(out.contains("[o](2024-01-02-other)"), "{out}");
        assert!(out.contains("```ruby\n\nputs 1\n\n```"), "{out}");
        assert!(out.contains("{{ kept }}"), "{out}");
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert_eq!(notes[0].0, 11);
        assert!(notes[0].1.contains("include note.html"));
    }

    #[test]
    fn liquid_inside_a_tag_never_becomes_an_address() {
        let body = "<a href=\"{{ app.url }}\"><img src=\"{{ app.image }}\" alt=\"{{ app.name }}\"/></a>\n";
        let (out, notes) = liquid(body, 1, &config(std::path::Path::new("/nonexistent")));
        assert!(out.starts_with("<a href=\"\"><!-- not converted"), "{out}");
        let shown: String =
            out.split("<!--").map(|part| part.split_once("-->").map_or(part, |(_, after)| after)).collect();
        assert!(!shown.contains("<img"), "a picture with a Liquid address is hidden whole: {out}");
        assert!(out.ends_with("</a>\n"), "{out}");
        assert_eq!(notes.len(), 2, "one note for the link, one for the picture: {notes:?}");
    }

    fn config(root: &std::path::Path) -> Config {
        Config {
            permalink: "date".into(),
            style: "date".into(),
            timezone: None,
            excerpt_separator: "<!--more-->".into(),
            defaults: Value::Null,
            root: root.to_path_buf(),
        }
    }

    #[test]
    fn tags_and_outputs_over_several_lines_are_hidden_whole() {
        let body = "a\n{% include note.html\n   kind=\"tip\" %}\nb {{ page.\ntitle }}\nc\n";
        let (out, notes) = liquid(body, 3, &config(std::path::Path::new("/nonexistent")));
        let shown = crate::html::drop_comments(&out);
        assert!(!shown.contains("{%") && !shown.contains("%}") && !shown.contains("{{"), "{out}");
        assert!(out.starts_with("a\n<!--") && out.ends_with("c\n"), "{out}");
        let lines: Vec<usize> = notes.iter().map(|n| n.0).collect();
        assert_eq!(lines, [4, 6], "{notes:?}");
    }

    #[test]
    fn relative_url_filters_become_paths() {
        assert_eq!(strip_liquid_urls("{{ \"/a/b.png\" | relative_url }}"), "/a/b.png");
        assert_eq!(strip_liquid_urls("{{ site.url }}{{ site.baseurl }}/x"), "/x");
    }
}
