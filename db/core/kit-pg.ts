// The column kit on PostgreSQL: each declared column becomes the builder a hand-written pgTable
// would use, with the same type: identity keys, date, timestamptz, jsonb, bigint, and text that
// lists sort by in the "C" collation.
import { type BuildColumns, type ColumnBuilderBase, type IsPrimaryKey, type NotNull } from "drizzle-orm";
import {
  type PgColumn,
  type PgColumnBuilderBase,
  type PgTableExtraConfigValue,
  type PgTableWithColumns,
  bigint,
  boolean,
  customType,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";

import {
  type AnyColumn,
  type AnyTable,
  type ColumnBuilderLike,
  type ColumnConfig,
  type Engine,
  type Declared,
  type TableColumns,
  type TableName,
  type TablesOf,
  instantiate,
} from "./column-kit";

type Enum = readonly [string, ...string[]];

/** Byte order, as SQLite sorts, whatever the cluster's default locale is. */
const textCollateC = customType<{ data: string; driverData: string }>({
  dataType: () => 'text COLLATE "C"',
});

// One builder per kind; the types below are read off these functions so they match Drizzle's.
const base = {
  id: () => integer("id").primaryKey().generatedByDefaultAsIdentity(),
  integer: <N extends string>(name: N) => integer(name),
  bigint: <N extends string>(name: N) => bigint(name, { mode: "number" }),
  text: <N extends string>(name: N) => text(name),
  enumText: <N extends string, E extends Enum>(name: N, values: E) => text(name, { enum: values }),
  sortedText: <N extends string>(name: N) => textCollateC(name),
  date: <N extends string>(name: N) => date(name, { mode: "string" }),
  boolean: <N extends string>(name: N) => boolean(name),
  timestamp: <N extends string>(name: N) => timestamp(name, { withTimezone: true }),
  timestampMs: <N extends string>(name: N) => timestamp(name, { withTimezone: true }),
  json: <N extends string>(name: N) => jsonb(name),
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

type WithPrimaryKey<B, C extends ColumnConfig> = B extends ColumnBuilderBase
  ? C["primaryKey"] extends true
    ? IsPrimaryKey<NotNull<B>>
    : B
  : never;

/** The PostgreSQL builder type of a declared column. */
export type PgColumnOf<C extends ColumnConfig> = WithPrimaryKey<Declared<Base<C>, C>, C>;

type Builders<Cols> = {
  [K in keyof Cols]: Cols[K] extends AnyColumn ? PgColumnOf<Cols[K]["_"]> : never;
};

/** The PostgreSQL table of a declared table, typed as `pgTable(name, columns)` types it. */
export type PgTableOf<T extends AnyTable> =
  Builders<TableColumns<T>> extends infer B extends Record<string, PgColumnBuilderBase>
    ? PgTableWithColumns<{
        name: TableName<T>;
        schema: undefined;
        columns: BuildColumns<TableName<T>, B, "pg">;
        dialect: "pg";
      }>
    : never;

const engine: Engine<ColumnBuilderLike & PgColumnBuilderBase, PgColumn> = {
  builders: base,
  defaultNow: (b) => (b as ReturnType<typeof base.timestamp>).defaultNow(),
  table: (name, columns, constraints) =>
    pgTable(name, columns, (t) => constraints(t) as PgTableExtraConfigValue[]),
  primaryKey: (columns) => primaryKey({ columns }),
  index: (name, unique, columns, where) => {
    const built = (unique ? uniqueIndex : index)(name).on(...columns);
    return where ? built.where(where) : built;
  },
};

/** Every table declared in `declared` (a module's exports), as PostgreSQL tables. */
export function pgTables<M extends object>(
  declared: M,
): { [K in keyof TablesOf<M>]: PgTableOf<TablesOf<M>[K]> } {
  return instantiate(declared, engine) as never;
}
