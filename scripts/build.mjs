#!/usr/bin/env node
// Compiles src/ and rules/ to dist/ with the TypeScript that ts-morph, a runtime dependency,
// already ships (@ts-morph/common/dist/typescript.js). An install from git, from a clone or by
// the pre-commit framework therefore builds without dev dependencies. Each file is transpiled on
// its own (the tsconfig sets isolatedModules, so tsc guarantees this is safe); type checking is
// `npm run typecheck`, which needs the dev dependencies.
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(join(root, "package.json"));
const ts = loadTypeScript();

function loadTypeScript() {
  try {
    return require("@ts-morph/common/dist/typescript.js");
  } catch (error) {
    if (error?.code !== "MODULE_NOT_FOUND") throw error;
  }
  // `npm install -g <git url>` (what the pre-commit framework runs) prepares the clone in global
  // mode, without installing its dependencies (npm/cli#8440). Install the runtime ones the
  // lockfile pins, with no scripts, then build.
  const npm = process.env.npm_execpath;
  const [command, args] = npm ? [process.execPath, [npm]] : ["npm", []];
  execFileSync(command, [...args, "ci", "--omit=dev", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"], {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, npm_config_global: "false", npm_config_location: "project" },
  });
  return require("@ts-morph/common/dist/typescript.js");
}

const SOURCE_FOLDERS = ["src", "rules"];
const OUT = join(root, "dist");
const options = {
  // The tsconfig says NodeNext; a file transpiled alone cannot look up package.json's "type",
  // so the module kind is spelled out: ESM, as package.json declares.
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ES2022,
  esModuleInterop: true,
  sourceMap: false,
  declaration: false,
};

function* typeScriptFiles(folder) {
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) yield* typeScriptFiles(path);
    else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) yield path;
  }
}

rmSync(OUT, { recursive: true, force: true });
let count = 0;
const problems = [];
for (const folder of SOURCE_FOLDERS) {
  for (const file of typeScriptFiles(join(root, folder))) {
    const source = readFileSync(file, "utf8");
    const output = ts.transpileModule(source, { compilerOptions: options, fileName: file, reportDiagnostics: true });
    for (const diagnostic of output.diagnostics ?? []) {
      problems.push(`${relative(root, file)}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n")}`);
    }
    const target = join(OUT, relative(root, file)).replace(/\.ts$/, ".js");
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, output.outputText);
    count += 1;
  }
}
if (problems.length > 0) {
  process.stderr.write(`${problems.join("\n")}\n`);
  process.exit(1);
}
// The bin must be executable, as an npm install makes it.
chmodSync(join(OUT, "src", "cli.js"), 0o755);
const bundled = await bundle();
if (!process.argv.includes("--quiet")) {
  const how = bundled === null ? "no bundle (rolldown is a dev dependency)" : `main bundled into ${bundled} files in dist/bundle`;
  process.stdout.write(`build: ${count} files to dist/ with TypeScript ${ts.version}; ${how}\n`);
}

/**
 * Bundles dist/src/main.js, and the libraries it imports, into dist/bundle (src/cli.ts loads it
 * when it is there): one file per lazily loaded part instead of ~330 modules, which is most of a
 * small run's start-up. Without rolldown (an install with runtime dependencies only) there is no
 * bundle and the CLI loads dist/src as before.
 *
 * Every bundled module of ours keeps its own `import.meta.url` (the path of its file in dist/, which
 * the build also writes): the fingerprints read their own source files, and the harness parser
 * lists its folder. Left out, and loaded from node_modules as before: the TypeScript bundle and the
 * tree-sitter runtime (loaded by path, with their own caches), and the two servers' protocol
 * libraries, whose CommonJS reads `__filename` (a long-running server pays its start-up once).
 */
async function bundle() {
  let rolldown;
  try {
    rolldown = await import(pathToFileURL(require.resolve("rolldown")).href);
  } catch (error) {
    if (error?.code === "MODULE_NOT_FOUND" || error?.code === "ERR_MODULE_NOT_FOUND") return null;
    throw error;
  }
  const target = join(OUT, "bundle");
  const ownModule = (id) => id.startsWith(OUT + sep) && !id.includes(`${sep}node_modules${sep}`);
  const result = await rolldown.build({
    input: { main: join(OUT, "src", "main.js") },
    platform: "node",
    logLevel: "warn",
    external: [/^ts-morph(\/|$)/, /^@ts-morph\//, /^@vscode\/tree-sitter-wasm(\/|$)/, /^vscode-languageserver/, /^vscode-jsonrpc(\/|$)/, /^@modelcontextprotocol\//],
    plugins: [
      {
        name: "own-import-meta-url",
        transform(code, id) {
          if (!ownModule(id) || !code.includes("import.meta.url")) return null;
          const own = `new URL(${JSON.stringify(relative(target, id).split(sep).join("/"))}, import.meta.url).href`;
          return { code: code.replace(/\bimport\.meta\.url\b/g, own), map: null };
        },
      },
    ],
    output: { dir: target, format: "esm", entryFileNames: "[name].js", chunkFileNames: "[name]-[hash].js" },
  });
  return result.output.length;
}
