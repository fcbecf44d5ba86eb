//! Where every imported item goes: the permalink pattern that keeps the
//! most published articles at their old URL, each item's file and route
//! (each once, a later copy getting `-2`), a folder of pages for an undated
//! page whose old URL is a path of folders, and the old URLs kept as
//! aliases or as redirects of listings; an old URL that cannot be kept is
//! a note for the report.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset, NaiveDate};

use broadsheet_base::route::{FeedFormat, Permalink, Route};
use broadsheet_base::slug::slugify;

use crate::{Imported, Item, Kind, Note, html};

mod place;
use place::place_items;

/// Where each item goes.
pub(crate) struct Planned {
    pub(crate) imported: Imported,
    pub(crate) permalink: Option<String>,
    /// Per item: its file under the site, its new route, its aliases.
    pub(crate) places: Vec<Place>,
    /// Old URLs of listings, as redirects: (old URL, the new page's route).
    pub(crate) redirects: Vec<(Route, Route)>,
    /// Old URLs the new site answers, of all the import knows.
    pub(crate) kept: (usize, usize),
}

pub(crate) struct Place {
    pub(crate) file: PathBuf,
    pub(crate) route: Route,
    pub(crate) slug: String,
    /// Whether the front matter must say `slug` (it differs from the file name).
    pub(crate) slug_written: bool,
    pub(crate) aliases: Vec<String>,
    /// A page in a folder of pages (`content/docs/intro.md`): its front
    /// matter must hold nothing that makes the folder a section.
    pub(crate) nested: bool,
    /// A translation's language: its route starts with `<lang>/` and its
    /// aliases are relative to that root (`/x/` answers `/<lang>/x/`).
    pub(crate) lang: Option<String>,
    /// A translation in its counterpart's bundle: the files are the bundle's.
    pub(crate) shared: bool,
}

/// Permalink patterns an import may choose, Broadsheet's default first.
const PATTERNS: &[&str] = &[
    "/:section/:slug/",
    "/:year/:month/:day/:slug/",
    "/:year/:month/:slug/",
    "/:year/:slug/",
    "/:section/:year/:month/:day/:slug/",
    "/:section/:year/:month/:slug/",
    "/:section/:year/:slug/",
];

/// The count (in `Imported::counts`) of old URLs of files in another
/// language than the one imported: each is lost, and counted so.
pub(crate) const OTHER_LANGUAGE_URLS: &str = "old URLs in another language, not kept (named in the report)";

/// Counts of old URLs a reader found lost before planning.
const LOST_ELSEWHERE: &[&str] = &[OTHER_LANGUAGE_URLS];

/// Where every Broadsheet site has pages or files of its own.
fn site_folders() -> [Route; 9] {
    [
        Route::TAGS,
        Route::AUTHORS,
        Route::SECTIONS,
        Route::ARCHIVE,
        Route::SEARCH,
        Route::SEARCH_BUNDLE,
        Route::section("css"),
        Route::section("js"),
        Route::section("page"),
    ]
}

/// A section's slug: no section may take a folder of the site's own (or
/// `images/` and `static/`, where sites keep their files).
fn section_slug(name: &str) -> String {
    let slug = slugify(name);
    let own = site_folders().contains(&Route::section(&slug)) || matches!(slug.as_str(), "images" | "static");
    match slug.as_str() {
        "" => "news".into(),
        s if own => format!("{s}-section"),
        _ => slug,
    }
}

pub(crate) fn plan(mut imported: Imported) -> Planned {
    // Dates in URLs are local dates in the site's timezone, as a build makes them.
    let tz: chrono_tz::Tz = imported.timezone.as_deref().and_then(|t| t.parse().ok()).unwrap_or(chrono_tz::UTC);
    make_embeds(&mut imported);
    settle_sections_and_slugs(&mut imported);
    let best = best_pattern(&imported, tz);
    let permalink = Permalink::parse(best.1).unwrap_or_default();
    let by_index = place_items(&imported, &permalink, tz);
    note_unkeepable(&mut imported);
    // Every item is placed: the loops in `place_items` end only when it is.
    let mut places: Vec<Place> = by_index.into_iter().flatten().collect();
    // A translation in its counterpart's bundle shares the bundle's files.
    for (item, place) in imported.items.iter_mut().zip(&places) {
        if place.shared {
            item.files.clear();
        }
    }
    drop_clashing(&mut imported, &mut places);
    let (mut claimed, used_sections) = keep_free_aliases(&mut imported, &mut places);
    let listings = imported.redirects.len();
    let (redirects, listings_kept) = plan_redirects(&mut imported, &places, &used_sections, &mut claimed);
    let kept = count_kept(&imported, &places, (listings_kept, listings));
    let permalink = (best.1 != PATTERNS[0]).then(|| best.1.to_string());
    Planned { imported, permalink, places, redirects, kept }
}

/// A date as a URL shows it: its day in the site's timezone.
fn local(d: &DateTime<FixedOffset>, tz: chrono_tz::Tz) -> NaiveDate {
    d.with_timezone(&tz).date_naive()
}

/// Embeds written as a bare address on a line of their own, counted.
fn make_embeds(imported: &mut Imported) {
    let mut embedded = 0;
    for item in imported.items.iter_mut().filter(|i| !i.html) {
        let (body, made) = html::embeds_in_markdown(&item.body);
        if made > 0 {
            item.body = body;
            embedded += made;
        }
    }
    imported.count(html::EMBEDS_COUNTED, embedded);
}

/// Every article in a section (`news` when it names none), every section
/// titled, and every item a slug.
fn settle_sections_and_slugs(imported: &mut Imported) {
    for item in imported.items.iter_mut() {
        if item.kind == Kind::Article {
            if item.section.trim().is_empty() {
                item.section = "news".into();
            }
            let s = section_slug(&item.section);
            imported.section_titles.entry(s).or_insert_with(|| item.section.clone());
        }
        item.slug = free_slug(item);
    }
}

/// Slugs that name a file Broadsheet reads otherwise: `index` (and
/// `_index`) make a folder a bundle or the front page, `page` is the
/// listings' pagination folder.
const RESERVED_SLUGS: &[&str] = &["index", "_index", "page"];

/// An item's slug, or when it is empty or reserved, the old URL's last
/// name, the title's slug or `item-1` (numbered on like any slug when
/// several clash), so no reserved name is ever written.
fn free_slug(item: &Item) -> String {
    let free = |s: &String| !s.is_empty() && !RESERVED_SLUGS.contains(&s.as_str());
    let url_name = || {
        let old = item.old_paths.first()?;
        let path = old.trim_end_matches('/');
        let path = path.strip_suffix("index.html").or_else(|| path.strip_suffix("index.htm")).unwrap_or(path);
        let last = path.trim_end_matches('/').rsplit('/').next()?;
        Some(slugify(last.trim_end_matches(".html").trim_end_matches(".htm")))
    };
    [Some(slugify(&item.slug)), url_name(), Some(slugify(&item.title))]
        .into_iter()
        .flatten()
        .find(free)
        .unwrap_or_else(|| "item-1".into())
}

/// The pattern that gives the most published articles their old URL, and
/// how many it gives it to.
fn best_pattern(imported: &Imported, tz: chrono_tz::Tz) -> (usize, &'static str) {
    let articles: Vec<&Item> = imported.items.iter().filter(|i| i.kind == Kind::Article && i.date.is_some()).collect();
    let mut best = (0usize, PATTERNS[0]);
    for pattern in PATTERNS {
        let Ok(p) = Permalink::parse(pattern) else { continue };
        let kept = articles
            .iter()
            .filter(|i| {
                let day = i.date.as_ref().map(|d| local(d, tz)).unwrap_or_default();
                let route = p.route(&section_slug(&i.section), &i.slug, &day);
                i.old_paths.iter().any(|old| match &i.lang {
                    Some(lang) => lang_alias(old, lang).is_some_and(|o| o.is_ok_and(|o| o == route)),
                    None => Route::alias(old).is_ok_and(|old| old == route),
                })
            })
            .count();
        if kept > best.0 {
            best = (kept, pattern);
        }
    }
    best
}

/// `content/news/x.md` → `content/news/x.fr.md` (`index.md` → `index.fr.md`).
fn lang_file(file: &Path, lang: &str) -> PathBuf {
    let stem = file.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let ext = file.extension().map(|e| e.to_string_lossy().into_owned()).unwrap_or_else(|| "md".into());
    file.with_file_name(format!("{stem}.{lang}.{ext}"))
}

/// A language's route: `/<lang>/` and the route.
fn in_lang(route: &Route, lang: &str) -> Route {
    Route::alias(&format!("/{lang}/{}", route.as_str())).unwrap_or_else(|_| route.clone())
}

/// A route relative to its language's root (`fr/news/x/` → `news/x/`).
fn lang_relative(route: &Route, lang: Option<&str>) -> Route {
    let Some(lang) = lang else { return route.clone() };
    match route.as_str().strip_prefix(&format!("{lang}/")) {
        Some("") => Route::FRONT,
        Some(rest) => Route::alias(rest).unwrap_or_else(|_| route.clone()),
        None => route.clone(),
    }
}

/// Whether a file is a bundle's page (`index.md`, `index.fr.md`).
fn is_index_file(file: &Path) -> bool {
    file.file_stem().is_some_and(|s| s.to_string_lossy().split('.').next() == Some("index"))
}

/// The last check before writing: no two files claim one URL or one file,
/// no file claims a URL Broadsheet makes itself (a date archive, `/tags/`,
/// a section's page) and no file sits in another's bundle folder. An item
/// that would is left out with a report line, so the import always builds.
fn drop_clashing(imported: &mut Imported, places: &mut Vec<Place>) {
    let sections: BTreeSet<Route> = imported
        .items
        .iter()
        .filter(|i| i.kind == Kind::Article)
        .map(|i| Route::section(&section_slug(&i.section)))
        .collect();
    let bundles: BTreeSet<PathBuf> = places
        .iter()
        .filter(|p| is_index_file(&p.file))
        .filter_map(|p| p.file.parent().map(Path::to_path_buf))
        .collect();
    let (mut routes, mut files) = (BTreeSet::new(), BTreeSet::new());
    let mut keep = Vec::with_capacity(places.len());
    for (item, place) in imported.items.iter().zip(places.iter()) {
        let in_bundle = place.file.ancestors().skip(1).any(|d| bundles.contains(d))
            && !(is_index_file(&place.file) && place.file.parent().is_some_and(|d| bundles.contains(d)));
        let own = lang_relative(&place.route, place.lang.as_deref());
        let why = if site_route(&own.shown()) || sections.contains(&own) {
            Some(format!("its new URL {} is one Broadsheet makes itself", place.route.shown()))
        } else if !routes.insert(place.route.clone()) || !files.insert(place.file.clone()) {
            Some(format!("its new URL {} or file {} is another item's", place.route.shown(), place.file.display()))
        } else if in_bundle {
            Some(format!("its file {} would sit in another item's bundle folder", place.file.display()))
        } else {
            None
        };
        keep.push(why.is_none());
        if let Some(why) = why {
            imported.notes.push(Note { origin: item.origin.clone(), what: format!("not imported: {why}") });
        }
    }
    let mut flags = keep.iter();
    imported.items.retain(|_| *flags.next().unwrap_or(&true));
    let mut flags = keep.iter();
    places.retain(|_| *flags.next().unwrap_or(&true));
}

/// An item's route and file with this slug: an article's by the
/// permalink pattern in its section's folder, a page's at the top; a
/// bundle when the item has files of its own.
/// (A translation beside its counterpart takes the counterpart's kind and section.)
fn route_and_file(
    item: &Item,
    kind: Kind,
    section: &str,
    slug: &str,
    permalink: &Permalink,
    tz: chrono_tz::Tz,
) -> (Route, PathBuf) {
    let (route, dir) = match kind {
        Kind::Article => {
            let section = section_slug(section);
            let route = match &item.date {
                Some(d) => permalink.route(&section, slug, &local(d, tz)),
                None => Route::article(&section, slug),
            };
            (route, PathBuf::from("content").join(&section))
        }
        Kind::Page => (Route::section(slug), PathBuf::from("content")),
    };
    // A bundle when the item has files of its own.
    let file = if item.files.is_empty() { dir.join(format!("{slug}.md")) } else { dir.join(slug).join("index.md") };
    (route, file)
}

/// Old URLs no redirect can answer (too long for a file name, one of
/// Broadsheet's own): a note each.
fn note_unkeepable(imported: &mut Imported) {
    let mut lost = Vec::new();
    for item in &imported.items {
        for old in &item.old_paths {
            if let Some(lang) = &item.lang
                && lang_alias(old, lang).is_none()
            {
                let old = old.trim_start_matches('/');
                let first = old.split('/').next().unwrap_or("");
                let what = if first.eq_ignore_ascii_case(lang) {
                    // `/pt-BR/x/`: a folder differing only in case would be the same on some disks.
                    format!(
                        "its old URL /{old} cannot be kept: Broadsheet builds the language `{lang}` under /{lang}/, in lower case, and /{first}/ differs from it only in case (redirect it on the server)"
                    )
                } else {
                    format!(
                        "its old URL /{old} is not under /{lang}/, and a translation's aliases answer only under its language's root (Broadsheet builds `{lang}` there): it cannot be kept (redirect it by hand)"
                    )
                };
                lost.push(Note { origin: item.origin.clone(), what });
                continue;
            }
            match Route::alias(old) {
                Err(why) if why != Route::FRONT_PAGE_ALIAS => lost.push(Note {
                    origin: item.origin.clone(),
                    what: format!("its old URL {old} cannot be kept as a redirect: {why}"),
                }),
                _ => {}
            }
        }
    }
    imported.notes.extend(lost);
}

/// Drops the aliases another page answers; returns the URLs now taken and
/// the sections articles are in.
fn keep_free_aliases(imported: &mut Imported, places: &mut [Place]) -> (BTreeSet<String>, BTreeSet<String>) {
    // An old URL that is also a new page's URL, or one of the pages every
    // Broadsheet site has (`/tags/`, `/search/`, date archives): the page wins.
    // A section's page is one too (a page's alias `/economie/` beside the
    // section `economie` would stop the build).
    let mut claimed: BTreeSet<String> = places.iter().map(|p| p.route.shown()).collect();
    let used_sections: BTreeSet<String> = imported
        .items
        .iter()
        .zip(places.iter())
        .filter(|(i, _)| i.kind == Kind::Article)
        .map(|(i, _)| section_slug(&i.section))
        .collect();
    claimed.extend(used_sections.iter().map(|s| Route::section(s).shown()));
    // Each language's front page and section pages.
    for (item, place) in imported.items.iter().zip(places.iter()) {
        if let Some(lang) = &place.lang {
            claimed.insert(in_lang(&Route::FRONT, lang).shown());
            if item.kind == Kind::Article && !place.nested {
                claimed.insert(in_lang(&Route::section(&section_slug(&item.section)), lang).shown());
            }
        }
    }
    for (item, place) in imported.items.iter().zip(places.iter_mut()) {
        let before = place.aliases.clone();
        let lang = place.lang.clone();
        // A translation's alias is relative to its language's root.
        let full = |a: &String| match &lang {
            Some(l) => Route::alias(a).map(|r| in_lang(&r, l).shown()).unwrap_or_else(|_| a.clone()),
            None => a.clone(),
        };
        place.aliases.retain(|a| !site_route(a) && claimed.insert(full(a)));
        for lost in before.iter().filter(|a| !place.aliases.contains(a)) {
            imported.notes.push(Note {
                origin: item.origin.clone(),
                what: format!("its old URL {lost} is now another page of the site, so it cannot redirect here"),
            });
        }
    }
    (claimed, used_sections)
}

/// Old URLs the new site answers, of all the import knows: the listings'
/// (`listings`: kept, all), then each published item's.
fn count_kept(imported: &Imported, places: &[Place], listings: (usize, usize)) -> (usize, usize) {
    let (mut kept, mut all) = listings;
    all += LOST_ELSEWHERE.iter().filter_map(|what| imported.counts.get(*what)).sum::<usize>();
    for (item, place) in imported.items.iter().zip(places).filter(|(i, _)| !i.draft) {
        let olds: BTreeSet<&String> = item.old_paths.iter().collect();
        for old in olds {
            all += 1;
            let relative = match &item.lang {
                Some(lang) => lang_alias(old, lang),
                None => Some(Route::alias(old)),
            };
            kept += usize::from(match (Route::alias(old), relative) {
                (_, None) => false,
                (Ok(route), _) if route == place.route => true,
                (_, Some(Ok(route))) => place.aliases.contains(&route.shown()),
                (_, Some(Err(why))) => why == Route::FRONT_PAGE_ALIAS,
            });
        }
    }
    (kept, all)
}

/// An item's old URLs other than its new one, each once, as shown.
/// A translation's are relative to its language's root, and only those
/// under it can be kept.
fn aliases_of(item: &Item, route: &Route) -> Vec<String> {
    let own = lang_relative(route, item.lang.as_deref());
    item.old_paths
        .iter()
        .filter_map(|old| match &item.lang {
            Some(lang) => lang_alias(old, lang)?.ok(),
            None => Route::alias(old).ok(),
        })
        .filter(|old| *old != own)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .map(|old| old.shown())
        .collect()
}

/// A translation's old URL path as an alias relative to its language's
/// root (`fr/blog/x/` → `/blog/x/`); `None` when it is not under the root.
fn lang_alias(old: &str, lang: &str) -> Option<Result<Route, &'static str>> {
    let old = old.trim_start_matches('/');
    let rest = old.strip_prefix(lang)?;
    if !(rest.is_empty() || rest.starts_with('/')) {
        return None;
    }
    Some(Route::alias(rest))
}

/// Whether a file name starts with a date the loader reads (`2018-11-12-x`).
fn dated_stem(stem: &str) -> bool {
    let b = stem.as_bytes();
    b.len() >= 10
        && b[..10].iter().enumerate().all(|(i, c)| if i == 4 || i == 7 { *c == b'-' } else { c.is_ascii_digit() })
}

/// Where an undated page keeps its old URL of two or more folders
/// (`docs/setup/intro/` → `content/docs/setup/intro.md`), each part as a
/// slug; `None` when that cannot be (a dated or bylined item, a bundle, a
/// first folder that is a section or one of the site's own).
fn nested_page(item: &Item, sections: &BTreeSet<String>) -> Option<(Route, PathBuf)> {
    if item.kind != Kind::Page
        || item.date.is_some()
        || !item.files.is_empty()
        || item.html
        || !item.authors.is_empty()
        || !item.tags.is_empty()
    {
        return None;
    }
    let old = Route::alias(item.old_paths.first()?).ok()?;
    let path = old.as_str().trim_end_matches('/');
    let path = path.strip_suffix(".html").or_else(|| path.strip_suffix(".htm")).unwrap_or(path);
    let parts: Vec<String> = path.split('/').map(slugify).collect();
    let first = parts.first()?;
    if parts.len() < 2
        || parts.iter().any(|p| p.is_empty() || p == "page" || p == "index" || p.starts_with('_'))
        || dated_stem(parts.last()?)
        || sections.contains(first)
        || section_slug(first) != *first
        || site_route(&format!("/{first}/"))
    {
        return None;
    }
    let route = Route::alias(&format!("/{}/", parts.join("/"))).ok()?;
    let mut file = PathBuf::from("content");
    for p in &parts {
        file.push(p);
    }
    file.set_extension("md");
    Some((route, file))
}

/// Each listing's old URL becomes a redirect to its section's page, the
/// front page or the page now at that URL; one that cannot is a report line.
fn plan_redirects(
    imported: &mut Imported,
    places: &[Place],
    sections: &BTreeSet<String>,
    claimed: &mut BTreeSet<String>,
) -> (Vec<(Route, Route)>, usize) {
    let mut out = Vec::new();
    let mut answered = 0;
    let redirects = std::mem::take(&mut imported.redirects);
    let langs: BTreeSet<String> = imported.items.iter().filter_map(|i| i.lang.clone()).collect();
    // The author and tag pages the built site will have: those of the
    // published stories of the default language.
    let published = imported.items.iter().filter(|i| !i.draft && i.lang.is_none() && i.kind == Kind::Article);
    let author_pages: BTreeSet<Route> =
        published.clone().flat_map(|i| &i.authors).map(|a| Route::author(&slugify(a))).collect();
    let tag_pages: BTreeSet<Route> = published.flat_map(|i| &i.tags).map(|t| Route::tag(&slugify(t))).collect();
    // An old author or term page at an address under `authors/` or `tags/`
    // that no page of the new site takes can still redirect (Hugo's
    // `/authors/<handle>/` when the author's page is now under their name).
    let free = |from: &Route| {
        let parts: Vec<&str> = from.as_str().split('/').filter(|p| !p.is_empty()).collect();
        match parts[..] {
            ["authors", slug] => !author_pages.contains(&Route::author(slug)),
            ["tags", slug] => !tag_pages.contains(&Route::tag(slug)),
            _ => false,
        }
    };
    for r in &redirects {
        let Ok(from) = Route::alias(&r.from) else { continue };
        let section = r.section.as_deref().map(section_slug).filter(|s| sections.contains(s));
        let by_old = || {
            let target = Route::alias(&r.target).ok()?;
            imported.items.iter().zip(places).find(|(i, p)| {
                p.route == target || i.old_paths.iter().any(|o| Route::alias(o).is_ok_and(|o| o == target))
            })
        };
        // A listing of a translated language leads to that language's own.
        let lang = langs.iter().find(|l| lang_alias(from.as_str(), l).is_some());
        let within = |route: Route| match lang {
            Some(l) => in_lang(&route, l),
            None => route,
        };
        let to = match (&r.section, section) {
            (None, _) => Some(within(Route::FRONT)),
            (Some(_), Some(s)) => Some(within(Route::section(&s))),
            (Some(_), None) => match by_old() {
                // The listing became a page and keeps its aliases itself.
                Some((_, p)) if p.aliases.contains(&from.shown()) => {
                    answered += 1;
                    continue;
                }
                Some((_, p)) => Some(p.route.clone()),
                None if site_route(&format!("/{}", r.target.trim_start_matches('/'))) => Route::alias(&r.target).ok(),
                None => None,
            },
        };
        let Some(to) = to else {
            imported.notes.push(Note {
                origin: r.origin.clone(),
                what: format!("its old URL {} cannot be kept: the listing it led to is not imported", from.shown()),
            });
            continue;
        };
        if from == to {
            answered += 1;
            continue;
        }
        // An author with no published story has no page: their old page
        // leads to the journalists' page (a term's, to the topics').
        let to = match to.as_str().split('/').next() {
            Some("authors") if to != Route::AUTHORS && !author_pages.contains(&to) => Route::AUTHORS,
            Some("tags") if to != Route::TAGS && !tag_pages.contains(&to) => Route::TAGS,
            _ => to,
        };
        if (site_route(&from.shown()) && !free(&from)) || !claimed.insert(from.shown()) {
            imported.notes.push(Note {
                origin: r.origin.clone(),
                what: format!("its old URL {} is now another page of the site, so it cannot redirect", from.shown()),
            });
            continue;
        }
        out.push((from, to));
        answered += 1;
    }
    (out, answered)
}

/// Whether an old URL is one a Broadsheet site makes for itself: in one
/// of its folders, one of its files, or a date archive (`/2024/03/`).
pub(crate) fn site_route(alias: &str) -> bool {
    let Ok(route) = Route::alias(alias) else { return true };
    let folders = site_folders();
    let files = [
        Route::FRONT.feed(FeedFormat::Atom),
        Route::FRONT.feed(FeedFormat::Rss),
        Route::FRONT.feed(FeedFormat::Json),
        Route::SITEMAP,
        Route::NEWS_SITEMAP,
        Route::ROBOTS,
        Route::NOT_FOUND,
        Route::FRONT,
    ];
    let first = route.as_str().split('/').next().unwrap_or("");
    let parts: Vec<&str> = route.as_str().split('/').filter(|p| !p.is_empty()).collect();
    // `2024/` and `2024/03/`, as `Route::year` and `Route::month` write them
    // (`301/` is a page's, not a year's).
    let digits = |p: &str, n: usize| p.len() == n && p.chars().all(|c| c.is_ascii_digit());
    let date_archive = match parts[..] {
        [year] => digits(year, 4),
        [year, month] => digits(year, 4) && digits(month, 2),
        _ => false,
    };
    let file = alias.trim_matches('/');
    // Listings start at their own address: `page/1/` is no page of the site.
    let first_page = parts[..] == ["page", "1"];
    (folders.contains(&Route::section(first)) && !first_page) || files.iter().any(|f| f.file() == file) || date_archive
}

/// The slug a file's name gives: its stem (a translation's language left
/// out), or a bundle's folder.
fn file_stem_slug(file: &Path) -> String {
    let name = if is_index_file(file) { file.parent().and_then(Path::file_name) } else { file.file_stem() };
    let name = name.map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    name.split('.').next().unwrap_or_default().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_at_the_start_of_a_file_name_is_seen() {
        assert!(dated_stem("2018-11-12-digest"));
        assert!(!dated_stem("digest-2018-11-12"));
        assert!(!dated_stem("2018"));
    }

    #[test]
    fn no_two_files_claim_one_url_nor_one_broadsheet_makes() {
        let place = |file: &str, route: &str| Place {
            file: PathBuf::from(file),
            route: Route::alias(route).unwrap(),
            slug: String::new(),
            slug_written: false,
            aliases: Vec::new(),
            nested: false,
            lang: None,
            shared: false,
        };
        let mut imported = Imported::default();
        for origin in ["a.md", "b.md", "2023/index.html", "c.md"] {
            imported.items.push(Item::new(Kind::Page, origin));
        }
        let mut places = vec![
            place("content/about.md", "/about/"),
            place("content/about-us.md", "/about/"),
            place("content/2023.md", "/2023/"),
            place("content/contact.md", "/contact/"),
        ];
        drop_clashing(&mut imported, &mut places);
        let kept: Vec<&str> = imported.items.iter().map(|i| i.origin.as_str()).collect();
        assert_eq!(kept, ["a.md", "c.md"]);
        assert_eq!(places.len(), 2);
        let notes: Vec<&str> = imported.notes.iter().map(|n| n.origin.as_str()).collect();
        assert_eq!(notes, ["b.md", "2023/index.html"], "each left out is a report line");
    }

    #[test]
    fn reserved_slugs_give_way_to_the_old_urls_name() {
        let mut item = Item::new(Kind::Article, "_posts/2016-01-01-index.md");
        item.slug = "index".into();
        item.title = "Welcome".into();
        assert_eq!(free_slug(&item), "welcome", "an old URL of `/` has no name");
        item.old_paths.push("en/doc/0.16.0/".into());
        assert_eq!(free_slug(&item), "0-16-0");
    }

    #[test]
    fn old_urls_of_the_sites_own_pages_are_known() {
        for own in ["/tags/", "/search/", "/tags/x/", "/2024/", "/2024/03/", "/feed.xml", "/404.html", "/css/x.css"] {
            assert!(site_route(own), "{own}");
        }
        for story in ["/2024/03/x/", "/news/x/", "/about/", "/a/b.html", "/301/"] {
            assert!(!site_route(story), "{story}");
        }
    }
}
