// The sections every post-mortem has (SPEC section 4), apart from the parser so that the check
// that looks for them does not load it.

export const REQUIRED_SECTIONS = ["What happened", "What the agent was working from", "Where the layers failed", "What changes", "What we are not doing"] as const;

/**
 * Section headings match the template loosely: case, punctuation and a leading number
 * (`## 2. What happened`) do not matter.
 */
export function normaliseSection(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^\p{L}\p{N} ]/gu, "")
    .replace(/^\s*\d+\s+/, "")
    .replace(/\s+/g, " ")
    .trim();
}
