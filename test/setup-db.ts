import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll } from "vitest";

// Each test file gets its own fresh SQLite file (migrated on first use by test/db.ts), so files can
// run in parallel and no test sees another file's rows.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "atlas-test-"));
process.env.DATABASE_PATH = path.join(dir, "atlas.db");

afterAll(async () => {
  const { closeDb } = await import("@/db/index");
  closeDb();
  fs.rmSync(dir, { recursive: true, force: true });
});
