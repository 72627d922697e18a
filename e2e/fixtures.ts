import { expect, type APIRequestContext } from "@playwright/test";
import { editorToken } from "./accounts";

let counter = 0;
/** A name no other test (or earlier run) uses. */
export function unique(prefix: string) {
  counter++;
  return `${prefix} ${Date.now().toString(36)}${process.pid}${counter}`;
}

export type Deal = {
  id: number;
  version: number;
  title: string;
  parties: { company: { name: string; slug: string } }[];
};

/** Creates a deal through the JSON API, so a test starts from data it owns. */
export async function createDeal(
  request: APIRequestContext,
  overrides: Record<string, unknown> = {},
): Promise<Deal> {
  const response = await request.post("/api/deals", {
    headers: { Authorization: `Bearer ${editorToken()}` },
    data: {
      title: unique("E2E deal"),
      announcedOn: "2023-04-05",
      types: ["strategic_partnership"],
      binding: "binding",
      parties: [
        { company: unique("E2E Alpha"), role: "partner" },
        { company: unique("E2E Beta"), role: "partner" },
      ],
      technologies: ["Cloud"],
      sources: [{ url: "https://example.org/e2e" }],
      ...overrides,
    },
  });
  expect(response.status(), await response.text()).toBe(201);
  return response.json();
}

/** Calls the JSON API as the fixtures' editor token. */
export const asEditor = () => ({ Authorization: `Bearer ${editorToken()}` });
