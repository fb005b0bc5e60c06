import picomatch from "picomatch";
import { defineCheck } from "../src/engine/check.js";
import { judgeSymbol } from "../src/model/resolve.js";

export default defineCheck({
  id: "stale-symbol",
  description: "A rule names a code identifier that no longer exists in the codebase",
  category: "staleness",
  defaultSeverity: "error",
  messages: {
    missing: "`{{name}}` no longer exists in the codebase",
    missingMember: "`{{name}}` no longer exists: `{{container}}` has no member `{{member}}`",
  },
  run(model, context) {
    const ignore = picomatch(model.config.symbols.ignore.length > 0 ? model.config.symbols.ignore : ["\0"], { dot: true });
    const symbolContext = { index: model.codeIndex, packages: model.packages, codebase: model.codebase, ignore };
    for (const text of model.texts) {
      for (const mention of text.mentions) {
        if (mention.kind !== "symbol") continue;
        const verdict = judgeSymbol(mention.value, symbolContext);
        if (verdict.status !== "missing") continue;
        const item = text.kind === "rule" ? text.ref : undefined;
        const [container, member] = (verdict.missing ?? "").split(".");
        const isMember = member !== undefined && verdict.missing !== mention.value.split(/\.|::|#/)[0];
        context.report({
          messageId: isMember ? "missingMember" : "missing",
          data: isMember ? { name: mention.value, container: container!, member } : { name: mention.value },
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
