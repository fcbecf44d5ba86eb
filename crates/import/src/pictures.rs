//! Pictures a body names by a relative path (`img/x.png`, `../img/x.png`):
//! a browser resolved them against the page's old URL, which the import
//! may change (`/:title` becomes `/blog/:title/`, Hugo's `/docs/18.0/x/`
//! becomes `/docs/18-0/x/`). Each is written root-absolute, resolved as the
//! old page resolved it, so it still shows the same file; a bundle's own
//! files, which move with it, stay relative.

use std::collections::HashSet;

use crate::Imported;

/// Every item's relative picture paths, resolved against its old URL. A
/// translation's picture that its language's prefix (`/zh/…`) would miss
/// is the one file the import copied, at the path without the prefix.
pub(crate) fn rebase_pictures(imported: &mut Imported) {
    let published: HashSet<String> =
        imported.statics.iter().map(|(_, to)| format!("/{}", to.to_string_lossy().replace('\\', "/"))).collect();
    let mut rebased = 0;
    for item in imported.items.iter_mut() {
        let Some(old) = item.old_paths.first() else { continue };
        let folder = url_folder(old);
        let own: HashSet<&str> = item.files.iter().map(|(_, name)| name.as_str()).collect();
        let prefix = item.lang.as_ref().map(|l| format!("/{}/", l.to_lowercase()));
        let place = |path: &str| -> Option<String> {
            if own.contains(path.trim_start_matches("./")) {
                return None;
            }
            let resolved = resolve(&folder, path)?;
            let unprefixed = prefix.as_deref().and_then(|p| resolved.strip_prefix(p)).map(|rest| format!("/{rest}"));
            match unprefixed {
                Some(shared) if !published.contains(&resolved) && published.contains(&shared) => Some(shared),
                _ => Some(resolved),
            }
        };
        let (body, n) = rebase_body(&item.body, &place);
        if n > 0 {
            item.body = body;
            rebased += n;
        }
    }
    imported.count("relative picture paths made absolute (the page's URL changed)", rebased);
}

/// The folder a browser resolves relative paths against: `a/b/` of
/// `a/b/` and of `a/b/c.html`, `` of `title`.
fn url_folder(old: &str) -> String {
    let old = old.trim_start_matches('/');
    match old.rfind('/') {
        Some(at) => old[..=at].to_string(),
        None => String::new(),
    }
}

/// `path` resolved against `folder` as a root-absolute path; `None` when
/// it is not relative (an address, `/x`, `#x`, Liquid).
fn resolve(folder: &str, path: &str) -> Option<String> {
    let first = path.chars().next()?;
    if matches!(first, '/' | '#' | '?' | '{' | '<')
        || path.contains("://")
        || path.split('/').next().is_some_and(|p| p.contains(':'))
    {
        return None;
    }
    let mut parts: Vec<&str> = folder.split('/').filter(|p| !p.is_empty()).collect();
    for part in path.split('/') {
        match part {
            "." | "" => {}
            // A browser stays at the root, as `/../x` is `/x`.
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    Some(format!("/{}", parts.join("/")))
}

/// A body with its pictures' relative paths (Markdown `![a](x)` and HTML
/// `<img src="x">`, outside code fences) made root-absolute by `place`
/// (None: left as written), and how many.
fn rebase_body(body: &str, place: &dyn Fn(&str) -> Option<String>) -> (String, usize) {
    let mut out = String::with_capacity(body.len());
    let mut n = 0;
    let mut fenced = false;
    for line in body.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fenced = !fenced;
        }
        if fenced || line.starts_with("    ") {
            out.push_str(line);
            continue;
        }
        let line = rebase_markdown(line, place, &mut n);
        out.push_str(&rebase_img_tags(&line, place, &mut n));
    }
    (out, n)
}

/// `![alt](path "title")` with a relative path.
fn rebase_markdown(line: &str, place: &dyn Fn(&str) -> Option<String>, n: &mut usize) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(at) = rest.find("![") {
        let Some(close) = rest[at..].find("](").map(|c| at + c + 2) else { break };
        out.push_str(&rest[..close]);
        rest = &rest[close..];
        let end = rest.find([')', ' ']).unwrap_or(rest.len());
        match place(&rest[..end]) {
            Some(path) => {
                out.push_str(&path);
                *n += 1;
            }
            None => out.push_str(&rest[..end]),
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// `<img src="path">` with a relative path.
fn rebase_img_tags(line: &str, place: &dyn Fn(&str) -> Option<String>, n: &mut usize) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(at) = rest.find("<img") {
        let end = rest[at..].find('>').map_or(rest.len(), |e| at + e);
        let tag = &rest[at..end];
        let Some(src) = tag.find("src=").map(|s| s + 4) else {
            out.push_str(&rest[..end]);
            rest = &rest[end..];
            continue;
        };
        let quote = tag[src..].chars().next().filter(|q| *q == '"' || *q == '\'');
        let start = src + quote.map_or(0, char::len_utf8);
        let stop = match quote {
            Some(q) => tag[start..].find(q).map_or(tag.len(), |e| start + e),
            None => tag[start..].find([' ', '/']).map_or(tag.len(), |e| start + e),
        };
        out.push_str(&rest[..at + start]);
        match place(&tag[start..stop]) {
            Some(path) => {
                out.push_str(&path);
                *n += 1;
            }
            None => out.push_str(&tag[start..stop]),
        }
        rest = &rest[at + stop..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_pictures_are_resolved_against_the_old_url() {
        let folder = url_folder("designing-resilient-systems");
        let (body, n) = rebase_body(
            "![a](img/x.png)\n![b](../img/y.gif \"t\")\n<img alt=\"c\" src=\"img/z.png\">\n![d](/abs.png)\n```\n![e](img/code.png)\n```\n",
            &|p| resolve(&folder, p),
        );
        assert_eq!(n, 3, "{body}");
        assert!(body.contains("![b](/img/y.gif \"t\")"), "`../` stops at the root, as in a browser: {body}");
        assert!(body.contains("![a](/img/x.png)"), "{body}");
        assert!(body.contains("src=\"/img/z.png\""), "{body}");
        assert!(body.contains("![d](/abs.png)") && body.contains("![e](img/code.png)"), "{body}");
        let folder = url_folder("blog/2021/smartchat/");
        let (body, _) = rebase_body("![b](../img/y.gif)", &|p| resolve(&folder, p));
        assert_eq!(body, "![b](/blog/2021/img/y.gif)");
    }

    #[test]
    fn a_bundles_own_pictures_stay_and_a_translation_finds_the_shared_copy() {
        let mut imported = Imported::default();
        imported.statics.push(("src".into(), "docs/18.0/overview/img/arch.svg".into()));
        let mut page = crate::Item::new(crate::Kind::Page, "content/zh/docs/18.0/overview/architecture.md");
        page.old_paths = vec!["zh/docs/18.0/overview/architecture/".into()];
        page.lang = Some("zh".into());
        page.body = "![Arch](../img/arch.svg)\n".into();
        let mut bundle = crate::Item::new(crate::Kind::Article, "content/blog/x/index.md");
        bundle.old_paths = vec!["blog/x/".into()];
        bundle.files = vec![("content/blog/x/chart.png".into(), "chart.png".into())];
        bundle.body = "![Chart](chart.png) ![Logo](../logo.png)\n".into();
        imported.items = vec![page, bundle];
        rebase_pictures(&mut imported);
        assert_eq!(imported.items[0].body, "![Arch](/docs/18.0/overview/img/arch.svg)\n");
        assert_eq!(imported.items[1].body, "![Chart](chart.png) ![Logo](/blog/logo.png)\n");
    }
}
