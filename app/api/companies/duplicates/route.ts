import { NextResponse } from "next/server";
import { z } from "zod";
import { listDuplicates } from "@/db/duplicates";
import { authorize, handle, parseOrThrow } from "@/server/api";

const query = z.object({
  limit: z.coerce
    .number({ error: "Use a number" })
    .int()
    .min(1)
    .max(500, { error: "At most 500" })
    .default(100),
});

/** Likely duplicate companies with a score (0–1) and the reasons, strongest first. */
export async function GET(request: Request) {
  return handle(async () => {
    await authorize(request, "viewer");
    const { limit } = parseOrThrow(query, Object.fromEntries(new URL(request.url).searchParams));
    return NextResponse.json({ items: await listDuplicates({ limit }) });
  });
}
