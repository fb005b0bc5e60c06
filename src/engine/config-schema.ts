// The schema of the configuration and the messages its mistakes get. Apart from config.ts so that
// zod loads only when a configuration file exists.

import { z } from "zod";
import { CHECK_IDS } from "./check-ids.js";
import { closestMatch } from "../shared/closest.js";
import { configError } from "./config-error.js";
import { defaultConfig, type Config } from "../shared/config-types.js";
import { calendarDate } from "../shared/dates.js";

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
  return z
    .strictObject(shape, { error: `expected a mapping of ${what}` })
    .nullable()
    .optional();
}

const harnessShape = { include: globList().optional(), exclude: globList().optional() };
const codebaseShape = {
  include: globList().optional(),
  exclude: globList().optional(),
  maxFileBytes: positiveInteger().optional(),
  index: z.enum(["search", "full"], { error: 'expected "search" or "full"' }).optional(),
};
const symbolsShape = {
  ignore: z.array(z.string({ error: "expected a name or glob string" }), { error: "expected a list of names or globs" }).optional(),
  fenced: z.boolean({ error: "expected true or false" }).optional(),
  wordFallback: z.boolean({ error: "expected true or false" }).optional(),
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
  codebase: section(codebaseShape, "include and exclude globs, maxFileBytes, index"),
  checks: z
    .partialRecord(z.enum(CHECK_IDS), z.enum(SEVERITIES, { error: 'expected "off", "warn" or "error"' }), {
      error: 'expected a mapping of check id to "off", "warn" or "error"',
    })
    .nullable()
    .optional(),
  symbols: section(symbolsShape, "symbol options (ignore, fenced, wordFallback)"),
  trailer: z
    .string({ error: "expected a git trailer key (letters, digits and dashes)" })
    .regex(/^[A-Za-z0-9][A-Za-z0-9-]*$/, { error: 'expected a git trailer key (letters, digits and dashes, such as "Post-Mortem")' })
    .optional(),
  provenance: section(provenanceShape, "provenance options (since)"),
  postmortem: section(postmortemShape, "post-mortem limits (maxWords, maxChanges, landWithinDays)"),
  baseline: z.string({ error: "expected null or a file path" }).min(1, { error: "expected null or a file path" }).nullable().optional(),
};

const configObject = z.strictObject(configShape, { error: "expected a mapping of configuration keys" });
const configSchema = configObject.nullable().optional();

/**
 * The JSON Schema of a configuration file, generated from the zod schema above, for editors
 * (`# yaml-language-server: $schema=...`, `"$schema"` in JSON). `npm run schema` writes it to
 * harnessrc.schema.json; a test keeps the committed file equal to this.
 */
export function configJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(configObject, { target: "draft-7", unrepresentable: "any" }) as Record<string, unknown>;
  return {
    $schema: generated.$schema,
    $id: CONFIG_SCHEMA_URL,
    title: "harness-lint configuration",
    description: 'Configuration of harness-lint (.harnessrc, .harnessrc.json, .harnessrc.yaml, .harnessrc.yml, or the "harness-lint" key of package.json).',
    ...Object.fromEntries(Object.entries(generated).filter(([key]) => key !== "$schema")),
  };
}

/** Where editors find the schema: the file in this repository's main branch. */
export const CONFIG_SCHEMA_URL = "https://raw.githubusercontent.com/harness-lint/harness-lint/main/harnessrc.schema.json";

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
  return calendarDate(value) !== null;
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
