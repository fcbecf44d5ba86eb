//! The page plan: every page the site has (articles, standalone pages,
//! listings with their pagination, indexes, the corrections page, old
//! URLs, feeds, sitemaps split past their limit, robots.txt), each with its
//! route, in a deterministic order; and which articles each feed carries.

use std::ops::Range;

use super::{ArticleId, FeedFormat, Listing, PageId, Route, Site, YearId};

/// One page of a paginated listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pager {
    /// This page's number, from 1: page 1 is at `base`, page n at
    /// `<base>page/<n>/`.
    pub number: usize,
    /// How many pages the listing has (at least 1).
    pub total: usize,
    /// The positions, in the listing's articles (`Site::listed`), of those this
    /// page shows.
    pub items: Range<usize>,
    /// The route of the listing's first page.
    pub base: Route,
}

/// What a page of the plan is, which decides how it is rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageKind {
    /// The front page.
    Front,
    /// An article's page.
    Article(ArticleId),
    /// A standalone page (About, Contact).
    Standalone(PageId),
    /// One page of a paginated listing.
    List {
        /// Which section, tag, author, month or series it lists.
        listing: Listing,
        /// Which page of it, and which of its articles it shows.
        pager: Pager,
    },
    /// A year of the archive (`/<year>/`), linking to its months.
    Year(YearId),
    /// `/tags/`: every tag.
    TagIndex,
    /// `/authors/`: every author.
    AuthorIndex,
    /// `/sections/`: every section.
    SectionIndex,
    /// `/archive/`: every year and its months.
    Archive,
    /// `/search/`, when `[search] enabled`.
    Search,
    /// Every correction of every story, newest first, after the text of
    /// the standalone page on `/corrections/` when there is one (a
    /// corrections policy).
    Corrections {
        /// The standalone page at `/corrections/`, shown above the list; `None`
        /// without one.
        intro: Option<PageId>,
    },
    /// An old URL of an article: a page that redirects to it.
    Alias {
        /// The article it redirects to.
        article: ArticleId,
        /// Which of the article's aliases.
        alias: usize,
    },
    /// An old URL of a standalone page.
    PageAlias {
        /// The page it redirects to.
        page: PageId,
        /// Which of the page's aliases.
        alias: usize,
    },
    /// `404.html`: what hosts serve for a path with no file.
    NotFound,
    /// A feed of the site or of a listing.
    Feed {
        /// Whose stories it carries.
        scope: FeedScope,
        /// Atom, RSS or JSON Feed.
        format: FeedFormat,
    },
    /// A live blog's updates as JSON, for readers' pages to poll.
    LiveFeed(ArticleId),
    /// A `<urlset>`: part `part` of the sitemap (the only part when the
    /// site fits in one).
    Sitemap {
        /// Which part, from 0 (0 when the sitemap is not split).
        part: usize,
    },
    /// A `<sitemapindex>` naming `parts` sitemaps.
    SitemapIndex {
        /// How many parts there are.
        parts: usize,
    },
    /// `news-sitemap.xml`: the stories of the two days before the build, for
    /// Google News.
    NewsSitemap,
    /// `robots.txt`, naming the sitemaps (on a multilingual site, only the
    /// default language's has one).
    Robots,
}

impl PageKind {
    /// Whether the page is an HTML page that belongs in the sitemap.
    pub fn in_sitemap(&self) -> bool {
        matches!(
            self,
            PageKind::Front
                | PageKind::Article(_)
                | PageKind::Standalone(_)
                | PageKind::List { .. }
                | PageKind::Year(_)
                | PageKind::TagIndex
                | PageKind::AuthorIndex
                | PageKind::SectionIndex
                | PageKind::Archive
                | PageKind::Corrections { .. }
        )
    }
}

/// Whose stories a feed carries: the whole site's, or a listing's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedScope {
    /// The site's newest stories: `feed.xml`, `rss.xml` and `feed.json`.
    Site,
    /// A listing's stories: a section's, tag's, author's or series'.
    Of(Listing),
}

impl FeedScope {
    /// The site's and the sections' feeds: `[feeds] limit` and
    /// `full_content`; tags', authors' and series' take the `listing_` ones.
    pub fn is_main(self) -> bool {
        matches!(self, FeedScope::Site | FeedScope::Of(Listing::Section(_) | Listing::Month(_)))
    }

    /// Whether this feed carries whole articles.
    pub fn full_content(self, feeds: &crate::config::FeedsConfig) -> bool {
        if self.is_main() { feeds.full_content } else { feeds.listing_full_content }
    }
}

/// One page of the site: where it goes and what it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// Where it is written, relative to the site's root (a language's root).
    pub route: Route,
    /// What it is, and so how it is rendered.
    pub kind: PageKind,
}

/// The choices that decide which pages a site has.
#[derive(Debug, Clone, Copy)]
pub struct Plan {
    /// Stories per listing page (`per_page`, 1 or more).
    pub per_page: usize,
    /// URLs per sitemap file before it is split into an index.
    pub sitemap_max: usize,
    /// Whether the site has a search page.
    pub search: bool,
    /// Which syndicated copies stay out of the sitemaps.
    pub syndication: crate::config::Syndication,
    /// Whether tags, authors and series have an RSS feed beside their Atom one.
    pub listing_rss: bool,
}

/// Splits `count` items into pages of `per_page` (at least one page).
pub fn paginate(base: &Route, count: usize, per_page: usize) -> Vec<Pager> {
    let total = count.div_ceil(per_page).max(1);
    (1..=total)
        .map(|n| Pager { number: n, total, items: (n - 1) * per_page..(n * per_page).min(count), base: base.clone() })
        .collect()
}

impl Site {
    /// Every page of the site, in a deterministic order: HTML pages, then
    /// feeds, then sitemaps (split past `plan.sitemap_max` URLs) and robots.txt.
    pub fn pages(&self, plan: &Plan) -> Vec<Page> {
        let (per_page, sitemap_max) = (plan.per_page, plan.sitemap_max);
        let mut pages = self.html_pages(per_page);
        if plan.search {
            pages.push(Page { route: Route::SEARCH, kind: PageKind::Search });
        }
        pages.extend(self.feeds(plan.listing_rss));
        let listed = pages.iter().filter(|p| self.in_sitemap(p, plan.syndication)).count();
        let parts = listed.div_ceil(sitemap_max.max(1)).max(1);
        if parts == 1 {
            pages.push(Page { route: Route::SITEMAP, kind: PageKind::Sitemap { part: 0 } });
        } else {
            pages.push(Page { route: Route::SITEMAP, kind: PageKind::SitemapIndex { parts } });
            pages.extend(
                (0..parts).map(|part| Page { route: Route::sitemap_part(part), kind: PageKind::Sitemap { part } }),
            );
        }
        pages.push(Page { route: Route::NEWS_SITEMAP, kind: PageKind::NewsSitemap });
        pages.push(Page { route: Route::ROBOTS, kind: PageKind::Robots });
        pages
    }

    /// Whether a page is listed in the sitemap: an HTML page search
    /// engines should index (not syndicated copy pointing elsewhere).
    pub fn in_sitemap(&self, page: &Page, syndication: crate::config::Syndication) -> bool {
        match page.kind {
            PageKind::Article(id) => !self[id].is_copy(syndication),
            ref kind => kind.in_sitemap(),
        }
    }

    fn feeds(&self, listing_rss: bool) -> Vec<Page> {
        let feed = |base: Route, scope: FeedScope, format: FeedFormat| Page {
            route: base.feed(format),
            kind: PageKind::Feed { scope, format },
        };
        let mut feeds = vec![
            feed(Route::FRONT, FeedScope::Site, FeedFormat::Atom),
            feed(Route::FRONT, FeedScope::Site, FeedFormat::Rss),
            feed(Route::FRONT, FeedScope::Site, FeedFormat::Json),
        ];
        let with_feeds = self.listings().filter(|l| !matches!(l, Listing::Month(_)));
        for listing in with_feeds {
            let base = self.listing_route(listing);
            feeds.push(feed(base.clone(), FeedScope::Of(listing), FeedFormat::Atom));
            if listing.has_rss(listing_rss) {
                feeds.push(feed(base, FeedScope::Of(listing), FeedFormat::Rss));
            }
        }
        feeds
    }

    /// The articles a feed carries, newest first, at most `limit`.
    pub fn feed_articles(&self, scope: FeedScope, feeds: &crate::config::FeedsConfig) -> Vec<ArticleId> {
        let limit = if scope.is_main() { feeds.limit } else { feeds.listing_limit };
        match scope {
            FeedScope::Site => self.article_ids().take(limit).collect(),
            // A series lists its parts in reading order; its feed is newest first.
            FeedScope::Of(Listing::Series(id)) => {
                let mut parts = self[id].articles.clone();
                parts.sort();
                parts.truncate(limit);
                parts
            }
            FeedScope::Of(listing) => self.listed(listing).iter().copied().take(limit).collect(),
        }
    }

    fn html_pages(&self, per_page: usize) -> Vec<Page> {
        let mut pages = vec![Page { route: Route::FRONT, kind: PageKind::Front }];
        pages.extend(
            self.article_ids().map(|id| Page { route: self[id].place.route.clone(), kind: PageKind::Article(id) }),
        );
        pages.extend(
            self.article_ids()
                .filter(|&id| self[id].live.is_some())
                .map(|id| Page { route: self[id].place.route.live_feed(), kind: PageKind::LiveFeed(id) }),
        );
        for listing in self.listings() {
            let base = self.listing_route(listing);
            for pager in paginate(&base, self.listed(listing).len(), per_page) {
                pages.push(Page { route: base.paged(pager.number), kind: PageKind::List { listing, pager } });
            }
        }
        pages.extend(self.year_ids().map(|id| Page { route: Route::year(self[id].year), kind: PageKind::Year(id) }));
        for (route, kind) in [
            (Route::TAGS, PageKind::TagIndex),
            (Route::AUTHORS, PageKind::AuthorIndex),
            (Route::SECTIONS, PageKind::SectionIndex),
            (Route::ARCHIVE, PageKind::Archive),
            (Route::NOT_FOUND, PageKind::NotFound),
        ] {
            pages.push(Page { route, kind });
        }
        // A standalone page on /corrections/ (the policy) opens the list.
        let intro = self.page_ids().find(|&id| self[id].place.route == Route::CORRECTIONS);
        pages.push(Page { route: Route::CORRECTIONS, kind: PageKind::Corrections { intro } });
        pages.extend(
            self.page_ids()
                .filter(|&id| Some(id) != intro)
                .map(|id| Page { route: self[id].place.route.clone(), kind: PageKind::Standalone(id) }),
        );
        for article in self.article_ids() {
            for (alias, al) in self[article].place.aliases.iter().enumerate() {
                pages.push(Page { route: al.route.clone(), kind: PageKind::Alias { article, alias } });
            }
        }
        for page in self.page_ids() {
            for (alias, al) in self[page].place.aliases.iter().enumerate() {
                pages.push(Page { route: al.route.clone(), kind: PageKind::PageAlias { page, alias } });
            }
        }
        pages
    }
}
