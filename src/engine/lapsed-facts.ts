import { judgePath, judgeSymbol } from "../harness/resolve.js";
import { nearForm } from "../harness/mentions.js";
import type { Mention } from "../harness/types.js";
import { findLapses, lapsedFacts, type LapsedFacts, type LapseQuestion } from "../history/lapsed.js";
import { evidenceOptions, symbolContext } from "./evidence-facts.js";
import type { Model } from "./model.js";

// The engine's side of "Hedged mentions" (SPEC 5): which hedged mentions (examples, prohibitions,
// deprecations) and guarded claims ("never edit `src/gen/`") name something the codebase no longer
// has, and whether history shows it renamed; put on the model so the checks stay pure. Only with
// full history: a shallow clone, no git or no commit leaves hedged names quiet (no lapse is
// claimed from a history that is cut), and guarded claims are judged as any other claim.

export async function buildLapsed(model: Model, inGit: boolean): Promise<LapsedFacts> {
  if (!inGit || model.evidence?.complete !== true) return lapsedFacts();
  const questions = lapseQuestions(model);
  if (questions.length === 0) return lapsedFacts();
  const found = await findLapses(model.root, questions, { ...evidenceOptions(model), isHarnessPath: model.isHarnessPath });
  const symbols = symbolContext(model);
  // A searched index knows only the names it was asked about: ask it about the successors.
  const successors = questions.flatMap(({ file, mention }) => (mention.kind === "symbol" ? [found.of(file, mention)?.replacement ?? ""] : [])).filter((name) => name !== "");
  if (successors.length > 0 && model.codeIndex.settle) {
    await model.codeIndex.settle((index) => {
      for (const name of successors) judgeSymbol(name, { ...symbols, index });
    });
  }
  return {
    // A rule that names the new name beside the old one ("`AccountImporter` instead of
    // `UserImporter`") already knows of the rename: nothing lapsed.
    of: (file, mention) => {
      const lapse = found.of(file, mention);
      if (lapse === undefined || namesSuccessor(mention, lapse.replacement)) return undefined;
      // Renamed means it lives on under the new name: `A.b` whose `b` became `c` in some other
      // class is no rename of A's member unless A has `c` today.
      if (mention.kind === "symbol" && judgeSymbol(lapse.replacement, symbols).status !== "exists") return undefined;
      return lapse;
    },
  };
}

/**
 * Hedged mentions a check could report as lapsed (not former names: a rule that says "formerly
 * `X`" describes the rename), and guarded claims, that the codebase does not resolve now.
 */
export function lapseQuestions(model: Model): LapseQuestion[] {
  const symbols = symbolContext(model);
  const paths = { codebase: model.codebase, packages: model.packages, ignored: model.ignoredPaths };
  const questions: LapseQuestion[] = [];
  for (const text of model.texts) {
    const hedged = text.kind === "hook" ? [] : (text.hedged ?? []);
    for (const mention of [...hedged.filter((m) => m.hedge !== "former"), ...text.mentions.filter((m) => m.guard === true)]) {
      if (mention.kind === "symbol") {
        const verdict = judgeSymbol(mention.value, symbols);
        if (verdict.status === "missing") questions.push({ file: text.file, mention, ...(verdict.missing !== undefined ? { missing: verdict.missing } : {}) });
      } else {
        const verdict = judgePath(mention, text.file, paths);
        if (verdict.status === "missing") questions.push({ file: text.file, mention });
        // An example of a root path found now only in a package's folder: it may have moved there.
        else if (verdict.status === "exists" && verdict.fromPackage === true) questions.push({ file: text.file, mention, fromPackage: true });
      }
    }
  }
  return questions;
}

/** Whether the mention's sentence names the successor: its name, its head, or its path. */
function namesSuccessor(mention: Mention, replacement: string): boolean {
  const near = new Set(mention.near ?? []);
  const whole = nearForm(replacement);
  if (near.has(whole)) return true;
  if (mention.kind !== "symbol") return false;
  const head = whole.split(/\.|::|#/)[0] ?? "";
  return head !== "" && near.has(head);
}
