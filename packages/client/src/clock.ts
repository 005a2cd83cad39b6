// The client's view of time, the same shape as @chat6/node's Clock so one virtual clock drives
// both. Retry timers use monotonic time; nonces and stored times use wall time (§6.6).

export type TimerId = unknown

export interface Clock {
  /** Monotonic milliseconds. */
  now(): number
  /** Wall-clock milliseconds since the epoch. */
  wallNow(): number
  setTimeout(fn: () => void, ms: number): TimerId
  clearTimeout(id: TimerId): void
}

/** `performance.now()`, `Date.now()` and unref'd timers, so a client never holds a process open. */
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
