//! Rendering: one path for every page kind. Each page gets a small Tera
//! context made of view structs (its article, or its slice of cards); the
//! site-wide values sit in Tera's global context, set once. Pure: returns
//! HTML strings or diagnostics and writes nothing.

pub mod feed;
pub mod icons;
pub mod meta;
pub mod sitemap;
pub mod theme;
pub mod view;
pub mod words;
pub mod xml;

use chrono::{DateTime, FixedOffset};
use rayon::prelude::*;
use tera::{Context, Tera, Value};

use crate::config::Config;
use crate::content::Article;
use crate::site::{ArticleId, Listing, Page, PageKind, Pager, Site, YearId};
use broadsheet_base::diagnostic::Diagnostic;
use broadsheet_base::route::Route;
use theme::Origins;
use view::{
    ArticleView, Card, Entry, FeedLink, Link, PageView, PaginatorView, SiteView, StandaloneView, YearView, month_name,
    taxon_link,
};

pub use broadsheet_base::html::escape as escape_html;

/// How many stories the front page lists after its lead, and per section.
const FRONT_LATEST: usize = 10;
const FRONT_PER_SECTION: usize = 4;
const MORE_IN_SECTION: usize = 4;

/// A section's stories nearest in time to `story` (which it lists), the
/// older first at each distance: "More in" shows these rather than the
/// section's newest, so that a new story changes a handful of pages, not
/// every story page of its section (a deploy uploads what changed).
fn nearby<T: Copy + Ord>(listed: &[T], story: T) -> impl Iterator<Item = T> + '_ {
    let at = listed.binary_search(&story).ok().or_else(|| listed.iter().position(|&id| id == story));
    let (newer, older) = match at {
        Some(at) => (&listed[..at], &listed[at + 1..]),
        None => (&listed[..0], listed),
    };
    let (mut older, mut newer) = (older.iter().copied(), newer.iter().rev().copied());
    std::iter::from_fn(move || match (older.next(), newer.next()) {
        (None, None) => None,
        pair => Some([pair.0, pair.1]),
    })
    .flatten()
    .flatten()
}
/// What a page takes besides an article's body, about (bytes).
const PAGE_ROOM: usize = 16 * 1024;

/// Renders the pages of one version of a site, with the theme and caches
/// of a [`RenderState`] it borrows: a full build makes one state and drops
/// it, `serve` keeps it for the next save.
pub struct Renderer<'a> {
    site: &'a Site,
    config: &'a Config,
    state: &'a mut RenderState,
    /// The pages listed in the sitemap, in order, with their last change.
    listed: Vec<sitemap::Entry>,
    /// A multilingual site's translations, and which language this is.
    translations: Option<(&'a crate::translations::Translations, usize)>,
}

/// What a page shows of which articles (by index in `site.articles`).
#[derive(Debug, Default, Clone)]
pub struct Shows {
    /// Articles the page shows as a card (a listing, "related", an alias).
    pub cards: Vec<ArticleId>,
    /// Articles the page shows in full (its own article, feed entries).
    pub whole: Vec<ArticleId>,
}

impl Shows {
    /// Forgets what was noted, keeping the room.
    pub fn clear(&mut self) {
        self.cards.clear();
        self.whole.clear();
    }
}

/// What rendering keeps between pages and between rebuilds: the theme,
/// each article's card, and the feed entries made so far.
pub struct RenderState {
    tera: Tera,
    origins: Origins,
    cards: Vec<Card>,
    /// The cards as Tera values, made once.
    card_values: Vec<Value>,
    /// Each article's feed entries, while feeds are rendered (filled as
    /// feeds ask for them).
    feeds: Option<feed::FeedCache>,
}

impl RenderState {
    /// A state for the theme `tera` (`origins` names its templates' files
    /// in messages), with no cards or feed entries made yet.
    pub fn new(tera: Tera, origins: Origins) -> RenderState {
        RenderState { tera, origins, cards: Vec::new(), card_values: Vec::new(), feeds: None }
    }
}

impl<'a> Renderer<'a> {
    /// A renderer over `site`, ready to render any page, feeds included.
    /// The cards in `state` must describe `site`'s articles (none yet, or
    /// an earlier version's, apart from those passed to
    /// [`Renderer::refresh_cards`]).
    pub fn new(site: &'a Site, config: &'a Config, state: &'a mut RenderState, pages: &[Page]) -> Renderer<'a> {
        Renderer::in_language(site, config, state, pages, None)
    }

    /// A renderer of one language of a multilingual site (`translations`
    /// and the language's number in it), or of a site in one language.
    pub fn in_language(
        site: &'a Site,
        config: &'a Config,
        state: &'a mut RenderState,
        pages: &[Page],
        translations: Option<(&'a crate::translations::Translations, usize)>,
    ) -> Renderer<'a> {
        let mut view = SiteView::new(site, config);
        if let Some((t, language)) = translations {
            view.languages = t.front_pages(language);
        }
        state.tera.global_context().insert("site", &view);
        // Every phrase of the theme, in the site's language.
        state.tera.global_context().insert("t", &phrases(&config.words));
        state.feeds.get_or_insert_with(|| feed::FeedCache::new(site.articles.len()));
        let listed = pages
            .par_iter()
            .filter(|p| site.in_sitemap(p, config.syndication))
            .map(|p| sitemap::Entry {
                loc: config.urls.absolute(&p.route),
                lastmod: lastmod(site, &p.kind),
                alternates: translations.map(|(t, l)| t.alternates(l, &p.route)).unwrap_or_default(),
            })
            .collect();
        Renderer { site, config, state, listed, translations }
    }

    /// Ends the feed phase: the feeds' shared entries are dropped and the
    /// cards that HTML pages show are made. Rendering feeds first and pages
    /// after keeps the two caches from being held at once (at 100,000
    /// articles each is hundreds of megabytes).
    pub fn start_pages(&mut self) {
        let (site, config) = (self.site, self.config);
        self.state.feeds = None;
        self.state.cards =
            site.article_ids().collect::<Vec<_>>().into_par_iter().map(|id| Card::new(site, id, config)).collect();
        self.state.card_values = self
            .state
            .cards
            .par_iter()
            .map(|c| Value::try_from_serializable(c).unwrap_or_else(|_| Value::none()))
            .collect();
    }

    /// Makes the feed entries of `articles` now rather than when a feed
    /// first shows them.
    pub fn warm_feeds(&self, articles: &[ArticleId]) {
        if let Some(cache) = &self.state.feeds {
            feed::warm(self.site, self.config, cache, articles);
        }
    }

    /// Makes the cards and feed entries of articles whose text changed
    /// again, and says which cards changed.
    pub fn refresh_cards(&mut self, articles: &[ArticleId]) -> Vec<ArticleId> {
        let mut changed = Vec::new();
        for &id in articles {
            if let Some(feeds) = &mut self.state.feeds {
                feeds.forget(id);
            }
            let card = Card::new(self.site, id, self.config);
            if card != self.state.cards[id.index()] {
                changed.push(id);
                self.state.card_values[id.index()] =
                    Value::try_from_serializable(&card).unwrap_or_else(|_| Value::none());
                self.state.cards[id.index()] = card;
            }
        }
        changed
    }

    /// Renders one page: HTML through Tera, feeds and sitemaps directly.
    /// Notes in `shows` what the page shows of which articles: the page
    /// must be rendered again when that changes. Sitemaps show every
    /// article's last change and are not noted.
    pub fn render(&self, page: &Page, shows: &mut Shows) -> Result<Vec<u8>, Diagnostic> {
        let (site, config) = (self.site, self.config);
        let max = config.sitemap.max_urls.max(1);
        let text = match &page.kind {
            PageKind::Feed { scope, format } => self
                .state
                .feeds
                .as_ref()
                .ok_or_else(|| "feeds are rendered before pages".to_string())
                .and_then(|cache| {
                    let articles = site.feed_articles(*scope, &config.feeds);
                    shows.whole.extend_from_slice(&articles);
                    feed::render(site, config, cache, &articles, *scope, *format)
                })
                .map_err(|e| Diagnostic::error(page.route.as_str(), 1, 1, format!("cannot write the feed: {e}"))),
            PageKind::Sitemap { part } => {
                let end = ((part + 1) * max).min(self.listed.len());
                Ok(sitemap::urlset(&self.listed[(part * max).min(end)..end]))
            }
            PageKind::SitemapIndex { parts } => Ok(sitemap::index(config, *parts, lastmod(site, &PageKind::Front))),
            PageKind::NewsSitemap => Ok(sitemap::news(site, config)),
            PageKind::LiveFeed(id) => {
                shows.whole.push(*id);
                let live = site[*id].live.as_ref().map(|l| view::LiveView::new(&site[*id], l, config, site.built_at));
                serde_json::to_string(&live).map_err(|e| {
                    Diagnostic::error(page.route.as_str(), 1, 1, format!("cannot write the live updates: {e}"))
                })
            }
            PageKind::Robots => Ok(sitemap::robots(config)),
            _ => return self.render_html(page, shows),
        };
        text.map(String::into_bytes)
    }

    fn render_html(&self, page: &Page, shows: &mut Shows) -> Result<Vec<u8>, Diagnostic> {
        let (template, mut context, view) = self.context(page, shows);
        context.insert("page", &view);
        // Room for the page up front: growing the buffer as Tera writes
        // would copy it several times.
        let body = match page.kind {
            PageKind::Article(id) => self.site[id].html.len(),
            PageKind::Standalone(id) => self.site[id].html.len(),
            _ => 0,
        };
        let mut out = Vec::with_capacity(body + PAGE_ROOM);
        self.state
            .tera
            .render_to(template, &context, &mut out)
            .map_err(|e| theme::diagnostic(&e, &self.state.origins, Some(&page.route)))?;
        Ok(out)
    }

    fn page_view(&self, page: &Page, kind: &'static str, title: &str, description: &str) -> PageView {
        let urls = &self.config.urls;
        let permalink = urls.absolute(&page.route);
        let mut view = PageView {
            kind,
            title: title.to_string(),
            description: description.to_string(),
            url: urls.path(&page.route),
            canonical: permalink.clone(),
            permalink,
            robots: matches!(page.kind, PageKind::NotFound | PageKind::Search).then_some("noindex"),
            og_type: "website",
            image: Some(meta::share_image_url(self.config)),
            published: None,
            modified: None,
            section: None,
            section_url: None,
            tags: Vec::new(),
            jsonld: None,
            alternates: Vec::new(),
            switcher: Vec::new(),
            feeds: Vec::new(),
        };
        if let Some((t, language)) = self.translations {
            view.alternates = t.alternates(language, &page.route);
            view.switcher = t.switcher(language, &view.alternates);
        }
        let trail = self.trail(page);
        let mut graph: Vec<meta::Node<'_>> = Vec::new();
        if let PageKind::Article(i) = page.kind {
            self.article_meta(&mut view, i);
        }
        // Syndicated copy gives search engines one answer: the original.
        let canonical = view.canonical.clone();
        if let PageKind::Article(i) = page.kind {
            graph.push(meta::news_article(self.site, self.config, i, &canonical, &view.alternates));
        }
        if page.kind == PageKind::Front {
            graph.push(meta::website(self.config));
        }
        if let PageKind::List { listing: Listing::Series(id), .. } = page.kind {
            graph.push(meta::series(self.site, self.config, id));
        }
        if trail.len() > 1 {
            graph.push(meta::breadcrumbs(&trail));
        }
        if !graph.is_empty() {
            view.jsonld = Some(meta::script_json(&graph));
        }
        view.feeds = self.page_feeds(page);
        view
    }

    fn article_meta(&self, view: &mut PageView, i: ArticleId) {
        let (site, config) = (self.site, self.config);
        let a = &site[i];
        let (canonical, robots) = meta::canonical_and_robots(a, config);
        view.permalink.clone_from(&canonical);
        view.canonical = canonical;
        view.robots = robots;
        view.og_type = "article";
        if let Some(image) = meta::preview_url(a, site, config) {
            view.image = Some(image);
        }
        view.published = Some(a.place.date.to_rfc3339());
        view.modified = Some(a.last_changed().to_rfc3339());
        let story = site.story(i);
        view.section = Some(story.section.title.clone());
        view.section_url = Some(self.config.urls.path(&Route::section(&story.section.slug)));
        view.tags = story.tag_names().map(str::to_string).collect();
    }

    /// The feeds of the listing a page belongs to (site-wide feeds are in `site`).
    fn page_feeds(&self, page: &Page) -> Vec<FeedLink> {
        let site = self.site;
        let listing = match &page.kind {
            PageKind::Article(id) => Listing::Section(site.links(*id).section),
            PageKind::List { listing: Listing::Month(_), .. } => return Vec::new(),
            PageKind::List { listing, .. } => *listing,
            _ => return Vec::new(),
        };
        let rss = listing.has_rss(self.config.feeds.listing_rss);
        view::feed_links(&self.listing_name(listing), &site.listing_route(listing), rss, &self.config.urls)
    }

    /// What a listing is called on its page and in its feeds.
    fn listing_name(&self, listing: Listing) -> String {
        let site = self.site;
        match listing {
            Listing::Section(id) => site[id].title.clone(),
            Listing::Tag(id) => site[id].name.clone(),
            Listing::Author(id) => site[id].name.clone(),
            Listing::Month(id) => month_name(site[id].year, site[id].month, &self.config.words),
            Listing::Series(id) => site[id].title.clone(),
        }
    }

    /// The breadcrumb trail of a page: (name, absolute URL) from the front page.
    fn trail(&self, page: &Page) -> Vec<(String, String)> {
        let (site, urls, w) = (self.site, &self.config.urls, &*self.config.words);
        let step = |name: &str, route: &Route| (name.to_string(), urls.absolute(route));
        let mut trail = vec![step(&self.config.title, &Route::FRONT)];
        let archive = |trail: &mut Vec<(String, String)>, year: YearId| {
            trail.push(step(w.get("archive"), &Route::ARCHIVE));
            trail.push(step(&site[year].year.to_string(), &Route::year(site[year].year)));
        };
        match &page.kind {
            PageKind::Article(id) => {
                let section = Listing::Section(site.links(*id).section);
                trail.push(step(&self.listing_name(section), &site.listing_route(section)));
                trail.push(step(&site[*id].title, &site[*id].place.route));
            }
            PageKind::List { listing, .. } => {
                match listing {
                    Listing::Section(_) => {}
                    Listing::Tag(_) => trail.push(step(w.get("topics"), &Route::TAGS)),
                    Listing::Author(_) => trail.push(step(w.get("journalists"), &Route::AUTHORS)),
                    Listing::Month(id) => archive(&mut trail, id.year),
                    Listing::Series(_) => {}
                }
                trail.push(step(&self.listing_name(*listing), &site.listing_route(*listing)));
            }
            PageKind::Year(y) => archive(&mut trail, *y),
            PageKind::TagIndex => trail.push(step(w.get("topics"), &Route::TAGS)),
            PageKind::AuthorIndex => trail.push(step(w.get("journalists"), &Route::AUTHORS)),
            PageKind::SectionIndex => trail.push(step(w.get("sections"), &Route::SECTIONS)),
            PageKind::Archive => trail.push(step(w.get("archive"), &Route::ARCHIVE)),
            PageKind::Standalone(id) => trail.push(step(&site[*id].title, &site[*id].place.route)),
            PageKind::Search => trail.push(step(w.get("search"), &Route::SEARCH)),
            PageKind::Corrections { .. } => trail.push(step(w.get("corrections"), &Route::CORRECTIONS)),
            _ => {}
        }
        trail
    }

    fn context(&self, page: &Page, shows: &mut Shows) -> (&'static str, Context, PageView) {
        let (site, w) = (self.site, &*self.config.words);
        let mut ctx = Context::new();
        let (template, view) = match &page.kind {
            PageKind::Front => {
                self.front(&mut ctx, shows);
                ("index.html", self.page_view(page, "front", &self.config.title, &self.config.description))
            }
            PageKind::Article(i) => {
                self.article(&mut ctx, *i, shows);
                let a = &site[*i];
                ("article.html", self.page_view(page, "article", &a.title, &a.summary))
            }
            PageKind::List { listing, pager } => self.list(&mut ctx, page, *listing, pager, shows),
            PageKind::Year(y) => {
                let year = self.year_view(*y);
                let title = w.fill("stories_from_year", &[&year.year]);
                ctx.insert("year", &year);
                ("year.html", self.page_view(page, "year", &title, &title))
            }
            PageKind::TagIndex => {
                ctx.insert("entries", &self.taxon_entries(&site.tags, Route::tag));
                ("tags.html", self.page_view(page, "tags", w.get("topics"), w.get("topics_description")))
            }
            PageKind::AuthorIndex => {
                ctx.insert("entries", &self.author_entries());
                let (title, description) = (w.get("journalists_title"), w.get("journalists_description"));
                ("authors.html", self.page_view(page, "authors", title, description))
            }
            PageKind::SectionIndex => {
                ctx.insert("entries", &self.section_entries());
                ("sections.html", self.page_view(page, "sections", w.get("sections"), w.get("sections_description")))
            }
            PageKind::Search => {
                ctx.insert("sections", &self.section_entries());
                ctx.insert("index", &self.config.urls.path(&Route::SEARCH_BUNDLE));
                ctx.insert("script", &self.config.urls.file_path(&Route::SEARCH_SCRIPT));
                ("search.html", self.page_view(page, "search", w.get("search"), w.get("search_description")))
            }
            PageKind::Archive => {
                let years: Vec<YearView> = site.year_ids().map(|y| self.year_view(y)).collect();
                ctx.insert("years", &years);
                ("archive.html", self.page_view(page, "archive", w.get("archive"), w.get("archive_description")))
            }
            PageKind::Standalone(id) => {
                let p = &site[*id];
                ctx.insert("standalone", &StandaloneView::new(p, self.config, &site.photos));
                let mut view = self.page_view(page, "page", &p.title, &p.summary);
                view.modified = p.updated.map(|d| d.to_rfc3339());
                if let Some(image) = meta::preview_url(p, site, self.config) {
                    view.image = Some(image);
                }
                ("page.html", view)
            }
            PageKind::Corrections { intro } => {
                self.corrections(&mut ctx, shows);
                let intro = intro.map(|id| &site[id]);
                ctx.insert("intro", &intro.map(|p| StandaloneView::new(p, self.config, &site.photos)));
                let title = intro.map_or(w.get("corrections"), |p| p.title.as_str());
                let description = intro.map_or(w.get("corrections_description"), |p| p.summary.as_str());
                ("corrections.html", self.page_view(page, "corrections", title, description))
            }
            PageKind::PageAlias { page: id, .. } => self.redirect(&mut ctx, page, &site[*id]),
            PageKind::Alias { article, .. } => {
                shows.cards.push(*article);
                self.redirect(&mut ctx, page, &site[*article])
            }
            // Feeds, sitemaps and robots.txt are written by `render` without
            // templates and never get here; the 404 page is the safe answer.
            PageKind::NotFound
            | PageKind::Feed { .. }
            | PageKind::LiveFeed(_)
            | PageKind::Sitemap { .. }
            | PageKind::SitemapIndex { .. }
            | PageKind::NewsSitemap
            | PageKind::Robots => ("404.html", self.page_view(page, "404", w.get("not_found"), "")),
        };
        (template, ctx, view)
    }

    /// An old URL's page, sending readers on to the story or page `target`.
    fn redirect(&self, ctx: &mut Context, page: &Page, target: &Article) -> (&'static str, PageView) {
        let urls = &self.config.urls;
        ctx.insert("target", &taxon_link(&target.title, target.place.route.clone(), urls));
        ctx.insert("target_absolute", &urls.absolute(&target.place.route));
        ("alias.html", self.page_view(page, "alias", &target.title, &target.summary))
    }

    /// A list of cards for a template. Each card was turned into a Tera value
    /// once; lists share them (Tera's arrays and maps are reference-counted).
    fn cards(&self, shows: &mut Shows, ids: impl IntoIterator<Item = ArticleId>) -> Value {
        let values =
            ids.into_iter().inspect(|&id| shows.cards.push(id)).map(|id| self.state.card_values[id.index()].clone());
        Value::from(values.collect::<Vec<Value>>())
    }

    fn card(&self, shows: &mut Shows, id: Option<ArticleId>) -> Value {
        shows.cards.extend(id);
        Value::from(id.map(|id| self.state.card_values[id.index()].clone()))
    }

    fn front(&self, ctx: &mut Context, shows: &mut Shows) {
        let site = self.site;
        // An open live blog leads (the newest to start), then a featured
        // story, then the newest.
        let open_live = |id: &ArticleId| site[*id].live.as_ref().is_some_and(|l| l.is_open(site.built_at));
        let lead = site
            .article_ids()
            .find(open_live)
            .or_else(|| site.article_ids().find(|&id| site[id].place.featured))
            .or(site.article_ids().next());
        // A story is on the page once: the lead, then the latest, then
        // each section's newest of those not shown yet.
        let mut seen: std::collections::HashSet<ArticleId> = lead.into_iter().collect();
        let latest: Vec<ArticleId> = site.article_ids().filter(|id| !seen.contains(id)).take(FRONT_LATEST).collect();
        seen.extend(&latest);
        let blocks: Vec<SectionBlock> = site
            .sections
            .iter()
            .filter_map(|s| {
                let fresh: Vec<ArticleId> =
                    s.articles.iter().copied().filter(|id| seen.insert(*id)).take(FRONT_PER_SECTION).collect();
                (!fresh.is_empty()).then(|| SectionBlock {
                    section: taxon_link(&s.title, Route::section(&s.slug), &self.config.urls),
                    cards: self.cards(shows, fresh),
                })
            })
            .collect();
        ctx.insert_value("lead", self.card(shows, lead));
        ctx.insert_value("latest", self.cards(shows, latest));
        ctx.insert("section_blocks", &blocks);
    }

    fn article(&self, ctx: &mut Context, i: ArticleId, shows: &mut Shows) {
        shows.whole.push(i);
        let site = self.site;
        let links = &site.links(i);
        let section = &site[links.section];
        // The card's fields, made once, with the rest of the article added.
        let mut article = self.state.card_values[i.index()].clone().into_map().unwrap_or_default();
        let rest = Value::try_from_serializable(&ArticleView::new(site, i, self.config));
        article.extend(rest.ok().and_then(Value::into_map).unwrap_or_default());
        ctx.insert_value("article", Value::from(article));
        ctx.insert("section", &taxon_link(&section.title, Route::section(&section.slug), &self.config.urls));
        // A story is listed once on the page: "You may also like", then
        // "More in", which leaves out the previous and next links too.
        let mut seen: std::collections::HashSet<ArticleId> = std::collections::HashSet::from([i]);
        let related: Vec<ArticleId> = links.related.iter().copied().filter(|id| seen.insert(*id)).collect();
        seen.extend([links.older, links.newer].into_iter().flatten());
        let more = nearby(&section.articles, i).filter(|id| seen.insert(*id)).take(MORE_IN_SECTION);
        let more: Vec<ArticleId> = more.collect();
        ctx.insert_value("related", self.cards(shows, related));
        ctx.insert_value("more_in_section", self.cards(shows, more));
        ctx.insert_value("older", self.card(shows, links.older));
        ctx.insert_value("newer", self.card(shows, links.newer));
        // "Part 2 of 5", and the parts before and after it.
        let none: Option<view::SeriesPartView<'_>> = None;
        ctx.insert("series", &none);
        if let Some((id, position)) = links.series {
            let series = &site[id];
            let previous = position.checked_sub(1).map(|p| series.articles[p]);
            let next = series.articles.get(position + 1).copied();
            ctx.insert(
                "series",
                &view::SeriesPartView::new(
                    &series.title,
                    self.config.urls.path(&Route::series(&series.slug)),
                    position + 1,
                    series.articles.len(),
                    &self.config.words,
                ),
            );
            ctx.insert_value("series_previous", self.card(shows, previous));
            ctx.insert_value("series_next", self.card(shows, next));
        }
    }

    /// Every correction of every story, newest first.
    fn corrections(&self, ctx: &mut Context, shows: &mut Shows) {
        let (site, urls) = (self.site, &self.config.urls);
        // Any save may add a story's first correction: every story is on it.
        shows.whole.extend(site.article_ids());
        let mut entries: Vec<(&chrono::DateTime<chrono_tz::Tz>, ArticleId, &str)> = site
            .article_ids()
            .flat_map(|id| site[id].corrections.iter().map(move |c| (&c.date, id, c.text.as_str())))
            .collect();
        entries.sort_by(|a, b| b.0.cmp(a.0).then(a.1.cmp(&b.1)));
        let entries: Vec<CorrectionEntry> = entries
            .into_iter()
            .map(|(date, id, text)| CorrectionEntry {
                date: view::DateView::new(date, urls, &self.config.words),
                text,
                story: taxon_link(&site[id].title, site[id].place.route.clone(), urls),
            })
            .collect();
        ctx.insert("corrections", &entries);
    }

    fn list(
        &self,
        ctx: &mut Context,
        page: &Page,
        listing: Listing,
        pager: &Pager,
        shows: &mut Shows,
    ) -> (&'static str, PageView) {
        let (site, w) = (self.site, &*self.config.words);
        let urls = &self.config.urls;
        let name = self.listing_name(listing);
        let (template, description) = match listing {
            Listing::Section(id) => ("section.html", site[id].description.clone()),
            Listing::Tag(_) => ("tag.html", w.fill("stories_about", &[&name])),
            Listing::Author(id) => {
                let a = &site[id];
                let config = a.key.as_ref().and_then(|k| self.config.authors.get(k));
                ctx.insert(
                    "author",
                    &AuthorView {
                        name: &a.name,
                        bio: config.map_or("", |c| c.bio.as_str()),
                        url: config.and_then(|c| c.url.as_deref()),
                        photo: config.and_then(|c| c.photo.as_deref()).map(|p| {
                            view::ImageView::of_file(p, w.fill("portrait_of", &[&a.name]), urls, &site.photos)
                        }),
                    },
                );
                ("author.html", w.fill("stories_by", &[&name]))
            }
            Listing::Month(_) => ("month.html", w.fill("stories_published_in", &[&name])),
            Listing::Series(id) => {
                let series = &site[id];
                ctx.insert(
                    "series",
                    &view::SeriesView {
                        description: &series.description,
                        parts: series.articles.len(),
                        first_part: pager.items.start + 1,
                        count_label: w.count("parts", series.articles.len(), &[]),
                        part_labels: pager.items.clone().map(|i| w.fill("part", &[&(i + 1)])).collect(),
                        image: series
                            .image
                            .as_deref()
                            .map(|p| view::ImageView::of_file(p, String::new(), urls, &site.photos)),
                    },
                );
                let description = if series.description.is_empty() {
                    w.fill("a_series_in_parts", &[&series.articles.len()])
                } else {
                    series.description.clone()
                };
                ("series.html", description)
            }
        };
        let articles = site.listed(listing);
        ctx.insert("listing", &Link { name: name.clone(), url: urls.path(&pager.base) });
        let mut shown = articles[pager.items.clone()].iter().copied();
        // A section's first page leads with its newest story.
        let lead = if matches!(listing, Listing::Section(_)) && pager.number == 1 { shown.next() } else { None };
        ctx.insert_value("lead", self.card(shows, lead));
        ctx.insert_value("cards", self.cards(shows, shown));
        ctx.insert(
            "paginator",
            &PaginatorView {
                number: pager.number,
                total: pager.total,
                previous: (pager.number > 1).then(|| urls.path(&pager.base.paged(pager.number - 1))),
                next: (pager.number < pager.total).then(|| urls.path(&pager.base.paged(pager.number + 1))),
                label: w.fill("page_of", &[&pager.number, &pager.total]),
            },
        );
        let title =
            if pager.number > 1 { w.fill("title_page_of", &[&name, &pager.number, &pager.total]) } else { name };
        (template, self.page_view(page, template.trim_end_matches(".html"), &title, &description))
    }

    fn year_view(&self, y: YearId) -> YearView {
        let year = &self.site[y];
        let (urls, w) = (&self.config.urls, &*self.config.words);
        let months: Vec<Entry> = year
            .months
            .iter()
            .map(|m| Entry {
                name: month_name(m.year, m.month, w),
                url: urls.path(&Route::month(m.year, m.month)),
                count: m.articles.len(),
                count_label: w.count("stories", m.articles.len(), &[]),
                description: String::new(),
            })
            .collect();
        let count = months.iter().map(|m| m.count).sum();
        YearView {
            year: year.year,
            url: urls.path(&Route::year(year.year)),
            count,
            count_label: w.count("stories", count, &[]),
            months,
        }
    }

    fn taxon_entries(&self, taxons: &[crate::site::Taxon], route: fn(&str) -> Route) -> Vec<Entry> {
        taxons
            .iter()
            .map(|t| Entry {
                name: t.name.clone(),
                url: self.config.urls.path(&route(&t.slug)),
                count: t.articles.len(),
                count_label: self.config.words.count("stories", t.articles.len(), &[]),
                description: String::new(),
            })
            .collect()
    }

    fn author_entries(&self) -> Vec<Entry> {
        let mut entries = self.taxon_entries(&self.site.authors, Route::author);
        for (entry, author) in entries.iter_mut().zip(&self.site.authors) {
            if let Some(c) = author.key.as_ref().and_then(|k| self.config.authors.get(k)) {
                entry.description = c.bio.clone();
            }
        }
        entries
    }

    fn section_entries(&self) -> Vec<Entry> {
        self.site
            .sections
            .iter()
            .map(|s| Entry {
                name: s.title.clone(),
                url: self.config.urls.path(&Route::section(&s.slug)),
                count: s.articles.len(),
                count_label: self.config.words.count("stories", s.articles.len(), &[]),
                description: s.description.clone(),
            })
            .collect()
    }
}

#[derive(serde::Serialize)]
struct CorrectionEntry<'a> {
    date: view::DateView,
    text: &'a str,
    story: Link,
}

#[derive(serde::Serialize)]
struct SectionBlock {
    section: Link,
    cards: Value,
}

#[derive(serde::Serialize)]
struct AuthorView<'a> {
    name: &'a str,
    bio: &'a str,
    url: Option<&'a str>,
    photo: Option<view::ImageView>,
}

/// What templates see as `t`: every plain phrase, and for each script the
/// phrases it shows readers (`t.script_share`...), as JSON when they are
/// not the built-in English (which the scripts hold themselves).
fn phrases(words: &words::Words) -> std::collections::BTreeMap<String, String> {
    let mut t: std::collections::BTreeMap<String, String> =
        words.table().into_iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    for (script, keys) in SCRIPT_WORDS {
        t.insert(format!("script_{script}"), words.script_words(keys));
    }
    t
}

/// The phrases each built-in script shows readers.
const SCRIPT_WORDS: [(&str, &[&str]); 5] = [
    ("share", &["share_native", "copy_link", "link_copied", "copy_failed"]),
    (
        "live",
        &[
            "new_updates",
            "live_ended",
            "by",
            "list_separator",
            "link_to_update",
            "share_by_email",
            "key_events",
            "label_separator",
        ],
    ),
    ("reactions", &["your_reaction_is"]),
    ("embeds", &["show_embed", "embedded_content"]),
    ("search", &["searching", "search_unavailable", "no_matches", "matches", "quoted"]),
];

/// When a listed page last changed: its newest story's last change.
fn lastmod(site: &Site, kind: &PageKind) -> Option<DateTime<FixedOffset>> {
    let changed = |id: &ArticleId| site[*id].last_changed().fixed_offset();
    let newest = |list: &[ArticleId]| list.iter().map(changed).max();
    match kind {
        PageKind::Article(id) => Some(changed(id)),
        PageKind::Standalone(id) => {
            let p = &site[*id];
            p.updated.or(p.place.dated.then_some(p.place.date)).map(|d| d.fixed_offset())
        }
        PageKind::List { listing, pager } => newest(&site.listed(*listing)[pager.items.clone()]),
        PageKind::Corrections { .. } => site
            .articles
            .iter()
            .flat_map(|a| a.corrections.iter().map(|c| c.date.fixed_offset()))
            .max()
            .or_else(|| lastmod(site, &PageKind::Front)),
        PageKind::Year(y) => site.month_ids(*y).filter_map(|m| newest(&site[m].articles)).max(),
        _ => site.articles.iter().map(|a| a.last_changed().fixed_offset()).max(),
    }
}

#[cfg(test)]
mod tests {
    use super::nearby;

    #[test]
    fn more_in_takes_the_stories_nearest_in_time_older_first() {
        let listed = [0, 1, 2, 3, 4, 5, 6, 7];
        assert_eq!(nearby(&listed, 3).take(4).collect::<Vec<_>>(), [4, 2, 5, 1]);
        assert_eq!(nearby(&listed, 0).take(4).collect::<Vec<_>>(), [1, 2, 3, 4]);
        assert_eq!(nearby(&listed, 7).take(4).collect::<Vec<_>>(), [6, 5, 4, 3]);
        // What a story shows does not change when newer stories arrive.
        let grown = [-2, -1, 0, 1, 2, 3, 4, 5, 6, 7];
        assert_eq!(nearby(&grown, 3).take(4).collect::<Vec<_>>(), [4, 2, 5, 1]);
    }
}
