#!/usr/bin/env node
// Cuts a release: `npm run release -- 0.2.0` (or `-- 0.2.0 --dry-run`).
// - refuses a dirty work tree, a malformed version, an existing tag or an empty "Unreleased";
// - turns CHANGELOG.md's "## Unreleased" into "## <version> (<date>)" under a fresh Unreleased;
// - sets the version in package.json and package-lock.json, and the `v<old>` pins in README.md,
//   action.yml and .pre-commit-hooks.yaml;
// - commits "Release v<version>" and makes the annotated tag v<version>. Pushing is left to you.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const dryRun = args.includes("--dry-run");
const version = args.find((arg) => !arg.startsWith("--"));

function fail(message) {
  process.stderr.write(`release: ${message}\n`);
  process.exit(2);
}

function git(...gitArgs) {
  return execFileSync("git", gitArgs, { cwd: root, encoding: "utf8" }).trim();
}

if (version === undefined || !/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(version)) {
  fail("give the version to release, e.g. npm run release -- 0.2.0");
}
const tag = `v${version}`;
if (git("status", "--porcelain") !== "") fail("the work tree has uncommitted changes; commit or stash them first");
if (git("tag", "--list", tag) !== "") fail(`tag ${tag} already exists`);

const changelogPath = join(root, "CHANGELOG.md");
const changelog = readFileSync(changelogPath, "utf8");
const unreleased = /^## Unreleased\n([\s\S]*?)(?=^## )/m.exec(changelog);
if (unreleased === null || unreleased[1].trim() === "") fail('CHANGELOG.md has no entries under "## Unreleased"');
const date = new Date().toISOString().slice(0, 10);
const edits = new Map();
edits.set(changelogPath, changelog.replace(/^## Unreleased\n/m, `## Unreleased\n\n## ${version} (${date})\n`));

const packagePath = join(root, "package.json");
const pkg = JSON.parse(readFileSync(packagePath, "utf8"));
const previous = pkg.version;
edits.set(packagePath, `${JSON.stringify({ ...pkg, version }, null, 2)}\n`);
const lockPath = join(root, "package-lock.json");
const lock = JSON.parse(readFileSync(lockPath, "utf8"));
lock.version = version;
if (lock.packages?.[""]) lock.packages[""].version = version;
edits.set(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
// Pins users copy (`rev: v0.1.0`, `@v0.1.0`, `#v0.1.0`) follow the release.
for (const file of ["README.md", "action.yml", ".pre-commit-hooks.yaml"]) {
  const path = join(root, file);
  const text = readFileSync(path, "utf8");
  edits.set(path, text.split(`v${previous}`).join(tag));
}

if (dryRun) {
  process.stdout.write(`release: would set ${previous} -> ${version}, edit ${[...edits.keys()].map((p) => p.slice(root.length + 1)).join(", ")}, commit and tag ${tag}\n`);
  process.exit(0);
}
for (const [path, text] of edits) writeFileSync(path, text);
git("add", "--", ...[...edits.keys()]);
git("commit", "-m", `Release ${tag}`);
git("tag", "-a", tag, "-m", `harness-lint ${version}`);
process.stdout.write(`release: ${tag} committed and tagged; publish it with: git push origin HEAD ${tag}\n`);
