import { createHash } from "node:crypto";
import type { TextEdit } from "./types.js";

export interface CheckedTextEdit extends TextEdit {
  /** The text the range held when the edit was computed. */
  before?: string;
  /** `hashText` of the whole file (without BOM) when the edit was computed. */
  sourceHash?: string;
}

export function hashText(text: string): string {
  return createHash("sha1").update(text, "utf8").digest("hex");
}
