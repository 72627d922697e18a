import { NextResponse } from "next/server";
import { attachCandidate } from "@/db/news/candidates";
import { attachInput } from "@/lib/news/schemas";
import { authorize, handle, parseId, parseOrThrow, readJson } from "@/server/api";

type Context = { params: Promise<{ id: string }> };

/** Adds a candidate's sources to a recorded deal ("Add to deal #N"). 409 once decided. */
export async function POST(request: Request, { params }: Context) {
  return handle(async () => {
    const { actor, viewer } = await authorize(request, "deals:write");
    const id = parseId((await params).id, "Candidate");
    const { dealId } = parseOrThrow(attachInput, await readJson(request));
    return NextResponse.json(await attachCandidate(id, dealId, actor, viewer));
  });
}
