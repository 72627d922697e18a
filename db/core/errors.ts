// The data layer's expected failures. Callers map them once: the API to 400/404/409, Server Actions
// to a form state (server/action.ts). Anything else thrown is unexpected.
import type { FieldErrors } from "../../lib/validation";

export class InputError extends Error {
  constructor(public readonly fieldErrors: FieldErrors) {
    super("Invalid input");
  }
}
export class NotFoundError extends Error {
  constructor(what: string) {
    super(`${what} not found`);
  }
}
export class ConflictError extends Error {
  constructor(
    public readonly currentVersion: number,
    public readonly yourVersion: number,
    what = "deal",
  ) {
    super(
      `This ${what} was changed by someone else since you opened it (you have version ${yourVersion}, the saved one is version ${currentVersion}).`,
    );
  }
}
/** A request that is well formed but cannot be carried out in the current state (409), e.g. a merge
 * that would leave a deal with one party, or an undo that no longer applies. Nothing was changed. */
export class RefusedError extends Error {
  constructor(message: string) {
    super(message);
  }
}
/** The caller may see the record but not change it this way (403), e.g. renaming someone else's view. */
export class ForbiddenError extends Error {
  constructor(message: string) {
    super(message);
  }
}
