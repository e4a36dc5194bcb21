//! The local stack's embedded database: one SQLite file in WAL mode, so several
//! `orderctl` processes can use the same stack at once, and every accepted message
//! survives a crash of any of them.
//!
//! Within one process every write goes through a shared gate, so the engine's threads
//! queue on a mutex instead of sleeping in SQLite's busy handler; across processes
//! SQLite's own locking and a busy timeout do the same job.

use anyhow::{Context, Result};
use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub const SCHEMA_VERSION: i64 = 4;

const SCHEMA: &str = r#"
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS resources(
    id TEXT PRIMARY KEY,            -- `<kind>/<name>`
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    spec TEXT NOT NULL,             -- the resource's desired settings, as applied
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS messages(
    seq INTEGER PRIMARY KEY,
    queue TEXT NOT NULL,
    message_id TEXT NOT NULL,
    body TEXT NOT NULL,
    sent_at INTEGER NOT NULL,       -- SentTimestamp, kept when dead-lettered
    visible_at INTEGER NOT NULL,    -- delay and visibility timeout
    receive_count INTEGER NOT NULL DEFAULT 0,
    first_receive_at INTEGER,
    receipt TEXT,                   -- the handle of the latest receive
    dead_lettered_at INTEGER,
    source_queue TEXT,              -- for dead letters: the queue they came from
    order_id TEXT,                  -- extracted from JSON bodies, for accounting
    run_id TEXT,
    kind TEXT
);
CREATE INDEX IF NOT EXISTS messages_ready ON messages(queue, visible_at);
CREATE INDEX IF NOT EXISTS messages_run ON messages(run_id, queue);
CREATE TABLE IF NOT EXISTS items(
    order_id TEXT PRIMARY KEY,
    item TEXT NOT NULL,             -- the record as JSON
    status TEXT,
    tier TEXT,
    reviewed INTEGER NOT NULL DEFAULT 0,
    run_id TEXT,
    kind TEXT,
    scheduled_at INTEGER,
    settled_at INTEGER,
    updated_at INTEGER NOT NULL,
    created_at TEXT                 -- the order's createdAt: `orders` lists newest first
);
CREATE INDEX IF NOT EXISTS items_created ON items(created_at);
CREATE INDEX IF NOT EXISTS items_run ON items(run_id, kind, status);
CREATE INDEX IF NOT EXISTS items_settled ON items(run_id, settled_at);
CREATE TABLE IF NOT EXISTS stream(   -- shaped as DynamoDB Streams records when read
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    event_name TEXT NOT NULL,       -- INSERT | MODIFY | REMOVE
    order_id TEXT NOT NULL,
    old_item TEXT,                  -- the item before, as JSON
    new_item TEXT,                  -- the item after, as JSON
    created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS checkpoints(consumer TEXT PRIMARY KEY, position INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS alarms(
    name TEXT PRIMARY KEY,
    state TEXT NOT NULL,
    reason TEXT NOT NULL,
    changed_at INTEGER NOT NULL,
    period_index INTEGER NOT NULL,  -- the period being sampled
    period_max INTEGER,             -- its maximum so far; NULL: no datapoint yet
    evaluated_through INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS alarm_history(
    id INTEGER PRIMARY KEY,
    alarm TEXT NOT NULL,
    at INTEGER NOT NULL,
    old_state TEXT NOT NULL,
    new_state TEXT NOT NULL,
    reason TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS notifications(
    id INTEGER PRIMARY KEY,
    topic TEXT NOT NULL,
    endpoint TEXT NOT NULL,
    at INTEGER NOT NULL,
    subject TEXT,
    message TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS runs(
    run_id TEXT PRIMARY KEY,
    started_at INTEGER NOT NULL,
    description TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS run_kinds(     -- accepted orders, counted in the publish's transaction
    run_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    published INTEGER NOT NULL,
    PRIMARY KEY(run_id, kind)
);
"#;

/// Version 3: the functions' log lines and each order's hops, both bounded (`logs.rs`,
/// `trace.rs`).
const SCHEMA_3: &str = r#"
CREATE TABLE IF NOT EXISTS logs(         -- the functions' log lines, as CloudWatch Logs keeps them
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    function TEXT NOT NULL,
    level TEXT,
    order_id TEXT,
    line TEXT NOT NULL              -- the JSON line the handler wrote
);
CREATE INDEX IF NOT EXISTS logs_order ON logs(order_id) WHERE order_id IS NOT NULL;
CREATE TABLE IF NOT EXISTS hops(         -- what the engine did with each order, for `trace`
    id INTEGER PRIMARY KEY,
    order_id TEXT NOT NULL,
    at INTEGER NOT NULL,
    step TEXT NOT NULL,
    detail TEXT NOT NULL            -- JSON
);
CREATE INDEX IF NOT EXISTS hops_order ON hops(order_id);
"#;

/// Version 4: two indexes that keep the engine's periodic work proportional to what
/// changed, not to what the stack holds — the queues' retention sweep finds expired
/// messages by age, and the wait for a run's reviews reads its unreviewed high-value
/// orders only.
const SCHEMA_4: &str = r#"
CREATE INDEX IF NOT EXISTS messages_age ON messages(queue, sent_at);
CREATE INDEX IF NOT EXISTS items_unreviewed ON items(run_id) WHERE tier = 'high-value' AND reviewed = 0;
"#;

/// Brings a database of an older schema version to this one, in one transaction;
/// another process that migrated first makes this a no-op. Version 1 → 2: items gain
/// `created_at` (from each record's `createdAt`) and its index. 2 → 3: the `logs` and
/// `hops` tables (empty: what happened before is not known). 3 → 4: [`SCHEMA_4`]'s
/// indexes.
fn migrate(mut conn: Connection) -> Result<()> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let version: String = tx.query_row("SELECT value FROM meta WHERE key = 'schema_version'", [], |r| r.get(0))?;
    if version == "1" {
        tx.execute_batch(
            "ALTER TABLE items ADD COLUMN created_at TEXT;
             UPDATE items SET created_at = json_extract(item, '$.createdAt');
             CREATE INDEX IF NOT EXISTS items_created ON items(created_at);",
        )?;
    }
    if version == "1" || version == "2" {
        tx.execute_batch(SCHEMA_3)?;
    }
    if matches!(version.as_str(), "1" | "2" | "3") {
        tx.execute_batch(SCHEMA_4)?;
        tx.execute("UPDATE meta SET value = ?1 WHERE key = 'schema_version'", [SCHEMA_VERSION.to_string()])?;
    }
    tx.commit()?;
    Ok(())
}

/// A handle on the database file, shared by the threads of one process.
///
/// Every write of the process goes through one connection behind a mutex: threads
/// queue on the mutex rather than in SQLite's busy handler, and that connection's page
/// cache stays warm (a connection's cache is dropped whenever another connection
/// commits). Reads use a connection of their own per thread. Checkpoints are passive
/// ones off the writer ([`Conn::checkpoint`]), SQLite's automatic one on commit, and a
/// periodic [`Db::restart_wal`].
#[derive(Clone)]
pub struct Db {
    path: PathBuf,
    writer: Arc<Mutex<Option<Connection>>>,
}

impl Db {
    /// Opens (creating if asked) the database at `path`.
    pub fn open(path: &Path, create: bool) -> Result<Db> {
        let db = Db { path: path.to_path_buf(), writer: Arc::new(Mutex::new(None)) };
        let conn = db.open_connection(create)?;
        if create {
            for schema in [SCHEMA, SCHEMA_3, SCHEMA_4] {
                conn.execute_batch(schema).with_context(|| format!("creating the schema in `{}`", path.display()))?;
            }
            conn.execute("INSERT OR IGNORE INTO meta(key, value) VALUES ('schema_version', ?1)", [SCHEMA_VERSION.to_string()])?;
        }
        let version: Option<String> = conn.query_row("SELECT value FROM meta WHERE key = 'schema_version'", [], |r| r.get(0)).ok();
        match version.as_deref().and_then(|v| v.parse::<i64>().ok()) {
            Some(SCHEMA_VERSION) => Ok(db),
            Some(1..=3) => {
                migrate(conn).with_context(|| format!("bringing `{}` to schema version {SCHEMA_VERSION}", path.display()))?;
                Ok(db)
            }
            Some(other) => anyhow::bail!(
                "`{}` has schema version {other}, this orderctl understands {SCHEMA_VERSION}; run `orderctl down` with the orderctl that created it",
                path.display()
            ),
            None => anyhow::bail!("`{}` is not an orderctl stack database", path.display()),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A handle for the calling thread: its own reads, the process's shared writes.
    pub fn connect(&self) -> Result<Conn> {
        Ok(Conn { reader: self.open_connection(false)?, db: self.clone() })
    }

    /// Checkpoints the whole WAL and makes the next write start it afresh, holding the
    /// process's writes meanwhile. The writer's own checkpoints on commit cannot do
    /// this while readers keep starting (every engine thread reads), so without it
    /// the WAL — and every read through its index — grows with the run.
    pub fn restart_wal(&self) -> Result<()> {
        self.with_writer(|c| Ok(c.query_row("PRAGMA wal_checkpoint(RESTART)", [], |_| Ok(()))?))
    }

    /// Whether SQLite checkpoints the WAL inside this process's commits (its automatic
    /// checkpoint past 1,000 pages, on by default). The engine's housekeeping turns it
    /// off while it runs, since it checkpoints itself: a checkpoint syncs the WAL and
    /// the database file (`synchronous = NORMAL`), and inside a commit those syncs held
    /// the writer — commits of 50–250 ms in the 5-minute soak at 10,000/s.
    pub fn checkpoint_on_commit(&self, on: bool) -> Result<()> {
        // SQLite's default threshold, in pages; 0 turns it off.
        const SQLITE_DEFAULT: i64 = 1_000;
        self.with_writer(|c| Ok(c.pragma_update(None, "wal_autocheckpoint", if on { SQLITE_DEFAULT } else { 0 })?))
    }

    fn with_writer<T>(&self, f: impl FnOnce(&mut Connection) -> Result<T>) -> Result<T> {
        let mut guard = self.writer.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if guard.is_none() {
            let conn = self.open_connection(false)?;
            // 8 MB: with 32 MB (and 4 MB per reader) the caches filling up made peak
            // RSS grow with the run (64 → 140 MB from 10k to 200k orders, debug).
            // Now 40 MB at 10k and 44 MB at 1M orders (release, 10,000/s).
            conn.pragma_update(None, "cache_size", -8_000)?;
            // SQLite's checkpoint on commit (past 1,000 pages of WAL) stays unless the
            // engine's housekeeping runs ([`Db::checkpoint_on_commit`]). Raising its
            // threshold to 10,000 pages settled saturated bursts 13 % faster but tripled
            // the p99 at a steady 10,000/s (8 → 24 ms): measured, README "Benchmarks".
            *guard = Some(conn);
        }
        f(guard.as_mut().expect("opened above"))
    }

    fn open_connection(&self, create: bool) -> Result<Connection> {
        let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI;
        if create {
            flags |= OpenFlags::SQLITE_OPEN_CREATE;
        }
        let conn = Connection::open_with_flags(&self.path, flags).with_context(|| format!("opening `{}`", self.path.display()))?;
        conn.busy_timeout(Duration::from_secs(30))?;
        conn.set_prepared_statement_cache_capacity(64);
        // WAL + NORMAL: a commit is durable against a crash of the process (the
        // guarantee the pipeline promises); only an OS crash can lose the last commits.
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        // A WAL started afresh is cut back to 16 MB: without it the file keeps the size
        // of the longest stretch between two restarts, for the stack's life.
        conn.pragma_update(None, "journal_size_limit", 16 * 1024 * 1024)?;
        // Readers are many (one per thread) and read recent pages: a small cache each.
        // The one writer keeps a larger one warm.
        conn.pragma_update(None, "cache_size", -1_000)?;
        Ok(conn)
    }
}

/// One thread's handle.
pub struct Conn {
    reader: Connection,
    db: Db,
}

impl Conn {
    /// Runs `f` in one write transaction, committed when it returns `Ok`.
    pub fn write<T>(&mut self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        self.db.with_writer(|conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let out = f(&tx)?;
            tx.commit()?;
            Ok(out)
        })
    }

    /// Copies what it can of the WAL into the database (a passive checkpoint) on this
    /// thread's own connection: the process's writes go on meanwhile.
    pub fn checkpoint(&mut self) -> Result<()> {
        Ok(self.reader.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))?)
    }

    /// Runs `f` on a consistent snapshot.
    pub fn read<T>(&mut self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let tx = self.reader.transaction_with_behavior(TransactionBehavior::Deferred)?;
        let out = f(&tx)?;
        tx.finish()?;
        Ok(out)
    }
}
