//! `dlq inspect`, `redrive` and `purge` on the aws target: the DLQ is an SQS queue,
//! peeked without consuming (`crate::aws::sqs`), its orders read from the table.

use super::sqs as sqs_dlq;
use crate::context::Context;
use crate::dlq::{dead_letter, inspect_report, order_of, secs, InspectReport, PurgeReport, RedriveReport, Selection};
use crate::spec::Names;
use crate::target::{Approve, Asked, RedriveOptions};
use anyhow::Result;
use aws_sdk_sqs::types::MessageSystemAttributeName as A;
use order_domain::now_micros;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

/// Every dead letter, peeked (each peek is one receive), grouped by reason.
pub async fn inspect(ctx: &Context, limit: usize, order_id: Option<&str>) -> Result<InspectReport> {
    {
        let sdk = crate::aws::sdk_config(ctx).await;
        let (sqs, ddb) = (aws_sdk_sqs::Client::new(&sdk), aws_sdk_dynamodb::Client::new(&sdk));
        let names = Names::new(&ctx.stack);
        let url = sqs_dlq::queue_url(&sqs, &names.dlq()).await?;
        let messages = sqs_dlq::peek(&sqs, &url, 100_000).await?;
        let depth = sqs_dlq::depth(&sqs, &url).await?;
        let ids: Vec<String> = messages.iter().filter_map(|m| order_of(m.body().unwrap_or_default())).map(|o| o.order_id).collect();
        let records = sqs_dlq::records(&ddb, &names.table(), &ids).await?;
        let now = now_micros();
        let letters = messages
            .iter()
            .map(|m| {
                let body = m.body().unwrap_or_default();
                let number = |a| sqs_dlq::attribute(m, a).and_then(|v| v.parse::<i64>().ok());
                // What this peek added is not the pipeline's doing.
                let receives = number(A::ApproximateReceiveCount).unwrap_or(1).saturating_sub(1) as u32;
                let sent = number(A::SentTimestamp).map_or(now, |ms| ms * 1000);
                let mut l = dead_letter(
                    m.message_id().unwrap_or_default().into(),
                    body,
                    receives,
                    secs(sent, now),
                    sqs_dlq::reason(body, &records),
                );
                // SQS keeps no time of the move; the order's last failed attempt is
                // when it was last seen failing, shortly before the move.
                l.in_dlq_seconds =
                    order_of(body).and_then(|o| records.get(&o.order_id)).and_then(|r| r.last_attempt_at).map(|t| secs(t, now));
                l.source_queue = sqs_dlq::attribute(m, A::DeadLetterQueueSourceArn).map(|a| a.rsplit(':').next().unwrap_or(a).to_string());
                l
            })
            .filter(|l| order_id.is_none_or(|id| l.order_id.as_deref() == Some(id)))
            .collect();
        Ok(inspect_report(names.dlq(), depth, letters, limit))
    }
}

/// Moves the selected dead letters back: SQS's own message move task when everything
/// moves unchanged and the endpoint has one, else client-side (send, then delete). `stop`
/// (Ctrl-C) stops the move and cancels a move task; what moved stays moved.
pub async fn redrive(ctx: &Context, selection: &Selection, o: &RedriveOptions, stop: &AtomicBool) -> Result<RedriveReport> {
    {
        let sdk = crate::aws::sdk_config(ctx).await;
        let (sqs, ddb) = (aws_sdk_sqs::Client::new(&sdk), aws_sdk_dynamodb::Client::new(&sdk));
        let names = Names::new(&ctx.stack);
        let q = sqs_dlq::queues(&sqs, &names.dlq(), &names.orders_queue()).await?;
        let start = Instant::now();
        let mut report = RedriveReport::new("aws", names.dlq(), "client-side", o.dry_run);
        if o.dry_run {
            let messages = sqs_dlq::peek(&sqs, &q.dlq_url, 100_000).await?;
            let ids: Vec<String> = messages.iter().filter_map(|m| order_of(m.body().unwrap_or_default())).map(|o| o.order_id).collect();
            let records = sqs_dlq::records(&ddb, &names.table(), &ids).await?;
            let now = now_micros();
            report.would_move = messages
                .iter()
                .map(|m| (m, sqs_dlq::reason(m.body().unwrap_or_default(), &records)))
                .filter(|(m, reason)| selection.matches(m.body().unwrap_or_default(), reason))
                .take(selection.limit.unwrap_or(usize::MAX))
                .map(|(m, reason)| {
                    let receives = sqs_dlq::attribute(m, A::ApproximateReceiveCount).and_then(|v| v.parse::<u32>().ok()).unwrap_or(1);
                    let sent = sqs_dlq::attribute(m, A::SentTimestamp).and_then(|v| v.parse::<i64>().ok()).map_or(now, |ms| ms * 1000);
                    dead_letter(
                        m.message_id().unwrap_or_default().into(),
                        m.body().unwrap_or_default(),
                        receives - 1,
                        secs(sent, now),
                        reason,
                    )
                })
                .collect();
            report.dlq_depth_after = sqs_dlq::depth(&sqs, &q.dlq_url).await?;
            return Ok(report);
        }
        let total = sqs_dlq::depth(&sqs, &q.dlq_url).await?;
        let bar = crate::live::progress(ctx.json() || !o.progress, total);
        let mut moved = None;
        if !selection.is_selective() && o.notes.is_none() && o.wait.is_none() {
            moved = sqs_dlq::move_task(&sqs, &q, o.rate, stop, |done, of| {
                bar.set_length(of.max(done));
                bar.set_position(done);
            })
            .await?;
            if moved.is_none() && !ctx.json() && o.progress {
                eprintln!("this endpoint has no message move tasks: moving client-side (send, then delete)");
            }
        }
        let moved = match moved {
            Some(m) => m,
            None => {
                sqs_dlq::move_client_side(&sqs, &ddb, &names.table(), &q, selection, o.notes.as_deref(), o.rate, stop, |n| {
                    bar.set_position(n)
                })
                .await?
            }
        };
        bar.finish_and_clear();
        report.seconds = start.elapsed().as_secs_f64();
        report.method = moved.method.clone();
        (report.moved, report.failed, report.not_deleted) = (moved.moved, moved.failed, moved.not_deleted);
        report.interrupted = stop.load(std::sync::atomic::Ordering::Relaxed);
        if let Some(wait) = o.wait {
            report.followed = Some(sqs_dlq::follow(&sqs, &ddb, &names.table(), &q.source_url, &moved, wait).await?);
        }
        report.dlq_depth_after = sqs_dlq::depth(&sqs, &q.dlq_url).await?;
        Ok(report)
    }
}

/// Purges the DLQ once `approve` says yes; an empty DLQ is left alone (a purge would
/// also take what arrives in the next 60 s, unasked).
pub async fn purge(ctx: &Context, approve: Approve<'_>) -> Result<Asked<PurgeReport>> {
    {
        let sdk = crate::aws::sdk_config(ctx).await;
        let sqs = aws_sdk_sqs::Client::new(&sdk);
        let dlq = Names::new(&ctx.stack).dlq();
        let url = sqs_dlq::queue_url(&sqs, &dlq).await?;
        let depth = sqs_dlq::depth(&sqs, &url).await?;
        if depth == 0 {
            return Ok(Asked::Done(PurgeReport { schema: "orderctl/dlq-purge/v1", deleted: 0, queue: dlq, eventual: true }));
        }
        if !approve(&format!("delete all {depth} messages in `{dlq}` (SQS, {url})?"))? {
            return Ok(Asked::Declined);
        }
        match sqs.purge_queue().queue_url(&url).send().await {
            Ok(_) => {}
            Err(e) if e.as_service_error().is_some_and(|e| e.is_purge_queue_in_progress()) => {
                anyhow::bail!("`{dlq}` is already being purged: SQS allows one purge a minute; try again shortly")
            }
            Err(e) => return Err(e.into()),
        }
        Ok(Asked::Done(PurgeReport { schema: "orderctl/dlq-purge/v1", deleted: depth, queue: dlq, eventual: true }))
    }
}
