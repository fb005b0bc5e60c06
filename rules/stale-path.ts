import { defineCheck } from "../src/engine/check.js";
import { judgePath } from "../src/harness/resolve.js";
import type { Mention } from "../src/harness/types.js";
import type { NameEvidence } from "../src/engine/model.js";

type MessageId = "missingFile" | "missingDirectory" | "emptyGlob" | "missingImport" | "missingScript" | "notExecutable" | "otherCase";

export default defineCheck<MessageId>({
  id: "stale-path",
  description: "A rule names a file, directory or glob that does not exist",
  category: "staleness",
  defaultSeverity: "error",
  messages: {
    missingFile: "`{{path}}` does not exist{{evidence}}",
    missingDirectory: "directory `{{path}}` does not exist{{evidence}}",
    emptyGlob: "glob `{{path}}` matches no file{{evidence}}",
    missingImport: "imported file `{{path}}` does not exist{{evidence}}",
    missingScript: "hook runs `{{path}}`, which does not exist{{evidence}}",
    notExecutable: "hook runs `{{path}}` directly, but it is not executable",
    otherCase: "`{{path}}` exists as `{{actual}}`: found on macOS and Windows and by GitHub, not on Linux",
  },
  run(model, context) {
    const resolveContext = { codebase: model.codebase, packages: model.packages, ignored: model.ignoredPaths };
    let byLowerCase: Map<string, string> | undefined;
    for (const text of model.texts) {
      for (const mention of text.mentions) {
        if (mention.kind === "symbol") continue;
        const item = text.kind === "preamble" ? undefined : text.ref;
        if (judgePath(mention, text.file, resolveContext).status !== "missing") {
          // A hook that runs a script as a program fails at run time without the executable bit.
          if (mention.runDirectly && model.codebase.fileSet.has(mention.value) && !model.executables.has(mention.value)) {
            context.report({
              messageId: "notExecutable",
              data: { path: mention.value },
              file: text.file,
              span: mention.span,
              mention: mention.value,
              hint: `Run \`chmod +x ${mention.value}\` (and \`git add --chmod=+x\`), or call it through its interpreter.`,
              ...(item !== undefined ? { item } : {}),
            });
          }
          continue;
        }
        // In another letter case the path is there for some readers and not others: a warning.
        if (mention.kind === "path") {
          byLowerCase ??= lowerCasePaths(model.codebase.allFiles, model.codebase.dirSet);
          const verdict = judgePath(mention, text.file, resolveContext);
          const actual = verdict.status === "missing" ? verdict.tried.map((path) => byLowerCase!.get(path.replace(/\/+$/, "").toLowerCase())).find((found) => found !== undefined) : undefined;
          if (actual !== undefined) {
            context.report({
              messageId: "otherCase",
              data: { path: mention.value, actual },
              severity: "warn",
              file: text.file,
              span: mention.span,
              mention: mention.value,
              hint: `Write \`${actual}\` as the file system has it.`,
              ...(item !== undefined ? { item } : {}),
            });
            continue;
          }
        }
        // Stale means it was here: a path never tracked here is not stale. Without history, absence decides.
        const evidence = model.evidence?.of(text.file, mention);
        if (evidence === undefined && (model.evidence?.complete === true || mention.onlyWithEvidence === true)) continue;
        context.report({
          messageId: messageFor(mention),
          data: { path: mention.value, evidence: describePathEvidence(evidence) },
          ...(evidence !== undefined && evidence.when !== "change" ? { commit: evidence.commit } : {}),
          file: text.file,
          span: mention.span,
          mention: mention.value,
          hint: "Point the rule at the path as it is now, or remove the mention if the file is gone for good.",
          ...(item !== undefined ? { item } : {}),
        });
      }
    }
  },
});

function messageFor(mention: Mention): MessageId {
  if (mention.kind === "glob") return "emptyGlob";
  if (mention.source === "import") return "missingImport";
  if (mention.source === "hook") return "missingScript";
  return mention.value.endsWith("/") ? "missingDirectory" : "missingFile";
}

/** What the finding says it knows: when the path was tracked. */
function describePathEvidence(evidence: NameEvidence | undefined): string {
  if (evidence === undefined) return "";
  const commit = evidence.commit.slice(0, 7);
  if (evidence.when === "change") return ": this change removes it";
  if (evidence.when === "deleted") return `: it was tracked until ${commit} deleted ${evidence.where !== undefined && evidence.where !== "" ? `\`${evidence.where}\`` : "it"}`;
  // A folder or a glob: one file it held or matched then.
  const held = evidence.where !== undefined && evidence.where !== "" ? ` (\`${evidence.where}\`)` : "";
  if (evidence.when === "head") return `: it was tracked at HEAD (${commit})${held}, and the work tree no longer has it`;
  return `: it was tracked at ${commit}${held}, when this rule was written`;
}

/** Every file and folder by its lower-case path. */
function lowerCasePaths(files: readonly string[], dirs: ReadonlySet<string>): Map<string, string> {
  const map = new Map<string, string>();
  for (const path of [...files, ...dirs]) if (path !== "") map.set(path.toLowerCase(), path);
  return map;
}
