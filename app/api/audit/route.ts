import { NextResponse } from "next/server";
import { listAuditEvents } from "@/db/audit/events";
import { auditQuery } from "@/lib/audit-query";
import { authorize, handle, parseParams } from "@/server/api";

/** The security audit log, newest first: `?kind=export&user=<id>&from=&to=&page=&pageSize=`. */
export async function GET(request: Request) {
  return handle(async () => {
    await authorize(request, "admin");
    const query = parseParams(request, auditQuery);
    const { items, total } = await listAuditEvents(query);
    return NextResponse.json({
      items: items.map((event) => ({ ...event, at: event.at.toISOString() })),
      total,
      page: query.page,
      pageSize: query.pageSize,
    });
  });
}
