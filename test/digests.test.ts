import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as unsubscribeGet, POST as unsubscribePost } from "@/app/api/digest/unsubscribe/route";
import { POST as postTestDigest } from "@/app/api/me/digest/route";
import { openDatabase } from "@/db/core/connection";
import { createDeal } from "@/db/deals/deal-writes";
import { claimDueDigests, getDigestSettings, saveDigestSettings, scheduleDigests } from "@/db/follow/digests";
import { watch } from "@/db/follow/views";
import { digestSends } from "@/db/schema";
import type { DigestSchedule } from "@/lib/digest-schedule";
import { digestRetryDelay, runDigests, sendClaimedDigests } from "@/server/digests";
import { dealFixture, testDb, unique } from "./db";
import { headerLine, startMailbox, type Mailbox } from "./mailbox";
import { signedInAccount } from "./signed-in";

// E-mail digests end to end: the worker queues and sends through a real SMTP server in this process
// (smtp-server), and the tests read what it received (mailparser), on SQLite and PostgreSQL.

let mailbox: Mailbox;

beforeAll(async () => {
  testDb();
  mailbox = await startMailbox();
  process.env.SMTP_URL = `smtp://127.0.0.1:${mailbox.port}`;
  process.env.MAIL_FROM = "Atlas <atlas@example.org>";
  process.env.APP_URL = "https://atlas.example.org";
});
afterAll(async () => {
  delete process.env.SMTP_URL;
  delete process.env.MAIL_FROM;
  delete process.env.APP_URL;
  await mailbox.close();
});

const account = () => signedInAccount("viewer");

/** A user watching a company that has one deal already (before the watch, so not in any digest). */
async function watcher() {
  const user = await account();
  const early = await createDeal(dealFixture(), { actor: "test" });
  const company = early.parties[0]!.company;
  await watch(user.id, { kind: "company", id: company.id });
  const dealWith = (title: string) =>
    createDeal(
      dealFixture({
        title,
        parties: [{ company: company.name }, { company: unique("Partner") }],
        types: ["joint_venture"],
      }),
      { actor: "Eddie Editor" },
    );
  return { ...user, company, dealWith };
}

const mailsTo = (email: string) =>
  mailbox.received.filter((m) => m.to && !Array.isArray(m.to) && m.to.text.includes(email));
const at = (iso: string) => () => new Date(iso);
const sends = (userId: string) => testDb().select().from(digestSends).where(eq(digestSends.userId, userId));
/** Runs the worker until nothing more is due at that moment. */
async function drain(now: () => Date, db = testDb()) {
  while ((await runDigests(now, db)) > 0);
}

const berlinDaily: DigestSchedule = { frequency: "daily", hour: 8, weekday: 1, timeZone: "Europe/Berlin" };

/** A watcher whose daily digest (UTC midnight) holds one new deal, set up on `day`: due the next midnight. */
async function dueAtMidnight(day: string, title: string) {
  const user = await watcher();
  await saveDigestSettings(
    user.id,
    { ...berlinDaily, timeZone: "UTC", hour: 0 },
    new Date(`${day}T12:00:00Z`),
  );
  await user.dealWith(title);
  return user;
}

// Each of these runs the worker many times against the database and the SMTP server.
describe("scheduled digests", { timeout: 30_000 }, () => {
  it("sends once per period at the user's hour: grouped by watch, each deal's parties, type, date and link, a chart inline, one-click unsubscribe", async () => {
    const user = await watcher();
    // Monday 2030-01-07, 07:00 in Berlin: today's 08:00 has not come yet.
    await saveDigestSettings(user.id, berlinDaily, new Date("2030-01-07T06:00:00Z"));
    const deal = await user.dealWith(unique("Digest JV"));

    await drain(at("2030-01-07T06:59:00Z"));
    expect(mailsTo(user.email)).toHaveLength(0);
    await drain(at("2030-01-07T07:00:00Z")); // 08:00 in Berlin
    await drain(at("2030-01-07T07:00:30Z"));
    await drain(at("2030-01-07T21:00:00Z"));
    expect(mailsTo(user.email)).toHaveLength(1);

    const mail = mailsTo(user.email)[0]!;
    expect(mail.subject).toBe("Your daily Partnership Atlas digest: 1 change");
    expect(mail.from?.text).toContain("atlas@example.org");
    const link = `https://atlas.example.org/deals/${deal.id}`;
    const partner = deal.parties[1]!.company.name;
    for (const body of [mail.text!, mail.html as string]) {
      expect(body).toContain(user.company.name);
      expect(body).toContain(deal.title);
      expect(body).toContain(partner);
      expect(body).toContain("Joint venture");
      expect(body).toContain("2024-03-15");
      expect(body).toContain(link);
    }
    // Grouped: the watch's heading comes before its deal.
    expect(mail.text!.indexOf(user.company.name)).toBeLessThan(mail.text!.indexOf(deal.title));
    // One inline PNG, referenced from the HTML by its Content-ID.
    expect(mail.attachments).toHaveLength(1);
    const chart = mail.attachments[0]!;
    expect(chart.contentType).toBe("image/png");
    expect(chart.contentDisposition).toBe("inline");
    expect(mail.html).toContain(`cid:${chart.cid}`);
    // RFC 8058 one-click unsubscribe.
    const header = (name: string) => headerLine(mail, name);
    const listUnsubscribe = header("list-unsubscribe");
    const unsubscribe = /<(https:\/\/atlas\.example\.org\/api\/digest\/unsubscribe\?token=[^>]+)>/.exec(
      listUnsubscribe,
    )?.[1];
    expect(unsubscribe).toBeDefined();
    expect(header("list-unsubscribe-post")).toBe("List-Unsubscribe-Post: List-Unsubscribe=One-Click");

    expect((await getDigestSettings(user.id)).lastSentAt).toEqual(new Date("2030-01-07T07:00:00Z"));

    // Next day, nothing changed: nothing is sent, and the period is recorded as empty.
    await drain(at("2030-01-08T07:00:00Z"));
    expect(mailsTo(user.email)).toHaveLength(1);
    expect((await sends(user.id)).map((s) => [s.period, s.status])).toEqual([
      ["daily:2030-01-07", "sent"],
      ["daily:2030-01-08", "empty"],
    ]);

    // The digest has its own watermark: the next one lists only what came after the last digest.
    const later = await user.dealWith(unique("Later JV"));
    await drain(at("2030-01-09T07:00:00Z"));
    const next = mailsTo(user.email)[1]!;
    expect(next.text).toContain(later.title);
    expect(next.text).not.toContain(deal.title);

    // A GET (a person, or a link scanner) changes nothing and shows the confirmation page.
    const shown = await unsubscribeGet(
      new Request(unsubscribe!.replace("https://atlas.example.org", "http://localhost")),
    );
    expect(shown.status).toBe(303);
    expect(shown.headers.get("location")).toMatch(/\/unsubscribe\?token=/);
    expect((await getDigestSettings(user.id)).frequency).toBe("daily");
    // The mail program's one-click POST, without any session, turns digests off.
    const oneClick = await unsubscribePost(
      new Request(unsubscribe!, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "List-Unsubscribe=One-Click",
      }),
    );
    expect(oneClick.status).toBe(200);
    expect((await getDigestSettings(user.id)).frequency).toBe("off");
    await user.dealWith(unique("Unsent JV"));
    await drain(at("2030-01-10T07:00:00Z"));
    expect(mailsTo(user.email)).toHaveLength(2);
  });

  it("refuses a forged or missing unsubscribe token with a field error", async () => {
    const user = await watcher();
    await saveDigestSettings(user.id, berlinDaily);
    const forged = await unsubscribePost(
      new Request("http://localhost/api/digest/unsubscribe?token=dXNlcg.99999999999.forged", {
        method: "POST",
      }),
    );
    expect(forged.status).toBe(400);
    expect((await forged.json()).fieldErrors.token).toEqual([
      "This unsubscribe link is invalid or has expired",
    ]);
    const missing = await unsubscribePost(
      new Request("http://localhost/api/digest/unsubscribe", { method: "POST" }),
    );
    expect(missing.status).toBe(400);
    expect((await missing.json()).fieldErrors.token).toEqual(expect.any(Array));
    expect((await getDigestSettings(user.id)).frequency).toBe("daily");
  });

  it("retries with backoff while the SMTP server refuses, then sends", async () => {
    const user = await dueAtMidnight("2032-05-01", unique("Retry JV"));
    mailbox.refusing = true;
    let now = new Date("2032-05-02T00:00:00Z").getTime();
    const clock = () => new Date(now);
    try {
      await drain(clock);
      const [first] = await sends(user.id);
      expect(first).toMatchObject({ status: "pending", attempts: 1 });
      expect(first!.lastError).toContain("Try again later");
      expect(first!.nextAttemptAt.getTime() - now).toBe(digestRetryDelay(1));
      await drain(clock); // not due yet: the backoff holds it
      expect((await sends(user.id))[0]!.attempts).toBe(1);
    } finally {
      mailbox.refusing = false;
    }
    now += digestRetryDelay(1);
    await drain(clock);
    expect(mailsTo(user.email)).toHaveLength(1);
    expect((await sends(user.id))[0]).toMatchObject({ status: "sent", attempts: 2, changes: 1 });
  });
});

describe("a stalled SMTP server", () => {
  it("fails the send before the server's claim on the digest runs out, so no other server sends it meanwhile", async () => {
    const user = await dueAtMidnight("2033-05-01", unique("Stalled JV"));
    process.env.DIGEST_LEASE_MS = "2000";
    mailbox.stalling = true;
    try {
      await runDigests(at("2033-05-02T00:00:00Z"));
    } finally {
      mailbox.stalling = false;
      delete process.env.DIGEST_LEASE_MS;
    }
    // Given up within the 2 s claim (half a second of silence), recorded as an attempt to try again.
    await expect.poll(() => mailbox.stalledMs).toBeLessThan(2000);
    const [send] = await sends(user.id);
    expect(send).toMatchObject({ status: "pending", attempts: 1 });
    expect(send!.lastError).toMatch(/timeout/i);
  }, 20_000);
});

describe("test digest", () => {
  it("POST /api/me/digest answers 202 and the next worker pass sends it, saying when nothing changed", async () => {
    const user = await account();
    const post = () =>
      postTestDigest(
        new Request("http://localhost/api/me/digest", {
          method: "POST",
          headers: { cookie: user.cookie, host: "localhost", origin: "http://localhost" },
        }),
      );
    const smtpUrl = process.env.SMTP_URL;
    delete process.env.SMTP_URL;
    try {
      const refused = await post();
      expect(refused.status).toBe(503);
      expect((await refused.json()).error).toContain("SMTP_URL");
    } finally {
      process.env.SMTP_URL = smtpUrl;
    }
    const answer = await post();
    expect(answer.status).toBe(202);
    expect((await answer.json()).id).toEqual(expect.any(Number));
    await drain(() => new Date());
    const [mail] = mailsTo(user.email);
    expect(mail?.subject).toBe("Test digest from Partnership Atlas: no changes");
    expect(mail?.text).toContain("Nothing changed in what you watch since your last digest.");
    expect(mail?.attachments).toHaveLength(1);
  });

  it("lists what the next digest will, and takes nothing from it", async () => {
    const user = await watcher();
    await saveDigestSettings(
      user.id,
      { ...berlinDaily, timeZone: "UTC", hour: 0 },
      new Date("2033-02-01T12:00:00Z"),
    );
    const deal = await user.dealWith(unique("Test JV"));
    const answer = await postTestDigest(
      new Request("http://localhost/api/me/digest", {
        method: "POST",
        headers: { cookie: user.cookie, host: "localhost", origin: "http://localhost" },
      }),
    );
    expect(answer.status).toBe(202);
    await drain(() => new Date());
    await drain(at("2033-02-02T00:00:00Z"));
    const [test, scheduled] = mailsTo(user.email);
    expect(test?.subject).toBe("Test digest from Partnership Atlas: 1 change");
    expect(test?.text).toContain(deal.title);
    expect(scheduled?.subject).toBe("Your daily Partnership Atlas digest: 1 change");
    expect(scheduled?.text).toContain(deal.title);
  });
});

/** `count` watchers with a daily digest at 06:00 UTC (settings saved at `savedAt`), each with one change. */
async function dailyWatchers(count: number, savedAt: string) {
  const users = await Promise.all(Array.from({ length: count }, () => watcher()));
  for (const u of users)
    await saveDigestSettings(u.id, { ...berlinDaily, timeZone: "UTC", hour: 6 }, new Date(savedAt));
  for (const u of users) await u.dealWith(unique("Shared JV"));
  return users;
}

describe("several app servers", { timeout: 30_000 }, () => {
  it("a period another server queued first is not queued again (the unique user-and-period key)", async () => {
    const user = await watcher();
    await saveDigestSettings(
      user.id,
      { ...berlinDaily, timeZone: "UTC", hour: 6 },
      new Date("2035-06-01T05:00:00Z"),
    );
    await user.dealWith(unique("Raced JV"));
    // Another server queued this period's digest but this one read the settings before that
    // committed: the settings still show the previous period, so it tries to queue it too.
    await testDb().write((tx) =>
      tx.insert(digestSends).values({
        userId: user.id,
        period: "daily:2035-06-01",
        nextAttemptAt: new Date("2035-06-01T06:00:00Z"),
      }),
    );
    await drain(at("2035-06-01T06:00:00Z"));
    expect(mailsTo(user.email)).toHaveLength(1);
    expect((await sends(user.id)).map((s) => [s.period, s.status])).toEqual([["daily:2035-06-01", "sent"]]);
  });

  it("two workers with their own connections send each period's digest once", async () => {
    const users = await dailyWatchers(3, "2034-06-01T05:00:00Z");
    const { internals } = testDb();
    const target = internals.engine === "pg" ? internals.url : internals.file;
    const servers = [openDatabase(target), openDatabase(target)];
    try {
      const clock = at("2034-06-01T06:00:00Z");
      // On PostgreSQL the two workers run at the same moment. SQLite's connections in one process
      // block each other's event loop while one waits on the file lock, so there they take turns.
      for (let round = 0; round < 3; round++)
        if (internals.engine === "pg") await Promise.all(servers.map((db) => runDigests(clock, db)));
        else for (const db of servers) await runDigests(clock, db);
    } finally {
      await Promise.all(servers.map((db) => db.close()));
    }
    for (const u of users) {
      expect(mailsTo(u.email)).toHaveLength(1);
      expect((await sends(u.id)).map((s) => s.status)).toEqual(["sent"]);
    }
  });

  it("a digest whose claim ran out while its server sent others is not sent again by that server", async () => {
    const users = await dailyWatchers(2, "2036-06-01T05:00:00Z");
    const { internals } = testDb();
    const target = internals.engine === "pg" ? internals.url : internals.file;
    const [serverA, serverB] = [openDatabase(target), openDatabase(target)];
    try {
      // Server A claims both at 06:00, then is slow (a slow mail server, say): at 06:03 its claims
      // have run out, and server B claims and sends both. A then carries on with what it claimed.
      await scheduleDigests(new Date("2036-06-01T06:00:00Z"), serverA);
      const claimedByA = await claimDueDigests(new Date("2036-06-01T06:00:00Z"), 120_000, 10, serverA);
      expect(claimedByA.length).toBeGreaterThanOrEqual(2);
      await drain(at("2036-06-01T06:03:00Z"), serverB);
      await sendClaimedDigests(claimedByA, at("2036-06-01T06:03:30Z"), serverA);
    } finally {
      await Promise.all([serverA.close(), serverB.close()]);
    }
    for (const u of users) {
      expect(mailsTo(u.email)).toHaveLength(1);
      expect((await sends(u.id)).map((s) => [s.status, s.attempts])).toEqual([["sent", 1]]);
    }
  });
});
