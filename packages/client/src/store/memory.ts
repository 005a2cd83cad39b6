// In-memory Store: same contract as the SQLite store, for tests and for clients that keep
// nothing across restarts. Records are copied in and out so callers cannot alias them, and a
// transaction logs how to undo its changes instead of copying the store (which cost 19–33 ms
// per transaction at 4,000 messages).
import { toHex } from '../bytes.ts'
import { StoreError } from '../errors.ts'
import {
  type BlockedRecord,
  type FriendRecord,
  type HistoryQuery,
  type IdentityRecord,
  isChatMtype,
  type MessageRecord,
  type MessageState,
  type NewMessage,
  type PendingReadRecord,
  type ProfileRecord,
  type RequestRecord,
  STATE_RANK,
  type Store,
  type StoredMessageRef,
} from './types.ts'

interface Data {
  meta: Map<string, string>
  identity: IdentityRecord | undefined
  friends: Map<string, FriendRecord>
  requests: Map<string, RequestRecord>
  blocked: Map<string, BlockedRecord>
  messages: Map<string, MessageRecord>
  /** The outgoing messages still queued or sent, by message key, in seq order. */
  outbox: Map<string, MessageRecord>
  /** By message key, in insertion order (a Map keeps it). */
  pendingReads: Map<string, PendingReadRecord>
  /** By hex client hash. */
  profiles: Map<string, ProfileRecord>
  seq: number
}

function messageKey({ peer, chatid, msgid, outgoing }: StoredMessageRef) {
  return `${outgoing ? 'o' : 'i'}:${toHex(peer)}:${toHex(chatid)}:${toHex(msgid)}`
}

const clone = <T>(value: T): T => structuredClone(value)

const inOutbox = (m: MessageRecord) => m.outgoing && (m.state === 'queued' || m.state === 'sent')

/** Copies of the records keyed by hex hash, by `time` then hash: the SQLite store's order. */
function sortedBy<T>(records: Map<string, T>, time: (r: T) => number): T[] {
  return [...records]
    .sort(([ka, a], [kb, b]) => time(a) - time(b) || (ka < kb ? -1 : ka > kb ? 1 : 0))
    .map(([, r]) => clone(r))
}

/**
 * What rolls a failed transaction back: one step per change, undone newest first. A change to
 * one key costs one step; a deletion keeps a shallow copy of its map (once per map and
 * savepoint), so that a rollback also restores the order in which entries were inserted.
 * Records are never shared with callers, so references are enough.
 */
class UndoLog {
  private readonly steps: Array<() => void> = []
  /** Where the innermost open savepoint starts. */
  private floor = 0
  /** The step that copied each map, for copies still in the log. */
  private readonly copies = new Map<Map<unknown, unknown>, number>()
  private open = 0

  /** Whether a transaction is open, so that changes must be logged. */
  get active(): boolean {
    return this.open > 0
  }

  /** Opens a savepoint; returns what {@link rollback} and {@link release} need. */
  begin(): { start: number; floor: number } {
    const mark = { start: this.steps.length, floor: this.floor }
    this.floor = this.steps.length
    this.open++
    return mark
  }

  /** Undoes every step since `mark` was taken, and closes its savepoint. */
  rollback(mark: { start: number; floor: number }): void {
    while (this.steps.length > mark.start) (this.steps.pop() as () => void)()
    this.release(mark)
  }

  /** Closes the savepoint of `mark`, keeping its steps for an outer rollback. */
  release(mark: { start: number; floor: number }): void {
    this.floor = mark.floor
    for (const [map, at] of this.copies) if (at >= this.steps.length) this.copies.delete(map)
    // the outermost transaction is over: nothing is left to undo
    if (--this.open === 0) {
      this.steps.length = 0
      this.copies.clear()
    }
  }

  push(step: () => void): void {
    this.steps.push(step)
  }

  set<K, V>(map: Map<K, V>, key: K, value: V): void {
    if (map.has(key)) {
      const prev = map.get(key) as V
      this.steps.push(() => map.set(key, prev))
    } else {
      this.steps.push(() => map.delete(key))
    }
    map.set(key, value)
  }

  delete<K, V>(map: Map<K, V>, key: K): void {
    if (!map.has(key)) return
    const m = map as Map<unknown, unknown>
    const at = this.copies.get(m)
    if (at === undefined || at < this.floor) {
      const before = new Map(map)
      this.copies.set(m, this.steps.length)
      this.steps.push(() => {
        map.clear()
        for (const [k, v] of before) map.set(k, v)
      })
    }
    map.delete(key)
  }
}

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
  const data: Data = {
    meta: new Map(),
    identity: undefined,
    friends: new Map(),
    requests: new Map(),
    blocked: new Map(),
    messages: new Map(),
    outbox: new Map(),
    pendingReads: new Map(),
    profiles: new Map(),
    seq: 0,
  }
  let closed = false
  // Changes are logged only inside a transaction; outside one there is nothing to undo.
  const log = new UndoLog()
  const set = <K, V>(map: Map<K, V>, key: K, value: V) =>
    log.active ? log.set(map, key, value) : void map.set(key, value)
  const del = <K, V>(map: Map<K, V>, key: K) =>
    log.active ? log.delete(map, key) : void map.delete(key)
  /** `obj[key] = value`, undone with the transaction. */
  const assign = <O, K extends keyof O>(obj: O, key: K, value: O[K]): O[K] => {
    if (log.active) {
      const prev = obj[key]
      log.push(() => {
        obj[key] = prev
      })
    }
    obj[key] = value
    return value
  }
  const nextSeq = (d: Data) => assign(d, 'seq', d.seq + 1)

  const open = (): Data => {
    if (closed) throw new StoreError('closed', 'store is closed')
    return data
  }

  return {
    getMeta: (key) => open().meta.get(key),
    setMeta: (key, value) => {
      set(open().meta, key, value)
    },
    getIdentity: () => clone(open().identity),
    putIdentity: (identity) => {
      assign(open(), 'identity', clone(identity))
    },
    friends: () => sortedBy(open().friends, (f) => f.addedAt),
    getFriend: (hash) => clone(open().friends.get(toHex(hash))),
    putFriend: (friend) => {
      set(open().friends, toHex(friend.hash), clone(friend))
    },
    deleteFriend: (hash) => {
      del(open().friends, toHex(hash))
    },
    requests: () => sortedBy(open().requests, (r) => r.receivedAt),
    getRequest: (hash) => clone(open().requests.get(toHex(hash))),
    putRequest: (request) => {
      set(open().requests, toHex(request.hash), clone(request))
    },
    deleteRequest: (hash) => {
      del(open().requests, toHex(hash))
    },
    blocked: () => sortedBy(open().blocked, (b) => b.at),
    getBlocked: (hash) => clone(open().blocked.get(toHex(hash))),
    putBlocked: (record) => {
      set(open().blocked, toHex(record.hash), clone(record))
    },
    deleteBlocked: (hash) => {
      del(open().blocked, toHex(hash))
    },
    addOutgoing: (message: NewMessage) => {
      const d = open()
      const key = messageKey({ ...message, outgoing: true })
      if (d.messages.has(key)) throw new StoreError('failed', 'duplicate outgoing message id')
      const record = { ...clone(message), outgoing: true, seq: nextSeq(d) }
      set(d.messages, key, record)
      if (inOutbox(record)) set(d.outbox, key, record)
      return clone(record)
    },
    addIncoming: (message: NewMessage) => {
      const d = open()
      const key = messageKey({ ...message, outgoing: false })
      const existing = d.messages.get(key)
      if (existing) return { message: clone(existing), inserted: false }
      const record = { ...clone(message), outgoing: false, seq: nextSeq(d) }
      set(d.messages, key, record)
      return { message: clone(record), inserted: true }
    },
    getMessage: (ref) => clone(open().messages.get(messageKey(ref))),
    advance: (ref, state: MessageState) => {
      const d = open()
      const key = messageKey(ref)
      const record = d.messages.get(key)
      if (!record || STATE_RANK[record.state] >= STATE_RANK[state]) return undefined
      assign(record, 'state', state)
      if (!inOutbox(record)) del(d.outbox, key)
      return clone(record)
    },
    outbox: ({ peer, after = 0, limit = Number.POSITIVE_INFINITY, chatOnly = false } = {}) => {
      const hex = peer && toHex(peer)
      const out: MessageRecord[] = []
      for (const m of open().outbox.values()) {
        if (out.length >= limit) break
        if (m.seq <= after || (hex !== undefined && toHex(m.peer) !== hex)) continue
        if (!chatOnly || isChatMtype(m.mtype)) out.push(clone(m))
      }
      return out
    },
    history: (chatid, query: HistoryQuery) => {
      const hex = toHex(chatid)
      const before = query.before ?? Number.POSITIVE_INFINITY
      return [...open().messages.values()]
        .filter(
          (m) =>
            m.seq < before &&
            toHex(m.chatid) === hex &&
            (query.chatOnly !== true || isChatMtype(m.mtype)),
        )
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
      const key = messageKey({ ...read, outgoing: false })
      const { peer, chatid, msgid } = read
      if (!d.pendingReads.has(key)) set(d.pendingReads, key, clone({ peer, chatid, msgid }))
    },
    deletePendingRead: (read) => {
      del(open().pendingReads, messageKey({ ...read, outgoing: false }))
    },
    deletePendingReads: (peer) => {
      const d = open()
      const hex = toHex(peer)
      for (const [key, r] of d.pendingReads) if (toHex(r.peer) === hex) del(d.pendingReads, key)
    },
    getProfile: (hash) => clone(open().profiles.get(toHex(hash))),
    putProfile: (profile) => {
      set(open().profiles, toHex(profile.hash), clone(profile))
    },
    deleteProfile: (hash) => {
      del(open().profiles, toHex(hash))
    },
    // Nested transactions are savepoints, as in SQLite: a failed inner one is undone alone, and
    // the outer one goes on if it catches the error.
    transaction: <T>(fn: () => T): T => {
      open()
      const mark = log.begin()
      try {
        const result = fn()
        log.release(mark)
        return result
      } catch (error) {
        log.rollback(mark)
        throw error
      }
    },
    close: () => {
      closed = true
    },
  }
}
