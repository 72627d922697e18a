import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";

// A PostgreSQL server that lives as long as a test run: initdb in a temporary folder, a free port on
// loopback, its socket in that folder, removed by stop(). initdb and postgres refuse to run as root,
// so as root they run as the `postgres` user (`runuser`) on folders it owns. With `replica: true` a
// streaming replica is made from it with pg_basebackup (issue 9's read-replica tests).

export interface Throwaway {
  /** Superuser URL of the primary, database `postgres`. */
  url: string;
  port: number;
  /** URL of the same server for another database. */
  urlFor(database: string): string;
  replica?: { url: string; port: number; urlFor(database: string): string };
  stop(): Promise<void>;
}

export function postgresBin(): string {
  const candidates = [process.env.PG_BIN, "/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/16/bin"];
  for (const dir of candidates) if (dir && fs.existsSync(path.join(dir, "initdb"))) return dir;
  try {
    return path.dirname(execFileSync("which", ["initdb"], { encoding: "utf8" }).trim());
  } catch {
    throw new Error("PostgreSQL is not installed: apt-get install -y postgresql (or set PG_BIN)");
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const asRoot = process.getuid?.() === 0;

function run(bin: string, args: string[]) {
  const [cmd, argv] = asRoot ? ["runuser", ["-u", "postgres", "--", bin, ...args]] : [bin, args];
  execFileSync(cmd, argv, { stdio: ["ignore", "ignore", "pipe"] });
}

function spawnServer(bin: string, dataDir: string, port: number, socketDir: string): ChildProcess {
  const args = [
    "-D",
    dataDir,
    "-p",
    String(port),
    "-k",
    socketDir,
    "-c",
    "listen_addresses=127.0.0.1",
    // A test server: durability off, enough connections for parallel test files and two app servers.
    "-c",
    "fsync=off",
    "-c",
    "synchronous_commit=off",
    "-c",
    "full_page_writes=off",
    "-c",
    "max_connections=300",
    "-c",
    "shared_buffers=256MB",
  ];
  const [cmd, argv] = asRoot ? ["runuser", ["-u", "postgres", "--", bin, ...args]] : [bin, args];
  const child = spawn(cmd, argv, { stdio: ["ignore", "ignore", "pipe"], detached: false });
  let log = "";
  child.stderr!.on("data", (d: Buffer) => (log = (log + d.toString()).slice(-4000)));
  child.on("exit", (code) => {
    if (code && code !== 0) process.stderr.write(`postgres on ${port} exited ${code}:\n${log}\n`);
  });
  return child;
}

async function waitReady(url: string, child: ChildProcess) {
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`postgres exited with ${child.exitCode}`);
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.query("SELECT 1");
      await client.end();
      return;
    } catch {
      await client.end().catch(() => undefined);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error("postgres did not start in 30 s");
}

function stopServer(child: ChildProcess, dataDir: string): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once("exit", () => resolve());
    // Signal postgres itself (runuser does not pass SIGINT on): SIGINT is its fast shutdown.
    let pid = child.pid!;
    try {
      pid = Number(fs.readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
    } catch {
      // not written yet: the wrapper's pid will do
    }
    process.kill(pid, "SIGINT");
    setTimeout(() => child.kill("SIGKILL"), 10_000).unref();
  });
}

export async function startThrowawayPostgres(options: { replica?: boolean } = {}): Promise<Throwaway> {
  const bin = postgresBin();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "atlas-pg-"));
  fs.chmodSync(root, 0o755);
  const dataDir = path.join(root, "primary");
  const socketDir = path.join(root, "socket");
  fs.mkdirSync(dataDir, { mode: 0o700 });
  fs.mkdirSync(socketDir);
  if (asRoot) execFileSync("chown", ["-R", "postgres:postgres", root]);
  run(path.join(bin, "initdb"), [
    "-D",
    dataDir,
    "-U",
    "postgres",
    "--auth=trust",
    "--encoding=UTF8",
    "--locale=C.UTF-8",
    // A linguistic default collation, as production clusters have (en_US.UTF-8 and the like), so
    // the tests prove that lists sort the same as on SQLite anyway (db/schema/pg.ts sortedText).
    "--locale-provider=icu",
    "--icu-locale=en-US",
  ]);
  fs.appendFileSync(
    path.join(dataDir, "pg_hba.conf"),
    "host replication all 127.0.0.1/32 trust\n",
  );
  if (asRoot) execFileSync("chown", ["postgres:postgres", path.join(dataDir, "pg_hba.conf")]);
  const port = await freePort();
  const urlFor = (p: number) => (database: string) => `postgres://postgres@127.0.0.1:${p}/${database}`;
  const primary = spawnServer(path.join(bin, "postgres"), dataDir, port, socketDir);
  const children: [ChildProcess, string][] = [[primary, dataDir]];
  const stop = async () => {
    for (const [child, dir] of children.reverse()) await stopServer(child, dir);
    fs.rmSync(root, { recursive: true, force: true });
  };
  try {
    await waitReady(urlFor(port)("postgres"), primary);
    let replica: Throwaway["replica"];
    if (options.replica) {
      const replicaDir = path.join(root, "replica");
      run(path.join(bin, "pg_basebackup"), [
        "-h",
        "127.0.0.1",
        "-p",
        String(port),
        "-U",
        "postgres",
        "-D",
        replicaDir,
        "-R", // writes standby.signal and primary_conninfo: a streaming replica
        "-X",
        "stream",
      ]);
      const replicaPort = await freePort();
      const child = spawnServer(path.join(bin, "postgres"), replicaDir, replicaPort, socketDir);
      children.push([child, replicaDir]);
      await waitReady(urlFor(replicaPort)("postgres"), child);
      replica = { url: urlFor(replicaPort)("postgres"), port: replicaPort, urlFor: urlFor(replicaPort) };
    }
    return { url: urlFor(port)("postgres"), port, urlFor: urlFor(port), replica, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Runs statements as the superuser on the given URL. */
export async function adminQuery(url: string, ...statements: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const s of statements) await client.query(s);
  } finally {
    await client.end();
  }
}
