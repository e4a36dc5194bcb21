//! `orderctl orders`: the table's orders, newest first, as the flags filter them.

use super::emit;
use crate::cli::{OrdersArgs, Since};
use crate::context::Context;
use crate::report::orders::{OrdersQuery, OrdersReport};
use crate::report::text::table;
use crate::Outcome;
use anyhow::Result;
use order_domain::rfc3339;
use std::fmt::Write;

pub fn run(ctx: &Context, args: &OrdersArgs) -> Result<Outcome> {
    let since = args.since.map(Since::micros);
    let query = OrdersQuery {
        status: args.status.map(Into::into),
        kind: args.kind.map(Into::into),
        run: args.run.clone(),
        since: since.map(rfc3339),
        limit: args.limit,
    };
    let report = crate::targets::open(ctx).orders(&query)?;
    emit(ctx, &report, || render(&report))?;
    Ok(Outcome::Success)
}

fn render(r: &OrdersReport) -> String {
    let mut t = table(&["order id", "kind", "status", "amount", "attempts", "failure reason", "review", "created", "settled"]);
    let dash = || "–".to_string();
    for o in &r.orders {
        t.add_row(vec![
            o.order_id.clone(),
            o.kind.map_or_else(dash, |k| k.to_string()),
            o.status.as_str().to_string(),
            format!("{:.2}", o.amount),
            o.attempts.to_string(),
            o.failure_reason.clone().unwrap_or_else(dash),
            o.review.clone().unwrap_or_else(dash),
            o.created_at.clone(),
            o.settled_at.clone().unwrap_or_else(dash),
        ]);
    }
    let mut out = String::new();
    if r.orders.is_empty() {
        let _ = writeln!(out, "no orders in stack `{}` match", r.stack);
    } else {
        let _ = writeln!(out, "{t}");
        let _ = writeln!(out, "{} orders, newest first (at most {})", r.orders.len(), r.query.limit);
    }
    if let Some(reads) = &r.reads {
        let _ = writeln!(out, "read through index `{}`: {} requests, {} items read", reads.index, reads.requests, reads.items_read);
    }
    out
}
