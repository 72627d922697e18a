import { z } from "zod";
import { AUDIT_KINDS } from "@/lib/enums";
import { dealFilters } from "@/lib/filters";

// The audit log's filters, read from the URL by /settings/audit, its CSV export and GET /api/audit.

const day = z.iso.date({ error: "Use a date like 2026-01-31" });

export const auditQuery = z
  .object({
    kind: z.enum(AUDIT_KINDS, { error: `Use one of: ${AUDIT_KINDS.join(", ")}` }).optional(),
    user: z.string().trim().min(1).max(100).optional().meta({ description: "A user's id" }),
    from: day.optional().meta({ description: "From this day on (UTC), inclusive" }),
    to: day.optional().meta({ description: "Up to this day (UTC), inclusive" }),
    // Paged like GET /api/deals, with the same rules and messages.
    page: dealFilters.shape.page,
    pageSize: dealFilters.shape.pageSize,
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, {
    path: ["to"],
    error: "The end date is before the start date",
  });

export type AuditQuery = z.output<typeof auditQuery>;
