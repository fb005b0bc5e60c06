import { defineConfig } from "vitest/config";

// Tests run real git and the real CLI: on a busy 2-core machine a case can take many times its
// quiet duration. Timeouts are hang guards, so they are generous; no test measures wall time.
export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 120_000,
    include: ["test/**/*.test.ts"],
  },
});
