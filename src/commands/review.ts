import { UserError } from "../shared/errors.js";
import { calendarDate } from "../shared/dates.js";
import { daysBetween, postmortemLandings, traceProvenance, unlinkedItems, type PostMortemLanding, type ProvenanceHistory } from "../history/provenance.js";
import { historyResolver } from "../history/item-refs.js";
import type { PostMortem } from "../harness/types.js";
import { openRepository, type CommandBase } from "./repository.js";
import type { CommandResult } from "./trace.js";

// `harness-lint review`: the quarterly read of the post-mortem practice. Each section ends in a
// one-line verdict, so the review can be read top to bottom in a minute and discussed in ten.

export interface ReviewOptions extends CommandBase {
  /** `--since`: a window such as `90d` or `12w`, or a date (YYYY-MM-DD). Default 90d. */
  since?: string;
  format?: string;
  /** Today, for tests; default the clock. */
  now?: Date;
}

const REPEAT_WINDOW_DAYS = 14;

export interface ReviewPostMortem {
  ref: string;
  path: string;
  date: string;
  title?: string;
  pattern?: string;
  trigger?: string;
}

export interface ReviewJson {
  version: 1;
  window: { since: string; until: string };
  postmortems: ReviewPostMortem[];
  byPattern: Record<string, number>;
  byTrigger: Record<string, number>;
  repeatedPatterns: Array<{ pattern: string; postmortems: [string, string]; days: number }>;
  itemsChangedByMany: Array<{ item: string; postmortems: string[] }>;
  landing: Array<{
    postmortem: string;
    date: string;
    changes: Array<{ ref: string; status: "landed" | "late" | "missing" | "pending"; commit?: string; date?: string; days?: number }>;
  }>;
  unlinked: Array<{ commit: string; date: string; subject: string; items: Array<{ ref: string; change: string }> }>;
  /** Changes made with `Post-Mortem: none -- <reason>`: no post-mortem, on purpose. */
  withoutPostmortem: Array<{ commit: string; date: string; subject: string; reason: string; items: Array<{ ref: string; change: string }> }>;
  verdicts: { postmortems: string; repeatedPatterns: string; itemsChangedByMany: string; landing: string; unlinked: string };
}

export async function runReview(options: ReviewOptions): Promise<CommandResult> {
  const format = options.format ?? "markdown";
  if (format !== "markdown" && format !== "json") throw new UserError(`review: unknown format "${format}"; expected markdown or json`);
  const now = options.now ?? new Date();
  const since = windowStart(options.since ?? "90d", now);
  const { root, config } = await openRepository(options, "review");
  // Changes linked to a post-mortem may land a little before its date: read a little further back.
  const history = await traceProvenance(root, config, { since: new Date(Date.parse(since) - REPEAT_WINDOW_DAYS * 86_400_000) });
  const review = buildReview(history, since, now, config.postmortem.landWithinDays);
  return { output: format === "json" ? `${JSON.stringify(review, null, 2)}\n` : reviewMarkdown(review, config.postmortem.landWithinDays), code: 0 };
}

/** `90d`, `12w` or a date; the window's first day as YYYY-MM-DD. */
export function windowStart(since: string, now: Date): string {
  const relative = /^(\d+)([dw])$/.exec(since);
  if (relative) {
    const days = Number(relative[1]) * (relative[2] === "w" ? 7 : 1);
    const start = now.getTime() - days * 86_400_000;
    // Before git's epoch there is no commit to review (and a huge count is no date at all).
    if (!Number.isSafeInteger(days) || start < 0) throw new UserError(`review --since ${since}: reaches back before 1970; give fewer days or a date (YYYY-MM-DD)`);
    return new Date(start).toISOString().slice(0, 10);
  }
  if (calendarDate(since) !== null) return since;
  throw new UserError(`review --since ${since}: expected a number of days or weeks (90d, 12w) or a real date from 1970 on (YYYY-MM-DD)`);
}

export function buildReview(history: ProvenanceHistory, since: string, now: Date, landWithinDays: number): ReviewJson {
  const until = now.toISOString().slice(0, 10);
  const inWindow = history.headPostmortems
    .map(({ path, postmortem }) => ({ path, postmortem }))
    .filter(({ postmortem }) => postmortem.date !== undefined && postmortem.date >= since && postmortem.date <= until)
    .sort((a, b) => a.postmortem.date!.localeCompare(b.postmortem.date!) || a.path.localeCompare(b.path));
  const postmortems: ReviewPostMortem[] = inWindow.map(({ path, postmortem }) => ({
    ref: postmortem.id,
    path,
    date: postmortem.date!,
    ...(postmortem.title !== undefined ? { title: postmortem.title } : {}),
    ...(postmortem.pattern !== undefined ? { pattern: postmortem.pattern } : {}),
    ...(postmortem.trigger !== undefined ? { trigger: postmortem.trigger } : {}),
  }));
  const byPattern = tally(postmortems.map((pm) => pm.pattern ?? "(none)"));
  const byTrigger = tally(postmortems.map((pm) => pm.trigger ?? "(none)"));
  const repeatedPatterns = repeats(postmortems);
  const itemsChangedByMany = sharedItems(
    inWindow.map(({ postmortem }) => postmortem),
    history,
    since,
  );
  const landings = postmortemLandings(
    inWindow.map(({ postmortem }) => postmortem),
    history,
    landWithinDays,
    now,
  );
  const landing = landings.map(landingJson);
  const unlinked = history.commits
    .filter((commit) => commit.date >= since && unlinkedItems(commit).length > 0)
    .map((commit) => ({
      commit: commit.sha,
      date: commit.date,
      subject: commit.subject,
      items: unlinkedItems(commit).map((item) => ({ ref: item.ref, change: item.change })),
    }));
  const withoutPostmortem = history.commits
    .filter((commit) => commit.date >= since && commit.none !== undefined && commit.none.reason !== "" && commit.items.some((item) => !item.onlyMoved))
    .map((commit) => ({
      commit: commit.sha,
      date: commit.date,
      subject: commit.subject,
      reason: commit.none!.reason,
      items: commit.items.filter((item) => !item.onlyMoved).map((item) => ({ ref: item.ref, change: item.change })),
    }));
  const review: Omit<ReviewJson, "verdicts"> = { version: 1, window: { since, until }, postmortems, byPattern, byTrigger, repeatedPatterns, itemsChangedByMany, landing, unlinked, withoutPostmortem };
  return { ...review, verdicts: verdicts(review, landings, landWithinDays) };
}

function tally(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return Object.fromEntries(Object.entries(counts).sort(([a, x], [b, y]) => y - x || a.localeCompare(b)));
}

/** Consecutive post-mortems of one pattern no more than two weeks apart: the first fix did not hold. */
function repeats(postmortems: readonly ReviewPostMortem[]): ReviewJson["repeatedPatterns"] {
  const found: ReviewJson["repeatedPatterns"] = [];
  const byPattern = new Map<string, ReviewPostMortem[]>();
  for (const pm of postmortems) {
    if (pm.pattern === undefined) continue;
    byPattern.set(pm.pattern, [...(byPattern.get(pm.pattern) ?? []), pm]);
  }
  for (const [pattern, list] of byPattern) {
    for (let i = 1; i < list.length; i++) {
      const days = daysBetween(list[i - 1]!.date, list[i]!.date);
      if (days <= REPEAT_WINDOW_DAYS) found.push({ pattern, postmortems: [list[i - 1]!.ref, list[i]!.ref], days });
    }
  }
  return found;
}

/** Items that two or more post-mortems of the window changed: by their `changes`, or by linked commits. */
function sharedItems(postmortems: readonly PostMortem[], history: ProvenanceHistory, since: string): ReviewJson["itemsChangedByMany"] {
  const resolver = historyResolver(history.headItems);
  const ids = new Set(postmortems.map((pm) => pm.id));
  const byItem = new Map<string, Set<string>>();
  const add = (item: string, pm: string) => byItem.set(item, (byItem.get(item) ?? new Set()).add(pm));
  for (const pm of postmortems) {
    for (const change of pm.changes) {
      const resolved = resolver.resolve(change.ref, { from: pm.path });
      if (resolved.kind === "found") for (const item of resolved.items) add(item.ref, pm.id);
      else add(change.ref, pm.id);
    }
  }
  for (const commit of history.commits) {
    if (commit.date < since) continue;
    for (const link of commit.postmortems) {
      if (!ids.has(link.ref)) continue;
      const items = link.items ? commit.items.filter((item) => link.items!.includes(item.ref)) : commit.items;
      for (const item of items) add(item.ref, link.ref);
    }
  }
  return [...byItem]
    .filter(([, pms]) => pms.size >= 2)
    .map(([item, pms]) => ({ item, postmortems: [...pms].sort() }))
    .sort((a, b) => b.postmortems.length - a.postmortems.length || a.item.localeCompare(b.item));
}

function landingJson({ postmortem, changes }: PostMortemLanding): ReviewJson["landing"][number] {
  return {
    postmortem: postmortem.id,
    date: postmortem.date ?? "",
    changes: changes.map((change) => ({
      ref: change.ref,
      status: change.status,
      ...(change.landed ? { commit: change.landed.commit, date: change.landed.date, days: change.landed.days } : {}),
    })),
  };
}

function verdicts(review: Omit<ReviewJson, "verdicts">, landings: PostMortemLanding[], landWithinDays: number): ReviewJson["verdicts"] {
  const n = review.postmortems.length;
  const [topPattern, topCount] = Object.entries(review.byPattern).find(([pattern]) => pattern !== "(none)") ?? [];
  const late = landings.filter((l) => l.changes.some((c) => c.status === "late")).length;
  const missing = landings.filter((l) => l.changes.some((c) => c.status === "missing")).length;
  const unlinkedItems = review.unlinked.reduce((sum, commit) => sum + commit.items.length, 0);
  return {
    postmortems:
      n === 0
        ? "No post-mortems in this window: either nothing went wrong, or nothing was written down."
        : `${plural(n, "post-mortem")}${topPattern !== undefined ? `; the most frequent pattern is ${topPattern} (${topCount})` : ""}.`,
    repeatedPatterns:
      review.repeatedPatterns.length === 0
        ? "No pattern came back within two weeks."
        : `${plural(review.repeatedPatterns.length, "pattern repeat")} within two weeks (${[...new Set(review.repeatedPatterns.map((r) => r.pattern))].join(", ")}): the first fix did not hold; look at the layer, not the rule.`,
    itemsChangedByMany:
      review.itemsChangedByMany.length === 0
        ? "No item was changed by more than one post-mortem."
        : `${plural(review.itemsChangedByMany.length, "item")} changed by several post-mortems: candidates for one consolidating change.`,
    landing:
      late + missing === 0
        ? n === 0
          ? "Nothing to land."
          : `Every post-mortem's changes landed within ${landWithinDays} days, or are not due yet.`
        : `${plural(missing, "post-mortem")} with changes that never landed, ${late} landed late (more than ${landWithinDays} days after the post-mortem).`,
    unlinked:
      review.unlinked.length === 0
        ? "Every item change in the window links a post-mortem."
        : `${plural(review.unlinked.length, "commit")} changed ${plural(unlinkedItems, "item")} with no post-mortem: write the missing post-mortems, or record why none was needed.`,
  };
}

// ---------------------------------------------------------------------------------------------
// Markdown
// ---------------------------------------------------------------------------------------------

function reviewMarkdown(review: ReviewJson, landWithinDays: number): string {
  const { verdicts: v } = review;
  const out: string[] = [`# Harness review, ${review.window.since} to ${review.window.until}`, ""];
  out.push("| Section | Verdict |", "|---|---|");
  out.push(`| Post-mortems | ${cell(v.postmortems)} |`);
  out.push(`| Repeated patterns | ${cell(v.repeatedPatterns)} |`);
  out.push(`| Items changed by several post-mortems | ${cell(v.itemsChangedByMany)} |`);
  out.push(`| Changes landed | ${cell(v.landing)} |`);
  out.push(`| Unlinked changes | ${cell(v.unlinked)} |`, "");

  out.push("## Post-mortems", "", `**${v.postmortems}**`, "");
  if (review.postmortems.length > 0) {
    out.push(
      ...table(
        ["Pattern", "Count"],
        Object.entries(review.byPattern).map(([k, c]) => [k, String(c)]),
      ),
      "",
    );
    out.push(
      ...table(
        ["Trigger", "Count"],
        Object.entries(review.byTrigger).map(([k, c]) => [k, String(c)]),
      ),
      "",
    );
    out.push(
      ...table(
        ["Date", "Post-mortem", "Title", "Pattern", "Trigger"],
        review.postmortems.map((pm) => [pm.date, code(pm.ref), pm.title ?? "", pm.pattern ?? "", pm.trigger ?? ""]),
      ),
      "",
    );
  }

  out.push("## Repeated patterns", "", `**${v.repeatedPatterns}**`, "");
  if (review.repeatedPatterns.length > 0) {
    out.push(
      ...table(
        ["Pattern", "First", "Again", "Days apart"],
        review.repeatedPatterns.map((r) => [r.pattern, code(r.postmortems[0]), code(r.postmortems[1]), String(r.days)]),
      ),
      "",
    );
  }

  out.push("## Items changed by several post-mortems", "", `**${v.itemsChangedByMany}**`, "");
  if (review.itemsChangedByMany.length > 0) {
    out.push(
      ...table(
        ["Item", "Post-mortems"],
        review.itemsChangedByMany.map((i) => [code(i.item), i.postmortems.map(code).join(", ")]),
      ),
      "",
    );
  }

  out.push("## Changes landed", "", `**${v.landing}**`, "");
  const landingRows = review.landing.flatMap((pm) => pm.changes.map((c) => [code(pm.postmortem), pm.date, code(c.ref), landingText(c, landWithinDays), c.commit ? code(c.commit.slice(0, 7)) : ""]));
  if (landingRows.length > 0) out.push(...table(["Post-mortem", "Date", "Change", "Landed", "Commit"], landingRows), "");

  out.push("## Unlinked changes", "", `**${v.unlinked}**`, "");
  if (review.unlinked.length > 0) {
    out.push(
      ...table(
        ["Date", "Commit", "Subject", "Items"],
        review.unlinked.map((c) => [c.date, code(c.commit.slice(0, 7)), c.subject, c.items.map((i) => `${i.change} ${code(i.ref)}`).join("<br>")]),
      ),
      "",
    );
  }
  out.push("## Changes with no post-mortem, on purpose", "");
  if (review.withoutPostmortem.length === 0) out.push("**No change in the window was declared as needing no post-mortem.**", "");
  else {
    out.push(`**${plural(review.withoutPostmortem.length, "commit")} declared \`none\`: check that each reason still holds.**`, "");
    out.push(
      ...table(
        ["Date", "Commit", "Items", "Why"],
        review.withoutPostmortem.map((c) => [c.date, code(c.commit.slice(0, 7)), c.items.map((i) => `${i.change} ${code(i.ref)}`).join("<br>"), `no post-mortem, because ${c.reason}`]),
      ),
      "",
    );
  }
  return `${out.join("\n").trimEnd()}\n`;
}

function landingText(change: ReviewJson["landing"][number]["changes"][number], landWithinDays: number): string {
  switch (change.status) {
    case "landed":
      return `after ${plural(change.days ?? 0, "day")}`;
    case "late":
      return `**late**: after ${plural(change.days ?? 0, "day")} (limit ${landWithinDays})`;
    case "missing":
      return "**never landed**";
    case "pending":
      return "not yet (still within the limit)";
  }
}

function table(header: string[], rows: string[][]): string[] {
  return [`| ${header.join(" | ")} |`, `|${header.map(() => "---").join("|")}|`, ...rows.map((row) => `| ${row.map(cell).join(" | ")} |`)];
}

/** Table cells: pipes would end the cell, newlines the row. */
function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
