// Every react-query key in one place, so the server's prefetch and the client's queries can never
// drift apart: a widget's key is its name plus its canonical query string (lib/widgets.ts).
export const queryKeys = {
  companySearch: (q: string) => ["companies", "search", q] as const,
  widget: (name: string, search: string) => ["widget", name, search] as const,
};
