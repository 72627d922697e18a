import { createHash } from "node:crypto";
import http from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { startProxy, type Proxy } from "@/bench/proxy";
import { serveLocally } from "./local-server";

// The bench's reverse proxy (bench/proxy.ts) in front of real local HTTP servers: least connections,
// bodies streamed both ways, and a 502 for a server that is not there.

const closing: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (let close = closing.pop(); close; close = closing.pop()) await close();
});

async function serve(handler: http.RequestListener): Promise<number> {
  const server = await serveLocally(handler);
  closing.push(server.close);
  return server.port;
}

async function proxyTo(ports: number[]): Promise<Proxy> {
  const proxy = await startProxy(ports.map((port) => ({ port })));
  closing.push(proxy.close);
  return proxy;
}

describe("bench proxy", () => {
  it("sends each request to the app server with the fewest under way", async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const slow = await serve((_req, res) => void held.then(() => res.end("slow")));
    const fast = await serve((_req, res) => res.end("fast"));
    const proxy = await proxyTo([slow, fast]);
    const first = fetch(`${proxy.url}/a`).then((r) => r.text());
    // The first request is still under way on the slow server: the next two go to the other one.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await (await fetch(`${proxy.url}/b`)).text()).toBe("fast");
    expect(await (await fetch(`${proxy.url}/c`)).text()).toBe("fast");
    release();
    expect(await first).toBe("slow");
    expect(proxy.upstreams.map((u) => [u.served, u.active])).toEqual([
      [1, 0],
      [2, 0],
    ]);
  });

  it("streams a request body in and an answer out, headers and status kept", async () => {
    let finish: () => void = () => undefined;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const port = await serve((req, res) => {
      if (req.method === "POST") {
        const hash = createHash("sha256");
        let bytes = 0;
        req.on("data", (chunk: Buffer) => (hash.update(chunk), (bytes += chunk.length)));
        req.on("end", () =>
          res
            .writeHead(201, { "content-type": "application/json", "set-cookie": ["a=1", "b=2"] })
            .end(
              JSON.stringify({ bytes, sha256: hash.digest("hex"), host: req.headers["x-forwarded-host"] }),
            ),
        );
        return;
      }
      // The first part now, the rest only once the client has read the first: a proxy that buffered
      // the answer would never hand the first part on.
      res.writeHead(200, { "content-type": "text/csv" });
      res.write("first line\n");
      void finished.then(() => res.end("last line\n"));
    });
    const proxy = await proxyTo([port]);

    const body = Buffer.alloc(4 * 1024 * 1024, "x");
    const posted = await fetch(`${proxy.url}/api/deals`, { method: "POST", body });
    expect(posted.status).toBe(201);
    expect(posted.headers.getSetCookie()).toEqual(["a=1", "b=2"]);
    expect(await posted.json()).toEqual({
      bytes: body.length,
      sha256: createHash("sha256").update(body).digest("hex"),
      host: new URL(proxy.url).host,
    });

    const streamed = await fetch(`${proxy.url}/api/export/deals.csv`);
    const reader = streamed.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toBe("first line\n");
    finish();
    let rest = "";
    for (let part = await reader.read(); !part.done; part = await reader.read())
      rest += new TextDecoder().decode(part.value);
    expect(rest).toBe("last line\n");
  });

  it("answers 502 when the app server cannot be reached, and goes on serving", async () => {
    const gone = await serve((_req, res) => res.end());
    await closing.pop()!(); // that server is closed again: its port refuses connections
    const proxy = await proxyTo([gone]);
    const answer = await fetch(`${proxy.url}/`);
    expect(answer.status).toBe(502);
    expect(await answer.text()).toMatch(/^Bad gateway: .*ECONNREFUSED/);
    expect((await fetch(`${proxy.url}/`)).status).toBe(502);
    expect(proxy.upstreams[0]).toMatchObject({ served: 2, failed: 2, active: 0 });
  });
});
