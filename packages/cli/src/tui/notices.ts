// The status line of the chat screen. A notice may name its subject (`request:<hex>`,
// `queued:<hex>`, `dial:<addr>`), so the event that makes it untrue clears or replaces it, and
// every notice but a question fades after a while: nothing stays on screen after it is stale.
import type { Notice } from './render.ts'

/** How long an information notice stays, ms. */
export const INFO_TTL_MS = 15_000
/** How long an error stays, ms. */
export const ERROR_TTL_MS = 30_000

interface Held extends Notice {
  subject: string | undefined
  until: number
}

/** The status line's state. */
export interface Notices {
  /** Shows a notice; `subject` lets {@link Notices.clear} take it back. A question never fades. */
  set(text: string, level?: Notice['level'], subject?: string): void
  /** Clears the notice if it is about `subject` (any notice when left out). */
  clear(subject?: string): void
  /** The notice on screen now, if any. */
  current(): Notice | undefined
  /** The subject of the notice on screen now. */
  subject(): string | undefined
}

/**
 * A status line on the clock `now`.
 * @example
 * ```ts
 * const n = createNotices()
 * n.set('friend request sent to bob', 'info', `request:${hex}`)
 * n.clear(`request:${hex}`) // bob accepted: the notice is no longer true
 * ```
 */
export function createNotices(now: () => number = Date.now): Notices {
  let held: Held | undefined
  const live = () => {
    if (held !== undefined && held.until <= now()) held = undefined
    return held
  }
  return {
    set(text, level = 'info', subject) {
      const ttl =
        level === 'ask' ? Number.POSITIVE_INFINITY : level === 'error' ? ERROR_TTL_MS : INFO_TTL_MS
      held = { text, level, subject, until: now() + ttl }
    },
    clear(subject) {
      if (subject === undefined || live()?.subject === subject) held = undefined
    },
    current() {
      const h = live()
      return h === undefined ? undefined : { text: h.text, level: h.level }
    },
    subject: () => live()?.subject,
  }
}
