import { defineCheck } from "../src/engine/check.js";
import { normaliseSection, REQUIRED_SECTIONS } from "../src/harness/postmortem-sections.js";

export default defineCheck({
  id: "postmortem-shape",
  description: "A post-mortem lacks its date or a section, runs past a page, or lists too many changes",
  category: "postmortem",
  defaultSeverity: "warn",
  messages: {
    missingDate: "post-mortem {{postmortem}} has no `date:` in its frontmatter",
    missingSection: 'post-mortem {{postmortem}} has no "## {{section}}" section',
    tooLong: "post-mortem {{postmortem}} runs to {{words}} words; keep it to one page ({{max}} words)",
    tooManyChanges: "post-mortem {{postmortem}} lists {{count}} changes; at most {{max}} keeps each change traceable",
    notLanded: "post-mortem {{postmortem}}: change `{{ref}}` had not landed {{days}} days after {{date}}",
    landedLate: "post-mortem {{postmortem}}: change `{{ref}}` landed on {{landed}}, more than {{days}} days after {{date}}",
  },
  run(model, context) {
    const { maxWords, maxChanges } = model.config.postmortem;
    const invalid = new Set(model.invalidFiles.map((f) => f.file));
    for (const pm of model.postmortems) {
      const at = { file: pm.path, span: pm.span };
      // A frontmatter that could not be read is an invalid-file finding already; do not pile on.
      if (pm.date === undefined && !invalid.has(pm.path)) {
        context.report({ ...at, messageId: "missingDate", data: { postmortem: pm.id }, hint: "Add `date: YYYY-MM-DD` (the day of the incident)." });
      }
      const present = new Set(pm.sections.map(normaliseSection));
      for (const section of REQUIRED_SECTIONS) {
        if (!present.has(normaliseSection(section))) {
          context.report({ ...at, messageId: "missingSection", data: { postmortem: pm.id, section } });
        }
      }
      if (pm.wordCount > maxWords) {
        context.report({ ...at, messageId: "tooLong", data: { postmortem: pm.id, words: pm.wordCount, max: maxWords } });
      }
      if (pm.changes.length > maxChanges) {
        const span = pm.changes[maxChanges]?.span ?? pm.span;
        context.report({ file: pm.path, span, messageId: "tooManyChanges", data: { postmortem: pm.id, count: pm.changes.length, max: maxChanges } });
      }
    }
    // Needs history: only when the run read it (`--base`); a plain run does not pay for git log.
    const unlanded = model.history?.unlanded;
    if (unlanded) {
      const days = model.config.postmortem.landWithinDays;
      for (const { postmortem, changes } of unlanded) {
        for (const change of changes) {
          const data = { postmortem: postmortem.id, ref: change.ref, days, date: postmortem.date ?? "its date", landed: change.landed?.date ?? "" };
          context.report({ file: postmortem.path, span: change.span, messageId: change.status === "late" ? "landedLate" : "notLanded", data });
        }
      }
    }
  },
});
