import { NextResponse } from "next/server";
import { acceptCandidate } from "@/db/news/candidates";
import { acceptInput } from "@/lib/news/schemas";
import { authorize, handle, parseId, parseOrThrow, readJson } from "@/server/api";

type Context = { params: Promise<{ id: string }> };

/**
 * Accepts a candidate: 201 with the new deal's id (the draft, overridden by the body's deal fields,
 * with every item's link as a source); a status change is applied to its deal instead (200). 409 once decided.
 */
export async function POST(request: Request, { params }: Context) {
  return handle(async () => {
    const { actor, viewer } = await authorize(request, "deals:write");
    const id = parseId((await params).id, "Candidate");
    // The body is optional: without one the draft is accepted as it is.
    const empty = !request.body || request.headers.get("content-length") === "0";
    const body = empty ? null : await readJson(request);
    const override = parseOrThrow(acceptInput, body);
    const { dealId, created } = await acceptCandidate(id, override, actor, viewer);
    return NextResponse.json({ dealId }, { status: created ? 201 : 200 });
  });
}
