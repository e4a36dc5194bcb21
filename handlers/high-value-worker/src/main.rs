//! `high-value-worker`: the Lambda behind the `high-value` queue, which the pipe feeds
//! with high-value orders reshaped from the table's stream. It reviews each order and
//! records the review on it, once: a redelivered message finds the review there.

use aws_lambda_events::event::sqs::{SqsBatchResponse, SqsEvent, SqsMessage};
use lambda_runtime::{service_fn, Error, LambdaEvent};
use lambda_support::{each_record, log, sdk_config, Config, OrdersTable};
use order_domain::{now_micros, parse_high_value, review};
use serde_json::json;

struct Reviewer {
    table: OrdersTable,
}

impl Reviewer {
    /// Ok(true): done, delete it. Ok(false): retry it.
    async fn process(&self, message: &SqsMessage) -> lambda_support::Result<bool> {
        let id = message.message_id.as_deref().unwrap_or("");
        let msg = match parse_high_value(message.body.as_deref().unwrap_or("").as_bytes()) {
            Ok(msg) => msg,
            Err(invalid) => {
                log("error", "malformed high-value message: retried", json!({"messageId": id, "reason": invalid.to_string()}));
                return Ok(false);
            }
        };
        for _ in 0..5 {
            let Some(existing) = self.table.get(&msg.order_id).await? else {
                log("warn", "order not in the table yet: retried", json!({"orderId": msg.order_id, "messageId": id}));
                return Ok(false);
            };
            if existing.review.is_some() {
                return Ok(true);
            }
            let mut reviewed = existing.clone();
            let verdict = review(&msg, now_micros());
            log("info", "reviewed", json!({"orderId": msg.order_id, "verdict": verdict.verdict, "score": verdict.score}));
            reviewed.review = Some(verdict);
            if self.table.put_if(&reviewed, Some(&existing)).await? {
                return Ok(true);
            }
        }
        Ok(false)
    }

    async fn handle(&self, event: LambdaEvent<SqsEvent>) -> Result<SqsBatchResponse, Error> {
        Ok(each_record(&event.payload.records, "review", |m| self.process(m)).await?)
    }
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let config = Config::from_env()?;
    let table = OrdersTable::new(&sdk_config().await, &config.table);
    let reviewer: &'static Reviewer = Box::leak(Box::new(Reviewer { table }));
    lambda_runtime::run(service_fn(move |event| reviewer.handle(event))).await
}
