//! The URL-clash check: one error for every URL two pages of the plan
//! claim, told in the file that most likely made the clash and naming
//! both pages.

use std::collections::BTreeMap;
use std::collections::btree_map::Entry;
use std::path::PathBuf;

use super::{Listing, Page, PageKind, Route, Site};
use crate::content::Article;
use broadsheet_base::diagnostic::Diagnostic;

impl Site {
    /// One error for every URL that two pages claim, naming both.
    pub fn check_routes(&self, pages: &[Page]) -> Vec<Diagnostic> {
        let mut claimed: BTreeMap<&Route, &Page> = BTreeMap::new();
        let mut problems = Vec::new();
        for page in pages {
            match claimed.entry(&page.route) {
                Entry::Vacant(v) => {
                    v.insert(page);
                }
                Entry::Occupied(o) => problems.push(self.conflict(o.get(), page)),
            }
        }
        problems
    }

    /// The error for two pages on one URL, reported in the file that most
    /// likely made the clash: one that set its URL explicitly (a `slug` or an
    /// alias line), else the later file by name.
    fn conflict(&self, a: &Page, b: &Page) -> Diagnostic {
        let key = |p: &Page| self.origin(p).map(|(path, line)| (line > 1, path));
        let (first, second) = if key(a) <= key(b) { (a, b) } else { (b, a) };
        let (path, line) = self.origin(second).unwrap_or((PathBuf::from(broadsheet_base::layout::CONTENT), 1));
        let url = first.route.shown();
        let message =
            format!("URL {url} is claimed twice: by {} and by {}", self.describe(first), self.describe(second));
        Diagnostic::error(path, line, 1, message)
    }

    /// The story or standalone page an article's page, a page or an old
    /// URL (with which of its aliases) is made from.
    fn source_of(&self, kind: &PageKind) -> Option<(&Article, Option<usize>)> {
        match *kind {
            PageKind::Article(id) => Some((&self[id], None)),
            PageKind::Standalone(id) => Some((&self[id], None)),
            PageKind::Alias { article, alias } => Some((&self[article], Some(alias))),
            PageKind::PageAlias { page, alias } => Some((&self[page], Some(alias))),
            _ => None,
        }
    }

    /// The file (and line) responsible for a page, when one is.
    fn origin(&self, page: &Page) -> Option<(PathBuf, usize)> {
        if let Some((a, alias)) = self.source_of(&page.kind) {
            let line = alias.map_or(a.place.route_line, |i| a.place.aliases[i].line);
            return Some((a.place.file.clone(), line));
        }
        match &page.kind {
            PageKind::List { listing: Listing::Section(id), .. } => {
                let s = &self[*id];
                Some((
                    s.file.clone().unwrap_or_else(|| PathBuf::from(broadsheet_base::layout::CONTENT).join(&s.folder)),
                    1,
                ))
            }
            _ => None,
        }
    }

    fn describe(&self, page: &Page) -> String {
        match &page.kind {
            PageKind::Article(_) | PageKind::Standalone(_) | PageKind::Alias { .. } | PageKind::PageAlias { .. } => {
                self.source_of(&page.kind).map_or_else(String::new, |(a, alias)| {
                    let file = a.place.file.display();
                    if alias.is_some() { format!("an alias in {file}") } else { file.to_string() }
                })
            }
            PageKind::List { listing: Listing::Section(id), .. } => format!("section `{}`", self[*id].slug),
            PageKind::List { listing: Listing::Tag(id), .. } => format!("the page of tag `{}`", self[*id].name),
            PageKind::List { listing: Listing::Author(id), .. } => format!("the page of author `{}`", self[*id].name),
            PageKind::List { listing: Listing::Series(id), .. } => format!("the page of series `{}`", self[*id].slug),
            PageKind::List { listing: Listing::Month(_), .. } | PageKind::Year(_) | PageKind::Archive => {
                "the date archive".into()
            }
            PageKind::Front => "the front page".into(),
            PageKind::TagIndex => "the tags index".into(),
            PageKind::AuthorIndex => "the authors index".into(),
            PageKind::SectionIndex => "the sections index".into(),
            PageKind::NotFound => "the 404 page".into(),
            PageKind::Search => "the search page".into(),
            PageKind::Corrections { .. } => "the corrections page".into(),
            PageKind::Feed { .. } => "a feed".into(),
            PageKind::LiveFeed(id) => format!("the live updates of {}", self[*id].place.file.display()),
            PageKind::Sitemap { .. } | PageKind::SitemapIndex { .. } | PageKind::NewsSitemap => "a sitemap".into(),
            PageKind::Robots => "robots.txt".into(),
        }
    }
}
