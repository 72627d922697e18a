import {
  type AnyColumn,
  type Column,
  getTableColumns,
  type SQL,
  type SQLWrapper,
  sql,
  type Table,
} from "drizzle-orm";
import { ENGINE } from "./engine";

// The few SQL spellings that differ between SQLite and PostgreSQL, written once. Everything else in
// the data layer is Drizzle's query builder or SQL both engines read the same way (ON CONFLICT …
// DO UPDATE, CASE, coalesce, ||). Each function picks the engine this process runs on.

export const isPg = ENGINE === "pg";

/**
 * Separators and JSON keys are written into the SQL text (both engines want literals there), so
 * only plain ones from the code are accepted: never anything a user typed.
 */
function literal(text: string, allowed: RegExp): SQL {
  if (!allowed.test(text)) throw new Error(`Not a plain SQL literal: ${JSON.stringify(text)}`);
  return sql.raw(`'${text}'`);
}

const SEPARATOR = /^[ ,;|]{1,3}$/;

/** `group_concat(expr, sep ORDER BY …)` / `string_agg(expr, sep ORDER BY …)`. */
export function groupConcat(expr: SQLWrapper, separator: string, orderBy?: SQLWrapper): SQL {
  const order = orderBy ? sql` ORDER BY ${orderBy}` : sql``;
  return isPg
    ? sql`string_agg((${expr})::text, ${literal(separator, SEPARATOR)}${order})`
    : sql`group_concat(${expr}, ${literal(separator, SEPARATOR)}${order})`;
}

/** Case-insensitive LIKE (SQLite's LIKE already folds ASCII case; PostgreSQL needs ILIKE). */
export function likeInsensitive(column: SQLWrapper, pattern: string): SQL {
  return isPg ? sql`${column} ILIKE ${pattern}` : sql`${column} LIKE ${pattern}`;
}

/** Escapes % and _ for a LIKE pattern used with `ESCAPE '\'`. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** "YYYY-MM" of a calendar-date column (text in SQLite, date in PostgreSQL). */
export function monthOf(column: AnyColumn | SQL): SQL<string> {
  return isPg ? sql<string>`to_char(${column}, 'YYYY-MM')` : sql<string>`substr(${column}, 1, 7)`;
}

/** "YYYY" of a calendar-date column. */
export function yearOf(column: AnyColumn | SQL): SQL<string> {
  return isPg ? sql<string>`to_char(${column}, 'YYYY')` : sql<string>`substr(${column}, 1, 4)`;
}

/** A calendar-date column as "YYYY-MM-DD" text, for comparisons and output in raw SQL. */
export function dateText(column: AnyColumn | SQL): SQL<string> {
  return isPg ? sql<string>`to_char(${column}, 'YYYY-MM-DD')` : sql<string>`${column}`;
}

/** The current time as the engine stores timestamps (unix seconds in SQLite, timestamptz in PostgreSQL). */
export const now: SQL = isPg ? sql`now()` : sql`unixepoch()`;

/** A JSON array of objects built in SQL: json_group_array(json_object(…)) / json_agg(json_build_object(…)). */
export function jsonArrayOfObjects(pairs: [string, SQLWrapper][], orderBy?: SQLWrapper): SQL<string> {
  const args = sql.join(
    pairs.map(([key, value]) => sql`${literal(key, /^\w+$/)}, ${value}`),
    sql`, `,
  );
  const order = orderBy ? sql` ORDER BY ${orderBy}` : sql``;
  return isPg
    ? sql<string>`(json_agg(json_build_object(${args})${order}))::text`
    : sql<string>`json_group_array(json_object(${args})${order})`;
}

/** Larger of two values: max(a, b) / greatest(a, b). */
export function greatest(a: SQLWrapper, b: SQLWrapper): SQL {
  return isPg ? sql`greatest(${a}, ${b})` : sql`max(${a}, ${b})`;
}

/** Raw SQL booleans arrive as 0/1 from SQLite and true/false from PostgreSQL. */
export function bool(value: unknown): boolean {
  return value === true || value === 1 || value === "1" || value === "t";
}

// --- stats, export, import (pg-stats) ---

/** `column IN (ids)` with the ids bound as one parameter, however many there are. */
export function inIds(column: SQLWrapper, ids: number[]): SQL {
  const list = JSON.stringify(ids);
  return isPg
    ? sql`${column} = ANY(${`{${list.slice(1, -1)}}`}::int[])`
    : sql`${column} IN (SELECT value FROM json_each(${list}))`;
}

/**
 * `column IN (texts)` as one bound parameter, whatever the number of texts (as inIds): on
 * PostgreSQL an array literal with every element quoted, as Drizzle would spread a JS array.
 */
export function inTexts(column: SQLWrapper, texts: string[]): SQL {
  return isPg
    ? sql`${column} = ANY(${`{${texts.map((t) => `"${t.replace(/[\\"]/g, "\\$&")}"`).join(",")}}`}::text[])`
    : sql`${column} IN (SELECT value FROM json_each(${JSON.stringify(texts)}))`;
}

// --- bulk inserts (demo generation) ---

/** A column's PostgreSQL type to cast to ("integer", "date", …; a collation is the column's business). */
function sqlType(column: Column): SQL {
  const type = column.getSQLType().replace(/ COLLATE "\w+"$/, "");
  if (!/^[a-z][a-z0-9 ]*$/.test(type)) throw new Error(`Not a plain SQL type: ${JSON.stringify(type)}`);
  return sql.raw(type);
}

/**
 * `INSERT INTO table (…) SELECT …` of `rows` (objects keyed like Drizzle's `values()`, every row with
 * the first row's keys), bound as ONE JSON parameter and inserted in the array's order. Drizzle's
 * builder binds each cell (at most 32,766 a statement on SQLite, 65,535 on PostgreSQL) and its
 * per-cell work was most of the demo generator's time; here a statement costs one JSON.stringify.
 */
export function insertJsonRows<T extends Table>(table: T, rows: T["$inferInsert"][]): SQL {
  const columns = getTableColumns(table) as Record<string, Column>;
  const keys = Object.keys(rows[0]!);
  const json = JSON.stringify(
    rows.map((row) => keys.map((key) => (row as Record<string, unknown>)[key] ?? null)),
  );
  const target = sql.join(
    keys.map((key) => sql.identifier(columns[key]!.name)),
    sql`, `,
  );
  // Each row is an array of the columns' values: element i is `value ->> i` (a number literal).
  const values = sql.join(
    keys.map((key, i) => {
      const cell = sql`${sql.raw(isPg ? "r" : "value")} ->> ${sql.raw(String(i))}`;
      return isPg ? sql`(${cell})::${sqlType(columns[key]!)}` : cell;
    }),
    sql`, `,
  );
  return isPg
    ? sql`INSERT INTO ${table} (${target}) SELECT ${values}
        FROM jsonb_array_elements(${json}::jsonb) WITH ORDINALITY AS e(r, i) ORDER BY i`
    : sql`INSERT INTO ${table} (${target}) SELECT ${values} FROM json_each(${json}) ORDER BY key`;
}
