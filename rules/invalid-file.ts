import { defineCheck } from "../src/engine/check.js";

export default defineCheck({
  id: "invalid-file",
  description: "A harness file, post-mortem or settings file cannot be parsed",
  category: "parsing",
  defaultSeverity: "error",
  messages: {
    invalid: "{{file}} cannot be read: {{reason}}",
  },
  run(model, context) {
    for (const invalid of model.invalidFiles) {
      context.report({
        messageId: "invalid",
        data: { file: invalid.file, reason: invalid.message },
        file: invalid.file,
        span: invalid.span,
        hint: "Fix the file at this position; every other file was still linted.",
      });
    }
  },
});
