import { UserError } from "../shared/errors.js";
import type { Formatter } from "./types.js";

export type FormatterName = "stylish" | "json" | "sarif" | "github";

// Built-ins only. Unlike ESLint, a format name is never resolved as a path to load code:
// CI runs this on untrusted pull requests, and options and configuration stay data.
// Each loads only when chosen: a run prints one or two formats, and every CLI start pays for
// what it imports.
export const formatters: Record<FormatterName, () => Promise<Formatter>> = {
  stylish: async () => (await import("./stylish.js")).formatStylish,
  json: async () => (await import("./json.js")).formatJson,
  sarif: async () => (await import("./sarif.js")).formatSarif,
  github: async () => (await import("./github.js")).formatGithub,
};

export function isFormatterName(name: string): name is FormatterName {
  // hasOwn, so "constructor" or "__proto__" do not resolve to Object.prototype members.
  return Object.hasOwn(formatters, name);
}

/** The formatter called `name`; an unknown name is a UserError, thrown before anything loads. */
export function getFormatter(name: string): Promise<Formatter> {
  if (!isFormatterName(name)) {
    throw new UserError(`Unknown format ${JSON.stringify(name)}: expected one of ${Object.keys(formatters).join(", ")}.`);
  }
  return formatters[name]();
}
