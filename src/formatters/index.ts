import { UserError } from "../shared/errors.js";
import { formatGithub } from "./github.js";
import { formatJson } from "./json.js";
import { formatSarif } from "./sarif.js";
import { formatStylish } from "./stylish.js";
import type { Formatter } from "./types.js";

export type FormatterName = "stylish" | "json" | "sarif" | "github";

// Built-ins only. Unlike ESLint, a format name is never resolved as a path to load code:
// CI runs this on untrusted pull requests, and options and configuration stay data.
export const formatters: Record<FormatterName, Formatter> = {
  stylish: formatStylish,
  json: formatJson,
  sarif: formatSarif,
  github: formatGithub,
};

export function isFormatterName(name: string): name is FormatterName {
  // hasOwn, so "constructor" or "__proto__" do not resolve to Object.prototype members.
  return Object.hasOwn(formatters, name);
}

export function getFormatter(name: string): Formatter {
  if (!isFormatterName(name)) {
    throw new UserError(`Unknown format ${JSON.stringify(name)}: expected one of ${Object.keys(formatters).join(", ")}.`);
  }
  return formatters[name];
}
