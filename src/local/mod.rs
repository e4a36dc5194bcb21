//! The `local` target: the whole pipeline on this machine, with its state in one
//! embedded database under `<state-dir>/<stack>/`, so that `up`, `send`, `status`,
//! `dlq` and `down` can be separate invocations, and two of them can run at once.
//!
//! `up` records the desired resources (`crate::spec`); the [`engine`] reads them back as
//! a [`Topology`] and runs the pipeline while an `orderctl` process asks it to.
//! [`LocalTarget`] is this target's side of `crate::target::Target`: [`stack`] (`up`,
//! `down`, `status`, `drain`), [`load`] (a load run), [`dlq`] and [`page`] hold the
//! operations; the other modules are the emulated services they run on.

pub mod alarm;
pub mod db;
pub mod dlq;
pub mod engine;
pub mod functions;
pub mod hops;
pub mod load;
pub mod logs;
pub mod orders;
pub mod page;
pub mod pipe;
pub mod query;
pub mod sns;
pub mod sqs;
pub mod stack;
pub mod table;
mod target;
pub mod trace;

pub use target::LocalTarget;

use crate::plan::{Action, Plan};
use crate::spec::{Endpoint, Handler, Names, Resource, Settings, StackSpec};
use anyhow::{bail, Context, Result};
use db::Db;
use order_domain::{now_micros, Micros, Order};
use rusqlite::{params, OptionalExtension};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

pub const DB_FILE: &str = "state.db";
pub const ALERTS_LOG: &str = "alerts.log";

/// The stack was never brought up (or was taken down).
#[derive(Debug, thiserror::Error)]
#[error("stack `{stack}` is not up on the local target (no `{}`); run `orderctl up --stack {stack}` first", path.display())]
pub struct NotUp {
    pub stack: String,
    pub path: PathBuf,
}

/// A local stack's directory and database.
pub struct LocalStack {
    pub name: String,
    pub dir: PathBuf,
    pub db: Db,
}

impl LocalStack {
    pub fn dir_for(state_dir: &Path, stack: &str) -> PathBuf {
        state_dir.join(stack)
    }

    /// Opens a stack that is up.
    pub fn open(state_dir: &Path, stack: &str) -> Result<LocalStack> {
        let dir = Self::dir_for(state_dir, stack);
        let path = dir.join(DB_FILE);
        if !path.exists() {
            return Err(NotUp { stack: stack.to_string(), path }.into());
        }
        Ok(LocalStack { name: stack.to_string(), db: Db::open(&path, false)?, dir })
    }

    /// Opens the stack, creating its directory and database if they do not exist.
    pub fn create(state_dir: &Path, stack: &str) -> Result<LocalStack> {
        let dir = Self::dir_for(state_dir, stack);
        std::fs::create_dir_all(&dir).with_context(|| format!("creating `{}`", dir.display()))?;
        let db = Db::open(&dir.join(DB_FILE), true)?;
        Ok(LocalStack { name: stack.to_string(), db, dir })
    }

    pub fn alerts_log(&self) -> PathBuf {
        self.dir.join(ALERTS_LOG)
    }

    /// The resources as last applied.
    pub fn observed(&self) -> Result<Vec<Resource>> {
        let mut conn = self.db.connect()?;
        conn.read(|tx| {
            let mut stmt = tx.prepare("SELECT spec FROM resources ORDER BY rowid")?;
            let rows = stmt.query_map([], |r| r.get::<_, String>(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
            rows.iter().map(|s| serde_json::from_str(s).with_context(|| format!("reading a stored resource: {s}"))).collect()
        })
    }

    /// Makes the stored resources match `plan` (computed against `observed`), in one
    /// transaction: a crash leaves either the old stack or the new one.
    pub fn apply(&self, spec: &StackSpec, plan: &Plan) -> Result<()> {
        let mut conn = self.db.connect()?;
        let now = now_micros();
        conn.write(|tx| {
            for change in &plan.changes {
                let id = format!("{}/{}", change.kind, change.name);
                match &change.action {
                    Action::Unchanged => {}
                    Action::Delete => {
                        tx.execute("DELETE FROM resources WHERE id = ?1", [&id])?;
                        if change.kind == "queue" {
                            sqs::purge(tx, &change.name)?;
                        }
                    }
                    Action::Create | Action::Update(_) => {
                        let r = spec.resources.iter().find(|r| r.id() == id).context("a planned resource is missing from the spec")?;
                        tx.execute(
                            "INSERT INTO resources(id, kind, name, spec, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5)
                             ON CONFLICT(id) DO UPDATE SET spec = ?4, updated_at = ?5",
                            params![id, r.kind(), r.name(), serde_json::to_string(r)?, now],
                        )?;
                    }
                }
            }
            tx.execute(
                "INSERT INTO meta(key, value) VALUES ('settings', ?1) ON CONFLICT(key) DO UPDATE SET value = ?1",
                [serde_json::to_string(&spec.settings)?],
            )?;
            tx.execute("INSERT INTO meta(key, value) VALUES ('stack', ?1) ON CONFLICT(key) DO UPDATE SET value = ?1", [&spec.stack])?;
            let topology = Topology::from_resources(&spec.stack, spec.settings.clone(), &spec.resources)?;
            for a in &topology.alarms {
                alarm::create(tx, a, now)?;
            }
            Ok(())
        })
    }

    pub fn settings(&self) -> Result<Settings> {
        let mut conn = self.db.connect()?;
        let text: Option<String> =
            conn.read(|tx| Ok(tx.query_row("SELECT value FROM meta WHERE key = 'settings'", [], |r| r.get(0)).optional()?))?;
        match text {
            Some(t) => Ok(serde_json::from_str(&t)?),
            None => bail!("stack `{}` has no settings recorded; run `orderctl up` again", self.name),
        }
    }

    /// The running shape of the stack, from what `up` applied.
    pub fn topology(&self) -> Result<Topology> {
        Topology::from_resources(&self.name, self.settings()?, &self.observed()?)
    }

    /// Removes the stack: its database, its logs, its directory. The directory is first
    /// renamed out of the way, one atomic step, so a `down` killed at any moment leaves
    /// the stack whole or gone, never half a database; then the renamed copy is deleted.
    pub fn destroy(self) -> Result<()> {
        let dir = self.dir.clone();
        drop(self);
        let tomb = tombstone(&dir);
        remove_if_there(&tomb)?; // left by a `down` killed before
        std::fs::rename(&dir, &tomb).with_context(|| format!("moving `{}` out of the way", dir.display()))?;
        if std::env::var_os(CRASH_AFTER_RENAME).is_some() {
            eprintln!("{CRASH_AFTER_RENAME}: stopping with the stack moved to `{}`", tomb.display());
            std::process::exit(86);
        }
        remove_if_there(&tomb)
    }
}

/// Where `destroy` moves a stack's directory `dir` to delete it: beside it, hidden, and
/// not a stack's name (`.NAME.deleting`).
pub fn tombstone(dir: &Path) -> PathBuf {
    let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    dir.with_file_name(format!(".{name}.deleting"))
}

/// Deletes the directory `path` and what is under it, if it is there.
pub fn remove_if_there(path: &Path) -> Result<()> {
    match std::fs::remove_dir_all(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e).with_context(|| format!("removing `{}`", path.display())),
        _ => Ok(()),
    }
}

/// The local crash hook, for tests of an interrupted `down`: set, `orderctl` exits (86,
/// as the aws hook does) right after moving the stack's directory out of the way.
pub const CRASH_AFTER_RENAME: &str = "ORDERCTL_LOCAL_CRASH_AFTER_RENAME";

/// An event source mapping, resolved.
#[derive(Debug, Clone)]
pub struct Mapping {
    pub queue: sqs::QueueConfig,
    pub function: String,
    pub handler: Handler,
    pub timeout: Duration,
    pub batch_size: u32,
    pub batching_window: Duration,
    pub concurrency: u32,
}

/// The stack as the engine runs it.
#[derive(Debug, Clone)]
pub struct Topology {
    pub names: Names,
    pub settings: Settings,
    pub queues: HashMap<String, sqs::QueueConfig>,
    pub topics: HashMap<String, Vec<Endpoint>>,
    pub mappings: Vec<Mapping>,
    pub pipes: Vec<pipe::PipeConfig>,
    pub alarms: Vec<alarm::AlarmConfig>,
}

const MS: Micros = 1_000;

impl Topology {
    pub fn from_resources(stack: &str, settings: Settings, resources: &[Resource]) -> Result<Topology> {
        let mut t = Topology {
            names: Names::new(stack),
            settings,
            queues: HashMap::new(),
            topics: HashMap::new(),
            mappings: Vec::new(),
            pipes: Vec::new(),
            alarms: Vec::new(),
        };
        let mut functions = HashMap::new();
        for r in resources {
            match r {
                Resource::Queue { name, visibility_timeout_ms, retention_ms, delay_ms, redrive, .. } => {
                    t.queues.insert(
                        name.clone(),
                        sqs::QueueConfig {
                            name: name.clone(),
                            visibility_timeout: *visibility_timeout_ms as Micros * MS,
                            retention: *retention_ms as Micros * MS,
                            delay: *delay_ms as Micros * MS,
                            redrive: redrive.as_ref().map(|r| (r.dead_letter_queue.clone(), r.max_receive_count)),
                        },
                    );
                }
                Resource::Topic { name } => {
                    t.topics.entry(name.clone()).or_default();
                }
                Resource::Function { name, handler, timeout_ms, .. } => {
                    functions.insert(name.clone(), (*handler, Duration::from_millis(*timeout_ms)));
                }
                _ => {}
            }
        }
        for r in resources {
            match r {
                Resource::Subscription { topic, endpoint, .. } => {
                    t.topics.get_mut(topic).with_context(|| format!("subscription to missing topic `{topic}`"))?.push(endpoint.clone());
                }
                Resource::EventSourceMapping {
                    queue, function, batch_size, batching_window_ms, max_concurrency, enabled: true, ..
                } => {
                    let (handler, timeout) =
                        *functions.get(function).with_context(|| format!("mapping to missing function `{function}`"))?;
                    t.mappings.push(Mapping {
                        queue: t.queue(queue)?.clone(),
                        function: function.clone(),
                        handler,
                        timeout,
                        batch_size: *batch_size,
                        batching_window: Duration::from_millis(*batching_window_ms),
                        concurrency: *max_concurrency,
                    });
                }
                Resource::Pipe { name, source_table, target_queue, filter, input_template, .. } => t.pipes.push(pipe::PipeConfig {
                    name: name.clone(),
                    source_table: source_table.clone(),
                    filter: filter.clone(),
                    input_template: input_template.clone(),
                    target: t.queue(target_queue)?.clone(),
                }),
                Resource::Alarm { name, queue, period_ms, threshold, actions_topic, .. } => t.alarms.push(alarm::AlarmConfig {
                    name: name.clone(),
                    queue: queue.clone(),
                    period: *period_ms as Micros * MS,
                    threshold: *threshold,
                    actions_topic: actions_topic.clone(),
                }),
                _ => {}
            }
        }
        Ok(t)
    }

    pub fn queue(&self, name: &str) -> Result<&sqs::QueueConfig> {
        self.queues.get(name).with_context(|| format!("queue `{name}` does not exist in this stack"))
    }

    /// Publishes orders to the `orders` topic and counts them into their run, in one
    /// transaction: an order is accepted exactly when it is counted.
    pub fn publish_orders(&self, c: &rusqlite::Connection, run_id: &str, orders: &[Order], now: Micros) -> Result<()> {
        let bodies: Vec<String> = orders.iter().map(Order::to_json).collect();
        let refs: Vec<&str> = bodies.iter().map(String::as_str).collect();
        sns::publish(c, self, &self.names.orders_topic(), None, &refs, now)?;
        let mut per_kind: Vec<(&str, i64)> = Vec::new();
        for o in orders {
            let kind = o.kind.map_or("unknown", |k| k.as_str());
            match per_kind.iter_mut().find(|(k, _)| *k == kind) {
                Some((_, n)) => *n += 1,
                None => per_kind.push((kind, 1)),
            }
        }
        let mut count = c.prepare_cached(
            "INSERT INTO run_kinds(run_id, kind, published) VALUES (?1, ?2, ?3)
             ON CONFLICT(run_id, kind) DO UPDATE SET published = published + ?3",
        )?;
        for (kind, n) in per_kind {
            count.execute(params![run_id, kind, n])?;
        }
        Ok(())
    }
}
