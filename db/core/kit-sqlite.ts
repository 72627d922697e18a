// The column kit on SQLite: each declared column becomes the builder a hand-written sqliteTable
// would use, with the same type. Dates are ISO text, timestamps Unix time, JSON text.
import {
  sql,
  type BuildColumns,
  type ColumnBuilderBase,
  type HasDefault,
  type IsPrimaryKey,
  type NotNull,
} from "drizzle-orm";
import {
  type SQLiteColumn,
  type SQLiteColumnBuilderBase,
  type SQLiteTableExtraConfigValue,
  type SQLiteTableWithColumns,
  index,
  integer,
  primaryKey,
  sqliteTable,
  text,
  uniqueIndex,
} from "drizzle-orm/sqlite-core";

import {
  type AnyColumn,
  type AnyTable,
  type ColumnConfig,
  type Engine,
  type TableColumns,
  type TableName,
  type TablesOf,
  type ColumnBuilderLike,
  type Declared,
  instantiate,
} from "./column-kit";

type Enum = readonly [string, ...string[]];

// One builder per kind; the types below are read off these functions so they match Drizzle's.
const base = {
  id: () => integer("id").primaryKey({ autoIncrement: true }),
  integer: <N extends string>(name: N) => integer(name),
  bigint: <N extends string>(name: N) => integer(name),
  text: <N extends string>(name: N) => text(name),
  enumText: <N extends string, E extends Enum>(name: N, values: E) => text(name, { enum: values }),
  sortedText: <N extends string>(name: N) => text(name),
  date: <N extends string>(name: N) => text(name),
  boolean: <N extends string>(name: N) => integer(name, { mode: "boolean" }),
  timestamp: <N extends string>(name: N) => integer(name, { mode: "timestamp" }),
  timestampMs: <N extends string>(name: N) => integer(name, { mode: "timestamp_ms" }),
  json: <N extends string>(name: N) => text(name, { mode: "json" }),
};

type Base<C extends ColumnConfig> = {
  id: ReturnType<typeof base.id>;
  integer: ReturnType<typeof base.integer<C["name"]>>;
  bigint: ReturnType<typeof base.bigint<C["name"]>>;
  text: C["enum"] extends Enum
    ? ReturnType<typeof base.enumText<C["name"], C["enum"]>>
    : ReturnType<typeof base.text<C["name"]>>;
  sortedText: ReturnType<typeof base.sortedText<C["name"]>>;
  date: ReturnType<typeof base.date<C["name"]>>;
  boolean: ReturnType<typeof base.boolean<C["name"]>>;
  timestamp: ReturnType<typeof base.timestamp<C["name"]>>;
  timestampMs: ReturnType<typeof base.timestampMs<C["name"]>>;
  json: ReturnType<typeof base.json<C["name"]>>;
}[C["kind"]];

/** Integer columns: SQLite's `integer primary key` is the rowid, so Drizzle lets inserts omit it. */
type IntegerKind = "id" | "integer" | "bigint" | "boolean" | "timestamp" | "timestampMs";

type WithPrimaryKey<B, C extends ColumnConfig> = B extends ColumnBuilderBase
  ? C["primaryKey"] extends true
    ? C["kind"] extends IntegerKind
      ? IsPrimaryKey<HasDefault<NotNull<B>>>
      : IsPrimaryKey<NotNull<B>>
    : B
  : never;

/** The SQLite builder type of a declared column. */
export type SqliteColumnOf<C extends ColumnConfig> = WithPrimaryKey<Declared<Base<C>, C>, C>;

type Builders<Cols> = {
  [K in keyof Cols]: Cols[K] extends AnyColumn ? SqliteColumnOf<Cols[K]["_"]> : never;
};

/** The SQLite table of a declared table, typed as `sqliteTable(name, columns)` types it. */
export type SqliteTableOf<T extends AnyTable> =
  Builders<TableColumns<T>> extends infer B extends Record<string, SQLiteColumnBuilderBase>
    ? SQLiteTableWithColumns<{
        name: TableName<T>;
        schema: undefined;
        columns: BuildColumns<TableName<T>, B, "sqlite">;
        dialect: "sqlite";
      }>
    : never;

const engine: Engine<ColumnBuilderLike & SQLiteColumnBuilderBase, SQLiteColumn> = {
  builders: base,
  defaultNow: (b) => b.default(sql`(unixepoch())`),
  table: (name, columns, constraints) =>
    sqliteTable(name, columns, (t) => constraints(t) as SQLiteTableExtraConfigValue[]),
  primaryKey: (columns) => primaryKey({ columns }),
  index: (name, unique, columns, where) => {
    const built = (unique ? uniqueIndex : index)(name).on(...columns);
    return where ? built.where(where) : built;
  },
};

/** Every table declared in `declared` (a module's exports), as SQLite tables. */
export function sqliteTables<M extends object>(
  declared: M,
): { [K in keyof TablesOf<M>]: SqliteTableOf<TablesOf<M>[K]> } {
  return instantiate(declared, engine) as never;
}
