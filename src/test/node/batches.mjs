// The Batches API of llm-worker driven by the official OpenAI Node SDK, as a user would: upload a batch file,
// create a batch, poll it, download its output and error files, cancel one, list them with auto-paging.
// Checks what it can on its own, prints one JSON line with what it saw (the Java test asserts on it, and on the
// simulator's counts), and exits 1 on anything unexpected.
// Environment: LLMW_BASE_URL (e.g. http://127.0.0.1:8080/v1), LLMW_API_TOKEN, SCENARIO (completed, errors,
// invalid, cancel, list), WORK_DIR (where the input files are written), LINES (how many lines, for completed,
// errors and cancel), FAIL_EVERY (errors: every n-th line is refused by the simulator).
import fs from "node:fs";
import path from "node:path";
import OpenAI from "openai";

const client = new OpenAI({ baseURL: process.env.LLMW_BASE_URL, apiKey: process.env.LLMW_API_TOKEN, maxRetries: 0 });
const scenario = process.env.SCENARIO;
const workDir = process.env.WORK_DIR;
const ENDED = new Set(["completed", "failed", "expired", "cancelled"]);

function check(condition, what) {
  if (!condition) {
    console.error("FAILED (" + scenario + "): " + what);
    process.exit(1);
  }
}

function chatLine(customId, prompt, url = "/v1/chat/completions") {
  return JSON.stringify({ custom_id: customId, method: "POST", url,
    body: { model: "gpt-4o-mini", max_tokens: 16, messages: [{ role: "user", content: prompt }] } });
}

/** Writes the lines to a file and uploads it through the SDK, as a stream. */
async function upload(name, lines) {
  const file = path.join(workDir, name);
  fs.writeFileSync(file, lines.join("\n") + "\n");
  const created = await client.files.create({ file: fs.createReadStream(file), purpose: "batch" });
  check(created.id.startsWith("file-") && created.purpose === "batch", "upload: " + JSON.stringify(created));
  return created.id;
}

async function createBatch(fileId, metadata) {
  const batch = await client.batches.create({ input_file_id: fileId, endpoint: "/v1/chat/completions",
    completion_window: "24h", metadata });
  check(batch.object === "batch" && batch.id.startsWith("batch_"), "create: " + JSON.stringify(batch));
  check(batch.input_file_id === fileId && batch.endpoint === "/v1/chat/completions"
    && batch.completion_window === "24h", "create echoes its request: " + JSON.stringify(batch));
  check(JSON.stringify(batch.metadata) === JSON.stringify(metadata), "metadata: " + JSON.stringify(batch.metadata));
  return batch;
}

/** Polls until {@code done(batch)} or the deadline; returns the batch and every status seen on the way. */
async function poll(id, seconds, done = (b) => ENDED.has(b.status)) {
  const deadline = Date.now() + seconds * 1000;
  const statuses = [];
  for (;;) {
    const batch = await client.batches.retrieve(id);
    check(batch.id === id, "retrieve: " + JSON.stringify(batch));
    if (statuses[statuses.length - 1] !== batch.status) {
      statuses.push(batch.status);
    }
    if (done(batch)) {
      return { batch, statuses };
    }
    check(Date.now() < deadline, "no end within " + seconds + " s, statuses " + statuses + ": " + JSON.stringify(batch));
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** custom_id → line of a batch's output or error file (null: none), checking that each custom_id is there once. */
async function lines(fileId) {
  const byId = new Map();
  if (!fileId) {
    return byId;
  }
  const text = await (await client.files.content(fileId)).text();
  for (const l of text.split("\n")) {
    if (l.trim() === "") {
      continue;
    }
    const line = JSON.parse(l);
    check(!byId.has(line.custom_id), "custom_id twice in " + fileId + ": " + line.custom_id);
    byId.set(line.custom_id, line);
  }
  return byId;
}

function answer(line) {
  return line.response?.body?.choices?.[0]?.message?.content;
}

/** A line of the output file: a 200 with the simulator's answer to the line's own prompt (when given). */
function checkAnswered(line, prompt) {
  check(line.id?.startsWith("batch_req_") && line.error === null && line.response?.status_code === 200,
    "an output line: " + JSON.stringify(line));
  check(line.response.body.object === "chat.completion", "output body: " + JSON.stringify(line));
  if (prompt !== undefined) {
    check(answer(line) === "Simulated answer to: " + prompt.substring(0, 40), "the answer to another prompt? "
      + JSON.stringify(line) + " for " + prompt);
  } else {
    check(answer(line)?.startsWith("Simulated answer to: "), "answer: " + JSON.stringify(line));
  }
}

const lineCount = Number(process.env.LINES || 0);
let summary;

if (scenario === "completed") {
  const prompts = new Map();
  const input = [];
  for (let i = 0; i < lineCount; i++) {
    prompts.set("ok-" + i, "Hello " + i + " from the SDK");
    input.push(chatLine("ok-" + i, prompts.get("ok-" + i)));
  }
  const created = await createBatch(await upload("completed.jsonl", input), { scenario, by: "openai-node" });
  const { batch, statuses } = await poll(created.id, 150);
  check(batch.status === "completed", "status: " + JSON.stringify(batch));
  const output = await lines(batch.output_file_id);
  const errors = await lines(batch.error_file_id);
  check(output.size === lineCount, "output lines " + output.size);
  check(errors.size === 0, "error lines " + errors.size);
  for (const [id, prompt] of prompts) {
    check(output.has(id), id + " missing from the output");
    checkAnswered(output.get(id), prompt);
  }
  summary = { id: batch.id, status: batch.status, statuses, request_counts: batch.request_counts,
    metadata: batch.metadata, output_lines: output.size, error_lines: errors.size,
    completed_at: batch.completed_at, in_progress_at: batch.in_progress_at };
} else if (scenario === "errors") {
  const failEvery = Number(process.env.FAIL_EVERY);
  const input = [];
  const refused = new Set();
  for (let i = 0; i < lineCount; i++) {
    const refuse = i % failEvery === 0;
    if (refuse) {
      refused.add("mixed-" + i);
    }
    input.push(chatLine("mixed-" + i, refuse ? "Refuse me " + i + " [[sim:status=400]]" : "Mixed " + i));
  }
  const created = await createBatch(await upload("errors.jsonl", input), { scenario });
  const { batch, statuses } = await poll(created.id, 120);
  check(batch.status === "completed", "status: " + JSON.stringify(batch));
  const output = await lines(batch.output_file_id);
  const errors = await lines(batch.error_file_id);
  for (let i = 0; i < lineCount; i++) {
    const id = "mixed-" + i;
    if (refused.has(id)) {
      check(errors.has(id) && !output.has(id), id + " (refused) not in the error file only");
      check(errors.get(id).error !== null || errors.get(id).response?.status_code === 400,
        "an error line: " + JSON.stringify(errors.get(id)));
    } else {
      check(output.has(id) && !errors.has(id), id + " not in the output file only");
      checkAnswered(output.get(id), "Mixed " + i);
    }
  }
  check(output.size + errors.size === lineCount, "lines " + output.size + " + " + errors.size);
  summary = { id: batch.id, status: batch.status, statuses, request_counts: batch.request_counts,
    output_lines: output.size, error_lines: errors.size, refused: refused.size,
    error_sample: errors.values().next().value };
} else if (scenario === "invalid") {
  const input = [
    chatLine("same", "fine"),
    "{this is not json",
    chatLine("same", "again"),
    chatLine("other-url", "hi", "/chat/completions"),
    chatLine("last", "fine too"),
  ];
  const created = await createBatch(await upload("invalid.jsonl", input), { scenario });
  const { batch, statuses } = await poll(created.id, 60);
  check(batch.status === "failed", "status: " + JSON.stringify(batch));
  check(batch.output_file_id == null && batch.error_file_id == null, "files of a failed batch: " + JSON.stringify(batch));
  check(Array.isArray(batch.errors?.data), "errors: " + JSON.stringify(batch.errors));
  summary = { id: batch.id, status: batch.status, statuses, request_counts: batch.request_counts,
    errors: batch.errors.data, failed_at: batch.failed_at };
} else if (scenario === "cancel") {
  const input = [];
  for (let i = 0; i < lineCount; i++) {
    input.push(chatLine("slow-" + i, "Slow " + i + " [[sim:latency_ms=300]]"));
  }
  const created = await createBatch(await upload("cancel.jsonl", input), { scenario });
  const started = await poll(created.id, 60, (b) => ENDED.has(b.status) || b.request_counts.completed >= 8);
  check(started.batch.status === "in_progress", "before the cancel: " + JSON.stringify(started.batch));
  const cancelling = await client.batches.cancel(created.id);
  check(cancelling.id === created.id, "cancel: " + JSON.stringify(cancelling));
  const { batch, statuses } = await poll(created.id, 90);
  check(batch.status === "cancelled", "status: " + JSON.stringify(batch));
  const output = await lines(batch.output_file_id);
  const errors = await lines(batch.error_file_id);
  const codes = {};
  for (let i = 0; i < lineCount; i++) {
    const id = "slow-" + i;
    check(output.has(id) !== errors.has(id), id + " in " + (output.has(id) ? "both files" : "neither file"));
    if (output.has(id)) {
      checkAnswered(output.get(id));
    } else {
      const code = errors.get(id).error?.code;
      codes[code] = (codes[code] || 0) + 1;
    }
  }
  let again = 0;
  try {
    await client.batches.cancel(created.id);
  } catch (e) {
    again = e.status;
  }
  summary = { id: batch.id, status: batch.status, cancel_status: cancelling.status, statuses,
    completed_before_cancel: started.batch.request_counts.completed, request_counts: batch.request_counts,
    output_lines: output.size, error_lines: errors.size, error_codes: codes, cancel_again: again,
    cancelling_at: batch.cancelling_at, cancelled_at: batch.cancelled_at,
    error_sample: errors.values().next().value ?? null };
} else if (scenario === "list") {
  const ids = [];
  for await (const batch of client.batches.list({ limit: 2 })) {
    check(batch.object === "batch", "listed: " + JSON.stringify(batch));
    ids.push(batch.id);
  }
  const pages = [];
  for await (const page of (await client.batches.list({ limit: 2 })).iterPages()) {
    pages.push(page.data.length);
  }
  const first = await client.batches.list({ limit: 2 });
  summary = { ids, pages, first_page: first.data.map((b) => b.id), first_has_more: first.has_more };
} else {
  check(false, "unknown SCENARIO " + scenario);
}

console.log(JSON.stringify({ ok: true, scenario, ...summary }));
