import { UserError } from "../shared/errors.js";
import type { ItemChange } from "../history/item-diff.js";
import { daysBetween, traceProvenance, unlinkedItems, type ProvenanceOptions, type TracedCommit, type TracedItem } from "../history/provenance.js";
import { isShallow, resolveCommit } from "../git/revisions.js";
import { normaliseRef } from "../harness/refs.js";
import { openRepository, type CommandBase } from "./repository.js";
import type { Exemption } from "../history/mechanical.js";
import { calendarDate } from "../shared/dates.js";

// `harness-lint trace`: every commit that changed an item, what it changed, and the post-mortem
// that justified it. The table is for people; `--format json` is the contract of SPEC section 8.

export type TraceFormat = "stylish" | "json";

export interface TraceOptions extends CommandBase {
  /** `--since DATE|REF`: only commits on or after the date, or after the commit. */
  since?: string;
  /** `--unlinked`: only changes that need a post-mortem link and have none. */
  unlinked?: boolean;
  /** `--item REF`: only changes to this item (a ref, a bare id, or a file for all its items). */
  item?: string;
  format?: string;
}

export interface CommandResult {
  output: string;
  code: number;
}

export interface TraceJson {
  version: 1;
  changes: Array<{
    commit: string;
    date: string;
    subject: string;
    items: Array<{ ref: string; change: ItemChange["change"]; exemption?: Exemption }>;
    postmortems: Array<{ ref: string; via: "trailer" | "same-commit" | "listed" }>;
    /** `Post-Mortem: none -- <reason>`: no post-mortem, on purpose, because of `reason`. */
    none?: { reason: string };
  }>;
}

export async function runTrace(options: TraceOptions): Promise<CommandResult> {
  const format = traceFormat(options.format);
  const { root, config } = await openRepository(options, "trace");
  const range = await sinceRange(root, options.since);
  const history = await traceProvenance(root, config, range);
  const changes = selectChanges(history.commits, options);
  if (format === "json") return { output: `${JSON.stringify(traceJson(changes), null, 2)}\n`, code: 0 };
  const note = (await isShallow(root)) ? "This is a shallow clone: older commits are not here to trace (git fetch --unshallow).\n" : "";
  return { output: traceTable(changes, options, config.trailer) + note, code: 0 };
}

function traceFormat(format: string | undefined): TraceFormat {
  if (format === undefined || format === "stylish" || format === "json") return format ?? "stylish";
  throw new UserError(`trace: unknown format "${format}"; expected stylish or json`);
}

/** A date keeps commits from that day on; anything else must name a commit, and keeps the commits after it. */
async function sinceRange(root: string, since: string | undefined): Promise<ProvenanceOptions> {
  if (since === undefined) return {};
  if (/^\d{4}-\d{2}-\d{2}$/.test(since)) {
    const time = calendarDate(since);
    if (time === null) throw new UserError(`--since ${since} is not a real calendar date from 1970 on (YYYY-MM-DD)`);
    return { since: new Date(time) };
  }
  const sha = await resolveCommit(root, since);
  if (sha === null) throw new UserError(`--since ${since} is neither a date (YYYY-MM-DD) nor a commit in this repository`);
  return { revisions: ["HEAD", `^${sha}`] };
}

/** Commits that changed items, narrowed to one item and to unlinked changes when asked. */
function selectChanges(commits: readonly TracedCommit[], options: TraceOptions): TracedCommit[] {
  // An item that only moved with its file changed no text (SPEC section 6): it is listed only
  // when one item's history is asked for, where the move is how its ref changed.
  const matches = options.item !== undefined ? itemFilter(options.item) : (item: TracedItem) => !item.onlyMoved;
  const selected: TracedCommit[] = [];
  for (const commit of commits) {
    let items = commit.items.filter(matches);
    if (options.unlinked) {
      const unlinked = new Set(unlinkedItems(commit));
      items = items.filter((item) => unlinked.has(item));
    }
    if (items.length > 0) selected.push({ ...commit, items });
  }
  return selected;
}

function itemFilter(query: string): (item: TracedItem) => boolean {
  const wanted = normaliseRef(query).toLowerCase();
  return (item) => [item.ref, item.previousRef, item.file, ...(item.item.kind === "rule" ? [item.item.id, item.item.anchor] : [])].some((name) => name !== undefined && name.toLowerCase() === wanted);
}

export function traceJson(changes: readonly TracedCommit[]): TraceJson {
  return {
    version: 1,
    changes: changes.map((commit) => ({
      commit: commit.sha,
      date: commit.date,
      subject: commit.subject,
      items: commit.items.map((item) => ({ ref: item.ref, change: item.change, ...(item.exemption !== undefined ? { exemption: item.exemption } : {}) })),
      postmortems: commit.postmortems.map((pm) => ({ ref: pm.ref, via: pm.via })),
      ...(commit.none !== undefined ? { none: commit.none } : {}),
    })),
  };
}

// ---------------------------------------------------------------------------------------------
// The table
// ---------------------------------------------------------------------------------------------

const SUBJECT_WIDTH = 48;
const MARK: Record<ItemChange["change"], string> = { added: "+", modified: "~", removed: "-" };

type Row = { kind: "cells"; cells: string[] } | { kind: "item"; text: string };

function traceTable(changes: readonly TracedCommit[], options: TraceOptions, trailer: string): string {
  if (changes.length === 0) {
    return options.unlinked ? "No unlinked item changes.\n" : "No commit changed a harness item.\n";
  }
  const header = ["DATE", "COMMIT", "SUBJECT", "ITEMS", "POST-MORTEM", "LINKED BY", "DAYS"];
  const rows: Row[] = [{ kind: "cells", cells: header }];
  for (const commit of changes) {
    const [first, ...more] = linkCells(commit);
    rows.push({ kind: "cells", cells: [commit.date, commit.sha.slice(0, 7), truncate(commit.subject, SUBJECT_WIDTH), counts(commit.items), ...first!] });
    for (const cells of more) rows.push({ kind: "cells", cells: ["", "", "", "", ...cells] });
    for (const item of commit.items) rows.push({ kind: "item", text: itemLine(item) });
  }
  const widths = header.map((_, column) => Math.max(...rows.map((row) => (row.kind === "cells" ? row.cells[column]!.length : 0))));
  // Item lines start under the subject and may run past it: refs are long, and must stay whole.
  const indent = " ".repeat(widths[0]! + widths[1]! + 4);
  const lines = rows.map((row) =>
    row.kind === "item"
      ? `${indent}${row.text}`
      : row.cells
          .map((cell, i) => cell.padEnd(widths[i]!))
          .join("  ")
          .trimEnd(),
  );
  const unlinked = changes.reduce((sum, commit) => sum + unlinkedItems(commit).length, 0);
  const commitsUnlinked = changes.filter((commit) => unlinkedItems(commit).length > 0).length;
  lines.push("");
  lines.push(
    unlinked === 0
      ? `${plural(changes.length, "commit")} changed items; every change that needs a post-mortem links one.`
      : `${plural(changes.length, "commit")} changed items; ${plural(commitsUnlinked, "commit")} left ${plural(unlinked, "item change")} without a post-mortem (add a \`${trailer}: <id>\` trailer, or list the commit under \`commits:\` in the post-mortem).`,
  );
  return `${lines.join("\n")}\n`;
}

/** One row per post-mortem: its ref, how it is linked, and the days from its date to the change. */
function linkCells(commit: TracedCommit): string[][] {
  const byPath = new Map<string, { ref: string; via: string[]; date?: string }>();
  for (const pm of commit.postmortems) {
    const row = byPath.get(pm.path) ?? { ref: pm.ref, via: [], ...(pm.date !== undefined ? { date: pm.date } : {}) };
    row.via.push(pm.via);
    byPath.set(pm.path, row);
  }
  const cells = [...byPath.values()].map((pm) => [pm.ref, pm.via.join(", "), pm.date !== undefined ? String(daysBetween(pm.date, commit.date)) : "-"]);
  for (const value of commit.dangling) cells.push([value, "dangling trailer", "-"]);
  if (commit.none !== undefined) {
    cells.push(["none", commit.none.reason !== "" ? `no post-mortem, because ${commit.none.reason}` : "none, but no reason given", ""]);
  }
  if (cells.length === 0) cells.push(["none", commit.checked ? "" : "before provenance.since", ""]);
  return cells;
}

function itemLine(item: TracedItem): string {
  const moved = item.previousRef !== undefined ? ` (${item.onlyMoved ? "moved from" : "was"} ${item.previousRef})` : "";
  const flag = item.exemption !== undefined ? `   (${exemptionText(item.exemption)})` : item.needsLink && !item.linked ? "   <- no post-mortem" : "";
  return `${MARK[item.change]} ${item.ref}${moved}${flag}`;
}

/** Why a change needed no post-mortem, in the words the table and `review` use. */
export function exemptionText(exemption: Exemption): string {
  switch (exemption.kind) {
    case "none":
      return `no post-mortem, because ${exemption.reason}`;
    case "rename":
      return `mechanical: renames ${exemption.renames.map((r) => `${r.from} -> ${r.to}`).join(", ")}`;
    case "revert":
      return `revert of ${exemption.of.slice(0, 7)}, which was linked`;
    case "fixup":
      return `fixup of ${exemption.of.slice(0, 7)}, judged with it`;
    case "hooks":
      return "mechanical: the hooks init --hooks writes";
  }
}

function counts(items: readonly TracedItem[]): string {
  const n = (change: ItemChange["change"]) => items.filter((item) => item.change === change).length;
  return `+${n("added")} ~${n("modified")} -${n("removed")}`;
}

function truncate(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
