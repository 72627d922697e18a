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
}
export interface FetchedArticle {
  /** The final URL after redirects. */
  url: string;
  contentType: string;
  body: string;
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
  ["::", 128],
  ["::1", 128],
  ["::ffff:0:0", 96],
  ["64:ff9b::", 96],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
] as const) {
  blocked6.addSubnet(net6, bits, "ipv6");
}

export function isPrivateAddress(address: string): boolean {
  const family = net.isIP(address);
  if (family === 4) return blocked4.check(address, "ipv4");
  if (family === 6) return blocked6.check(address, "ipv6");
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

async function checkedAddress(url: URL, allowed: Set<string>): Promise<{ address: string; family: number }> {
  const host = url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  let addresses: { address: string; family: number }[];
  if (net.isIP(host)) addresses = [{ address: host, family: net.isIP(host) }];
  else {
    try {
      addresses = await dns.lookup(host, { all: true, verbatim: true });
    } catch {
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

function requestOnce(
  url: URL,
  pinned: { address: string; family: number },
  deadline: AbortSignal,
  maxBytes: number,
): Promise<{ status: number; location: string | null; contentType: string; body: string | null }> {
  // The connection goes to the address we checked, not to a second DNS answer.
  const lookup: LookupFunction = (_host, options, callback) => {
    if (options && (options as { all?: boolean }).all) {
      (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [pinned]);
    } else callback(null, pinned.address, pinned.family);
  };
  const client = url.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(
      url,
      {
        method: "GET",
        lookup,
        signal: deadline,
        headers: {
          "user-agent": "PartnershipAtlas/1.0 (+article extraction)",
          accept: ALLOWED_TYPES.join(", "),
        },
      },
      (res) => {
        const status = res.statusCode ?? 0;
        const location = res.headers.location ?? null;
        const contentType = String(res.headers["content-type"] ?? "");
        if (status >= 300 && status < 400 && location) {
          res.resume();
          return resolve({ status, location, contentType, body: null });
        }
        if (status < 200 || status >= 300) {
          res.resume();
          return reject(new ArticleFetchError("http_status", `The page answered with HTTP ${status}.`));
        }
        const type = contentType.split(";")[0]!.trim().toLowerCase();
        if (!ALLOWED_TYPES.includes(type)) {
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
          resolve({ status, location: null, contentType: type, body: decoder.decode(Buffer.concat(chunks)) });
        });
        res.on("error", (e) => reject(e));
      },
    );
    req.on("error", (e) => reject(e));
    req.end();
  });
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
  const timeoutMs = options.timeoutMs ?? 5000;
  const maxBytes = options.maxBytes ?? 2 * 1024 * 1024;
  const maxRedirects = options.maxRedirects ?? 3;
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
      const pinned = await checkedAddress(url, allowed);
      if (controller.signal.aborted) throw timeoutError(timeoutMs);
      const res = await requestOnce(url, pinned, controller.signal, maxBytes);
      if (res.body !== null) return { url: url.toString(), contentType: res.contentType, body: res.body };
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

const timeoutError = (ms: number) =>
  new ArticleFetchError(
    "timeout",
    `The page did not answer within ${ms >= 1000 ? `${ms / 1000} s` : `${ms} ms`}.`,
  );

/**
 * POSTs a body to a URL under the same guard as fetchArticle (http(s), public addresses unless
 * allowed, the connection pinned to the checked address), following no redirects: webhooks.
 */
export async function postGuarded(
  rawUrl: string,
  body: string,
  headers: Record<string, string>,
  options: { timeoutMs?: number; allowPrivate?: string[] } = {},
): Promise<{ status: number }> {
  const url = new URL(rawUrl);
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new ArticleFetchError(
      "scheme",
      `Only http:// and https:// addresses are allowed, not ${url.protocol}.`,
    );
  if (url.username || url.password)
    throw new ArticleFetchError("invalid_url", "Web addresses with a user name or password are not allowed.");
  const pinned = await checkedAddress(url, allowList(options));
  const lookup: LookupFunction = (_host, opts, callback) => {
    if (opts && (opts as { all?: boolean }).all) {
      (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [pinned]);
    } else callback(null, pinned.address, pinned.family);
  };
  const client = url.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(
      url,
      {
        method: "POST",
        lookup,
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
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
}

/** Refuses a URL the guard would refuse, e.g. when an endpoint is registered. */
export async function checkPublicUrl(rawUrl: string, allowPrivate?: string[]): Promise<void> {
  await checkedAddress(new URL(rawUrl), allowList({ allowPrivate }));
}
