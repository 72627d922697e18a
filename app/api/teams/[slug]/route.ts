import { NextResponse } from "next/server";
import { deleteTeam, updateTeam } from "@/db/accounts/teams";
import { teamPatch } from "@/lib/team-input";
import { authorize, handle, parseOrThrow, readJson } from "@/server/api";

type Context = { params: Promise<{ slug: string }> };

/** A new name (the slug follows it) and/or the whole new list of members. */
export async function PATCH(request: Request, { params }: Context) {
  return handle(async () => {
    const { actor } = await authorize(request, "admin");
    const patch = parseOrThrow(teamPatch, await readJson(request, 64 * 1024));
    return NextResponse.json(await updateTeam((await params).slug, patch, actor));
  });
}

/** Refused with 409 while the team owns deals (deleted ones included). */
export async function DELETE(request: Request, { params }: Context) {
  return handle(async () => {
    const { actor } = await authorize(request, "admin");
    await deleteTeam((await params).slug, actor);
    return new Response(null, { status: 204 });
  });
}
