import { NextResponse } from "next/server";
import { restoreDeal } from "@/db/mutations";
import { handle, parseId } from "@/lib/api";

export async function POST(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  return handle(async () => NextResponse.json(restoreDeal(parseId((await params).id), { actor: "api" })));
}
