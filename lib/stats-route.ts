import "server-only";
import { NextResponse } from "next/server";
import { z } from "zod";
import { fieldErrors } from "@/db/validation";
import { authorize, handle, invalid } from "./api";
import { parseDealFilters, type DealFilters } from "./filters";

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
      return NextResponse.json(compute(parsed.filters, extra.data));
    });
  };
}

export const noOptions = z.object({});
