import fs from "node:fs";
import os from "node:os";
import path from "node:path";

// A temporary folder for a test run's databases and backups, removed when the process that made it
// exits (test runners kill the servers they started before that), so runs leave nothing in /tmp.
const made: string[] = [];

function removeAll() {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
}

export function tempDir(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `atlas-${name}-`));
  if (made.length === 0) process.once("exit", removeAll);
  made.push(dir);
  return dir;
}
