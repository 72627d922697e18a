import type { Metadata } from "next";
import { listTeams } from "@/db/accounts/teams";
import { TeamForm } from "@/components/settings/team-form";
import { AccessDenied } from "@/components/ui/access-denied";
import { hasRole } from "@/lib/roles";
import { requirePrincipal } from "@/server/auth/page";
import { createTeamAction, deleteTeamAction, updateTeamAction } from "../team-actions";

export const metadata: Metadata = { title: "Teams" };

export default async function TeamsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const me = await requirePrincipal();
  if (!hasRole(me.role, "admin")) return <AccessDenied need="admin" />;
  const teams = await listTeams();
  const { refused } = await searchParams;
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Teams</h1>
          <p>
            Teams group people by their e-mail address. A confidential deal will be visible only to its
            team&rsquo;s members and to admins. Every change is recorded in the security audit log.
          </p>
        </div>
      </div>
      {typeof refused === "string" && (
        <div className="alert error" role="alert">
          Not deleted: {refused.slice(0, 300)}
        </div>
      )}
      <section className="card" aria-labelledby="new-team-h">
        <h2 id="new-team-h">Create a team</h2>
        <TeamForm action={createTeamAction} idPrefix="nt" submitLabel="Create team" />
      </section>
      {teams.length === 0 && <p className="section-gap muted">No teams yet.</p>}
      {teams.map((team) => (
        <section key={team.id} className="card section-gap" aria-labelledby={`team-${team.id}`}>
          <h2 id={`team-${team.id}`}>{team.name}</h2>
          {team.members.length ? (
            <ul aria-label={`Members of ${team.name}`}>
              {team.members.map((email) => (
                <li key={email}>{email}</li>
              ))}
            </ul>
          ) : (
            <p className="muted">No members yet.</p>
          )}
          <details>
            <summary>Change {team.name}</summary>
            <TeamForm
              action={updateTeamAction}
              idPrefix={`team-${team.id}-edit`}
              slug={team.slug}
              name={team.name}
              members={team.members}
              submitLabel="Save team"
            />
          </details>
          <form action={deleteTeamAction} className="section-gap">
            <input type="hidden" name="slug" value={team.slug} />
            <button type="submit" className="button small danger">
              Delete {team.name}
            </button>
          </form>
        </section>
      ))}
    </>
  );
}
