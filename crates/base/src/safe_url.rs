//! The one URL policy for every address Broadsheet writes into a page's
//! `href`, `src`, `action`, canonical link or `og:*` from what a site
//! gives it (summaries, `source.url`, heroes, `site.toml`'s authors,
//! menus, breaking banner and reactions endpoint): `http:`, `https:`,
//! `mailto:`, or a path on the site (`/about/`, `photo.jpg`, `#top`).
//!
//! The address is resolved as a browser resolves it (the WHATWG URL
//! standard, by the `url` crate: leading spaces and control characters
//! dropped, tabs and line breaks removed, the scheme's case folded), so
//! `java\tscript:`, ` JavaScript:` and `&#x6A;avascript:` after an HTML
//! parser decoded it are all seen as the `javascript:` they become.

use std::sync::LazyLock;

/// What a relative address is resolved against: only its scheme matters.
static BASE: LazyLock<Option<url::Url>> = LazyLock::new(|| url::Url::parse("https://site.invalid/a/b/").ok());

/// The schemes a page may link to or load from.
const ALLOWED: [&str; 3] = ["http", "https", "mailto"];

/// `Ok` when `address` may be written into a page; otherwise why not, to
/// finish a sentence like "`source.url` is refused: ...".
pub fn check(address: &str) -> Result<(), String> {
    let Some(base) = BASE.as_ref() else { return Err("the URL parser is unavailable".into()) };
    match base.join(address) {
        Ok(url) if ALLOWED.contains(&url.scheme()) => Ok(()),
        Ok(url) => Err(format!(
            "a `{}:` address; expected an http(s) or mailto: address, or a path on the site such as /about/",
            url.scheme()
        )),
        Err(e) => {
            Err(format!("not an address ({e}); expected an http(s) address or a path on the site such as /about/"))
        }
    }
}

/// Like [`check`], for addresses that must load over the web (a form's
/// `action`, a script's endpoint): `mailto:` is refused too.
pub fn check_web(address: &str) -> Result<(), String> {
    check(address)?;
    match BASE.as_ref().and_then(|b| b.join(address).ok()) {
        Some(url) if url.scheme() == "mailto" => {
            Err("a `mailto:` address; expected an http(s) address or a path on the site".into())
        }
        _ => Ok(()),
    }
}

/// Whether a relative file reference (`../../img/a.jpg`, not a URL or a
/// root-relative path) climbs out of the folder it is read in, given
/// how many folders deep that folder is below the root.
pub fn climbs_out(reference: &str, depth: usize) -> bool {
    if reference.contains(':') || reference.starts_with('/') {
        return false;
    }
    let path = reference.split(['?', '#']).next().unwrap_or("");
    let mut level = depth as isize;
    for part in path.split('/') {
        match part {
            ".." => level -= 1,
            "" | "." => {}
            _ => level += 1,
        }
        if level < 0 {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_mail_and_site_addresses_pass() {
        for ok in [
            "https://example.com/a?b=c#d",
            "http://example.com",
            "HTTPS://EXAMPLE.COM",
            "mailto:desk@example.com",
            "/about/",
            "about/",
            "photo.jpg",
            "#top",
            "?page=2",
            "//cdn.example.com/x.js",
            "",
        ] {
            assert_eq!(check(ok), Ok(()), "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            " JavaScript:alert(1)",
            "java\tscript:alert(1)",
            "java\nscript:alert(1)",
            "\u{1}javascript:alert(1)",
            "vbscript:msgbox",
            "data:text/html,<script>alert(1)</script>",
            "file:///etc/passwd",
            "ftp://example.com/",
            "jav&#x61;script:x".replace("&#x61;", "a").as_str(),
        ] {
            let why = check(bad).unwrap_err();
            assert!(why.contains("expected"), "{bad}: {why}");
        }
        assert!(check_web("mailto:a@b.c").is_err());
        assert!(check_web("/api/reactions").is_ok());
    }

    #[test]
    fn references_that_climb_out_are_found() {
        assert!(climbs_out("../../../../etc/passwd", 2));
        assert!(!climbs_out("../images/a.jpg", 2));
        assert!(!climbs_out("a/../../b.jpg", 1));
        assert!(climbs_out("a/../../../b.jpg", 1));
        assert!(!climbs_out("/images/a.jpg", 0));
        assert!(!climbs_out("https://x.example/../../a.jpg", 0));
    }
}
