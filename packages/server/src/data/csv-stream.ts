import { csvLine, type ExportCell } from "@portico/engine";

/** Characters gathered before a chunk is handed to the socket: few writes, bounded memory. */
export const CSV_CHUNK_CHARS = 64 * 1024;

/**
 * A CSV document (RFC 4180 quoting, CRLF, formula-looking text neutralised by the engine's `csvLine`)
 * produced row by row as the client reads: the whole text never exists in memory, and a client that
 * goes away stops the generator.
 */
export function csvStream(rows: Iterator<readonly ExportCell[]>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        let chunk = "";
        while (chunk.length < CSV_CHUNK_CHARS) {
          const next = rows.next();
          if (next.done) {
            if (chunk !== "") controller.enqueue(encoder.encode(chunk));
            controller.close();
            return;
          }
          chunk += csvLine(next.value);
        }
        controller.enqueue(encoder.encode(chunk));
      },
      cancel() {
        rows.return?.(undefined);
      },
    },
    { highWaterMark: 1 },
  );
}
