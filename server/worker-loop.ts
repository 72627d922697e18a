import "server-only";

// The background workers' loop (webhooks, digests, news sources): one per process, whose global
// survives Next's dev-mode module reloads, never two passes at once, and never keeping the process
// alive on its own.

const globalForWorkers = globalThis as unknown as { atlasWorkers?: Map<string, NodeJS.Timeout> };

/** Runs `pass` every `intervalMs` under `name`, unless that loop already runs in this process. */
export function startWorkerLoop(name: string, intervalMs: number, pass: () => Promise<unknown>): void {
  const loops = (globalForWorkers.atlasWorkers ??= new Map());
  if (loops.has(name)) return;
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    pass()
      .catch((error) => console.error(`${name} failed:`, error))
      .finally(() => {
        running = false;
      });
  }, intervalMs);
  timer.unref();
  loops.set(name, timer);
}
