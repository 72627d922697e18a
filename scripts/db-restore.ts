import { parseArgs } from "node:util";
import { z } from "zod";
import { postgresInstead, restoreDatabase, RestoreRefused } from "@/db/ops/backup";
import { databasePath, databaseUrl } from "@/db/core/connection";

// npm run db:restore -- FILE [--force]
// Checks FILE, refuses while a server uses DATABASE_PATH (unless --force), keeps the current
// database as DATABASE_PATH.before-restore-<time>, and puts FILE in its place.
const { values, positionals } = parseArgs({
  options: { force: { type: "boolean", default: false } },
  allowPositionals: true,
});
const parsed = z
  .object({ file: z.string({ error: "Name the backup file: npm run db:restore -- FILE" }).min(1) })
  .safeParse({ file: positionals[0] });
if (!parsed.success || positionals.length > 1) {
  console.error(parsed.success ? "Give exactly one backup file" : parsed.error.issues[0]!.message);
  process.exit(2);
}
const url = databaseUrl();
if (url) {
  console.error(postgresInstead("restore", parsed.data.file, url));
  process.exit(1);
}
const target = databasePath();
restoreDatabase(parsed.data.file, target, { force: values.force }).then(
  ({ previous }) => {
    console.log(`Restored ${parsed.data.file} into ${target}.`);
    if (previous) console.log(`The database it replaced is kept as ${previous}.`);
  },
  (error: Error) => {
    console.error(error instanceof RestoreRefused ? error.message : `Restore failed: ${error.message}`);
    process.exit(error instanceof RestoreRefused ? 3 : 1);
  },
);
