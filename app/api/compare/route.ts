import { NextResponse } from "next/server";
import { WIDGETS } from "@/lib/widgets";
import { authorize, handle, parseQuery } from "@/server/api";
import { forPrincipal } from "@/server/auth/principal";
import { comparison } from "@/server/widgets";

/** The whole comparison: /api/compare?company=sk-telecom&company=kt&<filters>&interval=year */
export async function GET(request: Request) {
  return handle(async () => {
    const principal = await authorize(request, "stats:read");
    const { filters, options } = parseQuery(request, WIDGETS["compare-over-time"].options);
    return NextResponse.json(await comparison(await forPrincipal(filters, principal), options.interval));
  });
}
