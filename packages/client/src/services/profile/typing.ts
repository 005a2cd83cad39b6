// TYPING (§17.4): ephemeral, once, only to keyed friends whose PROFILE lists `cap=typing`.
// Ours: `active` when the user starts typing, again at most every TYPING_REPEAT while it goes
// on, `idle` when the input is cleared or sent. Theirs: `active` lapses after TYPING_LAPSE on
// the client's clock, `idle` or their leaving ends it, any other state is ignored.
import { decodePayload, encodePayload } from '@chat6/wire'
import type { TimerId } from '../../clock.ts'
import { ClientError } from '../../errors.ts'
import type { Payloads } from '../payloads.ts'
import type { BaseComponents, PeerState } from '../types.ts'
import { CAP_TYPING, MTYPE_TYPING, TYPING_LAPSE, TYPING_REPEAT } from './constants.ts'

/** Typing both ways. */
export interface Typing {
  /** The user is (or stopped) typing in this friend's chat. */
  set(p: PeerState, active: boolean): void
  /** Whether the friend is typing in our chat now. */
  isTyping(p: PeerState): boolean
  stop(): void
}

const ACTIVE = encodePayload({ type: 'TYPING', state: 'active' })
const IDLE = encodePayload({ type: 'TYPING', state: 'idle' })

/**
 * Creates the typing half of the profile service.
 *
 * @param c - components; `supports` is the profile service's capability check, `changed` is
 *   called when a friend starts or stops typing
 * @example
 * ```ts
 * const typing = createTyping({ ...components, payloads, supports, changed: emitTyping })
 * typing.set(peer, true)
 * ```
 */
export function createTyping(
  c: Pick<BaseComponents, 'clock' | 'protocol' | 'hooks' | 'guard' | 'events'> & {
    payloads: Pick<Payloads, 'handle' | 'sendEphemeral'>
    supports(p: PeerState, cap: string): boolean
    changed(p: PeerState): void
  },
): Typing {
  const { clock } = c
  /** Ours: when `active` last went to each friend (monotonic ms), while typing goes on. */
  const sentAt = new Map<string, number>()
  /** Theirs: the lapse timer of each friend typing now. */
  const lapses = new Map<string, TimerId>()

  const send = (p: PeerState, body: Uint8Array) =>
    c.payloads.sendEphemeral(p, {
      chatid: c.protocol.defaultChatId(p.record.key),
      mtype: MTYPE_TYPING,
      body,
    })

  const stopTheirs = (p: PeerState, report: boolean) => {
    const timer = lapses.get(p.hex)
    if (timer === undefined) return
    clock.clearTimeout(timer)
    lapses.delete(p.hex)
    if (report) c.changed(p)
  }

  c.payloads.handle(MTYPE_TYPING, ({ peer: p, body }, { ack }) => {
    // acknowledged as usual, never stored (§17.4)
    ack()
    const r = decodePayload(MTYPE_TYPING, body)
    if (!r.ok || r.payload.type !== 'TYPING') {
      const why = r.ok ? 'not a TYPING' : r.error.code
      c.events.emit('error', new ClientError('protocol', `a TYPING that does not decode: ${why}`))
      return
    }
    if (r.payload.state === 'idle') return stopTheirs(p, true)
    if (r.payload.state !== 'active') return
    const was = lapses.has(p.hex)
    if (was) clock.clearTimeout(lapses.get(p.hex))
    lapses.set(
      p.hex,
      clock.setTimeout(
        c.guard(() => stopTheirs(p, true)),
        TYPING_LAPSE,
      ),
    )
    if (!was) c.changed(p)
  })

  c.hooks.on('unavailable', (p) => {
    sentAt.delete(p.hex)
    stopTheirs(p, true)
  })
  c.hooks.on('removed', (p) => {
    sentAt.delete(p.hex)
    stopTheirs(p, false)
  })

  return {
    set: (p, active) => {
      const last = sentAt.get(p.hex)
      if (!active) {
        sentAt.delete(p.hex)
        if (last !== undefined) send(p, IDLE)
        return
      }
      if (last !== undefined && clock.now() - last < TYPING_REPEAT) return
      if (!c.supports(p, CAP_TYPING)) return
      // only once it went: a friend not keyed now gets `active` on the next keystroke after
      if (send(p, ACTIVE)?.ok) sentAt.set(p.hex, clock.now())
    },
    isTyping: (p) => lapses.has(p.hex),
    stop: () => {
      for (const timer of lapses.values()) clock.clearTimeout(timer)
      lapses.clear()
      sentAt.clear()
    },
  }
}
