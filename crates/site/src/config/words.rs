//! Every word Broadsheet itself puts on a page: the templates' phrases
//! (seen as `t`), the titles and descriptions of the index pages, counted
//! phrases ("3 stories") and the formats of dates. One file per language
//! in the repository's `i18n/` (built in), which a site changes key by key
//! with its own `i18n/<code>.toml` beside `site.toml`; a key missing in a
//! language is taken from English. `{}` in a phrase stands for the name or
//! number it describes, filled in order.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, TimeZone};
use include_dir::{Dir, include_dir};
use intl_pluralrules::{PluralCategory, PluralRuleType, PluralRules};
use unic_langid::LanguageIdentifier;

use broadsheet_base::diagnostic::{Diagnostic, line_col, suggest};

static BUILTIN: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/../../i18n");

/// Where a site keeps its own words, beside `site.toml`.
pub const SITE_FOLDER: &str = broadsheet_base::layout::I18N;

/// The CLDR plural categories a counted phrase may name.
const CATEGORIES: [&str; 6] = ["zero", "one", "two", "few", "many", "other"];

/// Keys a words file may hold beyond English's.
const OPTIONAL_KEYS: [&str; 1] = ["time_format"];

/// One phrase: plain, or one form per plural category.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Phrase {
    /// A phrase with no plural forms, as written (`{}` stands for what is
    /// filled in).
    Text(String),
    /// A counted phrase: its forms by CLDR plural category (`one`, `few`,
    /// `other`...); `other` is always there.
    Counted(BTreeMap<String, String>),
}

/// The words of one language.
#[derive(Clone)]
pub struct Words {
    /// The language code the words are for (`fr-CA`), as `site.toml` says it.
    language: String,
    phrases: BTreeMap<String, Phrase>,
    /// CLDR's plural rules for the language (English's are built in).
    plurals: Option<PluralRules>,
    /// Month names in the language; none for English (chrono's own).
    locale: Option<chrono::Locale>,
}

impl std::fmt::Debug for Words {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Words").field("language", &self.language).field("phrases", &self.phrases.len()).finish()
    }
}

impl PartialEq for Words {
    fn eq(&self, other: &Words) -> bool {
        self.language == other.language && self.phrases == other.phrases
    }
}

impl Default for Words {
    fn default() -> Words {
        Words::builtin("en")
    }
}

/// The words of `language` for the site at `root`: the built-in words with
/// the site's own `i18n/` files over them, and the problems in those files.
pub fn load(root: &Path, language: &str) -> (Words, Vec<Diagnostic>) {
    let mut words = Words::builtin(language);
    let mut problems = Vec::new();
    let known: Vec<&str> = english().keys().map(String::as_str).chain(OPTIONAL_KEYS).collect();
    // Each code's built-in words, then the site's: a site's English word
    // stands where its language has none of its own.
    words.phrases = english().clone();
    let mut own_words = false;
    for code in chain(language) {
        if code != "en" {
            let builtin = builtin_phrases(&code);
            own_words |= !builtin.is_empty();
            words.phrases.extend(builtin);
        } else {
            own_words |= language.split(['-', '_']).next().is_some_and(|l| l.eq_ignore_ascii_case("en"));
        }
        let Some((relative, text)) = site_file(root, &code) else { continue };
        own_words |= code != "en";
        match parse(&text, &relative, &known) {
            Ok((phrases, mut warnings)) => {
                problems.append(&mut warnings);
                words.phrases.extend(phrases);
            }
            Err(e) => problems.push(e),
        }
    }
    if !own_words {
        let message = format!(
            "no words for `{language}`: its pages show Broadsheet's English words (write i18n/{language}.toml with the phrases of i18n/en.toml in your language; English, French, Spanish and Arabic are built in)"
        );
        problems.push(Diagnostic::warning(broadsheet_base::layout::CONFIG, 1, 1, message));
    }
    (words, problems)
}

/// `i18n/<code>.toml` under `root`, matched without regard to case or to
/// `_` for `-`: its path relative to `root` and its text.
fn site_file(root: &Path, code: &str) -> Option<(PathBuf, String)> {
    let folder = root.join(SITE_FOLDER);
    let entries = std::fs::read_dir(&folder).ok()?;
    let mut names: Vec<String> = entries.filter_map(|e| e.ok()?.file_name().into_string().ok()).collect();
    names.sort();
    let name = names
        .into_iter()
        .find(|n| n.strip_suffix(".toml").is_some_and(|stem| stem.replace('_', "-").eq_ignore_ascii_case(code)))?;
    let relative = Path::new(SITE_FOLDER).join(&name);
    let text = broadsheet_base::confine::read_to_string(root, &relative).ok()?;
    Some((relative, text))
}

/// The codes whose files make up `language`'s words, English first, the
/// most specific last: `fr-CA` reads `en`, `fr`, then `fr-ca`.
fn chain(language: &str) -> Vec<String> {
    let code = language.trim().replace('_', "-").to_ascii_lowercase();
    let mut codes = vec!["en".to_string()];
    let parts: Vec<&str> = code.split('-').filter(|p| !p.is_empty()).collect();
    for n in 1..=parts.len() {
        let prefix = parts[..n].join("-");
        if !codes.contains(&prefix) {
            codes.push(prefix);
        }
    }
    codes
}

/// A built-in words file by code (`pt-BR` matches `pt-br`).
fn builtin_file(code: &str) -> Option<(&'static str, &'static str)> {
    BUILTIN.files().find_map(|f| {
        let name = f.path().to_str()?;
        let stem = name.strip_suffix(".toml")?;
        (stem.replace('_', "-").eq_ignore_ascii_case(code)).then_some((name, f.contents_utf8()?))
    })
}

/// The phrases of the built-in file of `code`, if there is one.
fn builtin_phrases(code: &str) -> BTreeMap<String, Phrase> {
    builtin_file(code)
        .and_then(|(name, text)| parse(text, &Path::new(SITE_FOLDER).join(name), &[]).ok())
        .map(|(phrases, _)| phrases)
        .unwrap_or_default()
}

/// The built-in English phrases.
fn english() -> &'static BTreeMap<String, Phrase> {
    static ENGLISH: std::sync::OnceLock<BTreeMap<String, Phrase>> = std::sync::OnceLock::new();
    ENGLISH.get_or_init(|| builtin_phrases("en"))
}

/// The phrases of a words file, with a warning for each key English does
/// not have (when `known` lists them) or value that is not a phrase.
fn parse(text: &str, path: &Path, known: &[&str]) -> Result<(BTreeMap<String, Phrase>, Vec<Diagnostic>), Diagnostic> {
    use toml::de::{DeTable, DeValue};
    let doc = DeTable::parse(text).map_err(|e| {
        let (line, column) = e.span().map_or((1, 1), |s| line_col(text, s.start));
        Diagnostic::error(path, line, column, broadsheet_base::diagnostic::explain_serde_message(e.message()))
    })?;
    let mut phrases = BTreeMap::new();
    let mut warnings = Vec::new();
    let warn = |warnings: &mut Vec<Diagnostic>, at: usize, message: String| {
        let (line, column) = line_col(text, at);
        warnings.push(Diagnostic::warning(path, line, column, message));
    };
    for (key, value) in doc.get_ref() {
        let name = key.get_ref().to_string();
        if !known.is_empty() && !known.contains(&name.as_str()) {
            let hint = suggest(&name, known).map_or_else(String::new, |s| format!(" (did you mean `{s}`?)"));
            warn(&mut warnings, key.span().start, format!("unknown key `{name}`: no page shows it{hint}"));
            continue;
        }
        match value.get_ref() {
            DeValue::String(s) => {
                phrases.insert(name, Phrase::Text(s.to_string()));
            }
            DeValue::Table(forms) => {
                let mut counted = BTreeMap::new();
                for (category, form) in forms {
                    let category_name = category.get_ref().to_string();
                    match form.get_ref() {
                        DeValue::String(s) if CATEGORIES.contains(&category_name.as_str()) => {
                            counted.insert(category_name, s.to_string());
                        }
                        DeValue::String(_) => warn(
                            &mut warnings,
                            category.span().start,
                            format!(
                                "unknown plural category `{category_name}` in `{name}`: expected zero, one, two, few, many or other"
                            ),
                        ),
                        _ => warn(&mut warnings, form.span().start, format!("`{name}.{category_name}` is not text")),
                    }
                }
                if !counted.contains_key("other") {
                    warn(&mut warnings, key.span().start, format!("`{name}` has no `other` form: English is used"));
                    continue;
                }
                phrases.insert(name, Phrase::Counted(counted));
            }
            _ => warn(&mut warnings, value.span().start, format!("`{name}` is not text or a table of plural forms")),
        }
    }
    Ok((phrases, warnings))
}

/// The plural rules of `language`, or of its base language, or English's.
fn plural_rules(language: &str) -> Option<PluralRules> {
    chain(language)
        .iter()
        .rev()
        .filter_map(|c| c.parse::<LanguageIdentifier>().ok())
        .find_map(|id| PluralRules::create(id, PluralRuleType::CARDINAL).ok())
}

/// chrono's locale for a language code: its region's when named
/// (`pt-BR`), else the language's usual one (`fr` → `fr_FR`). None for
/// English, whose dates chrono writes itself.
pub fn chrono_locale(language: &str) -> Option<chrono::Locale> {
    let code = language.trim().replace('_', "-");
    let mut parts = code.split('-');
    let lang = parts.next()?.to_ascii_lowercase();
    if lang == "en" || lang.is_empty() {
        return None;
    }
    let region = parts.find(|p| p.len() == 2 && p.chars().all(|c| c.is_ascii_alphabetic()));
    if let Some(region) = region
        && let Ok(locale) = chrono::Locale::try_from(format!("{lang}_{}", region.to_ascii_uppercase()).as_str())
    {
        return Some(locale);
    }
    let usual = match lang.as_str() {
        // Month names as most Arabic newspapers print them (يناير, فبراير).
        "ar" => "ar_EG",
        "zh" => "zh_CN",
        "ja" => "ja_JP",
        "ko" => "ko_KR",
        "sv" => "sv_SE",
        "da" => "da_DK",
        "nb" | "no" => "nb_NO",
        "nn" => "nn_NO",
        "el" => "el_GR",
        "he" => "he_IL",
        "uk" => "uk_UA",
        "cs" => "cs_CZ",
        "hi" => "hi_IN",
        "fa" => "fa_IR",
        "ca" => "ca_ES",
        "ga" => "ga_IE",
        "et" => "et_EE",
        "sl" => "sl_SI",
        "vi" => "vi_VN",
        "sr" => "sr_RS",
        "ur" => "ur_PK",
        "sw" => "sw_KE",
        "ms" => "ms_MY",
        "bn" => "bn_IN",
        "ta" => "ta_IN",
        "eu" => "eu_ES",
        "gl" => "gl_ES",
        "cy" => "cy_GB",
        _ => "",
    };
    let fallback = format!("{lang}_{}", lang.to_ascii_uppercase());
    [usual, fallback.as_str()].into_iter().find_map(|name| chrono::Locale::try_from(name).ok())
}

impl Words {
    /// The built-in words of `language` (no site file read).
    pub fn builtin(language: &str) -> Words {
        let mut phrases = english().clone();
        for code in chain(language).into_iter().skip(1) {
            phrases.extend(builtin_phrases(&code));
        }
        Words {
            language: language.to_string(),
            phrases,
            plurals: plural_rules(language),
            locale: chrono_locale(language),
        }
    }

    /// The phrase at `key` (the `other` form of a counted one), or "".
    pub fn get(&self, key: &str) -> &str {
        match self.phrases.get(key) {
            Some(Phrase::Text(s)) => s,
            Some(Phrase::Counted(forms)) => forms.get("other").map_or("", String::as_str),
            None => "",
        }
    }

    /// The phrase at `key` with its `{}` filled by `names`, in order.
    pub fn fill(&self, key: &str, names: &[&dyn std::fmt::Display]) -> String {
        fill_all(self.get(key), names)
    }

    /// The plural category of `n` in the language (`one`, `few`...).
    pub fn category(&self, n: usize) -> &'static str {
        match self.plurals.as_ref().map(|rules| rules.select(n)) {
            Some(Ok(PluralCategory::ZERO)) => "zero",
            Some(Ok(PluralCategory::ONE)) => "one",
            Some(Ok(PluralCategory::TWO)) => "two",
            Some(Ok(PluralCategory::FEW)) => "few",
            Some(Ok(PluralCategory::MANY)) => "many",
            Some(_) => "other",
            None if n == 1 => "one",
            None => "other",
        }
    }

    /// The counted phrase at `key` for `n` ("3 stories"), its other `{}`
    /// filled by `rest`. A form may leave the number out ("خبر واحد").
    pub fn count(&self, key: &str, n: usize, rest: &[&dyn std::fmt::Display]) -> String {
        let phrase = match self.phrases.get(key) {
            Some(Phrase::Counted(forms)) => {
                forms.get(self.category(n)).or_else(|| forms.get("other")).map_or("", String::as_str)
            }
            Some(Phrase::Text(s)) => s.as_str(),
            None => "",
        };
        let mut names: Vec<&dyn std::fmt::Display> = Vec::with_capacity(rest.len() + 1);
        if phrase.matches("{}").count() > rest.len() {
            names.push(&n);
        }
        names.extend_from_slice(rest);
        fill_all(phrase, &names)
    }

    /// `date` in a chrono format, with the language's month and day names.
    pub fn format<Tz: TimeZone>(&self, date: &DateTime<Tz>, format: &str) -> String
    where
        Tz::Offset: std::fmt::Display,
    {
        match self.locale {
            Some(locale) => date.format_localized(format, locale).to_string(),
            None => date.format(format).to_string(),
        }
    }

    /// A date as pages show it (`November 26, 2026`, `26 novembre 2026`).
    pub fn date<Tz: TimeZone>(&self, date: &DateTime<Tz>) -> String
    where
        Tz::Offset: std::fmt::Display,
    {
        self.format(date, self.get("date_format"))
    }

    /// A month archive's name (`November 2026`), or `2026-13` for no month.
    pub fn month(&self, year: i32, month: u32) -> String {
        let Some(day) = NaiveDate::from_ymd_opt(year, month, 1) else { return format!("{year}-{month:02}") };
        let format = self.get("month_format");
        match self.locale {
            Some(locale) => day.format_localized(format, locale).to_string(),
            None => day.format(format).to_string(),
        }
    }

    /// The time of day with the timezone: `time_format` when the words
    /// have one; else `9:30 a.m. EST` in English, as newspapers print it,
    /// and `09:30 EST` in other languages.
    pub fn time_of_day(&self, date: &DateTime<chrono_tz::Tz>) -> String {
        use chrono::Timelike;
        if self.phrases.contains_key("time_format") {
            return self.format(date, self.get("time_format"));
        }
        if self.locale.is_some() {
            return self.format(date, "%H:%M %Z");
        }
        let (afternoon, hour) = date.hour12();
        let half = if afternoon { self.get("after_noon") } else { self.get("before_noon") };
        format!("{hour}:{:02} {half} {}", date.minute(), date.format("%Z"))
    }

    /// chrono's locale for the language's dates (none for English).
    pub fn locale(&self) -> Option<chrono::Locale> {
        self.locale
    }

    /// The language code the words are for.
    pub fn language(&self) -> &str {
        &self.language
    }

    /// The plain phrases, by key: what templates see as `t`.
    pub fn table(&self) -> BTreeMap<&str, &str> {
        self.phrases
            .iter()
            .filter_map(|(k, p)| match p {
                Phrase::Text(s) => Some((k.as_str(), s.as_str())),
                Phrase::Counted(_) => None,
            })
            .collect()
    }

    /// The phrases at `keys` that differ from the built-in English, as a
    /// JSON object for a script's `data-words` (empty when none differ,
    /// so English pages carry no attribute). Counted phrases are objects
    /// of their forms, for the browser's `Intl.PluralRules`.
    pub fn script_words(&self, keys: &[&str]) -> String {
        let english = english();
        let mut out = serde_json::Map::new();
        for &key in keys {
            let Some(phrase) = self.phrases.get(key) else { continue };
            if english.get(key) == Some(phrase) {
                continue;
            }
            let value = match phrase {
                Phrase::Text(s) => serde_json::Value::from(s.as_str()),
                Phrase::Counted(forms) => serde_json::Value::Object(
                    forms.iter().map(|(c, s)| (c.clone(), serde_json::Value::from(s.as_str()))).collect(),
                ),
            };
            out.insert(key.to_string(), value);
        }
        if out.is_empty() { String::new() } else { serde_json::Value::Object(out).to_string() }
    }
}

/// `phrase` with each `{}` replaced by the next of `names`.
pub fn fill_all(phrase: &str, names: &[&dyn std::fmt::Display]) -> String {
    let mut out = String::with_capacity(phrase.len() + 16);
    let mut rest = phrase;
    for name in names {
        let Some(at) = rest.find("{}") else { break };
        out.push_str(&rest[..at]);
        out.push_str(&name.to_string());
        rest = &rest[at + 2..];
    }
    out.push_str(rest);
    out
}

/// `phrase` with its `{}` replaced by `name`.
pub fn fill(phrase: &str, name: impl std::fmt::Display) -> String {
    phrase.replacen("{}", &name.to_string(), 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site_with(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join(SITE_FOLDER)).unwrap();
        for (name, text) in files {
            std::fs::write(dir.path().join(SITE_FOLDER).join(name), text).unwrap();
        }
        dir
    }

    #[test]
    fn a_phrase_names_what_it_describes() {
        let words = Words::builtin("en");
        assert_eq!(fill(words.get("stories_about"), "ferry"), "Stories about ferry");
        assert_eq!(words.fill("page_of", &[&2, &5]), "Page 2 of 5");
        assert_eq!(words.count("stories", 1, &[]), "1 story");
        assert_eq!(words.count("stories", 3, &[]), "3 stories");
    }

    #[test]
    fn a_key_missing_in_a_language_falls_back_to_english() {
        // French has no 12-hour clock words; an unknown language has none at all.
        let fr = Words::builtin("fr");
        assert_eq!(fr.get("before_noon"), "a.m.");
        assert_eq!(fr.get("home"), "Accueil");
        let xx = Words::builtin("xx");
        assert_eq!(xx.get("home"), "Home");
        // A site's file with one key leaves the others as built in.
        let site = site_with(&[("fr.toml", "home = \"Une\"\n")]);
        let (words, problems) = load(site.path(), "fr");
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(words.get("search"), "Recherche");
    }

    #[test]
    fn a_site_override_wins() {
        let site = site_with(&[("fr.toml", "home = \"La une\"\n"), ("en.toml", "latest = \"Just in\"\n")]);
        let (words, problems) = load(site.path(), "fr-CA");
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(words.get("home"), "La une");
        // French's own word beats the site's English one.
        assert_eq!(words.get("latest"), "Dernières actualités");
        let (english, _) = load(site.path(), "en");
        assert_eq!(english.get("latest"), "Just in");
        assert_eq!(english.get("home"), "Home");
    }

    #[test]
    fn an_unknown_key_warns_at_its_line_and_column() {
        let site = site_with(&[("es.toml", "home = \"Inicio\"\n\n  hom = \"Inicio\"\n")]);
        let (words, problems) = load(site.path(), "es");
        assert_eq!(words.get("home"), "Inicio");
        assert_eq!(problems.len(), 1, "{problems:?}");
        let p = &problems[0];
        assert!(!p.is_error());
        assert_eq!((p.path.as_path(), p.line, p.column), (Path::new("i18n/es.toml"), 3, 3));
        assert!(p.message.contains("`hom`") && p.message.contains("`home`"), "{}", p.message);
    }

    #[test]
    fn a_bad_file_is_an_error_at_its_line_and_column() {
        let site = site_with(&[("ar.toml", "home = \"الرئيسية\"\nsearch = \n")]);
        let (words, problems) = load(site.path(), "ar");
        assert_eq!(words.get("home"), "الرئيسية");
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].is_error());
        assert_eq!((problems[0].path.as_path(), problems[0].line), (Path::new("i18n/ar.toml"), 2));
    }

    #[test]
    fn arabic_plurals_have_two_and_few() {
        let ar = Words::builtin("ar");
        assert_eq!(ar.category(2), "two");
        assert_eq!(ar.category(3), "few");
        assert_eq!(ar.category(11), "many");
        assert_eq!(ar.count("stories", 2, &[]), "خبران");
        assert_eq!(ar.count("stories", 3, &[]), "3 أخبار");
        assert_eq!(ar.count("matches", 2, &[&"«ميناء»"]), "خبران يطابقان «ميناء»");
        assert_eq!(Words::builtin("fr").category(0), "one");
    }

    #[test]
    fn a_french_date_reads_as_french() {
        let date = chrono::NaiveDate::from_ymd_opt(2026, 12, 7).unwrap().and_hms_opt(14, 30, 0).unwrap();
        let date = chrono_tz::Europe::Paris.from_local_datetime(&date).unwrap();
        let fr = Words::builtin("fr");
        assert_eq!(fr.date(&date), "7 décembre 2026");
        assert_eq!(fr.month(2026, 8), "août 2026");
        assert_eq!(fr.time_of_day(&date), "14 h 30 CET");
        assert_eq!(Words::builtin("es").date(&date), "7 de diciembre de 2026");
        assert_eq!(Words::builtin("ar").date(&date), "7 ديسمبر 2026");
        let en = Words::builtin("en");
        assert_eq!(en.date(&date), "December 7, 2026");
        assert_eq!(en.time_of_day(&date), "2:30 p.m. CET");
    }

    #[test]
    fn language_codes_find_their_files_and_locales() {
        assert_eq!(chain("pt-BR"), ["en", "pt", "pt-br"]);
        assert_eq!(chain("en-GB"), ["en", "en-gb"]);
        assert_eq!(chrono_locale("pt-BR"), Some(chrono::Locale::pt_BR));
        assert_eq!(chrono_locale("fr"), Some(chrono::Locale::fr_FR));
        assert_eq!(chrono_locale("fr-CA"), Some(chrono::Locale::fr_CA));
        assert_eq!(chrono_locale("de"), Some(chrono::Locale::de_DE));
        assert_eq!(chrono_locale("zh"), Some(chrono::Locale::zh_CN));
        assert_eq!(chrono_locale("en-US"), None);
        assert_eq!(Words::builtin("fr-CA").get("home"), "Accueil");
    }

    #[test]
    fn the_built_in_files_are_whole_and_known() {
        let known: Vec<&str> = english().keys().map(String::as_str).chain(OPTIONAL_KEYS).collect();
        for file in BUILTIN.files() {
            let name = file.path().to_str().unwrap();
            let text = file.contents_utf8().unwrap();
            let (phrases, problems) = parse(text, &Path::new("i18n").join(name), &known).unwrap();
            assert!(problems.is_empty(), "{name}: {problems:?}");
            assert!(phrases.len() > 100, "{name}");
        }
    }
}
