// The payloads service: opens every MESSAGE_SEND from a friend and hands the payload to the
// service registered for its mtype (§11: 1 is text, 2–999 are reserved for payloads this spec
// defines, 1000–65535 are for applications). An mtype nobody registered is stored as a message
// (the fallback), so nothing is lost to a type the client does not know. It also sends a
// payload as one ephemeral frame, with no outbox and no retry.
import type { FrameOf } from '@chat6/wire'
import { equalBytes } from '../bytes.ts'
import { MSGID_BYTES } from '../constants.ts'
import type { SendResult } from '../link.ts'
import type { Peers } from './peers.ts'
import type { Receipts } from './receipts.ts'
import type { Sessions } from './sessions.ts'
import { type BaseComponents, type FrameHandlers, type PeerState, ready } from './types.ts'

/** A decrypted payload from a friend. */
export interface IncomingPayload {
  peer: PeerState
  chatid: Uint8Array
  msgid: Uint8Array
  mtype: number
  body: Uint8Array
}

/** What a handler may do with a payload. */
export interface PayloadContext {
  /**
   * Answers MESSAGE_RECV. Call it only once the payload is durably kept (§11), and only for
   * payloads that came through the sender's outbox: the sender retries until it arrives. A
   * handler that throws sends nothing, and the error becomes an 'error' event.
   */
  ack(): boolean
}

/** Receives the payloads of one mtype. */
export type PayloadHandler = (payload: IncomingPayload, context: PayloadContext) => void

/** A payload to send: to which chat, of which mtype, with what body (1..MAX_MESSAGE_BYTES). */
export interface OutgoingPayload {
  chatid: Uint8Array
  mtype: number
  body: Uint8Array
}

/** Incoming payloads by mtype, and ephemeral sends. */
export interface Payloads {
  /** Routes payloads of `mtype` to `handler` instead of the fallback; returns an undo. */
  handle(mtype: number, handler: PayloadHandler): () => void
  /**
   * Seals a payload under the newest session and sends it once (a new random msgid), with no
   * outbox and no retry: for what is worthless later (typing, presence of a call). Undefined if
   * the friend is not keyed now.
   */
  sendEphemeral(p: PeerState, payload: OutgoingPayload): SendResult | undefined
  /** MESSAGE_SEND. */
  readonly frames: FrameHandlers
}

/**
 * Creates the payloads service.
 *
 * @param c - components, and `fallback`, the handler of every mtype no service registered
 * @example
 * ```ts
 * const payloads = createPayloads({ ...components, peers, sessions, receipts, fallback })
 * payloads.handle(MTYPE_TYPING, ({ peer }) => showTyping(peer))
 * ```
 */
export function createPayloads(
  c: Pick<BaseComponents, 'protocol'> & {
    random: (length: number) => Uint8Array
    peers: Peers
    sessions: Sessions
    receipts: Receipts
    fallback: PayloadHandler
  },
): Payloads {
  const { protocol, peers, sessions, receipts } = c
  const handlers = new Map<number, PayloadHandler>()

  const onMessage = (frame: FrameOf<'MESSAGE_SEND'>) => {
    if (!equalBytes(frame.target_hash, protocol.hash)) return
    const p = peers.get(frame.origin)
    if (!p) return
    const session = sessions.find(p, frame.sid)
    if (!session) return sessions.renewIfStale(p)
    const body = protocol.openMessage(session, frame)
    if (!body) return
    const { chatid, msgid, mtype } = frame
    const handler = handlers.get(mtype) ?? c.fallback
    handler(
      { peer: p, chatid, msgid, mtype, body },
      { ack: () => receipts.acknowledge(p, { peer: p.record.key, chatid, msgid }) },
    )
  }

  return {
    handle: (mtype, handler) => {
      handlers.set(mtype, handler)
      return () => {
        if (handlers.get(mtype) === handler) handlers.delete(mtype)
      }
    },
    sendEphemeral: (p, payload) => {
      if (!ready(p)) return undefined
      return sessions.sendMessage(p, { ...payload, msgid: c.random(MSGID_BYTES) }, payload.body)
    },
    frames: { MESSAGE_SEND: onMessage },
  }
}
