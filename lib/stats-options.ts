import { z } from "zod";
import { INTERVALS } from "./buckets";

// Each stats endpoint's own parameters, next to the shared filters. Shared with the client widgets.
export const intervalOption = z.object({
  interval: z
    .enum(["auto", ...INTERVALS], { error: "Use interval=auto, month, quarter or year" })
    .default("auto"),
});
export const topCompaniesOptions = z.object({
  by: z.enum(["deals", "partners"], { error: "Use by=deals or by=partners" }).default("deals"),
  limit: z.coerce.number({ error: "Use a number" }).int().min(1).max(50, { error: "At most 50" }).default(10),
});
export const timelineOptions = z.object({
  groupBy: z
    .enum(["company", "technology"], { error: "Use groupBy=company or groupBy=technology" })
    .default("company"),
});
