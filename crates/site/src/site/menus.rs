//! The menus of `site.toml` resolved against the page plan: a `page`
//! entry names a standalone page, a `url` entry another site's address or
//! a path a page or a file of the site answers; every entry that leads
//! nowhere is an error at its line.

use super::{Page, Route, Site};
use crate::config::{Config, MenuTarget};
use crate::content::Article;
use broadsheet_base::diagnostic::Diagnostic;

/// A menu link, its URL ready for a page.
#[derive(Debug, Clone, PartialEq)]
pub struct MenuItem {
    /// The link's text: the entry's `title`, else the page's title.
    pub title: String,
    /// Where it leads: a path on this site (with `base_url`'s path), or another
    /// site's address as written.
    pub url: String,
}

/// The menus of `site.toml`, each entry resolved to a link; entries that lead
/// nowhere are errors and left out.
#[derive(Debug, Clone, Default)]
pub struct Menus {
    /// `[[menus.main]]`: shown above the sections in the masthead.
    pub main: Vec<MenuItem>,
    /// `[[menus.footer]]`: shown in every page's footer (in place of the list
    /// of standalone pages).
    pub footer: Vec<MenuItem>,
}

impl Site {
    /// Resolves the menus of `site.toml` against the site's `pages` (and
    /// the files for which `has_file` says yes): one error, at its line,
    /// for every entry that leads nowhere. In a language other than the
    /// default, an entry its pages do not answer links the default
    /// language's (`fallback`: its menus, every entry resolved).
    pub fn resolve_menus(
        &mut self,
        config: &Config,
        pages: &[Page],
        has_file: &dyn Fn(&Route) -> bool,
        fallback: Option<&Menus>,
    ) -> Vec<Diagnostic> {
        let mut problems = Vec::new();
        let mut resolve = |name: &str, entries: &[crate::config::MenuEntry]| -> Vec<MenuItem> {
            let default = fallback.map(|m| if name == "main" { &m.main } else { &m.footer });
            entries
                .iter()
                .enumerate()
                .filter_map(|(number, entry)| {
                    let (line, column) = entry.at;
                    let item = match &entry.target {
                        MenuTarget::Page(wanted) => self.menu_page(wanted, config).map_err(|known| {
                            let mut message = format!("[[menus.{name}]] page `{wanted}`: there is no such page");
                            let names: Vec<&str> = known.iter().map(String::as_str).collect();
                            match broadsheet_base::diagnostic::suggest(wanted, &names) {
                                Some(close) => message.push_str(&format!(": did you mean `{close}`?")),
                                None if names.is_empty() => message.push_str(
                                    " (a standalone page is a file such as content/about.md, named `about` here)",
                                ),
                                None => message.push_str(&format!(" (the pages are: {})", names.join(", "))),
                            }
                            message
                        }),
                        MenuTarget::Url(url) => menu_url(url, pages, has_file, config)
                            .map(|href| MenuItem { title: entry.title.clone().unwrap_or_default(), url: href }),
                    };
                    let item = match (item, default.and_then(|d| d.get(number))) {
                        (Err(_), Some(theirs)) => Ok(theirs.clone()),
                        (item, _) => item,
                    };
                    match item {
                        Ok(mut item) => {
                            if let Some(title) = &entry.title {
                                item.title = title.clone();
                            }
                            Some(item)
                        }
                        Err(message) => {
                            problems.push(Diagnostic::error(broadsheet_base::layout::CONFIG, line, column, message));
                            None
                        }
                    }
                })
                .collect()
        };
        let menus =
            Menus { main: resolve("main", &config.menus.main), footer: resolve("footer", &config.menus.footer) };
        self.menus = menus;
        problems
    }

    /// The standalone page a menu names, by its path under `content/`
    /// (`policies/ethics`) or its URL; or the names there are.
    fn menu_page(&self, wanted: &str, config: &Config) -> Result<MenuItem, Vec<String>> {
        let name = |p: &Article| -> String {
            let file = p.place.file.strip_prefix(broadsheet_base::layout::CONTENT).unwrap_or(&p.place.file);
            let file = if crate::content::is_bundle(file) { file.parent().unwrap_or(file) } else { file };
            file.with_extension("").to_string_lossy().replace('\\', "/")
        };
        self.pages
            .iter()
            // A translation answers to its page's name (`about` for `about.fr.md`).
            .find(|p| name(p) == wanted || p.translation == wanted || p.place.route.as_id() == wanted)
            .map(|p| MenuItem { title: p.title.clone(), url: config.urls.path(&p.place.route) })
            .ok_or_else(|| self.pages.iter().map(name).collect())
    }
}

/// A menu's `url`: another site's address as written, or a path on this
/// site that a page or a file must answer.
fn menu_url(url: &str, pages: &[Page], has_file: &dyn Fn(&Route) -> bool, config: &Config) -> Result<String, String> {
    let url = url.trim();
    let elsewhere =
        url.contains("://") || url.starts_with("//") || url.starts_with("mailto:") || url.starts_with("tel:");
    if elsewhere {
        return Ok(url.to_string());
    }
    let (path, rest) = url.split_at(url.find(['?', '#']).unwrap_or(url.len()));
    let route = match Route::from_site_path(path) {
        Err(_) if path.trim_matches('/').is_empty() => Some(config.urls.path(&Route::FRONT)),
        Err(why) => return Err(format!("menu url `{url}`: {why}")),
        Ok(route) => {
            let page = pages.iter().find(|p| p.route.as_str().trim_end_matches('/') == route.as_str());
            match page {
                Some(p) => Some(config.urls.path(&p.route)),
                // A file of the site (static/) is at the site's root in every language.
                None => has_file(&route).then(|| config.urls.file_path(&route)),
            }
        }
    };
    match route {
        Some(href) => Ok(href + rest),
        None => Err(format!(
            "menu url `{url}`: no page or file of the site is there: expected a path such as \"/corrections/\" or a full address such as \"https://example.com/\""
        )),
    }
}
