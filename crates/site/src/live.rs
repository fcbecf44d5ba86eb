//! Live rebuilds for `serve`: after a full build, a saved article has only
//! its own page and the pages that show it rendered again.
//!
//! The dependency graph comes from rendering itself: every page notes which
//! articles it shows whole (its own article, feed entries) and which only as
//! a card (listings, "related", "more in"), and the graph is those lists
//! turned around. A save rewrites the pages that show the article whole, and
//! the pages that show its card only when the card changed (a new headline,
//! dek, image or byline; not a corrected paragraph), plus the sitemaps,
//! which carry every page's last change.
//!
//! Which pages show an article, and in which order, depends only on the
//! article's *place* in the site: its file, URL, section, date, tags,
//! authors, aliases, publishing state and whether it is featured. An edit
//! that leaves the place alone (the body, the headline, the dek, the image,
//! corrections, `updated`, ...) keeps the model's indexes, related articles
//! and pagination as they are. Anything else (a new, moved or deleted file,
//! a changed place, a template, `static/`, `site.toml`, or the clock passing
//! a scheduled time) asks for a full build, which still reuses every
//! unchanged article from the cache.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Component, Path, PathBuf};

use chrono::{DateTime, Utc};
use rayon::prelude::*;

use crate::build::Kept;
use crate::config::Config;
use crate::content::{self, Article};
use crate::render::sitemap;
use crate::render::{RenderState, Renderer, Shows};
use crate::site::{ArticleId, FeedScope, Listing, Page, PageKind, Publish, Site};
use broadsheet_base::diagnostic::Diagnostic;
use broadsheet_base::route::Route;
use broadsheet_base::timing::Timer;

/// A built site held for live rebuilds.
pub struct Live {
    root: PathBuf,
    config: Config,
    publish: Publish,
    site: Site,
    pages: Vec<Page>,
    /// The theme and the caches of the last render.
    render: RenderState,
    /// For each article (by index in `site.articles`), the pages that show
    /// its card, and those that show it whole (its page, feeds).
    card_on: Vec<Vec<u32>>,
    whole_on: Vec<Vec<u32>>,
    /// Pages rendered again after any change: the sitemaps.
    always: Vec<usize>,
    /// Every article file (relative to the root): the article's index when
    /// it is published, and its URL (unpublished bundles still place their
    /// files by it).
    articles: HashMap<PathBuf, (Option<ArticleId>, Route)>,
    /// Section files and assets: a change to one needs a full build.
    others: HashSet<PathBuf>,
    /// When the clock next changes the site (a scheduled article comes out,
    /// one expires or leaves the news sitemap, the breaking banner ends).
    next_change: Option<DateTime<Utc>>,
    /// Files changed since the site was last brought up to date (their
    /// update failed); they are tried again with the next change.
    pending: BTreeSet<PathBuf>,
    /// The search index's document keys, and the articles saved since it
    /// was last written.
    search_keys: broadsheet_search::Keys,
    search_stale: Vec<ArticleId>,
}

/// What a change did.
#[derive(Debug)]
pub enum Update {
    /// The pages to write again (output-relative path and contents), with
    /// the warnings of the files read.
    Pages {
        /// How many saved articles were put in place (0 when only
        /// unpublished ones changed).
        articles: usize,
        /// The pages to serve again: output-relative path and contents.
        files: Vec<(String, Vec<u8>)>,
        /// Warnings of the files read.
        warnings: Vec<Diagnostic>,
    },
    /// The change needs a full build.
    Rebuild,
    /// The changed files have errors: nothing changed.
    Errors(Vec<Diagnostic>),
}

impl Live {
    /// Holds what a full build of the site at `root` left (`kept`) for live
    /// rebuilds: which pages show each article, and when the clock next changes
    /// the site. The entries of feeds that carry the newest stories are made
    /// now.
    pub fn new(root: &Path, kept: Kept) -> Live {
        let Kept {
            config,
            publish,
            site,
            pages,
            render,
            shows,
            article_files,
            other_files,
            next_article_time,
            search_keys,
        } = kept;
        let card_on = invert(site.articles.len(), &shows, |s| &s.cards);
        let whole_on = invert(site.articles.len(), &shows, |s| &s.whole);
        let always = pages
            .iter()
            .enumerate()
            .filter(|(_, p)| {
                matches!(p.kind, PageKind::Sitemap { .. } | PageKind::SitemapIndex { .. } | PageKind::NewsSitemap)
            })
            .map(|(i, _)| i)
            .collect();
        let by_file: HashMap<&Path, ArticleId> =
            site.article_ids().map(|id| (site[id].place.file.as_path(), id)).collect();
        let articles = article_files
            .into_iter()
            .map(|(file, route)| {
                let index = by_file.get(file.as_path()).copied();
                (file, (index, route))
            })
            .collect();
        Live {
            root: root.to_path_buf(),
            next_change: None,
            config,
            publish,
            pages,
            render,
            card_on,
            whole_on,
            always,
            articles,
            others: other_files.into_iter().collect(),
            pending: BTreeSet::new(),
            search_keys,
            search_stale: Vec::new(),
            site,
        }
        .with_next_change(next_article_time)
        .with_recent_feed_entries()
    }

    /// Makes, right after the first build, the entries of every feed that
    /// carries one of the newest stories (the ones a writer is most likely
    /// to save): a save rewrites each feed that carries the story, and
    /// making their ~1,000 entries then would cost that first save tens of
    /// milliseconds. Feeds hold at most `[feeds] limit` stories, so this is
    /// bounded whatever the size of the site.
    fn with_recent_feed_entries(mut self) -> Live {
        const NEWEST: usize = 20;
        let (site, feeds) = (&self.site, &self.config.feeds);
        let mut scopes = vec![FeedScope::Site];
        for links in site.article_ids().take(NEWEST).map(|id| site.links(id)) {
            scopes.push(FeedScope::Of(Listing::Section(links.section)));
            scopes.extend(links.tags.iter().map(|&t| FeedScope::Of(Listing::Tag(t))));
            scopes.extend(links.authors.iter().map(|&a| FeedScope::Of(Listing::Author(a))));
            scopes.extend(links.series.map(|(s, _)| FeedScope::Of(Listing::Series(s))));
        }
        let mut entries: Vec<ArticleId> =
            scopes.into_iter().flat_map(|scope| site.feed_articles(scope, feeds)).collect();
        entries.sort_unstable();
        entries.dedup();
        {
            let renderer = Renderer::new(&self.site, &self.config, &mut self.render, &self.pages);
            renderer.warm_feeds(&entries);
        }
        self
    }

    fn with_next_change(mut self, next_article_time: Option<DateTime<Utc>>) -> Live {
        let banner = self.config.breaking.iter().map(|b| b.until.with_timezone(&Utc));
        // Stories leave the news sitemap when they turn two days old.
        let news = self.site.articles.iter().map(|a| a.place.date.with_timezone(&Utc) + sitemap::news_window());
        let times: Vec<DateTime<Utc>> = banner.chain(next_article_time).chain(news).collect();
        for t in times {
            self.note_change_at(t);
        }
        self
    }

    /// Makes `t` the next time the clock changes the site, if it is sooner.
    fn note_change_at(&mut self, t: DateTime<Utc>) {
        if t > self.publish.now && self.next_change.is_none_or(|next| t < next) {
            self.next_change = Some(t);
        }
    }

    /// Brings the site up to date after `changed` files changed (absolute
    /// paths, or relative to the root), at time `now`.
    pub fn update(&mut self, changed: &[PathBuf], now: DateTime<Utc>) -> Update {
        // A multilingual site is built again whole: a story's save changes
        // its translations' pages too (their alternates).
        if self.next_change.is_some_and(|t| now >= t) || self.config.is_multilingual() {
            return Update::Rebuild;
        }
        let mut timer = Timer::from_env();
        let mut paths: BTreeSet<PathBuf> = std::mem::take(&mut self.pending);
        paths.extend(changed.iter().map(|p| p.strip_prefix(&self.root).unwrap_or(p).to_path_buf()));
        let mut reload = Vec::new();
        for path in &paths {
            match self.classify(path) {
                Kind::Ignored => {}
                Kind::Article(file) => {
                    if !reload.contains(&file) {
                        reload.push(file);
                    }
                }
                Kind::Other => return Update::Rebuild,
            }
        }
        let loaded: Vec<(PathBuf, Option<Article>, Vec<Diagnostic>)> = reload
            .par_iter()
            .map(|rel| {
                let (article, diagnostics) = content::load_article(&self.root, &self.root.join(rel), &self.config);
                (rel.clone(), article, diagnostics)
            })
            .collect();
        timer.lap("load");
        let mut warnings = Vec::new();
        let mut errors = Vec::new();
        let mut replaced: Vec<(ArticleId, Article)> = Vec::new();
        for (rel, article, diagnostics) in loaded {
            let (bad, fine): (Vec<Diagnostic>, Vec<Diagnostic>) = diagnostics.into_iter().partition(|d| d.is_error());
            warnings.extend(fine);
            if !bad.is_empty() || article.is_none() {
                errors.extend(bad);
                continue;
            }
            let Some(mut article) = article else { continue };
            // A live blog's updates still to come wait for their time, as
            // in a full build; the page changes again when one comes out.
            if let Some(live) = article.live.as_mut() {
                let publish = Publish { now: self.publish.now.max(now), ..self.publish };
                let later: Vec<DateTime<Utc>> =
                    live.times().map(|t| t.with_timezone(&Utc)).filter(|t| *t > publish.now).collect();
                publish.keep_updates_out(live);
                for t in later {
                    self.note_change_at(t);
                }
            }
            match self.articles.get(&rel) {
                Some((Some(i), _)) if self.site[*i].place == article.place => replaced.push((*i, article)),
                // Unpublished before: it has no pages unless it now has,
                // but its bundle's files go where its URL says.
                Some((None, route)) if *route == article.place.route && !self.publish.includes(&article) => {
                    for t in [Some(article.place.date), article.place.expires].into_iter().flatten() {
                        self.note_change_at(t.with_timezone(&Utc));
                    }
                }
                _ => return Update::Rebuild,
            }
        }
        if !errors.is_empty() {
            self.pending = paths;
            errors.sort();
            return Update::Errors(errors);
        }
        self.apply(replaced, warnings, &paths, timer)
    }

    fn classify(&self, rel: &Path) -> Kind {
        let hidden = rel.components().any(|c| content::is_hidden(c.as_os_str()));
        let top = rel.components().next();
        let under = |dir: &str| top == Some(Component::Normal(dir.as_ref()));
        // Swap and backup files: not read by a build (`static/` copies
        // hidden files, as `.well-known/` needs).
        if hidden && (under(broadsheet_base::layout::CONTENT) || under(broadsheet_base::layout::TEMPLATES)) {
            return Kind::Ignored;
        }
        if !under(broadsheet_base::layout::CONTENT) {
            return Kind::Other;
        }
        let full = self.root.join(rel);
        if self.articles.contains_key(rel) {
            return if full.is_file() { Kind::Article(rel.to_path_buf()) } else { Kind::Other };
        }
        // A live blog's update, saved, made or deleted (or its folder): the
        // blog is read again, updates and all.
        let blog = |updates: &Path| {
            let index = content::live_blog_of(&self.root.join(updates))?;
            let index = index.strip_prefix(&self.root).ok()?.to_path_buf();
            self.articles.contains_key(&index).then_some(index)
        };
        let updates = if content::is_markdown(rel) { rel.parent() } else { Some(rel) };
        if let Some(index) = updates.and_then(blog) {
            return Kind::Article(index);
        }
        if self.others.contains(rel) {
            return Kind::Other;
        }
        let holds_known = || self.articles.keys().chain(&self.others).any(|f| f.starts_with(rel));
        // A file made and removed again (an editor's probe or swap file),
        // unless it was a folder of the site's files, moved away.
        if !full.exists() {
            return if holds_known() { Kind::Other } else { Kind::Ignored };
        }
        // A folder the site already has (its times change with its files).
        if full.is_dir() && holds_known() {
            return Kind::Ignored;
        }
        Kind::Other
    }

    /// Puts the new articles in place and renders the pages that show them;
    /// on a template error, puts the old ones back.
    fn apply(
        &mut self,
        replaced: Vec<(ArticleId, Article)>,
        warnings: Vec<Diagnostic>,
        paths: &BTreeSet<PathBuf>,
        mut timer: Timer,
    ) -> Update {
        if replaced.is_empty() {
            // Only unpublished articles changed: no page shows them.
            return Update::Pages { articles: 0, files: Vec::new(), warnings };
        }
        let changed: Vec<ArticleId> = replaced.iter().map(|(i, _)| *i).collect();
        let mut old = Vec::with_capacity(replaced.len());
        for (i, article) in replaced {
            old.push((i, std::mem::replace(&mut self.site[i], article)));
        }
        let mut renderer = Renderer::new(&self.site, &self.config, &mut self.render, &self.pages);
        let new_cards = renderer.refresh_cards(&changed);
        timer.lap("renderer");
        // Listings need rendering again only when what they show changed.
        let mut affected: BTreeSet<usize> = self.always.iter().copied().collect();
        let pages = |graph: &[Vec<u32>], articles: &[ArticleId]| {
            articles.iter().flat_map(|&i| graph[i.index()].iter().map(|&p| p as usize)).collect::<Vec<usize>>()
        };
        affected.extend(pages(&self.whole_on, &changed));
        affected.extend(pages(&self.card_on, &new_cards));
        // The sitemaps first: each is one long job, which started last
        // would leave the other threads idle at the end.
        let mut affected: Vec<usize> = affected.into_iter().collect();
        affected.sort_by_key(|p| !self.always.contains(p));
        let rendered: Vec<Result<(String, Vec<u8>), Diagnostic>> = affected
            .par_iter()
            .map(|&p| {
                let page = &self.pages[p];
                renderer.render(page, &mut Shows::default()).map(|bytes| (page.route.file(), bytes))
            })
            .collect();
        timer.lap("render");
        let mut errors: Vec<Diagnostic> = rendered.iter().filter_map(|r| r.as_ref().err().cloned()).collect();
        if errors.is_empty() {
            let files = rendered.into_iter().filter_map(Result::ok).collect();
            if self.config.search.enabled {
                self.search_stale.extend(&changed);
            }
            return Update::Pages { articles: changed.len(), files, warnings };
        }
        for (i, article) in old {
            self.site[i] = article;
        }
        Renderer::new(&self.site, &self.config, &mut self.render, &self.pages).refresh_cards(&changed);
        self.pending = paths.clone();
        errors.sort();
        errors.dedup();
        Update::Errors(errors)
    }
}

impl Live {
    /// The search index files to serve after the saves since the last call
    /// (none if there were none): every word and stem file (documents keep
    /// their numbers), and the saved articles' own files; the other
    /// articles' words come from the cache. `serve` asks right after it
    /// serves a save's pages.
    pub fn search_update(&mut self) -> Option<anyhow::Result<Files>> {
        if self.search_stale.is_empty() {
            return None;
        }
        let changed = std::mem::take(&mut self.search_stale);
        Some(self.search_files(&changed))
    }

    fn search_files(&mut self, changed: &[ArticleId]) -> anyhow::Result<Files> {
        let memory = crate::output::Memory::default();
        let cache = self.root.join(&self.config.images.cache);
        let documents = crate::site_search::Documents::Of(changed);
        let keys = &mut self.search_keys;
        let date_format = self.config.words.get("date_format");
        crate::site_search::write_index(&self.site, &self.config, Some(&cache), documents, keys, &memory, date_format)?;
        let files = memory.into_files().into_iter().filter_map(|(file, contents)| match contents {
            crate::output::MemoryFile::Bytes(bytes) => Some((file, bytes.to_vec())),
            crate::output::MemoryFile::Disk(_) | crate::output::MemoryFile::Made(_) => None,
        });
        Ok(files.collect())
    }
}

/// Files to serve: output-relative path and contents.
type Files = Vec<(String, Vec<u8>)>;

enum Kind {
    /// Changes nothing the site is built from.
    Ignored,
    /// An article file of the site (the live blog an update belongs to).
    Article(PathBuf),
    /// Anything else: needs a full build.
    Other,
}

/// For each article, the pages whose `part` of [`Shows`] names it, in order.
fn invert(articles: usize, shows: &[Shows], part: impl Fn(&Shows) -> &Vec<ArticleId>) -> Vec<Vec<u32>> {
    let mut on = vec![Vec::new(); articles];
    for (page, shown) in shows.iter().enumerate() {
        for &article in part(shown) {
            let pages: &mut Vec<u32> = &mut on[article.index()];
            if pages.last() != Some(&(page as u32)) {
                pages.push(page as u32);
            }
        }
    }
    for pages in &mut on {
        pages.sort_unstable();
        pages.dedup();
    }
    on
}
