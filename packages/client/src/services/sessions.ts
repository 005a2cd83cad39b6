// The sessions service (§10): offers and their retries, answers to a friend's request, the
// confirm that completes an offer, the newest two sessions per friend, a new offer when a friend
// writes under a session we lost, and sealing frames under the newest session.
import type { FrameOf } from '@chat6/wire'
import { equalBytes } from '../bytes.ts'
import type { TimerId } from '../clock.ts'
import type { SendResult } from '../link.ts'
import type { MessageFields, PendingOffer, ReceiptType, Session } from '../protocol.ts'
import { META_REQUEST_NONCE, nextNonce } from './nonces.ts'
import type { Peers } from './peers.ts'
import { available, type BaseComponents, type FrameHandlers, type PeerState } from './types.ts'

/** Sessions with friends; key material stays inside the Protocol's objects. */
export interface Sessions {
  /** Sends a fresh FRIEND_REQUEST, re-sent every retryInterval until it completes (§10.4). */
  offer(p: PeerState): void
  /** Answers a verified FRIEND_REQUEST with a confirm, and installs the session (§10.2). */
  answer(p: PeerState, request: FrameOf<'FRIEND_REQUEST'>): void
  /** The friend came back or restarted: not keyed until a new session completes; offers one. */
  renew(p: PeerState): void
  /**
   * A frame came under a sid we do not hold: offer a new session, at most once per retry
   * interval and not while an offer is outstanding (§10.5).
   */
  renewIfStale(p: PeerState): void
  /** The friend's session with this sid, if we hold it (the newest or the previous one). */
  find(p: PeerState, sid: Uint8Array): Session | undefined
  /** Seals a MESSAGE_SEND under the newest session and hands it to the node; undefined: no session. */
  sendMessage(p: PeerState, fields: MessageFields, body: Uint8Array): SendResult | undefined
  /** Seals a MESSAGE_RECV or MESSAGE_READ likewise. */
  sendReceipt(
    p: PeerState,
    type: ReceiptType,
    ref: { chatid: Uint8Array; msgid: Uint8Array },
  ): SendResult | undefined
  /** FRIEND_CONFIRM completes our outstanding offer. */
  readonly frames: FrameHandlers
  /** Wipes every session and pending offer. */
  stop(): void
}

interface Outstanding {
  pending: PendingOffer
  hash: Uint8Array
  timer: TimerId | undefined
}

/** Per friend: sessions newest first (at most two, §10.3), our offer, when we last offered. */
interface State {
  sessions: Session[]
  outstanding: Outstanding | undefined
  lastRenewAt: number
}

/**
 * Creates the sessions service. Its `keyed` hook runs when a session completes with a friend who
 * is available; it drops offers on `unavailable` and wipes sessions on `removed`.
 *
 * @example
 * ```ts
 * const sessions = createSessions({ ...components, peers })
 * sessions.offer(peer)
 * ```
 */
export function createSessions(c: BaseComponents & { peers: Peers }): Sessions {
  const { store, protocol, clock, limits, hooks, link, peers } = c
  const states = new Map<string, State>()
  const stateOf = (p: PeerState): State => {
    let s = states.get(p.hex)
    if (!s) {
      s = { sessions: [], outstanding: undefined, lastRenewAt: Number.NEGATIVE_INFINITY }
      states.set(p.hex, s)
    }
    return s
  }

  const dropOutstanding = (s: State | undefined) => {
    if (!s?.outstanding) return
    clock.clearTimeout(s.outstanding.timer)
    s.outstanding.pending.destroy()
    s.outstanding = undefined
  }

  const dropSessions = (p: PeerState, s: State | undefined) => {
    for (const session of s?.sessions ?? []) session.destroy()
    if (s) s.sessions = []
    p.keyed = false
  }

  const offer = (p: PeerState) => {
    const l = link()
    if (!l || !available(p)) return
    const s = stateOf(p)
    dropOutstanding(s)
    const nonce = nextNonce(store, clock, META_REQUEST_NONCE)
    const { frame, hash, pending } = protocol.offer(p.record.key, nonce)
    const outstanding: Outstanding = { pending, hash, timer: undefined }
    s.outstanding = outstanding
    s.lastRenewAt = clock.now()
    l.send(frame)
    outstanding.timer = clock.setTimeout(
      c.guard(() => {
        outstanding.timer = undefined
        // a session made by answering their request since then ends our retries (no churn)
        if (s.outstanding === outstanding && !p.keyed && available(p)) offer(p)
      }),
      limits.retryInterval,
    )
  }

  const install = (p: PeerState, session: Session) => {
    const s = stateOf(p)
    s.sessions.unshift(session)
    for (const old of s.sessions.splice(2)) old.destroy()
    const wasKeyed = p.keyed
    p.keyed = true
    if (p.record.status === 'requested') {
      peers.update(p, { status: 'friend' })
      c.events.emit('friend-added', peers.view(p))
    }
    c.events.emit('session', { key: p.record.key, sid: session.sid })
    if (!wasKeyed) c.events.emit('presence', peers.view(p))
    if (available(p)) hooks.run('keyed', { peer: p, fresh: !wasKeyed })
  }

  const onConfirm = (frame: FrameOf<'FRIEND_CONFIRM'>) => {
    if (!equalBytes(frame.target_hash, protocol.hash)) return
    const p = peers.byKey(frame.clientkey)
    const s = p && states.get(p.hex)
    const out = s?.outstanding
    if (!p || !s || !out || !equalBytes(frame.request, out.hash)) return
    const session = protocol.complete(out.pending, out.hash, p.record.key, frame)
    if (!session) return
    clock.clearTimeout(out.timer)
    out.pending.destroy()
    s.outstanding = undefined
    install(p, session)
  }

  const newest = (p: PeerState) => states.get(p.hex)?.sessions[0]

  hooks.on('unavailable', (p) => {
    dropOutstanding(states.get(p.hex))
    p.keyed = false
  })
  hooks.on('removed', (p) => {
    dropSessions(p, states.get(p.hex))
    states.delete(p.hex)
  })

  return {
    offer,
    answer: (p, request) => {
      const l = link()
      if (!l) return
      const answered = protocol.answer(request, nextNonce(store, clock, META_REQUEST_NONCE))
      if (!answered) return
      l.send(answered.frame)
      install(p, answered.session)
    },
    renew: (p) => {
      p.keyed = false
      offer(p)
    },
    renewIfStale: (p) => {
      const s = states.get(p.hex)
      if (
        s?.outstanding ||
        clock.now() - (s?.lastRenewAt ?? Number.NEGATIVE_INFINITY) < limits.retryInterval
      )
        return
      offer(p)
    },
    find: (p, sid) => states.get(p.hex)?.sessions.find((s) => equalBytes(s.sid, sid)),
    sendMessage: (p, fields, body) => {
      const l = link()
      const session = newest(p)
      if (!l || !session) return undefined
      return l.send(protocol.sealMessage(session, p.record.hash, fields, body))
    },
    sendReceipt: (p, type, ref) => {
      const l = link()
      const session = newest(p)
      if (!l || !session) return undefined
      return l.send(protocol.sealReceipt(session, type, p.record.hash, ref))
    },
    frames: { FRIEND_CONFIRM: onConfirm },
    stop: () => {
      for (const p of peers.values()) dropSessions(p, states.get(p.hex))
      for (const s of states.values()) dropOutstanding(s)
      states.clear()
    },
  }
}
