//! The raw form of `site.toml` validated into [`Config`], one named step
//! per key or table (the base URL, the timezone, `[breaking]`,
//! `[reactions]`, `cname`, `[permalinks]`, the menus, the site's look,
//! `[images]`, `per_page`), after every address it gives is checked
//! against the one URL policy. Every step tells all of its problems at
//! their lines.

use chrono_tz::Tz;

use super::keys::Places;
use super::{
    ACCENT, Breaking, Config, Identity, MenuEntry, MenuTarget, Menus, NamedFile, RawBreaking, RawConfig, RawMenuEntry,
    RawReactions, Reactions, ReactionsTable, config_error, default_reaction_labels,
};
use broadsheet_base::date;
use broadsheet_base::diagnostic::Diagnostic;
use broadsheet_base::route::Permalink;
use broadsheet_base::url::Urls;

/// Every address `site.toml` gives that pages link to, load from or post
/// to, checked against the one URL policy (`safe_url`): each refusal at
/// its line.
fn url_problems(raw: &RawConfig, places: &Places) -> Vec<Diagnostic> {
    type Check = fn(&str) -> Result<(), String>;
    let mut given: Vec<(String, &str, Check)> = Vec::new();
    if let Some(url) = raw.breaking.as_ref().and_then(|b| b.url.as_deref()) {
        given.push(("breaking.url".into(), url, broadsheet_base::safe_url::check));
    }
    if let RawReactions::Table(ReactionsTable { endpoint: Some(endpoint), .. }) = &raw.reactions {
        given.push(("reactions.endpoint".into(), endpoint, broadsheet_base::safe_url::check_web));
    }
    for (key, author) in &raw.authors {
        if let Some(url) = &author.url {
            given.push((format!("authors.{key}.url"), url, broadsheet_base::safe_url::check));
        }
        if let Some(photo) = &author.photo {
            given.push((format!("authors.{key}.photo"), photo, broadsheet_base::safe_url::check_web));
        }
    }
    for (key, series) in &raw.series {
        if let Some(image) = &series.image {
            given.push((format!("series.{key}.image"), image, broadsheet_base::safe_url::check_web));
        }
    }
    for (i, css) in raw.theme.css.iter().enumerate() {
        given.push((format!("theme.css.{i}"), css, broadsheet_base::safe_url::check_web));
    }
    for (name, entries) in [("main", &raw.menus.main), ("footer", &raw.menus.footer)] {
        for (i, entry) in entries.iter().enumerate() {
            if let Some(url) = &entry.url {
                given.push((format!("menus.{name}.{i}.url"), url, broadsheet_base::safe_url::check));
            }
        }
    }
    given
        .into_iter()
        .filter_map(|(key, address, check)| {
            let why = check(address.trim()).err()?;
            let (line, column) = places.value(&key);
            let message = format!("{key} `{address}` is refused: {why}");
            Some(Diagnostic::error(broadsheet_base::layout::CONFIG, line, column, message))
        })
        .collect()
}

/// Validates the raw configuration: `Err` holds every problem found.
pub(super) fn validate(
    raw: RawConfig,
    places: &Places,
    base_url_override: Option<&str>,
) -> Result<Config, Vec<Diagnostic>> {
    let mut problems = url_problems(&raw, places);
    let urls = base_url(&raw.base_url, base_url_override, places, &mut problems);
    let timezone = timezone(&raw.timezone, places, &mut problems);
    let breaking = breaking(raw.breaking, timezone.unwrap_or(Tz::UTC), places, &mut problems);
    let reactions = reactions(raw.reactions);
    let cname = cname(raw.cname, places, &mut problems);
    let permalink = permalink(raw.permalinks.article.as_deref(), places, &mut problems);
    let menus = Menus {
        main: menu("main", raw.menus.main, places, &mut problems),
        footer: menu("footer", raw.menus.footer, places, &mut problems),
    };
    let files = [raw.logo, raw.favicon, raw.apple_touch_icon, raw.share_image];
    let mut identity = identity(files, raw.theme_color, places, &mut problems);
    identity.stylesheets = (raw.theme.css.iter().enumerate())
        .map(|(i, css)| NamedFile {
            path: css.trim().to_string(),
            key: "theme.css",
            at: places.value(&format!("theme.css.{i}")),
        })
        .collect();
    if raw.images.widths.is_empty() || raw.images.widths.contains(&0) || !(1..=100).contains(&raw.images.quality) {
        let (l, c) = places.value("images");
        let message =
            "[images]: expected `widths` such as [480, 800, 1200, 1600] (none 0) and a `quality` from 1 to 100";
        problems.push(config_error(l, c, message));
    }
    let tz = timezone.as_ref().copied().unwrap_or(Tz::UTC);
    let languages = super::languages::languages(
        &raw.language,
        &raw.title,
        &raw.description,
        raw.languages.clone(),
        places,
        &mut problems,
    );
    let languages = with_breaking(languages, &raw.languages, tz, places, &mut problems);
    let direction = languages.first().map_or_else(|| super::direction_of(&raw.language), |l| l.direction);
    if raw.per_page < 1 {
        let (l, c) = places.value("per_page");
        problems.push(config_error(l, c, "`per_page` must be 1 or more"));
    }
    match (urls, timezone) {
        (Ok(urls), Ok(timezone)) if problems.is_empty() => Ok(Config {
            title: raw.title,
            description: raw.description,
            words: std::sync::Arc::new(super::words::Words::builtin(&raw.language)),
            language: raw.language,
            direction,
            languages,
            timezone,
            per_page: raw.per_page as usize,
            authors: raw.authors,
            series: raw.series,
            related: raw.related,
            breaking,
            reactions,
            feeds: raw.feeds,
            sitemap: raw.sitemap,
            syndication: raw.syndication,
            cname,
            search: raw.search,
            live: raw.live,
            unsafe_html: raw.unsafe_html,
            content: raw.content,
            menus,
            identity,
            share: raw.share,
            images: raw.images,
            extra: raw.extra,
            urls,
            permalink,
        }),
        _ => Err(problems),
    }
}

/// The site's address (`--base-url` wins over `base_url`).
fn base_url(
    written: &str,
    base_url_override: Option<&str>,
    places: &Places,
    problems: &mut Vec<Diagnostic>,
) -> Result<Urls, ()> {
    let base_url = base_url_override.unwrap_or(written);
    Urls::parse(base_url).map_err(|msg| {
        let (l, c) = if base_url_override.is_some() { (1, 1) } else { places.value("base_url") };
        problems.push(config_error(l, c, msg));
    })
}

/// `timezone`: an IANA name.
fn timezone(written: &str, places: &Places, problems: &mut Vec<Diagnostic>) -> Result<Tz, ()> {
    written.parse::<Tz>().map_err(|_| {
        let (l, c) = places.value("timezone");
        problems.push(config_error(
            l,
            c,
            format!(
                "timezone: `{written}` is not a known timezone: expected an IANA name such as `America/Chicago` or `UTC`"
            ),
        ));
    })
}

/// `[breaking]`, its `until` read in the site's timezone.
fn breaking(raw: Option<RawBreaking>, tz: Tz, places: &Places, problems: &mut Vec<Diagnostic>) -> Option<Breaking> {
    raw.and_then(|b| match date::parse(&b.until.0, tz) {
        Ok(until) => Some(Breaking { text: b.text, url: b.url, until, language: None }),
        Err(message) => {
            let (l, c) = places.value("breaking.until");
            problems.push(config_error(l, c, message));
            None
        }
    })
}

/// Each language's own `[languages.<code>.breaking]`, checked as
/// `[breaking]` is (its address by the URL policy, its `until` a date).
fn with_breaking(
    mut languages: Vec<super::Language>,
    written: &std::collections::BTreeMap<String, super::LanguageConfig>,
    tz: Tz,
    places: &Places,
    problems: &mut Vec<Diagnostic>,
) -> Vec<super::Language> {
    for language in &mut languages {
        let Some((code, table)) = written.iter().find(|(c, _)| c.eq_ignore_ascii_case(&language.code)) else {
            continue;
        };
        let Some(raw) = table.breaking.clone() else { continue };
        if let Some(url) = &raw.url
            && let Err(why) = broadsheet_base::safe_url::check(url.trim())
        {
            let (l, c) = places.value(&format!("languages.{code}.breaking.url"));
            problems.push(config_error(l, c, format!("languages.{code}.breaking.url `{url}` is refused: {why}")));
            continue;
        }
        match date::parse(&raw.until.0, tz) {
            Ok(until) => {
                language.breaking = Some(Breaking { text: raw.text, url: raw.url, until, language: None });
            }
            Err(message) => {
                let (l, c) = places.value(&format!("languages.{code}.breaking.until"));
                problems.push(config_error(l, c, message));
            }
        }
    }
    languages
}

/// `reactions = false`, `true` (the default labels) or a `[reactions]` table.
fn reactions(raw: RawReactions) -> Option<Reactions> {
    match raw {
        RawReactions::Enabled(false) => None,
        RawReactions::Enabled(true) => Some(Reactions { labels: default_reaction_labels(), endpoint: None }),
        RawReactions::Table(t) => Some(Reactions { labels: t.labels, endpoint: t.endpoint }),
    }
}

/// `cname`: a bare domain.
fn cname(raw: Option<String>, places: &Places, problems: &mut Vec<Diagnostic>) -> Option<String> {
    let cname = raw.map(|c| c.trim().to_string());
    if let Some(c) = &cname
        && (c.is_empty() || c.contains(['/', ':', ' ']))
    {
        let (l, col) = places.value("cname");
        problems.push(config_error(
            l,
            col,
            format!("`cname` must be a bare domain such as `news.example.com`, not `{c}`"),
        ));
    }
    cname
}

/// `[permalinks] article`, or the default pattern.
fn permalink(written: Option<&str>, places: &Places, problems: &mut Vec<Diagnostic>) -> Permalink {
    match written.map(Permalink::parse) {
        None => Permalink::default(),
        Some(Ok(pattern)) => pattern,
        Some(Err(message)) => {
            let (l, c) = places.value("permalinks.article");
            problems.push(config_error(l, c, format!("[permalinks] article: {message}")));
            Permalink::default()
        }
    }
}

/// The entries of `[[menus.<name>]]`: each a `page` or a `url` with a
/// `title`, keeping the line of its target for the build's checks.
fn menu(name: &str, entries: Vec<RawMenuEntry>, places: &Places, problems: &mut Vec<Diagnostic>) -> Vec<MenuEntry> {
    let at = |key: &str| places.value(key);
    entries
        .into_iter()
        .enumerate()
        .filter_map(|(i, e)| {
            let entry = format!("menus.{name}.{i}");
            let (target, key) = match (e.page, e.url) {
                (Some(page), None) => (MenuTarget::Page(page.trim_matches('/').to_string()), "page"),
                (None, Some(url)) if e.title.is_some() => (MenuTarget::Url(url), "url"),
                (None, Some(_)) => {
                    let (l, c) = at(&format!("{entry}.url"));
                    let message = format!("[[menus.{name}]] entry {}: a `url` needs a `title` to show", i + 1);
                    problems.push(config_error(l, c, message));
                    return None;
                }
                (page, _) => {
                    let (l, c) = at(&entry);
                    let found = if page.is_some() { "both" } else { "neither" };
                    let message = format!(
                        "[[menus.{name}]] entry {}: expected `page = \"about\"` (a standalone page) or `url = \"/corrections/\"`, found {found}",
                        i + 1
                    );
                    problems.push(config_error(l, c, message));
                    return None;
                }
            };
            Some(MenuEntry { title: e.title, target, at: at(&format!("{entry}.{key}")) })
        })
        .collect()
}

/// The site's look: the files it names (`logo`, `favicon`,
/// `apple_touch_icon`, `share_image`, in that order) and `theme_color`.
fn identity(
    files: [Option<String>; 4],
    theme_color: Option<String>,
    places: &Places,
    problems: &mut Vec<Diagnostic>,
) -> Identity {
    let named = |key: &'static str, path: Option<String>| {
        path.map(|path| NamedFile { path: path.trim().to_string(), key, at: places.value(key) })
    };
    let theme_color = theme_color.unwrap_or_else(|| ACCENT.to_string());
    let hex =
        theme_color.strip_prefix('#').filter(|h| matches!(h.len(), 3 | 6) && h.chars().all(|c| c.is_ascii_hexdigit()));
    if hex.is_none() {
        let (l, c) = places.value("theme_color");
        let message =
            format!("theme_color: expected a colour such as \"#a4161a\" (# and six hex digits), found {theme_color:?}");
        problems.push(config_error(l, c, message));
    }
    let [logo, favicon, apple_touch_icon, share_image] = files;
    Identity {
        logo: named("logo", logo),
        favicon: named("favicon", favicon),
        apple_touch_icon: named("apple_touch_icon", apple_touch_icon),
        share_image: named("share_image", share_image),
        theme_color,
        logo_size: None,
        stylesheets: Vec::new(),
    }
}
