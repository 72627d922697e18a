import { NextResponse } from "next/server";
import { createTechnology } from "@/db/mutations";
import { listTechnologies } from "@/db/queries";
import { technologyInput } from "@/db/validation";
import { handle, parseOrThrow, readJson } from "@/lib/api";

export async function GET() {
  return handle(() => NextResponse.json({ items: listTechnologies() }));
}

export async function POST(request: Request) {
  return handle(async () => {
    const { name } = parseOrThrow(technologyInput, await readJson(request));
    return NextResponse.json(createTechnology(name), { status: 201 });
  });
}
