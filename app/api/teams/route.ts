import { NextResponse } from "next/server";
import { createTeam, listTeams } from "@/db/accounts/teams";
import { teamInput } from "@/lib/team-input";
import { authorize, handle, parseOrThrow, readJson } from "@/server/api";

export async function GET(request: Request) {
  return handle(async () => {
    await authorize(request, "admin");
    return NextResponse.json({ items: await listTeams() });
  });
}

/** `{ name, members: [e-mail, …] }` → 201 `{ id, slug, name, members }`. */
export async function POST(request: Request) {
  return handle(async () => {
    const { actor } = await authorize(request, "admin");
    const input = parseOrThrow(teamInput, await readJson(request, 64 * 1024));
    return NextResponse.json(await createTeam(input, actor), { status: 201 });
  });
}
