import { defineCheck, lapseDetails, lapseMessageId, type LapseMessageId } from "../src/engine/check.js";
import { judgePath } from "../src/harness/resolve.js";
import type { Mention } from "../src/harness/types.js";
import type { Lapse, NameEvidence } from "../src/engine/model.js";

type MessageId = "missingFile" | "missingDirectory" | "emptyGlob" | "missingImport" | "missingScript" | "notExecutable" | "otherCase" | "movedIntoPackage" | LapseMessageId;

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
    movedIntoPackage:
      "`{{path}}` is no longer where this rule was written for: it was tracked at that path at {{commit}}, when this rule was written{{moved}}, and only a package's folder has a path ending the same way now",
    otherCase: "`{{path}}` exists as `{{actual}}`: found on macOS and Windows and by GitHub, not on Linux",
    lapsedProhibition: "the rule forbids `{{path}}`, which is `{{replacement}}` since {{commit}}: the guard no longer covers the code",
    lapsedDeprecated: "the rule warns off `{{path}}`, which is `{{replacement}}` since {{commit}}: the warning no longer covers the code",
    lapsedExample: "the example `{{path}}` is `{{replacement}}` since {{commit}}: the rule shows a path the code no longer has",
    lapsedGuard: "the rule guards `{{path}}`, which is `{{replacement}}` since {{commit}}: the guard no longer covers the code",
  },
  run(model, context) {
    const resolveContext = { codebase: model.codebase, packages: model.packages, ignored: model.ignoredPaths };
    let byLowerCase: Map<string, string> | undefined;
    for (const text of model.texts) {
      const textItem = text.kind === "preamble" ? undefined : text.ref;
      const reportLapse = (mention: Mention, lapse: Lapse) =>
        context.report({
          messageId: lapseMessageId(mention),
          data: { path: mention.value, replacement: lapse.replacement, commit: lapse.commit.slice(0, 7) },
          ...lapseDetails(lapse),
          file: text.file,
          span: mention.span,
          mention: mention.value,
          hint: `Point the rule at \`${lapse.replacement}\`, where git moved it, or drop the mention.`,
          ...(textItem !== undefined ? { item: textItem } : {}),
        });
      // Hedged mentions (examples, prohibitions, deprecations) are no claim that the path exists:
      // reported only when history shows it moved (the engine's `model.lapsed`).
      for (const mention of text.kind === "hook" ? [] : (text.hedged ?? [])) {
        if (mention.kind === "symbol" || mention.hedge === "former") continue;
        const verdict = judgePath(mention, text.file, resolveContext);
        // Missing, or found only in a package's folder (it may have moved there: history decides).
        if (verdict.status !== "missing" && !(verdict.status === "exists" && verdict.fromPackage === true)) continue;
        const lapse = model.lapsed?.of(text.file, mention);
        if (lapse !== undefined) reportLapse(mention, lapse);
      }
      for (const mention of text.mentions) {
        if (mention.kind === "symbol") continue;
        const item = textItem;
        const verdict = judgePath(mention, text.file, resolveContext);
        if (verdict.status === "exists" && verdict.fromPackage === true) {
          // Read as written from some package's folder, it exists; but when the rule was written
          // the path was there as written, from the root: it moved, and the rule did not follow.
          const evidence = model.evidence?.of(text.file, mention);
          if (evidence?.when === "rule") {
            context.report({
              messageId: "movedIntoPackage",
              data: {
                path: mention.value,
                commit: evidence.commit.slice(0, 7),
                moved: evidence.removedIn !== undefined ? `; ${evidence.removedIn.slice(0, 7)} moved it ${evidence.movedTo !== undefined ? `to \`${evidence.movedTo}\`` : "away"}` : "",
              },
              commit: evidence.removedIn ?? evidence.commit,
              file: text.file,
              span: mention.span,
              mention: mention.value,
              hint: "Write the path from the repository root as it is now.",
              ...(item !== undefined ? { item } : {}),
            });
          }
          continue;
        }
        if (verdict.status !== "missing") {
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
        // "Never edit `src/gen/`": moved, the guard covers nothing; otherwise judged as any claim.
        const lapse = mention.guard === true ? model.lapsed?.of(text.file, mention) : undefined;
        if (lapse !== undefined) {
          reportLapse(mention, lapse);
          continue;
        }
        // Stale means it was here: a path never tracked here is not stale. Without history, absence decides.
        const evidence = model.evidence?.of(text.file, mention);
        if (evidence === undefined && (model.evidence?.complete === true || mention.onlyWithEvidence === true)) continue;
        context.report({
          messageId: messageFor(mention),
          data: { path: mention.value, evidence: describePathEvidence(evidence) },
          ...(evidence !== undefined && evidence.when !== "change" ? { commit: evidence.removedIn ?? evidence.commit } : {}),
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
  const removed =
    evidence.removedIn === undefined
      ? ""
      : evidence.movedTo !== undefined
        ? `; ${evidence.removedIn.slice(0, 7)} moved it to \`${evidence.movedTo}\``
        : `; ${evidence.removedIn.slice(0, 7)} deleted it`;
  return `: it was tracked at ${commit}${held}, when this rule was written${removed}`;
}

/** Every file and folder by its lower-case path. */
function lowerCasePaths(files: readonly string[], dirs: ReadonlySet<string>): Map<string, string> {
  const map = new Map<string, string>();
  for (const path of [...files, ...dirs]) if (path !== "") map.set(path.toLowerCase(), path);
  return map;
}
