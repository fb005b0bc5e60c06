import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { z } from "zod";
import type { Finding } from "../harness/types.js";
import { writeFileAtomicSync } from "../shared/atomic-write.js";
import { UserError } from "../shared/errors.js";
import { readRegularFileSync, utf8 } from "../shared/read-file.js";
import { namedOutput, writeThrough } from "../shared/confined-path.js";

// A baseline lets a team adopt the linter on a repository with existing findings: record them
// once, then report only new ones. Entries are matched by what a finding is about (check, file,
// item, mention), never by line, so editing text above a known finding does not resurface it.

export interface BaselineEntry {
  check: string;
  file: string;
  item?: string;
  mention?: string;
  /** Only when there is no mention: then the message is what tells findings apart. */
  message?: string;
  /** How many findings with this identity were recorded. */
  count: number;
}

export interface Baseline {
  version: 1;
  entries: BaselineEntry[];
}

const baselineSchema = z.object({
  version: z.literal(1),
  entries: z.array(
    z.object({
      check: z.string(),
      file: z.string(),
      item: z.string().optional(),
      mention: z.string().optional(),
      message: z.string().optional(),
      count: z.number().int().positive(),
    }),
  ),
});

type Identity = Omit<BaselineEntry, "count">;

function identityOf(finding: Finding): Identity {
  const identity: Identity = { check: finding.check, file: finding.file };
  if (finding.item !== undefined) identity.item = finding.item;
  if (finding.mention !== undefined) identity.mention = finding.mention;
  else identity.message = finding.message;
  return identity;
}

function keyOf(identity: Identity): string {
  // JSON of a fixed-order tuple: unambiguous whatever characters the parts contain.
  // A message counts only when there is no mention, even in a hand-edited entry that has both.
  const message = identity.mention === undefined ? identity.message : undefined;
  return JSON.stringify([identity.check, identity.file, identity.item, identity.mention, message]);
}

function compareText(a: string | undefined, b: string | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  return a < b ? -1 : 1;
}

function compareEntries(a: BaselineEntry, b: BaselineEntry): number {
  return compareText(a.check, b.check) || compareText(a.file, b.file) || compareText(a.item, b.item) || compareText(a.mention, b.mention) || compareText(a.message, b.message);
}

export function createBaseline(findings: readonly Finding[]): Baseline {
  const entries = new Map<string, BaselineEntry>();
  for (const finding of findings) {
    const identity = identityOf(finding);
    const key = keyOf(identity);
    const entry = entries.get(key);
    if (entry === undefined) entries.set(key, { ...identity, count: 1 });
    else entry.count += 1;
  }
  // Sorted so that re-recording an unchanged repository gives a file with no diff.
  return { version: 1, entries: [...entries.values()].sort(compareEntries) };
}

/**
 * The findings the baseline does not cover. When a baseline entry allows N findings and there
 * are more now, the first N by position count as known and the later ones are reported: new
 * text is more often added below existing text than above it.
 */
export function applyBaseline(findings: readonly Finding[], baseline: Baseline): Finding[] {
  const allowance = new Map<string, number>();
  for (const entry of baseline.entries) {
    const key = keyOf(entry);
    allowance.set(key, (allowance.get(key) ?? 0) + entry.count);
  }

  const byPosition = findings.map((finding, index) => ({ finding, index })).sort((a, b) => a.finding.line - b.finding.line || a.finding.column - b.finding.column || a.index - b.index);

  const known = new Set<number>();
  for (const { finding, index } of byPosition) {
    const key = keyOf(identityOf(finding));
    const left = allowance.get(key) ?? 0;
    if (left > 0) {
      allowance.set(key, left - 1);
      known.add(index);
    }
  }
  return findings.filter((_, index) => !known.has(index));
}

function describe(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/\s*\n\s*/g, " ");
}

function describeShape(issues: readonly z.core.$ZodIssue[]): string {
  const first = issues[0];
  if (first === undefined) return "unexpected content";
  const where = first.path.length === 0 ? "top level" : first.path.map(String).join(".");
  return `${first.message} (at ${where})`;
}

export function readBaseline(path: string): Baseline {
  let text: string;
  try {
    // A baseline is data: a FIFO or /dev/zero is refused, and so is more than 64 MiB.
    text = utf8(readRegularFileSync(path, "baseline", { maxBytes: 64 << 20 }));
  } catch (error) {
    if (error instanceof UserError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === "ENOENT" ? "the file does not exist" : describe(error);
    throw new UserError(`Cannot read baseline ${path}: ${reason}. Create it with --write-baseline ${path}.`);
  }

  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new UserError(`Baseline ${path} is not valid JSON: ${describe(error)}.`);
  }

  const parsed = baselineSchema.safeParse(data);
  if (!parsed.success) {
    throw new UserError(`Baseline ${path} is not a harness-lint baseline: ${describeShape(parsed.error.issues)}. Re-create it with --write-baseline ${path}.`);
  }
  return parsed.data;
}

/** Written through a FIFO or device the user names; never through a link the repository (`root`) holds. */
export function writeBaseline(path: string, baseline: Baseline, root: string | null = null): void {
  const text = `${JSON.stringify(baseline, null, 2)}\n`;
  try {
    if (namedOutput(path, root, "--write-baseline") === "special") {
      writeThrough(path, text);
      return;
    }
    mkdirSync(dirname(path), { recursive: true });
    writeFileAtomicSync(path, text);
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(`Cannot write baseline ${path}: ${describe(error)}.`);
  }
}
