import { PUBLIC_VIEWER } from "@/db/accounts/visibility";
import { beforeAll, describe, expect, it } from "vitest";
import * as dealsRoute from "@/app/api/deals/route";
import * as importRoute from "@/app/api/import/route";
import { createApiToken } from "@/db/accounts/auth";
import { commitImportAsync, type ImportProgress } from "@/db/deals/import";
import { autoMap, readCsv, type ParsedCsv } from "@/lib/csv-import";
import { tableCounts, testDb, unique } from "./db";

// A large import runs in steps: between them the server answers other requests (reads see the data
// as it was; writes wait for its commit on SQLite), and it stays all or nothing.

let token = "";
const auth = () => ({ authorization: `Bearer ${token}` });
const header = "title,announced_on,deal_types,binding,parties,source_url";
function bigCsv(rows: number): ParsedCsv {
  const tag = unique("Bulk").replace(/\W/g, "");
  const lines = Array.from(
    { length: rows },
    (_, i) =>
      `${tag} deal ${i},2023-03-${String((i % 28) + 1).padStart(2, "0")},mou,non_binding,${tag} A${i % 50} (partner); ${tag} B${i} (partner),https://example.org/${tag}/${i}`,
  );
  return readCsv(new TextEncoder().encode([header, ...lines].join("\n"))) as ParsedCsv;
}
const total = async () =>
  (
    await (
      await dealsRoute.GET(new Request("http://localhost/api/deals?pageSize=1", { headers: auth() }))
    ).json()
  ).total as number;

beforeAll(async () => {
  testDb();
  token = (await createApiToken({ name: "bulk", role: "editor" })).secret;
});

describe("large imports", { timeout: 30_000 }, () => {
  it("let other requests through while saving: reads see the old data, writes are saved too", async () => {
    const csv = bigCsv(250);
    const before = await total();
    const seen: ImportProgress[] = [];
    let during: Promise<{ total: number; write: Promise<Response> }> | null = null;
    const done = commitImportAsync(csv, autoMap(csv.header), {
      onDuplicate: "skip",
      actor: { name: "test" },
      viewer: PUBLIC_VIEWER,
      onProgress: (p) => {
        seen.push(p);
        if (p.phase === "saving" && !during) {
          during = (async () => {
            const started = performance.now();
            const read = await total();
            expect(performance.now() - started).toBeLessThan(1000); // answered, not blocked
            const write = dealsRoute.POST(
              new Request("http://localhost/api/deals", {
                method: "POST",
                headers: { ...auth(), "content-type": "application/json" },
                body: JSON.stringify({
                  title: unique("Meanwhile"),
                  announcedOn: "2024-01-01",
                  types: ["mou"],
                  binding: "binding",
                  parties: [
                    { company: unique("Mid A"), role: "partner" },
                    { company: unique("Mid B"), role: "partner" },
                  ],
                  sources: [{ url: "https://example.org/mid" }],
                }),
              }),
            );
            return { total: read, write };
          })();
        }
      },
    });
    const outcome = await done;
    expect("result" in outcome && outcome.result.created).toHaveLength(250);
    const meanwhile = await during!;
    expect(meanwhile.total).toBe(before); // nothing of the import was visible before its commit
    // Saved either way: queued behind the import on SQLite, side by side on PostgreSQL.
    expect((await meanwhile.write).status).toBe(201);
    expect(seen.some((p) => p.phase === "checking")).toBe(true);
    expect(seen.filter((p) => p.phase === "saving").length).toBeGreaterThanOrEqual(2);
    expect(await total()).toBe(before + 251);
  });

  it("stays all or nothing when it fails half-way through saving", async () => {
    const csv = bigCsv(250);
    const before = await tableCounts();
    await expect(
      commitImportAsync(csv, autoMap(csv.header), {
        onDuplicate: "skip",
        actor: { name: "test" },
        viewer: PUBLIC_VIEWER,
        onProgress: (p) => {
          if (p.phase === "saving" && p.done >= 100) throw new Error("the process died here");
        },
      }),
    ).rejects.toThrow("died");
    expect(await tableCounts()).toEqual(before);
  });

  it("streams progress to a client that asks for it, ending with the usual answer", async () => {
    const lines = ["title,announced_on,deal_types,binding,parties,source_url"];
    const tag = unique("Stream").replace(/\W/g, "");
    for (let i = 0; i < 150; i++)
      lines.push(
        `${tag} ${i},2022-01-01,mou,binding,${tag} X (partner); ${tag} Y${i} (partner),https://example.org/s/${i}`,
      );
    const form = new FormData();
    form.set("file", new Blob([lines.join("\n")], { type: "text/csv" }), "big.csv");
    form.set("dryRun", "0");
    const response = await importRoute.POST(
      new Request("http://localhost/api/import", {
        method: "POST",
        headers: { ...auth(), accept: "application/x-ndjson" },
        body: form,
      }),
    );
    expect(response.headers.get("content-type")).toMatch(/application\/x-ndjson/);
    const events = (await response.text())
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    const last = events.pop();
    expect(events.length).toBeGreaterThanOrEqual(2);
    expect(events.every((e) => e.progress && e.progress.total === 150)).toBe(true);
    expect(last.status).toBe(200);
    expect(last.body.result.created).toHaveLength(150);
  });
});
