// The parsers history needs, in one module so that item-cache.ts can load them on first use.
export { parseHarnessFile } from "../model/harness.js";
export { parseHookFile } from "../model/hooks.js";
export { parsePostMortem } from "../model/postmortems.js";
