import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import * as callbackRoute from "@/app/api/auth/callback/oidc/route";
import * as sessionRoute from "@/app/api/session/route";
import * as startRoute from "@/app/api/session/sso/route";
import { setUserActive } from "@/db/accounts/auth";
import { getDb } from "@/db/core/index";
import { accounts, auditEvents, users } from "@/db/schema";
import { createUserAccount, getSessionPrincipal } from "@/server/auth/principal";
import { signIn } from "@/server/auth/sign-in";
import { ssoErrorMessage } from "@/server/auth/sso";
import type { UserRole } from "@/lib/enums";
import { AUTH_SETTINGS } from "@/server/auth/sso-config";
import { CLIENT, CookieJar, startOidcProvider, type Person, type TestProvider } from "./oidc-provider";
import { testDb, unique } from "./db";

// Single sign-on against a real OpenID provider running in this process: the browser's way through
// the authorization code flow (Atlas's start → the provider's login and consent pages → Atlas's
// callback), with cookie jars for both sites, and what Atlas makes of the claims that come back.

const APP = "http://atlas.test";
let idp: TestProvider;

function configure(extra: Record<string, string> = {}) {
  for (const name of AUTH_SETTINGS) delete process.env[name];
  Object.assign(process.env, {
    APP_URL: APP,
    OIDC_ISSUER: idp.issuer,
    OIDC_CLIENT_ID: CLIENT.id,
    OIDC_CLIENT_SECRET: CLIENT.secret,
    OIDC_NAME: "Test IdP",
    OIDC_SCOPES: "openid email profile groups",
    ...extra,
  });
}

beforeAll(async () => {
  testDb();
  idp = await startOidcProvider(`${APP}/api/auth/callback/oidc`);
  // An admin who is not the people below, so none of them is ever the last admin.
  await createUserAccount({
    name: "Owner",
    email: `${unique("owner").replace(/\W/g, "")}@example.org`,
    password: "password for tests",
    role: "admin",
  });
});
afterAll(async () => {
  for (const name of AUTH_SETTINGS) delete process.env[name];
  await idp?.close();
});
beforeEach(() => configure());

/** A new person at the provider; returns their subject. */
function person(claims: Partial<Person> = {}): string {
  const sub = unique("sub").replace(/\W/g, "");
  idp.people.set(sub, {
    email: `${sub}@corp.example`,
    email_verified: true,
    name: `Person ${sub}`,
    ...claims,
  });
  return sub;
}

type Tamper = { authorize?: (url: URL) => void; callback?: (url: URL) => void; dropAppCookies?: boolean };

/**
 * One browser signing in as `sub`: posts the sign-in page's SSO button, follows the provider's
 * redirects and answers its login and consent pages, and brings the code back to Atlas's callback.
 */
async function ssoSignIn(sub: string, tamper: Tamper = {}) {
  const app = new CookieJar();
  const provider = new CookieJar();
  const start = await startRoute.POST(
    new Request(`${APP}/api/session/sso`, {
      method: "POST",
      headers: { origin: APP, host: "atlas.test", "content-type": "application/json" },
      body: JSON.stringify({ next: "/deals?q=1" }),
    }),
  );
  expect(start.status).toBe(200);
  app.absorb(start);
  let url = new URL(((await start.json()) as { url: string }).url);
  const authorize = url;
  tamper.authorize?.(url);
  for (let hop = 0; !url.href.startsWith(`${APP}/`); hop++) {
    if (hop > 20) throw new Error("the provider kept redirecting");
    let response = await fetch(url, { redirect: "manual", headers: { cookie: provider.header() } });
    provider.absorb(response);
    if (response.status === 200 && url.pathname.startsWith("/interaction/")) {
      const prompt = /name="prompt" value="(\w+)"/.exec(await response.text())?.[1];
      const form: Record<string, string> =
        prompt === "login" ? { prompt, login: sub, password: "anything" } : { prompt: prompt! };
      response = await fetch(url, {
        method: "POST",
        redirect: "manual",
        headers: { cookie: provider.header(), "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(form),
      });
      provider.absorb(response);
    }
    const location = response.headers.get("location");
    if (!location) throw new Error(`The provider answered ${response.status}: ${await response.text()}`);
    url = new URL(location, url);
  }
  tamper.callback?.(url);
  const back = await callbackRoute.GET(
    new Request(url, { headers: { cookie: tamper.dropAppCookies ? "" : app.header() } }),
  );
  expect(back.status).toBe(302);
  app.absorb(back);
  const cookie = app.header();
  return {
    authorize,
    cookie,
    location: back.headers.get("location")!,
    principal: cookie ? await getSessionPrincipal(new Headers({ cookie })) : null,
  };
}

/** An account made in Atlas (password login) before its owner first uses SSO. */
async function existingAccount(role: UserRole) {
  const email = `${unique("pre").replace(/\W/g, "")}@corp.example`;
  return createUserAccount({ name: "Existing", email, password: "password for tests", role });
}

async function accountsOf(userId: string) {
  return getDb().select().from(accounts).where(eq(accounts.userId, userId));
}

async function userByEmail(email: string) {
  const [user] = await getDb().select().from(users).where(eq(users.email, email));
  return user;
}

describe("single sign-on", { timeout: 60_000 }, () => {
  it("signs a new person in end to end (code + PKCE, state, nonce) and creates them as a viewer", async () => {
    const sub = person();
    const result = await ssoSignIn(sub);
    // The authorization request carried everything the code flow checks.
    expect(result.authorize.searchParams.get("response_type")).toBe("code");
    expect(result.authorize.searchParams.get("code_challenge_method")).toBe("S256");
    expect(result.authorize.searchParams.get("code_challenge")).toBeTruthy();
    expect(result.authorize.searchParams.get("state")).toBeTruthy();
    expect(result.authorize.searchParams.get("nonce")).toBeTruthy();
    expect(result.authorize.searchParams.get("redirect_uri")).toBe(`${APP}/api/auth/callback/oidc`);
    expect(result.location).toBe("/deals?q=1");
    expect(result.principal).toMatchObject({ kind: "user", email: `${sub}@corp.example`, role: "viewer" });
    const user = await userByEmail(`${sub}@corp.example`);
    expect(user).toMatchObject({ role: "viewer", emailVerified: true });
    // The second time the same account is found, not made again.
    const again = await ssoSignIn(sub);
    expect(again.principal?.id).toBe(user!.id);
    const linked = await accountsOf(user!.id);
    expect(linked.map((a) => [a.providerId, a.accountId])).toEqual([["oidc", sub]]);
    // Signing out ends the SSO session like any other.
    const out = await sessionRoute.DELETE(
      new Request(`${APP}/api/session`, {
        method: "DELETE",
        headers: { origin: APP, host: "atlas.test", cookie: again.cookie },
      }),
    );
    expect(out.status).toBe(204);
    expect(await getSessionPrincipal(new Headers({ cookie: again.cookie }))).toBeNull();
  });

  it("gives new people OIDC_DEFAULT_ROLE", async () => {
    configure({ OIDC_DEFAULT_ROLE: "editor" });
    expect((await ssoSignIn(person())).principal?.role).toBe("editor");
  });

  it("reads the role from the claim at each sign-in, so a change at the provider holds next time", async () => {
    configure({ OIDC_ROLE_CLAIM: "groups", OIDC_ROLE_MAP: "atlas-admins=admin,atlas-editors=editor" });
    const sub = person({ groups: ["staff", "atlas-editors"] });
    expect((await ssoSignIn(sub)).principal?.role).toBe("editor");
    idp.people.get(sub)!.groups = ["atlas-editors", "atlas-admins"];
    expect((await ssoSignIn(sub)).principal?.role).toBe("admin");
    idp.people.get(sub)!.groups = ["staff"];
    expect((await ssoSignIn(sub)).principal?.role).toBe("viewer");
  });

  it("with OIDC_DEFAULT_ROLE=none, refuses people no mapping names, and creates no account", async () => {
    configure({
      OIDC_ROLE_CLAIM: "groups",
      OIDC_ROLE_MAP: "atlas-editors=editor",
      OIDC_DEFAULT_ROLE: "none",
    });
    const sub = person({ groups: ["staff"] });
    const result = await ssoSignIn(sub);
    expect(result).toMatchObject({ location: "/sign-in?error=no_role", principal: null });
    expect(await userByEmail(`${sub}@corp.example`)).toBeUndefined();
  });

  it("links an existing account whose e-mail the provider says is verified", async () => {
    const existing = await existingAccount("editor");
    const result = await ssoSignIn(person({ email: existing.email, email_verified: true }));
    expect(result.principal).toMatchObject({ id: existing.id, role: "editor" });
    const rows = await accountsOf(existing.id);
    expect(rows.map((a) => a.providerId).sort()).toEqual(["credential", "oidc"]);
    // The link is in the security audit log.
    const links = (await getDb().select().from(auditEvents).where(eq(auditEvents.kind, "sso-link"))).filter(
      (e) => e.actorUserId === existing.id,
    );
    expect(links).toHaveLength(1);
  });

  it("does not link an existing account when the provider does not vouch for the e-mail", async () => {
    const existing = await existingAccount("admin");
    const result = await ssoSignIn(person({ email: existing.email, email_verified: false }));
    expect(result).toMatchObject({ location: "/sign-in?error=account_not_linked", principal: null });
    expect((await accountsOf(existing.id)).map((a) => a.providerId)).toEqual(["credential"]);
  });

  it("refuses a deactivated user, whether signed in by SSO before or linked by e-mail", async () => {
    const sub = person();
    const first = await ssoSignIn(sub);
    await setUserActive(first.principal!.id, false);
    expect(await ssoSignIn(sub)).toMatchObject({
      location: "/sign-in?error=account_deactivated",
      principal: null,
    });

    const existing = await existingAccount("viewer");
    await setUserActive(existing.id, false);
    expect(await ssoSignIn(person({ email: existing.email }))).toMatchObject({
      location: "/sign-in?error=account_deactivated",
      principal: null,
    });
  });

  it("refuses tokens from an issuer other than OIDC_ISSUER", async () => {
    // The same provider reached by another name: its discovery document and tokens name 127.0.0.1,
    // not the issuer Atlas was told to trust.
    configure({ OIDC_ISSUER: idp.issuer.replace("127.0.0.1", "localhost") });
    const sub = person();
    expect(await ssoSignIn(sub)).toMatchObject({
      location: "/sign-in?error=issuer_mismatch",
      principal: null,
    });
    expect(await userByEmail(`${sub}@corp.example`)).toBeUndefined();
  });

  it("refuses a callback whose iss names another issuer (mix-up)", async () => {
    const result = await ssoSignIn(person(), {
      callback: (url) => url.searchParams.set("iss", "https://evil.example"),
    });
    expect(result).toMatchObject({ location: "/sign-in?error=issuer_mismatch", principal: null });
  });

  it("refuses a callback with a forged state, or in a browser that did not start the sign-in", async () => {
    const forged = await ssoSignIn(person(), {
      callback: (url) => url.searchParams.set("state", "forged-state-value"),
    });
    expect(forged.principal).toBeNull();
    expect(forged.location).toMatch(/^\/sign-in\?error=/);
    const elsewhere = await ssoSignIn(person(), { dropAppCookies: true });
    expect(elsewhere.principal).toBeNull();
    expect(elsewhere.location).toMatch(/^\/sign-in\?error=/);
  });

  it("refuses an ID token whose nonce is not the one this sign-in sent", async () => {
    const sub = person();
    const result = await ssoSignIn(sub, {
      authorize: (url) => url.searchParams.set("nonce", "a-nonce-atlas-never-sent"),
    });
    expect(result.principal).toBeNull();
    expect(result.location).toMatch(/^\/sign-in\?error=/);
    expect(await userByEmail(`${sub}@corp.example`)).toBeUndefined();
  });

  it("with PASSWORD_SIGNIN=0 refuses password sign-in, while SSO still works", async () => {
    configure({ PASSWORD_SIGNIN: "0" });
    const email = `${unique("pw").replace(/\W/g, "")}@example.org`;
    await createUserAccount({ name: "Pw", email, password: "password for tests", role: "viewer" });
    expect(await signIn({ email, password: "password for tests" }, new Headers())).toMatchObject({
      ok: false,
      status: 403,
    });
    const response = await sessionRoute.POST(
      new Request(`${APP}/api/session`, {
        method: "POST",
        headers: { origin: APP, host: "atlas.test", "content-type": "application/json" },
        body: JSON.stringify({ email, password: "password for tests" }),
      }),
    );
    expect(response.status).toBe(403);
    expect(response.headers.getSetCookie()).toEqual([]);
    expect((await ssoSignIn(person())).principal?.role).toBe("viewer");
  });

  it("the start refuses other sites and bad input, and is a 404 without SSO", async () => {
    const post = (origin: string) =>
      startRoute.POST(
        new Request(`${APP}/api/session/sso`, {
          method: "POST",
          headers: { origin, host: "atlas.test", "content-type": "application/json" },
          body: "{}",
        }),
      );
    expect((await post("https://evil.example")).status).toBe(403);
    const bad = await startRoute.POST(
      new Request(`${APP}/api/session/sso`, {
        method: "POST",
        headers: { origin: APP, host: "atlas.test", "content-type": "application/json" },
        body: JSON.stringify({ next: 42 }),
      }),
    );
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ fieldErrors: { next: [expect.any(String)] } });
    // A provider that cannot be reached is a 503 that says so, not a crash.
    const dead = await startOidcProvider(`${APP}/api/auth/callback/oidc`);
    await dead.close();
    configure({ OIDC_ISSUER: dead.issuer });
    const unreachable = await post(APP);
    expect(unreachable.status).toBe(503);
    expect(await unreachable.json()).toMatchObject({ error: expect.stringMatching(/cannot be reached/) });
    for (const name of AUTH_SETTINGS) delete process.env[name];
    expect((await post(APP)).status).toBe(404);
    const callback = await callbackRoute.GET(new Request(`${APP}/api/auth/callback/oidc?code=x&state=y`));
    expect(callback.status).toBe(404);
  });

  it("puts every refusal the callback can give in words, never echoing the parameter", () => {
    for (const code of ["account_deactivated", "no_role", "account_not_linked", "issuer_mismatch"])
      expect(ssoErrorMessage(code)).toMatch(/\w+ \w+ \w+/);
    expect(ssoErrorMessage("<script>x</script>")).not.toContain("<script>");
    expect(ssoErrorMessage(undefined)).toBeNull();
  });
});
