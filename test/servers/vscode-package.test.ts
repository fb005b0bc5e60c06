// The VS Code extension packages with vsce (never published), offline: inside a network
// namespace with no network when one can be made (unshare), so a download would fail the test.
// vsce (~140 MB) is the extension folder's own dev dependency: `npm ci --prefix editors/vscode`
// installs it (.ci/run does); without it this test is skipped and says so.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../helpers/cli.js";

const EXTENSION = join(REPO_ROOT, "editors/vscode");
const VSCE = join(EXTENSION, "node_modules/.bin/vsce");
const installed = existsSync(VSCE);
const out = mkdtempSync(join(tmpdir(), "hl-vsix-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const offline = spawnSync("unshare", ["--net", "true"]).status === 0;

describe("editors/vscode", () => {
  it.skipIf(!installed)(
    `packages with vsce ${offline ? "with no network" : "(unshare unavailable: not proven offline)"}`,
    () => {
      const vsix = join(out, "harness-lint.vsix");
      const command = offline ? ["unshare", "--net", VSCE] : [VSCE];
      const run = spawnSync(command[0]!, [...command.slice(1), "package", "--out", vsix], { cwd: EXTENSION, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 170_000 });
      expect(run.status, run.stdout + run.stderr).toBe(0);
      const files = execFileSync("unzip", ["-Z1", vsix], { encoding: "utf8" }).split("\n").filter(Boolean);
      expect(files).toEqual(
        expect.arrayContaining([
          "extension/package.json",
          "extension/extension.js",
          "extension/readme.md",
          "extension/LICENSE.txt",
          "extension/node_modules/vscode-languageclient/package.json",
          "extension.vsixmanifest",
        ]),
      );
      // Only what the extension runs: no vsce, no packaging leftovers.
      expect(files.filter((file) => file.includes("@vscode/vsce") || file.endsWith(".vsix"))).toEqual([]);
    },
    180_000,
  );

  it("starts `harness-lint lsp --stdio` for Markdown and .mdc files, and code files for references", () => {
    const manifest = JSON.parse(readFileSync(join(EXTENSION, "package.json"), "utf8"));
    expect(manifest.main).toBe("./extension.js");
    expect(manifest.dependencies).toEqual({ "vscode-languageclient": expect.any(String) });
    const source = readFileSync(join(EXTENSION, "extension.js"), "utf8");
    expect(source).toContain('args: ["lsp", "--stdio"]');
    expect(source).toMatch(/pattern: "\*\*\/\*\.mdc"/);
  });
});
if (!installed) console.warn("editors/vscode: vsce is not installed; run `npm ci --prefix editors/vscode` to test the packaging");
