import type { ChildProcess } from "node:child_process";
import { record, recordFailure, type Group } from "./record";

// What keeps a long bench from dying without its figures or leaving its servers behind (issue 26: a
// 5,000-row import on PostgreSQL hung past the HTTP client's 300 s, the bench died without its JSON,
// and the app server and the PostgreSQL it started stayed up with a 5.4 GB data folder):
// - every case runs under a timeout and a failure or timeout is recorded for that case, then the
//   bench goes on with the next one;
// - whatever ends the run (its end, a thrown error, SIGINT/SIGTERM, an unhandled rejection), the
//   results are written and every registered clean-up (servers, PostgreSQL, folders) runs once.

export class CaseTimeout extends Error {}

/** Set once the run ends: the results are written, so no case starts or records any more. */
let ending = false;
/** The cases under way, recorded as interrupted when the run ends before they do. */
const running = new Set<{ where: { group: string; name: string }; failed: (message: string) => void }>();

/** The message of an error with its causes (fetch only says "fetch failed"; the cause says why). */
export function describeError(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error, depth = 0; e !== undefined && e !== null && depth < 4; depth++) {
    parts.push(e instanceof Error ? e.message || e.name : String(e));
    e = e instanceof Error ? e.cause : undefined;
  }
  return parts.join(": ");
}

/**
 * Runs `fn` with a signal that aborts after `timeoutMs`; gives its value, or undefined after recording
 * the failure (`failed` records it where the case belongs; `group`/`name` go to the run's failures).
 * A timed-out `fn` is not waited for: it sees the aborted signal (fetches stop) and its later
 * rejection is ignored.
 */
export async function guarded<T>(
  where: { group: string; name: string },
  timeoutMs: number,
  fn: (signal: AbortSignal) => Promise<T>,
  failed: (message: string) => void,
): Promise<T | undefined> {
  if (ending) return undefined;
  const entry = { where, failed };
  running.add(entry);
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new CaseTimeout(`timed out after ${+(timeoutMs / 1000).toFixed(3)} s`);
      controller.abort(error);
      reject(error);
    }, timeoutMs);
  });
  try {
    const work = fn(controller.signal);
    work.catch(() => undefined);
    return await Promise.race([work, timeout]);
  } catch (error) {
    if (ending) return undefined;
    const message = describeError(error);
    console.error(`  ✗ ${where.group}: ${where.name}: ${message} (recorded; going on)`);
    failed(message);
    recordFailure(where.group, where.name, message);
    process.exitCode = 1;
    return undefined;
  } finally {
    running.delete(entry);
    clearTimeout(timer);
    controller.abort(new Error("the case has ended"));
  }
}

let caseTimeoutMs = 300_000;

/** The timeout of every case that names none (`--case-timeout SECONDS`). */
export function setCaseTimeout(ms: number) {
  if (!(ms > 0)) throw new Error(`--case-timeout needs a number of seconds above 0`);
  caseTimeoutMs = ms;
}

export const caseTimeout = () => caseTimeoutMs;

/**
 * One case of the results under its timeout: `fn` records its figures; when it throws or times out the
 * case is recorded as `{ group, name, error }` and the bench goes on.
 */
export function runCase<T>(
  group: Group,
  name: string,
  fn: (signal: AbortSignal) => Promise<T>,
  timeoutMs = caseTimeoutMs,
) {
  return guarded({ group, name }, timeoutMs, fn, (error) => record({ group, name, error }));
}

/** A step that is no case of its own (the server's start, the load run): listed in `failures` only. */
export function runStage<T>(
  group: string,
  name: string,
  fn: (signal: AbortSignal) => Promise<T>,
  timeoutMs = caseTimeoutMs,
) {
  return guarded({ group, name }, timeoutMs, fn, () => undefined);
}

type Cleanup = { name: string; run: () => Promise<void> | void };
const cleanups: Cleanup[] = [];
const children = new Set<ChildProcess>();

/** Registers a clean-up; they run once, newest first (a server before the database it reads). */
export function onCleanup(name: string, run: () => Promise<void> | void) {
  cleanups.push({ name, run });
}

/** Stops a child: SIGTERM, then SIGKILL when it is still there after `graceMs`; resolves on its exit. */
export function stopChild(child: ChildProcess, graceMs = 20_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const killer = setTimeout(() => child.kill("SIGKILL"), graceMs);
    child.once("exit", () => {
      clearTimeout(killer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

/** A child process stopped by the clean-up (and killed at the latest when this process exits). */
export function ownChild(name: string, child: ChildProcess, graceMs?: number) {
  children.add(child);
  child.once("exit", () => children.delete(child));
  onCleanup(name, () => stopChild(child, graceMs));
  return child;
}

/** Runs every clean-up once, each bounded in time so that one stuck step cannot keep the others. */
export async function runCleanups(limitMs = 60_000) {
  for (let step = cleanups.pop(); step; step = cleanups.pop()) {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        Promise.resolve().then(step.run),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`not done after ${limitMs / 1000} s`)), limitMs);
        }),
      ]);
    } catch (error) {
      console.error(`Clean-up "${step.name}" failed: ${describeError(error)}`);
    } finally {
      clearTimeout(timer);
    }
  }
}

// The last resort when the process exits before the clean-up could run (process.exit elsewhere):
// no child of ours outlives it.
process.on("exit", () => {
  for (const child of children) child.kill("SIGKILL");
});

/**
 * Runs `body`, then `finish` (write the results, print the summary) and the clean-ups, whatever ends
 * it: its end, a thrown error, SIGINT or SIGTERM, an unhandled rejection or uncaught exception. A
 * second signal (2 s or more after the first) kills the children and exits at once.
 */
export async function runToEnd(body: () => Promise<void>, finish: (interruption?: string) => void) {
  let ended: Promise<void> | undefined;
  const end = (interruption?: string, error?: unknown) =>
    (ended ??= (async () => {
      ending = true;
      for (const { where, failed } of running) {
        const message = `interrupted (${interruption ?? "the run ended"})`;
        failed(message);
        recordFailure(where.group, where.name, message);
      }
      if (error !== undefined) {
        console.error(error);
        recordFailure("bench", interruption ?? "run", describeError(error));
        process.exitCode = 1;
      }
      try {
        finish(interruption);
      } catch (e) {
        console.error(`Writing the results failed: ${describeError(e)}`);
        process.exitCode = 1;
      }
      await runCleanups();
    })());
  let firstSignal: number | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    // Ctrl-C reaches this process twice at once (from the terminal and relayed by tsx): only a
    // signal that comes later means "now".
    if (firstSignal !== undefined) {
      if (performance.now() - firstSignal < 2000) return;
      for (const child of children) child.kill("SIGKILL");
      process.exit(1);
    }
    firstSignal = performance.now();
    console.error(`\n${signal}: writing the results and stopping what the bench started…`);
    if (!ended) recordFailure("bench", signal, `interrupted by ${signal}`);
    void end(signal).finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
  };
  const onCrash = (kind: string) => (error: unknown) => void end(kind, error).finally(() => process.exit(1));
  const onRejection = onCrash("unhandled rejection");
  const onException = onCrash("uncaught exception");
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  process.on("unhandledRejection", onRejection);
  process.on("uncaughtException", onException);
  try {
    await body();
    await end();
  } catch (error) {
    await end(undefined, error);
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    process.off("unhandledRejection", onRejection);
    process.off("uncaughtException", onException);
  }
}
