import { defineCheck, lapseDetails, lapseMessageId } from "../src/engine/check.js";
import { judgeSymbol, type SymbolContext } from "../src/harness/resolve.js";
import type { Lapse, Model, NameEvidence } from "../src/engine/model.js";
import type { Mention } from "../src/harness/types.js";
import { pathMatcher } from "../src/codebase/glob.js";

export default defineCheck({
  id: "stale-symbol",
  description: "A rule names a code identifier that no longer exists in the codebase",
  category: "staleness",
  defaultSeverity: "error",
  messages: {
    missing: "`{{name}}` no longer exists in the codebase{{evidence}}",
    missingMember: "`{{name}}` no longer exists: `{{container}}` has no member `{{member}}`{{evidence}}",
    lapsedProhibition: "the rule forbids `{{name}}`, which is `{{replacement}}` since {{commit}}: the guard no longer covers the code",
    lapsedDeprecated: "the rule warns off `{{name}}`, which is `{{replacement}}` since {{commit}}: the warning no longer covers the code",
    lapsedExample: "the example `{{name}}` is `{{replacement}}` since {{commit}}: the rule shows a name the code no longer has",
    lapsedGuard: "the rule guards `{{name}}`, which is `{{replacement}}` since {{commit}}: the guard no longer covers the code",
  },
  run(model, context) {
    const symbols = symbolContext(model);
    for (const text of model.texts) {
      const item = text.kind === "preamble" ? undefined : text.ref;
      const reportLapse = (mention: Mention, lapse: Lapse) =>
        context.report({
          messageId: lapseMessageId(mention),
          data: { name: mention.value, replacement: lapse.replacement, commit: lapse.commit.slice(0, 7) },
          ...lapseDetails(lapse),
          file: text.file,
          span: mention.span,
          mention: mention.value,
          hint: `Name \`${lapse.replacement}\` in the rule, as the code does since the rename, or drop the mention.`,
          ...(item !== undefined ? { item } : {}),
        });
      // Hedged mentions (examples, prohibitions, deprecations) are no claim that the name exists:
      // reported only when history shows the name renamed (the engine's `model.lapsed`).
      for (const mention of text.kind === "hook" ? [] : (text.hedged ?? [])) {
        if (mention.kind !== "symbol" || mention.hedge === "former" || judgeSymbol(mention.value, symbols).status !== "missing") continue;
        const lapse = model.lapsed?.of(text.file, mention);
        if (lapse !== undefined) reportLapse(mention, lapse);
      }
      for (const mention of text.mentions) {
        if (mention.kind !== "symbol") continue;
        const verdict = judgeSymbol(mention.value, symbols);
        if (verdict.status !== "missing") continue;
        // "Never edit `X`": renamed, the guard covers nothing; otherwise X is judged as any claim.
        const lapse = mention.guard === true ? model.lapsed?.of(text.file, mention) : undefined;
        if (lapse !== undefined) {
          reportLapse(mention, lapse);
          continue;
        }
        // Stale means it was here: without evidence that it was, a missing name is not stale
        // (unknown-name may still ask about a typo). Without history, absence decides.
        const evidence = model.evidence?.of(text.file, mention);
        if (evidence === undefined && (model.evidence?.complete === true || mention.onlyWithEvidence === true)) continue;
        // `missing` is the head (`A` of `A.b`) when A is gone, or `A.b` when A lacks b.
        const [container, member] = (verdict.missing ?? mention.value).split(".");
        context.report({
          ...(member !== undefined
            ? { messageId: "missingMember", data: { name: mention.value, container: container!, member, evidence: describeEvidence(evidence) } }
            : { messageId: "missing", data: { name: mention.value, evidence: describeEvidence(evidence) } }),
          // The finding's commit is the one that made the rule stale where history names it.
          ...(evidence !== undefined && evidence.when !== "change" ? { commit: evidence.removedIn ?? evidence.commit } : {}),
          file: text.file,
          span: mention.span,
          mention: mention.value,
          hint: "Rename it in the rule to what the code calls it now, or remove the mention; run `harness-lint --drift` to see the commit that changed it.",
          ...(item !== undefined ? { item } : {}),
        });
      }
    }
  },
});

function symbolContext(model: Model): SymbolContext {
  const patterns = model.config.symbols.ignore;
  const ignore = patterns.length > 0 ? pathMatcher(patterns) : () => false;
  return { index: model.codeIndex, packages: model.packages, codebase: model.codebase, ignore };
}

/** What the finding says it knows: where and when the name was seen. */
function describeEvidence(evidence: NameEvidence | undefined): string {
  if (evidence === undefined) return "";
  const commit = evidence.commit.slice(0, 7);
  const where = evidence.where !== undefined ? ` in \`${evidence.where}\`` : "";
  if (evidence.when === "change") return ": this change removes it";
  if (evidence.when === "head") return `: it was${where} at HEAD (${commit}), and the work tree no longer has it`;
  const removed = evidence.removedIn !== undefined ? `; ${evidence.removedIn.slice(0, 7)} removed it` : "";
  if (evidence.when === "earlier") return `: it was${where} at ${commit}, before this rule was written${removed}`;
  return `: it was${where} at ${commit}, when this rule was written${removed}`;
}
