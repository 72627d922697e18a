import "server-only";
import dns from "node:dns/promises";
import http from "node:http";
import https from "node:https";
import net from "node:net";
import type { LookupFunction } from "node:net";

export type ArticleFetchErrorCode =
  | "invalid_url"
  | "scheme"
  | "dns"
  | "private_address"
  | "too_many_redirects"
  | "timeout"
  | "too_large"
  | "content_type"
  | "http_status"
  | "network";

/** A refusal or failure with a message fit for the analyst; the API maps it to a 400 on `url`. */
export class ArticleFetchError extends Error {
  constructor(
    readonly code: ArticleFetchErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "ArticleFetchError";
  }
}

export interface FetchArticleOptions {
  timeoutMs?: number;
  maxBytes?: number;
  maxRedirects?: number;
  /** Host names or addresses allowed even when private; defaults to ALLOW_PRIVATE_URLS. */
  allowPrivate?: string[];
  /** How host names are resolved; the system resolver unless a test passes its own. */
  lookup?: HostLookup;
  /** Content types accepted (feeds differ from pages); HTML or text unless given. */
  accept?: readonly string[];
  /** Extra request headers, e.g. a conditional GET's If-None-Match and If-Modified-Since. */
  headers?: Record<string, string>;
}

/** Every address of a host name. */
export type HostLookup = (host: string) => Promise<{ address: string; family: number }[]>;
const systemLookup: HostLookup = (host) => dns.lookup(host, { all: true, verbatim: true });

/**
 * The work, or the deadline's reason once it passes. A hanging resolver cannot be cancelled (the
 * system one holds a libuv thread), but the caller need not wait for it past its deadline.
 */
function beforeDeadline<T>(work: Promise<T>, deadline: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(deadline.reason);
    if (deadline.aborted) return abort();
    deadline.addEventListener("abort", abort, { once: true });
    work.then(resolve, reject).finally(() => deadline.removeEventListener("abort", abort));
  });
}
export interface FetchedArticle {
  /** The final URL after redirects. */
  url: string;
  contentType: string;
  body: string;
}

/** A guarded GET's answer: a body, or `notModified` when a conditional GET answered 304. */
export interface GuardedResponse {
  url: string;
  contentType: string;
  body: string | null;
  notModified: boolean;
  etag: string | null;
  lastModified: string | null;
}

const ALLOWED_TYPES = ["text/html", "application/xhtml+xml", "text/plain"];

// node's BlockList does the address arithmetic (IPv4, IPv6 and their prefixes) for us.
const blocked4 = new net.BlockList();
// Separate lists: a list holding ::ffff:0:0/96 would also match every IPv4 address.
const blocked6 = new net.BlockList();
for (const [net4, bits] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const) {
  blocked4.addSubnet(net4, bits, "ipv4");
}
for (const [net6, bits] of [
  ["::", 96], // unspecified, loopback and the deprecated IPv4-compatible addresses
  ["::ffff:0:0", 96], // IPv4-mapped
  ["::ffff:0:0:0", 96], // IPv4-translated (SIIT)
  ["64:ff9b::", 96], // NAT64, well-known prefix
  ["64:ff9b:1::", 48], // NAT64, local-use prefix
  ["fc00::", 7],
  ["fe80::", 10],
  ["fec0::", 10], // site-local (deprecated, still routed inside some networks)
  ["ff00::", 8],
] as const) {
  blocked6.addSubnet(net6, bits, "ipv6");
}

/** The eight 16-bit groups of an IPv6 address (zone id dropped, a trailing dotted quad folded in). */
function ipv6Groups(address: string): number[] {
  let text = address.replace(/%.*$/, "");
  const quad = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (quad) {
    const [a, b, c, d] = quad.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, quad.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split("::") as [string, string | undefined];
  const parse = (part: string | undefined) => (part ? part.split(":").map((g) => parseInt(g, 16)) : []);
  const left = parse(head);
  const right = parse(tail);
  return [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
}

const ipv4Of = (high: number, low: number) => [high >> 8, high & 0xff, low >> 8, low & 0xff].join(".");

/**
 * The IPv4 addresses a tunnelling IPv6 address leads to: 6to4 (2002::/16) carries one in groups 1–2;
 * Teredo (2001::/32) its server in groups 2–3 and its client, bit-inverted, in groups 6–7.
 */
function embeddedIpv4(address: string): string[] {
  const g = ipv6Groups(address);
  if (g[0] === 0x2002) return [ipv4Of(g[1]!, g[2]!)];
  if (g[0] === 0x2001 && g[1] === 0) return [ipv4Of(g[2]!, g[3]!), ipv4Of(~g[6]! & 0xffff, ~g[7]! & 0xffff)];
  return [];
}

export function isPrivateAddress(address: string): boolean {
  const family = net.isIP(address);
  if (family === 4) return blocked4.check(address, "ipv4");
  if (family === 6)
    return blocked6.check(address, "ipv6") || embeddedIpv4(address).some((v4) => blocked4.check(v4, "ipv4"));
  return true;
}

function allowList(options: FetchArticleOptions): Set<string> {
  const list = options.allowPrivate ?? (process.env.ALLOW_PRIVATE_URLS ?? "").split(",");
  return new Set(
    list
      .map((s) =>
        s
          .trim()
          .toLowerCase()
          .replace(/^\[|\]$/g, ""),
      )
      .filter(Boolean),
  );
}

async function checkedAddress(
  url: URL,
  allowed: Set<string>,
  deadline: AbortSignal,
  lookup: HostLookup = systemLookup,
): Promise<{ address: string; family: number }> {
  const host = url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  let addresses: { address: string; family: number }[];
  if (net.isIP(host)) addresses = [{ address: host, family: net.isIP(host) }];
  else {
    try {
      addresses = await beforeDeadline(lookup(host), deadline);
    } catch (e) {
      if (deadline.aborted) throw e; // the caller reports its own time limit
      throw new ArticleFetchError("dns", `The address ${host} could not be found.`);
    }
  }
  if (!addresses.length) throw new ArticleFetchError("dns", `The address ${host} could not be found.`);
  // Every address must pass: a host that also resolves privately is refused as a whole.
  for (const a of addresses) {
    if (isPrivateAddress(a.address) && !allowed.has(host) && !allowed.has(a.address.toLowerCase())) {
      throw new ArticleFetchError(
        "private_address",
        `${host} points to a private or local network address (${a.address}); only public web pages can be fetched.`,
      );
    }
  }
  return addresses[0]!;
}

type OnceResponse = {
  status: number;
  location: string | null;
  contentType: string;
  body: string | null;
  etag: string | null;
  lastModified: string | null;
};

function requestOnce(
  url: URL,
  pinned: { address: string; family: number },
  deadline: AbortSignal,
  maxBytes: number,
  accepted: readonly string[],
  headers: Record<string, string>,
): Promise<OnceResponse> {
  const client = url.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(
      url,
      {
        method: "GET",
        lookup: pinnedLookup(pinned),
        signal: deadline,
        headers: {
          "user-agent": "PartnershipAtlas/1.0 (+article extraction)",
          accept: accepted.join(", "),
          ...headers,
        },
      },
      (res) => {
        const status = res.statusCode ?? 0;
        const location = res.headers.location ?? null;
        const contentType = String(res.headers["content-type"] ?? "");
        const validators = {
          etag: res.headers.etag ?? null,
          lastModified: res.headers["last-modified"] ?? null,
        };
        if (status === 304) {
          res.resume();
          return resolve({ status, location: null, contentType, body: null, ...validators });
        }
        if (status >= 300 && status < 400 && location) {
          res.resume();
          return resolve({ status, location, contentType, body: null, ...validators });
        }
        if (status < 200 || status >= 300) {
          res.resume();
          return reject(new ArticleFetchError("http_status", `The page answered with HTTP ${status}.`));
        }
        const type = contentType.split(";")[0]!.trim().toLowerCase();
        if (!accepted.includes(type)) {
          res.destroy();
          return reject(
            new ArticleFetchError(
              "content_type",
              `The page is ${type || "of no stated type"}, not HTML or text.`,
            ),
          );
        }
        const declared = Number(res.headers["content-length"] ?? 0);
        if (declared > maxBytes) {
          res.destroy();
          return reject(tooLarge(maxBytes));
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) {
            res.destroy();
            reject(tooLarge(maxBytes));
            return;
          }
          chunks.push(chunk);
        });
        res.on("end", () => {
          const charset = /charset=([^;]+)/i.exec(contentType)?.[1]?.trim().toLowerCase() ?? "utf-8";
          let decoder: TextDecoder;
          try {
            decoder = new TextDecoder(charset);
          } catch {
            decoder = new TextDecoder("utf-8");
          }
          resolve({
            status,
            location: null,
            contentType: type,
            body: decoder.decode(Buffer.concat(chunks)),
            ...validators,
          });
        });
        res.on("error", (e) => reject(e));
      },
    );
    req.on("error", (e) => reject(e));
    req.end();
  });
}

/** The connection goes to the address we checked, not to a second DNS answer. */
function pinnedLookup(pinned: { address: string; family: number }): LookupFunction {
  return (_host, options, callback) => {
    if (options && (options as { all?: boolean }).all) {
      (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [pinned]);
    } else callback(null, pinned.address, pinned.family);
  };
}

const tooLarge = (max: number) =>
  new ArticleFetchError(
    "too_large",
    `The page is larger than ${Math.round(max / 1024 / 1024) || max} ${max >= 1048576 ? "MB" : "bytes"}.`,
  );

/**
 * Fetches a web page for extraction: http(s) only, public addresses only (checked after DNS and on
 * every redirect, and the connection pinned to the checked address), a total time limit, a size cap
 * on bytes actually read and HTML or text content only.
 */
export async function fetchArticle(
  rawUrl: string,
  options: FetchArticleOptions = {},
): Promise<FetchedArticle> {
  const res = await fetchGuarded(rawUrl, options);
  // Without conditional headers a 304 cannot come back; a server that sends one anyway sent nothing.
  if (res.body === null) throw new ArticleFetchError("http_status", "The page answered with HTTP 304.");
  return { url: res.url, contentType: res.contentType, body: res.body };
}

/**
 * A GET under the guard fetchArticle describes, with the accepted content types and extra headers
 * of the caller (news feeds: their own types and a conditional GET, whose 304 is `notModified`).
 */
export async function fetchGuarded(
  rawUrl: string,
  options: FetchArticleOptions = {},
): Promise<GuardedResponse> {
  const timeoutMs = options.timeoutMs ?? 5000;
  const maxBytes = options.maxBytes ?? 2 * 1024 * 1024;
  const maxRedirects = options.maxRedirects ?? 3;
  const accepted = options.accept ?? ALLOWED_TYPES;
  const allowed = allowList(options);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    let url: URL;
    try {
      url = new URL(rawUrl);
    } catch {
      throw new ArticleFetchError("invalid_url", "Enter a web address starting with http:// or https://.");
    }
    for (let redirects = 0; ; redirects++) {
      if (url.protocol !== "http:" && url.protocol !== "https:") {
        throw new ArticleFetchError(
          "scheme",
          `Only http:// and https:// addresses can be fetched, not ${url.protocol}.`,
        );
      }
      if (url.username || url.password)
        throw new ArticleFetchError(
          "invalid_url",
          "Web addresses with a user name or password are not fetched.",
        );
      const pinned = await checkedAddress(url, allowed, controller.signal, options.lookup);
      if (controller.signal.aborted) throw timeoutError(timeoutMs);
      const res = await requestOnce(
        url,
        pinned,
        controller.signal,
        maxBytes,
        accepted,
        options.headers ?? {},
      );
      if (res.body !== null || res.status === 304) {
        return {
          url: url.toString(),
          contentType: res.contentType,
          body: res.body,
          notModified: res.status === 304,
          etag: res.etag,
          lastModified: res.lastModified,
        };
      }
      if (redirects >= maxRedirects) {
        throw new ArticleFetchError(
          "too_many_redirects",
          `The page redirected more than ${maxRedirects} times.`,
        );
      }
      url = new URL(res.location!, url);
    }
  } catch (e) {
    if (e instanceof ArticleFetchError) throw e;
    if (controller.signal.aborted) throw timeoutError(timeoutMs);
    throw new ArticleFetchError("network", `The page could not be fetched (${(e as Error).message}).`);
  } finally {
    clearTimeout(timer);
  }
}

const timeoutError = (ms: number, what = "The page") =>
  new ArticleFetchError(
    "timeout",
    `${what} did not answer within ${ms >= 1000 ? `${ms / 1000} s` : `${ms} ms`}.`,
  );

/**
 * POSTs a body to a URL under the same guard as fetchArticle (http(s), public addresses unless
 * allowed, the connection pinned to the checked address), following no redirects: webhooks.
 */
export async function postGuarded(
  rawUrl: string,
  body: string,
  headers: Record<string, string>,
  options: { timeoutMs?: number; allowPrivate?: string[]; lookup?: HostLookup } = {},
): Promise<{ status: number }> {
  const url = new URL(rawUrl);
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new ArticleFetchError(
      "scheme",
      `Only http:// and https:// addresses are allowed, not ${url.protocol}.`,
    );
  if (url.username || url.password)
    throw new ArticleFetchError("invalid_url", "Web addresses with a user name or password are not allowed.");
  // One deadline for the lookup and the request together.
  return withinTime(options.timeoutMs ?? 10_000, async (deadline) => {
    const pinned = await checkedAddress(url, allowList(options), deadline, options.lookup);
    const client = url.protocol === "https:" ? https : http;
    return await new Promise<{ status: number }>((resolve, reject) => {
      const req = client.request(
        url,
        {
          method: "POST",
          lookup: pinnedLookup(pinned),
          signal: deadline,
          headers: { ...headers, "content-length": String(Buffer.byteLength(body)) },
        },
        (res) => {
          res.resume(); // the answer's body is not needed
          resolve({ status: res.statusCode ?? 0 });
        },
      );
      req.on("error", reject);
      req.end(body);
    });
  });
}

/** Refuses a URL the guard would refuse, e.g. when an endpoint is registered. */
export async function checkPublicUrl(
  rawUrl: string,
  options: { allowPrivate?: string[]; timeoutMs?: number; lookup?: HostLookup } = {},
): Promise<void> {
  await withinTime(options.timeoutMs ?? 5000, (deadline) =>
    checkedAddress(new URL(rawUrl), allowList(options), deadline, options.lookup),
  );
}

/** Runs `work` under one time limit, its passing reported as a timeout refusal. */
async function withinTime<T>(timeoutMs: number, work: (deadline: AbortSignal) => Promise<T>): Promise<T> {
  const deadline = AbortSignal.timeout(timeoutMs);
  try {
    return await work(deadline);
  } catch (e) {
    if (!(e instanceof ArticleFetchError) && deadline.aborted) throw timeoutError(timeoutMs, "The address");
    throw e;
  }
}
