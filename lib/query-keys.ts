// Every react-query key in one place, so the server's prefetch and the client's queries can never
// drift apart: a key is the endpoint plus its canonical query string.
export const queryKeys = {
  companySearch: (q: string) => ["companies", "search", q] as const,
  stats: (endpoint: string, search: string) => ["stats", endpoint, search] as const,
};
