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
pub(crate) const MAX_WORD_CHARS: usize = 32;

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
    /// the folded word and its stem (what the tests check).
    #[cfg(test)]
    pub fn words(&self, text: &str, mut each: impl FnMut(&str, &str)) {
        MEMO.with(|memo| {
            let mut memo = memo.borrow_mut();
            let m = memo.ready(&self.language);
            let mut folded = String::new();
            for raw in split(text) {
                if let Some(k) = m.word(raw, self.stemmer.as_ref(), &mut folded) {
                    each(&m.words[k.word as usize], &m.stems[(k.stem & !DIFFERS) as usize].text);
                }
            }
        });
    }

    /// One document's analysis, as the index keeps it (and
    /// `Postings::add` reads it), from its `parts` (text, and whether it is
    /// the headline):
    ///
    /// - its length in words;
    /// - each stem, in order of first use, with its count (at most 31) and
    ///   three bits: 0x80, it is in the headline; 0x40, it opens the
    ///   headline (what the story is about); 0x20, some word of the document
    ///   is the stem itself (a word a reader could be offered, not
    ///   "harboursid");
    /// - each word whose stem differs, sorted, with its stem's place;
    /// - for each stem, the [`pair_hash`]es of the stems that come right
    ///   after it somewhere in a part (three bytes each), so that the index
    ///   can answer phrases.
    ///
    /// All as varints, strings as a length and UTF-8.
    pub fn document(&self, parts: &[(&str, bool)]) -> Vec<u8> {
        MEMO.with(|memo| {
            let mut memo = memo.borrow_mut();
            let m = memo.ready(&self.language);
            m.generation = m.generation.wrapping_add(1);
            if m.generation == 0 {
                m.listed.iter_mut().for_each(|g| *g = 0);
                m.generation = 1;
            }
            // (stem, count, flags: HEADLINE, LEAD, ITSELF), in order of first use.
            let mut stems: Vec<(u32, u32, u8)> = Vec::new();
            // (word, its stem), for words that differ from their stem.
            let mut words: Vec<(u32, u32)> = Vec::new();
            // (place << 32 | place of the stem after it)
            let mut pairs: Vec<u64> = Vec::new();
            let mut length = 0u32;
            let mut folded = String::new();
            for &(text, headline) in parts {
                let mut previous: Option<usize> = None;
                let mut first = headline;
                for raw in split(text) {
                    let Some(Known { word: w, stem: packed }) = m.word(raw, self.stemmer.as_ref(), &mut folded) else {
                        continue;
                    };
                    length += 1;
                    let (stem, differs) = (packed & !DIFFERS, packed & DIFFERS != 0);
                    let place = match m.stems[stem as usize].place {
                        0 => {
                            stems.push((stem, 0, 0));
                            m.stems[stem as usize].place = stems.len() as u32;
                            stems.len() - 1
                        }
                        p => p as usize - 1,
                    };
                    stems[place].1 += 1;
                    stems[place].2 |= if headline { HEADLINE } else { 0 }
                        | if first { LEAD } else { 0 }
                        | if differs { 0 } else { ITSELF };
                    first = false;
                    if differs && m.listed[w as usize] != m.generation {
                        m.listed[w as usize] = m.generation;
                        words.push((w, stem));
                    }
                    if let Some(p) = previous {
                        pairs.push((p as u64) << 32 | place as u64);
                    }
                    previous = Some(place);
                }
            }
            let mut out = Vec::with_capacity(stems.len() * 12 + pairs.len() * 2);
            varint(&mut out, u64::from(length));
            varint(&mut out, stems.len() as u64);
            for &(stem, count, flags) in &stems {
                let stem = &m.stems[stem as usize].text;
                varint(&mut out, stem.len() as u64);
                out.extend_from_slice(stem.as_bytes());
                out.push(count.min(u32::from(COUNT)) as u8 | flags);
            }
            words.sort_unstable_by(|&(a, _), &(b, _)| m.words[a as usize].cmp(&m.words[b as usize]));
            varint(&mut out, words.len() as u64);
            for &(w, stem) in &words {
                let word = &m.words[w as usize];
                varint(&mut out, word.len() as u64);
                out.extend_from_slice(word.as_bytes());
                varint(&mut out, u64::from(m.stems[stem as usize].place - 1));
            }
            for &(stem, ..) in &stems {
                m.stems[stem as usize].place = 0;
            }
            pairs.sort_unstable();
            pairs.dedup();
            let mut i = 0;
            for place in 0..stems.len() as u64 {
                let start = i;
                while i < pairs.len() && pairs[i] >> 32 == place {
                    i += 1;
                }
                varint(&mut out, (i - start) as u64);
                for &pair in &pairs[start..i] {
                    let after = stems[(pair & 0xffff_ffff) as usize].0;
                    out.extend_from_slice(&m.stems[after as usize].pair_hash.to_le_bytes()[..3]);
                }
            }
            out
        })
    }
}

/// A stem's packed count ([`Analyzer::document`]): the count's bits, and
/// the flags.
pub(crate) const COUNT: u8 = 0x1f;
pub(crate) const HEADLINE: u8 = 0x80;
pub(crate) const LEAD: u8 = 0x40;
pub(crate) const ITSELF: u8 = 0x20;

/// A stem's hash for phrases: FNV-1a of its UTF-8, modulo 36⁴ (four base-36
/// digits; it fits in three bytes). `search.js` works it out the same way.
pub(crate) fn pair_hash(stem: &str) -> u32 {
    let mut hash: u32 = 0x811c_9dc5;
    for &byte in stem.as_bytes() {
        hash = (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193);
    }
    hash % 36u32.pow(4)
}

/// Writes `n` as a little-endian base-128 varint.
pub(crate) fn varint(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// What this thread has already worked out: most words of a site recur,
/// and folding and a Snowball stemmer cost far more than a lookup. Words
/// and stems are numbered, so a document's analysis counts in arrays.
#[derive(Default)]
struct Memo {
    language: String,
    /// Each word as written (`The`, `the`) → its [`Known`] word. Words of
    /// up to 7 bytes (most of them) and of up to 15 are keys in themselves
    /// ([`short_key`]): a lookup then touches the table only, not a string
    /// elsewhere, and the smaller table's entries are half the size.
    tiny: ahash::AHashMap<u64, Known>,
    short: ahash::AHashMap<u128, Known>,
    raw: ahash::AHashMap<Box<str>, Known>,
    /// Folded words, by number.
    words: Vec<Box<str>>,
    folded: ahash::AHashMap<Box<str>, Known>,
    stems: Vec<Stem>,
    stem_numbers: ahash::AHashMap<Box<str>, u32>,
    /// Per word: the document that last listed it (by `generation`).
    listed: Vec<u32>,
    generation: u32,
}

/// A word as the memo knows it: its number, and its stem's number with
/// [`DIFFERS`] set when the word is not its stem; [`NOT_INDEXED`] for a
/// single letter or a run too long.
#[derive(Clone, Copy, PartialEq)]
struct Known {
    word: u32,
    stem: u32,
}

/// A stem, and what a document's analysis reads of it, side by side.
struct Stem {
    text: Box<str>,
    /// Its [`pair_hash`].
    pair_hash: u32,
    /// Its place in the document being analysed, plus one.
    place: u32,
}

const NOT_INDEXED: Known = Known { word: u32::MAX, stem: u32::MAX };

/// In [`Known::stem`]: the word differs from its stem.
const DIFFERS: u32 = 1 << 31;

/// Words kept before the memo starts again (between documents).
const MEMO_LIMIT: usize = 500_000;

impl Memo {
    /// The memo for `language`, started again when it is another language
    /// or has grown too large.
    fn ready(&mut self, language: &str) -> &mut Memo {
        if self.language != language || self.tiny.len() + self.short.len() + self.raw.len() > MEMO_LIMIT {
            *self = Memo { language: language.to_string(), ..Memo::default() };
        }
        self
    }

    /// The folded word of `raw`, if it is indexed.
    fn word(&mut self, raw: &str, stemmer: Option<&Stemmer>, folded: &mut String) -> Option<Known> {
        let key = short_key(raw);
        let known = match key {
            Some(key) if key >> 64 == 0 => self.tiny.get(&(key as u64)),
            Some(key) => self.short.get(&key),
            None => self.raw.get(raw),
        };
        if let Some(&k) = known {
            return (k != NOT_INDEXED).then_some(k);
        }
        let k = if !fold(raw, folded) {
            NOT_INDEXED
        } else if let Some(&k) = self.folded.get(folded.as_str()) {
            k
        } else {
            let stem = stemmer.map_or(std::borrow::Cow::Borrowed(folded.as_str()), |s| s.stem(folded));
            let s = match self.stem_numbers.get(&*stem) {
                Some(&s) => s,
                None => {
                    self.stems.push(Stem { text: (*stem).into(), pair_hash: pair_hash(&stem), place: 0 });
                    let s = (self.stems.len() - 1) as u32;
                    self.stem_numbers.insert((*stem).into(), s);
                    s
                }
            };
            let differs = *stem != **folded;
            self.words.push(folded.as_str().into());
            self.listed.push(0);
            let k = Known { word: (self.words.len() - 1) as u32, stem: s | if differs { DIFFERS } else { 0 } };
            self.folded.insert(folded.as_str().into(), k);
            k
        };
        match key {
            Some(key) if key >> 64 == 0 => self.tiny.insert(key as u64, k),
            Some(key) => self.short.insert(key, k),
            None => self.raw.insert(raw.into(), k),
        };
        (k != NOT_INDEXED).then_some(k)
    }
}

/// A word of up to 15 bytes as a number: its bytes, then its length in
/// the top byte; a word of up to 7 bytes has the length in the top byte of
/// the lower half, so it fits in 64 bits.
pub(crate) fn short_key(word: &str) -> Option<u128> {
    let bytes = word.as_bytes();
    if bytes.len() > 15 {
        return None;
    }
    let mut key = [0u8; 16];
    key[..bytes.len()].copy_from_slice(bytes);
    key[if bytes.len() <= 7 { 7 } else { 15 }] = bytes.len() as u8;
    Some(u128::from_le_bytes(key))
}

thread_local! {
    static MEMO: RefCell<Memo> = RefCell::new(Memo::default());
}

fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    c.is_alphanumeric() || is_combining_mark(c)
}

/// The runs of letters, digits and combining marks of `text` (ASCII read
/// byte by byte, the rest char by char).
pub(crate) fn split(text: &str) -> impl Iterator<Item = &str> {
    let bytes = text.as_bytes();
    let mut i = 0;
    // Whether the character at `i` is a word's, and its length.
    let at = move |i: usize| -> (bool, usize) {
        match bytes[i] {
            b if b < 0x80 => (b.is_ascii_alphanumeric(), 1),
            _ => text[i..].chars().next().map_or((false, 1), |c| (is_word_char(c), c.len_utf8())),
        }
    };
    std::iter::from_fn(move || {
        while i < bytes.len() {
            let (word, len) = at(i);
            if word {
                break;
            }
            i += len;
        }
        let start = i;
        while i < bytes.len() {
            let (word, len) = at(i);
            if !word {
                break;
            }
            i += len;
        }
        (i > start).then(|| &text[start..i])
    })
}

/// Lower-cases `word` and removes its diacritics into `out`; false when the
/// word is not indexed (a single letter, or longer than
/// [`MAX_WORD_CHARS`]).
pub(crate) fn fold(word: &str, out: &mut String) -> bool {
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
    fn words_are_runs_of_letters_digits_and_marks() {
        let text = "“Zoë’s” café—e\u{301}té, 2024: x_y ß 東京!";
        let got: Vec<&str> = split(text).collect();
        let expected: Vec<&str> = text.split(|c: char| !is_word_char(c)).filter(|w| !w.is_empty()).collect();
        assert_eq!(got, expected);
        assert_eq!(got, ["Zoë", "s", "café", "e\u{301}té", "2024", "x", "y", "ß", "東京"]);
        assert_eq!(split("").count(), 0);
        assert_eq!(split("  ,; ").count(), 0);
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
