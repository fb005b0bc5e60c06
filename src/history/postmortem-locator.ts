import { normaliseRef } from "../harness/refs.js";
import type { PostMortem } from "../harness/types.js";
import type { ObjectReader } from "../git/object-reader.js";
import type { ItemCache } from "./item-cache.js";
import { filesAt, type PathClassifier, type TreeFile } from "./paths.js";

// Verifies a trailer the way checkpatch verifies `Fixes:`: the post-mortem it names must exist
// at that commit, as a post-mortem path or as the id of a post-mortem file there. Looking a
// name up costs one `cat-file --batch-check` line per candidate path; the whole tree is listed
// only for a name no known post-mortem ever carried.

export interface LocatedPostMortem {
  path: string;
  postmortem: PostMortem;
}

export class PostMortemLocator {
  /** Lower-cased id -> every path a post-mortem with that id has been seen at. */
  private readonly pathsById = new Map<string, Set<string>>();
  private readonly treeCache = new Map<string, Promise<LocatedPostMortem[]>>();

  constructor(
    private readonly root: string,
    private readonly reader: ObjectReader,
    private readonly cache: ItemCache,
    private readonly classifier: PathClassifier,
  ) {}

  /** Records that a post-mortem with this id lived at this path in some version. */
  learn(path: string, postmortem: PostMortem): void {
    const id = postmortem.id.toLowerCase();
    const paths = this.pathsById.get(id) ?? new Set<string>();
    paths.add(path);
    this.pathsById.set(id, paths);
  }

  /** The post-mortem `name` (a path or an id) designates at `commit`, or null when none exists there. */
  async find(commit: string, name: string): Promise<LocatedPostMortem | null> {
    const value = normaliseRef(name);
    if (value === "") return null;
    if (this.classifier.kindOf(value) === "postmortem") {
      const atPath = await this.at(commit, value);
      if (atPath) return atPath;
    }
    const wanted = value.toLowerCase();
    for (const path of this.pathsById.get(wanted) ?? []) {
      const found = await this.at(commit, path);
      if (found && found.postmortem.id.toLowerCase() === wanted) return found;
    }
    const everything = await this.allAt(commit);
    return everything.find((pm) => pm.postmortem.id.toLowerCase() === wanted || pm.path.toLowerCase() === wanted) ?? null;
  }

  private async at(commit: string, path: string): Promise<LocatedPostMortem | null> {
    const oid = await this.reader.blobIdAt(commit, path);
    if (oid === null) return null;
    const postmortem = await this.cache.postmortemOf(path, oid);
    return postmortem ? { path, postmortem } : null;
  }

  /** Post-mortem files at a commit, from the trees of their folders (the whole tree only if a glob starts at the root). */
  private async postmortemFiles(commit: string): Promise<TreeFile[]> {
    const folders = this.classifier.postmortemFolders;
    if (folders.includes("")) return filesAt(this.root, commit, this.classifier, ["postmortem"]);
    const listed = await Promise.all(folders.map((folder) => this.reader.filesUnder(commit, folder)));
    return listed.flat().filter((file) => this.classifier.kindOf(file.path) === "postmortem");
  }

  private allAt(commit: string): Promise<LocatedPostMortem[]> {
    let listing = this.treeCache.get(commit);
    if (!listing) {
      listing = this.postmortemFiles(commit).then(async (files) => {
        const found = await Promise.all(
          files.map(async ({ path, oid }) => {
            const postmortem = await this.cache.postmortemOf(path, oid);
            return postmortem ? { path, postmortem } : null;
          }),
        );
        return found.filter((pm): pm is LocatedPostMortem => pm !== null);
      });
      this.treeCache.set(commit, listing);
    }
    return listing;
  }
}
