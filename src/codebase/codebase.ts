import { DEFAULT_IGNORED_DIRS } from "../shared/config-types.js";
import { plainDirectorySource, workTreeSource, type FileSource } from "../git/file-source.js";
import { listGitFiles } from "../git/git.js";
import { basename, dirname } from "../shared/text.js";
import type { Codebase } from "./types.js";
import { globEndings, pathRegExp } from "./glob.js";

export async function listFiles(root: string, inGit: boolean): Promise<string[]> {
  if (inGit) return listGitFiles(root);
  // Outside git there is no .gitignore to honour; skip the usual dependency and build folders.
  // Loaded only here: a run inside git never needs a file-system crawler.
  const { default: fg } = await import("fast-glob");
  return fg("**/*", {
    cwd: root,
    dot: true,
    onlyFiles: true,
    followSymbolicLinks: false,
    ignore: DEFAULT_IGNORED_DIRS.map((dir) => `**/${dir}/**`),
  });
}

/** The work tree as a normal run reads it: git's view (with blob ids) in a repository, else the folder. */
export async function openWorkTree(root: string, inGit: boolean): Promise<FileSource> {
  if (inGit) return workTreeSource(root);
  return plainDirectorySource(root, await listFiles(root, false));
}

export interface CodebaseOptions {
  include: string[];
  exclude: string[];
  /** Harness files and post-mortems: part of the repository, not of the codebase. */
  harnessFiles: Set<string>;
}

export function buildCodebase(root: string, allFiles: string[], inGit: boolean, options: CodebaseOptions): Codebase {
  const sorted = [...allFiles].sort();
  const included = globTester(options.include, true);
  const excluded = globTester(options.exclude, false);
  const codeFiles = sorted.filter((file) => !options.harnessFiles.has(file) && included(file) && !excluded(file));
  const dirSet = new Set<string>([""]);
  const byBasename = new Map<string, string[]>();
  for (const file of sorted) {
    for (let dir = dirname(file); dir !== "" && !dirSet.has(dir); dir = dirname(dir)) dirSet.add(dir);
    const name = basename(file);
    const list = byBasename.get(name);
    if (list) list.push(file);
    else byBasename.set(name, [file]);
  }
  return { root, allFiles: sorted, codeFiles, fileSet: new Set(sorted), dirSet, byBasename, inGit };
}

const EVERYTHING: ReadonlySet<string> = new Set(["**", "**/*"]);

/**
 * A test for a list of globs, run once per file: compiled to plain regular expressions, since
 * picomatch's matcher builds a result object per call, which over thousands of files costs
 * more than the match. `empty` is the answer for an empty list.
 */
export function globTester(globs: readonly string[], empty: boolean): (path: string) => boolean {
  if (globs.length === 0) return () => empty;
  if (globs.some((glob) => EVERYTHING.has(glob))) return () => true;
  const expressions = globs.map(pathRegExp);
  // As picomatch does: a path equal to the glob matches, though `[id].md` as a pattern would not.
  const literal = new Set(globs);
  const test = (path: string) => literal.has(path) || expressions.some((expression) => expression.test(path));
  // Most paths end with none of the globs' literal endings (`.md`, `CLAUDE.md`): a few string
  // comparisons turn them away before each glob is tried (the harness list over 9,000 paths).
  const endings = globs.map(globEndings);
  if (endings.some((list) => list === null)) return test;
  const distinct = [...new Set(endings.flatMap((list) => list!))];
  const ends = distinct.filter((end) => !distinct.some((other) => other !== end && end.endsWith(other)));
  return (path) => (ends.some((end) => path.endsWith(end)) || literal.has(path)) && test(path);
}
