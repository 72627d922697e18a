import { NextResponse } from "next/server";
import { createDeal } from "@/db/mutations";
import { listDeals } from "@/db/queries";
import { dealInput } from "@/db/validation";
import { authorize, handle, invalid, parseOrThrow, readJson } from "@/server/api";
import { parseDealFilters } from "@/lib/filters";

export async function GET(request: Request) {
  return handle(async () => {
    await authorize(request, "viewer");
    const parsed = parseDealFilters(new URL(request.url).searchParams, { strict: true });
    if (!parsed.success) return invalid(parsed.errors);
    return NextResponse.json(listDeals(parsed.filters));
  });
}

export async function POST(request: Request) {
  return handle(async () => {
    const { actor } = await authorize(request, "editor");
    const input = parseOrThrow(dealInput, await readJson(request));
    const deal = createDeal(input, { actor });
    return NextResponse.json(deal, { status: 201, headers: { Location: `/api/deals/${deal.id}` } });
  });
}
