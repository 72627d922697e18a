import { API_SCOPES, USER_ROLES, type ApiScope, type UserRole } from "@/lib/enums";
import { hasRole } from "@/lib/roles";

// API token scopes. Each scope needs a role, so a route declares only its scope and the role
// check follows from it (server/api.ts `authorize`). Viewers may export CSV today, so `export`
// is a viewer's scope too: a token made before scopes keeps exactly its role's rights.

/** The least role that may use each scope. */
export const SCOPE_ROLE: Record<ApiScope, UserRole> = {
  "deals:read": "viewer",
  "stats:read": "viewer",
  export: "viewer",
  "deals:write": "editor",
  "companies:write": "editor",
  import: "editor",
  admin: "admin",
};

export const SCOPE_DESCRIPTIONS: Record<ApiScope, string> = {
  "deals:read": "read deals, companies and technology areas",
  "stats:read": "read charts, the timeline and the network",
  export: "download CSV exports",
  "deals:write": "create, change, delete and restore deals; draft deals from articles; decide news candidates",
  "companies:write": "create, change and merge companies and technology areas",
  import: "import deals from CSV, and manage the news sources Atlas reads",
  admin: "manage webhooks and read the security audit log",
};

/** Every scope a role may hold: what a token without its own scopes (made before them) can do. */
export function scopesForRole(role: UserRole): ApiScope[] {
  return API_SCOPES.filter((scope) => hasRole(role, SCOPE_ROLE[scope]));
}

/** The least role that holds all of `scopes` (viewer for none). */
export function roleForScopes(scopes: readonly ApiScope[]): UserRole {
  return USER_ROLES.find((role) => scopes.every((scope) => hasRole(role, SCOPE_ROLE[scope]))) ?? "admin";
}
