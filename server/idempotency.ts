import "server-only";
import { createHash } from "node:crypto";
import { NextResponse } from "next/server";
import { z } from "zod";
import type { Tx } from "@/db/core/connection";
import {
  findIdempotentAnswer,
  lockIdempotencyKey,
  storeIdempotentAnswer,
  writeOnce,
  type IdempotencyScope,
  type StoredAnswer,
} from "@/db/core/idempotency";
import { errorResponse, HttpError } from "@/server/api";
import type { Principal } from "@/server/auth/principal";

// The HTTP side of idempotent writes (db/core/idempotency.ts keeps the answers): the header, the request
// fingerprint, and the replayed answer.

const header = z
  .string()
  .min(1, { error: "Idempotency-Key must not be empty" })
  .max(255, { error: "Idempotency-Key is at most 255 characters" })
  .regex(/^[\x21-\x7e]+$/, { error: "Idempotency-Key takes printable ASCII without spaces, e.g. a UUID" });

/** The request's Idempotency-Key, null without one; a malformed key is a 400. */
export function idempotencyKey(request: Request): string | null {
  const raw = request.headers.get("idempotency-key");
  if (raw === null) return null;
  const parsed = header.safeParse(raw.trim());
  if (!parsed.success) {
    const messages = parsed.error.issues.map((i) => i.message);
    throw new HttpError(errorResponse(400, messages[0]!, { "Idempotency-Key": messages }));
  }
  return parsed.data;
}

/** JSON with keys in a fixed order, so `{"a":1,"b":2}` and `{ "b": 2, "a": 1 }` are one body. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** A fingerprint of what the request asks for: JSON values (canonical) and raw bytes. */
export function requestHash(parts: (unknown | Uint8Array)[]): string {
  const hash = createHash("sha256");
  for (const part of parts) {
    const bytes = part instanceof Uint8Array ? part : Buffer.from(canonicalJson(part), "utf8");
    hash.update(`${bytes.byteLength}:`).update(bytes);
  }
  return hash.digest("hex");
}

type Options = { key: string; principal: Principal; endpoint: string; requestHash: string };
type Answer = { status: number; body: unknown; location?: string };

const scopeOf = (options: Options): IdempotencyScope => ({
  principal: `${options.principal.kind}:${options.principal.id}`,
  key: options.key,
  endpoint: options.endpoint,
  requestHash: options.requestHash,
});
const toStored = (a: Answer): StoredAnswer => ({
  status: a.status,
  body: JSON.stringify(a.body),
  location: a.location ?? null,
});

/** The HTTP answer for a stored one: the first answer replayed, or 422 for another request. */
export function storedResponse(stored: StoredAnswer | "mismatch", replayed: boolean): Response {
  if (stored === "mismatch") {
    return errorResponse(
      422,
      "This Idempotency-Key was already used with a different request; use a new key for a new request",
      { "Idempotency-Key": ["Already used with a different request body"] },
    );
  }
  const headers = new Headers({ "Content-Type": "application/json" });
  if (stored.location) headers.set("Location", stored.location);
  if (replayed) headers.set("Idempotent-Replayed", "true");
  return new NextResponse(stored.body, { status: stored.status, headers });
}

/**
 * Runs a write once per (principal, key): the first time it writes and answers `answer(result)`;
 * a retry with the same request replays that answer (`Idempotent-Replayed: true`), the same key
 * with a different request is a 422.
 */
export async function idempotentWrite<T>(
  options: Options,
  write: () => Promise<T> | T,
  answer: (result: T) => Answer,
): Promise<Response> {
  const { replayed, stored } = await writeOnce(scopeOf(options), write, (result) => toStored(answer(result)));
  return storedResponse(stored, replayed);
}

/**
 * The same for a write that runs in steps in its own transaction (db/deals/import.ts commitImportAsync):
 * `before` looks the key up once the write lock is held, `inTransaction` stores the answer.
 */
export function idempotencyHooks<T>(options: Options, answer: (result: T) => Answer) {
  const scope = scopeOf(options);
  return {
    before: async (tx: Tx) => {
      await lockIdempotencyKey(scope, tx);
      const found = await findIdempotentAnswer(scope, tx);
      return found ? { early: found } : null;
    },
    inTransaction: (tx: Tx, result: T) => storeIdempotentAnswer(scope, toStored(answer(result)), tx),
  };
}
