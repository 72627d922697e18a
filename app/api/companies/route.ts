import { NextResponse } from "next/server";
import { probableDuplicatesOf } from "@/db/directory/duplicates";
import { createCompany, getCompanyBySlug, searchCompanies } from "@/db/directory/directory";
import { companyInput } from "@/lib/validation";
import { authorize, handle, parseOrThrow, readJson } from "@/server/api";
import { companySearchQuery } from "@/server/api-params";
import { audienceOf } from "@/db/accounts/visibility";

export async function GET(request: Request) {
  return handle(async () => {
    const { viewer } = await authorize(request, "deals:read");
    const params = Object.fromEntries(new URL(request.url).searchParams);
    const { q, limit, page } = parseOrThrow(companySearchQuery, params);
    const { items, total } = await searchCompanies({
      q,
      limit,
      offset: (page - 1) * limit,
      audience: await audienceOf(viewer),
    });
    return NextResponse.json({ items, total, page, pageSize: limit });
  });
}

export async function POST(request: Request) {
  return handle(async () => {
    const { actor } = await authorize(request, "companies:write");
    const input = parseOrThrow(companyInput, await readJson(request));
    // A probable duplicate is still created (the analyst may know better), but reported.
    const probableDuplicates = await probableDuplicatesOf(input);
    const created = await createCompany(input, { actor });
    // Answered in the same shape as GET, with the names its codes stand for.
    const company = (await getCompanyBySlug(created.slug))!;
    return NextResponse.json(
      { ...company, probableDuplicates },
      {
        status: 201,
        headers: { Location: `/api/companies/${company.slug}` },
      },
    );
  });
}
