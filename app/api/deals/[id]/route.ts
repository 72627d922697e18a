import { getDb } from "@/db/core/index";
import { NextResponse } from "next/server";
import { z } from "zod";
import { NotFoundError } from "@/db/core/errors";
import { deleteDeal, snapshotOf, updateDeal } from "@/db/deals/deal-writes";
import { getDeal } from "@/db/deals/deals";
import { dealInput, dealPatch } from "@/lib/validation";
import { canSeeDeletedDeals } from "@/lib/roles";
import { authorize, errorResponse, handle, parseId, parseOrThrow, parseParams, readJson } from "@/server/api";
import { dealQuery, deleteDealQuery } from "@/server/api-params";

type Context = { params: Promise<{ id: string }> };

/** One deal; a deleted one only with includeDeleted=1, and only for editors and admins. */
export async function GET(request: Request, { params }: Context) {
  return handle(async () => {
    const { role, viewer } = await authorize(request, "deals:read");
    const id = parseId((await params).id);
    const { includeDeleted } = parseParams(request, dealQuery);
    const deal = await getDeal(id, { includeDeleted: includeDeleted && canSeeDeletedDeals(role), viewer });
    return deal ? NextResponse.json(deal) : errorResponse(404, "Deal not found");
  });
}

/** Partial update: the fields sent replace the saved ones; `version` must be the one read. */
export async function PATCH(request: Request, { params }: Context) {
  return handle(async () => {
    const { actor, viewer } = await authorize(request, "deals:write");
    const id = parseId((await params).id);
    const body = await readJson(request);
    const { version } = parseOrThrow(dealPatch, body);
    const changes = parseOrThrow(z.record(z.string(), z.unknown()), body);
    delete changes.version;
    // The saved deal is read in the write's own transaction, on the primary (never a lagging
    // replica), so the fields not sent are today's; the version check then guards the rest.
    const db = getDb();
    const saved = await db.write(async (tx) => {
      const current = await getDeal(id, { viewer }, tx);
      if (!current) throw new NotFoundError(`Deal ${id}`);
      const input = parseOrThrow(dealInput, { ...snapshotOf(current), ...changes });
      return updateDeal(id, input, version, { actor, viewer }, db);
    });
    return NextResponse.json(saved);
  });
}

/** Soft delete; `?version=` makes it conditional on the version the caller saw. */
export async function DELETE(request: Request, { params }: Context) {
  return handle(async () => {
    const { actor, viewer } = await authorize(request, "deals:write");
    const id = parseId((await params).id);
    const raw = new URL(request.url).searchParams.get("version");
    const { version } = parseOrThrow(deleteDealQuery, { version: raw ?? undefined });
    return NextResponse.json(await deleteDeal(id, { actor, viewer, expectedVersion: version }));
  });
}
