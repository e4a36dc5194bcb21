//! What `orderctl` sends a `load-generator` worker and what the worker sends back: the
//! Lambda event and response, as JSON.

use crate::publish::{Job, Published};
use crate::schedule::{Schedule, Share, WireStage};
use anyhow::{Context, Result};
use order_domain::{Micros, Mix, Rules};
use serde::{Deserialize, Serialize};

/// An invocation of a worker.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "phase", rename_all = "camelCase")]
pub enum Task {
    /// Get ready: build the clients and reach the topic; answer [`Ready`].
    Prepare {
        #[serde(rename = "topicArn")]
        topic_arn: String,
        worker: u32,
    },
    /// Publish a share; answer [`WorkerReport`].
    Run(RunTask),
}

/// One worker's share of a run.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RunTask {
    pub run_id: String,
    pub topic_arn: String,
    pub stages: Vec<WireStage>,
    /// The order mix, as `--mix` writes it.
    pub mix: String,
    pub high_value_threshold: f64,
    pub worker: u32,
    pub workers: u32,
    /// The first order to dispatch: the share's first, or where the previous
    /// invocation stopped.
    pub from: u64,
    /// The wall clock (µs since the epoch) at which the schedule starts, the same for
    /// every worker.
    pub start_at: Micros,
    /// Stop dispatching this long before the invocation's deadline.
    pub margin_ms: u64,
    /// How long a batch is tried again before its orders count as not published.
    pub give_up_ms: u64,
    pub concurrency: usize,
}

impl RunTask {
    /// The job the task describes.
    pub fn job(&self) -> Result<Job> {
        Ok(Job {
            run_id: self.run_id.clone(),
            schedule: Schedule::from_wire(&self.stages).map_err(anyhow::Error::msg).context("the task's schedule")?,
            mix: self.mix.parse::<Mix>().map_err(anyhow::Error::msg).context("the task's mix")?,
            rules: Rules { high_value_threshold: self.high_value_threshold },
            share: Share::new(self.worker, self.workers).map_err(anyhow::Error::msg)?,
            from: self.from,
            started_wall: self.start_at,
        })
    }
}

/// A worker's answer to [`Task::Prepare`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Ready {
    pub worker: u32,
    /// Whether this invocation started the worker's process (a cold start).
    pub cold: bool,
    /// From the process's start to this answer, when cold.
    pub init_ms: Option<f64>,
}

/// A worker's answer to [`Task::Run`]: what its invocation published, and how it began.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WorkerReport {
    pub worker: u32,
    /// `published.next` is where the share's next invocation starts; the schedule's
    /// length when it is done.
    #[serde(flatten)]
    pub published: Published,
    /// How late the invocation began publishing: after the start instant for the
    /// first, after its resume point's due time for a later one.
    pub began_late_ms: f64,
    pub cold: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hist::record;
    use std::time::Duration;

    #[test]
    fn a_report_carries_the_figures_unchanged() {
        let mut p = Published { next: 40, dispatched: 10, accepted: 9, unpublished: vec![31], ..Published::default() };
        record(&mut p.publish, 4_200);
        record(&mut p.lateness, 12);
        p.first = Some(Duration::from_micros(5));
        let r = WorkerReport { worker: 3, published: p.clone(), began_late_ms: 2.0, cold: true };
        let text = serde_json::to_string(&r).unwrap();
        assert!(text.contains(r#""next":40"#) && text.contains(r#""publish":"HISTFAA"#), "{text}");
        let back: WorkerReport = serde_json::from_str(&text).unwrap();
        assert_eq!(back, r);
        let q = back.published;
        assert_eq!((q.next, q.accepted, q.unpublished.clone(), q.first), (40, 9, vec![31], Some(Duration::from_micros(5))));
        assert_eq!(q.publish, p.publish);
        let task: Task = serde_json::from_str(r#"{"phase":"prepare","topicArn":"arn:t","worker":2}"#).unwrap();
        assert!(matches!(task, Task::Prepare { worker: 2, .. }));
    }
}
