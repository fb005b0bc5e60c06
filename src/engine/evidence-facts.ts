import { createHash } from "node:crypto";
import { pathMatcher } from "../codebase/glob.js";
import { cacheDirectory } from "../git/cache-directory.js";
import { hookFormatOf } from "../harness/hooks.js";
import { judgePath, judgeSymbol, type SymbolContext } from "../harness/resolve.js";
import { gatherEvidence, type EvidenceFacts, type EvidenceOptions, type MissingMention } from "../history/evidence.js";
import type { Mention } from "../harness/types.js";
import type { Model } from "./model.js";

// The engine's side of "stale means it was here": which mentions the current codebase does not
// resolve (the same judges the checks use), and history's evidence for them, put on the model
// before the checks run so they stay pure.

// Prose, lock files and baselines name things without being code: a name there proves nothing.
const NOT_CODE = pathMatcher([
  "**/*.md",
  "**/*.mdx",
  "**/*.markdown",
  "**/*.txt",
  "**/*.rst",
  "**/*.adoc",
  "**/CHANGELOG*",
  "**/CHANGES*",
  "**/HISTORY*",
  "**/NEWS*",
  "**/*.lock",
  "**/package-lock.json",
  "**/npm-shrinkwrap.json",
  "**/pnpm-lock.yaml",
  "**/yarn.lock",
  "**/go.sum",
  "**/*baseline*.json",
]);

/** `only`: the mentions history is asked about (default every one); `--staged` asks about those the commit answers for. */
export async function buildEvidence(model: Model, inGit: boolean, only?: (file: string, mention: Mention) => boolean): Promise<EvidenceFacts> {
  // The rule files' history walks are kept in the repository's cache folder for the next run at the same HEAD.
  const options = { ...evidenceOptions(model), cacheDirectory: inGit ? await cacheDirectory(model.root, true) : null };
  return gatherEvidence(model.root, inGit, missingMentions(model, only), options);
}

/** What history is read with: which paths hold code, and how names and paths are judged. */
export function evidenceOptions(model: Model): EvidenceOptions {
  const { include, exclude } = model.config.codebase;
  const included = pathMatcher(include.length > 0 ? include : ["**"]);
  const excluded = exclude.length > 0 ? pathMatcher(exclude) : () => false;
  const isPostMortem = pathMatcher(model.config.postmortems);
  const isCodePath = (path: string) => included(path) && !excluded(path) && !NOT_CODE(path) && !model.isHarnessPath(path) && !isPostMortem(path) && hookFormatOf(path) === null;
  return {
    isCodePath,
    packages: model.packages,
    ignore: symbolContext(model).ignore,
    codebase: model.codebase,
    codebaseOptions: { include, exclude },
    contextKey: () => evidenceContextKey(model),
  };
}

/** Every mention the current codebase does not resolve (of those `only` accepts). */
export function missingMentions(model: Model, only?: (file: string, mention: Mention) => boolean): MissingMention[] {
  const symbols = symbolContext(model);
  const paths = { codebase: model.codebase, packages: model.packages, ignored: model.ignoredPaths };
  const missing: MissingMention[] = [];
  for (const text of model.texts) {
    for (const mention of text.mentions) {
      if (only !== undefined && !only(text.file, mention)) continue;
      if (mention.kind === "symbol") {
        // What is gone: the head `A`, or `A.b` when A lacks b; history is searched for that.
        const verdict = judgeSymbol(mention.value, symbols);
        if (verdict.status === "missing") missing.push({ file: text.file, mention, ...(verdict.missing !== undefined ? { missing: verdict.missing } : {}) });
      } else {
        const verdict = judgePath(mention, text.file, paths);
        if (verdict.status === "missing") missing.push({ file: text.file, mention });
        // Found only under a package's folder: it may be a root path that moved there.
        else if (verdict.status === "exists" && verdict.fromPackage === true) missing.push({ file: text.file, mention, fromPackage: true });
      }
    }
  }
  return missing;
}

export function symbolContext(model: Model): SymbolContext {
  const patterns = model.config.symbols.ignore;
  const ignore = patterns.length > 0 ? pathMatcher(patterns) : () => false;
  return { index: model.codeIndex, packages: model.packages, codebase: model.codebase, ignore };
}

/**
 * What the answers of history depend on besides HEAD and the questions: the configuration (which
 * paths are code, what is ignored), the harness files, the packages, and the file list (a path is
 * judged against it). Not the files' contents: evidence is read from commits.
 */
function evidenceContextKey(model: Model): string {
  const known = contextKeys.get(model);
  if (known !== undefined) return known;
  const hash = createHash("sha256").update(JSON.stringify(model.config)).update("\0");
  for (const name of [...model.packages].sort()) hash.update(name).update("\n");
  hash.update("\0");
  for (const path of model.codebase.allFiles) hash.update(path).update(model.isHarnessPath(path) ? "\n1" : "\n0");
  const key = hash.digest("hex");
  contextKeys.set(model, key);
  return key;
}

/** One key per model: the stale names and the lapsed examples ask with the same context. */
const contextKeys = new WeakMap<Model, string>();
