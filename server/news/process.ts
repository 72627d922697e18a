import "server-only";
import { and, eq, inArray, isNull } from "drizzle-orm";
import { getDb } from "@/db/core/index";
import { newsItems } from "@/db/schema";

// Placeholder: replaced by the candidates branch (issue 22 part 2). It only marks pending items
// processed so the sources side can be built and tested; it makes no candidates.

export async function processPendingItems(
  options: { sourceId?: number; limit?: number } = {},
): Promise<{ processed: number; candidates: number }> {
  const db = getDb();
  const pending = await db
    .select({ id: newsItems.id })
    .from(newsItems)
    .where(
      and(
        isNull(newsItems.processedAt),
        options.sourceId ? eq(newsItems.sourceId, options.sourceId) : undefined,
      ),
    )
    .limit(options.limit ?? 1000);
  if (!pending.length) return { processed: 0, candidates: 0 };
  await db.write((tx) =>
    tx
      .update(newsItems)
      .set({ processedAt: new Date() })
      .where(
        inArray(
          newsItems.id,
          pending.map((p) => p.id),
        ),
      ),
  );
  return { processed: pending.length, candidates: 0 };
}
