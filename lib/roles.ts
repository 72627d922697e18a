import { USER_ROLES, type UserRole } from "@/lib/enums";

/** True when `actual` includes everything `needed` may do (viewer < editor < admin). */
export function hasRole(actual: UserRole, needed: UserRole): boolean {
  return USER_ROLES.indexOf(actual) >= USER_ROLES.indexOf(needed);
}

/**
 * Deleted deals are for those who can restore them: editors and admins see them (their page, the
 * deleted list, the API with includeDeleted=1); to viewers they do not exist, everywhere alike.
 */
export function canSeeDeletedDeals(role: UserRole): boolean {
  return hasRole(role, "editor");
}

export const ROLE_DESCRIPTIONS: Record<UserRole, string> = {
  viewer: "browse everything and export CSV",
  editor: "also add, edit, delete and restore deals, companies and technology areas",
  admin: "also manage users and API tokens",
};
