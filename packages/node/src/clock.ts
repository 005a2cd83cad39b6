// Monotonic time, wall time and timers behind one injectable interface, so that every timer of
// the node (keepalive, timeouts, backoff) runs on a virtual clock in tests.

/** Opaque handle of a scheduled timer. */
export type TimerId = unknown

/**
 * The node's source of time. Timers run on monotonic time only, never on the wall clock (§6.6).
 */
export interface Clock {
  /** Monotonic milliseconds (arbitrary origin). */
  now(): number
  /** Wall-clock milliseconds since the epoch; used for frame timestamps only. */
  wallNow(): number
  /** Calls `fn` once after `ms` monotonic milliseconds. */
  setTimeout(fn: () => void, ms: number): TimerId
  /** Cancels a timer; unknown or fired ids are ignored. */
  clearTimeout(id: TimerId): void
}

/** The real clock: `performance.now()`, `Date.now()` and unref'd Node timers. */
export const systemClock: Clock = {
  now: () => performance.now(),
  wallNow: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms)
    t.unref?.()
    return t
  },
  clearTimeout: (id) => clearTimeout(id as ReturnType<typeof setTimeout>),
}

/** A clock whose time moves only when told to; timers fire in time order, ties in order of creation. */
export interface VirtualClock extends Clock {
  /** Moves time forward by `ms`, firing every timer due on the way, and lets promises settle between timers. */
  advance(ms: number): Promise<void>
  /** Fires the timers due now (including 0-ms timers they schedule) and lets promises settle. */
  tick(): Promise<void>
  /**
   * Fires timers in order until `pred()` holds, time has moved `maxMs` (default 10 minutes), or no
   * timer is left. Resolves to whether `pred()` held.
   */
  runUntil(pred: () => boolean, opts?: { maxMs?: number }): Promise<boolean>
  /** Moves the wall clock by `deltaMs` (may be negative) without moving monotonic time or firing timers. */
  jumpWall(deltaMs: number): void
  /** Timers still scheduled. */
  pending(): number
}

/** Options of {@link createVirtualClock}. */
export interface VirtualClockInit {
  /** Initial monotonic time, ms (default 0). */
  start?: number
  /** Initial wall time, epoch ms (default 2026-01-01T00:00:00Z). */
  wallStart?: number
}

interface VTimer {
  at: number
  seq: number
  fn: () => void
  cancelled: boolean
}

// setImmediate lets promise chains started by a timer run before the next timer fires.
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

/**
 * A deterministic clock for tests.
 * @example
 * ```ts
 * const clock = createVirtualClock()
 * clock.setTimeout(() => console.log('15 s later'), 15_000)
 * await clock.advance(15_000)
 * ```
 */
export function createVirtualClock(init: VirtualClockInit = {}): VirtualClock {
  let mono = init.start ?? 0
  let wallOffset = (init.wallStart ?? Date.UTC(2026, 0, 1)) - mono
  let seq = 0
  const heap: VTimer[] = []

  const less = (a: VTimer, b: VTimer): boolean => a.at < b.at || (a.at === b.at && a.seq < b.seq)
  const push = (t: VTimer): void => {
    heap.push(t)
    let i = heap.length - 1
    while (i > 0) {
      const p = (i - 1) >> 1
      if (!less(heap[i] as VTimer, heap[p] as VTimer)) break
      ;[heap[i], heap[p]] = [heap[p] as VTimer, heap[i] as VTimer]
      i = p
    }
  }
  const pop = (): VTimer | undefined => {
    const top = heap[0]
    const last = heap.pop()
    if (heap.length > 0 && last !== undefined) {
      heap[0] = last
      let i = 0
      for (;;) {
        const l = 2 * i + 1
        const r = l + 1
        let m = i
        if (l < heap.length && less(heap[l] as VTimer, heap[m] as VTimer)) m = l
        if (r < heap.length && less(heap[r] as VTimer, heap[m] as VTimer)) m = r
        if (m === i) break
        ;[heap[i], heap[m]] = [heap[m] as VTimer, heap[i] as VTimer]
        i = m
      }
    }
    return top
  }
  const peek = (): VTimer | undefined => {
    while (heap.length > 0 && (heap[0] as VTimer).cancelled) pop()
    return heap[0]
  }

  // Fires timers due at or before `until`, one at a time, letting promises settle in between.
  const runTo = async (until: number, pred?: () => boolean): Promise<boolean> => {
    await settle()
    for (;;) {
      if (pred?.()) return true
      const next = peek()
      if (next === undefined || next.at > until) break
      pop()
      if (next.at > mono) mono = next.at
      next.fn()
      await settle()
    }
    if (until > mono && Number.isFinite(until)) mono = until
    return pred?.() ?? false
  }

  return {
    now: () => mono,
    wallNow: () => mono + wallOffset,
    setTimeout(fn, ms) {
      const t: VTimer = { at: mono + Math.max(0, ms || 0), seq: seq++, fn, cancelled: false }
      push(t)
      return t
    },
    clearTimeout(id) {
      if (id !== null && typeof id === 'object' && 'cancelled' in id)
        (id as VTimer).cancelled = true
    },
    async advance(ms) {
      await runTo(mono + ms)
    },
    async tick() {
      await runTo(mono)
    },
    async runUntil(pred, opts) {
      const limit = mono + (opts?.maxMs ?? 600_000)
      if (pred()) return true
      await settle()
      for (;;) {
        if (pred()) return true
        const next = peek()
        if (next === undefined || next.at > limit) return pred()
        pop()
        if (next.at > mono) mono = next.at
        next.fn()
        await settle()
      }
    },
    jumpWall(deltaMs) {
      wallOffset += deltaMs
    },
    pending() {
      let n = 0
      for (const t of heap) if (!t.cancelled) n++
      return n
    },
  }
}
