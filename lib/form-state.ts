import type { ArticleDraft } from "./extract/draft";

// What a Server Action hands back to its form (useActionState). Written once: server/action.ts
// produces the failures, and every form shows them the same way.

/** Field-level errors keyed by dotted path ("parties.1.company"); "_form" holds the rest. */
export type FieldErrors = Record<string, string[]>;

export type FormFailure =
  | { status: "invalid"; fieldErrors: FieldErrors }
  | { status: "conflict"; message: string; currentVersion: number }
  | { status: "error"; message: string };

/** A form's state: untouched, a failure, or the action's own success shape. */
export type FormState<Done extends { status: string } = never> = { status: "idle" } | FormFailure | Done;

export const IDLE = { status: "idle" } as const;

/** The field errors a form shows for its state; a message without a field goes under "_form". */
export function formErrors(state: {
  status: string;
  fieldErrors?: FieldErrors;
  message?: string;
}): FieldErrors {
  if (state.status === "invalid" && state.fieldErrors) return state.fieldErrors;
  if (state.status === "error" && state.message) return { _form: [state.message] };
  return {};
}

/**
 * The errors a refused form shows while the user corrects it: a field keeps the server's messages
 * until its value differs from what was sent, then shows what `recheck` says of the new value —
 * nothing once it is valid. Paths are the server's ("parties.1.company"); "_form" always stays.
 */
export function errorsSince(
  server: FieldErrors,
  sent: unknown,
  current: unknown,
  recheck: FieldErrors,
): FieldErrors {
  const out: FieldErrors = {};
  for (const [path, messages] of Object.entries(server)) {
    const unchanged = path === "_form" || same(valueAt(sent, path), valueAt(current, path));
    const now = unchanged ? messages : recheck[path];
    if (now?.length) out[path] = now;
  }
  return out;
}

function valueAt(value: unknown, path: string): unknown {
  return path
    .split(".")
    .reduce<unknown>(
      (v, key) => (v !== null && typeof v === "object" ? (v as Record<string, unknown>)[key] : undefined),
      value,
    );
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export type DealFormState = FormState;
export type DraftState = FormState<{ status: "drafted"; draft: ArticleDraft }>;
export type OwnerFormState = FormState<{ status: "created" }>;
export type CreateUserState = FormState<{ status: "created"; email: string }>;
export type CreateTokenState = FormState<{ status: "created"; name: string; secret: string }>;
export type RecordFormState = FormState;
export type UndoMergeState = FormState<{ status: "undone"; message: string }>;
export type SaveViewState = FormState<{ status: "saved"; id: number; name: string }>;
export type RenameViewState = FormState<{ status: "renamed"; name: string }>;
export type FeedKeyState = FormState<{ status: "created"; key: string }>;
export type DigestState = FormState<{ status: "saved" } | { status: "queued" }>;
export type ShareLinkState = FormState<{ status: "created"; url: string }>;
export type CreateWebhookState = FormState<{
  status: "created";
  id: number;
  secret: string;
  team: string | null;
}>;
export type DecideCandidatesState = FormState<{ status: "decided"; message: string; ids: number[] }>;
export type TeamFormState = FormState<{ status: "saved"; name: string; created: boolean }>;
