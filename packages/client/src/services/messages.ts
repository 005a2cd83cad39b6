// The messages service (§11): what the user sends and reads. send() checks a message and hands
// it to the outbox; every incoming payload no other service takes is stored here as a message,
// acknowledged once committed, and shown once. History, the outbox and the 'message' event hold
// chat messages only (mtype 1 and 1000+): the payloads of §17 belong to the services (§17.2).
import type { HistoryOptions, Message, Receipt, SendOptions } from '../api.ts'
import { fromUtf8, utf8 } from '../bytes.ts'
import {
  CHATID_BYTES,
  DEFAULT_PAGE,
  MAX_MESSAGE_BYTES,
  MAX_PAGE,
  MSGID_BYTES,
  MTYPE_APP_MIN,
  MTYPE_MAX,
  MTYPE_TEXT,
} from '../constants.ts'
import { ClientError } from '../errors.ts'
import { isChatMtype, type MessageRecord } from '../store/types.ts'
import type { Outbox } from './outbox.ts'
import type { PayloadHandler } from './payloads.ts'
import type { Receipts } from './receipts.ts'
import type { BaseComponents, PeerState } from './types.ts'

/** Messages in history: sending, receiving, paging. */
export interface Messages {
  /** Stores any payload as a message, acknowledges it, and emits 'message' if it is new. */
  readonly receive: PayloadHandler
  /** Checks and stores a message in the outbox, which sends it as soon as the friend is keyed. */
  send(p: PeerState, body: string | Uint8Array, options?: SendOptions): Message
  /** A page of a chat's messages, oldest first; no §17 payloads. */
  history(chatid: Uint8Array, options?: HistoryOptions): Message[]
  /** Outgoing messages not delivered yet, in send order; no §17 payloads. */
  undelivered(): Message[]
}

/**
 * A stored message as the app sees it: the record, and its text when it is mtype 1.
 *
 * @example
 * ```ts
 * const page = store.history(chatid, { limit: 50 }).map(toMessage)
 * ```
 */
export function toMessage(record: MessageRecord): Message {
  return { ...record, text: record.mtype === MTYPE_TEXT ? fromUtf8(record.body) : undefined }
}

/**
 * The receipt event of an outgoing message that moved to `sent`, `delivered` or `read`.
 *
 * @example
 * ```ts
 * const receipt = receiptOf(changed)
 * if (receipt) events.emit('receipt', receipt)
 * ```
 */
export function receiptOf(m: MessageRecord): Receipt | undefined {
  if (m.state !== 'sent' && m.state !== 'delivered' && m.state !== 'read') return undefined
  return { peer: m.peer, chatid: m.chatid, msgid: m.msgid, state: m.state }
}

function checkBody(bytes: Uint8Array, mtype: number): void {
  if (!Number.isInteger(mtype) || mtype < 1 || mtype > MTYPE_MAX) {
    throw new ClientError('invalid_argument', 'mtype must be 1..65535')
  }
  if (mtype !== MTYPE_TEXT && mtype < MTYPE_APP_MIN) {
    throw new ClientError('invalid_argument', 'mtype 2..999 are reserved by the protocol (§11)')
  }
  if (mtype === MTYPE_TEXT && fromUtf8(bytes) === undefined) {
    throw new ClientError('invalid_argument', 'mtype 1 is UTF-8 text')
  }
  if (bytes.length < 1 || bytes.length > MAX_MESSAGE_BYTES) {
    throw new ClientError('invalid_argument', `a message is 1..${MAX_MESSAGE_BYTES} bytes`)
  }
}

/**
 * Creates the messages service.
 *
 * @example
 * ```ts
 * const messages = createMessages({ ...components, random, outbox, receipts })
 * const sent = messages.send(peer, 'hello')
 * ```
 */
export function createMessages(
  c: Pick<BaseComponents, 'store' | 'clock' | 'protocol' | 'events'> & {
    random: (length: number) => Uint8Array
    outbox: Outbox
    receipts: Receipts
  },
): Messages {
  const { store, clock } = c
  return {
    receive: ({ peer: p, chatid, msgid, mtype, body }, { ack }) => {
      // stored (and committed) before MESSAGE_RECV: an ack never runs ahead of the disk (§11);
      // a StoreError here escapes, so nothing is acknowledged and the sender retries
      const stored = store.addIncoming({
        peer: p.record.key,
        chatid,
        msgid,
        outgoing: false,
        mtype,
        body,
        state: 'received',
        time: clock.wallNow(),
      })
      ack()
      // a payload of §17 no service took is kept (nothing is lost), but it is no chat message
      if (stored.inserted && isChatMtype(mtype)) c.events.emit('message', toMessage(stored.message))
      else if (stored.message.state === 'read') {
        c.receipts.sendRead(p, { peer: p.record.key, chatid, msgid })
      }
    },
    send: (p, body, options) => {
      const bytes = typeof body === 'string' ? utf8(body) : body
      checkBody(bytes, options?.mtype ?? MTYPE_TEXT)
      const chatid = options?.chatid ?? c.protocol.defaultChatId(p.record.key)
      if (chatid.length !== CHATID_BYTES) {
        throw new ClientError('invalid_argument', `chatid is ${CHATID_BYTES} bytes`)
      }
      // written before the first send: the outbox is the source of truth (§11)
      const record = c.outbox.enqueue({
        peer: p.record.key,
        chatid,
        msgid: c.random(MSGID_BYTES),
        outgoing: true,
        mtype: options?.mtype ?? MTYPE_TEXT,
        body: bytes,
        state: 'queued',
        time: clock.wallNow(),
      })
      return toMessage(record)
    },
    history: (chatid, options) => {
      const limit = options?.limit ?? DEFAULT_PAGE
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) {
        throw new ClientError('invalid_argument', `limit must be 1..${MAX_PAGE}`)
      }
      const query = {
        limit,
        chatOnly: true,
        ...(options?.before === undefined ? {} : { before: options.before }),
      }
      return store.history(chatid, query).map(toMessage)
    },
    undelivered: () => store.outbox({ chatOnly: true }).map(toMessage),
  }
}
