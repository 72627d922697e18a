import "server-only";
import { handle } from "@/server/api";

// Long requests (a large CSV import) can report progress: a client that sends
// `Accept: application/x-ndjson` gets one JSON line per step, `{"progress": {...}}`, and a last line
// `{"status": 200, "body": {...}}` with what the plain JSON answer would have been. Other clients get
// the plain answer, unchanged.

export const PROGRESS_TYPE = "application/x-ndjson";

export async function withProgress<P>(
  request: Request,
  work: (onProgress?: (progress: P) => void) => Promise<Response>,
): Promise<Response> {
  if (!(request.headers.get("accept") ?? "").includes(PROGRESS_TYPE)) return handle(() => work());
  const encoder = new TextEncoder();
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  const writer = writable.getWriter();
  const send = (value: unknown) => writer.write(encoder.encode(`${JSON.stringify(value)}\n`)).catch(() => {});
  void (async () => {
    const response = await handle(() => work((progress) => void send({ progress })));
    const text = await response.text();
    await send({ status: response.status, body: text ? JSON.parse(text) : null });
    await writer.close().catch(() => {});
  })();
  return new Response(readable, {
    headers: { "Content-Type": `${PROGRESS_TYPE}; charset=utf-8`, "Cache-Control": "no-store, no-transform" },
  });
}
