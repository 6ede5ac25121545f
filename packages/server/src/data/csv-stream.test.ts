import type { ExportCell } from "@portico/engine";
import { describe, expect, it } from "vitest";
import { CSV_CHUNK_CHARS, csvStream } from "./csv-stream.js";

async function readAll(stream: ReadableStream<Uint8Array>): Promise<{ text: string; chunks: number }> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let text = "";
  let chunks = 0;
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    chunks++;
    text += decoder.decode(next.value, { stream: true });
  }
  return { text: text + decoder.decode(), chunks };
}

describe("csvStream", () => {
  it("writes RFC 4180 records: quotes around commas, quotes and line breaks; CRLF; empty nulls", async () => {
    const rows: ExportCell[][] = [
      ["Name", "Note", "Value"],
      ["Smith, John", 'say "hi"', 1.5],
      ["two\nlines", "cr\rhere", null],
      ["=1+2", "+cmd", -3],
      ["@SUM(A1)", "-x", 0],
      ["plain", "", 1e21],
    ];
    const { text } = await readAll(csvStream(rows[Symbol.iterator]()));
    expect(text).toBe(
      [
        "Name,Note,Value",
        '"Smith, John","say ""hi""",1.5',
        '"two\nlines","cr\rhere",',
        "'=1+2,'+cmd,-3",
        "'@SUM(A1),'-x,0",
        "plain,,1e+21",
        "",
      ].join("\r\n"),
    );
  });

  it("hands out bounded chunks and reads the rows only as the client reads", async () => {
    let produced = 0;
    let finished = false;
    function* rows(): Generator<ExportCell[]> {
      try {
        for (let i = 0; i < 50_000; i++) {
          produced++;
          yield [`row ${i}`, i];
        }
      } finally {
        finished = true;
      }
    }
    const reader = csvStream(rows()).getReader();
    const first = await reader.read();
    expect(first.done).toBe(false);
    expect(first.value!.length).toBeLessThanOrEqual(CSV_CHUNK_CHARS + 64);
    // Only what the first chunks needed was produced, not all 50,000 rows.
    expect(produced).toBeLessThan(50_000);
    await reader.cancel();
    // A client that goes away stops the generator.
    expect(finished).toBe(true);
    expect(produced).toBeLessThan(50_000);
  });

  it("streams a large export in many chunks that add up to the whole document", async () => {
    const rows = function* (): Generator<ExportCell[]> {
      yield ["Id", "Label"];
      for (let i = 0; i < 20_000; i++) yield [i, `label, ${i}`];
    };
    const { text, chunks } = await readAll(csvStream(rows()));
    expect(chunks).toBeGreaterThan(5);
    const lines = text.split("\r\n");
    expect(lines.length).toBe(20_002);
    expect(lines[1]).toBe('0,"label, 0"');
    expect(lines[20_000]).toBe('19999,"label, 19999"');
  });
});
