import { NextResponse } from "next/server";
import { createDeal } from "@/db/deals/deal-writes";
import { listDeals } from "@/db/deals/deals";
import { dealInput } from "@/lib/validation";
import { authorize, handle, invalid, parseOrThrow, readJson } from "@/server/api";
import { parseDealFilters } from "@/lib/filters";
import { forPrincipal } from "@/server/auth/principal";
import { idempotencyKey, idempotentWrite, requestHash } from "@/server/idempotency";

export async function GET(request: Request) {
  return handle(async () => {
    const principal = await authorize(request, "deals:read");
    const parsed = parseDealFilters(new URL(request.url).searchParams, { strict: true });
    if (!parsed.success) return invalid(parsed.errors);
    return NextResponse.json(await listDeals(await forPrincipal(parsed.filters, principal)));
  });
}

export async function POST(request: Request) {
  return handle(async () => {
    const principal = await authorize(request, "deals:write");
    const key = idempotencyKey(request);
    const body = await readJson(request);
    const input = parseOrThrow(dealInput, body);
    const create = () => createDeal(input, { actor: principal.actor, viewer: principal.viewer });
    const created = (deal: Awaited<ReturnType<typeof create>>) => ({
      status: 201,
      body: deal,
      location: `/api/deals/${deal.id}`,
    });
    if (key) {
      const scope = { key, principal, endpoint: "POST /api/deals", requestHash: requestHash([body]) };
      return await idempotentWrite(scope, create, created);
    }
    const answer = created(await create());
    return NextResponse.json(answer.body, { status: 201, headers: { Location: answer.location } });
  });
}
