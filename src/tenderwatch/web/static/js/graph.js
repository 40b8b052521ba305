// 关联分析: the force graph. Reads its configuration (labels, colours, start node) from the JSON block
// #graph-config (the Content-Security-Policy allows no inline script) and talks to /api/v1/graph/*.
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("graph-config").textContent);
  const msg = config.messages;
  const el = (id) => document.getElementById(id);
  const nodes = new Map();
  const edges = new Map();
  let chart = null;

  function status(text) { el("graph-status").textContent = text || ""; }

  async function getJson(url) {
    const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (!response.ok) { throw new Error(String(response.status)); }
    return response.json();
  }

  function merge(data, reset) {
    if (reset) { nodes.clear(); edges.clear(); }
    data.nodes.forEach((n) => {
      const old = nodes.get(n.id);
      // A node once expanded stays expanded even if a later answer shows it truncated.
      nodes.set(n.id, old ? Object.assign(n, { truncated: old.truncated && n.truncated }) : n);
    });
    data.edges.forEach((e) => { edges.set(e.source + "|" + e.target + "|" + e.relation, e); });
    draw();
  }

  function draw() {
    if (!chart) { chart = echarts.init(el("graph-chart")); chart.on("click", onClick); }
    const types = Object.keys(config.types);
    chart.setOption({
      tooltip: {
        formatter: (p) => p.dataType === "edge"
          ? `${escape(p.data.relationLabel)}${p.data.detail ? " · " + escape(p.data.detail) : ""}<br>${msg.source}: ${escape(p.data.dataset)} ${escape(p.data.recordKey)} (${p.data.records} ${msg.records})`
          : `${escape(p.data.typeLabel)}<br><b>${escape(p.data.label)}</b><br>${escape(p.data.value)}${p.data.truncated ? "<br>… " + msg.more : ""}`,
      },
      legend: [{ data: types.map((t) => config.types[t].label), bottom: 0 }],
      series: [{
        type: "graph",
        layout: "force",
        roam: true,
        draggable: true,
        force: { repulsion: 160, edgeLength: [40, 110] },
        categories: types.map((t) => ({ name: config.types[t].label, itemStyle: { color: config.types[t].colour } })),
        label: { show: true, position: "right", fontSize: 11, formatter: (p) => short(p.data.label) },
        edgeLabel: { show: false },
        lineStyle: { color: "#9aa5b5", curveness: 0.1 },
        emphasis: { focus: "adjacency" },
        data: Array.from(nodes.values()).map((n) => ({
          id: n.id, name: n.id, label: n.label, value: n.value, typeLabel: n.type_label, truncated: n.truncated,
          category: types.indexOf(n.type), symbolSize: n.type === "company" ? 22 : n.type === "person" ? 16 : 11,
          itemStyle: n.id === config.start ? { borderColor: "#000", borderWidth: 2 } : undefined,
        })),
        links: Array.from(edges.values()).map((e) => ({
          source: e.source, target: e.target, relationLabel: e.relation_label, detail: e.detail,
          dataset: e.dataset, recordKey: e.record_key, records: e.records,
        })),
      }],
    }, true);
    el("graph-chart").dataset.nodes = String(nodes.size);
  }

  function short(text) { return text.length > 14 ? text.slice(0, 13) + "…" : text; }
  function escape(text) {
    return String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
  }

  async function load(node, reset) {
    status(msg.loading);
    try {
      const depth = reset ? el("graph-depth").value : "1";
      const data = await getJson(`/api/v1/graph/neighbourhood?node=${encodeURIComponent(node)}&depth=${depth}`);
      if (reset) { config.start = node; }
      merge(data, reset);
      status("");
      showInfo(node);
    } catch (err) {
      status(msg.not_found);
    }
  }

  function showInfo(id) {
    const n = nodes.get(id);
    const box = el("node-info");
    if (!n) { box.hidden = true; return; }
    box.hidden = false;
    box.innerHTML = `<strong>${escape(n.label)}</strong><br><span class="muted">${escape(n.type_label)}</span><br><code>${escape(n.value)}</code>`;
  }

  function onClick(p) {
    if (p.dataType !== "node") { return; }
    el("path-to").value = p.data.id;
    load(p.data.id, false);
  }

  let timer = null;
  el("graph-search").addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(search, 250);
  });
  el("graph-search").addEventListener("keydown", (ev) => {
    if (ev.key === "Enter") { ev.preventDefault(); search(true); }
  });

  async function search(openFirst) {
    const q = el("graph-search").value.trim();
    const box = el("search-results");
    box.textContent = "";
    if (!q) { return; }
    const found = await getJson(`/api/v1/graph/search?q=${encodeURIComponent(q)}`);
    if (!found.length) { box.textContent = msg.no_match; return; }
    if (openFirst === true) { choose(found[0]); return; }
    found.forEach((n) => {
      const b = document.createElement("button");
      b.type = "button";
      b.textContent = `${n.label} · ${n.type_label} · ${n.value}`;
      b.addEventListener("click", () => choose(n));
      box.appendChild(b);
    });
  }

  function choose(n) {
    el("search-results").textContent = "";
    el("path-from").value = n.id;
    history.replaceState(null, "", `/graph?node=${encodeURIComponent(n.id)}`);
    load(n.id, true);
  }

  el("path-go").addEventListener("click", async () => {
    const from = el("path-from").value.trim();
    const to = el("path-to").value.trim();
    if (!from || !to) { return; }
    status(msg.loading);
    try {
      const data = await getJson(`/api/v1/graph/path?source=${encodeURIComponent(from)}&target=${encodeURIComponent(to)}`);
      if (!data.found) { status(msg.no_path); return; }
      merge(data, true);
      status("");
    } catch (err) {
      status(msg.not_found);
    }
  });

  el("graph-depth").addEventListener("change", () => { if (config.start) { load(config.start, true); } });

  if (config.start) {
    el("path-from").value = config.start;
    load(config.start, true);
  }
  window.addEventListener("resize", () => chart && chart.resize());
})();
