import { NextResponse } from "next/server";
import { resolveCompanySlug, updateCompany } from "@/db/directory/companies";
import { getCompanyBySlug } from "@/db/directory/directory";
import { companyPatch } from "@/lib/validation";
import { authorize, errorResponse, handle, parseOrThrow, readJson } from "@/server/api";
import { audienceOf } from "@/db/accounts/visibility";

type Context = { params: Promise<{ slug: string }> };

/** An old slug (before a rename or merge) answers 308 with the current address. */
export async function GET(request: Request, { params }: Context) {
  return handle(async () => {
    const { viewer } = await authorize(request, "deals:read");
    const found = await resolveCompanySlug((await params).slug);
    if (!found) return errorResponse(404, "Company not found");
    if (found.redirect)
      return NextResponse.redirect(new URL(`/api/companies/${found.redirect}`, request.url), 308);
    return NextResponse.json(await getCompanyBySlug(found.slug, await audienceOf(viewer)));
  });
}

/** Partial update: the fields sent replace the saved ones; `version` must be the one read. */
export async function PATCH(request: Request, { params }: Context) {
  return handle(async () => {
    const { actor } = await authorize(request, "companies:write");
    const patch = parseOrThrow(companyPatch, await readJson(request));
    return NextResponse.json(await updateCompany((await params).slug, patch, actor));
  });
}
