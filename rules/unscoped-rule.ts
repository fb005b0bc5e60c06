import { defineCheck } from "../src/engine/check.js";

export default defineCheck({
  id: "unscoped-rule",
  description: "A rule says nowhere which paths it governs",
  category: "scope",
  defaultSeverity: "warn",
  messages: {
    unscoped: "rule \"{{title}}\" has no scope: say which paths it governs, or that it is global",
    ignoredField: "rule \"{{title}}\" has no scope the agent reads: {{detail}}; use `{{expected}}`",
  },
  run(model, context) {
    for (const rule of model.items) {
      const ignored = rule.scopeProblems.filter((p) => p.kind === "ignored-field");
      for (const problem of ignored) {
        context.report({
          messageId: "ignoredField",
          data: { title: rule.title, detail: problem.detail, expected: problem.expected ?? "a supported field" },
          file: rule.file,
          span: problem.span,
          item: rule.ref,
        });
      }
      if (rule.scope.kind !== "none" || ignored.length > 0) continue;
      context.report({
        messageId: "unscoped",
        data: { title: rule.title },
        file: rule.file,
        span: rule.span,
        item: rule.ref,
        hint: scopeHint(rule.format),
      });
    }
  },
});

function scopeHint(format: string): string {
  switch (format) {
    case "claude-rules":
    case "cline":
      return "Add `paths:` to the frontmatter, or `<!-- scope: global -->` if it governs everything.";
    case "cursor":
      return "Add `globs: src/**/*.ts` (comma-separated) or `alwaysApply: true` to the frontmatter.";
    case "copilot-instructions":
      return 'Add `applyTo: "src/**/*.ts"` to the frontmatter (`"**"` for everything).';
    case "windsurf":
      return "Set `trigger: glob` with `globs:`, or `trigger: always_on`.";
    case "kiro":
      return "Set `inclusion: fileMatch` with `fileMatchPattern:`, or `inclusion: always`.";
    case "continue":
      return "Add `globs:` or `alwaysApply: true` to the frontmatter.";
    default:
      return "Put `<!-- scope: src/billing/** -->` (or `<!-- scope: global -->`) on the line under the heading.";
  }
}
