import { createTeam } from "@/db/accounts/teams";
import type { Db } from "@/db/core/connection";
import { createDeal } from "@/db/deals/deal-writes";
import { listDeals } from "@/db/deals/deals";
import { defaultFilters } from "@/lib/filters";
import { dealInput } from "@/lib/validation";
import { createUserAccount } from "@/server/auth/principal";
import { DASHBOARD_ENDPOINTS, sessionCookie } from "./endpoints";
import { record } from "./record";

// Confidential deals (issue 25): the dashboard for all deals as a team member (the per-bucket counts
// plus what the team's deals count, db/stats/stat-counts.ts statFrom) and as a non-member (the counts
// alone), on the running server, after the team saves its deals. Each figure: the first request
// after the writes (cold: nothing cached) and the median of warm repeats.

async function signIn(who: string): Promise<string> {
  const email = `bench-${who}@example.org`;
  await createUserAccount({ name: `Bench ${who}`, email, password: "bench password 1", role: "editor" });
  return sessionCookie(email, "bench password 1");
}

/** `count` confidential deals of one team, made from existing deals' parties, areas and dates. */
async function confidentialDeals(db: Db, team: string, count: number) {
  const { items } = await listDeals({ ...defaultFilters, pageSize: Math.min(count, 500) }, db);
  const admin = { admin: true, memberOf: [] };
  for (let i = 0; i < count; i++) {
    const like = items[i % items.length]!;
    await createDeal(
      dealInput.parse({
        title: `Bench confidential deal ${i}`,
        announcedOn: like.announcedOn,
        types: like.types,
        binding: like.binding,
        parties: like.parties.map((p) => ({ company: p.company.name, role: p.role })),
        technologies: like.technologies.map((t) => t.name),
        sources: [{ url: "https://example.org/bench-confidential" }],
        visibility: { team },
      }),
      { actor: "bench", viewer: admin },
      db,
    );
  }
}

export async function audienceBench(db: Db, base: string, runs: number, count = 200): Promise<void> {
  const member = await signIn("member");
  const outsider = await signIn("outsider");
  const team = await createTeam(
    { name: "Bench deal team", members: ["bench-member@example.org"] },
    "bench",
    db,
  );
  const t0 = performance.now();
  await confidentialDeals(db, team.slug, count);
  console.log(
    `Confidential deals: ${count} saved for one team in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  console.log(
    `Dashboard, all deals, by audience                ${"cold".padStart(10)} ${"warm med".padStart(10)} ${"warm p95".padStart(10)}`,
  );
  let worst = { member: 0, "non-member": 0 };
  // Each audience's first request comes after the writes: both are cold, the member's first.
  for (const [who, cookie] of [
    ["member", member],
    ["non-member", outsider],
  ] as const) {
    for (const endpoint of DASHBOARD_ENDPOINTS) {
      const get = async () => {
        const t = performance.now();
        const response = await fetch(`${base}/api/${endpoint}`, { headers: { cookie }, redirect: "manual" });
        await response.arrayBuffer();
        if (response.status !== 200)
          throw new Error(`/api/${endpoint} as ${who} answered ${response.status}`);
        return performance.now() - t;
      };
      const cold = await get();
      const samples: number[] = [];
      for (let i = 0; i < runs; i++) samples.push(await get());
      samples.sort((a, b) => a - b);
      const median = samples[Math.floor(samples.length / 2)]!;
      const p95 = samples[Math.min(samples.length - 1, Math.floor(samples.length * 0.95))]!;
      worst = { ...worst, [who]: Math.max(worst[who], cold) };
      record({
        group: "http",
        name: `GET /api/${endpoint} (all deals, ${who})`,
        cold_ms: cold,
        median_ms: median,
        p95_ms: p95,
      });
      console.log(
        `${`GET /api/${endpoint} (${who})`.padEnd(48)} ${`${cold.toFixed(1)} ms`.padStart(10)} ${`${median.toFixed(1)} ms`.padStart(10)} ${`${p95.toFixed(1)} ms`.padStart(10)}`,
      );
    }
  }
  console.log(
    `Slowest first request after the team's writes: member ${worst.member.toFixed(1)} ms, non-member ${worst["non-member"].toFixed(1)} ms (target < 100 ms)`,
  );
}
