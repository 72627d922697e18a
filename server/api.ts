import "server-only";
import { NextResponse } from "next/server";
import { z } from "zod";
import { ConflictError, ForbiddenError, InputError, NotFoundError, RefusedError } from "@/db/core/errors";
import type { FieldErrors } from "@/lib/validation";
import { unwritableDatabaseMessage } from "@/db/core/write-errors";
import { fieldErrors } from "@/lib/validation";
import { getPrincipal, type Principal } from "@/server/auth/principal";
import { hasRole } from "@/lib/roles";
import { SCOPE_ROLE } from "@/lib/scopes";
import { isSameOrigin } from "@/server/auth/origin";
import type { ApiScope } from "@/lib/enums";
import { parseDealFilters, type DealFilters } from "@/lib/filters";

// Route handlers are thin adapters: parse and validate, call db/, and map domain errors to statuses.

const MAX_BODY_BYTES = 10 * 1024 * 1024;

export function errorResponse(status: number, error: string, errors?: FieldErrors) {
  return NextResponse.json(errors ? { error, fieldErrors: errors } : { error }, { status });
}

export function invalid(errors: FieldErrors) {
  return errorResponse(400, "Invalid input", errors);
}

export class HttpError extends Error {
  constructor(public readonly response: Response) {
    super("HTTP error");
  }
}

/** The limit as people say it: "10 MB", "16 KB". */
function sizeLabel(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / 1024 / 1024)} MB` : `${Math.round(bytes / 1024)} KB`;
}

/**
 * Reads at most `maxBytes` of a request body, answering 413 as soon as more arrive. Content-Length
 * is only a hint (a chunked body has none, and a client may lie), so the cap holds on the bytes
 * actually read: the stream is cancelled at the cap and never buffered past it.
 */
export async function readBodyCapped(
  request: Request,
  maxBytes: number,
  tooLarge = `The request body is larger than ${sizeLabel(maxBytes)}`,
): Promise<Uint8Array> {
  const refuse = () => new HttpError(errorResponse(413, tooLarge));
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > maxBytes) {
    await request.body?.cancel().catch(() => undefined);
    throw refuse();
  }
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw refuse();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** Reads a JSON body, refusing other content types, oversized bodies and malformed JSON. */
export async function readJson(request: Request, maxBytes = MAX_BODY_BYTES): Promise<unknown> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/json\b/i.test(type)) {
    throw new HttpError(errorResponse(415, "Send the body as application/json"));
  }
  const bytes = await readBodyCapped(request, maxBytes);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new HttpError(
      errorResponse(400, "The body is not valid UTF-8", { _form: ["The body is not valid UTF-8"] }),
    );
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(
      errorResponse(400, "The body is not valid JSON", { _form: ["The body is not valid JSON"] }),
    );
  }
}

/** Validates with zod, throwing a 400 with every field error. */
export function parseOrThrow<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw new HttpError(invalid(fieldErrors(result.error)));
  return result.data;
}

/**
 * The shared deal filters of a request's query string plus the endpoint's own `options`; any bad
 * or unknown parameter is a 400 that names every one. `options` may be a zod/mini object (the
 * widgets' options are, to keep classic zod out of the browser), hence the functional forms.
 */
export function parseQuery<S extends z.core.$ZodObject>(
  request: Request,
  options: S,
): { filters: DealFilters; options: z.output<S> } {
  const params = new URL(request.url).searchParams;
  const own = Object.keys(options._zod.def.shape);
  const filters = parseDealFilters(params, { strict: true, allow: own });
  const extra = z.safeParse(options, Object.fromEntries([...params].filter(([key]) => own.includes(key))));
  if (!filters.success || !extra.success) {
    throw new HttpError(
      invalid({
        ...(filters.success ? {} : filters.errors),
        ...(extra.success ? {} : fieldErrors(extra.error)),
      }),
    );
  }
  return { filters: filters.filters, options: extra.data };
}

/** A route's own query parameters (no deal filters); unknown names are refused, each by name. */
export function parseParams<S extends z.ZodObject>(request: Request, schema: S): z.output<S> {
  const params = new URL(request.url).searchParams;
  const known = Object.keys(schema.shape);
  const unknown = [...new Set(params.keys())].filter((key) => !known.includes(key));
  const parsed = schema.safeParse(Object.fromEntries(params));
  if (parsed.success && !unknown.length) return parsed.data;
  const errors: FieldErrors = parsed.success ? {} : fieldErrors(parsed.error);
  for (const key of unknown) errors[key] = [`Unknown parameter "${key}"`];
  throw new HttpError(invalid(errors));
}

const idParam = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/** A numeric route id; anything else is a 404 (there is no such deal, or `what`). */
export function parseId(raw: string, what = "Deal"): number {
  const result = idParam.safeParse(raw);
  if (!result.success || !/^\d+$/.test(raw)) throw new HttpError(errorResponse(404, `${what} not found`));
  return result.data;
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Every route handler's own authorization check, declared by the one scope the route needs (the
 * role follows from it: lib/scopes.ts). 401 for nobody (or an unknown, revoked or expired token),
 * 403 for a token without the scope — `{ error, scope }` names it — or a role too weak. A request
 * that changes data on the strength of a cookie must come from our own pages (a cross-site form or
 * fetch is refused); a Bearer token is not sent by browsers on their own, so it needs no such check.
 */
export async function authorize(request: Request, scope: ApiScope): Promise<Principal> {
  const principal = await getPrincipal(request.headers);
  if (!principal)
    throw new HttpError(
      errorResponse(
        401,
        "Sign in, or send a valid API token as Authorization: Bearer <token> (this one may be unknown, revoked or expired)",
      ),
    );
  if (principal.kind === "user" && !SAFE_METHODS.has(request.method) && !isSameOrigin(request)) {
    throw new HttpError(errorResponse(403, "Cross-site requests cannot change data"));
  }
  if (principal.kind === "token" && !principal.scopes.includes(scope))
    throw new HttpError(
      NextResponse.json({ error: `This token lacks the scope ${scope}`, scope }, { status: 403 }),
    );
  const role = SCOPE_ROLE[scope];
  if (!hasRole(principal.role, role))
    throw new HttpError(errorResponse(403, `This needs the ${role} role; you are ${principal.role}`));
  return principal;
}

/**
 * For what belongs to a person (saved views, feed keys): a signed-in user. An API token has no
 * user to own them, so it is refused with 403 after the usual checks.
 */
export async function authorizeUser(
  request: Request,
  scope: ApiScope,
): Promise<Principal & { kind: "user" }> {
  const principal = await authorize(request, scope);
  if (principal.kind !== "user")
    throw new HttpError(
      errorResponse(403, "Saved views and feed keys belong to a signed-in user, not to a token"),
    );
  return principal as Principal & { kind: "user" };
}

/** Runs a handler, turning known errors into their statuses; the unexpected stays a logged 500. */
export async function handle(run: () => Promise<Response> | Response): Promise<Response> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof HttpError) return error.response;
    if (error instanceof InputError) return invalid(error.fieldErrors);
    if (error instanceof NotFoundError) return errorResponse(404, error.message);
    if (error instanceof RefusedError) return errorResponse(409, error.message);
    if (error instanceof ForbiddenError) return errorResponse(403, error.message);
    if (error instanceof ConflictError) {
      return NextResponse.json(
        { error: error.message, currentVersion: error.currentVersion, yourVersion: error.yourVersion },
        { status: 409 },
      );
    }
    const unwritable = unwritableDatabaseMessage(error);
    if (unwritable) return errorResponse(503, unwritable);
    console.error(error);
    return errorResponse(500, "Something went wrong on our side");
  }
}
