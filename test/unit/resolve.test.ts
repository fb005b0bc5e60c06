import { beforeAll, describe, expect, it } from "vitest";
import { createCodeIndex, extractFileNames } from "../../src/codebase/code-index.js";
import { buildCodebase } from "../../src/codebase/codebase.js";
import { judgePath, judgeSymbol, type ResolveContext, type SymbolContext } from "../../src/harness/resolve.js";
import type { Codebase, Mention } from "../../src/harness/types.js";

const FILES = [
  "CLAUDE.md",
  "web/CLAUDE.md",
  "package.json",
  "README.md",
  "src/cli.ts",
  "src/engine/run.ts",
  "src/util/index.ts",
  "src/util/strings.ts",
  "src/common/env.ts",
  "web/app/main.tsx",
  "web/app/components/Button.tsx",
  "docs/guide.md",
  "internal/sql/astutils/walk.go",
  "tools/app/walk.go",
  "vendor-kit", // a submodule: one gitlink entry in `git ls-files`
];

function codebase(files = FILES): Codebase {
  return buildCodebase("/repo", files, true, { include: ["**"], exclude: [], harnessFiles: new Set(["CLAUDE.md", "web/CLAUDE.md"]) });
}

function mention(value: string, overrides: Partial<Mention> = {}): Mention {
  const kind = /[*?[{]/.test(value) ? "glob" : "path";
  const span = { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } };
  return { kind, raw: value, value, span, source: "code", bases: [], ...overrides };
}

const context = (ignored: string[] = []): ResolveContext => ({
  codebase: codebase(),
  packages: new Set(["lodash", "@scope/name", "@scope/core-internal"]),
  ignored: new Set(ignored),
});

describe("judgePath", () => {
  const exists: Array<[string, string, Partial<Mention>?, string?]> = [
    ["root-relative file", "src/cli.ts"],
    ["leading slash means the root", "/src/cli.ts"],
    ["directory", "src/engine/"],
    ["relative to the rule file's folder", "app/main.tsx", {}, "web/CLAUDE.md"],
    ["bare file name anywhere", "Button.tsx"],
    ["bare folder anywhere", "components/"],
    ["./x from a code file's point of view", "./strings"],
    ["../x from a code file's point of view", "../common/env"],
    ["no extension: a code file", "src/engine/run"],
    ["no extension: an index file", "src/util"],
    [".js naming a .ts source", "src/util/strings.js"],
    ["under a heading or list folder", "components/Button.tsx", { bases: ["web/app"] }],
    ["first folder not at the root: some package's path", "astutils/walk.go"],
    ["a submodule folder", "vendor-kit/"],
    ["a matching glob", "src/**/*.ts"],
    ["a bare glob matches names anywhere", "*.tsx"],
    ["a package-relative glob", "astutils/*.go"],
    ["a link relative to its file", "../docs/guide.md", { source: "link" }, "web/CLAUDE.md"],
    ["a tree name under the tree's root folder", "engine/run.ts", { source: "fence", bases: ["src"] }],
  ];

  const skipped: Array<[string, string, Partial<Mention>?]> = [
    ["a route", "/ws"],
    ["a protocol method", "roots/list"],
    ["a system path", "/usr/local/bin"],
    ["a package subpath", "lodash/fp"],
    ["a scoped package's short subpath", "core-internal/public"],
    ["build output", "dist/index.js"],
    ["dependencies", "node_modules/lodash/index.js"],
    ["inside a submodule", "vendor-kit/skills/"],
    ["a slash command glob", "/opsx:*"],
    ["a slash path whose first folder names nothing here", "lib/old/"],
  ];

  const missing: Array<[string, string, Partial<Mention>?, string?]> = [
    ["a missing file with a slash", "src/engine/old-runner.ts"],
    ["a missing bare file", "legacy-config.yaml"],
    ["a missing directory", "src/old/"],
    ["a missing directory whose name exists as a file elsewhere only", "strings.ts/"],
    ["a glob matching nothing", "src/**/*.spec.ts"],
    ["a missing relative link", "./docs/gone.md", { source: "link" }],
    // A link is followed literally: no "anywhere" and no "some package" readings.
    ["a bare link target that exists only elsewhere", "guide.md", { source: "link" }],
    ["a tree name missing under its parent, though it exists elsewhere", "src/Button.tsx", { source: "fence" }],
    ["a missing name under a heading folder", "components/Toolbar.tsx", { bases: ["web/app"] }],
    // `app/` is beside web/CLAUDE.md, so `app/x` means web/app/x, not some other package's.
    ["a folder beside the rule file pins the path there", "app/walk.go", {}, "web/CLAUDE.md"],
  ];

  it.each(exists)("exists: %s (%s)", (_name, value, overrides = {}, file = "CLAUDE.md") => {
    expect(judgePath(mention(value, overrides), file, context()).status).toBe("exists");
  });

  it("says when a path exists only as written from some package's folder, so history may say it moved there", () => {
    expect(judgePath(mention("astutils/walk.go"), "CLAUDE.md", context())).toEqual({ status: "exists", fromPackage: true });
    expect(judgePath(mention("src/engine/"), "CLAUDE.md", context())).toEqual({ status: "exists" });
    expect(judgePath(mention("./strings"), "CLAUDE.md", context())).toEqual({ status: "exists" });
  });

  it.each(skipped)("skips: %s (%s)", (_name, value, overrides = {}) => {
    expect(judgePath(mention(value, overrides), "CLAUDE.md", context()).status).toBe("skip");
  });

  it.each(missing)("missing: %s (%s)", (_name, value, overrides = {}, file = "CLAUDE.md") => {
    expect(judgePath(mention(value, overrides), file, context()).status).toBe("missing");
  });

  it("lists the candidates it tried, so git can be asked which are ignored", () => {
    expect(judgePath(mention("config/local.json"), "web/CLAUDE.md", context())).toEqual({ status: "missing", tried: ["config/local.json", "web/config/local.json"] });
    expect(judgePath(mention("secrets/"), "CLAUDE.md", context())).toEqual({ status: "missing", tried: ["secrets/"] });
  });

  it("skips a path, folder or glob that git ignores", () => {
    expect(judgePath(mention("config/local.json"), "CLAUDE.md", context(["config/local.json"])).status).toBe("skip");
    expect(judgePath(mention("secrets/"), "CLAUDE.md", context(["secrets/"])).status).toBe("skip");
    expect(judgePath(mention("logs/*.log"), "CLAUDE.md", context(["logs/*.log"])).status).toBe("skip");
  });
});

describe("judgeSymbol", () => {
  let symbols: SymbolContext;
  beforeAll(async () => {
    const sources: Record<string, string> = {
      "src/importer.ts": "export class AccountImporter { importRows(): void {} }\n",
      "src/store.ts": [
        'import { EventEmitter } from "node:events";',
        "export class BaseRepo { findById(): void {} }",
        "export class OrderStore extends BaseRepo { save(): void {} }",
        "export class Widget extends EventEmitter {}",
        "export enum Status { Active }",
        "export class Task { run(): void {} }",
        "export const MAX_RETRIES = 3;",
      ].join("\n"),
      "src/notes.ts": '// LegacyMailer is gone\nexport const label = "OldFormatter";\n',
      "src/ui.tsx": 'import { useState } from "react";\nimport { z } from "zod";\nexport const s = z.object({});\nuseState();\n',
      "src/express.d.ts": "declare global { namespace Express { interface Request { user?: string } } }\nexport {};\n",
      "scripts/report.py": "def compute_totals(rows):\n    return rows\n",
      "docker-compose.yml": "services:\n  redis:\n    image: redis\n",
      ".env.example": "STRIPE_SECRET_KEY=\n",
    };
    const parts = await Promise.all(Object.entries(sources).map(([path, text]) => extractFileNames(path, text)));
    symbols = {
      index: createCodeIndex(parts),
      packages: new Set(["react", "zod", "@playwright/test"]),
      codebase: codebase(Object.keys(sources)),
      ignore: (name) => name.startsWith("Vendored"),
    };
  });

  const exists = [
    "AccountImporter",
    "AccountImporter.importRows",
    "AccountImporter#importRows",
    "AccountImporter::importRows",
    "OrderStore.findById", // inherited
    "Widget.emit", // from an external base class
    "Status.Active",
    "MAX_RETRIES",
    "useState",
    "z.object",
    "compute_totals",
    "STRIPE_SECRET_KEY",
    "React",
    "React.FC",
    "Playwright", // dependencies, in any case
    "Redis", // a product the repo names in lower case
    "OldFormatter", // a string whose whole text is the name is a use of it (SPEC 5)
    "Request.body", // a platform interface the repo only augments
    "console.log",
    "Promise.all",
    "self",
    "camelCase",
    "SCREAMING_SNAKE_CASE",
    "PreToolUse",
    "fs.readFileSync",
    "node_modules",
  ];
  const missing: Array<[string, string]> = [
    ["UserImporter", "UserImporter"],
    ["LegacyMailer", "LegacyMailer"], // only in a comment
    ["AccountImporter.loadRows", "AccountImporter.loadRows"],
    ["OrderStore.purge", "OrderStore.purge"],
    ["Status.Archived", "Status.Archived"],
    ["Task.cancel", "Task.cancel"], // a repo class named like a platform tool is still checked
    ["sync_inventory", "sync_inventory"],
    ["MAX_RETRY_COUNT", "MAX_RETRY_COUNT"],
    ["ShopBootstrap.start", "ShopBootstrap"],
  ];

  it.each(exists)("exists: %s", (name) => {
    expect(judgeSymbol(name, symbols).status).toBe("exists");
  });

  it.each(missing)("missing: %s (reports %s)", (name, reported) => {
    const verdict = judgeSymbol(name, symbols);
    expect(verdict.status).toBe("missing");
    expect(verdict.missing).toBe(reported);
  });

  it("skips names in symbols.ignore, and members of ignored names", () => {
    expect(judgeSymbol("VendoredParser", symbols).status).toBe("skip");
    expect(judgeSymbol("VendoredParser.parse", symbols).status).toBe("skip");
  });
});
