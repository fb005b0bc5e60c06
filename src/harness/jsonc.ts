// JSON with comments and trailing commas, read the way Claude Code reads settings files, keeping
// the offset of every value so findings point at the exact line and column.

export type JsonValue = JsonObject | JsonArray | JsonScalar;

export interface JsonObject {
  type: "object";
  entries: Array<{ key: string; keyStart: number; value: JsonValue }>;
  start: number;
  end: number;
}

export interface JsonArray {
  type: "array";
  items: JsonValue[];
  start: number;
  end: number;
}

export interface JsonScalar {
  type: "string" | "number" | "boolean" | "null";
  value: string | number | boolean | null;
  start: number;
  end: number;
}

export class JsoncError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const MAX_DEPTH = 200;

export function parseJsonc(text: string): JsonValue {
  const parser = new Parser(text);
  parser.skipTrivia();
  const value = parser.value(0);
  parser.skipTrivia();
  if (parser.pos < text.length) throw new JsoncError("unexpected text after the JSON value", parser.pos);
  return value;
}

class Parser {
  pos = 0;
  constructor(private readonly text: string) {}

  skipTrivia(): void {
    const text = this.text;
    while (this.pos < text.length) {
      const char = text[this.pos]!;
      if (char === " " || char === "\t" || char === "\n" || char === "\r" || char === "\uFEFF") this.pos++;
      else if (text.startsWith("//", this.pos)) {
        const end = text.indexOf("\n", this.pos);
        this.pos = end === -1 ? text.length : end + 1;
      } else if (text.startsWith("/*", this.pos)) {
        const end = text.indexOf("*/", this.pos + 2);
        if (end === -1) throw new JsoncError("unterminated comment", this.pos);
        this.pos = end + 2;
      } else break;
    }
  }

  value(depth: number): JsonValue {
    if (depth > MAX_DEPTH) throw new JsoncError("nested too deeply", this.pos);
    const char = this.text[this.pos];
    if (char === "{") return this.object(depth);
    if (char === "[") return this.array(depth);
    if (char === '"') {
      const start = this.pos;
      return { type: "string", value: this.string(), start, end: this.pos };
    }
    const start = this.pos;
    const literal = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(this.text.slice(this.pos, this.pos + 64));
    if (!literal) {
      throw new JsoncError(char === undefined ? "unexpected end of file" : `unexpected ${JSON.stringify(char)}`, this.pos);
    }
    this.pos += literal[0].length;
    const word = literal[0];
    if (word === "true" || word === "false") return { type: "boolean", value: word === "true", start, end: this.pos };
    if (word === "null") return { type: "null", value: null, start, end: this.pos };
    return { type: "number", value: Number(word), start, end: this.pos };
  }

  private object(depth: number): JsonObject {
    const start = this.pos++;
    const entries: JsonObject["entries"] = [];
    for (;;) {
      this.skipTrivia();
      if (this.text[this.pos] === "}") {
        this.pos++;
        return { type: "object", entries, start, end: this.pos };
      }
      if (this.text[this.pos] !== '"') throw new JsoncError("expected a property name in double quotes", this.pos);
      const keyStart = this.pos;
      const key = this.string();
      this.skipTrivia();
      if (this.text[this.pos] !== ":") throw new JsoncError("expected ':' after the property name", this.pos);
      this.pos++;
      this.skipTrivia();
      entries.push({ key, keyStart, value: this.value(depth + 1) });
      this.skipTrivia();
      if (this.text[this.pos] === ",") this.pos++;
      else if (this.text[this.pos] !== "}") throw new JsoncError("expected ',' or '}'", this.pos);
    }
  }

  private array(depth: number): JsonArray {
    const start = this.pos++;
    const items: JsonValue[] = [];
    for (;;) {
      this.skipTrivia();
      if (this.text[this.pos] === "]") {
        this.pos++;
        return { type: "array", items, start, end: this.pos };
      }
      items.push(this.value(depth + 1));
      this.skipTrivia();
      if (this.text[this.pos] === ",") this.pos++;
      else if (this.text[this.pos] !== "]") throw new JsoncError("expected ',' or ']'", this.pos);
    }
  }

  private string(): string {
    const start = this.pos;
    this.pos++;
    let out = "";
    while (this.pos < this.text.length) {
      const char = this.text[this.pos]!;
      if (char === '"') {
        this.pos++;
        return out;
      }
      if (char === "\n") break;
      if (char === "\\") {
        const next = this.text[this.pos + 1];
        const simple: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };
        if (next !== undefined && next in simple) {
          out += simple[next];
          this.pos += 2;
          continue;
        }
        if (next === "u" && /^[0-9a-fA-F]{4}$/.test(this.text.slice(this.pos + 2, this.pos + 6))) {
          out += String.fromCharCode(parseInt(this.text.slice(this.pos + 2, this.pos + 6), 16));
          this.pos += 6;
          continue;
        }
        throw new JsoncError("invalid escape in string", this.pos);
      }
      out += char;
      this.pos++;
    }
    throw new JsoncError("unterminated string", start);
  }
}

export function member(object: JsonValue | undefined, key: string): JsonValue | undefined {
  if (object?.type !== "object") return undefined;
  for (let i = object.entries.length - 1; i >= 0; i--) if (object.entries[i]!.key === key) return object.entries[i]!.value;
  return undefined;
}
