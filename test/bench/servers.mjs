#!/usr/bin/env node
// The servers' part of `npm run bench` (run by run.mjs as `--only servers`): the language server
// and the MCP server on the benchmark repository, driven by the same clients the tests use.
// Prints one JSON object: the figures run.mjs turns into table rows.
//
//   node test/bench/servers.mjs PACKAGE_ROOT REPO_DIR RUNS
import { readFileSync, renameSync, writeFileSync, mkdirSync } from "node:fs";
import { spawn, execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";

const [packageRoot, dir, runsArg] = process.argv.slice(2);
const runs = Math.max(5, Number(runsArg) * 4);
const require = createRequire(join(packageRoot, "package.json"));
const rpc = require("vscode-languageserver-protocol/node");
const { Client } = await import(pathToFileURL(require.resolve("@modelcontextprotocol/sdk/client/index.js")).href);
const { StdioClientTransport } = await import(pathToFileURL(require.resolve("@modelcontextprotocol/sdk/client/stdio.js")).href);
const CLI = join(packageRoot, "dist/src/cli.js");
const RULES = "packages/bench-rules/CLAUDE.md";

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const now = () => Number(process.hrtime.bigint()) / 1e6;
const rssKb = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))[1]);

// ---- a 300-rule file naming real functions and files, one rule per file ----------------------
const tsFiles = execFileSync("git", ["ls-files", "-z", "--", "*.ts"], { cwd: dir, maxBuffer: 1 << 30 })
  .toString()
  .split("\0")
  .filter(Boolean);
const named = [];
for (const file of tsFiles) {
  const match = /export function (\w+)/.exec(readFileSync(join(dir, file), "utf8"));
  if (match) named.push({ file, name: match[1] });
  if (named.length === 300) break;
}
const rules = named.map(({ file, name }, k) => `## Rule ${k} {#rule-${k}}\n<!-- scope: ${dirname(file)}/** -->\nCall \`${name}\` from \`${file}\` when reading rows.\n`);
const text = `# Bench rules\n\n${rules.join("\n")}`;
mkdirSync(join(dir, dirname(RULES)), { recursive: true });
writeFileSync(join(dir, RULES), text);

// ---- the language server -----------------------------------------------------------------------
const child = spawn(process.execPath, [CLI, "lsp", "--stdio"], { cwd: dir, stdio: ["pipe", "pipe", "inherit"] });
const conn = rpc.createProtocolConnection(new rpc.StreamMessageReader(child.stdout), new rpc.StreamMessageWriter(child.stdin));
const waiting = [];
let latest = null;
conn.onNotification(rpc.PublishDiagnosticsNotification.type, (params) => {
  latest = params;
  for (const wait of [...waiting])
    if (wait.pred(params)) {
      waiting.splice(waiting.indexOf(wait), 1);
      wait.done(params);
    }
});
conn.onRequest(rpc.RegistrationRequest.type, () => null);
conn.listen();
const published = (pred) => new Promise((done) => waiting.push({ pred, done }));
const uri = (file) => pathToFileURL(join(dir, file)).href;

let started = now();
await conn.sendRequest(rpc.InitializeRequest.type, {
  processId: process.pid,
  rootUri: pathToFileURL(dir).href,
  workspaceFolders: null,
  initializationOptions: { debounceMs: 0 },
  capabilities: { workspace: { didChangeWatchedFiles: { dynamicRegistration: true } }, textDocument: { publishDiagnostics: { versionSupport: true } } },
});
await conn.sendNotification(rpc.InitializedNotification.type, {});
const first = published((p) => p.uri === uri(RULES));
await conn.sendNotification(rpc.DidOpenTextDocumentNotification.type, { textDocument: { uri: uri(RULES), languageId: "markdown", version: 1, text } });
const opened = await first;
const openMs = now() - started;
const rssAfterIndex = rssKb(child.pid);

let version = 1;
const lines = text.split("\n");
/** One keystroke at the end of a rule's text line; resolves with the diagnostics for it. */
function keystroke(k) {
  const sent = ++version;
  const line = 4 + 4 * (k % 300);
  const character = lines[line].length;
  lines[line] += "x";
  const wait = published((p) => p.uri === uri(RULES) && p.version === sent);
  void conn.sendNotification(rpc.DidChangeTextDocumentNotification.type, {
    textDocument: { uri: uri(RULES), version },
    contentChanges: [{ range: { start: { line, character }, end: { line, character } }, text: "x" }],
  });
  return wait;
}
// Warm up, then time keystrokes one at a time (each waits for its diagnostics).
for (let k = 0; k < 5; k++) await keystroke(k);
const keystrokes = [];
for (let k = 5; k < 5 + runs; k++) {
  started = now();
  await keystroke(k);
  keystrokes.push(now() - started);
}
// A cheap round trip for comparison: hover on plain text.
const roundTrips = [];
for (let k = 0; k < runs; k++) {
  started = now();
  await conn.sendRequest(rpc.HoverRequest.type, { textDocument: { uri: uri(RULES) }, position: { line: 0, character: 1 } });
  roundTrips.push(now() - started);
}

// A code file renamed on disk: the rule naming its path goes stale.
const renames = [];
for (let k = 0; k < Math.min(runs, 5); k++) {
  const { file } = named[k];
  const moved = file.replace(/\.ts$/, ".moved.ts");
  renameSync(join(dir, file), join(dir, moved));
  started = now();
  const stale = published((p) => p.uri === uri(RULES) && p.diagnostics.some((d) => d.code === "stale-path" && d.message.includes(file)));
  await conn.sendNotification(rpc.DidChangeWatchedFilesNotification.type, {
    changes: [
      { uri: uri(file), type: 3 },
      { uri: uri(moved), type: 1 },
    ],
  });
  await stale;
  renames.push(now() - started);
  renameSync(join(dir, moved), join(dir, file));
  const back = published((p) => p.uri === uri(RULES) && !p.diagnostics.some((d) => d.code === "stale-path" && d.message.includes(file)));
  await conn.sendNotification(rpc.DidChangeWatchedFilesNotification.type, {
    changes: [
      { uri: uri(moved), type: 3 },
      { uri: uri(file), type: 1 },
    ],
  });
  await back;
}

// Memory: 1,000 more edits, typed as 100 words of 10 keystrokes: each word's keystrokes are sent
// back to back and its last version's diagnostics awaited, as a typist's pauses would.
for (let word = 0; word < 100; word++) {
  let last;
  for (let k = 0; k < 10; k++) last = keystroke(word * 10 + k);
  await last;
}
const rssAfterEdits = rssKb(child.pid);
const diagnostics = latest?.diagnostics.length ?? 0;
await conn.sendRequest(rpc.ShutdownRequest.type);
await conn.sendNotification(rpc.ExitNotification.type);
conn.dispose();

// ---- the MCP server: explain_name --------------------------------------------------------------
const client = new Client({ name: "bench", version: "0.0.0" });
await client.connect(new StdioClientTransport({ command: process.execPath, args: [CLI, "mcp"], cwd: dir, stderr: "inherit" }));
await client.callTool({ name: "explain_name", arguments: { name: named[0].name } });
const explains = [];
for (let k = 1; k <= runs; k++) {
  started = now();
  const result = await client.callTool({ name: "explain_name", arguments: { name: named[k].name } });
  explains.push(now() - started);
  if (!result.structuredContent?.exists) throw new Error(`explain_name ${named[k].name}: not found`);
}
const checks = [];
for (let k = 0; k < runs; k++) {
  started = now();
  await client.callTool({ name: "check_rules", arguments: { files: [RULES] } });
  checks.push(now() - started);
}
await client.close();

process.stdout.write(
  `${JSON.stringify({
    rules: rules.length,
    openMs,
    openDiagnostics: opened.diagnostics.length,
    keystrokeMs: median(keystrokes),
    roundTripMs: median(roundTrips),
    renameMs: median(renames),
    rssAfterIndexKb: rssAfterIndex,
    rssAfterEditsKb: rssAfterEdits,
    diagnostics,
    explainMs: median(explains),
    checkRulesMs: median(checks),
    runs,
  })}\n`,
);
