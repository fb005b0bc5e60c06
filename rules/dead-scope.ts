import picomatch from "picomatch";
import { defineCheck } from "../src/engine/check.js";
import { globSyntaxError } from "../src/model/scope.js";
import type { Codebase, ScopeGlob } from "../src/model/types.js";

export default defineCheck({
  id: "dead-scope",
  description: "A rule's scope glob matches no file in the codebase",
  category: "scope",
  defaultSeverity: "error",
  messages: {
    noMatch: "scope `{{glob}}` of rule \"{{title}}\" matches no file in the codebase",
    invalidGlob: "scope `{{glob}}` of rule \"{{title}}\" is not a valid glob: {{reason}}",
    invalidField: "rule \"{{title}}\" has a scope the agent cannot use: {{detail}}",
  },
  run(model, context) {
    for (const rule of model.items) {
      for (const problem of rule.scopeProblems) {
        if (problem.kind !== "invalid-glob") continue;
        context.report({ messageId: "invalidField", data: { title: rule.title, detail: problem.detail }, file: rule.file, span: problem.span, item: rule.ref });
      }
      if (rule.scope.kind !== "globs") continue;
      for (const glob of rule.scope.globs) {
        const reason = globSyntaxError(glob.pattern);
        if (reason !== null) {
          context.report({ messageId: "invalidGlob", data: { glob: glob.pattern, title: rule.title, reason }, file: rule.file, span: glob.span, item: rule.ref });
        } else if (!matchesCodebase(glob, model.codebase)) {
          context.report({
            messageId: "noMatch",
            data: { glob: glob.pattern, title: rule.title },
            file: rule.file,
            span: glob.span,
            item: rule.ref,
            hint: "Fix the glob to match the files the rule is about; the agent never loads a rule whose scope matches nothing.",
          });
        }
      }
    }
  },
});

/** Inline scopes in nested files may be written relative to the file's folder or to the root. */
function matchesCodebase(glob: ScopeGlob, codebase: Codebase): boolean {
  const pattern = glob.pattern.replace(/^\.\//, "").replace(/^\/+/, "").replace(/\/+$/, "");
  const candidates = glob.base === "" ? [pattern] : [pattern, `${glob.base}/${pattern}`];
  for (const candidate of candidates) {
    let matches: (path: string) => boolean;
    try {
      matches = picomatch(candidate, { dot: true, basename: !candidate.includes("/") });
    } catch {
      continue;
    }
    for (const file of codebase.codeFiles) if (matches(file)) return true;
    for (const dir of codebase.dirSet) if (dir !== "" && matches(dir)) return true;
  }
  return false;
}
