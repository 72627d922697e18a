"use client";

import { useQuery } from "@tanstack/react-query";
import { useSearchParams } from "next/navigation";
import { createContext, createElement, useCallback, useContext, useMemo, type ReactNode } from "react";
import { parseDealFiltersLenient, patchedSearch, type DealFilters } from "@/lib/filters";
import { queryKeys } from "@/lib/query-keys";
import {
  WIDGETS,
  widgetOptionsFromUrl,
  widgetSearch,
  type WidgetData,
  type WidgetName,
  type WidgetOptions,
} from "@/lib/widgets";

/** Filters a page fixes for its widgets (a company page's company), merged over the URL's. */
const FixedFilters = createContext<Partial<DealFilters>>({});

export function FixedFiltersProvider({
  value,
  children,
}: {
  value: Partial<DealFilters>;
  children: ReactNode;
}) {
  return createElement(FixedFilters.Provider, { value }, children);
}

/** The page's filters, read from the URL with the shared schema. */
export function useDealFilters(): {
  filters: DealFilters;
  params: URLSearchParams;
  setFilters: (patch: Partial<DealFilters>, extra?: Record<string, string | null>) => void;
} {
  const searchParams = useSearchParams();
  const params = useMemo(() => new URLSearchParams(searchParams.toString()), [searchParams]);
  const fixed = useContext(FixedFilters);
  const filters = useMemo(() => ({ ...parseDealFiltersLenient(params).filters, ...fixed }), [params, fixed]);
  const setFilters = useCallback(
    (patch: Partial<DealFilters>, extra: Record<string, string | null> = {}) => {
      const search = patchedSearch(params, { ...filters, ...patch, page: 1 }, extra);
      // A history entry without a server round trip: Next keeps useSearchParams in step, so only
      // the widgets refetch, and back/forward work.
      window.history.pushState(null, "", search ? `?${search}` : window.location.pathname);
    },
    [filters, params],
  );
  return { filters, params, setFilters };
}

async function fetchJson<T>(url: string): Promise<T> {
  const response = await fetch(url);
  if (!response.ok) {
    const body = await response.json().catch(() => ({}));
    throw new Error(body.error ?? `The server answered ${response.status}`);
  }
  return response.json();
}

/**
 * One widget's data, its options (read from the page URL by the registry) and its CSV link: the
 * same key the server prefetched under, then JSON from the widget's route; its image links likewise.
 */
export function useWidget<N extends WidgetName>(name: N) {
  const { filters, params, setFilters } = useDealFilters();
  const options = widgetOptionsFromUrl(name, (key) => params.get(key));
  const search = widgetSearch(name, filters, options);
  const query = useQuery({
    queryKey: queryKeys.widget(name, search),
    queryFn: () => fetchJson<WidgetData<N>>(`/api/${WIDGETS[name].endpoint}${search}`),
    placeholderData: (previous) => previous,
    // The page's prefetch is fresh on arrival (no refetch on mount), but a view the analyst returns
    // to (Back, or a filter undone) asks again: the server answers from its cache unless the data
    // changed, in which case the figures must too.
    staleTime: 0,
    refetchOnMount: false,
  });
  return {
    query,
    filters,
    options: options as WidgetOptions<N>,
    setFilters,
    download: `/api/export/stats/${name}.csv${search}`,
    image: { svg: `/api/charts/${name}.svg${search}`, png: `/api/charts/${name}.png${search}` },
  };
}
