import { getTableName, is, SQL } from "drizzle-orm";
import { getTableConfig as pgConfig, type PgColumn } from "drizzle-orm/pg-core";
import { getTableConfig as sqliteConfig, type SQLiteColumn } from "drizzle-orm/sqlite-core";
import { describe, expect, expectTypeOf, it } from "vitest";

import * as pg from "@/db/schema/pg";
import * as sqlite from "@/db/schema/sqlite";
import * as declared from "@/db/schema/tables";

import { col, index, isTable, table } from "./column-kit";
import { pgTables } from "./kit-pg";
import { sqliteTables } from "./kit-sqlite";

type TableKey = keyof typeof declared;
// Identity of types (expectTypeOf's deep comparison also walks into Date and Drizzle's classes).
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

const sqlText = (value: unknown) =>
  is(value, SQL)
    ? value.queryChunks
        .map((c) => (typeof c === "object" && c && "value" in c ? (c.value as string[]).join("") : String(c)))
        .join("")
    : value;

function pgColumn(t: Parameters<typeof pgConfig>[0], name: string): PgColumn {
  return pgConfig(t).columns.find((c) => c.name === name)!;
}
function sqliteColumn(t: Parameters<typeof sqliteConfig>[0], name: string): SQLiteColumn {
  return sqliteConfig(t).columns.find((c) => c.name === name)!;
}

describe("the tables declared once", () => {
  it("are every one exported by both engines' schema modules, under the same name", () => {
    const names = Object.keys(declared).filter((k) => isTable(declared[k as TableKey]));
    expect(names.length).toBeGreaterThan(20);
    for (const name of names) {
      const declaredName = getTableName(sqlite[name as TableKey]);
      expect(getTableName(pg[name as TableKey])).toBe(declaredName);
    }
    expect(Object.keys(declared).sort()).toEqual(names.sort());
  });

  it("keep PostgreSQL's own types: identity keys, collated text, date, timestamptz, jsonb, bigint", () => {
    expect(pgColumn(pg.deals, "id").generatedIdentity?.type).toBe("byDefault");
    expect(pgColumn(pg.deals, "title").getSQLType()).toBe('text COLLATE "C"');
    expect(pgColumn(pg.deals, "announced_on").getSQLType()).toBe("date");
    expect(pgColumn(pg.deals, "value_minor").getSQLType()).toBe("bigint");
    expect(pgColumn(pg.deals, "created_at").getSQLType()).toBe("timestamp with time zone");
    expect(sqlText(pgColumn(pg.deals, "created_at").default)).toBe("now()");
    expect(pgColumn(pg.revisions, "changed_fields").getSQLType()).toBe("jsonb");
    expect(pgColumn(pg.dataChanges, "id").generatedIdentity).toBeUndefined();
  });

  it("keep SQLite's own types: autoincrement keys, ISO text dates, Unix time, JSON text", () => {
    const id = sqliteColumn(sqlite.deals, "id") as SQLiteColumn & { autoIncrement: boolean };
    expect(id.autoIncrement).toBe(true);
    expect((sqliteColumn(sqlite.dataChanges, "id") as typeof id).autoIncrement).toBe(false);
    expect(sqliteColumn(sqlite.deals, "title").getSQLType()).toBe("text");
    expect(sqliteColumn(sqlite.deals, "announced_on").getSQLType()).toBe("text");
    const createdAt = sqliteColumn(sqlite.deals, "created_at") as SQLiteColumn & { mode: string };
    expect([createdAt.getSQLType(), createdAt.mode]).toEqual(["integer", "timestamp"]);
    expect(sqlText(createdAt.default)).toBe("(unixepoch())");
    const due = sqliteColumn(sqlite.webhookDeliveries, "next_attempt_at") as typeof createdAt;
    expect(due.mode).toBe("timestamp_ms");
    const json = sqliteColumn(sqlite.revisions, "changed_fields") as SQLiteColumn & { mode?: string };
    expect([json.getSQLType(), json.columnType]).toEqual(["text", "SQLiteTextJson"]);
  });

  it("give each engine the same row types", () => {
    // Mapped inline: two instances of one generic alias would be compared by their arguments.
    type SqliteRows = { [K in TableKey]: (typeof sqlite)[K]["$inferSelect"] };
    type PgRows = { [K in TableKey]: (typeof pg)[K]["$inferSelect"] };
    expectTypeOf<Equal<SqliteRows, PgRows>>().toEqualTypeOf<true>();
    // Inserts too, except where SQLite's integer primary key is the rowid, which Drizzle lets an
    // insert omit (the code always gives it).
    type Keyed = Exclude<TableKey, "dealCells" | "dataChanges">;
    type SqliteInserts = { [K in Keyed]: (typeof sqlite)[K]["$inferInsert"] };
    type PgInserts = { [K in Keyed]: (typeof pg)[K]["$inferInsert"] };
    expectTypeOf<Equal<SqliteInserts, PgInserts>>().toEqualTypeOf<true>();
    expectTypeOf<(typeof sqlite.deals.$inferSelect)["createdAt"]>().toEqualTypeOf<Date>();
    expectTypeOf<(typeof sqlite.deals.$inferSelect)["status"]>().toEqualTypeOf<sqlite.DealStatus>();
    expectTypeOf<(typeof pg.revisions.$inferSelect)["changedFields"]>().toEqualTypeOf<string[]>();
    expectTypeOf<(typeof pg.deals.$inferInsert)["id"]>().toEqualTypeOf<number | undefined>();
    expectTypeOf<(typeof pg.deals.$inferSelect)["valueMinor"]>().toEqualTypeOf<number | null>();
  });
});

describe("the column kit", () => {
  it("refuses a column object shared by two tables (its references could resolve to only one)", () => {
    const shared = col.text("note");
    table("one", { note: shared });
    expect(() => table("two", { note: shared })).toThrow("two.note: column already declared");
  });

  it("refuses an index on another table's column", () => {
    const parent = table("parent", { id: col.id() });
    const child = table("child", { id: col.id() }, () => [index("child_parent_idx").on(parent.id)]);
    expect(() => sqliteConfig(sqliteTables({ parent, child }).child)).toThrow("of another table");
  });

  it("refuses defaultNow() on a column that is not a timestamp", () => {
    expect(() => col.integer("n").defaultNow()).toThrow("needs a timestamp");
  });

  it("resolves references across tables declared in any order, on both engines", () => {
    const child = table("child", {
      parentId: col.integer("parent_id").references(() => parent.id, { onDelete: "cascade" }),
    });
    const parent = table("parent", { id: col.id() });
    for (const config of [
      sqliteConfig(sqliteTables({ child, parent }).child),
      pgConfig(pgTables({ child, parent }).child),
    ]) {
      const ref = config.foreignKeys[0]!.reference();
      expect([
        getTableName(ref.foreignTable),
        ref.foreignColumns[0]!.name,
        config.foreignKeys[0]!.onDelete,
      ]).toEqual(["parent", "id", "cascade"]);
    }
  });
});
