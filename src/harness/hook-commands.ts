// Reads which script a hook command runs, without running anything: hook commands are data.

export interface ScriptReference {
  /** Repo-relative (for `$CLAUDE_PROJECT_DIR/x`) or as written. */
  path: string;
  /** The token as written in the command, to locate it in the file. */
  raw: string;
  /** Offset of `raw` in the command string. */
  offset: number;
  /** Run as a program (`./x.sh`), so it must be executable; not when an interpreter runs it. */
  runDirectly: boolean;
}

interface Token {
  text: string;
  raw: string;
  offset: number;
}

const INTERPRETERS = new Set(["node", "bash", "sh", "zsh", "dash", "python", "python3", "ruby", "perl", "deno", "bun", "tsx", "ts-node", "pwsh", "php", "Rscript", "osascript"]);
// Words that run the next word as the program.
const PREFIXES = new Set(["exec", "env", "time", "nice", "nohup", "command", "npx", "pnpx", "bunx", "uvx", "run", "uv", "poetry", "pipenv", "timeout"]);
const PROJECT_DIR = /^(?:"?\$\{?CLAUDE_PROJECT_DIR\}?"?|"\$\{?CLAUDE_PROJECT_DIR\}?")\/?/;

export function scriptsInCommand(command: string): ScriptReference[] {
  const scripts: ScriptReference[] = [];
  for (const segment of segments(command)) {
    const script = scriptOf(segment);
    if (script) scripts.push(script);
  }
  return scripts;
}

function scriptOf(tokens: Token[]): ScriptReference | null {
  let i = 0;
  while (i < tokens.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(tokens[i]!.text)) i++; // FOO=bar cmd
  let viaInterpreter = false;
  while (i < tokens.length) {
    const word = tokens[i]!.text;
    if (word === "-c" || word === "-e" || word === "--eval") return null; // inline code, not a script
    if (word === "run") viaInterpreter = true; // `uv run x.py`, `deno run x.ts`: interpreted
    if (PREFIXES.has(word) || (word.startsWith("-") && (viaInterpreter || i > 0))) {
      i++;
      continue;
    }
    if (INTERPRETERS.has(word) || /^python3?\.\d+$/.test(word)) {
      viaInterpreter = true;
      i++;
      continue;
    }
    break;
  }
  const token = tokens[i];
  if (!token) return null;
  const path = normalise(token.text);
  if (path === null) return null;
  if (/\s/.test(path)) return null;
  const looksLikeFile = path.includes("/") || /\.(sh|bash|zsh|py|js|mjs|cjs|ts|mts|rb|pl|ps1|php)$/.test(path);
  if (!looksLikeFile) return null;
  return { path, raw: token.raw, offset: token.offset, runDirectly: !viaInterpreter };
}

/** `$CLAUDE_PROJECT_DIR/.claude/hooks/x.sh` -> `.claude/hooks/x.sh`; other variables: unknown. */
function normalise(text: string): string | null {
  let path = text;
  const projectDir = PROJECT_DIR.exec(path);
  if (projectDir) path = path.slice(projectDir[0].length);
  path = path.replace(/^["']|["']$/g, "");
  if (path.includes("$") || path.startsWith("~") || path.includes("`") || path.startsWith("-")) return null;
  if (path.startsWith("/") && !projectDir) return null; // an absolute system path
  return path.replace(/^\.\//, "");
}

/** Splits on `&&`, `||`, `;`, `|` and newlines outside quotes, keeping each word's offset. */
function segments(command: string): Token[][] {
  const all: Token[][] = [];
  let current: Token[] = [];
  let word = "";
  let raw = "";
  let start = -1;
  let quote: string | null = null;
  const endWord = () => {
    if (start !== -1) current.push({ text: word, raw, offset: start });
    word = "";
    raw = "";
    start = -1;
  };
  for (let i = 0; i < command.length; i++) {
    const char = command[i]!;
    if (quote) {
      raw += char;
      if (char === quote) quote = null;
      else word += char;
      continue;
    }
    if (char === '"' || char === "'") {
      if (start === -1) start = i;
      quote = char;
      raw += char;
      continue;
    }
    if (char === " " || char === "\t") {
      endWord();
      continue;
    }
    if (char === ";" || char === "\n" || char === "|" || char === "&" || char === "(" || char === ")") {
      endWord();
      if (current.length > 0) all.push(current);
      current = [];
      continue;
    }
    if (start === -1) start = i;
    word += char;
    raw += char;
  }
  endWord();
  if (current.length > 0) all.push(current);
  return all;
}
