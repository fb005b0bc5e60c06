// Starts `harness-lint lsp --stdio` for the workspace and lets vscode-languageclient do the rest.
const { existsSync } = require("node:fs");
const { join } = require("node:path");
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

/** The setting, else the project's own install, else `harness-lint` on PATH. */
function serverCommand(cwd) {
  const configured = vscode.workspace.getConfiguration("harness-lint").get("path");
  if (configured) return configured;
  const local = cwd && join(cwd, "node_modules", ".bin", process.platform === "win32" ? "harness-lint.cmd" : "harness-lint");
  return local && existsSync(local) ? local : "harness-lint";
}

exports.activate = async function activate() {
  const cwd = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const server = { command: serverCommand(cwd), args: ["lsp", "--stdio"], options: { cwd } };
  client = new LanguageClient(
    "harness-lint",
    "harness-lint",
    { run: server, debug: server },
    {
      // Harness files are Markdown (and Cursor's .mdc); code files are synced for find-references.
      documentSelector: [
        { scheme: "file", language: "markdown" },
        { scheme: "file", pattern: "**/*.mdc" },
        { scheme: "file", language: "typescript" },
        { scheme: "file", language: "javascript" },
      ],
    },
  );
  await client.start();
};

exports.deactivate = function deactivate() {
  return client?.stop();
};
