import "server-only";
import { NextResponse } from "next/server";
import { z } from "zod";
import { ConflictError, InputError, NotFoundError, RefusedError } from "@/db/errors";
import type { FieldErrors } from "@/db/validation";
import { fieldErrors } from "@/db/validation";
import { getPrincipal, type Principal } from "@/server/auth/principal";
import { hasRole } from "@/lib/roles";
import { isSameOrigin } from "@/server/auth/origin";
import type { UserRole } from "@/lib/enums";
import { parseDealFilters, type DealFilters } from "@/lib/filters";

// Route handlers are thin adapters: parse and validate, call db/, and map domain errors to statuses.

const MAX_BODY_BYTES = 10 * 1024 * 1024;

export function errorResponse(status: number, error: string, errors?: FieldErrors) {
  return NextResponse.json(errors ? { error, fieldErrors: errors } : { error }, { status });
}

export function invalid(errors: FieldErrors) {
  return errorResponse(400, "Invalid input", errors);
}

class HttpError extends Error {
  constructor(public readonly response: Response) {
    super("HTTP error");
  }
}

/** Reads a JSON body, refusing other content types, oversized bodies and malformed JSON. */
export async function readJson(request: Request): Promise<unknown> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/json\b/i.test(type)) {
    throw new HttpError(errorResponse(415, "Send the body as application/json"));
  }
  const length = Number(request.headers.get("content-length") ?? 0);
  if (length > MAX_BODY_BYTES)
    throw new HttpError(errorResponse(413, "The request body is larger than 10 MB"));
  const text = await request.text();
  if (text.length > MAX_BODY_BYTES)
    throw new HttpError(errorResponse(413, "The request body is larger than 10 MB"));
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
 * or unknown parameter is a 400 that names every one.
 */
export function parseQuery<S extends z.ZodObject>(
  request: Request,
  options: S,
): { filters: DealFilters; options: z.output<S> } {
  const params = new URL(request.url).searchParams;
  const own = Object.keys(options.shape);
  const filters = parseDealFilters(params, { strict: true, allow: own });
  const extra = options.safeParse(Object.fromEntries([...params].filter(([key]) => own.includes(key))));
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

const idParam = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/** A numeric route id; anything else is a 404 (there is no such deal). */
export function parseId(raw: string): number {
  const result = idParam.safeParse(raw);
  if (!result.success || !/^\d+$/.test(raw)) throw new HttpError(errorResponse(404, "Deal not found"));
  return result.data;
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Every route handler's own authorization check: 401 for nobody, 403 for a role too weak. A request
 * that changes data on the strength of a cookie must come from our own pages (a cross-site form or
 * fetch is refused); a Bearer token is not sent by browsers on their own, so it needs no such check.
 */
export async function authorize(request: Request, role: UserRole): Promise<Principal> {
  const principal = await getPrincipal(request.headers);
  if (!principal)
    throw new HttpError(errorResponse(401, "Sign in, or send an API token as Authorization: Bearer <token>"));
  if (principal.kind === "user" && !SAFE_METHODS.has(request.method) && !isSameOrigin(request)) {
    throw new HttpError(errorResponse(403, "Cross-site requests cannot change data"));
  }
  if (!hasRole(principal.role, role))
    throw new HttpError(errorResponse(403, `This needs the ${role} role; you are ${principal.role}`));
  return principal;
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
    if (error instanceof ConflictError) {
      return NextResponse.json(
        { error: error.message, currentVersion: error.currentVersion, yourVersion: error.yourVersion },
        { status: 409 },
      );
    }
    console.error(error);
    return errorResponse(500, "Something went wrong on our side");
  }
}
