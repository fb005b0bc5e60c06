import { pathMatcher } from "../codebase/glob.js";
import { cacheDirectory } from "../git/cache-directory.js";
import { hookFormatOf } from "../harness/hooks.js";
import { judgePath, judgeSymbol, type SymbolContext } from "../harness/resolve.js";
import { gatherEvidence, type EvidenceFacts, type MissingMention } from "../history/evidence.js";
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
  const missing = missingMentions(model, only);
  const { include, exclude } = model.config.codebase;
  const included = pathMatcher(include.length > 0 ? include : ["**"]);
  const excluded = exclude.length > 0 ? pathMatcher(exclude) : () => false;
  const isPostMortem = pathMatcher(model.config.postmortems);
  const isCodePath = (path: string) => included(path) && !excluded(path) && !NOT_CODE(path) && !model.isHarnessPath(path) && !isPostMortem(path) && hookFormatOf(path) === null;
  return gatherEvidence(model.root, inGit, missing, {
    isCodePath,
    packages: model.packages,
    ignore: symbolContext(model).ignore,
    codebase: model.codebase,
    codebaseOptions: { include, exclude },
    cacheDirectory: inGit ? await cacheDirectory(model.root, true) : null,
  });
}

/** Every mention the current codebase does not resolve (of those `only` accepts). */
export function missingMentions(model: Model, only?: (file: string, mention: Mention) => boolean): MissingMention[] {
  const symbols = symbolContext(model);
  const paths = { codebase: model.codebase, packages: model.packages, ignored: model.ignoredPaths };
  const missing: MissingMention[] = [];
  for (const text of model.texts) {
    for (const mention of text.mentions) {
      if (only !== undefined && !only(text.file, mention)) continue;
      const verdict = mention.kind === "symbol" ? judgeSymbol(mention.value, symbols) : judgePath(mention, text.file, paths);
      if (verdict.status === "missing") missing.push({ file: text.file, mention });
    }
  }
  return missing;
}

function symbolContext(model: Model): SymbolContext {
  const patterns = model.config.symbols.ignore;
  const ignore = patterns.length > 0 ? pathMatcher(patterns) : () => false;
  return { index: model.codeIndex, packages: model.packages, codebase: model.codebase, ignore };
}
