#!/usr/bin/env node
// `npm run bench`: how fast harness-lint is, each figure beside the floor it cannot beat, measured
// in the same run on the same machine. Generates a synthetic repository (or clones a real one
// with --repo), runs every measurement several times and prints the medians, their ratios and
// peak memory. Writes nothing into this repository unless given `--write docs/benchmarks.md`.
//
//   npm run bench                              5,000 TS files, 1,000 others, 2,000 commits
//   npm run bench -- --repo ../some-checkout   a real repository (cloned to a temp folder first)
//   npm run bench -- --files 50000 --only cold --runs 1   the scale test (peak RSS)
//   npm run bench -- --write docs/benchmarks.md
//
// Options: --files N (TS files), --other N (files in other languages), --mentions N,
// --postmortems N, --commits N, --rule-commits N, --runs N (default 5), --only a,b (cold, warm,
// staged, drift, trace, servers), --keep (leave the generated repository), --write FILE (replace the
// table between `<!-- bench:<section>:start -->` and `:end -->` markers), --section NAME
// (default "main").
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const CLI = join(PACKAGE_ROOT, "dist", "src", "cli.js");
const TIME = existsSync("/usr/bin/time") ? "/usr/bin/time" : null;
const GIT_ENV = {
  GIT_AUTHOR_NAME: "Bench",
  GIT_AUTHOR_EMAIL: "bench@example.com",
  GIT_COMMITTER_NAME: "Bench",
  GIT_COMMITTER_EMAIL: "bench@example.com",
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: "/dev/null",
};

// ---------------------------------------------------------------------------------------------
// Options

function parseOptions(argv) {
  const options = {
    files: 5000,
    other: 1000,
    mentions: 300,
    postmortems: 20,
    commits: 2000,
    ruleCommits: 200,
    runs: 5,
    repo: null,
    write: null,
    section: "main",
    keep: false,
    only: new Set(["cold", "warm", "staged", "drift", "trace", "servers"]),
  };
  const numeric = { "--files": "files", "--other": "other", "--mentions": "mentions", "--postmortems": "postmortems", "--commits": "commits", "--rule-commits": "ruleCommits", "--runs": "runs" };
  for (let index = 0; index < argv.length; index++) {
    const flag = argv[index];
    const value = () => {
      const next = argv[++index];
      if (next === undefined) fail(`${flag} needs a value`);
      return next;
    };
    if (flag in numeric) {
      const n = Number(value());
      if (!Number.isInteger(n) || n < 0) fail(`${flag} expects a whole number`);
      options[numeric[flag]] = n;
    } else if (flag === "--repo") options.repo = resolve(value());
    else if (flag === "--write") options.write = resolve(value());
    else if (flag === "--section") options.section = value().replace(/[^a-z0-9-]/gi, "");
    else if (flag === "--only") options.only = new Set(value().split(","));
    else if (flag === "--keep") options.keep = true;
    else fail(`unknown option ${flag} (see the comment at the top of test/bench/run.mjs)`);
  }
  if (options.runs < 1) fail("--runs must be at least 1");
  return options;
}

function fail(message) {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(2);
}

function git(cwd, args, input) {
  return execFileSync("git", args, { cwd, env: { ...process.env, ...GIT_ENV }, input, maxBuffer: 1 << 30, stdio: ["pipe", "pipe", "pipe"] }).toString();
}

// ---------------------------------------------------------------------------------------------
// A synthetic repository

/** A small deterministic generator, so every run builds the same repository. */
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const AREAS = ["billing", "import", "export", "auth", "search", "reports", "users", "orders", "money", "jobs"];
const PACKAGES = 25;

function tsPath(i) {
  return `packages/pkg${i % PACKAGES}/src/${AREAS[Math.floor(i / PACKAGES) % AREAS.length]}/module${i}.ts`;
}

function tsFile(i, names) {
  const j = (i * 7 + 3) % Math.max(1, names.count);
  const lines = [
    `import { ${names.cls(j)} } from "../../../pkg${j % PACKAGES}/src/${AREAS[Math.floor(j / PACKAGES) % AREAS.length]}/module${j}.js";`,
    `import type { Record${j} } from "../../../pkg${j % PACKAGES}/src/${AREAS[Math.floor(j / PACKAGES) % AREAS.length]}/module${j}.js";`,
    "",
    `/** Rows of kind ${i}: see ${names.fn(i)} for the parser. NotARealName${i} lives only in this comment. */`,
    `export interface Record${i} {`,
    "  id: string;",
    `  amount${i}: number;`,
    "  createdAt: Date;",
    "  tags: readonly string[];",
    "}",
    "",
    `export enum Kind${i} {`,
    '  Draft = "draft",',
    '  Final = "final",',
    "}",
    "",
    `export class ${names.cls(i)} {`,
    "  private readonly cache = new Map<string, number>();",
    "  constructor(private readonly prefix: string) {}",
    "",
    `  ${names.method(i)}(id: string): Record${i} | undefined {`,
    "    const key = `${this.prefix}:${id}`;",
    "    const hit = this.cache.get(key);",
    "    if (hit === undefined) return undefined;",
    `    return { id, amount${i}: hit, createdAt: new Date(0), tags: [] };`,
    "  }",
    "",
    `  save(record: Record${i}): void {`,
    `    this.cache.set(record.id, record.amount${i});`,
    "  }",
    "}",
    "",
    `export function ${names.fn(i)}(line: string): Record${i} {`,
    '  const parts = line.split(",");',
    '  if (parts.length < 2) throw new Error("expected id,amount in " + line);',
    `  const amount = Number(parts[1]);`,
    '  return { id: parts[0] ?? "", amount' + i + ": amount, createdAt: new Date(), tags: parts.slice(2) };",
    "}",
    "",
    `export const LIMIT_${i} = ${i % 97};`,
    "",
  ];
  // Filler: ordinary code with loops, closures and templates, so parsing costs what real code does.
  for (let k = 0; k < 6; k++) {
    lines.push(
      `export function helper${i}_${k}(values: number[], label = "h${k}"): string {`,
      "  let total = 0;",
      "  for (const value of values) {",
      "    if (value > 0) total += value;",
      "    else total -= Math.abs(value) / 2;",
      "  }",
      `  const scaled = values.map((v) => v * ${k + 1}).filter((v) => v % 2 === 0);`,
      "  return `${label}: ${total} (${scaled.length})`;",
      "}",
      "",
    );
  }
  lines.push(`export const usesImport${i} = () => new ${names.cls(j)}("p").${names.method(j)}("a");`, "");
  return lines.join("\n");
}

function otherFile(i) {
  const kind = i % 6;
  if (kind === 0)
    return [
      `services/py/svc${i}.py`,
      `def handle_request_${i}(payload):\n    """Handles ${i}."""\n    return process_payload_${i}(payload)\n\n\ndef process_payload_${i}(payload):\n    return {"id": payload.get("id"), "n": ${i}}\n`,
    ];
  if (kind === 1) return [`services/go/svc${i}.go`, `package svc\n\n// Handler${i} serves requests.\nfunc Handler${i}(w Writer, r *Request) error {\n\treturn ServeJSON${i}(w, r)\n}\n`];
  if (kind === 2) return [`crates/core/src/mod${i}.rs`, `pub struct Engine${i} { pub depth: u32 }\n\nimpl Engine${i} {\n    pub fn run_step_${i}(&self) -> u32 { self.depth + ${i} }\n}\n`];
  if (kind === 3) return [`scripts/task${i}.sh`, `#!/bin/sh\nset -eu\nTASK_NAME=task${i}\necho "running $TASK_NAME"\n`];
  if (kind === 4) return [`config/settings${i}.yml`, `name: settings${i}\nretries: ${i % 5}\nfeature_flag_${i}: true\n`];
  return [`docs/guide/page${i}.md`, `# Page ${i}\n\nThe \`GuideTopic${i}\` explains ${i}.\n`];
}

/** Names a TS file declares; some are renamed in history, so rules that name the old one go stale. */
function createNames(count) {
  const renamed = new Map();
  return {
    count,
    renamed,
    fn: (i) => renamed.get(`fn${i}`) ?? `parseRow${i}`,
    cls: (i) => renamed.get(`cls${i}`) ?? `Service${i}`,
    method: (i) => `load${i}`,
  };
}

/** Harness files across the formats, with `mentionCount` mentions in all. */
function harnessFiles(options, names, rand) {
  const n = options.files;
  const pick = () => Math.floor(rand() * n);
  const mention = (k) => {
    const i = pick();
    switch (k % 10) {
      case 0:
      case 1:
      case 2:
        return `\`${names.fn(i)}\``;
      case 3:
      case 4:
        return `\`${names.cls(i)}.${names.method(i)}()\``;
      case 5:
        return `\`${tsPath(i)}\``;
      case 6:
        return `\`packages/pkg${i % PACKAGES}/src/${AREAS[i % AREAS.length]}/\``;
      case 7:
        return `\`packages/pkg${i % PACKAGES}/src/**/*.ts\``;
      case 8:
        return `\`Record${i}\``;
      default:
        // Stale on purpose: a name no file declares.
        return `\`retiredHelper${i}\``;
    }
  };
  const files = [
    ["CLAUDE.md", "section"],
    ["AGENTS.md", "section"],
    ["GEMINI.md", "section"],
    ["packages/pkg1/CLAUDE.md", "section"],
    ["packages/pkg2/AGENTS.md", "section"],
    [".github/copilot-instructions.md", "section"],
    [".cursor/rules/imports.mdc", "cursor"],
    [".cursor/rules/money.mdc", "cursor"],
    [".claude/rules/billing.md", "claude-rules"],
    [".claude/rules/search.md", "claude-rules"],
    [".github/instructions/ts.instructions.md", "copilot"],
    [".windsurf/rules/jobs.md", "windsurf"],
    [".kiro/steering/orders.md", "kiro"],
  ];
  const perFile = Math.ceil(options.mentions / files.length);
  const out = {};
  let k = 0;
  for (const [path, kind] of files) {
    const sections = [];
    for (let s = 0; s < Math.ceil(perFile / 4); s++) {
      const spans = [];
      for (let m = 0; m < 4 && k < options.mentions; m++) spans.push(mention(k++));
      sections.push(`## Rule ${s} of ${path.replace(/[^a-z]/gi, " ").trim()}\n<!-- scope: packages/** -->\nWhen you touch this area, use ${spans.join(", ")}.\n`);
    }
    const body = sections.join("\n");
    if (kind === "cursor") out[path] = `---\ndescription: ${path}\nglobs: packages/**/*.ts\nalwaysApply: false\n---\n${body}`;
    else if (kind === "claude-rules") out[path] = `---\npaths:\n  - "packages/**/*.ts"\n---\n${body}`;
    else if (kind === "copilot") out[path] = `---\napplyTo: "packages/**/*.ts"\n---\n${body}`;
    else if (kind === "windsurf") out[path] = `---\ntrigger: glob\nglobs: packages/**/*.ts\n---\n${body}`;
    else if (kind === "kiro") out[path] = `---\ninclusion: fileMatch\nfileMatchPattern: "packages/**/*.ts"\n---\n${body}`;
    else out[path] = `# ${path}\n\n${body}`;
  }
  out[".claude/settings.json"] = JSON.stringify({ hooks: { PreToolUse: [{ matcher: "Bash", hooks: [{ type: "command", command: "scripts/task3.sh" }] }] } }, null, 2);
  out[".husky/pre-commit"] = "#!/bin/sh\nnpx harness-lint --staged\n";
  return out;
}

function postmortem(k, date) {
  return [
    "---",
    `id: PM-${String(k).padStart(4, "0")}`,
    `date: ${date}`,
    "trigger: redo",
    "pattern: unfamiliar-area",
    "changes:",
    `  - CLAUDE.md#rule-${k % 5}-of-claude-md`,
    "---",
    `# Incident ${k}`,
    "## What happened",
    "The agent rewrote the import flow.",
    "## What the agent was working from",
    "The root CLAUDE.md.",
    "## Where the layers failed",
    "The rule named a function that had moved.",
    "## What changes",
    "The rule names the new function.",
    "## What we are not doing",
    "No new hook.",
    "",
  ].join("\n");
}

/** A git fast-import stream: the first commit holds everything, the rest change a few files each. */
function buildHistory(options) {
  const rand = random(42);
  const names = createNames(options.files);
  const state = new Map();
  for (let i = 0; i < options.other; i++) {
    const [path, text] = otherFile(i);
    state.set(path, text);
  }
  for (let p = 0; p < PACKAGES; p++) state.set(`packages/pkg${p}/package.json`, JSON.stringify({ name: `@bench/pkg${p}`, version: "1.0.0", dependencies: { zod: "^4.0.0" } }, null, 2) + "\n");
  state.set("package.json", JSON.stringify({ name: "bench-monorepo", private: true, workspaces: ["packages/*"] }, null, 2) + "\n");
  // What a harness lints around: a lockfile and a minified vendored bundle are read as tokens.
  state.set(
    "package-lock.json",
    JSON.stringify(
      { lockfileVersion: 3, packages: Object.fromEntries(Array.from({ length: 3000 }, (_, k) => [`node_modules/dep-${k}`, { version: `1.${k}.0`, integrity: `sha512-${"x".repeat(40)}${k}` }])) },
      null,
      1,
    ),
  );
  state.set("public/vendor/app.min.js", Array.from({ length: 4000 }, (_, k) => `function f${k}(a){return a+${k}}`).join(";") + "\n");
  const harness = harnessFiles(options, names, rand);
  for (const [path, text] of Object.entries(harness)) state.set(path, text);
  const start = Date.UTC(2024, 0, 1) / 1000;
  for (let k = 0; k < options.postmortems; k++) state.set(`docs/postmortems/PM-${String(k).padStart(4, "0")}.md`, postmortem(k, "2024-02-01"));
  const location = new Map();
  for (let i = 0; i < options.files; i++) {
    state.set(tsPath(i), tsFile(i, names));
    location.set(i, tsPath(i));
  }

  const chunks = [];
  const data = (text) => `data ${Buffer.byteLength(text)}\n${text}\n`;
  let mark = 0;
  const commit = (message, time, ops) => {
    mark++;
    chunks.push(
      `commit refs/heads/main\nmark :${mark}\nauthor Bench <bench@example.com> ${time} +0000\ncommitter Bench <bench@example.com> ${time} +0000\n${data(message)}${mark > 1 ? `from :${mark - 1}\n` : ""}${ops.join("")}\n`,
    );
  };
  const modify = (path, text) => `M 100644 inline ${path}\n${data(text)}`;
  commit(
    "initial import",
    start,
    [...state].map(([path, text]) => modify(path, text)),
  );

  const harnessPaths = Object.keys(harness).filter((path) => path.endsWith(".md") || path.endsWith(".mdc"));
  const ruleEvery = options.ruleCommits > 0 ? Math.max(1, Math.floor((options.commits - 1) / options.ruleCommits)) : Infinity;
  let ruleCommits = 0;
  let renames = 0;
  for (let c = 1; c < options.commits; c++) {
    const time = start + c * 3600;
    if (c % ruleEvery === 0 && ruleCommits < options.ruleCommits) {
      ruleCommits++;
      const path = harnessPaths[ruleCommits % harnessPaths.length];
      const text = `${state.get(path)}\n## Added rule ${ruleCommits}\n<!-- scope: packages/** -->\nPrefer \`${names.fn(Math.floor(rand() * options.files))}\` here.\n`;
      state.set(path, text);
      const trailer = ruleCommits % 3 === 0 ? `\n\nPost-Mortem: PM-${String(ruleCommits % Math.max(1, options.postmortems)).padStart(4, "0")}` : "";
      commit(`docs(harness): rule ${ruleCommits}${trailer}`, time, [modify(path, text)]);
      continue;
    }
    const i = Math.floor(rand() * options.files);
    const path = location.get(i);
    if (c % 40 === 0) {
      // A file moved to another folder.
      const target = path.replace("/src/", "/lib/");
      if (target !== path && state.has(path) && !state.has(target)) {
        const text = state.get(path);
        state.delete(path);
        state.set(target, text);
        location.set(i, target);
        renames++;
        commit(`refactor: move module${i}`, time, [`R ${path} ${target}\n`]);
        continue;
      }
    }
    if (c % 37 === 0 && state.has(path)) {
      // A function renamed: rules that name the old one are now stale.
      const before = names.fn(i);
      names.renamed.set(`fn${i}`, `read${before[0].toUpperCase()}${before.slice(1)}`);
      const text = state.get(path).replaceAll(before, names.fn(i));
      state.set(path, text);
      commit(`refactor: rename ${before}`, time, [modify(path, text)]);
      continue;
    }
    const text = `${state.get(path)}export const revision${c} = ${c};\n`;
    state.set(path, text);
    commit(`feat: change ${c}`, time, [modify(path, text)]);
  }
  return { stream: chunks.join(""), files: state.size, renames };
}

function generateRepository(options) {
  const dir = mkdtempSync(join(tmpdir(), "harness-lint-bench-"));
  git(dir, ["init", "-q", "-b", "main"]);
  const { stream, files } = buildHistory(options);
  git(dir, ["fast-import", "--quiet"], stream);
  git(dir, ["reset", "-q", "--hard", "main"]);
  settleIndex(dir);
  return {
    dir,
    files,
    description: `synthetic: ${options.files} TS files, ${options.other} others, ${options.mentions} mentions, ${options.postmortems} post-mortems, ${options.commits} commits (${options.ruleCommits} rule changes)`,
  };
}

/** A checkout is the user's: measure on a clone in a temp folder, never on it. */
function cloneRepository(source) {
  const dir = mkdtempSync(join(tmpdir(), "harness-lint-bench-repo-"));
  git(tmpdir(), ["clone", "-q", "--no-checkout", source, dir]);
  // A partial snapshot (some blobs absent, as mirrors of large repositories can be) still gives a
  // benchmark: the index is HEAD's tree, the files git cannot read are marked skip-worktree (as a
  // sparse checkout leaves them: git status stays clean, --staged sees only its five changes),
  // and every other file is checked out.
  git(dir, ["read-tree", "HEAD"]);
  const missing = missingBlobs(dir);
  if (missing.length > 0) execFileSync("git", ["update-index", "-z", "--skip-worktree", "--stdin"], { cwd: dir, input: missing.map((path) => `${path}\0`).join("") });
  git(dir, ["checkout-index", "-a", "-q"]);
  settleIndex(dir);
  const files = git(dir, ["ls-files", "-z"]).split("\0").filter(Boolean).length;
  const commits = Number(git(dir, ["rev-list", "--count", "HEAD"]).trim());
  const left = missing.length > 0 ? `, ${missing.length} unreadable in the snapshot and left out of the work tree (skip-worktree)` : "";
  return { dir, files, description: `${source} (cloned): ${files} files${left}, ${commits} commits` };
}

/** Paths at HEAD whose blobs the clone cannot read. */
function missingBlobs(dir) {
  const entries = git(dir, ["ls-tree", "-r", "-z", "HEAD"])
    .split("\0")
    .filter(Boolean)
    .map((line) => ({ type: line.split(" ")[1], oid: line.split(" ")[2].split("\t")[0], path: line.slice(line.indexOf("\t") + 1) }))
    .filter((entry) => entry.type === "blob");
  const checked = execFileSync("git", ["cat-file", "--batch-check=%(objectname) %(objecttype)"], {
    cwd: dir,
    input: entries.map((entry) => entry.oid).join("\n"),
    encoding: "utf8",
    maxBuffer: 1 << 28,
  });
  const absent = new Set(
    checked
      .split("\n")
      .filter((line) => line.endsWith(" missing"))
      .map((line) => line.split(" ")[0]),
  );
  return entries.filter((entry) => absent.has(entry.oid)).map((entry) => entry.path);
}

/**
 * Files written in the same second as the index are "racily clean" and git re-reads them on
 * every status query until the index is rewritten later; a working checkout is past that.
 */
function settleIndex(dir) {
  spawnSync("sleep", ["1.1"]);
  git(dir, ["update-index", "-q", "--really-refresh"]);
}

// ---------------------------------------------------------------------------------------------
// Measuring

/** Runs one command, returning wall milliseconds, peak RSS (KB) and the exit code. */
function timeCommand(command, args, cwd) {
  const wrapped = TIME ? [TIME, ["-f", "\n%M", command, ...args]] : [command, args];
  const started = process.hrtime.bigint();
  const result = spawnSync(wrapped[0], wrapped[1], { cwd, env: { ...process.env, NO_COLOR: "1" }, maxBuffer: 1 << 30 });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  let stderr = result.stderr.toString();
  let rss = null;
  if (TIME) {
    const lines = stderr.trimEnd().split("\n");
    rss = Number(lines.pop());
    stderr = lines.join("\n");
  }
  return { ms, rss, code: result.status, stdout: result.stdout.toString(), stderr };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** `runs` timings of `step` (a list of commands run back to back), after `before` each time. */
function measure(runs, step, before = () => {}) {
  const times = [];
  let peak = 0;
  let last = null;
  for (let run = 0; run < runs; run++) {
    before();
    let total = 0;
    for (const [command, args, cwd] of step) {
      last = timeCommand(command, args, cwd);
      if (command === process.execPath && args[0] === CLI && last.code === 2 && !notAvailable(last)) {
        fail(`harness-lint ${args.slice(1).join(" ")} failed: ${last.stderr.trim()}`);
      }
      total += last.ms;
      if (last.rss !== null) peak = Math.max(peak, last.rss);
    }
    times.push(total);
  }
  return { ms: median(times), peakKb: peak || null, last };
}

const lintCommand = (dir, ...args) => [process.execPath, [CLI, "--format", "json", ...args], dir];

/** A floor: parse every TS/JS file harness-lint would parse, with the same parser, nothing else. */
function writeParseOnlyScript(folder) {
  const script = join(folder, "parse-only.mjs");
  writeFileSync(
    script,
    `import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
const [packageRoot, repo] = process.argv.slice(2);
const { ts } = createRequire(join(packageRoot, "package.json"))("ts-morph");
const skipped = /(^|\\/)(node_modules|vendor|dist|build|out|third_party)\\/|\\.(min|bundle)\\./;
const files = execFileSync("git", ["ls-files", "-z"], { cwd: repo, maxBuffer: 1 << 30 }).toString().split("\\0")
  .filter((file) => /\\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/.test(file) && !skipped.test(file));
const options = { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone };
let nodes = 0;
for (const file of files) nodes += ts.createSourceFile(file, readFileSync(join(repo, file), "utf8"), options, false).statements.length;
process.stdout.write(String(files.length) + " files, " + nodes + " statements\\n");
`,
  );
  return script;
}

/** A floor: read the bytes of every tracked file (what any answer about names must at least look at). */
function writeReadAllScript(folder) {
  const script = join(folder, "read-all.mjs");
  writeFileSync(
    script,
    `import { execFileSync } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
const repo = process.argv[2];
const files = execFileSync("git", ["ls-files", "-z"], { cwd: repo, maxBuffer: 1 << 30 }).toString().split("\\0").filter(Boolean);
let bytes = 0;
let next = 0;
const worker = async () => { while (next < files.length) { const file = files[next++]; const content = await readFile(join(repo, file)).catch(() => Buffer.alloc(0)); bytes += content.length; } };
await Promise.all(Array.from({ length: 32 }, worker));
process.stdout.write(files.length + " files, " + (bytes / 1048576).toFixed(1) + " MiB\\n");
`,
  );
  return script;
}

/** A configuration file that builds the full index (every code file parsed). */
function writeFullIndexConfig(folder) {
  const path = join(folder, "full-index.yml");
  writeFileSync(path, "codebase:\n  index: full\n");
  return path;
}

/** Five TS files changed and staged: each loses a function a rule may name. */
function stageFiveChanges(dir) {
  const files = git(dir, ["ls-files", "-z", "--", "*.ts"]).split("\0").filter(Boolean);
  const chosen = [];
  for (let index = 0; chosen.length < 5 && index < files.length; index += Math.max(1, Math.floor(files.length / 5))) chosen.push(files[index]);
  for (const file of chosen) {
    const path = join(dir, file);
    const text = readFileSync(path, "utf8");
    const renamed = text.replace(/export function (\w+)/, "export function renamed_$1");
    writeFileSync(path, renamed === text ? `${text}\nexport const benchChange = 1;\n` : renamed);
  }
  git(dir, ["add", "--", ...chosen]);
  return chosen;
}

function cacheFolder(dir) {
  return resolve(dir, git(dir, ["rev-parse", "--git-path", "harness-lint"]).trim());
}

function notAvailable(result) {
  return result.code === 2 && /not available|unknown command|Unknown command/i.test(result.stderr);
}

const memoryNotes = [];

async function run(options) {
  if (!existsSync(CLI)) fail(`${CLI} is missing: run \`npm run build\` first`);
  options.loadAtStart = loadavg()[0].toFixed(2);
  const started = Date.now();
  const repo = options.repo ? cloneRepository(options.repo) : generateRepository(options);
  const dir = repo.dir;
  const scratch = mkdtempSync(join(tmpdir(), "harness-lint-bench-tools-"));
  const parseOnly = writeParseOnlyScript(scratch);
  const readAll = writeReadAllScript(scratch);
  const fullIndex = writeFullIndexConfig(scratch);
  const commits = Number(git(dir, ["rev-list", "--count", "HEAD"]).trim());
  const rows = [];
  const clearCache = () => rmSync(cacheFolder(dir), { recursive: true, force: true });
  process.stderr.write(`bench: ${repo.description}\nbench: repository at ${dir} (ready in ${((Date.now() - started) / 1000).toFixed(1)} s)\n`);

  const row = (name, tool, floorName, floor, target) => {
    rows.push({ name, tool, floorName, floor, target });
    const ratio = tool && floor ? (tool.ms / floor.ms).toFixed(2) : "n/a";
    process.stderr.write(`bench: ${name}: ${tool ? formatMs(tool.ms) : "n/a"} vs ${floorName} ${floor ? formatMs(floor.ms) : "n/a"} (x${ratio})\n`);
  };

  if (options.only.has("cold")) {
    const tool = measure(options.runs, [lintCommand(dir)], clearCache);
    const bytes = measure(options.runs, [[process.execPath, [readAll, dir], dir]]);
    const floor = measure(options.runs, [[process.execPath, [parseOnly, PACKAGE_ROOT, dir], dir]]);
    row("cold full lint (index: search)", tool, `read every tracked file's bytes (${bytes.last.stdout.trim()})`, bytes, "<= 2.5x");
    row("cold full lint (index: search)", tool, `TS parse-only of the same files (${floor.last.stdout.trim()})`, floor, "< 1x");
    // Every code file parsed (TS/JS and the tree-sitter languages): what the search saves.
    const full = measure(options.runs, [lintCommand(dir, "--config", fullIndex)], clearCache);
    row("cold full lint (index: full)", full, "TS parse-only of the same files", floor, "(no target)");
  }
  const empty = measure(options.runs, [[process.execPath, ["-e", "0"], dir]]);
  if (options.only.has("warm")) {
    timeCommand(...lintCommand(dir)); // make sure the cache is warm
    const tool = measure(options.runs, [lintCommand(dir)]);
    row("warm full lint, nothing changed", tool, "empty node start", empty, "<= 0.25 s and <= 5x");
    // The stored result cannot answer: one code file differs from the last run every time.
    const edited = git(dir, ["ls-files", "-z", "--", "*.ts"]).split("\0").filter(Boolean)[7];
    const original = readFileSync(join(dir, edited), "utf8");
    let edits = 0;
    const edit = () => writeFileSync(join(dir, edited), `${original}\nexport const benchEdit${++edits} = ${edits};\n`);
    const changed = measure(options.runs, [lintCommand(dir)], edit);
    writeFileSync(join(dir, edited), original);
    row("warm full lint, one code file edited since the last run", changed, "empty node start", empty, "<= 0.25 s");
  }
  if (options.only.has("staged")) {
    timeCommand(...lintCommand(dir));
    const saved = join(scratch, "cache-before-staging");
    rmSync(saved, { recursive: true, force: true });
    if (existsSync(cacheFolder(dir))) copyFolder(cacheFolder(dir), saved);
    stageFiveChanges(dir);
    // Every run is the first after staging, as in a commit hook: the cache knows HEAD, not the change.
    const restore = () => {
      clearCache();
      if (existsSync(saved)) copyFolder(saved, cacheFolder(dir));
    };
    const first = measure(options.runs, [lintCommand(dir, "--staged")], restore);
    const repeat = measure(options.runs, [lintCommand(dir, "--staged")]);
    // No cache at all: the first commit after an install, a clone or a cache wipe.
    const cold = measure(options.runs, [lintCommand(dir, "--staged")], clearCache);
    const floor = measure(options.runs, [
      ["git", ["diff", "--cached", "--name-only"], dir],
      [process.execPath, ["-e", "0"], dir],
    ]);
    row("--staged, 5 changed files, cold (no cache)", notAvailable(cold.last) ? null : cold, "git diff --cached --name-only + empty node", floor, "<= 1 s");
    row("--staged, 5 changed files (first run after staging)", notAvailable(first.last) ? null : first, "git diff --cached --name-only + empty node", floor, "<= 0.35 s");
    row("--staged, 5 changed files (cache already has them)", notAvailable(repeat.last) ? null : repeat, "git diff --cached --name-only + empty node", floor, "<= 0.35 s");
    git(dir, ["reset", "-q", "--hard", "HEAD"]);
    settleIndex(dir);
  }
  if (options.only.has("drift")) {
    timeCommand(...lintCommand(dir));
    const tool = measure(options.runs, [lintCommand(dir, "--drift")]);
    const floor = measure(options.runs, [["git", ["log", "-p", "HEAD"], dir]]);
    row(`--drift over ${commits} commits`, notAvailable(tool.last) ? null : tool, "git log -p", floor, "<= 3x");
  }
  if (options.only.has("trace")) {
    // The floor is what trace cannot avoid: every patch of the harness's own history.
    const { DEFAULT_HARNESS_INCLUDE, DEFAULT_POSTMORTEMS } = await import(join(PACKAGE_ROOT, "dist", "src", "shared", "config-types.js"));
    const harnessPaths = [...DEFAULT_HARNESS_INCLUDE, ...DEFAULT_POSTMORTEMS].map((glob) => `:(glob)${glob}`);
    const floor = measure(options.runs, [["git", ["log", "-p", "--full-history", "--no-merges", "HEAD", "--", ...harnessPaths], dir]]);
    // First with no cache (every version of every rule file parsed), then as runs after it find
    // the parsed versions kept (history does not change; new commits add a few).
    const first = measure(options.runs, [lintCommand(dir, "trace")], clearCache);
    row(`trace over ${commits} commits (no cache)`, notAvailable(first.last) ? null : first, "git log -p -- <harness paths>", floor, "<= 3x");
    const tool = measure(options.runs, [lintCommand(dir, "trace")]);
    row(`trace over ${commits} commits (versions parsed before)`, notAvailable(tool.last) ? null : tool, "git log -p -- <harness paths>", floor, "<= 3x");
  }

  if (options.only.has("servers")) {
    // The language server and the MCP server, warm, on this repository (test/bench/servers.mjs).
    timeCommand(...lintCommand(dir));
    const result = spawnSync(process.execPath, [join(PACKAGE_ROOT, "test/bench/servers.mjs"), PACKAGE_ROOT, dir, String(options.runs)], {
      cwd: dir,
      maxBuffer: 1 << 26,
      stdio: ["ignore", "pipe", "inherit"],
    });
    if (result.status !== 0) fail("test/bench/servers.mjs failed");
    const s = JSON.parse(result.stdout.toString());
    const at = (ms) => ({ ms, peakKb: null });
    row(`lsp: diagnostics after a keystroke in a ${s.rules}-rule file (warm; debounce 0 here, 120 ms by default)`, at(s.keystrokeMs), "lsp hover round trip", at(s.roundTripMs), "<= 50 ms");
    row("lsp: a code file renamed on disk -> updated diagnostics", at(s.renameMs), "lsp hover round trip", at(s.roundTripMs), "<= 1 s");
    row("mcp: explain_name, warm (a declared name; includes the check for changes on disk)", at(s.explainMs), "lsp hover round trip", at(s.roundTripMs), "<= 20 ms");
    row(`mcp: check_rules for the ${s.rules}-rule file`, at(s.checkRulesMs), "lsp hover round trip", at(s.roundTripMs), "(no target)");
    const growth = ((s.rssAfterEditsKb / s.rssAfterIndexKb - 1) * 100).toFixed(0);
    memoryNotes.push(
      `Language server memory: ${formatKb(s.rssAfterIndexKb)} RSS after the first index and diagnostics (open took ${formatMs(s.openMs)}), ${formatKb(s.rssAfterEditsKb)} after 1,000 more edits typed as 100 words, each word linted (${growth}%; target <= +20%; RSS, not the heap after a collection).`,
    );
  }

  const report = renderReport(repo, rows, empty, options);
  process.stdout.write(report);
  if (options.write) writeReport(options.write, report, options.section);
  rmSync(scratch, { recursive: true, force: true });
  if (options.keep) process.stderr.write(`bench: kept ${dir}\n`);
  else rmSync(dir, { recursive: true, force: true });
}

function copyFolder(from, to) {
  mkdirSync(to, { recursive: true });
  for (const name of readdirSync(from)) copyFileSync(join(from, name), join(to, name));
}

// ---------------------------------------------------------------------------------------------
// Reporting

function formatMs(ms) {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
}

function formatKb(kb) {
  return kb ? `${Math.round(kb / 1024)} MB` : "n/a";
}

function renderReport(repo, rows, empty, options) {
  const gitVersion = execFileSync("git", ["--version"])
    .toString()
    .trim()
    .replace(/^git version /, "");
  const cpu = cpus()[0]?.model?.trim() ?? "unknown CPU";
  const command = `npm run bench --${process.argv.slice(2).length > 0 ? ` ${process.argv.slice(2).join(" ")}` : ""}`.replace(/ --$/, "");
  const lines = [
    `Machine: ${availableParallelism()} CPUs (${cpu}), ${(totalmem() / 2 ** 30).toFixed(1)} GB RAM, Node ${process.version}, git ${gitVersion}, ${process.platform}; load average ${options.loadAtStart} at the start, ${loadavg()[0].toFixed(2)} at the end (other work on the machine inflates every figure).`,
    `Repository: ${repo.description}.`,
    `Command: \`${command}\` (medians of ${options.runs} runs; date ${new Date().toISOString().slice(0, 10)}).`,
    "",
    "| measurement | harness-lint | floor | floor time | ratio | target | peak RSS |",
    "|---|---|---|---|---|---|---|",
  ];
  for (const { name, tool, floorName, floor, target } of rows) {
    const ratio = tool && floor ? `${(tool.ms / floor.ms).toFixed(2)}x` : "n/a";
    lines.push(`| ${name} | ${tool ? formatMs(tool.ms) : "n/a"} | ${floorName} | ${floor ? formatMs(floor.ms) : "n/a"} | ${ratio} | ${target} | ${formatKb(tool?.peakKb)} |`);
  }
  lines.push("", `Empty node start: ${formatMs(empty.ms)}.`, ...memoryNotes.map((note) => `\n${note}`), "");
  return lines.join("\n");
}

/** Replaces the table between the section's markers, keeping the prose around it. */
function writeReport(file, report, section) {
  const start = `<!-- bench:${section}:start -->`;
  const end = `<!-- bench:${section}:end -->`;
  const block = `${start}\n${report}${end}`;
  const existing = existsSync(file) ? readFileSync(file, "utf8") : "# Benchmarks\n";
  const next =
    existing.includes(start) && existing.includes(end)
      ? existing.slice(0, existing.indexOf(start)) + block + existing.slice(existing.indexOf(end) + end.length)
      : `${existing.trimEnd()}\n\n${block}\n`;
  writeFileSync(file, next);
  process.stderr.write(`bench: wrote the "${section}" table in ${file}\n`);
}

await run(parseOptions(process.argv.slice(2)));
