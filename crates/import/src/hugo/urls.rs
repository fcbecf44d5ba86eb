//! Hugo's URLs: permalink patterns expanded for a page (`:year`,
//! `:slug`, `:sections`, Go date layouts such as `:2006`), the default
//! path from the content folders, `uglyURLs` paths, aliases relative to
//! the page, and `urlize`.

use chrono::{DateTime, Datelike, FixedOffset};

/// An alias, as a path from the site root: relative ones are relative to
/// the page's folder.
pub(super) fn alias_path(alias: &str, page: &str) -> Option<String> {
    let alias = alias.trim();
    if alias.is_empty() || alias.contains("://") {
        return None;
    }
    if let Some(abs) = alias.strip_prefix('/') {
        return Some(abs.to_string());
    }
    let parent = page.trim_end_matches('/').rsplit_once('/').map_or("", |(p, _)| p);
    // `../x` climbs from the page's folder, as Hugo resolves it.
    let mut parts: Vec<&str> = parent.split('/').filter(|p| !p.is_empty()).collect();
    for part in alias.split('/') {
        match part {
            "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// What a permalink pattern is expanded from.
pub(super) struct UrlInput<'a> {
    /// Content folders above the page (the bundle's folder excluded).
    pub dirs: &'a [&'a str],
    /// The sections it is in: the first folder, and each nested folder
    /// with an `_index` file below it.
    pub sections: &'a [&'a str],
    /// The file name without extension, or the bundle's folder.
    pub name: &'a str,
    pub slug: Option<&'a str>,
    pub title: &'a str,
    pub date: Option<DateTime<FixedOffset>>,
}

/// Hugo's default path: the content path, its last part replaced by `slug`.
pub(super) fn default_path(p: &UrlInput, lower: bool) -> String {
    let mut out = String::new();
    for d in p.dirs {
        out.push_str(&urlize_with(d, lower));
        out.push('/');
    }
    out.push_str(&urlize_with(p.slug.unwrap_or(p.name), lower));
    out.push('/');
    out
}

/// A page's path under `uglyURLs`: `a/b/` is `a/b.html`.
pub(super) fn ugly_path(path: &str) -> String {
    let bare = path.trim_end_matches('/');
    if bare.is_empty() || bare.ends_with(".html") || bare.ends_with(".htm") || bare.ends_with(".xml") {
        return path.to_string();
    }
    format!("{bare}.html")
}

/// Go's reference time in a layout (`2006`, `Jan`, `02`), formatted for
/// `date`; `None` when `layout` holds none of it.
fn go_layout(layout: &str, date: &DateTime<FixedOffset>) -> Option<String> {
    const ELEMENTS: &[(&str, &str)] = &[
        ("January", "%B"),
        ("Monday", "%A"),
        ("2006", "%Y"),
        ("Jan", "%b"),
        ("Mon", "%a"),
        ("MST", "%Z"),
        ("01", "%m"),
        ("02", "%d"),
        ("_2", "%e"),
        ("06", "%y"),
        ("15", "%H"),
        ("03", "%I"),
        ("04", "%M"),
        ("05", "%S"),
        ("PM", "%p"),
        ("1", "%-m"),
        ("2", "%-d"),
        ("3", "%-I"),
        ("4", "%-M"),
        ("5", "%-S"),
    ];
    let (mut out, mut rest, mut any) = (String::new(), layout, false);
    'outer: while !rest.is_empty() {
        for (element, format) in ELEMENTS {
            if let Some(after) = rest.strip_prefix(element) {
                out.push_str(&date.format(format).to_string());
                rest = after;
                any = true;
                continue 'outer;
            }
        }
        let c = rest.chars().next()?;
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    any.then_some(out)
}

/// A Hugo permalink pattern (`/:year/:month/:slug/`) for one page.
pub(super) fn expand(pattern: &str, p: &UrlInput, lower: bool) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let date = p.date.unwrap_or_default();
    // A title or slug is one segment of the path, whatever it holds.
    let segment = |s: &str| segment_with(s, lower);
    let title = segment(p.title);
    let slug = p.slug.map(segment).unwrap_or_else(|| title.clone());
    let name = p.name.to_string();
    let section = p.dirs.first().copied().unwrap_or("").to_string();
    let sections = p.sections.join("/");
    let tokens: Vec<(&str, String)> = vec![
        ("slugorcontentbasename", p.slug.map(segment).unwrap_or_else(|| name.clone())),
        ("contentbasenameorslug", name.clone()),
        ("slugorfilename", p.slug.map(segment).unwrap_or_else(|| name.clone())),
        ("contentbasename", name.clone()),
        ("weekdayname", date.format("%A").to_string()),
        ("monthname", MONTHS[date.month0() as usize].to_string()),
        ("filename", name.clone()),
        ("sections", sections),
        ("section", section),
        ("weekday", date.weekday().num_days_from_sunday().to_string()),
        ("yearday", date.ordinal().to_string()),
        ("title", title),
        ("month", format!("{:02}", date.month())),
        ("year", format!("{:04}", date.year())),
        ("slug", slug),
        ("day", format!("{:02}", date.day())),
    ];
    let mut out = String::new();
    let mut rest = pattern;
    while let Some(at) = rest.find(':') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        match tokens
            .iter()
            .find(|(t, _)| after.starts_with(t) && !after[t.len()..].starts_with(|c: char| c.is_ascii_alphanumeric()))
        {
            Some((t, v)) => {
                out.push_str(v);
                rest = &after[t.len()..];
            }
            None => {
                // Any other `:word` is a Go date layout (`:2006`, `:Jan`).
                let word_len = after.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(after.len());
                match go_layout(&after[..word_len], &date) {
                    Some(formatted) if word_len > 0 => {
                        out.push_str(&formatted);
                        rest = &after[word_len..];
                    }
                    _ => {
                        out.push(':');
                        rest = after;
                    }
                }
            }
        }
    }
    out.push_str(rest);
    while out.contains("//") {
        out = out.replace("//", "/");
    }
    // Hugo makes the whole path URL-safe (and lowercase unless told not to).
    out.split('/').map(|part| urlize_with(part, lower)).collect::<Vec<_>>().join("/")
}

/// A title or slug as one part of a path, as hugo 0.168 writes it: `/`
/// becomes a hyphen (a title "Q3/2011" is `q3-2011`, not two parts), and
/// the rest is `urlize`d (`#` stays, hyphens at the ends stay).
pub(super) fn segment_with(s: &str, lower: bool) -> String {
    urlize_with(&s.replace('/', "-"), lower)
}

/// Hugo's `urlize`: spaces become hyphens, characters not allowed in a path
/// are dropped, lowercase.
/// (`lower` false: `disablePathToLower`, the case is kept).
pub(super) fn urlize_with(s: &str, lower: bool) -> String {
    let allowed = |c: char| {
        c.is_alphanumeric()
            || matches!(c, '.' | '/' | '\\' | '_' | '#' | '+' | '~' | '-' | '@')
            || unicode_normalization::char::is_combining_mark(c)
    };
    let mut out = String::with_capacity(s.len());
    let (mut prepend, mut was_hyphen) = (false, false);
    for c in s.chars() {
        if c != ' ' && allowed(c) {
            was_hyphen = c == '-';
            if prepend {
                if !was_hyphen {
                    out.push('-');
                }
                prepend = false;
            }
            out.push(c);
        } else if !out.is_empty() && !was_hyphen && c.is_whitespace() {
            prepend = true;
        }
    }
    if lower { out.to_lowercase() } else { out }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::common::parse_date;

    #[test]
    fn urlize_is_hugos() {
        assert_eq!(
            urlize_with("Regatta results: Harbour RC take the cup", true),
            "regatta-results-harbour-rc-take-the-cup"
        );
        assert_eq!(urlize_with("Gitea 1.8.3 is released", true), "gitea-1.8.3-is-released");
        assert_eq!(urlize_with("A - B", true), "a-b");
        // As hugo 0.168 writes them (tests/fixtures/import-hugo-r3-urls and by hand).
        assert_eq!(segment_with("Issue #5 / Notes", true), "issue-#5-notes");
        assert_eq!(segment_with("/Leading - slash/ ", true), "-leading-slash-");
        assert_eq!(segment_with("- Trail #7 -", true), "-trail-#7-");
        assert_eq!(
            segment_with("Membership Application Period Q3/2011", true),
            "membership-application-period-q3-2011"
        );
    }

    #[test]
    fn permalinks_use_the_written_offset_and_slug_falls_back_to_the_title() {
        let date = parse_date("2024-03-31T23:30:00-05:00", chrono_tz::Europe::London);
        let dirs = ["posts"];
        let page = UrlInput {
            dirs: &dirs,
            sections: &dirs,
            name: "regatta",
            slug: None,
            title: "Regatta results: RC win",
            date,
        };
        assert_eq!(expand("/:year/:month/:slug/", &page, true), "/2024/03/regatta-results-rc-win/");
        assert_eq!(expand("/:section/:filename/", &page, true), "/posts/regatta/");
        let page = UrlInput { slug: Some("office-moves"), ..page };
        assert_eq!(expand("/:year/:month/:day/:slug/", &page, true), "/2024/03/31/office-moves/");
        assert_eq!(default_path(&page, true), "posts/office-moves/");
        assert_eq!(alias_path("old-name", "posts/new/"), Some("posts/old-name".into()));
        assert_eq!(alias_path("/a/b.html", "posts/new/"), Some("a/b.html".into()));
        assert_eq!(
            alias_path("../configuration", "docs/2.0/deployment/configuration/"),
            Some("docs/2.0/configuration".into())
        );
        assert_eq!(alias_path("old/", "posts/new/"), Some("posts/old/".into()));
    }

    #[test]
    fn go_date_layouts_ugly_urls_and_case_are_hugos() {
        let date = parse_date("2021-03-04T10:00:00Z", chrono_tz::UTC);
        let dirs = ["News"];
        let page = UrlInput { dirs: &dirs, sections: &dirs, name: "Spaced Name", slug: None, title: "N", date };
        // As hugo 0.168 writes them (tests/fixtures/import-hugo-urls).
        assert_eq!(expand("/:2006/:Jan/:02/:slug/", &page, true), "/2021/mar/04/n/");
        assert_eq!(expand("/:2006/:Jan/:02/:slug/", &page, false), "/2021/Mar/04/N/");
        assert_eq!(expand("/:year/:month/:day/:filename/", &page, true), "/2021/03/04/spaced-name/");
        assert_eq!(expand("/:06/:1/", &page, true), "/21/3/");
        assert_eq!(default_path(&page, false), "News/Spaced-Name/");
        assert_eq!(ugly_path("2020/01/02/a-post/"), "2020/01/02/a-post.html");
        assert_eq!(ugly_path("a/b.html"), "a/b.html");
    }
}
