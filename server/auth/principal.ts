import "server-only";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { drizzle as drizzleSqlite } from "drizzle-orm/better-sqlite3";
import { createFirstOwner, findActiveToken, getUser } from "@/db/accounts/auth";
import { databasePath, openSqliteConnection, type Db } from "@/db/core/connection";
import { getDb } from "@/db/core/index";
import { InputError } from "@/db/core/errors";
import type { Actor } from "@/db/audit/revisions";
import { accounts, sessions, users, verifications } from "@/db/schema";
import * as pgSchema from "@/db/schema/pg";
import * as sqliteSchema from "@/db/schema/sqlite";
import { USER_ROLES, type ApiScope, type UserRole } from "@/lib/enums";
import { scopesForRole } from "@/lib/scopes";
import { bearerToken } from "@/db/accounts/tokens";
import { ENGINE } from "@/db/core/engine";
import { recordAudit } from "@/db/audit/events";
import { audienceOf, viewerOfUser, type Viewer } from "@/db/accounts/visibility";
import type { DealFilters } from "@/lib/filters";
import { clientAddress } from "./origin";
import { MissingAuthSecretError } from "./secret";
import { AUTH_SETTINGS, authConfig } from "./sso-config";
import { ssoDatabaseHooks, ssoPlugin } from "./sso-provider";

/**
 * The signing secret: BETTER_AUTH_SECRET when set, else (SQLite only) one generated on first use and
 * kept beside the database (git-ignored, readable by the owner only), so no secret ever lives in the
 * repo. PostgreSQL requires BETTER_AUTH_SECRET (server/auth/secret.ts).
 */
export function authSecret(): string {
  if (process.env.BETTER_AUTH_SECRET) return process.env.BETTER_AUTH_SECRET;
  if (ENGINE === "pg") throw new MissingAuthSecretError();
  const file = path.join(
    path.dirname(path.resolve(/*turbopackIgnore: true*/ databasePath())),
    ".auth-secret",
  );
  try {
    return fs.readFileSync(file, "utf8").trim();
  } catch {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const secret = randomBytes(32).toString("base64url");
    try {
      fs.writeFileSync(file, secret, { mode: 0o600, flag: "wx" });
      return secret;
    } catch {
      return fs.readFileSync(file, "utf8").trim(); // another process wrote it first
    }
  }
}

/**
 * better-auth writes sessions itself, outside `db.write`, so it gets a writable Drizzle instance of
 * its own: on PostgreSQL over the primary pool, on SQLite over a second connection to the file.
 * Sessions live in the database and better-auth reads them there on every request (no cookie
 * cache), so a session made on one app server is valid on all, and a sign-out or deactivation
 * (db/accounts/auth.ts deletes the rows) ends it on all at once.
 */
function authDatabase(db: Db) {
  const schema = { user: users, session: sessions, account: accounts, verification: verifications };
  if (db.internals.engine === "pg")
    return drizzleAdapter(drizzlePg(db.internals.primary, { schema: pgSchema }), { provider: "pg", schema });
  const conn = openSqliteConnection(db.internals.file);
  // scripts/serve.mjs closes it on shutdown with ours: SQLite removes the WAL file only when the
  // last connection to the database closes.
  globalForAuth.atlasAuthConnection = conn;
  const authDb = queuedWrites(drizzleSqlite(conn, { schema: sqliteSchema }), db.internals.serialize);
  return drizzleAdapter(authDb, { provider: "sqlite", schema });
}

/**
 * SQLite: better-auth's writes (sessions) run on their own connection, so they would wait on the
 * file lock while one of our transactions is open across an await (an import yields between
 * steps) — and better-sqlite3 waits synchronously, stopping the whole process. Instead each of its
 * inserts, updates and deletes runs in our write queue, between two of our transactions.
 */
function queuedWrites<T extends object>(
  drizzleDb: T,
  serialize: (fn: () => Promise<unknown>) => Promise<unknown>,
): T {
  type Builder = { execute(): unknown };
  const wrap = (builder: object): object =>
    new Proxy(builder, {
      get(target, key) {
        const value = Reflect.get(target, key, target) as unknown;
        if (key === "execute") return () => serialize(async () => (target as Builder).execute());
        if (key === "then")
          return (ok: (v: unknown) => unknown, fail: (e: unknown) => unknown) =>
            serialize(async () => (target as Builder).execute()).then(ok, fail);
        if (typeof value !== "function") return value;
        return (...args: unknown[]) => {
          const result = (value as (...a: unknown[]) => unknown).apply(target, args);
          return result && typeof result === "object" && "execute" in result ? wrap(result) : result;
        };
      },
    });
  return new Proxy(drizzleDb, {
    get(target, key) {
      const value = Reflect.get(target, key, target) as unknown;
      if (key !== "insert" && key !== "update" && key !== "delete") return value;
      return (...args: unknown[]) => wrap((value as (...a: unknown[]) => object).apply(target, args));
    },
  });
}

/**
 * Every new session is a sign-in, however it was made (password, or a single sign-on callback), so
 * the audit log records sign-ins here rather than in each sign-in path. A session for a
 * deactivated user is revoked at once by the sign-in path and recorded there as a failure.
 */
async function recordSignIn(
  session: { userId: string; ipAddress?: string | null },
  context: { path?: string; headers?: Headers } | null,
) {
  const user = await getUser(session.userId).catch(() => undefined);
  if (!user || user.deactivatedAt) return;
  await recordAudit("sign-in", {
    actor: { name: `${user.name} <${user.email}>`, userId: user.id },
    detail: { method: context?.path === "/sign-in/email" ? "password" : (context?.path ?? "session") },
    ip: context?.headers ? clientAddress(context.headers) : (session.ipAddress ?? null),
  });
}

function createAuth(db: Db) {
  const appUrl = process.env.APP_URL;
  const { sso } = authConfig();
  const ssoHooks = ssoDatabaseHooks(sso);
  return betterAuth({
    appName: "Partnership Atlas",
    baseURL: appUrl ?? `http://localhost:${process.env.PORT ?? 3000}`,
    secret: authSecret(),
    database: authDatabase(db),
    // Accounts are made by the owner at /setup, by admins, or from the shell; never by sign-up.
    emailAndPassword: { enabled: true, disableSignUp: true, minPasswordLength: 10, maxPasswordLength: 256 },
    user: {
      additionalFields: {
        role: { type: [...USER_ROLES], required: false, defaultValue: "viewer", input: false },
        deactivatedAt: { type: "date", required: false, input: false },
      },
    },
    // No cookie cache: every request checks its session row, so a sign-out or deactivation on any
    // app server ends the session on all of them at once.
    session: { expiresIn: 60 * 60 * 24 * 14, updateAge: 60 * 60 * 24, cookieCache: { enabled: false } },
    // Our own limiter guards sign-in (per account and per client); better-auth's HTTP routes are
    // not mounted at all, so its limiter has nothing to do.
    rateLimit: { enabled: false },
    telemetry: { enabled: false },
    // Single sign-on's checks before a user, account or session is made, and the audit log's
    // record of every session made (a sign-in, however it came).
    databaseHooks: {
      ...ssoHooks,
      session: {
        create: {
          ...ssoHooks.session.create,
          after: async (session, context) => {
            await recordSignIn(session, context ?? null);
          },
        },
      },
    },
    advanced: { useSecureCookies: appUrl?.startsWith("https://") ?? false },
    // Single sign-on (docs/sso.md): only the callback route is mounted (app/api/auth/callback/oidc);
    // a failed sign-in comes back to the sign-in page, which says why.
    plugins: sso ? [ssoPlugin(sso)] : [],
    onAPIError: { errorURL: "/sign-in" },
  });
}

type Auth = ReturnType<typeof createAuth>;
const globalForAuth = globalThis as unknown as {
  atlasAuth?: Auth;
  atlasAuthDb?: object;
  atlasAuthSettings?: string;
  atlasAuthConnection?: { close(): void };
};

/**
 * Created on first use, like the database connection, so `next build` never needs either; made
 * again when the connection was reopened (db/core/index.ts), since the adapter holds the connection.
 */
export function getAuth(): Auth {
  const db = getDb();
  // The provider is part of the instance: other OIDC settings (tests change them) make a new one.
  const settings = AUTH_SETTINGS.map((name) => process.env[name] ?? "").join("\n");
  if (globalForAuth.atlasAuthDb !== db || globalForAuth.atlasAuthSettings !== settings)
    globalForAuth.atlasAuth = undefined;
  globalForAuth.atlasAuth ??= createAuth(db);
  globalForAuth.atlasAuthDb = db;
  globalForAuth.atlasAuthSettings = settings;
  return globalForAuth.atlasAuth;
}

/** Creates a user with an email/password login. An email already taken is an InputError on "email". */
export async function createUserAccount(input: {
  name: string;
  email: string;
  password: string;
  role: UserRole;
}) {
  const ctx = await getAuth().$context;
  const email = input.email.toLowerCase();
  if (await ctx.internalAdapter.findUserByEmail(email))
    throw new InputError({ email: [`There is already an account for ${email}`] });
  const hash = await ctx.password.hash(input.password);
  const user = await ctx.internalAdapter.createUser(
    { name: input.name, email, emailVerified: true, role: input.role },
    { method: "admin" },
  );
  await ctx.internalAdapter.linkAccount({
    userId: user.id,
    providerId: "credential",
    accountId: user.id,
    password: hash,
  });
  return user;
}

/**
 * First run: creates the owner, an admin, unless any account exists by the time the (slow) hash is
 * done. Hashing happens first, outside the transaction, so the write lock is held only briefly.
 */
export async function createFirstOwnerAccount(input: { name: string; email: string; password: string }) {
  const ctx = await getAuth().$context;
  const passwordHash = await ctx.password.hash(input.password);
  return createFirstOwner({ name: input.name, email: input.email, passwordHash });
}

/** Who is making a request: a signed-in user or an API token. */
export type Principal = {
  kind: "user" | "token";
  id: string;
  name: string;
  email?: string;
  role: UserRole;
  /** What it may do through the API: a token's own scopes, a user's role's scopes. */
  scopes: ApiScope[];
  /** How the change is recorded in revisions. */
  actor: Actor;
  /** Which confidential deals it sees (issue 25): an admin every team's, a user their teams', a token none. */
  viewer: Viewer;
};

/** Resolves the principal from a Bearer token or the session cookie; deactivated users are nobody. */
export async function getPrincipal(headers: Headers): Promise<Principal | null> {
  const bearer = bearerToken(headers.get("authorization"));
  if (bearer) {
    const token = await findActiveToken(bearer);
    if (!token) return null;
    return {
      kind: "token",
      id: String(token.id),
      name: token.name,
      role: token.role,
      scopes: token.scopes,
      actor: { name: `token "${token.name}"`, tokenId: token.id },
      // A token is no team's member (it may outlive its maker's membership); an admin token sees all.
      viewer: { admin: token.role === "admin", memberOf: [] },
    };
  }
  return getSessionPrincipal(headers);
}

/**
 * The signed-in user of the session cookie only. Pages and Server Actions use this: they are the
 * browser's, and a bearer token is for scripts calling the JSON API.
 */
export async function getSessionPrincipal(headers: Headers): Promise<Principal | null> {
  if (!headers.get("cookie")) return null;
  const session = await getAuth().api.getSession({ headers });
  if (!session) return null;
  // Role and status as better-auth just read them from the users table with the session (it has no
  // cookie cache: createAuth), so a role change or deactivation applies to the very next request
  // without reading the same row a second time (issue 26).
  const { user } = session;
  const role = user.role;
  if (user.deactivatedAt || !role || !USER_ROLES.includes(role)) return null;
  return {
    kind: "user",
    id: user.id,
    name: user.name,
    email: user.email,
    role,
    scopes: scopesForRole(role),
    actor: { name: `${user.name} <${user.email}>`, userId: user.id },
    viewer: await viewerOfUser({ id: user.id, role }),
  };
}

/**
 * The filters as this principal reads them: with the audience of the confidential deals it sees.
 * Every route and page reading a set of deals passes its filters through this (issue 25); filters
 * without an audience see public deals only.
 */
export async function forPrincipal<F extends DealFilters>(
  filters: F,
  principal: Pick<Principal, "viewer">,
): Promise<F> {
  return { ...filters, audience: await audienceOf(principal.viewer) };
}
