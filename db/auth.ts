import "server-only";
import { randomBytes } from "node:crypto";
import { and, asc, count, desc, eq, isNull } from "drizzle-orm";
import { generateApiToken, hashApiToken } from "./tokens";
import { USER_ROLES, type UserRole } from "@/lib/enums";
import { InputError } from "./errors";
import type { Reader } from "./connection";
import { getDb, type Db } from "./index";
import { accounts, apiTokens, sessions, users } from "./schema";
import { unwritableDatabaseMessage } from "./write-errors";

// Reads and writes of users and API tokens that are ours rather than better-auth's: roles,
// deactivation (which ends that user's sessions in the same transaction) and tokens.

export function countUsers(db: Db = getDb()): number {
  return db.select({ n: count() }).from(users).get()?.n ?? 0;
}

export function listUsers(db: Db = getDb()) {
  return db
    .select({
      id: users.id,
      name: users.name,
      email: users.email,
      role: users.role,
      deactivatedAt: users.deactivatedAt,
      createdAt: users.createdAt,
    })
    .from(users)
    .orderBy(asc(users.name))
    .all();
}

export function getUser(id: string, db: Db = getDb()) {
  return db.select().from(users).where(eq(users.id, id)).get();
}

const LAST_ADMIN = "Partnership Atlas needs at least one active admin: make another user an admin first.";

/** Refuses, inside the writing transaction, a change that would leave no active admin. */
function keepAnAdmin(tx: Reader) {
  if (countActiveAdmins(tx) === 0) throw new InputError({ _form: [LAST_ADMIN] });
}

/**
 * Creates the first owner (an admin with a password login) only if there is no user yet: the check
 * and both inserts are one synchronous IMMEDIATE transaction, so of two concurrent first-run
 * submissions exactly one wins. Returns undefined when someone else already set the app up.
 */
export function createFirstOwner(
  input: { name: string; email: string; passwordHash: string },
  db: Db = getDb(),
) {
  return db.transaction(
    (tx) => {
      if ((tx.select({ n: count() }).from(users).get()?.n ?? 0) > 0) return undefined;
      const now = new Date();
      const user = tx
        .insert(users)
        .values({
          id: randomBytes(16).toString("hex"),
          name: input.name,
          email: input.email.toLowerCase(),
          emailVerified: true,
          role: "admin",
          createdAt: now,
          updatedAt: now,
        })
        .returning()
        .get();
      tx.insert(accounts)
        .values({
          id: randomBytes(16).toString("hex"),
          userId: user.id,
          providerId: "credential",
          accountId: user.id,
          password: input.passwordHash,
          createdAt: now,
          updatedAt: now,
        })
        .run();
      return user;
    },
    { behavior: "immediate" },
  );
}

/** Changes a user's role; demoting the last active admin is refused and changes nothing. */
export function setUserRole(id: string, role: UserRole, db: Db = getDb()) {
  return db.transaction(
    (tx) => {
      const user = tx
        .update(users)
        .set({ role, updatedAt: new Date() })
        .where(eq(users.id, id))
        .returning()
        .get();
      keepAnAdmin(tx);
      return user;
    },
    { behavior: "immediate" },
  );
}

/**
 * Deactivates a user and ends every session they have, at once; deactivating the last active admin
 * is refused and changes nothing.
 */
export function setUserActive(id: string, active: boolean, db: Db = getDb()) {
  return db.transaction(
    (tx) => {
      const user = tx
        .update(users)
        .set({ deactivatedAt: active ? null : new Date(), updatedAt: new Date() })
        .where(eq(users.id, id))
        .returning()
        .get();
      if (user && !active) {
        keepAnAdmin(tx);
        tx.delete(sessions).where(eq(sessions.userId, id)).run();
      }
      return user;
    },
    { behavior: "immediate" },
  );
}

function countActiveAdmins(db: Reader = getDb()): number {
  return (
    db
      .select({ n: count() })
      .from(users)
      .where(and(eq(users.role, "admin"), isNull(users.deactivatedAt)))
      .get()?.n ?? 0
  );
}

/** Creates a token and returns its secret: the only time the secret exists outside the caller. */
export function createApiToken(
  input: { name: string; role: UserRole; createdByUserId?: string | null },
  db: Db = getDb(),
) {
  const { secret, hash, prefix } = generateApiToken();
  const token = db
    .insert(apiTokens)
    .values({
      name: input.name,
      role: input.role,
      tokenHash: hash,
      prefix,
      createdByUserId: input.createdByUserId ?? null,
    })
    .returning({ id: apiTokens.id, name: apiTokens.name, role: apiTokens.role, prefix: apiTokens.prefix })
    .get();
  return { ...token, secret };
}

export function listApiTokens(db: Db = getDb()) {
  return db
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      role: apiTokens.role,
      prefix: apiTokens.prefix,
      createdAt: apiTokens.createdAt,
      lastUsedAt: apiTokens.lastUsedAt,
      revokedAt: apiTokens.revokedAt,
      createdBy: users.name,
    })
    .from(apiTokens)
    .leftJoin(users, eq(users.id, apiTokens.createdByUserId))
    .orderBy(desc(apiTokens.id))
    .all();
}

export function revokeApiToken(id: number, db: Db = getDb()) {
  return db
    .update(apiTokens)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt)))
    .returning({ id: apiTokens.id })
    .get();
}

/**
 * The live token a presented secret belongs to; revoked tokens are not found. A token made by a
 * user acts with at most that user's current role and stops when they are deactivated, so a token
 * never outlives its creator's rights; one made from the shell (no creator) keeps its own role.
 * "Last used" is written at most every five minutes, so a busy script does not turn every read
 * into a write.
 */
export function findActiveToken(secret: string, db: Db = getDb()) {
  const token = db
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      role: apiTokens.role,
      lastUsedAt: apiTokens.lastUsedAt,
      createdByUserId: apiTokens.createdByUserId,
      creatorRole: users.role,
      creatorDeactivatedAt: users.deactivatedAt,
    })
    .from(apiTokens)
    .leftJoin(users, eq(users.id, apiTokens.createdByUserId))
    .where(and(eq(apiTokens.tokenHash, hashApiToken(secret)), isNull(apiTokens.revokedAt)))
    .get();
  if (!token) return undefined;
  let role: UserRole = token.role;
  if (token.createdByUserId !== null) {
    if (!token.creatorRole || token.creatorDeactivatedAt) return undefined;
    role = USER_ROLES.indexOf(token.creatorRole) < USER_ROLES.indexOf(role) ? token.creatorRole : role;
  }
  const now = new Date();
  if (!token.lastUsedAt || now.getTime() - token.lastUsedAt.getTime() > 5 * 60_000) {
    try {
      db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, token.id)).run();
    } catch (error) {
      // Bookkeeping must not stop a read when the disk refuses writes; anything else is a bug.
      if (!unwritableDatabaseMessage(error)) throw error;
    }
  }
  return { id: token.id, name: token.name, role };
}
