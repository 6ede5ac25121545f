import type { RawValue } from "./infer-type.js";

const QUOTE = 0x22;
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
/**
 * Int32s per slot: the hash with the value's length in its low 4 bits (15 for a long value), local
 * code + 1 (0: a free slot), then the bytes themselves packed into two ints when there are at most
 * `INLINE_BYTES` of them, else their offset in the store and their length.
 */
const SLOT = 4;
const INLINE_BYTES = 8;
const LONG = 15;
// A value's leading U+FEFF is data, not a byte-order mark for TextDecoder to drop.
const utf8 = new TextDecoder("utf-8", { ignoreBOM: true });

export class ByteDictionary {
  /** The value per local code; index 0 is the null placeholder. */
  readonly values: RawValue[] = [null];
  /**
   * Open addressing with linear probing. A slot holds everything a lookup of a short cell compares, so a
   * dictionary too large for the cache costs one miss a cell.
   */
  private slots = new Int32Array(1024 * SLOT);
  private used = 0;
  /** The bytes of values longer than `INLINE_BYTES`. */
  private store = new Uint8Array(4096);
  private stored = 0;
  private scratch = new Uint8Array(256);
  private readonly hashMask: number;

  /** `hashMask` keeps only some bits of each hash: tests give 0 so that every value collides. */
  constructor(options: { hashMask?: number } = {}) {
    this.hashMask = options.hashMask ?? -1;
  }

  /** The local code of the cell `bytes[start, end)`. */
  codeOf(bytes: Uint8Array, start: number, end: number): number {
    if (start === end) return 0;
    const length = end - start;
    let hash = FNV_OFFSET;
    let w0 = 0;
    let w1 = 0;
    if (length <= INLINE_BYTES) {
      for (let i = start, k = 0; i < end; i++, k++) {
        const b = bytes[i]!;
        hash = Math.imul(hash ^ b, FNV_PRIME);
        if (k < 4) w0 |= b << (k << 3);
        else w1 |= b << ((k - 4) << 3);
      }
    } else {
      for (let i = start; i < end; i++) hash = Math.imul(hash ^ bytes[i]!, FNV_PRIME);
    }
    // FNV's low bits mix poorly, and the table is indexed by them: fold the high bits in.
    hash ^= hash >>> 15;
    hash = Math.imul(hash, 0x2c1b3c6d);
    hash = (hash ^ (hash >>> 12)) & this.hashMask;
    const key = (hash & ~LONG) | (length <= INLINE_BYTES ? length : LONG);
    const slots = this.slots;
    const mask = slots.length / SLOT - 1;
    for (let index = (hash >>> 4) & mask; ; index = (index + 1) & mask) {
      const s = index * SLOT;
      const code = slots[s + 1]!;
      if (code === 0) return this.add(bytes, start, end, key, s, w0, w1);
      if (slots[s] !== key) continue;
      if (length <= INLINE_BYTES) {
        if (slots[s + 2] === w0 && slots[s + 3] === w1) return code - 1;
        continue;
      }
      if (slots[s + 3] !== length) continue;
      const store = this.store;
      const from = slots[s + 2]! - start;
      let i = start;
      while (i < end && store[from + i] === bytes[i]) i++;
      if (i === end) return code - 1;
    }
  }

  /** The local code of a quoted cell whose bytes still hold doubled quotes. */
  codeOfEscaped(bytes: Uint8Array, start: number, end: number): number {
    if (this.scratch.length < end - start) this.scratch = new Uint8Array(2 * (end - start));
    const out = this.scratch;
    let n = 0;
    for (let i = start; i < end; i++) {
      out[n++] = bytes[i]!;
      if (bytes[i] === QUOTE) i++;
    }
    return this.codeOf(out, 0, n);
  }

  private add(
    bytes: Uint8Array,
    start: number,
    end: number,
    key: number,
    s: number,
    w0: number,
    w1: number,
  ): number {
    const length = end - start;
    const text = utf8.decode(bytes.subarray(start, end));
    let code = 0;
    if (text.trim() !== "") {
      code = this.values.length;
      this.values.push(text);
    }
    const slots = this.slots;
    slots[s] = key;
    slots[s + 1] = code + 1;
    if (length <= INLINE_BYTES) {
      slots[s + 2] = w0;
      slots[s + 3] = w1;
    } else {
      if (this.stored + length > this.store.length) {
        const store = new Uint8Array(Math.max(2 * this.store.length, this.stored + length));
        store.set(this.store);
        this.store = store;
      }
      this.store.set(bytes.subarray(start, end), this.stored);
      slots[s + 2] = this.stored;
      slots[s + 3] = length;
      this.stored += length;
    }
    // Up to three quarters full: linear probing stays short, and a large table stays small for the cache.
    if (4 * ++this.used > 3 * (slots.length / SLOT)) this.rehash();
    return code;
  }

  private rehash(): void {
    const old = this.slots;
    const slots = new Int32Array(old.length * 2);
    const mask = slots.length / SLOT - 1;
    for (let from = 0; from < old.length; from += SLOT) {
      if (old[from + 1] === 0) continue;
      let index = (old[from]! >>> 4) & mask;
      while (slots[index * SLOT + 1] !== 0) index = (index + 1) & mask;
      const to = index * SLOT;
      for (let k = 0; k < SLOT; k++) slots[to + k] = old[from + k]!;
    }
    this.slots = slots;
  }
}
