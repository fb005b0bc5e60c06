// A small git repository with a harness, code, a rename in history and a post-mortem.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const CLI = resolve(dirname(fileURLToPath(import.meta.url)), "../../dist/src/cli.js");

export const CLAUDE_MD = `# Project

## Imports
Use \`UserImporter\` to read files; rows go through \`parseCsv\`.
The importer lives in \`src/importer.ts\`.

## Money {#money}
<!-- scope: src/billing/** -->
Amounts are integer cents: use \`toCents\`.
`;

export const PM = `---
date: 2026-11-20
changes:
  - CLAUDE.md#imports
  - CLAUDE.md#nope
---
# The importer was rewritten
`;

export interface Repo {
  root: string;
  git(...args: string[]): string;
  write(file: string, text: string): void;
  cleanup(): void;
}

export function makeRepo(): Repo {
  const root = realpathSync(mkdtempSync(join(tmpdir(), "hl-servers-")));
  const git = (...args: string[]) =>
    execFileSync("git", ["-c", "user.name=T", "-c", "user.email=t@example.com", ...args], {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, GIT_AUTHOR_DATE: "2026-11-20T10:00:00Z", GIT_COMMITTER_DATE: "2026-11-20T10:00:00Z" },
    });
  const write = (file: string, text: string) => {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), text);
  };
  git("init", "-q", "-b", "main");
  write("src/importer.ts", 'export class UserImporter {}\n\nexport function parseCsv(text: string) {\n  return text.split("\\n");\n}\n');
  write("src/billing/money.ts", "export const toCents = (n: number) => Math.round(n * 100);\n");
  write("CLAUDE.md", CLAUDE_MD);
  git("add", "-A");
  git("commit", "-q", "-m", "feat: importer and rules");
  write("src/importer.ts", 'export class AccountImporter {}\n\nexport function parseCsv(text: string) {\n  return text.split("\\n");\n}\n');
  git("commit", "-q", "-am", "refactor: rename UserImporter to AccountImporter");
  write("docs/postmortems/PM-0001.md", PM);
  write("CLAUDE.md", CLAUDE_MD.replace("read files", "read CSV files"));
  git("add", "-A");
  git("commit", "-q", "-m", "docs: tighten the import rule\n\nPost-Mortem: PM-0001");
  return { root, git, write, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}
