import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PACKAGE_ROOT } from "../shared/meta.js";

/** The check's page in docs/checks/, shipped with the package; null when it is missing. */
export function readCheckDoc(checkId: string): string | null {
  if (!/^[a-z][a-z-]*$/.test(checkId)) return null;
  try {
    return readFileSync(join(PACKAGE_ROOT, "docs", "checks", `${checkId}.md`), "utf8");
  } catch {
    return null;
  }
}
