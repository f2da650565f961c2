// The Files API of llm-worker driven by the official OpenAI Node SDK, as a user would: upload a batch file, list,
// retrieve, download, delete. Prints one JSON line with what it saw; exits 1 on anything unexpected.
// Environment: LLMW_BASE_URL (e.g. http://127.0.0.1:8080/v1), LLMW_API_TOKEN, INPUT_FILE.
import fs from "node:fs";
import OpenAI from "openai";

const client = new OpenAI({ baseURL: process.env.LLMW_BASE_URL, apiKey: process.env.LLMW_API_TOKEN, maxRetries: 0 });
const input = process.env.INPUT_FILE;
const expected = fs.readFileSync(input, "utf8");

function check(condition, what) {
  if (!condition) {
    console.error("FAILED: " + what);
    process.exit(1);
  }
}

const created = await client.files.create({ file: fs.createReadStream(input), purpose: "batch" });
check(created.object === "file" && created.id.startsWith("file-"), "create: " + JSON.stringify(created));
check(created.bytes === Buffer.byteLength(expected), "bytes " + created.bytes);

const retrieved = await client.files.retrieve(created.id);
check(retrieved.id === created.id && retrieved.filename === created.filename, "retrieve: " + JSON.stringify(retrieved));

const ids = [];
for await (const file of client.files.list({ limit: 1 })) {
  ids.push(file.id);
}
check(ids.includes(created.id), "list (auto-paging) lacks the file: " + ids);

const content = await (await client.files.content(created.id)).text();
check(content === expected, "content differs (" + content.length + " vs " + expected.length + " characters)");

const deleted = await client.files.delete(created.id);
check(deleted.deleted === true && deleted.id === created.id, "delete: " + JSON.stringify(deleted));

let status = 0;
try {
  await client.files.retrieve(created.id);
} catch (e) {
  status = e.status;
}
check(status === 404, "retrieve after delete gave " + status);

let unauthorized = 0;
try {
  await new OpenAI({ baseURL: process.env.LLMW_BASE_URL, apiKey: "wrong-token-of-some-length", maxRetries: 0 })
    .files.list();
} catch (e) {
  unauthorized = e.status;
}
check(unauthorized === 401, "a wrong token gave " + unauthorized);

console.log(JSON.stringify({ ok: true, id: created.id, bytes: created.bytes, listed: ids.length }));
