import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import * as importRoute from "@/app/api/import/route";
import * as extractRoute from "@/app/api/extract/route";
import * as candidatesRoute from "@/app/api/candidates/route";
import * as acceptRoute from "@/app/api/candidates/[id]/accept/route";
import * as attachRoute from "@/app/api/candidates/[id]/attach/route";
import * as companyMergeRoute from "@/app/api/companies/[slug]/merge/route";
import { viewerOfUser, type Viewer } from "@/db/accounts/visibility";
import { createTeam } from "@/db/accounts/teams";
import { listActivity, listDeletedDeals } from "@/db/audit/activity";
import { RefusedError } from "@/db/core/errors";
import { createDeal, deleteDeal } from "@/db/deals/deal-writes";
import { getDeal } from "@/db/deals/deals";
import { commitImport } from "@/db/deals/import";
import { mergeCompanies, previewCompanyMerge } from "@/db/directory/companies";
import { previewTechnologyMerge } from "@/db/directory/technologies";
import { storeItemReading, type CandidateView } from "@/db/news/candidates";
import { newsItems, newsSources } from "@/db/schema";
import { autoMap, readCsv, type ParsedCsv } from "@/lib/csv-import";
import type { CandidateKind } from "@/lib/enums";
import type { StatusChange } from "@/lib/news/classify";
import type { DealInputRaw } from "@/lib/validation";
import { dealFixture, testDb, unique } from "./db";
import { signedInAccount, type SignedIn } from "./signed-in";

// Confidential deals (issue 25) on the surfaces that match or compare deals: the CSV import's
// duplicate checks, the article draft's "already known", the news candidates, the merge previews
// behind the duplicates page, and the activity and deleted-deals lists. For each: a non-member does
// not see (nor get matched against) a team's deal; a member and an admin do. Both engines:
// `npm run test:pg -- unit test/confidential-matching.test.ts`.

const ADMIN: Viewer = { admin: true, memberOf: [] };
let member: SignedIn;
let outsider: SignedIn;
let admin: SignedIn;
let memberViewer: Viewer;
const outsiderViewer: Viewer = { admin: false, memberOf: [] };
let team = "";

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

/** A request of a signed-in user, from our own pages (the origin check of cookie writes). */
function call(handler: Handler, who: SignedIn, path: string, init: RequestInit = {}, params = {}) {
  const headers = new Headers(init.headers);
  headers.set("cookie", who.cookie);
  headers.set("origin", "http://localhost");
  headers.set("host", "localhost");
  return handler(new Request(`http://localhost${path}`, { ...init, headers }), {
    params: Promise.resolve(params),
  });
}

/** A deal only `team`'s members (and admins) may see. */
const confidential = async (overrides: Partial<DealInputRaw>) =>
  createDeal({ ...dealFixture(overrides), visibility: { team } }, { actor: "test", viewer: ADMIN });

const parties = (...names: string[]) => names.map((company) => ({ company, role: "partner" as const }));

beforeAll(async () => {
  testDb();
  [member, outsider, admin] = await Promise.all([
    signedInAccount("editor"),
    signedInAccount("editor"),
    signedInAccount("admin"),
  ]);
  team = (await createTeam({ name: unique("M and A"), members: [member.email] }, "test")).slug;
  memberViewer = await viewerOfUser({ id: member.id, role: "editor" });
}, 60_000);

describe("confidential deals: import duplicate check", () => {
  const row = { title: "Halden Motors and Corvid Energy battery MoU", on: "2024-02-01" };
  let secret = 0;
  beforeAll(async () => {
    secret = (
      await confidential({
        title: row.title,
        announcedOn: row.on,
        parties: parties("Halden Motors", "Corvid Energy"),
      })
    ).id;
  });
  const csvText = (lines: string[]) =>
    `id,title,announced_on,deal_types,parties,source_url\r\n${lines.join("\r\n")}`;
  const duplicateRow = `,${row.title},${row.on},mou,"Halden Motors; Corvid Energy",https://example.org/halden`;
  const dryRun = async (who: SignedIn, text: string) => {
    const response = await call(importRoute.POST as Handler, who, "/api/import", {
      method: "POST",
      headers: { "content-type": "text/csv" },
      body: text,
    });
    expect(response.status).toBe(200);
    return (await response.json()) as { rows: { status: string; match?: { dealId: number } }[] };
  };

  it("a non-member's row that duplicates a team's deal is new; a member and an admin are told it is a duplicate", async () => {
    const outside = await dryRun(outsider, csvText([duplicateRow]));
    expect(outside.rows[0]).toMatchObject({ status: "new" });
    expect(outside.rows[0]!.match).toBeUndefined();
    expect(JSON.stringify(outside)).not.toContain(`"dealId":${secret}`);
    for (const who of [member, admin]) {
      const inside = await dryRun(who, csvText([duplicateRow]));
      expect(inside.rows[0]).toMatchObject({
        status: "duplicate",
        match: { dealId: secret, by: "parties, date and title" },
      });
    }
  });

  it("an id naming a team's deal is an unknown id to a non-member, and a known one to a member", async () => {
    const byId = `${secret},Another title for it,2024-02-02,mou,"Halden Motors; Corvid Energy",https://example.org/h2`;
    expect((await dryRun(outsider, csvText([byId]))).rows[0]).toMatchObject({ status: "new" });
    const unknownId = byId.replace(String(secret), "999999");
    expect((await dryRun(outsider, csvText([unknownId]))).rows[0]).toMatchObject({ status: "new" });
    expect((await dryRun(member, csvText([byId]))).rows[0]).toMatchObject({
      status: "duplicate",
      match: { dealId: secret, by: "id" },
    });
  });

  it("a non-member's import creates a public deal and leaves the team's alone; a member's update keeps it the team's", async () => {
    const csv = readCsv(Buffer.from(csvText([duplicateRow]))) as ParsedCsv;
    const before = (await getDeal(secret, { viewer: ADMIN }))!;
    const { result } = await commitImport(csv, autoMap(csv.header), {
      onDuplicate: "update",
      actor: { name: "outsider" },
      viewer: outsiderViewer,
    });
    expect(result.created).toHaveLength(1);
    expect(result.updated).toEqual([]);
    const created = (await getDeal(result.created[0]!))!;
    expect(created.visibility).toBe("everyone");
    expect((await getDeal(secret, { viewer: ADMIN }))!.version).toBe(before.version);

    const changed = readCsv(
      Buffer.from(csvText([duplicateRow.replace("mou", "joint_venture")])),
    ) as ParsedCsv;
    const byMember = await commitImport(changed, autoMap(changed.header), {
      onDuplicate: "update",
      actor: { name: "member" },
      viewer: memberViewer,
    });
    expect(byMember.result).toMatchObject({ created: [], updated: [secret] });
    const updated = (await getDeal(secret, { viewer: memberViewer }))!;
    expect(updated.types).toEqual(["joint_venture"]);
    expect(updated.visibility).toEqual({ team });
  });
});

describe("confidential deals: article draft already known", () => {
  let secret = 0;
  beforeAll(async () => {
    secret = (
      await confidential({
        title: "Quantix Robotics and Norvale Telecom sign MoU on 5G",
        announcedOn: "2024-03-15",
        types: ["mou"],
        parties: parties("Quantix Robotics", "Norvale Telecom"),
      })
    ).id;
  });
  const article = [
    "Quantix Robotics and Norvale Telecom sign MoU on 5G",
    "March 15, 2024 — Quantix Robotics and Norvale Telecom today signed a memorandum of understanding to build private 5G networks for factories.",
  ].join("\n\n");
  const draft = async (who: SignedIn) => {
    const response = await call(extractRoute.POST as Handler, who, "/api/extract", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ text: article, publishedOn: "2024-03-15" }),
    });
    expect(response.status).toBe(200);
    return (await response.json()) as { duplicates: { id: number }[] };
  };

  it("a pasted article matches a team's deal for a member and an admin, not for a non-member", async () => {
    expect((await draft(member)).duplicates.map((d) => d.id)).toContain(secret);
    expect((await draft(admin)).duplicates.map((d) => d.id)).toContain(secret);
    const outside = await draft(outsider);
    expect(outside.duplicates).toEqual([]);
  }, 60_000);
});

describe("confidential deals: news candidates", () => {
  let secret = 0;
  let sourceId = 0;
  beforeAll(async () => {
    secret = (
      await confidential({
        title: "Brightline Rail and Osprey Chips form a joint venture",
        announcedOn: "2023-05-10",
        types: ["joint_venture"],
        binding: "binding",
        parties: parties("Brightline Rail", "Osprey Chips"),
      })
    ).id;
    const [row] = await testDb().write((tx) =>
      tx
        .insert(newsSources)
        .values({
          name: unique("Wire"),
          url: `https://news.example/${Date.now()}.xml`,
          nextFetchAt: new Date(),
        })
        .returning({ id: newsSources.id }),
    );
    sourceId = row!.id;
  });

  /** A candidate matched to the team's deal, as the news processing stores it (it sees every deal). */
  async function candidate(kind: CandidateKind, change: StatusChange | null): Promise<number> {
    const url = `https://news.example/${unique("item").replace(/\W/g, "-")}`;
    const [item] = await testDb().write((tx) =>
      tx
        .insert(newsItems)
        .values({
          sourceId,
          guid: url,
          canonicalUrl: url,
          contentHash: url,
          title: "Brightline news",
          url,
          content: "x",
        })
        .returning({ id: newsItems.id }),
    );
    await storeItemReading({
      itemId: item!.id,
      reading: { kind, score: 90, reason: "test", passage: null, change },
      draft: { passage: null, change },
      parties: [unique("Party"), unique("Party")],
      knownDealId: secret,
    });
    const [stored] = await testDb()
      .select({ id: newsItems.candidateId })
      .from(newsItems)
      .where(eq(newsItems.id, item!.id));
    return stored!.id!;
  }
  const list = async (who: SignedIn, status = "waiting") => {
    const response = await call(
      candidatesRoute.GET as Handler,
      who,
      `/api/candidates?status=${status}&pageSize=100`,
    );
    expect(response.status).toBe(200);
    return ((await response.json()) as { items: CandidateView[] }).items;
  };
  const post = (handler: unknown, who: SignedIn, id: number, action: string, body?: unknown) =>
    call(
      handler as Handler,
      who,
      `/api/candidates/${id}/${action}`,
      body === undefined
        ? { method: "POST" }
        : { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) },
      { id: String(id) },
    );

  it("a candidate does not name a team's deal to a non-member; it does to a member and an admin", async () => {
    const id = await candidate("deal", null);
    const outside = (await list(outsider)).find((c) => c.id === id)!;
    expect(outside).toMatchObject({ knownDealId: null, dealId: null });
    for (const who of [member, admin])
      expect((await list(who)).find((c) => c.id === id)!.knownDealId).toBe(secret);
  });

  it("a non-member cannot apply a status change to, nor add sources to, a team's deal: it reads as no deal", async () => {
    const id = await candidate("status_change", "terminated");
    const accepted = await post(acceptRoute.POST, outsider, id, "accept");
    expect(accepted.status).toBe(400);
    expect((await accepted.json()).fieldErrors.dealId).toEqual([
      "This status change is not linked to a recorded deal: add it to one",
    ]);
    const attached = await post(attachRoute.POST, outsider, id, "attach", { dealId: secret });
    expect(attached.status).toBe(400);
    expect((await attached.json()).fieldErrors.dealId).toEqual([
      `Deal ${secret} does not exist or was deleted`,
    ]);
    expect((await getDeal(secret, { viewer: ADMIN }))!.status).toBe("announced");

    // A member applies it to the team's deal, which stays the team's.
    const applied = await post(acceptRoute.POST, member, id, "accept");
    expect(applied.status).toBe(200);
    expect((await applied.json()).dealId).toBe(secret);
    const deal = (await getDeal(secret, { viewer: memberViewer }))!;
    expect(deal.status).toBe("terminated");
    expect(deal.visibility).toEqual({ team });
    // The decided candidate links the deal for the member, not for the non-member.
    expect((await list(member, "accepted")).find((c) => c.id === id)!.dealId).toBe(secret);
    expect((await list(outsider, "accepted")).find((c) => c.id === id)!.dealId).toBeNull();
  });

  it("a non-member accepting a candidate known as a team's deal creates a public deal", async () => {
    const id = await candidate("deal", null);
    const values = {
      title: "Brightline Rail and Osprey Chips form a joint venture",
      announcedOn: "2023-05-10",
      types: ["joint_venture"],
      binding: "binding",
      parties: parties("Brightline Rail", "Osprey Chips"),
      technologies: [],
    };
    const response = await post(acceptRoute.POST, outsider, id, "accept", values);
    expect(response.status).toBe(201);
    const { dealId } = await response.json();
    expect(dealId).not.toBe(secret);
    expect((await getDeal(dealId))!.visibility).toBe("everyone");
  });
});

describe("confidential deals: duplicates pages (merge previews)", () => {
  let shared = 0;
  let blocking = 0;
  let open = 0;
  beforeAll(async () => {
    shared = (await confidential({ parties: parties("Pelican Labs", "Pelican Laboratories", "Ferro Steel") }))
      .id;
    open = (
      await createDeal(dealFixture({ parties: parties("Pelican Labs", "Ferro Steel") }), {
        actor: "t",
        viewer: ADMIN,
      })
    ).id;
    blocking = (await confidential({ parties: parties("Sable Networks", "Sable Network") })).id;
  });
  const ids = (deals: { id: number }[]) => deals.map((d) => d.id);

  it("a company merge preview neither lists nor counts a team's deal for a non-member; it does for a member and an admin", async () => {
    const outside = await previewCompanyMerge("pelican-labs", "pelican-laboratories", outsiderViewer);
    expect(ids(outside.movedDeals)).toEqual([open]);
    expect(outside.sharedDeals).toEqual([]);
    for (const viewer of [memberViewer, ADMIN]) {
      const inside = await previewCompanyMerge("pelican-labs", "pelican-laboratories", viewer);
      expect(ids(inside.movedDeals)).toEqual([open]);
      expect(ids(inside.sharedDeals)).toEqual([shared]);
    }
    // Through the API too.
    const response = await call(
      companyMergeRoute.POST as Handler,
      outsider,
      "/api/companies/pelican-labs/merge",
      {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ into: "pelican-laboratories", dryRun: true }),
      },
      { slug: "pelican-labs" },
    );
    expect(response.status).toBe(200);
    expect(JSON.stringify(await response.json())).not.toContain(`"id":${shared}`);
  });

  it("a team's deal that blocks a merge is not named to a non-member; it still blocks", async () => {
    const outside = await previewCompanyMerge("sable-networks", "sable-network", outsiderViewer);
    expect(outside).toMatchObject({ canMerge: false, blockingDeals: [] });
    const inside = await previewCompanyMerge("sable-networks", "sable-network", memberViewer);
    expect(ids(inside.blockingDeals)).toEqual([blocking]);
    const title = (await getDeal(blocking, { viewer: ADMIN }))!.title;
    const refusal = await mergeCompanies("sable-networks", "sable-network", "t", outsiderViewer).catch(
      (e) => e,
    );
    expect(refusal).toBeInstanceOf(RefusedError);
    expect(refusal.message).not.toContain(title);
    expect(refusal.message).not.toContain(`#${blocking}`);
    const named = await mergeCompanies("sable-networks", "sable-network", "t", memberViewer).catch((e) => e);
    expect(named.message).toContain(`#${blocking} “${title}”`);
  });

  it("a technology merge preview neither lists nor counts a team's deal for a non-member", async () => {
    const secret = (await confidential({ technologies: ["Lidar", "Radar sensing"] })).id;
    const outside = await previewTechnologyMerge("lidar", "radar-sensing", outsiderViewer);
    expect([...ids(outside.movedDeals), ...ids(outside.sharedDeals)]).not.toContain(secret);
    const inside = await previewTechnologyMerge("lidar", "radar-sensing", memberViewer);
    expect(ids(inside.sharedDeals)).toEqual([secret]);
  });
});

describe("confidential deals: activity and deleted deals", () => {
  let secret = 0;
  beforeAll(async () => {
    secret = (await confidential({ parties: parties("Kestrel Aero", "Umber Space") })).id;
    await deleteDeal(secret, { actor: "test", viewer: ADMIN });
  });
  const page = { page: 1, pageSize: 100 };

  it("the activity list has no revision of a team's deal for a non-member; a member and an admin see them", async () => {
    const outside = await listActivity({ ...page }, outsiderViewer);
    expect(outside.items.map((r) => r.dealId)).not.toContain(secret);
    expect(await listActivity({ ...page, deal: secret }, outsiderViewer)).toEqual({ items: [], total: 0 });
    expect((await listActivity({ ...page, company: "Kestrel Aero" }, outsiderViewer)).total).toBe(0);
    for (const viewer of [memberViewer, ADMIN]) {
      const inside = await listActivity({ ...page, deal: secret }, viewer);
      expect(inside.total).toBe(2);
      expect(inside.items.map((r) => r.action)).toEqual(["delete", "create"]);
    }
  });

  it("the deleted deals list has a team's deleted deal for a member and an admin only", async () => {
    expect((await listDeletedDeals(outsiderViewer)).map((d) => d.id)).not.toContain(secret);
    expect((await listDeletedDeals()).map((d) => d.id)).not.toContain(secret);
    for (const viewer of [memberViewer, ADMIN])
      expect((await listDeletedDeals(viewer)).map((d) => d.id)).toContain(secret);
  });
});
