/**
 * A map bounded in size and in age, in memory: an entry older than its time
 * to live is gone, and past the capacity the oldest entry goes first (the least
 * recently used one when reads count as use). What the bot remembers between
 * messages (answers for their buttons, what each chat is about) lives in one.
 */
export class ExpiringMap<V> {
  private readonly entries = new Map<string, { value: V; at: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly capacity: number,
    private readonly now: () => number = Date.now,
    /** Whether reading an entry makes it the most recent (least recently used eviction), else insertion order alone. */
    private readonly readIsUse = false,
  ) {}

  /** The value under a key, or undefined when unknown or expired. */
  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (this.now() - entry.at > this.ttlMs) {
      this.entries.delete(key);
      return undefined;
    }
    if (this.readIsUse) {
      // Map order is the recency order: re-inserting moves it to the end.
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    return entry.value;
  }

  /** Stores a value (its age starts now), evicting the oldest entries past the capacity. */
  set(key: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, { value, at: this.now() });
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
  }

  /** Forgets a key. */
  delete(key: string): void {
    this.entries.delete(key);
  }

  /** Entries held right now (expired ones included until they are read). */
  get size(): number {
    return this.entries.size;
  }
}
