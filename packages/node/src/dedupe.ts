// Seen-set of MSGHASHes with a time to live and a size cap (§9). A ring buffer keeps insertion
// order, so eviction and expiry never iterate a Map (whose deleted slots make that O(n) in V8).
// The ring starts small and doubles up to the cap: preallocating the default 65,536 slots took
// 1 MiB per node, 96% of an idle node's heap, and 3 GB across a 3,000-node test mesh.

/** Slots a new ring starts with. */
const INITIAL_SLOTS = 256

/** @internal */
export class DedupeCache {
  private readonly at = new Map<string, number>()
  private ringKeys: Array<string | undefined>
  private ringTimes: Float64Array
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
    const slots = Math.min(max, INITIAL_SLOTS)
    this.ringKeys = new Array<string | undefined>(slots)
    this.ringTimes = new Float64Array(slots)
  }

  /** Slots allocated now: at most `max`. */
  get capacity(): number {
    return this.ringTimes.length
  }

  /** Whether `key` was added within the TTL. */
  has(key: string, now: number): boolean {
    const t = this.at.get(key)
    return t !== undefined && now - t < this.ttlMs
  }

  /** Remembers `key` from `now` on. */
  add(key: string, now: number): void {
    this.expire(now, 4)
    if (this.count === this.capacity) {
      if (this.capacity < this.max) this.grow()
      else this.evictOldest()
    }
    const i = (this.head + this.count) % this.capacity
    this.ringKeys[i] = key
    this.ringTimes[i] = now
    this.count++
    this.at.set(key, now)
  }

  /** Doubles the ring (up to `max`), unrolled so that the oldest entry is at 0. */
  private grow(): void {
    const slots = Math.min(this.max, this.capacity * 2)
    const keys = new Array<string | undefined>(slots)
    const times = new Float64Array(slots)
    for (let k = 0; k < this.count; k++) {
      const i = (this.head + k) % this.capacity
      keys[k] = this.ringKeys[i]
      times[k] = this.ringTimes[i] as number
    }
    this.ringKeys = keys
    this.ringTimes = times
    this.head = 0
  }

  private evictOldest(): void {
    const k = this.ringKeys[this.head]
    // a key added again later has a newer time in the map: keep it
    if (k !== undefined && this.at.get(k) === this.ringTimes[this.head]) this.at.delete(k)
    this.ringKeys[this.head] = undefined
    this.head = (this.head + 1) % this.capacity
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
