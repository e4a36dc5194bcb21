//! `orderctl orders` on both targets: the right orders, newest first, each filter
//! applied; on aws through the `status-createdAt` index `up` creates, with the reads a
//! page costs counted (one query per status asked for, never a scan); a local stack made
//! by the previous schema is brought up to date when opened.

use crate::common;

use common::moto::{tiny_packages, Moto};
use common::{json, ok_json, orderctl};
use serde_json::Value;
use std::process::Command;

fn rows(report: &Value) -> &Vec<Value> {
    report["orders"].as_array().expect("an orders array")
}

fn newest_first(report: &Value) -> bool {
    rows(report).windows(2).all(|w| w[0]["createdAt"].as_str() >= w[1]["createdAt"].as_str())
}

#[test]
fn orders_lists_the_local_table_newest_first_with_every_filter() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    assert_eq!(orderctl(d, &["up"]).status.code(), Some(0));
    let sent = json(&orderctl(d, &["send", "--mix", "normal=8,high-value=1,fail=1", "--count", "100", "--rate", "1000", "-o", "json"]));
    let run = sent["runId"].as_str().unwrap().to_string();

    let page = ok_json(&orderctl(d, &["orders", "-o", "json"]), "orders");
    assert_eq!(common::schema_errors("orders", &page), Vec::<String>::new());
    assert_eq!(rows(&page).len(), 20, "the default limit");
    assert!(newest_first(&page), "{page}");
    assert_eq!(rows(&page)[0]["orderId"], format!("{run}-99"), "the newest order first: {page}");

    let failed = ok_json(&orderctl(d, &["orders", "--status", "FAILED", "--limit", "5", "-o", "json"]), "--status FAILED");
    assert_eq!(rows(&failed).len(), 5);
    for o in rows(&failed) {
        assert_eq!(o["status"], "FAILED", "{o}");
        assert_eq!(o["kind"], "high-value", "only high-value orders fail by rule: {o}");
        assert!(o["review"].is_string() && o["failureReason"].is_string() && o["settledAt"].is_string(), "{o}");
    }
    assert!(newest_first(&failed));

    let fail = ok_json(&orderctl(d, &["orders", "--kind", "fail", "--limit", "100", "-o", "json"]), "--kind fail");
    assert_eq!(rows(&fail).len(), 10, "one in ten: {fail}");
    assert!(rows(&fail).iter().all(|o| o["status"] == "DEAD_LETTERED" && o["attempts"] == 3 && o["settledAt"].is_null()), "{fail}");
    let dead = ok_json(&orderctl(d, &["orders", "--status", "dead-lettered", "--limit", "100", "-o", "json"]), "--status dead-lettered");
    assert_eq!(rows(&dead), rows(&fail), "the FAIL orders, and only they, are in the DLQ");
    let retrying = ok_json(&orderctl(d, &["orders", "--status", "retrying", "-o", "json"]), "--status retrying");
    assert_eq!(rows(&retrying).len(), 0, "nothing reads retrying once nothing will retry it: {retrying}");

    let all = ok_json(&orderctl(d, &["orders", "--run", &run, "--limit", "1000", "-o", "json"]), "--run");
    assert_eq!(rows(&all).len(), 100);
    let none = ok_json(&orderctl(d, &["orders", "--run", "r-none", "-o", "json"]), "--run unknown");
    assert!(rows(&none).is_empty());

    let recent = ok_json(&orderctl(d, &["orders", "--since", "1h", "--limit", "1000", "-o", "json"]), "--since 1h");
    assert_eq!(rows(&recent).len(), 100);
    let future = ok_json(&orderctl(d, &["orders", "--since", "2999-01-01T00:00:00Z", "-o", "json"]), "--since future");
    assert!(rows(&future).is_empty());
    let newest = &rows(&page)[0]["createdAt"].as_str().unwrap().to_string();
    let from_newest = ok_json(&orderctl(d, &["orders", "--since", newest, "-o", "json"]), "--since an instant");
    assert_eq!(rows(&from_newest).len(), 1, "only the newest order is that recent: {from_newest}");

    let text = common::text(&orderctl(d, &["orders", "--status", "failed", "--limit", "3"])).0;
    assert!(text.contains("3 orders, newest first") && text.contains("FAILED"), "{text}");

    for bad in [&["orders", "--status", "lost"][..], &["orders", "--limit", "0"], &["orders", "--since", "yesterday"]] {
        let out = orderctl(d, bad);
        assert_eq!(out.status.code(), Some(2), "{bad:?}: {}", common::text(&out).1);
    }
}

#[test]
fn a_local_stack_of_the_previous_schema_is_migrated_when_opened() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    assert_eq!(orderctl(d, &["up"]).status.code(), Some(0));
    assert_eq!(orderctl(d, &["send", "--count", "30", "--rate", "1000"]).status.code(), Some(0));
    // Make it what schema version 1 wrote: no `created_at` column, no index on it, no
    // logs, no hops, none of version 4's indexes.
    let db = rusqlite_like_downgrade(&d.join(".orderctl/orderctl/state.db"));
    assert!(db, "downgraded the stack to schema version 1");
    let page = ok_json(&orderctl(d, &["orders", "--limit", "50", "-o", "json"]), "orders on a version-1 stack");
    assert_eq!(rows(&page).len(), 30);
    assert!(newest_first(&page), "{page}");
    let status = ok_json(&orderctl(d, &["status", "-o", "json"]), "status after the migration");
    assert_eq!(status["orders"]["total"], 30);
    let db = orderctl::local::db::Db::open(&d.join(".orderctl/orderctl/state.db"), false).unwrap();
    let indexes: Vec<String> = db
        .connect()
        .unwrap()
        .read(|tx| {
            let mut stmt = tx.prepare(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND name IN ('messages_age', 'items_unreviewed') ORDER BY name",
            )?;
            let names = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
            Ok(names)
        })
        .unwrap();
    assert_eq!(indexes, ["items_unreviewed", "messages_age"], "version 4's indexes are made by the migration");
    assert_eq!(orderctl(d, &["send", "--count", "20", "--rate", "1000"]).status.code(), Some(0), "a migrated stack runs");
}

/// Drops what versions 2, 3 and 4 added, with the `sqlite3`-compatible SQL the stack understands,
/// through the library's own database layer.
fn rusqlite_like_downgrade(path: &std::path::Path) -> bool {
    let db = orderctl::local::db::Db::open(path, false).unwrap();
    let mut conn = db.connect().unwrap();
    conn.write(|tx| {
        tx.execute_batch(
            "DROP INDEX items_created; ALTER TABLE items DROP COLUMN created_at; DROP TABLE logs; DROP TABLE hops;
             DROP INDEX messages_age; DROP INDEX items_unreviewed;
             UPDATE meta SET value = '1' WHERE key = 'schema_version';",
        )?;
        Ok(())
    })
    .unwrap();
    let version: String =
        conn.read(|tx| Ok(tx.query_row("SELECT value FROM meta WHERE key = 'schema_version'", [], |r| r.get(0))?)).unwrap();
    version == "1"
}

fn aws(moto: &Moto, args: &[&str]) -> std::process::Output {
    let mut cmd = Command::new(common::bin());
    cmd.args(["--target", "aws", "--stack", "od"]).args(args).env("AWS_ENDPOINT_URL", &moto.endpoint).env_remove("AWS_PROFILE");
    for (k, v) in moto.handler_env() {
        cmd.env(k, v);
    }
    cmd.output().expect("orderctl runs")
}

#[test]
fn orders_on_aws_reads_one_index_query_per_status_however_large_the_table() {
    let moto = Moto::start();
    let packages = tiny_packages();
    let up = ok_json(&aws(&moto, &["up", "--yes", "-o", "json", "--zips", &packages.path().display().to_string()]), "up");
    assert_eq!(up["applied"], true);
    let again = ok_json(&aws(&moto, &["up", "--yes", "-o", "json", "--zips", &packages.path().display().to_string()]), "second up");
    assert_eq!(again["apiCalls"]["mutating"], 0, "the index is read back as created: {again}");

    // 3,000 orders written straight into the table, as the workers write them.
    const N: u64 = 3000;
    common::block_on(async {
        let ddb = aws_sdk_dynamodb::Client::new(&moto.sdk().await);
        let described = ddb.describe_table().table_name("od-orders").send().await.unwrap();
        let indexes: Vec<&str> = described.table().unwrap().global_secondary_indexes().iter().filter_map(|g| g.index_name()).collect();
        assert_eq!(indexes, vec!["status-createdAt"], "up created the index");
        let records: Vec<Value> = (0..N)
            .map(|i| {
                let status =
                    ["COMPLETED", "COMPLETED", "FAILED", "RETRYING", "COMPLETED", "COMPLETED", "FAILED", "DEAD_LETTERED"][(i % 8) as usize];
                let kind = ["normal", "normal", "high-value", "fail"][(i % 4) as usize];
                serde_json::json!({
                    "orderId": format!("rX-{i}"), "customerName": "c", "product": "p", "quantity": 1, "amount": 10.0 + i as f64,
                    "notes": "", "createdAt": order_domain::rfc3339(1_780_000_000_000_000 + i as i64 * 1000), "runId": "rX",
                    "kind": kind, "status": status, "tier": "standard", "attempts": 1,
                })
            })
            .collect();
        for chunk in records.chunks(25) {
            let writes = chunk
                .iter()
                .map(|r| {
                    let record: order_domain::OrderRecord = serde_json::from_value(r.clone()).unwrap();
                    let put =
                        aws_sdk_dynamodb::types::PutRequest::builder().set_item(Some(lambda_support::to_item(&record))).build().unwrap();
                    aws_sdk_dynamodb::types::WriteRequest::builder().put_request(put).build()
                })
                .collect();
            ddb.batch_write_item().request_items("od-orders", writes).send().await.unwrap();
        }
    });

    let failed = ok_json(&aws(&moto, &["orders", "--status", "FAILED", "--limit", "5", "-o", "json"]), "orders --status FAILED");
    assert_eq!(common::schema_errors("orders", &failed), Vec::<String>::new());
    let ids: Vec<&str> = rows(&failed).iter().map(|o| o["orderId"].as_str().unwrap()).collect();
    assert_eq!(ids, vec!["rX-2998", "rX-2994", "rX-2990", "rX-2986", "rX-2982"], "the newest failed orders first");
    assert_eq!(failed["reads"]["index"], "status-createdAt");
    assert_eq!(failed["reads"]["requests"], 1, "one query for one status: {failed}");
    assert_eq!(failed["reads"]["itemsRead"], 5, "a page reads what it shows, of {N} orders: {failed}");

    let page = ok_json(&aws(&moto, &["orders", "--limit", "4", "-o", "json"]), "orders");
    let ids: Vec<&str> = rows(&page).iter().map(|o| o["orderId"].as_str().unwrap()).collect();
    assert_eq!(ids, vec!["rX-2999", "rX-2998", "rX-2997", "rX-2996"], "newest first across the statuses");
    assert_eq!(page["reads"]["requests"], 4, "one query per status: {page}");
    assert!(page["reads"]["itemsRead"].as_u64().unwrap() <= 16, "{page}");

    let fail = ok_json(&aws(&moto, &["orders", "--kind", "fail", "--status", "retrying", "--limit", "3", "-o", "json"]), "--kind");
    assert!(rows(&fail).iter().all(|o| o["kind"] == "fail" && o["status"] == "RETRYING"), "{fail}");
    assert_eq!(rows(&fail).len(), 3);
    let dead = ok_json(&aws(&moto, &["orders", "--status", "dead-lettered", "--limit", "2", "-o", "json"]), "--status dead-lettered");
    let ids: Vec<&str> = rows(&dead).iter().map(|o| o["orderId"].as_str().unwrap()).collect();
    assert_eq!(ids, vec!["rX-2999", "rX-2991"], "{dead}");

    let since = ok_json(
        &aws(&moto, &["orders", "--since", &order_domain::rfc3339(1_780_000_000_000_000 + 2990 * 1000), "--limit", "100", "-o", "json"]),
        "--since",
    );
    assert_eq!(rows(&since).len(), 10, "orders 2990 to 2999: {since}");
    assert!(since["reads"]["itemsRead"].as_u64().unwrap() <= 10, "--since is a key condition, not a filter: {since}");
    let text = common::text(&aws(&moto, &["orders", "--status", "failed", "--limit", "2"])).0;
    assert!(text.contains("read through index `status-createdAt`: 1 requests, 2 items read"), "{text}");

    // A table made before the index, or none at all: the error says what to run.
    common::block_on(async {
        common::moto::create_table(&moto.sdk().await, "old-orders").await;
    });
    let old = Command::new(common::bin())
        .args(["--target", "aws", "--stack", "old", "orders"])
        .env("AWS_ENDPOINT_URL", &moto.endpoint)
        .envs(moto.handler_env())
        .output()
        .unwrap();
    assert_eq!(old.status.code(), Some(2));
    let hint = "the stack is not up here, or predates the index: run `orderctl up --target aws`";
    assert!(common::text(&old).1.contains(hint), "{}", common::text(&old).1);
    let none = Command::new(common::bin())
        .args(["--target", "aws", "--stack", "none", "orders"])
        .env("AWS_ENDPOINT_URL", &moto.endpoint)
        .envs(moto.handler_env())
        .output()
        .unwrap();
    assert_eq!(none.status.code(), Some(2));
    assert!(common::text(&none).1.contains(hint), "{}", common::text(&none).1);
}
