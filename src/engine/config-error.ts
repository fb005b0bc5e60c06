import { UserError } from "../shared/errors.js";

/** A configuration problem: one line naming the file (and where), as the CLI prints it. */
export function configError(label: string, what: string): UserError {
  return new UserError(oneLine(`${label}: ${what}`));
}

/** The CLI prints a UserError as one line; parser messages sometimes quote several. */
export function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, " ").trim();
}
