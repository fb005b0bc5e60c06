import { defineCheck } from "../src/engine/check.js";
import { judgePath } from "../src/model/resolve.js";

export default defineCheck({
  id: "stale-path",
  description: "A rule names a file, directory or glob that does not exist",
  category: "staleness",
  defaultSeverity: "error",
  messages: {
    missingFile: "`{{path}}` does not exist",
    missingDirectory: "directory `{{path}}` does not exist",
    emptyGlob: "glob `{{path}}` matches no file",
    missingImport: "imported file `{{path}}` does not exist",
  },
  run(model, context) {
    const resolveContext = { codebase: model.codebase, packages: model.packages, ignored: model.ignoredPaths };
    for (const text of model.texts) {
      for (const mention of text.mentions) {
        if (mention.kind === "symbol") continue;
        const verdict = judgePath(mention, text.file, resolveContext);
        if (verdict.status !== "missing") continue;
        const item = text.kind === "rule" ? text.ref : undefined;
        const messageId =
          mention.kind === "glob"
            ? "emptyGlob"
            : mention.source === "import"
              ? "missingImport"
              : mention.value.endsWith("/")
                ? "missingDirectory"
                : "missingFile";
        context.report({
          messageId,
          data: { path: mention.value },
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
