// The MCP server driven by the SDK's own client over stdio, tool by tool.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lintJson } from "../helpers/cli.js";
import { CLI, makeRepo, type Repo } from "./fixture.js";

type Json = Record<string, any>;
let repo: Repo;
let client: Client;

async function call(name: string, args: Json = {}): Promise<{ json: Json; isError: boolean; text: string }> {
  const r = await client.callTool({ name, arguments: args });
  const text = (r.content as Array<{ type: string; text: string }>)[0]!.text;
  if (!r.isError) expect(JSON.parse(text)).toEqual(r.structuredContent); // the same JSON both ways
  return { json: (r.structuredContent ?? {}) as Json, isError: r.isError === true, text };
}

beforeAll(async () => {
  repo = makeRepo();
  client = new Client({ name: "harness-lint-test", version: "0.0.0" });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [CLI, "mcp"], cwd: repo.root, stderr: "pipe" }));
}, 60_000);
afterAll(async () => {
  await client?.close();
  repo?.cleanup();
});

describe("harness-lint mcp (the SDK's client over stdio)", () => {
  it("lists four read-only tools with input and output schemas", async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(["check_rules", "explain_name", "rules_for_path", "trace_rule"]);
    for (const tool of tools) {
      expect(tool.annotations?.readOnlyHint).toBe(true);
      expect(tool.annotations?.destructiveHint).toBe(false);
      expect(tool.inputSchema.type).toBe("object");
      expect(tool.outputSchema?.type).toBe("object");
    }
    expect(tools.find((t) => t.name === "explain_name")!.inputSchema.required).toEqual(["name"]);
  });

  it("check_rules with no files equals the CLI's JSON findings", async () => {
    const { json } = await call("check_rules");
    expect(json.findings).toEqual(lintJson(repo.root).report.findings);
    expect([...new Set(json.findings.map((f: Json) => f.check))].sort()).toEqual(["dangling-citation", "postmortem-shape", "stale-symbol", "uncited-rule", "unscoped-rule"]);
  });

  it("check_rules for given files: only theirs, and says which are not harness files", async () => {
    const { json } = await call("check_rules", { files: ["CLAUDE.md", "src/importer.ts"] });
    expect(json.findings).toEqual(lintJson(repo.root).report.findings.filter((f) => f.file === "CLAUDE.md"));
    expect(json.findings.find((f: Json) => f.check === "stale-symbol")).toMatchObject({ file: "CLAUDE.md", line: 4, column: 5, endColumn: 19, mention: "UserImporter" });
    expect(json.notHarness).toEqual(["src/importer.ts"]);
  });

  it("check_rules sees files the agent changed on disk since the last call", async () => {
    repo.write("src/ghost.ts", "export function UserImporter() {}\n");
    try {
      const { json } = await call("check_rules", { files: ["CLAUDE.md"] });
      expect(json.findings.map((f: Json) => f.check)).not.toContain("stale-symbol");
    } finally {
      rmSync(join(repo.root, "src/ghost.ts"));
    }
    const { json } = await call("check_rules", { files: ["CLAUDE.md"] });
    expect(json.findings.map((f: Json) => f.check)).toContain("stale-symbol");
  });

  it("check_rules refuses paths outside the repository", async () => {
    const r = await call("check_rules", { files: ["../../etc/passwd"] });
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(/outside the repository/);
  });

  it("explain_name: declared, renamed (commit and date), unknown, a path", async () => {
    expect((await call("explain_name", { name: "parseCsv" })).json).toEqual({ name: "parseCsv", kind: "symbol", exists: true, declared: [{ file: "src/importer.ts", line: 3 }] });
    const renamed = (await call("explain_name", { name: "UserImporter" })).json;
    expect(renamed).toMatchObject({
      exists: false,
      declared: [],
      history: { status: "renamed", replacement: "AccountImporter", date: "2026-11-20", subject: "refactor: rename UserImporter to AccountImporter" },
    });
    expect(renamed.history.commit).toMatch(/^[0-9a-f]{40}$/);
    expect((await call("explain_name", { name: "NeverWas" })).json).toEqual({ name: "NeverWas", kind: "symbol", exists: false, declared: [] });
    expect((await call("explain_name", { name: "src/billing/money.ts" })).json).toMatchObject({ kind: "path", exists: true });
  });

  it("explain_name rejects an empty name through its schema", async () => {
    expect((await call("explain_name", { name: "" })).isError).toBe(true);
  });

  it("rules_for_path: scoped and unscoped rules with their citations", async () => {
    const { json } = await call("rules_for_path", { path: "src/billing/money.ts" });
    expect(json.rules).toEqual([
      { ref: "CLAUDE.md#imports", title: "Imports", file: "CLAUDE.md", line: 3, scope: null, citedBy: ["docs/postmortems/PM-0001.md"] },
      { ref: "CLAUDE.md#money", title: "Money", file: "CLAUDE.md", line: 7, scope: ["src/billing/**"], citedBy: [] },
    ]);
    expect((await call("rules_for_path", { path: "src/importer.ts" })).json.rules.map((r: Json) => r.ref)).toEqual(["CLAUDE.md#imports"]);
  });

  it("trace_rule: the commits behind a rule and their post-mortems", async () => {
    const { json } = await call("trace_rule", { ref: "CLAUDE.md#imports" });
    expect(json.changes.map((c: Json) => [c.subject, c.change, c.postmortems])).toEqual([
      ["feat: importer and rules", "added", []],
      ["docs: tighten the import rule", "modified", [{ ref: "docs/postmortems/PM-0001.md", via: "same-commit" }]],
    ]);
  });

  it("writes nothing to the work tree", () => {
    expect(repo.git("status", "--porcelain")).toBe("");
  });
});
