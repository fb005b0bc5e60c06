#!/usr/bin/env node
// The command: `main.ts` is the CLI; this file only chooses how to load it. A build with its
// dev dependencies (a clone, `npm ci`, the published package) also bundles main and the
// libraries it uses into a few files (dist/bundle, scripts/build.mjs): starting Node and
// resolving ~330 module files is most of what a small run costs (0.30 s of CPU against
// 0.17 s bundled), and a commit hook is a small run. A build without them (the pre-commit
// framework installs runtime dependencies only) has no bundle and loads the modules.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

// Literal specifiers only: nothing here loads code from a computed path.
if (existsSync(fileURLToPath(new URL("../bundle/main.js", import.meta.url)))) {
  // @ts-expect-error: build output (dist/bundle), which the type check of src/ does not see.
  await import("../bundle/main.js");
} else {
  await import("./main.js");
}
