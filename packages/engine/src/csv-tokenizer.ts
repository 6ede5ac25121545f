const QUOTE = 0x22;
const CR = 0x0d;
const LF = 0x0a;
const BOM = [0xef, 0xbb, 0xbf];

/** How records end: found at the first line break outside quotes, then fixed for the file. */
const UNKNOWN = 0;
const BREAK_LF = 1;
const BREAK_CRLF = 2;
const BREAK_CR = 3;
type LineBreak = typeof UNKNOWN | typeof BREAK_LF | typeof BREAK_CRLF | typeof BREAK_CR;

/**
 * Receives each record as ranges of the bytes it was given: field `i` is `bytes[starts[i], ends[i])`,
 * between its quotes when it was quoted, and `escaped[i]` is 1 when that range still holds doubled
 * quotes (`""` for `"`). The arrays are reused for the next record. Returning `false` stops the
 * tokenizer: it reads nothing more.
 */
export type CsvRecordHandler = (
  bytes: Uint8Array,
  starts: Int32Array,
  ends: Int32Array,
  escaped: Uint8Array,
  count: number,
) => unknown;

/**
 * Splits CSV bytes into records and fields without making a string: a loader then turns each distinct
 * field into a string once instead of once per cell. RFC 4180 as csv-parse reads it with
 * `{bom: true, skip_empty_lines: true}`: a UTF-8 byte-order mark is dropped, the line break is the first
 * one met (`\r\n`, `\n` or `\r`, the others then being data), quoted fields may hold delimiters, line
 * breaks and doubled quotes, empty lines are skipped, and a quote inside an unquoted field, text after a
 * closing quote, an unclosed quote or a record whose field count differs from the first record's is an
 * error naming the line. Bytes arrive in chunks of any size; a record cut by a chunk's end waits for the
 * next chunk.
 */
export class CsvTokenizer {
  private readonly delimiter: number;
  /** 1 for the bytes that end an unquoted run: the delimiter, quote and line breaks. */
  private readonly stops = new Uint8Array(256);
  private readonly onRecord: CsvRecordHandler;
  private lineBreak: LineBreak = UNKNOWN;
  private pending: Uint8Array = new Uint8Array(0);
  private started = false;
  private starts = new Int32Array(64);
  private ends = new Int32Array(64);
  private escaped = new Uint8Array(64);
  /** Fields per record, from the first record. */
  private width = -1;
  /** The line the next record starts on (1-based), for messages. */
  private line = 1;
  private stopped = false;

  constructor(delimiter: string, onRecord: CsvRecordHandler) {
    if (delimiter.length !== 1 || delimiter.charCodeAt(0) > 0x7f || '\r\n"'.includes(delimiter))
      throw new TypeError(`unsupported CSV delimiter ${JSON.stringify(delimiter)}`);
    this.delimiter = delimiter.charCodeAt(0);
    this.onRecord = onRecord;
    for (const c of [this.delimiter, QUOTE, CR, LF]) this.stops[c] = 1;
  }

  /**
   * Tokenizes the complete records of `bytes` and returns where the first incomplete one starts (the
   * length when none is): the caller hands those bytes over again, with more after them. With `final`,
   * the end of the bytes ends the last record. A byte-order mark at the very start is skipped. This is
   * the way to feed a reused buffer; `push` and `end` keep the leftover themselves.
   */
  tokenize(bytes: Uint8Array, final: boolean): number {
    if (this.stopped) return bytes.length;
    let from = 0;
    if (!this.started) {
      // Too few bytes to tell a byte-order mark from text yet.
      if (!final && bytes.length < 3 && bytes.every((b, i) => b === BOM[i])) return 0;
      this.started = true;
      if (bytes[0] === BOM[0] && bytes[1] === BOM[1] && bytes[2] === BOM[2]) from = 3;
    }
    return this.records(bytes, from, final);
  }

  /** Tokenizes the complete records of `chunk` (after what is left of the previous one). */
  push(chunk: Uint8Array): void {
    let bytes = chunk;
    if (this.pending.length > 0) {
      bytes = new Uint8Array(this.pending.length + chunk.length);
      bytes.set(this.pending);
      bytes.set(chunk, this.pending.length);
    }
    // A copy: the caller may reuse its chunk's memory.
    this.pending = bytes.slice(this.tokenize(bytes, false));
  }

  /** Tokenizes what is left: the last record may end without a line break. */
  end(): void {
    const bytes = this.pending;
    this.pending = new Uint8Array(0);
    this.tokenize(bytes, true);
  }

  /** `tokenize` once past the byte-order mark: records from `from` on. */
  private records(chunk: Uint8Array, from: number, final: boolean): number {
    // A plain Uint8Array view of a Buffer: the loops below then see one kind of array.
    const bytes = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const length = bytes.length;
    const delimiter = this.delimiter;
    const stops = this.stops;
    let p = from;
    while (p < length) {
      const recordStart = p;
      const firstLine = this.line;
      let line = firstLine;
      let count = 0;
      let quotedAny = false;
      for (;;) {
        let start = p;
        let end: number;
        let escaped = 0;
        if (bytes[p] === QUOTE) {
          quotedAny = true;
          const openedOn = line;
          start = ++p;
          for (;;) {
            while (p < length && bytes[p] !== QUOTE) {
              if (bytes[p] === LF || (bytes[p] === CR && this.lineBreak === BREAK_CR)) line++;
              p++;
            }
            if (p + 1 >= length && !final) return recordStart; // the closing quote or what follows it is unread
            if (p >= length)
              throw new Error(`Quote Not Closed: the field opened on line ${openedOn} never closes`);
            if (bytes[p + 1] === QUOTE) {
              escaped = 1;
              p += 2;
              continue;
            }
            end = p++;
            break;
          }
          if (p < length && bytes[p] !== delimiter && this.isLineBreak(bytes, p, final) === 0) {
            if (bytes[p] === CR && p + 1 >= length && !final) return recordStart;
            throw new Error(
              `Invalid Closing Quote: got ${JSON.stringify(String.fromCharCode(bytes[p]!))} after a closing quote at line ${line}`,
            );
          }
        } else {
          while (p < length) {
            const c = bytes[p]!;
            if (stops[c] === 0) {
              p++;
              continue;
            }
            if (c === delimiter || c === CR || c === LF) {
              if (c === delimiter || this.isLineBreak(bytes, p, final) !== 0) break;
              if (this.lineBreak === UNKNOWN) return recordStart; // a lone \r at the chunk's end
            } else if (c === QUOTE) {
              throw new Error(`Invalid Opening Quote: a quote in field ${count + 1} at line ${line}`);
            }
            p++;
          }
          end = p;
        }
        if (count === this.starts.length) this.growFields();
        this.starts[count] = start;
        this.ends[count] = end;
        this.escaped[count] = escaped;
        count++;
        if (p >= length) {
          if (!final) return recordStart;
          break;
        }
        if (bytes[p] === delimiter) {
          p++;
          if (p >= length && !final) return recordStart;
          if (p >= length) {
            // A delimiter at the very end: one more, empty, field.
            if (count === this.starts.length) this.growFields();
            this.starts[count] = p;
            this.ends[count] = p;
            this.escaped[count] = 0;
            count++;
            break;
          }
          continue;
        }
        const breakLength = this.isLineBreak(bytes, p, final);
        if (breakLength === 0) return recordStart; // a \r whose next byte is in the next chunk
        p += breakLength;
        line++;
        break;
      }
      this.line = line;
      if (count === 1 && !quotedAny && this.starts[0] === this.ends[0]) continue; // an empty line
      if (this.width === -1) this.width = count;
      else if (count !== this.width)
        throw new Error(
          `Invalid Record Length: expect ${this.width} fields, got ${count} on line ${firstLine}`,
        );
      if (this.onRecord(bytes, this.starts, this.ends, this.escaped, count) === false) {
        this.stopped = true;
        return length;
      }
    }
    return length;
  }

  /**
   * The length of the line break at `p` (0 when `bytes[p]` is not one, or when a `\r` at the end of the
   * bytes cannot be told from a `\r\n` yet). The first line break fixes the kind for the rest of the file.
   */
  private isLineBreak(bytes: Uint8Array, p: number, final: boolean): number {
    const c = bytes[p];
    switch (this.lineBreak) {
      case BREAK_LF:
        return c === LF ? 1 : 0;
      case BREAK_CRLF:
        if (c !== CR) return 0;
        if (p + 1 >= bytes.length) return 0;
        return bytes[p + 1] === LF ? 2 : 0;
      case BREAK_CR:
        return c === CR ? 1 : 0;
    }
    if (c === LF) {
      this.lineBreak = BREAK_LF;
      return 1;
    }
    if (c !== CR) return 0;
    if (p + 1 >= bytes.length && !final) return 0;
    this.lineBreak = bytes[p + 1] === LF ? BREAK_CRLF : BREAK_CR;
    return this.lineBreak === BREAK_CRLF ? 2 : 1;
  }

  private growFields(): void {
    const grow = <T extends Int32Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const next = make(a.length * 2);
      next.set(a);
      return next;
    };
    this.starts = grow(this.starts, (n) => new Int32Array(n));
    this.ends = grow(this.ends, (n) => new Int32Array(n));
    this.escaped = grow(this.escaped, (n) => new Uint8Array(n));
  }
}
