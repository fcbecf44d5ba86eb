//! A multilingual site's translations: which page of each language is the
//! same story or the same listing, for `hreflang` links, the language
//! switcher and JSON-LD. A story is linked to its translations by its
//! `translation_key`, else by its file's place without the language
//! (`news/vote.md`, `news/vote.fr.md`, `fr/news/vote.md`); a listing (the
//! front page, a section, the archive) by its route.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use crate::config::Language;
use crate::site::{Page, Site};
use broadsheet_base::route::Route;
use broadsheet_base::url::Urls;

/// One language's built pages, as the translations need them.
pub struct Edition<'a> {
    /// The language's addresses (under `/<code>/` but for the default
    /// language).
    pub urls: &'a Urls,
    /// The language's site model.
    pub site: &'a Site,
    /// The language's page plan.
    pub pages: &'a [Page],
}

/// Which page of each language is the same story or listing, made once for a
/// multilingual build. Languages are numbered as `Config::languages` lists
/// them: 0 is the default.
pub struct Translations {
    languages: Vec<Language>,
    urls: Vec<Urls>,
    /// Per language: every page's route.
    routes: Vec<HashSet<Route>>,
    /// Per language: a story's or standalone page's route and its key.
    keys: Vec<HashMap<Route, String>>,
    /// Per key: the route in each language that has it.
    by_key: HashMap<String, Vec<(usize, Route)>>,
    /// Stories that share a key with another of their language (the file
    /// of each and the one that kept the key): told, and linked to nothing.
    pub repeated: Vec<(std::path::PathBuf, std::path::PathBuf, String)>,
}

/// The same page in one language, as a page links it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Alternate {
    /// The BCP 47 tag (`hreflang`, `lang`).
    pub tag: String,
    /// `og:locale` form (`pt_BR`).
    pub locale: String,
    /// The language's name in itself.
    pub name: String,
    /// Which way the language's script runs, as `dir` writes it: `ltr` or
    /// `rtl`.
    pub direction: &'static str,
    /// Absolute URL (`hreflang` links).
    pub url: String,
    /// Path-absolute URL (the switcher's links).
    pub path: String,
    /// The page being rendered.
    pub current: bool,
    /// The site's default language (`x-default`).
    pub default: bool,
}

impl Translations {
    /// `editions` in the order of `languages` (the default first).
    pub fn of(languages: &[Language], editions: &[Edition]) -> Translations {
        let mut by_key: HashMap<String, Vec<(usize, Route)>> = HashMap::new();
        let mut keys = Vec::new();
        let mut repeated = Vec::new();
        for (i, edition) in editions.iter().enumerate() {
            let mut own = HashMap::new();
            let mut first: HashMap<&str, &std::path::Path> = HashMap::new();
            for a in edition.site.articles.iter().chain(&edition.site.pages) {
                if let Some(kept) = first.get(a.translation.as_str()) {
                    repeated.push((a.place.file.clone(), kept.to_path_buf(), a.translation.clone()));
                    continue;
                }
                first.insert(&a.translation, &a.place.file);
                by_key.entry(a.translation.clone()).or_default().push((i, a.place.route.clone()));
                own.insert(a.place.route.clone(), a.translation.clone());
            }
            keys.push(own);
        }
        Translations {
            languages: languages.to_vec(),
            urls: editions.iter().map(|e| e.urls.clone()).collect(),
            routes: editions.iter().map(|e| e.pages.iter().map(|p| p.route.clone()).collect()).collect(),
            keys,
            by_key,
            repeated,
        }
    }

    fn alternate(&self, language: usize, route: &Route, current: bool) -> Alternate {
        let l = &self.languages[language];
        Alternate {
            tag: l.tag.clone(),
            locale: l.tag.replace('-', "_"),
            name: l.name.clone(),
            direction: l.direction.as_str(),
            url: self.urls[language].absolute(route),
            path: self.urls[language].path(route),
            current,
            default: language == 0,
        }
    }

    /// The page at `route` in `language` and in every language that has it
    /// (itself included, as `hreflang` sets must be); empty when no other
    /// language has it.
    pub fn alternates(&self, language: usize, route: &Route) -> Vec<Alternate> {
        let found: Vec<(usize, Route)> = match self.keys.get(language).and_then(|k| k.get(route)) {
            Some(key) => self.by_key.get(key).cloned().unwrap_or_default(),
            None => (0..self.languages.len())
                .filter(|l| self.routes.get(*l).is_some_and(|r| r.contains(route)))
                .map(|l| (l, route.clone()))
                .collect(),
        };
        if found.len() < 2 {
            return Vec::new();
        }
        let mut found = found;
        found.sort_by_key(|(l, _)| *l);
        found.iter().map(|(l, r)| self.alternate(*l, r, *l == language)).collect()
    }

    /// The language switcher of a page in `language`: in each language,
    /// the same page, or else that language's front page.
    /// `same` is the page's [`Translations::alternates`], found once for both.
    pub fn switcher(&self, language: usize, same: &[Alternate]) -> Vec<Alternate> {
        (0..self.languages.len())
            .map(|l| {
                let tag = &self.languages[l].tag;
                same.iter()
                    .find(|a| a.tag == *tag)
                    .cloned()
                    .unwrap_or_else(|| self.alternate(l, &Route::FRONT, l == language))
            })
            .collect()
    }

    /// Every language's front page, for the switcher on pages that have no
    /// translation.
    pub fn front_pages(&self, language: usize) -> Vec<Alternate> {
        (0..self.languages.len()).map(|l| self.alternate(l, &Route::FRONT, l == language)).collect()
    }
}
