//! Site search: Broadsheet's own static index, written with the site and
//! read by `static/js/search.js` (no server, no WebAssembly).
//!
//! Every searchable article and page is a document, numbered pages first,
//! then articles from the oldest to the newest (so a new story takes the
//! next number, and "newest first" is the highest numbers first). Under
//! `_search/`, every file but `index.json` is JSON gzipped (`.json.gz`;
//! search.js inflates it, or reads it as it is when a server has already
//! decoded it):
//!
//! - `index.json`: the index's version, the number of documents, the
//!   section names, the first key of each word and stem file;
//! - `w/<n>.json.gz`: the site's words whose stem is not the word itself
//!   (`"strikes": "strike"`), sorted, in files of about 32 KB, so the page
//!   stems a query without a stemmer of its own;
//! - `s/<n>.json.gz`: for each stem, the documents holding it (base-36 gaps
//!   between document numbers) and how strongly (a BM25 weight with a
//!   headline bonus, larger when the headline opens with it, one hex digit
//!   per document), and for a long list,
//!   where each block of 64 documents starts, so that a phrase's few
//!   stories are scored without decoding it all; sorted by stem, in files
//!   of about 32 KB; a stem in every story gets a file of its own;
//! - `p/<n>.json.gz`: for phrases, which stem comes right before which, in
//!   files of about 32 KB (see [`pair_lists_from`]), and `p/index.json.gz`,
//!   the first key of each;
//! - `v/<n>.json.gz`: the site's words and how many documents hold each
//!   (their stem's), sorted, in files of about 32 KB, fetched only when a
//!   query word matches little, to offer "Did you mean" (see
//!   [`Postings::vocabulary`]); `index.json` has the first word of each;
//! - `sec/<n>.json.gz`: each section's documents, for the section filter;
//! - `d/<n / 1000>/<n>.json.gz`: one document's URL, headline, section, date,
//!   dek and text, fetched for the results shown (excerpts).
//!
//! A reader's search fetches `index.json`, the word and stem files of its
//! words (and, for a quoted phrase, the pair files of its word pairs), and
//! the documents of the ten results shown: a few hundred kilobytes at most,
//! whatever the size of the archive.
//!
//! The build analyses the documents in batches in parallel while the
//! previous batch's words are added to the postings (kept compact: a
//! varint gap and a byte per document), so memory grows with the postings,
//! not with the text. Each document's analysis is kept in the site's cache
//! by a hash of its text ([`cache`]): a rebuild analyses only what changed.

mod analyze;
mod cache;

use ahash::AHashMap as HashMap;
use std::fmt::Write as _;
use std::path::Path;

use anyhow::{Context as _, Result};
use chrono::DateTime;
use chrono_tz::Tz;
use rayon::prelude::*;
use serde::Serialize;

pub use analyze::Analyzer;
use analyze::varint;

use broadsheet_base::route::Route;
use broadsheet_base::sink::Sink;

/// How much of a document's text is indexed and kept for excerpts: far more
/// than any real story, while a pasted 50 MB file costs no more than this.
pub const MAX_INDEXED_TEXT: usize = 256 * 1024;

/// Changes whenever the analysis changes, so cached analyses are not reused.
const ANALYSIS_VERSION: &[u8] = b"broadsheet-search-4";

/// Documents analysed together, while the previous batch is merged.
const BATCH: usize = 1024;

/// About this many bytes of JSON per word or stem file.
const FILE_TARGET: usize = 32 * 1024;

/// What the index is made of: the site's documents, in index order (pages
/// first, then articles from the oldest to the newest), as plain data.
pub struct Input<'a> {
    /// The site's language: which stemmer reads the words.
    pub language: &'a str,
    /// The section names, in the order documents' sections count them.
    pub sections: Vec<&'a str>,
    /// The documents, in index order: a document's number is its place
    /// here.
    pub documents: Vec<Document<'a>>,
    /// The text of an HTML body (how the site measures a story's words).
    pub plain_text: fn(&str) -> String,
    /// Dates shown in results, as the site's pages show them (strftime).
    pub date_format: &'a str,
    /// The language of the month and day names in `date_format` (none:
    /// English, as chrono writes them).
    pub date_locale: Option<chrono::Locale>,
}

/// A document as the index reads it.
pub struct Document<'a> {
    /// The path-absolute URL a result links to (`/repo/world/story/`).
    pub url: String,
    /// The headline: indexed with a bonus, and shown.
    pub title: &'a str,
    /// The dek as plain text, shown under the headline; empty when there
    /// is none.
    pub summary: &'a str,
    /// The dek is the body's first paragraph: indexed once, with the body.
    pub summary_in_body: bool,
    /// The body, as HTML: the index reads its text.
    pub body: &'a str,
    /// A live blog's updates (headline and text), newest first.
    pub updates: Vec<(Option<&'a str>, &'a str)>,
    /// Bylines and tags: found by search, not shown in excerpts.
    pub names: Vec<&'a str>,
    /// The section's number (in [`Input::sections`]) and name.
    pub section: Option<(usize, &'a str)>,
    /// The date a result shows: an article's publication, a page's
    /// `updated`; `None` for a page without one.
    pub date: Option<DateTime<Tz>>,
    /// Its own file (`d/`) is written. A document that has not changed
    /// since the index that gave `keys` (`serve`, after a save that moved
    /// no story) keeps its file and its key.
    pub changed: bool,
}

type Doc<'a> = Document<'a>;

impl Doc<'_> {
    /// The body's text, as far as it is indexed. Worked out from the HTML
    /// when the index is written rather than kept from loading: at 100,000
    /// stories it would be half a gigabyte held through the whole build.
    fn text(&self, plain_text: fn(&str) -> String) -> String {
        // Markup is rarely more than the text it holds: four times the text
        // indexed is HTML enough, and a 50 MB body is not read whole.
        let mut text = plain_text(clip(self.body, 4 * MAX_INDEXED_TEXT));
        for (title, update) in &self.updates {
            if text.len() >= MAX_INDEXED_TEXT {
                break;
            }
            for part in title.iter().chain([update]) {
                text.push('\n');
                text.push_str(part);
            }
        }
        text.truncate(clip(&text, MAX_INDEXED_TEXT).len());
        text
    }

    fn key(&self, language: &str, text: &str) -> cache::Key {
        let mut hasher = blake3::Hasher::new();
        hasher.update(ANALYSIS_VERSION);
        hasher.update(&[u8::from(self.summary_in_body)]);
        for part in [language, self.title, self.summary, text].into_iter().chain(self.names.iter().copied()) {
            hasher.update(&(part.len() as u64).to_le_bytes());
            hasher.update(part.as_bytes());
        }
        let mut key = [0; 16];
        key.copy_from_slice(&hasher.finalize().as_bytes()[..16]);
        key
    }
}

/// The first `max` bytes of `text`, cut at a character boundary.
fn clip(text: &str, max: usize) -> &str {
    &text[..broadsheet_base::diagnostic::floor_char_boundary(text, max.min(text.len()))]
}

/// Each document's cache key from the last index `serve` wrote, by number:
/// after a save, the other stories' keys are known without reading their
/// text again.
#[derive(Default)]
pub struct Keys(Vec<cache::Key>);

/// Builds the index of `input` and writes it under `_search/`; `cache` is
/// the site's cache folder (None: analyse everything, keep nothing). `keys`
/// holds the keys of the last index of the same documents (`serve`), used
/// for the documents that have not changed, and is updated.
pub fn write_index(input: &Input, cache: Option<&Path>, keys: &mut Keys, sink: &dyn Sink) -> Result<()> {
    let mut timer = broadsheet_base::timing::Timer::from_env();
    let analyzer = Analyzer::new(input.language);
    let language = input.language;
    let docs = &input.documents;
    let (plain_text, date_format) = (input.plain_text, (input.date_format, input.date_locale));
    let cache = cache.map(cache::Cache::open).transpose()?;
    let known = std::mem::take(&mut keys.0);
    let known = |n: usize, doc: &Doc| if doc.changed { None } else { known.get(n).copied() };
    let sections = input.sections.len();
    let mut postings = Postings::new(sections);
    // Each batch is analysed (and its documents' files written) while the
    // batch before it is merged into the postings.
    let analyse_batch = |start: usize| -> Result<Vec<(cache::Key, Entry)>> {
        let cache = cache.as_ref();
        docs[start..docs.len().min(start + BATCH)]
            .par_iter()
            .enumerate()
            .map(|(offset, doc)| {
                let n = start + offset;
                if let Some(key) = known(n, doc)
                    && let Some(stored) = cache.and_then(|c| c.get(&key))
                {
                    return Ok((key, Entry::Kept(stored)));
                }
                let text = doc.text(plain_text);
                if doc.changed {
                    write_document(n, doc, &text, sink, date_format)?;
                }
                let key = doc.key(language, &text);
                let entry = match cache.and_then(|c| c.get(&key)) {
                    Some(stored) => Entry::Kept(stored),
                    None => Entry::New(analyse(&analyzer, doc, &text)),
                };
                Ok((key, entry))
            })
            .collect()
    };
    let mut version = blake3::Hasher::new();
    let mut batch = if docs.is_empty() { Vec::new() } else { analyse_batch(0)? };
    let mut start = 0;
    while !batch.is_empty() {
        let next_start = start + BATCH;
        let merge = || -> Result<()> {
            for (offset, (key, entry)) in batch.drain(..).enumerate() {
                let n = start + offset;
                let bytes = match &entry {
                    Entry::Kept(stored) => &stored.bytes,
                    Entry::New(bytes) => bytes,
                };
                version.update(&key);
                keys.0.push(key);
                version.update(docs[n].url.as_bytes());
                let merged = postings.add(n as u32, docs[n].section.map(|s| s.0), bytes);
                match (entry, cache.as_ref()) {
                    (Entry::Kept(stored), Some(cache)) if merged => cache.keep(key, &stored),
                    (Entry::Kept(_), _) => {
                        // A damaged entry: analysed again.
                        let bytes = analyse(&analyzer, &docs[n], &docs[n].text(plain_text));
                        postings.add(n as u32, docs[n].section.map(|s| s.0), &bytes);
                        if let Some(cache) = cache.as_ref() {
                            cache.add(key, &bytes)?;
                        }
                    }
                    (Entry::New(bytes), cache) => {
                        if let Some(cache) = cache {
                            cache.add(key, &bytes)?;
                        }
                    }
                }
            }
            Ok(())
        };
        let (merged, next) =
            rayon::join(merge, || if next_start < docs.len() { analyse_batch(next_start) } else { Ok(Vec::new()) });
        merged?;
        batch = next?;
        start = next_start;
    }
    timer.lap("search: analyse");
    if let Some(cache) = cache {
        cache.finish()?;
    }
    timer.lap("search: cache");
    postings.write(&input.sections, &mut version, sink)?;
    timer.lap("search: postings");
    Ok(())
}

enum Entry {
    Kept(cache::Stored),
    New(Vec<u8>),
}

/// What a result shows, and the text its excerpt and phrases come from.
#[derive(Serialize)]
struct Shown<'a> {
    url: &'a str,
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    section: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    shown: Option<String>,
    summary: &'a str,
    text: &'a str,
}

/// A result's document; its date shown as the site's pages show dates.
fn write_document(
    n: usize,
    doc: &Doc,
    text: &str,
    sink: &dyn Sink,
    (date_format, locale): (&str, Option<chrono::Locale>),
) -> Result<()> {
    let shown = Shown {
        url: &doc.url,
        title: doc.title,
        section: doc.section.map(|s| s.1),
        date: doc.date.map(|d| d.to_rfc3339()),
        shown: doc.date.map(|d| match locale {
            Some(locale) => d.format_localized(date_format, locale).to_string(),
            None => d.format(date_format).to_string(),
        }),
        summary: doc.summary,
        text,
    };
    let file = Route::search_file("d", n).as_str().to_string();
    let json = serde_json::to_vec(&shown).context("cannot write a search document")?;
    sink.write(&file, gzip(&json)?).with_context(|| format!("cannot write {file}"))
}

/// `json` gzipped, as every file but `index.json` is written: a third of
/// the bytes on the host (the index is most of a large site's files),
/// inflated by search.js with the browser's own `DecompressionStream`.
/// libdeflate's level 1 ([`broadsheet_base::gzip::FAST`]): at 10,000
/// stories its files are 1.6 MB (3 %) larger than at its default level,
/// and the index is written in 0.4–0.8 s less.
fn gzip(json: &[u8]) -> Result<Vec<u8>> {
    broadsheet_base::gzip::compress(json, broadsheet_base::gzip::FAST).context("cannot compress a search file")
}

/// One document's analysis, as kept in the cache ([`Analyzer::document`]).
fn analyse(analyzer: &Analyzer, doc: &Doc, text: &str) -> Vec<u8> {
    let mut parts = vec![(doc.title, true)];
    if !doc.summary_in_body {
        parts.push((doc.summary, false));
    }
    parts.push((text, false));
    parts.extend(doc.names.iter().map(|&name| (name, false)));
    analyzer.document(&parts)
}

/// Reads back what [`analyse`] wrote; None on a damaged entry.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn varint(&mut self) -> Option<u64> {
        let mut n = 0u64;
        for shift in (0..64).step_by(7) {
            let (&byte, rest) = self.0.split_first()?;
            self.0 = rest;
            n |= u64::from(byte & 0x7f) << shift;
            if byte < 0x80 {
                return Some(n);
            }
        }
        None
    }

    fn byte(&mut self) -> Option<u8> {
        let (&byte, rest) = self.0.split_first()?;
        self.0 = rest;
        Some(byte)
    }

    fn take(&mut self, len: usize) -> Option<&'a [u8]> {
        if len > self.0.len() {
            return None;
        }
        let (taken, rest) = self.0.split_at(len);
        self.0 = rest;
        Some(taken)
    }

    fn str(&mut self) -> Option<&'a str> {
        let len = usize::try_from(self.varint()?).ok()?;
        std::str::from_utf8(self.take(len)?).ok()
    }
}

/// The site's postings, built up document by document.
struct Postings {
    /// Stems of up to 15 bytes (nearly all) by [`analyze::short_key`],
    /// so that a lookup does not also read a string elsewhere; longer ones
    /// by their text.
    short_stems: HashMap<u128, u32>,
    long_stems: HashMap<Box<str>, u32>,
    /// Each stem's text, by number.
    stems: Vec<Box<str>>,
    lists: Vec<List>,
    /// Word → stem number.
    words: HashMap<Box<str>, u32>,
    /// Whether each stem is also a word of the site (by stem number).
    itself: Vec<bool>,
    lengths: Vec<u32>,
    sections: Vec<Vec<u32>>,
}

/// One stem's documents: for each, the varint gap, the packed count, and
/// the number and [`pair_hash`]es (three bytes each) of the stems right
/// after it there.
#[derive(Default)]
struct List {
    /// The last document plus one (0: none yet).
    last: u32,
    count: u32,
    bytes: Vec<u8>,
}

impl List {
    /// Calls `each(document, packed count, hashes of the stems after it)`
    /// for each of the stem's documents, in order.
    fn each(&self, mut each: impl FnMut(u32, u8, &[u8])) {
        let mut r = Reader(&self.bytes);
        let mut last = 0u32;
        while let (Some(gap), Some(packed), Some(after)) = (r.varint(), r.byte(), r.varint()) {
            let n = last + gap as u32 - 1;
            last = n + 1;
            let Some(hashes) = r.take(after as usize * 3) else { return };
            each(n, packed, hashes);
        }
    }
}

impl Postings {
    fn new(sections: usize) -> Postings {
        Postings {
            short_stems: HashMap::new(),
            long_stems: HashMap::new(),
            stems: Vec::new(),
            lists: Vec::new(),
            words: HashMap::new(),
            itself: Vec::new(),
            lengths: Vec::new(),
            sections: vec![Vec::new(); sections],
        }
    }

    /// Adds document `n`; false (and nothing added) when `bytes` is damaged.
    fn add(&mut self, n: u32, section: Option<usize>, bytes: &[u8]) -> bool {
        let Some(parsed) = parse(bytes) else { return false };
        let Parsed { length, stems, words, mut followers } = parsed;
        let mut ids = Vec::with_capacity(stems.len());
        for &(stem, _) in &stems {
            let key = analyze::short_key(stem);
            let known = match key {
                Some(key) => self.short_stems.get(&key),
                None => self.long_stems.get(stem),
            };
            let id = match known {
                Some(&id) => id,
                None => {
                    self.lists.push(List::default());
                    self.itself.push(false);
                    self.stems.push(stem.into());
                    let id = (self.lists.len() - 1) as u32;
                    match key {
                        Some(key) => self.short_stems.insert(key, id),
                        None => self.long_stems.insert(stem.into(), id),
                    };
                    id
                }
            };
            ids.push(id);
        }
        for (&id, &(_, packed)) in ids.iter().zip(&stems) {
            self.itself[id as usize] |= packed & analyze::ITSELF != 0;
            let list = &mut self.lists[id as usize];
            varint(&mut list.bytes, u64::from(n + 1 - list.last));
            list.bytes.push(packed);
            list.last = n + 1;
            list.count += 1;
            // Checked by `parse`.
            let count = followers.varint().unwrap_or(0);
            varint(&mut list.bytes, count);
            list.bytes.extend_from_slice(followers.take(count as usize * 3).unwrap_or_default());
        }
        for (word, stem) in words {
            if !self.words.contains_key(word) {
                self.words.insert(word.into(), ids[stem]);
            }
        }
        if self.lengths.len() <= n as usize {
            self.lengths.resize(n as usize + 1, 0);
        }
        self.lengths[n as usize] = length;
        if let Some(s) = section.and_then(|s| self.sections.get_mut(s)) {
            s.push(n);
        }
        true
    }

    /// Writes the word, stem and section files and `index.json`.
    fn write(self, sections: &[&str], version: &mut blake3::Hasher, sink: &dyn Sink) -> Result<()> {
        let file = |part: &str, n: usize| Route::search_file(part, n).as_str().to_string();
        let total: u64 = self.lengths.iter().map(|&l| u64::from(l)).sum();
        let average = (total as f64 / self.lengths.len().max(1) as f64).max(1.0);
        // Stems in order, cut into files.
        let mut stems: Vec<(&str, u32)> = self.stems.iter().zip(0..).map(|(s, id)| (&**s, id)).collect();
        stems.sort_unstable();
        let stem_files = cut(&stems, |(stem, id)| stem.len() + 8 + self.lists[*id as usize].count as usize * 4);
        let weights = Weights { lengths: &self.lengths, average };
        // Each file is written as soon as it is made: the postings as JSON
        // are as large as the postings.
        let put = |(file, json): (String, String)| -> Result<blake3::Hash> {
            let hash = blake3::hash(json.as_bytes());
            sink.write(&file, gzip(json.as_bytes())?).with_context(|| format!("cannot write {file}"))?;
            Ok(hash)
        };
        let stem_hashes = json_objects(&stem_files, "s", &put, |json, (stem, id)| {
            push_json_str(json, stem);
            json.push_str(":[\"");
            weights.write(&self.lists[*id as usize], json);
            json.push_str("\"]");
        })?;
        let mut names = vec![""; self.lists.len()];
        for &(stem, id) in &stems {
            names[id as usize] = stem;
        }
        let mut words: Vec<(&str, &str)> = self.words.iter().map(|(w, &id)| (&**w, names[id as usize])).collect();
        words.sort_unstable();
        let word_files = cut(&words, |(w, s)| w.len() + s.len() + 6);
        let word_hashes = json_objects(&word_files, "w", &put, |json, (word, stem)| {
            push_json_str(json, word);
            json.push(':');
            push_json_str(json, stem);
        })?;
        let vocabulary = self.vocabulary(&words);
        let vocabulary_files = cut(&vocabulary, |(w, _)| w.len() + 8);
        let vocabulary_hashes = json_objects(&vocabulary_files, "v", &put, |json, (word, df)| {
            push_json_str(json, word);
            let _ = write!(json, ":{df}");
        })?;
        let section_hashes: Vec<blake3::Hash> = self
            .sections
            .iter()
            .enumerate()
            .map(|(i, docs)| {
                let mut json = String::from("\"");
                let mut last = 0;
                for (j, &n) in docs.iter().enumerate() {
                    if j > 0 {
                        json.push(',');
                    }
                    push_base36(&mut json, n + 1 - last);
                    last = n + 1;
                }
                json.push('"');
                put((file("sec", i), json))
            })
            .collect::<Result<_>>()?;
        let (pair_firsts, pair_hashes) = self.write_pairs(&stems, &put)?;
        // The pair files' first keys, apart: only a phrase needs them.
        let pairs = file("pairs", 0);
        let firsts = serde_json::to_vec(&pair_firsts).context("cannot write the pair files' keys")?;
        sink.write(&pairs, gzip(&firsts)?).with_context(|| format!("cannot write {pairs}"))?;
        let hashes: Vec<&blake3::Hash> = stem_hashes
            .iter()
            .chain(&word_hashes)
            .chain(&vocabulary_hashes)
            .chain(&section_hashes)
            .chain(&pair_hashes)
            .collect();
        for hash in &hashes {
            version.update(hash.as_bytes());
        }
        let first = |group: &[(&str, &str)]| group.first().map(|g| g.0.to_string()).unwrap_or_default();
        let meta = serde_json::json!({
            "version": version.finalize().to_hex()[..16],
            "documents": self.lengths.len(),
            "sections": sections,
            "words": word_files.iter().map(|g| first(g)).collect::<Vec<_>>(),
            "stems": stem_files.iter().map(|g| g.first().map(|g| g.0.to_string()).unwrap_or_default()).collect::<Vec<_>>(),
            "pair_lists_from": pair_lists_from(self.lengths.len()),
            "vocabulary": vocabulary_files.iter().map(|g| g.first().map(|g| g.0.to_string()).unwrap_or_default()).collect::<Vec<_>>(),
        });
        let index = file("index", 0);
        sink.write(&index, meta.to_string().into_bytes()).with_context(|| format!("cannot write {index}"))?;
        Ok(())
    }

    /// The words a misspelt query word may be corrected to ("Did you
    /// mean"), sorted, each with the number of documents holding its stem:
    /// the words of the site (`words`: those whose stem differs, and the
    /// stems that are words themselves) of at least three letters and no
    /// digit; on a site of many documents, only those in two or more
    /// (a word in one story is as likely a typing slip as a word).
    fn vocabulary<'a>(&'a self, words: &[(&'a str, &'a str)]) -> Vec<(&'a str, u32)> {
        let min = if self.lengths.len() >= VOCABULARY_ALL_BELOW { 2 } else { 1 };
        let by_stem: HashMap<&str, u32> = self.stems.iter().zip(0..).map(|(s, id)| (&**s, id)).collect();
        let mut out: Vec<(&str, u32)> = words
            .iter()
            .filter_map(|&(word, stem)| by_stem.get(stem).map(|&id| (word, self.lists[id as usize].count)))
            .chain(
                self.stems
                    .iter()
                    .zip(&self.lists)
                    .zip(&self.itself)
                    .filter(|(_, itself)| **itself)
                    .map(|((stem, list), _)| (&**stem, list.count)),
            )
            .filter(|&(word, df)| df >= min && word.chars().nth(2).is_some() && !word.chars().any(char::is_numeric))
            .collect();
        out.sort_unstable();
        out.dedup_by(|a, b| a.0 == b.0);
        out
    }

    /// Writes the pair files (`p/`), for phrases: sorted entries in files of
    /// about [`FILE_TARGET`] bytes; the first key of each file, and each
    /// file's hash.
    fn write_pairs(
        &self,
        stems: &[(&str, u32)],
        put: &(impl Fn((String, String)) -> Result<blake3::Hash> + Sync),
    ) -> Result<(Vec<String>, Vec<blake3::Hash>)> {
        let lists_from = pair_lists_from(self.lengths.len());
        let mut firsts = Vec::new();
        let mut hashes = Vec::new();
        let mut json = String::new();
        let mut files: Vec<(String, String)> = Vec::new();
        // Stems with about 16 MB of postings at a time: all the entries at
        // once would be as large as the files.
        let mut rest = stems;
        while !rest.is_empty() {
            let mut bytes = 0;
            let take = rest
                .iter()
                .position(|&(_, id)| {
                    bytes += self.lists[id as usize].bytes.len();
                    bytes > 16 << 20
                })
                .map_or(rest.len(), |i| i + 1);
            let (window, next) = rest.split_at(take);
            rest = next;
            let entries: Vec<Fragments> =
                window.par_iter().map(|&(stem, id)| pair_entries(stem, &self.lists[id as usize], lists_from)).collect();
            for stem in &entries {
                for (k, &(start, key_end)) in stem.entries.iter().enumerate() {
                    let end = stem.entries.get(k + 1).map_or(stem.json.len(), |e| e.0);
                    let entry = &stem.json[start..end];
                    if !json.is_empty() && json.len() + entry.len() > FILE_TARGET {
                        json.push('}');
                        files.push((Route::search_file("p", firsts.len() - 1).as_str().to_string(), json));
                        json = String::with_capacity(FILE_TARGET + 1024);
                    }
                    if json.is_empty() {
                        json.push('{');
                        firsts.push(stem.json[start + 1..key_end].to_string());
                    } else {
                        json.push(',');
                    }
                    json.push_str(entry);
                }
            }
            if rest.is_empty() && !json.is_empty() {
                json.push('}');
                files.push((Route::search_file("p", firsts.len() - 1).as_str().to_string(), std::mem::take(&mut json)));
            }
            let written: Vec<blake3::Hash> = files.par_drain(..).map(put).collect::<Result<_>>()?;
            hashes.extend(written);
        }
        Ok((firsts, hashes))
    }
}

/// Stems in more documents than this have a list of documents for each
/// stem after them (`"strike 0a1f"`: the documents where "strike" is
/// followed by a stem of that [`pair_hash`]); the others have, aligned with
/// their documents, the hashes of the stems after them (three base-36
/// digits each: the hash modulo 36³). Either way a phrase costs a reader a
/// few kilobytes, not the positions of two common words in every story.
fn pair_lists_from(documents: usize) -> u32 {
    (documents / 8).clamp(16, 2000) as u32
}

/// A stem's pair entries as JSON (`"key":"value"`, one after the other),
/// with where each starts and where its key ends.
#[derive(Default)]
struct Fragments {
    json: String,
    entries: Vec<(usize, usize)>,
}

impl Fragments {
    /// Starts an entry: its key, `stem` and the hash of a stem after it.
    fn key(&mut self, stem: &str, hash: Option<u32>) {
        let start = self.json.len();
        self.json.push('"');
        self.json.push_str(stem);
        if let Some(hash) = hash {
            self.json.push(' ');
            push_base36_fixed(&mut self.json, hash, 4);
        }
        self.entries.push((start, self.json.len()));
        self.json.push_str("\":\"");
    }
}

/// The pair entries of `stem` (see [`pair_lists_from`]). A stem is letters,
/// digits and marks: nothing in it needs escaping in JSON.
fn pair_entries(stem: &str, list: &List, lists_from: u32) -> Fragments {
    let hash = |bytes: &[u8]| u32::from_le_bytes([bytes[0], bytes[1], bytes[2], 0]);
    let mut out = Fragments::default();
    if list.count <= lists_from {
        out.json.reserve(stem.len() + list.count as usize * 5);
        out.key(stem, None);
        let mut first = true;
        list.each(|_, _, hashes| {
            if !first {
                out.json.push(',');
            }
            first = false;
            for h in hashes.chunks_exact(3) {
                push_base36_fixed(&mut out.json, hash(h) % 36u32.pow(3), 3);
            }
        });
        out.json.push('"');
        return out;
    }
    // (hash << 32 | document), sorted: each hash's documents in order.
    let mut pairs: Vec<u64> = Vec::with_capacity(list.count as usize * 4);
    list.each(|n, _, hashes| pairs.extend(hashes.chunks_exact(3).map(|h| u64::from(hash(h)) << 32 | u64::from(n))));
    sort_by_hash(&mut pairs);
    pairs.dedup();
    out.json.reserve(pairs.len() * 5);
    for group in pairs.chunk_by(|a, b| a >> 32 == b >> 32) {
        out.key(stem, Some((group[0] >> 32) as u32));
        let mut last = 0;
        for (i, &pair) in group.iter().enumerate() {
            if i > 0 {
                out.json.push(',');
            }
            let n = pair as u32;
            push_base36(&mut out.json, n + 1 - last);
            last = n + 1;
        }
        out.json.push('"');
    }
    out
}

/// Sorts `(hash << 32 | document)` pairs, given in document order, by hash
/// and then document: two stable passes of 11 bits over the 21-bit hash for
/// a long list (a common word's pairs are millions at 100,000 stories).
fn sort_by_hash(pairs: &mut Vec<u64>) {
    if pairs.len() < 1 << 12 {
        pairs.sort_unstable();
        return;
    }
    let mut sorted = vec![0u64; pairs.len()];
    for shift in [32, 43] {
        let mut starts = vec![0usize; 1 << 11];
        for &pair in pairs.iter() {
            starts[((pair >> shift) & 0x7ff) as usize] += 1;
        }
        let mut sum = 0;
        for start in starts.iter_mut() {
            (*start, sum) = (sum, sum + *start);
        }
        for &pair in pairs.iter() {
            let bucket = &mut starts[((pair >> shift) & 0x7ff) as usize];
            sorted[*bucket] = pair;
            *bucket += 1;
        }
        std::mem::swap(pairs, &mut sorted);
    }
}

/// One document's analysis, read back.
struct Parsed<'a> {
    length: u32,
    /// Each stem and its packed count.
    stems: Vec<(&'a str, u8)>,
    /// Each word whose stem differs, and its stem's place.
    words: Vec<(&'a str, usize)>,
    /// For each stem, the number and hashes of the stems after it (checked).
    followers: Reader<'a>,
}

/// Parses one document's analysis ([`Analyzer::document`]).
fn parse(bytes: &[u8]) -> Option<Parsed<'_>> {
    let mut r = Reader(bytes);
    let length = u32::try_from(r.varint()?).ok()?;
    let count = usize::try_from(r.varint()?).ok()?;
    let mut stems = Vec::with_capacity(count.min(bytes.len()));
    for _ in 0..count {
        stems.push((r.str()?, r.byte()?));
    }
    let count = usize::try_from(r.varint()?).ok()?;
    let mut words = Vec::with_capacity(count.min(bytes.len()));
    for _ in 0..count {
        let word = r.str()?;
        let stem = usize::try_from(r.varint()?).ok()?;
        if stem >= stems.len() {
            return None;
        }
        words.push((word, stem));
    }
    let followers = Reader(r.0);
    for _ in 0..stems.len() {
        let count = usize::try_from(r.varint()?).ok()?;
        r.take(count.checked_mul(3)?)?;
    }
    r.0.is_empty().then_some(Parsed { length, stems, words, followers })
}

/// Cuts sorted `items` into groups of about [`FILE_TARGET`] bytes.
/// Writes each of `groups` as one JSON object, file `<part>/<n>` (in
/// parallel): `entry` writes one member (`"key":value`) of it. The files'
/// hashes, in order.
fn json_objects<T: Sync>(
    groups: &[Vec<T>],
    part: &str,
    put: &(impl Fn((String, String)) -> Result<blake3::Hash> + Sync),
    entry: impl Fn(&mut String, &T) + Sync,
) -> Result<Vec<blake3::Hash>> {
    groups
        .par_iter()
        .enumerate()
        .map(|(i, group)| {
            let mut json = String::with_capacity(FILE_TARGET + 1024);
            json.push('{');
            for (j, item) in group.iter().enumerate() {
                if j > 0 {
                    json.push(',');
                }
                entry(&mut json, item);
            }
            json.push('}');
            put((Route::search_file(part, i).as_str().to_string(), json))
        })
        .collect()
}

fn cut<T: Copy>(items: &[T], size: impl Fn(&T) -> usize) -> Vec<Vec<T>> {
    let mut groups = Vec::new();
    let mut group = Vec::new();
    let mut bytes = 0;
    for item in items {
        let n = size(item);
        if !group.is_empty() && bytes + n > FILE_TARGET {
            groups.push(std::mem::take(&mut group));
            bytes = 0;
        }
        group.push(*item);
        bytes += n;
    }
    if !group.is_empty() {
        groups.push(group);
    }
    groups
}

/// From this many documents, the words of one document only are left out
/// of the vocabulary ([`Postings::vocabulary`]).
const VOCABULARY_ALL_BELOW: usize = 1000;

/// Lists of more documents than this get skips (see [`Weights::write`]).
const SKIPS_FROM: usize = 1024;

/// Documents per block of a list with skips.
const SKIP_BLOCK: usize = 64;

/// BM25 weights of a stem in each of its documents.
struct Weights<'a> {
    lengths: &'a [u32],
    average: f64,
}

impl Weights<'_> {
    const K1: f64 = 1.2;
    const B: f64 = 0.75;
    /// What a headline mention adds: a story with the word in its headline
    /// is about it, more than one that says it often.
    const HEADLINE: f64 = 1.5;
    /// And a headline that opens with it ("Harbour authority approves…"
    /// against "Review: 'Harbour Lights'…").
    const LEAD: f64 = 0.5;

    /// Writes `list` as `gaps","weights`, and for a list of more than
    /// [`SKIPS_FROM`] documents `","skips`: for each block of
    /// [`SKIP_BLOCK`] documents after the first, the document before it and
    /// where its gaps start, each as a base-36 gap from the block before's.
    /// The page then scores a phrase's few stories by decoding a block of a
    /// long list, not the whole list.
    fn write(&self, list: &List, json: &mut String) {
        let mut weights = String::with_capacity(list.count as usize);
        let mut skips = String::new();
        let with_skips = list.count as usize > SKIPS_FROM;
        let start = json.len();
        let (mut skipped_doc, mut skipped_at) = (0u32, 0usize);
        let mut i = 0usize;
        let mut last = 0u32;
        list.each(|n, packed, _| {
            if i > 0 {
                json.push(',');
            }
            if with_skips && i > 0 && i.is_multiple_of(SKIP_BLOCK) {
                let at = json.len() - start;
                if !skips.is_empty() {
                    skips.push(',');
                }
                push_base36(&mut skips, last - skipped_doc);
                skips.push(',');
                push_base36(&mut skips, (at - skipped_at) as u32);
                (skipped_doc, skipped_at) = (last, at);
            }
            i += 1;
            push_base36(json, n + 1 - last);
            last = n + 1;
            let count = f64::from(packed & analyze::COUNT);
            let length = f64::from(self.lengths[n as usize].max(1));
            let tf = count * (Self::K1 + 1.0) / (count + Self::K1 * (1.0 - Self::B + Self::B * length / self.average));
            let weight = tf
                + if packed & analyze::HEADLINE != 0 { Self::HEADLINE } else { 0.0 }
                + if packed & analyze::LEAD != 0 { Self::LEAD } else { 0.0 };
            let max = Self::K1 + 1.0 + Self::HEADLINE + Self::LEAD;
            let digit = ((weight / max * 15.0).round() as u32).clamp(1, 15);
            weights.push(char::from(b"0123456789abcdef"[digit as usize]));
        });
        json.push_str("\",\"");
        json.push_str(&weights);
        if with_skips {
            json.push_str("\",\"");
            json.push_str(&skips);
        }
    }
}

fn push_base36(out: &mut String, mut n: u32) {
    let mut digits = [0u8; 8];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b"0123456789abcdefghijklmnopqrstuvwxyz"[(n % 36) as usize];
        n /= 36;
        if n == 0 {
            break;
        }
    }
    out.extend(digits[i..].iter().map(|&d| char::from(d)));
}

/// `n` in base 36, zero-padded to `width` digits (at most 8).
fn push_base36_fixed(out: &mut String, mut n: u32, width: usize) {
    let mut digits = [b'0'; 8];
    let width = width.min(digits.len());
    for digit in digits[..width].iter_mut().rev() {
        *digit = b"0123456789abcdefghijklmnopqrstuvwxyz"[(n % 36) as usize];
        n /= 36;
    }
    out.extend(digits[..width].iter().map(|&d| char::from(d)));
}

fn push_json_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::analyze::pair_hash;
    use super::*;

    #[test]
    fn clips_at_a_character_boundary() {
        assert_eq!(clip("héllo", 2), "h");
        assert_eq!(clip("héllo", 3), "hé");
        assert_eq!(clip("short", 100), "short");
    }

    #[test]
    fn a_document_says_which_stem_comes_after_which() {
        let bytes = Analyzer::new("en").document(&[("City council", true), ("The council met. Councils city", false)]);
        let Parsed { length, stems, mut followers, .. } = parse(&bytes).unwrap();
        assert_eq!(length, 7);
        let names: Vec<&str> = stems.iter().map(|s| s.0).collect();
        assert_eq!(names, ["citi", "council", "the", "met"]);
        let mut after = Vec::new();
        for _ in 0..stems.len() {
            let n = followers.varint().unwrap();
            let hashes = followers.take(n as usize * 3).unwrap();
            let of = |h: &[u8]| *names.iter().find(|s| pair_hash(s).to_le_bytes()[..3] == *h).unwrap();
            after.push(hashes.chunks(3).map(of).collect::<Vec<_>>());
        }
        // Not across parts: "council" ends the headline, "the" starts the text.
        assert_eq!(after, [vec!["council"], vec!["citi", "met"], vec!["council"], vec!["council"]]);
        assert_eq!(stems[1].1, analyze::HEADLINE | analyze::ITSELF | 3, "council, three times, once in the headline");
        assert_eq!(stems[0].1, analyze::HEADLINE | analyze::LEAD | 2, "city opens the headline, and is not \"citi\"");
        assert!(stems[2].1 & analyze::HEADLINE == 0);
    }

    #[test]
    fn pair_hashes_are_four_base36_digits() {
        let mut key = String::new();
        push_base36_fixed(&mut key, pair_hash("council"), 4);
        assert_eq!(key.len(), 4);
        let mut fixed = String::new();
        for n in [0, 35, 36, 46_655] {
            push_base36_fixed(&mut fixed, n, 3);
            fixed.push(' ');
        }
        assert_eq!(fixed, "000 00z 010 zzz ");
        assert!(pair_hash("council") < 36u32.pow(4));
        assert_ne!(pair_hash("council"), pair_hash("citi"));
    }

    #[test]
    fn a_long_list_says_where_each_block_starts() {
        let analysis = Analyzer::new("en").document(&[("Council", true), ("The council met", false)]);
        let mut postings = Postings::new(0);
        // Every third document: gaps of three, so some blocks start
        // further into the gaps than others would.
        let docs: Vec<u32> = (0..1_100u32).map(|i| i * 3 + i / 500).collect();
        for &n in &docs {
            assert!(postings.add(n, None, &analysis));
        }
        let weights = Weights { lengths: &postings.lengths, average: 4.0 };
        let id = postings.stems.iter().position(|s| &**s == "council").unwrap();
        let mut json = String::new();
        weights.write(&postings.lists[id], &mut json);
        let parts: Vec<&str> = json.split("\",\"").collect();
        let [gaps, hex, skips] = parts[..] else { panic!("{json}") };
        assert_eq!(hex.len(), docs.len());
        let skips: Vec<u32> = skips.split(',').map(|v| u32::from_str_radix(v, 36).unwrap()).collect();
        assert_eq!(skips.len(), 2 * (docs.len() - 1) / SKIP_BLOCK);
        let (mut before, mut at) = (0u32, 0usize);
        for (k, skip) in skips.chunks(2).enumerate() {
            before += skip[0];
            at += skip[1] as usize;
            let block = (k + 1) * SKIP_BLOCK;
            // The document before the block, plus one, and the block's first gap.
            assert_eq!(before, docs[block - 1] + 1);
            let gap = gaps[at..].split(',').next().unwrap();
            assert_eq!(u32::from_str_radix(gap, 36).unwrap(), docs[block] - docs[block - 1], "block {k}");
            assert!(at == 0 || gaps.as_bytes()[at - 1] == b',');
        }
        // A short list has none.
        let mut short = Postings::new(0);
        short.add(0, None, &analysis);
        let mut json = String::new();
        weights.write(&short.lists[0], &mut json);
        assert_eq!(json.split("\",\"").count(), 2);
    }

    #[test]
    fn long_pair_lists_sort_by_hash_then_document() {
        let mut pairs: Vec<u64> =
            (0..20_000u64).flat_map(|doc| [(doc * 7919 % 1_679_616) << 32 | doc, 5 << 32 | doc]).collect();
        let mut expected = pairs.clone();
        expected.sort_unstable();
        sort_by_hash(&mut pairs);
        assert_eq!(pairs, expected);
    }

    #[test]
    fn json_strings_are_escaped() {
        for text in ["plain", "say \"hi\"", "back\\slash", "tab\tand\u{1}", "Zoë’s café"] {
            let mut json = String::new();
            push_json_str(&mut json, text);
            assert_eq!(serde_json::from_str::<String>(&json).unwrap(), text, "{json}");
        }
    }

    #[test]
    fn base36_gaps() {
        let mut s = String::new();
        for n in [1, 35, 36, 1_000_000] {
            push_base36(&mut s, n);
            s.push(' ');
        }
        assert_eq!(s, "1 z 10 lfls ");
    }
}
