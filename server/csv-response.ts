import "server-only";
import { BOM, csvRow } from "@/lib/csv";
import type { CsvTable } from "@/lib/widgets";

/** About how much text to send per chunk: big enough to be cheap, small enough to stay flat. */
const CHUNK_CHARS = 256 * 1024;

/**
 * Streams CSV text from a generator (sync or async) as UTF-8, a chunk of about 256 kB at a time,
 * pulling only as fast as the client reads. Returning the generator early (the client went away)
 * runs its `finally`, which releases what it holds; `done` runs when the stream ends either way, told whether all of it was sent.
 */
export function csvResponse(
  lines: Iterator<string> | AsyncIterator<string>,
  filename: string,
  options: { bom: boolean; done?: (complete: boolean) => void },
) {
  const encoder = new TextEncoder();
  let finished = false;
  const finish = (complete: boolean) => {
    if (finished) return;
    finished = true;
    options.done?.(complete);
  };
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      if (options.bom) controller.enqueue(encoder.encode(BOM));
    },
    async pull(controller) {
      try {
        let chunk = "";
        while (chunk.length < CHUNK_CHARS) {
          const next = await lines.next();
          if (next.done) {
            if (chunk) controller.enqueue(encoder.encode(chunk));
            controller.close();
            finish(true);
            return;
          }
          chunk += next.value;
        }
        controller.enqueue(encoder.encode(chunk));
      } catch (error) {
        finish(false);
        controller.error(error);
      }
    },
    async cancel() {
      try {
        await lines.return?.(undefined);
      } finally {
        finish(false);
      }
    },
  });
  return new Response(stream, { headers: csvHeaders(filename) });
}

export function csvHeaders(filename: string): HeadersInit {
  return {
    "Content-Type": "text/csv; charset=utf-8",
    "Content-Disposition": `attachment; filename="${filename}"`,
    // no-transform: Next would gzip 55 MB on the fly, costing CPU and memory while streaming.
    "Cache-Control": "no-store, no-transform",
    "X-Content-Type-Options": "nosniff",
  };
}

/**
 * HEAD for a CSV route: the same checks and headers as GET, and nothing opened or computed. Without
 * it Next answers HEAD by running GET and dropping the body, which never ends the stream's work.
 */
export function csvHeadResponse(filename: string) {
  return new Response(null, { headers: csvHeaders(filename) });
}

/** A table's CSV lines, header first. */
export function* csvTableLines({ header, rows }: CsvTable): Generator<string> {
  yield csvRow(header);
  for (const row of rows) yield csvRow(row);
}
