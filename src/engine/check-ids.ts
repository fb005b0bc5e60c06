/** Every check id in the contract (SPEC section 5). The registry in rules/index.ts must match. */
export const CHECK_IDS = [
  "stale-symbol",
  "stale-path",
  "unknown-name",
  "unscoped-rule",
  "dead-scope",
  "uncited-rule",
  "dangling-citation",
  "unlinked-rule-change",
  "invalid-file",
  "postmortem-shape",
  "unused-disable-directive",
] as const;

export type CheckId = (typeof CHECK_IDS)[number];
