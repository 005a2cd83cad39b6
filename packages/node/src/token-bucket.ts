// Token bucket on the injected monotonic clock, for the per-peer rate limits (§6.5, §8.4, §12.2).

/** @internal */
export class TokenBucket {
  private tokens: number
  private last: number

  /**
   * @param rate - tokens added per second
   * @param burst - bucket size
   * @param now - current monotonic ms
   */
  constructor(
    private readonly rate: number,
    private readonly burst: number,
    now: number,
  ) {
    this.tokens = burst
    this.last = now
  }

  /** Takes one token if there is one. */
  take(now: number): boolean {
    if (this.tokens < 1) {
      const elapsed = now - this.last
      if (elapsed > 0) {
        this.tokens = Math.min(this.burst, this.tokens + (elapsed * this.rate) / 1000)
        this.last = now
      }
      if (this.tokens < 1) return false
    } else if (this.tokens < this.burst) {
      const elapsed = now - this.last
      if (elapsed > 0) {
        this.tokens = Math.min(this.burst, this.tokens + (elapsed * this.rate) / 1000)
      }
      this.last = now
    } else {
      this.last = now
    }
    this.tokens -= 1
    return true
  }

  /** Milliseconds until a token is available (0 if one is). */
  waitMs(now: number): number {
    const t = Math.min(this.burst, this.tokens + ((now - this.last) * this.rate) / 1000)
    return t >= 1 ? 0 : Math.ceil(((1 - t) * 1000) / this.rate)
  }
}

/** Counts events in fixed windows of `windowMs` (e.g. drops per minute, §6.5). @internal */
export class WindowCounter {
  private start = 0
  private count = 0
  constructor(private readonly windowMs: number) {}

  /** Adds one and returns the count in the current window. */
  add(now: number): number {
    if (now - this.start >= this.windowMs) {
      this.start = now
      this.count = 0
    }
    return ++this.count
  }
}
