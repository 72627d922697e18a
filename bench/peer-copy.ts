import "server-only";
import Database from "better-sqlite3";
import pg from "pg";

// Directus's copy of the generated database, made readable to it (bench/peer.ts). Directus serves a
// table only when it has a single-column primary key, and the junction tables of Atlas have composite
// ones (deal, company), (deal, technology), (deal, type): in the copy each gets an `id` primary key
// and keeps its pair as a unique key and its indexes, as Directus models a junction itself. Then the
// relations are told to Directus through its API, so that a deal's parts read as nested fields
// (`parties.company_id.name`) and a filter can reach a deal's companies (`filter[parties][company_id]`).

const JUNCTIONS = {
  deal_parties: ["deal_id", "company_id"],
  deal_technologies: ["deal_id", "technology_id"],
  deal_types: ["deal_id", "type"],
} as const;

/** The deal's parts, as nested fields of a deal (one-to-many from deals). */
const PARTS = [
  ["deal_parties", "parties"],
  ["deal_types", "types"],
  ["deal_technologies", "technologies"],
  ["quotes", "quotes"],
  ["sources", "sources"],
] as const;
/** The many-to-one links the list's nested fields follow. */
const LINKS = [
  ["deal_parties", "company_id", "companies"],
  ["deal_technologies", "technology_id", "technologies"],
] as const;

type Api = { base: string; headers: Record<string, string> };

export type PeerDatabase = {
  engine: "sqlite" | "pg";
  /** Directus's database settings. */
  env: Record<string, string>;
  /** What was changed in the copy, for the results. */
  note: string;
  /** Registers the relations with a started Directus. */
  relate(api: Api): Promise<void>;
};

const NOTE =
  "Directus's copy: the three junction tables got an id primary key (their pair kept as a unique key); " +
  "on SQLite the announcement date is kept as Directus keeps dates there (ms since 1970, column type date); " +
  "Atlas's tables otherwise as generated.";

type Sqlite = InstanceType<typeof Database>;

/**
 * SQLite's way to change a table's definition: a new table from the changed CREATE statement, the
 * rows copied over (`select` gives each column's value), the old one dropped and the new one renamed,
 * then its indexes made again. Run with foreign keys off, as SQLite's documentation prescribes.
 */
function rebuild(
  conn: Sqlite,
  table: string,
  change: (ddl: string) => string,
  select: Record<string, string> = {},
) {
  const { sql: ddl } = conn
    .prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?")
    .get(table) as { sql: string };
  const indexes = conn
    .prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL")
    .all(table) as { sql: string }[];
  const columns = (conn.prepare(`PRAGMA table_info("${table}")`).all() as { name: string }[]).map(
    (c) => c.name,
  );
  const changed = change(ddl).replace(/^CREATE TABLE `?\w+`?/, `CREATE TABLE "${table}_peer"`);
  if (changed === ddl || !changed.startsWith(`CREATE TABLE "${table}_peer"`))
    throw new Error(`${table}: its definition is not the one expected: ${ddl}`);
  conn.exec(changed);
  conn.exec(
    `INSERT INTO "${table}_peer" (${columns.map((c) => `"${c}"`).join(", ")}) ` +
      `SELECT ${columns.map((c) => select[c] ?? `"${c}"`).join(", ")} FROM "${table}"`,
  );
  conn.exec(`DROP TABLE "${table}"`);
  conn.exec(`ALTER TABLE "${table}_peer" RENAME TO "${table}"`);
  for (const index of indexes) conn.exec(index.sql);
}

function adaptSqlite(file: string) {
  const conn = new Database(file);
  try {
    conn.pragma("foreign_keys = OFF");
    conn.transaction(() => {
      for (const [table, pair] of Object.entries(JUNCTIONS)) {
        const pairKey = `PRIMARY KEY(${pair.map((c) => `\`${c}\``).join(", ")})`;
        rebuild(conn, table, (ddl) =>
          ddl
            .replace(/^(CREATE TABLE `?\w+`?\s*\()/, `$1\n\t"id" integer PRIMARY KEY,`)
            .replace(pairKey, `UNIQUE(${pair.map((c) => `"${c}"`).join(", ")})`),
        );
      }
      // Directus on SQLite keeps a date as milliseconds since 1970 in a column declared `date`, and its
      // date functions (year(), month()) read that form only: the copy's announcement dates take it.
      rebuild(
        conn,
        "deals",
        (ddl) => ddl.replace("`announced_on` text NOT NULL", "`announced_on` date NOT NULL"),
        { announced_on: "unixepoch(announced_on) * 1000" },
      );
    })();
    conn.exec("ANALYZE");
  } finally {
    conn.close();
  }
}

async function junctionsOnPg(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("BEGIN");
    for (const [table, pair] of Object.entries(JUNCTIONS)) {
      const { rows } = await client.query<{ name: string }>(
        "SELECT conname AS name FROM pg_constraint WHERE conrelid = $1::regclass AND contype = 'p'",
        [table],
      );
      if (rows.length !== 1) throw new Error(`${table} has no primary key`);
      const t = client.escapeIdentifier(table);
      await client.query(`ALTER TABLE ${t} DROP CONSTRAINT ${client.escapeIdentifier(rows[0]!.name)}`);
      await client.query(
        `ALTER TABLE ${t} ADD UNIQUE (${pair.map((c) => client.escapeIdentifier(c)).join(", ")})`,
      );
      await client.query(`ALTER TABLE ${t} ADD COLUMN id bigserial PRIMARY KEY`);
    }
    await client.query("COMMIT");
    await client.query("ANALYZE");
  } catch (error) {
    await client.query("ROLLBACK");
    throw error;
  } finally {
    await client.end();
  }
}

async function call(api: Api, method: string, url: string, body?: unknown) {
  const response = await fetch(`${api.base}${url}`, {
    method,
    headers: { ...api.headers, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
    redirect: "manual",
  });
  const text = await response.text();
  return { status: response.status, text };
}

async function must(api: Api, method: string, url: string, body?: unknown) {
  const answer = await call(api, method, url, body);
  if (answer.status >= 300)
    throw new Error(`Directus answered ${answer.status} to ${method} ${url}: ${answer.text.slice(0, 400)}`);
}

/** A relation's metadata: updated when Directus found it in the schema's foreign keys, created when not. */
async function relation(api: Api, collection: string, field: string, related: string, oneField?: string) {
  const meta = oneField ? { one_field: oneField } : {};
  const known = await call(api, "GET", `/relations/${collection}/${field}`);
  if (known.status === 200) await must(api, "PATCH", `/relations/${collection}/${field}`, { meta });
  else
    await must(api, "POST", "/relations", {
      collection,
      field,
      related_collection: related,
      schema: null,
      meta,
    });
}

export async function registerRelations(api: Api) {
  for (const [collection, field, related] of LINKS) await relation(api, collection, field, related);
  for (const [collection, alias] of PARTS) {
    if ((await call(api, "GET", `/fields/deals/${alias}`)).status !== 200)
      await must(api, "POST", "/fields/deals", {
        field: alias,
        type: "alias",
        meta: { special: ["o2m"], interface: "list-o2m" },
      });
    await relation(api, collection, "deal_id", "deals", alias);
  }
}

export async function prepareDirectusCopy(
  target: { engine: "sqlite"; file: string } | { engine: "pg"; url: string },
): Promise<PeerDatabase> {
  if (target.engine === "sqlite") {
    adaptSqlite(target.file);
    return {
      engine: "sqlite",
      env: { DB_CLIENT: "sqlite3", DB_FILENAME: target.file },
      note: NOTE,
      relate: registerRelations,
    };
  }
  await junctionsOnPg(target.url);
  return {
    engine: "pg",
    env: { DB_CLIENT: "pg", DB_CONNECTION_STRING: target.url },
    note: NOTE,
    relate: registerRelations,
  };
}
