import { open } from "node:fs/promises";
import { ByteDictionary } from "./byte-dictionary.js";
import { CsvTokenizer } from "./csv-tokenizer.js";
import { RawTable } from "./raw-table.js";

/**
 * Bytes read and coded at a time. Each chunk is tokenized and coded in one go, so this bounds how long
 * the event loop waits for a load (a few milliseconds), while keeping the per-chunk overhead small.
 */
const CHUNK_BYTES = 256 * 1024;
/** Rows the columns first have room for; they double as the file goes on. */
const FIRST_ROWS = 1 << 16;

// A value's leading U+FEFF is data, not a byte-order mark for TextDecoder to drop.
const utf8 = new TextDecoder("utf-8", { ignoreBOM: true });

/**
 * Reads a CSV (or TSV, with `delimiter` a tab) file into a raw table without making a string per cell:
 * the file is streamed in chunks, split into fields as bytes (`CsvTokenizer`), and each cell is coded
 * by its bytes in its column's dictionary (`ByteDictionary`), which makes a string only for a value it
 * has not met. The first record names the columns, which `header` checks (and may reject by throwing).
 * Undefined when the file holds no record at all. Syntax errors are `Error`s that name the line.
 */
export async function readCsv(
  path: string,
  delimiter: string,
  table: string,
  header: (names: string[]) => string[],
): Promise<RawTable | undefined> {
  let raw: RawTable | undefined;
  let dictionaries: ByteDictionary[] = [];
  let capacity = 0;
  let row = 0;
  const tokenizer = new CsvTokenizer(delimiter, (bytes, starts, ends, escaped, count) => {
    if (!raw) {
      raw = new RawTable(table, header(fieldTexts(bytes, starts, ends, escaped, count)));
      dictionaries = raw.fieldNames.map(() => new ByteDictionary());
      capacity = FIRST_ROWS;
      raw.reserve(capacity);
      return;
    }
    if (row === capacity) {
      capacity *= 2;
      raw.reserve(capacity);
    }
    const codes = raw.codes;
    for (let c = 0; c < count; c++) {
      const dictionary = dictionaries[c]!;
      codes[c]![row] = escaped[c]
        ? dictionary.codeOfEscaped(bytes, starts[c]!, ends[c]!)
        : dictionary.codeOf(bytes, starts[c]!, ends[c]!);
    }
    row++;
  });
  await feed(path, tokenizer);
  if (!raw) return undefined;
  raw.rowCount = row;
  dictionaries.forEach((dictionary, c) => {
    raw!.localValues[c] = dictionary.values;
  });
  return raw;
}

/** The first record of a CSV file (its column names, untrimmed), reading no further than it needs. */
export async function readCsvHeader(path: string, delimiter: string): Promise<string[] | undefined> {
  let names: string[] | undefined;
  const tokenizer = new CsvTokenizer(delimiter, (bytes, starts, ends, escaped, count) => {
    names = fieldTexts(bytes, starts, ends, escaped, count);
    return false;
  });
  await feed(path, tokenizer, () => names !== undefined);
  return names;
}

/**
 * Reads the file into one buffer, reused: each read lands after the record the previous chunk left
 * unfinished, so no chunk is allocated or copied whole. Each read is asynchronous, so the event loop
 * turns between chunks. Stops at the end of the file or once `done`.
 */
async function feed(path: string, tokenizer: CsvTokenizer, done = () => false): Promise<void> {
  const file = await open(path);
  try {
    let buffer = new Uint8Array(2 * CHUNK_BYTES);
    let filled = 0;
    for (;;) {
      // The tokenizer reads an unfinished record again from its start: a record longer than a chunk is
      // read on by as much as it already holds, so its bytes are tokenized a few times, not once per chunk.
      const want = Math.max(CHUNK_BYTES, filled);
      if (buffer.length - filled < want) {
        const larger = new Uint8Array(Math.max(2 * buffer.length, filled + want));
        larger.set(buffer.subarray(0, filled));
        buffer = larger;
      }
      const { bytesRead } = await file.read(buffer, filled, want, null);
      filled += bytesRead;
      const final = bytesRead === 0;
      const used = tokenizer.tokenize(buffer.subarray(0, filled), final);
      if (final || done()) return;
      buffer.copyWithin(0, used, filled);
      filled -= used;
    }
  } finally {
    await file.close();
  }
}

function fieldTexts(
  bytes: Uint8Array,
  starts: Int32Array,
  ends: Int32Array,
  escaped: Uint8Array,
  count: number,
): string[] {
  const texts: string[] = [];
  for (let c = 0; c < count; c++) {
    const text = utf8.decode(bytes.subarray(starts[c]!, ends[c]!));
    texts.push(escaped[c] ? text.replaceAll('""', '"') : text);
  }
  return texts;
}
