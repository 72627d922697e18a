import { audienceOf } from "@/db/accounts/visibility";
import { NextResponse } from "next/server";
import { createTechnology, listTechnologies } from "@/db/directory/directory";
import { technologyInput } from "@/lib/validation";
import { authorize, handle, parseOrThrow, readJson } from "@/server/api";

export async function GET(request: Request) {
  return handle(async () => {
    const { viewer } = await authorize(request, "deals:read");
    return NextResponse.json({ items: await listTechnologies(await audienceOf(viewer)) });
  });
}

export async function POST(request: Request) {
  return handle(async () => {
    await authorize(request, "companies:write");
    const { name } = parseOrThrow(technologyInput, await readJson(request));
    return NextResponse.json(await createTechnology(name), { status: 201 });
  });
}
