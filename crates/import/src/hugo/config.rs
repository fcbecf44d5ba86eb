//! A Hugo site's configuration: `hugo.toml` (or `config.*`, or the files
//! of `config/_default/` merged), resolved for one language (a
//! multilingual import resolves it for each):
//! its content folder, URL prefix, timezone, title and base URL,
//! permalink patterns, `uglyURLs` and path case.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use anyhow::anyhow;
use serde_json::{Map, Value};

use super::Site;
use super::tree::Tree;
use crate::common::{get, read_config, text_of};
use crate::{Imported, Options};

impl Site {
    pub(super) fn new(
        config: &Map<String, Value>,
        opts: &Options,
        source: &Path,
        config_name: &str,
        imported: &mut Imported,
    ) -> Site {
        let s = |key: &str| get(config, key).and_then(text_of).unwrap_or_default();
        let default_lang = Some(s("defaultContentLanguage")).filter(|l| !l.is_empty()).unwrap_or_else(|| "en".into());
        let lang = opts.language.clone().unwrap_or_else(|| default_lang.clone());
        let languages_table = get(config, "languages").and_then(Value::as_object).cloned().unwrap_or_default();
        let mut languages: BTreeSet<String> = languages_table.keys().cloned().collect();
        languages.insert(default_lang.clone());
        languages.insert(lang.clone());
        if opts.language.is_some() && !languages_table.is_empty() && !languages_table.keys().any(|k| k == &lang) {
            imported.note(
                config_name,
                format!("the site declares no language `{lang}`: content in no language folder was read"),
            );
        }
        let this_lang =
            languages_table.iter().find(|(k, _)| k.eq_ignore_ascii_case(&lang)).and_then(|(_, v)| v.as_object());
        let (content, own_dir) = content_dir(config, source, this_lang, &lang);
        let in_subdir = get(config, "defaultContentLanguageInSubdir").and_then(Value::as_bool).unwrap_or(false);
        let prefix = if lang != default_lang || in_subdir { format!("{lang}/") } else { String::new() };
        let tz_name = s("timeZone");
        let tz: chrono_tz::Tz = tz_name.parse().unwrap_or(chrono_tz::UTC);
        if !tz_name.is_empty() {
            imported.timezone = Some(tz_name);
        }
        let base_url = site_values(config, this_lang, (&lang, &default_lang), config_name, imported);
        let permalinks = permalinks(config, this_lang);
        let (ugly_all, ugly_sections) = ugly_urls(config, this_lang);
        let lower =
            !get(config, "disablePathToLower").is_some_and(|v| v.as_bool() == Some(true) || v.as_str() == Some("true"));
        let taxonomies = taxonomies(config, this_lang);
        Site {
            in_subdir,
            taxonomies,
            terms: BTreeMap::new(),
            section_dirs: BTreeSet::new(),
            tree: Tree::default(),
            imported_langs: BTreeSet::new(),
            shares: BTreeSet::new(),
            own_host: None,
            ugly_all,
            ugly_sections,
            lower,
            source: source.to_path_buf(),
            content,
            own_dir,
            lang,
            default_lang,
            languages,
            prefix,
            tz,
            base_url,
            permalinks,
        }
    }

    /// Whether pages of `section` are written as `x.html`.
    pub(super) fn ugly(&self, section: &str) -> bool {
        self.ugly_sections.get(&section.to_lowercase()).copied().unwrap_or(self.ugly_all)
    }
}

/// The taxonomies (singular → plural, `topic = "topics"`), the language's
/// own over the site's; Hugo's two when none is declared.
fn taxonomies(config: &Map<String, Value>, this_lang: Option<&Map<String, Value>>) -> Vec<(String, String)> {
    let declared = this_lang.and_then(|l| get(l, "taxonomies")).or_else(|| get(config, "taxonomies"));
    match declared.and_then(Value::as_object) {
        Some(table) => table
            .iter()
            .filter_map(|(one, many)| Some((one.to_lowercase(), text_of(many)?.trim().to_lowercase())))
            .filter(|(_, many)| !many.is_empty())
            .collect(),
        None => vec![("tag".into(), "tags".into()), ("category".into(), "categories".into())],
    }
}

/// Where this language's content is, and whether the folder is its own
/// (`contentDir`, a mount, `content/<lang>/`).
fn content_dir(
    config: &Map<String, Value>,
    source: &Path,
    this_lang: Option<&Map<String, Value>>,
    lang: &str,
) -> (PathBuf, bool) {
    let s = |key: &str| get(config, key).and_then(text_of).unwrap_or_default();
    let mut own_dir = false;
    let mut content = source.join("content");
    if let Some(dir) = this_lang.and_then(|l| get(l, "contentDir")).and_then(text_of) {
        content = source.join(dir);
        own_dir = true;
    } else if let Some(dir) = get(config, "contentDir").and_then(text_of) {
        content = source.join(dir);
    } else if let Some(mount) = mounts(config, lang) {
        content = source.join(mount);
        own_dir = true;
    }
    if !own_dir
        && content.join(lang).is_dir()
        && (config.keys().any(|k| k.eq_ignore_ascii_case("languages")) || !s("defaultContentLanguage").is_empty())
    {
        content = content.join(lang);
        own_dir = true;
    }
    (content, own_dir)
}

/// Site-wide values, the language's own first: title, description, logo,
/// favicon, language and base URL (returned, with a note when it is not
/// an address).
fn site_values(
    config: &Map<String, Value>,
    this_lang: Option<&Map<String, Value>>,
    (lang, default_lang): (&str, &str),
    config_name: &str,
    imported: &mut Imported,
) -> String {
    let s = |key: &str| get(config, key).and_then(text_of).unwrap_or_default();
    let lang_value = |key: &str| {
        this_lang
            .and_then(|l| get(l, key).or_else(|| get(l, "params").and_then(Value::as_object).and_then(|p| get(p, key))))
            .and_then(text_of)
    };
    imported.title = lang_value("title").unwrap_or_else(|| s("title"));
    let params = get(config, "params").and_then(Value::as_object);
    imported.description = lang_value("description")
        .or_else(|| params.and_then(|p| get(p, "description")).and_then(text_of))
        .unwrap_or_else(|| s("description"));
    let param = |key: &str| lang_value(key).or_else(|| params.and_then(|p| get(p, key)).and_then(text_of));
    imported.logo = param("logo");
    imported.favicon = param("favicon");
    imported.language = lang_value("languageCode")
        .or_else(|| Some(s("languageCode")).filter(|l| !l.is_empty() && lang == default_lang))
        .or_else(|| Some(lang.to_string()));
    let base = lang_value("baseURL").unwrap_or_else(|| s("baseURL"));
    let base_url = if base.trim().is_empty() || base.trim() == "/" || !base.contains("://") {
        imported.note(
            config_name,
            format!("baseURL is `{}`, not the site's address: set base_url in site.toml", base.trim()),
        );
        "https://example.com/".to_string()
    } else {
        format!("{}/", base.trim().trim_end_matches('/'))
    };
    imported.base_url = base_url.clone();
    base_url
}

/// Section → permalink pattern, the language's own over the site's.
fn permalinks(config: &Map<String, Value>, this_lang: Option<&Map<String, Value>>) -> BTreeMap<String, String> {
    let mut permalinks = BTreeMap::new();
    let tables = [Some(config), this_lang];
    for table in tables.into_iter().flatten() {
        if let Some(p) = get(table, "permalinks").and_then(Value::as_object) {
            for (key, value) in p {
                match value {
                    Value::String(pattern) => {
                        permalinks.insert(key.clone(), pattern.clone());
                    }
                    Value::Object(kinds) if key.eq_ignore_ascii_case("page") => {
                        for (section, pattern) in kinds {
                            if let Some(pattern) = pattern.as_str() {
                                permalinks.insert(section.clone(), pattern.to_string());
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    permalinks
}

/// `uglyURLs`: for every page, and per section.
fn ugly_urls(config: &Map<String, Value>, this_lang: Option<&Map<String, Value>>) -> (bool, BTreeMap<String, bool>) {
    let (mut ugly_all, mut ugly_sections) = (false, BTreeMap::new());
    for table in [Some(config), this_lang].into_iter().flatten() {
        match get(table, "uglyURLs") {
            Some(Value::Bool(b)) => ugly_all = *b,
            Some(Value::String(b)) => ugly_all = b == "true",
            Some(Value::Object(per)) => {
                for (section, on) in per {
                    let on = on.as_bool().unwrap_or(on.as_str() == Some("true"));
                    ugly_sections.insert(section.to_lowercase(), on);
                }
            }
            _ => {}
        }
    }
    (ugly_all, ugly_sections)
}

/// The content folder a module mount gives (`content/en` → `content`).
fn mounts(config: &Map<String, Value>, lang: &str) -> Option<String> {
    let module = get(config, "module").and_then(Value::as_object)?;
    let mounts = get(module, "mounts").and_then(Value::as_array)?;
    mounts.iter().filter_map(Value::as_object).find_map(|m| {
        let target = get(m, "target").and_then(text_of)?;
        let for_lang = get(m, "lang").and_then(text_of);
        (target.trim_matches('/') == "content" && for_lang.is_none_or(|l| l == lang))
            .then(|| get(m, "source").and_then(text_of))
            .flatten()
    })
}

/// The site's configuration and the name of its file, for notes.
pub(super) fn load_config(source: &Path) -> broadsheet_base::error::Result<(Map<String, Value>, String)> {
    const NAMES: &[&str] =
        &["hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json", "config.toml", "config.yaml", "config.yml", "config.json"];
    if let Some(name) = NAMES.iter().find(|n| source.join(n).is_file()) {
        return Ok((read_config(&source.join(name))?, name.to_string()));
    }
    let dir = source.join("config").join("_default");
    if dir.is_dir() {
        let mut merged = Map::new();
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .map_err(|e| anyhow!("cannot read {}: {e}", dir.display()))?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| {
                p.extension().and_then(|e| e.to_str()).is_some_and(|e| matches!(e, "toml" | "yaml" | "yml" | "json"))
            })
            .collect();
        // hugo.* / config.* first, so the others land on top.
        files.sort_by_key(|p| {
            let stem = p.file_stem().and_then(|s| s.to_str()).unwrap_or("").to_string();
            (!matches!(stem.as_str(), "hugo" | "config"), stem)
        });
        for file in files {
            let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or("").to_string();
            let table = read_config(&file)?;
            if matches!(stem.as_str(), "hugo" | "config") {
                merged.extend(table);
            } else {
                match merged.get_mut(&stem) {
                    Some(Value::Object(existing)) => existing.extend(table),
                    _ => {
                        merged.insert(stem, Value::Object(table));
                    }
                }
            }
        }
        return Ok((merged, "config/_default/".to_string()));
    }
    Err(anyhow!(
        "{}: this is not a Hugo site: expected hugo.toml (or config.toml, hugo.yaml, config/_default/)",
        source.display()
    )
    .into())
}
