// Counting is one increment per row into a small array. When neighbouring rows hold the same value, each
// increment waits for the one before it to be stored; four partial counts taking turns let four
// increments run at once, and integer counts add up the same in any order. Over many values, rows
// rarely follow one another on a value, and three more arrays that size would cost more than they save.

/** Above this many values, count in one array. */
const SPLIT_COUNTS_MAX_SIZE = 4096;

/** Adds to `counts` the number of `rows` (every row when null) holding each code of `codes`. */
export function countCodes(counts: Uint32Array, codes: Uint32Array, rows: Uint32Array | null): void {
  const size = counts.length;
  const n = rows === null ? codes.length : rows.length;
  if (size > SPLIT_COUNTS_MAX_SIZE) {
    if (rows === null) for (let j = 0; j < n; j++) counts[codes[j]!]!++;
    else for (let j = 0; j < n; j++) counts[codes[rows[j]!]!]!++;
    return;
  }
  const c1 = new Uint32Array(size);
  const c2 = new Uint32Array(size);
  const c3 = new Uint32Array(size);
  let j = 0;
  if (rows === null) {
    for (; j + 3 < n; j += 4) {
      counts[codes[j]!]!++;
      c1[codes[j + 1]!]!++;
      c2[codes[j + 2]!]!++;
      c3[codes[j + 3]!]!++;
    }
    for (; j < n; j++) counts[codes[j]!]!++;
  } else {
    for (; j + 3 < n; j += 4) {
      counts[codes[rows[j]!]!]!++;
      c1[codes[rows[j + 1]!]!]!++;
      c2[codes[rows[j + 2]!]!]!++;
      c3[codes[rows[j + 3]!]!]!++;
    }
    for (; j < n; j++) counts[codes[rows[j]!]!]!++;
  }
  for (let i = 0; i < size; i++) counts[i]! += c1[i]! + c2[i]! + c3[i]!;
}
