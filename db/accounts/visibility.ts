import "server-only";
import { eq, inArray, isNotNull, sql } from "drizzle-orm";
import type { Audience } from "@/lib/filters";
import type { DealVisibility } from "@/lib/validation";
import { InputError } from "../core/errors";
import type { Reader } from "../core/connection";
import { getDb } from "../core/index";
import { deals, teamMembers, teams } from "../schema";

// Confidential deals (issue 25): a deal's `team_id` makes it visible to that team's members and to
// admins only. Who is asking is a Viewer (from the session or the token); what a set of deals
// shows them is an Audience (lib/filters.ts), the teams among theirs that own deals. Every read of
// a set of deals takes the audience in its filters, and a filter without one sees public deals only,
// so a read that forgets it hides confidential deals rather than leaking them.

/** Who is asking: an admin sees every team's deals; anyone else their teams' (a token: none). */
export type Viewer = { admin: boolean; memberOf: readonly number[] };

/** Sees only deals visible to everyone: share links, feeds' public parts, scripts without a user. */
export const PUBLIC_VIEWER: Viewer = { admin: false, memberOf: [] };

/** The teams a user belongs to. */
export async function teamIdsOf(userId: string, db: Reader = getDb()): Promise<number[]> {
  const rows = await db
    .select({ teamId: teamMembers.teamId })
    .from(teamMembers)
    .where(eq(teamMembers.userId, userId));
  return rows.map((r) => r.teamId);
}

/** A user's viewer: their role and teams. */
export async function viewerOfUser(
  user: { id: string; role: string },
  db: Reader = getDb(),
): Promise<Viewer> {
  return {
    admin: user.role === "admin",
    memberOf: user.role === "admin" ? [] : await teamIdsOf(user.id, db),
  };
}

/**
 * The audience of a viewer: the teams whose deals they may see that own at least one deal (deleted
 * ones included). Teams without deals are left out, so a team member whose team keeps nothing
 * confidential is the public audience and reads the per-bucket counts like everyone else.
 */
export async function audienceOf(viewer: Viewer, db: Reader = getDb()): Promise<Audience> {
  if (!viewer.admin && !viewer.memberOf.length) return { teams: [] };
  const owning = db
    .selectDistinct({ teamId: deals.teamId })
    .from(deals)
    .where(isNotNull(deals.teamId))
    .$dynamic();
  const rows = viewer.admin ? await owning : await owning.where(inArray(deals.teamId, [...viewer.memberOf]));
  return { teams: rows.map((r) => r.teamId!).sort((a, b) => a - b) };
}

/** Whether a viewer may see a deal of this team (null: everyone's). */
export const mayView = (viewer: Viewer | undefined, teamId: number | null): boolean =>
  teamId === null || !!viewer?.admin || !!viewer?.memberOf.includes(teamId);

/**
 * The `team_id` a deal's visibility is saved as, for this writer: a team they belong to (any team
 * for an admin). Anything else is a field error on `visibility`: an unknown team and a team the
 * writer is not in read alike, so the answer tells nothing of other teams.
 */
export async function teamIdForWrite(
  visibility: DealVisibility,
  viewer: Viewer | undefined,
  db: Reader,
): Promise<number | null> {
  if (visibility === "everyone") return null;
  const [team] = await db
    .select({ id: teams.id })
    .from(teams)
    .where(sql`${teams.slug} = ${visibility.team}`);
  if (team && (viewer?.admin || viewer?.memberOf.includes(team.id))) return team.id;
  throw new InputError({ visibility: [`You are not a member of a team "${visibility.team}"`] });
}

/** The slugs and names of teams, by id, for the deals' `visibility` field. */
export async function teamsById(
  ids: number[],
  db: Reader,
): Promise<Map<number, { slug: string; name: string }>> {
  if (!ids.length) return new Map();
  const rows = await db
    .select({ id: teams.id, slug: teams.slug, name: teams.name })
    .from(teams)
    .where(inArray(teams.id, [...new Set(ids)]));
  return new Map(rows.map((t) => [t.id, { slug: t.slug, name: t.name }]));
}

/** The teams a viewer may make a deal confidential to, by name: theirs, or every team for an admin. */
export async function teamChoices(
  viewer: Viewer,
  db: Reader = getDb(),
): Promise<{ slug: string; name: string }[]> {
  if (!viewer.admin && !viewer.memberOf.length) return [];
  const query = db.select({ slug: teams.slug, name: teams.name }).from(teams).$dynamic();
  return (viewer.admin ? query : query.where(inArray(teams.id, [...viewer.memberOf]))).orderBy(teams.name);
}
