/** Deterministic PRNG (mulberry32) returning numbers in [0, 1). */
export function random(seed: number): () => number;
/** Field names of the benchmark table, in column order. */
export const BIG_TABLE_FIELDS: string[];
/** Streams the `rows`-row benchmark table (10 fields) to `path`. */
export function writeBigTable(path: string, rows?: number, seed?: number): Promise<void>;
/** Writes the demo apps' synthetic CSVs (and the big table when `big`) into `dir`; returns the file names. */
export function writeSampleData(dir: string, options?: { big?: boolean }): Promise<string[]>;
