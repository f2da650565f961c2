"use strict";
// The Batches view: the Batch API's jobs from GET /api/batches, read every 2 s while the view is shown, with the
// downloads of their output and error files and a Cancel button. Uses app.js's helpers (el, api, status, num, ...).
// Batch ids, metadata and error messages come from users: like app.js, this writes them as text only.

const BATCH_REFRESH_MS = 2000;
const BATCH_STATES = { validating: "validating", failed: "failed", in_progress: "in progress",
  finalizing: "finalizing", completed: "completed", expired: "expired", cancelling: "cancelling",
  cancelled: "cancelled" };
const CANCELLABLE = new Set(["validating", "in_progress"]);
const stateLabel = s => Object.hasOwn(BATCH_STATES, s) ? BATCH_STATES[s] : String(s);
const BATCH_TIMES = [["created_at", "created"], ["in_progress_at", "started"], ["finalizing_at", "finalizing"],
  ["completed_at", "completed"], ["failed_at", "failed"], ["cancelling_at", "cancelling"],
  ["cancelled_at", "cancelled"], ["expired_at", "expired"], ["expires_at", "expires"]];

// ---------- tabs ----------
function showView(viewId) {
  for (const tab of document.querySelectorAll("nav.tabs [data-view]")) {
    const selected = tab.dataset.view === viewId;
    tab.setAttribute("aria-selected", String(selected));
    $(tab.dataset.view).hidden = !selected;
  }
  history.replaceState(null, "", location.pathname + location.search + (viewId === "view-batches" ? "#batches" : ""));
  refreshBatches();
}
for (const tab of document.querySelectorAll("nav.tabs [data-view]")) {
  tab.addEventListener("click", () => showView(tab.dataset.view));
}

// ---------- refresh: one request at a time, the next 2 s after the last answer, only while shown ----------
const batchesShown = () => !$("view-batches").hidden && document.visibilityState === "visible";
let batchTimer = 0;
let batchLoading = false;
async function refreshBatches() {
  clearTimeout(batchTimer);
  batchTimer = 0;
  if (batchLoading || !batchesShown()) return;
  batchLoading = true;
  try {
    await started; // no request before the token is known: a refused one would only be noise
    await loadBatches();
  } finally {
    batchLoading = false;
    if (batchesShown()) batchTimer = setTimeout(refreshBatches, BATCH_REFRESH_MS);
  }
}
document.addEventListener("visibilitychange", refreshBatches);

const errorText = (json, fallback) => typeof json.error === "string" ? json.error
  : (json.error && json.error.message) || fallback;
function batchNote(text, ok) {
  const note = $("batches-note");
  note.textContent = text;
  note.className = ok ? "muted" : "bad";
}

async function loadBatches() {
  try {
    const r = await api("/api/batches");
    const json = await r.json().catch(() => ({}));
    if (r.status === 401) { batchNote("enter the monitor token (top right) to see the batches", false); return; }
    if (r.status === 404) { apiOff(); return; }
    if (!r.ok) {
      batchNote("could not list the batches: " + r.status + " " + errorText(json, r.statusText), false);
      return;
    }
    renderBatches(Array.isArray(json.batches) ? json.batches : []);
    batchNote("updated " + time(Date.now()), true);
    document.body.dataset.batchUpdates = String(Number(document.body.dataset.batchUpdates || 0) + 1);
  } catch (e) { batchNote("could not list the batches: " + e.message, false); }
}

// ---------- rendering: one row per batch id, kept across refreshes (clicks, focus and selections survive) ----------
const batchRows = new Map();
function renderBatches(batches) {
  const body = $("batches");
  if (batches.length === 0) {
    batchRows.clear();
    body.replaceChildren(emptyBatchesRow());
    return;
  }
  const rows = batches.map(b => {
    let r = batchRows.get(b.id);
    if (!r) { r = batchRow(b.id); batchRows.set(b.id, r); }
    r.update(b);
    return r.tr;
  });
  const listed = new Set(batches.map(b => b.id));
  for (const id of [...batchRows.keys()]) if (!listed.has(id)) batchRows.delete(id);
  // move rows only when the order changed: a row moved under the pointer loses the click
  const moved = rows.length !== body.children.length || rows.some((tr, i) => body.children[i] !== tr);
  if (moved) body.replaceChildren(...rows);
}

/** The table's one row when there is no batch to list. */
function messageRow(testid, ...parts) {
  const td = el("td", null, "muted");
  td.colSpan = 12;
  td.dataset.testid = testid;
  td.append(...parts);
  const tr = document.createElement("tr");
  tr.appendChild(td);
  return tr;
}
const emptyBatchesRow = () => messageRow("batches-empty", el("strong", "No batches yet."), " Create one with ",
  el("code", "llm-worker batch create FILE --endpoint /v1/chat/completions"),
  " (or POST /v1/files, then /v1/batches).");
function apiOff() {
  batchRows.clear();
  $("batches").replaceChildren(messageRow("batches-off", el("strong", "The Batch API is off on this node."),
    " It is served when llm-worker starts with ", el("code", "api.tokens"), " set."));
  batchNote("", true);
}

/** Sets a node's text only when it changed, so a refresh does not drop a selection in it. */
function setText(node, text) {
  text = String(text);
  if (node.textContent !== text) node.textContent = text;
}
function cell(tr, cls) {
  const td = el("td", null, cls);
  tr.appendChild(td);
  return td;
}

function batchRow(id) {
  const tr = document.createElement("tr");
  tr.dataset.testid = "batch-row";
  tr.dataset.batchId = id;
  const who = cell(tr);
  const idLine = el("div", id, "mono");
  idLine.dataset.testid = "batch-id";
  const meta = el("div", "", "muted small");
  meta.dataset.testid = "batch-metadata";
  const errors = el("div", "", "bad small clamp");
  errors.dataset.testid = "batch-errors-text";
  const notice = el("div", "", "bad small");
  notice.dataset.testid = "batch-notice";
  who.append(idLine, meta, errors, notice);
  const state = el("span", "", "state");
  state.dataset.testid = "batch-status";
  cell(tr).appendChild(state);
  const endpoint = cell(tr, "mono");
  const progress = el("div", null, "bar");
  progress.dataset.testid = "batch-progress";
  const progressFill = el("span");
  const progressText = el("em");
  progressText.dataset.testid = "batch-done";
  progress.append(progressFill, progressText);
  cell(tr).appendChild(progress);
  const counts = cell(tr, "n");
  counts.dataset.testid = "batch-counts";
  const rate = cell(tr, "n");
  const eta = cell(tr, "n");
  const tokens = cell(tr, "n");
  const cost = cell(tr, "n");
  const created = cell(tr);
  const files = cell(tr);
  const output = downloadLink(id, "output");
  const errorFile = downloadLink(id, "errors");
  files.append(output, " ", errorFile);
  const cancel = el("button", "Cancel");
  cancel.dataset.control = "";
  cancel.dataset.testid = "batch-cancel";
  cell(tr).appendChild(cancel);
  let pending = false;
  let current = null;
  cancel.addEventListener("click", async () => {
    if (!current || !confirm("Cancel batch " + current.id + "?\nLines not yet answered are not sent; the answers so "
      + "far are kept in its output file.")) return;
    pending = true;
    cancel.hidden = true;
    setText(notice, "");
    const refused = await cancelBatch(current.id);
    pending = false;
    if (refused) setText(notice, refused);
    if (current) update(current);
    refreshBatches();
  });

  function update(b) {
    current = b;
    const llmw = b.llmw || {};
    const requests = b.request_counts || {};
    const total = Number(requests.total || 0);
    const done = llmw.done ?? (Number(requests.completed || 0) + Number(requests.failed || 0));
    tr.dataset.state = b.status;
    tr.dataset.done = String(done);
    tr.dataset.total = String(total);
    setText(meta, metadataText(b.metadata));
    setText(errors, errorsText(b.errors));
    errors.title = errors.textContent;
    setText(state, stateLabel(b.status));
    state.className = "state " + (Object.hasOwn(BATCH_STATES, b.status) ? "state-" + b.status : "state-unknown");
    setText(endpoint, b.endpoint ?? "–");
    const pct = total > 0 ? Math.min(100, 100 * done / total) : 0;
    progressFill.style.width = pct.toFixed(1) + "%";
    setText(progressText, num(done) + " / " + num(total) + (total > 0 ? " · " + Math.floor(pct) + "%" : ""));
    setText(counts, num(requests.completed ?? 0) + " / " + num(requests.failed ?? 0) + " / " + num(total));
    setText(rate, llmw.per_second === undefined || llmw.per_second === null ? "–"
      : Number(llmw.per_second).toFixed(1));
    setText(eta, duration(llmw.eta_seconds));
    const prompt = Number(llmw.prompt_tokens || 0);
    const completion = Number(llmw.completion_tokens || 0);
    setText(tokens, num(prompt + completion));
    tokens.title = "prompt " + num(prompt) + ", completion " + num(completion);
    setText(cost, typeof llmw.cost_usd === "number" ? usd(llmw.cost_usd) : "–");
    cost.title = typeof llmw.cost_usd === "number" ? "" : "no price known for this model";
    setText(created, when(b.created_at));
    created.title = BATCH_TIMES.filter(([key]) => b[key] !== null && b[key] !== undefined)
      .map(([key, label]) => label + " " + new Date(b[key] * 1000).toLocaleString("en-GB")).join("\n");
    output.hidden = !b.output_file_id;
    errorFile.hidden = !b.error_file_id;
    cancel.hidden = pending || !CANCELLABLE.has(b.status);
    cancel.disabled = !!(latest && !latest.controls);
  }
  return { tr, update };
}

function metadataText(metadata) {
  if (metadata === null || metadata === undefined) return "";
  if (typeof metadata !== "object") return String(metadata);
  return Object.entries(metadata).map(([k, v]) => k + ": " + (typeof v === "string" ? v : JSON.stringify(v)))
    .join(" · ");
}
function errorsText(errors) {
  const list = errors && Array.isArray(errors.data) ? errors.data : [];
  const shown = list.slice(0, 3).map(e => (e.line !== undefined && e.line !== null ? "line " + e.line + ": " : "")
    + (e.message ?? e.code ?? "error") + (e.code && e.message ? " (" + e.code + ")" : ""));
  return shown.join("\n") + (list.length > 3 ? "\n+" + (list.length - 3) + " more" : "");
}
function when(seconds) {
  if (seconds === null || seconds === undefined) return "–";
  const d = new Date(seconds * 1000);
  if (d.toDateString() === new Date().toDateString()) return d.toLocaleTimeString("en-GB");
  return d.toLocaleDateString("en-CA") + " " + d.toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" });
}

// ---------- actions ----------
/** POSTs the cancel with the token: null when accepted, else the refusal's text (also shown in the status line). */
async function cancelBatch(id) {
  let refusal;
  try {
    const r = await api("/api/batches/" + encodeURIComponent(id) + "/cancel", { method: "POST",
      headers: { "Content-Type": "application/json" }, body: "{}" });
    const json = await r.json().catch(() => ({}));
    if (r.ok) { status("batch " + id + ": " + stateLabel(json.status), true); return null; }
    refusal = "cancel refused: " + r.status + " " + errorText(json, r.statusText);
  } catch (e) { refusal = "cancel failed: " + e.message; }
  status("batch " + id + ": " + refusal, false);
  return refusal;
}

// A plain link cannot carry the Authorization header: fetch with the token and save the bytes through a Blob URL.
function downloadLink(id, kind) {
  const path = "/api/batches/" + encodeURIComponent(id) + "/" + kind;
  const link = el("a", kind === "output" ? "output" : "errors");
  link.href = path;
  const filename = String(id).replace(/[^A-Za-z0-9._-]/g, "_") + "." + kind + ".jsonl";
  link.title = "download the " + (kind === "output" ? "output" : "error") + " file (JSONL)";
  link.dataset.testid = "batch-" + kind;
  link.hidden = true;
  link.addEventListener("click", async event => {
    event.preventDefault();
    if (link.classList.contains("busy")) return;
    link.classList.add("busy");
    try {
      const r = await api(path);
      if (!r.ok) {
        const json = await r.json().catch(() => ({}));
        status(filename + ": " + r.status + " " + errorText(json, r.statusText), false);
        return;
      }
      const blob = await r.blob();
      const url = URL.createObjectURL(blob);
      const save = el("a");
      save.href = url;
      save.download = filename;
      document.body.appendChild(save);
      save.click();
      save.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60000); // revoked at once, some browsers drop the download
      link.dataset.bytes = String(blob.size);
      status("saved " + filename + " (" + num(blob.size) + " bytes)", true);
    } catch (e) { status(filename + ": " + e.message, false); }
    finally { link.classList.remove("busy"); }
  });
  return link;
}

if (location.hash === "#batches") showView("view-batches");
