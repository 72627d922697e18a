import { topCompanies } from "@/db/stats";
import { topCompaniesOptions } from "@/lib/stats-options";
import { statsHandler } from "@/lib/stats-route";

export const GET = statsHandler(topCompaniesOptions, (filters, { by, limit }) =>
  topCompanies(filters, { by, limit }),
);
