import { defineCheck } from "../src/engine/check.js";
import { formatInfo } from "../src/harness/formats.js";

export default defineCheck({
  id: "unscoped-rule",
  description: "A rule says nowhere which paths it governs",
  category: "scope",
  defaultSeverity: "warn",
  messages: {
    unscoped: 'rule "{{title}}" has no scope: say which paths it governs, or that it is global',
    ignoredField: 'rule "{{title}}" is not scoped: {{detail}}',
  },
  run(model, context) {
    // A per-file rule takes its scope from frontmatter; when that could not be read, invalid-file
    // already reports it, and "no scope" would only repeat the same problem.
    const unreadable = new Set(model.invalidFiles.map((f) => f.file));
    for (const rule of model.items) {
      if (unreadable.has(rule.file) && formatInfo(rule.format).unit === "file") continue;
      for (const problem of rule.scopeProblems) {
        if (problem.kind !== "ignored-field") continue;
        context.report({
          messageId: "ignoredField",
          data: { title: rule.title, detail: problem.detail },
          file: rule.file,
          span: problem.span,
          item: rule.ref,
          hint: problem.expected !== undefined ? `Use \`${problem.expected}\`.` : scopeHint(rule.format),
        });
      }
      // Any scope problem (ignored field, or a glob dead-scope reports) already explains this rule.
      if (rule.scope.kind !== "none" || rule.scopeProblems.length > 0) continue;
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
