import "server-only";
import { QueryClient, dehydrate } from "@tanstack/react-query";
import { memoStats } from "@/db/stats-cache";
import { queryKeys } from "./query-keys";
import { statsSearch } from "./stats-search";
import type { DealFilters } from "./filters";

/**
 * Fills a react-query cache on the server with what the page's widgets will ask for, computed by
 * calling db/ directly under the very keys the client uses, so the first render needs no fetch.
 */
export function prefetchStats(
  filters: DealFilters,
  widgets: { endpoint: string; extra?: Record<string, string>; compute: () => unknown }[],
) {
  const client = new QueryClient();
  for (const { endpoint, extra, compute } of widgets) {
    const search = statsSearch(filters, extra ?? {});
    client.setQueryData(
      queryKeys.stats(endpoint, search),
      memoStats(`page:/api/${endpoint}${search}`, compute),
    );
  }
  return dehydrate(client);
}
