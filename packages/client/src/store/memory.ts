// In-memory Store: same contract as the SQLite store, for tests and for clients that keep
// nothing across restarts. Records are copied in and out so callers cannot alias them.
import { toHex } from '../bytes.ts'
import { StoreError } from '../errors.ts'
import {
  type BlockedRecord,
  type FriendRecord,
  type HistoryQuery,
  type IdentityRecord,
  type MessageRecord,
  type MessageState,
  type NewMessage,
  type PendingReadRecord,
  type RequestRecord,
  STATE_RANK,
  type Store,
} from './types.ts'

interface Data {
  meta: Map<string, string>
  identity: IdentityRecord | undefined
  friends: Map<string, FriendRecord>
  requests: Map<string, RequestRecord>
  blocked: Map<string, BlockedRecord>
  messages: Map<string, MessageRecord>
  /** By message key, in insertion order (a Map keeps it). */
  pendingReads: Map<string, PendingReadRecord>
  seq: number
}

function messageKey(peer: Uint8Array, chatid: Uint8Array, msgid: Uint8Array, out: boolean) {
  return `${out ? 'o' : 'i'}:${toHex(peer)}:${toHex(chatid)}:${toHex(msgid)}`
}

const clone = <T>(value: T): T => structuredClone(value)

/**
 * Creates a Store that lives in memory only.
 *
 * @returns a fresh, empty store
 * @example
 * ```ts
 * const client = await createClient({ node, store: createMemoryStore(), nickname: 'bot' })
 * ```
 */
export function createMemoryStore(): Store {
  let data: Data = {
    meta: new Map(),
    identity: undefined,
    friends: new Map(),
    requests: new Map(),
    blocked: new Map(),
    messages: new Map(),
    pendingReads: new Map(),
    seq: 0,
  }
  let closed = false
  let depth = 0

  const open = (): Data => {
    if (closed) throw new StoreError('closed', 'store is closed')
    return data
  }

  return {
    getMeta: (key) => open().meta.get(key),
    setMeta: (key, value) => {
      open().meta.set(key, value)
    },
    getIdentity: () => clone(open().identity),
    putIdentity: (identity) => {
      open().identity = clone(identity)
    },
    friends: () => [...open().friends.values()].map(clone),
    getFriend: (hash) => clone(open().friends.get(toHex(hash))),
    putFriend: (friend) => {
      open().friends.set(toHex(friend.hash), clone(friend))
    },
    deleteFriend: (hash) => {
      open().friends.delete(toHex(hash))
    },
    requests: () =>
      [...open().requests.values()].sort((a, b) => a.receivedAt - b.receivedAt).map(clone),
    getRequest: (hash) => clone(open().requests.get(toHex(hash))),
    putRequest: (request) => {
      open().requests.set(toHex(request.hash), clone(request))
    },
    deleteRequest: (hash) => {
      open().requests.delete(toHex(hash))
    },
    blocked: () => [...open().blocked.values()].map(clone),
    getBlocked: (hash) => clone(open().blocked.get(toHex(hash))),
    putBlocked: (record) => {
      open().blocked.set(toHex(record.hash), clone(record))
    },
    deleteBlocked: (hash) => {
      open().blocked.delete(toHex(hash))
    },
    addOutgoing: (message: NewMessage) => {
      const d = open()
      const key = messageKey(message.peer, message.chatid, message.msgid, true)
      if (d.messages.has(key)) throw new StoreError('failed', 'duplicate outgoing message id')
      const record = { ...clone(message), outgoing: true, seq: ++d.seq }
      d.messages.set(key, record)
      return clone(record)
    },
    addIncoming: (message: NewMessage) => {
      const d = open()
      const key = messageKey(message.peer, message.chatid, message.msgid, false)
      const existing = d.messages.get(key)
      if (existing) return { message: clone(existing), inserted: false }
      const record = { ...clone(message), outgoing: false, seq: ++d.seq }
      d.messages.set(key, record)
      return { message: clone(record), inserted: true }
    },
    getMessage: (peer, chatid, msgid, outgoing) =>
      clone(open().messages.get(messageKey(peer, chatid, msgid, outgoing))),
    advance: (peer, chatid, msgid, outgoing, state: MessageState) => {
      const record = open().messages.get(messageKey(peer, chatid, msgid, outgoing))
      if (!record || STATE_RANK[record.state] >= STATE_RANK[state]) return undefined
      record.state = state
      return clone(record)
    },
    outbox: (peer) => {
      const hex = peer && toHex(peer)
      return [...open().messages.values()]
        .filter(
          (m) =>
            m.outgoing &&
            (m.state === 'queued' || m.state === 'sent') &&
            (hex === undefined || toHex(m.peer) === hex),
        )
        .sort((a, b) => a.seq - b.seq)
        .map(clone)
    },
    history: (chatid, query: HistoryQuery) => {
      const hex = toHex(chatid)
      const before = query.before ?? Number.POSITIVE_INFINITY
      return [...open().messages.values()]
        .filter((m) => m.seq < before && toHex(m.chatid) === hex)
        .sort((a, b) => a.seq - b.seq)
        .slice(-query.limit)
        .map(clone)
    },
    pendingReads: (peer) => {
      const hex = peer && toHex(peer)
      return [...open().pendingReads.values()]
        .filter((r) => hex === undefined || toHex(r.peer) === hex)
        .map(clone)
    },
    putPendingRead: (read) => {
      const d = open()
      const key = messageKey(read.peer, read.chatid, read.msgid, false)
      const { peer, chatid, msgid } = read
      if (!d.pendingReads.has(key)) d.pendingReads.set(key, clone({ peer, chatid, msgid }))
    },
    deletePendingRead: (read) => {
      open().pendingReads.delete(messageKey(read.peer, read.chatid, read.msgid, false))
    },
    deletePendingReads: (peer) => {
      const d = open()
      const hex = toHex(peer)
      for (const [key, r] of d.pendingReads) if (toHex(r.peer) === hex) d.pendingReads.delete(key)
    },
    transaction: <T>(fn: () => T): T => {
      const snapshot = depth === 0 ? clone(open()) : undefined
      depth++
      try {
        return fn()
      } catch (error) {
        if (snapshot) data = snapshot
        throw error
      } finally {
        depth--
      }
    },
    close: () => {
      closed = true
    },
  }
}
