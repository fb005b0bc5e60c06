import type { Finding, Suggestion } from "../harness/types.js";
import { TOOL_NAME } from "../shared/meta.js";
import { printable } from "../shared/printable.js";
import type { Formatter } from "./types.js";

// GitHub Actions workflow commands: each line becomes an annotation on the pull request diff.
// https://docs.github.com/actions/reference/workflow-commands-for-github-actions

/** Escaping for the message after `::`, as in @actions/core's `escapeData`. */
export function escapeData(text: string): string {
  // Controls other than line breaks would reach the job log raw (it renders ANSI colours).
  return printable(text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A"));
}

/** Property values also end at `,` and `::`, as in @actions/core's `escapeProperty`. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

/** A short parenthesised note; annotations are one message, so the suggestion rides along. */
function suggestionNote(suggestion: Suggestion): string {
  const { replacement, commit, candidates } = suggestion;
  const where = commit === undefined ? "" : ` in ${commit.slice(0, 7)}`;
  if (candidates !== undefined && candidates.length > 0) return ` (candidates: ${candidates.join(", ")})`;
  if (replacement !== undefined) {
    return commit === undefined ? ` (replace with ${replacement})` : ` (renamed to ${replacement}${where})`;
  }
  if (commit !== undefined) return ` (removed${where})`;
  return "";
}

function annotation(finding: Finding): string {
  const properties: Array<[string, string | number]> = [
    ["file", finding.file],
    ["line", finding.line],
    ["col", finding.column],
  ];
  if (finding.endLine !== undefined) properties.push(["endLine", finding.endLine]);
  if (finding.endColumn !== undefined) properties.push(["endColumn", finding.endColumn]);
  properties.push(["title", `${TOOL_NAME} (${finding.check})`]);

  let message = finding.message;
  if (finding.suggestion !== undefined) message += suggestionNote(finding.suggestion);
  if (finding.hint !== undefined) message += `\n${finding.hint}`;

  const command = finding.severity === "error" ? "error" : "warning";
  const props = properties.map(([key, value]) => `${key}=${escapeProperty(String(value))}`).join(",");
  return `::${command} ${props}::${escapeData(message)}`;
}

export const formatGithub: Formatter = (result) => result.findings.map((finding) => `${annotation(finding)}\n`).join("");
