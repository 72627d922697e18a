// The engine-neutral column kit: db/schema/tables.ts declares every table ONCE with it, and
// ./kit-sqlite.ts and ./kit-pg.ts turn each declaration into real Drizzle tables (as Payload's
// buildRawSchema + a table builder per dialect). A column records what it is (`kind`) and what was
// asked of it; its type parameter records the same at the type level, so each engine's kit can
// derive exactly the Drizzle builder type a hand-written table would have had.
import type { $Type, ColumnBuilderBase, HasDefault, NotNull, SQL } from "drizzle-orm";

/**
 * What a column holds. The engines store some differently (SQLite / PostgreSQL): `id` autoincrement
 * integer key / identity; `bigint` integer / bigint; `sortedText` text / text COLLATE "C"; `boolean`
 * integer / boolean; `date` ISO text / date; `timestamp` Unix seconds / timestamptz;
 * `timestampMs` Unix milliseconds / timestamptz; `json` JSON text / jsonb.
 */
export type Kind =
  | "id"
  | "integer"
  | "bigint"
  | "text"
  | "sortedText"
  | "boolean"
  | "date"
  | "timestamp"
  | "timestampMs"
  | "json";

type Enum = readonly [string, ...string[]];

export interface ColumnConfig {
  kind: Kind;
  name: string;
  enum: Enum | undefined;
  /** `[T]` once `$type<T>()` narrowed the value type, else undefined. */
  $type: [unknown] | undefined;
  notNull: boolean;
  hasDefault: boolean;
  primaryKey: boolean;
}

type With<C extends ColumnConfig, K extends keyof ColumnConfig, V> = Omit<C, K> & { [P in K]: V };

type DataOfKind = {
  id: number;
  integer: number;
  bigint: number;
  text: string;
  sortedText: string;
  boolean: boolean;
  date: string;
  timestamp: Date;
  timestampMs: Date;
  json: unknown;
};

/** The value a column holds in a row, as the engines' Drizzle columns type it. */
export type DataOf<C extends ColumnConfig> = C["$type"] extends [infer T]
  ? T
  : C["enum"] extends Enum
    ? C["enum"][number]
    : DataOfKind[C["kind"]];

export type ReferentialAction = "cascade" | "restrict" | "no action" | "set null" | "set default";

/** What the engine kits read: the column's declaration, filled in by the calls below. */
export interface ColumnSpec {
  kind: Kind;
  name: string;
  enumValues: Enum | undefined;
  notNull: boolean;
  /** A literal default, or "now" for `defaultNow()` (each engine has its own expression). */
  default: { value: unknown } | "now" | undefined;
  primaryKey: boolean;
  references: { column: () => AnyColumn; onDelete: ReferentialAction | undefined } | undefined;
}

export class Column<C extends ColumnConfig> {
  /** Type-level record of the declaration; never set at runtime. */
  declare readonly _: C;
  readonly spec: ColumnSpec;
  /** Where the column was declared, set by `table()`; references and indexes resolve through it. */
  owner: { table: AnyTable; key: string } | undefined;

  constructor(kind: C["kind"], name: C["name"], enumValues?: C["enum"]) {
    this.spec = {
      kind,
      name,
      enumValues,
      notNull: false,
      default: undefined,
      primaryKey: false,
      references: undefined,
    };
  }

  notNull(): Column<With<C, "notNull", true>> {
    this.spec.notNull = true;
    return this as never;
  }

  default(value: DataOf<C> | SQL): Column<With<C, "hasDefault", true>> {
    this.spec.default = { value };
    return this as never;
  }

  /** The time of the insert: `(unixepoch())` on SQLite, `now()` on PostgreSQL. */
  defaultNow(): Column<With<C, "hasDefault", true>> {
    if (this.spec.kind !== "timestamp") throw new Error(`${this.spec.name}: defaultNow() needs a timestamp`);
    this.spec.default = "now";
    return this as never;
  }

  primaryKey(): Column<With<C, "primaryKey", true>> {
    this.spec.primaryKey = true;
    return this as never;
  }

  $type<T>(): Column<With<C, "$type", [T]>> {
    return this as never;
  }

  references(column: () => AnyColumn, actions?: { onDelete?: ReferentialAction }): this {
    this.spec.references = { column, onDelete: actions?.onDelete };
    return this;
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any column, whatever its declaration
export type AnyColumn = Column<any>;

type New<K extends Kind, N extends string, E extends Enum | undefined = undefined> = Column<{
  kind: K;
  name: N;
  enum: E;
  $type: undefined;
  notNull: false;
  hasDefault: false;
  primaryKey: false;
}>;

/** The column builders every table declaration uses. */
export const col = {
  /** The table's own autoincrementing integer key, named `id`. */
  id: () => new Column("id", "id") as New<"id", "id">,
  integer: <N extends string>(name: N) => new Column("integer", name) as New<"integer", N>,
  /** An integer that may outgrow 32 bits (money in minor units, counters). */
  bigint: <N extends string>(name: N) => new Column("bigint", name) as New<"bigint", N>,
  text: <N extends string, const E extends Enum | undefined = undefined>(name: N, config?: { enum: E }) =>
    new Column("text", name, config?.enum) as New<"text", N, E>,
  /**
   * Text that lists sort by (names, titles): on PostgreSQL in the "C" collation, byte order as
   * SQLite sorts, so both engines list and export in the same order whatever the cluster's locale.
   */
  sortedText: <N extends string>(name: N) => new Column("sortedText", name) as New<"sortedText", N>,
  boolean: <N extends string>(name: N) => new Column("boolean", name) as New<"boolean", N>,
  /** A calendar date as ISO `YYYY-MM-DD`. */
  date: <N extends string>(name: N) => new Column("date", name) as New<"date", N>,
  /** A point in time to the second. */
  timestamp: <N extends string>(name: N) => new Column("timestamp", name) as New<"timestamp", N>,
  /** A point in time to the millisecond (due times of retries, rate-limit windows). */
  timestampMs: <N extends string>(name: N) => new Column("timestampMs", name) as New<"timestampMs", N>,
  json: <N extends string>(name: N) => new Column("json", name) as New<"json", N>,
};

// ---------------------------------------------------------------------------------------------
// Keys and indexes, named by the columns of the table they belong to.

export type Constraint = { kind: "primaryKey"; columns: AnyColumn[] } | IndexOn;

class IndexOn {
  readonly kind = "index";
  condition: SQL | undefined;

  constructor(
    readonly name: string,
    readonly unique: boolean,
    readonly columns: AnyColumn[],
  ) {}

  /** A partial index: only rows for which `condition` holds. */
  where(condition: SQL): this {
    this.condition = condition;
    return this;
  }
}

class IndexDeclaration {
  constructor(
    private readonly name: string,
    private readonly unique: boolean,
  ) {}

  on(...columns: [AnyColumn, ...AnyColumn[]]): IndexOn {
    return new IndexOn(this.name, this.unique, columns);
  }
}

export const index = (name: string) => new IndexDeclaration(name, false);
export const uniqueIndex = (name: string) => new IndexDeclaration(name, true);
export const primaryKey = (config: { columns: [AnyColumn, ...AnyColumn[]] }): Constraint => ({
  kind: "primaryKey",
  columns: config.columns,
});

// ---------------------------------------------------------------------------------------------
// Tables.

const TABLE = Symbol("table");

export interface TableDeclaration<
  N extends string = string,
  Cols extends Record<string, AnyColumn> = Record<string, AnyColumn>,
> {
  name: N;
  columns: Cols;
  // Method syntax: a table with particular columns is still a table with some columns.
  constraints(columns: Cols): Constraint[];
}

/** A declared table: its columns by key (to reference them), and its declaration. */
export type Table<N extends string, Cols extends Record<string, AnyColumn>> = Cols & {
  readonly [TABLE]: TableDeclaration<N, Cols>;
};
export type AnyTable = Table<string, Record<string, AnyColumn>>;

export type TableName<T extends AnyTable> = T[typeof TABLE]["name"];
export type TableColumns<T extends AnyTable> = T[typeof TABLE]["columns"];

export function table<N extends string, Cols extends Record<string, AnyColumn>>(
  name: N,
  columns: Cols,
  constraints: (columns: Cols) => Constraint[] = () => [],
): Table<N, Cols> {
  const declared = { ...columns, [TABLE]: { name, columns, constraints } } as Table<N, Cols>;
  for (const [key, column] of Object.entries(columns)) {
    // A column object shared by two tables would resolve references to only one of them.
    if (column.owner) throw new Error(`${name}.${key}: column already declared in another table`);
    column.owner = { table: declared, key };
  }
  return declared;
}

export function isTable(value: unknown): value is AnyTable {
  return typeof value === "object" && value !== null && TABLE in value;
}

export function declarationOf<T extends AnyTable>(t: T): TableDeclaration<TableName<T>, TableColumns<T>> {
  return t[TABLE];
}

/** The declared tables among a module's exports (db/schema/tables.ts), by export name. */
export type TablesOf<M> = { [K in keyof M as M[K] extends AnyTable ? K : never]: Extract<M[K], AnyTable> };

/** The keys of a key's or index's columns, which must be the table's own. */
function keysIn(declaration: TableDeclaration, columns: AnyColumn[]): string[] {
  const keys = columns.map((column) => {
    const owner = column.owner;
    if (!owner || declarationOf(owner.table) !== declaration) {
      throw new Error(`${declaration.name}: index or key on column ${column.spec.name} of another table`);
    }
    return owner.key;
  });
  return keys;
}

// ---------------------------------------------------------------------------------------------
// What both engine kits do alike.

/** Drizzle's builder type after `$type()`, `notNull()` and `default()` as declared (keys differ per engine). */
export type Declared<B, C extends ColumnConfig> = B extends ColumnBuilderBase
  ? WithDefault<WithNotNull<C["$type"] extends [infer T] ? $Type<B, T> : B, C>, C>
  : never;
type WithNotNull<B extends ColumnBuilderBase, C extends ColumnConfig> = C["notNull"] extends true
  ? NotNull<B>
  : B;
type WithDefault<B extends ColumnBuilderBase, C extends ColumnConfig> = C["hasDefault"] extends true
  ? HasDefault<B>
  : B;

/** What building needs of any engine's builder (each builder's own methods are typed by its column). */
export interface ColumnBuilderLike {
  notNull(): unknown;
  default(value: unknown): unknown;
  primaryKey(): unknown;
  references(ref: () => never, actions: { onDelete: ReferentialAction | undefined }): unknown;
}

/**
 * What one engine brings: a builder per kind of column, its "now" default, and its table, key and
 * index functions. `B` is its column builder, `C` its built column.
 */
export interface Engine<B extends ColumnBuilderLike, C> {
  builders: { id: () => B; enumText: (name: string, values: Enum) => B } & Record<
    Exclude<Kind, "id">,
    (name: string) => B
  >;
  defaultNow(builder: B): void;
  table(
    name: string,
    columns: Record<string, B>,
    constraints: (built: Record<string, C>) => unknown[],
  ): unknown;
  primaryKey(columns: [C, ...C[]]): unknown;
  index(name: string, unique: boolean, columns: [C, ...C[]], where: SQL | undefined): unknown;
}

function builderOf<B extends ColumnBuilderLike>(engine: Engine<B, unknown>, spec: ColumnSpec): B {
  const { kind, name, enumValues } = spec;
  if (kind === "id") return engine.builders.id();
  if (kind === "text" && enumValues) return engine.builders.enumText(name, enumValues);
  return engine.builders[kind](name);
}

/**
 * Builds every table declared in `declared` (a module's exports) for one engine, under the same
 * export names. Foreign keys find the engine's column through `built`: Drizzle resolves them
 * lazily, so tables may reference each other in any order.
 */
export function instantiate<B extends ColumnBuilderLike, C>(
  declared: object,
  engine: Engine<B, C>,
): Record<string, unknown> {
  const built = new Map<AnyTable, unknown>();
  const columnOf = (column: AnyColumn) => {
    const owner = column.owner;
    if (!owner) throw new Error(`column ${column.spec.name} belongs to no declared table`);
    const t = built.get(owner.table) as Record<string, unknown> | undefined;
    if (!t) throw new Error(`table ${declarationOf(owner.table).name} is not among the declared tables`);
    return t[owner.key];
  };
  const out: Record<string, unknown> = {};
  for (const [exportName, value] of Object.entries(declared)) {
    if (!isTable(value)) continue;
    const declaration = declarationOf(value);
    const builders: Record<string, B> = {};
    for (const [key, { spec }] of Object.entries(declaration.columns)) {
      const b = builderOf(engine as Engine<B, unknown>, spec);
      if (spec.notNull) b.notNull();
      if (spec.default === "now") engine.defaultNow(b);
      else if (spec.default) b.default(spec.default.value);
      if (spec.primaryKey) b.primaryKey();
      const ref = spec.references;
      if (ref) b.references(() => columnOf(ref.column()) as never, { onDelete: ref.onDelete });
      builders[key] = b;
    }
    const t = engine.table(declaration.name, builders, (columns) =>
      declaration.constraints(declaration.columns).map((c) => {
        const on = keysIn(declaration, c.columns).map((key) => columns[key]!) as [C, ...C[]];
        return c.kind === "primaryKey"
          ? engine.primaryKey(on)
          : engine.index(c.name, c.unique, on, c.condition);
      }),
    );
    built.set(value, t);
    out[exportName] = t;
  }
  return out;
}
