import { describe, expect, it } from "vitest";
import { decodeText, LineIndex, nextLineStart, withoutBoms } from "../../src/shared/text.js";

describe("decodeText", () => {
  it("drops every leading BOM, however many an editor left", () => {
    for (const count of [1, 2, 3, 5]) {
      const bytes = new Uint8Array([...Array.from({ length: count }, () => [0xef, 0xbb, 0xbf]).flat(), ...new TextEncoder().encode("## A\n")]);
      expect(decodeText(bytes)).toEqual({ ok: true, text: "## A\n" });
    }
  });

  it("keeps a BOM that is not at the start", () => {
    expect(withoutBoms("a\uFEFFb")).toBe("a\uFEFFb");
    expect(withoutBoms("\uFEFF\uFEFFa\uFEFF")).toBe("a\uFEFF");
  });
});

describe("nextLineStart", () => {
  it("steps over LF, CRLF and a lone CR", () => {
    expect(nextLineStart("---\nx", 0)).toBe(4);
    expect(nextLineStart("---\r\nx", 0)).toBe(5);
    expect(nextLineStart("---\rx", 0)).toBe(4);
    expect(nextLineStart("---", 0)).toBe(3);
    expect(nextLineStart("a\nb\rc", 2)).toBe(4);
  });
});

describe("LineIndex", () => {
  it("maps an offset between CR and LF to the end of that line, not a column past it", () => {
    const lines = new LineIndex("ab\r\ncd");
    expect(lines.position(2)).toEqual({ line: 1, column: 3 });
    expect(lines.position(3)).toEqual({ line: 1, column: 3 });
    expect(lines.position(4)).toEqual({ line: 2, column: 1 });
  });

  it("counts a lone CR as a line ending", () => {
    const lines = new LineIndex("a\rb\nc");
    expect(lines.position(2)).toEqual({ line: 2, column: 1 });
    expect(lines.position(4)).toEqual({ line: 3, column: 1 });
  });
});
