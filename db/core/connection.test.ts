import { count, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { testDb, unique } from "@/test/db";
import type { Tx } from "./connection";
import { companies } from "../schema";

// The handle's promises, on whichever engine the run uses (npm test: SQLite; npm run test:pg):
// writes happen only inside db.write, atomically, invisible to readers until they commit.

const db = testDb();
const companyCount = async () => (await db.select({ n: count() }).from(companies))[0]!.n;
const newCompany = (tx: Tx, name = unique("Handle Co")) =>
  tx
    .insert(companies)
    .values({ name, nameKey: name.toLowerCase(), slug: name.toLowerCase().replace(/\W+/g, "-") });

describe("the database handle", () => {
  it("refuses to write outside db.write, at run time as well as in the type checker", async () => {
    const before = await companyCount();
    // @ts-expect-error -- the read handle has no insert
    const insert = db.insert;
    expect(insert).toBeDefined(); // the method exists on the driver object…
    // …but its connection refuses (Drizzle wraps the driver's error as its cause).
    const error = await newCompany(db as unknown as Tx).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(String((error?.cause as Error | undefined)?.message ?? error?.message)).toMatch(
      /attempt to write a readonly database|cannot execute INSERT in a read-only transaction/,
    );
    expect(await companyCount()).toBe(before);
  });

  it("keeps an awaited transaction invisible to readers until it commits, and rolls all of it back on a throw", async () => {
    const before = await companyCount();
    let seenDuring = -1;
    const failing = db.write(async (tx) => {
      await newCompany(tx);
      await newCompany(tx);
      // A real wait: other work (here a reader) runs in between.
      await new Promise((r) => setTimeout(r, 30));
      throw new Error("half-way");
    });
    seenDuring = await companyCount();
    await expect(failing).rejects.toThrow("half-way");
    expect(seenDuring).toBe(before);
    expect(await companyCount()).toBe(before);

    await db.write(async (tx) => {
      await newCompany(tx);
      await new Promise((r) => setTimeout(r, 10));
      await newCompany(tx);
    });
    expect(await companyCount()).toBe(before + 2);
  });

  it("runs writes one after another, and a nested write joins the outer transaction", async () => {
    const name = unique("Nested Co");
    const before = await companyCount();
    await expect(
      db.write(async (tx) => {
        await newCompany(tx, name);
        await db.write(async (inner) => {
          expect(inner).toBe(tx);
          await newCompany(inner);
        });
        throw new Error("outer fails");
      }),
    ).rejects.toThrow("outer fails");
    expect(await companyCount()).toBe(before);
    expect(await db.select().from(companies).where(eq(companies.name, name))).toEqual([]);
  });

  it("refuses a transaction handle kept past its transaction", async () => {
    let kept: Tx | undefined;
    await db.write(async (tx) => {
      kept = tx;
    });
    expect(() => newCompany(kept!)).toThrow("This transaction has ended");
  });

  it("counts every committed write in the change counter caches compare", async () => {
    const before = await db.dataVersion();
    await db.write(async (tx) => void (await newCompany(tx)));
    expect(await db.dataVersion()).toBe(before + 1);
    await expect(db.write(async () => Promise.reject(new Error("no")))).rejects.toThrow("no");
    expect(await db.dataVersion()).toBe(before + 1);
  });
});

describe("bookkeeping writes", () => {
  it("commit like any write but leave the change counter, so cached views stay valid", async () => {
    const before = await db.dataVersion();
    const name = unique("Bookkeeping Co");
    await db.write((tx) => newCompany(tx, name), { bookkeeping: true });
    expect(await db.select().from(companies).where(eq(companies.name, name))).toHaveLength(1);
    expect(await db.dataVersion()).toBe(before);
  });
});

describe("nested writes", () => {
  it("roll back on their own when they fail, in a savepoint, while the outer write goes on", async () => {
    const kept = unique("Outer Co");
    const undone = unique("Inner Co");
    await db.write(async (tx) => {
      await newCompany(tx, kept);
      await expect(
        db.write(async (inner) => {
          await newCompany(inner, undone);
          throw new Error("inner fails");
        }),
      ).rejects.toThrow("inner fails");
    });
    expect(await db.select().from(companies).where(eq(companies.name, kept))).toHaveLength(1);
    expect(await db.select().from(companies).where(eq(companies.name, undone))).toEqual([]);
  });
});

describe("the change counter", () => {
  it("stays put for a write that changed nothing", async () => {
    const before = await db.dataVersion();
    await db.write(async (tx) => void (await tx.select().from(companies).limit(1)));
    expect(await db.dataVersion()).toBe(before);
  });
});

// SQLite only: node-postgres sends each statement as text (the driver's own business).
describe.skipIf(db.engine === "pg")("SQLite statements through execute", () => {
  it("are compiled once per text and still follow the schema when it changes", async () => {
    const internals = db.internals;
    if (internals.engine !== "sqlite") return;
    const compiled: string[] = [];
    const prepare = internals.writer.prepare.bind(internals.writer);
    internals.writer.prepare = ((text: string) => {
      compiled.push(text);
      return prepare(text);
    }) as typeof internals.writer.prepare;
    try {
      const name = unique("Prepared Co");
      const total = await db.write(async (tx) => {
        await newCompany(tx, name);
        const totals: number[] = [];
        for (let i = 0; i < 3; i++) {
          const { rows } = await tx.execute<{ n: number }>(
            sql`SELECT count(*) AS n FROM companies WHERE name = ${name}`,
          );
          totals.push(Number(rows[0]!.n));
        }
        // The same text over a table of other columns: SQLite compiles the kept statement again.
        await tx.execute(sql`CREATE TEMP TABLE prepared_probe (a INTEGER)`);
        await tx.execute(sql`INSERT INTO prepared_probe VALUES (1)`);
        const before = (await tx.execute(sql`SELECT * FROM prepared_probe`)).rows;
        await tx.execute(sql`DROP TABLE temp.prepared_probe`);
        await tx.execute(sql`CREATE TEMP TABLE prepared_probe (b TEXT, c INTEGER)`);
        const written = await tx.execute(sql`INSERT INTO prepared_probe VALUES ('x', 2), ('y', 3)`);
        const after = (await tx.execute(sql`SELECT * FROM prepared_probe`)).rows;
        await tx.execute(sql`DROP TABLE temp.prepared_probe`);
        return { totals, before, after, changes: written.rowCount };
      });
      expect(total).toEqual({
        totals: [1, 1, 1],
        before: [{ a: 1 }],
        after: [
          { b: "x", c: 2 },
          { b: "y", c: 3 },
        ],
        changes: 2,
      });
      const counts = compiled.filter((text) => text.startsWith("SELECT count(*) AS n FROM companies"));
      expect(counts).toHaveLength(1);
    } finally {
      internals.writer.prepare = prepare;
    }
  });

  it("are all told to Drizzle's logger, kept prepared or not (the bench's bare figures listen there)", async () => {
    type Logger = { logQuery(query: string, params: unknown[]): void };
    const session = (db as unknown as { session: { logger: Logger } }).session;
    const previous = session.logger;
    const heard: [string, unknown[]][] = [];
    session.logger = { logQuery: (query, params) => heard.push([query, params]) };
    const name = unique("Logged Co");
    try {
      for (let i = 0; i < 3; i++)
        await db.execute(sql`SELECT count(*) AS n FROM companies WHERE name = ${name}`);
    } finally {
      session.logger = previous;
    }
    const counts = heard.filter(([query]) => query.startsWith("SELECT count(*) AS n FROM companies"));
    expect(counts.map(([, params]) => params)).toEqual([[name], [name], [name]]);
  });
});
