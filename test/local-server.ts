import http from "node:http";
import type { AddressInfo } from "node:net";

/** A real HTTP server on a free loopback port; `close` ends it with every connection it still has. */
export async function serveLocally(handler: http.RequestListener) {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return { port: (server.address() as AddressInfo).port, close };
}
