import { NextResponse } from "next/server";
import { listCandidates } from "@/db/news/candidates";
import { candidateQuery } from "@/lib/news/schemas";
import { authorize, handle, parseParams } from "@/server/api";

/** The triage queue: waiting candidates of every kind, newest first, unless filtered. Editors. */
export async function GET(request: Request) {
  return handle(async () => {
    const { viewer } = await authorize(request, "deals:write");
    return NextResponse.json(await listCandidates(parseParams(request, candidateQuery), viewer));
  });
}
