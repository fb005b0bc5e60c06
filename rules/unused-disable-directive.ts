import { defineCheck } from "../src/engine/check.js";

// Not a check of the harness but of the comments that silence checks: the engine applies inline
// directives after every other check ran, then hands this check the ones that turned nothing
// off, or that name no check. As ESLint's --report-unused-disable-directives: a stale
// suppression hides the next real finding on that line.

const messages = {
  unused: "`{{directive}}` suppresses no finding{{which}}: remove it",
  unknownCheck: "`{{directive}}` names {{unknown}}, which harness-lint does not have",
};

export default defineCheck({
  id: "unused-disable-directive",
  description: "An inline harness-lint-disable comment suppresses nothing, or names a check that does not exist",
  category: "parsing",
  defaultSeverity: "warn",
  messages,
  run() {
    // Everything happens in reviewDirectives, once the other checks' findings are known.
  },
  reviewDirectives(reviews, context) {
    for (const { file, directive, unknownChecks, unused } of reviews) {
      const written = `harness-lint-${directive.kind}${directive.checks ? ` ${directive.checks.join(" ")}` : ""}`;
      if (unknownChecks.length > 0) {
        context.report({
          messageId: "unknownCheck",
          data: { directive: written, unknown: unknownChecks.map((id) => `\`${id}\``).join(", ") },
          file,
          span: directive.span,
          hint: "Use a check id from `harness-lint --help` or docs/checks/ (e.g. stale-symbol, stale-path, uncited-rule).",
        });
      } else if (unused) {
        const which = directive.kind === "disable-next-line" ? " on the next line" : directive.kind === "disable-line" ? " on its line" : "";
        context.report({
          messageId: "unused",
          data: { directive: written, which },
          file,
          span: directive.span,
          hint: "The finding it silenced is gone; delete the comment so it does not hide the next one.",
        });
      }
    }
  },
});
