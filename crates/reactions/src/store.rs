//! The reactions database (SQLite, WAL).
//!
//! Two tables: `votes` holds each reader's current reaction to an article
//! (the reader as a hash of their random token and the article: no
//! address, nothing personal, and nothing that ties one reader's votes on
//! two articles together), and `counts` the totals, changed in the same
//! transaction as the vote, so a read is one indexed lookup however
//! popular the story.
//!
//! `PRAGMA user_version` says how readers are stored: 0 (databases made
//! before per-article readers) by a hash of the token alone, 1 per article.
//! Opening a version-0 database rewrites its readers once, in one
//! transaction, from the stored hash (the token is not needed), so every
//! vote is kept and its reader can still change it.
//!
//! Votes are written by one thread that takes whatever votes are waiting
//! and commits them as one transaction (group commit: a spike of votes
//! costs one WAL append per group, not per vote). Each vote is answered
//! only after its transaction committed, so a vote that was answered
//! survives the process being killed. `synchronous = NORMAL`: a power cut
//! (not a crash) may lose the last moments' votes.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::mpsc::{Receiver, SyncSender, TrySendError};
use std::thread::JoinHandle;
use std::time::Duration;

use anyhow::Context;
use rusqlite::{Connection, OpenFlags, OptionalExtension, TransactionBehavior, params};
use serde::{Deserialize, Serialize};

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS votes (
    article TEXT NOT NULL,
    reader BLOB NOT NULL,
    reaction TEXT NOT NULL,
    PRIMARY KEY (article, reader)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS counts (
    article TEXT NOT NULL,
    reaction TEXT NOT NULL,
    n INTEGER NOT NULL CHECK (n >= 0),
    PRIMARY KEY (article, reaction)
) WITHOUT ROWID;
";

/// Votes waiting for the writer beyond this are refused (503): memory
/// stays bounded whatever arrives.
const QUEUE: usize = 8192;
/// The most votes committed in one transaction.
const GROUP: usize = 512;
/// Read connections: at most this many are open at once (the service
/// waits for one rather than opening more), and as many are kept idle.
pub const READERS: usize = 8;

/// `PRAGMA user_version` of a database whose readers are per article.
const PER_ARTICLE_READERS: i64 = 1;
/// BLAKE3's context for a reader's per-article id.
const READER_CONTEXT: &str = "broadsheet reactions 2026-12 reader of one article";

/// A reader, as stored: 16 bytes naming one reader on one article only.
/// They come from the random token their browser made, hashed (the first
/// 16 bytes of its BLAKE3 hash, what version-0 databases stored), then
/// hashed again with the article's id. The token itself is not kept, and
/// the same token gives unrelated ids on two articles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reader([u8; 16]);

impl Reader {
    /// The reader with this token, on this article.
    pub fn new(token: &str, article: &str) -> Reader {
        let hash = blake3::hash(token.as_bytes());
        Reader::on_article(&hash.as_bytes()[..16], article)
    }

    /// A version-0 reader (the token's hash) as a reader of `article`.
    fn on_article(token_hash: &[u8], article: &str) -> Reader {
        let mut hasher = blake3::Hasher::new_derive_key(READER_CONTEXT);
        hasher.update(token_hash);
        hasher.update(article.as_bytes());
        let mut bytes = [0; 16];
        bytes.copy_from_slice(&hasher.finalize().as_bytes()[..16]);
        Reader(bytes)
    }

    fn from_hex(hex: &str) -> Option<Reader> {
        if hex.len() != 32 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let mut bytes = [0; 16];
        for (i, byte) in bytes.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).ok()?;
        }
        Some(Reader(bytes))
    }
}

/// What the reader says their reaction was before this one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Previous {
    /// Not said (the no-JavaScript form): whatever it was is taken back.
    Any,
    /// Said: the vote is refused unless it matches what is stored.
    Was(Option<String>),
}

/// A reader's vote, its article and labels already checked against the
/// site's by the service.
#[derive(Debug, Clone)]
pub struct Vote {
    /// The article's id: its route without the trailing slash (`world/story`).
    pub article: String,
    /// Who votes, as stored for this article.
    pub reader: Reader,
    /// The label chosen; it replaces the reader's earlier one.
    pub reaction: String,
    /// What the reader says they had chosen before.
    pub previous: Previous,
}

/// What became of a vote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Counted (or already the reader's reaction).
    Counted,
    /// Refused, nothing changed: `previous` was not the reader's stored
    /// reaction, which is this.
    Conflict {
        /// The reader's stored reaction; `None` when they have none.
        yours: Option<String>,
    },
}

/// An article's counts by label.
pub type Counts = HashMap<String, u64>;

/// Opens (creating if needed) the database for writing, its readers
/// stored per article.
pub fn open(path: &Path) -> anyhow::Result<Connection> {
    let mut conn = Connection::open(path).with_context(|| format!("cannot open the database {}", path.display()))?;
    prepare(&conn).with_context(|| format!("{} is not a reactions database", path.display()))?;
    let version = migrate(&mut conn).with_context(|| format!("cannot update the database {}", path.display()))?;
    if version > PER_ARTICLE_READERS {
        anyhow::bail!(
            "{} was written by a newer Broadsheet (database version {version}; this one reads {PER_ARTICLE_READERS})",
            path.display()
        );
    }
    Ok(conn)
}

fn prepare(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(Duration::from_secs(10))?;
    let mode: String = conn.pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(rusqlite::Error::InvalidQuery);
    }
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.execute_batch(SCHEMA)
}

/// Brings a version-0 database's readers to per-article ids (a new
/// database too: it has none yet), all in one transaction; answers the
/// database's version.
fn migrate(conn: &mut Connection) -> rusqlite::Result<i64> {
    let version = |c: &Connection| c.pragma_query_value(None, "user_version", |row| row.get::<_, i64>(0));
    if version(conn)? != 0 {
        return version(conn);
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    // Another process may have done it while this one waited.
    if version(&tx)? != 0 {
        return version(&tx);
    }
    tx.execute_batch(
        "CREATE TABLE votes_per_article (
            article TEXT NOT NULL,
            reader BLOB NOT NULL,
            reaction TEXT NOT NULL,
            PRIMARY KEY (article, reader)
        ) WITHOUT ROWID;",
    )?;
    {
        let mut old = tx.prepare("SELECT article, reader, reaction FROM votes")?;
        let mut insert = tx.prepare("INSERT INTO votes_per_article (article, reader, reaction) VALUES (?1, ?2, ?3)")?;
        let mut rows = old.query([])?;
        while let Some(row) = rows.next()? {
            let (article, reader, reaction): (String, Vec<u8>, String) = (row.get(0)?, row.get(1)?, row.get(2)?);
            insert.execute(params![article, Reader::on_article(&reader, &article).0, reaction])?;
        }
    }
    tx.execute_batch("DROP TABLE votes; ALTER TABLE votes_per_article RENAME TO votes;")?;
    tx.pragma_update(None, "user_version", PER_ARTICLE_READERS)?;
    tx.commit()?;
    Ok(PER_ARTICLE_READERS)
}

/// Records a vote; the caller commits.
fn apply(conn: &Connection, vote: &Vote) -> rusqlite::Result<Outcome> {
    let current: Option<String> = conn
        .prepare_cached("SELECT reaction FROM votes WHERE article = ?1 AND reader = ?2")?
        .query_row(params![vote.article, vote.reader.0], |row| row.get(0))
        .optional()?;
    if let Previous::Was(previous) = &vote.previous
        && *previous != current
    {
        return Ok(Outcome::Conflict { yours: current });
    }
    if current.as_deref() == Some(vote.reaction.as_str()) {
        return Ok(Outcome::Counted);
    }
    if let Some(old) = &current {
        conn.prepare_cached("UPDATE counts SET n = n - 1 WHERE article = ?1 AND reaction = ?2 AND n > 0")?
            .execute(params![vote.article, old])?;
    }
    conn.prepare_cached(
        "INSERT INTO votes (article, reader, reaction) VALUES (?1, ?2, ?3)
         ON CONFLICT (article, reader) DO UPDATE SET reaction = excluded.reaction",
    )?
    .execute(params![vote.article, vote.reader.0, vote.reaction])?;
    conn.prepare_cached(
        "INSERT INTO counts (article, reaction, n) VALUES (?1, ?2, 1)
         ON CONFLICT (article, reaction) DO UPDATE SET n = n + 1",
    )?
    .execute(params![vote.article, vote.reaction])?;
    Ok(Outcome::Counted)
}

/// An article's counts.
pub fn counts(conn: &Connection, article: &str) -> rusqlite::Result<Counts> {
    let mut stmt = conn.prepare_cached("SELECT reaction, n FROM counts WHERE article = ?1")?;
    let rows = stmt.query_map([article], |row| Ok((row.get::<_, String>(0)?, row.get::<_, i64>(1)?)))?;
    rows.map(|r| r.map(|(label, n)| (label, n.max(0) as u64))).collect()
}

/// Votes and articles in the whole database, for the minute log.
pub fn totals(conn: &Connection) -> rusqlite::Result<(u64, u64)> {
    conn.query_row("SELECT COUNT(*), COUNT(DISTINCT article) FROM votes", [], |row| {
        Ok((row.get::<_, i64>(0)? as u64, row.get::<_, i64>(1)? as u64))
    })
}

/// A vote waiting for the writer, and where its answer goes.
struct Job {
    vote: Vote,
    reply: tokio::sync::oneshot::Sender<Result<(Outcome, Counts), String>>,
}

/// Why a vote was not taken.
#[derive(Debug)]
pub enum WriteError {
    /// Too many votes are waiting: try again shortly.
    Busy,
    /// The database failed (the message says how) or the service is
    /// stopping.
    Failed(String),
}

/// The one writer: a thread owning the write connection.
pub struct Writer {
    jobs: Mutex<Option<SyncSender<Job>>>,
    thread: Mutex<Option<JoinHandle<()>>>,
}

impl Writer {
    /// Opens the database at `path` (see [`open`]) and starts the writer's
    /// thread; fails as [`open`] does, or when the thread cannot start.
    pub fn start(path: &Path) -> anyhow::Result<Writer> {
        let conn = open(path)?;
        let (jobs, rx) = std::sync::mpsc::sync_channel(QUEUE);
        let thread = std::thread::Builder::new()
            .name("reactions-writer".into())
            .spawn(move || write_loop(conn, rx))
            .context("cannot start the database writer")?;
        Ok(Writer { jobs: Mutex::new(Some(jobs)), thread: Mutex::new(Some(thread)) })
    }

    /// Records a vote; answers once it is committed.
    pub async fn vote(&self, vote: Vote) -> Result<(Outcome, Counts), WriteError> {
        let (reply, answer) = tokio::sync::oneshot::channel();
        let jobs = self.jobs.lock().ok().and_then(|jobs| jobs.clone());
        let Some(jobs) = jobs else { return Err(WriteError::Failed("the service is stopping".into())) };
        match jobs.try_send(Job { vote, reply }) {
            Ok(()) => {}
            Err(TrySendError::Full(_)) => return Err(WriteError::Busy),
            Err(TrySendError::Disconnected(_)) => return Err(WriteError::Failed("the writer stopped".into())),
        }
        drop(jobs);
        match answer.await {
            Ok(result) => result.map_err(WriteError::Failed),
            Err(_) => Err(WriteError::Failed("the writer stopped".into())),
        }
    }

    /// Commits what is waiting, then stops the writer (blocking).
    pub fn finish(&self) {
        if let Ok(mut jobs) = self.jobs.lock() {
            jobs.take();
        }
        let thread = self.thread.lock().ok().and_then(|mut t| t.take());
        if let Some(thread) = thread {
            let _ = thread.join();
        }
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        self.finish();
    }
}

fn write_loop(mut conn: Connection, rx: Receiver<Job>) {
    while let Ok(first) = rx.recv() {
        let mut group = vec![first];
        while group.len() < GROUP {
            match rx.try_recv() {
                Ok(job) => group.push(job),
                Err(_) => break,
            }
        }
        let (jobs, votes): (Vec<_>, Vec<_>) = group.into_iter().map(|j| (j.reply, j.vote)).unzip();
        match write_group(&mut conn, &votes) {
            Ok(results) => {
                for (reply, result) in jobs.into_iter().zip(results) {
                    let _ = reply.send(result);
                }
            }
            Err(e) => {
                for reply in jobs {
                    let _ = reply.send(Err(format!("the database refused the write: {e}")));
                }
            }
        }
    }
    // The last connection closing checkpoints the WAL into the database.
    drop(conn);
}

/// One transaction for a group of votes. A vote whose statements fail is
/// rolled back alone (a savepoint each); the others still count.
#[allow(clippy::type_complexity)]
fn write_group(conn: &mut Connection, votes: &[Vote]) -> rusqlite::Result<Vec<Result<(Outcome, Counts), String>>> {
    let mut tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let mut results = Vec::with_capacity(votes.len());
    for vote in votes {
        let sp = tx.savepoint()?;
        let result = apply(&sp, vote).and_then(|outcome| Ok((outcome, counts(&sp, &vote.article)?)));
        match result {
            Ok(done) => {
                sp.commit()?;
                results.push(Ok(done));
            }
            Err(e) => {
                drop(sp);
                results.push(Err(format!("the database refused the vote: {e}")));
            }
        }
    }
    tx.commit()?;
    Ok(results)
}

/// Read-only connections for counts, reused.
pub struct Readers {
    path: PathBuf,
    idle: Mutex<Vec<Connection>>,
}

impl Readers {
    /// Connections to the database at `path`, each opened when first
    /// needed (none is opened here).
    pub fn new(path: &Path) -> Readers {
        Readers { path: path.to_path_buf(), idle: Mutex::new(Vec::new()) }
    }

    /// Runs `f` with a read connection (blocking: call from a blocking
    /// thread).
    pub fn with<R>(&self, f: impl FnOnce(&Connection) -> rusqlite::Result<R>) -> rusqlite::Result<R> {
        let idle = self.idle.lock().ok().and_then(|mut idle| idle.pop());
        let conn = match idle {
            Some(conn) => conn,
            None => {
                let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
                let conn = Connection::open_with_flags(&self.path, flags)?;
                conn.busy_timeout(Duration::from_secs(10))?;
                conn
            }
        };
        let result = f(&conn);
        if let Ok(mut idle) = self.idle.lock()
            && idle.len() < READERS
        {
            idle.push(conn);
        }
        result
    }
}

/// `broadsheet reactions export`'s format.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Export {
    /// Always `broadsheet-reactions`; anything else is refused.
    pub format: String,
    /// 2 when written now; 1 (readers by their token's hash) is still read.
    pub version: u32,
    /// Article id -> label -> count.
    pub counts: BTreeMap<String, BTreeMap<String, u64>>,
    /// Each reader's current reaction (the reader as its stored hash: per
    /// article from version 2 on, the token's hash in version 1), so an
    /// imported database still takes one reaction per reader.
    #[serde(default)]
    pub votes: Vec<ExportedVote>,
}

/// One reader's current reaction to one article, in an export.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportedVote {
    /// The article's id (`world/story`).
    pub id: String,
    /// The reader as stored, in 32 hexadecimal digits.
    pub reader: String,
    /// The label they chose.
    pub reaction: String,
}

const EXPORT_FORMAT: &str = "broadsheet-reactions";
/// Version 2: readers per article. Version 1 (readers by their token's
/// hash) is still read, its readers made per article on the way in.
const EXPORT_VERSION: u32 = 2;

/// Everything in the database.
pub fn export(conn: &Connection) -> anyhow::Result<Export> {
    let mut counts: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
    let mut stmt = conn.prepare("SELECT article, reaction, n FROM counts WHERE n > 0 ORDER BY article, reaction")?;
    let rows =
        stmt.query_map([], |row| Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?, row.get::<_, i64>(2)?)))?;
    for row in rows {
        let (article, reaction, n) = row?;
        counts.entry(article).or_default().insert(reaction, n.max(0) as u64);
    }
    let mut stmt = conn.prepare("SELECT article, reader, reaction FROM votes ORDER BY article, reader")?;
    let rows =
        stmt.query_map([], |row| Ok((row.get::<_, String>(0)?, row.get::<_, Vec<u8>>(1)?, row.get::<_, String>(2)?)))?;
    let mut votes = Vec::new();
    for row in rows {
        let (id, reader, reaction) = row?;
        let reader = hex(&reader);
        votes.push(ExportedVote { id, reader, reaction });
    }
    Ok(Export { format: EXPORT_FORMAT.into(), version: EXPORT_VERSION, counts, votes })
}

/// What an import changed.
#[derive(Debug, PartialEq, Eq)]
pub struct Imported {
    /// Articles whose counts the export replaced.
    pub articles: usize,
    /// Votes read from the export, each added or replacing the reader's.
    pub votes: usize,
}

/// Reads an export: the counts of each article in it replace the
/// database's, and its votes are added (a reader's vote replaces theirs).
/// All or nothing: one transaction.
pub fn import(conn: &mut Connection, text: &str, from: &str) -> anyhow::Result<Imported> {
    let data: Export = serde_json::from_str(text)
        .map_err(|e| anyhow::anyhow!("{from}:{}:{}: not a reactions export: {e}", e.line(), e.column()))?;
    if data.format != EXPORT_FORMAT || !(1..=EXPORT_VERSION).contains(&data.version) {
        anyhow::bail!("{from}: not a reactions export (format {:?}, version {})", data.format, data.version);
    }
    let mut readers = Vec::with_capacity(data.votes.len());
    for (i, vote) in data.votes.iter().enumerate() {
        let reader = Reader::from_hex(&vote.reader).ok_or_else(|| {
            anyhow::anyhow!("{from}: vote {} has reader {:?}: expected 32 hexadecimal digits", i + 1, vote.reader)
        })?;
        readers.push(if data.version == 1 { Reader::on_article(&reader.0, &vote.id) } else { reader });
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    for (article, labels) in &data.counts {
        tx.execute("DELETE FROM counts WHERE article = ?1", [article])?;
        for (label, n) in labels {
            let n = i64::try_from(*n).with_context(|| format!("{from}: {article} {label}: {n} is too large"))?;
            tx.execute("INSERT INTO counts (article, reaction, n) VALUES (?1, ?2, ?3)", params![article, label, n])?;
        }
    }
    for (vote, reader) in data.votes.iter().zip(&readers) {
        tx.execute(
            "INSERT INTO votes (article, reader, reaction) VALUES (?1, ?2, ?3)
             ON CONFLICT (article, reader) DO UPDATE SET reaction = excluded.reaction",
            params![vote.id, reader.0, vote.reaction],
        )?;
    }
    tx.commit()?;
    Ok(Imported { articles: data.counts.len(), votes: data.votes.len() })
}

/// Bytes as lowercase hexadecimal.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vote(reader: &str, reaction: &str, previous: Previous) -> Vote {
        Vote { article: "news/a".into(), reader: Reader::new(reader, "news/a"), reaction: reaction.into(), previous }
    }

    fn db() -> (tempfile::TempDir, Connection) {
        let dir = tempfile::tempdir().unwrap();
        let conn = open(&dir.path().join("r.sqlite")).unwrap();
        (dir, conn)
    }

    #[test]
    fn a_changed_reaction_moves_the_count_and_a_wrong_previous_changes_nothing() {
        let (_dir, mut conn) = db();
        let group = [
            vote("reader-one-token", "Happy", Previous::Was(None)),
            vote("reader-two-token", "Happy", Previous::Any),
            vote("reader-one-token", "Silly", Previous::Was(Some("Happy".into()))),
            vote("reader-two-token", "Silly", Previous::Was(Some("Excited".into()))),
        ];
        let results = write_group(&mut conn, &group).unwrap();
        let outcomes: Vec<_> = results.into_iter().map(|r| r.unwrap().0).collect();
        assert_eq!(outcomes[..3], [Outcome::Counted, Outcome::Counted, Outcome::Counted]);
        assert_eq!(outcomes[3], Outcome::Conflict { yours: Some("Happy".into()) });
        let counts = counts(&conn, "news/a").unwrap();
        assert_eq!((counts["Happy"], counts["Silly"]), (1, 1));
    }

    #[test]
    fn counts_never_go_below_zero() {
        let (_dir, mut conn) = db();
        write_group(&mut conn, &[vote("reader-one-token", "Happy", Previous::Any)]).unwrap();
        // Counts imported lower than the votes behind them.
        conn.execute("UPDATE counts SET n = 0", []).unwrap();
        write_group(&mut conn, &[vote("reader-one-token", "Silly", Previous::Any)]).unwrap();
        let counts = counts(&conn, "news/a").unwrap();
        assert_eq!((counts["Happy"], counts["Silly"]), (0, 1));
    }

    #[test]
    fn an_export_imports_into_an_empty_database_as_it_was() {
        let (_dir, mut conn) = db();
        let group =
            [vote("a-reader-token-1", "Happy", Previous::Any), vote("a-reader-token-2", "Silly", Previous::Any)];
        write_group(&mut conn, &group).unwrap();
        let text = serde_json::to_string(&export(&conn).unwrap()).unwrap();
        let (_dir2, mut other) = db();
        assert_eq!(import(&mut other, &text, "x.json").unwrap(), Imported { articles: 1, votes: 2 });
        assert_eq!(counts(&other, "news/a").unwrap(), counts(&conn, "news/a").unwrap());
        // The imported reader still has one reaction: changing it moves it.
        write_group(&mut other, &[vote("a-reader-token-1", "Silly", Previous::Was(Some("Happy".into())))]).unwrap();
        let after = counts(&other, "news/a").unwrap();
        assert_eq!((after["Happy"], after["Silly"]), (0, 2));
    }

    #[test]
    fn one_token_is_an_unrelated_reader_on_each_article() {
        let (a, b) = (Reader::new("reader-one-token", "news/a"), Reader::new("reader-one-token", "news/b"));
        assert_ne!(a, b);
        assert_eq!(a, Reader::new("reader-one-token", "news/a"), "the same reader on the same article");
        assert_ne!(a, Reader::new("reader-two-token", "news/a"));
        let token_hash = blake3::hash(b"reader-one-token").as_bytes()[..16].to_vec();
        assert!(
            a.0[..] != token_hash[..] && b.0[..] != token_hash[..],
            "not the token's hash, which would tie them together"
        );
    }

    /// A database as Broadsheet wrote it before readers were per article:
    /// readers by their token's hash, `user_version` 0.
    fn version_0_database(path: &Path, votes: &[(&str, &str, &str)]) {
        let conn = Connection::open(path).unwrap();
        conn.execute_batch(SCHEMA).unwrap();
        for (article, token, reaction) in votes {
            let reader = blake3::hash(token.as_bytes()).as_bytes()[..16].to_vec();
            conn.execute("INSERT INTO votes VALUES (?1, ?2, ?3)", params![article, reader, reaction]).unwrap();
            conn.execute(
                "INSERT INTO counts VALUES (?1, ?2, 1) ON CONFLICT DO UPDATE SET n = n + 1",
                params![article, reaction],
            )
            .unwrap();
        }
    }

    #[test]
    fn a_version_0_database_keeps_every_vote_and_each_reader_can_still_change_theirs() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.sqlite");
        let votes = [
            ("news/a", "reader-one-token", "Happy"),
            ("news/b", "reader-one-token", "Silly"),
            ("news/a", "reader-two-token", "Happy"),
        ];
        version_0_database(&path, &votes);
        let mut conn = open(&path).unwrap();
        let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
        assert_eq!(version, PER_ARTICLE_READERS);
        assert_eq!(totals(&conn).unwrap(), (3, 2), "every vote kept");
        assert_eq!(counts(&conn, "news/a").unwrap()["Happy"], 2);
        let readers = |article: &str| -> Vec<Vec<u8>> {
            let mut stmt = conn.prepare("SELECT reader FROM votes WHERE article = ?1").unwrap();
            stmt.query_map([article], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
        };
        let (a, b) = (readers("news/a"), readers("news/b"));
        assert!(a.iter().all(|r| !b.contains(r)), "no reader id on both articles: {a:?} {b:?}");
        // Reader one changes their vote on news/a: it moves, once.
        let change = Vote {
            article: "news/a".into(),
            reader: Reader::new("reader-one-token", "news/a"),
            reaction: "Silly".into(),
            previous: Previous::Was(Some("Happy".into())),
        };
        let results = write_group(&mut conn, std::slice::from_ref(&change)).unwrap();
        assert_eq!(results[0].as_ref().unwrap().0, Outcome::Counted);
        let after = counts(&conn, "news/a").unwrap();
        assert_eq!((after["Happy"], after["Silly"]), (1, 1));
        assert_eq!(totals(&conn).unwrap(), (3, 2), "changed, not added");
        drop(conn);
        // Opening it again changes nothing more: the reader is the same.
        let mut conn = open(&path).unwrap();
        let back = Vote { reaction: "Happy".into(), previous: Previous::Was(Some("Silly".into())), ..change };
        assert_eq!(write_group(&mut conn, &[back]).unwrap()[0].as_ref().unwrap().0, Outcome::Counted);
        assert_eq!(counts(&conn, "news/a").unwrap()["Happy"], 2);
    }

    #[test]
    fn a_version_1_export_is_read_with_its_readers_made_per_article() {
        let reader = hex(&blake3::hash(b"a-reader-token-1").as_bytes()[..16]);
        let text = format!(
            r#"{{"format":"broadsheet-reactions","version":1,"counts":{{"news/a":{{"Happy":1}}}},"votes":[{{"id":"news/a","reader":"{reader}","reaction":"Happy"}}]}}"#
        );
        let (_dir, mut conn) = db();
        import(&mut conn, &text, "old.json").unwrap();
        write_group(&mut conn, &[vote("a-reader-token-1", "Silly", Previous::Was(Some("Happy".into())))]).unwrap();
        let after = counts(&conn, "news/a").unwrap();
        assert_eq!((after["Happy"], after["Silly"]), (0, 1), "the imported reader changed their vote");
        assert_eq!(export(&conn).unwrap().version, EXPORT_VERSION);
    }

    #[test]
    fn a_bad_import_names_line_and_column_and_changes_nothing() {
        let (_dir, mut conn) = db();
        let err =
            import(&mut conn, "{\"format\": \"broadsheet-reactions\",\n \"version\": 1, \"counts\": [}", "c.json")
                .unwrap_err()
                .to_string();
        assert!(err.starts_with("c.json:2:"), "{err}");
        let bad_reader = r#"{"format":"broadsheet-reactions","version":1,"counts":{"news/a":{"Happy":2}},"votes":[{"id":"news/a","reader":"zz","reaction":"Happy"}]}"#;
        assert!(import(&mut conn, bad_reader, "c.json").unwrap_err().to_string().contains("32 hexadecimal"));
        assert!(counts(&conn, "news/a").unwrap().is_empty(), "nothing imported");
    }
}
