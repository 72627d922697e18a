import "server-only";
import { NextResponse } from "next/server";
import { z } from "zod";
import { memoStats } from "@/db/stats-cache";
import { authorize, handle, parseQuery } from "./api";
import type { DealFilters } from "./filters";
import { statsSearch } from "./stats-search";

/** An endpoint's parsed options as query parameters, for the cache key. */
function extraParams(options: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(options).map(([k, v]) => [k, String(v)]));
}

/**
 * A GET handler for a stats endpoint: viewer access, the shared filter parameters (strictly: an
 * unknown parameter is a 400), plus the endpoint's own options validated by `options`.
 */
export function statsHandler<S extends z.ZodObject>(
  options: S,
  compute: (filters: DealFilters, options: z.output<S>) => unknown,
) {
  return async function GET(request: Request): Promise<Response> {
    return handle(async () => {
      await authorize(request, "viewer");
      const parsed = parseQuery(request, options);
      const key = `${new URL(request.url).pathname}${statsSearch(parsed.filters, extraParams(parsed.options))}`;
      return NextResponse.json(memoStats(key, () => compute(parsed.filters, parsed.options)));
    });
  };
}

export const noOptions = z.object({});
