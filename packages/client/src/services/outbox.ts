// The outbox and its delivery window (§11, §11.1): messages are stored before anything is sent,
// leave in outbox order while the friend is ready, at most `maxInFlight` unacknowledged per
// friend, each frame with its own retry timer; a receipt frees its slot, and a friend who leaves
// takes every frame out of flight, to be sent again (under the new session) when they are back.
import type { MessageRef } from '../api.ts'
import { toHex } from '../bytes.ts'
import type { Clock, TimerId } from '../clock.ts'
import type { ClientLimits } from '../limits.ts'
import type { SendResult } from '../link.ts'
import type { MessageRecord, NewMessage, Store } from '../store/types.ts'
import type { Hooks } from './hooks.ts'
import type { ServiceHooks } from './types.ts'

/** What the outbox is built from; only `store`, `clock`, `limits`, `send` and `ready` are needed. */
export interface OutboxComponents {
  store: Store
  clock: Clock
  limits: Pick<ClientLimits, 'maxInFlight' | 'retryInterval'>
  /**
   * Seals one stored message and hands it to the node. `undefined`: it could not be sealed (no
   * session), and stays for the next pump; a refused SendResult counts as a lost frame, retried.
   */
  send(message: MessageRecord): SendResult | undefined
  /** Whether messages to this client key may go now: the friend is available and keyed (§11.1). */
  ready(peer: Uint8Array): boolean
  /** An outgoing message moved to `sent`, `delivered` or `read`. */
  onAdvance?(message: MessageRecord): void
  /** Wraps the retry timers' callbacks (the client reports what they throw). */
  guard?<A extends unknown[]>(fn: (...args: A) => void): (...args: A) => void
  /** When given, the outbox follows friends: pumps on `keyed`, lands on `unavailable`. */
  hooks?: Hooks<ServiceHooks>
}

/** The send window of every friend over the store's outbox. */
export interface Outbox {
  /** Stores an outgoing message (before any frame leaves, §11), then pumps; returns it as stored. */
  enqueue(message: NewMessage): MessageRecord
  /** Sends what the outbox holds for this friend, in order, up to the window, if they are ready. */
  pump(peer: Uint8Array): void
  /** Takes every frame to this friend out of flight: the next pump starts at the oldest message. */
  land(peer: Uint8Array): void
  /** A MESSAGE_RECV (`delivered`) or MESSAGE_READ (`read`) for one of our messages. */
  receipt(ref: MessageRef, state: 'delivered' | 'read'): void
  /** Lands and forgets this friend's window (they are no longer a friend). */
  forget(peer: Uint8Array): void
  /** How many frames to this friend are in flight. */
  inFlight(peer: Uint8Array): number
}

/** Per friend: retry timers of the frames in flight by msgid hex, and the contiguous cursor. */
interface Window {
  inFlight: Map<string, TimerId | undefined>
  /** Every outbox message to this friend with a seq up to this one is in flight. */
  flownTo: number
}

const unacknowledged = (m: MessageRecord) => m.state === 'queued' || m.state === 'sent'

/**
 * Creates the outbox over a Store. It needs nothing of the client but a way to send one message
 * and to know whether its friend is ready, so it is tested on its own with a fake `send`.
 *
 * @example
 * ```ts
 * const outbox = createOutbox({ store, clock, limits, send, ready: () => true })
 * outbox.enqueue({ peer, chatid, msgid, outgoing: true, mtype: 1, body, state: 'queued', time })
 * ```
 */
export function createOutbox(c: OutboxComponents): Outbox {
  const { store, clock, limits } = c
  const guard = c.guard ?? ((fn) => fn)
  const windows = new Map<string, Window>()
  const windowOf = (peer: Uint8Array): Window => {
    const hex = toHex(peer)
    let w = windows.get(hex)
    if (!w) {
      w = { inFlight: new Map(), flownTo: 0 }
      windows.set(hex, w)
    }
    return w
  }

  /**
   * Reads the outbox after `flownTo` and only as much as the window has room for: reading it
   * all on every send and receipt made delivery slow down as the outbox grew.
   */
  const pump = (peer: Uint8Array) => {
    if (!c.ready(peer)) return
    const w = windowOf(peer)
    let after = w.flownTo
    let contiguous = true // everything up to `after` is in flight
    while (w.inFlight.size < limits.maxInFlight) {
      const page = store.outbox({ peer, after, limit: limits.maxInFlight - w.inFlight.size })
      let progressed = false
      for (const m of page) {
        if (w.inFlight.size >= limits.maxInFlight) break
        if (m.seq <= after) continue // a Store that ignores the page returns these again
        progressed = true
        const id = toHex(m.msgid)
        if (!w.inFlight.has(id)) transmit(w, m)
        if (!w.inFlight.has(id)) contiguous = false // not sent: leave it for the next pump
        after = m.seq
        if (contiguous) w.flownTo = m.seq
      }
      if (!progressed || !contiguous) break
    }
  }

  const transmit = (w: Window, m: MessageRecord) => {
    const result = c.send(m)
    if (!result) return
    if (result.ok && m.state === 'queued') {
      const changed = store.advance(m, 'sent')
      if (changed) c.onAdvance?.(changed)
    }
    const id = toHex(m.msgid)
    w.inFlight.set(
      id,
      clock.setTimeout(
        guard(() => {
          if (!w.inFlight.has(id)) return
          w.inFlight.delete(id)
          if (!c.ready(m.peer)) {
            // out of flight but still in the outbox: the next pump must see it again
            w.flownTo = Math.min(w.flownTo, m.seq - 1)
            return
          }
          const current = store.getMessage(m)
          if (current && unacknowledged(current)) transmit(w, current)
          else pump(m.peer)
        }),
        limits.retryInterval,
      ),
    )
  }

  const land = (peer: Uint8Array) => {
    const w = windows.get(toHex(peer))
    if (!w) return
    for (const timer of w.inFlight.values()) clock.clearTimeout(timer)
    w.inFlight.clear()
    w.flownTo = 0
  }

  c.hooks?.on('keyed', ({ peer, fresh }) => {
    // frames in flight went under a session the friend may have lost: resend under this one
    if (fresh) land(peer.record.key)
    pump(peer.record.key)
  })
  c.hooks?.on('unavailable', (p) => land(p.record.key))
  c.hooks?.on('removed', (p) => {
    land(p.record.key)
    windows.delete(toHex(p.record.key))
  })

  return {
    enqueue: (message) => {
      const record = store.addOutgoing(message)
      pump(record.peer)
      return store.getMessage(record) ?? record
    },
    pump,
    land,
    receipt: (ref, state) => {
      const stored = { ...ref, outgoing: true }
      const changed = store.advance(stored, state)
      const w = windows.get(toHex(ref.peer))
      const id = toHex(ref.msgid)
      if (w?.inFlight.has(id)) {
        const current = changed ?? store.getMessage(stored)
        if (current && !unacknowledged(current)) {
          clock.clearTimeout(w.inFlight.get(id))
          w.inFlight.delete(id)
        }
      }
      if (changed) c.onAdvance?.(changed)
      pump(ref.peer)
    },
    forget: (peer) => {
      land(peer)
      windows.delete(toHex(peer))
    },
    inFlight: (peer) => windows.get(toHex(peer))?.inFlight.size ?? 0,
  }
}
