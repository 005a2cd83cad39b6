// The receipts service (§11, §11.1): MESSAGE_RECV for what was durably stored, MESSAGE_READ when
// the user read a message (kept in the store, across restarts, while the friend is not keyed),
// and the receipts friends send for our messages, handed to the outbox.
import type { FrameOf } from '@chat6/wire'
import type { MessageRef } from '../api.ts'
import { equalBytes } from '../bytes.ts'
import type { PendingReadRecord } from '../store/types.ts'
import type { Outbox } from './outbox.ts'
import type { Peers } from './peers.ts'
import type { Sessions } from './sessions.ts'
import {
  available,
  type BaseComponents,
  type FrameHandlers,
  type PeerState,
  ready,
} from './types.ts'

/** Receipts to and from friends. */
export interface Receipts {
  /**
   * Sends MESSAGE_RECV for a message that is stored (and committed): never call it before (§11).
   * False if it could not go; a lost MESSAGE_RECV needs no keeping, since the sender re-sends
   * the message until one arrives, and gets it again.
   */
  acknowledge(p: PeerState, ref: MessageRef): boolean
  /** Sends MESSAGE_READ if the friend is keyed; otherwise, or if the node refuses it, keeps it. */
  sendRead(p: PeerState, ref: MessageRef): void
  /** Marks an incoming message read, and sends or keeps its MESSAGE_READ (§11.1). */
  markRead(ref: MessageRef): void
  /** MESSAGE_RECV and MESSAGE_READ for our messages. */
  readonly frames: FrameHandlers
}

/**
 * Creates the receipts service; on the `keyed` hook it sends the read receipts kept for that
 * friend, oldest first.
 *
 * @example
 * ```ts
 * const receipts = createReceipts({ ...components, peers, sessions, outbox })
 * if (receipts.acknowledge(peer, ref)) …
 * ```
 */
export function createReceipts(
  c: Pick<BaseComponents, 'store' | 'protocol' | 'hooks'> & {
    peers: Peers
    sessions: Sessions
    outbox: Outbox
  },
): Receipts {
  const { store, protocol, peers, sessions } = c

  /** Sends a receipt under the newest session; false if it could not go. */
  const send = (p: PeerState, type: 'MESSAGE_RECV' | 'MESSAGE_READ', ref: MessageRef) =>
    available(p) && (sessions.sendReceipt(p, type, ref)?.ok ?? false)

  const sendRead = (p: PeerState, ref: MessageRef) => {
    if (ready(p) && send(p, 'MESSAGE_READ', ref)) return
    store.putPendingRead({ peer: p.record.key, chatid: ref.chatid, msgid: ref.msgid })
  }

  const flushReads = (p: PeerState) => {
    const sent: PendingReadRecord[] = []
    for (const read of store.pendingReads(p.record.key)) {
      if (!ready(p) || !send(p, 'MESSAGE_READ', read)) break
      sent.push(read)
    }
    if (sent.length === 0) return
    store.transaction(() => {
      for (const read of sent) store.deletePendingRead(read)
    })
  }

  const onReceipt = (frame: FrameOf<'MESSAGE_RECV' | 'MESSAGE_READ'>) => {
    if (!equalBytes(frame.target_hash, protocol.hash)) return
    const p = peers.get(frame.origin)
    if (!p) return
    const session = sessions.find(p, frame.sid)
    if (!session || !protocol.openReceipt(session, frame)) return
    const ref = { peer: p.record.key, chatid: frame.chatid, msgid: frame.msgid }
    c.outbox.receipt(ref, frame.type === 'MESSAGE_READ' ? 'read' : 'delivered')
  }

  c.hooks.on('keyed', ({ peer }) => flushReads(peer))

  return {
    acknowledge: (p, ref) => send(p, 'MESSAGE_RECV', ref),
    sendRead,
    markRead: (ref) => {
      const p = peers.byKey(ref.peer)
      const read = { peer: ref.peer, chatid: ref.chatid, msgid: ref.msgid }
      const incoming = { ...read, outgoing: false }
      if (p && ready(p)) {
        if (store.advance(incoming, 'read')) sendRead(p, read)
        return
      }
      // not keyed: the receipt is kept in the same transaction as the state, so neither is lost
      store.transaction(() => {
        const changed = store.advance(incoming, 'read')
        if (changed && p) store.putPendingRead(read)
      })
    },
    frames: { MESSAGE_RECV: onReceipt, MESSAGE_READ: onReceipt },
  }
}
