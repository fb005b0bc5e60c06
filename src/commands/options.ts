// The command line's options: one table, parsed with node:util's parseArgs, with ESLint's short
// forms (-f, -o, -c) and a "did you mean" for a mistyped option.
import { parseArgs } from "node:util";
import { closestMatch } from "../shared/closest.js";
import { UserError } from "../shared/errors.js";

export const CLI_OPTIONS = {
  // Repeatable: `-f github -f sarif:report.sarif` formats one run twice (see parseFormats).
  format: { type: "string", short: "f", multiple: true },
  "output-file": { type: "string", short: "o" },
  "max-warnings": { type: "string" },
  quiet: { type: "boolean" },
  config: { type: "string", short: "c" },
  "print-config": { type: "string" },
  color: { type: "boolean" },
  "no-color": { type: "boolean" },
  cwd: { type: "string" },
  cache: { type: "boolean" },
  "no-cache": { type: "boolean" },
  "cache-location": { type: "string" },
  stdin: { type: "boolean" },
  "stdin-filename": { type: "string" },
  baseline: { type: "string" },
  "write-baseline": { type: "string" },
  debug: { type: "boolean" },
  drift: { type: "boolean" },
  since: { type: "string" },
  fix: { type: "boolean" },
  "fix-dry-run": { type: "boolean" },
  "report-unused-disable-directives": { type: "boolean" },
  "report-unused-disable-directives-severity": { type: "string" },
  staged: { type: "boolean" },
  base: { type: "string" },
  hooks: { type: "boolean" },
  unlinked: { type: "boolean" },
  item: { type: "string" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean", short: "v" },
} as const;

export type CliValues = ReturnType<typeof parseCli>["values"];

/** The commands the first positional argument may name; anything else is a file or folder to lint. */
export const COMMANDS = ["explain", "init", "postmortem", "trace", "review", "commit-msg", "lsp", "mcp"] as const;

export function parseCli(argv: string[]) {
  try {
    return parseArgs({ args: argv, allowPositionals: true, strict: true, options: CLI_OPTIONS });
  } catch (error) {
    throw friendlier(error);
  }
}

/** parseArgs's message, with a suggestion for an option that is one typo away from a real one. */
function friendlier(error: unknown): unknown {
  const code = (error as { code?: string })?.code;
  const message = (error as Error)?.message ?? "";
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
    const option = /Unknown option '([^']+)'/.exec(message)?.[1] ?? "";
    const names = Object.entries(CLI_OPTIONS).flatMap(([name, spec]) => ["--" + name, ...("short" in spec ? ["-" + spec.short] : [])]);
    const match = option.startsWith("--")
      ? closestMatch(
          option,
          names.filter((name) => name.startsWith("--")),
        )
      : undefined;
    return new UserError(`Unknown option "${option}".${match === undefined ? "" : ` Did you mean "${match}"?`} See --help.`);
  }
  if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
    return new UserError(message.split("\n")[0] ?? message);
  }
  return error;
}

/** One report to write: a formatter's name and where its text goes (null: standard output). */
export interface OutputTarget {
  format: string;
  file: string | null;
}

/**
 * `--format NAME` (default stylish) goes to `--output-file` or standard output; `--format
 * NAME:FILE` writes that format to FILE. Several may be given, so one run can print annotations
 * and write SARIF (the GitHub Action does); at most one may go to standard output.
 */
export function parseFormats(formats: readonly string[] | undefined, outputFile: string | undefined): OutputTarget[] {
  const given = formats === undefined || formats.length === 0 ? ["stylish"] : formats;
  const targets = given.map((value): OutputTarget => {
    const colon = value.indexOf(":");
    if (colon === -1) return { format: value, file: outputFile ?? null };
    const file = value.slice(colon + 1);
    if (file === "") throw new UserError(`--format ${value}: name the file after the colon, e.g. --format sarif:report.sarif`);
    return { format: value.slice(0, colon), file };
  });
  const toStdout = targets.filter((target) => target.file === null).length;
  if (toStdout > 1) throw new UserError("more than one --format writes to standard output: give the others a file (--format sarif:report.sarif)");
  return targets;
}

/** The one format a command with a single report (trace, review) uses: the last one given. */
export function singleFormat(formats: readonly string[] | undefined): string | undefined {
  return formats === undefined || formats.length === 0 ? undefined : formats[formats.length - 1];
}
