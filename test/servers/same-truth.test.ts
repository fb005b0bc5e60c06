// Same truth everywhere: for the fixture repositories of the checks, the language server's
// diagnostics (every harness file, post-mortem and hook file opened in it) and the MCP server's
// check_rules equal the CLI's JSON findings.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import {
  createProtocolConnection,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type PublishDiagnosticsParams,
} from "vscode-languageserver-protocol/node";
import { describe, expect, it } from "vitest";
// @ts-expect-error: plain JavaScript module shared with `npm run demo`
import { buildFixtureRepo, git, removeRepo } from "../../fixtures/lib/build-repo.mjs";
import { CLI, lintJson, REPO_ROOT, type JsonFinding } from "../helpers/cli.js";

// invalid-file is about bytes an editor never sends (invalid UTF-8, NUL): left out.
const SCENARIOS = ["dangling-citation", "dead-scope", "postmortem-shape", "stale-path", "stale-path-hooks", "stale-symbol", "uncited-rule", "unscoped-rule"];

const asDiagnostic = (f: JsonFinding) => ({
  code: f.check,
  severity: f.severity === "error" ? 1 : 2,
  message: f.message,
  range: { start: { line: f.line - 1, character: f.column - 1 }, end: { line: f.endLine - 1, character: f.endColumn - 1 } },
});

/** Every file harness-lint reads in the repository, as the library API says. */
async function harnessFiles(root: string): Promise<string[]> {
  const { openProject } = (await import(join(REPO_ROOT, "dist/src/index.js"))) as typeof import("../../src/index.js");
  const project = await openProject(root);
  const listed = (git(root, ["ls-files", "-co", "--exclude-standard", "-z"]) as string).split("\0").filter(Boolean);
  const files = listed.filter((file) => project.isHarnessFile(file));
  await project.close();
  return files;
}

async function lspDiagnostics(root: string, files: string[]): Promise<Map<string, unknown[]>> {
  const child = spawn(process.execPath, [CLI, "lsp", "--stdio"], { cwd: root, stdio: ["pipe", "pipe", "inherit"] });
  const conn = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const published = new Map<string, PublishDiagnosticsParams>();
  conn.onNotification(PublishDiagnosticsNotification.type, (p) => void published.set(p.uri, p));
  conn.listen();
  try {
    await conn.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: pathToFileURL(root).href, workspaceFolders: null, capabilities: {} });
    await conn.sendNotification(InitializedNotification.type, {});
    const uri = (file: string) => pathToFileURL(join(root, file)).href;
    for (const file of files) {
      const text = readFileSync(join(root, file), "utf8");
      await conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: uri(file), languageId: "markdown", version: 1, text } });
    }
    await expect.poll(() => files.every((file) => published.has(uri(file))), { timeout: 60_000 }).toBe(true);
    return new Map(files.map((file) => [file, published.get(uri(file))!.diagnostics.map((d) => ({ code: d.code, severity: d.severity, message: d.message, range: d.range }))]));
  } finally {
    await conn.sendRequest(ShutdownRequest.type);
    await conn.sendNotification(ExitNotification.type);
    conn.dispose();
    await new Promise((r) => (child.exitCode !== null ? r(null) : child.once("exit", r)));
  }
}

async function checkRules(root: string): Promise<JsonFinding[]> {
  const client = new Client({ name: "same-truth", version: "0.0.0" });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [CLI, "mcp"], cwd: root, stderr: "pipe" }));
  try {
    const result = await client.callTool({ name: "check_rules", arguments: {} });
    return (result.structuredContent as { findings: JsonFinding[] }).findings;
  } finally {
    await client.close();
  }
}

describe("same truth: LSP diagnostics and MCP check_rules equal the CLI's JSON", () => {
  for (const scenario of SCENARIOS) {
    it(scenario, async () => {
      const root: string = await buildFixtureRepo(join(REPO_ROOT, "fixtures/checks", scenario));
      try {
        const cli = lintJson(root).report.findings;
        expect(cli.length).toBeGreaterThan(0);
        const files = await harnessFiles(root);
        expect(files).toEqual(expect.arrayContaining([...new Set(cli.map((f) => f.file))]));
        const lsp = await lspDiagnostics(root, files);
        for (const file of files) expect({ file, diagnostics: lsp.get(file) }).toEqual({ file, diagnostics: cli.filter((f) => f.file === file).map(asDiagnostic) });
        expect(await checkRules(root)).toEqual(cli);
      } finally {
        removeRepo(root);
      }
    }, 180_000);
  }
});
