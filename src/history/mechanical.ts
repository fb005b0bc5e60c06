import { classifySpan } from "../harness/mention-shape.js";
import { INIT_HOOK_LINES } from "../shared/hook-lines.js";
import type { HistoryItem } from "./item-diff.js";

// Changes that need no post-mortem, recognised from the change itself rather than guessed
// (SPEC section 6): a declared `Post-Mortem: none -- reason`, a `git revert`, a `fixup!` /
// `squash!` / `amend!` commit, the lines `init --hooks` writes, and a rename of stale names
// (verified against history by the caller, with the drift explanation `--fix` uses).
// Everything here is a pure function of text.

/** Why an item change needs no post-mortem link of its own. */
export type Exemption =
  | { kind: "none"; reason: string }
  | { kind: "rename"; renames: Array<{ from: string; to: string }> }
  | { kind: "revert"; of: string }
  | { kind: "fixup"; of: string }
  | { kind: "hooks" };

/** `Post-Mortem: none -- <reason>`: `reason` is "" when the value is `none` with nothing after it. */
export function noneDeclaration(value: string): { reason: string } | null {
  const match = /^none(?![\w-])\s*(?:(?:--|—|–|:|-)\s*)?(.*)$/i.exec(value.trim());
  return match ? { reason: match[1]!.trim() } : null;
}

/** The commit a `git revert` message names ("This reverts commit <sha>."), or null. */
export function revertedCommit(message: string): string | null {
  const match = /^This reverts commit ([0-9a-f]{7,64})\b/m.exec(message);
  return match ? match[1]!.toLowerCase() : null;
}

/**
 * What a `fixup!`, `squash!` or `amend!` subject points at (git's autosquash: the rest of the
 * subject is the target's subject, or a commit id); null for any other subject. Nested
 * prefixes (`fixup! fixup! x`) point at `x`, as autosquash reads them.
 */
export function fixupTarget(subject: string): string | null {
  let rest = subject;
  let found = false;
  for (;;) {
    const match = /^(?:fixup|squash|amend)! ?(.*)$/.exec(rest);
    if (!match) break;
    found = true;
    rest = match[1]!;
  }
  return found && rest.trim() !== "" ? rest.trim() : null;
}

/**
 * The lines `init --hooks` adds to a git hook: true when `after` is `before` with only such lines
 * added (or a new hook made only of them). Any other added, removed or changed line is a real edit.
 */
export function onlyInitHookLines(before: HistoryItem | undefined, after: HistoryItem): boolean {
  if (after.kind !== "hook" || after.format !== "git-hook") return false;
  if (before !== undefined && (before.kind !== "hook" || before.format !== "git-hook")) return false;
  const old = before === undefined ? [] : significantLines(before.text);
  const now = significantLines(after.text);
  // `old` must survive, in order, as a subsequence of `now`; everything else added is init's.
  let i = 0;
  for (const line of now) {
    if (i < old.length && line === old[i]) i++;
    else if (!INIT_HOOK_LINES.has(line)) return false;
  }
  return i === old.length && now.length > old.length;
}

function significantLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "");
}

/**
 * The names a change rewrote, when every edit between two versions of an item replaces one
 * mention (a code span or a link target) with another and nothing else changes: what `--fix`
 * writes. Null when anything else changed. The caller checks each pair against history.
 */
export function mentionRewrites(before: HistoryItem, after: HistoryItem): Array<{ from: string; to: string; kind: "symbol" | "path" }> | null {
  const a = tokens(before.text);
  const b = tokens(after.text);
  if (a.length !== b.length || a.length > 20_000) return null;
  const rewrites: Array<{ from: string; to: string; kind: "symbol" | "path" }> = [];
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i]) continue;
    const from = mentionText(a[i]!);
    const to = mentionText(b[i]!);
    if (from === null || to === null) return null;
    // The text around the name (backticks, `[text](`, `:12`) must be what it was.
    if (a[i]!.replace(from.inner, "\0") !== b[i]!.replace(to.inner, "\0")) return null;
    const fromShape = classifySpan(from.inner);
    const toShape = classifySpan(to.inner);
    if (fromShape === null || toShape === null) return null;
    const kind = fromShape.kind === "symbol" && toShape.kind === "symbol" ? "symbol" : fromShape.kind === "path" && toShape.kind === "path" ? "path" : null;
    if (kind === null) return null;
    rewrites.push({ from: fromShape.value, to: toShape.value, kind });
  }
  return rewrites.length > 0 ? rewrites : null;
}

/** Whitespace-separated words, a code span counting as one word: a rename never moves words. */
function tokens(text: string): string[] {
  return text.match(/`[^`\n]+`|[^\s`]+|`/g) ?? [];
}

/** The name a word carries as a mention: the inside of a code span, or a link's target. */
function mentionText(word: string): { inner: string } | null {
  const code = /^`([^`]+)`/.exec(word);
  if (code) return { inner: code[1]!.replace(/:\d+(?::\d+)?$/, "") };
  const link = /\]\(<?([^)\s>#]+)/.exec(word);
  if (link) return { inner: link[1]! };
  return null;
}
