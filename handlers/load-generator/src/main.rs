//! `load-generator`: one worker of `orderctl send --workers N`. `orderctl` invokes it
//! twice over: `prepare` (build the SNS client, reach the topic, say whether this was a
//! cold start), then `run` with the worker's share of the schedule and the instant
//! every worker starts at. It publishes with the same publisher as the CLI (the
//! `load-publisher` crate), stops dispatching a margin before its deadline, and
//! answers with what it published and its histograms, so that `orderctl` hands the
//! rest of the share to a fresh invocation and merges every worker's figures exactly.

use lambda_runtime::{service_fn, Error, LambdaEvent};
use lambda_support::{log, sdk_config};
use load_publisher::publish::{causes, Clock, Publisher, Quiet, UNPUBLISHED_LISTED};
use load_publisher::task::{Ready, RunTask, Task, WorkerReport};
use order_domain::now_micros;
use serde_json::{json, Value};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A worker is never interrupted from inside: its invocation ends at its share's end
/// or its deadline.
static NEVER: AtomicBool = AtomicBool::new(false);

struct Worker {
    sns: aws_sdk_sns::Client,
    started: Instant,
    invocations: AtomicU64,
}

impl Worker {
    async fn handle(&self, event: LambdaEvent<Task>) -> Result<Value, Error> {
        let cold = self.invocations.fetch_add(1, Ordering::SeqCst) == 0;
        match event.payload {
            Task::Prepare { topic_arn, worker } => {
                self.sns
                    .get_topic_attributes()
                    .topic_arn(&topic_arn)
                    .send()
                    .await
                    .map_err(|e| format!("worker {worker} cannot reach topic `{topic_arn}`: {}", causes(&anyhow::Error::from(e))))?;
                let init_ms = cold.then(|| self.started.elapsed().as_secs_f64() * 1000.0);
                Ok(serde_json::to_value(Ready { worker, cold, init_ms })?)
            }
            Task::Run(task) => self.run(task, event.context.deadline, cold).await,
        }
    }

    async fn run(&self, task: RunTask, deadline_ms: u64, cold: bool) -> Result<Value, Error> {
        let job = task.job()?;
        let clock = Clock::from_wall(task.start_at);
        let left = Duration::from_millis(deadline_ms.saturating_sub((now_micros() / 1000) as u64));
        let until = Instant::now() + left.saturating_sub(Duration::from_millis(task.margin_ms));
        let first = job.share.first_from(job.from);
        let began_late =
            if job.schedule.includes(first) { clock.elapsed().saturating_sub(job.schedule.due(first)) } else { Duration::ZERO };
        let publisher = Publisher {
            sns: self.sns.clone(),
            topic: task.topic_arn.clone(),
            concurrency: task.concurrency,
            give_up: Duration::from_millis(task.give_up_ms),
            describe: causes,
        };
        let mut published = publisher.run(&job, clock, Some(until), &NEVER, Arc::new(Quiet)).await;
        if published.unpublished.len() > UNPUBLISHED_LISTED {
            published.unpublished.clear();
            published.unpublished_overflow = true;
        }
        log(order_domain::log::line(
            "info",
            "worker published",
            json!({
                "runId": task.run_id,
                "worker": task.worker,
                "from": task.from,
                "next": published.next,
                "accepted": published.accepted,
                "unpublished": published.unpublished.len(),
                "unpublishedOverflow": published.unpublished_overflow,
            }),
        ));
        Ok(serde_json::to_value(WorkerReport { worker: task.worker, published, began_late_ms: began_late.as_secs_f64() * 1000.0, cold })?)
    }
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let started = Instant::now();
    let worker: &'static Worker =
        Box::leak(Box::new(Worker { sns: aws_sdk_sns::Client::new(&sdk_config().await), started, invocations: AtomicU64::new(0) }));
    lambda_runtime::run(service_fn(move |event| worker.handle(event))).await
}
