/**
 * GitHub-style heading anchors (github-slugger): lower-case, drop punctuation and symbols, spaces
 * to `-`; a repeated slug gets `-1`, `-2`, ... in document order.
 */
export class Slugger {
  private readonly seen = new Map<string, number>();

  slug(text: string): string {
    const base = slugify(text);
    let slug = base;
    let count = this.seen.get(base) ?? 0;
    while (this.seen.has(slug)) {
      count++;
      slug = `${base}-${count}`;
    }
    this.seen.set(base, count);
    this.seen.set(slug, 0);
    return slug;
  }
}

export function slugify(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "")
    .replace(/ /g, "-");
}

const EXPLICIT_ID = /\s*\{#([A-Za-z0-9_][\w.:-]*)\}\s*$/;

/** Splits `Title {#my-id}` into the visible title and the explicit id. */
export function explicitId(heading: string): { title: string; id?: string } {
  const match = EXPLICIT_ID.exec(heading);
  if (!match) return { title: heading.trim() };
  return { title: heading.slice(0, match.index).trim(), id: match[1]! };
}
