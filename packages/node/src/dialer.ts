// Keeps the node dialling until it has TARGET_PEERS links (§12.3): candidates from bootstrap,
// last-known and discovered addresses, each failure retried with exponential backoff and jitter
// on the injected clock and randomness. A dead address never blocks the others.
import type { Clock, TimerId } from './clock.ts'
import type { DialError } from './errors.ts'
import type { Random } from './random.ts'
import { type Address, addressKey } from './transport.ts'

/** Where a candidate address came from. */
export type CandidateSource = 'bootstrap' | 'known' | 'discovered'

interface Candidate {
  addr: Address
  source: CandidateSource
  failures: number
  nextAt: number
  dialing: boolean
  /** Dials that turned out to reach ourselves are never retried. */
  self: boolean
}

/** @internal */
export interface DialerHost {
  readonly clock: Clock
  readonly random: Random
  /** Links up plus dials in progress. */
  peerCount(): number
  /** Whether a link to this listening address is already up. */
  isConnected(addr: Address): boolean
  /** Dials; resolves on link up, rejects with the BYE reason (or transport error) otherwise. */
  dial(addr: Address): Promise<unknown>
  /** A dial failed; `retryIn` is undefined when the address is not dialled again. */
  dialFailed(failure: {
    addr: Address
    error: unknown
    source: CandidateSource
    failures: number
    retryIn: number | undefined
  }): void
}

/** @internal */
export interface DialerConfig {
  targetPeers: number
  backoffMin: number
  backoffMax: number
  maxCandidates: number
}

/** @internal */
export class Dialer {
  private readonly candidates = new Map<string, Candidate>()
  private timer: TimerId | undefined
  private timerAt = Number.POSITIVE_INFINITY
  private stopped = false
  private dialing = 0

  constructor(
    private readonly host: DialerHost,
    private readonly config: DialerConfig,
  ) {}

  /** Adds addresses; a known one keeps its backoff state. */
  add(addrs: Iterable<Address>, source: CandidateSource): void {
    for (const addr of addrs) {
      const k = addressKey(addr)
      if (this.candidates.has(k)) continue
      if (this.candidates.size >= this.config.maxCandidates) {
        // forget a discovered address that keeps failing, never a bootstrap one
        const worst = [...this.candidates.entries()].find(
          ([, c]) => c.source === 'discovered' && c.failures > 0 && !c.dialing,
        )
        if (worst === undefined) continue
        this.candidates.delete(worst[0])
      }
      this.candidates.set(k, { addr, source, failures: 0, nextAt: 0, dialing: false, self: false })
    }
  }

  /** Marks an address as ourselves. */
  markSelf(addr: Address): void {
    const c = this.candidates.get(addressKey(addr))
    if (c !== undefined) c.self = true
  }

  /** Backoff delay after `failures` failures: 1 s doubling to 5 min, equal jitter (§12.3). */
  backoff(failures: number): number {
    const base = Math.min(
      this.config.backoffMax,
      this.config.backoffMin * 2 ** Math.max(0, failures - 1),
    )
    return Math.round(base / 2 + (this.host.random.float() * base) / 2)
  }

  /** Dials eligible candidates until the target is reached; schedules itself for the next retry. */
  maintain(): void {
    if (this.stopped) return
    const now = this.host.clock.now()
    let need = this.config.targetPeers - this.host.peerCount()
    let soonest = Number.POSITIVE_INFINITY
    const eligible: Candidate[] = []
    for (const c of this.candidates.values()) {
      if (c.self || c.dialing || this.host.isConnected(c.addr)) continue
      if (c.nextAt > now) soonest = Math.min(soonest, c.nextAt)
      else eligible.push(c)
    }
    while (need > 0 && eligible.length > 0) {
      const i = Math.floor(this.host.random.float() * eligible.length)
      const c = eligible.splice(i, 1)[0] as Candidate
      this.dialOne(c)
      need--
    }
    if (need > 0 && Number.isFinite(soonest)) this.schedule(soonest - now)
  }

  private dialOne(c: Candidate): void {
    c.dialing = true
    this.dialing++
    this.host.dial(c.addr).then(
      () => {
        c.dialing = false
        this.dialing--
        c.failures = 0
        c.nextAt = 0
      },
      (e: unknown) => {
        c.dialing = false
        this.dialing--
        if ((e as DialError)?.code === 'self') c.self = true
        c.failures++
        const retryIn = this.backoff(c.failures)
        c.nextAt = this.host.clock.now() + retryIn
        this.host.dialFailed({
          addr: c.addr,
          error: e,
          source: c.source,
          failures: c.failures,
          retryIn: c.self || this.stopped ? undefined : retryIn,
        })
        this.maintain()
      },
    )
  }

  private schedule(ms: number): void {
    const at = this.host.clock.now() + ms
    if (this.timer !== undefined && this.timerAt <= at) return
    if (this.timer !== undefined) this.host.clock.clearTimeout(this.timer)
    this.timerAt = at
    this.timer = this.host.clock.setTimeout(() => {
      this.timer = undefined
      this.timerAt = Number.POSITIVE_INFINITY
      this.maintain()
    }, ms)
  }

  /** Stops all retries. */
  stop(): void {
    this.stopped = true
    if (this.timer !== undefined) this.host.clock.clearTimeout(this.timer)
    this.timer = undefined
  }

  /** Candidate addresses, for inspection. */
  list(): Array<{ addr: Address; source: CandidateSource; failures: number; nextAt: number }> {
    return [...this.candidates.values()].map(({ addr, source, failures, nextAt }) => ({
      addr,
      source,
      failures,
      nextAt,
    }))
  }

  /** Dials in progress. */
  get inProgress(): number {
    return this.dialing
  }
}
