import { lstat, readFile } from "node:fs/promises";
import { join } from "node:path";
import picomatch from "picomatch";
import { buildCodeIndex } from "../model/code-index.js";
import { buildCodebase, listFiles } from "../model/codebase.js";
import { formatOf } from "../model/formats.js";
import { git, ignoredPaths } from "../model/git.js";
import { parseHarnessFile } from "../model/harness.js";
import type { Model } from "../model/model.js";
import { parsePostMortem } from "../model/postmortems.js";
import { judgePath } from "../model/resolve.js";
import { decodeText } from "../model/text.js";
import { hookFormatOf, parseHookFile } from "../model/hooks.js";
import type { CodeIndex, HarnessFile, Hook, InvalidFile, Item, PostMortem, Preamble, Rule } from "../model/types.js";
import type { Config } from "./config-types.js";
import { DEFAULT_IGNORED_DIRS } from "./config-types.js";

export interface ModelOptions {
  root: string;
  inGit: boolean;
  config: Config;
  /** Build the code index (only `stale-symbol` needs it: skipping it skips all parsing). */
  needsCodeIndex: boolean;
}

const EMPTY_INDEX: CodeIndex = { has: () => false, containers: () => undefined };
const POSTMORTEM_IGNORED = new Set(["TEMPLATE.md", "README.md"]);
const UNDER_IGNORED_DIR = picomatch(DEFAULT_IGNORED_DIRS.map((dir) => `**/${dir}/**`), { dot: true });

export async function buildModel(options: ModelOptions): Promise<Model> {
  const { root, config } = options;
  const allFiles = await listFiles(root, options.inGit);
  const isHarness = picomatch(config.harness.include, { dot: true, ignore: config.harness.exclude });
  const isPostMortem = picomatch(config.postmortems, { dot: true });
  const harnessPaths: string[] = [];
  const postmortemPaths: string[] = [];
  const hookPaths: string[] = [];
  const hooksPath = options.inGit ? await configuredHooksPath(root) : null;
  for (const file of allFiles) {
    if (UNDER_IGNORED_DIR(file)) continue;
    const name = file.slice(file.lastIndexOf("/") + 1);
    if (isPostMortem(file)) {
      if (!POSTMORTEM_IGNORED.has(name)) postmortemPaths.push(file);
    } else if (isHarness(file)) harnessPaths.push(file);
    else if (hookFormatOf(file, hooksPath) !== null && !config.harness.exclude.some((glob) => picomatch.isMatch(file, glob, { dot: true }))) hookPaths.push(file);
  }
  const codebase = buildCodebase(root, allFiles, options.inGit, {
    include: config.codebase.include,
    exclude: config.codebase.exclude,
    harnessFiles: new Set([...harnessPaths, ...postmortemPaths, ...hookPaths]),
  });

  const invalidFiles: InvalidFile[] = [];
  const harnessFiles: HarnessFile[] = [];
  const items: Item[] = [];
  const texts: Array<Rule | Hook | Preamble> = [];
  for (const { path, bytes } of await readAll(root, harnessPaths)) {
    const decoded = decodeText(bytes);
    if (!decoded.ok) {
      invalidFiles.push({ file: path, message: decoded.reason, span: { start: decoded.position, end: decoded.position } });
      continue;
    }
    const file: HarnessFile = { path, format: formatOf(path).format, text: decoded.text };
    harnessFiles.push(file);
    const parsed = parseHarnessFile(file, { fenced: config.symbols.fenced });
    if (parsed.invalid) invalidFiles.push(parsed.invalid);
    if (parsed.preamble) texts.push(parsed.preamble);
    items.push(...parsed.rules);
    texts.push(...parsed.rules);
  }

  const hooks: Hook[] = [];
  for (const { path, bytes } of await readAll(root, hookPaths)) {
    const decoded = decodeText(bytes);
    if (!decoded.ok) {
      invalidFiles.push({ file: path, message: decoded.reason, span: { start: decoded.position, end: decoded.position } });
      continue;
    }
    const parsed = parseHookFile(path, hookFormatOf(path, hooksPath)!, decoded.text);
    if (parsed.invalid) invalidFiles.push(parsed.invalid);
    hooks.push(...parsed.hooks);
  }
  texts.push(...hooks);

  const postmortems: PostMortem[] = [];
  for (const { path, bytes } of await readAll(root, postmortemPaths)) {
    const decoded = decodeText(bytes);
    if (!decoded.ok) {
      invalidFiles.push({ file: path, message: decoded.reason, span: { start: decoded.position, end: decoded.position } });
      continue;
    }
    const parsed = parsePostMortem(path, decoded.text);
    postmortems.push(parsed.postmortem);
    if (parsed.invalid) invalidFiles.push(parsed.invalid);
  }

  const packages = await readPackageNames(root, codebase.codeFiles);
  const codeIndex = options.needsCodeIndex ? await buildCodeIndex(root, codebase.codeFiles) : EMPTY_INDEX;
  const model: Model = {
    root,
    config,
    harnessFiles,
    items,
    hooks,
    texts,
    executables: await executableScripts(root, hooks),
    postmortems,
    invalidFiles,
    codebase,
    codeIndex,
    packages,
    ignoredPaths: new Set(),
    isHarnessPath: (path) => isHarness(path),
  };
  if (options.inGit) model.ignoredPaths = await ignoredAmongMissing(model);
  return model;
}

/** Ask git about ignore rules only for path mentions that do not resolve: usually none. */
async function ignoredAmongMissing(model: Model): Promise<Set<string>> {
  const context = { codebase: model.codebase, packages: model.packages, ignored: new Set<string>() };
  const candidates = new Set<string>();
  for (const text of model.texts) {
    for (const mention of text.mentions) {
      if (mention.kind === "symbol") continue;
      const verdict = judgePath(mention, text.file, context);
      if (verdict.status === "missing") for (const path of verdict.tried) candidates.add(path);
    }
  }
  if (candidates.size === 0) return new Set();
  return ignoredPaths(model.root, [...candidates]);
}

interface ReadFile {
  path: string;
  bytes: Uint8Array;
}

/** core.hooksPath, repo-relative, when it points inside the repository (husky's `.husky/_` excluded). */
async function configuredHooksPath(root: string): Promise<string | null> {
  try {
    const value = (await git(root).raw(["config", "--get", "core.hooksPath"])).trim();
    if (value === "" || value.startsWith("/") || value.startsWith("..") || value.startsWith(".husky")) return null;
    return value.replace(/^\.\//, "").replace(/\/+$/, "");
  } catch {
    return null;
  }
}

/** Of the scripts hooks run directly, those with an executable bit. */
async function executableScripts(root: string, hooks: Hook[]): Promise<Set<string>> {
  const executables = new Set<string>();
  const paths = new Set(hooks.flatMap((hook) => hook.mentions.filter((m) => m.runDirectly).map((m) => m.value)));
  await Promise.all(
    [...paths].map(async (path) => {
      try {
        const info = await lstat(join(root, path));
        if (info.isFile() && (info.mode & 0o111) !== 0) executables.add(path);
      } catch {
        // missing: stale-path reports it
      }
    }),
  );
  return executables;
}

async function readAll(root: string, paths: string[]): Promise<ReadFile[]> {
  const results = await Promise.all(
    paths.map(async (path): Promise<ReadFile | null> => {
      try {
        return { path, bytes: new Uint8Array(await readFile(join(root, path))) };
      } catch {
        return null; // deleted or unreadable since listing: nothing to lint
      }
    }),
  );
  return results.filter((r): r is ReadFile => r !== null);
}

const DEPENDENCY_FIELDS = ["dependencies", "devDependencies", "peerDependencies", "optionalDependencies", "bundledDependencies"];

/** Names of the repository's own packages and everything they depend on: never stale. */
async function readPackageNames(root: string, files: string[]): Promise<Set<string>> {
  const names = new Set<string>();
  const manifests = files.filter((file) => file === "package.json" || file.endsWith("/package.json"));
  for (const { bytes } of await readAll(root, manifests)) {
    try {
      const json = JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
      if (typeof json.name === "string") names.add(json.name);
      for (const field of DEPENDENCY_FIELDS) {
        const value = json[field];
        if (value && typeof value === "object" && !Array.isArray(value)) for (const name of Object.keys(value)) names.add(name);
      }
    } catch {
      // A broken package.json is not a harness file; it just contributes no names.
    }
  }
  return names;
}
