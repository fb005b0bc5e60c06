import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The package root: found by walking up, so this works from `src/` (tests) and from `dist/src/`. */
export const PACKAGE_ROOT: string = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

function findPackageRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "package.json")) && existsSync(join(dir, "docs", "checks"))) return dir;
    if (dirname(dir) === dir) return start;
  }
}

const packageJson = JSON.parse(readFileSync(join(PACKAGE_ROOT, "package.json"), "utf8")) as { version: string };

export const TOOL_NAME = "harness-lint";
export const TOOL_VERSION: string = packageJson.version;
export const REPO_URL = "https://github.com/harness-lint/harness-lint";

export function checkDocsUrl(checkId: string): string {
  return `${REPO_URL}/blob/main/docs/checks/${checkId}.md`;
}
