import { afterEach, describe, expect, it } from "vitest";
import { clientAddress, isSameOrigin } from "./origin";

const req = (headers: Record<string, string>) =>
  new Request("http://atlas.test/api/deals", { method: "POST", headers });

afterEach(() => {
  delete process.env.TRUST_PROXY;
});

describe("isSameOrigin", () => {
  it("accepts our own pages", () => {
    expect(isSameOrigin(req({ host: "atlas.test", origin: "http://atlas.test" }))).toBe(true);
    expect(isSameOrigin(req({ host: "atlas.test", "sec-fetch-site": "same-origin" }))).toBe(true);
  });
  it("refuses other sites and requests that say nothing", () => {
    expect(isSameOrigin(req({ host: "atlas.test", origin: "https://evil.example" }))).toBe(false);
    expect(
      isSameOrigin(req({ host: "atlas.test", origin: "http://atlas.test", "sec-fetch-site": "cross-site" })),
    ).toBe(false);
    expect(isSameOrigin(req({ host: "atlas.test", origin: "null" }))).toBe(false);
    expect(isSameOrigin(req({ host: "atlas.test" }))).toBe(false);
  });
  it("uses X-Forwarded-Host only behind a trusted proxy", () => {
    const headers = { host: "internal:3000", "x-forwarded-host": "atlas.test", origin: "http://atlas.test" };
    expect(isSameOrigin(req(headers))).toBe(false);
    process.env.TRUST_PROXY = "1";
    expect(isSameOrigin(req(headers))).toBe(true);
  });
});

describe("clientAddress", () => {
  it("takes the address the nearest trusted hop saw", () => {
    const headers = new Headers({ "x-forwarded-for": "6.6.6.6, 10.0.0.1, 203.0.113.9" });
    expect(clientAddress(headers)).toBe("203.0.113.9");
    process.env.TRUST_PROXY = "2";
    expect(clientAddress(headers)).toBe("10.0.0.1");
    expect(clientAddress(new Headers())).toBe("unknown");
  });
});
