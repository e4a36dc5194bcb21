#!/usr/bin/env python3
"""Grows a local stack to a million orders for the read benchmarks of `orders`,
`trace` and `logs` (README, "One order's way"): the table, the engine's hops and the
functions' log lines, copied from one real FAIL order of the stack, in one transaction.

    orderctl up && orderctl send --kind fail --count 1 --rate 10
    python3 benches/big_stack.py .orderctl/orderctl/state.db 1000000
    time orderctl trace big-500000; time orderctl logs --order-id big-123456 --since 30d

Orders `big-0` … `big-<N-1>`, each with 4 hops and 2 log lines (the limits the engine
keeps are 4,000,000 and 2,000,000).
"""
import json
import sqlite3
import sys
import time

path, n = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
db = sqlite3.connect(path)
template_id, item = db.execute("SELECT order_id, item FROM items ORDER BY rowid LIMIT 1").fetchone()
record = json.loads(item)
hops = db.execute("SELECT at, step, detail FROM hops WHERE order_id = ? ORDER BY id LIMIT 4", (template_id,)).fetchall()
logs = db.execute("SELECT at, function, level, line FROM logs WHERE order_id = ? ORDER BY id LIMIT 2", (template_id,)).fetchall()
if len(hops) < 4 or len(logs) < 2:
    sys.exit(f"order {template_id} has {len(hops)} hops and {len(logs)} log lines: send a FAIL order first")


def items():
    for i in range(n):
        oid = f"big-{i}"
        yield (oid, json.dumps({**record, "orderId": oid, "runId": "big"}), record["status"], "standard", 0, "big",
               record.get("kind"), record.get("scheduledAt"), None, 1, record["createdAt"])


start = time.time()
db.execute("BEGIN")
db.executemany(
    "INSERT INTO items(order_id, item, status, tier, reviewed, run_id, kind, scheduled_at, settled_at, updated_at, created_at)"
    " VALUES (?,?,?,?,?,?,?,?,?,?,?)", items())
db.executemany("INSERT INTO hops(order_id, at, step, detail) VALUES (?,?,?,?)",
               ((f"big-{i}", at, step, detail) for i in range(n) for (at, step, detail) in hops))
db.executemany("INSERT INTO logs(at, function, level, order_id, line) VALUES (?,?,?,?,?)",
               ((at, fn, level, f"big-{i}", line.replace(template_id, f"big-{i}")) for i in range(n) for (at, fn, level, line) in logs))
db.execute("COMMIT")
counts = [db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in ("items", "hops", "logs")]
print(f"{n} orders added in {time.time() - start:.0f} s: items {counts[0]}, hops {counts[1]}, log lines {counts[2]}")
