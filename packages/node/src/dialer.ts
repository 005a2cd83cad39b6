// Keeps the node dialling until it has TARGET_PEERS links (§12.3): candidates from bootstrap,
// last-known and discovered addresses, each failure retried with exponential backoff and jitter
// on the injected clock and randomness. A dead address never blocks the others, and one learnt
// from a neighbour that never answered is forgotten after a few tries.
import type { Clock, TimerId } from './clock.ts'
import type { DialError, DialErrorCode } from './errors.ts'
import type { Random } from './random.ts'
import { type Address, addressKey } from './transport.ts'

/** Where a candidate address came from. */
export type CandidateSource = 'bootstrap' | 'known' | 'discovered'

/**
 * Failures in a row after which a discovered address that was never reached is forgotten: a
 * neighbour may list stale or made-up addresses (§12.2), and dialling them forever at the 5-min
 * backoff ceiling costs a connection attempt each for nothing. Bootstrap and last-known
 * addresses are kept, as the operator or an earlier run vouched for them (§12.3).
 */
export const MAX_DISCOVERED_FAILURES = 5

/** A candidate address as {@link Dialer.list} shows it. @internal */
export interface CandidateView {
  addr: Address
  source: CandidateSource
  failures: number
  /** Monotonic ms before which it is not dialled again. */
  nextAt: number
  dialing: boolean
  /** Whether it turned out to be this node: dials that reach ourselves are never retried. */
  self: boolean
  lastError: DialErrorCode | undefined
}

interface Candidate extends CandidateView {
  /** Whether a dial of it ever brought a link up. */
  reached: boolean
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
    /** The address was dropped from the candidates with this failure. */
    forgotten: boolean
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
      this.candidates.set(k, {
        addr,
        source,
        failures: 0,
        nextAt: 0,
        dialing: false,
        self: false,
        reached: false,
        lastError: undefined,
      })
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
        c.reached = true
        c.lastError = undefined
      },
      (e: unknown) => {
        c.dialing = false
        this.dialing--
        const code = (e as DialError | undefined)?.code
        if (code === 'self') c.self = true
        if ((e as Error | undefined)?.name === 'DialError') c.lastError = code
        c.failures++
        const retryIn = this.backoff(c.failures)
        c.nextAt = this.host.clock.now() + retryIn
        const forgotten =
          c.source === 'discovered' && !c.reached && c.failures >= MAX_DISCOVERED_FAILURES
        if (forgotten) this.candidates.delete(addressKey(c.addr))
        this.host.dialFailed({
          addr: c.addr,
          error: e,
          source: c.source,
          failures: c.failures,
          retryIn: c.self || forgotten || this.stopped ? undefined : retryIn,
          forgotten,
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
  list(): CandidateView[] {
    return [...this.candidates.values()].map(
      ({ addr, source, failures, nextAt, dialing, self, lastError }) => ({
        addr,
        source,
        failures,
        nextAt,
        dialing,
        self,
        lastError,
      }),
    )
  }

  /** Dials in progress. */
  get inProgress(): number {
    return this.dialing
  }
}
