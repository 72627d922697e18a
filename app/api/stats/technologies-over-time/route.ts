import { technologiesOverTime } from "@/db/stats";
import { intervalOption } from "@/lib/stats-options";
import { statsHandler } from "@/lib/stats-route";

export const GET = statsHandler(intervalOption, (filters, { interval }) =>
  technologiesOverTime(filters, interval),
);
