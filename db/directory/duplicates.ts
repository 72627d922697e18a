import "server-only";
import { like, or, sql, type SQL } from "drizzle-orm";
import { blockingKeys, REASON_LABELS, scoreDuplicate, websiteDomain } from "@/lib/duplicates";
import { nameWords } from "@/lib/names";
import { getDb, type Db } from "../core/index";
import { inTexts, likeInsensitive } from "../core/dialect";
import type { Reader } from "../core/connection";
import { lockRows, ref, resolveSlug } from "./records";
import { companies, companyNonDuplicates } from "../schema";
import { InputError, NotFoundError } from "../core/errors";
import type { DuplicatePair } from "../types";

// Finding companies that are probably the same one, and remembering the pairs an analyst said are
// not. Each reads its candidates in one query and scores them in memory (lib/duplicates.ts).

type Candidate = { id: number; name: string; slug: string; website: string | null; nameKey: string };

function candidateRows(db: Reader, where?: SQL): Promise<Candidate[]> {
  return db
    .select({
      id: companies.id,
      name: companies.name,
      slug: companies.slug,
      website: companies.website,
      nameKey: companies.nameKey,
    })
    .from(companies)
    .where(where);
}

const reasonsOf = (reasons: (keyof typeof REASON_LABELS)[]) =>
  reasons.map((code) => ({ code, label: REASON_LABELS[code] }));

/** Likely duplicate pairs, strongest first, without the pairs an analyst marked "Not a duplicate". */
export async function listDuplicates(
  options: { limit?: number } = {},
  db: Reader = getDb(),
): Promise<DuplicatePair[]> {
  const [rows, dismissedRows] = await Promise.all([
    candidateRows(db),
    db
      .select({ a: companyNonDuplicates.companyA, b: companyNonDuplicates.companyB })
      .from(companyNonDuplicates),
  ]);
  const buckets = new Map<string, Candidate[]>();
  for (const row of rows) {
    for (const key of blockingKeys(row)) {
      const list = buckets.get(key);
      if (list) list.push(row);
      else buckets.set(key, [row]);
    }
  }
  const dismissed = new Set(dismissedRows.map((r) => `${r.a}:${r.b}`));
  const seen = new Set<string>();
  const pairs: DuplicatePair[] = [];
  for (const list of buckets.values()) {
    // A bucket this large is a common first word ("china", "the"); its real pairs share more.
    if (list.length > 400) continue;
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const [a, b] = list[i]!.id < list[j]!.id ? [list[i]!, list[j]!] : [list[j]!, list[i]!];
        const key = `${a.id}:${b.id}`;
        if (seen.has(key) || dismissed.has(key)) continue;
        seen.add(key);
        const score = scoreDuplicate(a, b);
        if (score)
          pairs.push({ a: ref(a), b: ref(b), score: score.score, reasons: reasonsOf(score.reasons) });
      }
    }
  }
  pairs.sort((x, y) => y.score - x.score || x.a.name.localeCompare(y.a.name));
  return pairs.slice(0, options.limit ?? 200);
}

/** Existing companies a new name (and website) probably duplicates, for creation warnings. */
export async function probableDuplicatesOf(
  candidate: { name: string; website?: string | null },
  db: Reader = getDb(),
  exceptId?: number,
) {
  const first = nameWords(candidate.name)[0];
  const domain = websiteDomain(candidate.website);
  // Name keys are lower-case; web addresses are as typed, so their match ignores case on both engines.
  const conditions = [
    first ? like(companies.nameKey, `${first.slice(0, 3)}%`) : undefined,
    domain ? likeInsensitive(companies.website, `%${domain}%`) : undefined,
  ].filter(Boolean) as SQL[];
  if (!conditions.length) return [];
  return scored(candidate, await candidateRows(db, or(...conditions)), exceptId);
}

/**
 * probableDuplicatesOf for many new names without websites (an import's new companies): each name's
 * candidates are the companies whose name key starts as its first word does, read for all names
 * in one statement per 500 prefixes rather than one per name.
 */
export async function probableDuplicatesOfNames(names: string[], db: Reader = getDb()) {
  const prefixOf = new Map<string, string>();
  for (const name of new Set(names)) {
    const first = nameWords(name)[0];
    if (first) prefixOf.set(name, first.slice(0, 3));
  }
  const byPrefix = new Map<string, Candidate[]>();
  const prefixes = [...new Set(prefixOf.values())];
  for (let i = 0; i < prefixes.length; i += 500) {
    const chunk = prefixes.slice(i, i + 500);
    const full = chunk.filter((p) => p.length === 3);
    const short = chunk.filter((p) => p.length < 3);
    const rows = await candidateRows(
      db,
      or(
        inTexts(sql`substr(${companies.nameKey}, 1, 3)`, full),
        ...short.map((p) => like(companies.nameKey, `${p}%`)),
      ),
    );
    const wanted = new Set(chunk);
    for (const row of rows) {
      for (let n = 1; n <= 3; n++) {
        const prefix = row.nameKey.slice(0, n);
        if (n === prefix.length && wanted.has(prefix)) {
          const list = byPrefix.get(prefix);
          if (list) list.push(row);
          else byPrefix.set(prefix, [row]);
        }
      }
    }
  }
  const found = new Map<string, ReturnType<typeof scored>>();
  for (const [name, prefix] of prefixOf) found.set(name, scored({ name }, byPrefix.get(prefix) ?? []));
  return found;
}

/** Candidates that probably duplicate `candidate`, strongest first, at most five. */
function scored(candidate: { name: string; website?: string | null }, rows: Candidate[], exceptId?: number) {
  return rows
    .filter((c) => c.id !== exceptId)
    .flatMap((c) => {
      const score = scoreDuplicate(candidate, c);
      return score ? [{ company: ref(c), score: score.score, reasons: reasonsOf(score.reasons) }] : [];
    })
    .sort((x, y) => y.score - x.score)
    .slice(0, 5);
}

export async function dismissDuplicate(aSlug: string, bSlug: string, db: Db = getDb()) {
  await db.write(async (tx) => {
    const [a, b] = await Promise.all([resolveSlug("company", aSlug, tx), resolveSlug("company", bSlug, tx)]);
    if (!a || !b) throw new NotFoundError("Company");
    if (a.id === b.id) throw new InputError({ b: ["Choose two different companies"] });
    // Locked on PostgreSQL, so a concurrent merge cannot delete either before the pair is stored.
    if ((await lockRows(tx, "company", [a.id, b.id])).length < 2) throw new NotFoundError("Company");
    await tx
      .insert(companyNonDuplicates)
      .values({ companyA: Math.min(a.id, b.id), companyB: Math.max(a.id, b.id) })
      .onConflictDoNothing();
  });
}
