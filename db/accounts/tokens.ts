import { createHash, randomBytes } from "node:crypto";

// API tokens are 256-bit random secrets. Only their SHA-256 is stored: a fast hash is right here
// (unlike passwords) because the secret has full entropy and cannot be guessed offline.

export const TOKEN_PREFIX = "pat_";

export function generateApiToken(): { secret: string; hash: string; prefix: string } {
  const secret = `${TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
  return { secret, hash: hashApiToken(secret), prefix: secret.slice(0, TOKEN_PREFIX.length + 6) };
}

export function hashApiToken(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

/** The token in an `Authorization: Bearer …` header, or null. */
export function bearerToken(header: string | null): string | null {
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match ? match[1]! : null;
}
