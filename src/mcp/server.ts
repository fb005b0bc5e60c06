// `harness-lint mcp`: a Model Context Protocol server over stdio, so an agent can ask whether a
// rule still holds before it trusts it. Read-only: it writes nothing in the work tree (its caches
// live in the git directory, as the CLI's do) and runs no repository code. Each call first looks
// for files changed on disk, so an agent that edits the repository mid-task gets answers about
// what is there now.
import { isAbsolute, relative, resolve, sep } from "node:path";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { z } from "zod";
import type { Project } from "../index.js";
import { TOOL_VERSION } from "../shared/meta.js";

const readOnly = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };

const finding = z.object({
  check: z.string(),
  severity: z.enum(["error", "warn"]),
  file: z.string(),
  line: z.number(),
  column: z.number(),
  endLine: z.number(),
  endColumn: z.number(),
  message: z.string(),
  item: z.string().optional(),
  mention: z.string().optional(),
  suggestion: z
    .object({ replacement: z.string().optional(), commit: z.string().optional(), date: z.string().optional(), subject: z.string().optional(), candidates: z.array(z.string()).optional() })
    .optional(),
  commit: z.string().optional(),
});
const scope = z.union([z.array(z.string()), z.literal("global"), z.null()]);

/** JSON both as text (for any client) and as structuredContent (checked against the outputSchema). */
const result = <T extends Record<string, unknown>>(value: T) => ({ content: [{ type: "text" as const, text: JSON.stringify(value, null, 2) }], structuredContent: value });

export function createMcpServer(project: Project): McpServer {
  const server = new McpServer({ name: "harness-lint", version: TOOL_VERSION });
  /** Repo-relative `/` path; anything outside the root is refused. */
  const inRoot = (path: string) => {
    const inside = relative(project.root, resolve(project.root, path));
    if (inside.startsWith("..") || isAbsolute(inside)) throw new Error(`${path} is outside the repository`);
    return inside.split(sep).join("/");
  };

  server.registerTool(
    "check_rules",
    {
      title: "Check rules",
      description:
        "Lint harness files (CLAUDE.md, AGENTS.md, Cursor/Copilot rules, post-mortems, hooks) against the code as it is now: " +
        "stale names and paths, unscoped rules, dead scopes, dangling citations. Give `files` (repo-relative) for some files, " +
        "or nothing for the whole harness. Same findings as `harness-lint --format json`.",
      inputSchema: { files: z.array(z.string()).optional().describe("repo-relative harness files; omit for the whole harness") },
      outputSchema: { root: z.string(), findings: z.array(finding), notHarness: z.array(z.string()).optional() },
      annotations: readOnly,
    },
    async ({ files }) => {
      const wanted = files?.map(inRoot);
      await project.refresh();
      if (wanted === undefined || wanted.length === 0) return result({ root: project.root, findings: await project.lint() });
      const notHarness = wanted.filter((file) => !project.isHarnessFile(file));
      const findings = (await Promise.all([...new Set(wanted)].map((file) => project.lintFile(file)))).flat();
      return result({ root: project.root, findings, ...(notHarness.length > 0 ? { notHarness } : {}) });
    },
  );

  server.registerTool(
    "explain_name",
    {
      title: "Explain a name",
      description: "Is this code name (or path) real in this repository? Where it is declared; or, if it is gone, what it was renamed to " + "(or that it was removed), in which commit and when.",
      inputSchema: { name: z.string().min(1).describe("a symbol such as `UserImporter` or `Cache.get`, or a repo-relative path") },
      outputSchema: {
        name: z.string(),
        kind: z.enum(["symbol", "path"]),
        exists: z.boolean(),
        declared: z.array(z.object({ file: z.string(), line: z.number() })),
        history: z
          .object({
            status: z.enum(["renamed", "removed", "ambiguous"]),
            replacement: z.string().optional(),
            candidates: z.array(z.string()).optional(),
            commit: z.string(),
            date: z.string(),
            subject: z.string(),
          })
          .optional(),
      },
      annotations: readOnly,
    },
    async ({ name }) => {
      await project.refresh();
      return result({ ...(await project.explainName(name)) });
    },
  );

  server.registerTool(
    "rules_for_path",
    {
      title: "Rules for a path",
      description:
        "Which harness rules apply to a code file (what an agent working on it is working from): each rule's ref, where it " +
        'is written, its scope (globs from the root, "global", or null when it says none and so applies everywhere) and the ' +
        "post-mortems that cite it.",
      inputSchema: { path: z.string().min(1).describe("repo-relative code path") },
      outputSchema: {
        path: z.string(),
        rules: z.array(z.object({ ref: z.string(), title: z.string(), file: z.string(), line: z.number(), scope, citedBy: z.array(z.string()) })),
      },
      annotations: readOnly,
    },
    async ({ path }) => {
      const file = inRoot(path);
      await project.refresh();
      return result({ path: file, rules: project.itemsAt(file) });
    },
  );

  server.registerTool(
    "trace_rule",
    {
      title: "Trace a rule",
      description: "The commits that added, changed or removed a rule (by ref such as CLAUDE.md#imports, by id, or a whole file), oldest " + "first, and the post-mortems that justified each change.",
      inputSchema: { ref: z.string().min(1) },
      outputSchema: {
        ref: z.string(),
        changes: z.array(
          z.object({
            commit: z.string(),
            date: z.string(),
            subject: z.string(),
            change: z.enum(["added", "modified", "removed"]),
            ref: z.string(),
            postmortems: z.array(z.object({ ref: z.string(), via: z.enum(["trailer", "same-commit", "listed"]) })),
          }),
        ),
      },
      annotations: readOnly,
    },
    async ({ ref }) => result({ ref, changes: await project.trace(ref) }),
  );

  return server;
}

/** Opens the project around `cwd` and serves it until the client closes the connection. */
export async function startMcpServer(cwd: string, transport: Transport = new StdioServerTransport()): Promise<void> {
  const { openProject } = await import("../index.js");
  const project = await openProject(cwd);
  await project.refresh();
  const server = createMcpServer(project);
  server.server.onclose = () => void project.close();
  await server.connect(transport);
}
