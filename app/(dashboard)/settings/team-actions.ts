"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { createTeam, deleteTeam, updateTeam } from "@/db/accounts/teams";
import { NotFoundError, RefusedError } from "@/db/core/errors";
import type { TeamFormState } from "@/lib/form-state";
import { teamInput } from "@/lib/team-input";
import { runFormAction } from "@/server/action";
import { requireActionRole } from "@/server/auth/page";

// Admin-only: teams on /settings/teams, through the same validation and writes as /api/teams.

const teamSlug = z.string().min(1).max(200);

export async function createTeamAction(_previous: TeamFormState, raw: unknown): Promise<TeamFormState> {
  const result = await runFormAction("admin", teamInput, raw, (input, admin) =>
    createTeam(input, admin.actor),
  );
  if (!result.ok) return result.state;
  revalidatePath("/settings/teams");
  return { status: "saved", name: result.value.name, created: true };
}

/** The edit form sends the whole team: its name and every member. */
export async function updateTeamAction(_previous: TeamFormState, raw: unknown): Promise<TeamFormState> {
  const result = await runFormAction(
    "admin",
    teamInput.extend({ slug: teamSlug }),
    raw,
    ({ slug, ...patch }, admin) => updateTeam(slug, patch, admin.actor),
  );
  if (!result.ok) return result.state;
  revalidatePath("/settings/teams");
  return { status: "saved", name: result.value.name, created: false };
}

/** A refusal (the team owns deals) comes back to the page, shown above the teams. */
export async function deleteTeamAction(formData: FormData) {
  const admin = await requireActionRole("admin");
  const parsed = z.object({ slug: teamSlug }).safeParse(Object.fromEntries(formData));
  if (!parsed.success) redirect("/settings/teams");
  try {
    await deleteTeam(parsed.data.slug, admin.actor);
  } catch (error) {
    // Deleted meanwhile (another tab, another admin): what was asked for is done.
    if (error instanceof NotFoundError) return revalidatePath("/settings/teams");
    if (!(error instanceof RefusedError)) throw error;
    redirect(`/settings/teams?refused=${encodeURIComponent(error.message)}`);
  }
  revalidatePath("/settings/teams");
}
