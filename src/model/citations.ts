import type { Model } from "./model.js";
import { RefResolver, type RefResolution } from "./refs.js";
import type { Item, PostMortem, PostMortemLink } from "./types.js";

export interface Citation {
  postmortem: PostMortem;
  /** What the post-mortem wrote: a `changes` entry or a link. */
  ref: string;
  via: "changes" | "link";
  resolution: RefResolution;
  span: PostMortemLink["span"];
}

const cache = new WeakMap<Model, Citation[]>();

/** Every citation in every post-mortem, resolved once per run and shared by the checks. */
export function citations(model: Model): Citation[] {
  const cached = cache.get(model);
  if (cached) return cached;
  const resolver = new RefResolver(model.items);
  const harnessPaths = new Set(model.harnessFiles.map((f) => f.path));
  const found: Citation[] = [];
  for (const postmortem of model.postmortems) {
    for (const change of postmortem.changes) {
      found.push({ postmortem, ref: change.ref, via: "changes", resolution: resolver.resolve(change.ref), span: change.span });
    }
    for (const link of postmortem.links) {
      // Only links into harness files cite an item; links to code or other docs are just links.
      if (!harnessPaths.has(link.path) && !model.isHarnessPath(link.path)) continue;
      const ref = link.anchor ? `${link.path}#${link.anchor}` : link.path;
      found.push({ postmortem, ref, via: "link", resolution: resolver.resolve(ref), span: link.span });
    }
  }
  cache.set(model, found);
  return found;
}

export function citedItems(model: Model): Set<Item> {
  const cited = new Set<Item>();
  for (const citation of citations(model)) {
    if (citation.resolution.kind === "found") for (const item of citation.resolution.items) cited.add(item);
  }
  return cited;
}
