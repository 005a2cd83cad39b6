// Seen-set of MSGHASHes with a time to live and a size cap (§9). A ring buffer keeps insertion
// order, so eviction and expiry never iterate a Map (whose deleted slots make that O(n) in V8).

/** @internal */
export class DedupeCache {
  private readonly at = new Map<string, number>()
  private readonly ringKeys: Array<string | undefined>
  private readonly ringTimes: Float64Array
  private head = 0 // oldest
  private count = 0

  /**
   * @param ttlMs - how long a hash is remembered
   * @param max - most hashes held
   */
  constructor(
    private readonly ttlMs: number,
    private readonly max: number,
  ) {
    this.ringKeys = new Array<string | undefined>(max)
    this.ringTimes = new Float64Array(max)
  }

  /** Whether `key` was added within the TTL. */
  has(key: string, now: number): boolean {
    const t = this.at.get(key)
    return t !== undefined && now - t < this.ttlMs
  }

  /** Remembers `key` from `now` on. */
  add(key: string, now: number): void {
    this.expire(now, 4)
    if (this.count === this.max) this.evictOldest()
    const i = (this.head + this.count) % this.max
    this.ringKeys[i] = key
    this.ringTimes[i] = now
    this.count++
    this.at.set(key, now)
  }

  private evictOldest(): void {
    const k = this.ringKeys[this.head]
    // a key added again later has a newer time in the map: keep it
    if (k !== undefined && this.at.get(k) === this.ringTimes[this.head]) this.at.delete(k)
    this.ringKeys[this.head] = undefined
    this.head = (this.head + 1) % this.max
    this.count--
  }

  /** Drops up to `budget` expired entries, oldest first. */
  expire(now: number, budget = Number.POSITIVE_INFINITY): void {
    let n = 0
    while (
      this.count > 0 &&
      n++ < budget &&
      now - (this.ringTimes[this.head] as number) >= this.ttlMs
    ) {
      this.evictOldest()
    }
  }

  get size(): number {
    return this.at.size
  }
}
