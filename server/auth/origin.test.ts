import { afterEach, describe, expect, it } from "vitest";
import { addressBlock, arrivedOverHttps, clientAddress, isSameOrigin } from "./origin";

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
    process.env.TRUST_PROXY = "1";
    expect(clientAddress(headers)).toBe("203.0.113.9");
    process.env.TRUST_PROXY = "2";
    expect(clientAddress(headers)).toBe("10.0.0.1");
    expect(clientAddress(new Headers())).toBe("unknown");
  });
});

describe("clientAddress without a trusted proxy", () => {
  const PEER = Symbol.for("atlas.peerAddress");
  afterEach(() => {
    delete (globalThis as Record<symbol, unknown>)[PEER];
  });
  const spoofed = { "x-forwarded-for": "6.6.6.6", "x-real-ip": "7.7.7.7", "x-atlas-peer-address": "8.8.8.8" };

  it.each([undefined, "0", "-1", "abc"])("ignores X-Forwarded-For with TRUST_PROXY=%s", (trust) => {
    if (trust !== undefined) process.env.TRUST_PROXY = trust;
    // Without the preload that stamps the socket address, even our own header is not believed.
    expect(clientAddress(new Headers(spoofed))).toBe("unknown");
    (globalThis as Record<symbol, unknown>)[PEER] = true;
    expect(clientAddress(new Headers(spoofed))).toBe("8.8.8.8");
  });

  it("with a trusted proxy, a client's own extra hops do not move the key", () => {
    process.env.TRUST_PROXY = "1";
    // The proxy appends what it saw; whatever the client prepended stays to the left.
    expect(clientAddress(new Headers({ "x-forwarded-for": "1.1.1.1, 203.0.113.9" }))).toBe("203.0.113.9");
    expect(clientAddress(new Headers({ "x-forwarded-for": "2.2.2.2, 203.0.113.9" }))).toBe("203.0.113.9");
  });

  it("uses X-Forwarded-Host with TRUST_PROXY=0 never", () => {
    process.env.TRUST_PROXY = "0";
    const headers = { host: "internal:3000", "x-forwarded-host": "atlas.test", origin: "http://atlas.test" };
    expect(isSameOrigin(req(headers))).toBe(false);
  });
});

describe("arrivedOverHttps", () => {
  const PEER = Symbol.for("atlas.peerAddress");
  afterEach(() => {
    delete (globalThis as Record<symbol, unknown>)[PEER];
  });
  it("believes X-Forwarded-Proto only behind a trusted proxy, and a TLS socket always", () => {
    const forwarded = new Headers({ "x-forwarded-proto": "https" });
    expect(arrivedOverHttps(forwarded)).toBe(false);
    process.env.TRUST_PROXY = "1";
    expect(arrivedOverHttps(forwarded)).toBe(true);
    expect(arrivedOverHttps(new Headers({ "x-forwarded-proto": "http" }))).toBe(false);
    delete process.env.TRUST_PROXY;
    const tls = new Headers({ "x-atlas-peer-tls": "1" });
    expect(arrivedOverHttps(tls)).toBe(false);
    (globalThis as Record<symbol, unknown>)[PEER] = true;
    expect(arrivedOverHttps(tls)).toBe(true);
  });
});

describe("addressBlock", () => {
  it("counts IPv6 clients by their /64, IPv4 by the address", () => {
    expect(addressBlock("2001:db8:1:2::1")).toBe("2001:db8:1:2::/64");
    expect(addressBlock("2001:0db8:0001:0002:ffff:ffff:ffff:ffff")).toBe("2001:db8:1:2::/64");
    expect(addressBlock("[2001:db8:1:2:3:4:5:6]")).toBe("2001:db8:1:2::/64");
    expect(addressBlock("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(addressBlock("fe80::1%eth0")).toBe("fe80:0:0:0::/64");
    expect(addressBlock("2001:db8:1:3::1")).not.toBe(addressBlock("2001:db8:1:2::1"));
    expect(addressBlock("::ffff:192.0.2.7")).toBe("192.0.2.7");
    expect(addressBlock("192.0.2.7")).toBe("192.0.2.7");
    expect(addressBlock("unknown")).toBe("unknown");
  });
});
