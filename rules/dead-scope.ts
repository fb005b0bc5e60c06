import { defineCheck } from "../src/engine/check.js";
import { globSyntaxError, scopeGlobMatcher } from "../src/harness/scope.js";
import type { Codebase, Rule, ScopeGlob, Span } from "../src/harness/types.js";

export default defineCheck({
  id: "dead-scope",
  description: "A rule's scope glob matches no file in the codebase",
  category: "scope",
  defaultSeverity: "error",
  messages: {
    noMatch: 'scope `{{glob}}` of rule "{{title}}" matches no file in the codebase',
    noMatchBesideOthers: 'scope `{{glob}}` of rule "{{title}}" matches no file in the codebase (the rule still loads through its other globs)',
    invalidGlob: 'scope `{{glob}}` of rule "{{title}}" is not a valid glob: {{reason}}',
    invalidField: 'rule "{{title}}" has a scope the agent cannot use: {{detail}}',
  },
  run(model, context) {
    const codeDirs = directoriesOf(model.codebase.codeFiles);
    // A file-level scope comment is shared by every section of the file: report each glob once.
    const reported = new Set<string>();
    const once = (rule: Rule, span: Span, what: string): boolean => {
      const key = `${rule.file}:${span.start.line}:${span.start.column}:${what}`;
      if (reported.has(key)) return false;
      reported.add(key);
      return true;
    };
    for (const rule of model.items) {
      for (const problem of rule.scopeProblems) {
        if (problem.kind !== "invalid-glob" || !once(rule, problem.span, problem.detail)) continue;
        context.report({
          messageId: "invalidField",
          data: { title: rule.title, detail: problem.detail },
          file: rule.file,
          span: problem.span,
          item: rule.ref,
          ...(problem.uncertain === true ? { severity: "warn" as const } : {}),
          ...(problem.expected !== undefined ? { hint: `Write it as \`${problem.expected}\`.` } : {}),
        });
      }
      if (rule.scope.kind !== "globs") continue;
      const alive = rule.scope.globs.filter((glob) => globSyntaxError(glob.pattern) === null && matchesCodebase(glob, model.codebase, codeDirs));
      for (const glob of rule.scope.globs) {
        if (!once(rule, glob.span, glob.pattern)) continue;
        const reason = globSyntaxError(glob.pattern);
        if (reason !== null) {
          context.report({
            messageId: "invalidGlob",
            data: { glob: glob.pattern, title: rule.title, reason },
            file: rule.file,
            span: glob.span,
            item: rule.ref,
            mention: glob.pattern,
          });
        } else if (!alive.includes(glob)) {
          // The rule still loads through its other globs: not dead. A glob that only swaps the
          // extension of a live one (`*.js` beside `*.ts`) lists the languages the rule is
          // for, files that may come; any other is a warning that one pattern matches nothing.
          if (alive.length > 0 && alive.some((other) => sameButExtension(other.pattern, glob.pattern))) continue;
          context.report({
            ...(alive.length > 0 ? { severity: "warn" as const } : {}),
            messageId: alive.length > 0 ? "noMatchBesideOthers" : "noMatch",
            data: { glob: glob.pattern, title: rule.title },
            file: rule.file,
            span: glob.span,
            item: rule.ref,
            mention: glob.pattern,
            hint: "Fix the glob to match the files the rule is about; the agent never loads a rule whose scope matches nothing.",
          });
        }
      }
    }
  },
});

// `trigger/**/x.ts` and `trigger/**/x.jsx` (with wildcards): the same pattern for another file extension.
function sameButExtension(a: string, b: string): boolean {
  const stem = (pattern: string) => pattern.replace(/\.[A-Za-z0-9]+$/, "");
  return a !== b && /\.[A-Za-z0-9]+$/.test(a) && /\.[A-Za-z0-9]+$/.test(b) && stem(a) === stem(b);
}

/** A glob is alive when it matches a codebase file or a directory holding one. */
function matchesCodebase(glob: ScopeGlob, codebase: Codebase, codeDirs: Set<string>): boolean {
  const matches = scopeGlobMatcher(glob);
  for (const file of codebase.codeFiles) if (matches(file)) return true;
  for (const dir of codeDirs) if (matches(dir)) return true;
  return false;
}

/** Folders that hold codebase files: a folder of nothing but harness files or post-mortems governs no code. */
function directoriesOf(files: string[]): Set<string> {
  const dirs = new Set<string>();
  for (const file of files) {
    for (let i = file.lastIndexOf("/"); i > 0; i = file.lastIndexOf("/", i - 1)) {
      const dir = file.slice(0, i);
      if (dirs.has(dir)) break;
      dirs.add(dir);
    }
  }
  return dirs;
}
