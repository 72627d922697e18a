import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { adminQuery, startThrowawayPostgres } from "./pg/throwaway";

// `npm run test:pg`: the unit and e2e suites against a throwaway PostgreSQL this script starts
// itself (scripts/pg/throwaway.ts) and removes at the end, so no developer has to set one up.
// `npm run test:pg -- unit` or `-- e2e` runs one of the two; other arguments go to that runner.

const [which = "all", ...rest] = process.argv.slice(2);

function run(command: string, args: string[], env: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: "inherit", env: { ...process.env, ...env } });
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

async function main() {
  const server = await startThrowawayPostgres();
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await server.stop();
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const)
    process.on(signal, () => void stop().then(() => process.exit(130)));

  let failed = 0;
  try {
    console.log(`PostgreSQL for this run: ${server.url}`);
    // PostgreSQL requires the session secret from the environment: a random one per run, inherited by
    // the unit tests, the e2e web server and every server a spec starts itself.
    process.env.BETTER_AUTH_SECRET ??= randomBytes(32).toString("base64url");
    if (which === "all" || which === "unit") {
      failed =
        (await run("npx", ["vitest", "run", ...(which === "unit" ? rest : [])], {
          TEST_PG_URL: server.url,
          DATABASE_URL: "",
          TEST_REPORT_SUFFIX: "-pg",
        })) || failed;
    }
    // The e2e suite runs even when a unit test failed: CI reports both.
    if (which === "all" || which === "e2e") {
      await adminQuery(server.url, "CREATE DATABASE atlas_e2e");
      failed =
        (await run("npx", ["playwright", "test", ...(which === "e2e" ? rest : [])], {
          E2E_DATABASE_URL: server.urlFor("atlas_e2e"),
          E2E_PG_ADMIN_URL: server.url,
          TEST_REPORT_SUFFIX: "-pg",
        })) || failed;
    }
  } finally {
    await stop();
  }
  process.exit(failed);
}

void main();
