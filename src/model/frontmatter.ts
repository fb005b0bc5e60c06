import { isMap, isScalar, isSeq, parseDocument, type Node as YamlNode } from "yaml";
import type { Span } from "./types.js";
import type { LineIndex } from "./text.js";

export interface FrontmatterField {
  value: unknown;
  keySpan: Span;
  valueSpan: Span;
  /** For a list value, one span per entry. */
  itemSpans: Span[];
}

export interface Frontmatter {
  fields: Map<string, FrontmatterField>;
  span: Span;
  /** True when the block was not valid YAML but read as plain `key: value` lines, as Cursor does. */
  lenient: boolean;
}

export type FrontmatterResult = { ok: true; frontmatter: Frontmatter } | { ok: false; message: string; span: Span };

const MAX_ALIASES = 100;

/**
 * Parses the YAML between `---` lines. `contentOffset` is where the YAML starts in the file, so
 * every span is a position in the original file.
 */
export function parseFrontmatter(
  yamlText: string,
  contentOffset: number,
  blockSpan: Span,
  lines: LineIndex,
): FrontmatterResult {
  const at = (start: number, end: number): Span => lines.span(contentOffset + start, contentOffset + end);
  const document = parseDocument(yamlText, { uniqueKeys: true, prettyErrors: false, strict: false });
  const firstError = document.errors[0];
  if (firstError) {
    const lenient = parseKeyValueLines(yamlText, contentOffset, blockSpan, lines);
    if (lenient) return { ok: true, frontmatter: lenient };
    const [start, end] = firstError.pos;
    return { ok: false, message: `invalid YAML frontmatter: ${firstLine(firstError.message)}`, span: at(start, end) };
  }
  const contents = document.contents;
  const fields = new Map<string, FrontmatterField>();
  if (contents === null || (isScalar(contents) && (contents.value === null || contents.value === ""))) {
    return { ok: true, frontmatter: { fields, span: blockSpan, lenient: false } };
  }
  if (!isMap(contents)) {
    return { ok: false, message: "frontmatter is not a mapping of keys to values", span: blockSpan };
  }
  let data: unknown;
  try {
    data = document.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (error) {
    return { ok: false, message: `invalid YAML frontmatter: ${firstLine(String((error as Error).message))}`, span: blockSpan };
  }
  const record = (data ?? {}) as Record<string, unknown>;
  for (const pair of contents.items) {
    const keyNode = pair.key as YamlNode | null;
    if (!isScalar(keyNode)) continue;
    const key = String(keyNode.value);
    const keyRange = keyNode.range ?? [0, 0, 0];
    const valueNode = pair.value as YamlNode | null;
    const valueRange = valueNode?.range ?? [keyRange[1], keyRange[1], keyRange[1]];
    const itemSpans = isSeq(valueNode)
      ? valueNode.items.map((item) => {
          const range = (item as YamlNode).range ?? valueRange;
          return at(range[0], range[1]);
        })
      : [];
    fields.set(key, {
      value: record[key],
      keySpan: at(keyRange[0], keyRange[1]),
      valueSpan: at(valueRange[0], valueRange[1]),
      itemSpans,
    });
  }
  return { ok: true, frontmatter: { fields, span: blockSpan, lenient: false } };
}

const KEY_VALUE = /^([A-Za-z_][\w-]*)\s*:\s?(.*)$/;
const LIST_ENTRY = /^\s+-\s+(.*)$|^-\s+(.*)$/;

/**
 * Cursor and several agents read frontmatter line by line, so `globs: **\/*.ts` (an invalid YAML
 * alias) works for them. Accept that shape rather than crying "invalid file" at a rule that works.
 */
function parseKeyValueLines(yamlText: string, contentOffset: number, blockSpan: Span, lines: LineIndex): Frontmatter | null {
  const fields = new Map<string, FrontmatterField>();
  let offset = 0;
  let current: { key: string; field: FrontmatterField; items: string[] } | null = null;
  for (const rawLine of yamlText.split(/\r?\n/)) {
    const lineStart = offset;
    offset += rawLine.length + 1;
    const line = rawLine.replace(/\r$/, "");
    if (line.trim() === "" || line.trimStart().startsWith("#")) continue;
    const entry = LIST_ENTRY.exec(line);
    if (entry && current) {
      const text = unquote((entry[1] ?? entry[2] ?? "").trim());
      current.items.push(text);
      current.field.value = [...current.items];
      current.field.itemSpans.push(lines.span(contentOffset + lineStart, contentOffset + lineStart + line.length));
      continue;
    }
    const match = KEY_VALUE.exec(line);
    if (!match) return null;
    const key = match[1]!;
    if (fields.has(key)) return null;
    const rawValue = (match[2] ?? "").trim();
    const valueStart = lineStart + line.length - (match[2] ?? "").length;
    const field: FrontmatterField = {
      value: rawValue === "" ? null : scalar(unquote(rawValue)),
      keySpan: lines.span(contentOffset + lineStart, contentOffset + lineStart + key.length),
      valueSpan: lines.span(contentOffset + valueStart, contentOffset + lineStart + line.length),
      itemSpans: [],
    };
    fields.set(key, field);
    current = { key, field, items: [] };
  }
  return { fields, span: blockSpan, lenient: true };
}

function unquote(value: string): string {
  const quoted = /^(["'])(.*)\1$/.exec(value);
  return quoted ? quoted[2]! : value;
}

function scalar(value: string): unknown {
  if (value === "true") return true;
  if (value === "false") return false;
  return value;
}

function firstLine(message: string): string {
  return message.split("\n")[0]!.trim();
}
