//! `order-worker`: the Lambda behind the `orders` queue. For each record of an SQS
//! batch it applies the business rules (REFERENCE §3) and writes the outcome to the
//! `orders` table with a conditional write; records that fail technically, or are not
//! valid orders, are returned as `batchItemFailures`, so SQS retries only them and
//! dead-letters them after `maxReceiveCount` receives. Nothing is dropped silently.

use aws_lambda_events::event::sqs::{SqsBatchResponse, SqsEvent, SqsMessage};
use lambda_runtime::{service_fn, Error, LambdaEvent};
use lambda_support::{each_record, log, sdk_config, Config, OrdersTable};
use order_domain::{decide, next_record, now_micros, parse_order, unwrap_envelope, Decision, Receive};
use serde_json::json;

struct Worker {
    config: Config,
    table: OrdersTable,
}

/// Writes left to a concurrent writer before a record counts as failed (and retried).
const WRITE_RACES: usize = 5;

impl Worker {
    /// Ok(true): done, delete it. Ok(false): retry it.
    async fn process(&self, message: &SqsMessage) -> lambda_support::Result<bool> {
        let id = message.message_id.as_deref().unwrap_or("");
        let body = message.body.as_deref().unwrap_or("");
        let order = match parse_order(unwrap_envelope(body).as_bytes()) {
            Ok(order) => order,
            Err(invalid) => {
                log(order_domain::log::malformed("order", id, &invalid.to_string()));
                return Ok(false);
            }
        };
        let decision = decide(&order, &self.config.rules);
        // Lambda always sends the count; without it, no receive is known to be the last.
        let count = message.attributes.get("ApproximateReceiveCount").and_then(|c| c.parse().ok()).unwrap_or(1);
        let receive = Receive { count, max: self.config.max_receive_count };
        for _ in 0..WRITE_RACES {
            let existing = self.table.get(&order.order_id).await?;
            let threshold = self.config.rules.high_value_threshold;
            let Some(record) = next_record(existing.as_ref(), &order, &decision, threshold, receive, now_micros()) else {
                // Already settled: a duplicate delivery, which changes nothing.
                let status = existing.map_or(order_domain::Status::Completed, |r| r.status);
                log(order_domain::log::duplicate(&order.order_id, id, status));
                return Ok(true);
            };
            if self.table.put_if(&record, existing.as_ref()).await? {
                log(order_domain::log::worker_wrote(&record, id, receive));
                return Ok(!matches!(decision, Decision::TechnicalFailure(_)));
            }
        }
        let fields = json!({"orderId": order.order_id, "messageId": id});
        log(order_domain::log::line("warn", "lost the write race repeatedly: retried", fields));
        Ok(false)
    }

    async fn handle(&self, event: LambdaEvent<SqsEvent>) -> Result<SqsBatchResponse, Error> {
        Ok(each_record(&event.payload.records, "processing", |m| self.process(m)).await?)
    }
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let config = Config::from_env()?;
    let table = OrdersTable::new(&sdk_config().await, &config.table);
    let worker: &'static Worker = Box::leak(Box::new(Worker { config, table }));
    lambda_runtime::run(service_fn(move |event| worker.handle(event))).await
}
