// 标段分析: the three charts of the section page (bids against the control price, the expert-score heat
// map, the bidders' graph). Configuration comes from the JSON block #section-config because the
// Content-Security-Policy allows no inline script; the graph is fetched from the API after the page.
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("section-config").textContent);
  const msg = config.messages;
  const el = (id) => document.getElementById(id);
  const charts = [];

  function escape(text) {
    return String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
  }
  function short(text) { return text.length > 12 ? text.slice(0, 11) + "…" : text; }
  function mark(box, count) { box.dataset.rendered = String(count); }

  function bidChart() {
    const box = el("bid-chart");
    const bids = config.bids.filter((b) => b.share !== null);
    if (!box || !bids.length) { return; }
    const chart = echarts.init(box);
    charts.push(chart);
    const low = Math.min(80, ...bids.map((b) => b.share));
    chart.setOption({
      grid: { left: 60, right: 30, top: 30, bottom: 70 },
      tooltip: {
        trigger: "item",
        formatter: (p) => `${escape(p.data.bid.name)}<br>${p.data.bid.price.toLocaleString()} · ${p.data.value.toFixed(2)} ${escape(msg.share)}`
          + (p.data.bid.winner ? `<br>${escape(msg.winner)}` : "") + (p.data.bid.disqualified ? `<br>${escape(msg.disqualified)}` : ""),
      },
      xAxis: { type: "category", data: bids.map((b) => short(b.name)), axisLabel: { rotate: 30, fontSize: 11 } },
      yAxis: { type: "value", name: msg.share, min: Math.floor(low - 2), max: (v) => Math.max(102, Math.ceil(v.max + 1)) },
      series: [{
        type: "bar",
        data: bids.map((b) => ({
          value: b.share, bid: b,
          itemStyle: { color: b.disqualified ? "#b0b7c3" : b.winner ? "#2e7d32" : "#0f3460" },
        })),
        markLine: {
          symbol: "none",
          lineStyle: { color: "#c8161d", type: "dashed", width: 2 },
          label: { formatter: msg.control_price + " 100%" },
          data: [{ yAxis: 100 }],
        },
      }],
    });
    mark(box, bids.length);
  }

  function scoreChart() {
    const box = el("score-chart");
    const h = config.heatmap;
    if (!box || !h.cells.length) { return; }
    const chart = echarts.init(box);
    charts.push(chart);
    chart.setOption({
      grid: { left: 110, right: 40, top: 20, bottom: 110 },
      tooltip: {
        formatter: (p) => `${escape(h.experts[p.data.value[1]])} → ${escape(h.bidders[p.data.value[0]])}<br>${escape(h.measure)}: ${p.data.value[2]}`
          + (p.data.deviation === null ? "" : `<br>${escape(msg.deviation)}: ${p.data.deviation > 0 ? "+" : ""}${p.data.deviation}`)
          + (p.data.outlier ? `<br><b>${escape(msg.outlier)}</b>` : ""),
      },
      xAxis: { type: "category", data: h.bidders.map(short), axisLabel: { rotate: 30, fontSize: 11 }, splitArea: { show: true } },
      yAxis: { type: "category", data: h.experts, splitArea: { show: true } },
      // The colour scale spans the scores given, not 0–100: panels score within a few points of each other.
      visualMap: { min: Math.floor(Math.min(...h.cells.map((c) => c[2]))), max: Math.ceil(h.max) || 100,
                   calculable: true, orient: "horizontal", left: "center", bottom: 0,
                   inRange: { color: ["#f7fbff", "#6baed6", "#08306b"] } },
      series: [{
        type: "heatmap",
        label: { show: true, fontSize: 11 },
        data: h.cells.map((c) => ({
          value: [c[0], c[1], c[2]], deviation: c[3], outlier: c[4],
          itemStyle: c[4] ? { borderColor: "#c8161d", borderWidth: 3 } : undefined,
        })),
      }],
    });
    mark(box, h.cells.length);
  }

  async function graphChart() {
    const box = el("section-graph");
    const status = el("graph-status");
    const g = config.graph;
    if (!box) { return; }
    status.textContent = msg.loading;
    let data;
    try {
      const response = await fetch(g.url, { credentials: "same-origin", headers: { Accept: "application/json" } });
      if (!response.ok) { throw new Error(String(response.status)); }
      data = await response.json();
    } catch (err) {
      status.textContent = msg.failed;
      return;
    }
    const linked = data.edges.length > 0;
    status.textContent = linked ? "" : msg.no_links;
    const types = Object.keys(g.types);
    const bidders = new Set(g.bidders);
    const chart = echarts.init(box);
    charts.push(chart);
    chart.setOption({
      tooltip: {
        formatter: (p) => p.dataType === "edge"
          ? `${escape(p.data.relationLabel)}${p.data.detail ? " · " + escape(p.data.detail) : ""}<br>${escape(msg.source)}: ${escape(p.data.dataset)} ${escape(p.data.recordKey)} (${p.data.records} ${escape(msg.records)})`
          : `${escape(p.data.typeLabel)}<br><b>${escape(p.data.label)}</b><br>${escape(p.data.value)}`,
      },
      legend: [{ data: types.map((t) => g.types[t].label), bottom: 0 }],
      series: [{
        type: "graph",
        layout: "force",
        roam: true,
        draggable: true,
        force: { repulsion: 220, edgeLength: [50, 120] },
        categories: types.map((t) => ({ name: g.types[t].label, itemStyle: { color: g.types[t].colour } })),
        label: { show: true, position: "right", fontSize: 11, formatter: (p) => short(p.data.label) },
        lineStyle: { color: "#9aa5b5", curveness: 0.1 },
        emphasis: { focus: "adjacency" },
        data: data.nodes.map((n) => ({
          id: n.id, name: n.id, label: n.label, value: n.value, typeLabel: n.type_label,
          category: types.indexOf(n.type),
          symbolSize: bidders.has(n.id) ? 26 : n.type === "person" ? 16 : 12,
          itemStyle: bidders.has(n.id) ? { borderColor: "#000", borderWidth: 2 } : undefined,
        })),
        links: data.edges.map((e) => ({
          source: e.source, target: e.target, relationLabel: e.relation_label, detail: e.detail,
          dataset: e.dataset, recordKey: e.record_key, records: e.records,
        })),
      }],
    });
    chart.on("dblclick", (p) => {
      if (p.dataType === "node") { window.location.href = `/graph?node=${encodeURIComponent(p.data.id)}`; }
    });
    mark(box, data.nodes.length);
  }

  bidChart();
  scoreChart();
  graphChart();
  window.addEventListener("resize", () => charts.forEach((c) => c.resize()));
})();
