// orderctl ui: the order form, "My orders" and the live pipeline dashboard.
//
// Server data only ever reaches the page through textContent and attributes, never
// as HTML. The pure helpers at the top hold the decisions (what to send, what an
// answer means, when an order is settled) and are exported for tests when this file
// is loaded outside a browser.
(function (root) {
  "use strict";

  const FIELDS = ["customerName", "product", "quantity", "amount", "notes"];
  const POLL_MS = 1000;
  const SUBMIT_TIMEOUT_MS = 20000;
  const RECONNECT_MS = 3000;

  // ---- pure helpers -------------------------------------------------------

  function formatMs(ms) {
    const charts = root.OrderctlCharts;
    if (charts && typeof charts.formatMs === "function") return charts.formatMs(ms);
    return ms === null || ms === undefined || !Number.isFinite(ms) ? "—" : ms + " ms";
  }

  // An empty or unreadable number field is sent as null rather than 0, so the
  // server rejects it with its own message instead of accepting a zero.
  function numberOrNull(text) {
    const s = String(text === undefined || text === null ? "" : text).trim();
    if (s === "") return null;
    const n = Number(s);
    return Number.isFinite(n) ? n : null;
  }

  function orderBody(values) {
    return {
      customerName: String(values.customerName || ""),
      product: String(values.product || ""),
      quantity: numberOrNull(values.quantity),
      amount: numberOrNull(values.amount),
      notes: String(values.notes || ""),
    };
  }

  // What the order endpoint's answer means for the page:
  //   {kind: "created", orderId} | {kind: "invalid", field|null, message} | {kind: "error", message}
  function interpretOrderAnswer(status, body, text) {
    const json = body && typeof body === "object" ? body : null;
    if (status >= 200 && status < 300 && json && typeof json.orderId === "string" && json.orderId) {
      return { kind: "created", orderId: json.orderId };
    }
    const serverMessage = json && typeof json.error === "string" && json.error ? json.error : null;
    if (status === 400) {
      const field = json && FIELDS.indexOf(json.field) >= 0 ? json.field : null;
      return {
        kind: "invalid",
        field,
        message: serverMessage || "the order was rejected (HTTP 400)",
      };
    }
    if (status >= 200 && status < 300) {
      return { kind: "error", message: "the server accepted the order but sent no order id" };
    }
    const detail = serverMessage || shorten(text) || "no details";
    return { kind: "error", message: "the order was not accepted (HTTP " + status + "): " + detail };
  }

  function shorten(text) {
    const s = String(text || "").trim();
    return s.length > 200 ? s.slice(0, 200) + "…" : s;
  }

  // An order is followed until it reaches a final status or the DLQ.
  function isSettled(order) {
    return !!order && (order.status === "COMPLETED" || order.status === "FAILED" || order.inDlq === true);
  }

  function orderDetail(order) {
    if (!order) return "";
    const parts = [];
    if (order.failureReason) parts.push(order.failureReason);
    if (order.lastError && order.lastError !== order.failureReason) parts.push(order.lastError);
    if (order.inDlq) parts.push("in the DLQ");
    if (Number.isFinite(order.attempts) && order.attempts > 1) parts.push(order.attempts + " attempts");
    if (order.reviewed) parts.push("reviewed");
    return parts.join(" · ");
  }

  function plural(n, one, many) {
    return n + " " + (n === 1 ? one : many);
  }

  function redriveQuestion(depth) {
    return "Move " + plural(depth, "message", "messages") + " from the DLQ back to their source queue?";
  }

  function redriveOutcome(ok, status, body) {
    if (ok && body && Number.isFinite(body.moved)) {
      return { ok: true, message: "Moved " + plural(body.moved, "message", "messages") + " back to their source queue." };
    }
    const why = body && body.error ? body.error : "HTTP " + status;
    return { ok: false, message: "Redrive failed: " + why };
  }

  function latencySummary(lat) {
    const run = lat && lat.run ? " (run " + lat.run + ")" : "";
    if (!lat || !lat.count) return "no orders measured yet" + run;
    return (
      "p50 " + formatMs(lat.p50Ms) +
      " · p99 " + formatMs(lat.p99Ms) +
      " · " + plural(lat.count, "order", "orders") + run
    );
  }

  function countText(v) {
    return typeof v === "number" && Number.isFinite(v) ? String(v) : "—";
  }

  function formatClock(value) {
    const d = value instanceof Date ? value : new Date(value);
    if (Number.isNaN(d.getTime())) return String(value || "");
    return d.toLocaleTimeString([], { hour12: false });
  }

  // The alarm's changedAt is in microseconds since the Unix epoch.
  function alarmChangedText(micros) {
    if (!Number.isFinite(micros)) return "";
    const d = new Date(micros / 1000);
    return Number.isNaN(d.getTime()) ? "" : d.toLocaleString();
  }

  function dlqDepthOf(snapshot) {
    if (snapshot && snapshot.dlq && Number.isFinite(snapshot.dlq.depth)) return snapshot.dlq.depth;
    if (snapshot && snapshot.status && Number.isFinite(snapshot.status.dlqDepth)) return snapshot.status.dlqDepth;
    return 0;
  }

  const helpers = {
    numberOrNull,
    orderBody,
    interpretOrderAnswer,
    isSettled,
    orderDetail,
    redriveQuestion,
    redriveOutcome,
    latencySummary,
    countText,
    alarmChangedText,
    dlqDepthOf,
  };
  if (typeof module !== "undefined" && module.exports) module.exports = helpers;
  if (typeof document === "undefined") return;

  // ---- page ---------------------------------------------------------------

  const $ = (id) => document.getElementById(id);
  let config = null;

  function setText(id, text) {
    const el = $(id);
    // Unchanged text is left alone, so live regions do not repeat themselves.
    if (el && el.textContent !== text) el.textContent = text;
  }

  function cell(text, className) {
    const td = document.createElement("td");
    if (className) td.className = className;
    td.textContent = text === null || text === undefined ? "" : String(text);
    return td;
  }

  // An order id cell that links to the order's trace (`#trace=<id>`).
  function idCell(orderId) {
    const td = document.createElement("td");
    td.className = "id";
    if (!orderId) {
      td.textContent = "—";
      return td;
    }
    const a = document.createElement("a");
    a.href = "#trace=" + encodeURIComponent(orderId);
    a.className = "trace-link";
    a.dataset.orderId = orderId;
    a.textContent = orderId;
    a.title = "trace this order through the pipeline";
    td.append(a);
    return td;
  }

  async function readJson(res) {
    const text = await res.text();
    try {
      return { json: JSON.parse(text), text };
    } catch (_) {
      return { json: null, text };
    }
  }

  // -- config

  async function loadConfig() {
    for (let delay = 1000; ; delay = Math.min(delay * 2, 10000)) {
      try {
        const res = await fetch("/api/config", { headers: { Accept: "application/json" } });
        if (res.ok) {
          config = await res.json();
          setText("stack", config.stack || "—");
          setText("target", config.target || "—");
          if (config.stack) document.title = "orderctl ui · " + config.stack;
          return;
        }
      } catch (_) {
        // the server may be starting; try again below
      }
      setText("stack", "unknown");
      setText("target", "unknown");
      await new Promise((r) => setTimeout(r, delay));
    }
  }

  // -- order form

  const form = $("order-form");
  const submitButton = $("submit");
  let submitting = false;

  function showResult(kind, text) {
    const el = $("order-result");
    el.dataset.kind = kind;
    el.textContent = text;
  }

  function clearErrors() {
    showResult("", "");
    for (const f of FIELDS) {
      setText(f + "-error", "");
      const input = $(f);
      if (input) input.removeAttribute("aria-invalid");
    }
  }

  function formValues() {
    const values = {};
    for (const f of FIELDS) values[f] = $(f).value;
    return values;
  }

  async function submitOrder(ev) {
    ev.preventDefault();
    if (submitting) return;
    clearErrors();
    if (!config || !config.orderUrl) {
      showResult("error", "Not ready: the server has not said where to send orders (orderUrl in /api/config). Is orderctl ui still running?");
      return;
    }
    submitting = true;
    // aria-disabled rather than disabled, so a keyboard user's focus stays put.
    submitButton.setAttribute("aria-disabled", "true");
    form.setAttribute("aria-busy", "true");
    showResult("", "Sending…");
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), SUBMIT_TIMEOUT_MS);
    try {
      let res;
      try {
        res = await fetch(config.orderUrl, {
          method: "POST",
          headers: { "Content-Type": "application/json", Accept: "application/json" },
          body: JSON.stringify(orderBody(formValues())),
          signal: abort.signal,
        });
      } catch (err) {
        const why = err && err.name === "AbortError" ? "no answer in " + SUBMIT_TIMEOUT_MS / 1000 + " s" : (err && err.message) || String(err);
        showResult("error", "Could not reach the order endpoint " + config.orderUrl + ": " + why);
        return;
      }
      const { json, text } = await readJson(res);
      const answer = interpretOrderAnswer(res.status, json, text);
      if (answer.kind === "created") {
        showResult("ok", "Order created: " + answer.orderId);
        addOrder(answer.orderId);
      } else if (answer.kind === "invalid" && answer.field) {
        showResult("", "");
        setText(answer.field + "-error", answer.message);
        const input = $(answer.field);
        input.setAttribute("aria-invalid", "true");
        input.focus();
      } else {
        showResult("error", answer.message);
      }
    } catch (err) {
      showResult("error", "Could not read the answer: " + ((err && err.message) || String(err)));
    } finally {
      clearTimeout(timer);
      submitting = false;
      submitButton.removeAttribute("aria-disabled");
      form.removeAttribute("aria-busy");
    }
  }

  // -- my orders

  const myOrders = new Map(); // orderId -> {row, settled, busy}

  function addOrder(orderId) {
    if (myOrders.has(orderId)) return;
    const row = document.createElement("tr");
    row.dataset.orderId = orderId;
    row.dataset.status = "PENDING";
    row.append(idCell(orderId), cell("PENDING", "status"), cell("", "detail"));
    $("my-orders").tBodies[0].prepend(row);
    $("my-orders-empty").hidden = true;
    myOrders.set(orderId, { row, settled: false, busy: false });
  }

  function applyOrder(entry, order) {
    const row = entry.row;
    const status = typeof order.status === "string" ? order.status : "PENDING";
    row.dataset.status = status;
    row.dataset.inDlq = order.inDlq ? "true" : "false";
    row.querySelector(".status").textContent = status;
    row.querySelector(".detail").textContent = orderDetail(order);
    entry.settled = isSettled(order);
  }

  async function pollOne(orderId, entry) {
    entry.busy = true;
    try {
      const res = await fetch("/api/orders/" + encodeURIComponent(orderId), { headers: { Accept: "application/json" } });
      const { json } = await readJson(res);
      if (res.ok && json) {
        applyOrder(entry, json);
      } else if (res.status === 404) {
        entry.row.querySelector(".detail").textContent = "not recorded by the worker yet";
      } else {
        entry.row.querySelector(".detail").textContent = "lookup failed: " + ((json && json.error) || "HTTP " + res.status);
      }
    } catch (_) {
      // offline for a moment: the connection indicator says so; try again next tick
    } finally {
      entry.busy = false;
    }
  }

  function pollOrders() {
    for (const [orderId, entry] of myOrders) {
      if (!entry.settled && !entry.busy) pollOne(orderId, entry);
    }
  }

  // -- live dashboard

  const charts = root.OrderctlCharts || null;
  const throughputChart = charts ? charts.throughput($("throughput-chart")) : null;
  const latencyChart = charts ? charts.latency($("latency-chart")) : null;
  const lastRendered = {};
  let dlqDepth = 0;
  let redriving = false;

  // Skips a section whose data did not change, so a table someone is reading or
  // selecting text in is not rebuilt every second.
  function changed(key, value) {
    const json = JSON.stringify(value === undefined ? null : value);
    if (lastRendered[key] === json) return false;
    lastRendered[key] = json;
    return true;
  }

  function setConnection(state, text) {
    const el = $("connection");
    if (el.dataset.state !== state) el.dataset.state = state;
    setText("connection-text", text);
  }

  function renderOrders(orders) {
    const o = orders || {};
    setText("orders-completed", countText(o.completed));
    setText("orders-failed", countText(o.failed));
    setText("orders-retrying", countText(o.retrying));
    setText("orders-dead-lettered", countText(o.deadLettered));
    setText("orders-reviewed", countText(o.reviewed));
    setText("orders-total", countText(o.total));
  }

  function renderAlarm(alarm) {
    const stateEl = $("alarm-state");
    if (!alarm) {
      stateEl.textContent = "—";
      stateEl.dataset.state = "none";
      stateEl.title = "no alarm found";
      setText("alarm-name", "");
      setText("alarm-reason", "no alarm found");
      return;
    }
    stateEl.textContent = String(alarm.state);
    stateEl.dataset.state = String(alarm.state);
    const changedAt = alarmChangedText(alarm.changedAt);
    const sub = (alarm.reason || "") + (changedAt ? " (since " + changedAt + ")" : "");
    stateEl.title = sub;
    setText("alarm-name", alarm.name || "");
    setText("alarm-reason", sub);
  }

  function renderAlerts(alerts) {
    const list = Array.isArray(alerts) ? alerts : [];
    if (!changed("alerts", list)) return;
    const items = list.map((a) => {
      const li = document.createElement("li");
      const time = document.createElement("time");
      if (a.at) time.dateTime = a.at;
      time.textContent = formatClock(a.at);
      li.append(time, document.createTextNode(a.subject || "alert on " + (a.topic || "an unnamed topic")));
      li.title = [a.topic, a.endpoint].filter(Boolean).join(" → ");
      return li;
    });
    $("alerts").replaceChildren(...items);
    $("alerts-empty").hidden = items.length > 0;
  }

  function renderQueues(queues) {
    const list = Array.isArray(queues) ? queues : [];
    if (!changed("queues", list)) return;
    const rows = list.map((q) => {
      const tr = document.createElement("tr");
      tr.append(cell(q.name, "id"), cell(countText(q.visible), "num"), cell(countText(q.inFlight), "num"), cell(countText(q.delayed), "num"));
      return tr;
    });
    $("queues").tBodies[0].replaceChildren(...rows);
  }

  function renderDlq(dlq, depth) {
    setText("dlq-depth", String(depth));
    dlqDepth = depth;
    $("redrive").disabled = redriving || depth === 0;
    const messages = dlq && Array.isArray(dlq.messages) ? dlq.messages : [];
    $("dlq-empty").hidden = messages.length > 0 || depth > 0;
    if (!changed("dlq", messages)) return;
    const rows = messages.map((m) => {
      const tr = document.createElement("tr");
      const id = idCell(m.orderId);
      if (m.messageId) id.title = "message " + m.messageId;
      tr.append(id, cell(m.kind || "—"), cell(countText(m.receiveCount), "num"), cell(m.reason || "", "reason"));
      return tr;
    });
    $("dlq-messages").tBodies[0].replaceChildren(...rows);
  }

  function render(snapshot) {
    const status = snapshot.status || {};
    // The live status names its stack and target: the header never waits on /api/config.
    if (status.stack) setText("stack", status.stack);
    if (status.target) setText("target", status.target);
    setText("updated-at", snapshot.at ? formatClock(snapshot.at) : "—");
    renderOrders(status.orders);
    renderAlarm(status.alarm);
    renderAlerts(status.recentAlerts);
    renderQueues(status.queues);
    renderDlq(snapshot.dlq, dlqDepthOf(snapshot));
    if (throughputChart) throughputChart.setData(snapshot.throughput || []);
    const lat = snapshot.latency || null;
    setText("latency-summary", latencySummary(lat));
    if (latencyChart && changed("latency", lat && lat.buckets)) latencyChart.setData((lat && lat.buckets) || []);
  }

  function connect() {
    setConnection("connecting", "connecting…");
    const es = new EventSource("/api/events");
    es.onopen = () => setConnection("connected", "live");
    es.onmessage = (ev) => {
      let snapshot;
      try {
        snapshot = JSON.parse(ev.data);
      } catch (err) {
        console.warn("orderctl ui: ignoring an event that is not JSON", err);
        return;
      }
      if (snapshot && snapshot.error) {
        // The server could not read the stack: say so, and keep the last good view
        // rather than showing an empty, healthy-looking one.
        setConnection("error", "cannot read the stack: " + snapshot.error);
        return;
      }
      setConnection("connected", "live");
      root.__lastSnapshot = snapshot; // for debugging and browser tests
      render(snapshot || {});
    };
    es.onerror = () => {
      setConnection("disconnected", "disconnected, reconnecting…");
      // EventSource retries by itself unless the server refused the stream outright.
      if (es.readyState === EventSource.CLOSED) {
        es.close();
        setTimeout(connect, RECONNECT_MS);
      }
    };
  }

  // -- redrive

  const dialog = $("redrive-dialog");

  function openRedrive() {
    if (dlqDepth === 0 || redriving) return;
    const question = redriveQuestion(dlqDepth);
    if (typeof dialog.showModal !== "function") {
      if (root.confirm(question)) redrive();
      return;
    }
    setText("redrive-question", question);
    dialog.showModal();
  }

  async function redrive() {
    redriving = true;
    $("redrive").disabled = true;
    const result = $("redrive-result");
    result.dataset.kind = "";
    result.textContent = "Redriving…";
    try {
      const res = await fetch("/api/dlq/redrive", {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: "{}",
      });
      const { json } = await readJson(res);
      const outcome = redriveOutcome(res.ok, res.status, json);
      result.dataset.kind = outcome.ok ? "ok" : "error";
      result.textContent = outcome.message;
    } catch (err) {
      result.dataset.kind = "error";
      result.textContent = "Redrive failed: " + ((err && err.message) || String(err));
    } finally {
      redriving = false;
      $("redrive").disabled = dlqDepth === 0;
    }
  }

  // ---- wiring -------------------------------------------------------------

  form.addEventListener("submit", submitOrder);
  $("redrive").addEventListener("click", openRedrive);
  $("redrive-cancel").addEventListener("click", () => dialog.close("cancel"));
  $("redrive-confirm").addEventListener("click", () => {
    dialog.close("confirm");
    redrive();
  });
  // Escape fires "cancel" and the browser closes the dialog; nothing else to do.

  // -- trace

  let traced = null;

  // Steps carry RFC 3339 times in UTC: the column shows HH:MM:SS.mmm of them.
  function gapText(ms) {
    if (ms === null || ms === undefined) return "–";
    return ms >= 1000 ? (ms / 1000).toFixed(2) + " s" : ms.toFixed(1) + " ms";
  }

  async function showTrace(orderId) {
    traced = orderId;
    const card = $("trace");
    card.hidden = false;
    setText("trace-order", orderId);
    setText("trace-now", "tracing…");
    $("trace-heading").focus({ preventScroll: true });
    card.scrollIntoView({ block: "start" });
    let res, json;
    try {
      res = await fetch("/api/trace/" + encodeURIComponent(orderId), { headers: { Accept: "application/json" } });
      ({ json } = await readJson(res));
    } catch (err) {
      setText("trace-now", "could not reach orderctl ui: " + err);
      return;
    }
    if (traced !== orderId) return; // another trace was asked for meanwhile
    if (!res.ok || !json) {
      setText("trace-now", "trace failed: " + ((json && json.error) || "HTTP " + res.status));
      return;
    }
    const steps = Array.isArray(json.steps) ? json.steps : [];
    $("trace-steps").tBodies[0].replaceChildren(
      ...steps.map((s) => {
        const tr = document.createElement("tr");
        tr.dataset.step = s.step;
        tr.append(cell(String(s.at).slice(11, 23)), cell(gapText(s.gapMs), "num"), cell(s.step), cell(s.source), cell(s.detail, "detail"));
        return tr;
      }),
    );
    if (!json.found) {
      const near = Array.isArray(json.nearest) && json.nearest.length ? " Nearest: " + json.nearest.join(", ") : "";
      setText("trace-now", "This order is unknown." + near);
    } else if (json.now) {
      setText("trace-now", "Now: " + json.now.status + ", " + plural(json.now.attempts, "attempt", "attempts") + ", " + json.now.place);
    } else {
      setText("trace-now", "Now: not in the table");
    }
    const notes = (Array.isArray(json.notes) ? json.notes : []).concat([plural((json.logs || []).length, "log line mentions", "log lines mention") + " it"]);
    setText("trace-notes", notes.join(" · "));
  }

  function traceFromHash() {
    const m = /^#trace=(.+)$/.exec(root.location.hash);
    if (m) showTrace(decodeURIComponent(m[1]));
  }

  root.addEventListener("hashchange", traceFromHash);
  $("trace-refresh").addEventListener("click", () => traced && showTrace(traced));
  $("trace-close").addEventListener("click", () => {
    $("trace").hidden = true;
    traced = null;
    if (root.location.hash.startsWith("#trace=")) history.replaceState(null, "", root.location.pathname);
  });

  loadConfig();
  traceFromHash();
  connect();
  setInterval(pollOrders, POLL_MS);
})(typeof window !== "undefined" ? window : globalThis);
