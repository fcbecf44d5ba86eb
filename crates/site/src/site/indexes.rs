//! The indexes built when the model is made: each article put in its
//! section (sections without an `_index.md` added), tags and authors
//! gathered by slug (an `[authors]` key gives the display name), each
//! article's links (section, tags, authors, neighbours, series, related
//! stories), series in reading order and the monthly archives.

use std::collections::{BTreeMap, HashMap};

use chrono::Datelike;
use rayon::prelude::*;

use super::{ArticleId, AuthorId, Links, Month, Section, SectionId, Series, SeriesId, Site, TagId, Taxon, Year};
use crate::config::Config;
use crate::content::{Article, SectionMeta};
use crate::related;
use broadsheet_base::slug::slugify;

impl Site {
    pub(super) fn link_related(&mut self, count: usize) {
        let dense = |lists: Vec<&[ArticleId]>| -> Vec<Vec<usize>> {
            lists.into_iter().map(|l| l.iter().map(|a| a.0).collect()).collect()
        };
        let postings = dense(self.tags.iter().map(|t| t.articles.as_slice()).collect());
        let sections = dense(self.sections.iter().map(|s| s.articles.as_slice()).collect());
        let tags: Vec<Vec<usize>> = self.links.iter().map(|l| l.tags.iter().map(|t| t.0).collect()).collect();
        let items: Vec<related::Item<'_>> = self
            .articles
            .iter()
            .zip(&self.links)
            .zip(&tags)
            .map(|((a, l), tags)| related::Item::new(l.section.0, tags, &a.place.date))
            .collect();
        let postings: Vec<&[usize]> = postings.iter().map(Vec::as_slice).collect();
        let sections: Vec<&[usize]> = sections.iter().map(Vec::as_slice).collect();
        let all = related::related(&items, &postings, &sections, count);
        for (links, related) in self.links.iter_mut().zip(all) {
            links.related = related.into_iter().map(ArticleId).collect();
        }
    }

    /// Gathers the series the articles name, each in reading order
    /// (`series_order`, then oldest first), with its title and
    /// description from `[series.<slug>]` (or its slug, capitalised).
    pub(super) fn link_series(&mut self, config: &Config) {
        let mut by_slug: BTreeMap<String, Vec<ArticleId>> = BTreeMap::new();
        for (i, article) in self.articles.iter().enumerate() {
            if let Some(slug) = &article.place.series {
                by_slug.entry(slug.clone()).or_default().push(ArticleId(i));
            }
        }
        for (slug, mut articles) in by_slug {
            let order = |id: &ArticleId| self.articles[id.0].place.series_order.unwrap_or(i64::MAX);
            // Ids are newest first: a higher id is older.
            articles.sort_by(|a, b| order(a).cmp(&order(b)).then(b.cmp(a)));
            let table = config.series.get(&slug);
            let smart = crate::content::markdown::smart;
            let title = table.map(|t| smart(&t.title)).unwrap_or_else(|| crate::content::title_case(&slug));
            let id = SeriesId(self.series.len());
            for (position, article) in articles.iter().enumerate() {
                self.links[article.0].series = Some((id, position));
            }
            self.series.push(Series {
                slug,
                title,
                description: table.map(|t| smart(&t.description)).unwrap_or_default(),
                image: table.and_then(|t| t.image.clone()),
                articles,
            });
        }
    }

    /// Puts each article in its section (adding sections that have no
    /// `_index.md`), and gives back each article's section.
    pub(super) fn index_sections(&mut self) -> Vec<SectionId> {
        let mut of = Vec::with_capacity(self.articles.len());
        for (i, article) in self.articles.iter().enumerate() {
            let position = match self.sections.iter().position(|s| s.slug == article.place.section) {
                Some(p) => p,
                None => {
                    self.sections.push(Section {
                        slug: article.place.section.clone(),
                        title: article.place.section.clone(),
                        description: String::new(),
                        file: None,
                        folder: article.place.section.clone(),
                        articles: Vec::new(),
                    });
                    self.sections.len() - 1
                }
            };
            self.sections[position].articles.push(ArticleId(i));
            of.push(SectionId(position));
        }
        of
    }

    /// Groups articles by the (slug, display name, key) that `names` gives
    /// each; the first spelling seen (in the newest article) names the group.
    pub(super) fn taxons(
        &self,
        names: impl Fn(&Article) -> Vec<(String, String, Option<String>)> + Sync,
    ) -> Vec<Taxon> {
        // Naming (slugging) on every core, then gathering in order.
        let named: Vec<Vec<(String, String, Option<String>)>> = self.articles.par_iter().map(&names).collect();
        let mut map: BTreeMap<String, Taxon> = BTreeMap::new();
        for (i, names) in named.into_iter().enumerate() {
            for (slug, name, key) in names {
                let taxon = map.entry(slug.clone()).or_insert_with(|| Taxon { slug, name, key, articles: Vec::new() });
                if taxon.articles.last() != Some(&ArticleId(i)) {
                    taxon.articles.push(ArticleId(i));
                }
            }
        }
        map.into_values().collect()
    }

    /// Each article's links: its section, its tags and authors in the order
    /// the writer gave them (slugs computed once per name, looked up by
    /// hash), and its neighbours in the section.
    pub(super) fn link(&mut self, sections: Vec<SectionId>) {
        let tag_index: HashMap<&str, usize> = self.tags.iter().enumerate().map(|(i, t)| (t.slug.as_str(), i)).collect();
        let author_index: HashMap<&str, usize> =
            self.authors.iter().enumerate().map(|(i, a)| (a.slug.as_str(), i)).collect();
        let find = |names: &[String], index: &HashMap<&str, usize>| {
            let mut found: Vec<usize> = Vec::with_capacity(names.len());
            for i in names.iter().filter_map(|name| index.get(slugify(name).as_str()).copied()) {
                if !found.contains(&i) {
                    found.push(i);
                }
            }
            found
        };
        self.links = self
            .articles
            .par_iter()
            .zip(sections)
            .map(|(article, section)| Links {
                section,
                tags: find(&article.place.tags, &tag_index).into_iter().map(TagId).collect(),
                authors: find(&article.place.authors, &author_index).into_iter().map(AuthorId).collect(),
                older: None,
                newer: None,
                related: Vec::new(),
                series: None,
            })
            .collect();
        for section in &self.sections {
            for pair in section.articles.windows(2) {
                self.links[pair[0].0].older = Some(pair[1]);
                self.links[pair[1].0].newer = Some(pair[0]);
            }
        }
    }
}

/// `[authors]` keys give the display name; any other string is a name.
pub(super) fn author_identity(name: &str, config: &Config) -> (String, String, Option<String>) {
    match config.authors.get(name) {
        Some(author) => (slugify(name), author.name.clone(), Some(name.to_string())),
        None => (slugify(name), name.to_string(), None),
    }
}

pub(super) fn sections(mut metas: Vec<SectionMeta>) -> Vec<Section> {
    metas.sort_by(|a, b| {
        let order = |m: &SectionMeta| m.order.unwrap_or(i64::MAX);
        order(a).cmp(&order(b)).then_with(|| a.title.cmp(&b.title)).then_with(|| a.slug.cmp(&b.slug))
    });
    metas
        .into_iter()
        .map(|m| Section {
            slug: m.slug,
            title: m.title,
            description: m.description,
            file: m.file,
            folder: m.folder,
            articles: Vec::new(),
        })
        .collect()
}

pub(super) fn archives(articles: &[Article]) -> Vec<Year> {
    let mut years: Vec<Year> = Vec::new();
    for (i, a) in articles.iter().enumerate() {
        let (y, m) = (a.place.date.year(), a.place.date.month());
        if years.last().is_none_or(|last| last.year != y) {
            years.push(Year { year: y, months: Vec::new() });
        }
        let Some(year) = years.last_mut() else { continue };
        if year.months.last().is_none_or(|last| last.month != m) {
            year.months.push(Month { year: y, month: m, articles: Vec::new() });
        }
        if let Some(month) = year.months.last_mut() {
            month.articles.push(ArticleId(i));
        }
    }
    years
}
