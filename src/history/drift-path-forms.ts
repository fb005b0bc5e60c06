import { posix } from "node:path";
import { basename, dirname, joinPath } from "../shared/text.js";

// A rule names a path the way its author wrote it: from the root, from the rule file's folder,
// a bare file name that lives anywhere, or `../x` as seen from some code file; and without an
// extension, as imports do. History knows repo paths. These helpers go both ways, so a moved
// file is matched to the mention and the new path is written back in the mention's own form.

const CODE_EXTENSIONS = ["ts", "tsx", "mts", "cts", "js", "jsx", "mjs", "cjs", "d.ts", "py", "go", "rs", "json", "vue", "svelte", "md", "mdc", "rb", "java", "kt", "swift", "sh"];
const INDEX_FILES = ["index.ts", "index.tsx", "index.js", "index.jsx", "index.mjs", "__init__.py", "mod.rs", "main.go", "README.md"];
// TypeScript ESM imports name the emitted file: `./util.js` is `./util.ts` in the source tree.
const EMITTED_TO_SOURCE: Record<string, string[]> = { js: ["ts", "tsx"], mjs: ["mts"], cjs: ["cts"], jsx: ["tsx"] };

type Form = "root" | "file-relative" | "tail";

/** One way to read a written path: the repo path (or path tail) it would name. */
export interface PathReading {
  form: Form;
  /** A repo-relative path for `root`/`file-relative`; for `tail`, the end of a repo path. */
  target: string;
}

export interface WrittenPath {
  /** As written, without the trailing `/` of a directory: the text a fix replaces. */
  text: string;
  directory: boolean;
  /** The rule file, whose folder relative paths start from. */
  harnessFile: string;
  readings: PathReading[];
}

/** The readings of a stale path, in the order the resolver tries them. */
export function readWrittenPath(mention: string, harnessFile: string): WrittenPath {
  const directory = mention.endsWith("/");
  const text = mention.replace(/\/+$/, "");
  const readings: PathReading[] = [];
  const fileDir = dirname(harnessFile);
  if (text.startsWith("/")) {
    readings.push({ form: "root", target: text.replace(/^\/+/, "") });
  } else if (/^\.{1,2}\//.test(text)) {
    const fromFile = joinPath(fileDir, text);
    if (fromFile !== null && fromFile !== "") readings.push({ form: "file-relative", target: fromFile });
    const rest = text.replace(/^(\.{1,2}\/)+/, "");
    if (rest !== "") readings.push({ form: "tail", target: rest });
  } else {
    readings.push({ form: "root", target: joinPath("", text) ?? text });
    if (fileDir !== "") {
      const fromFile = joinPath(fileDir, text);
      if (fromFile !== null) readings.push({ form: "file-relative", target: fromFile });
    }
    if (!text.includes("/")) readings.push({ form: "tail", target: text });
  }
  return { text, directory, harnessFile, readings: readings.filter((r) => r.target !== "") };
}

/** A concrete path a reading may stand for, and how to turn a new path back into that shape. */
export interface Variant {
  path: string;
  /** Undo the variant on a new path: drop the extension or index file the writer left out. */
  restore(newPath: string): string;
}

export function variantsOf(target: string, directory: boolean): Variant[] {
  const out: Variant[] = [{ path: target, restore: (p) => p }];
  if (directory) return out;
  const name = basename(target);
  const dot = name.lastIndexOf(".");
  if (dot <= 0) {
    for (const extension of CODE_EXTENSIONS) out.push(droppedSuffix(target, `.${extension}`));
    for (const index of INDEX_FILES) out.push(droppedSuffix(target, `/${index}`));
  } else {
    const extension = name.slice(dot + 1);
    const stem = target.slice(0, target.length - extension.length - 1);
    for (const source of EMITTED_TO_SOURCE[extension] ?? []) {
      out.push({ path: `${stem}.${source}`, restore: (p) => (p.endsWith(`.${source}`) ? `${p.slice(0, -source.length - 1)}.${extension}` : p) });
    }
  }
  return out;
}

function droppedSuffix(target: string, suffix: string): Variant {
  return { path: `${target}${suffix}`, restore: (p) => (p.endsWith(suffix) ? p.slice(0, -suffix.length) : p) };
}

export interface PathMatch {
  reading: PathReading;
  variant: Variant;
  /** The repo path that matched. */
  path: string;
}

/** Paths to match mentions against, indexed so a lookup is not a scan of every path. */
export class PathIndex {
  private readonly paths: Set<string>;
  private readonly byBasename = new Map<string, string[]>();

  constructor(paths: Iterable<string>) {
    this.paths = new Set(paths);
    for (const path of this.paths) {
      const name = basename(path);
      const list = this.byBasename.get(name);
      if (list) list.push(path);
      else this.byBasename.set(name, [path]);
    }
  }

  /** Every indexed path the reading names (for a directory mention: every file under it). */
  matches(reading: PathReading, directory: boolean): PathMatch[] {
    const found: PathMatch[] = [];
    if (directory) {
      // Folders are rare in rules and have no index of their own: look at every path once.
      for (const path of this.paths) {
        const match = matchReading(reading, true, path);
        if (match) found.push(match);
      }
      return found;
    }
    for (const variant of variantsOf(reading.target, false)) {
      if (reading.form !== "tail") {
        if (this.paths.has(variant.path)) found.push({ reading, variant, path: variant.path });
        continue;
      }
      for (const path of this.byBasename.get(basename(variant.path)) ?? []) {
        if (path === variant.path || path.endsWith(`/${variant.path}`)) found.push({ reading, variant, path });
      }
    }
    return found;
  }
}

/**
 * Whether `path` is what the reading names (or, for a directory mention, a file under it).
 * Returns the variant that matched so the new location can be written back in the same form.
 */
function matchReading(reading: PathReading, directory: boolean, path: string): PathMatch | null {
  for (const variant of variantsOf(reading.target, directory)) {
    const wanted = variant.path;
    if (directory) {
      const under = reading.form === "tail" ? path.startsWith(`${wanted}/`) || path.includes(`/${wanted}/`) : path.startsWith(`${wanted}/`);
      if (under) return { reading, variant, path };
      continue;
    }
    if (path === wanted || (reading.form === "tail" && path.endsWith(`/${wanted}`))) return { reading, variant, path };
  }
  return null;
}

/** The directory a tail reading of a directory matched inside `path` (`src/lib/a.ts` → `src/lib`). */
export function matchedDirectory(match: PathMatch): string {
  const wanted = match.variant.path;
  if (match.path.startsWith(`${wanted}/`)) return wanted;
  const at = match.path.indexOf(`/${wanted}/`);
  return at === -1 ? wanted : match.path.slice(0, at + 1 + wanted.length);
}

/**
 * Writes `newPath` (a repo path; for directory mentions, the new folder) the way the mention
 * wrote the old one: same form, same leading `/` or `./`, same omitted extension.
 */
export function rewritePath(written: WrittenPath, match: PathMatch, newPath: string): string {
  const restored = match.variant.restore(newPath);
  const { text } = written;
  switch (match.reading.form) {
    case "root":
      return text.startsWith("/") ? `/${restored}` : restored;
    case "file-relative": {
      const relative = posix.relative(dirname(written.harnessFile) || ".", restored) || ".";
      if (text.startsWith("./") && !relative.startsWith("../")) return `./${relative}`;
      return relative;
    }
    case "tail": {
      const dots = /^(\.{1,2}\/)*/.exec(text)?.[0] ?? "";
      const segments = match.reading.target.split("/").length;
      return `${dots}${restored.split("/").slice(-segments).join("/")}`;
    }
  }
}
