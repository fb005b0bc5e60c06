import { resolve } from "node:path";
import { loadConfig } from "../engine/config.js";
import type { Config } from "../shared/config-types.js";
import { UserError } from "../shared/errors.js";
import { findRepoRoot } from "../git/git.js";

// What every history command starts from: the repository around the working directory and its
// configuration. History needs git, so outside a repository these commands stop with one line.

export interface CommandBase {
  /** Where the command runs; the repository around it is used. */
  cwd: string;
  /** `--config F`, resolved against `cwd`. */
  configPath?: string;
}

export interface Repository {
  root: string;
  config: Config;
}

export async function openRepository(options: CommandBase, command: string): Promise<Repository> {
  const cwd = resolve(options.cwd);
  const root = await findRepoRoot(cwd);
  if (root === null) throw new UserError(`${command} reads git history: run it inside a git repository (not ${cwd})`);
  const { config } = await loadConfig(root, options.configPath !== undefined ? { configPath: resolve(cwd, options.configPath) } : {});
  return { root, config };
}
