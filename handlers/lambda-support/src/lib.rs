//! What the Lambda handlers share around the order domain: their configuration from the
//! environment, the SDK configuration (built once per process), the `orders` table's
//! conditional writes, and one line of JSON per event worth logging.

pub use anyhow::Result;
use anyhow::{bail, Context};
use aws_lambda_events::event::sqs::{SqsBatchResponse, SqsMessage};
use aws_sdk_dynamodb::operation::put_item::PutItemError;
use aws_sdk_dynamodb::types::AttributeValue;
use order_domain::{OrderRecord, Rules};
use serde_json::{Number, Value};
use std::collections::HashMap;

/// A handler's settings, from the environment Lambda (or `orderctl`'s local runtime)
/// gives it.
#[derive(Debug, Clone)]
pub struct Config {
    pub table: String,
    pub topic_arn: Option<String>,
    pub rules: Rules,
    /// The `orders` queue's `maxReceiveCount` (`MAX_RECEIVE_COUNT`): on the receive that
    /// reaches it, a technical failure records the order as dead-lettered.
    pub max_receive_count: Option<u32>,
}

impl Config {
    pub fn from_env() -> Result<Config> {
        Self::from_vars(|k| std::env::var(k).ok())
    }

    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Result<Config> {
        let table = var("ORDERS_TABLE").filter(|t| !t.is_empty()).context("`ORDERS_TABLE` is not set")?;
        let threshold = match var("HIGH_VALUE_THRESHOLD") {
            None => Rules::default().high_value_threshold,
            Some(t) => match t.parse::<f64>() {
                Ok(v) if v.is_finite() && v >= 0.0 => v,
                _ => bail!("`HIGH_VALUE_THRESHOLD` is `{t}`, not a non-negative number"),
            },
        };
        let max_receive_count = match var("MAX_RECEIVE_COUNT").filter(|m| !m.is_empty()) {
            None => None,
            Some(m) => match m.parse::<u32>() {
                Ok(n) if n > 0 => Some(n),
                _ => bail!("`MAX_RECEIVE_COUNT` is `{m}`, not a positive whole number"),
            },
        };
        Ok(Config {
            table,
            topic_arn: var("ORDERS_TOPIC_ARN").filter(|t| !t.is_empty()),
            rules: Rules { high_value_threshold: threshold },
            max_receive_count,
        })
    }
}

/// The SDK configuration: region, credentials and endpoint (`AWS_ENDPOINT_URL`) from
/// the standard chain, as Lambda provides them.
pub async fn sdk_config() -> aws_config::SdkConfig {
    aws_config::load_from_env().await
}

/// Logs one event (an `order_domain::log` line) as a line of JSON on stderr, which
/// CloudWatch Logs keeps.
pub fn log(line: Value) {
    eprintln!("{line}");
}

/// Runs `process` on each record of an SQS batch and answers with a partial batch
/// response: a record whose processing returns `Ok(false)` or an error is reported in
/// `batchItemFailures`, so SQS retries only it. A record without a message id cannot
/// be reported alone, so it fails the whole batch.
pub async fn each_record<'a, F, Fut>(records: &'a [SqsMessage], what: &str, mut process: F) -> Result<SqsBatchResponse, String>
where
    F: FnMut(&'a SqsMessage) -> Fut,
    Fut: std::future::Future<Output = Result<bool>>,
{
    let mut response = SqsBatchResponse::default();
    for message in records {
        let Some(id) = message.message_id.clone() else {
            return Err("an SQS record has no messageId".into());
        };
        match process(message).await {
            Ok(true) => {}
            Ok(false) => response.add_failure(id),
            Err(e) => {
                let fields = serde_json::json!({"messageId": id, "error": format!("{e:#}")});
                log(order_domain::log::line("error", &format!("{what} failed: retried"), fields));
                response.add_failure(id);
            }
        }
    }
    Ok(response)
}

/// A JSON value as a DynamoDB attribute value.
pub fn to_attribute(v: &Value) -> AttributeValue {
    match v {
        Value::Null => AttributeValue::Null(true),
        Value::Bool(b) => AttributeValue::Bool(*b),
        Value::Number(n) => AttributeValue::N(n.to_string()),
        Value::String(s) => AttributeValue::S(s.clone()),
        Value::Array(items) => AttributeValue::L(items.iter().map(to_attribute).collect()),
        Value::Object(map) => AttributeValue::M(map.iter().map(|(k, v)| (k.clone(), to_attribute(v))).collect()),
    }
}

/// A DynamoDB attribute value as JSON (numbers become JSON numbers again).
pub fn from_attribute(a: &AttributeValue) -> Value {
    match a {
        AttributeValue::S(s) => Value::String(s.clone()),
        AttributeValue::N(n) => n
            .parse::<i64>()
            .map(Value::from)
            .ok()
            .or_else(|| n.parse::<f64>().ok().and_then(Number::from_f64).map(Value::Number))
            .unwrap_or(Value::Null),
        AttributeValue::Bool(b) => Value::Bool(*b),
        AttributeValue::L(items) => Value::Array(items.iter().map(from_attribute).collect()),
        AttributeValue::M(map) => Value::Object(map.iter().map(|(k, v)| (k.clone(), from_attribute(v))).collect()),
        _ => Value::Null,
    }
}

pub fn to_item(record: &OrderRecord) -> HashMap<String, AttributeValue> {
    match serde_json::to_value(record).expect("a record always serialises") {
        Value::Object(map) => map.iter().map(|(k, v)| (k.clone(), to_attribute(v))).collect(),
        _ => unreachable!("a record serialises to an object"),
    }
}

pub fn from_item(item: &HashMap<String, AttributeValue>) -> Result<OrderRecord> {
    let json = Value::Object(item.iter().map(|(k, v)| (k.clone(), from_attribute(v))).collect());
    serde_json::from_value(json).context("an item of the orders table is not an order record")
}

/// The `orders` topic.
#[derive(Clone)]
pub struct OrdersTopic {
    client: aws_sdk_sns::Client,
    arn: String,
}

impl OrdersTopic {
    pub fn new(sdk: &aws_config::SdkConfig, arn: &str) -> Self {
        OrdersTopic { client: aws_sdk_sns::Client::new(sdk), arn: arn.to_string() }
    }

    /// Publishes one order; returns SNS's message id.
    pub async fn publish(&self, order: &order_domain::Order) -> Result<String> {
        let out = self
            .client
            .publish()
            .topic_arn(&self.arn)
            .message(order.to_json())
            .send()
            .await
            .with_context(|| format!("publishing order `{}` to `{}`", order.order_id, self.arn))?;
        Ok(out.message_id().unwrap_or_default().to_string())
    }
}

/// The `orders` table.
#[derive(Clone)]
pub struct OrdersTable {
    client: aws_sdk_dynamodb::Client,
    name: String,
}

impl OrdersTable {
    pub fn new(sdk: &aws_config::SdkConfig, name: &str) -> Self {
        OrdersTable { client: aws_sdk_dynamodb::Client::new(sdk), name: name.to_string() }
    }

    /// The order's record, read consistently.
    pub async fn get(&self, order_id: &str) -> Result<Option<OrderRecord>> {
        let out = self
            .client
            .get_item()
            .table_name(&self.name)
            .key("orderId", AttributeValue::S(order_id.to_string()))
            .consistent_read(true)
            .send()
            .await
            .with_context(|| format!("reading order `{order_id}` from `{}`", self.name))?;
        out.item().map(from_item).transpose()
    }

    /// Writes `record` only if the table still holds `expected` (compared by status,
    /// attempts and review) — or nothing at all when `expected` is `None`. Returns
    /// false when another writer got there first: read again and decide again.
    pub async fn put_if(&self, record: &OrderRecord, expected: Option<&OrderRecord>) -> Result<bool> {
        let mut put = self.client.put_item().table_name(&self.name).set_item(Some(to_item(record)));
        put = match expected {
            None => put.condition_expression("attribute_not_exists(orderId)"),
            Some(old) => put
                .condition_expression(if old.review.is_some() {
                    "#s = :s AND #a = :a AND attribute_exists(review)"
                } else {
                    "#s = :s AND #a = :a AND attribute_not_exists(review)"
                })
                .expression_attribute_names("#s", "status")
                .expression_attribute_names("#a", "attempts")
                .expression_attribute_values(":s", AttributeValue::S(old.status.as_str().to_string()))
                .expression_attribute_values(":a", AttributeValue::N(old.attempts.to_string())),
        };
        match put.send().await {
            Ok(_) => Ok(true),
            Err(e) => match e.into_service_error() {
                PutItemError::ConditionalCheckFailedException(_) => Ok(false),
                other => Err(anyhow::Error::new(other).context(format!("writing order `{}` to `{}`", record.order.order_id, self.name))),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use order_domain::{decide, next_record, synthesize, Kind};

    #[test]
    fn records_round_trip_through_dynamodb_items() {
        let rules = Rules::default();
        let order = synthesize(Kind::HighValue, 4, "run", 1_700_000_000_000_000, &rules);
        let first = order_domain::Receive { count: 1, max: Some(3) };
        let record = next_record(None, &order, &decide(&order, &rules), rules.high_value_threshold, first, 1_700_000_000_100_000).unwrap();
        let item = to_item(&record);
        assert_eq!(item["amount"], AttributeValue::N(order.amount.to_string()));
        assert_eq!(item["status"], AttributeValue::S("FAILED".into()));
        assert_eq!(from_item(&item).unwrap(), record);
    }

    #[test]
    fn config_comes_from_the_environment() {
        let vars = |k: &str| match k {
            "ORDERS_TABLE" => Some("s-orders".to_string()),
            "HIGH_VALUE_THRESHOLD" => Some("500".to_string()),
            "MAX_RECEIVE_COUNT" => Some("5".to_string()),
            _ => None,
        };
        let c = Config::from_vars(vars).unwrap();
        assert_eq!((c.table.as_str(), c.rules.high_value_threshold, c.topic_arn, c.max_receive_count), ("s-orders", 500.0, None, Some(5)));
        let unset = |k: &str| if k == "ORDERS_TABLE" { Some("t".to_string()) } else { None };
        assert_eq!(Config::from_vars(unset).unwrap().max_receive_count, None);
        let zero = |k: &str| match k {
            "ORDERS_TABLE" => Some("t".to_string()),
            "MAX_RECEIVE_COUNT" => Some("0".to_string()),
            _ => None,
        };
        assert!(Config::from_vars(zero).unwrap_err().to_string().contains("MAX_RECEIVE_COUNT"));
        assert!(Config::from_vars(|_| None).unwrap_err().to_string().contains("ORDERS_TABLE"));
        let bad = |k: &str| if k == "HIGH_VALUE_THRESHOLD" { Some("lots".into()) } else { Some("x".into()) };
        assert!(Config::from_vars(bad).is_err());
    }
}
