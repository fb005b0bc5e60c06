/**
 * An error the user can act on: bad options, bad configuration, an unusable repository.
 * The CLI prints its message as one line and exits 2; anything else is an internal error.
 */
export class UserError extends Error {
  override readonly name = "UserError";
}

export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError;
}
