// Checks the numeric options of createNode before anything runs: a NaN interval or a zero-sized
// table would otherwise fail later, far from its cause (a 0 ms keepalive spins the timer loop, a
// dedupe of 0 slots divides by zero).
import { MAX_TTL } from '@chat6/wire'
import { DEFAULTS } from './constants.ts'
import { NodeInputError } from './errors.ts'
import type { NodeOptions } from './types.ts'

type NumericOption = {
  [K in keyof NodeOptions]-?: NonNullable<NodeOptions[K]> extends number ? K : never
}[keyof NodeOptions]

/** Counts and table sizes: a whole number, at least 1. */
const COUNTS = [
  'maxPendingHandshakes',
  'rttWindow',
  'maxClients',
  'dedupeMax',
  'maxPeers',
] as const satisfies readonly NumericOption[]
/** Times that drive timers: more than 0 ms. */
const PERIODS = [
  'helloTimeout',
  'keepaliveInterval',
  'keepaliveTimeout',
  'maintainInterval',
  'backoffMin',
  'backoffMax',
] as const satisfies readonly NumericOption[]
/** Everything else: a finite number, 0 or more (a rate or limit of 0 allows nothing). */
const OTHERS = [
  'maxClockSkew',
  'defaultLinkMetric',
  'defaultTtl',
  'tombstoneTtl',
  'maxNewPresencePerSecond',
  'maxNewPresenceBurst',
  'presenceUpdatesPerSecond',
  'presenceUpdateBurst',
  'routeRequestMinInterval',
  'dedupeTtl',
  'maxFramesPerSecond',
  'maxFramesBurst',
  'maxDropsPerMinute',
  'neighborsMinInterval',
  'targetPeers',
  'maxPeersPer64',
  'maxPeersPer48',
  'maxWriteBuffer',
] as const satisfies readonly NumericOption[]

// Compile-time check that every numeric option is in one of the lists above.
type Unchecked = Exclude<NumericOption, (typeof COUNTS | typeof PERIODS | typeof OTHERS)[number]>
const everyOptionChecked: [Unchecked] extends [never] ? true : Unchecked = true
void everyOptionChecked
const counts: readonly NumericOption[] = COUNTS
const periods: readonly NumericOption[] = PERIODS

/**
 * @internal
 * Throws {@link NodeInputError} naming the first numeric option out of its range.
 */
export function checkOptions(init: NodeOptions): void {
  for (const k of [...COUNTS, ...PERIODS, ...OTHERS]) {
    const v: unknown = init[k]
    if (v === undefined) continue
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      throw new NodeInputError(k, `must be a finite number ≥ 0, got ${String(v)}`)
    }
    if (counts.includes(k) && (!Number.isInteger(v) || v < 1)) {
      throw new NodeInputError(k, `must be a whole number ≥ 1, got ${v}`)
    }
    if (periods.includes(k) && v === 0) throw new NodeInputError(k, 'must be more than 0 ms')
  }
  const ttl = init.defaultTtl
  if (ttl !== undefined && (!Number.isInteger(ttl) || ttl > MAX_TTL)) {
    throw new NodeInputError('defaultTtl', `must be a whole number 0..${MAX_TTL}, got ${ttl}`)
  }
  const lo = init.backoffMin ?? DEFAULTS.backoffMin
  const hi = init.backoffMax ?? DEFAULTS.backoffMax
  if (hi < lo) {
    throw new NodeInputError('backoffMax', `must be at least backoffMin (${lo}), got ${hi}`)
  }
}
