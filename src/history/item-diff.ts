import type { Hook, Rule } from "../harness/types.js";

// Item-level comparison of two versions of the harness (SPEC section 6): what counts is whether
// the text of a rule changed, not whether its file did, and whitespace never counts.

export type ChangeKind = "added" | "modified" | "removed";

/** An item as history sees it: a rule or a hook (SPEC section 1). */
export type HistoryItem = Rule | Hook;

export interface ItemChange {
  ref: string;
  change: ChangeKind;
  /** The ref the item had before, when it moved (renamed heading, moved file) with the same body. */
  previousRef?: string;
  /** True when the item only moved: its text, whitespace aside, is what it was (a renamed file). */
  onlyMoved?: true;
  /** The file that holds the item after the change (before it, for a removal). */
  file: string;
  /** The item as it reads after the change (before it, for a removal). */
  item: HistoryItem;
  /** For a modification: the item as it read before, so mechanical edits can be recognised. */
  before?: HistoryItem;
}

/**
 * Compares the items of the files a change touched, before and after. Items are matched by ref;
 * in a file git saw moved (`movedFiles`: old path -> new path), an item matches the one with the
 * same ref under the new path. Otherwise an item that disappears and one that appears with the
 * same non-empty body (heading aside) are one item that moved, reported as modified under its
 * new ref, when that pairing is unambiguous.
 */
export function diffItems(before: readonly HistoryItem[], after: readonly HistoryItem[], movedFiles: ReadonlyMap<string, string> = new Map()): ItemChange[] {
  const old = keyed(before);
  const now = keyed(after);
  const changes: ItemChange[] = [];
  const appeared: HistoryItem[] = [];
  for (const [key, rule] of now) {
    const previous = old.get(key);
    if (previous === undefined) appeared.push(rule);
    else if (previous !== rule && normalised(previous) !== normalised(rule)) changes.push(modified(rule, previous));
  }
  const disappeared = [...old].filter(([key]) => !now.has(key)).map(([, rule]) => rule);

  const moves = pairMovedFiles(disappeared, appeared, movedFiles);
  const pairedSources = new Set(moves.values());
  for (const [target, source] of pairMoves(
    disappeared.filter((item) => !pairedSources.has(item)),
    appeared.filter((item) => !moves.has(item)),
  ))
    moves.set(target, source);
  for (const item of appeared) {
    const from = moves.get(item);
    if (!from) changes.push({ ref: item.ref, change: "added", file: item.file, item });
    else if (normalised(from) === normalised(item)) changes.push({ ...modified(item, from), previousRef: from.ref, onlyMoved: true });
    else changes.push({ ...modified(item, from), previousRef: from.ref });
  }
  const moved = new Set(moves.values());
  for (const item of disappeared) {
    if (!moved.has(item)) changes.push({ ref: item.ref, change: "removed", file: item.file, item });
  }
  return changes;
}

/** Text with every run of whitespace as one space: edits that only reflow or re-indent vanish. */
export function normaliseText(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

// A version's items are compared with the next version's too: normalise each text once.
const normalisedTexts = new WeakMap<HistoryItem, string>();

function normalised(item: HistoryItem): string {
  let text = normalisedTexts.get(item);
  if (text === undefined) {
    text = normaliseText(item.text);
    normalisedTexts.set(item, text);
  }
  return text;
}

/** A section's body without its heading line; a per-file rule or a hook is all body. */
export function bodyOf(item: HistoryItem): string {
  if (item.kind !== "rule" || item.anchor === undefined) return normalised(item);
  const newline = item.text.search(/\r?\n|\r/);
  return newline === -1 ? "" : normaliseText(item.text.slice(newline));
}

function modified(item: HistoryItem, before: HistoryItem): ItemChange {
  return { ref: item.ref, change: "modified", file: item.file, item, before };
}

/** Refs are unique in a well-formed harness; a duplicated explicit id is kept apart by occurrence. */
function keyed(rules: readonly HistoryItem[]): Map<string, HistoryItem> {
  const map = new Map<string, HistoryItem>();
  const seen = new Map<string, number>();
  for (const rule of rules) {
    const occurrence = seen.get(rule.ref) ?? 0;
    seen.set(rule.ref, occurrence + 1);
    map.set(occurrence === 0 ? rule.ref : `${rule.ref}\0${occurrence}`, rule);
  }
  return map;
}

/** Pairs the items of a moved file by their ref under the new path: git, not the text, says they are one. */
function pairMovedFiles(disappeared: readonly HistoryItem[], appeared: readonly HistoryItem[], movedFiles: ReadonlyMap<string, string>): Map<HistoryItem, HistoryItem> {
  const moves = new Map<HistoryItem, HistoryItem>();
  if (movedFiles.size === 0) return moves;
  const byRef = keyed(appeared);
  for (const item of disappeared) {
    const to = movedFiles.get(item.file);
    if (to === undefined) continue;
    const ref = item.ref === item.file ? to : item.ref.startsWith(`${item.file}#`) ? `${to}${item.ref.slice(item.file.length)}` : null;
    const target = ref === null ? undefined : byRef.get(ref);
    if (target !== undefined && !moves.has(target)) moves.set(target, item);
  }
  return moves;
}

/** Pairs a vanished and an appeared item whose bodies are equal, and only when each body is unique on both sides. */
function pairMoves(disappeared: readonly HistoryItem[], appeared: readonly HistoryItem[]): Map<HistoryItem, HistoryItem> {
  const gone = byBody(disappeared);
  const come = byBody(appeared);
  const moves = new Map<HistoryItem, HistoryItem>();
  for (const [body, targets] of come) {
    const sources = gone.get(body);
    if (body === "" || targets.length !== 1 || sources?.length !== 1) continue;
    moves.set(targets[0]!, sources[0]!);
  }
  return moves;
}

function byBody(rules: readonly HistoryItem[]): Map<string, HistoryItem[]> {
  const map = new Map<string, HistoryItem[]>();
  for (const rule of rules) {
    const body = bodyOf(rule);
    const list = map.get(body);
    if (list) list.push(rule);
    else map.set(body, [rule]);
  }
  return map;
}
