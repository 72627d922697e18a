import { NextResponse } from "next/server";
import { WIDGETS } from "@/lib/widgets";
import { authorize, handle, parseQuery } from "@/server/api";
import { comparison } from "@/server/widgets";

/** The whole comparison: /api/compare?company=sk-telecom&company=kt&<filters>&interval=year */
export async function GET(request: Request) {
  return handle(async () => {
    await authorize(request, "stats:read");
    const { filters, options } = parseQuery(request, WIDGETS["compare-over-time"].options);
    return NextResponse.json(await comparison(filters, options.interval));
  });
}
