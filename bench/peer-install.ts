import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

// Directus 12 for `npm run bench -- --peer directus`, installed on demand OUTSIDE the repository (never
// a dependency of Atlas) under the system's temporary folder and kept there between runs:
// - Directus 12 requires Node >= 22 while Atlas runs on Node 20: the npm package `node-<os>-<arch>`
//   ships the official Node binary and its C headers, so Directus runs on that binary;
// - its native modules (isolated-vm, sqlite3, …) fetch prebuilt binaries from GitHub, which may be out
//   of reach: npm then compiles them against those headers (`npm_config_nodedir`), a few minutes once.
// Whatever goes wrong ends in a PeerUnavailable with npm's own words, never a stack.

/** 12.4.1 names @directus/app 18.0.1, which the registry did not hold when this was written. */
export const DIRECTUS_VERSION = process.env.BENCH_DIRECTUS_VERSION ?? "12.4.0";
const NODE_VERSION = "22.23.5";

export class PeerUnavailable extends Error {}

export type DirectusInstall = {
  /** The Node 22 binary Directus runs on. */
  node: string;
  /** Directus's command-line entry (bootstrap, start), run with `node`. */
  cli: string;
  /** The installed folder, whose node_modules holds Directus's database drivers. */
  dir: string;
  version: string;
};

export const peerRoot = () => process.env.BENCH_PEER_DIR ?? path.join(os.tmpdir(), "atlas-bench-peer");

/** `npm install` into `dir` (a folder of its own with a package.json), its output kept in a log file. */
function npmInstall(dir: string, spec: string, env: NodeJS.ProcessEnv, what: string) {
  fs.mkdirSync(dir, { recursive: true });
  const manifest = path.join(dir, "package.json");
  if (!fs.existsSync(manifest))
    fs.writeFileSync(manifest, JSON.stringify({ name: "atlas-bench-peer", private: true }, null, 2));
  const log = path.join(dir, "install.log");
  console.log(`Installing ${what} (${spec}) into ${dir}; npm's output goes to ${log}…`);
  const result = spawnSync(
    "npm",
    ["install", "--no-audit", "--no-fund", "--save-exact", "--loglevel", "warn", spec],
    { cwd: dir, env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
  );
  fs.writeFileSync(log, `${result.stdout ?? ""}\n${result.stderr ?? ""}`);
  if (result.error) throw new PeerUnavailable(`${what}: npm could not run: ${result.error.message}`);
  if (result.status !== 0) {
    const errors = `${result.stderr}`
      .split("\n")
      .filter((line) => line.startsWith("npm error"))
      .slice(0, 8)
      .join("\n  ");
    throw new PeerUnavailable(
      `${what} could not be installed (npm exit ${result.status}):\n  ${errors || "see the log"}\n  full log: ${log}`,
    );
  }
}

/** Node 22 from the npm registry (the package holding the official binary and headers). */
function installNode(root: string): string {
  const pkg = `node-${process.platform}-${process.arch}`;
  const dir = path.join(root, `node-${NODE_VERSION}`);
  const home = path.join(dir, "node_modules", pkg);
  const binary = path.join(home, "bin", "node");
  if (!fs.existsSync(binary)) npmInstall(dir, `${pkg}@${NODE_VERSION}`, process.env, `Node ${NODE_VERSION}`);
  const version = spawnSync(binary, ["--version"], { encoding: "utf8" });
  if (version.status !== 0)
    throw new PeerUnavailable(
      `The Node ${NODE_VERSION} binary from npm (${binary}) does not run here: ${version.error?.message ?? version.stderr}`,
    );
  return binary;
}

/** Node 22 and Directus, installed when missing; the cached copy otherwise. */
export function installDirectus(): DirectusInstall {
  const root = peerRoot();
  const node = installNode(root);
  const nodeHome = path.dirname(path.dirname(node));
  const dir = path.join(root, `directus-${DIRECTUS_VERSION}`);
  const cli = path.join(dir, "node_modules", "directus", "cli.js");
  // Written last: a half-finished install (interrupted, failed) is redone, not trusted.
  const done = path.join(dir, ".installed");
  if (!fs.existsSync(done)) {
    // npm and node-gyp run on Node 22, so native modules are built for the binary that loads them.
    npmInstall(
      dir,
      `directus@${DIRECTUS_VERSION}`,
      { ...process.env, PATH: `${path.dirname(node)}:${process.env.PATH}`, npm_config_nodedir: nodeHome },
      `Directus ${DIRECTUS_VERSION}`,
    );
    if (!fs.existsSync(cli))
      throw new PeerUnavailable(`Directus installed without its command-line entry ${cli}`);
    fs.writeFileSync(done, new Date().toISOString());
  }
  return { node, cli, dir, version: DIRECTUS_VERSION };
}

/** Whether a module of the Directus install loads on its Node (a native driver built for it). */
export function loads(install: DirectusInstall, module: string): boolean {
  const probe = spawnSync(install.node, ["-e", `require(${JSON.stringify(module)})`], {
    cwd: install.dir,
    encoding: "utf8",
  });
  return probe.status === 0;
}
