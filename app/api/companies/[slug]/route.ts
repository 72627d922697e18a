import { NextResponse } from "next/server";
import { getCompanyBySlug } from "@/db/queries";
import { authorize, errorResponse, handle } from "@/server/api";

export async function GET(request: Request, { params }: { params: Promise<{ slug: string }> }) {
  return handle(async () => {
    await authorize(request, "viewer");
    const company = getCompanyBySlug((await params).slug);
    return company ? NextResponse.json(company) : errorResponse(404, "Company not found");
  });
}
