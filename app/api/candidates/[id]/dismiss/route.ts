import { NextResponse } from "next/server";
import { dismissCandidate } from "@/db/news/candidates";
import { dismissInput } from "@/lib/news/schemas";
import { authorize, handle, parseId, parseOrThrow, readJson } from "@/server/api";

type Context = { params: Promise<{ id: string }> };

/** Dismisses a candidate with a reason (not a deal, out of scope, duplicate). 409 once decided. */
export async function POST(request: Request, { params }: Context) {
  return handle(async () => {
    const { actor } = await authorize(request, "deals:write");
    const id = parseId((await params).id, "Candidate");
    const { reason } = parseOrThrow(dismissInput, await readJson(request));
    await dismissCandidate(id, reason, actor);
    return NextResponse.json({ id, status: "dismissed", reason });
  });
}
