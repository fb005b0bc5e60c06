// A long-lived project: the model built once and kept warm, for the faces that stay open (the
// language server, the MCP server, the library API). It answers the same findings as a CLI run,
// for the whole harness or one file (with unsaved text), and refreshes only what changed.

import { statSync } from "node:fs";
import { stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { openWorkTree } from "../codebase/codebase.js";
import { CHANGES_LISTING_ARGS, runGit, splitNul } from "../git/file-source.js";
import { findRepoRoot } from "../git/git.js";
import { resolveCommit } from "../git/revisions.js";
import { citations } from "../harness/citations.js";
import { classifySpan } from "../harness/mention-shape.js";
import { normaliseRef } from "../harness/refs.js";
import { scopeGlobMatcher } from "../harness/scope.js";
import type { Finding, Hook, Item, Rule } from "../harness/types.js";
import type { ItemChange } from "../history/item-diff.js";
import type { TracedCommit } from "../history/provenance.js";
import type { Config } from "../shared/config-types.js";
import { UserError } from "../shared/errors.js";
import { configuredHooksPath, ModelBuilder, openModelCaches, type ModelCaches } from "./build-model.js";
import type { Check } from "./check.js";
import { CONFIG_SEARCH_PLACES, loadConfig } from "./config.js";
import { DeclarationIndex } from "./declarations.js";
import { activeChecks, checkAndSuppress, finishRun, needsEvidence, needsLapses, type ActiveCheck, type LintOptions } from "./lint.js";
import { loadPackageConfigs, unionConfig, type PackageConfig } from "./package-config.js";
import type { Model } from "./model.js";

export interface ProjectOptions {
  /** The checks to run (the registry, `rules/index.ts`): the faces pass it. */
  checks: ReadonlyArray<Check<string>>;
  /** A configuration file instead of the one found in the repository. */
  configPath?: string;
  /** A baseline file to subtract instead of the configuration's. */
  baselinePath?: string;
}

/** What a name is in this repository: declared where, and if it is gone, what history says. */
export interface NameExplanation {
  name: string;
  kind: "symbol" | "path";
  /** The code index has the name, or the path is a file or folder of the repository. */
  exists: boolean;
  /** Declarations (symbols) or the file itself (paths); 1-based lines. */
  declared: Array<{ file: string; line: number }>;
  /** Only for a name that does not exist: the commit that removed it, and what replaced it. */
  history?: NameHistory;
}

export interface NameHistory {
  status: "renamed" | "removed" | "ambiguous";
  replacement?: string;
  candidates?: string[];
  commit: string;
  date: string;
  subject: string;
}

/** A rule's scope as globs from the repository root, "global", or null when it says none. */
export type ScopeSummary = string[] | "global" | null;

export interface ItemSummary {
  ref: string;
  title: string;
  file: string;
  /** 1-based line of its heading (or of the file's first line for a per-file rule). */
  line: number;
  scope: ScopeSummary;
  /** Post-mortems that cite the rule (their paths). */
  citedBy: string[];
}

export interface ItemDetail extends ItemSummary {
  /** Codebase files its scope matches (every code file for a global or unscoped rule). */
  matches: string[];
}

export interface TraceEntry {
  commit: string;
  date: string;
  subject: string;
  change: ItemChange["change"];
  ref: string;
  postmortems: Array<{ ref: string; via: "trailer" | "same-commit" | "listed" }>;
}

export interface MentionSite {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  item?: string;
  value: string;
}

export interface PostMortemSummary {
  path: string;
  id: string;
  date?: string;
  title?: string;
  /** The refs its `changes` list names. */
  changes: string[];
}

export interface CompletionEntry {
  label: string;
  kind: "symbol" | "path" | "ref";
  detail?: string;
}

export interface Project {
  readonly root: string;
  /** Findings for the whole harness, as `harness-lint --format json` reports them. */
  lint(): Promise<Finding[]>;
  /** Findings in one harness file, post-mortem or hook file; `text` is its unsaved content. */
  lintFile(path: string, text?: string): Promise<Finding[]>;
  explainName(name: string): Promise<NameExplanation>;
  /** Rules that apply to a code path, with their scope and citations. */
  itemsAt(path: string): ItemSummary[];
  /** The rule whose heading is on this line of a harness file. */
  itemAt(file: string, line: number): ItemDetail | undefined;
  /** Commits that changed the rule (a ref, id, or file) and the post-mortems behind each. */
  trace(ref: string): Promise<TraceEntry[]>;
  /** Files changed on disk (repo-relative or absolute): the model and code index are refreshed. */
  update(changedPaths: readonly string[]): Promise<void>;
  /**
   * Finds what changed on disk since the last look (files added, removed, or with another size or
   * modification time) and updates for those: for a client that sends no change notifications.
   * Returns the changed paths.
   */
  refresh(): Promise<string[]>;
  /** Whether harness-lint reads this path as a harness file, post-mortem or hook file. */
  isHarnessFile(path: string): boolean;
  /** The post-mortems, newest first (by their date, then path). */
  postmortems(): PostMortemSummary[];
  /** Mentions in the harness of a code name or path (find references). */
  mentionsOf(name: string): MentionSite[];
  /** Candidates for completion: names and paths inside backticks, or refs in a post-mortem. */
  complete(kind: "mention" | "ref", prefix: string): Promise<CompletionEntry[]>;
  /** The current model (read-only): what the checks read. */
  readonly model: Model;
  /** Saves the caches for the next run and lets go of the project. */
  close(): Promise<void>;
}

const COMPLETION_LIMIT = 100;

export async function openProject(rootOrCwd: string, options: ProjectOptions): Promise<Project> {
  const cwd = resolve(rootOrCwd);
  if (!statSync(cwd, { throwIfNoEntry: false })?.isDirectory()) throw new UserError(`${cwd} is not a directory`);
  const gitRoot = await findRepoRoot(cwd);
  const project = new LiveProject(gitRoot ?? cwd, gitRoot !== null, options);
  await project.open();
  return project;
}

interface Setup {
  config: Config;
  packages: PackageConfig[];
  active: ActiveCheck[];
  caches: ModelCaches;
  builder: ModelBuilder;
}

class LiveProject implements Project {
  private setup!: Setup;
  private current!: Model;
  private declarations: Promise<DeclarationIndex> | null = null;
  private explained = new Map<string, Promise<NameExplanation>>();
  private traced: { head: string; commits: Promise<TracedCommit[]> } | null = null;
  /** Builds and lints one at a time: a lint never reads a model half rebuilt. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly root: string,
    private readonly inGit: boolean,
    private readonly options: ProjectOptions,
  ) {}

  get model(): Model {
    return this.current;
  }

  async open(): Promise<void> {
    this.setup = await this.configure();
    await this.rebuild();
    await this.setup.caches.save();
  }

  /** What `refresh` compares: the git index's entries and stamp, and a stamp per file that differs from it. */
  private looked: { indexStamp: string; index: Map<string, string>; changed: Map<string, string> } | null = null;
  private indexPath: string | null = null;

  async refresh(): Promise<string[]> {
    if (!this.inGit) return this.refreshByListing();
    // git compares the work tree with its index (by the stat data it keeps): only the files that
    // differ are looked at here. A checkout or commit changes the index itself: its entries are
    // compared then.
    this.indexPath ??= resolve(this.root, (await runGit(this.root, ["rev-parse", "--git-path", "index"])).toString("utf8").trim());
    const indexStat = await stat(this.indexPath).catch(() => null);
    const indexStamp = indexStat ? `${indexStat.size}:${indexStat.mtimeMs}` : "";
    const previous = this.looked;
    const index = previous !== null && previous.indexStamp === indexStamp ? previous.index : await indexEntries(this.root);
    const changedNow = new Map<string, string>();
    const differing = splitNul(await runGit(this.root, [...CHANGES_LISTING_ARGS])).map((record) => record.slice(2));
    const stamps = await Promise.all(
      differing.map((path) =>
        stat(join(this.root, path)).then(
          (found) => `${found.size}:${found.mtimeMs}`,
          () => "gone",
        ),
      ),
    );
    differing.forEach((path, at) => changedNow.set(path, stamps[at]!));
    this.looked = { indexStamp, index, changed: changedNow };
    if (previous === null) return [];
    const changed = new Set<string>();
    if (index !== previous.index) {
      for (const [path, oid] of index) if (previous.index.get(path) !== oid) changed.add(path);
      for (const path of previous.index.keys()) if (!index.has(path)) changed.add(path);
    }
    for (const [path, stamp] of changedNow) if (previous.changed.get(path) !== stamp) changed.add(path);
    for (const path of previous.changed.keys()) if (!changedNow.has(path)) changed.add(path);
    if (changed.size > 0) await this.update([...changed]);
    return [...changed];
  }

  /** Outside git: every file listed and its size and modification time compared. */
  private stamps: Map<string, string> | null = null;

  private async refreshByListing(): Promise<string[]> {
    const source = await openWorkTree(this.root, this.inGit);
    const files = source.files;
    source.close();
    const stamps = new Map<string, string>();
    const stats = await Promise.all(files.map((file) => stat(join(this.root, file)).catch(() => null)));
    files.forEach((file, index) => {
      const found = stats[index];
      if (found) stamps.set(file, `${found.size}:${found.mtimeMs}`);
    });
    const previous = this.stamps;
    this.stamps = stamps;
    if (previous === null) return [];
    const changed: string[] = [];
    for (const [file, stamp] of stamps) if (previous.get(file) !== stamp) changed.push(file);
    for (const file of previous.keys()) if (!stamps.has(file)) changed.push(file);
    if (changed.length > 0) await this.update(changed);
    return changed;
  }

  private async configure(): Promise<Setup> {
    const { config } = await loadConfig(this.root, this.options.configPath !== undefined ? { configPath: this.options.configPath } : {});
    const listing = await openWorkTree(this.root, this.inGit);
    const files = listing.files;
    listing.close();
    const packages = this.options.configPath === undefined ? await loadPackageConfigs(this.root, files, config) : [];
    const active = activeChecks(this.options.checks, unionConfig(config, packages), undefined);
    const needsCodeIndex = active.some(({ check }) => check.id === "stale-symbol" || check.id === "unknown-name");
    const caches = await openModelCaches(this.root, this.inGit, config, needsCodeIndex);
    const hooksPath = this.inGit ? await configuredHooksPath(this.root) : null;
    const builder = new ModelBuilder({ root: this.root, inGit: this.inGit, config, needsCodeIndex }, caches, hooksPath);
    return { config, packages, active, caches, builder };
  }

  private async rebuild(changed?: ReadonlySet<string>): Promise<void> {
    const source = await openWorkTree(this.root, this.inGit);
    let model: Model;
    try {
      model = await this.setup.builder.build(source, changed);
    } finally {
      source.close();
    }
    if (needsEvidence(this.setup.active)) {
      const { buildEvidence } = await import("./evidence-facts.js");
      model.evidence = await buildEvidence(model, this.inGit);
      if (needsLapses(this.setup.active)) {
        const { buildLapsed } = await import("./lapsed-facts.js");
        model.lapsed = await buildLapsed(model, this.inGit);
      }
    }
    this.current = model;
    this.gathered = new Map();
  }

  /**
   * Evidence for a model with one file's unsaved text: a mention elsewhere keeps its evidence;
   * one in the edited file takes the evidence of a mention of the same name in the file as built
   * (lines move as one types), and history is asked only about names new to the file.
   */
  private async withEvidence(next: Model, file: string): Promise<void> {
    const base = this.current.evidence;
    if (base === undefined) return;
    const { evidenceFacts } = await import("../history/evidence.js");
    const facts = evidenceFacts(base.complete, base.incomplete);
    const byValue = new Map<string, NonNullable<ReturnType<typeof base.of>>>();
    for (const text of this.current.texts) {
      if (text.file !== file) continue;
      for (const mention of text.mentions) {
        const found = base.of(file, mention);
        if (found !== undefined && !byValue.has(mention.value)) byValue.set(mention.value, found);
      }
    }
    const unmatched: Array<{ text: Model["texts"][number]; mention: Model["texts"][number]["mentions"][number] }> = [];
    for (const text of next.texts) {
      for (const mention of text.mentions) {
        const found = text.file === file ? (byValue.get(mention.value) ?? this.gathered.get(`${mention.kind}\0${mention.value}`)) : base.of(text.file, mention);
        if (found) facts.add(text.file, mention, found);
        else if (text.file === file && !this.gathered.has(`${mention.kind}\0${mention.value}`)) unmatched.push({ text, mention });
      }
    }
    if (unmatched.length > 0) {
      const { buildEvidence, missingMentions } = await import("./evidence-facts.js");
      const mentions = new Set(unmatched.map(({ mention }) => mention));
      const texts = next.texts.filter((text) => text.file === file).map((text) => ({ ...text, mentions: text.mentions.filter((m) => mentions.has(m)) }));
      const probe = { ...next, texts } as Model;
      const missing = new Set(missingMentions(probe).map(({ mention }) => mention));
      const asked = missing.size > 0 ? await buildEvidence(probe, this.inGit) : null;
      for (const { text, mention } of unmatched) {
        const found = missing.has(mention) ? asked?.of(text.file, mention) : undefined;
        // Remembered by name until the next update: typing the same name again asks nothing.
        if (missing.has(mention)) this.gathered.set(`${mention.kind}\0${mention.value}`, found ?? null);
        if (found) facts.add(text.file, mention, found);
      }
    }
    next.evidence = facts;
    // Lapses are facts about names, not positions: an unsaved buffer keeps those of the file as built.
    if (this.current.lapsed !== undefined) next.lapsed = this.current.lapsed;
  }

  /** Evidence history gave for names typed into a buffer (null: none), by kind and name. */
  private gathered = new Map<string, import("../history/evidence.js").NameEvidence | null>();

  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  lint(): Promise<Finding[]> {
    return this.serial(async () => this.finish(this.current));
  }

  lintFile(path: string, text?: string): Promise<Finding[]> {
    const file = this.relative(path);
    return this.serial(async () => {
      if (!this.isHarnessFile(file)) return [];
      let model = this.current;
      if (text !== undefined) {
        model = await this.setup.builder.withText(this.current, file, text);
        await this.withEvidence(model, file);
      }
      return (await this.finish(model)).filter((finding) => finding.file === file);
    });
  }

  /** As the CLI ends a run: directives applied, package configurations, the baseline, sorted. */
  private async finish(model: Model): Promise<Finding[]> {
    const options: LintOptions = {
      cwd: this.root,
      checks: this.options.checks,
      ...(this.options.configPath !== undefined ? { configPath: this.options.configPath } : {}),
      ...(this.options.baselinePath !== undefined ? { baselinePath: resolve(this.root, this.options.baselinePath) } : {}),
    };
    const run = await finishRun(this.root, this.root, options, model, checkAndSuppress(model, this.setup.active, options), this.setup.packages);
    return run.result.findings;
  }

  update(changedPaths: readonly string[]): Promise<void> {
    const changed = new Set(changedPaths.map((path) => this.relative(path)).filter((path) => path !== "" && !path.startsWith("../")));
    return this.serial(async () => {
      if (changed.size === 0) return;
      const before = new Set(this.current.codebase.codeFiles);
      const name = (path: string) => path.slice(path.lastIndexOf("/") + 1);
      if ([...changed].some((path) => CONFIG_SEARCH_PLACES.includes(name(path)) || path === this.options.configPath)) {
        // The configuration decides what every file is: start again (the caches still apply).
        await this.setup.caches.save();
        this.setup = await this.configure();
        await this.rebuild();
      } else {
        await this.rebuild(changed);
      }
      this.explained = new Map();
      const declarations = this.declarations;
      if (declarations !== null) {
        const after = new Set(this.current.codebase.codeFiles);
        const touched = new Set([...changed].filter((path) => before.has(path) || after.has(path)));
        for (const path of after) if (!before.has(path)) touched.add(path);
        for (const path of before) if (!after.has(path)) touched.add(path);
        await (await declarations).update([...touched], after);
      }
    });
  }

  isHarnessFile(path: string): boolean {
    return this.setup.builder.kindOf(this.relative(path)) !== null;
  }

  postmortems(): PostMortemSummary[] {
    return this.current.postmortems
      .map((pm) => ({ path: pm.path, id: pm.id, ...(pm.date !== undefined ? { date: pm.date } : {}), ...(pm.title !== undefined ? { title: pm.title } : {}), changes: pm.changes.map((c) => c.ref) }))
      .sort((a, b) => (b.date ?? "").localeCompare(a.date ?? "") || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  explainName(name: string): Promise<NameExplanation> {
    const key = name.trim();
    let answer = this.explained.get(key);
    if (answer === undefined) {
      answer = this.explain(key);
      this.explained.set(key, answer);
      answer.catch(() => this.explained.delete(key));
    }
    return answer;
  }

  private async explain(name: string): Promise<NameExplanation> {
    const model = this.current;
    const shape = classifySpan(name);
    if (shape?.kind === "path" || shape?.kind === "glob") {
      const path = normaliseRef(shape.value).replace(/\/+$/, "");
      const isFile = model.codebase.fileSet.has(path);
      const exists = isFile || model.codebase.dirSet.has(path);
      const answer: NameExplanation = { name, kind: "path", exists, declared: isFile ? [{ file: path, line: 1 }] : [] };
      if (!exists && shape.kind === "path") await this.withHistory(answer, "stale-path", shape.directory ? "missingDirectory" : "missingFile", shape.value);
      return answer;
    }
    const symbol = shape?.kind === "symbol" || shape?.kind === "member" ? shape.value : name;
    const head = symbol.split(/\.|::|#/).filter((part) => part !== "")[0] ?? symbol;
    const declared = (await this.declarationIndex()).sitesOf(head).map(({ file, line }) => ({ file, line }));
    const exists = declared.length > 0 || model.codeIndex.has(head);
    const answer: NameExplanation = { name, kind: "symbol", exists, declared };
    if (!exists) await this.withHistory(answer, "stale-symbol", "missing", symbol);
    return answer;
  }

  /** What `--drift` says about a name that is gone: the commit that removed it and what replaced it. */
  private async withHistory(answer: NameExplanation, check: string, messageId: string, mention: string): Promise<void> {
    if (!this.inGit) return;
    const { explainStaleFindings } = await import("../history/drift.js");
    const probe: Finding = { check, severity: "error", messageId, message: "", file: "", line: 1, column: 1, mention };
    const [explained] = await explainStaleFindings(this.root, [probe], { isHarnessPath: this.current.isHarnessPath });
    const suggestion = explained?.suggestion;
    if (suggestion?.commit === undefined) return;
    const status = suggestion.replacement !== undefined ? "renamed" : suggestion.candidates !== undefined ? "ambiguous" : "removed";
    answer.history = {
      status,
      ...(suggestion.replacement !== undefined ? { replacement: suggestion.replacement } : {}),
      ...(suggestion.candidates !== undefined ? { candidates: [...suggestion.candidates] } : {}),
      commit: suggestion.commit,
      date: suggestion.date ?? "",
      subject: suggestion.subject ?? "",
    };
  }

  private declarationIndex(): Promise<DeclarationIndex> {
    this.declarations ??= DeclarationIndex.build(this.root, this.current.codebase.codeFiles);
    return this.declarations;
  }

  itemsAt(path: string): ItemSummary[] {
    const file = this.relative(path);
    const cited = this.citedBy(this.current);
    return this.current.items.filter((item) => scopeMatches(item, file)).map((item) => summary(item, cited));
  }

  itemAt(file: string, line: number): ItemDetail | undefined {
    const path = this.relative(file);
    const item = this.current.items.find((candidate) => candidate.file === path && candidate.span.start.line === line);
    if (item === undefined) return undefined;
    const matches = this.current.codebase.codeFiles.filter((code) => scopeMatches(item, code));
    return { ...summary(item, this.citedBy(this.current)), matches };
  }

  private citedBy(model: Model): Map<Item | Hook, string[]> {
    const cited = new Map<Item | Hook, string[]>();
    for (const citation of citations(model)) {
      if (citation.resolution.kind !== "found") continue;
      for (const item of citation.resolution.items) {
        const list = cited.get(item) ?? [];
        if (!list.includes(citation.postmortem.path)) list.push(citation.postmortem.path);
        cited.set(item, list);
      }
    }
    return cited;
  }

  async trace(ref: string): Promise<TraceEntry[]> {
    if (!this.inGit) return [];
    const head = await resolveCommit(this.root, "HEAD");
    if (head === null) return [];
    if (this.traced?.head !== head) {
      const { traceProvenance } = await import("../history/provenance.js");
      const commits = traceProvenance(this.root, this.setup.config).then((history) => history.commits);
      this.traced = { head, commits };
      commits.catch(() => (this.traced = null));
    }
    const wanted = normaliseRef(ref).toLowerCase();
    const entries: TraceEntry[] = [];
    for (const commit of await this.traced.commits) {
      for (const item of commit.items) {
        const names = [item.ref, item.previousRef, item.file, ...(item.item.kind === "rule" ? [item.item.id, item.item.anchor] : [])];
        if (!names.some((name) => name !== undefined && name.toLowerCase() === wanted)) continue;
        entries.push({
          commit: commit.sha,
          date: commit.date,
          subject: commit.subject,
          change: item.change,
          ref: item.ref,
          postmortems: commit.postmortems.map((pm) => ({ ref: pm.ref, via: pm.via })),
        });
      }
    }
    // Oldest first: how the rule came to be what it is.
    return entries.reverse();
  }

  mentionsOf(name: string): MentionSite[] {
    const wanted = name.trim();
    const sites: MentionSite[] = [];
    for (const text of this.current.texts) {
      for (const mention of text.mentions) {
        const parts = mention.kind === "symbol" ? mention.value.split(/\.|::|#/).map((part) => part.replace(/\(\)$/, "")) : [mention.value];
        if (!parts.includes(wanted) && mention.value !== wanted) continue;
        sites.push({
          file: text.file,
          line: mention.span.start.line,
          column: mention.span.start.column,
          endLine: mention.span.end.line,
          endColumn: mention.span.end.column,
          value: mention.value,
          ...(text.kind !== "preamble" ? { item: text.ref } : {}),
        });
      }
    }
    return sites;
  }

  async complete(kind: "mention" | "ref", prefix: string): Promise<CompletionEntry[]> {
    if (kind === "ref") {
      const lower = prefix.toLowerCase();
      const refs = [...this.current.items, ...this.current.hooks].map((item) => item.ref);
      return [...new Set(refs)]
        .filter((ref) => ref.toLowerCase().startsWith(lower))
        .slice(0, COMPLETION_LIMIT)
        .map((ref) => ({ label: ref, kind: "ref" as const }));
    }
    const entries: CompletionEntry[] = [];
    if (prefix.includes("/") || prefix.includes(".")) {
      for (const file of this.current.codebase.allFiles) {
        if (file.startsWith(prefix)) entries.push({ label: file, kind: "path" });
        if (entries.length >= COMPLETION_LIMIT) break;
      }
    }
    if (!prefix.includes("/") && prefix.length > 0) {
      const declarations = await this.declarationIndex();
      for (const name of declarations.namesStartingWith(prefix, COMPLETION_LIMIT)) {
        const site = declarations.sitesOf(name)[0];
        entries.push({ label: name, kind: "symbol", ...(site ? { detail: `${site.file}:${site.line}` } : {}) });
      }
    }
    return entries;
  }

  async close(): Promise<void> {
    await this.queue;
    await this.setup.caches.save();
  }

  /** Repo-relative with `/`, from an absolute path or one already relative. */
  private relative(path: string): string {
    const absolute = resolve(this.root, path);
    const inside = absolute.startsWith(`${this.root}/`) ? absolute.slice(this.root.length + 1) : absolute === this.root ? "" : `../${absolute}`;
    return inside.split("\\").join("/");
  }
}

/** Whether a code path is where the rule applies. A rule that says no scope applies everywhere. */
function scopeMatches(item: Rule, path: string): boolean {
  const { scope } = item;
  if (scope.kind === "global" || scope.kind === "none") return true;
  if (scope.kind === "directory") return scope.directory === undefined || scope.directory === "" || path.startsWith(`${scope.directory}/`);
  for (const glob of scope.globs) {
    const matches = scopeGlobMatcher(glob);
    if (matches(path)) return true;
    for (let slash = path.lastIndexOf("/"); slash > 0; slash = path.lastIndexOf("/", slash - 1)) if (matches(path.slice(0, slash))) return true;
  }
  return false;
}

function scopeSummary(item: Rule): ScopeSummary {
  const { scope } = item;
  if (scope.kind === "global") return "global";
  if (scope.kind === "none") return null;
  if (scope.kind === "directory") return [scope.directory ? `${scope.directory}/**` : "**"];
  return scope.globs.map((glob) => (glob.base === "" ? glob.pattern : `${glob.base}/${glob.pattern}`));
}

function summary(item: Rule, cited: Map<Item | Hook, string[]>): ItemSummary {
  return { ref: item.ref, title: item.title, file: item.file, line: item.span.start.line, scope: scopeSummary(item), citedBy: cited.get(item) ?? [] };
}

/** path -> blob id of the git index (`ls-files -s`). */
async function indexEntries(root: string): Promise<Map<string, string>> {
  const entries = new Map<string, string>();
  for (const record of splitNul(await runGit(root, ["ls-files", "-s", "-z"]))) {
    const tab = record.indexOf("\t");
    entries.set(record.slice(tab + 1), record.slice(0, tab));
  }
  return entries;
}
