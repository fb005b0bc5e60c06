import { readFile, realpath, stat } from "node:fs/promises";
import path from "node:path";
import { parseDocument } from "yaml";
import { z } from "zod";
import { CHECK_IDS } from "./check-ids.js";
import { defaultConfig, type Config } from "./config-types.js";
import { UserError } from "./errors.js";

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

/** Where the configuration is looked for, in order, in the repository root only. */
export const CONFIG_SEARCH_PLACES: readonly string[] = [
  "package.json",
  ".harnessrc",
  ".harnessrc.json",
  ".harnessrc.yaml",
  ".harnessrc.yml",
];

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

type DataParser = (text: string, source: ConfigSource) => unknown;

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
  const found =
    options.configPath === undefined
      ? await searchConfigFile(absoluteRoot)
      : await readExplicitConfigFile(path.resolve(options.configPath), absoluteRoot);
  if (found === null) {
    return { config: defaultConfig(), file: null };
  }
  return { config: validateConfig(found.data, found.label), file: found.path };
}

interface FoundConfig {
  path: string;
  label: string;
  /** The configuration object as parsed, not yet validated. */
  data: unknown;
}

async function searchConfigFile(root: string): Promise<FoundConfig | null> {
  for (const place of CONFIG_SEARCH_PLACES) {
    const source = sourceFor(path.join(root, place), root);
    // A pull request can commit `.harnessrc` as a symlink to /proc/self/environ or ~/.npmrc,
    // and validation errors quote what they read: found files must stay inside the repository.
    const text = await readIfPresent(source, { confineTo: root });
    if (text === undefined) {
      continue;
    }
    const found = foundConfig(source, parseConfigText(text, source));
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
  const found = foundConfig(source, parseConfigText(text, source));
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
    const text = await readFile(real, "utf8");
    return text.startsWith("\uFEFF") ? text.slice(1) : text;
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

function parseConfigText(text: string, source: ConfigSource): unknown {
  // An empty file means "all defaults", like an empty .eslintrc; it is not a parse error.
  if (text.trim() === "") {
    return undefined;
  }
  const parser = PARSERS[path.extname(source.path).toLowerCase()] ?? parseYaml;
  return parser(text, source);
}

function parseYaml(text: string, source: ConfigSource): unknown {
  const document = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  const [firstError] = document.errors;
  if (firstError !== undefined) {
    const position = firstError.linePos?.[0];
    const what = firstError.message.split("\n")[0]?.replace(/ at line \d+, column \d+:?$/, "") ?? firstError.code;
    throw position === undefined
      ? configError(source.label, what)
      : positionedError(source.label, position.line, position.col, what);
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
// Validation
// ---------------------------------------------------------------------------------------------

const SEVERITIES = ["off", "warn", "error"] as const;
const GLOB_LIST = "expected a list of glob strings";
const POSITIVE_INTEGER = "expected a positive integer";
const SINCE = "expected null, a date (YYYY-MM-DD) or a commit (SHA, tag or branch)";

function globList() {
  return z.array(z.string({ error: "expected a glob string" }), { error: GLOB_LIST });
}

function positiveInteger() {
  return z.int({ error: POSITIVE_INTEGER }).positive({ error: POSITIVE_INTEGER });
}

/** A section may be written with nothing under it (all children commented out): that means "defaults". */
function section<Shape extends z.core.$ZodLooseShape>(shape: Shape, what: string) {
  return z.strictObject(shape, { error: `expected a mapping of ${what}` }).nullable().optional();
}

const harnessShape = { include: globList().optional(), exclude: globList().optional() };
const codebaseShape = { include: globList().optional(), exclude: globList().optional() };
const symbolsShape = {
  ignore: z.array(z.string({ error: "expected a name or glob string" }), { error: "expected a list of names or globs" }).optional(),
  fenced: z.boolean({ error: "expected true or false" }).optional(),
};
const provenanceShape = {
  since: z
    .string({ error: SINCE })
    .refine((value) => !looksLikeDate(value) || isCalendarDate(value), { error: "expected a real calendar date (YYYY-MM-DD)" })
    .refine((value) => looksLikeDate(value) || isCommitish(value), { error: SINCE })
    .nullable()
    .optional(),
};
const postmortemShape = {
  maxWords: positiveInteger().optional(),
  maxChanges: positiveInteger().optional(),
  landWithinDays: positiveInteger().optional(),
};

const configShape = {
  harness: section(harnessShape, "include and exclude globs"),
  postmortems: globList().optional(),
  codebase: section(codebaseShape, "include and exclude globs"),
  checks: z
    .partialRecord(z.enum(CHECK_IDS), z.enum(SEVERITIES, { error: 'expected "off", "warn" or "error"' }), {
      error: 'expected a mapping of check id to "off", "warn" or "error"',
    })
    .nullable()
    .optional(),
  symbols: section(symbolsShape, "symbol options (ignore, fenced)"),
  trailer: z
    .string({ error: "expected a git trailer key (letters, digits and dashes)" })
    .regex(/^[A-Za-z0-9][A-Za-z0-9-]*$/, { error: 'expected a git trailer key (letters, digits and dashes, such as "Post-Mortem")' })
    .optional(),
  provenance: section(provenanceShape, "provenance options (since)"),
  postmortem: section(postmortemShape, "post-mortem limits (maxWords, maxChanges, landWithinDays)"),
  baseline: z.string({ error: "expected null or a file path" }).min(1, { error: "expected null or a file path" }).nullable().optional(),
};

const configSchema = z
  .strictObject(configShape, { error: "expected a mapping of configuration keys" })
  .nullable()
  .optional();

type UserConfig = z.infer<typeof configSchema>;

/** The keys each object accepts, by its key path: what "unknown key" errors list. */
const KNOWN_KEYS: Readonly<Record<string, readonly string[]>> = {
  "": Object.keys(configShape),
  harness: Object.keys(harnessShape),
  codebase: Object.keys(codebaseShape),
  checks: CHECK_IDS,
  symbols: Object.keys(symbolsShape),
  provenance: Object.keys(provenanceShape),
  postmortem: Object.keys(postmortemShape),
};

/**
 * Validates parsed configuration data and merges it onto the defaults (arrays replace, objects
 * merge one level). `null`/`undefined` (an empty file) means all defaults. Throws one UserError
 * listing every problem, each with its key path, what was expected and what was received.
 */
export function validateConfig(input: unknown, file: string): Config {
  const result = configSchema.safeParse(input);
  if (!result.success) {
    const problems = result.error.issues.flatMap((issue) => describeIssue(issue, input));
    throw configError(file, problems.join("; "));
  }
  return mergeOntoDefaults(result.data);
}

function describeIssue(issue: z.core.$ZodIssue, input: unknown): string[] {
  const keyPath = formatKeyPath(issue.path);
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((key) => describeUnknownKey(keyPath, key));
  }
  const received = valueAt(input, issue.path);
  let text = `${issue.message}, received ${describeValue(received)}`;
  const suggestion = issue.code === "invalid_value" && typeof received === "string" ? didYouMean(received, issue.values.map(String)) : "";
  if (suggestion !== "") {
    text += `.${suggestion}`;
  }
  return [keyPath === "" ? text : `key "${keyPath}": ${text}`];
}

function describeUnknownKey(parentPath: string, key: string): string {
  const fullPath = parentPath === "" ? key : `${parentPath}.${key}`;
  const known = KNOWN_KEYS[parentPath] ?? [];
  const expected = `expected one of ${known.join(", ")}.${didYouMean(key, known)}`;
  if (parentPath === "checks") {
    return `key "${fullPath}": unknown check; ${expected}`;
  }
  return `unknown key "${fullPath}"; ${expected}`;
}

function didYouMean(name: string, candidates: readonly string[]): string {
  const match = closestMatch(name, candidates);
  return match === undefined ? "" : ` Did you mean "${match}"?`;
}

/** The candidate nearest to `name` by edit distance, when near enough to be a likely typo. */
export function closestMatch(name: string, candidates: readonly string[]): string | undefined {
  const wanted = name.toLowerCase();
  const limit = Math.max(2, Math.floor(wanted.length / 2));
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = levenshtein(wanted, candidate.toLowerCase());
    if (distance <= limit && (best === undefined || distance < best.distance)) {
      best = { candidate, distance };
    }
  }
  return best?.candidate;
}

function levenshtein(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

function formatKeyPath(keys: readonly PropertyKey[]): string {
  let text = "";
  for (const key of keys) {
    if (typeof key === "number") {
      text += `[${key}]`;
    } else {
      text += text === "" ? String(key) : `.${String(key)}`;
    }
  }
  return text;
}

function valueAt(input: unknown, keys: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of keys) {
    if (typeof value !== "object" || value === null || typeof key === "symbol") {
      return undefined;
    }
    value = (value as Record<string | number, unknown>)[key];
  }
  return value;
}

const MAX_RECEIVED_LENGTH = 40;

/** The value as the user wrote it, short enough for a one-line message. */
function describeValue(value: unknown): string {
  if (value === undefined) {
    return "nothing";
  }
  // JSON.stringify would print NaN and Infinity (YAML .nan, .inf) as null.
  const text = typeof value === "number" ? String(value) : (JSON.stringify(value) ?? String(value));
  return text.length <= MAX_RECEIVED_LENGTH ? text : `${text.slice(0, MAX_RECEIVED_LENGTH - 1)}…`;
}

function looksLikeDate(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value);
}

function isCalendarDate(value: string): boolean {
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}

/**
 * Anything git could resolve to one commit. A leading dash is refused because the value reaches
 * git's command line, where it would be read as an option; a range ("a..b") is not one commit.
 */
function isCommitish(value: string): boolean {
  return /^[^\s-][^\s\u0000-\u001f\u007f]*$/.test(value) && !value.includes("..");
}

function mergeOntoDefaults(user: UserConfig): Config {
  const defaults = defaultConfig();
  const given = user ?? {};
  return {
    harness: { ...defaults.harness, ...definedEntries(given.harness) },
    postmortems: given.postmortems ?? defaults.postmortems,
    codebase: { ...defaults.codebase, ...definedEntries(given.codebase) },
    checks: { ...defaults.checks, ...definedEntries(given.checks) },
    symbols: { ...defaults.symbols, ...definedEntries(given.symbols) },
    trailer: given.trailer ?? defaults.trailer,
    provenance: { ...defaults.provenance, ...definedEntries(given.provenance) },
    postmortem: { ...defaults.postmortem, ...definedEntries(given.postmortem) },
    baseline: given.baseline === undefined ? defaults.baseline : given.baseline,
  };
}

/** Drops keys set to undefined, so that `{ include: undefined }` from a caller keeps the default. */
function definedEntries<T extends object>(value: T | null | undefined): { [K in keyof T]?: Exclude<T[K], undefined> } {
  if (value === null || value === undefined) {
    return {};
  }
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
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

function configError(label: string, what: string): UserError {
  return new UserError(oneLine(`${label}: ${what}`));
}

/** The CLI prints a UserError as one line; parser messages sometimes quote several. */
function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, " ").trim();
}
