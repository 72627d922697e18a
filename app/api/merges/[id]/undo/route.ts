import { NextResponse } from "next/server";
import { undoMerge } from "@/db/directory/merges";
import { authorize, errorResponse, handle } from "@/server/api";

/** Undoes a merge, or answers 409 with the reason it no longer applies (nothing changed). */
export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }) {
  return handle(async () => {
    const { actor } = await authorize(request, "companies:write");
    const { id } = await params;
    if (!/^\d{1,15}$/.test(id)) return errorResponse(404, "Merge not found");
    return NextResponse.json(await undoMerge(Number(id), actor));
  });
}
