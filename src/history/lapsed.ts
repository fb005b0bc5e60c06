// Hedged mentions judged with history (SPEC 5, "Hedged mentions"). An example ("e.g.
// `UserImporter`") or a prohibition ("never call `UserImporter`") is not a claim that the name
// exists, so its absence says nothing; but when history shows the name was here and was RENAMED
// (it lives on under another name), the example or the guard has lapsed: the agent is steered
// away from, or shown, a name the code no longer has, while the thing itself lives on unguarded.
//
// What "renamed" means is what `--drift` already decides (src/history/drift.ts): the commit that
// removed the name also brought in its successor (a declaration of the same kind in the same file,
// or the token that took its place; for a path, git's rename detection), followed through later
// renames to the name it has today. For a symbol, two more things from that same reading, of the
// renaming commit alone: it removes a DECLARATION of the name (a prohibition of an API the code
// merely called, `execSync` replaced by a helper, is the guard working), and the successor took
// the old name's place on a rewritten line (renamed in place, not a function dropped in the commit
// that added an unrelated one beside it).
//
// Lapsed means the guard held once: the name was in the code at the commit that wrote the rule
// line, and was renamed after it (the drift pass reads that commit..HEAD only). A name already
// gone when the rule named it was old then, on purpose or not.
//
// Cost: history is asked only about hedged names the code no longer has, and first cheaply
// (`gatherEvidence`: the rule file's own log, one tree listing and one grep per commit that wrote
// them; then one `git grep` per such commit for declarations): only names declared in the code
// when the rule was written go on to the drift pass (one log for all of them, not one per name,
// per commit that wrote such rule lines), and each renaming commit is read once more, alone.

import { gitText } from "../git/git.js";
import type { Finding, Mention, TextEdit } from "../harness/types.js";
import { isUserError } from "../shared/errors.js";
import { explainStaleFindings } from "./drift.js";
import { declarationsIn } from "./drift-replacement.js";
import { bareName, explainName, SymbolHistory, type SymbolEvent } from "./drift-symbol-history.js";
import { gatherEvidence, type EvidenceOptions, type MissingMention } from "./evidence.js";

/** A hedged mention whose name history shows renamed: what it is called now, and since when. */
export interface Lapse {
  /** The commit that renamed it (full id). */
  commit: string;
  /** The name or path as the rule should write it now (renames of renames followed). */
  replacement: string;
  date?: string;
  subject?: string;
  /** The edit that writes the replacement into the rule (what `--fix` applies). */
  fix?: TextEdit;
}

export interface LapsedFacts {
  /** The lapse of a hedged or guarded mention, if history shows its name renamed. */
  of(file: string, mention: Mention): Lapse | undefined;
}

/** A hedged (or guarded) mention the codebase does not resolve, and (a symbol) the part that is missing. */
export type LapseQuestion = MissingMention;

export interface LapseOptions extends EvidenceOptions {
  /** Harness files and post-mortems: their edits are not evidence of a rename. */
  isHarnessPath: (path: string) => boolean;
}

/** By rule file, kind and name, not position: a rename is a fact about the name, which edits do not move. */
function lapseKey(file: string, mention: Mention): string {
  return `${file}\0${mention.kind}\0${mention.value}`;
}

/** A fix belongs to one mention where it was written: by position too. */
function fixKey(file: string, mention: Mention): string {
  return `${lapseKey(file, mention)}\0${mention.span.start.line}\0${mention.span.start.column}`;
}

export function lapsedFacts(found: ReadonlyMap<string, Lapse> = new Map(), fixes: ReadonlyMap<string, TextEdit> = new Map()): LapsedFacts {
  return {
    of: (file, mention) => {
      const lapse = found.get(lapseKey(file, mention));
      const fix = fixes.get(fixKey(file, mention));
      return lapse === undefined || fix === undefined ? lapse : { ...lapse, fix };
    },
  };
}

/**
 * Which of the asked mentions (each missing from the codebase now) history shows renamed. The
 * caller asks only with full history: a shallow clone or no git leaves every hedged name quiet.
 */
export async function findLapses(root: string, questions: readonly LapseQuestion[], options: LapseOptions): Promise<LapsedFacts> {
  if (questions.length === 0) return lapsedFacts();
  // Was it here? Only a name the code had when the rule was written can have been renamed since.
  const evidence = await gatherEvidence(root, true, questions, options);
  const here = questions.flatMap((item) => {
    const found = evidence.of(item.file, item.mention);
    // Lapsed means it held when the rule was written: the name was in the code at the rule line's
    // commit. A name gone before the rule (`earlier`, a path `deleted` before) was old when the
    // rule named it, on purpose or not: no guard that held has lapsed. `head`: no commit lost it.
    return found?.when === "rule" ? [{ item, commit: found.commit }] : [];
  });
  // A symbol the code only used then (an API it called, the guard's reason) was not declared
  // here: its removal is the guard working. Only declared ones go on to the drift pass.
  const declaredThen = await declaredAt(
    root,
    here.filter(({ item }) => item.mention.kind === "symbol").map(({ item, commit }) => ({ commit, name: renamedPart(staleFinding(item)) })),
    options.isCodePath,
  );
  const kept = here.filter(({ item, commit }) => item.mention.kind !== "symbol" || declaredThen.has(`${commit}\0${renamedPart(staleFinding(item))}`));
  const seen = kept.map(({ item }) => item);
  if (seen.length === 0) return lapsedFacts();

  const findings = seen.map(staleFinding);
  // What became of each name after the rule was written: `--drift --since <rule commit>`, one
  // pass per commit that wrote rule lines (usually one or two), over that commit..HEAD only.
  const explained: Array<Finding | undefined> = findings.map(() => undefined);
  const bySince = new Map<string, number[]>();
  kept.forEach(({ commit }, index) => bySince.set(commit, [...(bySince.get(commit) ?? []), index]));
  for (const [since, indexes] of bySince) {
    let out: Finding[];
    try {
      out = await explainStaleFindings(
        root,
        indexes.map((index) => findings[index]!),
        { isHarnessPath: options.isHarnessPath, since },
      );
    } catch (error) {
      if (isUserError(error)) throw error;
      // History git cannot read renames nothing: the hedged names stay quiet, as they were.
      continue;
    }
    // `--since` keeps only the names that existed then (a name it cannot find then stays quiet).
    const byPlace = new Map(out.map((finding) => [placeOf(finding), finding]));
    for (const index of indexes) explained[index] = byPlace.get(placeOf(findings[index]!));
  }

  const renamed: Array<{ item: LapseQuestion; finding: Finding; lapse: Lapse }> = [];
  explained.forEach((finding, index) => {
    const suggestion = finding?.suggestion;
    // A rename has one successor that lives today; candidates or none is not a rename.
    if (suggestion?.replacement === undefined || suggestion.commit === undefined || suggestion.candidates !== undefined) return;
    const lapse: Lapse = {
      commit: suggestion.commit,
      replacement: suggestion.replacement,
      ...(suggestion.date !== undefined ? { date: suggestion.date } : {}),
      ...(suggestion.subject !== undefined ? { subject: suggestion.subject } : {}),
      ...(finding?.fix !== undefined ? { fix: finding.fix } : {}),
    };
    renamed.push({ item: seen[index]!, finding: findings[index]!, lapse });
  });

  const declared = await renamedInPlace(
    root,
    renamed.filter(({ item }) => item.mention.kind === "symbol").map(({ finding, lapse }) => ({ commit: lapse.commit, name: renamedPart(finding) })),
    options.isCodePath,
  );
  const found = new Map<string, Lapse>();
  const fixes = new Map<string, TextEdit>();
  for (const { item, finding, lapse } of renamed) {
    if (item.mention.kind === "symbol" && !declared.has(`${lapse.commit}\0${renamedPart(finding)}`)) continue;
    const { fix, ...named } = lapse;
    found.set(lapseKey(item.file, item.mention), named);
    if (fix !== undefined) fixes.set(fixKey(item.file, item.mention), fix);
  }
  return lapsedFacts(found, fixes);
}

function placeOf(finding: Finding): string {
  return `${finding.file}\0${finding.line}\0${finding.column}\0${finding.mention}`;
}

/** The finding `stale-symbol` or `stale-path` would make of the mention: what `--drift` explains. */
function staleFinding({ file, mention, missing }: LapseQuestion): Finding {
  const messageId = mention.kind === "glob" ? "emptyGlob" : mention.kind === "symbol" && missing !== undefined && /\.|::|#./.test(missing) ? "missingMember" : "missing";
  return {
    check: mention.kind === "symbol" ? "stale-symbol" : "stale-path",
    severity: "error",
    messageId,
    message: "",
    file,
    line: mention.span.start.line,
    column: mention.span.start.column,
    endLine: mention.span.end.line,
    endColumn: mention.span.end.column,
    mention: mention.value,
  };
}

/** The bare name the rename is about: the member when only the member is gone, else the head. */
function renamedPart(finding: Finding): string {
  const parts = finding.mention!.split(/\.|::|#/).filter(Boolean);
  return bareName((finding.messageId === "missingMember" ? parts[1] : parts[0]) ?? "");
}

/**
 * Which (commit, name) pairs are a rename in place, read as `--drift` reads that one commit
 * (`SymbolHistory` over `<commit>^!`): the commit removes a declaration of the name, and the name
 * it brought in took the old one's place on a rewritten line (the same token pairing `--drift`
 * votes with). A declaration deleted while an unrelated one of the same kind is added beside it
 * (a function dropped in the commit that renamed its neighbour) is no rename.
 */
async function renamedInPlace(root: string, asked: ReadonlyArray<{ commit: string; name: string }>, isCodePath: (path: string) => boolean): Promise<Set<string>> {
  const confirmed = new Set<string>();
  const byCommit = new Map<string, Set<string>>();
  for (const { commit, name } of asked) if (name !== "" && /^[0-9a-f]{40,64}$/.test(commit)) byCommit.set(commit, (byCommit.get(commit) ?? new Set()).add(name));
  for (const [commit, names] of byCommit) {
    let events: Map<string, SymbolEvent[]>;
    let history: SymbolHistory;
    try {
      history = await SymbolHistory.read(root, `${commit}^!`, (path) => !isCodePath(path));
      events = await history.eventsFor([...names]);
    } catch (error) {
      if (isUserError(error)) throw error;
      // A commit git cannot read shows no rename: the name stays quiet.
      continue;
    }
    for (const name of names) {
      const explained = explainName(events.get(name) ?? [], history.graph);
      if (explained === undefined || !explained.event.declarationRemoved || !("replacement" in explained.inference)) continue;
      // A merge renames nothing in place: its first-parent diff is a whole branch's work.
      if (explained.event.commit.parents.length > 1) continue;
      if ((explained.event.evidence.substitutes.get(explained.inference.replacement) ?? 0) > 0) confirmed.add(`${commit}\0${name}`);
    }
  }
  return confirmed;
}

/**
 * Which (commit, name) pairs have a declaration of the name in a code file at that commit (as
 * `--drift` reads declarations). One `git grep` per commit for all its names: no parsing.
 */
async function declaredAt(root: string, asked: ReadonlyArray<{ commit: string; name: string }>, isCodePath: (path: string) => boolean): Promise<Set<string>> {
  const declared = new Set<string>();
  const byCommit = new Map<string, Set<string>>();
  for (const { commit, name } of asked) if (/^[\w$]+$/.test(name) && /^[0-9a-f]{40,64}$/.test(commit)) byCommit.set(commit, (byCommit.get(commit) ?? new Set()).add(name));
  for (const [commit, names] of byCommit) {
    let output: string;
    try {
      // git 2.39's grep takes no --end-of-options; `commit` is a full hex id.
      output = await gitText(root, ["grep", "-n", "-z", "-w", "-I", "-F", "--no-color", "--full-name", "--no-recurse-submodules", ...[...names].flatMap((name) => ["-e", name]), commit, "--", "."]);
    } catch (error) {
      if (isUserError(error)) throw error;
      continue;
    }
    const prefix = `${commit}:`;
    for (const line of output.split("\n")) {
      // `<commit>:<path>\0<line number>\0<text>`
      const [where, , text] = line.split("\0");
      if (where === undefined || text === undefined) continue;
      const path = where.startsWith(prefix) ? where.slice(prefix.length) : where;
      if (!isCodePath(path)) continue;
      for (const declaration of declarationsIn(text)) if (names.has(declaration.name)) declared.add(`${commit}\0${declaration.name}`);
    }
  }
  return declared;
}
