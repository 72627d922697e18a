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

/** Saves one fictional deal through POST /api/deals on `base`; anything but a 201 throws. */
export async function saveBenchDeal(
  base: string,
  writeToken: string,
  names: { title: string; parties: string },
  signal: AbortSignal,
): Promise<void> {
  const saved = await fetch(`${base}/api/deals`, {
    method: "POST",
    headers: { authorization: `Bearer ${writeToken}`, "content-type": "application/json" },
    body: JSON.stringify({
      title: names.title,
      announcedOn: "2024-05-05",
      types: ["mou"],
      binding: "non_binding",
      parties: [
        { company: `${names.parties} partner (fictional)`, role: "partner" },
        { company: `${names.parties} other (fictional)`, role: "partner" },
      ],
      technologies: ["AI"],
      sources: [{ url: "https://example.com/partnership-atlas/generated" }],
    }),
    signal,
  });
  await saved.arrayBuffer();
  if (saved.status !== 201) throw new Error(`POST /api/deals answered ${saved.status}`);
}
