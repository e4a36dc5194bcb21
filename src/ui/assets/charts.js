// orderctl charts: a thin layer over uPlot shared by the live page (`orderctl ui`)
// and the self-contained HTML report (`orderctl send --report-html`).
//
//   OrderctlCharts.throughput(el, opts).setData([{t, accepted, settled}, ...])
//   OrderctlCharts.latency(el, opts).setData([{fromMs, toMs, count}, ...])
//
// Each chart fills the width of `el` and follows it as it resizes. If uPlot did not
// load, the charts still record what they were given (el.dataset.points / .buckets)
// and say so in the element, so the rest of the page keeps working.
(function (root) {
  "use strict";

  const DEFAULT_HEIGHT = 240;
  const NARROW_HEIGHT = 200;
  const NARROW_WIDTH = 520;
  // Minimum horizontal room per category label on the latency axis, in CSS pixels.
  const LABEL_SPACE = 50;

  // Series colours read well on both the light and the dark background; axis and
  // grid colours follow the page's CSS variables so they track the colour scheme.
  const COLORS = {
    accepted: "#2563eb",
    settled: "#16a34a",
    bar: "#7c3aed",
  };

  function formatMs(ms) {
    if (ms === null || ms === undefined || !Number.isFinite(ms)) return "—";
    if (ms >= 60000) return trimZeros((ms / 60000).toFixed(1)) + " min";
    if (ms >= 1000) return trimZeros((ms / 1000).toFixed(2)) + " s";
    if (ms >= 100) return Math.round(ms) + " ms";
    if (ms >= 10) return trimZeros(ms.toFixed(1)) + " ms";
    return trimZeros(ms.toFixed(2)) + " ms";
  }

  // A short label for a bucket's upper bound, for a crowded axis: "5ms", "1.5s".
  function shortMs(ms) {
    if (!Number.isFinite(ms)) return "";
    if (ms >= 60000) return trimZeros((ms / 60000).toFixed(1)) + "m";
    if (ms >= 1000) return trimZeros((ms / 1000).toFixed(ms >= 10000 ? 0 : 1)) + "s";
    if (ms >= 10) return Math.round(ms) + "ms";
    return trimZeros(ms.toFixed(ms >= 1 ? 1 : 2)) + "ms";
  }

  function trimZeros(s) {
    return s.indexOf(".") < 0 ? s : s.replace(/\.?0+$/, "");
  }

  // One line per tick (uPlot's default adds date lines, which collide when narrow);
  // seconds only when ticks are closer than a minute.
  function clock(unixSeconds, withSeconds) {
    const d = new Date(unixSeconds * 1000);
    const pad = (n) => String(n).padStart(2, "0");
    const hm = pad(d.getHours()) + ":" + pad(d.getMinutes());
    return withSeconds ? hm + ":" + pad(d.getSeconds()) : hm;
  }

  function num(v) {
    return typeof v === "number" && Number.isFinite(v) ? v : null;
  }

  // [{t, accepted, settled}] -> uPlot's column arrays, sorted by time (uPlot needs
  // ascending x); points without a usable time are dropped.
  function throughputData(points) {
    const rows = (Array.isArray(points) ? points : []).filter(
      (p) => p && num(p.t) !== null
    );
    let sorted = true;
    for (let i = 1; i < rows.length; i++) {
      if (rows[i].t < rows[i - 1].t) {
        sorted = false;
        break;
      }
    }
    if (!sorted) rows.sort((a, b) => a.t - b.t);
    return [
      rows.map((p) => p.t),
      rows.map((p) => num(p.accepted)),
      rows.map((p) => num(p.settled)),
    ];
  }

  // [{fromMs, toMs, count}] -> x = bucket index (a category axis), y = count.
  function latencyData(buckets) {
    const rows = Array.isArray(buckets) ? buckets.filter(Boolean) : [];
    return {
      data: [rows.map((_, i) => i), rows.map((b) => num(b.count) || 0)],
      labels: rows.map((b) => "≤" + shortMs(num(b.toMs))),
      ranges: rows.map((b) => formatMs(num(b.fromMs)) + " – " + formatMs(num(b.toMs))),
    };
  }

  // Every `step`th category index, so labels never overlap on a narrow chart.
  function categorySplits(count, plotWidthCss) {
    if (count <= 0) return [];
    const fit = Math.max(1, Math.floor(plotWidthCss / LABEL_SPACE));
    const step = Math.max(1, Math.ceil(count / fit));
    const out = [];
    for (let i = 0; i < count; i += step) out.push(i);
    return out;
  }

  function cssVar(el, name, fallback) {
    if (typeof getComputedStyle !== "function") return fallback;
    const v = getComputedStyle(el).getPropertyValue(name).trim();
    return v || fallback;
  }

  function chartHeight(el, opts) {
    if (opts && num(opts.height) !== null) return opts.height;
    return el.clientWidth < NARROW_WIDTH ? NARROW_HEIGHT : DEFAULT_HEIGHT;
  }

  // Shared axis styling; colours are functions so a colour-scheme change only
  // needs a redraw.
  function axisTheme(theme) {
    return {
      stroke: () => theme.axis,
      grid: { stroke: () => theme.grid, width: 1 },
      ticks: { stroke: () => theme.grid, width: 1, size: 4 },
    };
  }

  // Creates the uPlot instance once `el` has a width, and keeps it sized to `el`.
  function mount(el, opts, makeOptions, initialData) {
    const state = { plot: null, data: initialData, theme: readTheme(el) };
    const hasUPlot = typeof root.uPlot === "function";
    if (!hasUPlot) {
      el.classList.add("chart-unavailable");
      el.textContent = "chart unavailable: uPlot did not load";
      return state;
    }

    function size() {
      return { width: Math.max(120, Math.floor(el.clientWidth)), height: chartHeight(el, opts) };
    }

    function create() {
      if (state.plot || el.clientWidth === 0) return;
      const o = makeOptions(state.theme);
      const s = size();
      o.width = s.width;
      o.height = s.height;
      state.plot = new root.uPlot(o, state.data, el);
    }

    create();
    if (typeof ResizeObserver === "function") {
      let pending = false;
      const ro = new ResizeObserver(() => {
        // Coalesce bursts of resize notifications into one resize per frame.
        if (pending) return;
        pending = true;
        requestAnimationFrame(() => {
          pending = false;
          if (!state.plot) return create();
          const s = size();
          if (s.width !== state.plot.width || s.height !== state.plot.height) {
            state.plot.setSize(s);
          }
        });
      });
      ro.observe(el);
    }

    if (typeof matchMedia === "function") {
      const mq = matchMedia("(prefers-color-scheme: dark)");
      const onScheme = () => {
        Object.assign(state.theme, readTheme(el));
        if (state.plot) state.plot.redraw(true, true);
      };
      if (mq.addEventListener) mq.addEventListener("change", onScheme);
    }
    return state;
  }

  function readTheme(el) {
    return {
      axis: cssVar(el, "--chart-axis", "#475569"),
      grid: cssVar(el, "--chart-grid", "rgba(100,116,139,0.25)"),
    };
  }

  function throughput(el, opts) {
    opts = opts || {};
    // `relative: true` plots t as seconds since the start (the report's timeline);
    // otherwise t is a Unix time in seconds and the axis shows clock times.
    const relative = !!opts.relative;
    const acceptedLabel = opts.acceptedLabel || "accepted/s";
    const settledLabel = opts.settledLabel || "settled/s";
    const initial = throughputData([]);

    const state = mount(el, opts, (theme) => {
      const ax = axisTheme(theme);
      return {
        class: "orderctl-chart",
        cursor: { drag: { x: false, y: false } },
        legend: { show: true },
        scales: {
          x: { time: !relative },
          y: { range: (u, min, max) => [0, Math.max(1, (max || 0) * 1.1)] },
        },
        series: [
          relative
            ? { label: "second", value: (u, v) => (v === null ? "—" : v + " s") }
            : { label: "time", value: "{HH}:{mm}:{ss}" },
          {
            label: acceptedLabel,
            stroke: COLORS.accepted,
            width: 2,
            points: { show: false },
            value: (u, v) => (v === null ? "—" : v.toFixed(1)),
          },
          {
            label: settledLabel,
            stroke: COLORS.settled,
            width: 2,
            points: { show: false },
            value: (u, v) => (v === null ? "—" : v.toFixed(1)),
          },
        ],
        axes: [
          Object.assign(
            {},
            ax,
            relative
              ? { label: "seconds since start", values: (u, splits) => splits.map((v) => v + "s") }
              : { values: (u, splits, ai, space, incr) => splits.map((v) => clock(v, incr < 60)), space: 90 }
          ),
          Object.assign({}, ax, { label: "orders/s", size: 48 }),
        ],
      };
    }, initial);

    return {
      setData(points) {
        const list = Array.isArray(points) ? points : [];
        state.data = throughputData(list);
        if (state.plot) state.plot.setData(state.data);
        el.dataset.points = String(list.length);
      },
    };
  }

  function latency(el, opts) {
    opts = opts || {};
    let cats = latencyData([]);

    const state = mount(el, opts, (theme) => {
      const ax = axisTheme(theme);
      return {
        class: "orderctl-chart",
        cursor: { drag: { x: false, y: false }, points: { show: false } },
        legend: { show: true },
        scales: {
          x: {
            time: false,
            range: (u) => [-0.5, Math.max(1, u.data[0].length) - 0.5],
          },
          y: { range: (u, min, max) => [0, Math.max(1, (max || 0) * 1.1)] },
        },
        series: [
          {
            label: "latency",
            value: (u, v) => (v === null || cats.ranges[v] === undefined ? "—" : cats.ranges[v]),
          },
          {
            label: "orders",
            fill: COLORS.bar,
            stroke: COLORS.bar,
            width: 0,
            paths: root.uPlot.paths.bars({ size: [0.85, 64], align: 0 }),
            points: { show: false },
            value: (u, v) => (v === null ? "—" : String(v)),
          },
        ],
        axes: [
          Object.assign({}, ax, {
            label: "end-to-end latency (bucket upper bound)",
            grid: { show: false },
            splits: (u) => {
              const ratio = root.uPlot.pxRatio || 1;
              const width = (u.bbox && u.bbox.width ? u.bbox.width / ratio : u.width) || 300;
              return categorySplits(u.data[0].length, width);
            },
            values: (u, splits) => splits.map((i) => cats.labels[i] || ""),
          }),
          Object.assign({}, ax, { label: "orders", size: 48 }),
        ],
      };
    }, cats.data);

    return {
      setData(buckets) {
        const list = Array.isArray(buckets) ? buckets : [];
        cats = latencyData(list);
        state.data = cats.data;
        if (state.plot) state.plot.setData(state.data);
        el.dataset.buckets = String(list.length);
      },
    };
  }

  root.OrderctlCharts = {
    throughput,
    latency,
    formatMs,
    // Pure helpers, exposed for tests.
    _internal: { throughputData, latencyData, categorySplits, shortMs },
  };
})(typeof window !== "undefined" ? window : globalThis);
