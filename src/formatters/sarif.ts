import { createHash } from "node:crypto";
import { pathToFileURL } from "node:url";
import type { Finding, TextEdit } from "../harness/types.js";
import { REPO_URL, TOOL_NAME, TOOL_VERSION, checkDocsUrl } from "../shared/meta.js";
import type { CheckInfo, Formatter } from "./types.js";

// SARIF 2.1.0 for code scanning (GitHub, Azure DevOps, IDE viewers).
// Spec: https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html

const SCHEMA_URL = "https://json.schemastore.org/sarif-2.1.0.json";
const SRCROOT = "%SRCROOT%";
/** Bump the suffix if the fingerprint recipe changes, so old and new alerts are not conflated. */
const FINGERPRINT_KEY = "harnessLint/v1";

type SarifLevel = "error" | "warning";

interface SarifMessage {
  text: string;
  markdown?: string;
}

interface SarifRegion {
  startLine: number;
  startColumn: number;
  endLine?: number;
  endColumn?: number;
}

interface SarifArtifactLocation {
  uri: string;
  uriBaseId: string;
}

interface SarifRule {
  id: string;
  name: string;
  shortDescription: SarifMessage;
  fullDescription: SarifMessage;
  helpUri: string;
  help: SarifMessage;
  defaultConfiguration: { level: SarifLevel };
}

interface SarifFix {
  description: SarifMessage;
  artifactChanges: Array<{
    artifactLocation: SarifArtifactLocation;
    replacements: Array<{ deletedRegion: SarifRegion; insertedContent: { text: string } }>;
  }>;
}

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: SarifLevel;
  message: SarifMessage;
  locations: Array<{ physicalLocation: { artifactLocation: SarifArtifactLocation; region: SarifRegion } }>;
  partialFingerprints: Record<string, string>;
  fixes?: SarifFix[];
  properties?: Record<string, unknown>;
  /** A finding an inline directive turned off: code scanning shows it as suppressed. */
  suppressions?: Array<{ kind: "inSource"; justification?: string }>;
}

export interface SarifLog {
  $schema: string;
  version: "2.1.0";
  runs: Array<{
    tool: { driver: { name: string; version: string; informationUri: string; rules: SarifRule[] } };
    originalUriBaseIds: Record<string, { uri: string }>;
    columnKind: "utf16CodeUnits";
    results: SarifResult[];
  }>;
}

function level(severity: "error" | "warn"): SarifLevel {
  return severity === "error" ? "error" : "warning";
}

/** `stale-symbol` -> `StaleSymbol`: SARIF wants a readable identifier as the rule name. */
function ruleName(checkId: string): string {
  return checkId
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join("");
}

function toRule(check: CheckInfo): SarifRule {
  const seeDocs = `See ${check.docsUrl}`;
  return {
    id: check.id,
    name: ruleName(check.id),
    shortDescription: { text: check.description },
    fullDescription: { text: check.description },
    helpUri: check.docsUrl,
    help: check.help === "" ? { text: `${check.description} ${seeDocs}`, markdown: `${check.description} [Documentation](${check.docsUrl})` } : { text: check.help, markdown: check.help },
    defaultConfiguration: { level: level(check.defaultSeverity) },
  };
}

/** Repo-relative path to a relative URI reference: each segment percent-encoded, `/` kept. */
function relativeUri(file: string): string {
  return file.split("/").map(encodeURIComponent).join("/");
}

function rootUri(root: string): string {
  const href = pathToFileURL(root).href;
  return href.endsWith("/") ? href : `${href}/`;
}

function region(start: { line: number; column: number }, endLine?: number, endColumn?: number): SarifRegion {
  const out: SarifRegion = { startLine: start.line, startColumn: start.column };
  if (endLine !== undefined) out.endLine = endLine;
  if (endColumn !== undefined) out.endColumn = endColumn;
  return out;
}

/**
 * What identifies a finding apart from where it is: the line is left out so that editing text
 * above a finding does not make code scanning close one alert and open another.
 */
function identity(finding: Finding): string[] {
  const parts = [finding.check, finding.file, finding.item ?? "", finding.mention ?? ""];
  if (finding.mention === undefined) parts.push(finding.message);
  return parts;
}

function sha256(parts: string[]): string {
  // NUL cannot occur in paths or messages, so joined parts cannot run into each other.
  return createHash("sha256").update(parts.join("\0")).digest("hex");
}

/**
 * Fingerprints for every finding, by index. Findings with the same identity (a name mentioned
 * twice in one rule) get the occurrence number added, counted in line order, so each alert
 * keeps a distinct fingerprint that still does not depend on the line itself.
 */
function fingerprints(findings: readonly Finding[]): string[] {
  const byIdentity = new Map<string, number[]>();
  findings.forEach((finding, index) => {
    const key = identity(finding).join("\0");
    const indexes = byIdentity.get(key);
    if (indexes === undefined) byIdentity.set(key, [index]);
    else indexes.push(index);
  });
  const out: string[] = new Array<string>(findings.length);
  for (const indexes of byIdentity.values()) {
    const ordered = [...indexes].sort((a, b) => {
      const fa = findings[a]!;
      const fb = findings[b]!;
      return fa.line - fb.line || fa.column - fb.column || a - b;
    });
    ordered.forEach((findingIndex, occurrence) => {
      const parts = identity(findings[findingIndex]!);
      if (occurrence > 0) parts.push(String(occurrence + 1));
      out[findingIndex] = sha256(parts);
    });
  }
  return out;
}

function toFix(fix: TextEdit, location: SarifArtifactLocation): SarifFix {
  const description = fix.text === "" ? "Delete the text" : `Replace with \`${fix.text}\``;
  return {
    description: { text: description },
    artifactChanges: [
      {
        artifactLocation: location,
        replacements: [
          {
            deletedRegion: region({ line: fix.line, column: fix.column }, fix.endLine, fix.endColumn),
            insertedContent: { text: fix.text },
          },
        ],
      },
    ],
  };
}

/** Data that has no SARIF field of its own; viewers ignore it, scripts can read it. */
function properties(finding: Finding): Record<string, unknown> | undefined {
  const bag: Record<string, unknown> = {};
  if (finding.item !== undefined) bag.item = finding.item;
  if (finding.mention !== undefined) bag.mention = finding.mention;
  if (finding.suggestion !== undefined) bag.suggestion = { ...finding.suggestion };
  if (finding.commit !== undefined) bag.commit = finding.commit;
  if (finding.hint !== undefined) bag.hint = finding.hint;
  return Object.keys(bag).length === 0 ? undefined : bag;
}

export const formatSarif: Formatter = (result, context) => {
  const rules = context.checks.map(toRule);
  const ruleIndexes = new Map(rules.map((rule, index) => [rule.id, index]));

  // A finding from a check the context does not list still needs a rule for ruleIndex to point at.
  const ruleIndexFor = (checkId: string, severity: "error" | "warn"): number => {
    const known = ruleIndexes.get(checkId);
    if (known !== undefined) return known;
    const docsUrl = checkDocsUrl(checkId);
    rules.push(toRule({ id: checkId, description: checkId, defaultSeverity: severity, docsUrl, help: "" }));
    ruleIndexes.set(checkId, rules.length - 1);
    return rules.length - 1;
  };

  const suppressed = result.suppressed ?? [];
  const all: Finding[] = [...result.findings, ...suppressed];
  const prints = fingerprints(all);
  const results = all.map((finding, index): SarifResult => {
    const artifactLocation: SarifArtifactLocation = { uri: relativeUri(finding.file), uriBaseId: SRCROOT };
    const out: SarifResult = {
      ruleId: finding.check,
      ruleIndex: ruleIndexFor(finding.check, finding.severity),
      level: level(finding.severity),
      message: { text: finding.message },
      locations: [
        {
          physicalLocation: {
            artifactLocation,
            region: region(finding, finding.endLine, finding.endColumn),
          },
        },
      ],
      partialFingerprints: { [FINGERPRINT_KEY]: prints[index]! },
    };
    if (finding.fix !== undefined) out.fixes = [toFix(finding.fix, { ...artifactLocation })];
    const bag = properties(finding);
    if (bag !== undefined) out.properties = bag;
    const suppression = index >= result.findings.length ? suppressed[index - result.findings.length]!.suppression : undefined;
    if (suppression !== undefined) out.suppressions = [{ ...suppression }];
    return out;
  });

  const log: SarifLog = {
    $schema: SCHEMA_URL,
    version: "2.1.0",
    runs: [
      {
        tool: { driver: { name: TOOL_NAME, version: TOOL_VERSION, informationUri: REPO_URL, rules } },
        originalUriBaseIds: { [SRCROOT]: { uri: rootUri(result.root) } },
        columnKind: "utf16CodeUnits",
        results,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
};
