import { NextResponse } from "next/server";
import { z } from "zod";
import { createCompany } from "@/db/mutations";
import { searchCompanies } from "@/db/queries";
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
    const { items, total } = searchCompanies({ q, limit, offset: (page - 1) * limit });
    return NextResponse.json({ items, total, page, pageSize: limit });
  });
}

export async function POST(request: Request) {
  return handle(async () => {
    await authorize(request, "editor");
    const company = createCompany(parseOrThrow(companyInput, await readJson(request)));
    return NextResponse.json(company, {
      status: 201,
      headers: { Location: `/api/companies/${company.slug}` },
    });
  });
}
