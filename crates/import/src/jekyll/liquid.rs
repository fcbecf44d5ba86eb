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
    let (mut converted, notes) = liquid(body, body_line, &cfg.excerpt_separator);
    for (line, what) in notes {
        imported.note(format!("{shown}:{line}"), what);
    }
    if front.get("wordpress_id").is_some() || converted.contains("[/caption]") {
        converted = crate::wordpress::shortcodes(&converted, shown, imported);
    }
    if html { converted } else { crate::kramdown::to_commonmark(&converted) }
}

/// Liquid in a body: what has a Markdown meaning is rewritten; the rest is
/// kept as written and reported with its line.
fn liquid(body: &str, first_line: usize, excerpt_separator: &str) -> (String, Vec<(usize, String)>) {
    let mut out = String::with_capacity(body.len());
    let mut notes = Vec::new();
    let mut raw = false;
    for (i, line) in body.split_inclusive('\n').enumerate() {
        let n = first_line + i;
        let mut line = line.to_string();
        if !excerpt_separator.is_empty() && !raw {
            line = line.replace(excerpt_separator, "");
        }
        let mut rebuilt = String::with_capacity(line.len());
        let mut rest = line.as_str();
        let mut had_raw = raw;
        while let Some(start) = rest.find("{%") {
            let Some(end) = rest[start..].find("%}").map(|e| start + e + 2) else { break };
            let tag = rest[start + 2..end - 2].trim().trim_matches('-').trim();
            let name = tag.split_whitespace().next().unwrap_or("");
            let arg = tag[name.len()..].trim();
            rebuilt.push_str(&rest[..start]);
            match (raw, name) {
                (true, "endraw") => raw = false,
                (true, _) => rebuilt.push_str(&rest[start..end]),
                (false, "raw") => {
                    raw = true;
                    had_raw = true;
                }
                (false, "highlight") => {
                    let lang = arg.split_whitespace().next().unwrap_or("");
                    rebuilt.push_str(&format!("\n```{lang}\n"));
                }
                (false, "endhighlight") => rebuilt.push_str("\n```\n"),
                (false, "link") => rebuilt.push_str(arg.trim_matches(['"', '\''])),
                (false, "post_url") => rebuilt.push_str(arg.trim_matches(['"', '\''])),
                (false, _) => {
                    notes.push((
                        n,
                        format!(
                            "Liquid `{{% {} %}}` hidden in an HTML comment: Broadsheet does not run Liquid; rewrite it by hand",
                            clip(tag)
                        ),
                    ));
                    rebuilt.push_str(&crate::hidden(&rest[start..end]));
                }
            }
            rest = &rest[end..];
        }
        rebuilt.push_str(rest);
        if !raw && !had_raw {
            let mut stripped = strip_liquid_urls(&rebuilt);
            let mut from = 0;
            while let Some(at) = stripped[from..].find("{{").map(|a| from + a) {
                let Some(end) = stripped[at..].find("}}").map(|e| at + e + 2) else { break };
                notes.push((
                    n,
                    format!(
                        "Liquid `{}` hidden in an HTML comment: Broadsheet does not run Liquid; rewrite it by hand",
                        clip(&stripped[at..end])
                    ),
                ));
                let comment = crate::hidden(&stripped[at..end]);
                stripped.replace_range(at..end, &comment);
                from = at + comment.len();
            }
            rebuilt = stripped;
        }
        // A fence opened by `{% highlight %}` mid-line leaves blank lines: harmless.
        out.push_str(&rebuilt);
    }
    (out, notes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn liquid_with_a_markdown_meaning_is_rewritten_and_the_rest_reported() {
        let body = "![x]({{ site.baseurl }}/img/x.png)\n[o]({% post_url 2024-01-02-other %})\n{% highlight ruby %}\nputs 1\n{% endhighlight %}\n{% raw %}{{ kept }}{% endraw %}\n{% include note.html %}\n";
        let (out, notes) = liquid(body, 5, "<!--more-->");
        assert!(out.contains("![x](/img/x.png)"), "{out}");
        assert!(out.contains("[o](2024-01-02-other)"), "{out}");
        assert!(out.contains("```ruby\n\nputs 1\n\n```"), "{out}");
        assert!(out.contains("{{ kept }}"), "{out}");
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert_eq!(notes[0].0, 11);
        assert!(notes[0].1.contains("include note.html"));
    }

    #[test]
    fn relative_url_filters_become_paths() {
        assert_eq!(strip_liquid_urls("{{ \"/a/b.png\" | relative_url }}"), "/a/b.png");
        assert_eq!(strip_liquid_urls("{{ site.url }}{{ site.baseurl }}/x"), "/x");
    }
}
