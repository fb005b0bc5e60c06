// The code index a lint run needs, built by searching instead of parsing everything: a name a
// file does not contain as bytes cannot be declared or used there, so for the names the run's
// mentions ask about, only the files whose bytes contain one are parsed. The answers equal the
// full index's for every name searched for; `settle` searches until every name a set of
// questions asks has been searched for (asking about `A.b` may lead to A's bases, then theirs).

import { NEAR_NAME_MIN_LENGTH } from "../shared/closest.js";
import type { FileNames } from "./code-index.js";
import type { Aggregate } from "./index-cache.js";
import type { CodeIndex, ContainerInfo, IndexQuestions } from "./types.js";

type NamedContainer = Aggregate["containers"][number];

/** What the searched index needs from the code index: files found by name, and their names. */
export interface NameSearch {
  /**
   * The names of every file whose bytes contain at least one of `names` (a superset is fine:
   * a file that only looks like it holds a name adds nothing the full index would not have).
   */
  namesOfFilesContaining(names: readonly string[]): Promise<FileNames[]>;
  /**
   * For each of `names`, the identifier-shaped words of any file's bytes that `isNearName`
   * accepts (a superset of what the full index would offer: each is then searched for).
   */
  wordsNear(names: readonly string[]): Promise<Map<string, Set<string>>>;
  /** Called after each search with what the index now knows, for the next run to start from. */
  remember(known: Aggregate): void;
}

/** Counts of work done, for tests and the benchmark: growth is asserted by counting, not timing. */
export interface SearchStats {
  rounds: number;
  searchedNames: number;
  filesParsed: number;
}

export class SearchedIndex implements CodeIndex {
  private readonly domain: Set<string>;
  private readonly counts = new Map<string, number>();
  private readonly byName = new Map<string, NamedContainer[]>();
  private readonly decoded = new Map<string, ContainerInfo[]>();
  private unknown = new Set<string>();
  /** "Did you mean" questions answered, and the ones asked but not yet. */
  private readonly near = new Map<string, readonly string[]>();
  private unknownNear = new Set<string>();
  /** Words near a name that an earlier run found (a superset of the answer: see `Aggregate.near`). */
  private readonly nearKept = new Map<string, readonly string[]>();
  /** Carried as it came: see `Aggregate.recent`. */
  private readonly recent: Aggregate["recent"];
  readonly stats: SearchStats = { rounds: 0, searchedNames: 0, filesParsed: 0 };

  constructor(
    private readonly search: NameSearch,
    /** What an earlier run found, still true of these files (its `domain` is what it searched). */
    known: Aggregate | null,
    /** Whether `known` differs from what the cache holds (updated for changed files, or new). */
    private changed: boolean,
  ) {
    this.domain = new Set(known?.domain ?? []);
    this.recent = known?.recent;
    if (known) {
      known.names.forEach((name, index) => this.counts.set(name, known.counts[index]!));
      for (const container of known.containers) this.addContainer(container);
      for (const [name, words] of known.near ?? []) this.nearKept.set(name, words);
    }
  }

  has(name: string): boolean {
    if (!this.domain.has(name)) this.unknown.add(name);
    return (this.counts.get(name) ?? 0) > 0;
  }

  namesNear(name: string): readonly string[] {
    // No word is near a short name (isNearName): nothing to search for.
    if (name.length < NEAR_NAME_MIN_LENGTH) return [];
    const answered = this.near.get(name);
    if (answered === undefined) this.unknownNear.add(name);
    return answered ?? [];
  }

  containers(name: string): ContainerInfo[] | undefined {
    if (!this.domain.has(name)) this.unknown.add(name);
    const done = this.decoded.get(name);
    if (done) return done;
    const found = this.byName.get(name);
    if (!found || found.length === 0) return undefined;
    const infos = found.map(([, kind, members, heritage]) => ({ kind, members: new Set(members), heritage: [...heritage] }));
    this.decoded.set(name, infos);
    return infos;
  }

  /**
   * Asks the questions, searches for every name they asked that was not searched yet, and again
   * until a round asks nothing new: then every answer they got is the full index's.
   */
  async settle(ask: IndexQuestions): Promise<void> {
    let searched = false;
    for (;;) {
      this.unknown = new Set();
      this.unknownNear = new Set();
      ask(this);
      const fresh = [...this.unknown].filter((name) => !this.domain.has(name) && name !== "");
      const freshNear = [...this.unknownNear].filter((name) => name !== "");
      if (fresh.length === 0 && freshNear.length === 0) break;
      // "Did you mean" is asked about names that look missing; while some name a question reads
      // is unsearched, every name may look missing (a cold run: all of them), so the near words
      // wait for a round in which every name is known.
      if (fresh.length > 0) await this.searchFor(fresh);
      else await this.answerNear(freshNear);
      searched = true;
    }
    if (searched || this.changed) this.search.remember(this.aggregate());
    this.changed = false;
  }

  /**
   * The names of containers that take one of `names` as a base (`extends`, `implements`, a
   * spread): only a file whose bytes hold the base's name can declare one, so the files the
   * search finds for `names` hold them all. What `--staged` needs to know which containers
   * inherit a member the commit removes.
   */
  async inheritorsOf(names: readonly string[]): Promise<Set<string>> {
    const bases = new Set(names.filter((name) => name !== ""));
    const found = new Set<string>();
    if (bases.size === 0) return found;
    this.stats.rounds++;
    this.stats.searchedNames += bases.size;
    const files = await this.search.namesOfFilesContaining([...bases]);
    this.stats.filesParsed += files.length;
    for (const file of files) {
      for (const container of file.containers) if (container.heritage.some((base) => bases.has(base))) found.add(container.name);
    }
    return found;
  }

  /**
   * "Did you mean" without a full index: the words near each name are found in the bytes (a name
   * a file does not hold as text is not declared there), searched for like any name, and kept
   * when the index has them: the candidates the full index's `namesNear` gives.
   */
  private async answerNear(names: string[]): Promise<void> {
    // A name an earlier run answered needs no pass over the bytes: its words are kept, and an
    // edit since could only add words, which updating the kept ones by the added files found.
    const unread = names.filter((name) => !this.nearKept.has(name));
    const words = unread.length > 0 ? await this.search.wordsNear(unread) : new Map<string, Set<string>>();
    for (const name of names) {
      const kept = this.nearKept.get(name);
      if (kept !== undefined) words.set(name, new Set(kept));
    }
    const candidates = [...new Set([...words.values()].flatMap((set) => [...set]))].filter((word) => !this.domain.has(word));
    if (candidates.length > 0) await this.searchFor(candidates);
    for (const name of names) {
      this.near.set(name, [...(words.get(name) ?? [])].filter((word) => (this.counts.get(word) ?? 0) > 0).sort(byCodeUnit));
    }
  }

  private async searchFor(names: string[]): Promise<void> {
    this.stats.rounds++;
    this.stats.searchedNames += names.length;
    const wanted = new Set(names);
    const files = await this.search.namesOfFilesContaining(names);
    this.stats.filesParsed += files.length;
    for (const file of files) {
      const distinct = new Set<string>();
      for (const name of file.identifiers) if (wanted.has(name)) distinct.add(name);
      for (const container of file.containers) {
        if (!wanted.has(container.name)) continue;
        distinct.add(container.name);
        this.addContainer([container.name, container.kind, [...container.members], [...container.heritage]]);
      }
      for (const name of distinct) this.counts.set(name, (this.counts.get(name) ?? 0) + 1);
    }
    for (const name of names) this.domain.add(name);
  }

  private addContainer(container: NamedContainer): void {
    const list = this.byName.get(container[0]);
    if (list) list.push(container);
    else this.byName.set(container[0], [container]);
    this.decoded.delete(container[0]);
  }

  /** What is known, sorted, as the index cache saves it. */
  aggregate(): Aggregate {
    const names = [...this.counts.keys()].filter((name) => this.counts.get(name)! > 0).sort(byCodeUnit);
    const containers = [...this.byName.values()].flat().sort((a, b) => byCodeUnit(a[0], b[0]));
    // Near words kept: this run's answers, and what earlier runs found for names not asked now
    // (a word not searched yet stays a candidate).
    const near = new Map(this.nearKept);
    for (const [name, words] of this.near) near.set(name, words);
    const nearList = [...near]
      .map(([name, words]): [string, string[]] => [name, words.filter((word) => !this.domain.has(word) || (this.counts.get(word) ?? 0) > 0)])
      .sort((a, b) => byCodeUnit(a[0], b[0]));
    return {
      names,
      counts: names.map((name) => this.counts.get(name)!),
      containers,
      sorted: true,
      domain: [...this.domain].sort(byCodeUnit),
      near: nearList,
      ...(this.recent ? { recent: this.recent } : {}),
    };
  }
}

function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Only what a searched index covers of one file's names: identifiers and containers named in `domain`. */
export function namesWithin(names: FileNames, domain: ReadonlySet<string>): FileNames {
  return {
    identifiers: names.identifiers.filter((name) => domain.has(name)),
    containers: names.containers.filter((container) => domain.has(container.name)),
  };
}
