import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parse as parseYamlText } from "yaml";
import { afterEach, describe, expect, it, vi } from "vitest";
import { CONFIG_SEARCH_PLACES, loadConfig } from "../src/engine/config.js";
import { validateConfig } from "../src/engine/config-schema.js";
import { DEFAULT_HARNESS_INCLUDE, defaultConfig } from "../src/shared/config-types.js";
import { UserError } from "../src/shared/errors.js";

const repoRoot = path.resolve(import.meta.dirname, "..");
const tempDirs: string[] = [];

function tempRepo(files: Record<string, string> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "harness-lint-config-"));
  tempDirs.push(dir);
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(dir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
  return dir;
}

afterEach(() => {
  vi.restoreAllMocks();
  for (const dir of tempDirs.splice(0)) {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/** Runs `action`, asserts it fails with a one-line UserError, and returns the message. */
async function userErrorOf(action: () => unknown): Promise<string> {
  let caught: unknown;
  try {
    await action();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(UserError);
  const message = (caught as UserError).message;
  expect(message).not.toContain("\n");
  return message;
}

/** A `.js` file that would leave a marker behind if anything ever executed it. */
function markerScript(marker: string): string {
  return `require("node:fs").writeFileSync(${JSON.stringify(marker)}, "executed");\nmodule.exports = { trailer: "Evil" };\n`;
}

describe("loadConfig: finding the file", () => {
  it("uses the defaults when there is no configuration", async () => {
    const root = tempRepo({ "README.md": "# hi\n" });
    expect(await loadConfig(root)).toEqual({ config: defaultConfig(), file: null });
  });

  it.each([".harnessrc", ".harnessrc.json", ".harnessrc.yaml", ".harnessrc.yml"])("finds %s", async (name) => {
    const content = name.endsWith(".json") ? '{ "trailer": "Incident" }' : "trailer: Incident\n";
    const root = tempRepo({ [name]: content });
    const { config, file } = await loadConfig(root);
    expect(file).toBe(path.join(root, name));
    expect(config).toEqual({ ...defaultConfig(), trailer: "Incident" });
  });

  it('finds the "harness-lint" key in package.json', async () => {
    const root = tempRepo({
      "package.json": JSON.stringify({ name: "x", "harness-lint": { checks: { "uncited-rule": "off" } } }),
    });
    const { config, file } = await loadConfig(root);
    expect(file).toBe(path.join(root, "package.json"));
    expect(config.checks).toEqual({ "uncited-rule": "off" });
  });

  it("skips a package.json without the key and keeps searching", async () => {
    const root = tempRepo({ "package.json": '{ "name": "x" }', ".harnessrc.yml": "trailer: Incident\n" });
    const { config, file } = await loadConfig(root);
    expect(file).toBe(path.join(root, ".harnessrc.yml"));
    expect(config.trailer).toBe("Incident");
  });

  it("takes the first search place when several exist", async () => {
    expect(CONFIG_SEARCH_PLACES).toEqual(["package.json", ".harnessrc", ".harnessrc.json", ".harnessrc.yaml", ".harnessrc.yml"]);
    const root = tempRepo({ ".harnessrc.json": '{ "trailer": "First" }', ".harnessrc.yml": "trailer: Second\n" });
    expect((await loadConfig(root)).config.trailer).toBe("First");
  });

  it("reads an extension-less .harnessrc as YAML (and JSON, which is YAML too)", async () => {
    const yamlRoot = tempRepo({ ".harnessrc": "symbols:\n  fenced: true\n  ignore: [legacy*]\n" });
    expect((await loadConfig(yamlRoot)).config.symbols).toEqual({ fenced: true, ignore: ["legacy*"], wordFallback: true });
    const jsonRoot = tempRepo({ ".harnessrc": '{ "symbols": { "fenced": true } }' });
    expect((await loadConfig(jsonRoot)).config.symbols.fenced).toBe(true);
  });

  it("treats an empty file or a file of comments as all defaults, and reports it as found", async () => {
    for (const content of ["", "   \n", "# nothing yet\n"]) {
      const root = tempRepo({ ".harnessrc.yml": content });
      expect(await loadConfig(root)).toEqual({ config: defaultConfig(), file: path.join(root, ".harnessrc.yml") });
    }
  });

  it("merges onto the defaults: lists replace, sections merge key by key", async () => {
    const root = tempRepo({
      ".harnessrc.yml": "harness:\n  exclude: [docs/**]\npostmortem:\n  maxWords: 800\nprovenance:\n  since: 2026-01-15\n",
    });
    const { config } = await loadConfig(root);
    expect(config.harness).toEqual({ include: [...DEFAULT_HARNESS_INCLUDE], exclude: ["docs/**"] });
    expect(config.postmortem).toEqual({ maxWords: 800, maxChanges: 3, landWithinDays: 7 });
    expect(config.provenance.since).toBe("2026-01-15");
  });
});

describe("loadConfig: no code is ever executed", () => {
  it("does not load a .harnessrc.js in the repository", async () => {
    const root = tempRepo();
    const marker = path.join(root, "MARKER");
    fs.writeFileSync(path.join(root, ".harnessrc.js"), markerScript(marker));
    fs.writeFileSync(path.join(root, "harness-lint.config.js"), markerScript(marker));
    fs.writeFileSync(path.join(root, ".harnessrc.mjs"), markerScript(marker));
    expect(await loadConfig(root)).toEqual({ config: defaultConfig(), file: null });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(fs.existsSync(marker)).toBe(false);
  });

  // cosmiconfig() itself would import this file from the working directory (its "meta config").
  it("does not run .config/config.js from the working directory", async () => {
    const root = tempRepo();
    const marker = path.join(root, "MARKER");
    fs.mkdirSync(path.join(root, ".config"));
    fs.writeFileSync(path.join(root, ".config", "config.js"), markerScript(marker));
    fs.writeFileSync(path.join(root, "package.json"), JSON.stringify({ cosmiconfig: { searchPlaces: ["evil.js"] } }));
    fs.writeFileSync(path.join(root, "evil.js"), markerScript(marker));
    vi.spyOn(process, "cwd").mockReturnValue(root);
    expect((await loadConfig(root)).file).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(fs.existsSync(marker)).toBe(false);
  });

  it.each(["x.js", "x.cjs", "x.mjs", "x.ts"])("refuses --config %s without reading it", async (name) => {
    const root = tempRepo();
    const marker = path.join(root, "MARKER");
    fs.writeFileSync(path.join(root, name), markerScript(marker));
    const message = await userErrorOf(() => loadConfig(root, { configPath: path.join(root, name) }));
    expect(message).toBe(`${name}: JavaScript configuration is not supported; use JSON or YAML (.harnessrc.yml)`);
    expect(fs.existsSync(marker)).toBe(false);
  });

  it("refuses $import instead of following it", async () => {
    const root = tempRepo({ ".harnessrc.yml": "$import: ./other.yml\n", "other.yml": "trailer: Other\n" });
    expect(await userErrorOf(() => loadConfig(root))).toContain('unknown key "$import"');
  });
});

describe("loadConfig: reading only what a config file should be", () => {
  it("refuses a searched config that is a symlink out of the repository", async () => {
    const outside = tempRepo({ "secrets.env": "TOKEN=hunter2\n" });
    const root = tempRepo();
    fs.symlinkSync(path.join(outside, "secrets.env"), path.join(root, ".harnessrc"));
    const message = await userErrorOf(() => loadConfig(root));
    expect(message).toBe(".harnessrc: is a symbolic link to a file outside the repository; refusing to read it");
    expect(message).not.toContain("hunter2");
  });

  it("follows a symlink that stays inside the repository", async () => {
    const root = tempRepo({ "config/harness.yml": "trailer: Linked\n" });
    fs.symlinkSync(path.join("config", "harness.yml"), path.join(root, ".harnessrc.yml"));
    expect((await loadConfig(root)).config.trailer).toBe("Linked");
  });

  it("refuses a device, a directory and a huge file instead of reading them whole", async () => {
    const root = tempRepo({ "big.yml": `# ${"x".repeat(1024 * 1024)}\n` });
    fs.mkdirSync(path.join(root, ".harnessrc"));
    expect(await userErrorOf(() => loadConfig(root))).toBe(".harnessrc: is a directory, not a configuration file");
    expect(await userErrorOf(() => loadConfig(root, { configPath: "/dev/zero" }))).toBe("/dev/zero: is not a regular file");
    expect(await userErrorOf(() => loadConfig(root, { configPath: path.join(root, "big.yml") }))).toMatch(/^big\.yml: is larger than 1 MiB/);
  });
});

describe("loadConfig: --config", () => {
  it("loads only the named file, relative to the working directory", async () => {
    const root = tempRepo({ ".harnessrc.yml": "trailer: Searched\n", "config/harness.yaml": "trailer: Named\n" });
    vi.spyOn(process, "cwd").mockReturnValue(root);
    const { config, file } = await loadConfig(root, { configPath: "config/harness.yaml" });
    expect(config.trailer).toBe("Named");
    expect(file).toBe(path.join(root, "config", "harness.yaml"));
  });

  it("names a missing file", async () => {
    const root = tempRepo();
    const message = await userErrorOf(() => loadConfig(root, { configPath: path.join(root, "nope.yml") }));
    expect(message).toBe("nope.yml: configuration file not found");
  });

  it("names a file outside the repository by its absolute path", async () => {
    const root = tempRepo();
    const elsewhere = tempRepo({ "shared.yml": "trailer: [x]\n" });
    const message = await userErrorOf(() => loadConfig(root, { configPath: path.join(elsewhere, "shared.yml") }));
    expect(message.startsWith(`${path.join(elsewhere, "shared.yml")}: key "trailer"`)).toBe(true);
  });

  it("refuses a file type it cannot read as data", async () => {
    const root = tempRepo({ "harness.toml": "trailer = 'x'\n" });
    const message = await userErrorOf(() => loadConfig(root, { configPath: path.join(root, "harness.toml") }));
    expect(message).toBe('harness.toml: unsupported configuration file type ".toml"; use JSON or YAML (.harnessrc.yml)');
  });
});

describe("loadConfig: parse errors name file, line and column", () => {
  it("reports a YAML syntax error", async () => {
    const root = tempRepo({ ".harnessrc.yml": "trailer: Post-Mortem\nchecks:\n  stale-symbol: 'warn\n" });
    expect(await userErrorOf(() => loadConfig(root))).toMatch(/^\.harnessrc\.yml:4:1: Missing closing 'quote$/);
  });

  it("reports a duplicate key", async () => {
    const root = tempRepo({ ".harnessrc.yaml": "trailer: A\nsymbols:\n  fenced: true\ntrailer: B\n" });
    expect(await userErrorOf(() => loadConfig(root))).toBe(".harnessrc.yaml:4:1: Map keys must be unique");
  });

  it("reports several YAML documents in one file", async () => {
    const root = tempRepo({ ".harnessrc.yml": "trailer: A\n---\ntrailer: B\n" });
    expect(await userErrorOf(() => loadConfig(root))).toMatch(/^\.harnessrc\.yml:2:1: Source contains multiple documents/);
  });

  it("refuses an alias bomb quickly", async () => {
    const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (const [name, previous] of [
      ["b", "a"],
      ["c", "b"],
      ["d", "c"],
      ["e", "d"],
      ["f", "e"],
      ["g", "f"],
      ["h", "g"],
      ["i", "h"],
    ]) {
      lines.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(",")}]`);
    }
    const root = tempRepo({ ".harnessrc.yml": `${lines.join("\n")}\n` });
    const message = await userErrorOf(() => loadConfig(root));
    expect(message).toMatch(/^\.harnessrc\.yml: too many YAML alias expansions \(limit 100\)/);
  });

  it.each([
    ["missing comma", '{\n  "trailer": "A"\n  "baseline": null\n}', ".harnessrc.json:3:3: Expected ',' or '}' after property value in JSON"],
    ["trailing comma in an object", '{\n  "checks": {\n    "stale-path": "warn",\n  }\n}', ".harnessrc.json:4:3: Expected double-quoted property name in JSON"],
    ["trailing comma in a short array", '{"postmortems":[1,]}', ".harnessrc.json:1:19: Unexpected token ']' in JSON"],
    ["a missing value deep in the file", '{\n  "postmortem": { "maxWords": 600 },\n  "trailer": ,\n  "baseline": null\n}', ".harnessrc.json:3:14: Unexpected token ',' in JSON"],
    ["a missing value near the end", '{\n  "postmortem": { "maxWords": 600 },\n  "trailer": }', ".harnessrc.json:3:14: Unexpected token '}' in JSON"],
    ["a comment near the start", '{ // no\n"trailer": "x" }', ".harnessrc.json:1:3: Expected property name or '}' in JSON"],
    ["a comment in a short file", '{"a": // no\n1}', ".harnessrc.json:1:7: Unexpected token '/' in JSON"],
    ["a truncated file", '{\n  "trailer": ', ".harnessrc.json:2:14: Unexpected end of JSON input"],
    ["an unterminated string", '{\n  "trailer": "A', ".harnessrc.json:2:16: Unterminated string in JSON"],
  ])("reports a JSON error: %s", async (_name, content, expected) => {
    const root = tempRepo({ ".harnessrc.json": content });
    expect(await userErrorOf(() => loadConfig(root))).toBe(expected);
  });

  it("reports a broken package.json with its position", async () => {
    const root = tempRepo({ "package.json": '{\n  "name": "x",\n}' });
    expect(await userErrorOf(() => loadConfig(root))).toBe("package.json:3:1: Expected double-quoted property name in JSON");
  });
});

describe("validateConfig", () => {
  it("accepts nothing (an empty file) as all defaults", () => {
    expect(validateConfig(undefined, "x.yml")).toEqual(defaultConfig());
    expect(validateConfig(null, "x.yml")).toEqual(defaultConfig());
    expect(validateConfig({}, "x.yml")).toEqual(defaultConfig());
  });

  it("accepts a section with nothing under it as that section's defaults", () => {
    expect(validateConfig({ harness: null, checks: null, postmortem: null }, "x.yml")).toEqual(defaultConfig());
  });

  it("keeps defaults for keys a caller sets to undefined", () => {
    expect(validateConfig({ harness: { include: undefined }, trailer: undefined }, "x.yml")).toEqual(defaultConfig());
  });

  it("does not share arrays with the defaults", () => {
    const config = validateConfig({}, "x.yml");
    config.harness.include.push("mutated");
    expect(defaultConfig().harness.include).not.toContain("mutated");
  });

  it("reads .harnessrc.example.yml as exactly the defaults", () => {
    const text = fs.readFileSync(path.join(repoRoot, ".harnessrc.example.yml"), "utf8");
    expect(validateConfig(parseYamlText(text), ".harnessrc.example.yml")).toEqual(defaultConfig());
  });

  it("loads .harnessrc.example.yml through --config too", async () => {
    const { config } = await loadConfig(repoRoot, { configPath: path.join(repoRoot, ".harnessrc.example.yml") });
    expect(config).toEqual(defaultConfig());
  });

  it("rejects an unknown top-level key and suggests the nearest", async () => {
    expect(await userErrorOf(() => validateConfig({ harnes: { include: [] } }, ".harnessrc.yml"))).toBe(
      '.harnessrc.yml: unknown key "harnes"; expected one of harness, postmortems, codebase, checks, symbols, trailer, provenance, postmortem, baseline. Did you mean "harness"?',
    );
  });

  it("rejects an unknown nested key", async () => {
    expect(await userErrorOf(() => validateConfig({ symbols: { fence: true } }, "c.yml"))).toBe(
      'c.yml: unknown key "symbols.fence"; expected one of ignore, fenced, wordFallback. Did you mean "fenced"?',
    );
  });

  it("does not suggest a key that is nothing like the typo", async () => {
    const message = await userErrorOf(() => validateConfig({ rules: {} }, "c.yml"));
    expect(message).toContain('unknown key "rules"');
    expect(message).not.toContain("Did you mean");
  });

  it("rejects an unknown check id, listing the valid ids and the nearest", async () => {
    expect(await userErrorOf(() => validateConfig({ checks: { "stale-symbl": "warn" } }, ".harnessrc.yml"))).toBe(
      '.harnessrc.yml: key "checks.stale-symbl": unknown check; expected one of stale-symbol, stale-path, unknown-name, unscoped-rule, dead-scope, uncited-rule, dangling-citation, unlinked-rule-change, invalid-file, postmortem-shape, unused-disable-directive. Did you mean "stale-symbol"?',
    );
  });

  it("rejects a bad severity and repeats it", async () => {
    expect(await userErrorOf(() => validateConfig({ checks: { "stale-path": "warning" } }, "c.yml"))).toBe(
      'c.yml: key "checks.stale-path": expected "off", "warn" or "error", received "warning". Did you mean "warn"?',
    );
  });

  it("rejects a wrong type and repeats the received value", async () => {
    expect(await userErrorOf(() => validateConfig({ postmortem: { maxWords: "600 words" } }, "c.yml"))).toBe('c.yml: key "postmortem.maxWords": expected a positive integer, received "600 words"');
  });

  it.each([
    [{ postmortem: { maxChanges: 0 } }, 'key "postmortem.maxChanges": expected a positive integer, received 0'],
    [{ postmortem: { landWithinDays: 1.5 } }, 'key "postmortem.landWithinDays": expected a positive integer, received 1.5'],
    [{ harness: { include: "CLAUDE.md" } }, 'key "harness.include": expected a list of glob strings, received "CLAUDE.md"'],
    [{ codebase: { exclude: ["dist/**", 7] } }, 'key "codebase.exclude[1]": expected a glob string, received 7'],
    [{ postmortems: null }, 'key "postmortems": expected a list of glob strings, received null'],
    [{ symbols: { fenced: "yes" } }, 'key "symbols.fenced": expected true or false, received "yes"'],
    [{ trailer: "Post Mortem" }, 'key "trailer": expected a git trailer key (letters, digits and dashes, such as "Post-Mortem"), received "Post Mortem"'],
    [{ trailer: "" }, 'key "trailer": expected a git trailer key (letters, digits and dashes, such as "Post-Mortem"), received ""'],
    [{ provenance: { since: "2026-02-30" } }, 'key "provenance.since": expected a real calendar date (YYYY-MM-DD), received "2026-02-30"'],
    [{ provenance: { since: "--upload-pack=x" } }, 'key "provenance.since": expected null, a date (YYYY-MM-DD) or a commit (SHA, tag or branch), received "--upload-pack=x"'],
    [{ provenance: { since: 20260101 } }, 'key "provenance.since": expected null, a date (YYYY-MM-DD) or a commit (SHA, tag or branch), received 20260101'],
    [{ baseline: 3 }, 'key "baseline": expected null or a file path, received 3'],
    [[1, 2], "expected a mapping of configuration keys, received [1,2]"],
  ])("rejects %j", async (input, expected) => {
    expect(await userErrorOf(() => validateConfig(input, "c.yml"))).toBe(`c.yml: ${expected}`);
  });

  it("accepts every documented form of provenance.since", () => {
    for (const since of [null, "2026-01-15", "3f9c2ab", "v1.4.0", "origin/main", "HEAD~20"]) {
      expect(validateConfig({ provenance: { since } }, "c.yml").provenance.since).toBe(since);
    }
  });

  it("truncates a long received value to 40 characters", async () => {
    const message = await userErrorOf(() => validateConfig({ baseline: ["x".repeat(100)] }, "c.yml"));
    const received = message.slice(message.indexOf("received ") + "received ".length);
    expect(received).toHaveLength(40);
    expect(received.endsWith("…")).toBe(true);
  });

  it("reports every problem at once, joined by semicolons", async () => {
    const message = await userErrorOf(() => validateConfig({ harnes: {}, checks: { "stale-symbl": "warn" }, postmortem: { maxWords: -1 }, trailer: "a b" }, "c.yml"));
    expect(message.split("; ").length).toBeGreaterThanOrEqual(4);
    for (const part of ['unknown key "harnes"', 'key "checks.stale-symbl"', 'key "postmortem.maxWords"', 'key "trailer"']) {
      expect(message).toContain(part);
    }
  });

  it("keeps received values with newlines on one line", async () => {
    expect(await userErrorOf(() => validateConfig({ trailer: "Post\nMortem" }, "c.yml"))).toContain('received "Post\\nMortem"');
  });
});

describe("loadConfig: validation errors name the file as the user knows it", () => {
  it("uses the repo-relative path", async () => {
    const root = tempRepo({ ".harnessrc.yml": "postmortem:\n  maxWords: 600 words\n" });
    expect(await userErrorOf(() => loadConfig(root))).toBe('.harnessrc.yml: key "postmortem.maxWords": expected a positive integer, received "600 words"');
  });

  it('says the problem is under the "harness-lint" key of package.json', async () => {
    const root = tempRepo({ "package.json": JSON.stringify({ "harness-lint": { harnes: {} } }) });
    expect(await userErrorOf(() => loadConfig(root))).toMatch(/^package\.json \("harness-lint" key\): unknown key "harnes"/);
  });
});
