import { isMap, isScalar, isSeq, parseDocument, type Node as YamlNode, type YAMLMap } from "yaml";
import { scriptsInCommand } from "./hook-commands.js";
import { JsoncError, member, parseJsonc, type JsonValue } from "./jsonc.js";
import { basename, LineIndex, pointSpan } from "../shared/text.js";
import type { Hook, HookFormat, InvalidFile, Mention } from "./types.js";

export interface ParsedHooks {
  hooks: Hook[];
  invalid?: InvalidFile;
}

/** Which hook format a path is, or null. `.husky/_/` is husky's own machinery, not the user's hooks. */
export function hookFormatOf(path: string, hooksPath: string | null = null): HookFormat | null {
  if (path === ".claude/settings.json" || path === ".claude/settings.local.json") return "claude-settings";
  if (path === "lefthook.yml" || path === "lefthook.yaml" || path === ".lefthook.yml") return "lefthook";
  if (path === ".pre-commit-config.yaml") return "pre-commit";
  // A hook file is named after its git hook: no dotfiles (`.husky/.gitignore`), no extensions (`README.md`).
  if (/^\.husky\/[a-z][a-z-]*$/.test(path)) return "git-hook";
  if (/^\.githooks\/[a-z][a-z-]*$/.test(path)) return "git-hook";
  if (hooksPath && path.startsWith(`${hooksPath}/`) && /^[a-z][a-z-]*$/.test(path.slice(hooksPath.length + 1))) return "git-hook";
  return null;
}

export function parseHookFile(path: string, format: HookFormat, text: string): ParsedHooks {
  switch (format) {
    case "claude-settings":
      return parseClaudeSettings(path, text);
    case "git-hook":
      return parseGitHook(path, text);
    case "lefthook":
      return parseLefthook(path, text);
    case "pre-commit":
      return parsePreCommitConfig(path, text);
  }
}

/** Claude Code: one hook per `hooks.<Event>[i]` entry, ref `<file>#<Event>` or `<file>#<Event>:<matcher>`. */
function parseClaudeSettings(path: string, text: string): ParsedHooks {
  const lines = new LineIndex(text);
  let root: JsonValue;
  try {
    root = parseJsonc(text);
  } catch (error) {
    const offset = error instanceof JsoncError ? error.offset : 0;
    const at = lines.position(offset);
    return { hooks: [], invalid: { file: path, message: `invalid JSON: ${(error as Error).message}`, span: { start: at, end: at } } };
  }
  const hooks: Hook[] = [];
  const events = member(root, "hooks");
  if (events?.type !== "object") return { hooks };
  const seen = new Map<string, number>();
  for (const { key: event, value: entries } of events.entries) {
    if (entries.type !== "array") continue;
    for (const entry of entries.items) {
      const matcherValue = member(entry, "matcher");
      const matcher = matcherValue?.type === "string" && matcherValue.value !== "" && matcherValue.value !== "*" ? String(matcherValue.value) : undefined;
      const base = matcher === undefined ? `${path}#${event}` : `${path}#${event}:${matcher}`;
      const count = seen.get(base) ?? 0;
      seen.set(base, count + 1);
      const commands: Array<{ command: string; start: number; end: number }> = [];
      const inner = member(entry, "hooks");
      if (inner?.type === "array") {
        for (const hook of inner.items) {
          const command = member(hook, "command");
          if (command?.type === "string") commands.push({ command: String(command.value), start: command.start, end: command.end });
        }
      }
      hooks.push({
        kind: "hook",
        ref: count === 0 ? base : `${base}[${count}]`,
        file: path,
        format: "claude-settings",
        title: matcher === undefined ? event : `${event} ${matcher}`,
        event,
        ...(matcher !== undefined ? { matcher } : {}),
        span: lines.span(entry.start, entry.start),
        text: text.slice(entry.start, entry.end),
        commands: commands.map((c) => c.command),
        mentions: commands.flatMap((c) => scriptMentions(c.command, text, c.start, c.end, lines)),
      });
    }
  }
  return { hooks };
}

/** A husky or `.githooks` file: the file is the hook; each line is a command. */
function parseGitHook(path: string, text: string): ParsedHooks {
  const lines = new LineIndex(text);
  const commands: string[] = [];
  const mentions: Mention[] = [];
  let offset = 0;
  for (const line of text.split("\n")) {
    const start = offset;
    offset += line.length + 1;
    const command = line.replace(/\r$/, "").trim();
    if (command === "" || command.startsWith("#")) continue;
    commands.push(command);
    mentions.push(...scriptMentions(command, text, start, start + line.length, lines));
  }
  const hook: Hook = { kind: "hook", ref: path, file: path, format: "git-hook", title: basename(path), event: basename(path), span: pointSpan(1), text, commands, mentions };
  return { hooks: [hook] };
}

/** lefthook: one hook per command (`<hook>.commands.<name>.run`), ref `<file>#<name>`. */
function parseLefthook(path: string, text: string): ParsedHooks {
  const parsed = readYaml(path, text);
  if ("invalid" in parsed) return { hooks: [], invalid: parsed.invalid };
  const { root, lines } = parsed;
  const hooks: Hook[] = [];
  const names = new Set<string>();
  for (const pair of root.items) {
    const gitHook = isScalar(pair.key) ? String(pair.key.value) : "";
    if (!isMap(pair.value)) continue;
    for (const group of ["commands", "scripts", "jobs"]) {
      const commands = pair.value.get(group, true) as YamlNode | undefined;
      const entries = isMap(commands)
        ? commands.items.map((item) => ({ key: item.key, value: item.value }))
        : isSeq(commands)
          ? commands.items.map((item, i) => ({ key: null, value: item, index: i }))
          : [];
      for (const [i, entry] of entries.entries()) {
        const value = entry.value as YamlNode | null;
        if (!isMap(value)) continue;
        const name = isScalar(entry.key) ? String(entry.key.value) : String((value.get("name") as string | undefined) ?? `${group}-${i}`);
        const run = value.get("run", true) as YamlNode | undefined;
        const command = isScalar(run) ? String(run.value) : "";
        const ref = names.has(name) ? `${path}#${gitHook}.${name}` : `${path}#${name}`;
        names.add(name);
        const range = value.range ?? [0, 0, 0];
        hooks.push({
          kind: "hook",
          ref,
          file: path,
          format: "lefthook",
          title: `${gitHook} ${name}`,
          event: gitHook,
          span: lines.span(range[0], range[0]),
          text: text.slice(range[0], range[1]),
          commands: command === "" ? [] : [command],
          mentions: command === "" || !isScalar(run) ? [] : scriptMentions(command, text, run.range![0], run.range![1], lines),
        });
      }
    }
  }
  return { hooks };
}

/** pre-commit framework: the `repo: local` hooks run this repository's own commands. */
function parsePreCommitConfig(path: string, text: string): ParsedHooks {
  const parsed = readYaml(path, text);
  if ("invalid" in parsed) return { hooks: [], invalid: parsed.invalid };
  const { root, lines } = parsed;
  const hooks: Hook[] = [];
  const repos = root.get("repos", true) as YamlNode | undefined;
  if (!isSeq(repos)) return { hooks };
  for (const repo of repos.items) {
    if (!isMap(repo) || repo.get("repo") !== "local") continue;
    const entries = repo.get("hooks", true) as YamlNode | undefined;
    if (!isSeq(entries)) continue;
    for (const entry of entries.items) {
      if (!isMap(entry)) continue;
      const id = String(entry.get("id") ?? "");
      if (id === "") continue;
      const node = entry.get("entry", true) as YamlNode | undefined;
      const command = isScalar(node) ? String(node.value) : "";
      const range = entry.range ?? [0, 0, 0];
      hooks.push({
        kind: "hook",
        ref: `${path}#${id}`,
        file: path,
        format: "pre-commit",
        title: id,
        span: lines.span(range[0], range[0]),
        text: text.slice(range[0], range[1]),
        commands: command === "" ? [] : [command],
        mentions: command === "" || !isScalar(node) ? [] : scriptMentions(command, text, node.range![0], node.range![1], lines),
      });
    }
  }
  return { hooks };
}

function readYaml(path: string, text: string): { root: YAMLMap; lines: LineIndex } | { invalid: InvalidFile } {
  const lines = new LineIndex(text);
  const document = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  const error = document.errors[0];
  if (error) {
    return { invalid: { file: path, message: `invalid YAML: ${error.message.split("\n")[0]}`, span: lines.span(error.pos[0], error.pos[1]) } };
  }
  if (!isMap(document.contents)) return { invalid: { file: path, message: "expected a mapping at the top level", span: pointSpan(1) } };
  return { root: document.contents, lines };
}

/** The scripts a command runs, located in the file (`start`..`end` is the command's source). */
function scriptMentions(command: string, text: string, start: number, end: number, lines: LineIndex): Mention[] {
  const source = text.slice(start, end);
  const mentions: Mention[] = [];
  let cursor = 0;
  for (const script of scriptsInCommand(command)) {
    let at = source.indexOf(script.raw, cursor);
    if (at === -1) at = source.indexOf(script.path, cursor);
    const offset = at === -1 ? start : start + at;
    const length = at === -1 ? 0 : source.indexOf(script.raw, cursor) === at ? script.raw.length : script.path.length;
    if (at !== -1) cursor = at + length;
    mentions.push({
      kind: "path",
      raw: script.raw,
      value: script.path,
      span: lines.span(offset, offset + length),
      source: "hook",
      bases: [],
      runDirectly: script.runDirectly,
    });
  }
  return mentions;
}
