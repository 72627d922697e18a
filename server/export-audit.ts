import "server-only";
import { recordAudit } from "@/db/audit/events";
import type { Actor } from "@/db/audit/revisions";
import { filtersQuery, type DealFilters } from "@/lib/filters";
import { clientAddress } from "./auth/origin";

/**
 * Records a download in the audit log: who, which file, the filters (as the query string that
 * reproduces them) and how many rows were sent. A streamed export calls this when its stream
 * ends, so `rows` is what was actually written; `complete` is false when the client went away.
 */
export function recordExport(
  request: Request,
  actor: Actor | string,
  what: { file: string; filters: DealFilters; rows: number; complete?: boolean; via?: string },
): Promise<void> {
  return recordAudit("export", {
    actor,
    detail: {
      file: what.file,
      filters: filtersQuery(what.filters, {}, { keepSort: true }),
      rows: what.rows,
      ...(what.complete === false && { complete: false }),
      ...(what.via && { via: what.via }),
    },
    ip: clientAddress(request.headers),
  });
}
