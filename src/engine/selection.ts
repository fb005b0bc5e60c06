// File arguments (`harness-lint CLAUDE.md .cursor/rules`) and `--stdin --stdin-filename F`: the
// whole repository is still read (a rule's names resolve against the whole codebase, and a
// post-mortem may cite any rule), and the report keeps what is in the named files and folders.
import { statSync } from "node:fs";
import { isAbsolute, relative, resolve, sep } from "node:path";
import type { Finding } from "../harness/types.js";
import type { FileSource, FileContent } from "../git/file-source.js";
import type { LintResult } from "../shared/findings.js";
import { UserError } from "../shared/errors.js";
import type { Model } from "./model.js";

/** The repo-relative path ("" for the root) a command-line path names; it must be inside the repository. */
export function repoPath(root: string, cwd: string, given: string): string {
  const inside = relative(root, resolve(cwd, given));
  if (inside.startsWith("..") || isAbsolute(inside)) throw new UserError(`"${given}" is outside the repository at ${root}`);
  return inside.split(sep).join("/");
}

/** Repo-relative paths of the files and folders named on the command line, each checked to exist. */
export function namedPaths(root: string, cwd: string, given: readonly string[], hint: (name: string) => string = () => ""): string[] {
  return given.map((name) => {
    if (statSync(resolve(cwd, name), { throwIfNoEntry: false }) === undefined) {
      throw new UserError(`No such file or folder: "${name}".${hint(name)}`);
    }
    return repoPath(root, cwd, name);
  });
}

function under(file: string, path: string): boolean {
  return path === "" || file === path || file.startsWith(`${path}/`);
}

/** Every file the model lints: harness files, hook files, post-mortems, and files that could not be read. */
function lintedFiles(model: Model): Set<string> {
  return new Set([...model.harnessFiles.map((file) => file.path), ...model.items.map((item) => item.file), ...model.postmortems.map((pm) => pm.path), ...model.invalidFiles.map((file) => file.file)]);
}

/**
 * The run's result narrowed to `paths`; each path must hold at least one linted file, as ESLint
 * refuses a pattern that matches no file.
 */
export function selectResult(result: LintResult, model: Model, paths: readonly string[], shown: readonly string[]): LintResult {
  const linted = [...lintedFiles(model)];
  paths.forEach((path, index) => {
    if (!linted.some((file) => under(file, path))) {
      throw new UserError(`"${shown[index] ?? path}" holds no harness file or post-mortem (harness.include and postmortems in the configuration say which files are linted)`);
    }
  });
  const keep = (file: string) => paths.some((path) => under(file, path));
  const findings = result.findings.filter((finding: Finding) => keep(finding.file));
  const pmPaths = new Set(model.postmortems.map((pm) => pm.path));
  return {
    ...result,
    findings,
    summary: {
      errors: findings.filter((f) => f.severity === "error").length,
      warnings: findings.filter((f) => f.severity === "warn").length,
      items: model.items.filter((item) => keep(item.file)).length,
      postmortems: [...pmPaths].filter(keep).length,
      files: linted.filter(keep).length,
    },
  };
}

/** The work tree with one file's text replaced (or added): what `--stdin --stdin-filename F` lints. */
export function withText(source: FileSource, path: string, bytes: Uint8Array): FileSource {
  const content: FileContent = { kind: "bytes", bytes };
  return {
    kind: source.kind,
    files: source.files.includes(path) ? source.files : [...source.files, path],
    objectFormat: source.objectFormat,
    // No blob id: the caches must not answer for text they never saw.
    blobId: (file) => (file === path ? undefined : source.blobId(file)),
    stagedBlobId: (file) => (file === path ? undefined : source.stagedBlobId(file)),
    readText: (file) => (file === path ? Promise.resolve(bytes) : source.readText(file)),
    readCode: (file, maxBytes) => (file === path ? Promise.resolve(content) : source.readCode(file, maxBytes)),
    isExecutable: (file) => (file === path ? Promise.resolve(false) : source.isExecutable(file)),
    close: () => source.close(),
  };
}
