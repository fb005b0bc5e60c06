import { defineCheck } from "../src/engine/check.js";
import { judgePath, judgeSymbol, type SymbolContext } from "../src/harness/resolve.js";
import type { Model } from "../src/engine/model.js";
import { pathMatcher } from "../src/codebase/glob.js";
import { editDistance } from "../src/shared/closest.js";

export { editDistance };

// A name the codebase never had is not stale (SPEC 5, "Stale means it was here"): it may be an
// environment variable of another service, a dependency's API, a placeholder. It is worth a
// warning only when it is clearly a misspelling of a name this codebase has: one edit away (two
// for long names), same first letter, same case style, not a digit or a plural apart, and the
// only name that close. Anything less certain stays quiet.

type MessageId = "typo" | "typoMember" | "typoPath";

export default defineCheck<MessageId>({
  id: "unknown-name",
  description: "A rule names, as if it were this codebase's code, a name or path the codebase never had, close to one it has",
  category: "staleness",
  defaultSeverity: "warn",
  messages: {
    typo: "`{{name}}` is not declared anywhere, and never was; did you mean `{{suggestion}}`?",
    typoMember: "`{{container}}` has no member `{{member}}`, and never had; did you mean `{{suggestion}}`?",
    typoPath: "`{{path}}` does not exist, and never did; did you mean `{{suggestion}}`?",
  },
  run(model, context) {
    // Only history can tell "never here" from "gone": without it, stale-symbol and stale-path judge by absence.
    const evidence = model.evidence;
    if (evidence === undefined || !evidence.complete) return;
    const symbols = symbolContext(model);
    const paths = { codebase: model.codebase, packages: model.packages, ignored: model.ignoredPaths };
    for (const text of model.texts) {
      for (const mention of text.mentions) {
        // Evidence makes it stale; a mention that counts only with evidence is never a typo either.
        if (evidence.of(text.file, mention) !== undefined || mention.onlyWithEvidence === true) continue;
        const item = text.kind === "preamble" ? undefined : text.ref;
        const where = { file: text.file, span: mention.span, mention: mention.value, ...(item !== undefined ? { item } : {}) };
        if (mention.kind === "symbol") {
          const verdict = judgeSymbol(mention.value, symbols);
          if (verdict.status !== "missing") continue;
          const [container, member] = (verdict.missing ?? mention.value).split(".");
          if (member === undefined) {
            const suggestion = closestName(container!, model.codeIndex.namesNear?.(container!) ?? []);
            if (suggestion !== undefined) context.report({ messageId: "typo", data: { name: container!, suggestion }, hint: `Write \`${suggestion}\` if that is what the rule means.`, ...where });
          } else {
            const members = (model.codeIndex.containers(container!) ?? []).flatMap((info) => [...info.members]);
            const suggestion = closestName(member, members);
            if (suggestion !== undefined) {
              context.report({
                messageId: "typoMember",
                data: { container: container!, member, suggestion: `${container}.${suggestion}` },
                hint: `Write \`${container}.${suggestion}\` if that is what the rule means.`,
                ...where,
              });
            }
          }
        } else if (mention.kind === "path") {
          const verdict = judgePath(mention, text.file, paths);
          if (verdict.status !== "missing") continue;
          const suggestion = closestPath(verdict.tried, model);
          if (suggestion !== undefined)
            context.report({ messageId: "typoPath", data: { path: mention.value, suggestion }, hint: `Point the rule at \`${suggestion}\` if that is what it means.`, ...where });
        }
      }
    }
  },
});

function symbolContext(model: Model): SymbolContext {
  const patterns = model.config.symbols.ignore;
  const ignore = patterns.length > 0 ? pathMatcher(patterns) : () => false;
  return { index: model.codeIndex, packages: model.packages, codebase: model.codebase, ignore };
}

const MIN_LENGTH = 5;

/** The one name a misspelling most plausibly means, or undefined when none is clearly it. */
export function closestName(name: string, candidates: Iterable<string>): string | undefined {
  if (name.length < MIN_LENGTH) return undefined;
  const allowed = name.length >= 12 ? 2 : 1;
  const style = styleOf(name);
  let best: string | undefined;
  let bestDistance = Infinity;
  let ties = 0;
  for (const candidate of new Set(candidates)) {
    if (candidate === name || candidate[0] !== name[0] || Math.abs(candidate.length - name.length) > allowed) continue;
    if (styleOf(candidate) !== style || !meaningfullyDifferent(name, candidate)) continue;
    const distance = editDistance(name, candidate, allowed);
    if (distance > allowed) continue;
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
      ties = 0;
    } else if (distance === bestDistance) ties++;
  }
  return ties === 0 ? best : undefined;
}

/** A path one edit away in its file name, in the same folder: `src/confg.ts` for `src/config.ts`. */
function closestPath(tried: readonly string[], model: Model): string | undefined {
  const found = new Set<string>();
  for (const path of tried) {
    const slash = path.lastIndexOf("/");
    const folder = slash === -1 ? "" : path.slice(0, slash);
    const name = path.slice(slash + 1);
    if (!/\.[A-Za-z0-9]+$/.test(name) || (folder !== "" && !model.codebase.dirSet.has(folder))) continue;
    const siblings = model.codebase.allFiles.filter((file) => (folder === "" ? !file.includes("/") : file.startsWith(`${folder}/`) && !file.slice(folder.length + 1).includes("/")));
    const suggestion = closestName(
      name,
      siblings.map((file) => file.slice(file.lastIndexOf("/") + 1)),
    );
    if (suggestion !== undefined) found.add(folder === "" ? suggestion : `${folder}/${suggestion}`);
  }
  return found.size === 1 ? [...found][0] : undefined;
}

type Style = "screaming" | "snake" | "kebab" | "pascal" | "camel" | "other";

function styleOf(name: string): Style {
  if (/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$/.test(name)) return "screaming";
  if (/^[a-z][a-z0-9]*(_[a-z0-9]+)+$/.test(name)) return "snake";
  if (/^[a-z0-9.]+(-[a-z0-9.]+)+$/.test(name)) return "kebab";
  if (/^[A-Z][a-z0-9]+([A-Z][a-z0-9]*)+$/.test(name)) return "pascal";
  if (/^[a-z][a-z0-9]*([A-Z][a-z0-9]*)+$/.test(name)) return "camel";
  return "other";
}

/** Not a version (`V2`/`V3`), a count, or a plural apart: those are other names, not typos. */
function meaningfullyDifferent(a: string, b: string): boolean {
  if (a.replace(/\d+/g, "") === b.replace(/\d+/g, "")) return false;
  const singular = (text: string) => text.replace(/(?:es|s)((?:\.[A-Za-z0-9]+)?)$/, "$1");
  return singular(a) !== singular(b);
}
