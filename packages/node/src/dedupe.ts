// Seen-set of MSGHASHes with a time to live and a size cap (§9), insertion-ordered so the oldest
// entry is evicted first and expiry is a scan from the front.

/** @internal */
export class DedupeCache {
  private readonly seen = new Map<string, number>()

  /**
   * @param ttlMs - how long a hash is remembered
   * @param max - most hashes held
   */
  constructor(
    private readonly ttlMs: number,
    private readonly max: number,
  ) {}

  /** Whether `key` was added within the TTL. */
  has(key: string, now: number): boolean {
    const at = this.seen.get(key)
    return at !== undefined && now - at < this.ttlMs
  }

  /** Remembers `key` from `now` on. */
  add(key: string, now: number): void {
    this.seen.delete(key)
    this.seen.set(key, now)
    if (this.seen.size > this.max) {
      const oldest = this.seen.keys().next()
      if (!oldest.done) this.seen.delete(oldest.value)
    }
    this.expire(now, 8)
  }

  /** Drops up to `budget` expired entries from the front. */
  expire(now: number, budget = Number.POSITIVE_INFINITY): void {
    let n = 0
    for (const [k, at] of this.seen) {
      if (n++ >= budget || now - at < this.ttlMs) break
      this.seen.delete(k)
    }
  }

  get size(): number {
    return this.seen.size
  }
}
