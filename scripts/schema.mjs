#!/usr/bin/env node
// Writes harnessrc.schema.json, the JSON Schema of the configuration, from the zod schema in
// src/engine/config-schema.ts (run `npm run build` first). `--check` fails when the committed file
// differs, which the tests also check.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { configJsonSchema } = await import(join(root, "dist", "src", "engine", "config-schema.js"));
const text = `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
const target = join(root, "harnessrc.schema.json");
if (process.argv.includes("--check")) {
  const current = readFileSync(target, "utf8");
  if (current !== text) {
    process.stderr.write("harnessrc.schema.json is out of date: run npm run build && npm run schema\n");
    process.exit(1);
  }
} else {
  writeFileSync(target, text);
}
