// Decides what a code span names, from its text alone: a path, a glob, a code identifier, or
// nothing worth checking. Context (examples, trees, headings) is applied by the caller.

/** Extensions that make a bare name a file name. Kept explicit: `UserService.validate` is not a file. */
export const FILE_EXTENSIONS = new Set(
  (
    "ts tsx mts cts js jsx mjs cjs json jsonc json5 md mdx mdc markdown txt rst adoc yml yaml toml ini cfg conf " +
    "env lock py pyi ipynb go mod sum rs java kt kts scala groovy gradle rb erb php cs fs vb swift m mm c h cc cpp cxx hpp hh " +
    "sh bash zsh fish ps1 bat cmd css scss sass less styl html htm vue svelte astro sql prisma graphql gql proto " +
    "xml xsd svg png jpg jpeg gif webp ico pdf csv tsv parquet dart ex exs erl hrl elm clj cljs edn lua r jl pl pm " +
    "tf tfvars hcl nix dockerfile properties plist zig nim sol wasm snap template tpl hbs ejs pug njk liquid " +
    "lockb patch diff log cjsx mdoc bicep cue rego jinja j2"
  ).split(" "),
);

/** Words that appear between dots in a bare extension (`.test.ts`, `.d.ts`) without being extensions. */
const EXTENSION_QUALIFIERS = new Set(["test", "spec", "d", "min", "stories", "story", "config", "module", "e2e", "unit", "int", "local", "server", "client", "generated", "gen"]);

/** Product names written like files or members; never code in the user's repository. */
const PRODUCT_NAMES = new Set(
  [
    "node.js",
    "next.js",
    "nuxt.js",
    "vue.js",
    "react.js",
    "express.js",
    "nest.js",
    "d3.js",
    "three.js",
    "chart.js",
    "ember.js",
    "backbone.js",
    "angular.js",
    "solid.js",
    "alpine.js",
    "socket.io",
    "deno.land",
    "bun.sh",
    "p5.js",
    "anime.js",
    "moment.js",
    "day.js",
    "ethers.js",
    "web3.js",
    "tailwind.css",
    "bootstrap.css",
    "asp.net",
    "vite.js",
    "immer.js",
    "zod.dev",
    "svelte.js",
    "lit.dev",
    "htmx.org",
    "pixi.js",
    "babylon.js",
    "phaser.js",
    "matter.js",
  ].map((name) => name.toLowerCase()),
);

export type Shape =
  | { kind: "path"; value: string; directory: boolean }
  | { kind: "glob"; value: string }
  | { kind: "symbol"; value: string; call: boolean }
  /** `.prompt()`: a member of whatever class the sentence named just before. */
  | { kind: "member"; value: string };

const IDENTIFIER_PART = "[A-Za-z_$][\\w$]*";
const MEMBER_CHAIN = new RegExp(`^#?${IDENTIFIER_PART}((\\.|::|#)#?${IDENTIFIER_PART})*$`);
const LEADING_MEMBER = new RegExp(`^\\.(${IDENTIFIER_PART})$`);

export function classifySpan(rawInput: string): Shape | null {
  const raw = rawInput.trim();
  if (raw === "" || raw.length > 300 || /\s/.test(raw)) return null;
  if (/^@[A-Za-z_$][\w$]*(\(\))?$/.test(raw)) return identifierShape(raw.slice(1)); // a decorator
  if (raw.startsWith("-") || raw.startsWith("$") || raw.startsWith("~") || raw.startsWith("@")) return null;
  if (raw.startsWith("//")) return null; // a Bazel label (`//libs/py:lib`) or a scheme-less URL
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) || /^(www\.|mailto:|data:)/i.test(raw)) return null;
  if (/^v?\d/.test(raw) || /^\^|^~|^>=?|^<=?/.test(raw)) return null;
  if (/[=;,'"`|&!^%]/.test(raw.replace(/\{[^}]*\}/g, "{}"))) return null;
  if (raw.includes("...") || raw.includes("<") || raw.includes(">")) return stripGenerics(raw);
  if (PRODUCT_NAMES.has(raw.toLowerCase())) return null;

  const withoutAnchor = raw.replace(/#[\w-]*$/, "").replace(/:\d+(:\d+)?$/, "");
  if (looksLikePath(withoutAnchor)) return pathShape(withoutAnchor);
  return identifierShape(raw);
}

function stripGenerics(raw: string): Shape | null {
  // `Array<string>` and `Result<T>` name a type; `<name>` and `...` are placeholders.
  const generic = /^([A-Za-z_$][\w$.]*)<[\w$.,[\]]*>(\[\])?$/.exec(raw);
  if (!generic || raw.includes("...")) return null;
  return identifierShape(generic[1]!);
}

/** Runtime objects whose members end like file extensions: `console.log`, `process.env`, `this.log`. */
const RUNTIME_OBJECTS = new Set(["console", "process", "window", "globalThis", "self", "this", "logger", "import.meta", "Deno", "Bun"]);
const MEMBER_LIKE_EXTENSIONS = new Set(["log", "env"]);

function looksLikePath(text: string): boolean {
  if (text.includes("/")) return !text.includes("::");
  const extension = lastExtension(text);
  if (extension === null || !FILE_EXTENSIONS.has(extension.toLowerCase())) return false;
  // `tea.Cmd` is a Go type, not a `.cmd` file: extensions are written in one case.
  if (extension !== extension.toLowerCase() && extension !== extension.toUpperCase()) return false;
  return !(MEMBER_LIKE_EXTENSIONS.has(extension) && RUNTIME_OBJECTS.has(text.slice(0, text.lastIndexOf("."))));
}

function lastExtension(text: string): string | null {
  const dot = text.lastIndexOf(".");
  if (dot <= 0 && !(dot === 0 && text.length > 1)) return null;
  return text.slice(dot + 1) || null;
}

/** `.js`, `.test.ts`, `.d.ts`: a kind of file, not a file. */
export function isBareExtension(text: string): boolean {
  if (!/^(\.[A-Za-z0-9]+)+$/.test(text)) return false;
  const segments = text.slice(1).split(".");
  const last = segments[segments.length - 1]!.toLowerCase();
  return FILE_EXTENSIONS.has(last) && segments.slice(0, -1).every((s) => EXTENSION_QUALIFIERS.has(s.toLowerCase()) || FILE_EXTENSIONS.has(s.toLowerCase()));
}

function pathShape(text: string): Shape | null {
  // `*.tf`, `**/*.test.ts`: a kind of file, as a bare extension is, whether or not the repo has one.
  if (isBareExtension(text) || /^(\*\*\/)?\*(\.[\w*-]+)+$/.test(text)) return null;
  if (/^[a-z]:[\\/]/i.test(text) || text.includes("\\")) return null;
  if (/\[[^\]]*\]|\{[^},]*\}|\(\w+\)/.test(text) && !/\{[^}]*,[^}]*\}/.test(text)) return null; // [id], {x}, (group): placeholders
  if (/(^|\/):\w/.test(text)) return null; // route parameters such as /users/:id
  if (/[*?[{]/.test(text)) return { kind: "glob", value: text };
  const directory = text.endsWith("/");
  const value = directory ? text.replace(/\/+$/, "") : text;
  if (value === "" || value === "." || value === "..") return null;
  return { kind: "path", value, directory };
}

function identifierShape(raw: string): Shape | null {
  let text = raw;
  let call = false;
  const callMatch = /^(.*?)\((?:[\w$.,:[\]{}]*)\)$/.exec(text);
  if (callMatch) {
    text = callMatch[1]!;
    call = true;
  }
  text = text
    .replace(/(\[\])+$/, "")
    .replace(/[?!]$/, "")
    .replace(/:$/, "");
  const member = LEADING_MEMBER.exec(text);
  // `.prompt()` and `.loadRows` continue a class; `.gitignore` and `.nvmrc` are dotfiles.
  if (member) return call || /[A-Z]/.test(member[1]!) ? { kind: "member", value: member[1]! } : null;
  if (!MEMBER_CHAIN.test(text)) return null;
  const dotted = /\.|::|#./.test(text);
  if (!call && !dotted && !isCodeShapedWord(text)) return null;
  if (call && !dotted && /^[a-z]+$/.test(text) && text.length <= 2) return null;
  return { kind: "symbol", value: text, call };
}

/** camelCase, PascalCase, snake_case, SCREAMING_CASE: the shapes people give code names. */
export function isCodeShapedWord(word: string): boolean {
  const bare = word.replace(/^#/, "");
  if (/^[a-z][a-z0-9]*$/.test(bare)) return false; // plain lower-case word: prose or a command
  if (/^[A-Z][A-Z0-9]*$/.test(bare)) return false; // TODO, API, JSON: acronyms
  if (/^[a-z][a-z0-9]*[A-Z]/.test(bare)) return true; // camelCase
  if (/^[A-Z][a-z0-9]+/.test(bare)) return true; // PascalCase, including a single capitalised word
  if (/^_*[a-zA-Z0-9]+(_[a-zA-Z0-9]+)+_*$/.test(bare) || /^__\w+__$/.test(bare)) return true; // snake, SCREAMING
  if (/^[A-Z]{2,}[a-z]/.test(bare)) return true; // HTTPServer, URLParser
  if (/^_[a-zA-Z]\w*$/.test(bare)) return true; // _private
  return false;
}

/** Splits a name into words (camel humps, `_`, `-`, `/`, `.`) for placeholder detection. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word.toLowerCase());
}

const PLACEHOLDER_WORDS = new Set([
  "foo",
  "bar",
  "baz",
  "qux",
  "quux",
  "example",
  "examples",
  "sample",
  "dummy",
  "placeholder",
  "xxx",
  "yyy",
  "lorem",
  "ipsum",
  "my",
  "your",
  "some",
  "something",
  "whatever",
  "anything",
  "hoge",
  "fuga",
]);

// Date and counter templates: `memory/YYYY-MM-DD.md`, `logs/XXXX.log`, `migrations/NNNN_name.sql`,
// and the stand-in folder of `path/to/file.ts`.
const TEMPLATE_TOKEN = /(?:^|[^A-Za-z])(?:YYYY|YY|MM|DD|HH|XXX+|NNN+)(?=[^A-Za-z]|$)|(?:^|\/)path\/to\//;

// Names built only from words about names: `ClassName`, `methodName`, `ClassName_methodName_variant`.
const META_WORDS = new Set([
  "class",
  "method",
  "function",
  "func",
  "fn",
  "name",
  "variant",
  "component",
  "module",
  "type",
  "field",
  "prop",
  "property",
  "value",
  "thing",
  "exported",
  "file",
  "package",
  "service",
  "hook",
  "event",
  "handler",
  "feature",
  "new",
]);

/** `fooBar`, `example-service`, `MyComponent`, `your_module`: names offered as examples. */
export function isPlaceholderName(name: string): boolean {
  if (TEMPLATE_TOKEN.test(name)) return true;
  const words = nameWords(name.slice(name.lastIndexOf("/") + 1));
  if (words.length >= 2 && words.includes("name") && words.every((word) => META_WORDS.has(word))) return true;
  // `PascalCase.tsx`, `kebab-case.ts`: the convention standing in for a name.
  // Also as a prefix: `PascalCaseService`, `camelCaseHandler` name the convention plus a suffix.
  if (/(^|[^A-Za-z])(PascalCase|camelCase|kebab-case|snake_case|SCREAMING_SNAKE_CASE)/.test(name)) return true;
  return nameWords(name).some((word) => PLACEHOLDER_WORDS.has(word));
}
