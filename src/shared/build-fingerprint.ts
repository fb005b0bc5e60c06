import { createHash, type Hash } from "node:crypto";
import { lstat, readFile, readdir } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { PACKAGE_ROOT } from "./meta.js";

/** The compiled `src` folder (dist/src): this file sits in its `shared` folder. */
const CODE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

let fingerprint: Promise<string> | undefined;

/** The build of harness-lint: a rebuilt check must not answer from an old result. */
export function buildFingerprint(): Promise<string> {
  fingerprint ??= (async () => {
    const hash = createHash("sha256");
    hash.update(await readFile(join(PACKAGE_ROOT, "package.json")));
    const walk = async (directory: string): Promise<void> => {
      const entries = await readdir(directory, { withFileTypes: true }).catch(() => []);
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const entry of entries) {
        const path = join(directory, entry.name);
        if (entry.isDirectory()) await walk(path);
        else if (/\.(js|ts|md)$/.test(entry.name)) await signBuildFile(hash, path);
      }
    };
    await walk(CODE_ROOT);
    await walk(join(CODE_ROOT, "..", "rules"));
    await walk(join(PACKAGE_ROOT, "docs", "checks"));
    return hash.digest("hex");
  })();
  return fingerprint;
}

async function signBuildFile(hash: Hash, path: string): Promise<void> {
  const info = await lstat(path).catch(() => null);
  if (info !== null) hash.update(`${path}\0${info.size}\0${info.mtimeMs}\0`);
}
