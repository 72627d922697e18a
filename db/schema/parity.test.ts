import { getTableName, is, type SQL } from "drizzle-orm";
import { getTableConfig as pgConfig, PgTable } from "drizzle-orm/pg-core";
import { getTableConfig as sqliteConfig, SQLiteTable } from "drizzle-orm/sqlite-core";
import { describe, expect, it } from "vitest";
import * as pg from "./pg";
import * as sqlite from "./sqlite";

// The two engines' schemas are built from one declaration (./tables.ts) by two column kits
// (db/core/kit-sqlite.ts, kit-pg.ts), each with its own types, and must describe the same database:
// same tables, columns, nullability, keys, uniqueness, indexes and foreign keys.

type Config = ReturnType<typeof pgConfig> | ReturnType<typeof sqliteConfig>;

function whereText(where: SQL | undefined): string | undefined {
  if (!where) return undefined;
  return where.queryChunks
    .map((c) => (typeof c === "object" && c && "value" in c ? (c.value as string[]).join("") : String(c)))
    .join("");
}

function shape(config: Config) {
  const columnName = (c: { name: string }) => c.name;
  return {
    columns: Object.fromEntries(
      config.columns.map((c) => [c.name, { notNull: c.notNull, primary: c.primary, unique: c.isUnique }]),
    ),
    primaryKeys: config.primaryKeys.map((k) => k.columns.map(columnName)),
    indexes: config.indexes
      .map((i) => ({
        name: i.config.name,
        unique: i.config.unique,
        on: i.config.columns.map((c) => ("name" in c ? c.name : "expression")),
        where: whereText(i.config.where),
      }))
      .sort((a, b) => a.name!.localeCompare(b.name!)),
    foreignKeys: config.foreignKeys
      .map((f) => {
        const ref = f.reference();
        return {
          columns: ref.columns.map(columnName),
          table: getTableName(ref.foreignTable),
          foreignColumns: ref.foreignColumns.map(columnName),
          onDelete: f.onDelete ?? "no action",
        };
      })
      .sort((a, b) => a.columns.join().localeCompare(b.columns.join())),
  };
}

const pgTables = Object.values(pg).filter((t) => is(t, PgTable)) as PgTable[];
const sqliteTables = Object.values(sqlite).filter((t) => is(t, SQLiteTable)) as SQLiteTable[];

describe("the PostgreSQL and SQLite schemas", () => {
  it("define the same tables", () => {
    expect(pgTables.map(getTableName).sort()).toEqual(sqliteTables.map(getTableName).sort());
    expect(pgTables.length).toBeGreaterThan(20);
  });

  for (const table of sqliteTables) {
    const name = getTableName(table);
    it(`define ${name} alike`, () => {
      const twin = pgTables.find((t) => getTableName(t) === name)!;
      expect(shape(pgConfig(twin))).toEqual(shape(sqliteConfig(table)));
    });
  }

  it("notice a difference (the comparison is not vacuous)", () => {
    const deals = shape(sqliteConfig(sqlite.deals));
    const changed = structuredClone(deals);
    changed.columns.title!.notNull = false;
    expect(changed).not.toEqual(deals);
    expect(deals.indexes.find((i) => i.name === "deals_live_announced_idx")?.where).toBe(
      "deleted_at IS NULL",
    );
  });
});
