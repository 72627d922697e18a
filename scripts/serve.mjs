// The production server: one plain node process that serves the built app (no npm or tsx wrapper
// left beside it) and stops cleanly on SIGTERM/SIGINT. `npm start` prepares (build if stale,
// migrate, seed) in a short step, then `exec`s this file; a supervisor may also run it directly.
//
// Stopping: refuse new connections, let in-flight requests finish, cut what is still open after
// SHUTDOWN_GRACE_MS (10 s; also a client that stopped reading an export), checkpoint and close the
// database, then exit 0 (clean) or 1 (connections had to be cut, or something failed).
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import process from "node:process";
// Stamps each request with its socket's address and TLS before Next sees it (rate limits, HSTS).
import "./peer-address.mjs";
// Counts the requests being answered, so that reading feed items steps aside while any is open.
import { asRequest } from "./request-load.mjs";
import { createRequestQueue } from "./request-queue.mjs";

process.env.NODE_ENV = "production";
const { default: next } = await import("next");

const dir = process.cwd();
const port = Number(process.env.PORT || 3000);
const hostname = process.env.HOSTNAME || undefined;
const graceMs = Number(process.env.SHUTDOWN_GRACE_MS || 10_000);
// Requests worked on at once (scripts/request-queue.mjs); 0 admits every request at once.
const activeRequests = Number(process.env.ACTIVE_REQUESTS ?? 6) || Infinity;
const onPostgres = /^postgres(ql)?:\/\//i.test(process.env.DATABASE_URL ?? "");
const dbFile = path.resolve(process.env.DATABASE_PATH || path.join(dir, "data", "atlas.db"));
// Tells `npm run db:restore` that a server has this SQLite database open (see scripts/db-restore.ts).
const pidFile = onPostgres ? null : `${dbFile}-server.pid`;

// Checked again at start (server/auth/secret.ts); here so the server never listens without it.
if (onPostgres && !process.env.BETTER_AUTH_SECRET) {
  console.error("BETTER_AUTH_SECRET is required on PostgreSQL: see docs/security.md.");
  process.exit(1);
}

const app = next({ dev: false, dir, port, hostname });
const handle = app.getRequestHandler();
await app.prepare();

let stopping = false;
let cut = false;
const queue = createRequestQueue({ active: activeRequests });
const server = http.createServer((req, res) => {
  // Keep-alive connections close after their current answer once we are stopping.
  if (stopping) res.setHeader("Connection", "close");
  queue.admit(req, res, () =>
    asRequest(req, () =>
      handle(req, res).catch((error) => {
        console.error(error);
        if (!res.headersSent) res.writeHead(500).end();
        else res.destroy();
      }),
    ),
  );
});
const sockets = new Set();
server.on("connection", (socket) => {
  sockets.add(socket);
  socket.on("close", () => sockets.delete(socket));
});
server.on("error", (error) => {
  console.error(`Cannot serve on port ${port}: ${error.message}`);
  process.exit(1);
});
server.listen(port, hostname, () => {
  if (pidFile) fs.writeFileSync(pidFile, String(process.pid));
  console.log(`Partnership Atlas on http://${hostname ?? "localhost"}:${port} (pid ${process.pid})`);
  void warmRoutes();
});

// Next loads a route's code on its first request, and the request path itself (proxy, routing,
// auth, rendering) is slow the first time it runs. So right after listening the server asks itself,
// anonymously, for the pages and JSON routes analysts open first. The requests carry a session
// cookie that names no session, so the proxy lets them through to the route: the API answers 401
// and pages send to sign-in (without `?next=`, unlike the proxy) after their code has loaded, the
// database was opened and the session checked. Nothing is read for a user, nothing is written.
const WARM_ROUTES = [
  "/sign-in",
  "/",
  "/deals",
  "/api/deals",
  "/api/stats/summary",
  "/api/stats/deals-over-time",
  "/api/stats/top-companies",
  "/api/stats/technologies",
  "/api/stats/technologies-over-time",
  "/api/stats/deal-types",
  "/api/timeline",
  "/api/network",
];

async function warmRoutes() {
  const started = performance.now();
  const { address } = server.address();
  const host = address === "0.0.0.0" || address === "::" ? "127.0.0.1" : address;
  const origin = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  const answered = [];
  for (const route of WARM_ROUTES) {
    if (stopping) return;
    try {
      const response = await fetch(origin + route, {
        headers: { cookie: "better-auth.session_token=warm-up" },
        redirect: "manual",
      });
      await response.arrayBuffer();
      const location = response.headers.get("location");
      answered.push(`${route} ${response.status}${location ? ` → ${location}` : ""}`);
    } catch (error) {
      console.error(`Warming ${route} failed: ${error.message}`);
    }
  }
  const ms = Math.round(performance.now() - started);
  console.log(`Warmed ${answered.length} routes in ${ms} ms (${answered.join(", ")})`);
}

/**
 * Closes the app's database handle (db/core/index.ts keeps it in a global of this same process): on
 * PostgreSQL its pools; on SQLite after checkpointing the WAL into the database file. A connection
 * of a request that was just cut (an export's reader) may still hold a snapshot for a moment: retry
 * briefly, never block on it.
 */
async function closeDatabase() {
  const db = globalThis.atlasDb;
  if (!db) return true;
  try {
    if (db.internals.engine === "sqlite") {
      const writer = db.internals.writer;
      writer.pragma("busy_timeout = 0");
      for (let attempt = 0; attempt < 20; attempt++) {
        const [result] = writer.pragma("wal_checkpoint(TRUNCATE)");
        if (!result?.busy) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    // better-auth's own SQLite connection (server/auth/principal.ts), open once anyone signed in or
    // the warm-up checked a session.
    globalThis.atlasAuthConnection?.close();
    globalThis.atlasAuthConnection = undefined;
    await db.close();
    globalThis.atlasDb = undefined;
    return true;
  } catch (error) {
    console.error(`Closing the database failed: ${error.message}`);
    return false;
  }
}

async function finish() {
  const closed = await closeDatabase();
  if (pidFile) fs.rmSync(pidFile, { force: true });
  const code = cut || !closed ? 1 : 0;
  console.log(
    cut ? `Stopped; connections still open after ${graceMs / 1000} s were cut.` : "Stopped cleanly.",
  );
  process.exit(code);
}

function stop(signal) {
  if (stopping) {
    // A second signal: do not wait any longer.
    cut = true;
    for (const socket of sockets) socket.destroy();
    return;
  }
  stopping = true;
  console.log(`${signal}: finishing ${sockets.size} open connection(s), at most ${graceMs / 1000} s…`);
  server.close(finish);
  server.closeIdleConnections();
  setTimeout(() => {
    cut = sockets.size > 0;
    for (const socket of sockets) socket.destroy();
  }, graceMs).unref();
}
process.on("SIGTERM", () => stop("SIGTERM"));
process.on("SIGINT", () => stop("SIGINT"));
