//! `[languages.<code>]`: the languages a site publishes in besides its
//! default `language`, each with its own title, description, name (as the
//! language switcher shows it) and writing direction (from the script
//! unless written). A site without the table has one language and builds
//! exactly as before.

use serde::{Deserialize, Serialize};
use unic_langid::{CharacterDirection, LanguageIdentifier};

use super::config_error;
use super::keys::Places;
use broadsheet_base::diagnostic::Diagnostic;

/// `[languages.<code>]` as written.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LanguageConfig {
    /// The site's title in this language (the default language's is `title`).
    pub title: Option<String>,
    /// The site's description in this language (the default language's is
    /// `description`).
    pub description: Option<String>,
    /// The language's name in itself, for the language switcher ("Français").
    pub name: Option<String>,
    /// `"ltr"` or `"rtl"`; the script's direction when not written.
    pub direction: Option<Direction>,
    /// The language's own breaking-news banner (as `[breaking]`).
    pub(super) breaking: Option<super::RawBreaking>,
}

/// Which way a language's script runs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// Left to right (Latin, Cyrillic, Greek, CJK...).
    #[default]
    Ltr,
    /// Right to left (Arabic, Hebrew, Persian, Urdu...).
    Rtl,
}

impl Direction {
    /// As HTML's `dir` attribute writes it: `ltr` or `rtl`.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Ltr => "ltr",
            Direction::Rtl => "rtl",
        }
    }
}

/// One of the site's languages, validated.
#[derive(Debug, Clone)]
pub struct Language {
    /// The code as `site.toml` writes it (`fr`, `pt-BR`): the folder its
    /// pages are built in (so a moved site keeps its old addresses), and,
    /// in any case, the suffix of its files (`story.fr.md`).
    pub code: String,
    /// The tag as `lang` attributes write it (`pt-BR`).
    pub tag: String,
    /// Its name in itself, for the language switcher: `name`, else the usual
    /// one for common languages, else the tag.
    pub name: String,
    /// `direction`, else the direction of its script.
    pub direction: Direction,
    /// The site's title in this language: `title` of its table, else the site's
    /// `title`.
    pub title: String,
    /// The site's description in this language: `description` of its table,
    /// else the site's.
    pub description: String,
    /// Its own breaking-news banner, if `site.toml` gives one.
    pub breaking: Option<super::Breaking>,
}

/// The direction `tag`'s script runs in (Arabic, Hebrew, Persian, Urdu...
/// right to left), by CLDR's likely scripts.
pub fn direction_of(tag: &str) -> Direction {
    match tag.parse::<LanguageIdentifier>().map(|id| id.character_direction()) {
        Ok(CharacterDirection::RTL) => Direction::Rtl,
        _ => Direction::Ltr,
    }
}

/// `tag` in its usual written form (`pt-BR`, `zh-Hant`), or `None` when it
/// is no BCP 47 language tag.
pub(super) fn canonical(tag: &str) -> Option<String> {
    let id: LanguageIdentifier = tag.parse().ok()?;
    Some(id.to_string())
}

/// The name of a language in itself, for the switcher, when `site.toml`
/// gives none: the common ones, else the tag.
fn own_name(code: &str) -> String {
    const NAMES: [(&str, &str); 32] = [
        ("ar", "العربية"),
        ("bn", "বাংলা"),
        ("ca", "Català"),
        ("cs", "Čeština"),
        ("da", "Dansk"),
        ("de", "Deutsch"),
        ("el", "Ελληνικά"),
        ("en", "English"),
        ("es", "Español"),
        ("fa", "فارسی"),
        ("fi", "Suomi"),
        ("fr", "Français"),
        ("he", "עברית"),
        ("hi", "हिन्दी"),
        ("hu", "Magyar"),
        ("id", "Bahasa Indonesia"),
        ("it", "Italiano"),
        ("ja", "日本語"),
        ("ko", "한국어"),
        ("nl", "Nederlands"),
        ("no", "Norsk"),
        ("pl", "Polski"),
        ("pt", "Português"),
        ("ro", "Română"),
        ("ru", "Русский"),
        ("sv", "Svenska"),
        ("sw", "Kiswahili"),
        ("tr", "Türkçe"),
        ("uk", "Українська"),
        ("ur", "اردو"),
        ("vi", "Tiếng Việt"),
        ("zh", "中文"),
    ];
    let base = code.split('-').next().unwrap_or(code);
    NAMES.iter().find(|(c, _)| *c == base).map_or_else(|| code.to_string(), |(_, n)| (*n).to_string())
}

/// The site's languages, the default first, or none when `site.toml` has
/// no `[languages]` table; each bad code at its line.
pub(super) fn languages(
    default: &str,
    title: &str,
    description: &str,
    written: std::collections::BTreeMap<String, LanguageConfig>,
    places: &Places,
    problems: &mut Vec<Diagnostic>,
) -> Vec<Language> {
    if written.is_empty() {
        return Vec::new();
    }
    let default_code = default.to_ascii_lowercase();
    let mut others = Vec::new();
    let mut default_table = LanguageConfig::default();
    for (code, table) in written {
        let Some(tag) = canonical(&code).filter(|_| code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')) else {
            let (line, column) = places.key(&format!("languages.{code}"));
            let message = format!(
                "languages: `{code}` is not a language tag: expected a BCP 47 code such as `fr`, `es`, `ar` or `pt-BR`"
            );
            problems.push(config_error(line, column, message));
            continue;
        };
        if code.to_ascii_lowercase() == default_code {
            default_table = table;
            continue;
        }
        others.push((places.key(&format!("languages.{code}")), code, tag, table));
    }
    // In the order site.toml lists them (the switcher's order).
    others.sort_by_key(|(at, _, _, _)| *at);
    let make = |code: String, tag: String, table: LanguageConfig, title: &str, description: &str| Language {
        code,
        name: table.name.unwrap_or_else(|| own_name(&tag.to_ascii_lowercase())),
        direction: table.direction.unwrap_or_else(|| direction_of(&tag)),
        title: table.title.unwrap_or_else(|| title.to_string()),
        description: table.description.unwrap_or_else(|| description.to_string()),
        breaking: None,
        tag,
    };
    let default_tag = canonical(default).unwrap_or_else(|| default.to_string());
    let mut all = vec![make(default.to_string(), default_tag, default_table, title, description)];
    all.extend(others.into_iter().map(|(_, code, tag, table)| make(code, tag, table, title, description)));
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arabic_and_hebrew_run_right_to_left_and_others_left_to_right() {
        assert_eq!(direction_of("ar"), Direction::Rtl);
        assert_eq!(direction_of("he"), Direction::Rtl);
        assert_eq!(direction_of("fa"), Direction::Rtl);
        assert_eq!(direction_of("fr"), Direction::Ltr);
        assert_eq!(direction_of("zh-Hant"), Direction::Ltr);
    }

    #[test]
    fn tags_are_written_as_bcp_47_writes_them() {
        assert_eq!(canonical("pt-br").as_deref(), Some("pt-BR"));
        assert_eq!(canonical("not a tag"), None);
    }
}
