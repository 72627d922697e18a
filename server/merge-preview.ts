import "server-only";
import { InputError } from "@/db/core/errors";
import type { MergePreview } from "@/db/types";

/**
 * The survivor a merge page was asked about (`?into=`) and its preview, or why there is none: an
 * unknown or unmergeable survivor is shown next to the field, not as an error page.
 */
export async function readMergePreview(
  raw: string | string[] | undefined,
  preview: (into: string) => Promise<MergePreview>,
): Promise<{ into: string; preview: MergePreview | null; error: string | null }> {
  const into = typeof raw === "string" ? raw.trim().slice(0, 200) : "";
  if (!into) return { into, preview: null, error: null };
  try {
    return { into, preview: await preview(into), error: null };
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return { into, preview: null, error: Object.values(error.fieldErrors).flat().join(" ") };
  }
}
