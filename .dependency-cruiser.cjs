// The floors of docs/architecture.md: each folder imports only the floors below it.
//   shared < git < codebase < harness < history < engine < rules < faces (cli, main, commands, formatters, servers, api)
const FACES = "^src/(cli\\.ts|main\\.ts|index\\.ts|commands/|formatters/|lsp/|mcp/)";
const above = (floors) => `^(${floors.map((f) => (f === "rules" ? "rules/" : `src/${f}/`)).join("|")})|${FACES}`;

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    { name: "shared-is-the-floor", severity: "error", from: { path: "^src/shared/" }, to: { path: above(["git", "codebase", "harness", "history", "engine", "rules"]) } },
    { name: "git-knows-no-harness", severity: "error", from: { path: "^src/git/" }, to: { path: above(["codebase", "harness", "history", "engine", "rules"]) } },
    { name: "codebase-knows-no-harness", severity: "error", from: { path: "^src/codebase/" }, to: { path: above(["harness", "history", "engine", "rules"]) } },
    { name: "harness-is-pure", severity: "error", from: { path: "^src/harness/" }, to: { path: above(["history", "engine", "rules"]) } },
    { name: "harness-reads-no-disk-or-git", severity: "error", from: { path: "^src/harness/" }, to: { path: "^src/git/|^(node:)?(fs|fs/promises|child_process)$", dependencyTypesNot: ["type-only"] } },
    { name: "history-below-engine", severity: "error", from: { path: "^src/history/" }, to: { path: above(["engine", "rules"]) } },
    { name: "engine-knows-no-check", severity: "error", from: { path: "^src/engine/" }, to: { path: above(["rules"]) } },
    {
      name: "checks-read-only-the-model",
      comment: "A check imports the model types, the check API, harness views and shared leaves: never history, git, the disk or other engine parts.",
      severity: "error",
      from: { path: "^rules/" },
      to: { path: "^src/(git|history|codebase/(?!glob\\.ts))|^src/engine/(?!(model|check)\\.ts$)|^(node:)?(fs|fs/promises|child_process)$|" + FACES.slice(1) },
    },
    { name: "formatters-are-pure", severity: "error", from: { path: "^src/formatters/" }, to: { path: "^src/(engine|history|git|commands)/|^rules/|^(node:)?(fs|fs/promises|child_process)$" } },
    { name: "no-circular", comment: "A cycle through type-only imports costs nothing at run time.", severity: "error", from: {}, to: { circular: true, viaOnly: { dependencyTypesNot: ["type-only"] } } },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
  },
};
