import fg from "fast-glob";
import picomatch from "picomatch";
import { DEFAULT_IGNORED_DIRS } from "../engine/config-types.js";
import { listGitFiles } from "./git.js";
import { basename, dirname } from "./text.js";
import type { Codebase } from "./types.js";

export async function listFiles(root: string, inGit: boolean): Promise<string[]> {
  if (inGit) return listGitFiles(root);
  // Outside git there is no .gitignore to honour; skip the usual dependency and build folders.
  return fg("**/*", {
    cwd: root,
    dot: true,
    onlyFiles: true,
    followSymbolicLinks: false,
    ignore: DEFAULT_IGNORED_DIRS.map((dir) => `**/${dir}/**`),
  });
}

export interface CodebaseOptions {
  include: string[];
  exclude: string[];
  /** Harness files and post-mortems: part of the repository, not of the codebase. */
  harnessFiles: Set<string>;
}

export function buildCodebase(root: string, allFiles: string[], inGit: boolean, options: CodebaseOptions): Codebase {
  const sorted = [...allFiles].sort();
  const included = picomatch(options.include, { dot: true });
  const excluded = options.exclude.length > 0 ? picomatch(options.exclude, { dot: true }) : () => false;
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
