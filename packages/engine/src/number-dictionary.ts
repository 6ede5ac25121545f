const scratch = new Float64Array(1);
const halves = new Int32Array(scratch.buffer);

/**
 * Local codes of finite numbers: open addressing on the numbers' bits, at most half full. A cell of a
 * number column (Parquet's doubles and integers) is coded by one probe in two flat arrays, where a
 * `Map` keyed by numbers costs several times that once it outgrows the cache.
 */
export class NumberDictionary {
  private keys = new Float64Array(1024);
  /** Code + 1 per slot; 0 marks a free slot. */
  private codes = new Int32Array(1024);
  private used = 0;

  /** The code stored for `value` (finite), or -1. */
  get(value: number): number {
    const keys = this.keys;
    const mask = keys.length - 1;
    for (let slot = hashOf(value) & mask; ; slot = (slot + 1) & mask) {
      const code = this.codes[slot]!;
      if (code === 0) return -1;
      if (keys[slot] === value) return code - 1;
    }
  }

  /** Stores `code` for `value` (finite, not stored yet). */
  set(value: number, code: number): void {
    if (2 * (this.used + 1) > this.keys.length) this.grow();
    this.used++;
    this.place(value, code + 1);
  }

  private place(value: number, stored: number): void {
    const mask = this.keys.length - 1;
    let slot = hashOf(value) & mask;
    while (this.codes[slot] !== 0) slot = (slot + 1) & mask;
    this.keys[slot] = value;
    this.codes[slot] = stored;
  }

  private grow(): void {
    const keys = this.keys;
    const codes = this.codes;
    this.keys = new Float64Array(keys.length * 2);
    this.codes = new Int32Array(codes.length * 2);
    for (let slot = 0; slot < keys.length; slot++)
      if (codes[slot] !== 0) this.place(keys[slot]!, codes[slot]!);
  }
}

function hashOf(value: number): number {
  // 0 and -0 are one key (as in a Map): hash them alike.
  scratch[0] = value === 0 ? 0 : value;
  let hash = Math.imul(halves[0]! ^ Math.imul(halves[1]!, 0x9e3779b1), 0x85ebca6b);
  hash ^= hash >>> 15;
  return hash;
}
