import "server-only";
import { NextResponse } from "next/server";
import { z } from "zod";
import { fieldErrors } from "@/db/validation";
import { authorize, handle, invalid } from "./api";
import { parseDealFilters, type DealFilters } from "./filters";
import { memoStats } from "@/db/stats-cache";
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
  const own = Object.keys(options.shape);
  return async function GET(request: Request): Promise<Response> {
    return handle(async () => {
      await authorize(request, "viewer");
      const params = new URL(request.url).searchParams;
      const parsed = parseDealFilters(params, { strict: true, allow: own });
      const extra = options.safeParse(Object.fromEntries([...params].filter(([key]) => own.includes(key))));
      const errors = {
        ...(parsed.success ? {} : parsed.errors),
        ...(extra.success ? {} : fieldErrors(extra.error)),
      };
      if (!parsed.success || !extra.success) return invalid(errors);
      const key = `${new URL(request.url).pathname}${statsSearch(parsed.filters, extraParams(extra.data))}`;
      return NextResponse.json(memoStats(key, () => compute(parsed.filters, extra.data)));
    });
  };
}

export const noOptions = z.object({});
