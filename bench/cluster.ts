import type { ChildProcess } from "node:child_process";
import type { Db } from "@/db/core/connection";
import { saveBenchDeal } from "./endpoints";
import { caseTimeout, guarded, runStage, stopChild } from "./guard";
import { loadBench, type LoadOptions } from "./load";
import { startProxy } from "./proxy";
import { recordExtra, recordFailure } from "./record";

// The load run on several app servers sharing one PostgreSQL database behind a local reverse proxy
// (issue 26: teams that outgrow one machine run Atlas so). Before the load, a write through one
// server must show in the next dashboard answer of another: each server caches the dashboard in its
// own memory (db/stats/stats-cache.ts), valid only while the database's change counter stands still.

type StartServer = (
  name: string,
  port: number,
  env: Record<string, string>,
  signal: AbortSignal,
) => Promise<ChildProcess>;
type Auth = { token: string; writeToken: string; cookie: string };

export async function clusterLoad(
  db: Db,
  auth: Auth,
  load: LoadOptions & { companies: string[] },
  firstPort: number,
  startServer: StartServer,
  single?: { requestsPerSecond: number },
) {
  const count = load.appServers;
  const key = `load_${count}_servers`;
  const servers: { name: string; port: number; child: ChildProcess }[] = [];
  try {
    const ready = await runStage("load", `${count} app servers`, async (signal) => {
      for (let i = 0; i < count; i++) {
        const name = `app server ${i + 1}`;
        const port = firstPort + 1 + i;
        // One at a time: two `next start`s at once on two cores each take twice as long anyway.
        // TRUST_PROXY as docs/deploy.md asks behind a proxy: the client's address comes from it.
        servers.push({ name, port, child: await startServer(name, port, { TRUST_PROXY: "1" }, signal) });
      }
      return true;
    });
    if (!ready) return;
    await runStage("load", "a write on one server, the next dashboard on another", (signal) =>
      crossServerCheck(
        servers.map((s) => s.port),
        auth,
        signal,
      ),
    );
    const proxy = await startProxy(servers.map((s) => ({ port: s.port })));
    try {
      const outcome = await guarded(
        { group: "load", name: `${load.clients} clients for ${load.seconds} s on ${count} app servers` },
        load.seconds * 1000 + caseTimeout(),
        (signal) =>
          loadBench(
            {
              base: proxy.url,
              servers: servers.map((s) => ({ name: s.name, pid: s.child.pid! })),
              key,
              proxy,
            },
            auth,
            load.companies,
            db,
            load,
            signal,
          ),
        (error) =>
          recordExtra(key, { clients: load.clients, seconds: load.seconds, app_servers: count, error }),
      );
      if (outcome && (outcome.errors || outcome.lost)) process.exitCode = 1;
      if (outcome && single)
        console.log(
          `Requests/s: ${outcome.requestsPerSecond.toFixed(1)} on ${count} app servers against ` +
            `${single.requestsPerSecond.toFixed(1)} on one (same mix, same clients, same machine)`,
        );
    } finally {
      await proxy.close();
    }
  } finally {
    await Promise.all(servers.map((s) => stopChild(s.child)));
  }
}

/**
 * The dashboard's count on server B, a deal saved through server A, the count on B again: it must
 * have grown by one (B had the answer cached). Recorded as `cross_server_dashboard`.
 */
async function crossServerCheck(ports: number[], auth: Auth, signal: AbortSignal) {
  const [a, b] = ports as [number, number];
  const bearer = { authorization: `Bearer ${auth.token}` };
  const deals = async (port: number) => {
    const response = await fetch(`http://127.0.0.1:${port}/api/stats/summary`, { headers: bearer, signal });
    if (response.status !== 200) throw new Error(`/api/stats/summary answered ${response.status}`);
    return ((await response.json()) as { deals: number }).deals;
  };
  await deals(b);
  const before = await deals(b); // from B's cache
  const tag = `bench-cluster-${process.pid}`;
  await saveBenchDeal(
    `http://127.0.0.1:${a}`,
    auth.writeToken,
    { title: `Bench deal saved on one server ${tag}`, parties: `Bench cluster ${tag}` },
    signal,
  );
  const after = await deals(b);
  const seen = after === before + 1;
  recordExtra("cross_server_dashboard", { before, after, seen });
  console.log(
    `\nA deal saved on app server 1, then app server 2's dashboard count: ${before} → ${after} ` +
      `(${seen ? "seen" : "NOT seen: a cache kept a stale answer"})`,
  );
  if (!seen) {
    recordFailure(
      "load",
      "a write on one server, the next dashboard on another",
      `count ${before} → ${after}`,
    );
    process.exitCode = 1;
  }
}
