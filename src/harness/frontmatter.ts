import { isMap, isScalar, isSeq, parseDocument, visit, type Document, type Node as YamlNode } from "yaml";
import type { Span } from "./types.js";
import type { LineIndex } from "../shared/text.js";

export interface FrontmatterField {
  value: unknown;
  /** The value as written (quotes, brackets and all): what a line-by-line reader such as Cursor sees. */
  raw: string;
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

export interface FrontmatterOptions {
  /**
   * Fall back to `key: value` lines when the YAML is invalid (default true). Agents read their
   * own files loosely; post-mortems are read by harness-lint alone, so they get strict YAML.
   */
  lenient?: boolean;
}

const MAX_ALIASES = 100;

type YamlRead = { data: unknown } | { error: { message: string; pos: [number, number] } };

/**
 * The document's data, or its first error with a position. An alias to an anchor that does not
 * exist (`globs: **\/*.ts` reads `*` as an alias) parses cleanly and only fails on conversion,
 * so that error is located at the alias itself.
 */
function readYaml(document: Document): YamlRead {
  const first = document.errors[0];
  if (first) return { error: { message: first.message, pos: first.pos } };
  try {
    return { data: document.toJS({ maxAliasCount: MAX_ALIASES }) };
  } catch (error) {
    let pos: [number, number] = [0, 0];
    visit(document, {
      Alias(_key, node) {
        if (!node.range || node.resolve(document) !== undefined) return undefined;
        pos = [node.range[0], node.range[1]];
        return visit.BREAK;
      },
    });
    return { error: { message: String((error as Error).message), pos } };
  }
}

/**
 * Parses the YAML between `---` lines. `contentOffset` is where the YAML starts in the file, so
 * every span is a position in the original file.
 */
export function parseFrontmatter(yamlText: string, contentOffset: number, blockSpan: Span, lines: LineIndex, options: FrontmatterOptions = {}): FrontmatterResult {
  const at = (start: number, end: number): Span => lines.span(contentOffset + start, contentOffset + end);
  // The yaml library does not end a line at a lone CR, which the Markdown parser and LineIndex do:
  // read it as LF (the same length, so every offset stays).
  const document = parseDocument(yamlText.replace(/\r(?!\n)/g, "\n"), { uniqueKeys: true, prettyErrors: false, strict: false });
  const read = readYaml(document);
  if ("error" in read) {
    const lenient = options.lenient === false ? null : parseKeyValueLines(yamlText, contentOffset, blockSpan, lines);
    if (lenient) return { ok: true, frontmatter: lenient };
    // The yaml library may point one past the block (at the line break after it): keep the span
    // on the block's own text, so it never ends inside a CRLF or on the next line.
    const [start, end] = read.error.pos.map((offset) => Math.max(0, Math.min(offset, yamlText.length)));
    return { ok: false, message: `invalid YAML frontmatter: ${firstLine(read.error.message)}`, span: at(start!, Math.max(start!, end!)) };
  }
  const contents = document.contents;
  const fields = new Map<string, FrontmatterField>();
  if (contents === null || (isScalar(contents) && (contents.value === null || contents.value === ""))) {
    return { ok: true, frontmatter: { fields, span: blockSpan, lenient: false } };
  }
  if (!isMap(contents)) {
    return { ok: false, message: "frontmatter is not a mapping of keys to values", span: blockSpan };
  }
  const data = read.data;
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
      raw: valueNode ? yamlText.slice(valueRange[0], valueRange[1]) : "",
      keySpan: at(keyRange[0], keyRange[1]),
      valueSpan: at(valueRange[0], valueRange[1]),
      itemSpans,
    });
  }
  return { ok: true, frontmatter: { fields, span: blockSpan, lenient: false } };
}

const KEY_VALUE = /^([A-Za-z_][\w-]*)\s*:(?:\s+(.*))?$/;
const LIST_ENTRY = /^\s*-\s+(.*)$/;

/**
 * Cursor and several agents read frontmatter line by line, so `globs: **\/*.ts` (an invalid YAML
 * alias) works for them. Accept that shape rather than crying "invalid file" at a rule that works.
 * Anything else (nested maps, a list under a key that already has a value, duplicate keys) is
 * still invalid: returns null.
 */
function parseKeyValueLines(yamlText: string, contentOffset: number, blockSpan: Span, lines: LineIndex): Frontmatter | null {
  const fields = new Map<string, FrontmatterField>();
  const at = (start: number, end: number): Span => lines.span(contentOffset + start, contentOffset + end);
  let current: FrontmatterField | null = null;
  // Split keeping each line's real start offset, whatever its line ending (CRLF keeps columns right).
  for (const { text: line, start } of splitLines(yamlText)) {
    if (line.trim() === "" || line.trimStart().startsWith("#")) continue;
    const entry = LIST_ENTRY.exec(line);
    if (entry) {
      if (!current || (current.value !== null && !Array.isArray(current.value))) return null;
      addListEntry(current, entry[1]!.trim(), at(start + line.lastIndexOf(entry[1]!.trim()), start + line.length));
      continue;
    }
    const match = KEY_VALUE.exec(line);
    if (!match || fields.has(match[1]!)) return null;
    current = keyValueField(line, start, match[1]!, (match[2] ?? "").trim(), at);
    fields.set(match[1]!, current);
  }
  return { fields, span: blockSpan, lenient: true };
}

function keyValueField(line: string, start: number, key: string, raw: string, at: (s: number, e: number) => Span): FrontmatterField {
  // The value's own columns, without the blanks around it.
  const valueStart = raw === "" ? start + line.length : start + line.indexOf(raw, key.length + 1);
  return {
    value: raw === "" ? null : scalar(unquote(raw)),
    raw,
    keySpan: at(start, start + key.length),
    valueSpan: at(valueStart, valueStart + raw.length),
    itemSpans: [],
  };
}

function addListEntry(field: FrontmatterField, raw: string, span: Span): void {
  const items = Array.isArray(field.value) ? (field.value as unknown[]) : [];
  field.value = [...items, unquote(raw)];
  field.raw = field.raw === "" ? raw : `${field.raw}\n${raw}`;
  field.itemSpans.push(span);
}

function splitLines(text: string): Array<{ text: string; start: number }> {
  const result: Array<{ text: string; start: number }> = [];
  const pattern = /([^\r\n]*)(\r\n|\n|\r|$)/g;
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
    result.push({ text: match[1]!, start: match.index });
    if (match[2] === "") break;
  }
  return result;
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
