// The lines `harness-lint init --hooks` writes into git hooks. They live here, below both the
// command that writes them and history, which recognises a commit adding only them as mechanical
// (SPEC section 6): installing harness-lint's own hooks needs no post-mortem.

export const PRE_COMMIT_LINE = "npx --no-install harness-lint --staged";
export const COMMIT_MSG_LINE = 'npx --no-install harness-lint commit-msg "$1"';
export const HOOK_SHEBANG = "#!/bin/sh";
export const STOP_COMMENT = "# harness-lint: stop if the lines above failed, then lint the commit";
export const STOP_LINE = "[ $? -eq 0 ] || exit 1";

/** Every line `init --hooks` may add, trimmed. */
export const INIT_HOOK_LINES: ReadonlySet<string> = new Set([HOOK_SHEBANG, PRE_COMMIT_LINE, COMMIT_MSG_LINE, STOP_COMMENT, STOP_LINE, `${PRE_COMMIT_LINE} || exit 1`, `${COMMIT_MSG_LINE} || exit 1`]);
