//! Each indexed article's words, kept between builds in the site's cache
//! folder and found by a hash of everything the index reads from the
//! article: a rebuild analyses only new and changed articles.
//!
//! Two files under `<cache>/search/`: `terms-<generation>.bin`, the
//! analysed articles one after the other (only ever appended to), and
//! `terms.idx`, which names the generation and where each article's entry
//! is. The index file is replaced whole (written beside it, then renamed),
//! so a build stopped midway leaves the previous one usable; when most of
//! the `.bin` is entries no article uses any more, it is written again
//! under the next generation.

use std::collections::HashMap;
use std::fs::{self, File, OpenOptions};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::{Context as _, Result};

pub(crate) type Key = [u8; 16];

/// Where each entry is in the `.bin` file: offset and length.
type Entries = HashMap<Key, (u64, u32)>;

const MAGIC: &[u8; 8] = b"BSSRCH01";
const HEADER: usize = 8 + 8 + 8;
const ENTRY: usize = 16 + 8 + 4;

/// The cache of a build: what the previous builds left, and what this one
/// used and added.
pub(crate) struct Cache {
    dir: PathBuf,
    generation: u64,
    /// The entries the last build recorded, and the file holding them.
    old: Option<(File, Entries)>,
    /// What this build used and added (only the merging thread writes).
    writer: Mutex<Writer>,
}

struct Writer {
    bin_len: u64,
    /// This build's entries, in use order.
    used: Vec<(Key, u64, u32)>,
    appender: Option<BufWriter<File>>,
    /// Whether anything was added (else the index is left as it is).
    added: usize,
}

impl Cache {
    /// Opens the cache in `dir` (made when missing); a cache that cannot be
    /// read is started again.
    pub(crate) fn open(cache: &Path) -> Result<Cache> {
        let dir = cache.join("search");
        broadsheet_base::cache::make_cache(cache, &dir)?;
        let writer = Writer { bin_len: 0, used: Vec::new(), appender: None, added: 0 };
        let mut c = Cache { dir, generation: 0, old: None, writer: Mutex::new(writer) };
        if let Some((generation, bin_len, entries)) = read_index(&c.dir.join("terms.idx")) {
            let bin = c.bin(generation);
            if let Ok(file) = File::open(&bin)
                && file.metadata().is_ok_and(|m| m.len() >= bin_len)
            {
                c.generation = generation;
                c.writer = Mutex::new(Writer { bin_len, used: Vec::new(), appender: None, added: 0 });
                c.old = Some((file, entries));
            } else {
                c.generation = generation + 1;
            }
        }
        Ok(c)
    }

    fn bin(&self, generation: u64) -> PathBuf {
        self.dir.join(format!("terms-{generation}.bin"))
    }

    /// The entry kept for `key`, if any (called from many threads).
    pub(crate) fn get(&self, key: &Key) -> Option<Stored> {
        let (file, entries) = self.old.as_ref()?;
        let &(offset, len) = entries.get(key)?;
        let mut bytes = vec![0; len as usize];
        read_at(file, &mut bytes, offset).ok()?;
        Some(Stored { offset, bytes })
    }

    /// Notes that this build used `key`'s entry `stored`.
    pub(crate) fn keep(&self, key: Key, stored: &Stored) {
        self.writer().used.push((key, stored.offset, stored.bytes.len() as u32));
    }

    fn writer(&self) -> std::sync::MutexGuard<'_, Writer> {
        self.writer.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Adds a new entry.
    pub(crate) fn add(&self, key: Key, bytes: &[u8]) -> Result<()> {
        let mut w = self.writer();
        let mut appender = match w.appender.take() {
            Some(appender) => appender,
            None => {
                let bin = self.bin(self.generation);
                if self.old.is_none() {
                    // A fresh generation: nothing of an earlier file is used.
                    let _ = fs::remove_file(&bin);
                    w.bin_len = 0;
                }
                let file = OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(&bin)
                    .with_context(|| format!("cannot write the search cache {}", bin.display()))?;
                // A build stopped after appending leaves bytes no index names.
                let cut = file.set_len(w.bin_len);
                cut.with_context(|| format!("cannot write the search cache {}", bin.display()))?;
                BufWriter::new(file)
            }
        };
        let at = w.bin_len;
        appender.write_all(bytes).context("cannot write the search cache")?;
        w.appender = Some(appender);
        w.used.push((key, at, bytes.len() as u32));
        w.bin_len += bytes.len() as u64;
        w.added += 1;
        Ok(())
    }

    /// Saves what this build used (the next build starts from it); returns
    /// how many entries were added.
    pub(crate) fn finish(mut self) -> Result<usize> {
        let mut w = std::mem::replace(
            self.writer.get_mut().unwrap_or_else(|p| p.into_inner()),
            Writer { bin_len: 0, used: Vec::new(), appender: None, added: 0 },
        );
        // Not synced to disk: an fsync waits for every page the build wrote
        // (seconds), and an entry lost to a crash only reads as damaged
        // (`parse` refuses it) and is analysed again.
        if let Some(mut writer) = w.appender.take() {
            writer.flush().context("cannot write the search cache")?;
        }
        let same_entries = self.old.as_ref().is_some_and(|(_, old)| {
            old.len() == w.used.len() && w.used.iter().all(|(k, o, _)| old.get(k).is_some_and(|(x, _)| x == o))
        });
        if w.added == 0 && same_entries {
            return Ok(0);
        }
        let live: u64 = w.used.iter().map(|&(_, _, len)| u64::from(len)).sum();
        if w.bin_len > 2 * live + (8 << 20) {
            self.compact(&mut w)?;
        }
        let mut index = Vec::with_capacity(HEADER + w.used.len() * ENTRY);
        index.extend_from_slice(MAGIC);
        index.extend_from_slice(&self.generation.to_le_bytes());
        index.extend_from_slice(&w.bin_len.to_le_bytes());
        let mut seen = std::collections::HashSet::with_capacity(w.used.len());
        for (key, offset, len) in &w.used {
            if seen.insert(key) {
                index.extend_from_slice(key);
                index.extend_from_slice(&offset.to_le_bytes());
                index.extend_from_slice(&len.to_le_bytes());
            }
        }
        broadsheet_base::cache::put(&self.dir.join("terms.idx"), &index)?;
        let previous = self.generation.checked_sub(1).map(|g| self.bin(g));
        if let Some(stale) = previous.filter(|p| p.exists()) {
            let _ = fs::remove_file(stale);
        }
        Ok(w.added)
    }

    /// Writes the entries in use to the next generation's file.
    fn compact(&mut self, w: &mut Writer) -> Result<()> {
        let from = File::open(self.bin(self.generation)).context("cannot read the search cache")?;
        let next = self.bin(self.generation + 1);
        let mut out = BufWriter::new(File::create(&next).with_context(|| format!("cannot write {}", next.display()))?);
        let mut at = 0u64;
        let mut moved = HashMap::new();
        for entry in &mut w.used {
            let (key, offset, len) = *entry;
            let new_offset = moved.entry(key).or_insert_with(|| {
                let mut bytes = vec![0; len as usize];
                let placed = read_at(&from, &mut bytes, offset).and_then(|()| out.write_all(&bytes)).map(|()| at);
                at += u64::from(len);
                placed
            });
            let new_offset =
                new_offset.as_ref().map_err(|e| anyhow::anyhow!("cannot compact the search cache: {e}"))?;
            entry.1 = *new_offset;
        }
        out.flush().context("cannot write the search cache")?;
        self.generation += 1;
        w.bin_len = at;
        Ok(())
    }
}

/// An entry read back, and where it was.
pub(crate) struct Stored {
    offset: u64,
    pub bytes: Vec<u8>,
}

fn read_index(path: &Path) -> Option<(u64, u64, Entries)> {
    let bytes = fs::read(path).ok()?;
    if bytes.len() < HEADER || &bytes[..8] != MAGIC || !(bytes.len() - HEADER).is_multiple_of(ENTRY) {
        return None;
    }
    let u64_at = |i: usize| le_u64(&bytes[i..i + 8]);
    let (generation, bin_len) = (u64_at(8), u64_at(16));
    let mut entries = HashMap::with_capacity((bytes.len() - HEADER) / ENTRY);
    for entry in bytes[HEADER..].chunks_exact(ENTRY) {
        let mut key: Key = [0; 16];
        key.copy_from_slice(&entry[..16]);
        let offset = le_u64(&entry[16..24]);
        let mut len = [0; 4];
        len.copy_from_slice(&entry[24..28]);
        let len = u32::from_le_bytes(len);
        if offset + u64::from(len) > bin_len {
            return None;
        }
        entries.insert(key, (offset, len));
    }
    Some((generation, bin_len, entries))
}

/// The little-endian number in the 8 bytes of `bytes`.
fn le_u64(bytes: &[u8]) -> u64 {
    let mut n = [0; 8];
    n.copy_from_slice(bytes);
    u64::from_le_bytes(n)
}

#[cfg(unix)]
fn read_at(file: &File, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
}

#[cfg(windows)]
fn read_at(file: &File, mut buf: &mut [u8], mut offset: u64) -> std::io::Result<()> {
    while !buf.is_empty() {
        match std::os::windows::fs::FileExt::seek_read(file, buf, offset)? {
            0 => return Err(std::io::ErrorKind::UnexpectedEof.into()),
            n => {
                buf = &mut buf[n..];
                offset += n as u64;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_survive_a_build_and_compaction_keeps_only_those_in_use() {
        let dir = tempfile::tempdir().unwrap();
        let big = vec![7u8; 9 << 20];
        let cache = Cache::open(dir.path()).unwrap();
        cache.add([1; 16], b"one").unwrap();
        cache.add([2; 16], &big).unwrap();
        assert_eq!(cache.finish().unwrap(), 2);

        let cache = Cache::open(dir.path()).unwrap();
        let one = cache.get(&[1; 16]).expect("kept");
        assert_eq!(one.bytes, b"one");
        cache.keep([1; 16], &one);
        cache.add([3; 16], b"three").unwrap();
        cache.finish().unwrap();

        // The big entry is no longer used: the file was written again
        // without it.
        let cache = Cache::open(dir.path()).unwrap();
        assert!(cache.get(&[2; 16]).is_none());
        assert_eq!(cache.get(&[3; 16]).unwrap().bytes, b"three");
        assert_eq!(cache.get(&[1; 16]).unwrap().bytes, b"one");
        let bins: Vec<_> = fs::read_dir(dir.path().join("search"))
            .unwrap()
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .filter(|n| n.ends_with(".bin"))
            .collect();
        assert_eq!(bins, ["terms-1.bin"]);
        assert!(fs::metadata(dir.path().join("search/terms-1.bin")).unwrap().len() < 100);
    }

    #[test]
    fn a_damaged_index_starts_the_cache_again() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::open(dir.path()).unwrap();
        cache.add([1; 16], b"one").unwrap();
        cache.finish().unwrap();
        fs::write(dir.path().join("search/terms.idx"), b"BSSRCH01 but not quite").unwrap();
        let cache = Cache::open(dir.path()).unwrap();
        assert!(cache.get(&[1; 16]).is_none());
        cache.add([1; 16], b"uno").unwrap();
        cache.finish().unwrap();
        assert_eq!(Cache::open(dir.path()).unwrap().get(&[1; 16]).unwrap().bytes, b"uno");
    }
}
