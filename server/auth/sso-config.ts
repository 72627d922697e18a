import { z } from "zod";
import { USER_ROLES, type UserRole } from "@/lib/enums";

// Single sign-on settings, read from the environment (docs/sso.md). One parser for the server's
// start (which refuses to serve with a broken setting), the auth setup and the sign-in page, so
// they can never disagree about whether SSO is on.

/** The provider id better-auth knows the issuer by: the callback is /api/auth/callback/oidc. */
export const SSO_PROVIDER_ID = "oidc";

export type SsoConfig = {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** What the button says: "Sign in with {name}". */
  name: string;
  scopes: string[];
  /** The role of a user no mapping names; null ("none") refuses them. */
  defaultRole: UserRole | null;
  /** The claim the role is read from at each sign-in; without it roles are managed in Atlas. */
  roleClaim: string | null;
  /** Claim value → role, e.g. atlas-admins → admin. */
  roleMap: Map<string, UserRole>;
};

/** Every variable the sign-in settings are read from (getAuth makes a new instance when one changes). */
export const AUTH_SETTINGS = [
  "APP_URL",
  "OIDC_ISSUER",
  "OIDC_CLIENT_ID",
  "OIDC_CLIENT_SECRET",
  "OIDC_NAME",
  "OIDC_SCOPES",
  "OIDC_DEFAULT_ROLE",
  "OIDC_ROLE_CLAIM",
  "OIDC_ROLE_MAP",
  "PASSWORD_SIGNIN",
] as const;

export type AuthConfig = { sso: SsoConfig | null; passwordSignIn: boolean };

const ROLE_OR_NONE = [...USER_ROLES, "none"] as const;

const optional = z
  .string()
  .trim()
  .transform((s) => s || undefined)
  .optional();

const env = z
  .object({
    OIDC_ISSUER: optional.pipe(
      z
        .url({
          protocol: /^https?$/,
          error: "OIDC_ISSUER must be the issuer's URL, e.g. https://id.example.org/realms/staff",
        })
        .optional(),
    ),
    OIDC_CLIENT_ID: optional,
    OIDC_CLIENT_SECRET: optional,
    OIDC_NAME: optional,
    OIDC_SCOPES: optional,
    OIDC_DEFAULT_ROLE: optional.pipe(
      z
        .enum(ROLE_OR_NONE, { error: `OIDC_DEFAULT_ROLE must be one of ${ROLE_OR_NONE.join(", ")}` })
        .optional(),
    ),
    OIDC_ROLE_CLAIM: optional,
    OIDC_ROLE_MAP: optional,
    PASSWORD_SIGNIN: optional.pipe(
      z
        .enum(["0", "1"], { error: "PASSWORD_SIGNIN must be 1 (password sign-in on) or 0 (SSO only)" })
        .optional(),
    ),
  })
  .superRefine((v, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    const anyOidc = [
      v.OIDC_CLIENT_ID,
      v.OIDC_CLIENT_SECRET,
      v.OIDC_NAME,
      v.OIDC_SCOPES,
      v.OIDC_DEFAULT_ROLE,
      v.OIDC_ROLE_CLAIM,
      v.OIDC_ROLE_MAP,
    ].some(Boolean);
    if (v.OIDC_ISSUER) {
      if (!v.OIDC_CLIENT_ID) issue("OIDC_CLIENT_ID", "OIDC_ISSUER is set but OIDC_CLIENT_ID is not");
      if (!v.OIDC_CLIENT_SECRET)
        issue("OIDC_CLIENT_SECRET", "OIDC_ISSUER is set but OIDC_CLIENT_SECRET is not");
    } else if (anyOidc) {
      issue("OIDC_ISSUER", "OIDC_* settings are present but OIDC_ISSUER is not set");
    }
    if (v.OIDC_ROLE_MAP && !v.OIDC_ROLE_CLAIM)
      issue(
        "OIDC_ROLE_CLAIM",
        "OIDC_ROLE_MAP is set but OIDC_ROLE_CLAIM (the claim it maps, e.g. groups) is not",
      );
    if (v.OIDC_ROLE_CLAIM && !v.OIDC_ROLE_MAP)
      issue("OIDC_ROLE_MAP", "OIDC_ROLE_CLAIM is set but OIDC_ROLE_MAP (e.g. atlas-admins=admin) is not");
    if (v.OIDC_ROLE_MAP) {
      for (const pair of roleMapEntries(v.OIDC_ROLE_MAP)) {
        const at = pair.lastIndexOf("=");
        const role = pair.slice(at + 1).trim();
        if (at <= 0 || !(USER_ROLES as readonly string[]).includes(role))
          issue(
            "OIDC_ROLE_MAP",
            `OIDC_ROLE_MAP: "${pair}" is not value=role with role ${USER_ROLES.join(", ")}`,
          );
      }
    }
    if (v.PASSWORD_SIGNIN === "0" && !v.OIDC_ISSUER)
      issue("PASSWORD_SIGNIN", "PASSWORD_SIGNIN=0 leaves no way to sign in without OIDC_ISSUER");
  });

/**
 * The value=role entries of OIDC_ROLE_MAP, separated by commas, or by semicolons when there is one
 * (group names that hold commas themselves, such as LDAP DNs).
 */
function roleMapEntries(raw: string): string[] {
  return raw
    .split(raw.includes(";") ? ";" : ",")
    .map((p) => p.trim())
    .filter(Boolean);
}

function parseRoleMap(raw: string | undefined): Map<string, UserRole> {
  const map = new Map<string, UserRole>();
  for (const pair of roleMapEntries(raw ?? "")) {
    // The last "=" splits, so a group name may itself hold one (LDAP DNs: cn=atlas,ou=groups).
    const at = pair.lastIndexOf("=");
    map.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim() as UserRole);
  }
  return map;
}

/** The settings in `source`, or every problem with them in words (one line each). */
export function parseAuthConfig(
  source: Record<string, string | undefined>,
): { ok: true; config: AuthConfig } | { ok: false; errors: string[] } {
  const parsed = env.safeParse(source);
  if (!parsed.success) return { ok: false, errors: parsed.error.issues.map((i) => i.message) };
  const v = parsed.data;
  const sso: SsoConfig | null = v.OIDC_ISSUER
    ? {
        issuer: v.OIDC_ISSUER.replace(/\/+$/, ""),
        clientId: v.OIDC_CLIENT_ID!,
        clientSecret: v.OIDC_CLIENT_SECRET!,
        name: v.OIDC_NAME ?? "single sign-on",
        scopes: (v.OIDC_SCOPES ?? "openid email profile").split(/[\s,]+/).filter(Boolean),
        defaultRole: v.OIDC_DEFAULT_ROLE === "none" ? null : (v.OIDC_DEFAULT_ROLE ?? "viewer"),
        roleClaim: v.OIDC_ROLE_CLAIM ?? null,
        roleMap: parseRoleMap(v.OIDC_ROLE_MAP),
      }
    : null;
  return { ok: true, config: { sso, passwordSignIn: v.PASSWORD_SIGNIN !== "0" } };
}

export class AuthConfigError extends Error {
  constructor(errors: string[]) {
    super(`Sign-in settings are not valid (see docs/sso.md):\n- ${errors.join("\n- ")}`);
  }
}

/** The settings of this process's environment; throws AuthConfigError when they are not valid. */
export function authConfig(): AuthConfig {
  const result = parseAuthConfig(process.env);
  if (!result.ok) throw new AuthConfigError(result.errors);
  return result.config;
}

/**
 * The role a sign-in's claims give: the highest role any value of the role claim maps to (the claim
 * may be one string or a list, as `groups` usually is), else the default. Undefined when roles are
 * not read from the provider (no OIDC_ROLE_CLAIM): Atlas keeps whatever an admin set. Null refuses.
 */
export function roleFromClaims(claims: Record<string, unknown>, sso: SsoConfig): UserRole | null | undefined {
  if (!sso.roleClaim) return undefined;
  const raw = claims[sso.roleClaim];
  const values = Array.isArray(raw) ? raw : raw === undefined || raw === null ? [] : [raw];
  let best = -1;
  for (const value of values) {
    const role = sso.roleMap.get(String(value));
    if (role) best = Math.max(best, USER_ROLES.indexOf(role));
  }
  return best >= 0 ? USER_ROLES[best]! : sso.defaultRole;
}

/** The server's start: with broken sign-in settings, says what is wrong (no stack trace) and does not serve. */
export function requireAuthConfigAtStart(): void {
  const result = parseAuthConfig(process.env);
  if (result.ok) return;
  console.error(new AuthConfigError(result.errors).message);
  process.exit(1);
}
