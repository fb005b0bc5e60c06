// The language server over its stdio, driven request by request by a plain JSON-RPC client
// (vscode-languageserver-protocol), as any editor would.
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import {
  CodeActionRequest,
  CompletionRequest,
  createProtocolConnection,
  DefinitionRequest,
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  FileChangeType,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ReferencesRequest,
  RegistrationRequest,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type CodeAction,
  type CompletionItem,
  type Diagnostic,
  type Hover,
  type Location,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from "vscode-languageserver-protocol/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lintJson } from "../helpers/cli.js";
import { CLAUDE_MD, CLI, makeRepo, PM, type Repo } from "./fixture.js";

let repo: Repo;
let child: ChildProcess;
let conn: ProtocolConnection;
const published: PublishDiagnosticsParams[] = [];
const registrations: unknown[] = [];
const uri = (file: string) => pathToFileURL(join(repo.root, file)).href;

/** The first diagnostics published for `file` (at `version` or later) that satisfy `pred`. */
function diagnostics(file: string, pred: (d: Diagnostic[]) => boolean = () => true, version = 0): Promise<Diagnostic[]> {
  return new Promise((done) => {
    const timer = setInterval(() => {
      const hit = published.find((p) => p.uri === uri(file) && (p.version ?? 0) >= version && pred(p.diagnostics));
      if (hit) {
        clearInterval(timer);
        done(hit.diagnostics);
      }
    }, 20);
  });
}

/** 0-based position of `needle` (plus `offset` characters) in `text`. */
const pos = (text: string, needle: string, offset = 1) => {
  const before = text.slice(0, text.indexOf(needle) + offset).split("\n");
  return { line: before.length - 1, character: before.at(-1)!.length };
};
const open = (file: string, text: string, languageId = "markdown") => conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: uri(file), languageId, version: 1, text } });
const asDiagnostic = (f: { check: string; severity: string; message: string; line: number; column: number; endLine: number; endColumn: number }) => ({
  code: f.check,
  severity: f.severity === "error" ? 1 : 2,
  message: f.message,
  range: { start: { line: f.line - 1, character: f.column - 1 }, end: { line: f.endLine - 1, character: f.endColumn - 1 } },
});
/** CLAUDE.md as committed (the fixture's text with the last commit's edit). */
const disk = () => readFileSync(join(repo.root, "CLAUDE.md"), "utf8");
const shown = (d: Diagnostic) => ({ code: d.code, severity: d.severity, message: d.message, range: d.range });

beforeAll(async () => {
  repo = makeRepo();
  child = spawn(process.execPath, [CLI, "lsp", "--stdio"], { cwd: repo.root, stdio: ["pipe", "pipe", "inherit"] });
  conn = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  conn.onNotification(PublishDiagnosticsNotification.type, (p) => void published.push(p));
  conn.onRequest(RegistrationRequest.type, (p) => {
    registrations.push(...p.registrations);
    return null;
  });
  conn.listen();
  const init = await conn.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: pathToFileURL(repo.root).href,
    workspaceFolders: null,
    capabilities: { workspace: { didChangeWatchedFiles: { dynamicRegistration: true } }, textDocument: { publishDiagnostics: { versionSupport: true } } },
  });
  expect(init.capabilities).toMatchObject({ hoverProvider: true, definitionProvider: true, referencesProvider: true, codeActionProvider: expect.anything(), completionProvider: expect.anything() });
  await conn.sendNotification(InitializedNotification.type, {});
}, 60_000);

afterAll(async () => {
  if (conn) {
    await conn.sendRequest(ShutdownRequest.type);
    await conn.sendNotification(ExitNotification.type);
    conn.dispose();
  }
  if (child) await new Promise((r) => (child.exitCode !== null ? r(null) : child.once("exit", r)));
  repo?.cleanup();
});

describe("harness-lint lsp (JSON-RPC over stdio)", () => {
  it("registers a watcher for files changed on disk", async () => {
    await expect.poll(() => registrations.length).toBeGreaterThan(0);
    expect(registrations[0]).toMatchObject({ method: "workspace/didChangeWatchedFiles" });
  });

  it("publishes the CLI's findings on open: same ids, severities, messages, positions", async () => {
    const onDisk = readFileSync(join(repo.root, "CLAUDE.md"), "utf8");
    await open("CLAUDE.md", onDisk);
    const cli = lintJson(repo.root).report.findings;
    expect((await diagnostics("CLAUDE.md")).map(shown)).toEqual(cli.filter((f) => f.file === "CLAUDE.md").map(asDiagnostic));
    await open("docs/postmortems/PM-0001.md", PM);
    expect((await diagnostics("docs/postmortems/PM-0001.md")).map(shown)).toEqual(cli.filter((f) => f.file === "docs/postmortems/PM-0001.md").map(asDiagnostic));
  });

  it("lints unsaved text after edits (debounced: the latest version wins)", async () => {
    for (const [version, word] of [
      [2, "Us"],
      [3, "UserImp"],
      [4, "UserImporter"],
    ] as const) {
      await conn.sendNotification(DidChangeTextDocumentNotification.type, {
        textDocument: { uri: uri("CLAUDE.md"), version },
        contentChanges: [{ range: { start: { line: 9, character: 0 }, end: { line: 9, character: 100 } }, text: `Call \`${word}\`.` }],
      });
    }
    const diags = await diagnostics("CLAUDE.md", () => true, 4);
    // A stale name typed again is stale there too (history knows it); a name never here is quiet.
    expect(diags.filter((d) => d.code === "stale-symbol").map((d) => [d.range.start.line, d.message])).toEqual([
      [3, expect.stringMatching(/^`UserImporter` no longer exists in the codebase: it was in `src\/importer\.ts` at [0-9a-f]{7}/)],
      [9, expect.stringMatching(/^`UserImporter` no longer exists in the codebase: it was in `src\/importer\.ts` at [0-9a-f]{7}/)],
    ]);
  });

  it("lints again when a watched code file changes on disk", async () => {
    repo.write("src/ghost.ts", "export class UserImporter {}\n");
    const before = published.length;
    await conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: uri("src/ghost.ts"), type: FileChangeType.Created }] });
    await expect.poll(() => published.slice(before).some((p) => p.uri === uri("CLAUDE.md")), { timeout: 30_000 }).toBe(true);
    const last = published.filter((p) => p.uri === uri("CLAUDE.md")).at(-1)!;
    expect(last.diagnostics.map((d) => d.code)).not.toContain("stale-symbol");
    unlinkSync(join(repo.root, "src/ghost.ts"));
    const gone = published.length;
    await conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: uri("src/ghost.ts"), type: FileChangeType.Deleted }] });
    await expect.poll(() => published.slice(gone).some((p) => p.uri === uri("CLAUDE.md") && p.diagnostics.filter((d) => d.code === "stale-symbol").length === 2), { timeout: 30_000 }).toBe(true);
  });

  it("hover on a mention: the rename from history, or where the name is declared", async () => {
    const renamed = (await conn.sendRequest(HoverRequest.type, { textDocument: { uri: uri("CLAUDE.md") }, position: pos(disk(), "UserImporter", 3) })) as Hover;
    expect((renamed.contents as { value: string }).value).toMatch(/^`UserImporter` was renamed to `AccountImporter` in [0-9a-f]{7}, 2026-11-20 \(refactor: rename UserImporter to AccountImporter\)$/);
    const declared = (await conn.sendRequest(HoverRequest.type, { textDocument: { uri: uri("CLAUDE.md") }, position: pos(disk(), "parseCsv") })) as Hover;
    expect((declared.contents as { value: string }).value).toBe("`parseCsv` is declared at `src/importer.ts:3`");
  });

  it("hover on a rule heading: ref, scope, matching files, citing post-mortems", async () => {
    const money = (await conn.sendRequest(HoverRequest.type, { textDocument: { uri: uri("CLAUDE.md") }, position: pos(CLAUDE_MD, "## Money") })) as Hover;
    const text = (money.contents as { value: string }).value;
    expect(text).toContain("**CLAUDE.md#money**");
    expect(text).toContain("scope: `src/billing/**`");
    expect(text).toContain("matches: 1 file(s) — `src/billing/money.ts`");
    expect(text).toContain("cited by: no post-mortem");
    const imports = (await conn.sendRequest(HoverRequest.type, { textDocument: { uri: uri("CLAUDE.md") }, position: pos(CLAUDE_MD, "## Imports") })) as Hover;
    expect((imports.contents as { value: string }).value).toContain("cited by: docs/postmortems/PM-0001.md");
  });

  it("definition: from a mention to its declaration, and from a path to the file", async () => {
    const declaration = (await conn.sendRequest(DefinitionRequest.type, { textDocument: { uri: uri("CLAUDE.md") }, position: pos(disk(), "parseCsv") })) as Location[];
    expect(declaration).toEqual([{ uri: uri("src/importer.ts"), range: { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } } }]);
    const file = (await conn.sendRequest(DefinitionRequest.type, { textDocument: { uri: uri("CLAUDE.md") }, position: pos(disk(), "src/importer.ts") })) as Location[];
    expect(file.map((l) => l.uri)).toEqual([uri("src/importer.ts")]);
  });

  it("references: from a code declaration to the rules that name it", async () => {
    const code = readFileSync(join(repo.root, "src/importer.ts"), "utf8");
    await open("src/importer.ts", code, "typescript");
    const refs = (await conn.sendRequest(ReferencesRequest.type, {
      textDocument: { uri: uri("src/importer.ts") },
      position: pos(code, "parseCsv"),
      context: { includeDeclaration: false },
    })) as Location[];
    const start = pos(disk(), "`parseCsv`", 0);
    expect(refs).toEqual([{ uri: uri("CLAUDE.md"), range: { start, end: { line: start.line, character: start.character + "`parseCsv`".length } } }]);
  });

  it("code actions: apply the rename, suppress the line", async () => {
    const stale = (await diagnostics("CLAUDE.md", () => true, 4)).find((d) => d.code === "stale-symbol" && d.range.start.line === 3)!;
    const actions = (await conn.sendRequest(CodeActionRequest.type, { textDocument: { uri: uri("CLAUDE.md") }, range: stale.range, context: { diagnostics: [stale] } })) as CodeAction[];
    expect(actions.map((a) => a.title)).toEqual([expect.stringMatching(/^Replace `UserImporter` with `AccountImporter` \(renamed in [0-9a-f]{7}\)$/), "Disable stale-symbol for the next line"]);
    expect(actions[0]!.isPreferred).toBe(true);
    expect(actions[0]!.edit!.changes![uri("CLAUDE.md")]).toEqual([{ range: stale.range, newText: "`AccountImporter`" }]);
    expect(actions[1]!.edit!.changes![uri("CLAUDE.md")]).toEqual([
      {
        range: { start: { line: stale.range.start.line, character: 0 }, end: { line: stale.range.start.line, character: 0 } },
        newText: "<!-- harness-lint-disable-next-line stale-symbol -- reason -->\n",
      },
    ]);
  });

  it("code actions: an inline scope comment for an unscoped rule", async () => {
    const unscoped = (await diagnostics("CLAUDE.md", () => true, 4)).find((d) => d.code === "unscoped-rule")!;
    const actions = (await conn.sendRequest(CodeActionRequest.type, { textDocument: { uri: uri("CLAUDE.md") }, range: unscoped.range, context: { diagnostics: [unscoped] } })) as CodeAction[];
    const at = { line: unscoped.range.start.line + 1, character: 0 };
    expect(actions.slice(0, 2).map((a) => [a.title, a.edit!.changes![uri("CLAUDE.md")]])).toEqual([
      ["Add an inline scope comment (src/**)", [{ range: { start: at, end: at }, newText: "<!-- scope: src/** -->\n" }]],
      ["Add an inline scope comment: global", [{ range: { start: at, end: at }, newText: "<!-- scope: global -->\n" }]],
    ]);
  });

  it("code actions: add an uncited rule to a post-mortem's changes", async () => {
    const uncited = (await diagnostics("CLAUDE.md", () => true, 4)).find((d) => d.code === "uncited-rule")!;
    const actions = (await conn.sendRequest(CodeActionRequest.type, { textDocument: { uri: uri("CLAUDE.md") }, range: uncited.range, context: { diagnostics: [uncited] } })) as CodeAction[];
    const cite = actions.find((a) => a.title.startsWith("Add CLAUDE.md#money"))!;
    expect(cite.title).toBe("Add CLAUDE.md#money to the changes of docs/postmortems/PM-0001.md");
    expect(cite.edit!.changes![uri("docs/postmortems/PM-0001.md")]).toEqual([{ range: { start: { line: 5, character: 0 }, end: { line: 5, character: 0 } }, newText: "  - CLAUDE.md#money\n" }]);
  });

  it("completion: symbols and paths inside backticks", async () => {
    await conn.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri: uri("CLAUDE.md"), version: 5 },
      contentChanges: [{ range: { start: { line: 9, character: 0 }, end: { line: 9, character: 100 } }, text: "See `pars" }],
    });
    const names = (await conn.sendRequest(CompletionRequest.type, { textDocument: { uri: uri("CLAUDE.md") }, position: { line: 9, character: 9 } })) as CompletionItem[];
    expect(names.map((i) => i.label)).toEqual(["parseCsv"]);
    expect(names[0]!.textEdit).toEqual({ range: { start: { line: 9, character: 5 }, end: { line: 9, character: 9 } }, newText: "parseCsv" });
    await conn.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri: uri("CLAUDE.md"), version: 6 },
      contentChanges: [{ range: { start: { line: 9, character: 0 }, end: { line: 9, character: 100 } }, text: "See `src/bi" }],
    });
    const paths = (await conn.sendRequest(CompletionRequest.type, { textDocument: { uri: uri("CLAUDE.md") }, position: { line: 9, character: 11 } })) as CompletionItem[];
    expect(paths.map((i) => i.label)).toEqual(["src/billing/money.ts"]);
  });

  it("completion: refs in a post-mortem's changes list, nothing elsewhere in its frontmatter", async () => {
    const text = PM.replace("  - CLAUDE.md#nope\n", "  - CLAUDE.md#m\n");
    await conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: uri("docs/postmortems/PM-0001.md"), version: 2 }, contentChanges: [{ text }] });
    const refs = (await conn.sendRequest(CompletionRequest.type, {
      textDocument: { uri: uri("docs/postmortems/PM-0001.md") },
      position: pos(text, "CLAUDE.md#m", "CLAUDE.md#m".length),
    })) as CompletionItem[];
    expect(refs.map((i) => i.label)).toEqual(["CLAUDE.md#money"]);
    const none = (await conn.sendRequest(CompletionRequest.type, { textDocument: { uri: uri("docs/postmortems/PM-0001.md") }, position: pos(text, "date: ", 6) })) as CompletionItem[];
    expect(none).toEqual([]);
  });

  it("writes nothing to the work tree", () => {
    expect(repo.git("status", "--porcelain")).toBe("");
  });
});
