// Apart from harness.ts so that the checks and history can resolve anchors without loading the
// Markdown parser.
import type { HarnessFile, Rule } from "./types.js";

// Heading anchors resolve post-mortem links (`CLAUDE.md#a-subsection`). They are data in the
// parse result (a rule's `anchors`, the file's `fileAnchors`), not beside it: a result read back
// from the parse cache or from history's stored versions must resolve the same links.
const anchorsOfFile = new WeakMap<HarnessFile, ReadonlySet<string>>();

/** Every heading anchor that lands inside this rule: its own, and those of its untitled subsections. */
export function ruleAnchors(rule: Rule): readonly string[] {
  return rule.anchors ?? (rule.anchor !== undefined ? [rule.anchor] : []);
}

/** Every heading anchor in the file, rules or not (a preamble H1 has one too). */
export function fileAnchors(file: HarnessFile): ReadonlySet<string> {
  return anchorsOfFile.get(file) ?? new Set();
}

/** Gives `file` the anchors a parse found: called with a result from the parse cache. */
export function rememberFileAnchors(file: HarnessFile, parsed: { fileAnchors: readonly string[] }): void {
  anchorsOfFile.set(file, new Set(parsed.fileAnchors));
}
