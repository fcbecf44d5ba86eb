//! Where each imported item goes: its file and route, each taken once,
//! the default language's items first (a numbered slug when a name is
//! taken), then the translations (beside their counterpart when they can
//! be, else on their own). Part of the planner (`plan.rs`), whose helpers
//! it uses.

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;

use broadsheet_base::route::{Permalink, Route};

use super::{
    Place, aliases_of, dated_stem, file_stem_slug, in_lang, lang_file, lang_relative, nested_page, route_and_file,
    section_slug, site_route,
};
use crate::{Imported, Item, Kind};

/// Each item's file and route, each once, by the item's index: the
/// default language's items first, then the translations (beside their
/// counterpart when it is placed, else on their own).
pub(super) fn place_items(imported: &Imported, permalink: &Permalink, tz: chrono_tz::Tz) -> Vec<Option<Place>> {
    let items = &imported.items;
    // Published items first, oldest first, so a later copy gets the `-2`.
    let mut order: Vec<usize> = (0..items.len()).collect();
    let key = |it: &Item| (it.draft, it.kind, it.date);
    order.sort_by(|&a, &b| key(&items[a]).cmp(&key(&items[b])).then_with(|| items[a].origin.cmp(&items[b].origin)));
    let mut placer = Placer::new(imported, permalink, tz);
    for &i in order.iter().filter(|&&i| items[i].lang.is_none()) {
        placer.place_default(i);
    }
    // Each group's default-language item, by group (not by Hugo's
    // `translationKey`: those keep their own names and say the key).
    let mut counterparts: HashMap<&str, usize> = HashMap::new();
    for &i in order.iter().filter(|&&i| items[i].lang.is_none() && items[i].translation_key.is_none()) {
        if let Some(group) = items[i].group.as_deref() {
            counterparts.entry(group).or_insert(i);
        }
    }
    for &i in order.iter().filter(|&&i| items[i].lang.is_some()) {
        let twin = items[i].group.as_deref().filter(|_| items[i].translation_key.is_none());
        let twin = twin.and_then(|g| counterparts.get(g)).copied();
        if !twin.is_some_and(|c| placer.place_beside(i, c)) {
            placer.place_translation(i);
        }
    }
    placer.by_index
}

/// What placing has taken so far, and the rules every place must keep.
struct Placer<'a> {
    items: &'a [Item],
    permalink: &'a Permalink,
    tz: chrono_tz::Tz,
    /// Routes taken, each once.
    taken_routes: BTreeSet<Route>,
    /// Each file taken, and the translation group of the item that took it.
    taken_files: HashMap<PathBuf, Option<String>>,
    sections: BTreeSet<String>,
    langs: BTreeSet<&'a str>,
    default_lang: Option<&'a str>,
    /// Every item's old URLs: no other item's new page may take one.
    old_owner: HashMap<Route, usize>,
    by_index: Vec<Option<Place>>,
}

impl<'a> Placer<'a> {
    fn new(imported: &'a Imported, permalink: &'a Permalink, tz: chrono_tz::Tz) -> Placer<'a> {
        let mut old_owner: HashMap<Route, usize> = HashMap::new();
        for (i, item) in imported.items.iter().enumerate() {
            for old in &item.old_paths {
                if let Ok(route) = Route::alias(old) {
                    old_owner.entry(route).or_insert(i);
                }
            }
        }
        Placer {
            items: &imported.items,
            permalink,
            tz,
            taken_routes: BTreeSet::new(),
            taken_files: HashMap::new(),
            sections: imported.section_titles.keys().cloned().collect(),
            langs: imported.items.iter().filter_map(|i| i.lang.as_deref()).collect(),
            default_lang: imported.languages.first().map(|l| l.code.as_str()),
            old_owner,
            by_index: (0..imported.items.len()).map(|_| None).collect(),
        }
    }

    /// Whether another item had `route` as an old URL.
    fn others_old(&self, route: &Route, i: usize) -> bool {
        self.old_owner.get(route).is_some_and(|&owner| owner != i)
    }

    /// A route under a language's root is that language's (the default's
    /// too: its old `/en/` URLs, Hugo's `defaultContentLanguageInSubdir`, are aliases).
    fn in_a_language(&self, route: &Route) -> bool {
        let first = route.as_str().split('/').next().unwrap_or("");
        self.langs.contains(first) || self.default_lang == Some(first)
    }

    /// Whether a page's slug would be read as something else: a section,
    /// a name the section rules change, or (`langs`) a language's root.
    fn page_slug_clashes(&self, kind: Kind, slug: &str, langs: bool) -> bool {
        kind == Kind::Page
            && (self.sections.contains(slug) || section_slug(slug) != slug || (langs && self.langs.contains(slug)))
    }

    /// Takes `route` and `file` for item `i` and records its place.
    fn claim(&mut self, i: usize, route: Route, file: PathBuf, slug: String, how: (bool, bool, Option<&str>, bool)) {
        let (slug_written, nested, lang, shared) = how;
        let items = self.items;
        let item = &items[i];
        self.taken_routes.insert(route.clone());
        self.taken_files.insert(file.clone(), item.group.clone());
        let aliases = aliases_of(item, &route);
        let lang = lang.map(str::to_string);
        self.by_index[i] = Some(Place { file, route, slug, slug_written, aliases, nested, lang, shared });
    }

    /// A default-language item: an undated page whose old URL is a path of
    /// plain folders (`/docs/setup/intro/`) keeps it, in a folder of pages;
    /// anything else takes the first free numbered slug.
    fn place_default(&mut self, i: usize) {
        let items = self.items;
        let item = &items[i];
        if let Some((route, file)) = nested_page(item, &self.sections)
            && !self.taken_routes.contains(&route)
            && !self.taken_files.contains_key(&file)
            && !self.others_old(&route, i)
            && !self.in_a_language(&route)
        {
            let slug = file_stem_slug(&file);
            self.claim(i, route, file, slug, (false, true, None, false));
            return;
        }
        let (slug, route, file) = first_free(&item.slug, |slug| {
            let (route, file) = route_and_file(item, item.kind, &item.section, slug, self.permalink, self.tz);
            let clash = self.taken_routes.contains(&route)
                || self.taken_files.contains_key(&file)
                || self.others_old(&route, i)
                || site_route(&route.shown())
                || self.page_slug_clashes(item.kind, slug, true);
            (!clash).then_some((route, file))
        });
        // The loader takes a date off the front of a file name
        // (`2018-11-12-digest.md` is `digest`): such a slug is written.
        let stem = file_stem_slug(&file);
        let slug_written = slug != stem || dated_stem(&stem);
        self.claim(i, route, file, slug, (slug_written, false, None, false));
    }

    /// A translation beside its counterpart `c` (`x.fr.md` by `x.md`), when
    /// the counterpart is placed and the place is free; false when not.
    fn place_beside(&mut self, i: usize, c: usize) -> bool {
        let items = self.items;
        let (item, twin) = (&items[i], &items[c]);
        let lang = item.lang.as_deref().unwrap_or_default();
        let Some(twin_place) = self.by_index[c].as_ref() else { return false };
        let (twin_file, twin_route, nested) = (twin_place.file.clone(), twin_place.route.clone(), twin_place.nested);
        let file = lang_file(&twin_file, lang);
        let shared = !twin.files.is_empty();
        if self.taken_files.contains_key(&file) || !(shared || item.files.is_empty()) {
            return false;
        }
        let stem = file_stem_slug(&twin_file);
        let placed = if nested {
            let route = in_lang(&twin_route, lang);
            (!self.taken_routes.contains(&route) && !self.others_old(&route, i)).then(|| (route, stem.clone()))
        } else {
            // Its own slug first (a translated slug keeps its URL), then its counterpart's.
            let mut candidates = vec![item.slug.clone(), stem.clone()];
            candidates.extend((2..100).map(|n| format!("{}-{n}", item.slug)));
            candidates.into_iter().find_map(|slug| {
                let (route, _) = route_and_file(item, twin.kind, &twin.section, &slug, self.permalink, self.tz);
                let route = in_lang(&route, lang);
                let own = lang_relative(&route, Some(lang));
                let clash = self.taken_routes.contains(&route)
                    || self.others_old(&route, i)
                    || site_route(&own.shown())
                    || self.page_slug_clashes(twin.kind, &slug, false);
                (!clash).then_some((route, slug))
            })
        };
        let Some((route, slug)) = placed else { return false };
        let slug_written = !nested && (slug != stem || dated_stem(&slug));
        self.claim(i, route, file, slug, (slug_written, nested, Some(lang), shared));
        true
    }

    /// A translation on its own: a name no default-language file of another
    /// group has (the build would take them for translations of each other).
    fn place_translation(&mut self, i: usize) {
        let items = self.items;
        let item = &items[i];
        let lang = item.lang.as_deref().unwrap_or_default();
        let (slug, route, file) = first_free(&item.slug, |slug| {
            let (route, base_file) = route_and_file(item, item.kind, &item.section, slug, self.permalink, self.tz);
            let (route, file) = (in_lang(&route, lang), lang_file(&base_file, lang));
            let own = lang_relative(&route, Some(lang));
            let other_group = |f: &PathBuf| self.taken_files.get(f).is_some_and(|g| g.is_none() || *g != item.group);
            let clash = self.taken_routes.contains(&route)
                || self.taken_files.contains_key(&file)
                || other_group(&base_file)
                || self.others_old(&route, i)
                || site_route(&own.shown())
                || self.page_slug_clashes(item.kind, slug, false);
            (!clash).then_some((route, file))
        });
        let stem = file_stem_slug(&file);
        let slug_written = slug != stem || dated_stem(&stem);
        self.claim(i, route, file, slug, (slug_written, false, Some(lang), false));
    }
}

/// The first of `slug`, `slug-2`, `slug-3`... for which `place` finds a
/// free route and file, with them.
fn first_free(slug: &str, mut place: impl FnMut(&str) -> Option<(Route, PathBuf)>) -> (String, Route, PathBuf) {
    let mut n = 1;
    loop {
        let candidate = if n == 1 { slug.to_string() } else { format!("{slug}-{n}") };
        if let Some((route, file)) = place(&candidate) {
            return (candidate, route, file);
        }
        n += 1;
    }
}
