#!/usr/bin/env node
// How many modules a CLI run loads, by package: what every start pays before any work (Node 20
// has no compile cache for ES modules). `npm run build` first, then for example:
//   node test/bench/modules.mjs --version
//   node test/bench/modules.mjs --cwd /path/to/repo --format json --no-cache
// ES modules are counted by a loader hook, CommonJS ones (yaml, TypeScript) from require's cache.
import { spawnSync } from "node:child_process";
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire, register } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const LOG = "HARNESS_LINT_MODULE_LOG";
const self = fileURLToPath(import.meta.url);

if (process.env[LOG] !== undefined && process.argv[1] !== self) {
  // Preloaded into the CLI (--import): log each ES module as it loads, and CommonJS at exit.
  const hooks = `import { appendFileSync } from "node:fs";
export async function load(url, context, next) { appendFileSync(${JSON.stringify(process.env[LOG])}, "esm " + url + "\\n"); return next(url, context); }`;
  register(`data:text/javascript,${encodeURIComponent(hooks)}`);
  const require = createRequire(import.meta.url);
  process.on("exit", () =>
    appendFileSync(
      process.env[LOG],
      Object.keys(require.cache)
        .map((path) => `cjs ${pathToFileURL(path).href}\n`)
        .join(""),
    ),
  );
} else if (process.argv[1] === self) {
  const cli = join(dirname(self), "..", "..", "dist", "src", "cli.js");
  const dir = mkdtempSync(join(tmpdir(), "hl-modules-"));
  const log = join(dir, "modules.log");
  try {
    spawnSync(process.execPath, ["--import", pathToFileURL(self).href, cli, ...process.argv.slice(2)], { stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, [LOG]: log } });
    // A CommonJS module imported from an ES one passes the loader hook too: count it once, as CommonJS.
    const logged = readFileSync(log, "utf8").split("\n");
    const cjs = new Set(logged.filter((line) => line.startsWith("cjs file:")).map((line) => line.slice(4)));
    const esm = new Set(logged.filter((line) => line.startsWith("esm file:") && !cjs.has(line.slice(4))).map((line) => line.slice(4)));
    const byPackage = new Map();
    for (const [kind, urls] of [
      ["esm", esm],
      ["cjs", cjs],
    ]) {
      for (const url of urls) {
        const name = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1] ?? "harness-lint (dist/)";
        const counts = byPackage.get(name) ?? { esm: 0, cjs: 0 };
        counts[kind]++;
        byPackage.set(name, counts);
      }
    }
    const rows = [...byPackage].sort((a, b) => b[1].esm + b[1].cjs - (a[1].esm + a[1].cjs));
    const table = rows.map(([name, { esm: e, cjs: c }]) => `${String(e + c).padStart(5)}  ${name}${c > 0 ? ` (${c} CommonJS)` : ""}\n`);
    process.stdout.write(`${esm.size + cjs.size} modules: ${esm.size} ES, ${cjs.size} CommonJS\n${table.join("")}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
