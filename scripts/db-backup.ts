import path from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";
import { backupDatabase, postgresInstead } from "@/db/ops/backup";
import { databasePath, databaseUrl } from "@/db/core/connection";
import { recordAudit } from "@/db/audit/events";
import { closeDb } from "@/db/core/index";

// npm run db:backup -- --to FILE
// A consistent copy of DATABASE_PATH while the app keeps running (SQLite's backup API).
const { values } = parseArgs({ options: { to: { type: "string" } } });
const parsed = z
  .object({ to: z.string({ error: "--to FILE is required, e.g. --to backups/atlas.db" }).trim().min(1) })
  .safeParse(values);
if (!parsed.success) {
  for (const issue of parsed.error.issues) console.error(issue.message);
  process.exit(2);
}
const url = databaseUrl();
if (url) {
  console.error(postgresInstead("backup", parsed.data.to, url));
  process.exit(1);
}
const source = databasePath();
const target = path.resolve(parsed.data.to);
if (target === path.resolve(source)) {
  console.error("--to must name another file than the database itself");
  process.exit(2);
}
backupDatabase(source, target).then(
  async ({ bytes, ms }) => {
    console.log(
      `Backed up ${source} to ${target}: ${(bytes / 1e6).toFixed(1)} MB in ${Math.round(ms)} ms, checked`,
    );
    // The backup is done whatever happens here: recordAudit logs its own failure.
    await recordAudit("backup", { actor: "command line", detail: { to: target, bytes } });
    await closeDb();
  },
  (error: Error) => {
    console.error(`Backup failed: ${error.message}`);
    process.exit(1);
  },
);
