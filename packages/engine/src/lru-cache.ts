/**
 * A least-recently-used cache on a Map's insertion order, bounded by entry count and by total weight
 * (e.g. result rows), so a few huge entries cannot hold unbounded memory. A capacity of 0 caches nothing.
 */
export class LruCache<K, V> {
  private readonly entries = new Map<K, { value: V; weight: number }>();
  private weight = 0;
  readonly capacity: number;
  readonly maxWeight: number;

  constructor(capacity: number, maxWeight = Number.POSITIVE_INFINITY) {
    if (!Number.isInteger(capacity) || capacity < 0)
      throw new TypeError("cache capacity must be an integer >= 0");
    this.capacity = capacity;
    this.maxWeight = maxWeight;
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (entry !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    return entry?.value;
  }

  set(key: K, value: V, weight = 1): void {
    if (this.capacity === 0 || weight > this.maxWeight) return;
    this.delete(key);
    this.entries.set(key, { value, weight });
    this.weight += weight;
    while (this.entries.size > this.capacity || this.weight > this.maxWeight) {
      this.delete(this.entries.keys().next().value as K);
    }
  }

  clear(): void {
    this.entries.clear();
    this.weight = 0;
  }

  private delete(key: K): void {
    const entry = this.entries.get(key);
    if (entry === undefined) return;
    this.entries.delete(key);
    this.weight -= entry.weight;
  }
}
