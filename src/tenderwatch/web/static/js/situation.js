// 综合态势: draws the region treemap and the trend from the JSON block #situation-data (the
// Content-Security-Policy allows no inline script), and keeps the screen live: an EventSource on
// /situation/stream says when the figures changed, and the part of the page below the filters is
// fetched again from the server (the same template), so numbers, tables and links never drift from a
// reload. data-tiles / data-points / data-refreshes record what was drawn, for the browser test.
(function () {
  "use strict";
  const el = (id) => document.getElementById(id);
  let treemap = null;
  let trend = null;
  let refreshes = 0;
  let busy = false;
  let pending = false;

  function escape(text) {
    return String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" }[c]));
  }

  function countLeaves(nodes) {
    return nodes.reduce((n, node) => n + (node.children ? countLeaves(node.children) : 1), 0);
  }

  function draw() {
    const data = JSON.parse(el("situation-data").textContent);
    const labels = data.labels;
    if (treemap) { treemap.dispose(); }
    if (trend) { trend.dispose(); }
    const mapEl = el("region-map");
    treemap = echarts.init(mapEl);
    treemap.setOption({
      tooltip: {
        formatter: (p) => {
          const d = p.data || {};
          const open = d.open || {};
          return `<b>${escape(p.name)}</b><br>${labels.sectionsInPeriod}: ${d.sections ?? ""}` +
            `<br>${labels.openWarnings}: ${open.red || 0} / ${open.orange || 0} / ${open.yellow || 0}`;
        },
      },
      series: [{
        type: "treemap",
        data: data.treemap,
        roam: false,
        nodeClick: false, // a click drills down through our own page (its own lists and links)
        breadcrumb: { show: false },
        top: 0, bottom: 0, left: 0, right: 0,
        label: { show: true, formatter: (p) => `${p.name}\n${p.data.sections}` },
        upperLabel: { show: true, height: 20, color: "#1f2a44", fontWeight: "bold" },
        levels: [
          { itemStyle: { borderColor: "#fff", borderWidth: 3, gapWidth: 3 } },
          { itemStyle: { borderColor: "#fff", borderWidth: 1, gapWidth: 1 } },
        ],
      }],
    });
    treemap.on("click", (p) => { if (p.data && p.data.href) { window.location.href = p.data.href; } });
    mapEl.setAttribute("data-tiles", String(countLeaves(data.treemap)));

    const trendEl = el("trend-chart");
    trend = echarts.init(trendEl);
    const t = data.trend;
    const keys = ["projects", "sections", "bids", "red", "orange", "yellow"];
    const colours = { red: data.colours.red, orange: data.colours.orange, yellow: data.colours.yellow };
    trend.setOption({
      tooltip: { trigger: "axis" },
      legend: { data: keys.map((k) => labels[k]), bottom: 0 },
      grid: { left: 48, right: 48, top: 24, bottom: 56 },
      xAxis: { type: "category", data: t.buckets },
      yAxis: [{ type: "value", minInterval: 1 }, { type: "value", minInterval: 1, splitLine: { show: false } }],
      series: keys.map((k) => ({
        name: labels[k],
        type: "line",
        smooth: true,
        yAxisIndex: ["red", "orange", "yellow"].includes(k) ? 1 : 0,
        data: t.series[k],
        itemStyle: colours[k] ? { color: colours[k] } : undefined,
      })),
    });
    trend.on("click", (p) => {
      // The number under the pointer, down to its list: a day of the daily trend, a month of the year's.
      const key = keys[p.seriesIndex];
      const bucket = t.buckets[p.dataIndex];
      const grades = ["red", "orange", "yellow"];
      const query = new URLSearchParams({
        kind: grades.includes(key) ? "warnings" : key,
        period: t.unit === "day" ? "today" : "month",
        date: t.unit === "day" ? bucket : bucket + "-01",
      });
      if (grades.includes(key)) { query.set("grade", key); }
      const base = data.listBase;
      window.location.href = base + (base.endsWith("?") ? "" : "&") + query.toString();
    });
    trendEl.setAttribute("data-points", String(t.buckets.length));
  }

  async function refresh() {
    // One refresh at a time; a snapshot arriving meanwhile triggers one more afterwards.
    if (busy) { pending = true; return; }
    busy = true;
    try {
      const body = el("situation-body");
      const response = await fetch(body.dataset.fragment, {
        credentials: "same-origin",
        headers: { "HX-Request": "true" },
      });
      if (response.ok) {
        const holder = document.createElement("div");
        holder.innerHTML = await response.text();
        const fresh = holder.querySelector("#situation-body");
        if (fresh) {
          body.replaceWith(fresh);
          refreshes += 1;
          fresh.setAttribute("data-refreshes", String(refreshes));
          draw();
        }
      }
    } finally {
      busy = false;
      if (pending) { pending = false; refresh(); }
    }
  }

  function connect() {
    const status = el("live-status");
    const data = JSON.parse(el("situation-data").textContent);
    if (!window.EventSource) { return; }
    const source = new EventSource(el("situation-body").dataset.stream);
    source.addEventListener("open", () => { status.textContent = data.labels.live; status.classList.add("on"); });
    source.addEventListener("error", () => { status.textContent = data.labels.offline; status.classList.remove("on"); });
    source.addEventListener("snapshot", (event) => {
      const snapshot = JSON.parse(event.data);
      if (snapshot.digest !== el("situation-body").dataset.digest) { refresh(); }
    });
    window.addEventListener("resize", () => { if (treemap) { treemap.resize(); } if (trend) { trend.resize(); } });
  }

  document.addEventListener("DOMContentLoaded", () => {
    draw();
    connect();
  });
})();
