import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createUserAccount, getAuth } from "@/server/auth/principal";
import { resetSignInLimits, signIn } from "@/server/auth/sign-in";
import { signInFailures } from "@/db/schema";
import { testDb, unique } from "./db";

// The sign-in limits, through the one function the page and scripts share.

const PASSWORD = "password for tests";
let email = "";

beforeAll(async () => {
  testDb();
  email = `${unique("owner").replace(/\W/g, "")}@example.org`;
  await createUserAccount({ name: "Owner", email, password: PASSWORD, role: "admin" });
});

afterEach(async () => {
  await resetSignInLimits();
  delete process.env.TRUST_PROXY;
  vi.restoreAllMocks();
});

const from = (ip: string) => new Headers({ "x-forwarded-for": ip });

// Each failed attempt costs a password hash (scrypt), and these make twenty or more.
describe("sign-in limits", { timeout: 60_000 }, () => {
  it("40 parallel attempts: at most five reach the password check", async () => {
    process.env.TRUST_PROXY = "1";
    const check = vi.spyOn(getAuth().api, "signInEmail");
    const results = await Promise.all(
      Array.from({ length: 40 }, () => signIn({ email, password: "wrong password" }, from("198.51.100.1"))),
    );
    expect(check.mock.calls.length).toBeLessThanOrEqual(5);
    expect(results.filter((r) => !r.ok && r.status === 429).length).toBeGreaterThanOrEqual(35);
  });

  it("spoofed X-Forwarded-For does not buy new tries without a trusted proxy", async () => {
    // TRUST_PROXY unset: every request below is the same client, whatever it claims.
    for (let i = 0; i < 5; i++)
      expect(await signIn({ email, password: "wrong password" }, from(`10.0.0.${i}`))).toMatchObject({
        status: 401,
      });
    expect(await signIn({ email, password: "wrong password" }, from("10.0.0.99"))).toMatchObject({
      status: 429,
    });
  });

  it("one client's 20 wrong passwords do not stop the owner signing in from another client", async () => {
    process.env.TRUST_PROXY = "1";
    let limited = 0;
    for (let i = 0; i < 20; i++) {
      const result = await signIn({ email, password: "wrong password" }, from("203.0.113.66"));
      if (!result.ok && result.status === 429) limited++;
    }
    expect(limited).toBe(15);
    // The attacker's client stays slowed down, even with the right password…
    expect(await signIn({ email, password: PASSWORD }, from("203.0.113.66"))).toMatchObject({ status: 429 });
    // …while the owner, elsewhere, signs in.
    expect(await signIn({ email, password: PASSWORD }, from("192.0.2.10"))).toMatchObject({ ok: true });
  });

  it("a client spraying many accounts is stopped by the per-client limit", async () => {
    process.env.TRUST_PROXY = "1";
    const statuses = [];
    for (let i = 0; i < 21; i++) {
      const result = await signIn(
        { email: `nobody${i}@example.org`, password: "wrong password" },
        from("203.0.113.77"),
      );
      statuses.push(result.ok ? 200 : result.status);
    }
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(statuses[20]).toBe(429);
  });

  it("a success does not count as a failure", async () => {
    process.env.TRUST_PROXY = "1";
    for (let i = 0; i < 8; i++)
      expect(await signIn({ email, password: PASSWORD }, from("192.0.2.20"))).toMatchObject({ ok: true });
  });
});

// Many clients together fill the per-account ceiling: 21 addresses, five wrong passwords each.
describe("the owner under a distributed attack", { timeout: 120_000 }, () => {
  const wrong = "wrong password";
  let now = 0;
  const advance = (ms: number) => vi.setSystemTime((now += ms));
  const attack = async () => {
    for (let a = 0; a < 21; a++)
      for (let i = 0; i < 5; i++) await signIn({ email, password: wrong }, from(`203.0.113.${a + 100}`));
  };
  const cookieHeader = (setCookie: string[]) => setCookie.map((c) => c.split(";")[0]).join("; ");

  beforeEach(() => {
    process.env.TRUST_PROXY = "1";
    vi.useFakeTimers({ toFake: ["Date"] });
    now = Date.now();
    vi.setSystemTime(now);
  });
  afterEach(() => vi.useRealTimers());

  it("the owner gets in: at once from a browser that signed in before, else after the delay it is told", async () => {
    const before = await signIn({ email, password: PASSWORD }, from("192.0.2.40"));
    if (!before.ok) throw new Error(before.message);
    await attack();
    advance(1_000);

    // The same browser, now on another network: its remembered-device cookie is what counts.
    const headers = new Headers({
      "x-forwarded-for": "198.51.100.40",
      cookie: cookieHeader(before.setCookie),
    });
    expect(await signIn({ email, password: PASSWORD }, headers)).toMatchObject({ ok: true });
    // An altered device cookie counts for nothing.
    const forged = cookieHeader(before.setCookie).replace(/atlas_device=[^.;]+/, "atlas_device=someoneelse");
    const refused = await signIn(
      { email, password: PASSWORD },
      new Headers({ "x-forwarded-for": "198.51.100.41", cookie: forged }),
    );
    expect(refused).toMatchObject({ ok: false, status: 429 });

    // A new client is told to wait…
    const owner = from("192.0.2.50");
    const first = await signIn({ email, password: PASSWORD }, owner);
    expect(first).toMatchObject({ ok: false, status: 429 });
    const wait = (first as { retryAfter: number }).retryAfter;
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(30);
    // …asking again early does not restart the wait, nor get in…
    advance(5_000);
    expect(await signIn({ email, password: PASSWORD }, owner)).toMatchObject({ status: 429 });
    // …and once it has waited, it gets in, though the attack still fills the ceiling.
    advance(wait * 1000 - 5_000 + 1_000);
    expect(await signIn({ email, password: PASSWORD }, owner)).toMatchObject({ ok: true });
  });

  it("the delay doubles with each try a client makes under the ceiling", async () => {
    // The ceiling filled as the attack above fills it, without spending 105 password hashes again.
    await testDb().write((tx) =>
      tx
        .insert(signInFailures)
        .values(Array.from({ length: 100 }, () => ({ bucket: `account:${email}`, at: new Date(now) }))),
    );
    const guesser = from("192.0.2.60");
    const first = (await signIn({ email, password: wrong }, guesser)) as { retryAfter: number };
    expect(first).toMatchObject({ status: 429 });
    advance(first.retryAfter * 1000 + 1_000);
    expect(await signIn({ email, password: wrong }, guesser)).toMatchObject({ status: 401 });
    const second = await signIn({ email, password: wrong }, guesser);
    expect(second).toMatchObject({ status: 429 });
    expect((second as { retryAfter: number }).retryAfter).toBeGreaterThan(first.retryAfter);
  });
});

describe("IPv6 clients", { timeout: 60_000 }, () => {
  it("are counted per /64: a new address in the same /64 is the same client", async () => {
    process.env.TRUST_PROXY = "1";
    for (let i = 1; i <= 5; i++)
      expect(await signIn({ email, password: "wrong password" }, from(`2001:db8:1:2::${i}`))).toMatchObject({
        status: 401,
      });
    expect(await signIn({ email, password: "wrong password" }, from("2001:db8:1:2:ffff::9"))).toMatchObject({
      status: 429,
    });
    expect(await signIn({ email, password: PASSWORD }, from("2001:db8:1:3::1"))).toMatchObject({ ok: true });
  });
});

describe("the session cookie over HTTPS", () => {
  const post = async (headers: Record<string, string>) => {
    const { POST } = await import("@/app/api/session/route");
    return POST(
      new Request("http://localhost/api/session", {
        method: "POST",
        headers: {
          "content-type": "application/json",
          host: "localhost",
          origin: "http://localhost",
          ...headers,
        },
        body: JSON.stringify({ email, password: PASSWORD }),
      }),
    );
  };
  const sessionCookie = (response: Response) =>
    response.headers.getSetCookie().find((c) => /session_token=/.test(c)) ?? "";

  it("is Secure when a trusted proxy says the request came over HTTPS", async () => {
    process.env.TRUST_PROXY = "1";
    const response = await post({ "x-forwarded-proto": "https", "x-forwarded-for": "192.0.2.30" });
    expect(response.status).toBe(200);
    expect(sessionCookie(response)).toMatch(/;\s*Secure/i);
  });

  it("is not marked Secure on a client's own X-Forwarded-Proto, nor over plain HTTP", async () => {
    expect(sessionCookie(await post({ "x-forwarded-proto": "https" }))).not.toMatch(/;\s*Secure/i);
    process.env.TRUST_PROXY = "1";
    expect(
      sessionCookie(await post({ "x-forwarded-proto": "http", "x-forwarded-for": "192.0.2.31" })),
    ).not.toMatch(/;\s*Secure/i);
  });
});

describe("sign-in while a long write is open", () => {
  it("waits its turn instead of stopping the server on the file lock, and succeeds", async () => {
    const db = testDb();
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    // A transaction that stays open across turns of the event loop, as an import does.
    const write = db.write(async () => held);
    const started = performance.now();
    const signingIn = signIn({ email, password: PASSWORD }, from("192.0.2.77"));
    // The event loop stays free meanwhile: a timer fires while the sign-in waits.
    const tick = await new Promise<number>((r) => setTimeout(() => r(performance.now() - started), 50));
    expect(tick).toBeLessThan(1000);
    release();
    await write;
    expect(await signingIn).toMatchObject({ ok: true });
    expect(performance.now() - started).toBeLessThan(4000);
  });
});
