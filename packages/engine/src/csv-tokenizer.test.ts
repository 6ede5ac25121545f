import { parse } from "csv-parse/sync";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CsvTokenizer } from "./csv-tokenizer.js";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The records of `text`, fed to the tokenizer in pieces that end at `cuts` (byte offsets). */
function tokenize(text: string | Uint8Array, cuts: number[] = [], delimiter = ","): string[][] {
  const bytes = typeof text === "string" ? encoder.encode(text) : text;
  const records: string[][] = [];
  const tokenizer = new CsvTokenizer(delimiter, (chunk, starts, ends, escaped, count) => {
    const record: string[] = [];
    for (let i = 0; i < count; i++) {
      const field = decoder.decode(chunk.subarray(starts[i]!, ends[i]!));
      record.push(escaped[i] ? field.replaceAll('""', '"') : field);
    }
    records.push(record);
    return undefined;
  });
  let from = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    // Copies, and the source scribbled over afterwards: the tokenizer must keep what it still needs.
    const piece = bytes.slice(from, Math.max(from, cut));
    tokenizer.push(piece);
    piece.fill(0x21);
    from = Math.max(from, cut);
  }
  tokenizer.push(bytes.slice(from));
  tokenizer.end();
  return records;
}

/** What csv-parse, the reference, reads with the options the loader used with it. */
function reference(text: string, delimiter = ","): string[][] {
  return parse(text, { bom: true, skip_empty_lines: true, delimiter }) as string[][];
}

/** Records, or "error": failures are compared too. */
function outcome(read: () => string[][]): string[][] | string {
  try {
    return read();
  } catch {
    return "error";
  }
}

describe("CsvTokenizer", () => {
  it("reads quoted fields with delimiters, doubled quotes and line breaks, CRLF, a BOM and empty cells", () => {
    const text = '\uFEFFa,b,c\r\n1,"x, ""y""",\r\n2,"multi\nline\r\nend",z\r\n';
    expect(tokenize(text)).toEqual([
      ["a", "b", "c"],
      ["1", 'x, "y"', ""],
      ["2", "multi\nline\r\nend", "z"],
    ]);
  });

  it("takes the first line break as the file's: LF, CRLF or CR, the others being data", () => {
    expect(tokenize("a,b\n1,2\r\n")).toEqual([
      ["a", "b"],
      ["1", "2\r"],
    ]);
    expect(tokenize("a,b\r\n1,x\ny\r\n")).toEqual([
      ["a", "b"],
      ["1", "x\ny"],
    ]);
    expect(tokenize("a,b\r1,x\ny\r")).toEqual([
      ["a", "b"],
      ["1", "x\ny"],
    ]);
  });

  it("skips empty lines but not a line holding an empty quoted field, and reads a last line without a break", () => {
    expect(tokenize("a\n\n1\n\n\n2")).toEqual([["a"], ["1"], ["2"]]);
    expect(tokenize('a\n""\n2\n')).toEqual([["a"], [""], ["2"]]);
    expect(tokenize("a,b\n1,\n")).toEqual([
      ["a", "b"],
      ["1", ""],
    ]);
    expect(tokenize("a\r1\r2")).toEqual([["a"], ["1"], ["2"]]);
  });

  it("reads tabs as the delimiter for TSV", () => {
    expect(tokenize("a\tb\n1,5\t2\n", [], "\t")).toEqual([
      ["a", "b"],
      ["1,5", "2"],
    ]);
  });

  it("refuses what csv-parse refuses, naming the line", () => {
    expect(() => tokenize("a,b\n1,2\n3\n")).toThrow(
      /Invalid Record Length: expect 2 fields, got 1 on line 3/,
    );
    expect(() => tokenize('a,b\n1,x"y\n')).toThrow(/Invalid Opening Quote: .* line 2/);
    expect(() => tokenize('a,b\n1,"x"y\n')).toThrow(/Invalid Closing Quote: .* line 2/);
    expect(() => tokenize('a,b\n1,"x\n2,3\n')).toThrow(/Quote Not Closed: .* line 2/);
  });

  it("gives the same records for every way of cutting the bytes into chunks", () => {
    const text = '\uFEFFid,"na""me"\r\n1,"a\r\nb"\r\n\r\n2,\r\n3,"é, ü"\r\n';
    const whole = tokenize(text);
    const bytes = encoder.encode(text);
    for (let a = 0; a <= bytes.length; a++) {
      expect(tokenize(bytes, [a])).toEqual(whole);
      for (let b = a; b <= bytes.length; b += 3) expect(tokenize(bytes, [a, b])).toEqual(whole);
    }
    const oneByteAtATime = Array.from({ length: bytes.length }, (_, i) => i);
    expect(tokenize(bytes, oneByteAtATime)).toEqual(whole);
  });

  it("stops when the handler returns false", () => {
    const records: number[] = [];
    const tokenizer = new CsvTokenizer(",", (_bytes, _starts, _ends, _escaped, count) => {
      records.push(count);
      return false;
    });
    tokenizer.push(encoder.encode("a,b\n1,2\n3\n"));
    tokenizer.end();
    expect(records).toEqual([2]);
  });

  it("reads any CSV as csv-parse does, or fails where it fails, whatever the chunks", () => {
    const cell = fc.oneof(
      fc.stringMatching(/^[a-z0-9 .é-]{0,6}$/),
      fc
        .string({ unit: fc.constantFrom("a", ",", '"', "\n", "\r", " ", "ü"), maxLength: 6 })
        .map((s) => `"${s.replaceAll('"', '""')}"`),
    );
    const csv = fc
      .record({
        width: fc.integer({ min: 1, max: 4 }),
        rows: fc.array(fc.array(cell, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 6 }),
        lineBreak: fc.constantFrom("\n", "\r\n", "\r"),
        bom: fc.boolean(),
        ragged: fc.boolean(),
        trailingBreak: fc.boolean(),
      })
      .map(({ width, rows, lineBreak, bom, ragged, trailingBreak }) => {
        const lines = rows.map((row) =>
          ragged ? row : Array.from({ length: width }, (_, i) => row[i] ?? ""),
        );
        return (
          (bom ? "\uFEFF" : "") +
          lines.map((l) => l.join(",")).join(lineBreak) +
          (trailingBreak ? lineBreak : "")
        );
      });
    // Also text that is not well-formed CSV: both must fail, or agree.
    const noise = fc.string({ unit: fc.constantFrom("a", "b", ",", '"', "\n", "\r", " "), maxLength: 30 });
    fc.assert(
      fc.property(fc.oneof(csv, noise), fc.array(fc.nat({ max: 120 }), { maxLength: 4 }), (text, cuts) => {
        expect(outcome(() => tokenize(text, cuts))).toEqual(outcome(() => reference(text)));
      }),
      { numRuns: 3000 },
    );
  });
});
