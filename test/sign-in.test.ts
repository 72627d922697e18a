import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createUserAccount, getAuth } from "@/server/auth/principal";
import { resetSignInLimits, signIn } from "@/server/auth/sign-in";
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
