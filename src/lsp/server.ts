// `harness-lint lsp --stdio`: a Language Server over the long-lived project. Diagnostics are the
// CLI's findings for the open buffer (unsaved text included), converted to 0-based positions;
// the rest (hover, definition, references, completion, quick fixes) asks the same project.
import { relative, resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import {
  CodeActionKind,
  CompletionItemKind,
  createConnection,
  DiagnosticSeverity,
  DidChangeWatchedFilesNotification,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type CodeAction,
  type CompletionItem,
  type Connection,
  type Diagnostic,
  type Location,
  type TextEdit,
} from "vscode-languageserver/node";
import { TextDocument } from "vscode-languageserver-textdocument";
import type { Finding, NameExplanation, Project } from "../index.js";

/** Typing pauses this long before a buffer is linted again (initializationOptions.debounceMs). */
const DEBOUNCE_MS = 120;

/** A finding (1-based, endColumn exclusive) as a diagnostic (0-based, end exclusive, UTF-16). */
export function toDiagnostic(finding: Finding): Diagnostic {
  return {
    range: {
      start: { line: finding.line - 1, character: finding.column - 1 },
      end: { line: finding.endLine - 1, character: finding.endColumn - 1 },
    },
    severity: finding.severity === "error" ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    code: finding.check,
    source: "harness-lint",
    message: finding.message,
    data: finding,
  };
}

/** The inline code span (`...`) around a character of a line, if any. */
function spanAt(line: string, character: number): { text: string; start: number; end: number } | undefined {
  for (const match of line.matchAll(/`([^`\n]+)`/g)) {
    const start = match.index! + 1;
    const end = start + match[1]!.length;
    if (character >= start - 1 && character <= end) return { text: match[1]!, start, end };
  }
  return undefined;
}

function explanationMarkdown(e: NameExplanation): string | undefined {
  if (e.declared.length > 0) {
    return e.kind === "path" ? `\`${e.name}\` exists` : `\`${e.name}\` is declared at ${e.declared.map((d) => `\`${d.file}:${d.line}\``).join(", ")}`;
  }
  if (e.exists) return e.kind === "path" ? `\`${e.name}\` exists` : `\`${e.name}\` is in the code (no declaration found)`;
  const history = e.history;
  if (history === undefined) return `\`${e.name}\` is not in the codebase`;
  const when = `${history.commit.slice(0, 7)}, ${history.date} (${history.subject})`;
  if (history.status === "renamed") return `\`${e.name}\` was renamed to \`${history.replacement}\` in ${when}`;
  if (history.status === "ambiguous") return `\`${e.name}\` was replaced in ${when} by one of ${history.candidates!.map((c) => `\`${c}\``).join(", ")}`;
  return `\`${e.name}\` was removed in ${when}`;
}

function lineOf(doc: TextDocument, line: number): string {
  return doc.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } }).replace(/\r?\n$/, "");
}

export type OpenProject = (root: string) => Promise<Project>;

export function startLspServer(openProject: OpenProject, connection: Connection = createConnection(ProposedFeatures.all)): void {
  const documents = new TextDocuments(TextDocument);
  const timers = new Map<string, NodeJS.Timeout>();
  let project: Project | undefined;
  let root = process.cwd();
  let watchDynamic = false;
  let debounceMs = DEBOUNCE_MS;

  const rel = (uri: string) => relative(root, fileURLToPath(uri)).split(sep).join("/");
  const uriOf = (file: string) => pathToFileURL(resolve(root, file)).href;
  const inRoot = (uri: string) => uri.startsWith("file:") && !rel(uri).startsWith("../");
  const isHarness = (uri: string) => inRoot(uri) && project?.isHarnessFile(rel(uri));

  async function validate(doc: TextDocument): Promise<void> {
    if (!project || !isHarness(doc.uri)) return;
    const version = doc.version;
    try {
      const findings = await project.lintFile(rel(doc.uri), doc.getText());
      // A newer edit is on its way: its own lint will publish.
      if (documents.get(doc.uri)?.version !== version) return;
      await connection.sendDiagnostics({ uri: doc.uri, version, diagnostics: findings.map(toDiagnostic) });
    } catch (error) {
      connection.console.error(`harness-lint: ${String((error as Error)?.message ?? error)}`);
    }
  }
  function schedule(doc: TextDocument, delay = debounceMs): void {
    clearTimeout(timers.get(doc.uri));
    timers.set(
      doc.uri,
      setTimeout(() => {
        timers.delete(doc.uri);
        void validate(doc);
      }, delay),
    );
  }
  async function changedOnDisk(paths: string[]): Promise<void> {
    if (!project || paths.length === 0) return;
    try {
      await project.update(paths);
    } catch (error) {
      connection.console.error(`harness-lint: ${String((error as Error)?.message ?? error)}`);
    }
    for (const doc of documents.all()) schedule(doc, 0);
  }

  connection.onInitialize(async (params) => {
    const folder = params.workspaceFolders?.[0]?.uri ?? params.rootUri;
    root = folder ? fileURLToPath(folder) : (params.rootPath ?? process.cwd());
    project = await openProject(root);
    root = project.root;
    watchDynamic = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    const asked = (params.initializationOptions as { debounceMs?: unknown } | undefined)?.debounceMs;
    if (typeof asked === "number" && Number.isFinite(asked) && asked >= 0) debounceMs = asked;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        hoverProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        completionProvider: { triggerCharacters: ["`", "/", "#", "."] },
      },
      serverInfo: { name: "harness-lint" },
    };
  });
  connection.onInitialized(() => {
    // Code files renamed, added or deleted on disk (a refactor, a checkout) change what is stale.
    if (watchDynamic) void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: "**/*" }] });
  });
  connection.onShutdown(async () => {
    for (const timer of timers.values()) clearTimeout(timer);
    await project?.close();
  });

  // An opened buffer is linted at once; typing in it waits for a pause.
  const opened = new Set<string>();
  documents.onDidChangeContent((event) => {
    const first = !opened.has(event.document.uri);
    opened.add(event.document.uri);
    schedule(event.document, first ? 0 : debounceMs);
  });
  documents.onDidClose((event) => {
    opened.delete(event.document.uri);
    clearTimeout(timers.get(event.document.uri));
    if (isHarness(event.document.uri)) void connection.sendDiagnostics({ uri: event.document.uri, diagnostics: [] });
  });
  documents.onDidSave((event) => {
    if (inRoot(event.document.uri)) void changedOnDisk([rel(event.document.uri)]);
  });
  connection.onDidChangeWatchedFiles((params) => void changedOnDisk(params.changes.filter((change) => inRoot(change.uri)).map((change) => rel(change.uri))));

  connection.onHover(async ({ textDocument, position }) => {
    const doc = documents.get(textDocument.uri);
    if (!doc || !project || !isHarness(doc.uri)) return null;
    const line = lineOf(doc, position.line);
    if (/^#{1,6}\s/.test(line)) {
      const item = project.itemAt(rel(doc.uri), position.line + 1);
      if (!item) return null;
      const scope = item.scope === null ? "none (applies everywhere)" : item.scope === "global" ? "global" : item.scope.map((s) => `\`${s}\``).join(", ");
      const first = item.matches
        .slice(0, 5)
        .map((m) => `\`${m}\``)
        .join(", ");
      const value = [
        `**${item.ref}**`,
        "",
        `scope: ${scope}`,
        "",
        `matches: ${item.matches.length} file(s)${first ? ` — ${first}${item.matches.length > 5 ? ", …" : ""}` : ""}`,
        "",
        `cited by: ${item.citedBy.length > 0 ? item.citedBy.join(", ") : "no post-mortem"}`,
      ].join("\n");
      return { contents: { kind: "markdown", value } };
    }
    const span = spanAt(line, position.character);
    if (!span) return null;
    const value = explanationMarkdown(await project.explainName(span.text));
    if (value === undefined) return null;
    return {
      contents: { kind: "markdown", value },
      range: { start: { line: position.line, character: span.start }, end: { line: position.line, character: span.end } },
    };
  });

  connection.onDefinition(async ({ textDocument, position }) => {
    const doc = documents.get(textDocument.uri);
    if (!doc || !project || !isHarness(doc.uri)) return null;
    const span = spanAt(lineOf(doc, position.line), position.character);
    if (!span) return null;
    const explained = await project.explainName(span.text);
    return explained.declared.map((site): Location => {
      const at = { line: site.line - 1, character: 0 };
      return { uri: uriOf(site.file), range: { start: at, end: at } };
    });
  });

  // From a code declaration to the rules that name it: which rules a refactor touches.
  connection.onReferences(async ({ textDocument, position }) => {
    const doc = documents.get(textDocument.uri);
    if (!doc || !project) return [];
    const line = lineOf(doc, position.line);
    const word = [...line.matchAll(/[A-Za-z_$][\w$]*/g)].find((m) => position.character >= m.index! && position.character <= m.index! + m[0].length)?.[0];
    // In a harness file, the mention under the cursor; in code, the word, or with none the file's path.
    const name = isHarness(doc.uri) ? spanAt(line, position.character)?.text : (word ?? (inRoot(doc.uri) ? rel(doc.uri) : undefined));
    const names = name === undefined ? [] : [name];
    const sites = names.flatMap((name) => project!.mentionsOf(name));
    const seen = new Set<string>();
    return sites
      .filter((site) => {
        const key = `${site.file}:${site.line}:${site.column}`;
        return !seen.has(key) && seen.add(key) !== undefined;
      })
      .map(
        (site): Location => ({
          uri: uriOf(site.file),
          range: { start: { line: site.line - 1, character: site.column - 1 }, end: { line: site.endLine - 1, character: site.endColumn - 1 } },
        }),
      );
  });

  connection.onCodeAction(async ({ textDocument, context }) => {
    const doc = documents.get(textDocument.uri);
    if (!doc || !project) return [];
    const uri = textDocument.uri;
    const actions: CodeAction[] = [];
    for (const diagnostic of context.diagnostics) {
      if (diagnostic.source !== "harness-lint") continue;
      const check = String(diagnostic.code);
      const written = doc.getText(diagnostic.range);
      const finding = diagnostic.data as Partial<Finding> | undefined;
      const mention = finding?.mention ?? /`([^`]+)`/.exec(written)?.[1] ?? written;
      const fix = (title: string, edits: TextEdit[], preferred = false): CodeAction => ({
        title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        ...(preferred ? { isPreferred: true } : {}),
        edit: { changes: { [uri]: edits } },
      });
      if ((check === "stale-symbol" || check === "stale-path") && written.includes(mention)) {
        const history = (await project.explainName(mention)).history;
        if (history?.status === "renamed" && history.replacement !== undefined) {
          actions.push(
            fix(
              `Replace \`${mention}\` with \`${history.replacement}\` (renamed in ${history.commit.slice(0, 7)})`,
              [{ range: diagnostic.range, newText: written.replace(mention, history.replacement) }],
              true,
            ),
          );
        }
        for (const candidate of history?.status === "ambiguous" ? (history.candidates ?? []) : []) {
          actions.push(fix(`Did you mean \`${candidate}\`? (replaced in ${history!.commit.slice(0, 7)})`, [{ range: diagnostic.range, newText: written.replace(mention, candidate) }]));
        }
      }
      if (check === "unscoped-rule") {
        const at = { line: diagnostic.range.start.line + 1, character: 0 };
        const guess = scopeGuess(doc, diagnostic.range.start.line);
        if (guess !== undefined) actions.push(fix(`Add an inline scope comment (${guess})`, [{ range: { start: at, end: at }, newText: `<!-- scope: ${guess} -->\n` }]));
        actions.push(fix("Add an inline scope comment: global", [{ range: { start: at, end: at }, newText: "<!-- scope: global -->\n" }]));
      }
      if (check === "uncited-rule" && finding?.item !== undefined) {
        for (const pm of project.postmortems().slice(0, 3)) {
          const edit = await addToChanges(pm.path, finding.item);
          if (edit)
            actions.push({ title: `Add ${finding.item} to the changes of ${pm.path}`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit: { changes: { [uriOf(pm.path)]: [edit] } } });
        }
      }
      const at = { line: diagnostic.range.start.line, character: 0 };
      actions.push(fix(`Disable ${check} for the next line`, [{ range: { start: at, end: at }, newText: `<!-- harness-lint-disable-next-line ${check} -- reason -->\n` }]));
    }
    return actions;
  });

  /** Where `- <ref>` goes in a post-mortem's `changes:` list (its open buffer, else the file). */
  async function addToChanges(path: string, ref: string): Promise<TextEdit | undefined> {
    const open = documents.get(uriOf(path));
    let text: string;
    if (open) text = open.getText();
    else {
      const { readFile } = await import("node:fs/promises");
      text = await readFile(resolve(root, path), "utf8").catch(() => "");
    }
    const lines = text.split(/\r?\n/);
    if (lines[0] !== "---") return undefined;
    const close = lines.indexOf("---", 1);
    if (close === -1) return undefined;
    const key = lines.findIndex((line, index) => index > 0 && index < close && /^changes:\s*(\[\s*\])?\s*$/.test(line));
    if (key === -1) return { range: { start: { line: close, character: 0 }, end: { line: close, character: 0 } }, newText: `changes:\n  - ${ref}\n` };
    if (/\[\s*\]/.test(lines[key]!)) return { range: { start: { line: key, character: 0 }, end: { line: key, character: lines[key]!.length } }, newText: `changes:\n  - ${ref}` };
    let last = key;
    while (last + 1 < close && /^\s+-\s/.test(lines[last + 1]!)) last++;
    const indent = /^(\s+)-/.exec(lines[last]!)?.[1] ?? "  ";
    return { range: { start: { line: last + 1, character: 0 }, end: { line: last + 1, character: 0 } }, newText: `${indent}- ${ref}\n` };
  }

  connection.onCompletion(async ({ textDocument, position }): Promise<CompletionItem[]> => {
    const doc = documents.get(textDocument.uri);
    if (!doc || !project || !isHarness(doc.uri)) return [];
    const before = doc.getText({ start: { line: position.line, character: 0 }, end: position });
    const replace = (prefix: string) => ({ start: { line: position.line, character: position.character - prefix.length }, end: position });
    // Inside a post-mortem's frontmatter `changes:` list.
    const head = doc.getText({ start: { line: 0, character: 0 }, end: position }).split(/\r?\n/);
    const entry = /^\s*-\s*(\S*)$/.exec(before);
    if (head[0] === "---" && !head.slice(1, -1).includes("---") && entry) {
      const key = head
        .slice(0, -1)
        .reverse()
        .find((line) => /^\S/.test(line));
      if (key !== undefined && /^changes:\s*$/.test(key)) {
        return (await project.complete("ref", entry[1]!)).map((c) => ({ label: c.label, kind: CompletionItemKind.Reference, textEdit: { range: replace(entry[1]!), newText: c.label } }));
      }
    }
    // Inside backticks: an odd number of them before the cursor on this line.
    if ((before.match(/`/g)?.length ?? 0) % 2 === 1) {
      const prefix = before.slice(before.lastIndexOf("`") + 1);
      return (await project.complete("mention", prefix)).map((c) => ({
        label: c.label,
        ...(c.detail !== undefined ? { detail: c.detail } : {}),
        kind: c.kind === "path" ? CompletionItemKind.File : CompletionItemKind.Reference,
        textEdit: { range: replace(prefix), newText: c.label },
      }));
    }
    return [];
  });

  documents.listen(connection);
  connection.listen();
}

/** A scope for a rule from the paths its section names: their common top folder, if one. */
function scopeGuess(doc: TextDocument, headingLine: number): string | undefined {
  const lines = doc.getText().split(/\r?\n/);
  const folders = new Set<string>();
  for (let index = headingLine + 1; index < lines.length && !/^#{1,6}\s/.test(lines[index]!); index++) {
    for (const match of lines[index]!.matchAll(/`\.?\/?([\w.-]+)\/[^`\s]*`/g)) folders.add(match[1]!);
  }
  return folders.size === 1 ? `${[...folders][0]}/**` : undefined;
}
