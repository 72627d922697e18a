// The data layer's expected failures. Callers map them once: the API to 400/404/409, Server Actions
// to a form state (server/action.ts). Anything else thrown is unexpected.
import type { FieldErrors } from "./validation";

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
  ) {
    super(
      `This deal was changed by someone else since you opened it (you have version ${yourVersion}, the saved one is version ${currentVersion}).`,
    );
  }
}
