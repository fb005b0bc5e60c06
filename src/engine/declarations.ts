// Where names are declared (file and line), for a long-lived project: hover, go to definition,
// `explain_name`. The code index says only whether a name exists; this reads each code file once,
// keeps the declarations it finds by name, and re-reads only the files that change.

import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { declarationsIn, type DeclarationKind } from "../history/drift-replacement.js";

export interface DeclarationSite {
  file: string;
  /** 1-based. */
  line: number;
  kind: DeclarationKind;
}

/** Files larger than this are data, not code a rule names by its declarations. */
const MAX_SCANNED_BYTES = 1_000_000;
const READ_CONCURRENCY = 32;

export class DeclarationIndex {
  private readonly byName = new Map<string, DeclarationSite[]>();
  private readonly byFile = new Map<string, string[]>();

  private constructor(private readonly root: string) {}

  static async build(root: string, files: readonly string[]): Promise<DeclarationIndex> {
    const index = new DeclarationIndex(root);
    await index.scan(files);
    return index;
  }

  /** Declarations of `name`, in file order. */
  sitesOf(name: string): DeclarationSite[] {
    return this.byName.get(name) ?? [];
  }

  /** Declared names starting with `prefix` (for completion), at most `limit`. */
  namesStartingWith(prefix: string, limit: number): string[] {
    const out: string[] = [];
    for (const name of this.byName.keys()) {
      if (name.startsWith(prefix)) out.push(name);
      if (out.length >= limit) break;
    }
    return out.sort();
  }

  /** Forgets these files and reads again those still in `existing`. */
  async update(changed: readonly string[], existing: ReadonlySet<string>): Promise<void> {
    for (const file of changed) this.forget(file);
    await this.scan(changed.filter((file) => existing.has(file)));
  }

  private forget(file: string): void {
    for (const name of this.byFile.get(file) ?? []) {
      const kept = (this.byName.get(name) ?? []).filter((site) => site.file !== file);
      if (kept.length > 0) this.byName.set(name, kept);
      else this.byName.delete(name);
    }
    this.byFile.delete(file);
  }

  private async scan(files: readonly string[]): Promise<void> {
    for (let start = 0; start < files.length; start += READ_CONCURRENCY) {
      const batch = files.slice(start, start + READ_CONCURRENCY);
      const texts = await Promise.all(batch.map((file) => readFile(join(this.root, file)).catch(() => null)));
      batch.forEach((file, index) => {
        const bytes = texts[index];
        if (bytes === null || bytes === undefined || bytes.length > MAX_SCANNED_BYTES || bytes.subarray(0, 8192).includes(0)) return;
        this.add(file, bytes.toString("utf8"));
      });
    }
  }

  private add(file: string, text: string): void {
    const names: string[] = [];
    const lines = text.split("\n");
    for (let index = 0; index < lines.length; index++) {
      const line = lines[index]!;
      if (line.length > 2000) continue;
      for (const { kind, name } of declarationsIn(line)) {
        const sites = this.byName.get(name);
        const site = { file, line: index + 1, kind };
        if (sites) sites.push(site);
        else this.byName.set(name, [site]);
        names.push(name);
      }
    }
    if (names.length > 0) this.byFile.set(file, [...new Set(names)]);
  }
}
