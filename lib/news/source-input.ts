import { z } from "zod";
import type { FeedFormat } from "@/lib/enums";
import type { FormState } from "@/lib/form-state";

// What the sources page and /api/sources accept and show (issue 22): one schema for both paths in.

export const SOURCE_STATUSES = ["pending", "ok", "error", "paused"] as const;
export type SourceStatus = (typeof SOURCE_STATUSES)[number];

const webAddress = z
  .string({ error: "Enter the web address of a feed or of the page that links to it" })
  .trim()
  .min(1, "Enter the web address of a feed or of the page that links to it")
  .max(2000, "The address is longer than 2,000 characters")
  .refine((v) => {
    try {
      const u = new URL(v);
      return (u.protocol === "http:" || u.protocol === "https:") && !!u.hostname;
    } catch {
      return false;
    }
  }, "Enter a web address starting with http:// or https://");

const sourceName = z
  .string({ error: "Give the source a name" })
  .trim()
  .min(1, "Give the source a name")
  .max(200, "The name is longer than 200 characters");

export const sourceInput = z.object({ name: sourceName, url: webAddress }).strict();
export type SourceInput = z.output<typeof sourceInput>;

export const sourcePatch = z
  .object({
    name: sourceName.optional(),
    url: webAddress.optional(),
    active: z.boolean({ error: "active is true or false" }).optional(),
    intervalMinutes: z
      .number({ error: "Give the interval in whole minutes" })
      .int("Give the interval in whole minutes")
      .min(5, "Poll at most every 5 minutes")
      .max(7 * 24 * 60, "Poll at least once a week"),
  })
  .partial()
  .strict()
  .refine((p) => Object.keys(p).length > 0, {
    message: "Send at least one of name, url, active, intervalMinutes",
  });
export type SourcePatch = z.output<typeof sourcePatch>;

/** A source as the API and the sources page show it. */
export interface NewsSourceView {
  id: number;
  name: string;
  /** The feed polled. */
  url: string;
  /** The web page the feed was found on, when the editor gave a page. */
  pageUrl: string | null;
  format: FeedFormat | null;
  status: SourceStatus;
  active: boolean;
  intervalMinutes: number;
  lastFetchedAt: string | null;
  lastSuccessAt: string | null;
  nextFetchAt: string | null;
  failures: number;
  lastError: string | null;
  itemsSeen: number;
  candidatesMade: number;
  accepted: number;
  dismissed: number;
}

/** What the sources page's forms get back from their actions. */
export type AddSourceState = FormState<{ status: "created"; message: string; failing: boolean }>;
export type SourceRowState = FormState<{ status: "done"; message: string }>;
