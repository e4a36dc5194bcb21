//! `high-value-worker`: the Lambda behind the `high-value` queue, which the pipe feeds
//! with high-value orders reshaped from the table's stream. It reviews each order and
//! records the review on it, once: a redelivered message finds the review there.

use aws_lambda_events::event::sqs::{SqsBatchResponse, SqsEvent, SqsMessage};
use lambda_runtime::{service_fn, Error, LambdaEvent};
use lambda_support::{each_record, log, sdk_config, Config, OrdersTable};
use order_domain::{now_micros, parse_high_value, review};

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
                log(order_domain::log::malformed("high-value message", id, &invalid.to_string()));
                return Ok(false);
            }
        };
        for _ in 0..5 {
            let Some(existing) = self.table.get(&msg.order_id).await? else {
                log(order_domain::log::not_in_table(&msg.order_id, id));
                return Ok(false);
            };
            if existing.review.is_some() {
                return Ok(true);
            }
            let mut reviewed = existing.clone();
            let verdict = review(&msg, now_micros());
            let line = order_domain::log::reviewed(&msg.order_id, id, &verdict);
            reviewed.review = Some(verdict);
            if self.table.put_if(&reviewed, Some(&existing)).await? {
                log(line);
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
