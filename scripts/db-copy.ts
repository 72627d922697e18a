import { parseArgs } from "node:util";

// npm run db:copy -- --from data/atlas.db --to postgres://user@host/atlas [--replace]
// npm run db:copy -- --from postgres://… --to backup.db
// Copies everything (db/ops/copy.ts) in one transaction on the target, keeping ids, and rebuilds the
// target's search index in it. Refuses a target that holds data unless --replace.

async function main() {
  const { values } = parseArgs({
    options: {
      from: { type: "string" },
      to: { type: "string" },
      replace: { type: "boolean", default: false },
    },
  });
  if (!values.from || !values.to) {
    console.error(
      "Usage: npm run db:copy -- --from <file.db | postgres://…> --to <file.db | postgres://…> [--replace]",
    );
    process.exit(2);
  }
  if (values.from === values.to) {
    console.error("--from and --to are the same database.");
    process.exit(2);
  }
  // The data layer's SQL follows the engine of DATABASE_URL (db/core/engine.ts): the index is rebuilt on
  // the target, so the target decides it, before any data-layer module is loaded.
  if (/^postgres(ql)?:\/\//i.test(values.to)) process.env.DATABASE_URL = values.to;
  else {
    delete process.env.DATABASE_URL;
    process.env.DATABASE_PATH = values.to;
  }
  const { copyDatabase, CopyRefused } = await import("@/db/ops/copy");
  const started = performance.now();
  try {
    const { tables } = await copyDatabase(values.from, values.to, { replace: values.replace });
    const total = Object.values(tables).reduce((a, b) => a + b, 0);
    console.log(
      `Copied ${total} rows in ${Object.keys(tables).length} tables (${tables.deals ?? 0} deals, ${tables.companies ?? 0} companies, ${tables.users ?? 0} users) in ${Math.round(performance.now() - started)} ms`,
    );
  } catch (error) {
    if (error instanceof CopyRefused) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}

void main();
