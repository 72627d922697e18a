import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { Tx } from "../core/connection";
import { groupConcat, isPg } from "../core/dialect";

// Full-text search over deals, for both engines. SQLite: the FTS5 table `deal_search` (rowid = deal
// id; columns title, summary, quotes, parties). PostgreSQL: `deal_search(deal_id, document tsvector)`
// with a GIN index and the `atlas` configuration (drizzle/pg/0001_search.sql), which folds case and
// diacritics without stemming, like FTS5's unicode61 tokenizer. Party names include their aliases,
// so "SKT" finds SK Telecom's deals. Rows are rewritten wherever a deal or a party's names change.

const MAX_TERMS = 12;

/** The words of the user's text that can match anything (a word with no letter or digit cannot). */
function searchWords(text: string): string[] {
  // The filter schema refuses control characters; dropping them here too keeps the query safe from
  // any caller that skipped it (a NUL inside an FTS5 quoted term is a syntax error, not a match).
  return text
    .replace(/\p{Cc}/gu, " ")
    .split(/\s+/)
    .filter((t) => /[\p{L}\p{N}]/u.test(t))
    .slice(0, MAX_TERMS);
}

/**
 * FTS5: every word becomes a quoted prefix term, so operators and quotes typed by the user are
 * matched literally and can never break the query syntax.
 */
function ftsQuery(words: string[]): string {
  return words.map((t) => `"${t.replace(/"/g, '""')}"*`).join(" ");
}

/**
 * tsquery: the same meaning built from letter/digit runs only, so no user character is ever an
 * operator. A word with inner punctuation ("AT&T", "sk-telecom") is a phrase of its runs, as FTS5
 * tokenizes it; the last run is a prefix.
 */
export function tsQuery(words: string[]): string {
  return words
    .map((word) => {
      const runs = word.match(/[\p{L}\p{N}]+/gu)!;
      return `(${runs.map((run, i) => (i === runs.length - 1 ? `${run}:*` : run)).join(" <-> ")})`;
    })
    .join(" & ");
}

/**
 * The ids of the deals whose text contains every word (as a prefix), as a parenthesised query
 * selecting `deal_id`, or null for no words.
 */
export function searchDealIds(text: string): SQL | null {
  const words = searchWords(text);
  if (!words.length) return null;
  return isPg
    ? sql`(SELECT deal_id FROM deal_search WHERE document @@ to_tsquery('atlas', ${tsQuery(words)}))`
    : sql`(SELECT rowid AS deal_id FROM deal_search WHERE deal_search MATCH ${ftsQuery(words)})`;
}

/** Quotes and party names (with aliases) of deal `d`, as text for the index. */
const quotesText = groupConcat(
  sql`q.text || ' ' || q.speaker || ' ' || coalesce(q.speaker_company, '')`,
  " ",
);
const aliasesText = groupConcat(sql`a.alias`, " ");
const partiesText = groupConcat(
  sql`c.name || ' ' || coalesce((SELECT ${aliasesText} FROM company_aliases a WHERE a.company_id = c.id), '')`,
  " ",
);
const quotesOf = sql`(SELECT ${quotesText} FROM quotes q WHERE q.deal_id = d.id)`;
const partiesOf = sql`(SELECT ${partiesText} FROM deal_parties p JOIN companies c ON c.id = p.company_id WHERE p.deal_id = d.id)`;

/**
 * Inserts search rows for the deals matching `condition` (on alias `d`). On PostgreSQL punctuation
 * becomes a space first: its parser would otherwise keep "-12", "1.5" or "a@b.c" as single tokens,
 * where FTS5 (and tsQuery above) see runs of letters and digits.
 */
export async function insertSearchRows(tx: Tx, condition: SQL): Promise<void> {
  await tx.execute(
    isPg
      ? sql`INSERT INTO deal_search (deal_id, document)
          SELECT d.id, to_tsvector('atlas', regexp_replace(concat_ws(' ', d.title, d.summary, ${quotesOf}, ${partiesOf}), '[[:punct:]]+', ' ', 'g'))
          FROM deals d WHERE ${condition}
          ON CONFLICT (deal_id) DO UPDATE SET document = excluded.document`
      : sql`INSERT INTO deal_search (rowid, title, summary, quotes, parties)
          SELECT d.id, d.title, d.summary, ${quotesOf}, ${partiesOf}
          FROM deals d WHERE ${condition}`,
  );
}

/** Rewrites the search rows of the deals matching `condition` (on alias `d`). */
export async function refreshSearchRows(tx: Tx, condition: SQL): Promise<void> {
  // PostgreSQL's insert overwrites; an FTS5 table has no unique key to conflict on.
  if (!isPg) await deleteSearchRows(tx, sql`SELECT d.id FROM deals d WHERE ${condition}`);
  await insertSearchRows(tx, condition);
}

/** Deletes the search rows of the deal ids `dealIds` (a subquery) selects. */
export async function deleteSearchRows(tx: Tx, dealIds: SQL): Promise<void> {
  await tx.execute(
    isPg
      ? sql`DELETE FROM deal_search WHERE deal_id IN (${dealIds})`
      : sql`DELETE FROM deal_search WHERE rowid IN (${dealIds})`,
  );
}

/** Rewrites the search rows of every deal a company is party to (its names and aliases are in them). */
export async function refreshCompanyDeals(tx: Tx, companyId: number): Promise<void> {
  await refreshSearchRows(
    tx,
    sql`d.id IN (SELECT deal_id FROM deal_parties WHERE company_id = ${companyId})`,
  );
}
