//! What `orders` asks and reports, on either target: a page of the table's orders,
//! newest first.

use order_domain::{rfc3339, Kind, OrderRecord, Status};
use serde::Serialize;

/// Which orders `orders` lists.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OrdersQuery {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<Kind>,
    /// The load run the orders came from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub run: Option<String>,
    /// Orders created at or after this instant (RFC 3339, UTC, to the millisecond).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub since: Option<String>,
    pub limit: usize,
}

/// One order as `orders` lists it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderRow {
    pub order_id: String,
    pub kind: Option<Kind>,
    pub status: Status,
    pub amount: f64,
    pub attempts: u32,
    pub failure_reason: Option<String>,
    /// The high-value review's verdict (`priority`, `manual-review`, `reject`).
    pub review: Option<String>,
    pub created_at: String,
    pub settled_at: Option<String>,
    pub run_id: Option<String>,
}

impl OrderRow {
    pub fn of(r: &OrderRecord) -> OrderRow {
        OrderRow {
            order_id: r.order.order_id.clone(),
            kind: r.order.kind,
            status: r.status,
            amount: r.order.amount,
            attempts: r.attempts,
            failure_reason: r.failure_reason.clone(),
            review: r.review.as_ref().and_then(|v| serde_json::to_value(v.verdict).ok()).and_then(|v| v.as_str().map(String::from)),
            created_at: r.order.created_at.clone(),
            settled_at: r.settled_at.map(rfc3339),
            run_id: r.order.run_id.clone(),
        }
    }
}

/// What reading a page cost on aws: requests, and the items DynamoDB read for them.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Reads {
    /// The index queried.
    pub index: String,
    pub requests: u64,
    /// Items read (DynamoDB's `ScannedCount`: what the request is billed for).
    pub items_read: u64,
}

/// What `orders` found.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OrdersReport {
    pub schema: &'static str,
    pub stack: String,
    pub target: &'static str,
    pub query: OrdersQuery,
    pub orders: Vec<OrderRow>,
    /// aws: what the page cost.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reads: Option<Reads>,
}
