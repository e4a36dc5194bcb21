//! `orders` on the local target: newest first along `items_created` (the order's
//! `createdAt`), the filters applied as the index is walked, stopping at the limit.

use super::LocalStack;
use crate::report::orders::{OrderRow, OrdersQuery};
use anyhow::Result;
use order_domain::OrderRecord;
use rusqlite::types::Value;

pub fn orders(stack: &LocalStack, query: &OrdersQuery) -> Result<Vec<OrderRow>> {
    let mut conditions = Vec::new();
    let mut values: Vec<Value> = Vec::new();
    let mut filter = |condition: &str, value: Option<String>| {
        if let Some(v) = value {
            values.push(Value::Text(v));
            conditions.push(format!("{condition} ?{}", values.len()));
        }
    };
    filter("created_at >=", query.since.clone());
    filter("status =", query.status.map(|s| s.as_str().to_string()));
    filter("kind =", query.kind.map(|k| k.as_str().to_string()));
    filter("run_id =", query.run.clone());
    let filters = if conditions.is_empty() { String::new() } else { format!("WHERE {}", conditions.join(" AND ")) };
    values.push(Value::Integer(query.limit as i64));
    let sql = format!("SELECT item FROM items {filters} ORDER BY created_at DESC, rowid DESC LIMIT ?{}", values.len());
    let mut conn = stack.db.connect()?;
    conn.read(|tx| {
        let mut stmt = tx.prepare(&sql)?;
        let items = stmt.query_map(rusqlite::params_from_iter(values.iter()), |r| r.get::<_, String>(0))?;
        items.map(|item| Ok(OrderRow::of(&OrderRecord::from_json(&item?)?))).collect()
    })
}
