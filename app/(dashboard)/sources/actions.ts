"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { deleteSource, updateSource } from "@/db/news/sources";
import { sourceInput, sourcePatch, type AddSourceState, type SourceRowState } from "@/lib/news/source-input";
import { runFormAction } from "@/server/action";
import { addSource, fetchSourceNow } from "@/server/news/sources";

// Editors' actions on /sources: the same schemas and writes as /api/sources.

export async function addSourceAction(_previous: AddSourceState, raw: unknown): Promise<AddSourceState> {
  const result = await runFormAction("editor", sourceInput, raw, (input, editor) =>
    addSource(input, editor.kind === "user" ? editor.id : null),
  );
  if (!result.ok) return result.state;
  revalidatePath("/sources");
  return { status: "created", message: result.value.message, failing: result.value.status === "error" };
}

const rowInput = z.discriminatedUnion("do", [
  z.object({ do: z.literal("fetch"), id: z.coerce.number().int().positive() }),
  z.object({ do: z.literal("delete"), id: z.coerce.number().int().positive() }),
  z.object({ do: z.literal("change"), id: z.coerce.number().int().positive(), patch: sourcePatch }),
]);

/** Fetch now, pause or resume, the interval, delete: one action for a source's row of controls. */
export async function sourceRowAction(_previous: SourceRowState, raw: unknown): Promise<SourceRowState> {
  const result = await runFormAction("editor", rowInput, raw, async (input): Promise<string> => {
    if (input.do === "delete") {
      await deleteSource(input.id);
      return "Deleted.";
    }
    if (input.do === "change") {
      const source = await updateSource(input.id, input.patch);
      if (input.patch.active !== undefined) return source.active ? "Resumed." : "Paused.";
      return `Polled every ${source.intervalMinutes} minutes.`;
    }
    const fetched = await fetchSourceNow(input.id);
    return fetched.ok
      ? `Fetched: ${fetched.items} items, ${fetched.new} new, ${fetched.candidates} candidates.`
      : `The fetch failed: ${fetched.error}`;
  });
  if (!result.ok) return result.state;
  revalidatePath("/sources");
  return { status: "done", message: result.value };
}
