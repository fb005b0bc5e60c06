// The configuration's JSON Schema: generated from the zod schema, committed as
// harnessrc.schema.json (shipped in the package, named by `init`'s yaml-language-server line), and
// true to the example file and to what `init` writes.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { configText } from "../src/commands/init.js";
import { CONFIG_SCHEMA_URL, configJsonSchema } from "../src/engine/config-schema.js";
import { REPO_ROOT } from "./helpers/cli.js";

const committed = JSON.parse(readFileSync(join(REPO_ROOT, "harnessrc.schema.json"), "utf8")) as Record<string, unknown>;
const validate = new Ajv({ allErrors: true, strict: false }).compile(committed);

describe("harnessrc.schema.json", () => {
  it("is what the zod schema generates (npm run build && npm run schema)", () => {
    expect(committed).toEqual(configJsonSchema());
    expect(committed.$id).toBe(CONFIG_SCHEMA_URL);
  });

  it("accepts .harnessrc.example.yml, every key at its default", () => {
    const example = parseYaml(readFileSync(join(REPO_ROOT, ".harnessrc.example.yml"), "utf8"));
    expect(validate(example), JSON.stringify(validate.errors)).toBe(true);
  });

  it("names itself on the first line of the configuration init writes, whose example is valid once uncommented", () => {
    const text = configText(["CLAUDE.md"]);
    expect(text.split("\n")[0]).toBe(`# yaml-language-server: $schema=${CONFIG_SCHEMA_URL}`);
    const lines = text.split("\n");
    const example = lines.slice(lines.indexOf("# checks:")).filter((line) => line.startsWith("# "));
    const uncommented = example.map((line) => line.slice(2)).join("\n");
    expect(parseYaml(uncommented)).toEqual({ checks: { "uncited-rule": "off" } });
    expect(validate(parseYaml(uncommented)), JSON.stringify(validate.errors)).toBe(true);
  });

  it("refuses what the CLI refuses: an unknown key, an unknown check, a bad severity", () => {
    for (const bad of [{ harnes: {} }, { checks: { "stale-symbols": "warn" } }, { checks: { "stale-symbol": "warning" } }, { postmortem: { maxWords: 0 } }]) {
      expect(validate(bad), JSON.stringify(bad)).toBe(false);
    }
  });
});
