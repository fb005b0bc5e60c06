import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, statSync } from "node:fs";
import { basename, dirname, isAbsolute, join, relative, resolve } from "node:path";
import { writeFileAtomicSync } from "../shared/atomic-write.js";
import { assertNoLinkBelow, isInside } from "../shared/confined-path.js";
import { readRegularFileSync, utf8 } from "../shared/read-file.js";
import { CONFIG_SEARCH_PLACES, PACKAGE_JSON_KEY } from "../engine/config.js";
import { DEFAULT_HARNESS_INCLUDE } from "../shared/config-types.js";
import { UserError } from "../shared/errors.js";
import { listFiles } from "../codebase/codebase.js";
import { gitText } from "../git/git.js";
import { pathMatcher } from "../codebase/glob.js";
import { COMMIT_MSG_LINE, HOOK_SHEBANG, PRE_COMMIT_LINE, STOP_COMMENT, STOP_LINE } from "../shared/hook-lines.js";

export const POSTMORTEM_TEMPLATE = `---
id: PM-0000
date: YYYY-MM-DD
title: One line on what went wrong
trigger: redo            # redo (>= 1 h of redo) | repeat (same failure twice in two weeks) | near-miss
pattern: other           # ambiguous-request | unfamiliar-area | literal-rule | escalation | model-drift | other
changes:                 # refs of the harness items this post-mortem justifies, e.g. CLAUDE.md#orient-before-editing
  - CLAUDE.md#heading-of-the-rule
commits: []              # optional: commits that landed the changes
---
# One line on what went wrong

## What happened

## What the agent was working from

## Where the layers failed

## What changes

## What we are not doing
`;

export { COMMIT_MSG_LINE, PRE_COMMIT_LINE } from "../shared/hook-lines.js";

export interface InitResult {
  /** One line per file: created, extended, or kept as it was. */
  lines: string[];
}

/** `harness-lint init [--hooks]`: writes only files that do not exist, extends hooks in place. */
export async function runInit(root: string, options: { hooks: boolean; inGit: boolean }): Promise<InitResult> {
  // Never create the folder itself: a mistyped --cwd must not leave a new tree behind.
  if (!(statSync(root, { throwIfNoEntry: false })?.isDirectory() ?? false)) throw new UserError(`${root} is not a directory (--cwd)`);
  if (options.hooks && !options.inGit) throw new UserError(`${root} is not a git repository; --hooks needs one`);
  const lines: string[] = [];
  const existingConfig = CONFIG_SEARCH_PLACES.find((place) => hasConfig(root, place));
  if (existingConfig) lines.push(`kept ${existingConfig} (a configuration already exists)`);
  else {
    const found = await harnessFilesFound(root, options.inGit);
    writeNew(root, ".harnessrc.yml", configText(found));
    lines.push(`created .harnessrc.yml (${found.length} harness file${found.length === 1 ? "" : "s"} found)`);
  }
  const template = "docs/postmortems/TEMPLATE.md";
  if (existsSync(join(root, template))) lines.push(`kept ${template}`);
  else {
    writeNew(root, template, POSTMORTEM_TEMPLATE);
    lines.push(`created ${template}`);
  }
  if (options.hooks) {
    const { dir: hooksDir, within } = await hooksDirectory(root);
    const husky = huskyFolder(root, hooksDir);
    for (const [name, command] of [
      ["pre-commit", PRE_COMMIT_LINE],
      ["commit-msg", COMMIT_MSG_LINE],
    ] as const) {
      const dir = husky?.dir ?? hooksDir;
      // No link on the way out of the folder the hooks belong in (a committed .husky -> /elsewhere).
      assertNoLinkBelow(within, join(dir, name), relative(root, join(dir, name)) || name);
      lines.push(installHook(root, dir, name, command, husky?.runsWithSh ?? false));
    }
  }
  return { lines };
}

function hasConfig(root: string, place: string): boolean {
  const path = join(root, place);
  if (!existsSync(path)) return false;
  if (place !== "package.json") return true;
  try {
    return PACKAGE_JSON_KEY in (JSON.parse(utf8(readRegularFileSync(path, "package.json", { maxBytes: 16 << 20 }))) as Record<string, unknown>);
  } catch {
    return false;
  }
}

async function harnessFilesFound(root: string, inGit: boolean): Promise<string[]> {
  const isHarness = pathMatcher([...DEFAULT_HARNESS_INCLUDE], { ignore: ["**/node_modules/**"] });
  return (await listFiles(root, inGit)).filter((file) => isHarness(file)).sort();
}

/** Where editors find the configuration's JSON Schema (the file `npm run schema` writes). */
const SCHEMA_URL = "https://raw.githubusercontent.com/harness-lint/harness-lint/main/harnessrc.schema.json";
const EXAMPLE_URL = "https://github.com/harness-lint/harness-lint/blob/main/.harnessrc.example.yml";

/**
 * A short configuration, as `eslint --init` writes one: only what differs from the defaults, which
 * at first is nothing, so every line is a comment (an empty configuration means the defaults);
 * the first names the JSON Schema for YAML editors. Every key and its default is in
 * .harnessrc.example.yml. The adoption point is not set: items older than it would need no
 * post-mortem link for any later change.
 */
export function configText(found: string[]): string {
  const listing = found.length === 0 ? ["#   (none yet)"] : found.map((file) => `#   ${file}`);
  return [
    `# yaml-language-server: $schema=${SCHEMA_URL}`,
    "# harness-lint configuration, written by `harness-lint init`: only what differs from the defaults.",
    `# Every key with its default: ${EXAMPLE_URL}`,
    "# (also node_modules/harness-lint/.harnessrc.example.yml).",
    "# Harness files the defaults found when it was written:",
    ...listing,
    "#",
    "# For example, until the first post-mortems are written:",
    "# checks:",
    "#   uncited-rule: off",
    "",
  ].join("\n");
}

/**
 * Where git runs hooks from: core.hooksPath when set (husky sets it), else .git/hooks. A hooks
 * path the repository's own config sets (whoever wrote .git chose it) must stay inside the
 * repository; one from the user's global config is the user's choice. The git folder's hooks
 * must stay inside the git folder.
 */
async function hooksDirectory(root: string): Promise<{ dir: string; within: string }> {
  let configured = "";
  try {
    configured = (await gitText(root, ["config", "--show-scope", "--get", "core.hooksPath"])).trim();
  } catch {
    // unset: git exits 1
  }
  if (configured !== "") {
    const tab = configured.indexOf("\t");
    const scope = configured.slice(0, tab);
    const value = configured.slice(tab + 1);
    const dir = isAbsolute(value) ? value : resolve(root, value);
    const fromRepository = scope === "local" || scope === "worktree";
    if (fromRepository && !isInside(root, dir)) {
      throw new UserError(`core.hooksPath in this repository's git config points outside it (${dir}); refusing to install hooks there: remove it, or set it in your global config`);
    }
    return { dir, within: fromRepository ? root : dir };
  }
  if (existsSync(join(root, ".husky")) && lstatSync(join(root, ".husky")).isDirectory()) return { dir: join(root, ".husky"), within: root };
  // Not `--git-path hooks`: every git harness-lint runs has core.hooksPath disarmed (src/git/command.ts).
  const common = (await gitText(root, ["rev-parse", "--git-common-dir"])).trim();
  const gitDir = isAbsolute(common) ? common : resolve(root, common);
  return { dir: join(gitDir, "hooks"), within: gitDir };
}

interface HuskyFolder {
  /** Where the user's hooks live: `.husky/`, or the folder given to `husky <dir>`. */
  dir: string;
  /** husky 9 runs each hook with `sh -e` from its `_` folder: no shebang, and any failing line stops the hook. */
  runsWithSh: boolean;
}

/**
 * husky 9 points core.hooksPath at `<dir>/_`, a folder it owns and rewrites (its runner `h`); the
 * user's hooks are the files in `<dir>`. husky 8 points it at `.husky` itself.
 */
function huskyFolder(root: string, hooksDir: string): HuskyFolder | null {
  const rel = relative(root, hooksDir).split("\\").join("/");
  if (rel === ".husky") return { dir: hooksDir, runsWithSh: !existsSync(join(hooksDir, "_", "husky.sh")) || existsSync(join(hooksDir, "_", "h")) };
  const owned = rel === ".husky/_" || existsSync(join(hooksDir, "h")) || existsSync(join(hooksDir, "husky.sh"));
  if (basename(hooksDir) === "_" && owned) return { dir: dirname(hooksDir), runsWithSh: true };
  return null;
}

/** Hooks written by another hook manager: they are regenerated, so a line added to them is lost. */
const MANAGED_HOOKS: ReadonlyArray<[RegExp, string]> = [
  [/call_lefthook|\blefthook\b.*\brun\b/, "it is lefthook's: add harness-lint to lefthook.yml (see the README)"],
  [/File generated by pre-commit|-m\s*pre_commit\b/, "it is the pre-commit framework's: add the harness-lint hook ids to .pre-commit-config.yaml (see the README)"],
];

const SHELLS = /^#!\s*(?:\S*\/)?(?:env\s+)?(?:sh|bash|dash|zsh|ksh|ash)\b/;

function installHook(root: string, dir: string, name: string, command: string, runsWithSh: boolean): string {
  const path = join(dir, name);
  const shown = relative(root, path).split("\\").join("/") || path;
  let current: string | null = null;
  if (existsSync(path)) current = attempt(shown, "read", () => utf8(readRegularFileSync(path, shown, { maxBytes: 1 << 20 })));
  if (current !== null && current.trim() !== "") {
    if (current.includes("harness-lint")) return `kept ${shown} (already runs harness-lint)`;
    for (const [pattern, why] of MANAGED_HOOKS) if (pattern.test(current)) return `skipped ${shown} (${why})`;
    const firstLine = current.split("\n", 1)[0] ?? "";
    if (firstLine.startsWith("#!") && !SHELLS.test(firstLine)) return `skipped ${shown} (not a shell script: add \`${command}\` to it by hand)`;
    attempt(shown, "write", () => {
      writeFileAtomicSync(path, extendHook(current!, command, runsWithSh));
      chmodSync(path, 0o755);
    });
    return `extended ${shown}`;
  }
  attempt(shown, "write", () => {
    mkdirSync(dir, { recursive: true });
    writeFileAtomicSync(path, runsWithSh ? `${command}\n` : `${HOOK_SHEBANG}\n${command}\n`);
    chmodSync(path, 0o755);
  });
  return `created ${shown}`;
}

/**
 * The hook with `command` added after its lines, keeping what the hook did: a plain hook exits
 * with its last command's status, so the added lines first stop on that failure rather than let
 * harness-lint's success hide it. A hook that ends in `exit` or `exec` gets them before that line.
 */
export function extendHook(current: string, command: string, runsWithSh: boolean): string {
  const lines = current.replace(/\n$/, "").split("\n");
  let end = lines.length;
  while (end > 0 && /^\s*(#.*)?$/.test(lines[end - 1]!)) end--;
  const last = end > 0 ? lines[end - 1]! : "";
  const at = /^\s*(exit|exec)\b/.test(last) ? end - 1 : lines.length;
  const beforeExit = at < lines.length;
  // husky runs the hook with `sh -e`: a failing line above already stopped it.
  const added = runsWithSh ? [command] : [STOP_COMMENT, STOP_LINE, beforeExit ? `${command} || exit 1` : command];
  return `${[...lines.slice(0, at), ...added, ...lines.slice(at)].join("\n")}\n`;
}

/** Runs a file operation of `init`, turning its failure into one line for the user. */
function attempt<T>(shown: string, verb: "read" | "write", action: () => T): T {
  try {
    return action();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException)?.code;
    if (typeof code !== "string") throw error;
    throw new UserError(`cannot ${verb} ${shown}: ${FS_REASONS[code] ?? code}`);
  }
}

const FS_REASONS: Record<string, string> = {
  EACCES: "permission denied (EACCES)",
  EPERM: "operation not permitted (EPERM)",
  EROFS: "read-only file system (EROFS)",
  EISDIR: "it is a directory (EISDIR)",
  ENOTDIR: "a folder on its path is a file (ENOTDIR)",
  EEXIST: "a file is in the way (EEXIST)",
  ENOSPC: "no space left on the device (ENOSPC)",
  ENOTREG: "it is not a regular file (a FIFO, device or socket)",
  EFBIG: "it is too large",
  ELOOP: "it is a symbolic link",
};

function writeNew(root: string, relativePath: string, text: string): void {
  const path = join(root, relativePath);
  // A committed link (docs/postmortems -> /elsewhere) must not carry the write out.
  assertNoLinkBelow(root, path, relativePath);
  attempt(relativePath, "write", () => {
    mkdirSync(dirname(path), { recursive: true });
    writeFileAtomicSync(path, text);
  });
}

/**
 * The ids the post-mortems in `dir` already carry (lower-cased), to keep a new one apart. A
 * counter (`PM-0007`) is not enough: two branches would both take the next number.
 */
function takenIds(root: string, dir: string): Set<string> {
  const taken = new Set<string>();
  const folder = join(root, dir);
  if (!existsSync(folder)) return taken;
  for (const name of readdirSync(folder, { recursive: true }) as string[]) {
    if (!name.endsWith(".md") || name.endsWith("TEMPLATE.md")) continue;
    let text: string;
    try {
      text = utf8(readRegularFileSync(join(folder, name), name, { maxBytes: 2 << 20 }));
    } catch {
      continue; // not a regular file (a FIFO, a folder named x.md), or too large: no id to take
    }
    const match = /^id:\s*["']?([^"'\s#]+)/m.exec(text);
    if (match) taken.add(match[1]!.toLowerCase());
  }
  return taken;
}

/**
 * A post-mortem id two branches cannot both take: `PM-<date>-<slug of the title>`. Two people
 * would have to write a post-mortem with the same title on the same day, and then their files
 * (named the same way) collide in git as well, where the merge shows it. An id already in the
 * folder gets `-2`, `-3`.
 */
export function postmortemId(date: string, slug: string, taken: ReadonlySet<string>): string {
  const base = `PM-${date}-${slug.slice(0, 40).replace(/-+$/, "")}`;
  let id = base;
  for (let n = 2; taken.has(id.toLowerCase()); n++) id = `${base}-${n}`;
  return id;
}

/** `harness-lint postmortem new "title"`: a dated file from the template, with an id no other branch takes. */
export function newPostmortem(root: string, title: string, today: Date = new Date()): string {
  const clean = title.replace(/[\r\n]+/g, " ").trim();
  if (clean === "") throw new UserError('postmortem new needs a title: harness-lint postmortem new "Refactor rewrote the import flow"');
  const dir = "docs/postmortems";
  const date = today.toISOString().slice(0, 10);
  // Letters and digits of every script: a title in Cyrillic or Japanese keeps its words, so two
  // such titles on one day do not both become "postmortem".
  const slug =
    [
      ...clean
        .normalize("NFKC")
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\p{M}]+/gu, "-")
        .replace(/^-+|-+$/g, ""),
    ]
      .slice(0, 60)
      .join("")
      .replace(/-+$/, "") || "postmortem";
  assertNoLinkBelow(root, join(root, dir), dir);
  const id = postmortemId(date, slug, takenIds(root, dir));
  let relativePath = `${dir}/${date}-${slug}.md`;
  for (let n = 2; existsSync(join(root, relativePath)); n++) relativePath = `${dir}/${date}-${slug}-${n}.md`;
  const templatePath = join(root, dir, "TEMPLATE.md");
  const template = existsSync(templatePath) ? utf8(readRegularFileSync(templatePath, `${dir}/TEMPLATE.md`, { maxBytes: 1 << 20 })) : POSTMORTEM_TEMPLATE;
  const text = template
    .replace(/^id:.*$/m, `id: ${id}`)
    .replace(/^date:.*$/m, `date: ${date}`)
    .replace(/^title:.*$/m, `title: ${JSON.stringify(clean)}`)
    .replace(/^# .*$/m, `# ${clean}`);
  writeNew(root, relativePath, text);
  return relativePath;
}
