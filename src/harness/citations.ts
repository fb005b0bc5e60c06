import { fileAnchors, ruleAnchors } from "./anchors.js";
import { isHookPath, RefResolver, type Citable, type RefResolution } from "./refs.js";
import type { Codebase, HarnessFile, Hook, InvalidFile, Item, PostMortem, PostMortemLink } from "./types.js";
import { pathMatcher } from "../codebase/glob.js";

/** What resolving citations reads: the parts of the engine's model that hold the harness. */
export interface CitedHarness {
  config: { postmortems: readonly string[] };
  harnessFiles: HarnessFile[];
  items: Item[];
  hooks: Hook[];
  postmortems: PostMortem[];
  invalidFiles: InvalidFile[];
  codebase: Pick<Codebase, "fileSet">;
  isHarnessPath(path: string): boolean;
  /** Symlinked harness files, link -> target: a citation may name either. */
  aliases?: Map<string, string>;
}

type Model = CitedHarness;

export interface Citation {
  postmortem: PostMortem;
  /** What the post-mortem wrote: a `changes` entry, or a link's target as `path#anchor`. */
  ref: string;
  via: "changes" | "link";
  /** `postmortem` when a link points at another post-mortem that does not exist. */
  target: "item" | "postmortem";
  resolution: RefResolution;
  span: PostMortemLink["span"];
}

const cache = new WeakMap<Model, Citation[]>();

/** Every citation in every post-mortem, resolved once per run and shared by the checks. */
export function citations(model: Model): Citation[] {
  const cached = cache.get(model);
  if (cached) return cached;
  const resolver = resolverFor(model);
  const isPostMortemPath = pathMatcher(model.config.postmortems);
  const postmortemPaths = new Set(model.postmortems.map((p) => p.path));
  const hookFiles = new Set(model.hooks.map((h) => h.file));
  const found: Citation[] = [];
  for (const postmortem of model.postmortems) {
    for (const change of postmortem.changes) {
      const resolution = resolver.resolve(throughAlias(change.ref, model.aliases), { from: postmortem.path });
      found.push({ postmortem, ref: change.ref, via: "changes", target: "item", resolution, span: change.span });
    }
    for (const link of postmortem.links) {
      if (isPostMortemPath(link.path)) {
        // A link to a sibling post-mortem is not a citation of an item, but it may dangle.
        if (!postmortemPaths.has(link.path) && !model.codebase.fileSet.has(link.path)) {
          found.push({ postmortem, ref: link.path, via: "link", target: "postmortem", resolution: { kind: "missing", reason: "no-file", file: link.path }, span: link.span });
        }
        continue;
      }
      // Only links into harness and hook files cite an item; links to code or other docs are just links.
      if (!model.isHarnessPath(link.path) && !hookFiles.has(link.path) && !isHookPath(link.path)) continue;
      const path = model.aliases?.get(link.path) ?? link.path;
      const ref = link.anchor ? `${path}#${link.anchor}` : path;
      found.push({ postmortem, ref, via: "link", target: "item", resolution: resolver.resolve(ref, { link: true }), span: link.span });
    }
  }
  cache.set(model, found);
  return found;
}

/** `CLAUDE.md#x` when CLAUDE.md links to AGENTS.md: `AGENTS.md#x`, the item it names. */
function throughAlias(ref: string, aliases: Map<string, string> | undefined): string {
  if (aliases === undefined || aliases.size === 0) return ref;
  const hash = ref.indexOf("#");
  const path = hash === -1 ? ref : ref.slice(0, hash);
  const target = aliases.get(path.replace(/^\.\//, ""));
  return target === undefined ? ref : `${target}${hash === -1 ? "" : ref.slice(hash)}`;
}

function resolverFor(model: Model): RefResolver {
  const files = new Map<string, HarnessFile>(model.harnessFiles.map((f) => [f.path, f]));
  const parsed = new Set(files.keys());
  return new RefResolver([...model.items, ...model.hooks], {
    anchorsOf: (item) => ruleAnchors(item),
    fileAnchors: (path) => {
      const file = files.get(path);
      return file ? fileAnchors(file) : undefined;
    },
    fileExists: (path) => model.codebase.fileSet.has(path),
    unreadable: new Set(model.invalidFiles.map((f) => f.file).filter((path) => !parsed.has(path))),
  });
}

export function citedItems(model: Model): Set<Citable> {
  const cited = new Set<Citable>();
  for (const citation of citations(model)) {
    if (citation.resolution.kind === "found") for (const item of citation.resolution.items) cited.add(item);
  }
  return cited;
}
