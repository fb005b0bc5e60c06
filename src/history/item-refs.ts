import { ruleAnchors } from "../harness/anchors.js";
import { normaliseRef, RefResolver } from "../harness/refs.js";
import type { Rule } from "../harness/types.js";
import { parsedSource } from "./incremental-items.js";
import type { HistoryItem, ItemChange } from "./item-diff.js";

// What a post-mortem's `changes` entry names, asked of items from history rather than of the
// model: the resolver sees only the items given (no files on disk), and an entry may name an item
// by the ref it had before it moved.

/** A resolver over history's items; a derived item answers with its parsed source's anchors. */
export function historyResolver(items: readonly HistoryItem[]): RefResolver {
  return new RefResolver(rulesOf(items), { anchorsOf: (rule) => ruleAnchors(parsedSource(rule)) });
}

export function rulesOf(items: readonly HistoryItem[]): Rule[] {
  return items.filter((item): item is Rule => item.kind === "rule");
}

/**
 * Whether an item change is the one a `changes` entry (written in post-mortem `from`) names: by
 * ref, by the ref it had before a move, by its file, or by its bare id or anchor; rules also
 * through the resolver (anchors of untitled subsections). Hooks match by ref and file.
 */
export function refMatcher(ref: string, resolver: RefResolver, from?: string): (item: ItemChange) => boolean {
  const written = normaliseRef(ref, from);
  const lower = written.toLowerCase();
  const resolved = resolver.resolve(ref, from !== undefined ? { from } : {});
  const found = new Set(resolved.kind === "found" ? resolved.items.map((i) => i.ref) : []);
  return (change) =>
    found.has(change.ref) ||
    change.ref.toLowerCase() === lower ||
    change.previousRef?.toLowerCase() === lower ||
    change.file === written ||
    (change.item.kind === "rule" && (change.item.id?.toLowerCase() === lower || change.item.anchor?.toLowerCase() === lower));
}
