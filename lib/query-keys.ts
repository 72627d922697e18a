// Every react-query key in one place, so invalidation and prefetching can never drift apart.
export const queryKeys = {
  companySearch: (q: string) => ["companies", "search", q] as const,
};
