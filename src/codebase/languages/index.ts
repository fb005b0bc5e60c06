// Declarations and uses for languages other than TS/JS, from tree-sitter grammars compiled to
// WebAssembly. Everything comes from one npm package, @vscode/tree-sitter-wasm (the runtime and
// the grammars VS Code ships): no native build, no install script, nothing downloaded at run time.
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import type { Language, Parser } from "@vscode/tree-sitter-wasm";
import { csharp } from "./csharp.js";
import { go } from "./go.js";
import { java } from "./java.js";
import { python } from "./python.js";
import { ruby } from "./ruby.js";
import { rust } from "./rust.js";
import type { FileNames, LanguageId, LanguageSpec } from "./types.js";
import { walk } from "./walk.js";

export type { Declaration, DeclarationKind, FileNames, LanguageId } from "./types.js";

const SPECS: Record<LanguageId, LanguageSpec> = { python, go, rust, java, csharp, ruby };

/** Part of the code index's cache fingerprint: other grammars may name other things. */
export const GRAMMAR_PACKAGE_VERSION = "@vscode/tree-sitter-wasm@0.3.1";

export function isTreeSitterLanguage(value: string): value is LanguageId {
  return Object.hasOwn(SPECS, value);
}

/** How many grammars this process has loaded (the benchmark and tests count them). */
export function loadedLanguages(): LanguageId[] {
  return [...parsers.keys()];
}

const EXTENSIONS: Record<string, LanguageId> = {
  py: "python",
  pyi: "python",
  pyw: "python",
  go: "go",
  rs: "rust",
  java: "java",
  cs: "csharp",
  rb: "ruby",
  rake: "ruby",
  gemspec: "ruby",
  ru: "ruby",
};
/** Ruby's conventional files have no extension. */
const BASENAMES: Record<string, LanguageId> = { Rakefile: "ruby", Gemfile: "ruby", Guardfile: "ruby" };

export function languageOfPath(path: string): LanguageId | undefined {
  const base = path.slice(path.lastIndexOf("/") + 1);
  const byName = BASENAMES[base];
  if (byName) return byName;
  const dot = base.lastIndexOf(".");
  return dot > 0 ? EXTENSIONS[base.slice(dot + 1).toLowerCase()] : undefined;
}

export interface NamesOptions {
  /**
   * Only this many characters are parsed (the rest of the file is cut at a line end and the
   * result marked "truncated"). Default 2 MiB: hand-written source is far below, and generated
   * code above it is not what rules name.
   */
  maxChars?: number;
  /**
   * Budget for parse plus walk, in ms (default 10000). A safety net for pathological input only:
   * wall time on a shared machine varies, so the byte cap is what keeps normal files in bounds
   * (a dense 2 MiB file takes about 2 s of CPU). Past it the result is marked "timeout".
   */
  timeoutMs?: number;
}

const DEFAULT_MAX_CHARS = 2 * 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 10_000;

const require = createRequire(import.meta.url);
let runtime: Promise<void> | undefined;
const loading = new Map<LanguageId, Promise<void>>();
const parsers = new Map<LanguageId, Parser>();

/** Loads the runtime (once) and the grammar (once per language). Safe to call concurrently. */
export function loadLanguage(id: LanguageId): Promise<void> {
  let pending = loading.get(id);
  if (!pending) {
    pending = (async () => {
      // The runtime's JavaScript (170 KB) is imported only when a file needs a grammar.
      const { default: treeSitter } = await import("@vscode/tree-sitter-wasm");
      // locateFile points at the runtime wasm explicitly so a bundler moving tree-sitter.js cannot break it.
      runtime ??= treeSitter.Parser.init({ locateFile: () => require.resolve("@vscode/tree-sitter-wasm/wasm/tree-sitter.wasm") });
      await runtime;
      // Read the bytes ourselves: the runtime decides between fs and fetch() by sniffing its environment.
      const bytes = await readFile(require.resolve(`@vscode/tree-sitter-wasm/wasm/${SPECS[id].wasm}`));
      const language: Language = await treeSitter.Language.load(bytes);
      const parser = new treeSitter.Parser();
      parser.setLanguage(language);
      parsers.set(id, parser);
    })();
    // A failed load may be retried by a later call.
    pending.catch(() => loading.delete(id));
    loading.set(id, pending);
  }
  return pending;
}

/** Names declared and used in `text`. Call after `loadLanguage(id)` resolved. Synchronous and bounded. */
export function namesOf(id: LanguageId, text: string, options: NamesOptions = {}): FileNames {
  const parser = parsers.get(id);
  if (!parser) throw new Error(`namesOf(${id}): call loadLanguage("${id}") first`);
  const maxChars = options.maxChars ?? DEFAULT_MAX_CHARS;
  const deadline = performance.now() + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS);

  let truncated = false;
  if (text.length > maxChars) {
    const lineEnd = text.lastIndexOf("\n", maxChars);
    text = text.slice(0, lineEnd > 0 ? lineEnd : maxChars);
    truncated = true;
  }
  // tree-sitter calls this every so often while parsing; returning true cancels the parse.
  const tree = parser.parse(text, null, { progressCallback: () => performance.now() > deadline });
  if (!tree) {
    // A cancelled parse would otherwise resume on the next call with other text.
    parser.reset();
    return { declarations: [], uses: [], incomplete: "timeout" };
  }
  try {
    const names = walk(SPECS[id], tree, deadline);
    if (truncated && !names.incomplete) names.incomplete = "truncated";
    return names;
  } finally {
    // Trees live in wasm memory, not the JS heap: free them now, not at GC time.
    tree.delete();
  }
}
