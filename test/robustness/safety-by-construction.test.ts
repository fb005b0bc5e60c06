// Safety by construction: properties of the source code itself, read with the TypeScript parser
// (files are only read, never changed). They hold for every run because the code cannot do
// otherwise, not because a test happened to try the right input:
//   - processes: no shell, ever. Only spawn/spawnSync/execFile/execFileSync with a fixed program
//     and an argument array; no exec/execSync/fork; no `shell:` option; simple-git only via raw([...]);
//     a git argument that is not a literal comes after `--`/`--end-of-options`, or is allow-listed
//     below with the reason it cannot start with `-`;
//   - code loading: no eval, new Function, vm, computed import()/require(), no config loaders;
//   - writes: every file write goes through src/shared/atomic-write.ts; the few other calls that
//     change the file system (mkdir, chmod, rm of our own temp files) are allow-listed with reasons.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../helpers/cli.js";

const SOURCE_DIRS = ["src", "rules"];

function sourceFiles(): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(ts|mts|cts)$/.test(entry.name) && !entry.name.endsWith(".d.ts")) files.push(path);
    }
  };
  for (const dir of SOURCE_DIRS) walk(join(REPO_ROOT, dir));
  return files.sort();
}

interface Site {
  file: string;
  line: number;
  text: string;
}

interface Parsed {
  file: string;
  source: ts.SourceFile;
  /** Local name -> imported name, for bindings from node:child_process. */
  childProcess: Map<string, string>;
  /** Local name -> imported name, for bindings from node:fs and node:fs/promises (`*` for a namespace). */
  fs: Map<string, string>;
  /** Local names bound to simple-git's factory. */
  simpleGit: Set<string>;
}

function parse(path: string): Parsed {
  const text = readFileSync(path, "utf8");
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const parsed: Parsed = { file: relative(REPO_ROOT, path).split("\\").join("/"), source, childProcess: new Map(), fs: new Map(), simpleGit: new Set() };
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    const module = statement.moduleSpecifier.text.replace(/^node:/, "");
    const target = module === "child_process" ? parsed.childProcess : module === "fs" || module === "fs/promises" ? parsed.fs : null;
    const bindings = statement.importClause?.namedBindings;
    const defaultName = statement.importClause?.name?.text;
    if (module === "simple-git") {
      if (defaultName) parsed.simpleGit.add(defaultName);
      if (bindings && ts.isNamedImports(bindings)) for (const el of bindings.elements) if ((el.propertyName ?? el.name).text === "simpleGit") parsed.simpleGit.add(el.name.text);
    }
    if (!target) continue;
    if (defaultName) target.set(defaultName, "*");
    if (bindings && ts.isNamespaceImport(bindings)) target.set(bindings.name.text, "*");
    if (bindings && ts.isNamedImports(bindings)) {
      for (const el of bindings.elements) if (!el.isTypeOnly) target.set(el.name.text, (el.propertyName ?? el.name).text);
    }
  }
  return parsed;
}

function site(parsed: Parsed, node: ts.Node): Site {
  const { line } = parsed.source.getLineAndCharacterOfPosition(node.getStart(parsed.source));
  return { file: parsed.file, line: line + 1, text: node.getText(parsed.source).replace(/\s+/g, " ").slice(0, 160) };
}

/** The function a call invokes, as `imported name` when it comes from a tracked module binding. */
function calleeOf(call: ts.CallExpression, bindings: Map<string, string>): string | null {
  const callee = call.expression;
  if (ts.isIdentifier(callee)) return bindings.get(callee.text) ?? null;
  if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && bindings.get(callee.expression.text) === "*") return callee.name.text;
  return null;
}

function visit(parsed: Parsed, fn: (node: ts.Node) => void): void {
  const walk = (node: ts.Node) => {
    fn(node);
    ts.forEachChild(node, walk);
  };
  walk(parsed.source);
}

const FILES = sourceFiles().map(parse);

function format(sites: Site[]): string[] {
  return sites.map((s) => `${s.file}:${s.line}: ${s.text}`);
}

// ---------------------------------------------------------------------------------------------

const SPAWNERS = new Set(["spawn", "spawnSync", "execFile", "execFileSync"]);
const SHELL_RUNNERS = new Set(["exec", "execSync", "fork"]);

/**
 * Git arguments that are not literals and do not follow `--`/`--end-of-options`, with why they
 * cannot be read as an option. Keyed by `file: argument text`; a new one fails until reviewed.
 */
const REVIEWED_GIT_ARGUMENTS: Record<string, string> = {
  "src/history/drift-symbol-history.ts: range":
    'assertRevision(range) on the line before; range is "HEAD" or `<sha>..HEAD`, the sha from resolveSince (rev-parse --verify --end-of-options, checked to be hex)',
  "src/history/drift.ts: since": "a full sha from resolveSince (rev-parse --verify --quiet --end-of-options, checked /^[0-9a-f]{40,64}$/)",
  'src/history/drift.ts: ...unique.flatMap((name) => ["-e", name])': "each name is the value of -e, and names are filtered to /^[\\w$]+$/ first",
  "src/history/drift.ts: ...where": '["--untracked"] or [since], a resolved sha',
  'src/codebase/index-grep.ts: ...names.flatMap((name) => ["-e", name])': "each name is the value of -e (a pattern, never an option), and names with control characters are refused first",
  "src/history/evidence-before.ts: ...firstStarts": "assertRevision(start) for each on the line before; they are commits from git log %H",
  'src/history/evidence.ts: ...(follow ? ["--follow"] : ["--no-renames"])': "a choice between two literal options",
  "src/history/evidence.ts: ...revisions": '["HEAD"], then parentsWith(): parents from git rev-list, kept only when /^[0-9a-f]{40,64}$/',
  "src/history/evidence.ts: `${parent}:${file}`": "parent is kept only when /^[0-9a-f]{40,64}$/, so the argument starts with a hex digit, never `-`",
  "src/history/evidence.ts: ...commits": "full hex ids from git log %H or earlierCommits() (checked /^[0-9a-f]{40,64}$/); git 2.39's grep takes no --end-of-options",
  "src/git/object-reader.ts: this.mode": 'a readonly field typed "--batch" | "--batch-check"',
  "src/history/paths.ts: commit": "assertRevision(commit) refuses a leading `-` on the line before",
  "src/git/revisions.ts: to": "assertRevision(to) refuses a leading `-` on the lines before",
  "src/git/file-source.ts: ...args": "runGit's own parameter: each caller's array literal is checked by this test",
  "src/git/resilient-log.ts: ...args": "runGitCollect's own parameter: each caller's array literal is checked by this test",
  "src/git/resilient-log.ts: ...options.walk": "walk options from module constants (WALK_ORDER: --topo-order; --no-merges, --since=@<number> built in git-batch.ts)",
  "src/git/resilient-log.ts: ...options.show": "show options from module constants (SHOW_COMMIT, PATCH_ARGUMENTS, the git-batch.ts log format) and `-G<names>`, a template anchored at -G",
  "src/git/resilient-log.ts: ...options.merges": "MERGE_DIFFS (--diff-merges=first-parent) or []",
  "src/git/resilient-log.ts: ...options.revisions": "assertRevision(revision) refuses a leading `-` for each, first thing in the function",
  "src/git/resilient-log.ts: sha": "a full hex id: rev-list output filtered /^[0-9a-f]{40,64}$/, or checked so at the top of logCommitList",
  "src/git/resilient-log.ts: ...show": "logCommitList's callers pass module constants (--name-status -M -z, SHOW_COMMIT)",
  "src/history/evidence.ts: ...args": "runGitText's own parameter: each caller's array literal is checked by this test",
  "src/history/evidence.ts: `${commit}^`": "movedTo() returns at once unless commit is /^[0-9a-f]{40,64}$/ (a git log %H id), so the argument starts with a hex digit",
  "src/history/evidence.ts: `${since}..HEAD`": "lineRemoval() returns at once unless since is /^[0-9a-f]{40,64}$/ (evidence commits and git log %H ids)",
  "src/history/provenance.ts: name": "the value of -e, and checked /^[A-Za-z_$][\\w$]*$/ just before (an identifier never starts with -)",
  "src/history/evidence.ts: commit": "a full hex commit id, from git log --format=%H or rev-parse --verify (never user text)",
  'src/history/evidence.ts: ...names.flatMap((name) => ["-e", name])': "each name is the value of -e, and names are filtered to identifier words first (wordsOf)",
  'src/history/lapsed.ts: ...[...names].flatMap((name) => ["-e", name])': "each name is the value of -e, and names are filtered to /^[\\w$]+$/ first (declaredAt)",
  "src/history/lapsed.ts: commit": "a full hex commit id from the evidence (git log --format=%H), checked /^[0-9a-f]{40,64}$/ before (git 2.39's grep takes no --end-of-options)",
};

function isLiteralLike(node: ts.Expression): boolean {
  return ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isNumericLiteral(node);
}

/** `--before=@${x}`, `^${sha}`, `${x}^{commit}`: a template whose fixed head cannot leave the option/revision it names. */
function isAnchoredTemplate(node: ts.Expression): boolean {
  return ts.isTemplateExpression(node) && node.head.text !== "" && (node.head.text.startsWith("-") || node.head.text.startsWith("^"));
}

describe("safety by construction: processes", () => {
  it("no exec/execSync/fork: nothing runs through a shell", () => {
    const found: Site[] = [];
    for (const parsed of FILES) {
      for (const [local, imported] of parsed.childProcess) if (SHELL_RUNNERS.has(imported)) found.push({ file: parsed.file, line: 1, text: `imports ${imported} as ${local}` });
      visit(parsed, (node) => {
        if (ts.isCallExpression(node) && SHELL_RUNNERS.has(calleeOf(node, parsed.childProcess) ?? "")) found.push(site(parsed, node));
      });
    }
    expect(format(found)).toEqual([]);
  });

  it("no `shell:` option anywhere (not even false: there is nothing to turn off)", () => {
    const found: Site[] = [];
    for (const parsed of FILES) {
      visit(parsed, (node) => {
        if ((ts.isPropertyAssignment(node) || ts.isShorthandPropertyAssignment(node)) && node.name.getText(parsed.source).replace(/["']/g, "") === "shell") found.push(site(parsed, node));
      });
    }
    expect(format(found)).toEqual([]);
  });

  it("spawn/execFile run a fixed program (a string literal) with an argument array", () => {
    const found: Site[] = [];
    let calls = 0;
    for (const parsed of FILES) {
      visit(parsed, (node) => {
        if (!ts.isCallExpression(node)) return;
        const callee = calleeOf(node, parsed.childProcess);
        if (callee === null || !SPAWNERS.has(callee)) return;
        calls++;
        const [program, args] = node.arguments;
        const fixedProgram = program !== undefined && isLiteralLike(program);
        // An array literal, or a name/call whose value is an array (checked by tsc: spawn's signature takes string[]).
        const argumentList = args !== undefined && !isLiteralLike(args) && !ts.isTemplateExpression(args) && !ts.isBinaryExpression(args);
        if (!fixedProgram || !argumentList) found.push(site(parsed, node));
      });
    }
    expect(format(found)).toEqual([]);
    expect(calls, "no spawn/execFile call found: the parser or the file list is wrong").toBeGreaterThan(0);
  });

  it("git is started only by src/git/command.ts, the one place that disarms hostile config (issue 13)", () => {
    const found: Site[] = [];
    for (const parsed of FILES) {
      if (parsed.file === "src/git/command.ts") continue;
      visit(parsed, (node) => {
        if (ts.isCallExpression(node) && SPAWNERS.has(calleeOf(node, parsed.childProcess) ?? "")) found.push(site(parsed, node));
      });
      if (parsed.simpleGit.size > 0) found.push({ file: parsed.file, line: 1, text: "imports simple-git" });
    }
    expect(format(found)).toEqual([]);
  });

  it("simple-git is used only through raw([...]) with an array, and without unsafe options", () => {
    const found: Site[] = [];
    for (const parsed of FILES) {
      visit(parsed, (node) => {
        if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && parsed.simpleGit.has(node.expression.text)) {
          const text = node.getText(parsed.source);
          if (/unsafe|customBinary/i.test(text) || !/binary:\s*"git"/.test(text)) found.push(site(parsed, node));
        }
        if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === "raw") {
          const [first] = node.arguments;
          if (first === undefined || !ts.isArrayLiteralExpression(first)) found.push(site(parsed, node));
        }
      });
    }
    expect(format(found)).toEqual([]);
  });

  it("git arguments that are not literals come after `--`/`--end-of-options` or are reviewed (refs and paths may start with `-`)", () => {
    const unreviewed: string[] = [];
    for (const parsed of FILES) {
      visit(parsed, (node) => {
        if (!ts.isArrayLiteralExpression(node)) return;
        const parent = node.parent;
        // git argument arrays: passed to .raw(), runGit(root, [...]), or spawn("git", [...]).
        const isGitArgs =
          ts.isCallExpression(parent) &&
          ((ts.isPropertyAccessExpression(parent.expression) && parent.expression.name.text === "raw") ||
            (ts.isIdentifier(parent.expression) && /^(runGit|gitLines|gitText|runGitText|runGitCollect|execGit|spawnGit)$/.test(parent.expression.text)) ||
            (calleeOf(parent, parsed.childProcess) !== null && parent.arguments[0] !== undefined && ts.isStringLiteral(parent.arguments[0]) && parent.arguments[0].text === "git"));
        if (!isGitArgs) return;
        let separated = false;
        for (const element of node.elements) {
          if (ts.isStringLiteral(element) && (element.text === "--" || element.text === "--end-of-options")) separated = true;
          if (separated) continue;
          const inner = ts.isSpreadElement(element) ? element.expression : element;
          if (isLiteralLike(inner) || isAnchoredTemplate(inner)) continue;
          if (ts.isIdentifier(inner) && /^[A-Z_]+$/.test(inner.text)) continue; // module constants of literal options
          const key = `${parsed.file}: ${element.getText(parsed.source)}`;
          if (!(key in REVIEWED_GIT_ARGUMENTS)) unreviewed.push(`${key}   (line ${site(parsed, element).line})`);
        }
      });
    }
    expect(unreviewed).toEqual([]);
  });
});

describe("safety by construction: code loading", () => {
  /**
   * Code loading that is not the repository's code, each justified. Keyed by `file: what`.
   * The compiler is ts-morph's bundled typescript.js, resolved from this package (import.meta.url),
   * never from the linted repository.
   */
  const ALLOWED_CODE_LOADING: Record<string, string> = {
    "src/codebase/code-index.ts: node:vm": "compiles ts-morph's bundled typescript.js with a V8 code cache (the cache file lives in the cache folder)",
    "src/codebase/code-index.ts: createRequire": "resolves and requires ts-morph's bundled typescript.js from this package's node_modules",
    "src/codebase/languages/index.ts: createRequire": "resolves the tree-sitter runtime and grammar .wasm files of @vscode/tree-sitter-wasm from this package's node_modules",
  };

  it("no eval, new Function, vm, or import()/require() of a computed specifier (outside the allow-list)", () => {
    const found: Site[] = [];
    for (const parsed of FILES) {
      visit(parsed, (node) => {
        if (ts.isCallExpression(node)) {
          const callee = node.expression;
          if (ts.isIdentifier(callee) && (callee.text === "eval" || callee.text === "Function")) found.push(site(parsed, node));
          const loads = callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === "require");
          if (loads && !(node.arguments[0] !== undefined && ts.isStringLiteral(node.arguments[0]))) found.push(site(parsed, node));
        }
        if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === "Function") found.push(site(parsed, node));
        if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier) && /^(node:)?vm$/.test(node.moduleSpecifier.text) && !(`${parsed.file}: node:vm` in ALLOWED_CODE_LOADING))
          found.push(site(parsed, node));
      });
    }
    expect(format(found)).toEqual([]);
  });

  it("no configuration loader that can run code (cosmiconfig, lilconfig, jiti, tsx, ts-node, esbuild-register, createRequire)", () => {
    const found: Site[] = [];
    for (const parsed of FILES) {
      visit(parsed, (node) => {
        if (
          ts.isImportDeclaration(node) &&
          ts.isStringLiteral(node.moduleSpecifier) &&
          /^(cosmiconfig|lilconfig|jiti|tsx|ts-node|esbuild-register|@swc\/register|rc|import-fresh)(\/|$)/.test(node.moduleSpecifier.text)
        )
          found.push(site(parsed, node));
        if (ts.isIdentifier(node) && node.text === "createRequire" && !(`${parsed.file}: createRequire` in ALLOWED_CODE_LOADING)) found.push(site(parsed, node));
      });
    }
    expect(format(found)).toEqual([]);
    const manifest = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { dependencies?: Record<string, string> };
    expect(Object.keys(manifest.dependencies ?? {}).filter((name) => /^(cosmiconfig|lilconfig|jiti|tsx|ts-node|esbuild-register|rc|import-fresh)$/.test(name))).toEqual([]);
  });

  it("YAML is parsed as data: no custom tags, and alias expansion is capped wherever documents are converted", () => {
    const found: Site[] = [];
    for (const parsed of FILES) {
      visit(parsed, (node) => {
        if ((ts.isPropertyAssignment(node) || ts.isShorthandPropertyAssignment(node)) && /^(customTags|resolveKnownTags)$/.test(node.name.getText(parsed.source))) found.push(site(parsed, node));
        // toJS()/toJSON() without maxAliasCount would expand a billion-laughs document.
        if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === "toJS" && !/maxAliasCount/.test(node.getText(parsed.source)))
          found.push(site(parsed, node));
        if (
          ts.isCallExpression(node) &&
          ts.isIdentifier(node.expression) &&
          node.expression.text === "parse" &&
          parsed.source.text.includes('from "yaml"') &&
          /\bparse\b.*from "yaml"/.test(parsed.source.text)
        )
          found.push(site(parsed, node));
      });
    }
    expect(format(found)).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------

/** fs functions that change the file system. */
const FS_WRITERS = new Set([
  "writeFile",
  "writeFileSync",
  "appendFile",
  "appendFileSync",
  "createWriteStream",
  "write",
  "writeSync",
  "writev",
  "writevSync",
  "rename",
  "renameSync",
  "copyFile",
  "copyFileSync",
  "cp",
  "cpSync",
  "symlink",
  "symlinkSync",
  "link",
  "linkSync",
  "truncate",
  "truncateSync",
  "ftruncate",
  "ftruncateSync",
  "unlink",
  "unlinkSync",
  "rm",
  "rmSync",
  "rmdir",
  "rmdirSync",
  "chmod",
  "chmodSync",
  "fchmod",
  "fchmodSync",
  "lchmod",
  "lchmodSync",
  "chown",
  "chownSync",
  "fchown",
  "fchownSync",
  "lchown",
  "lchownSync",
  "mkdir",
  "mkdirSync",
  "mkdtemp",
  "mkdtempSync",
  "utimes",
  "utimesSync",
  "futimes",
  "futimesSync",
  "lutimes",
  "lutimesSync",
]);
/** FileHandle methods that write. */
const HANDLE_WRITERS = new Set(["writeFile", "appendFile", "write", "writev", "truncate", "chmod", "chown", "utimes", "createWriteStream"]);

const ATOMIC_WRITE = "src/shared/atomic-write.ts";

/** Writes to a handle that is not a file, each justified. Keyed by `file: receiver.method`. */
const ALLOWED_HANDLE_WRITES: Record<string, string> = {
  "src/shared/progress.ts: stream.write": "the progress line on a terminal: the CLI passes process.stderr, and nothing is written unless it is a TTY",
};

/**
 * Calls that change the file system outside atomic-write.ts, each justified. Keyed by `file: function`.
 * Anything not listed fails the test: route the write through writeFileAtomic, or add it here with a reason.
 */
const ALLOWED_FS_CHANGES: Record<string, string> = {
  "src/engine/baseline.ts: mkdirSync": "--write-baseline creates the folder of the path the user named, then writes through writeFileAtomicSync",
  "src/commands/init.ts: mkdirSync": "init creates docs/postmortems/ and the hooks folder it writes into (with writeFileAtomicSync)",
  "src/commands/init.ts: chmodSync": "init --hooks makes the hook scripts it just wrote executable",
  "src/shared/cache-files.ts: mkdir": "the cache folder under .git (git rev-parse --git-path harness-lint), --cache-location, or the private temp folder",
  "src/shared/cache-files.ts: rm": "removes its own abandoned temp files and outdated cache files inside the cache folder",
  "src/git/cache-directory.ts: mkdir": "the private per-user cache folder under the temp directory (mode 0700), for a folder outside git",
  "src/shared/confined-path.ts: writeFileSync": "writes through to a FIFO or device the user named (--output-file /dev/stdout): an fd opened O_WRONLY without O_CREAT/O_TRUNC",
  "src/engine/run-cache.ts: mkdir": "the cache folder (git rev-parse --git-path harness-lint) for the stored result of a run",
  "src/history/stored-versions.ts: mkdir": "the cache folder (git rev-parse --git-path harness-lint) for parsed versions from history",
  "src/codebase/code-index.ts: mkdir": "creates the cache folder for the V8 code cache of the TypeScript compiler",
  "src/codebase/code-index.ts: rm": "removes its own outdated typescript-*.v8 files from the cache folder",
};

/** Opens whose flags are not a literal, each justified. Keyed by `file: function flags`. */
const ALLOWED_OPENS: Record<string, string> = {
  "src/shared/read-file.ts: open flags(limits)": "flags() is O_RDONLY | O_NONBLOCK (| O_NOFOLLOW): reads a file expected to be regular without blocking on a FIFO",
  "src/shared/read-file.ts: openSync flags(limits)": "the same flags, synchronously",
  "src/shared/confined-path.ts: openSync constants.O_WRONLY": "writes through to an existing FIFO or device the user named; no O_CREAT, no O_TRUNC",
};

describe("safety by construction: writes", () => {
  it("every write to a file goes through src/shared/atomic-write.ts; other file-system changes are allow-listed", () => {
    const unexpected: string[] = [];
    const used = new Set<string>();
    for (const parsed of FILES) {
      if (parsed.file === ATOMIC_WRITE) continue;
      visit(parsed, (node) => {
        if (!ts.isCallExpression(node)) return;
        const fn = calleeOf(node, parsed.fs);
        if (fn === "open" || fn === "openSync") {
          // Opening is a write when the flags say so; only "r" (or none) is read-only.
          const flags = node.arguments[1];
          const text = flags?.getText(parsed.source) ?? "";
          const constantsReadOnly = /O_RDONLY/.test(text) && !/O_WRONLY|O_RDWR|O_CREAT|O_TRUNC|O_APPEND/.test(text);
          const readOnly = flags === undefined || (ts.isStringLiteral(flags) && /^r$/.test(flags.text)) || constantsReadOnly || `${parsed.file}: ${fn} ${text}` in ALLOWED_OPENS;
          if (!readOnly) unexpected.push(`${parsed.file}:${site(parsed, node).line}: ${fn} with flags ${flags?.getText(parsed.source)}`);
          return;
        }
        if (fn !== null && FS_WRITERS.has(fn)) {
          const key = `${parsed.file}: ${fn}`;
          used.add(key);
          if (!(key in ALLOWED_FS_CHANGES)) unexpected.push(`${parsed.file}:${site(parsed, node).line}: ${site(parsed, node).text}`);
          return;
        }
        // A FileHandle (or stream) method that writes, on something that is not a module binding.
        if (ts.isPropertyAccessExpression(node.expression) && HANDLE_WRITERS.has(node.expression.name.text) && calleeOf(node, parsed.fs) === null) {
          const receiver = node.expression.expression.getText(parsed.source);
          if (/^(process\.(stdout|stderr)|child\.stdin|this\.child\.stdin|child\.stdin!?|.*\.stdin)$/.test(receiver)) return; // pipes, not files
          if (/^(hash|createHash\(.*\))$/.test(receiver)) return;
          if (`${parsed.file}: ${receiver}.${node.expression.name.text}` in ALLOWED_HANDLE_WRITES) return;
          unexpected.push(`${parsed.file}:${site(parsed, node).line}: ${site(parsed, node).text}`);
        }
      });
    }
    expect(unexpected).toEqual([]);
  });

  it("atomic-write.ts writes a temp file beside the target, syncs it, then renames it over the target", () => {
    const text = readFileSync(join(REPO_ROOT, ATOMIC_WRITE), "utf8");
    expect(text).toMatch(/"wx"/); // the temp file is created exclusively, never truncating someone else's
    expect(text).toMatch(/sync\(\)|fsyncSync/);
    expect(text).toMatch(/rename\(temp, target\)|renameSync\(temp, target\)/);
    expect(text).toMatch(/join\(dirname\(target\)/); // same directory: the rename stays atomic
  });
});
