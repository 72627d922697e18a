import { spawn } from "node:child_process";
import fs from "node:fs";
import { onCleanup, ownChild, runCase, runToEnd } from "@/bench/guard";
import { printSummary, record, recordExtra, writeResults } from "@/bench/record";

// A bench in miniature for test/bench-guard.test.ts: a stand-in server (a tiny HTTP server in a
// child process), a folder to remove, three cases (one throws, one outlasts its timeout, one
// measures), then the way the run ends: `end` (normally), `throw`, `reject` (an unhandled rejection)
// or `signal` (a fourth case waits for SIGTERM). Usage: bench-guard-child.ts JSON_FILE FOLDER END

const [jsonFile, folder, ending] = process.argv.slice(2);

void runToEnd(
  async () => {
    fs.mkdirSync(folder!, { recursive: true });
    onCleanup("the folder", () => fs.rmSync(folder!, { recursive: true, force: true }));
    const server = ownChild(
      "the stand-in server",
      spawn(
        process.execPath,
        ["-e", "require('node:http').createServer((q, s) => s.end('ok')).listen(0, '127.0.0.1')"],
        { stdio: "ignore" },
      ),
      2000,
    );
    recordExtra("server_pid", server.pid);
    console.log(`stand-in ${server.pid}, bench ${process.pid}`);
    await runCase("http", "a case that throws", () => Promise.reject(new Error("the server answered 500")));
    await runCase("http", "a case that hangs", () => new Promise(() => undefined), 200);
    await runCase("http", "a case after them", async () => {
      record({ group: "http", name: "a case after them", median_ms: 1.5 });
    });
    if (ending === "throw") throw new Error("the generation failed");
    if (ending === "reject") {
      void Promise.reject(new Error("nobody awaited this"));
      await new Promise(() => undefined);
    }
    if (ending === "signal")
      await runCase("http", "a case under way", () => {
        console.log("waiting for a signal");
        return new Promise(() => undefined);
      });
  },
  (interruption) => {
    printSummary(interruption);
    writeResults(jsonFile!, { engine: "sqlite", deals: 0 });
  },
);
