import { getSummary } from "@/db/stats";
import { noOptions, statsHandler } from "@/lib/stats-route";

export const GET = statsHandler(noOptions, (filters) => getSummary(filters));
