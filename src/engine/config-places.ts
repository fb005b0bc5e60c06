// Apart from config.ts so that the run cache can look at the same files without loading the
// YAML parser and the schema.

/** Where the configuration is looked for, in order, in the repository root only. */
export const CONFIG_SEARCH_PLACES: readonly string[] = ["package.json", ".harnessrc", ".harnessrc.json", ".harnessrc.yaml", ".harnessrc.yml"];
