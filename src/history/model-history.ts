import type { Model } from "../engine/model.js";
import type { ProvenanceHistory } from "./provenance.js";

// History is an optional part of the model: it is read only when a run asks for it (`--base`),
// and attached from outside so that the model's shape stays what the plain run builds. Checks
// that need history read it here and report nothing when it is absent.

export interface ModelHistory {
  /** The commits checked for provenance: REF..HEAD with `--base`. */
  provenance: ProvenanceHistory;
  /**
   * Commits since the oldest post-mortem's date, for the landing part of `postmortem-shape`;
   * may be the same object as `provenance` when that already reaches back far enough.
   */
  landing: ProvenanceHistory | null;
}

const histories = new WeakMap<Model, ModelHistory>();

export function setHistory(model: Model, history: ModelHistory): void {
  histories.set(model, history);
}

export function getHistory(model: Model): ModelHistory | undefined {
  return histories.get(model);
}
