import picomatch from "picomatch";
import { DEFAULT_IGNORED_DIRS, type Config } from "../shared/config-types.js";
import { gitText, splitNul } from "../git/git.js";
import { hookFormatOf } from "../harness/hooks.js";
import type { HookFormat } from "../harness/types.js";
import { assertRevision } from "../git/git-batch.js";
import { pathMatcher } from "../codebase/glob.js";

// Which paths are rule files, hook files and post-mortems, decided the way the linter decides at
// HEAD (src/engine/build-model.ts), so that history and the plain run agree on every path.

const POSTMORTEM_IGNORED = new Set(["TEMPLATE.md", "README.md"]);
const UNDER_IGNORED_DIR = pathMatcher(DEFAULT_IGNORED_DIRS.map((dir) => `**/${dir}/**`));

/** `harness`: a rule file (Markdown); `hook`: a file of hooks; both hold items. */
export type PathKind = "harness" | "hook" | "postmortem" | null;

export const ITEM_KINDS: readonly PathKind[] = ["harness", "hook"];

export interface PathClassifier {
  kindOf(path: string): PathKind;
  /** The hook format of a hook file; null for any other path. */
  hookFormat(path: string): HookFormat | null;
  /** Folders every post-mortem lives under (the globs' fixed prefixes); `[""]` when one is the root. */
  postmortemFolders: string[];
}

/** Classifies paths under this configuration; reads `core.hooksPath`, as the plain run does. */
export async function classifyPaths(root: string, config: Config): Promise<PathClassifier> {
  const isHarness = pathMatcher(config.harness.include, { ignore: config.harness.exclude });
  const isExcluded = config.harness.exclude.length > 0 ? pathMatcher(config.harness.exclude) : () => false;
  const isPostMortem = pathMatcher(config.postmortems);
  const hooksPath = await configuredHooksPath(root);
  const hookFormat = (path: string): HookFormat | null => (isExcluded(path) ? null : hookFormatOf(path, hooksPath));
  const classify = (path: string): PathKind => {
    if (UNDER_IGNORED_DIR(path)) return null;
    if (isPostMortem(path)) return POSTMORTEM_IGNORED.has(path.slice(path.lastIndexOf("/") + 1)) ? null : "postmortem";
    if (isHarness(path)) return "harness";
    return hookFormat(path) !== null ? "hook" : null;
  };
  // History asks about the same paths commit after commit.
  const known = new Map<string, PathKind>();
  const kindOf = (path: string): PathKind => {
    let kind = known.get(path);
    if (kind === undefined) {
      kind = classify(path);
      known.set(path, kind);
    }
    return kind;
  };
  return {
    kindOf,
    hookFormat: (path) => (kindOf(path) === "hook" ? hookFormat(path) : null),
    postmortemFolders: fixedFolders(config.postmortems),
  };
}

/** core.hooksPath, repo-relative, when it points inside the repository (husky's `.husky/_` is husky's own). */
async function configuredHooksPath(root: string): Promise<string | null> {
  try {
    const value = (await gitText(root, ["config", "--get", "core.hooksPath"])).trim();
    if (value === "" || value.startsWith("/") || value.startsWith("..") || value.startsWith(".husky")) return null;
    return value.replace(/^\.\//, "").replace(/\/+$/, "");
  } catch {
    return null;
  }
}

/** The folders globs are rooted in, without ones nested in others; `[""]` when one is the root. */
function fixedFolders(globs: readonly string[]): string[] {
  const folders = [...new Set(globs.map((glob) => picomatch.scan(glob.replace(/^\.\//, "")).base.replace(/\/+$/, "")))].sort();
  if (folders.includes("")) return [""];
  return folders.filter((folder) => !folders.some((other) => other !== folder && folder.startsWith(`${other}/`)));
}

export interface TreeFile {
  path: string;
  oid: string;
}

/** The files of one kind in a commit's tree (`git ls-tree -r`), with their blob ids. */
export async function filesAt(root: string, commit: string, classifier: PathClassifier, kinds: readonly PathKind[]): Promise<TreeFile[]> {
  assertRevision(commit);
  // ls-tree takes no pathspec magic, so the whole tree is listed and filtered here.
  const output = await gitText(root, ["ls-tree", "-r", "-z", "--full-tree", commit]);
  const files: TreeFile[] = [];
  for (const entry of splitNul(output)) {
    const tab = entry.indexOf("\t");
    const [, type, oid] = entry.slice(0, tab).split(" ");
    const path = entry.slice(tab + 1);
    if (type === "blob" && oid !== undefined && kinds.includes(classifier.kindOf(path))) files.push({ path, oid });
  }
  return files;
}

/** The files of one kind in the index (stage 0: conflicted entries are not yet content). */
export async function filesInIndex(root: string, classifier: PathClassifier, kinds: readonly PathKind[]): Promise<TreeFile[]> {
  const output = await gitText(root, ["ls-files", "-s", "-z"]);
  const files: TreeFile[] = [];
  for (const entry of splitNul(output)) {
    const tab = entry.indexOf("\t");
    const [mode, oid, stage] = entry.slice(0, tab).split(" ");
    const path = entry.slice(tab + 1);
    if (stage === "0" && mode !== "160000" && oid !== undefined && kinds.includes(classifier.kindOf(path))) files.push({ path, oid });
  }
  return files;
}
