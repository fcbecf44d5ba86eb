//! The one place that turns a route (a site-relative path such as
//! `world/some-story/`) into a URL. Pages link with path-absolute URLs
//! (`/repo/world/some-story/`), so the same output works on any host; feeds,
//! sitemaps and canonical links use absolute ones. Nothing else in the crate
//! builds a URL by hand.

use std::borrow::Cow;

use crate::route::Route;

/// A site's base URL, taken apart once, and every URL made from it. Made
/// by [`Urls::parse`] (for a language, [`Urls::for_language`]), so every
/// part is normalised: paths start and end with `/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Urls {
    /// Scheme, host and path, always ending in `/`.
    base_url: String,
    /// Scheme and host (and port), without a trailing `/`.
    origin: String,
    /// The path part of `base_url`, starting and ending with `/`.
    base_path: String,
    /// The site's own root path: `base_path` but for a language's pages
    /// (`/repo/` where `base_path` is `/repo/fr/`). Files of the site
    /// (`static/`, the theme's) and links authors write are under it.
    root_path: String,
}

impl Urls {
    /// Parses and normalises a base URL such as `https://user.github.io/repo`.
    pub fn parse(base_url: &str) -> Result<Urls, String> {
        let expected =
            "expected an absolute http(s) URL such as `https://example.com/` or `https://user.github.io/repo/`";
        let parsed =
            url::Url::parse(base_url).map_err(|e| format!("invalid base_url `{base_url}` ({e}): {expected}"))?;
        if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
            return Err(format!("invalid base_url `{base_url}`: {expected}"));
        }
        if parsed.query().is_some() || parsed.fragment().is_some() {
            return Err(format!("base_url `{base_url}` must not have a query or fragment"));
        }
        let mut base_path = parsed.path().to_string();
        if !base_path.ends_with('/') {
            base_path.push('/');
        }
        let origin = parsed.origin().ascii_serialization();
        Ok(Urls { base_url: format!("{origin}{base_path}"), origin, root_path: base_path.clone(), base_path })
    }

    /// The URLs of one language's pages: under `<base>/<code>/`, with the
    /// site's files and authors' links still at the site's root.
    pub fn for_language(&self, code: &str) -> Urls {
        Urls {
            base_url: format!("{}{code}/", self.base_url),
            origin: self.origin.clone(),
            base_path: format!("{}{code}/", self.base_path),
            root_path: self.root_path.clone(),
        }
    }

    /// Path-absolute URL of a file of the site itself (the stylesheet, a
    /// logo under `static/`): at the site's root in every language.
    pub fn file_path(&self, route: &Route) -> String {
        format!("{}{}", self.root_path, route)
    }

    /// Absolute URL of a file of the site itself (see [`Urls::file_path`]).
    pub fn file_absolute(&self, route: &Route) -> String {
        format!("{}{}{}", self.origin, self.root_path, route)
    }

    /// Path-absolute URL of a route: `world/` -> `/repo/world/`.
    pub fn path(&self, route: &Route) -> String {
        match route.is_shared() {
            true => self.file_path(route),
            false => format!("{}{}", self.base_path, route),
        }
    }

    /// Absolute URL of a route: `world/` -> `https://host/repo/world/`.
    pub fn absolute(&self, route: &Route) -> String {
        match route.is_shared() {
            true => self.file_absolute(route),
            false => format!("{}{}", self.base_url, route),
        }
    }

    /// The base URL, normalised: `https://user.github.io/repo/` (a
    /// language's pages: `.../repo/fr/`).
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Scheme and host (and a port other than the default), without a
    /// trailing `/`: `https://user.github.io`.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The base URL's path, starting and ending with `/`: `/repo/` (`/`
    /// for a site at the root of its host).
    pub fn base_path(&self) -> &str {
        &self.base_path
    }

    /// A link written by an author: root-relative links (`/world/x/`) mean the
    /// site's root and get the base path; everything else is left alone.
    pub fn resolve_link<'a>(&self, href: &'a str) -> Cow<'a, str> {
        match href.strip_prefix('/') {
            Some(rest) if !rest.starts_with('/') && self.root_path != "/" => {
                Cow::Owned(format!("{}{rest}", self.root_path))
            }
            _ => Cow::Borrowed(href),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Urls;

    fn urls(base: &str) -> Urls {
        Urls::parse(base).unwrap()
    }

    #[test]
    fn adds_trailing_slash() {
        assert_eq!(urls("https://u.github.io/repo").absolute(&crate::route::Route::FRONT), "https://u.github.io/repo/");
    }

    #[test]
    fn paths_keep_the_subpath() {
        assert_eq!(
            urls("https://u.github.io/repo/").path(&crate::route::Route::article("world", "x")),
            "/repo/world/x/"
        );
        assert_eq!(urls("https://news.example.com").path(&crate::route::Route::section("world")), "/world/");
    }

    #[test]
    fn root_relative_links_get_the_base_path() {
        let u = urls("https://u.github.io/repo/");
        assert_eq!(u.resolve_link("/world/x/"), "/repo/world/x/");
        assert_eq!(u.resolve_link("//cdn.example.com/a.js"), "//cdn.example.com/a.js");
        assert_eq!(u.resolve_link("https://example.org/"), "https://example.org/");
        assert_eq!(u.resolve_link("photo.jpg"), "photo.jpg");
        assert_eq!(u.resolve_link("#notes"), "#notes");
    }

    proptest::proptest! {
        /// Every URL made from a route starts with `base_url` (absolute) or
        /// its path (path-absolute), whatever the subpath and the route.
        #[test]
        fn every_url_starts_with_the_base(
            segments in proptest::collection::vec("[a-z0-9-]{1,12}", 0..4),
            route in proptest::collection::vec("\\PC{0,12}", 0..5),
        ) {
            let base = format!("https://user.github.io/{}", segments.join("/"));
            let urls = Urls::parse(&base).unwrap();
            let path: String =
                route.iter().map(|s| crate::slug::slugify(s)).filter(|s| !s.is_empty()).map(|s| s + "/").collect();
            let route = crate::route::Route::from_site_path(&path).unwrap_or(crate::route::Route::FRONT);
            proptest::prop_assert!(urls.absolute(&route).starts_with(urls.base_url()));
            proptest::prop_assert!(urls.path(&route).starts_with(urls.base_path()));
            let route = path;
            proptest::prop_assert!(urls.base_url().ends_with('/'));
            let link = format!("/{route}");
            proptest::prop_assert!(urls.resolve_link(&link).starts_with(urls.base_path()));
        }
    }

    #[test]
    fn a_languages_pages_are_under_its_code_and_the_sites_files_are_not() {
        let fr = urls("https://u.github.io/repo/").for_language("fr");
        assert_eq!(fr.path(&crate::route::Route::section("monde")), "/repo/fr/monde/");
        assert_eq!(fr.absolute(&crate::route::Route::FRONT), "https://u.github.io/repo/fr/");
        assert_eq!(
            fr.file_path(&crate::route::Route::STYLESHEET),
            urls("https://u.github.io/repo/").path(&crate::route::Route::STYLESHEET)
        );
        assert_eq!(fr.resolve_link("/images/x.png"), "/repo/images/x.png");
    }

    #[test]
    fn rejects_relative_and_non_http() {
        assert!(Urls::parse("example.com").is_err());
        assert!(Urls::parse("ftp://example.com/").is_err());
    }
}
