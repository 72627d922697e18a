import { timeline } from "@/db/stats";
import { timelineOptions } from "@/lib/stats-options";
import { statsHandler } from "@/lib/stats-route";

export const GET = statsHandler(timelineOptions, (filters, { groupBy }) => timeline(filters, groupBy));
