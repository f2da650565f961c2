"use strict";
// llm-worker dashboard. Every value from the server is written with textContent or as an attribute value:
// nothing the server sends (custom_ids, prompts, provider errors) is ever parsed as HTML.

const MAX_POINTS = 900;
const $ = id => document.getElementById(id);
let latest = null;
let searching = "";

// ---------- small DOM helpers ----------
function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}
function row(cells) {
  const tr = document.createElement("tr");
  for (const c of cells) {
    if (c instanceof Node) { const td = el("td"); td.appendChild(c); tr.appendChild(td); }
    else if (c && typeof c === "object") { const td = el("td", c.text, c.cls); if (c.title) td.title = c.title; tr.appendChild(td); }
    else tr.appendChild(el("td", c));
  }
  return tr;
}
const num = v => (v === null || v === undefined) ? "–" : Number(v).toLocaleString("en-US");
const usd = v => "$" + Number(v || 0).toFixed(Number(v || 0) < 1 ? 4 : 2);
const n = (v, cls = "n") => ({ text: num(v), cls });
function duration(s) {
  if (s === null || s === undefined) return "–";
  s = Math.round(s);
  if (s < 60) return s + " s";
  if (s < 3600) return Math.floor(s / 60) + " min " + (s % 60) + " s";
  return Math.floor(s / 3600) + " h " + Math.floor((s % 3600) / 60) + " min";
}
const time = ms => new Date(ms).toLocaleTimeString("en-GB");
/** Replaces a tbody's rows in one go (no flicker, no layout jump: column widths come from the header). */
function fill(tbodyId, rows, emptyText, columns) {
  const body = $(tbodyId);
  if (rows.length === 0) {
    const td = el("td", emptyText, "muted"); td.colSpan = columns;
    const tr = document.createElement("tr"); tr.appendChild(td);
    body.replaceChildren(tr);
  } else body.replaceChildren(...rows);
}
function status(text, ok) {
  const s = $("status"); s.textContent = text; s.className = ok ? "ok" : "error";
}

// ---------- token and API calls ----------
// The monitor's token guards everything that shows task content. It is asked for once and kept for this tab
// (sessionStorage); a link ending in #token=... (what the demo prints) fills it in and is then removed from the URL.
const tokenInput = $("token");
if (location.hash.startsWith("#token=")) {
  sessionStorage.setItem("llmw-token", decodeURIComponent(location.hash.slice(7)));
  history.replaceState(null, "", location.pathname + location.search);
}
tokenInput.value = sessionStorage.getItem("llmw-token") || "";
let tokenWaiters = [];
tokenInput.addEventListener("input", () => sessionStorage.setItem("llmw-token", tokenInput.value.trim()));
tokenInput.addEventListener("change", () => tokenWaiters.splice(0).forEach(resolve => resolve()));
const tokenEntered = () => new Promise(resolve => tokenWaiters.push(resolve));
function askToken(why) {
  tokenInput.disabled = false;
  tokenInput.classList.add("wanted");
  $("conn").textContent = "token needed";
  status(why, false);
  tokenInput.focus();
}
function api(path, options = {}) {
  const token = sessionStorage.getItem("llmw-token") || "";
  const headers = Object.assign({}, options.headers || {}, token ? { "Authorization": "Bearer " + token } : {});
  return fetch(path, Object.assign({}, options, { headers, cache: "no-store" }));
}
/** Resolves once the API answers this tab: at once without a token, else when the right token has been entered. */
async function authorized() {
  const access = await fetch("/api/access", { cache: "no-store" }).then(r => r.json()).catch(() => ({}));
  if (!access.token_required) return;
  if (!sessionStorage.getItem("llmw-token")) {
    askToken("enter the monitor token (monitor.token) to see the tasks");
    await tokenEntered();
  }
  for (;;) {
    const check = await api("/api/access/check").catch(() => null);
    if (check && check.ok) { tokenInput.classList.remove("wanted"); status("", true); return; }
    askToken(check && check.status === 401 ? "wrong token: enter monitor.token" : "the monitor does not answer");
    await tokenEntered();
  }
}

// ---------- controls ----------
async function control(path, body) {
  try {
    const r = await api(path, { method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body || {}) });
    const json = await r.json().catch(() => ({}));
    if (!r.ok) { status(path + ": " + r.status + " " + (json.error || r.statusText), false); return null; }
    return json;
  } catch (e) { status(path + ": " + e.message, false); return null; }
}
$("pause").addEventListener("click", async () => { if (await control("/api/pause")) status("polling paused", true); });
$("resume").addEventListener("click", async () => { if (await control("/api/resume")) status("polling resumed", true); });
$("dlq-redrive-all").addEventListener("click", async () => {
  const r = await control("/api/dlq/redrive", { all: true });
  if (r) status("redrive " + r.redrive_id + " started: progress below the DLQ buttons", true);
});
// a redrive answers at once; its progress and outcome arrive with every stats update
let lastRedrive = "";
function renderRedrive(r) {
  const note = $("dlq-redrive-status");
  if (!r) { note.textContent = ""; return; }
  const text = "redrive " + r.redrive_id + " (" + r.scope + "): " + r.status + ", " + r.moved + " moved"
    + (r.not_found && r.not_found.length ? ", not found: " + r.not_found.join(", ") : "")
    + (r.error ? " — " + r.error : "");
  note.textContent = text;
  const key = r.redrive_id + r.status;
  if (r.status !== "running" && lastRedrive && lastRedrive !== key && lastRedrive.startsWith(r.redrive_id)) peekDlq();
  lastRedrive = key;
}
$("dlq-peek").addEventListener("click", () => peekDlq());

function setControlsEnabled(enabled) {
  for (const b of document.querySelectorAll("[data-control]")) {
    b.disabled = !enabled;
    b.title = enabled ? "" : "controls disabled: start with monitor.token set";
  }
  tokenInput.disabled = !enabled;
  if (!enabled && !$("status").textContent) status("controls disabled: start llm-worker with monitor.token set", false);
}

// ---------- charts ----------
const css = getComputedStyle(document.documentElement);
const color = name => css.getPropertyValue(name).trim();
Chart.defaults.color = color("--muted");
Chart.defaults.borderColor = color("--line");
Chart.defaults.font.size = 11;
function lineChart(canvasId, datasets, scales) {
  return new Chart($(canvasId), {
    type: "line",
    data: { labels: [], datasets: datasets.map(d => Object.assign({ data: [], pointRadius: 0, borderWidth: 1.5,
      tension: 0, fill: false }, d)) },
    options: { animation: false, responsive: true, maintainAspectRatio: false, interaction: { mode: "index",
      intersect: false }, plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } },
      scales: Object.assign({ x: { ticks: { maxTicksLimit: 8, maxRotation: 0 } } }, scales) }
  });
}
const throughputChart = lineChart("chart-throughput", [
  { label: "tasks/s", borderColor: color("--accent") },
  { label: "failed attempts/s", borderColor: color("--warn") },
  { label: "dead-lettered/s", borderColor: color("--bad") }], { y: { beginAtZero: true } });
const capacityChart = lineChart("chart-capacity", [
  { label: "in flight", borderColor: color("--accent") },
  { label: "capacity", borderColor: color("--ok") },
  { label: "worker instances", borderColor: color("--warn"), yAxisID: "y2", stepped: true }],
  { y: { beginAtZero: true }, y2: { beginAtZero: true, position: "right", grid: { drawOnChartArea: false },
    ticks: { precision: 0 } } });

function addPoint(p) {
  if (!p) return;
  const last = throughputChart.data.labels.length;
  if (last > 0 && throughputChart.$lastAt === p.at) return;
  throughputChart.$lastAt = p.at;
  const label = time(p.at);
  const values = [[throughputChart, [p.throughput, p.failures_per_s, p.dead_lettered_per_s]],
    [capacityChart, [p.in_flight, p.capacity, p.worker_instances]]];
  for (const [chart, ys] of values) {
    chart.data.labels.push(label);
    ys.forEach((y, i) => chart.data.datasets[i].data.push(y));
    if (chart.data.labels.length > MAX_POINTS) {
      chart.data.labels.shift();
      chart.data.datasets.forEach(d => d.data.shift());
    }
  }
  document.body.dataset.points = String(throughputChart.data.labels.length);
}
function redrawCharts() { throughputChart.update("none"); capacityChart.update("none"); }

// ---------- rendering ----------
const CARDS = [
  ["received", "received", t => num(t.received)], ["succeeded", "succeeded", t => num(t.succeeded)],
  ["dead_lettered", "dead-lettered", t => num(t.dead_lettered)], ["returned", "returned to SQS", t => num(t.returned)],
  ["requeued", "requeued", t => num(t.requeued)],
  ["in_flight", "in flight / capacity", t => num(t.in_flight) + " / " + num(t.capacity)],
  ["throughput", "tasks/s (10 s)", t => Number(t.throughput).toFixed(1)],
  ["failed_attempts", "failed attempts", t => num(t.failed_attempts)], ["rate_limited", "429s", t => num(t.rate_limited)],
  ["cost_usd", "cost so far", t => usd(t.cost_usd)], ["cost_per_hour_usd", "cost / hour", t => usd(t.cost_per_hour_usd)],
  ["drain_eta_s", "backlog drained in", (t, s) => s.paused ? "paused" : duration(t.drain_eta_s)],
  ["worker_instances", "worker instances", t => num(t.worker_instances)],
  ["recovered", "taken back from lost workers", t => num(t.recovered)]];
for (const [key, label] of CARDS) {
  const card = el("div", null, "card");
  card.appendChild(el("div", label, "label"));
  const value = el("div", "–", "value");
  value.dataset.key = key; value.dataset.testid = "total-" + key;
  card.appendChild(value);
  $("totals").appendChild(card);
}

function renderTotals(s) {
  for (const [key, , format] of CARDS) {
    document.querySelector('[data-key="' + key + '"]').textContent = format(s.totals, s);
  }
  $("paused-banner").hidden = !s.paused;
}

function renderQueues(s) {
  fill("queues", Object.entries(s.queues || {}).map(([name, d]) =>
    row([name, n(d.visible), n(d.in_flight), n(d.delayed)])), "waiting for the first depth reading…", 4);
}

function renderLlm(s) {
  const llm = s.llm || [];
  // one row per provider, model and endpoint; the endpoint is named when it is not chat
  const who = e => e.provider + " / " + e.model + (e.endpoint && e.endpoint !== "chat" ? " · " + e.endpoint : "");
  fill("latency", llm.map(e => row([who(e), n(e.llm_ms.p50), n(e.llm_ms.p95), n(e.llm_ms.p99),
    n(e.e2e_ms.p50), n(e.e2e_ms.p95), n(e.e2e_ms.p99)])), "no LLM calls yet", 7);
  fill("llm", llm.map(e => row([who(e), n(e.requests), n(e.succeeded), n(e.failed),
    n(e.rate_limited), n(e.prompt_tokens), n(e.completion_tokens), { text: usd(e.cost_usd), cls: "n" }])),
  "no LLM calls yet", 8);
  renderBudgets(s.budgets || []);
}

function bar(effective, limit) {
  const b = el("div", null, "bar");
  const fillBar = el("span");
  fillBar.style.width = limit > 0 ? Math.min(100, 100 * effective / limit).toFixed(1) + "%" : "0";
  b.appendChild(fillBar);
  b.appendChild(el("em", num(effective) + " / " + (limit > 0 ? num(limit) : "unlimited")));
  return b;
}

const budgetEdits = new Map(); // budget key -> {rpm, tpm} inputs, kept across updates so typing is not lost
function budgetEditor(b) {
  let edit = budgetEdits.get(b.key);
  if (!edit) {
    const wrap = el("span");
    const rpm = el("input"); rpm.type = "number"; rpm.min = "0"; rpm.placeholder = "rpm"; rpm.dataset.testid = "budget-rpm";
    const tpm = el("input"); tpm.type = "number"; tpm.min = "0"; tpm.placeholder = "tpm"; tpm.dataset.testid = "budget-tpm";
    const apply = el("button", "Apply"); apply.dataset.control = ""; apply.dataset.testid = "budget-apply";
    apply.addEventListener("click", async () => {
      const body = { provider: b.provider };
      if (b.model) body.model = b.model;
      if (rpm.value !== "") body.rpm = Number(rpm.value);
      if (tpm.value !== "") body.tpm = Number(tpm.value);
      const r = await control("/api/budgets", body);
      if (r) status("budget " + b.key + " set to " + r.rpm + " rpm / " + r.tpm + " tpm", true);
    });
    wrap.append(rpm, " ", tpm, " ", apply);
    edit = { wrap, apply };
    budgetEdits.set(b.key, edit);
  }
  return edit.wrap;
}
function renderBudgets(budgets) {
  fill("budgets", budgets.map(b => row([b.key, bar(b.rpm_effective, b.rpm_limit), bar(b.tpm_effective, b.tpm_limit),
    n(b.waiting), n(b.rate_limited), budgetEditor(b)])), "no budgets", 6);
}

const scaleEdits = new Map(); // node id -> input, kept so typing is not lost
function scaleEditor(node) {
  let edit = scaleEdits.get(node.id);
  if (!edit) {
    const wrap = el("span");
    const input = el("input"); input.type = "number"; input.min = "0"; input.max = "256";
    input.dataset.testid = "instances-input";
    const apply = el("button", "Apply"); apply.dataset.control = ""; apply.dataset.testid = "instances-apply";
    apply.addEventListener("click", async () => {
      if (input.value === "") return;
      const r = await control("/api/workers", { node: node.id, instances: Number(input.value) });
      if (r) { status("node " + r.node + " now runs " + r.instances + " worker instance(s)", true); input.value = ""; }
    });
    const current = el("span", "", "n"); current.dataset.testid = "instances";
    wrap.append(current, " → ", input, " ", apply);
    edit = { wrap, current };
    scaleEdits.set(node.id, edit);
  }
  edit.current.textContent = String(node.worker_instances);
  return edit.wrap;
}

function renderNodes(s) {
  const nodes = s.nodes || [];
  fill("nodes", nodes.map(x => {
    const hasWorkers = (x.roles || []).includes("worker");
    const state = x.gone ? " (gone: silent for " + x.last_seen_s + " s)" : x.paused ? " (paused)" : "";
    const tr = row([{ text: x.id + state, cls: x.gone ? "bad" : "" }, (x.roles || []).join(", "),
      { text: num(x.in_flight) + " / " + num(x.capacity), cls: "n" }, n(x.running), n(x.throughput),
      { text: num(x.heap_used_mb) + " / " + num(x.heap_max_mb), cls: "n" }, { text: duration(x.uptime_s), cls: "n" },
      hasWorkers && !x.gone ? scaleEditor(x) : "–"]);
    tr.dataset.node = x.id; tr.dataset.testid = "node-row";
    return tr;
  }), "no node has reported yet", 8);
  const tasks = nodes.filter(x => !x.gone).flatMap(x => (x.tasks || []).map(t => Object.assign({ node: x.id }, t)))
    .sort((a, b) => b.running_s - a.running_s).slice(0, 100);
  fill("tasks", tasks.map(t => row([t.custom_id, t.provider, t.model, { text: t.running_s.toFixed(1) + " s", cls: "n" },
    t.node])), "nothing running", 5);
}

function failureRow(f) {
  const tr = row([time(f.at), { text: f.kind === "dead_lettered" ? "dead-lettered" : "attempt",
    cls: f.kind === "dead_lettered" ? "bad" : "" }, f.custom_id ?? "–", f.status || "–", f.code ?? "",
  { text: f.message ?? "", cls: "clip", title: f.message ?? "" }, (f.provider ?? "–") + " / " + (f.model ?? "–")]);
  tr.dataset.testid = "failure-row";
  return tr;
}
function renderFailures(list, note) {
  fill("failures", list.map(failureRow), searching ? "no failure matches" : "no failures", 7);
  $("failure-note").textContent = note;
}

let searchTimer = 0;
$("failure-search").addEventListener("input", e => {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(() => search(e.target.value.trim()), 250);
});
async function search(query) {
  searching = query;
  if (!query) { if (latest) renderFailures(latest.failures || [], "newest 50 of the cluster"); return; }
  try {
    const r = await api("/api/failures?custom_id=" + encodeURIComponent(query));
    const json = await r.json();
    if (searching === query) renderFailures(json.failures || [], (json.failures || []).length + " match(es)");
  } catch (e) { status("search failed: " + e.message, false); }
}

async function peekDlq() {
  try {
    const r = await api("/api/dlq/peek", { method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ max: 20 }) });
    const json = await r.json();
    if (!r.ok) { status("DLQ: " + (json.error || r.status), false); return; }
    fill("dlq", (json.messages || []).map(m => {
      const redrive = el("button", "Redrive"); redrive.dataset.control = ""; redrive.dataset.testid = "dlq-redrive";
      redrive.disabled = !(latest && latest.controls);
      redrive.addEventListener("click", async () => {
        const res = await control("/api/dlq/redrive", { message_ids: [m.message_id] });
        if (res) status("redrive " + res.redrive_id + " started", true);
      });
      const tr = row([m.custom_id ?? "–", m.code ?? "", { text: m.reason ?? "", cls: "clip", title: m.reason ?? "" },
        n(m.receive_count), m.failed_at ? time(Date.parse(m.failed_at)) : "–",
        { text: m.body + (m.truncated ? " …" : ""), cls: "clip", title: m.body }, redrive]);
      tr.dataset.testid = "dlq-row";
      return tr;
    }), "the dead-letter queue is empty", 7);
    $("dlq-note").textContent = "showing " + (json.messages || []).length + " of about " + json.approximate_total
      + " (peeked, not consumed)";
  } catch (e) { status("DLQ: " + e.message, false); }
}

function render(s) {
  latest = s;
  renderTotals(s);
  renderQueues(s);
  renderLlm(s);
  renderNodes(s);
  renderRedrive(s.redrive);
  if (!searching) renderFailures(s.failures || [], "newest 50 of the cluster");
  setControlsEnabled(!!s.controls);
  addPoint(s.point);
  redrawCharts();
  document.body.dataset.updates = String(Number(document.body.dataset.updates || 0) + 1);
}

// ---------- live updates ----------
// Server-sent events read with fetch (EventSource cannot send the token), reconnecting after a pause.
async function streamEvents() {
  const conn = $("conn");
  for (;;) {
    try {
      const r = await api("/api/events");
      if (r.status === 401) { await authorized(); continue; }
      if (!r.ok) throw new Error("HTTP " + r.status);
      const reader = r.body.getReader();
      const decoder = new TextDecoder();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let end;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const data = buffer.slice(0, end).split("\n").filter(l => l.startsWith("data:"))
            .map(l => l.slice(5).trimStart()).join("\n");
          buffer = buffer.slice(end + 2);
          if (data) { conn.textContent = "live"; render(JSON.parse(data)); }
        }
      }
    } catch (e) { /* dropped or refused: reconnect below */ }
    conn.textContent = "reconnecting…";
    await new Promise(resolve => setTimeout(resolve, 2000));
  }
}

async function start() {
  await authorized();
  try {
    const r = await api("/api/history");
    const json = await r.json();
    (json.points || []).forEach(addPoint);
    redrawCharts();
  } catch (e) { status("history unavailable: " + e.message, false); }
  streamEvents();
}
const started = start(); // resolves once the API answers this tab (batches.js waits for it too)
