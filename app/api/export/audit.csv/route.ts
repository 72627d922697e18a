import { auditEventBatches } from "@/db/audit/events";
import { auditCsvLines, auditFilename } from "@/lib/audit-csv";
import { auditQuery } from "@/lib/audit-query";
import { authorize, handle, parseParams } from "@/server/api";
import { csvResponse } from "@/server/csv-response";

/** The security audit log as CSV, with the same filters as GET /api/audit (paging ignored). */
export async function GET(request: Request) {
  return handle(async () => {
    await authorize(request, "admin");
    const { page: _page, pageSize: _pageSize, ...filters } = parseParams(request, auditQuery);
    return csvResponse(auditCsvLines(auditEventBatches(filters)), auditFilename(filters), { bom: false });
  });
}
