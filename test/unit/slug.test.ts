import { describe, expect, it } from "vitest";
import { explicitId, Slugger, slugify } from "../../src/harness/slug.js";

describe("slugify (GitHub heading anchors)", () => {
  it.each([
    ["Orient before editing", "orient-before-editing"],
    ["Money is integer cents!", "money-is-integer-cents"],
    ["Use `parseCsv()` for CSV", "use-parsecsv-for-csv"],
    ["C++ & Rust: FFI", "c--rust-ffi"],
    ["snake_case names", "snake_case-names"],
    ["Ünïcode Héading", "ünïcode-héading"],
    ["Step 2 — deploy", "step-2--deploy"],
    ["already-dashed", "already-dashed"],
  ])("%s -> %s", (text, slug) => {
    expect(slugify(text)).toBe(slug);
  });
});

describe("Slugger", () => {
  it("numbers repeated headings -1, -2 in document order", () => {
    const slugger = new Slugger();
    expect(["Setup", "Setup", "Setup"].map((t) => slugger.slug(t))).toEqual(["setup", "setup-1", "setup-2"]);
  });

  it("does not reuse a suffix that a real heading already took", () => {
    const slugger = new Slugger();
    expect(["Setup 1", "Setup", "Setup"].map((t) => slugger.slug(t))).toEqual(["setup-1", "setup", "setup-2"]);
  });

  it("keeps separate counters per instance (per file)", () => {
    expect(new Slugger().slug("Tests")).toBe("tests");
    expect(new Slugger().slug("Tests")).toBe("tests");
  });
});

describe("explicitId", () => {
  it("splits a trailing {#id} from the title", () => {
    expect(explicitId("Orient first {#orient-first}")).toEqual({ title: "Orient first", id: "orient-first" });
  });

  it("tolerates whitespace after the id", () => {
    expect(explicitId("Money {#money.cents}  ")).toEqual({ title: "Money", id: "money.cents" });
  });

  it("leaves a title without an id alone", () => {
    expect(explicitId("  Plain title ")).toEqual({ title: "Plain title" });
    expect(explicitId("Braces {#} only")).toEqual({ title: "Braces {#} only" });
  });

  it("only reads the id at the end", () => {
    expect(explicitId("Use {#x} syntax in docs")).toEqual({ title: "Use {#x} syntax in docs" });
  });
});
