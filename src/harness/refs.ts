import { ruleAnchors } from "./anchors.js";
import { dirname, joinPath } from "../shared/text.js";
import type { Hook, Item } from "./types.js";
import { pathMatcher } from "../codebase/glob.js";

/** What a post-mortem can cite: a rule or a hook. */
export type Citable = Item | Hook;

/** Why a ref names nothing, so the message can say what to fix. */
export type MissingReason =
  /** Looks like a path, and no such file exists. */
  | "no-file"
  /** The file exists but holds no item (not a harness file). */
  | "no-item"
  /** The harness file exists but has no heading with that anchor. */
  | "no-anchor"
  /** The heading exists, but in the file's preamble: it is not a rule. */
  | "not-a-rule"
  /** A bare name that no item carries as id or anchor. */
  | "no-id";

export type RefResolution =
  | { kind: "found"; items: Citable[] }
  | { kind: "missing"; reason: MissingReason; file?: string; anchor?: string }
  | { kind: "ambiguous"; items: Citable[] }
  /** Cannot be judged here (the file could not be read; hooks are not modelled): neither cites nor dangles. */
  | { kind: "unchecked" };

export interface RefContext {
  /** Every anchor that leads into a rule (its own heading and its untitled subsections). */
  anchorsOf(item: Item): readonly string[];
  /** Every heading anchor of a harness file, or undefined when it is not a parsed harness file. */
  fileAnchors(path: string): ReadonlySet<string> | undefined;
  fileExists(path: string): boolean;
  /** Harness files that exist but could not be read (not text): refs into them are not judged. */
  unreadable: ReadonlySet<string>;
}

export interface ResolveOptions {
  /** The post-mortem the ref is written in: `../` refs resolve from its folder. */
  from?: string;
  /**
   * A Markdown link rather than a `changes` entry: a link to a whole sectioned file, or to a
   * heading that is not a rule, is just a link, not a citation, and not dangling either.
   */
  link?: boolean;
}

// When hooks are not given (history replays), refs into existing hook files cannot be judged.
export const isHookPath = pathMatcher([".claude/settings.json", ".claude/settings.local.json", ".husky/**", ".githooks/**", "lefthook.yml", ".pre-commit-config.yaml"]);

/**
 * Resolves refs (SPEC section 3): `file#anchor`, a per-file rule's path or id, or a bare id (or
 * heading anchor) that exactly one item carries. File paths match case-sensitively, as git does;
 * anchors and ids case-insensitively, as GitHub anchors do. A `changes` entry naming a sectioned
 * file's path cites every rule in it.
 */
export class RefResolver {
  private readonly byRef = new Map<string, Citable[]>();
  private readonly byFile = new Map<string, Citable[]>();
  private readonly byId = new Map<string, Citable[]>();
  private readonly byAnchor = new Map<string, Citable[]>();

  private readonly context: RefContext;

  /** Without a context (history replays), only the items themselves are known: every other path is missing. */
  constructor(items: readonly Citable[], context: Partial<RefContext> = {}) {
    this.context = {
      anchorsOf: context.anchorsOf ?? ruleAnchors,
      fileAnchors: context.fileAnchors ?? (() => undefined),
      fileExists: context.fileExists ?? (() => false),
      unreadable: context.unreadable ?? new Set(),
    };
    for (const item of items) {
      push(this.byRef, item.ref, item);
      push(this.byFile, item.file, item);
      if (item.kind !== "rule") continue;
      if (item.id !== undefined) push(this.byId, item.id.toLowerCase(), item);
      if (item.anchor !== undefined) push(this.byAnchor, item.anchor.toLowerCase(), item);
    }
  }

  resolve(rawRef: string, options: ResolveOptions = {}): RefResolution {
    const ref = normaliseRef(rawRef, options.from);
    if (ref === "") return { kind: "missing", reason: "no-id" };
    const hash = ref.indexOf("#");
    if (hash !== -1) return this.inFile(ref.slice(0, hash), ref.slice(hash + 1), options);
    // Two per-file rules may claim the same `id:`; then the id names neither.
    const exact = this.byRef.get(ref);
    if (exact) return exact.length === 1 ? { kind: "found", items: exact } : { kind: "ambiguous", items: exact };
    const wholeFile = this.byFile.get(ref);
    if (wholeFile) {
      // Sections and the hooks of a settings file have `#` refs: the file holds several items.
      const sectioned = wholeFile.some((i) => i.ref.includes("#"));
      return options.link && sectioned ? { kind: "unchecked" } : { kind: "found", items: wholeFile };
    }
    const bare = ref.includes("/") ? null : this.bare(ref);
    if (bare) return bare;
    return looksLikePath(ref) ? this.noItems(ref) : { kind: "missing", reason: "no-id" };
  }

  private inFile(file: string, rawAnchor: string, options: ResolveOptions): RefResolution {
    const items = this.byFile.get(file);
    if (!items) return this.noItems(file);
    const anchor = safeDecode(rawAnchor).toLowerCase();
    const hits = items.filter((i) => this.anchorsOf(i).some((a) => a.toLowerCase() === anchor));
    if (hits.length > 0) return { kind: "found", items: hits };
    const inPreamble = [...(this.context.fileAnchors(file) ?? [])].some((a) => a.toLowerCase() === anchor);
    if (inPreamble) return options.link ? { kind: "unchecked" } : { kind: "missing", reason: "not-a-rule", file, anchor: rawAnchor };
    return { kind: "missing", reason: "no-anchor", file, anchor: rawAnchor };
  }

  /**
   * A rule answers to its id and to every heading anchor inside it. A hook answers to its own ref's
   * anchor (`PreToolUse:Bash`, `PreToolUse:Bash[1]`) and, for Claude Code, to its event alone:
   * `settings.json#PreToolUse` names every PreToolUse hook.
   */
  private anchorsOf(item: Citable): readonly string[] {
    if (item.kind === "rule") return item.id !== undefined ? [item.id, ...this.context.anchorsOf(item)] : this.context.anchorsOf(item);
    const hash = item.ref.indexOf("#");
    const own = hash === -1 ? [] : [item.ref.slice(hash + 1)];
    return item.format === "claude-settings" && item.event !== undefined ? [...own, item.event] : own;
  }

  /** A path that no item lives in: unreadable, an unmodelled hook file, not harness, or gone. */
  private noItems(file: string): RefResolution {
    if (this.context.unreadable.has(file)) return { kind: "unchecked" };
    if (!this.context.fileExists(file)) return { kind: "missing", reason: "no-file", file };
    if (isHookPath(file)) return { kind: "unchecked" };
    return { kind: "missing", reason: "no-item", file };
  }

  /** A bare id, or a heading anchor, that some item carries; null when none does. */
  private bare(ref: string): RefResolution | null {
    const key = ref.toLowerCase();
    // An explicit id wins over a heading slug that happens to be spelled the same.
    const candidates = this.byId.get(key) ?? this.byAnchor.get(key) ?? [];
    if (candidates.length === 1) return { kind: "found", items: candidates };
    if (candidates.length > 1) return { kind: "ambiguous", items: candidates };
    return null;
  }
}

/**
 * Refs are repository-relative (`./` and a leading `/` both mean the root); a ref starting with
 * `../` can only be relative to the post-mortem, so it is resolved from there.
 */
export function normaliseRef(ref: string, from?: string): string {
  const trimmed = ref.trim();
  if (from !== undefined && trimmed.startsWith("../")) {
    const hash = trimmed.indexOf("#");
    const path = hash === -1 ? trimmed : trimmed.slice(0, hash);
    const joined = joinPath(dirname(from), path);
    if (joined !== null) return joined + (hash === -1 ? "" : trimmed.slice(hash));
  }
  return trimmed.replace(/^\.\//, "").replace(/^\/+/, "");
}

/** A bare id has no `/` and no file extension; `CLAUDE.md` or `src/x` is a path. */
function looksLikePath(ref: string): boolean {
  return ref.includes("/") || /\.[A-Za-z0-9]+$/.test(ref);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
