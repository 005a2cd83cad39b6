// Per-key token buckets on the monotonic clock, for incoming FRIEND_REQUESTs (§10.5).

export class KeyedBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>()
  constructor(
    private readonly burst: number,
    private readonly refillMs: number,
    private readonly maxKeys = 10_000,
  ) {}

  /** Takes a token for `key` at monotonic time `now`; false when the bucket is empty. */
  take(key: string, now: number): boolean {
    let b = this.buckets.get(key)
    if (!b) {
      if (this.buckets.size >= this.maxKeys) this.prune(now)
      b = { tokens: this.burst, at: now }
      this.buckets.set(key, b)
    }
    const refill = Math.floor((now - b.at) / this.refillMs)
    if (refill > 0) {
      b.tokens = Math.min(this.burst, b.tokens + refill)
      b.at = b.tokens === this.burst ? now : b.at + refill * this.refillMs
    }
    if (b.tokens === 0) return false
    b.tokens--
    return true
  }

  private prune(now: number): void {
    for (const [key, b] of this.buckets) {
      if (now - b.at >= this.burst * this.refillMs) this.buckets.delete(key)
    }
    // still full: forget the oldest half rather than grow without bound
    if (this.buckets.size >= this.maxKeys) {
      const keys = [...this.buckets.keys()].slice(0, this.maxKeys >> 1)
      for (const key of keys) this.buckets.delete(key)
    }
  }
}
