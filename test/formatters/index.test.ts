import { describe, expect, it } from "vitest";
import { isUserError } from "../../src/shared/errors.js";
import { formatGithub } from "../../src/formatters/github.js";
import { formatters, getFormatter } from "../../src/formatters/index.js";
import { formatJson } from "../../src/formatters/json.js";
import { formatSarif } from "../../src/formatters/sarif.js";
import { formatStylish } from "../../src/formatters/stylish.js";

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
}

describe("formatter registry", () => {
  it("maps exactly the four built-in names", async () => {
    expect(Object.keys(formatters).sort()).toEqual(["github", "json", "sarif", "stylish"]);
    expect(await getFormatter("stylish")).toBe(formatStylish);
    expect(await getFormatter("json")).toBe(formatJson);
    expect(await getFormatter("sarif")).toBe(formatSarif);
    expect(await getFormatter("github")).toBe(formatGithub);
  });

  it("rejects other names, paths included, with a one-line UserError", () => {
    for (const name of ["x", "./my-formatter.js", "constructor", "__proto__", "JSON"]) {
      const error = thrown(() => getFormatter(name));
      expect(isUserError(error)).toBe(true);
      expect((error as Error).message).toBe(`Unknown format ${JSON.stringify(name)}: expected one of stylish, json, sarif, github.`);
    }
    expect((thrown(() => getFormatter("a\nb")) as Error).message).not.toContain("\n");
  });
});
