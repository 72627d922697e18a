// Loaded before the server (scripts/serve.mjs) creates its HTTP server: runs a listener first on
// every request of every HTTP(S) server created afterwards, before Next sees the request.
import http from "node:http";
import https from "node:https";

/** Runs `listener(req, res)` before any other listener of every server created from now on. */
export function onEveryRequest(listener) {
  for (const mod of [http, https]) {
    const create = mod.createServer;
    mod.createServer = function createServer(...args) {
      const server = create.apply(this, args);
      server.prependListener("request", listener);
      return server;
    };
  }
}
