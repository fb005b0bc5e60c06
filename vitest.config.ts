import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

// Tests run real git and the real CLI: on a busy 2-core machine (load 20 and more, with the other
// engineers' suites) a case takes ten times its quiet duration and more. Timeouts are hang guards,
// so they are generous (10 minutes), and no test measures wall time (docs/testing.md).
const HANG_GUARD_MS = 600_000;

/**
 * The "slow" project, run by `npm run test:slow` after `npm test` (.ci/run runs both): files whose
 * time is npm's and the hook managers' (installs from a packed tarball, a git URL and a clone;
 * commits through husky, lefthook and `npx` hooks), or inputs built to be slow (100 KB of what
 * parsers backtrack on, each shape a run). They stay real; they only run apart, to bring the
 * everyday suite toward its budget of 3 minutes on 2 cores (docs/testing.md).
 */
const SLOW = ["test/integrations/install.test.ts", "test/integrations/hooks.test.ts", "test/integrations/week.test.ts", "test/robustness/redos.test.ts"];

export default defineConfig({
  test: {
    testTimeout: HANG_GUARD_MS,
    hookTimeout: HANG_GUARD_MS,
    // A test file spends most of its time waiting for child processes (git, the CLI), which run on
    // other cores: vitest's default of one worker per core but one (a single worker on 2 cores)
    // leaves a core idle. Forks (each file in its own process), as the tests were written for.
    pool: "forks",
    maxWorkers: Math.max(2, availableParallelism()),
    projects: [
      { extends: true, test: { name: "fast", include: ["test/**/*.test.ts"], exclude: SLOW } },
      { extends: true, test: { name: "slow", include: SLOW } },
    ],
  },
});
