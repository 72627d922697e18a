import "server-only";
import { randomBytes } from "node:crypto";
import { and, asc, count, desc, eq, gt, isNull, or, sql } from "drizzle-orm";
import { generateApiToken, hashApiToken } from "./tokens";
import { USER_ROLES, type ApiScope, type UserRole } from "@/lib/enums";
import { hasRole } from "@/lib/roles";
import { roleForScopes, SCOPE_ROLE, scopesForRole } from "@/lib/scopes";
import { recordAudit } from "../audit/events";
import type { Actor } from "../audit/revisions";
import { InputError } from "../core/errors";
import { isPg } from "../core/dialect";
import { getDb, type Db, type Reader, type Tx } from "../core/index";
import { accounts, apiTokens, sessions, userFollow, users } from "../schema";
import { unwritableDatabaseMessage } from "../core/write-errors";

// Reads and writes of users and API tokens that are ours rather than better-auth's: roles,
// deactivation (which ends that user's sessions in the same transaction) and tokens.

export async function countUsers(db: Reader = getDb()): Promise<number> {
  const [row] = await db.select({ n: count() }).from(users);
  return row?.n ?? 0;
}

export async function listUsers(db: Reader = getDb()) {
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
    .orderBy(asc(users.name));
}

export async function getUser(id: string, db: Reader = getDb()) {
  const [user] = await db.select().from(users).where(eq(users.id, id));
  return user;
}

const LAST_ADMIN = "Partnership Atlas needs at least one active admin: make another user an admin first.";

/**
 * Refuses, inside the writing transaction, a change that would leave no active admin. On
 * PostgreSQL two concurrent demotions of two different admins would each still see the other
 * active, so the active admins' rows are locked first (FOR UPDATE): the second transaction waits
 * for the first and then counts what it committed. SQLite's writes are serial already.
 */
async function keepAnAdmin(tx: Tx) {
  if ((await countActiveAdmins(tx)) === 0) throw new InputError({ _form: [LAST_ADMIN] });
}

/** Locks the rows of every active admin until the transaction ends (PostgreSQL; SQLite is serial). */
async function lockAdmins(tx: Tx) {
  if (isPg)
    await tx
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.role, "admin"), isNull(users.deactivatedAt)))
      .for("update");
}

/**
 * Creates the first owner (an admin with a password login) only if there is no user yet: the check
 * and both inserts are one write, so of two concurrent first-run submissions exactly one wins
 * (SQLite: writes are serial; PostgreSQL: a transaction-level advisory lock serializes first runs).
 * Returns undefined when someone else already set the app up.
 */
export async function createFirstOwner(
  input: { name: string; email: string; passwordHash: string },
  db: Db = getDb(),
) {
  return db.write(async (tx) => {
    if (isPg) await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext('atlas:first-owner'))`);
    const [existing] = await tx.select({ n: count() }).from(users);
    if ((existing?.n ?? 0) > 0) return undefined;
    const now = new Date();
    const [user] = await tx
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
      .returning();
    await tx.insert(accounts).values({
      id: randomBytes(16).toString("hex"),
      userId: user!.id,
      providerId: "credential",
      accountId: user!.id,
      password: input.passwordHash,
      createdAt: now,
      updatedAt: now,
    });
    return user;
  });
}

/**
 * Changes a user's role; demoting the last active admin is refused and changes nothing. A real
 * change is recorded in the audit log by `by`.
 */
export async function setUserRole(
  id: string,
  role: UserRole,
  by: Actor | string = "command line",
  db: Db = getDb(),
) {
  const { user, before } = await db.write(async (tx) => {
    await lockAdmins(tx);
    const [old] = await tx.select({ role: users.role }).from(users).where(eq(users.id, id));
    const [user] = await tx
      .update(users)
      .set({ role, updatedAt: new Date() })
      .where(eq(users.id, id))
      .returning();
    await keepAnAdmin(tx);
    return { user, before: old?.role };
  });
  if (user && before !== role)
    await recordAudit(
      "role-changed",
      {
        actor: by,
        detail: { userId: user.id, email: user.email, from: before, to: role },
      },
      db,
    );
  return user;
}

/**
 * Deactivates a user, ends every session they have and forgets their feed key, at once;
 * deactivating the last active admin is refused and changes nothing. Sessions live in the database
 * and every server checks them there on each request, so the user is out on all app servers as
 * soon as this commits.
 */
export async function setUserActive(
  id: string,
  active: boolean,
  by: Actor | string = "command line",
  db: Db = getDb(),
) {
  const { user, wasActive } = await db.write(async (tx) => {
    if (!active) await lockAdmins(tx);
    const [old] = await tx.select({ deactivatedAt: users.deactivatedAt }).from(users).where(eq(users.id, id));
    const [user] = await tx
      .update(users)
      .set({ deactivatedAt: active ? null : new Date(), updatedAt: new Date() })
      .where(eq(users.id, id))
      .returning();
    if (user && !active) {
      await keepAnAdmin(tx);
      await tx.delete(sessions).where(eq(sessions.userId, id));
      // The feed key goes too, so reactivating the user does not bring old feed addresses back.
      await tx
        .update(userFollow)
        .set({ feedKey: null, feedKeyCreatedAt: null })
        .where(eq(userFollow.userId, id));
    }
    return { user, wasActive: !old?.deactivatedAt };
  });
  if (user && wasActive !== active)
    await recordAudit(
      active ? "user-reactivated" : "user-deactivated",
      {
        actor: by,
        detail: { userId: user.id, email: user.email },
      },
      db,
    );
  return user;
}

async function countActiveAdmins(db: Reader): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(users)
    .where(and(eq(users.role, "admin"), isNull(users.deactivatedAt)));
  return row?.n ?? 0;
}

export type NewApiToken = {
  name: string;
  /** Without scopes: the token has its role's scopes. With scopes and no role: the least role holding them. */
  role?: UserRole;
  scopes?: ApiScope[] | null;
  expiresAt?: Date | null;
  createdByUserId?: string | null;
  /** Who made it, for the audit log. */
  by?: Actor | string;
};

/** Creates a token and returns its secret: the only time the secret exists outside the caller. */
export async function createApiToken(input: NewApiToken, db: Db = getDb()) {
  const scopes = input.scopes?.length ? [...new Set(input.scopes)] : null;
  const role = input.role ?? (scopes ? roleForScopes(scopes) : undefined);
  if (!role) throw new InputError({ role: ["Choose a role or at least one scope"] });
  const beyond = scopes?.filter((scope) => !hasRole(role, SCOPE_ROLE[scope])) ?? [];
  if (beyond.length) throw new InputError({ scopes: [`A ${role} token cannot hold ${beyond.join(", ")}`] });
  if (input.expiresAt && input.expiresAt.getTime() <= Date.now())
    throw new InputError({ expiresAt: ["Choose an expiry in the future"] });
  const { secret, hash, prefix } = generateApiToken();
  const [token] = await db.write((tx) =>
    tx
      .insert(apiTokens)
      .values({
        name: input.name,
        role,
        scopes,
        expiresAt: input.expiresAt ?? null,
        tokenHash: hash,
        prefix,
        createdByUserId: input.createdByUserId ?? null,
      })
      .returning({
        id: apiTokens.id,
        name: apiTokens.name,
        role: apiTokens.role,
        prefix: apiTokens.prefix,
        expiresAt: apiTokens.expiresAt,
      }),
  );
  const effective = scopes ?? scopesForRole(role);
  await recordAudit(
    "token-created",
    {
      actor:
        input.by ??
        (input.createdByUserId ? { name: "user", userId: input.createdByUserId } : "command line"),
      detail: {
        tokenId: token!.id,
        name: token!.name,
        role,
        scopes: effective,
        expiresAt: token!.expiresAt?.toISOString() ?? null,
      },
    },
    db,
  );
  return { ...token!, scopes: effective, secret };
}

/** Every token, newest first; `expired` once its expiry has passed. */
export async function listApiTokens(db: Reader = getDb()) {
  const rows = await db
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      role: apiTokens.role,
      prefix: apiTokens.prefix,
      createdAt: apiTokens.createdAt,
      lastUsedAt: apiTokens.lastUsedAt,
      revokedAt: apiTokens.revokedAt,
      scopes: apiTokens.scopes,
      expiresAt: apiTokens.expiresAt,
      createdBy: users.name,
    })
    .from(apiTokens)
    .leftJoin(users, eq(users.id, apiTokens.createdByUserId))
    .orderBy(desc(apiTokens.id));
  const now = Date.now();
  return rows.map((row) => ({ ...row, expired: row.expiresAt !== null && row.expiresAt.getTime() <= now }));
}

export async function revokeApiToken(id: number, by: Actor | string = "command line", db: Db = getDb()) {
  const [revoked] = await db.write((tx) =>
    tx
      .update(apiTokens)
      .set({ revokedAt: new Date() })
      .where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt)))
      .returning({ id: apiTokens.id, name: apiTokens.name }),
  );
  if (revoked)
    await recordAudit(
      "token-revoked",
      { actor: by, detail: { tokenId: revoked.id, name: revoked.name } },
      db,
    );
  return revoked;
}

/**
 * The live token a presented secret belongs to; revoked and expired tokens are not found. Its
 * scopes are its own (or, for a token made before scopes, its role's), cut down to what its
 * acting role may hold. A token made by a
 * user acts with at most that user's current role and stops when they are deactivated, so a token
 * never outlives its creator's rights; one made from the shell (no creator) keeps its own role.
 * "Last used" is written at most every five minutes, so a busy script does not turn every read
 * into a write.
 */
export async function findActiveToken(secret: string, db: Db = getDb()) {
  const [token] = await db
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      role: apiTokens.role,
      scopes: apiTokens.scopes,
      lastUsedAt: apiTokens.lastUsedAt,
      createdByUserId: apiTokens.createdByUserId,
      creatorRole: users.role,
      creatorDeactivatedAt: users.deactivatedAt,
    })
    .from(apiTokens)
    .leftJoin(users, eq(users.id, apiTokens.createdByUserId))
    .where(
      and(
        eq(apiTokens.tokenHash, hashApiToken(secret)),
        isNull(apiTokens.revokedAt),
        or(isNull(apiTokens.expiresAt), gt(apiTokens.expiresAt, new Date())),
      ),
    );
  if (!token) return undefined;
  let role: UserRole = token.role;
  if (token.createdByUserId !== null) {
    if (!token.creatorRole || token.creatorDeactivatedAt) return undefined;
    role = USER_ROLES.indexOf(token.creatorRole) < USER_ROLES.indexOf(role) ? token.creatorRole : role;
  }
  const now = new Date();
  if (!token.lastUsedAt || now.getTime() - token.lastUsedAt.getTime() > 5 * 60_000) {
    try {
      await db.write(
        (tx) => tx.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, token.id)),
        {
          bookkeeping: true,
        },
      );
    } catch (error) {
      // Bookkeeping must not stop a read when the disk refuses writes; anything else is a bug.
      if (!unwritableDatabaseMessage(error)) throw error;
    }
  }
  const scopes = (token.scopes ?? scopesForRole(token.role)).filter((scope) =>
    hasRole(role, SCOPE_ROLE[scope]),
  );
  return { id: token.id, name: token.name, role, scopes };
}
