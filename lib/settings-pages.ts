import type { UserRole } from "@/lib/enums";
import { hasRole } from "@/lib/roles";

// The settings pages, listed once for the account menu and /settings; each page checks the role itself.

export const SETTINGS_PAGES = [
  {
    href: "/settings/feeds",
    label: "Feeds",
    need: "viewer",
    description: "Atom feeds of your views and watches, for feed readers.",
  },
  {
    href: "/settings/digest",
    label: "E-mail digest",
    need: "viewer",
    description: "A daily or weekly e-mail of what changed in your watches and views.",
  },
  {
    href: "/settings/users",
    label: "Users",
    need: "admin",
    description: "Add people, set roles, deactivate.",
  },
  {
    href: "/settings/teams",
    label: "Teams",
    need: "admin",
    description: "Group people into teams, for deals only a team may see.",
  },
  {
    href: "/settings/tokens",
    label: "API tokens",
    need: "admin",
    description: "Bearer tokens for scripts that call the JSON API.",
  },
  {
    href: "/settings/webhooks",
    label: "Webhooks",
    need: "admin",
    description: "Endpoints that receive changes as signed JSON.",
  },
  {
    href: "/settings/audit",
    label: "Security audit log",
    need: "admin",
    description:
      "Sign-ins, role and team changes, tokens, share links, exports and backups: who did what, and when.",
  },
] as const satisfies readonly { href: string; label: string; need: UserRole; description: string }[];

/** The settings pages `role` may open, in menu order. */
export const settingsPagesFor = (role: UserRole) => SETTINGS_PAGES.filter((p) => hasRole(role, p.need));
