// The caches behind a warm run, kept in `git rev-parse --git-path harness-lint` (so linked
// worktrees work), or under the temp directory for a folder outside git:
//
// - cache-v<N>.json: what each file contributes to the code index (FileNames). That depends
//   only on the content and on how the file is read (parsed as TS/JS or scanned for tokens), so
//   entries are keyed by `<reading>:<git blob id>` and survive edits, renames, branch switches
//   and staging: a run parses only content it has never seen. Names are interned: one table of
//   distinct strings, and per entry, indices into it.
// - index-<source>-v<N>.json: the aggregate a run built last (names and containers of all its
//   files, sorted), with a digest of the entry keys it came from. A run whose files hash to the
//   same digest loads only this, answers by binary search, and never reads the per-file entries.
// - parsed-v<N>.json: parse results of harness files and post-mortems.
//
// Every file is written with a temp file and a rename, so two runs at once each leave a whole
// file; a corrupt file, or one from another version, is ignored and replaced.

import { createHash } from "node:crypto";
import { join } from "node:path";
import type { FileNames } from "./code-index.js";
import type { CodeIndex, ContainerInfo } from "./types.js";
import { CACHE_FORMAT, isRecord, loadJson, saveJson } from "../shared/cache-files.js";
import { isNearName } from "../shared/closest.js";

const ENTRIES_FILE = `cache-v${CACHE_FORMAT}.json`;
const aggregateFile = (kind: string) => `index-${kind}-v${CACHE_FORMAT}.json`;
const CONTAINER_KINDS: ReadonlySet<string> = new Set(["class", "interface", "enum", "object", "namespace"]);

type ContainerKind = ContainerInfo["kind"];
type EncodedContainer = [name: number, kind: ContainerKind, members: number[], heritage: string[]];
/** Identifier indices, then the containers, if any. */
type EncodedEntry = [identifiers: number[], containers?: EncodedContainer[]];

type NamedContainer = [name: string, kind: ContainerKind, members: string[], heritage: string[]];

/**
 * Names and containers of a set of entries. As saved, both are sorted, so the next run answers
 * by binary search on what JSON.parse returns instead of first building a Set of every name
 * (at 50,000 files, 800,000 names: ~0.3 s).
 */
export interface Aggregate {
  names: string[];
  containers: NamedContainer[];
  sorted: boolean;
  /** Per name, how many distinct entries have it: what lets a later run update the aggregate. */
  counts: number[];
  /**
   * Set when the aggregate covers only these names (sorted): a run that searched for the names
   * its mentions ask about (src/codebase/searched-index.ts) knows those, and nothing else.
   */
  domain?: string[];
  /**
   * A searched aggregate's "did you mean" answers: per name asked (sorted), the words near it that
   * some file holds (sorted). A word not in `domain` was found in a file an edit added and is not
   * searched yet. An edited file can only bring new words near a name, so updating by the added
   * files' names keeps this a superset of the answer, which the counts then decide.
   */
  near?: Array<[string, string[]]>;
  /**
   * The names of entries that updates added, by entry key, while they are among the aggregate's
   * entries: an edited file's earlier version was hashed from the work tree and is not in git, so
   * the next edit of it subtracts these instead of reading the version back (which would fail and
   * rebuild everything).
   */
  recent?: Array<[string, FileNames]>;
}

/** At most this many entries' names are kept in `recent`. */
export const MAX_RECENT_ENTRIES = 256;

// ---------------------------------------------------------------------------------------------
// Per-content entries

/**
 * Per-content names for one run. Entries are looked up and added by key; `indexOf(keys)` answers
 * for a set of entries (the files of the run). Every key touched is live; `snapshot()` keeps the
 * live entries only, so content that left the repository leaves the cache.
 */
export class NameStore {
  private readonly names: string[];
  private ids: Map<string, number> | null = null;
  private readonly entries: Map<string, EncodedEntry>;
  private readonly live = new Set<string>();
  private added = 0;

  constructor(names: string[] = [], entries: Map<string, EncodedEntry> = new Map()) {
    this.names = names;
    this.entries = entries;
  }

  /** True when an entry exists; marks it live (kept on save). */
  has(key: string): boolean {
    if (!this.entries.has(key)) return false;
    this.live.add(key);
    return true;
  }

  /** One entry's names, decoded; marks it live. */
  get(key: string): FileNames | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    this.live.add(key);
    return {
      identifiers: entry[0].map((id) => this.names[id]!),
      containers: (entry[1] ?? []).map(([name, kind, members, heritage]) => ({ name: this.names[name]!, kind, members: members.map((id) => this.names[id]!), heritage })),
    };
  }

  put(key: string, names: FileNames): void {
    const identifiers = names.identifiers.map((name) => this.intern(name));
    const containers = names.containers.map(({ name, kind, members, heritage }): EncodedContainer => [this.intern(name), kind, members.map((member) => this.intern(member)), heritage]);
    this.entries.set(key, containers.length > 0 ? [identifiers, containers] : [identifiers]);
    this.live.add(key);
    this.added++;
  }

  /** Whether saving would change the stored file: new entries, or entries no longer live. */
  get changed(): boolean {
    return this.added > 0 || this.live.size < this.entries.size;
  }

  /** The code index of these entries (unknown keys are ignored). */
  indexOf(keys: Iterable<string>): CodeIndex {
    return indexOfAggregate(this.aggregateOf(keys));
  }

  aggregateOf(keys: Iterable<string>): Aggregate {
    const counts = new Uint32Array(this.names.length);
    // Which entry counted a name last: a name an entry has twice counts once.
    const countedBy = new Int32Array(this.names.length).fill(-1);
    const count = (id: number, entryNumber: number) => {
      if (countedBy[id] === entryNumber) return;
      countedBy[id] = entryNumber;
      counts[id]!++;
    };
    const containers: NamedContainer[] = [];
    let entryNumber = 0;
    for (const key of new Set(keys)) {
      const entry = this.entries.get(key);
      if (entry === undefined) continue;
      entryNumber++;
      for (const id of entry[0]) count(id, entryNumber);
      for (const [name, kind, members, heritage] of entry[1] ?? []) {
        count(name, entryNumber);
        containers.push([this.names[name]!, kind, members.map((id) => this.names[id]!), heritage]);
      }
    }
    const names: string[] = [];
    const present: number[] = [];
    for (let id = 0; id < this.names.length; id++) {
      if (counts[id]! > 0) {
        names.push(this.names[id]!);
        present.push(counts[id]!);
      }
    }
    return { names, containers, sorted: false, counts: present };
  }

  /** The live entries, with a table of only the names they use. */
  snapshot(fingerprint: string): { format: number; fingerprint: string; names: string[]; entries: Record<string, EncodedEntry> } {
    if (this.live.size === this.entries.size) {
      // Nothing to drop: the table stays as it is (a name no entry uses only costs space).
      return { format: CACHE_FORMAT, fingerprint, names: this.names, entries: Object.fromEntries(this.entries) };
    }
    const renumbered = new Int32Array(this.names.length).fill(-1);
    const names: string[] = [];
    const renumber = (id: number): number => {
      let next = renumbered[id]!;
      if (next === -1) {
        next = names.length;
        names.push(this.names[id]!);
        renumbered[id] = next;
      }
      return next;
    };
    const entries: Record<string, EncodedEntry> = {};
    for (const key of [...this.live].sort()) {
      const entry = this.entries.get(key);
      if (entry === undefined) continue;
      const identifiers = entry[0].map(renumber);
      const containers = entry[1]?.map(([name, kind, members, heritage]): EncodedContainer => [renumber(name), kind, members.map(renumber), heritage]);
      entries[key] = containers ? [identifiers, containers] : [identifiers];
    }
    return { format: CACHE_FORMAT, fingerprint, names, entries };
  }

  private intern(name: string): number {
    this.ids ??= new Map(this.names.map((known, id) => [known, id]));
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.names.push(name);
      this.ids.set(name, id);
    }
    return id;
  }

  /** A store from a parsed cache file, or null when anything in it is not what we wrote. */
  static fromFile(data: unknown, fingerprint: string): NameStore | null {
    if (!isRecord(data) || data.format !== CACHE_FORMAT || data.fingerprint !== fingerprint) return null;
    const { names, entries } = data;
    if (!isStringList(names) || !isRecord(entries)) return null;
    const valid = validators(names.length);
    const store = new Map<string, EncodedEntry>();
    for (const [key, entry] of Object.entries(entries)) {
      if (!Array.isArray(entry) || !valid.idList(entry[0])) return null;
      if (entry.length > 1 && !(Array.isArray(entry[1]) && entry[1].every(valid.container))) return null;
      store.set(key, entry as EncodedEntry);
    }
    return new NameStore(names, store);
  }
}

/** A code index over an aggregate; members become Sets only when a rule asks about that container. */
export function indexOfAggregate(aggregate: Aggregate): CodeIndex {
  const has = aggregate.sorted ? (name: string) => sortedHas(aggregate.names, name) : setHas(aggregate.names);
  const containersNamed = aggregate.sorted ? (name: string) => sortedRun(aggregate.containers, name) : groupedByName(aggregate.containers);
  const decoded = new Map<string, ContainerInfo[]>();
  return {
    has,
    names: () => aggregate.names,
    namesNear: (name) => aggregate.names.filter((candidate) => isNearName(name, candidate)),
    containers: (name) => {
      const done = decoded.get(name);
      if (done) return done;
      const found = containersNamed(name);
      if (found.length === 0) return undefined;
      const infos = found.map(([, kind, members, heritage]) => ({ kind, members: new Set(members), heritage: [...heritage] }));
      decoded.set(name, infos);
      return infos;
    },
  };
}

/** The same aggregate, sorted for binary search (names by code unit, containers by name). */
export function sortedAggregate(aggregate: Aggregate): Aggregate {
  if (aggregate.sorted) return aggregate;
  const order = aggregate.names.map((_, index) => index).sort((a, b) => byCodeUnit(aggregate.names[a]!, aggregate.names[b]!));
  const names = order.map((index) => aggregate.names[index]!);
  const counts = order.map((index) => aggregate.counts[index]!);
  const containers = [...aggregate.containers].sort((a, b) => byCodeUnit(a[0], b[0]));
  return { ...aggregate, names, containers, sorted: true, counts };
}

/**
 * The aggregate of a set of entries from the aggregate of a nearby set: `removed` are the names
 * of entries the base had and the new set has not, `added` the reverse. Null when the base does
 * not hold what `removed` says it should (then the caller builds the aggregate from scratch).
 */
export function updatedAggregate(base: Aggregate, removed: FileNames[], added: FileNames[]): Aggregate | null {
  if (!base.sorted) return null;
  if (base.domain) {
    // A partial aggregate counts only the names it covers.
    const domain = new Set(base.domain);
    const within = (names: FileNames): FileNames => ({
      identifiers: names.identifiers.filter((name) => domain.has(name)),
      containers: names.containers.filter((container) => domain.has(container.name)),
    });
    const updated = updatedAggregate({ ...base, domain: undefined, near: undefined }, removed.map(within), added.map(within));
    return updated === null ? null : { ...updated, domain: base.domain, ...(base.near ? { near: nearUpdated(base.near, added) } : {}) };
  }
  const change = new Map<string, number>();
  const tally = (names: FileNames, by: number) => {
    const distinct = new Set(names.identifiers);
    for (const container of names.containers) distinct.add(container.name);
    for (const name of distinct) change.set(name, (change.get(name) ?? 0) + by);
  };
  for (const names of removed) tally(names, -1);
  for (const names of added) tally(names, 1);

  const fresh = [...change.keys()].filter((name) => !sortedHas(base.names, name)).sort();
  const containers = updatedContainers(base.containers, removed, added);
  if (containers === null) return null;
  // Usually an edit adds and loses no name overall: the base's names serve as they are, and only
  // the counts of the names it touched change.
  if (fresh.length === 0 && [...change].every(([name, by]) => by >= 0 || countOf(base, name) + by > 0)) {
    const counts = base.counts.slice();
    for (const [name, by] of change) counts[lowerBound(base.names, name, (item) => item)]! += by;
    return { names: base.names, counts, containers, sorted: true };
  }
  const names: string[] = [];
  const counts: number[] = [];
  const keep = (name: string, count: number): boolean => {
    if (count < 0) return false;
    if (count > 0) {
      names.push(name);
      counts.push(count);
    }
    return true;
  };
  let next = 0;
  for (let index = 0; index < base.names.length; index++) {
    const name = base.names[index]!;
    while (next < fresh.length && fresh[next]! < name) {
      if (!keep(fresh[next]!, change.get(fresh[next]!)!)) return null;
      next++;
    }
    if (!keep(name, base.counts[index]! + (change.size > 0 ? (change.get(name) ?? 0) : 0))) return null;
  }
  for (; next < fresh.length; next++) if (!keep(fresh[next]!, change.get(fresh[next]!)!)) return null;

  return { names, containers, sorted: true, counts };
}

/** The near words kept, with those the added files' names bring (each searched when asked). */
function nearUpdated(near: Array<[string, string[]]>, added: FileNames[]): Array<[string, string[]]> {
  if (added.length === 0) return near;
  const words = new Set<string>();
  for (const names of added) {
    for (const name of names.identifiers) words.add(name);
    for (const container of names.containers) words.add(container.name);
  }
  return near.map(([name, kept]) => {
    const more = [...words].filter((word) => isNearName(name, word) && !kept.includes(word));
    return more.length === 0 ? [name, kept] : [name, [...kept, ...more].sort(byCodeUnit)];
  });
}

function countOf(aggregate: Aggregate, name: string): number {
  const index = lowerBound(aggregate.names, name, (item) => item);
  return aggregate.names[index] === name ? aggregate.counts[index]! : 0;
}

function updatedContainers(base: NamedContainer[], removed: FileNames[], added: FileNames[]): NamedContainer[] | null {
  const touched = removed.some((names) => names.containers.length > 0) || added.some((names) => names.containers.length > 0);
  if (!touched) return base;
  const containers = [...base];
  for (const names of removed) {
    for (const { name, kind, members, heritage } of names.containers) {
      let index = lowerBound(containers, name, (item) => item[0]);
      while (index < containers.length && containers[index]![0] === name && !sameContainer(containers[index]!, kind, members, heritage)) index++;
      if (containers[index]?.[0] !== name) return null;
      containers.splice(index, 1);
    }
  }
  for (const names of added) {
    for (const { name, kind, members, heritage } of names.containers) {
      let index = lowerBound(containers, name, (item) => item[0]);
      while (containers[index]?.[0] === name) index++;
      containers.splice(index, 0, [name, kind, [...members], [...heritage]]);
    }
  }
  return containers;
}

function sameContainer(container: NamedContainer, kind: ContainerKind, members: string[], heritage: string[]): boolean {
  return container[1] === kind && sameList(container[2], members) && sameList(container[3], heritage);
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, index) => item === b[index]);
}

function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function setHas(names: string[]): (name: string) => boolean {
  const known = new Set(names);
  return (name) => known.has(name);
}

/** Index of the first element not below `name`. */
function lowerBound<T>(items: readonly T[], name: string, nameOf: (item: T) => string): number {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (nameOf(items[middle]!) < name) low = middle + 1;
    else high = middle;
  }
  return low;
}

function sortedHas(names: string[], name: string): boolean {
  return names[lowerBound(names, name, (item) => item)] === name;
}

function sortedRun(containers: NamedContainer[], name: string): NamedContainer[] {
  const run: NamedContainer[] = [];
  for (let index = lowerBound(containers, name, (item) => item[0]); containers[index]?.[0] === name; index++) run.push(containers[index]!);
  return run;
}

function groupedByName(containers: NamedContainer[]): (name: string) => NamedContainer[] {
  let byName: Map<string, NamedContainer[]> | null = null;
  return (name) => {
    if (byName === null) {
      byName = new Map();
      for (const container of containers) {
        const list = byName.get(container[0]);
        if (list) list.push(container);
        else byName.set(container[0], [container]);
      }
    }
    return byName.get(name) ?? [];
  };
}

/** An aggregate as saved: sorted, with its counts and the files (path, entry key) it came from. */
interface SavedAggregate {
  digest: string;
  aggregate: Aggregate;
  files: string[];
}

function aggregateFromFile(data: unknown, fingerprint: string): SavedAggregate | null {
  if (!isRecord(data) || data.format !== CACHE_FORMAT || data.fingerprint !== fingerprint || typeof data.digest !== "string") return null;
  const { names, containers, counts, files, domain, near, recent } = data;
  if (domain !== undefined && !(isStringList(domain) && domain.every((name, index) => index === 0 || domain[index - 1]! < name))) return null;
  if (near !== undefined && (domain === undefined || !isNearList(near))) return null;
  if (recent !== undefined && !(Array.isArray(recent) && recent.length <= MAX_RECENT_ENTRIES && recent.every(isRecentEntry))) return null;
  if (!isStringList(names) || !Array.isArray(containers) || !containers.every(isNamedContainer)) return null;
  if (!Array.isArray(counts) || counts.length !== names.length || !counts.every((count) => Number.isInteger(count) && count > 0)) return null;
  if (!isStringList(files) || files.length % 2 !== 0) return null;
  // Binary search trusts the order: a file out of order is not one we wrote.
  for (let index = 1; index < names.length; index++) if (!(names[index - 1]! < names[index]!)) return null;
  for (let index = 1; index < containers.length; index++) if (containers[index - 1]![0] > containers[index]![0]) return null;
  return {
    digest: data.digest,
    aggregate: {
      names,
      containers,
      counts: counts as number[],
      sorted: true,
      ...(domain !== undefined ? { domain } : {}),
      ...(near !== undefined ? { near } : {}),
      ...(recent !== undefined ? { recent } : {}),
    },
    files,
  };
}

function isRecentEntry(value: unknown): value is [string, FileNames] {
  if (!Array.isArray(value) || value.length !== 2 || typeof value[0] !== "string" || !isRecord(value[1])) return false;
  const { identifiers, containers } = value[1];
  return (
    isStringList(identifiers) &&
    Array.isArray(containers) &&
    containers.every(
      (container) => isRecord(container) && typeof container.name === "string" && CONTAINER_KINDS.has(container.kind as string) && isStringList(container.members) && isStringList(container.heritage),
    )
  );
}

function isNearList(value: unknown): value is Array<[string, string[]]> {
  return (
    Array.isArray(value) &&
    value.every((entry, index) => Array.isArray(entry) && entry.length === 2 && typeof entry[0] === "string" && isStringList(entry[1]) && (index === 0 || value[index - 1][0] < entry[0]))
  );
}

function isNamedContainer(value: unknown): value is NamedContainer {
  return Array.isArray(value) && value.length === 4 && typeof value[0] === "string" && CONTAINER_KINDS.has(value[1] as string) && isStringList(value[2]) && isStringList(value[3]);
}

function validators(count: number) {
  const isId = (value: unknown): value is number => Number.isInteger(value) && (value as number) >= 0 && (value as number) < count;
  const idList = (value: unknown): value is number[] => Array.isArray(value) && value.every(isId);
  const container = (value: unknown): value is EncodedContainer =>
    Array.isArray(value) && value.length === 4 && isId(value[0]) && CONTAINER_KINDS.has(value[1] as string) && idList(value[2]) && isStringList(value[3]);
  return { idList, container };
}

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === "string");
}

// ---------------------------------------------------------------------------------------------
// The index cache

export interface IndexCache {
  /** The folder it lives in (null: kept in memory only). */
  directory: string | null;
  /** The index a run over `source` saved for entries with this digest, if it was the last one. */
  aggregate(source: string, digest: string): Promise<CodeIndex | null>;
  /**
   * The aggregate the last run over `source` saved, whatever its entries, with the file each
   * entry key came from (`path -> key`): a run whose files changed a little updates it.
   */
  lastAggregate(source: string): Promise<{ digest: string; aggregate: Aggregate; files: Map<string, string> } | null>;
  /** The per-content entries, read on first use. */
  store(): Promise<NameStore>;
  /** Whether the per-content entries have been read by this run. */
  readonly storeLoaded: boolean;
  /** The index of these entries (from the store), whose aggregate is saved for the next run over `source`. */
  indexAndRemember(source: string, digest: string, files: Array<{ path: string; key: string }>): Promise<CodeIndex>;
  /** Saves this aggregate (a searched, partial one) for the next run over `source`. */
  remember(source: string, digest: string, aggregate: Aggregate, files: Array<{ path: string; key: string }>): void;
  /** Writes what changed; a cache that cannot be written is skipped. */
  save(): Promise<void>;
}

/** Opens the index cache in `directory` (empty when missing, corrupt or from another fingerprint). */
export function openIndexCache(directory: string | null, fingerprint: string): IndexCache {
  let loading: Promise<NameStore> | null = null;
  const remembered = new Map<string, { digest: string; aggregate: Aggregate; files: string[] }>();
  const onDisk = new Map<string, string>();
  const saved = new Map<string, Promise<SavedAggregate | null>>();
  const savedAggregate = (source: string): Promise<SavedAggregate | null> => {
    if (directory === null) return Promise.resolve(null);
    let loaded = saved.get(source);
    if (loaded === undefined) {
      loaded = loadJson(join(directory, aggregateFile(source)), (data) => aggregateFromFile(data, fingerprint));
      saved.set(source, loaded);
    }
    return loaded;
  };
  const store = (): Promise<NameStore> => {
    loading ??=
      directory === null ? Promise.resolve(new NameStore()) : loadJson(join(directory, ENTRIES_FILE), (data) => NameStore.fromFile(data, fingerprint)).then((loaded) => loaded ?? new NameStore());
    return loading;
  };
  return {
    directory,
    async aggregate(source, digest) {
      const found = await savedAggregate(source);
      // A searched (partial) aggregate answers only its names: not a whole index.
      if (found === null || found.digest !== digest || found.aggregate.domain) return null;
      onDisk.set(source, digest);
      return indexOfAggregate(found.aggregate);
    },
    async lastAggregate(source) {
      const found = await savedAggregate(source);
      if (found === null) return null;
      const files = new Map<string, string>();
      for (let index = 0; index < found.files.length; index += 2) files.set(found.files[index]!, found.files[index + 1]!);
      return { digest: found.digest, aggregate: found.aggregate, files };
    },
    store,
    get storeLoaded() {
      return loading !== null;
    },
    async indexAndRemember(source, digest, files) {
      const aggregate = (await store()).aggregateOf(files.map((file) => file.key));
      remembered.set(source, { digest, aggregate, files: flatFiles(files) });
      return indexOfAggregate(aggregate);
    },
    remember(source, digest, aggregate, files) {
      remembered.set(source, { digest, aggregate, files: flatFiles(files) });
      onDisk.delete(source);
    },
    async save() {
      if (loading !== null) {
        const entries = await loading;
        if (entries.changed) await saveJson(directory, ENTRIES_FILE, () => entries.snapshot(fingerprint));
      }
      for (const [source, { digest, aggregate, files }] of remembered) {
        if (onDisk.get(source) === digest) continue;
        await saveJson(directory, aggregateFile(source), () => {
          const { names, containers, counts, domain, near, recent } = sortedAggregate(aggregate);
          return { format: CACHE_FORMAT, fingerprint, digest, names, counts, containers, files, ...(domain ? { domain } : {}), ...(near ? { near } : {}), ...(recent ? { recent } : {}) };
        });
      }
    },
  };
}

function flatFiles(files: Array<{ path: string; key: string }>): string[] {
  const flat: string[] = [];
  for (const file of [...files].sort((a, b) => byCodeUnit(a.path, b.path))) flat.push(file.path, file.key);
  return flat;
}

/** Names the set of entries a run indexes: equal digests, equal indexes. */
export function entriesDigest(keys: readonly string[]): string {
  return createHash("sha1").update(keys.join("\n")).digest("hex");
}
