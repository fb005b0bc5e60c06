import type { Check } from "../src/engine/check.js";
import danglingCitation from "./dangling-citation.js";
import deadScope from "./dead-scope.js";
import invalidFile from "./invalid-file.js";
import postmortemShape from "./postmortem-shape.js";
import stalePath from "./stale-path.js";
import staleSymbol from "./stale-symbol.js";
import uncitedRule from "./uncited-rule.js";
import unknownName from "./unknown-name.js";
import unlinkedRuleChange from "./unlinked-rule-change.js";
import unscopedRule from "./unscoped-rule.js";
import unusedDisableDirective from "./unused-disable-directive.js";

/** The registry: every check harness-lint runs, in the order their findings are reported. */
export const checks: ReadonlyArray<Check<string>> = [
  staleSymbol,
  stalePath,
  unknownName,
  unscopedRule,
  deadScope,
  uncitedRule,
  danglingCitation,
  unlinkedRuleChange,
  postmortemShape,
  invalidFile,
  unusedDisableDirective,
] as ReadonlyArray<Check<string>>;
