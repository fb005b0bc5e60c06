// The environment and the command line: a read-only tree, configuration that is not a file,
// options pointing nowhere, and repositories that try to get code run (hook commands, JavaScript
// configuration, cosmiconfig's meta-config). Nothing in a repository is ever executed: each
// "never runs" case plants a command that would create a marker file and checks it is not there.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, expect } from "vitest";
import { cleanup, defineCases, git, repo, tempDir, writeFiles, HEALTHY, type Case } from "./support.js";

afterAll(cleanup);

const IS_ROOT = process.getuid?.() === 0;
const NOBODY = 65534;

/**
 * Makes the whole tree read-only. As root, permissions do not stop writes, so the tree is handed
 * to `nobody` and the CLI runs as `nobody` (see `asReader`).
 */
function readOnly(dir: string): string {
  if (IS_ROOT) {
    const owned = spawnSync("chown", ["-R", `${NOBODY}:${NOBODY}`, dir]);
    if (owned.status !== 0) throw new Error(`chown failed: ${owned.stderr}`);
  }
  spawnSync("chmod", ["-R", "a-w", dir]);
  return dir;
}
const asReader = IS_ROOT ? { uid: NOBODY } : {};
/** `nobody` has no home; git and the cache must cope. */
const readerEnv = IS_ROOT ? { env: { HOME: "/nonexistent" } } : {};

/** A temp folder standing in for a shared /tmp (set by the case that uses it). */
let planted = "";

/** The marker a planted command would create: its absence proves nothing ran. */
let marker = "";
function plant(): string {
  marker = join(tempDir("hl-marker-"), "PWNED");
  return marker;
}
const nothingRan = (): void => expect(existsSync(marker), `${marker} exists: repository code was executed`).toBe(false);

const cases: Case[] = [
  // --- read-only tree ------------------------------------------------------------------------------
  {
    name: "read-only tree: lint works and writes nothing (not even a cache)",
    setup: () => readOnly(repo()),
    ...asReader,
    ...readerEnv,
    expect: { kind: "findings" },
  },
  {
    name: "read-only tree: --drift works and writes nothing",
    setup: () => readOnly(repo()),
    args: ["--drift"],
    ...asReader,
    ...readerEnv,
    expect: { kind: "findings" },
  },
  {
    name: "read-only tree: --staged works and writes nothing",
    setup: () => {
      // --staged reports what the commit changes: stage an edit of the healthy file first.
      const dir = repo();
      writeFiles(dir, { "AGENTS.md": `${HEALTHY["AGENTS.md"]}\nMore.\n` });
      git(dir, ["add", "AGENTS.md"]);
      return readOnly(dir);
    },
    args: ["--staged"],
    ...asReader,
    ...readerEnv,
    expect: { kind: "findings" },
  },
  {
    name: "read-only tree: --write-baseline into it fails with exit 2, one line naming the file",
    setup: () => readOnly(repo()),
    args: ["--write-baseline", "baseline.json"],
    ...asReader,
    ...readerEnv,
    expect: { kind: "exit2", stderr: /baseline\.json/ },
  },
  {
    name: "read-only tree: --output-file into it fails with exit 2, one line naming the file",
    setup: () => readOnly(repo()),
    args: ["--output-file", "report.json"],
    ...asReader,
    ...readerEnv,
    expect: { kind: "exit2", stderr: /report\.json/ },
  },
  {
    name: "read-only tree: init fails with exit 2, one line naming what it could not write",
    setup: () => readOnly(repo()),
    args: ["init"],
    ...asReader,
    ...readerEnv,
    expect: { kind: "exit2", stderr: /\.harnessrc\.yml|TEMPLATE\.md/ },
  },
  {
    name: "an unreadable harness file (mode 000) does not stop the run",
    setup: () => {
      const dir = readOnly(repo({ "CLAUDE.md": "## A\n<!-- scope: src/** -->\nUse `GoneUnreadable`.\n" }));
      spawnSync("chmod", ["000", join(dir, "CLAUDE.md")]);
      return dir;
    },
    ...asReader,
    ...readerEnv,
    expect: { kind: "findings" },
  },

  // --- configuration and options ---------------------------------------------------------------------
  {
    name: "a config file that is a directory (.harnessrc.yml/): exit 2, one line naming it",
    setup: () => {
      const dir = repo();
      mkdirSync(join(dir, ".harnessrc.yml"));
      return dir;
    },
    expect: { kind: "exit2", stderr: /\.harnessrc\.yml.*director/ },
  },
  {
    name: "--config pointing at a directory: exit 2, one line naming it",
    setup: () => repo(),
    args: ["--config", "src"],
    expect: { kind: "exit2", stderr: /src.*director/ },
  },
  {
    name: "--config pointing at a missing file: exit 2, one line naming it",
    setup: () => repo(),
    args: ["--config", "no/such/harnessrc.yml"],
    expect: { kind: "exit2", stderr: /no\/such\/harnessrc\.yml.*not found/ },
  },
  {
    name: "--config pointing at a device (/dev/zero) is refused, not read",
    setup: () => repo(),
    args: ["--config", "/dev/zero"],
    expect: { kind: "exit2", stderr: /\/dev\/zero/ },
  },
  {
    name: "--config pointing at a .js file is refused, never executed",
    setup: () => {
      plant();
      return repo({ "harness.config.js": `require("fs").writeFileSync(${JSON.stringify(marker)}, "x");\nmodule.exports = {};\n` });
    },
    args: ["--config", "harness.config.js"],
    expect: { kind: "exit2", stderr: /harness\.config\.js.*JavaScript/ },
    check: nothingRan,
  },
  {
    name: "a config YAML alias bomb: exit 2, one line naming the file",
    setup: () => {
      const lines = ['a0: &a0 ["x"]'];
      for (let i = 1; i < 15; i++) lines.push(`a${i}: &a${i} [${Array.from({ length: 9 }, () => `*a${i - 1}`).join(", ")}]`);
      return repo({ ".harnessrc.yml": `${lines.join("\n")}\n` });
    },
    expect: { kind: "exit2", stderr: /\.harnessrc\.yml/ },
  },
  {
    name: "a 2 MB config file: exit 2, one line naming the file",
    setup: () => repo({ ".harnessrc.yml": `# ${"x".repeat(2 * 1024 * 1024)}\n` }),
    expect: { kind: "exit2", stderr: /\.harnessrc\.yml/ },
  },
  {
    name: "a config that is binary: exit 2, one line naming the file",
    setup: () => repo({ ".harnessrc.json": Buffer.from([0x7b, 0x00, 0xff, 0xfe, 0x7d]) }),
    expect: { kind: "exit2", stderr: /\.harnessrc\.json/ },
  },
  {
    name: "a package.json that is not JSON, with no .harnessrc: exit 2 naming package.json (or defaults), never a crash",
    setup: () => repo({ "package.json": "{ this is not json" }),
    expect: { kind: "settled" },
  },
  {
    name: "--cwd at a missing directory: exit 2, one line naming it",
    setup: () => repo(),
    args: ["--cwd", "no/such/dir"],
    expect: { kind: "exit2", stderr: /no\/such\/dir/ },
  },
  {
    name: "--cwd at a missing directory inside a repository: exit 2, one line naming it",
    setup: () => repo(),
    args: ["--cwd", "src/missing"],
    expect: { kind: "exit2", stderr: /src\/missing/ },
  },
  {
    name: "--cwd at a file: exit 2, one line naming it",
    setup: () => repo(),
    args: ["--cwd", "src/a.ts"],
    expect: { kind: "exit2", stderr: /src\/a\.ts/ },
  },
  {
    name: "init --cwd at a missing directory: exit 2, one line, nothing created",
    setup: () => repo(),
    args: ["init", "--cwd", "no/such/dir"],
    expect: { kind: "exit2", stderr: /no\/such\/dir/ },
  },
  {
    name: "--output-file into a missing directory: exit 2, one line naming it",
    setup: () => repo(),
    args: ["--output-file", "no/such/dir/out.json"],
    expect: { kind: "exit2", stderr: /no\/such\/dir\/out\.json/ },
  },
  {
    name: "--output-file naming a directory: exit 2, one line naming it",
    setup: () => repo(),
    args: ["--output-file", "src"],
    expect: { kind: "exit2", stderr: /src/ },
  },
  {
    name: "--baseline at a missing file: exit 2, one line naming it",
    setup: () => repo(),
    args: ["--baseline", "missing-baseline.json"],
    expect: { kind: "exit2", stderr: /missing-baseline\.json/ },
  },
  {
    name: "--baseline at a corrupt file: exit 2, one line naming it",
    setup: () => repo({ "baseline.json": '{"version": 1, "entries": [{"check": 5}' }),
    args: ["--baseline", "baseline.json"],
    expect: { kind: "exit2", stderr: /baseline\.json/ },
  },
  {
    name: "--baseline of another version: exit 2, one line naming it",
    setup: () => repo({ "baseline.json": '{"version": 99, "entries": []}' }),
    args: ["--baseline", "baseline.json"],
    expect: { kind: "exit2", stderr: /baseline\.json/ },
  },
  {
    name: "TMPDIR at a missing folder outside git (where the cache would go): still lints",
    setup: () => {
      const dir = tempDir();
      writeFiles(dir, HEALTHY);
      return dir;
    },
    env: { TMPDIR: "/nonexistent/tmp" },
    expect: { kind: "findings" },
  },
  {
    name: "HOME unset and XDG dirs bogus: still lints",
    setup: () => repo(),
    env: { HOME: undefined, XDG_CONFIG_HOME: "/nonexistent", XDG_CACHE_HOME: "/nonexistent" },
    expect: { kind: "findings" },
  },
  {
    name: "a corrupt cache under .git is ignored and rebuilt",
    setup: () => {
      const dir = repo();
      mkdirSync(join(dir, ".git", "harness-lint"), { recursive: true });
      for (const name of ["cache-v1.json", "cache-v2.json", "parse-v1.json", "items-v1.json"]) writeFileSync(join(dir, ".git", "harness-lint", name), '{"format": 1, "names": [1, {}], "entries": nul');
      return dir;
    },
    expect: { kind: "findings" },
  },
  {
    name: "a cache folder that is a file is ignored",
    setup: () => {
      const dir = repo();
      writeFileSync(join(dir, ".git", "harness-lint"), "not a folder");
      return dir;
    },
    expect: { kind: "findings" },
  },

  ...(IS_ROOT
    ? [
        {
          name: "outside git, a cache folder pre-created by another user in the temp directory is not used",
          setup: () => {
            const dir = tempDir();
            writeFiles(dir, HEALTHY);
            planted = tempDir("hl-tmp-");
            const shared = join(planted, `harness-lint-cache-${process.getuid!()}`);
            mkdirSync(shared, { mode: 0o777 });
            spawnSync("chmod", ["777", shared]);
            spawnSync("chown", [String(NOBODY), shared]);
            return dir;
          },
          env: () => ({ TMPDIR: planted }),
          expect: { kind: "findings" },
          check: () => {
            const ours = spawnSync("find", [planted, "-mindepth", "2", "-user", "0"], { encoding: "utf8" }).stdout.trim();
            expect(ours, "files written into a folder another user controls").toBe("");
          },
        } satisfies Case,
      ]
    : []),

  // --- nothing in the repository runs -------------------------------------------------------------------
  {
    name: "hook commands (Claude Code, husky, .githooks, lefthook, pre-commit) are read, never run",
    setup: () => {
      const touch = `node -e "require('fs').writeFileSync('${plant()}','x')"`;
      return repo({
        ".claude/settings.json": JSON.stringify({
          hooks: { PreToolUse: [{ matcher: "Bash", hooks: [{ type: "command", command: touch }] }], SessionStart: [{ hooks: [{ type: "command", command: `touch ${marker}` }] }] },
        }),
        ".husky/pre-commit": `#!/bin/sh\n${touch}\ntouch ${marker}\n`,
        ".githooks/pre-push": `#!/bin/sh\ntouch ${marker}\n`,
        "lefthook.yml": `pre-commit:\n  commands:\n    pwn:\n      run: touch ${marker}\n`,
        ".pre-commit-config.yaml": `repos:\n  - repo: local\n    hooks:\n      - id: pwn\n        name: pwn\n        entry: touch ${marker}\n        language: system\n`,
        "package.json": JSON.stringify({ name: "x", scripts: { prepare: `touch ${marker}`, lint: `touch ${marker}` }, "harness-lint": { checks: {} } }),
      });
    },
    expect: { kind: "findings" },
    check: nothingRan,
  },
  {
    name: "JavaScript configuration next to the data config is never loaded",
    setup: () => {
      const write = `require("fs").writeFileSync(${JSON.stringify(plant())}, "x");`;
      return repo({
        ".harnessrc.js": `${write}\nmodule.exports = {};\n`,
        ".harnessrc.cjs": `${write}\nmodule.exports = {};\n`,
        ".harnessrc.mjs": `import fs from "node:fs"; fs.writeFileSync(${JSON.stringify(marker)}, "x");\nexport default {};\n`,
        ".harnessrc.ts": `${write}\nexport default {};\n`,
        "harness-lint.config.js": `${write}\nmodule.exports = {};\n`,
        ".harnessrc.yml": "checks:\n  uncited-rule: warn\n",
      });
    },
    expect: { kind: "findings" },
    check: nothingRan,
  },
  {
    name: 'cosmiconfig\'s meta-config (.config/config.js, package.json "cosmiconfig") is never loaded',
    setup: () => {
      const write = `require("fs").writeFileSync(${JSON.stringify(plant())}, "x");`;
      return repo({
        ".config/config.js": `${write}\nmodule.exports = { cosmiconfig: { searchPlaces: ["evil.js"] } };\n`,
        ".config/config.cjs": `${write}\nmodule.exports = {};\n`,
        ".config/harnessrc.js": `${write}\nmodule.exports = {};\n`,
        ".config/config.yml": "cosmiconfig:\n  searchPlaces: [evil.js]\n  loaders:\n    .js: evil.js\n",
        "evil.js": `${write}\nmodule.exports = {};\n`,
        "package.json": JSON.stringify({ name: "x", cosmiconfig: { searchPlaces: ["evil.js"] } }),
      });
    },
    expect: { kind: "findings" },
    check: nothingRan,
  },
  {
    name: "YAML tags that would construct code (!!js/function, !!python/object) stay inert",
    setup: () => {
      plant();
      return repo({
        ".harnessrc.yml": `checks: !!js/function "function(){ require('fs').writeFileSync('${marker}','x') }"\n`,
      });
    },
    expect: { kind: "settled" },
    check: nothingRan,
  },
  {
    name: "refs and paths that look like git options (-…, --output=…) never reach git as options",
    setup: () => {
      plant();
      return repo({
        "CLAUDE.md": `## Options\n<!-- scope: src/** -->\nSee \`--output=${marker}\`, \`-c/core.pager=touch ${marker}\`, \`--exec=touch/x.ts\` and \`-o/${marker}.ts\`.\n`,
        "docs/postmortems/opt.md": `---\ndate: 2026-01-01\ncommits: ["--output=${marker}", "-p"]\nchanges: ["--upload-pack=touch ${marker}"]\n---\n# PM\n`,
        ".harnessrc.yml": 'provenance:\n  since: "HEAD"\n',
      });
    },
    args: ["--drift"],
    expect: { kind: "findings" },
    check: nothingRan,
  },
];

defineCases("environment and options", cases);
