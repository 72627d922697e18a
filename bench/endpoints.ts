import { getAuth } from "@/server/auth/principal";

/** The dashboard's widget endpoints under /api, as the HTTP bench times them. */
export const DASHBOARD_ENDPOINTS = [
  "stats/summary",
  "stats/deals-over-time",
  "stats/top-companies",
  "stats/technologies",
  "stats/technologies-over-time",
  "stats/deal-types",
  "stats/countries",
  "stats/country-pairs",
  "stats/sectors",
  "stats/sector-technologies",
  "timeline",
  "network",
];

/** A signed-in session's cookie header, as a browser would send it. */
export async function sessionCookie(email: string, password: string): Promise<string> {
  const { headers } = await getAuth().api.signInEmail({ body: { email, password }, returnHeaders: true });
  return headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
}
