import type { Item } from "./types.js";

export type RefResolution = { kind: "found"; items: Item[] } | { kind: "missing" } | { kind: "ambiguous"; items: Item[] };

/**
 * Resolves refs (SPEC section 3): `file#anchor`, a per-file rule's path or id, or a bare id that
 * exactly one item carries. A path to a sectioned file cites every rule in it.
 */
export class RefResolver {
  private readonly byRef = new Map<string, Item>();
  private readonly byFile = new Map<string, Item[]>();
  private readonly byId = new Map<string, Item[]>();
  private readonly byAnchor = new Map<string, Item[]>();

  constructor(items: Item[]) {
    for (const item of items) {
      this.byRef.set(item.ref.toLowerCase(), item);
      push(this.byFile, item.file, item);
      if (item.id !== undefined) push(this.byId, item.id.toLowerCase(), item);
      if (item.anchor !== undefined) push(this.byAnchor, item.anchor.toLowerCase(), item);
    }
  }

  resolve(rawRef: string): RefResolution {
    const ref = normaliseRef(rawRef);
    if (ref === "") return { kind: "missing" };
    const exact = this.byRef.get(ref.toLowerCase());
    if (exact) return { kind: "found", items: [exact] };
    const hash = ref.indexOf("#");
    if (hash !== -1) {
      const file = ref.slice(0, hash);
      const anchor = ref.slice(hash + 1).toLowerCase();
      const inFile = (this.byFile.get(file) ?? []).filter((i) => i.anchor?.toLowerCase() === anchor || i.id?.toLowerCase() === anchor);
      return inFile.length > 0 ? { kind: "found", items: inFile } : { kind: "missing" };
    }
    const wholeFile = this.byFile.get(ref);
    if (wholeFile) return { kind: "found", items: wholeFile };
    const byId = this.byId.get(ref.toLowerCase()) ?? this.byAnchor.get(ref.toLowerCase()) ?? [];
    if (byId.length === 1) return { kind: "found", items: byId };
    if (byId.length > 1) return { kind: "ambiguous", items: byId };
    return { kind: "missing" };
  }
}

export function normaliseRef(ref: string): string {
  return ref.trim().replace(/^\.\//, "").replace(/^\/+/, "");
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
