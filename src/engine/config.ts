import { realpath, stat } from "node:fs/promises";
import path from "node:path";
import { CONFIG_SEARCH_PLACES } from "./config-places.js";
import { defaultConfig, type Config } from "../shared/config-types.js";

export { CONFIG_SEARCH_PLACES };
import { UserError } from "../shared/errors.js";
import { configError, oneLine } from "./config-error.js";
import { readRegularFile, utf8 } from "../shared/read-file.js";

/*
 * Why there is no `cosmiconfig()` call here: cosmiconfig 9 always looks for a "meta config" in
 * process.cwd() before it reads any option, and loads it with its default loaders. A pull request
 * that adds `.config/config.js` (or a "cosmiconfig" key in package.json pointing at a `.js`
 * search place) therefore runs code the moment the explorer is created, and no option turns that
 * off (cosmiconfig/cosmiconfig#296, cspell removed cosmiconfig for this). CI runs harness-lint on
 * untrusted pull requests, so we keep cosmiconfig's conventions (the same search places, in order;
 * a key in package.json; extension-less rc file read as YAML) in a few lines we fully control:
 * one directory, data parsers only, no `$import`.
 */

export const PACKAGE_JSON_KEY = "harness-lint";

/** Files that would have to be executed to be read: refused, never imported. */
const SCRIPT_EXTENSIONS: ReadonlySet<string> = new Set([".js", ".cjs", ".mjs", ".ts", ".cts", ".mts", ".jsx", ".tsx"]);

/** Configuration files are a few kilobytes; anything bigger is a mistake or an attack. */
const MAX_CONFIG_BYTES = 1024 * 1024;

/** Legitimate configs need a handful of aliases; a "billion laughs" document needs thousands. */
const MAX_YAML_ALIASES = 100;

/** A configuration file as the user should see it named in messages. */
interface ConfigSource {
  /** Absolute path on disk. */
  path: string;
  /** Repo-relative path when inside the root, else the absolute path; names the file in errors. */
  label: string;
}

type DataParser = (text: string, source: ConfigSource) => unknown | Promise<unknown>;

/** Data-only parsers by extension ("" = no extension, read as YAML since JSON is YAML too). */
const PARSERS: Readonly<Record<string, DataParser>> = {
  ".json": parseJson,
  ".yaml": parseYaml,
  ".yml": parseYaml,
  "": parseYaml,
};

export interface LoadedConfig {
  config: Config;
  /** Absolute path of the file the configuration came from; null when defaults were used. */
  file: string | null;
}

/**
 * Finds, parses and validates the configuration of the repository at `root`. With `configPath`
 * (`--config`, relative to the process's working directory) only that file is read.
 * Every problem is reported as a one-line UserError.
 */
export async function loadConfig(root: string, options: { configPath?: string } = {}): Promise<LoadedConfig> {
  const absoluteRoot = path.resolve(root);
  const found = options.configPath === undefined ? await searchConfigFile(absoluteRoot) : await readExplicitConfigFile(path.resolve(options.configPath), absoluteRoot);
  if (found === null) {
    return { config: defaultConfig(), file: null };
  }
  // The schema (and zod) load only when there is a file to check.
  const { validateConfig } = await import("./config-schema.js");
  return { config: validateConfig(found.data, found.label), file: found.path };
}

export interface FoundConfig {
  path: string;
  label: string;
  /** The configuration object as parsed, not yet validated. */
  data: unknown;
}

/**
 * The configuration file of one folder of the repository (a package's, for a monorepo), or null:
 * the same search places and parsers as the root's, confined to the repository.
 */
export async function findConfigIn(directory: string, root: string): Promise<FoundConfig | null> {
  return searchConfigFile(path.resolve(root), path.resolve(directory));
}

async function searchConfigFile(root: string, directory: string = root): Promise<FoundConfig | null> {
  for (const place of CONFIG_SEARCH_PLACES) {
    const source = sourceFor(path.join(directory, place), root);
    // A pull request can commit `.harnessrc` as a symlink to /proc/self/environ or ~/.npmrc,
    // and validation errors quote what they read: found files must stay inside the repository.
    const text = await readIfPresent(source, { confineTo: root });
    if (text === undefined) {
      continue;
    }
    const found = foundConfig(source, await parseConfigText(text, source));
    // A package.json without our key is just a package.json: keep looking.
    if (found !== null) {
      return found;
    }
  }
  return null;
}

async function readExplicitConfigFile(file: string, root: string): Promise<FoundConfig> {
  const source = sourceFor(file, root);
  refuseNonDataFile(source);
  const text = await readIfPresent(source);
  if (text === undefined) {
    throw configError(source.label, "configuration file not found");
  }
  const found = foundConfig(source, await parseConfigText(text, source));
  if (found === null) {
    throw configError(source.label, `has no "${PACKAGE_JSON_KEY}" key`);
  }
  return found;
}

/** The configuration a parsed file holds; null for a package.json without our key. */
function foundConfig(source: ConfigSource, data: unknown): FoundConfig | null {
  if (!isPackageJson(source.path)) {
    return { path: source.path, label: source.label, data };
  }
  if (!hasOwnKey(data, PACKAGE_JSON_KEY)) {
    return null;
  }
  return { path: source.path, label: `${source.label} ("${PACKAGE_JSON_KEY}" key)`, data: data[PACKAGE_JSON_KEY] };
}

function refuseNonDataFile(source: ConfigSource): void {
  const extension = path.extname(source.path).toLowerCase();
  if (SCRIPT_EXTENSIONS.has(extension)) {
    throw configError(source.label, "JavaScript configuration is not supported; use JSON or YAML (.harnessrc.yml)");
  }
  if (!Object.hasOwn(PARSERS, extension)) {
    throw configError(source.label, `unsupported configuration file type "${extension}"; use JSON or YAML (.harnessrc.yml)`);
  }
}

/** The file's text, or undefined when there is no such file. */
async function readIfPresent(source: ConfigSource, options: { confineTo?: string } = {}): Promise<string | undefined> {
  try {
    const real = await realpath(source.path);
    if (options.confineTo !== undefined && !isInside(real, await realpath(options.confineTo))) {
      throw configError(source.label, "is a symbolic link to a file outside the repository; refusing to read it");
    }
    await requireSmallRegularFile(real, source);
    // stat said regular and small; the read checks both again on what it actually opened.
    return utf8(
      await readRegularFile(real, "configuration file", { maxBytes: MAX_CONFIG_BYTES }).catch((error: unknown) => {
        throw error instanceof UserError ? configError(source.label, error.message.replace(/^configuration file \S+ /, "")) : error;
      }),
    );
  } catch (error) {
    if (error instanceof UserError) {
      throw error;
    }
    const code = errorCode(error);
    if (code === "ENOENT" || code === "ENOTDIR") {
      return undefined;
    }
    throw configError(source.label, `cannot read configuration file (${code ?? String(error)})`);
  }
}

/** Refuses what would hang or exhaust memory when read whole: devices, FIFOs, huge files. */
async function requireSmallRegularFile(file: string, source: ConfigSource): Promise<void> {
  const info = await stat(file);
  if (!info.isFile()) {
    throw configError(source.label, info.isDirectory() ? "is a directory, not a configuration file" : "is not a regular file");
  }
  if (info.size > MAX_CONFIG_BYTES) {
    throw configError(source.label, `is larger than ${MAX_CONFIG_BYTES / 1024 / 1024} MiB; a configuration file should be small`);
  }
}

function parseConfigText(text: string, source: ConfigSource): Promise<unknown> {
  // An empty file means "all defaults", like an empty .eslintrc; it is not a parse error.
  if (text.trim() === "") {
    return Promise.resolve(undefined);
  }
  const parser = PARSERS[path.extname(source.path).toLowerCase()] ?? parseYaml;
  return Promise.resolve(parser(text, source)).then((data) => rejectPrototypeKeys(data, source));
}

/**
 * `__proto__` as a key is a string to JSON.parse and YAML but the prototype to every spread and
 * assignment after; zod's records skip it silently. It is never a key harness-lint knows, so any
 * one, at any depth, is refused. Walked with a stack: a deeply nested file must not overflow ours.
 */
function rejectPrototypeKeys(data: unknown, source: ConfigSource): unknown {
  const stack: Array<{ value: unknown; path: string }> = [{ value: data, path: "" }];
  while (stack.length > 0) {
    const { value, path: at } = stack.pop()!;
    if (value === null || typeof value !== "object") continue;
    for (const key of Object.keys(value)) {
      const where = at === "" ? key : `${at}.${key}`;
      if (key === "__proto__") throw configError(source.label, `key "${where}" is not allowed (it would set an object's prototype)`);
      stack.push({ value: (value as Record<string, unknown>)[key], path: where });
    }
  }
  return data;
}

async function parseYaml(text: string, source: ConfigSource): Promise<unknown> {
  const { parseDocument } = await import("yaml");
  const document = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  const [firstError] = document.errors;
  if (firstError !== undefined) {
    const position = firstError.linePos?.[0];
    const what = firstError.message.split("\n")[0]?.replace(/ at line \d+, column \d+:?$/, "") ?? firstError.code;
    throw position === undefined ? configError(source.label, what) : positionedError(source.label, position.line, position.col, what);
  }
  try {
    return document.toJS({ maxAliasCount: MAX_YAML_ALIASES });
  } catch (error) {
    if (error instanceof ReferenceError) {
      throw configError(source.label, `too many YAML alias expansions (limit ${MAX_YAML_ALIASES}); refusing a possible "billion laughs" document`);
    }
    throw error;
  }
}

function parseJson(text: string, source: ConfigSource): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const offset = jsonErrorOffset(message, text);
    if (offset === undefined) {
      throw configError(source.label, message);
    }
    const { line, column } = lineAndColumn(text, offset);
    throw positionedError(source.label, line, column, jsonErrorSummary(message));
  }
}

/**
 * V8 (Node 20) names the offset of most JSON errors ("... at position 46"); for an unexpected token
 * it quotes up to 10 characters either side of it instead, so the offset is recovered from that quote.
 */
function jsonErrorOffset(message: string, text: string): number | undefined {
  const atPosition = /at position (\d+)/.exec(message);
  if (atPosition?.[1] !== undefined) {
    return Number(atPosition[1]);
  }
  if (message.startsWith("Unexpected end of JSON input")) {
    return text.length;
  }
  const unexpected = /^Unexpected token '([\s\S])', (\.\.\.)?"([\s\S]*)"(\.\.\.)? is not valid JSON$/.exec(message);
  if (unexpected === null) {
    return undefined;
  }
  const [, token = "", before, quoted = "", after] = unexpected;
  const context = 10;
  if (before === undefined && after === undefined) {
    return text.indexOf(token);
  }
  if (before === undefined) {
    return quoted.length - context;
  }
  if (after === undefined) {
    return text.length - quoted.length + context;
  }
  const start = text.indexOf(quoted);
  return start === -1 ? undefined : start + context;
}

/** The quoted source in V8's message spans lines; the token alone says what went wrong. */
function jsonErrorSummary(message: string): string {
  const unexpected = /^Unexpected token '([\s\S])'/.exec(message);
  if (unexpected !== null) {
    return `Unexpected token '${unexpected[1] ?? ""}' in JSON`;
  }
  return message.replace(/ at position \d+.*$/, "");
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, offset));
  const lines = before.split("\n");
  return { line: lines.length, column: (lines[lines.length - 1]?.length ?? 0) + 1 };
}

// ---------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------

function sourceFor(file: string, root: string): ConfigSource {
  const label = isInside(file, root) ? path.relative(root, file).split(path.sep).join("/") : file;
  return { path: file, label };
}

function isInside(file: string, directory: string): boolean {
  const relative = path.relative(directory, file);
  return relative !== "" && relative !== ".." && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative);
}

function isPackageJson(file: string): boolean {
  return path.basename(file) === "package.json";
}

function hasOwnKey<Key extends string>(value: unknown, key: Key): value is Record<Key, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && Object.hasOwn(value, key);
}

function errorCode(error: unknown): string | undefined {
  if (typeof error === "object" && error !== null && "code" in error && typeof error.code === "string") {
    return error.code;
  }
  return undefined;
}

function positionedError(label: string, line: number, column: number, what: string): UserError {
  return new UserError(oneLine(`${label}:${line}:${column}: ${what}`));
}
