import { NextResponse } from "next/server";
import { z } from "zod";
import { probableDuplicatesOf } from "@/db/duplicates";
import { createCompany, searchCompanies } from "@/db/directory";
import { companyInput } from "@/db/validation";
import { searchText } from "@/lib/filters";
import { authorize, handle, parseOrThrow, readJson } from "@/server/api";

const query = z.object({
  q: searchText(200, "Keep the search under 200 characters").optional(),
  limit: z.coerce.number().int().min(1).max(100, { error: "At most 100" }).default(20),
  page: z.coerce.number().int().min(1).default(1),
});

export async function GET(request: Request) {
  return handle(async () => {
    await authorize(request, "viewer");
    const params = Object.fromEntries(new URL(request.url).searchParams);
    const { q, limit, page } = parseOrThrow(query, params);
    const { items, total } = await searchCompanies({ q, limit, offset: (page - 1) * limit });
    return NextResponse.json({ items, total, page, pageSize: limit });
  });
}

export async function POST(request: Request) {
  return handle(async () => {
    const { actor } = await authorize(request, "editor");
    const input = parseOrThrow(companyInput, await readJson(request));
    // A probable duplicate is still created (the analyst may know better), but reported.
    const probableDuplicates = await probableDuplicatesOf(input);
    const company = await createCompany(input, { actor });
    return NextResponse.json(
      { ...company, probableDuplicates },
      {
        status: 201,
        headers: { Location: `/api/companies/${company.slug}` },
      },
    );
  });
}
