// A worker thread of server/extract-pool.ts: reads pages and drafts deals off the server's event
// loop. Loaded by path (not bundled by Next), it compiles the extractor's TypeScript with tsx, so
// the same file runs under `npm start`, `next dev` and Vitest.
import fs from "node:fs";
import os from "node:os";
import { parentPort, workerData } from "node:worker_threads";
import { tsImport } from "tsx/esm/api";

const { runExtractJob } = await tsImport("../lib/extract/job.ts", import.meta.url);
// The background worker reads feeds and feed items (server/news/) at the lowest priority, so the
// server's own thread (requests) always goes first; it still gets the whole core when that is idle.
const background = workerData?.background === true;
const { readNewsItem } = background ? await tsImport("../lib/news/read-item.ts", import.meta.url) : {};
const { parseFeedJob, readEntryTexts } = background
  ? await tsImport("../lib/news/read-feed.ts", import.meta.url)
  : {};
if (background) {
  try {
    // On Linux a thread has its own id, and setpriority on it changes this thread alone.
    const tid = Number(fs.readlinkSync("/proc/thread-self").split("/").pop());
    os.setPriority(tid, os.constants.priority.PRIORITY_LOW);
  } catch {
    // Elsewhere there is no per-thread priority: the reading runs at the server's, as before.
  }
}

// The company and technology lists change rarely: the pool sends them only when they did.
let gazetteer = null;
parentPort.on("message", ({ job, news, feed, entries, gazetteer: lists }) => {
  if (lists) gazetteer = lists;
  try {
    let value;
    if (feed) value = parseFeedJob(feed.text, feed.contentType);
    else if (entries) value = readEntryTexts(entries);
    else if (news) value = readNewsItem(news, gazetteer);
    else value = runExtractJob(job, gazetteer);
    parentPort.postMessage({ ok: true, value });
  } catch (error) {
    parentPort.postMessage({ ok: false, message: error instanceof Error ? error.stack : String(error) });
  }
});
parentPort.postMessage({ ready: true });
