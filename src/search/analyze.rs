//! Words as the search index and the search page both see them: runs of
//! letters, digits and marks, lower-cased, with diacritics removed
//! ("Zoë" is "zoe"), then stemmed by the site's language ("strikes" is
//! "strike"). `static/js/search.js` splits and folds a query the same way;
//! stemming happens here only, and the index tells the page which stem each
//! word of the site has.

use std::cell::RefCell;

use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::UnicodeNormalization as _;
use unicode_normalization::char::is_combining_mark;

/// Longer "words" (pasted hashes, base64, URLs without punctuation) are
/// not indexed; the page ignores them in queries too.
pub const MAX_WORD_CHARS: usize = 32;

/// The site's stemmer, if its language has one.
pub struct Analyzer {
    language: String,
    stemmer: Option<Stemmer>,
}

impl Analyzer {
    /// `language` is the site's (`en`, `pt-BR`, ...); languages without a
    /// Snowball stemmer are indexed by whole words.
    pub fn new(language: &str) -> Analyzer {
        let code = language.split(['-', '_']).next().unwrap_or("").to_lowercase();
        let algorithm = match code.as_str() {
            "ar" => Some(Algorithm::Arabic),
            "da" => Some(Algorithm::Danish),
            "nl" => Some(Algorithm::Dutch),
            "en" => Some(Algorithm::English),
            "fi" => Some(Algorithm::Finnish),
            "fr" => Some(Algorithm::French),
            "de" => Some(Algorithm::German),
            "el" => Some(Algorithm::Greek),
            "hu" => Some(Algorithm::Hungarian),
            "it" => Some(Algorithm::Italian),
            "no" | "nb" | "nn" => Some(Algorithm::Norwegian),
            "pt" => Some(Algorithm::Portuguese),
            "ro" => Some(Algorithm::Romanian),
            "ru" => Some(Algorithm::Russian),
            "es" => Some(Algorithm::Spanish),
            "sv" => Some(Algorithm::Swedish),
            "ta" => Some(Algorithm::Tamil),
            "tr" => Some(Algorithm::Turkish),
            _ => None,
        };
        Analyzer { language: code, stemmer: algorithm.map(Stemmer::create) }
    }

    /// Calls `each(word, stem)` for every indexed word of `text`, in order:
    /// the folded word and its stem.
    pub fn words(&self, text: &str, mut each: impl FnMut(&str, &str)) {
        let mut folded = String::new();
        let Some(stemmer) = &self.stemmer else {
            for word in split(text) {
                if fold(word, &mut folded) {
                    each(&folded, &folded);
                }
            }
            return;
        };
        // One borrow of the memo for the whole text (`each` never analyses).
        STEMS.with(|memo| {
            let mut memo = memo.borrow_mut();
            if memo.language != self.language {
                memo.stems.clear();
                memo.language.clone_from(&self.language);
            }
            for word in split(text) {
                if !fold(word, &mut folded) {
                    continue;
                }
                if let Some(stem) = memo.stems.get(folded.as_str()) {
                    each(&folded, stem);
                    continue;
                }
                if memo.stems.len() > MEMO_LIMIT {
                    memo.stems.clear();
                }
                let stem: Box<str> = stemmer.stem(&folded).into();
                each(&folded, &stem);
                memo.stems.insert(folded.as_str().into(), stem);
            }
        });
    }
}

/// Stems already worked out on this thread: most words of a site recur, and
/// a Snowball stemmer costs far more than a lookup.
struct Memo {
    language: String,
    stems: ahash::AHashMap<Box<str>, Box<str>>,
}

const MEMO_LIMIT: usize = 500_000;

thread_local! {
    static STEMS: RefCell<Memo> = RefCell::new(Memo { language: String::new(), stems: ahash::AHashMap::new() });
}

fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    c.is_alphanumeric() || is_combining_mark(c)
}

/// The runs of letters, digits and combining marks of `text`.
pub fn split(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !is_word_char(c)).filter(|w| !w.is_empty())
}

/// Lower-cases `word` and removes its diacritics into `out`; false when the
/// word is not indexed (a single letter, or longer than
/// [`MAX_WORD_CHARS`]).
pub fn fold(word: &str, out: &mut String) -> bool {
    out.clear();
    if word.is_ascii() {
        out.extend(word.bytes().map(|b| b.to_ascii_lowercase() as char));
    } else {
        out.extend(word.to_lowercase().nfd().filter(|&c| !is_combining_mark(c)));
    }
    let mut chars = out.chars();
    match (chars.next(), chars.next()) {
        (None, _) => false,
        (Some(c), None) => c.is_numeric(),
        _ => out.chars().count() <= MAX_WORD_CHARS,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(language: &str, text: &str) -> Vec<(String, String)> {
        let mut out = Vec::new();
        Analyzer::new(language).words(text, |w, s| out.push((w.to_string(), s.to_string())));
        out
    }

    #[test]
    fn words_are_folded_and_stemmed() {
        let got = words("en-GB", "Strikes at the FERRY: Zoë's café, 2024!");
        let pairs: Vec<(&str, &str)> = got.iter().map(|(w, s)| (w.as_str(), s.as_str())).collect();
        assert_eq!(
            pairs,
            [
                ("strikes", "strike"),
                ("at", "at"),
                ("the", "the"),
                ("ferry", "ferri"),
                ("zoe", "zoe"),
                ("cafe", "cafe"),
                ("2024", "2024")
            ]
        );
    }

    #[test]
    fn decomposed_accents_fold_like_composed_ones() {
        assert_eq!(words("fr", "Zoe\u{308}"), words("fr", "Zoë"));
    }

    #[test]
    fn single_letters_and_very_long_runs_are_not_words() {
        let long = "x".repeat(MAX_WORD_CHARS + 1);
        assert_eq!(words("en", &format!("a 7 {long} ok")), [("7".into(), "7".into()), ("ok".into(), "ok".into())]);
    }

    #[test]
    fn a_language_without_a_stemmer_keeps_whole_words() {
        assert_eq!(words("ja", "Strikes"), [("strikes".into(), "strikes".into())]);
    }
}
