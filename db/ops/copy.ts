import { asc, getTableColumns, getTableName, is, sql } from "drizzle-orm";
import { getTableConfig as pgConfig, PgTable } from "drizzle-orm/pg-core";
import { getTableConfig as sqliteConfig, SQLiteTable } from "drizzle-orm/sqlite-core";
import { drizzle as drizzleSqlite } from "drizzle-orm/better-sqlite3";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { type Db, type Tx, openDatabase } from "../core/connection";
import { ENGINE } from "../core/engine";
import { migrateDatabase } from "../core/migrate";
import * as pgSchema from "../schema/pg";
import * as sqliteSchema from "../schema/sqlite";

// `npm run db:copy -- --from … --to …`: everything in one Atlas database into another, either
// engine to either engine, keeping ids. Rows go through each engine's Drizzle schema, so types are
// converted by the same code that reads and writes them in the app (dates, timestamps, booleans,
// JSON). The target is written in one transaction: a failed copy leaves it as it was.
// Not copied: the search index (rebuilt from the copied rows by the caller, scripts/db-copy.ts),
// the change counter (the target keeps its own) and the migrations journal (the target is migrated).
// Nor anything that would let the copy's reader sign in as someone: sessions and verification
// tokens (users sign in again), and the session secret older versions kept in app_settings.

type AnyTable = PgTable | SQLiteTable;
const SKIP = new Set(["data_changes", "sign_in_failures", "sessions", "verifications"]);
const SKIP_SETTINGS = new Set(["auth_secret"]);

function tablesOf(engine: Db["engine"]): Map<string, AnyTable> {
  const schema = engine === "pg" ? pgSchema : sqliteSchema;
  const tables = Object.values(schema).filter((t) => is(t, PgTable) || is(t, SQLiteTable)) as AnyTable[];
  return new Map(tables.map((t) => [getTableName(t), t]));
}

function configOf(table: AnyTable) {
  return is(table, PgTable) ? pgConfig(table) : sqliteConfig(table as SQLiteTable);
}

/** Tables ordered so that every table comes after the tables it references (self-references aside). */
export function copyOrder(): string[] {
  const tables = tablesOf("sqlite");
  const order: string[] = [];
  const visit = (name: string, path: string[]) => {
    if (order.includes(name) || path.includes(name)) return;
    for (const fk of configOf(tables.get(name)!).foreignKeys) {
      const parent = getTableName(fk.reference().foreignTable);
      if (parent !== name) visit(parent, [...path, name]);
    }
    order.push(name);
  };
  [...tables.keys()].sort().forEach((name) => visit(name, []));
  return order.filter((name) => !SKIP.has(name));
}

/** Columns of a table that reference the same table (parent_id, expands_deal_id): filled in a second pass. */
function selfReferences(table: AnyTable): string[] {
  const name = getTableName(table);
  const keys = Object.entries(getTableColumns(table));
  return configOf(table)
    .foreignKeys.filter((fk) => getTableName(fk.reference().foreignTable) === name)
    .flatMap((fk) => fk.reference().columns.map((c) => keys.find(([, col]) => col.name === c.name)![0]));
}

/** Runs a Drizzle query on either engine's raw instance. */
async function rows<T>(query: unknown): Promise<T[]> {
  return (await (query as Promise<T[]>)) ?? [];
}

export type CopyResult = { tables: Record<string, number> };

/**
 * Copies every row of `from` into `to` (paths or postgres:// URLs). Refuses a target that holds any
 * row unless `replace`, which empties it first, in the same transaction.
 */
export async function copyDatabase(
  fromTarget: string,
  toTarget: string,
  options: { replace?: boolean; batchRows?: number } = {},
): Promise<CopyResult> {
  // Both sides are brought to the current schema first (what every app start does anyway).
  const source = openDatabase(fromTarget);
  const target = openDatabase(toTarget);
  let snapshot: Awaited<ReturnType<typeof openSnapshot>> | undefined;
  try {
    await migrateDatabase(source);
    await migrateDatabase(target);
    if (target.engine !== ENGINE)
      throw new Error(
        "Run copies through scripts/db-copy.ts: the search index is rebuilt in the target's SQL",
      );
    snapshot = await openSnapshot(source);
    const sourceDb = snapshot.db;
    const sourceTables = tablesOf(source.engine);
    const targetTables = tablesOf(target.engine);
    const order = copyOrder();
    const counts: Record<string, number> = {};

    const targetRaw = raw(target);
    if (!options.replace) {
      for (const name of order) {
        const [row] = await rows(
          targetRaw
            .select({ one: sql`1` })
            .from(targetTables.get(name)!)
            .limit(1),
        );
        if (row)
          throw new CopyRefused(
            `The target already holds data (table ${name}): use --replace to overwrite it.`,
          );
      }
    }

    const batch = options.batchRows ?? 500;
    await target.write(async (tx) => {
      const t = tx as unknown as RawDb;
      if (options.replace) {
        for (const name of [...order].reverse()) await t.delete(targetTables.get(name)!);
      }
      for (const name of order) {
        const from = sourceTables.get(name)!;
        const to = targetTables.get(name)!;
        const selfRefs = selfReferences(to);
        const keys = configOf(from).primaryKeys[0]?.columns.map((c) => c.name) ?? ["id"];
        const fromColumns = getTableColumns(from);
        const orderBy = Object.values(fromColumns)
          .filter((c) => keys.includes(c.name) || c.primary)
          .map((c) => asc(c));
        counts[name] = 0;
        const later: Record<string, unknown>[] = [];
        for (let offset = 0; ; offset += batch) {
          const page = await rows<Record<string, unknown>>(
            sourceDb
              .select()
              .from(from)
              .orderBy(...orderBy)
              .limit(batch)
              .offset(offset),
          );
          if (!page.length) break;
          const kept =
            name === "app_settings" ? page.filter((r) => !SKIP_SETTINGS.has(r.key as string)) : page;
          if (!kept.length) continue;
          const values = kept.map((row) => {
            if (!selfRefs.length) return row;
            const copy = { ...row };
            if (selfRefs.some((k) => row[k] != null)) later.push(row);
            for (const k of selfRefs) copy[k] = null;
            return copy;
          });
          await t.insert(to).values(values);
          counts[name] += kept.length;
        }
        // Parents may come after their children in id order: set self-references once all rows exist.
        const idColumn = getTableColumns(to).id!;
        for (const row of later) {
          const patch = Object.fromEntries(selfRefs.map((k) => [k, row[k]]));
          await t
            .update(to)
            .set(patch)
            .where(sql`${idColumn} = ${row.id}`);
        }
      }
      await keepIdsUnused(source, target, tx, order);
      // The target's search index, from the rows just copied, in the same transaction.
      const { refreshSearchRows } = await import("../deals/search");
      await refreshSearchRows(tx, sql`true`);
      // The export's kept lines show timestamps as the source engine keeps them (SQLite: whole
      // seconds): written again by the target's background pass from what the target holds.
      const { clearCsvLines } = await import("../deals/csv-lines");
      await clearCsvLines(tx, sql`true`);
    });
    return { tables: counts };
  } finally {
    await snapshot?.end().catch(() => undefined);
    await source.close();
    await target.close();
  }
}

export class CopyRefused extends Error {}

type RawDb = ReturnType<typeof drizzlePg> & ReturnType<typeof drizzleSqlite>;

/**
 * The source, read in one snapshot: a live database being written meanwhile is copied as it was
 * when the copy began (SQLite: one read transaction; PostgreSQL: REPEATABLE READ on one connection).
 */
async function openSnapshot(db: Db): Promise<{ db: RawDb; end(): Promise<void> }> {
  const i = db.internals;
  if (i.engine === "sqlite") {
    i.reader.prepare("BEGIN").run();
    return {
      db: raw(db),
      end: async () => void (i.reader.inTransaction && i.reader.prepare("COMMIT").run()),
    };
  }
  const client = await i.primary.connect();
  await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  let open = true;
  return {
    db: drizzlePg(client, { schema: pgSchema }) as unknown as RawDb,
    end: async () => {
      if (!open) return;
      open = false;
      await client.query("COMMIT").finally(() => client.release());
    },
  };
}

/** A Drizzle instance with the engine's own schema over the handle's primary connection. */
function raw(db: Db): RawDb {
  const i = db.internals;
  return (i.engine === "pg"
    ? drizzlePg(i.primary, { schema: pgSchema })
    : drizzleSqlite(i.reader, { schema: sqliteSchema })) as unknown as RawDb;
}

/**
 * Ids are never reused (a merged company comes back under its id on undo), so the target's id
 * sequences start after the highest id the source ever issued, not only after the highest left.
 */
async function keepIdsUnused(source: Db, target: Db, tx: Tx, order: string[]) {
  const withSequence = order.filter(hasSequence);
  const issued = new Map<string, number>();
  const s = source.internals;
  if (s.engine === "sqlite") {
    const seq = s.reader.prepare("SELECT name, seq FROM sqlite_sequence").all() as {
      name: string;
      seq: number;
    }[];
    seq.forEach((r) => issued.set(r.name, r.seq));
  } else {
    for (const name of withSequence) {
      const { rows: found } = await s.primary.query<{ seq: string | null }>(
        "SELECT pg_get_serial_sequence($1, 'id') AS seq",
        [name],
      );
      if (!found[0]?.seq) continue;
      // The name comes from the catalog (e.g. public.deals_id_seq), not from input.
      const { rows: r } = await s.primary.query<{ last: number }>(
        `SELECT CASE WHEN is_called THEN last_value ELSE 0 END AS last FROM ${found[0].seq}`,
      );
      issued.set(name, Number(r[0]?.last ?? 0));
    }
  }
  for (const name of withSequence) {
    const { rows: r } = await tx.execute<{ m: number }>(
      sql`SELECT coalesce(max(id), 0) AS m FROM ${sql.identifier(name)}`,
    );
    const last = Math.max(issued.get(name) ?? 0, Number(r[0]?.m ?? 0));
    if (last === 0) continue;
    if (target.engine === "pg") {
      await tx.execute(sql`SELECT setval(pg_get_serial_sequence(${name}, 'id'), ${last})`);
    } else {
      await tx.execute(sql`DELETE FROM sqlite_sequence WHERE name = ${name}`);
      await tx.execute(sql`INSERT INTO sqlite_sequence (name, seq) VALUES (${name}, ${last})`);
    }
  }
}

/** Tables whose id comes from a sequence (AUTOINCREMENT in SQLite, an identity in PostgreSQL). */
function hasSequence(name: string): boolean {
  const id = getTableColumns(tablesOf("sqlite").get(name)!).id as { autoIncrement?: boolean } | undefined;
  return Boolean(id?.autoIncrement);
}
