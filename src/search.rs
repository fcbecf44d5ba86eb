//! The search index: every published article (headline, dek, body text,
//! section, authors, tags, date) indexed with Pagefind, whose index is split
//! into chunks fetched on demand, so a reader's first search downloads a
//! small part of it. Written under `pagefind/` through the build's sink.

use std::collections::BTreeMap;

use anyhow::{Context as _, Result, anyhow};
use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

use crate::config::Config;
use crate::output::Sink;
use crate::route::Route;
use crate::site::{ArticleId, PageId, Site};

/// How much of an article's body is indexed: far more than any real story,
/// while a pasted 50 MB file cannot make the indexer take minutes and
/// gigabytes.
pub const MAX_INDEXED_TEXT: usize = 256 * 1024;

/// The first `max` bytes of `text`, cut at a character boundary.
fn clip(text: &str, max: usize) -> &str {
    &text[..crate::diagnostic::floor_char_boundary(text, max.min(text.len()))]
}

/// Indexes the site's articles and writes the index; returns the number of
/// files written.
pub fn write_index(site: &Site, config: &Config, sink: &dyn Sink) -> Result<usize> {
    let language = config.language.split(['-', '_']).next().unwrap_or("en").to_lowercase();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the search indexer")?;
    let files = runtime.block_on(async {
        let options = PagefindServiceConfig::builder().force_language(language.clone()).build();
        let mut index = PagefindIndex::new(Some(options)).map_err(|e| anyhow!("cannot start Pagefind: {e}"))?;
        let pages = site.page_ids().filter(|&p| site[p].searchable).map(|p| page_record(site, config, p));
        let records = site.article_ids().filter(|&i| site[i].searchable).map(|i| record(site, config, i));
        for (url, content, meta, filters, sort) in records.chain(pages) {
            index
                .add_custom_record(url.clone(), content, language.clone(), Some(meta), Some(filters), Some(sort))
                .await
                .map_err(|e| anyhow!("cannot index {url}: {e}"))?;
        }
        index.get_files().await.map_err(|e| anyhow!("cannot build the search index: {e}"))
    })?;
    // Pagefind also ships its own ready-made interfaces; the search page uses
    // only its search API, so those files are not written.
    let unused = ["pagefind-ui.", "pagefind-component-ui.", "pagefind-modular-ui.", "pagefind-highlight."];
    let files: Vec<_> = files
        .into_iter()
        .filter(|f| !unused.iter().any(|prefix| f.filename.to_string_lossy().starts_with(prefix)))
        .collect();
    for file in &files {
        let rel = std::path::Path::new(Route::SEARCH_BUNDLE.as_str()).join(&file.filename);
        sink.write(&rel.to_string_lossy(), file.contents.clone())
            .with_context(|| format!("cannot write {}", rel.display()))?;
    }
    Ok(files.len())
}

type Record = (String, String, BTreeMap<String, String>, BTreeMap<String, Vec<String>>, BTreeMap<String, String>);

/// One article as a Pagefind record: its URL, its text, what results show
/// (meta), what readers filter by, and what results sort by.
fn record(site: &Site, config: &Config, i: ArticleId) -> Record {
    let story = site.story(i);
    let a = story.article;
    let section = story.section.title.clone();
    let authors: Vec<String> = story.author_names().map(str::to_string).collect();
    let tags: Vec<String> = story.tag_names().map(str::to_string).collect();
    let body = clip(&a.text, MAX_INDEXED_TEXT);
    let content = format!("{}\n{}\n{}\n{}\n{}", a.title, a.summary, body, authors.join(", "), tags.join(", "));
    let meta = BTreeMap::from([
        ("title".to_string(), a.title.clone()),
        ("section".to_string(), section.clone()),
        ("date".to_string(), a.place.date.to_rfc3339()),
        ("date_display".to_string(), a.place.date.format(crate::render::words::ENGLISH.date_format).to_string()),
        ("summary".to_string(), a.summary.clone()),
    ]);
    let filters = BTreeMap::from([("section".to_string(), vec![section]), ("author".to_string(), authors)]);
    let sort = BTreeMap::from([("date".to_string(), a.place.date.timestamp().to_string())]);
    (config.urls.path(&a.place.route), content, meta, filters, sort)
}

/// A standalone page that asked to be found (`search = true`): no
/// section or author, dated by its last update.
fn page_record(site: &Site, config: &Config, p: PageId) -> Record {
    let page = &site[p];
    let content = format!("{}\n{}\n{}", page.title, page.summary, clip(&page.text, MAX_INDEXED_TEXT));
    let mut meta =
        BTreeMap::from([("title".to_string(), page.title.clone()), ("summary".to_string(), page.summary.clone())]);
    if let Some(updated) = page.updated {
        meta.insert("date".to_string(), updated.to_rfc3339());
        let shown = updated.format(crate::render::words::ENGLISH.date_format).to_string();
        meta.insert("date_display".to_string(), shown);
    }
    let sort = BTreeMap::from([("date".to_string(), page.updated.map_or(0, |d| d.timestamp()).to_string())]);
    (config.urls.path(&page.place.route), content, meta, BTreeMap::new(), sort)
}

#[cfg(test)]
mod tests {
    use super::clip;

    #[test]
    fn clips_at_a_character_boundary() {
        assert_eq!(clip("héllo", 2), "h");
        assert_eq!(clip("héllo", 3), "hé");
        assert_eq!(clip("short", 100), "short");
    }
}
