import "server-only";
import os from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";
import type { Gazetteer } from "@/lib/extract";
import type { ExtractJob, ExtractJobResult } from "@/lib/extract/job";
import { FeedError, type FeedEntry, type ParsedFeed } from "@/lib/news/feed";
import type { FeedJobResult } from "@/lib/news/read-feed";
import type { NewsItemJob, NewsItemResult } from "@/lib/news/read-item";

// Extraction runs in one or two reused worker threads, never on the event loop: a slow page must
// not hold up everyone else's requests. Each job has a hard time limit (the worker is terminated
// and replaced), each user drafts one article at a time, and only a few jobs may wait for a worker.
// Feed items (issue 22) are read in a worker of their own at the lowest priority: a thousand of them
// must not take the core the server answers requests on, nor keep an editor's draft waiting.

/** An extraction refused or stopped for its cost: 422 (this input) or 429 (try again later). */
export class ExtractLimitError extends Error {
  constructor(
    readonly status: 422 | 429,
    readonly field: string,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

const DEFAULT_TIME_LIMIT_MS = 10_000;
const MAX_WAITING = 8;
const BOOT_TIMEOUT_MS = 60_000;
// A hostile page may also try to exhaust memory; a worker past this dies alone, not the server.
const WORKER_HEAP_MB = 512;

/** Read at each job, so an operator (or a test) can change it without a restart. */
export function extractTimeLimitMs(): number {
  const value = Number(process.env.EXTRACT_TIME_LIMIT_MS);
  return Number.isFinite(value) && value > 0 ? value : DEFAULT_TIME_LIMIT_MS;
}

function poolSize(): number {
  const wanted = Number(process.env.EXTRACT_WORKERS);
  // By default leave a core to the server itself: one worker on two cores.
  const size = Number.isInteger(wanted) && wanted > 0 ? wanted : os.availableParallelism() - 1;
  return Math.min(2, Math.max(1, size));
}

/** Interactive drafts, or background reading of feed items (one low-priority worker). */
type Lane = "interactive" | "background";
const laneSize = (lane: Lane) => (lane === "background" ? 1 : poolSize());

type Pending = { resolve: (value: never) => void; reject: (error: Error) => void };
type Slot = {
  lane: Lane;
  worker: Worker;
  ready: Promise<void>;
  busy: boolean;
  dead: boolean;
  /** The lists this worker holds, sent with its first job and again only when they change. */
  gazetteer: Gazetteer | null;
  pending: Pending | null;
  /** Terminates the worker (even inside a loop that never yields), failing its job with `error`. */
  stop: (error: Error) => void;
};
type Pool = { slots: Slot[]; waiting: (() => void)[]; users: Map<string, number> };

// Next may bundle this module into both the API route and the Server Action: one pool per process.
const globals = globalThis as typeof globalThis & { atlasExtractPool?: Pool };
const pool: Pool = (globals.atlasExtractPool ??= { slots: [], waiting: [], users: new Map() });

function spawn(lane: Lane = "interactive"): Slot {
  const file = path.join(/*turbopackIgnore: true*/ process.cwd(), "server", "extract-worker.mjs");
  const worker = new Worker(file, {
    resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
    workerData: { background: lane === "background" },
  });
  // An idle worker must not keep a test run or a stopping server alive.
  worker.unref();
  const slot: Slot = {
    lane,
    worker,
    ready: Promise.resolve(),
    busy: false,
    dead: false,
    gazetteer: null,
    pending: null,
    stop: (error) => die(error),
  };
  let booted: () => void;
  let failed: (error: Error) => void;
  slot.ready = new Promise<void>((resolve, reject) => ((booted = resolve), (failed = reject)));
  slot.ready.catch(() => undefined); // the job waiting on it reports the failure
  const bootTimer = setTimeout(() => die(new Error("The extraction worker did not start")), BOOT_TIMEOUT_MS);
  bootTimer.unref();
  function die(error: Error) {
    if (slot.dead) return;
    slot.dead = true;
    clearTimeout(bootTimer);
    failed(error);
    slot.pending?.reject(error);
    slot.pending = null;
    pool.slots = pool.slots.filter((s) => s !== slot);
    void worker.terminate();
  }
  worker.on(
    "message",
    (message: { ready: true } | { ok: true; value: never } | { ok: false; message: string }) => {
      if ("ready" in message) {
        clearTimeout(bootTimer);
        booted();
        return;
      }
      const pending = slot.pending;
      slot.pending = null;
      if (message.ok) pending?.resolve(message.value);
      else pending?.reject(new Error(`Extraction failed in the worker: ${message.message}`));
    },
  );
  worker.on("error", (error) =>
    die(
      (error as { code?: string }).code === "ERR_WORKER_OUT_OF_MEMORY"
        ? new ExtractLimitError(
            422,
            "_form",
            "Reading this article needed more memory than allowed, so it was stopped",
          )
        : error,
    ),
  );
  worker.on("exit", (code) => die(new Error(`The extraction worker exited (code ${code})`)));
  pool.slots.push(slot);
  return slot;
}

async function acquire(field: string, lane: Lane): Promise<Slot> {
  for (;;) {
    const mine = pool.slots.filter((s) => s.lane === lane);
    const idle = mine.find((s) => !s.busy);
    const slot = idle ?? (mine.length < laneSize(lane) ? spawn(lane) : null);
    if (slot) {
      slot.busy = true;
      return slot;
    }
    if (pool.waiting.length >= MAX_WAITING)
      throw new ExtractLimitError(
        429,
        field,
        "The server is busy reading other articles; try again in a few seconds",
        Math.ceil(extractTimeLimitMs() / 1000),
      );
    await new Promise<void>((resolve) => pool.waiting.push(resolve));
  }
}

function release(slot: Slot) {
  slot.busy = false;
  // Every waiter looks again: the slot freed may be of the other lane.
  for (const wake of pool.waiting.splice(0)) wake();
}

/**
 * Starts a worker now if none is running, so an editor who opened "Add from article" does not wait
 * for one to boot (1–2.5 s while tsx compiles the extractor) when they press Draft. Not at server
 * start: an idle worker costs memory that most servers would hold for nothing.
 */
export function prepareExtraction(): void {
  if (pool.slots.length === 0) spawn();
}

/** How many workers are running or starting, and how many of them hold a job (tests, diagnostics). */
export const extractWorkerCount = (lane: Lane = "interactive") =>
  pool.slots.filter((s) => s.lane === lane).length;
export const extractJobsRunning = () => pool.slots.filter((s) => s.busy).length;

/** Runs one job in a worker, stopping it (and answering 422 on `field`) past the time limit. */
export function runInWorker(job: ExtractJob, gazetteer: Gazetteer, field: string): Promise<ExtractJobResult> {
  return run("interactive", { job }, gazetteer, field);
}

/** Reads one feed item (lib/news/read-item.ts) in the background worker, with the same time limit. */
export function readNewsInWorker(item: NewsItemJob, gazetteer: Gazetteer): Promise<NewsItemResult> {
  return run("background", { news: item }, gazetteer, "content");
}

/** Parses a fetched feed in the background worker; a feed refused throws its FeedError, as parseFeedText does. */
export async function parseFeedInWorker(text: string, contentType: string): Promise<ParsedFeed> {
  const result = await run<FeedJobResult>("background", { feed: { text, contentType } }, null, "url");
  if (!result.ok) throw new FeedError(result.error);
  return result.feed;
}

/** Reads feed entries' HTML in the background worker (a few dozen per job: each has the time limit). */
export function readEntryTextsInWorker(entries: Pick<FeedEntry, "body" | "bodyIsHtml">[]): Promise<string[]> {
  return run("background", { entries }, null, "url");
}

async function run<T>(
  lane: Lane,
  message:
    | { job: ExtractJob }
    | { news: NewsItemJob }
    | { feed: { text: string; contentType: string } }
    | { entries: Pick<FeedEntry, "body" | "bodyIsHtml">[] },
  /** The lists the job reads; null for a job that reads none (a feed). */
  gazetteer: Gazetteer | null,
  field: string,
): Promise<T> {
  const slot = await acquire(field, lane);
  try {
    await slot.ready; // starting a worker is not the job's time
    const limit = extractTimeLimitMs();
    return await new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        // The next job starts a fresh worker.
        slot.stop(
          new ExtractLimitError(
            422,
            field,
            `Reading this article took longer than ${limit / 1000} s, so it was stopped; paste just the article's text instead`,
          ),
        );
      }, limit);
      slot.pending = {
        resolve: (value: T) => (clearTimeout(timer), resolve(value)),
        reject: (error) => (clearTimeout(timer), reject(error)),
      } as Pending;
      const lists = gazetteer && slot.gazetteer !== gazetteer ? gazetteer : null;
      slot.worker.postMessage({ ...message, gazetteer: lists });
      slot.gazetteer = gazetteer ?? slot.gazetteer;
    });
  } finally {
    release(slot);
  }
}

/**
 * Runs `draft` unless this user already has an extraction under way: then 429, with a Retry-After
 * of when that one is sure to be over (its time limit). Per server process.
 */
export async function oneAtATime<T>(user: string, field: string, draft: () => Promise<T>): Promise<T> {
  const since = pool.users.get(user);
  if (since !== undefined) {
    const left = extractTimeLimitMs() - (Date.now() - since);
    throw new ExtractLimitError(
      429,
      field,
      "You are already drafting an article; wait until it is done, then try again",
      Math.max(1, Math.ceil(left / 1000)),
    );
  }
  pool.users.set(user, Date.now());
  try {
    return await draft();
  } finally {
    pool.users.delete(user);
  }
}
