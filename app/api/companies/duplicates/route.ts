import { NextResponse } from "next/server";
import { listDuplicates } from "@/db/directory/duplicates";
import { authorize, handle, parseOrThrow } from "@/server/api";
import { duplicatesQuery } from "@/server/api-params";

/** Likely duplicate companies with a score (0–1) and the reasons, strongest first. */
export async function GET(request: Request) {
  return handle(async () => {
    await authorize(request, "deals:read");
    const { limit } = parseOrThrow(duplicatesQuery, Object.fromEntries(new URL(request.url).searchParams));
    return NextResponse.json({ items: await listDuplicates({ limit }) });
  });
}
