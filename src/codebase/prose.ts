// Files whose words never make a name exist: documentation, changelogs and release notes, lock
// files and baselines. A CHANGELOG line "Renamed `UserImporter` to `AccountImporter`" would
// otherwise keep the old name alive for every rule that still names it.

/** Text formats that are prose whatever their name. */
const PROSE_EXTENSIONS: ReadonlySet<string> = new Set(["md", "mdx", "markdown", "mdc", "txt", "text", "rst", "adoc", "asciidoc", "org", "rdoc", "pod", "textile"]);

/** File names (without extension, lower case) that are prose or records in any format. */
const PROSE_STEMS: ReadonlySet<string> = new Set([
  "changelog",
  "changes",
  "history",
  "news",
  "releases",
  "release-notes",
  "release_notes",
  "releasenotes",
  "authors",
  "contributors",
  "maintainers",
  "license",
  "licence",
  "copying",
  "notice",
  "readme",
]);

/** Folders of release notes and changelog fragments (changesets, towncrier). */
const PROSE_DIRS: ReadonlySet<string> = new Set(["changelogs", "changelog.d", "release-notes", "releasenotes", ".changeset", "newsfragments"]);

/** Lock files: resolved dependency lists, not code. */
const LOCK_FILES: ReadonlySet<string> = new Set([
  "package-lock.json",
  "npm-shrinkwrap.json",
  "yarn.lock",
  "pnpm-lock.yaml",
  "bun.lock",
  "bun.lockb",
  "deno.lock",
  "cargo.lock",
  "poetry.lock",
  "pipfile.lock",
  "uv.lock",
  "pdm.lock",
  "go.sum",
  "go.work.sum",
  "gemfile.lock",
  "composer.lock",
  "mix.lock",
  "podfile.lock",
  "packages.lock.json",
  "flake.lock",
  "pubspec.lock",
  "gradle.lockfile",
]);

/** harness-lint's own files: its configuration and its baseline of accepted findings. */
const OWN_FILE = /^\.harnessrc(\.example)?(\.(ya?ml|json))?$|^\.harness-baseline\.json$/;

/** Asked only of files no parser reads: `src/history/history.ts` is code whatever its name. */
export function isProse(path: string): boolean {
  const slash = path.lastIndexOf("/");
  const base = path.slice(slash + 1);
  const lower = base.toLowerCase();
  if (LOCK_FILES.has(lower) || lower.endsWith(".lock") || OWN_FILE.test(base)) return true;
  const dot = lower.indexOf(".", 1);
  if (dot > 0 && PROSE_EXTENSIONS.has(lower.slice(lower.lastIndexOf(".") + 1))) return true;
  if (PROSE_STEMS.has(dot > 0 ? lower.slice(0, dot) : lower)) return true;
  if (slash === -1) return false;
  for (const segment of path.slice(0, slash).split("/")) if (PROSE_DIRS.has(segment.toLowerCase())) return true;
  return false;
}
