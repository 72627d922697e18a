import fs from "node:fs";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/core/connection";
import { inIds } from "@/db/core/dialect";
import { DASHBOARD_WIDGETS } from "@/lib/widgets";
import { caseTimeout, describeError, guarded } from "./guard";
import type { Proxy } from "./proxy";
import { record, recordExtra, recordFailure } from "./record";

// The load half of the HTTP benchmark: many clients at once on a mix of reads, pages, exports and
// writes against the production server, then a large CSV import while the dashboard is timed.

export type LoadOptions = {
  clients: number;
  seconds: number;
  importRows: number;
  /** On PostgreSQL, how many app servers the second load run spreads over (1: no second run). */
  appServers: number;
};
type Kind = "list" | "stats" | "dashboard" | "export" | "write";

const statm = (pid: number) => Number(fs.readFileSync(`/proc/${pid}/statm`, "utf8").split(" ")[1]) * 4096;

function quantiles(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { p50: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1] ?? 0 };
}

/** Samples the server's RSS every 100 ms until stopped; returns the peak. */
function rssSampler(pid: number) {
  let peak = statm(pid);
  const timer = setInterval(() => {
    try {
      peak = Math.max(peak, statm(pid));
    } catch {
      // the server is gone; the run will say so
    }
  }, 100);
  // 0 once the server is gone: the figures of the others (and the errors) are still recorded.
  const now = () => {
    try {
      return statm(pid);
    } catch {
      return 0;
    }
  };
  return { stop: () => (clearInterval(timer), peak), now };
}

/**
 * Where the load goes: one app server (`key` "load"), or several behind the bench's proxy
 * (bench/proxy.ts; `key` "load_N_servers"), each server's RSS sampled on its own.
 */
export type LoadTarget = {
  base: string;
  servers: { name: string; pid: number }[];
  key: string;
  proxy?: Proxy;
};

export async function loadBench(
  target: LoadTarget,
  auth: { token: string; writeToken: string; cookie: string },
  companies: string[],
  db: Db,
  options: LoadOptions,
  signal: AbortSignal,
) {
  const { base } = target;
  const latencies: Record<Kind, number[]> = { list: [], stats: [], dashboard: [], export: [], write: [] };
  const errors: Record<Kind, number> = { list: 0, stats: 0, dashboard: 0, export: 0, write: 0 };
  /** What the errors were: "<kind> <status>" or "<kind> <message>", with how many. */
  const failures: Record<string, number> = {};
  const acked: { id: number; title: string }[] = [];
  const pick = <T>(list: readonly T[]) => list[Math.floor(Math.random() * list.length)]!;
  const bearer = { authorization: `Bearer ${auth.token}` };
  const stats = DASHBOARD_WIDGETS;
  let sequence = 0;

  // Roughly what a team does: mostly lists and charts, some page loads, a few exports and writes.
  const mix: [Kind, number][] = [
    ["list", 35],
    ["stats", 35],
    ["dashboard", 15],
    ["export", 5],
    ["write", 10],
  ];
  const total = mix.reduce((s, [, w]) => s + w, 0);
  const chooseKind = (): Kind => {
    let r = Math.random() * total;
    for (const [kind, w] of mix) if ((r -= w) < 0) return kind;
    return "list";
  };

  async function request(kind: Kind) {
    const company = encodeURIComponent(pick(companies));
    const t0 = performance.now();
    try {
      let response: Response;
      if (kind === "list") {
        const query = pick(["", `company=${company}`, "technology=ai", "q=robotics", "sort=title&page=3"]);
        response = await fetch(`${base}/api/deals?${query}`, { headers: bearer, signal });
      } else if (kind === "stats") {
        response = await fetch(`${base}/api/stats/${pick(stats)}?${pick(["", `company=${company}`])}`, {
          headers: bearer,
          signal,
        });
      } else if (kind === "dashboard") {
        response = await fetch(`${base}/${pick(["", `?company=${company}`])}`, {
          headers: { cookie: auth.cookie },
          signal,
        });
      } else if (kind === "export") {
        response = await fetch(`${base}/api/export/deals.csv?company=${company}`, {
          headers: bearer,
          signal,
        });
      } else {
        // The run in the tag: a second run reusing an idempotency key would replay the first run's answers.
        const tag = `load-${process.pid}-${target.key}-${++sequence}`;
        const title = `Load test deal ${tag}`;
        response = await fetch(`${base}/api/deals`, {
          method: "POST",
          headers: {
            authorization: `Bearer ${auth.writeToken}`,
            "content-type": "application/json",
            "idempotency-key": tag,
          },
          body: JSON.stringify({
            title,
            announcedOn: "2024-05-05",
            types: ["mou"],
            binding: "non_binding",
            parties: [
              { company: decodeURIComponent(company), role: "partner" },
              { company: `Load partner ${tag} (fictional)`, role: "partner" },
            ],
            technologies: ["AI"],
            sources: [{ url: "https://example.com/partnership-atlas/generated" }],
          }),
          signal,
        });
        if (response.status === 201)
          acked.push({ id: ((await response.clone().json()) as { id: number }).id, title });
      }
      await response.arrayBuffer();
      if (!response.ok) {
        errors[kind]++;
        failures[`${kind} ${response.status}`] = (failures[`${kind} ${response.status}`] ?? 0) + 1;
      }
    } catch (error) {
      errors[kind]++;
      const what = `${kind} ${describeError(error).slice(0, 80)}`;
      failures[what] = (failures[what] ?? 0) + 1;
    }
    latencies[kind].push(performance.now() - t0);
  }

  const samplers = target.servers.map((server) => ({ ...server, rss: rssSampler(server.pid) }));
  const before = samplers.map((s) => s.rss.now());
  const started = performance.now();
  const until = started + options.seconds * 1000;
  await Promise.all(
    Array.from({ length: options.clients }, async () => {
      while (performance.now() < until && !signal.aborted) await request(chooseKind());
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const peaks = samplers.map((s) => s.rss.stop());
  signal.throwIfAborted();
  const requests = Object.values(latencies).reduce((s, l) => s + l.length, 0);
  const failed = Object.values(errors).reduce((s, n) => s + n, 0);
  const { rows: saved } = await db.execute<{ id: number; title: string }>(
    sql`SELECT id, title FROM deals WHERE ${inIds(
      sql`id`,
      acked.map((a) => a.id),
    )}`,
  );
  const titles = new Map(saved.map((r) => [r.id, r.title]));
  const lost = acked.filter((a) => titles.get(a.id) !== a.title).length;
  if (failed) console.log(`Errors: ${JSON.stringify(failures)}`);
  const through = target.proxy ? ` on ${target.servers.length} app servers behind a proxy` : "";
  console.log(
    `\nLoad${through}: ${options.clients} clients for ${seconds.toFixed(0)} s: ${requests.toLocaleString("en")} requests, ` +
      `${(requests / seconds).toFixed(1)} requests/s, ${failed} errors, ${acked.length} acknowledged writes, ${lost} lost`,
  );
  console.log(
    `${"kind".padEnd(12)} ${"requests".padStart(9)} ${"errors".padStart(7)} ${"p50".padStart(10)} ${"p99".padStart(10)}`,
  );
  for (const kind of Object.keys(latencies) as Kind[]) {
    const q = quantiles(latencies[kind]);
    console.log(
      `${kind.padEnd(12)} ${String(latencies[kind].length).padStart(9)} ${String(errors[kind]).padStart(7)} ` +
        `${`${q.p50.toFixed(0)} ms`.padStart(10)} ${`${q.p99.toFixed(0)} ms`.padStart(10)}`,
    );
  }
  const after = samplers.map((s) => s.rss.now());
  const mb = (bytes: number) => Math.round(bytes / 1e6);
  const rssOf = (i: number) => ({ before: mb(before[i]!), peak: mb(peaks[i]!), after: mb(after[i]!) });
  recordExtra(target.key, {
    clients: options.clients,
    app_servers: target.servers.length,
    seconds: Math.round(seconds * 10) / 10,
    requests,
    requests_per_s: Math.round((requests / seconds) * 10) / 10,
    errors: failed,
    acknowledged_writes: acked.length,
    lost_writes: lost,
    ...(failed ? { failures } : {}),
    kinds: Object.fromEntries(
      (Object.keys(latencies) as Kind[]).map((kind) => {
        const q = quantiles(latencies[kind]);
        return [
          kind,
          {
            requests: latencies[kind].length,
            errors: errors[kind],
            p50_ms: Math.round(q.p50),
            p99_ms: Math.round(q.p99),
          },
        ];
      }),
    ),
    // One server: its figures as before; several: each server's, with the requests the proxy sent it.
    ...(target.proxy
      ? {
          servers: samplers.map((s, i) => ({
            name: s.name,
            requests: target.proxy!.upstreams[i]?.served ?? null,
            proxy_errors: target.proxy!.upstreams[i]?.failed ?? null,
            server_rss_mb: rssOf(i),
          })),
        }
      : { server_rss_mb: rssOf(0) }),
  });
  samplers.forEach((s, i) => {
    const served = target.proxy ? `${target.proxy.upstreams[i]?.served.toLocaleString("en")} requests; ` : "";
    console.log(
      `${target.proxy ? s.name : "Server"} RSS: ${served}${mb(before[i]!)} MB before, peak ${mb(peaks[i]!)} MB, ` +
        `${mb(after[i]!)} MB after (targets: 0 errors, 0 lost writes, < 400 MB)`,
    );
  });
  return { errors: failed, lost, requestsPerSecond: requests / seconds };
}

/**
 * Times the dashboard while a CSV of `rows` new deals is checked and saved by the same server: the
 * case `CSV import of N rows` (group `write`: seconds, the dashboard's p50 meanwhile) and the `import`
 * figures. An import that fails or outlasts the case timeout is recorded as such in both, and its
 * request is abandoned (issue 26: one that never answered took the whole bench with it).
 */
export async function importBench(
  base: string,
  pid: number,
  auth: { writeToken: string; cookie: string },
  rows: number,
) {
  const name = `CSV import of ${rows.toLocaleString("en")} rows`;
  await guarded(
    { group: "write", name },
    caseTimeout(),
    (signal) => timeImport(base, pid, auth, rows, name, signal),
    (error) => {
      record({ group: "write", name, error, rows });
      recordExtra("import", { rows, error });
    },
  );
}

async function timeImport(
  base: string,
  pid: number,
  auth: { writeToken: string; cookie: string },
  rows: number,
  name: string,
  signal: AbortSignal,
) {
  const header = "title,announced_on,deal_types,binding,parties,technology_areas,summary,source_url";
  const lines = [header];
  for (let i = 0; i < rows; i++) {
    lines.push(
      `Imported bench deal ${process.pid}-${i},2021-${String((i % 12) + 1).padStart(2, "0")}-15,mou; joint_venture,binding,` +
        `"Bench importer ${i % 300} (fictional) (partner); Bench partner ${i} (fictional) (partner)",AI; Cloud,` +
        `"${"A generated summary for the import benchmark. ".repeat(4)}",https://example.com/partnership-atlas/generated`,
    );
  }
  const csv = lines.join("\r\n");
  const dashboard = async () => {
    const t0 = performance.now();
    const response = await fetch(`${base}/`, { headers: { cookie: auth.cookie }, signal });
    await response.arrayBuffer();
    return performance.now() - t0;
  };
  const quiet: number[] = [];
  for (let i = 0; i < 10; i++) quiet.push(await dashboard());

  const form = new FormData();
  form.set("file", new Blob([csv], { type: "text/csv" }), "bench.csv");
  form.set("dryRun", "0");
  const rss = rssSampler(pid);
  try {
    const started = performance.now();
    let finished = false;
    const importing = fetch(`${base}/api/import`, {
      method: "POST",
      headers: { authorization: `Bearer ${auth.writeToken}` },
      body: form,
      signal,
    })
      .then(async (response) => {
        const text = await response.text();
        let body: { result?: { created: number[] }; error?: string };
        try {
          body = JSON.parse(text) as typeof body;
        } catch {
          body = { error: text.slice(0, 200) };
        }
        return { status: response.status, body };
      })
      .finally(() => (finished = true));
    importing.catch(() => undefined);
    const during: number[] = [];
    while (!finished) during.push(await dashboard());
    const outcome = await importing;
    const seconds = (performance.now() - started) / 1000;
    const peak = rss.stop();
    const q0 = quantiles(quiet);
    const q = quantiles(during);
    const created = outcome.body.result?.created.length ?? null;
    const failed = outcome.status !== 200 || created !== rows;
    recordExtra("import", {
      rows,
      status: outcome.status,
      created,
      seconds: Math.round(seconds * 10) / 10,
      server_peak_rss_mb: Math.round(peak / 1e6),
      dashboard_during: {
        renders: during.length,
        p50_ms: Math.round(q.p50),
        p99_ms: Math.round(q.p99),
        max_ms: Math.round(q.max),
      },
      dashboard_quiet: { p50_ms: Math.round(q0.p50), max_ms: Math.round(q0.max) },
    });
    record({
      group: "write",
      name,
      seconds,
      dashboard_p50_ms: q.p50,
      dashboard_p99_ms: q.p99,
      dashboard_renders: during.length,
      rows,
      created,
      status: outcome.status,
      server_peak_rss_mb: peak / 1e6,
      ...(failed ? { error: `answered ${outcome.status}: ${created ?? outcome.body.error} created` } : {}),
    });
    if (failed) {
      recordFailure("write", name, `answered ${outcome.status}: ${created ?? outcome.body.error} created`);
      process.exitCode = 1;
    }
    console.log(
      `\nImport of ${rows.toLocaleString("en")} new deals (${(csv.length / 1e6).toFixed(1)} MB): ${outcome.status}, ` +
        `${created ?? outcome.body.error} created in ${seconds.toFixed(1)} s; server peak RSS ${(peak / 1e6).toFixed(0)} MB (target < 30 s)`,
    );
    console.log(
      `Dashboard GET / meanwhile: ${during.length} renders, p50 ${q.p50.toFixed(0)} ms, p99 ${q.p99.toFixed(0)} ms, max ${q.max.toFixed(0)} ms ` +
        `(without an import: p50 ${q0.p50.toFixed(0)} ms, max ${q0.max.toFixed(0)} ms; target p50 < 300 ms)`,
    );
  } finally {
    rss.stop();
  }
}
