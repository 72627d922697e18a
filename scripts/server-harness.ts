import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import net from "node:net";
import path from "node:path";
import Database from "better-sqlite3";

// Drives the real production server (scripts/serve.mjs on the built app) from tests and scripts:
// prepare a database, start, stop, kill, and write deals through the API from several clients.
// Plain Node and the app's own scripts only, so Playwright specs and tsx scripts can both use it.

const root = path.resolve(__dirname, "..");

/** The environment that points the app's scripts and server at a SQLite file or a PostgreSQL URL. */
export function databaseEnv(target: string): Record<string, string> {
  return /^postgres(ql)?:\/\//i.test(target)
    ? { DATABASE_URL: target }
    : { DATABASE_PATH: target, DATABASE_URL: "" };
}

/**
 * Migrates and seeds a database (a SQLite file or a PostgreSQL URL: the real deals, plus `demo`
 * generated ones) and makes an editor token, through the app's own scripts.
 */
export function prepareDatabase(target: string, options: { demo?: number } = {}): string {
  const tsx = path.join(root, "node_modules", ".bin", "tsx");
  const env = { ...process.env, ...databaseEnv(target) };
  const args = ["--conditions=react-server", "db/ops/seed-cli.ts"];
  if (options.demo) args.push("--demo", String(options.demo));
  const seeded = spawnSync(tsx, args, { cwd: root, env, encoding: "utf8" });
  if (seeded.status !== 0) throw new Error(`Seeding failed: ${seeded.stderr}`);
  const token = spawnSync(
    tsx,
    ["--conditions=react-server", "scripts/token-create.ts", "--name", "harness", "--role", "editor"],
    { cwd: root, env, encoding: "utf8" },
  );
  if (token.status !== 0) throw new Error(`Creating a token failed: ${token.stderr}`);
  return token.stdout.trim();
}

export type Server = {
  child: ChildProcess;
  pid: number;
  exited: Promise<number | null>;
  output: () => string;
};

/** Starts `node scripts/serve.mjs` (or another command) and resolves once it answers. */
export async function startServer(options: {
  port: number;
  databasePath: string;
  command?: string[];
  env?: Record<string, string>;
  timeoutMs?: number;
}): Promise<Server> {
  const [cmd, ...args] = options.command ?? [process.execPath, "scripts/serve.mjs"];
  const child = spawn(cmd!, args, {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(options.port),
      ...databaseEnv(options.databasePath),
      NEXT_TELEMETRY_DISABLED: "1",
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (c) => (output += c));
  child.stderr!.on("data", (c) => (output += c));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  let gone = false;
  void exited.then(() => (gone = true));
  while (Date.now() < deadline && !gone) {
    try {
      const response = await fetch(`http://127.0.0.1:${options.port}/sign-in`, { redirect: "manual" });
      await response.arrayBuffer();
      if (response.status < 500) return { child, pid: child.pid!, exited, output: () => output };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill("SIGKILL");
  throw new Error(`The server did not start on port ${options.port}:\n${output}`);
}

/** True when nothing accepts connections on the port. */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(true));
  });
}

/** Whether a process with this pid still exists (a zombie counts as gone). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const state = spawnSync("ps", ["-o", "stat=", "-p", String(pid)], { encoding: "utf8" }).stdout.trim();
  return state !== "" && !state.startsWith("Z");
}

/** A deal whose every field the check can compare; `tag` makes it unique. */
export function dealBody(tag: string) {
  return {
    title: `Reliability ${tag}`,
    announcedOn: "2024-06-01",
    types: ["joint_venture"],
    binding: "binding",
    status: "announced",
    summary: `Written by the reliability run, ${tag}. `.repeat(8),
    parties: [
      { company: `Crash Alpha ${tag}`, role: "partner" },
      { company: `Crash Beta ${tag.split("-")[0]}`, role: "partner" },
    ],
    technologies: ["5G"],
    sources: [{ url: `https://example.org/reliability/${tag}` }],
  };
}

export type CrashFigures = {
  cycles: number;
  attempted: number;
  acknowledged: number;
  retried: number;
  replayed: number;
  lost: number;
  wrong: number;
  duplicated: number;
  integrity: string;
  foreignKeyProblems: number;
  ms: number;
};

/**
 * Kills the server with SIGKILL `cycles` times while `clients` clients write deals through the API,
 * restarting it each time; requests that got no answer are retried after the restart with the same
 * Idempotency-Key. Then checks the file: integrity, foreign keys, and that every acknowledged (201)
 * deal is there with its content, once.
 */
export async function crashCycles(options: {
  databasePath: string;
  token: string;
  port: number;
  cycles: number;
  clients: number;
  log?: (line: string) => void;
}): Promise<CrashFigures> {
  const started = performance.now();
  const base = `http://127.0.0.1:${options.port}`;
  const acked = new Map<string, { id: number; body: ReturnType<typeof dealBody> }>();
  let unanswered: string[] = [];
  let attempted = 0;
  let retried = 0;
  let replayed = 0;
  let sequence = 0;

  async function send(tag: string): Promise<boolean> {
    attempted++;
    const body = dealBody(tag);
    try {
      const response = await fetch(`${base}/api/deals`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          authorization: `Bearer ${options.token}`,
          "idempotency-key": `reliability-${tag}`,
        },
        body: JSON.stringify(body),
      });
      const answer = (await response.json()) as { id: number };
      if (response.status !== 201) throw new Error(`POST /api/deals answered ${response.status}`);
      if (response.headers.get("idempotent-replayed")) replayed++;
      acked.set(tag, { id: answer.id, body });
      return true;
    } catch (error) {
      if (error instanceof Error && error.message.startsWith("POST")) throw error;
      unanswered.push(tag); // the server died under this request: it may or may not have committed
      return false;
    }
  }

  for (let cycle = 1; cycle <= options.cycles; cycle++) {
    const server = await startServer({ port: options.port, databasePath: options.databasePath });
    const retry = unanswered;
    unanswered = [];
    retried += retry.length;
    for (const tag of retry) await send(tag);
    let killed = false;
    const clients = Array.from({ length: options.clients }, async (_, client) => {
      while (!killed) {
        if (!(await send(`${cycle}-${client}-${++sequence}`))) return;
      }
    });
    await new Promise((r) => setTimeout(r, 400 + Math.random() * 1200));
    killed = true;
    server.child.kill("SIGKILL");
    await server.exited;
    await Promise.all(clients);
    options.log?.(
      `cycle ${cycle}: ${acked.size} acknowledged so far, ${unanswered.length} unanswered at the kill`,
    );
  }
  // One last start: recovery of the last kill, and the retries of what it cut off.
  const server = await startServer({ port: options.port, databasePath: options.databasePath });
  retried += unanswered.length;
  for (const tag of unanswered.splice(0)) await send(tag);
  server.child.kill("SIGTERM");
  await server.exited;

  const db = new Database(options.databasePath, { readonly: true });
  try {
    const integrity = db.pragma("integrity_check", { simple: true }) as string;
    const foreignKeyProblems = (db.pragma("foreign_key_check") as unknown[]).length;
    const deal = db.prepare(
      "SELECT title, summary, announced_on AS announcedOn, binding FROM deals WHERE id = ?",
    );
    const parties = db
      .prepare(
        "SELECT c.name FROM deal_parties p JOIN companies c ON c.id = p.company_id WHERE p.deal_id = ? ORDER BY p.position",
      )
      .pluck();
    const copies = db.prepare("SELECT count(*) FROM deals WHERE title = ?").pluck();
    let lost = 0;
    let wrong = 0;
    let duplicated = 0;
    for (const { id, body } of acked.values()) {
      const row = deal.get(id) as
        { title: string; summary: string; announcedOn: string; binding: string } | undefined;
      if (!row) {
        lost++;
        continue;
      }
      const same =
        row.title === body.title &&
        row.summary === body.summary.trim() &&
        row.announcedOn === body.announcedOn &&
        row.binding === body.binding &&
        JSON.stringify(parties.all(id)) === JSON.stringify(body.parties.map((p) => p.company));
      if (!same) wrong++;
      if ((copies.get(body.title) as number) !== 1) duplicated++;
    }
    return {
      cycles: options.cycles,
      attempted,
      acknowledged: acked.size,
      retried,
      replayed,
      lost,
      wrong,
      duplicated,
      integrity,
      foreignKeyProblems,
      ms: performance.now() - started,
    };
  } finally {
    db.close();
  }
}
