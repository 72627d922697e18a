import { USER_ROLES, type UserRole } from "@/lib/enums";

/** True when `actual` includes everything `needed` may do (viewer < editor < admin). */
export function hasRole(actual: UserRole, needed: UserRole): boolean {
  return USER_ROLES.indexOf(actual) >= USER_ROLES.indexOf(needed);
}

export const ROLE_DESCRIPTIONS: Record<UserRole, string> = {
  viewer: "browse everything and export CSV",
  editor: "also add, edit, delete and restore deals, companies and technology areas",
  admin: "also manage users and API tokens",
};
