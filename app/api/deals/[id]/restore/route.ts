import { NextResponse } from "next/server";
import { restoreDeal } from "@/db/deals/deal-writes";
import { authorize, handle, parseId } from "@/server/api";

export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }) {
  return handle(async () => {
    const { actor, viewer } = await authorize(request, "deals:write");
    return NextResponse.json(await restoreDeal(parseId((await params).id), { actor, viewer }));
  });
}
