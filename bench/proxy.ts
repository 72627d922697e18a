import http from "node:http";
import type { AddressInfo } from "node:net";
import { pipeline } from "node:stream";

// A small reverse proxy for the bench's run with several app servers (issue 26): what a team puts in
// front of two Atlas servers on one PostgreSQL database, reduced to what the figures need. Each
// request goes to the server with the fewest requests under way (ties in turn), bodies stream both
// ways (an export is never held in memory here), and a server that cannot be reached is a 502.
// node:http only: a proxy package would add a dependency for forty lines.

export type Upstream = { port: number; host: string; active: number; served: number; failed: number };

export type Proxy = {
  url: string;
  port: number;
  upstreams: Upstream[];
  close(): Promise<void>;
};

// Per connection, not per message: a proxy answers for them itself (RFC 9110 §7.6.1).
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "proxy-authenticate",
  "proxy-authorization",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
]);

function endToEnd(headers: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
  const out: http.OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers))
    if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
  return out;
}

/** Starts the proxy on `port` (0: any free one) in front of `targets`. */
export async function startProxy(
  targets: { port: number; host?: string }[],
  options: { port?: number } = {},
): Promise<Proxy> {
  if (!targets.length) throw new Error("The proxy needs at least one app server");
  const upstreams: Upstream[] = targets.map((t) => ({
    port: t.port,
    host: t.host ?? "127.0.0.1",
    active: 0,
    served: 0,
    failed: 0,
  }));
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
  let turn = 0;
  const choose = () => {
    let best: Upstream | undefined;
    for (let i = 0; i < upstreams.length; i++) {
      const candidate = upstreams[(turn + i) % upstreams.length]!;
      if (!best || candidate.active < best.active) best = candidate;
    }
    turn = (turn + 1) % upstreams.length;
    return best!;
  };

  const server = http.createServer((req, res) => {
    const upstream = choose();
    upstream.active++;
    upstream.served++;
    let settled = false;
    const settle = (failed: boolean) => {
      if (settled) return;
      settled = true;
      upstream.active--;
      if (failed) upstream.failed++;
    };
    const peer = req.socket.remoteAddress ?? "";
    const forwarded = req.headers["x-forwarded-for"];
    const outgoing = http.request({
      host: upstream.host,
      port: upstream.port,
      method: req.method,
      path: req.url,
      agent,
      headers: {
        ...endToEnd(req.headers),
        "x-forwarded-for": forwarded ? `${String(forwarded)}, ${peer}` : peer,
        "x-forwarded-host": req.headers.host ?? "",
        "x-forwarded-proto": "http",
      },
    });
    outgoing.on("response", (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.statusMessage, endToEnd(answer.headers));
      pipeline(answer, res, (error) => settle(Boolean(error)));
    });
    outgoing.on("error", (error) => {
      settle(true);
      if (!res.headersSent)
        res.writeHead(502, { "content-type": "text/plain" }).end(`Bad gateway: ${error.message}`);
      else res.destroy(error);
    });
    // A client that goes away mid-answer: the app server stops sending too.
    res.on("close", () => {
      if (!res.writableFinished) {
        outgoing.destroy();
        settle(true);
      }
    });
    pipeline(req, outgoing, () => undefined);
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    upstreams,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        agent.destroy();
      }),
  };
}
