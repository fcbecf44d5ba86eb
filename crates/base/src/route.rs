//! Routes: site-relative URL paths such as `world/some-story/` or
//! `tags/ferry/feed.xml`. This module is the only place that knows the URL
//! scheme: a [`Route`] can only be made here, `Urls` turns one into a link,
//! and [`Route::file`] names the output file it is written to. It sits at
//! the bottom of the crate and depends on nothing in it.

use std::borrow::Cow;
use std::fmt;
use std::path::{Component, Path, PathBuf};

/// A site-relative URL path: empty for the front page, ending in `/` for a
/// page, or naming a file (`feed.xml`, `world/story/photo.jpg`). Never
/// starts with `/` and never holds a `.` or `..` segment.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Route(Cow<'static, str>);

/// The formats a listing's feed is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedFormat {
    /// Atom 1.0: `feed.xml`.
    Atom,
    /// RSS 2.0: `rss.xml`.
    Rss,
    /// JSON Feed 1.1: `feed.json` (site-wide only).
    Json,
}

impl Route {
    const fn fixed(path: &'static str) -> Route {
        Route(Cow::Borrowed(path))
    }

    /// The front page: the empty route, written to `index.html`.
    pub const FRONT: Route = Route::fixed("");
    /// The page that lists every tag.
    pub const TAGS: Route = Route::fixed("tags/");
    /// The page that lists every author.
    pub const AUTHORS: Route = Route::fixed("authors/");
    /// The page that lists every section.
    pub const SECTIONS: Route = Route::fixed("sections/");
    /// The archive: every year, each linking to its months.
    pub const ARCHIVE: Route = Route::fixed("archive/");
    /// The search page (only when search is on).
    pub const SEARCH: Route = Route::fixed("search/");
    /// The folder the search index's files go in (see
    /// [`Route::search_file`]); its script is [`Route::SEARCH_SCRIPT`].
    pub const SEARCH_BUNDLE: Route = Route::fixed("_search/");
    /// The page a host serves for a path that has no file.
    pub const NOT_FOUND: Route = Route::fixed("404.html");
    /// The sitemap, or the index of its parts ([`Route::sitemap_part`])
    /// when it is split.
    pub const SITEMAP: Route = Route::fixed("sitemap.xml");
    /// The Google News sitemap: the last two days' stories.
    pub const NEWS_SITEMAP: Route = Route::fixed("news-sitemap.xml");
    /// `robots.txt`, which names both sitemaps.
    pub const ROBOTS: Route = Route::fixed("robots.txt");
    // The theme's files under `static/`.
    /// The theme's stylesheet, linked from every page.
    pub const STYLESHEET: Route = Route::fixed("css/broadsheet.css");
    /// The search page's script, which reads the index under
    /// [`Route::SEARCH_BUNDLE`].
    pub const SEARCH_SCRIPT: Route = Route::fixed("js/search.js");
    /// The script that shows reaction counts and sends votes.
    pub const REACTIONS_SCRIPT: Route = Route::fixed("js/reactions.js");
    /// The script behind an article's share buttons.
    pub const SHARE_SCRIPT: Route = Route::fixed("js/share.js");
    /// The script that swaps an embed's placeholder for its frame (see
    /// `embed`).
    pub const EMBEDS_SCRIPT: Route = Route::fixed("js/embeds.js");
    /// The script a live blog's page polls [`Route::live_feed`] with.
    pub const LIVE_SCRIPT: Route = Route::fixed("js/live.js");
    // The generated monogram icons and share card (see `render::icons`).
    /// The monogram favicon, made when `site.toml` names no favicon.
    pub const FAVICON_SVG: Route = Route::fixed("favicon.svg");
    /// The monogram as a 32-pixel ICO, for browsers that ask for
    /// `/favicon.ico` whatever the page says; made with [`Route::FAVICON_SVG`].
    pub const FAVICON_ICO: Route = Route::fixed("favicon.ico");
    /// The 180-pixel Apple touch icon, made when `site.toml` names none.
    pub const TOUCH_ICON: Route = Route::fixed("apple-touch-icon.png");
    /// The 1200×630 card link previews show for a story without a photo,
    /// made when the site names no share image and no logo they can show.
    pub const SHARE_CARD: Route = Route::fixed("share.png");
    /// Where resized photos go (see `photos`).
    pub const PHOTOS: Route = Route::fixed("_photos/");
    /// The articles and labels a reactions counter accepts (see
    /// `reactions`).
    pub const REACTIONS_ARTICLES: Route = Route::fixed("_reactions/articles.json");
    /// Every correction of every story.
    pub const CORRECTIONS: Route = Route::fixed("corrections/");

    /// The route as written: `world/story/`, empty for the front page.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The route as a writer sees it in a message: `/world/story/`.
    pub fn shown(&self) -> String {
        format!("/{}", self.0)
    }

    /// The route without its trailing slash (`world/story`): an article's
    /// id for the reactions counter.
    pub fn as_id(&self) -> &str {
        self.0.trim_end_matches('/')
    }

    /// An article: `world/some-story/`.
    pub fn article(section: &str, slug: &str) -> Route {
        Route(format!("{section}/{slug}/").into())
    }

    /// A resized photo, by its content-addressed file name.
    pub fn photo(name: &str) -> Route {
        Route(format!("{}{name}", Route::PHOTOS.0).into())
    }

    /// Whether the route is a file every language of a site shares (a
    /// resized photo: its name is its content's hash), published once at
    /// the site's root.
    pub fn is_shared(&self) -> bool {
        self.0.starts_with(Route::PHOTOS.0.as_ref())
    }

    /// A file of the search index (see the `search` crate): `index.json`
    /// (`index`), `p/index.json.gz` (`pairs`), number `n` of a `part` (`w`,
    /// `s`, `p`, `v`, `sec`), or document `n` (`d`, by the thousand).
    pub fn search_file(part: &str, n: usize) -> Route {
        let bundle = &Route::SEARCH_BUNDLE.0;
        Route(match part {
            "index" => format!("{bundle}index.json").into(),
            "pairs" => format!("{bundle}p/index.json.gz").into(),
            "d" => format!("{bundle}d/{}/{n}.json.gz", n / 1000).into(),
            _ => format!("{bundle}{part}/{n}.json.gz").into(),
        })
    }

    /// A section's front: `world/`.
    pub fn section(slug: &str) -> Route {
        Route(format!("{slug}/").into())
    }

    /// A tag's page: `tags/ferry/`.
    pub fn tag(slug: &str) -> Route {
        Route(format!("tags/{slug}/").into())
    }

    /// A live blog's updates for readers' pages to poll: `news/storm/live.json`.
    pub fn live_feed(&self) -> Route {
        Route(format!("{}live.json", self.0).into())
    }

    /// A series' landing page: `series/harbour-dredging/`.
    pub fn series(slug: &str) -> Route {
        Route(format!("series/{slug}/").into())
    }

    /// An author's page: `authors/jane-doe/`.
    pub fn author(slug: &str) -> Route {
        Route(format!("authors/{slug}/").into())
    }

    /// A year's archive page: `2026/`.
    pub fn year(year: i32) -> Route {
        Route(format!("{year:04}/").into())
    }

    /// A month's archive page: `2026/03/`.
    pub fn month(year: i32, month: u32) -> Route {
        Route(format!("{year:04}/{month:02}/").into())
    }

    /// Part `n` (0-based) of a sitemap split into an index.
    pub fn sitemap_part(n: usize) -> Route {
        Route(format!("sitemap-{}.xml", n + 1).into())
    }

    /// The feed of the listing at `self` (the front page for the site).
    pub fn feed(&self, format: FeedFormat) -> Route {
        let file = match format {
            FeedFormat::Atom => "feed.xml",
            FeedFormat::Rss => "rss.xml",
            FeedFormat::Json => "feed.json",
        };
        Route(format!("{}{file}", self.0).into())
    }

    /// Page `n` (1-based) of the listing at `self`.
    pub fn paged(&self, n: usize) -> Route {
        if n <= 1 { self.clone() } else { Route(format!("{}page/{n}/", self.0).into()) }
    }

    /// A file named relative to the folder at `self` (a bundle's image):
    /// `.` and `..` are resolved; `None` when the path is absolute or
    /// climbs above the site's root.
    pub fn join(&self, rel: &Path) -> Option<Route> {
        let mut parts: Vec<String> = self.0.split('/').filter(|s| !s.is_empty()).map(str::to_string).collect();
        for component in rel.components() {
            match component {
                Component::Normal(name) => parts.push(name.to_string_lossy().into_owned()),
                Component::CurDir => {}
                Component::ParentDir => {
                    parts.pop()?;
                }
                Component::RootDir | Component::Prefix(_) => return None,
            }
        }
        let file = rel.components().next_back().is_some_and(|c| matches!(c, Component::Normal(_)));
        (file && !parts.is_empty()).then(|| Route(parts.join("/").into()))
    }

    /// A path written by an author (`/images/x.png`, `2026/old-story/`),
    /// taken as a route from the site's root. Percent-encoding is decoded
    /// first, so `%2e%2e` is seen as `..`; anything that could leave the
    /// output, or that points at the front page, is refused with the reason.
    pub fn from_site_path(path: &str) -> Result<Route, &'static str> {
        let decoded = percent_encoding::percent_decode_str(path)
            .decode_utf8()
            .map_err(|_| "it is not valid UTF-8 once percent-decoded")?;
        if decoded.contains(['\\', '\0', ':', '?', '#']) {
            return Err("expected a path such as `/2024/old-story/` (no `\\`, `:`, `?`, `#` or NUL)");
        }
        let segments: Vec<&str> = decoded.split('/').filter(|s| !s.is_empty()).collect();
        if segments.is_empty() {
            return Err(Route::FRONT_PAGE_ALIAS);
        }
        if segments.iter().any(|s| *s == "." || *s == "..") {
            return Err("`.` and `..` segments would leave the output folder");
        }
        let path: PathBuf = segments.iter().collect();
        if path.components().any(|c| !matches!(c, Component::Normal(_))) {
            return Err("expected a plain path");
        }
        Ok(Route(segments.join("/").into()))
    }

    /// Why an alias of `/` is refused (the front page answers it already).
    pub const FRONT_PAGE_ALIAS: &'static str = "it points at the site's front page";

    /// An old URL that redirects (`/2024/old-story/`, `/old/story.html`): a
    /// folder unless it names an `.html` or `.htm` file. Refused, with the
    /// reason, as [`Route::from_site_path`] refuses, and when a name is
    /// longer than 255 bytes or starts with `.broadsheet`.
    pub fn alias(alias: &str) -> Result<Route, &'static str> {
        let route = Route::from_site_path(alias)?;
        if route.0.split('/').any(|s| s.len() > 255) {
            return Err("a part of it is longer than 255 bytes, more than a file system can store in one name");
        }
        if route.0.split('/').any(|s| s.starts_with(".broadsheet")) {
            return Err("names starting with `.broadsheet` are Broadsheet's own files");
        }
        let is_file = route.0.ends_with(".html") || route.0.ends_with(".htm");
        Ok(if is_file { route } else { Route(format!("{}/", route.0).into()) })
    }

    /// The file the route is written to, relative to the output folder.
    pub fn file(&self) -> String {
        file_of(&self.0)
    }
}

/// The output file that serves a site-relative URL path (`world/` ->
/// `world/index.html`); `serve` uses it for request paths.
pub fn file_of(path: &str) -> String {
    if path.is_empty() || path.ends_with('/') { format!("{path}index.html") } else { path.to_string() }
}

/// Where articles go: a pattern such as `/:section/:year/:month/:slug/`
/// (`[permalinks] article` in site.toml). Its parts are literal segments
/// and the tokens `:year`, `:month`, `:day` (zero-padded), `:section` and
/// `:slug`; it must hold `:slug` and end with `/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Permalink {
    segments: Vec<Segment>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Literal(String),
    Year,
    Month,
    Day,
    Section,
    Slug,
}

/// The tokens a permalink pattern may use.
pub const PERMALINK_TOKENS: [&str; 5] = [":year", ":month", ":day", ":section", ":slug"];

impl Default for Permalink {
    /// `/:section/:slug/`.
    fn default() -> Permalink {
        Permalink { segments: vec![Segment::Section, Segment::Slug] }
    }
}

impl Permalink {
    /// Reads a pattern, or says what is wrong with it.
    pub fn parse(pattern: &str) -> Result<Permalink, String> {
        let expected = "expected a pattern such as \"/:section/:year/:month/:slug/\"";
        if !pattern.starts_with('/') || !pattern.ends_with('/') {
            return Err(format!("`{pattern}` must start and end with `/`: {expected}"));
        }
        let mut segments = Vec::new();
        for part in pattern.split('/').filter(|p| !p.is_empty()) {
            segments.push(match part {
                ":year" => Segment::Year,
                ":month" => Segment::Month,
                ":day" => Segment::Day,
                ":section" => Segment::Section,
                ":slug" => Segment::Slug,
                token if token.starts_with(':') => {
                    let known = PERMALINK_TOKENS.join(" ");
                    return Err(format!("unknown token `{token}` in `{pattern}`: the tokens are {known}"));
                }
                literal if crate::slug::slugify(literal) == literal => Segment::Literal(literal.to_string()),
                literal => {
                    return Err(format!(
                        "`{literal}` in `{pattern}` is not URL-safe: use lowercase letters, digits and hyphens"
                    ));
                }
            });
        }
        if !segments.contains(&Segment::Slug) {
            return Err(format!("`{pattern}` has no `:slug`, so every article would get the same URL: {expected}"));
        }
        Ok(Permalink { segments })
    }

    /// The route of an article in `section` with `slug`, dated `date`.
    pub fn route(&self, section: &str, slug: &str, date: &impl chrono::Datelike) -> Route {
        let parts: Vec<String> = self
            .segments
            .iter()
            .map(|segment| match segment {
                Segment::Literal(text) => text.clone(),
                Segment::Year => format!("{:04}", date.year()),
                Segment::Month => format!("{:02}", date.month()),
                Segment::Day => format!("{:02}", date.day()),
                Segment::Section => section.to_string(),
                Segment::Slug => slug.to_string(),
            })
            .collect();
        Route(format!("{}/", parts.join("/")).into())
    }
}

impl fmt::Display for Route {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl PartialEq<str> for Route {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for Route {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl AsRef<Path> for Route {
    fn as_ref(&self) -> &Path {
        Path::new(self.0.as_ref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_are_folders_unless_they_name_a_page() {
        assert_eq!(Route::alias("/2026/old-story/").unwrap().as_str(), "2026/old-story/");
        assert_eq!(Route::alias("/old/story.html").unwrap().as_str(), "old/story.html");
        assert_eq!(Route::alias("old").unwrap().as_str(), "old/");
    }

    #[test]
    fn paths_that_leave_the_site_are_refused() {
        for bad in ["/", "", "/../etc/", "/a/%2e%2e/b", "a\\b", "/x?y", "c:/x", "/a/./b"] {
            assert!(Route::alias(bad).is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn permalinks_fill_their_tokens() {
        let date = chrono::NaiveDate::from_ymd_opt(2024, 5, 4).unwrap();
        let dated = Permalink::parse("/:section/:year/:month/:day/:slug/").unwrap();
        assert_eq!(dated.route("news", "kubecon", &date), "news/2024/05/04/kubecon/");
        let blog = Permalink::parse("/blog/:year/:slug/").unwrap();
        assert_eq!(blog.route("news", "x", &date), "blog/2024/x/");
        assert_eq!(Permalink::default().route("news", "x", &date), Route::article("news", "x"));
    }

    #[test]
    fn bad_permalinks_say_what_is_wrong() {
        for (bad, says) in [
            ("/:section/:slug", "start and end with `/`"),
            ("/:section/:title/", "unknown token `:title`"),
            ("/:section/:year/", "no `:slug`"),
            ("/News Stories/:slug/", "not URL-safe"),
        ] {
            let e = Permalink::parse(bad).unwrap_err();
            assert!(e.contains(says), "{bad}: {e}");
        }
    }

    #[test]
    fn files_and_pages() {
        assert_eq!(Route::FRONT.file(), "index.html");
        assert_eq!(Route::article("world", "x").file(), "world/x/index.html");
        assert_eq!(Route::tag("a").feed(FeedFormat::Rss).file(), "tags/a/rss.xml");
        assert_eq!(Route::section("world").paged(2).as_str(), "world/page/2/");
        assert_eq!(Route::section("world").paged(1), Route::section("world"));
        assert_eq!(Route::article("w", "s").join(Path::new("img/p.png")).unwrap().as_str(), "w/s/img/p.png");
        assert_eq!(Route::article("w", "s").join(Path::new("../t/p.png")).unwrap().as_str(), "w/t/p.png");
        assert!(Route::section("w").join(Path::new("../../p.png")).is_none());
    }
}
