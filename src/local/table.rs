//! The `orders` DynamoDB table: one item per order, conditional writes, and a stream of
//! INSERT / MODIFY / REMOVE records with old and new images in commit order, shaped as
//! DynamoDB Streams shapes them (numbers as strings).

use anyhow::Result;
use order_domain::{Micros, OrderRecord};
use rusqlite::{params, Connection, OptionalExtension};
use serde_json::{json, Map, Value};

pub fn get(c: &Connection, order_id: &str) -> Result<Option<OrderRecord>> {
    let item: Option<String> =
        c.prepare_cached("SELECT item FROM items WHERE order_id = ?1")?.query_row([order_id], |r| r.get(0)).optional()?;
    Ok(match item {
        Some(text) => Some(OrderRecord::from_json(&text)?),
        None => None,
    })
}

/// Writes `record` (whose previous version is `old`, as read in this same transaction)
/// and appends its stream record.
pub fn put(c: &Connection, record: &OrderRecord, old: Option<&OrderRecord>, now: Micros) -> Result<()> {
    let item = record.to_json();
    c.prepare_cached(
        "INSERT INTO items(order_id, item, status, tier, reviewed, run_id, kind, scheduled_at, settled_at, updated_at, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
         ON CONFLICT(order_id) DO UPDATE SET item = ?2, status = ?3, tier = ?4, reviewed = ?5, run_id = ?6, kind = ?7,
             scheduled_at = ?8, settled_at = ?9, updated_at = ?10",
    )?
    .execute(params![
        record.order.order_id,
        item,
        record.status.as_str(),
        match record.tier {
            order_domain::Tier::Standard => "standard",
            order_domain::Tier::HighValue => "high-value",
        },
        record.review.is_some(),
        record.order.run_id,
        record.order.kind.map(|k| k.as_str()),
        record.order.scheduled_at,
        record.settled_at,
        now,
        record.order.created_at,
    ])?;
    let event_name = if old.is_some() { "MODIFY" } else { "INSERT" };
    c.prepare_cached("INSERT INTO stream(event_name, order_id, old_item, new_item, created_at) VALUES (?1, ?2, ?3, ?4, ?5)")?
        .execute(params![event_name, record.order.order_id, old.map(OrderRecord::to_json), item, now])?;
    // As text: one of these per write, on the engine's hot path.
    let before = old.map_or("null".to_string(), |o| format!("\"{}\"", o.status.as_str()));
    let detail = format!(
        r#"{{"event":"{event_name}","streamSeq":{},"before":{before},"after":"{}","attempts":{},"reviewed":{}}}"#,
        c.last_insert_rowid(),
        record.status.as_str(),
        record.attempts,
        record.review.is_some()
    );
    super::hops::record_text(c, &record.order.order_id, now, "written", &detail)?;
    Ok(())
}

/// One change of the table, as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub seq: i64,
    pub event_name: String,
    pub order_id: String,
    pub old_item: Option<String>,
    pub new_item: Option<String>,
    pub created_at: Micros,
}

impl Change {
    /// The DynamoDB Streams record (`NEW_AND_OLD_IMAGES`) of this change.
    pub fn to_record(&self, table: &str) -> Result<Value> {
        let parse = |s: &Option<String>| s.as_deref().map(serde_json::from_str::<Value>).transpose();
        let (old, new) = (parse(&self.old_item)?, parse(&self.new_item)?);
        let mut dynamodb = Map::new();
        dynamodb.insert("ApproximateCreationDateTime".into(), json!(self.created_at / 1_000_000));
        dynamodb.insert("Keys".into(), json!({"orderId": {"S": self.order_id}}));
        if let Some(new) = new {
            dynamodb.insert("NewImage".into(), to_item(new));
        }
        if let Some(old) = old {
            dynamodb.insert("OldImage".into(), to_item(old));
        }
        dynamodb.insert("SequenceNumber".into(), Value::String(format!("{:021}", self.seq)));
        dynamodb.insert("StreamViewType".into(), json!("NEW_AND_OLD_IMAGES"));
        Ok(json!({
            "eventID": format!("{:032x}", self.seq),
            "eventName": self.event_name,
            "eventVersion": "1.1",
            "eventSource": "aws:dynamodb",
            "awsRegion": "local",
            "eventSourceARN": format!("arn:aws:dynamodb:local:000000000000:table/{table}/stream/local"),
            "dynamodb": Value::Object(dynamodb),
        }))
    }
}

/// Up to `max` changes after sequence number `after`, in commit order.
pub fn changes(c: &Connection, after: i64, max: usize) -> Result<Vec<Change>> {
    let rows = c
        .prepare_cached(
            "SELECT seq, event_name, order_id, old_item, new_item, created_at FROM stream WHERE seq > ?1 ORDER BY seq LIMIT ?2",
        )?
        .query_map(params![after, max as i64], |r| {
            Ok(Change {
                seq: r.get(0)?,
                event_name: r.get(1)?,
                order_id: r.get(2)?,
                old_item: r.get(3)?,
                new_item: r.get(4)?,
                created_at: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// A JSON object as a DynamoDB item: every value typed, numbers as strings. It takes
/// the value, so its strings move rather than being copied (the pipe does this for
/// every stream record).
pub fn to_item(v: Value) -> Value {
    match v {
        Value::Object(map) => Value::Object(map.into_iter().map(|(k, v)| (k, into_attribute(v))).collect()),
        other => into_attribute(other),
    }
}

fn into_attribute(v: Value) -> Value {
    let typed = |kind: &str, v: Value| Value::Object(Map::from_iter([(kind.to_string(), v)]));
    match v {
        Value::Null => typed("NULL", Value::Bool(true)),
        Value::Bool(b) => typed("BOOL", Value::Bool(b)),
        Value::Number(n) => typed("N", Value::String(n.to_string())),
        Value::String(s) => typed("S", Value::String(s)),
        Value::Array(items) => typed("L", Value::Array(items.into_iter().map(into_attribute).collect())),
        object @ Value::Object(_) => typed("M", to_item(object)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_are_typed_like_dynamodb() {
        let item = to_item(json!({"orderId": "o-1", "amount": 15000, "ok": true, "tags": ["a"], "review": {"score": 10}, "x": null}));
        assert_eq!(item["amount"], json!({"N": "15000"}));
        assert_eq!(item["orderId"], json!({"S": "o-1"}));
        assert_eq!(item["ok"], json!({"BOOL": true}));
        assert_eq!(item["tags"], json!({"L": [{"S": "a"}]}));
        assert_eq!(item["review"], json!({"M": {"score": {"N": "10"}}}));
        assert_eq!(item["x"], json!({"NULL": true}));
    }
}
