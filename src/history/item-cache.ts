import { formatOf } from "../harness/formats.js";
import { decodeText } from "../shared/text.js";
import type { PostMortem, Rule } from "../harness/types.js";
import type { ObjectReader } from "../git/object-reader.js";
import { noteUnreadable } from "../git/resilient-log.js";
import type { StoredVersions } from "./stored-versions.js";
import { deriveRules } from "./incremental-items.js";
import type { HistoryItem } from "./item-diff.js";
import type { PathClassifier } from "./paths.js";

// Every version of a rule file, hook file or post-mortem that history meets, parsed once. Keys are
// `<blob>\0<path>`: the same blob at another path has other refs. A rule file version whose edit
// only touched section bodies is derived from the version before it instead of being parsed
// (incremental-items.ts); its refs and texts are exact, its mentions are not, so the harness at
// HEAD, where findings point, is always parsed in full.

interface Version {
  /**
   * The decoded text; null when the bytes are not text (such a version is left out of
   * comparisons); undefined when the items came from an earlier run and the text was not read.
   */
  text: string | null | undefined;
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
    /** Versions parsed by earlier runs; what this run parses is added to it. */
    private readonly stored: StoredVersions | null = null,
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
    // The caller awaits `exact` and sees its failure; this branch only remembers a success.
    exact.then(
      (parsed) => this.remember(path, oid, parsed),
      () => undefined,
    );
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
    const stored = this.storedVersion(after.path, after.oid);
    const pending = stored ? Promise.resolve(stored) : this.deriveOrParse(before, after);
    this.versions.set(id, pending);
    const version = await pending;
    if (!stored) this.remember(after.path, after.oid, version);
    return version.items;
  }

  async postmortemOf(path: string, oid: string): Promise<PostMortem | null> {
    const id = key(path, oid);
    let pending = this.postmortems.get(id);
    if (!pending) {
      const storedKey = `postmortem\0${id}`;
      const stored = this.stored?.get(storedKey) as { postmortem: PostMortem | null } | undefined;
      pending = stored
        ? Promise.resolve(stored.postmortem)
        : this.reader.blob(oid).then(async (bytes) => {
            const decoded = bytes === null ? null : decodeText(bytes);
            const postmortem = decoded?.ok ? (await loadParsers()).parsePostMortem(path, decoded.text).postmortem : null;
            // A blob that could not be read is not remembered: the next run may have it.
            if (bytes !== null) this.stored?.set(storedKey, { postmortem });
            return postmortem;
          });
      this.postmortems.set(id, pending);
    }
    return pending;
  }

  private version(path: string, oid: string): Promise<Version> {
    const id = key(path, oid);
    let pending = this.versions.get(id);
    if (!pending) {
      const stored = this.storedVersion(path, oid);
      pending = stored ? Promise.resolve(stored) : this.parse(path, oid).then((parsed) => this.remember(path, oid, parsed));
      this.versions.set(id, pending);
    }
    return pending;
  }

  /** How a path is read is part of what a stored version means: the same blob as a hook file is other items. */
  private storedKey(path: string, oid: string): string {
    return `items\0${key(path, oid)}\0${this.classifier.hookFormat(path) ?? "harness"}\0${this.fenced ? "fenced" : ""}`;
  }

  private storedVersion(path: string, oid: string): Version | undefined {
    const stored = this.stored?.get(this.storedKey(path, oid)) as { items: HistoryItem[] | null; derived: boolean } | undefined;
    return stored ? { text: undefined, items: stored.items, derived: stored.derived } : undefined;
  }

  private remember(path: string, oid: string, version: Version): Version {
    // Versions git could not give (null text from a missing blob) are not worth keeping.
    if (version.text !== null) this.stored?.set(this.storedKey(path, oid), { items: version.items, derived: version.derived });
    return version;
  }

  private async parse(path: string, oid: string): Promise<Version> {
    const text = await this.textOf(oid);
    return { text, items: text === null ? null : await parseItems(path, text, this.classifier, this.fenced), derived: false };
  }

  private async deriveOrParse(before: FileVersion, after: FileVersion): Promise<Version> {
    const [old, text] = await Promise.all([this.version(before.path, before.oid), this.textOf(after.oid)]);
    if (text === null) return { text, items: null, derived: false };
    const oldText = old.text === undefined ? await this.textOf(before.oid) : old.text;
    if (oldText && old.items?.every((item): item is Rule => item.kind === "rule")) {
      const fileUnit = formatOf(after.path).unit === "file";
      const rules = deriveRules({ text: oldText, rules: old.items }, text, fileUnit);
      if (rules !== null) return { text, items: rules, derived: true };
    }
    return { text, items: await parseItems(after.path, text, this.classifier, this.fenced), derived: false };
  }

  private async textOf(oid: string): Promise<string | null> {
    const bytes = await this.reader.blob(oid);
    // History named this blob, so git should have it: a trimmed clone does not. Said once a run.
    if (bytes === null) {
      noteUnreadable(1);
      return null;
    }
    const decoded = decodeText(bytes);
    return decoded.ok ? decoded.text : null;
  }
}

function key(path: string, oid: string): string {
  return `${oid}\0${path}`;
}

/** Parses one version of a rule or hook file into its items. */
export async function parseItems(path: string, text: string, classifier: PathClassifier, fenced = false): Promise<HistoryItem[]> {
  const { parseHarnessFile, parseHookFile } = await loadParsers();
  const hookFormat = classifier.hookFormat(path);
  if (hookFormat !== null) return parseHookFile(path, hookFormat, text).hooks;
  return parseHarnessFile({ path, format: formatOf(path).format, text }, { fenced }).rules;
}

let parsers: Promise<typeof import("./item-parsers.js")> | undefined;

/** The Markdown, YAML and schema parsers load only when a version is not in the stored ones. */
function loadParsers(): Promise<typeof import("./item-parsers.js")> {
  parsers ??= import("./item-parsers.js");
  return parsers;
}
