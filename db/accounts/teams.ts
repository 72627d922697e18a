import "server-only";
import { and, asc, count, eq, inArray, ne, sql, type SQL } from "drizzle-orm";
import { labelKey, normalizeName, slugify } from "@/lib/names";
import { plural } from "@/lib/plural";
import type { TeamInput, TeamPatch } from "@/lib/team-input";
import { recordAudit } from "../audit/events";
import type { Actor } from "../audit/revisions";
import { InputError, NotFoundError, RefusedError } from "../core/errors";
import { isPg } from "../core/dialect";
import { getDb, type Db, type Reader, type Tx } from "../core/index";
import { readAll } from "../core/read-all";
import { deals, teamMembers, teams, users, webhooks } from "../schema";

// Teams (issue 25): groups of users an admin keeps, so a confidential deal can later be shown to
// one team's members (and admins) only. Every change is recorded in the security audit log.

/** A team as the API answers it: members by e-mail, in alphabetical order. */
export type Team = { id: number; slug: string; name: string; members: string[] };

async function readTeams(db: Reader, where?: SQL): Promise<Team[]> {
  const [rows, memberRows] = await readAll(db, [
    db
      .select({ id: teams.id, slug: teams.slug, name: teams.name })
      .from(teams)
      .where(where)
      .orderBy(asc(teams.name)),
    db
      .select({ teamId: teamMembers.teamId, email: users.email })
      .from(teamMembers)
      .innerJoin(teams, eq(teams.id, teamMembers.teamId))
      .innerJoin(users, eq(users.id, teamMembers.userId))
      .where(where)
      .orderBy(asc(users.email)),
  ]);
  return rows.map((team) => ({
    ...team,
    members: memberRows.filter((m) => m.teamId === team.id).map((m) => m.email),
  }));
}

export async function listTeams(db: Reader = getDb()): Promise<Team[]> {
  return readTeams(db);
}

export async function getTeam(slug: string, db: Reader = getDb()): Promise<Team | undefined> {
  return (await readTeams(db, eq(teams.slug, slug)))[0];
}

/**
 * On PostgreSQL, team writes take turns, so two admins creating "Research" at once get one team and
 * a field error instead of a unique-index failure. SQLite's writes are serial already.
 */
async function takeTeamTurn(tx: Tx) {
  if (isPg) await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext('atlas:teams'))`);
}

/** Refuses a name another team has, whatever its case or spacing. */
async function checkNameFree(tx: Tx, nameKey: string, selfId?: number) {
  const [taken] = await tx
    .select({ name: teams.name })
    .from(teams)
    .where(and(eq(teams.nameKey, nameKey), selfId === undefined ? undefined : ne(teams.id, selfId)));
  if (taken) throw new InputError({ name: [`There is a team named “${taken.name}” already`] });
}

/** The name's slug, or the first free "-2", "-3"… after it. */
async function freeSlug(tx: Tx, name: string, selfId?: number): Promise<string> {
  const base = slugify(name);
  for (let n = 1; ; n++) {
    const slug = n === 1 ? base : `${base}-${n}`;
    const [owner] = await tx.select({ id: teams.id }).from(teams).where(eq(teams.slug, slug));
    if (!owner || owner.id === selfId) return slug;
  }
}

/**
 * The users the e-mails name, once each in the order given. An e-mail that is no user's is a field
 * error at its place in the list as sent (`members.2`), so the form and the API can point at it.
 */
async function resolveMembers(tx: Tx, emails: string[]): Promise<Map<string, string>> {
  const wanted = [...new Set(emails)];
  const found = wanted.length
    ? await tx
        .select({ id: users.id, email: sql<string>`lower(${users.email})` })
        .from(users)
        .where(inArray(sql`lower(${users.email})`, wanted))
    : [];
  const byEmail = new Map(found.map((user) => [user.email, user.id]));
  const errors: Record<string, string[]> = {};
  emails.forEach((email, i) => {
    if (!byEmail.has(email)) errors[`members.${i}`] = [`No user has the e-mail address ${email}`];
  });
  if (Object.keys(errors).length) throw new InputError(errors);
  return new Map(wanted.map((email) => [email, byEmail.get(email)!]));
}

async function findTeam(tx: Tx, slug: string): Promise<Team> {
  const team = await getTeam(slug, tx);
  if (!team) throw new NotFoundError("Team");
  return team;
}

export async function createTeam(input: TeamInput, by: Actor | string, db: Db = getDb()): Promise<Team> {
  const name = normalizeName(input.name);
  const team = await db.write(async (tx) => {
    await takeTeamTurn(tx);
    const nameKey = labelKey(name);
    await checkNameFree(tx, nameKey);
    const members = await resolveMembers(tx, input.members);
    const [row] = await tx
      .insert(teams)
      .values({ name, nameKey, slug: await freeSlug(tx, name) })
      .returning({ id: teams.id, slug: teams.slug });
    if (members.size)
      await tx
        .insert(teamMembers)
        .values([...members.values()].map((userId) => ({ teamId: row!.id, userId })));
    return findTeam(tx, row!.slug);
  });
  await recordAudit(
    "team-created",
    { actor: by, detail: { team: team.name, slug: team.slug, members: team.members } },
    db,
  );
  return team;
}

/** Renames a team (its slug follows the name) and/or replaces its members. */
export async function updateTeam(
  slug: string,
  patch: TeamPatch,
  by: Actor | string,
  db: Db = getDb(),
): Promise<Team> {
  const { before, after } = await db.write(async (tx) => {
    await takeTeamTurn(tx);
    const before = await findTeam(tx, slug);
    const name = patch.name === undefined ? before.name : normalizeName(patch.name);
    if (name !== before.name) {
      const nameKey = labelKey(name);
      await checkNameFree(tx, nameKey, before.id);
      await tx
        .update(teams)
        .set({ name, nameKey, slug: await freeSlug(tx, name, before.id), updatedAt: new Date() })
        .where(eq(teams.id, before.id));
    }
    if (patch.members) {
      const members = await resolveMembers(tx, patch.members);
      await tx.delete(teamMembers).where(eq(teamMembers.teamId, before.id));
      if (members.size)
        await tx
          .insert(teamMembers)
          .values([...members.values()].map((userId) => ({ teamId: before.id, userId })));
    }
    const [row] = await tx.select({ slug: teams.slug }).from(teams).where(eq(teams.id, before.id));
    return { before, after: await findTeam(tx, row!.slug) };
  });
  const added = after.members.filter((email) => !before.members.includes(email));
  const removed = before.members.filter((email) => !after.members.includes(email));
  if (added.length || removed.length || after.name !== before.name)
    await recordAudit(
      "team-changed",
      {
        actor: by,
        detail: {
          team: after.name,
          slug: after.slug,
          ...(after.name !== before.name && { renamedFrom: before.name }),
          ...(added.length > 0 && { added }),
          ...(removed.length > 0 && { removed }),
        },
      },
      db,
    );
  return after;
}

/**
 * Deletes a team and its memberships. Refused while any deal — deleted ones included, as they can be
 * restored — is the team's: deleting the team would make them visible to everyone; and while a
 * webhook endpoint is registered for it.
 */
export async function deleteTeam(slug: string, by: Actor | string, db: Db = getDb()): Promise<void> {
  const team = await db.write(async (tx) => {
    await takeTeamTurn(tx);
    const team = await findTeam(tx, slug);
    const [owned] = await tx.select({ n: count() }).from(deals).where(eq(deals.teamId, team.id));
    const n = owned?.n ?? 0;
    if (n > 0)
      throw new RefusedError(
        `${team.name} owns ${plural(n, "deal")} (deleted deals included), so it cannot be deleted: make ${n === 1 ? "that deal" : "those deals"} visible to everyone or give ${n === 1 ? "it" : "them"} to another team first.`,
      );
    // Likewise its webhook endpoints: they receive its confidential deals, and none is quietly
    // turned into a public one.
    const [hooks] = await tx.select({ n: count() }).from(webhooks).where(eq(webhooks.teamId, team.id));
    const h = hooks?.n ?? 0;
    if (h > 0)
      throw new RefusedError(
        `${plural(h, "webhook endpoint")} ${h === 1 ? "is" : "are"} registered for ${team.name}, so it cannot be deleted: register ${h === 1 ? "it" : "them"} for everyone or another team, or delete ${h === 1 ? "it" : "them"}, first.`,
      );
    await tx.delete(teams).where(eq(teams.id, team.id));
    return team;
  });
  await recordAudit(
    "team-deleted",
    { actor: by, detail: { team: team.name, slug: team.slug, members: team.members } },
    db,
  );
}
