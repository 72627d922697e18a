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

process.env.NODE_ENV = "production";
const { default: next } = await import("next");

const dir = process.cwd();
const port = Number(process.env.PORT || 3000);
const hostname = process.env.HOSTNAME || undefined;
const graceMs = Number(process.env.SHUTDOWN_GRACE_MS || 10_000);
const onPostgres = /^postgres(ql)?:\/\//i.test(process.env.DATABASE_URL ?? "");
const dbFile = path.resolve(process.env.DATABASE_PATH || path.join(dir, "data", "atlas.db"));
// Tells `npm run db:restore` that a server has this SQLite database open (see scripts/db-restore.ts).
const pidFile = onPostgres ? null : `${dbFile}-server.pid`;

const app = next({ dev: false, dir, port, hostname });
const handle = app.getRequestHandler();
await app.prepare();

let stopping = false;
let cut = false;
const server = http.createServer((req, res) => {
  // Keep-alive connections close after their current answer once we are stopping.
  if (stopping) res.setHeader("Connection", "close");
  handle(req, res).catch((error) => {
    console.error(error);
    if (!res.headersSent) res.writeHead(500).end();
    else res.destroy();
  });
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
});

/**
 * Closes the app's database handle (db/index.ts keeps it in a global of this same process): on
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
