//! The site's articles and pages as the search index's documents
//! ([`broadsheet_search::Input`]): the search engine knows no `Site`.

use std::path::Path;

use anyhow::Result;

use crate::config::Config;
use crate::output::Sink;
use crate::site::{ArticleId, Site};
use broadsheet_search::{Document, Input, Keys};

/// Which documents' own files (`d/`) to write: all, or only those of the
/// given articles (`serve`, after a save that moved no article).
#[derive(Clone, Copy)]
pub enum Documents<'a> {
    /// Every document's file (a full build).
    All,
    /// Only these articles' own files; the others' stay as the last build
    /// wrote them.
    Of(&'a [ArticleId]),
}

/// Builds the search index of `site` and writes it under `_search/` (see
/// [`broadsheet_search::write_index`]).
pub fn write_index(
    site: &Site,
    config: &Config,
    cache: Option<&Path>,
    written: Documents,
    keys: &mut Keys,
    sink: &dyn Sink,
    date_format: &str,
) -> Result<()> {
    let input = Input {
        language: &config.language,
        sections: site.section_ids().map(|s| site[s].title.as_str()).collect(),
        documents: documents(site, config, written),
        plain_text: crate::content::markdown::plain_text,
        date_format,
        date_locale: config.words.locale(),
    };
    broadsheet_search::write_index(&input, cache, keys, sink)
}

/// The documents of `site`, in index order: pages, then articles from the
/// oldest to the newest.
fn documents<'a>(site: &'a Site, config: &Config, written: Documents) -> Vec<Document<'a>> {
    let changed = |i: ArticleId| match written {
        Documents::All => true,
        Documents::Of(ids) => ids.contains(&i),
    };
    let pages = site.page_ids().filter(|&p| site[p].searchable).map(|p| {
        let page = &site[p];
        Document {
            url: config.urls.path(&page.place.route),
            title: &page.title,
            summary: &page.summary,
            summary_in_body: page.summary_is_lead,
            body: &page.html,
            updates: Vec::new(),
            names: Vec::new(),
            section: None,
            date: page.updated,
            changed: matches!(written, Documents::All),
        }
    });
    let articles = site.article_ids().rev().filter(|&i| site[i].searchable).map(|i| {
        let story = site.story(i);
        let a = story.article;
        Document {
            url: config.urls.path(&a.place.route),
            title: &a.title,
            summary: &a.summary,
            summary_in_body: a.summary_is_lead,
            body: &a.html,
            updates: a.live.iter().flat_map(|l| &l.updates).map(|u| (u.title.as_deref(), u.text.as_str())).collect(),
            names: story.author_names().chain(story.tag_names()).collect(),
            section: Some((site.links(i).section.index(), story.section.title.as_str())),
            date: Some(a.place.date),
            changed: changed(i),
        }
    });
    pages.chain(articles).collect()
}
