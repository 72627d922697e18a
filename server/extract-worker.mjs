// A worker thread of server/extract-pool.ts: reads pages and drafts deals off the server's event
// loop. Loaded by path (not bundled by Next), it compiles the extractor's TypeScript with tsx, so
// the same file runs under `npm start`, `next dev` and Vitest.
import { parentPort } from "node:worker_threads";
import { tsImport } from "tsx/esm/api";

const { runExtractJob } = await tsImport("../lib/extract/job.ts", import.meta.url);

// The company and technology lists change rarely: the pool sends them only when they did.
let gazetteer = null;
parentPort.on("message", ({ job, gazetteer: lists }) => {
  if (lists) gazetteer = lists;
  try {
    parentPort.postMessage({ ok: true, value: runExtractJob(job, gazetteer) });
  } catch (error) {
    parentPort.postMessage({ ok: false, message: error instanceof Error ? error.stack : String(error) });
  }
});
parentPort.postMessage({ ready: true });
