// The parsers history needs, in one module so that item-cache.ts can load them on first use.
export { parseHarnessFile } from "../harness/harness.js";
export { parseHookFile } from "../harness/hooks.js";
export { parsePostMortem } from "../harness/postmortems.js";
