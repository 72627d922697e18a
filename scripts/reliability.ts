import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";
import { crashCycles, prepareDatabase } from "./server-harness";

// npm run test:reliability [-- --cycles 25 --clients 6 --port 3399]
// SIGKILLs the production server again and again while clients write deals, then checks that no
// acknowledged write was lost or changed and that the file is sound. Needs a build (npm run build).
const { values } = parseArgs({
  options: {
    cycles: { type: "string", default: "25" },
    clients: { type: "string", default: "6" },
    port: { type: "string", default: process.env.RELIABILITY_PORT ?? "3399" },
  },
});
const parsed = z
  .object({
    cycles: z.coerce.number().int().min(1).max(1000),
    clients: z.coerce.number().int().min(1).max(100),
    port: z.coerce.number().int().min(1024).max(65535),
  })
  .safeParse(values);
if (!parsed.success) {
  for (const issue of parsed.error.issues) console.error(`--${issue.path.join(".")}: ${issue.message}`);
  process.exit(2);
}
if (!fs.existsSync(path.join(__dirname, "..", ".next", "BUILD_ID"))) {
  console.error("No build: run `npm run build` first.");
  process.exit(2);
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "atlas-reliability-"));
const file = path.join(dir, "atlas.db");
const token = prepareDatabase(file);
const { cycles, clients, port } = parsed.data;
console.log(`Crash safety: ${cycles} SIGKILL cycles, ${clients} writing clients, port ${port}, ${file}`);
crashCycles({ databasePath: file, token, port, cycles, clients, log: (line) => console.log(`  ${line}`) })
  .then((f) => {
    console.log(
      `\n${f.cycles} cycles in ${(f.ms / 1000).toFixed(1)} s: ${f.attempted} requests, ${f.acknowledged} acknowledged writes, ` +
        `${f.retried} retried after a kill (${f.replayed} answered from their Idempotency-Key)\n` +
        `lost writes: ${f.lost}, changed: ${f.wrong}, duplicated: ${f.duplicated}, ` +
        `integrity_check: ${f.integrity}, foreign_key_check problems: ${f.foreignKeyProblems}`,
    );
    const ok =
      f.lost === 0 && f.wrong === 0 && f.duplicated === 0 && f.integrity === "ok" && !f.foreignKeyProblems;
    fs.rmSync(dir, { recursive: true, force: true });
    process.exit(ok ? 0 : 1);
  })
  .catch((error: Error) => {
    console.error(error.message);
    process.exit(1);
  });
