import { formatOf } from "../model/formats.js";
import { parseHarnessFile } from "../model/harness.js";
import { parseHookFile } from "../model/hooks.js";
import { parsePostMortem } from "../model/postmortems.js";
import { decodeText } from "../model/text.js";
import type { PostMortem, Rule } from "../model/types.js";
import type { ObjectReader } from "./git-batch.js";
import { deriveRules } from "./incremental-items.js";
import type { HistoryItem } from "./item-diff.js";
import type { PathClassifier } from "./paths.js";

// Every version of a rule file, hook file or post-mortem that history meets, parsed once. Keys are
// `<blob>\0<path>`: the same blob at another path has other refs. A rule file version whose edit
// only touched section bodies is derived from the version before it instead of being parsed
// (incremental-items.ts); its refs and texts are exact, its mentions are not, so the harness at
// HEAD, where findings point, is always parsed in full.

interface Version {
  /** The decoded text; null when the bytes are not text (such a version is left out of comparisons). */
  text: string | null;
  items: HistoryItem[] | null;
  derived: boolean;
}

export interface FileVersion {
  path: string;
  oid: string;
}

export class ItemCache {
  private readonly versions = new Map<string, Promise<Version>>();
  private readonly postmortems = new Map<string, Promise<PostMortem | null>>();

  constructor(
    private readonly reader: ObjectReader,
    private readonly classifier: PathClassifier,
    private readonly fenced: boolean,
  ) {}

  /** The items of a rule or hook file version; null when the bytes are not text. */
  async itemsOf(path: string, oid: string): Promise<HistoryItem[] | null> {
    return (await this.version(path, oid)).items;
  }

  /** Like itemsOf, but never derived: positions and mentions are the parser's. */
  async exactItemsOf(path: string, oid: string): Promise<HistoryItem[] | null> {
    const version = await this.version(path, oid);
    if (!version.derived) return version.items;
    const exact = this.parse(path, oid);
    this.versions.set(key(path, oid), exact);
    return (await exact).items;
  }

  /**
   * The items of `after`, the version an edit of `before` produced; derived from `before` without
   * parsing when the edit only touched section bodies of the same file.
   */
  async itemsAfterEdit(before: FileVersion | undefined, after: FileVersion): Promise<HistoryItem[] | null> {
    const id = key(after.path, after.oid);
    const known = this.versions.get(id);
    if (known) return (await known).items;
    if (before === undefined || before.path !== after.path || this.classifier.kindOf(after.path) !== "harness") return this.itemsOf(after.path, after.oid);
    const pending = this.deriveOrParse(before, after);
    this.versions.set(id, pending);
    return (await pending).items;
  }

  async postmortemOf(path: string, oid: string): Promise<PostMortem | null> {
    const id = key(path, oid);
    let pending = this.postmortems.get(id);
    if (!pending) {
      pending = this.reader.blob(oid).then((bytes) => {
        const decoded = bytes === null ? null : decodeText(bytes);
        return decoded?.ok ? parsePostMortem(path, decoded.text).postmortem : null;
      });
      this.postmortems.set(id, pending);
    }
    return pending;
  }

  private version(path: string, oid: string): Promise<Version> {
    const id = key(path, oid);
    let pending = this.versions.get(id);
    if (!pending) {
      pending = this.parse(path, oid);
      this.versions.set(id, pending);
    }
    return pending;
  }

  private async parse(path: string, oid: string): Promise<Version> {
    const text = await this.textOf(oid);
    return { text, items: text === null ? null : parseItems(path, text, this.classifier, this.fenced), derived: false };
  }

  private async deriveOrParse(before: FileVersion, after: FileVersion): Promise<Version> {
    const [old, text] = await Promise.all([this.version(before.path, before.oid), this.textOf(after.oid)]);
    if (text === null) return { text, items: null, derived: false };
    if (old.text !== null && old.items !== null && old.items.every((item): item is Rule => item.kind === "rule")) {
      const fileUnit = formatOf(after.path).unit === "file";
      const rules = deriveRules({ text: old.text, rules: old.items }, text, fileUnit);
      if (rules !== null) return { text, items: rules, derived: true };
    }
    return { text, items: parseItems(after.path, text, this.classifier, this.fenced), derived: false };
  }

  private async textOf(oid: string): Promise<string | null> {
    const bytes = await this.reader.blob(oid);
    if (bytes === null) return null;
    const decoded = decodeText(bytes);
    return decoded.ok ? decoded.text : null;
  }
}

function key(path: string, oid: string): string {
  return `${oid}\0${path}`;
}

/** Parses one version of a rule or hook file into its items. */
export function parseItems(path: string, text: string, classifier: PathClassifier, fenced = false): HistoryItem[] {
  const hookFormat = classifier.hookFormat(path);
  if (hookFormat !== null) return parseHookFile(path, hookFormat, text).hooks;
  return parseHarnessFile({ path, format: formatOf(path).format, text }, { fenced }).rules;
}
