// The client state machine: presence (§8.1), friends and sessions (§10) and reliable messages
// with a persistent outbox (§11). Key material stays inside Protocol objects in memory; the
// Store sees identities (sealed), friends, requests and messages, never a session secret.
import type { Frame, FrameOf } from '@chat6/wire'
import { equalBytes, fromBase64, fromUtf8, toHex, utf8 } from './bytes.ts'
import type { Clock, TimerId } from './clock.ts'
import {
  CHATID_BYTES,
  DEFAULT_PAGE,
  MAX_ICON_BYTES,
  MAX_IN_FLIGHT,
  MAX_MESSAGE_BYTES,
  MAX_NICKNAME_BYTES,
  MAX_PAGE,
  MAX_PENDING_REQUESTS,
  MAX_REQUEST_AGE,
  MSGID_BYTES,
  MTYPE_APP_MIN,
  MTYPE_MAX,
  MTYPE_TEXT,
  REQUEST_BURST,
  REQUEST_REFILL_INTERVAL,
  RETRY_INTERVAL,
} from './constants.ts'
import { ClientError, checkSignal, StoreError } from './errors.ts'
import { Emitter, type TypedEvents } from './events.ts'
import type { NodeLink, PresenceChange, PresenceInfo } from './link.ts'
import type { PendingOffer, Protocol, SafetyNumber, Session } from './protocol.ts'
import { KeyedBuckets } from './rate.ts'
import type {
  FriendRecord,
  IdentityRecord,
  MessageRecord,
  MessageState,
  PendingReadRecord,
  RequestRecord,
  Store,
} from './store/types.ts'

/** A friend as the app sees it: the stored record plus live presence and session state. */
export interface Friend {
  /** The friend's client key (32 bytes): their identity. */
  key: Uint8Array
  /** Client hash: SHA-256 of the key, the address in the mesh. */
  hash: Uint8Array
  nickname: string | undefined
  icon: Uint8Array | undefined
  /** `requested`: we asked and they have not answered yet; `friend`: confirmed. */
  status: 'requested' | 'friend'
  /**
   * The friend's presence is online: they announced CLIENT_ONLINE and no CLIENT_OFFLINE since
   * (§8.1). Alone it does not mean they can be reached: see `reachable`.
   */
  online: boolean
  /**
   * Online **and** our node has a route to them (§8.2): what a user calls "online". Sessions
   * are made and messages sent only while this is true; `reachable` implies `online`.
   */
  reachable: boolean
  /**
   * A session completed since the friend last became reachable (§11.1): messages and read
   * receipts go out now rather than wait in the store. Implies `reachable`.
   */
  keyed: boolean
  /** The user compared safety numbers and called markVerified. */
  verified: boolean
  /** This key uses the nickname of another friend's key: treat as unverified (§10.5). */
  keyChanged: boolean
  previousKey: Uint8Array | undefined
}

/** An incoming request from someone who is not a friend, waiting for accept/reject. */
export interface FriendRequest {
  key: Uint8Array
  hash: Uint8Array
  nickname: string | undefined
  receivedAt: number
  /** The key of an existing friend whose nickname this stranger presents. */
  conflictsWith: Uint8Array | undefined
}

/** A message in history, incoming or outgoing. */
export interface Message {
  /** Local order; pass as `before` to page history. */
  seq: number
  /** Client key of the other side (sender if incoming, recipient if outgoing). */
  peer: Uint8Array
  chatid: Uint8Array
  msgid: Uint8Array
  outgoing: boolean
  mtype: number
  body: Uint8Array
  /** The UTF-8 text when mtype is 1 and the body is valid UTF-8. */
  text: string | undefined
  state: MessageState
  /** Wall-clock ms when stored. */
  time: number
}

/** Identifies one message. */
export interface MessageRef {
  peer: Uint8Array
  chatid: Uint8Array
  msgid: Uint8Array
}

/** An outgoing message changed state. */
export interface Receipt extends MessageRef {
  state: 'sent' | 'delivered' | 'read'
}

/** Events of a Client. */
export interface ClientEvents {
  /** A friend's presence, reachability or session state changed. */
  presence: Friend
  /** A stranger asked to be friends (not emitted again for their retries). */
  'friend-request': FriendRequest
  /** Someone became a friend: we accepted them, or they confirmed our request. */
  'friend-added': Friend
  /** A new incoming message was stored (never emitted twice for one message). */
  message: Message
  /** One of our messages moved to sent, delivered or read. */
  receipt: Receipt
  /** A new session with a friend is up. */
  session: { key: Uint8Array; sid: Uint8Array }
  /** Something failed in the background (a StoreError while receiving, a listener that threw). */
  error: Error
}

/** A friend given by client key, as bytes or base64. */
export type FriendRef = Uint8Array | string

export interface CallOptions {
  signal?: AbortSignal
}

export interface SendOptions extends CallOptions {
  /** Conversation id (16 bytes); default: the pair's default chat (§11). */
  chatid?: Uint8Array
  /** Message type; 1 (text) for strings; 1000–65535 for app-defined bytes. */
  mtype?: number
}

export interface HistoryOptions extends CallOptions {
  /** Only messages older than this seq. */
  before?: number
  /** Page size, default 50, at most 1000. */
  limit?: number
}

export interface StopOptions extends CallOptions {
  /** Announce CLIENT_OFFLINE before detaching (default true). */
  offline?: boolean
}

/** A running chat6 client. */
export interface Client extends TypedEvents<ClientEvents> {
  /** Our client key: give it to people who want to add us. */
  readonly key: Uint8Array
  /** Our client hash (SHA-256 of the key). */
  readonly hash: Uint8Array
  readonly nickname: string
  readonly icon: Uint8Array | undefined
  /** Sends a friend request; the friend is `requested` until they accept. */
  addFriend(key: FriendRef, options?: CallOptions & { nickname?: string }): Promise<Friend>
  /** Accepts a pending request: the sender becomes a friend and gets our confirm. */
  accept(key: FriendRef, options?: CallOptions): Promise<Friend>
  /** Rejects a pending request: the key stays blocked and is never answered. */
  reject(key: FriendRef, options?: CallOptions): Promise<void>
  /** Blocks a key (friend, requester or stranger): its frames are dropped from now on. */
  block(key: FriendRef, options?: CallOptions): Promise<void>
  /** Lifts a block or rejection. */
  unblock(key: FriendRef, options?: CallOptions): Promise<void>
  /** Removes a friend; history stays. */
  removeFriend(key: FriendRef, options?: CallOptions): Promise<void>
  /** Stores the message in the outbox and sends it as soon as the friend is keyed. */
  send(key: FriendRef, body: string | Uint8Array, options?: SendOptions): Promise<Message>
  /** Marks an incoming message read and tells the sender (MESSAGE_READ). */
  markRead(message: MessageRef, options?: CallOptions): Promise<void>
  /** A page of a chat's history, oldest first. */
  history(chatid: Uint8Array, options?: HistoryOptions): Promise<Message[]>
  /** The default chat id shared with a friend. */
  chatId(key: FriendRef): Uint8Array
  friends(options?: CallOptions): Promise<Friend[]>
  requests(options?: CallOptions): Promise<FriendRequest[]>
  /** Outgoing messages not delivered yet, in send order. */
  outbox(options?: CallOptions): Promise<Message[]>
  setNickname(nickname: string, options?: CallOptions): Promise<void>
  setIcon(icon: Uint8Array | undefined, options?: CallOptions): Promise<void>
  /** The safety number to compare with the friend out of band. */
  safetyNumber(key: FriendRef, options?: CallOptions): Promise<SafetyNumber>
  /** Records that the user compared safety numbers; clears keyChanged. */
  markVerified(key: FriendRef, options?: CallOptions): Promise<Friend>
  /** Stops timers, announces CLIENT_OFFLINE, detaches and closes the store. */
  stop(options?: StopOptions): Promise<void>
}

/** Timers and limits, overridable for tests and tuning. */
export interface ClientLimits {
  retryInterval: number
  maxRequestAge: number
  maxPendingRequests: number
  requestBurst: number
  requestRefillInterval: number
  maxInFlight: number
}

export const DEFAULT_LIMITS: ClientLimits = {
  retryInterval: RETRY_INTERVAL,
  maxRequestAge: MAX_REQUEST_AGE,
  maxPendingRequests: MAX_PENDING_REQUESTS,
  requestBurst: REQUEST_BURST,
  requestRefillInterval: REQUEST_REFILL_INTERVAL,
  maxInFlight: MAX_IN_FLIGHT,
}

/** What the core needs, already resolved by createClient. */
export interface CoreComponents {
  store: Store
  protocol: Protocol
  clock: Clock
  random: (length: number) => Uint8Array
  identity: IdentityRecord
  limits: ClientLimits
  /** Attaches to the node; called once from start(). */
  attach: (handlers: import('./link.ts').LinkHandlers) => NodeLink | Promise<NodeLink>
}

interface Outstanding {
  pending: PendingOffer
  hash: Uint8Array
  timer: TimerId | undefined
}

/** Live state of one friend (memory only). */
interface Peer {
  record: FriendRecord
  hex: string
  online: boolean
  reachable: boolean
  nickname: string | undefined
  icon: Uint8Array | undefined
  /** Newest first; at most two (§10.3). */
  sessions: Session[]
  /** A session completed since the friend last became available. */
  keyed: boolean
  outstanding: Outstanding | undefined
  /** Retry timers of MESSAGE_SEND frames in flight, by msgid hex. */
  inFlight: Map<string, TimerId | undefined>
  /** Every outbox message to this friend with a seq up to this one is in flight. */
  flownTo: number
  lastRenewAt: number
}

const META_PRESENCE_NONCE = 'presence_nonce'
const META_REQUEST_NONCE = 'request_nonce'

function toMessage(record: MessageRecord): Message {
  return { ...record, text: record.mtype === MTYPE_TEXT ? fromUtf8(record.body) : undefined }
}

function checkNickname(nickname: string): void {
  const n = utf8(nickname).length
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the check is for control characters
  if (n < 1 || n > MAX_NICKNAME_BYTES || /[\u0000-\u001f\u007f-\u009f]/.test(nickname)) {
    throw new ClientError(
      'invalid_argument',
      `nickname must be 1..${MAX_NICKNAME_BYTES} UTF-8 bytes without control characters`,
    )
  }
}

function checkIcon(icon: Uint8Array | undefined): void {
  if (icon !== undefined && (icon.length < 1 || icon.length > MAX_ICON_BYTES)) {
    throw new ClientError('invalid_argument', `icon must be 1..${MAX_ICON_BYTES} bytes`)
  }
}

export { checkIcon, checkNickname }

/** @internal Builds and starts the state machine; createClient() is the public entry. */
export async function startCore(c: CoreComponents): Promise<Client> {
  const { store, protocol, clock, limits } = c
  const emitter = new Emitter<ClientEvents>((error) =>
    emitter.emit('error', error instanceof Error ? error : new Error(String(error))),
  )
  const peers = new Map<string, Peer>()
  /** Latest FRIEND_REQUEST frame per stranger, for answering on accept (memory only). */
  const requestFrames = new Map<string, FrameOf<'FRIEND_REQUEST'>>()
  const buckets = new KeyedBuckets(limits.requestBurst, limits.requestRefillInterval)
  let identity = c.identity
  let link: NodeLink | undefined
  let stopped = false

  const fail = (error: unknown) => {
    const e = error instanceof Error ? error : new Error(String(error))
    emitter.emit('error', e)
  }
  /** Runs a frame or timer handler; errors become 'error' events instead of escaping. */
  const guard =
    <A extends unknown[]>(fn: (...args: A) => void) =>
    (...args: A): void => {
      if (stopped) return
      try {
        fn(...args)
      } catch (error) {
        fail(error)
      }
    }

  // ---- helpers ---------------------------------------------------------------------------

  const keyOf = (ref: FriendRef): Uint8Array => {
    const key = typeof ref === 'string' ? fromBase64(ref) : ref
    if (!(key instanceof Uint8Array) || key.length !== 32) {
      throw new ClientError('invalid_argument', 'a client key is 32 bytes (or their base64)')
    }
    return key
  }

  const nextNonce = (meta: string, floor = 0): number => {
    const last = Number(store.getMeta(meta) ?? 0)
    const nonce = Math.max(last + 1, Math.floor(clock.wallNow()), floor + 1)
    store.setMeta(meta, String(nonce))
    return nonce
  }

  const friendView = (p: Peer): Friend => ({
    key: p.record.key,
    hash: p.record.hash,
    nickname: p.nickname ?? p.record.nickname,
    icon: p.icon ?? p.record.icon,
    status: p.record.status,
    online: p.online,
    reachable: p.reachable,
    keyed: ready(p),
    verified: p.record.verified,
    keyChanged: p.record.keyChanged,
    previousKey: p.record.previousKey,
  })

  const available = (p: Peer) => p.online && p.reachable
  /** Keyed and still reachable: messages and receipts can go now (§11.1). */
  const ready = (p: Peer) => p.keyed && available(p)

  const newPeer = (record: FriendRecord): Peer => {
    const info = link?.lookup(record.hash)
    const p: Peer = {
      record,
      hex: toHex(record.hash),
      online: false,
      reachable: false,
      nickname: undefined,
      icon: undefined,
      sessions: [],
      keyed: false,
      outstanding: undefined,
      inFlight: new Map(),
      flownTo: 0,
      lastRenewAt: Number.NEGATIVE_INFINITY,
    }
    applyInfo(p, info)
    peers.set(p.hex, p)
    return p
  }

  const applyInfo = (p: Peer, info: PresenceInfo | undefined) => {
    if (info && !equalBytes(info.clientkey, p.record.key)) return
    p.online = info?.online ?? false
    // whatever the attachment says, a friend who is not online cannot be reached
    p.reachable = p.online && (info?.reachable ?? false)
    if (info?.online) {
      p.nickname = info.nickname
      p.icon = info.icon
    }
  }

  const peerByKey = (key: Uint8Array): Peer | undefined =>
    peers.get(toHex(protocol.clientHash(key)))

  const requirePeer = (key: Uint8Array): Peer => {
    const p = peerByKey(key)
    if (!p) throw new ClientError('unknown_friend', 'not a friend')
    return p
  }

  // ---- sessions (§10) ------------------------------------------------------------------

  const dropOutstanding = (p: Peer) => {
    if (!p.outstanding) return
    clock.clearTimeout(p.outstanding.timer)
    p.outstanding.pending.destroy()
    p.outstanding = undefined
  }

  const dropSessions = (p: Peer) => {
    for (const s of p.sessions) s.destroy()
    p.sessions = []
    p.keyed = false
  }

  /** Sends a fresh FRIEND_REQUEST; re-sent every retryInterval while the friend is online. */
  const offer = (p: Peer) => {
    if (!link || !available(p)) return
    dropOutstanding(p)
    const nonce = nextNonce(META_REQUEST_NONCE)
    const { frame, hash, pending } = protocol.offer(p.record.key, nonce)
    const outstanding: Outstanding = { pending, hash, timer: undefined }
    p.outstanding = outstanding
    p.lastRenewAt = clock.now()
    link.send(frame)
    outstanding.timer = clock.setTimeout(
      guard(() => {
        outstanding.timer = undefined
        // a session made by answering their request since then ends our retries (no churn)
        if (p.outstanding === outstanding && !p.keyed && available(p)) offer(p)
      }),
      limits.retryInterval,
    )
  }

  const installSession = (p: Peer, session: Session) => {
    p.sessions.unshift(session)
    for (const old of p.sessions.splice(2)) old.destroy()
    const wasKeyed = p.keyed
    p.keyed = true
    if (p.record.status === 'requested') {
      p.record = { ...p.record, status: 'friend' }
      store.putFriend(p.record)
      emitter.emit('friend-added', friendView(p))
    }
    emitter.emit('session', { key: p.record.key, sid: session.sid })
    if (!wasKeyed) emitter.emit('presence', friendView(p))
    if (available(p)) {
      if (!wasKeyed) {
        // frames in flight went under a session the friend may have lost: resend under this one
        land(p)
      }
      pump(p)
      flushReads(p)
    }
  }

  const sessionFor = (p: Peer, sid: Uint8Array): Session | undefined =>
    p.sessions.find((s) => equalBytes(s.sid, sid))

  // ---- presence (§8.1) ------------------------------------------------------------------

  const presenceFrame = (type: 'CLIENT_ONLINE' | 'CLIENT_UPDATE', floor = 0) =>
    protocol.presence(type, {
      nonce: nextNonce(META_PRESENCE_NONCE, floor),
      nickname: identity.nickname,
      icon: identity.icon,
    })

  const onPresence = guard((change: PresenceChange) => {
    const p = peers.get(toHex(change.hash))
    if (!p) return
    const wasAvailable = available(p)
    const before = `${p.online}${p.reachable}${p.nickname}${p.icon && toHex(p.icon)}`
    // the node's current view, not the event's: events may trail a newer state
    applyInfo(p, link?.lookup(change.hash) ?? change.info)
    const nowAvailable = available(p)
    if (p.nickname !== undefined && p.nickname !== p.record.nickname && change.info?.online) {
      p.record = { ...p.record, nickname: p.nickname, icon: p.icon }
      store.putFriend(p.record)
    }
    if (wasAvailable && !nowAvailable) {
      pause(p)
    } else if (nowAvailable && (!wasAvailable || change.kind === 'online')) {
      // came online or reachable, or restarted (a new CLIENT_ONLINE): a new session (§10.4)
      p.keyed = false
      offer(p)
    }
    const after = `${p.online}${p.reachable}${p.nickname}${p.icon && toHex(p.icon)}`
    if (before !== after) emitter.emit('presence', friendView(p))
  })

  /** The friend left: stop sending; messages wait in the outbox until they are keyed again. */
  const pause = (p: Peer) => {
    land(p)
    dropOutstanding(p)
    p.keyed = false
  }

  // ---- friend requests (§10.1, §10.2, §10.5) --------------------------------------------

  const onRequest = (frame: FrameOf<'FRIEND_REQUEST'>) => {
    const key = frame.clientkey
    const hash = protocol.clientHash(key)
    const hex = toHex(hash)
    if (equalBytes(key, protocol.key)) return
    if (!equalBytes(frame.target_hash, protocol.hash)) return
    if (store.getBlocked(hash)) return
    const p = peers.get(hex)
    // A friend's requests are refused by their strictly increasing nonce on record (§10.1); only
    // a stranger's are held to the clock window, so a friend whose wall clock jumped can re-key.
    if (!p && Math.abs(frame.nonce - clock.wallNow()) > limits.maxRequestAge) return
    // verify before charging the sender's bucket, so forged frames cannot drain it
    if (!protocol.verifyRequest(frame)) return
    if (!buckets.take(hex, clock.now())) return

    if (p) {
      // a friend: answer at once (§10.2), once per strictly newer nonce (§10.1)
      if (frame.nonce <= p.record.lastRequestNonce) return
      p.record = { ...p.record, lastRequestNonce: frame.nonce }
      store.putFriend(p.record)
      answer(p, frame)
      return
    }
    const existing = store.getRequest(hash)
    if (existing && frame.nonce <= existing.nonce) return
    const info = link?.lookup(hash)
    const nickname = info && equalBytes(info.clientkey, key) ? info.nickname : existing?.nickname
    const record: RequestRecord = {
      hash,
      key,
      nickname,
      nonce: frame.nonce,
      receivedAt: existing?.receivedAt ?? clock.wallNow(),
      conflictsWith: nickname === undefined ? undefined : conflicting(nickname, key),
    }
    store.transaction(() => {
      if (!existing) {
        const all = store.requests()
        for (const old of all.slice(0, Math.max(0, all.length - limits.maxPendingRequests + 1))) {
          store.deleteRequest(old.hash)
          requestFrames.delete(toHex(old.hash))
        }
      }
      store.putRequest(record)
    })
    requestFrames.set(hex, frame)
    if (!existing) emitter.emit('friend-request', requestView(record))
  }

  /** The key of a friend (with another key) who uses this nickname: a possible key change. */
  const conflicting = (nickname: string, key: Uint8Array): Uint8Array | undefined => {
    for (const p of peers.values()) {
      const name = p.nickname ?? p.record.nickname
      if (name === nickname && !equalBytes(p.record.key, key)) return p.record.key
    }
    return undefined
  }

  const requestView = (r: RequestRecord): FriendRequest => ({
    key: r.key,
    hash: r.hash,
    nickname: r.nickname,
    receivedAt: r.receivedAt,
    conflictsWith: r.conflictsWith,
  })

  const answer = (p: Peer, request: FrameOf<'FRIEND_REQUEST'>) => {
    if (!link) return
    const answered = protocol.answer(request, nextNonce(META_REQUEST_NONCE))
    if (!answered) return
    link.send(answered.frame)
    installSession(p, answered.session)
  }

  const onConfirm = (frame: FrameOf<'FRIEND_CONFIRM'>) => {
    if (!equalBytes(frame.target_hash, protocol.hash)) return
    const p = peerByKey(frame.clientkey)
    const out = p?.outstanding
    if (!p || !out || !equalBytes(frame.request, out.hash)) return
    const session = protocol.complete(out.pending, out.hash, p.record.key, frame)
    if (!session) return
    clock.clearTimeout(out.timer)
    out.pending.destroy()
    p.outstanding = undefined
    installSession(p, session)
  }

  // ---- messages (§11) --------------------------------------------------------------------

  /**
   * Sends what the outbox holds for a keyed, available friend, in order, up to the window. It
   * reads the outbox after `flownTo` and only as much as the window has room for: reading it
   * all on every send and receipt made delivery slow down as the outbox grew.
   */
  const pump = (p: Peer) => {
    if (!link || !available(p) || !p.keyed) return
    let after = p.flownTo
    let contiguous = true // everything up to `after` is in flight
    while (p.inFlight.size < limits.maxInFlight) {
      const page = store.outbox({
        peer: p.record.key,
        after,
        limit: limits.maxInFlight - p.inFlight.size,
      })
      let progressed = false
      for (const m of page) {
        if (p.inFlight.size >= limits.maxInFlight) break
        if (m.seq <= after) continue // a Store that ignores the page returns these again
        progressed = true
        const id = toHex(m.msgid)
        if (!p.inFlight.has(id)) transmit(p, m)
        if (!p.inFlight.has(id)) contiguous = false // not sent: leave it for the next pump
        after = m.seq
        if (contiguous) p.flownTo = m.seq
      }
      if (!progressed || !contiguous) break
    }
  }

  /** Takes every frame out of flight: the next pump starts again from the oldest message. */
  const land = (p: Peer) => {
    for (const timer of p.inFlight.values()) clock.clearTimeout(timer)
    p.inFlight.clear()
    p.flownTo = 0
  }

  const transmit = (p: Peer, m: MessageRecord) => {
    const session = p.sessions[0]
    if (!link || !session) return
    const id = toHex(m.msgid)
    const frame = protocol.sealMessage(session, p.record.hash, m, m.body)
    const result = link.send(frame)
    if (result.ok && m.state === 'queued') {
      const changed = store.advance(m, 'sent')
      if (changed) emitReceipt(changed)
    }
    p.inFlight.set(
      id,
      clock.setTimeout(
        guard(() => {
          if (!p.inFlight.has(id)) return
          p.inFlight.delete(id)
          if (!available(p) || !p.keyed) {
            // out of flight but still in the outbox: the next pump must see it again
            p.flownTo = Math.min(p.flownTo, m.seq - 1)
            return
          }
          const current = store.getMessage(m)
          if (current && (current.state === 'queued' || current.state === 'sent')) {
            transmit(p, current)
          } else {
            pump(p)
          }
        }),
        limits.retryInterval,
      ),
    )
  }

  const emitReceipt = (m: MessageRecord) => {
    if (m.state === 'sent' || m.state === 'delivered' || m.state === 'read') {
      emitter.emit('receipt', { peer: m.peer, chatid: m.chatid, msgid: m.msgid, state: m.state })
    }
  }

  /**
   * Sends a receipt under the newest session; false if it could not go. A lost MESSAGE_RECV
   * needs no keeping: the sender re-sends the message until one arrives, and gets it again.
   */
  const sendReceipt = (p: Peer, type: 'MESSAGE_RECV' | 'MESSAGE_READ', ref: MessageRef) => {
    const session = p.sessions[0]
    if (!link || !session || !available(p)) return false
    return link.send(protocol.sealReceipt(session, type, p.record.hash, ref)).ok
  }

  /**
   * Sends MESSAGE_READ if the friend is keyed; otherwise, or if the node refuses it, keeps it in
   * the store until they next are (§11.1), across restarts.
   */
  const sendRead = (p: Peer, ref: MessageRef) => {
    if (ready(p) && sendReceipt(p, 'MESSAGE_READ', ref)) return
    store.putPendingRead({ peer: p.record.key, chatid: ref.chatid, msgid: ref.msgid })
  }

  /** Sends the read receipts kept for a friend who is keyed again, oldest first. */
  const flushReads = (p: Peer) => {
    const sent: PendingReadRecord[] = []
    for (const read of store.pendingReads(p.record.key)) {
      if (!ready(p) || !sendReceipt(p, 'MESSAGE_READ', read)) break
      sent.push(read)
    }
    if (sent.length === 0) return
    store.transaction(() => {
      for (const read of sent) store.deletePendingRead(read)
    })
  }

  /**
   * An unknown sid means the sender holds a session we lost: offer a new one, at most once per
   * retry interval. Sending goes on meanwhile, so a forged frame cannot stall the outbox.
   */
  const renewIfStale = (p: Peer) => {
    if (p.outstanding || clock.now() - p.lastRenewAt < limits.retryInterval) return
    offer(p)
  }

  const onMessage = (frame: FrameOf<'MESSAGE_SEND'>) => {
    if (!equalBytes(frame.target_hash, protocol.hash)) return
    const p = peers.get(toHex(frame.origin))
    if (!p) return
    const session = sessionFor(p, frame.sid)
    if (!session) return renewIfStale(p)
    const body = protocol.openMessage(session, frame)
    if (!body) return
    // stored (and committed) before MESSAGE_RECV: an ack never runs ahead of the disk (§11)
    let stored: { message: MessageRecord; inserted: boolean }
    try {
      stored = store.addIncoming({
        peer: p.record.key,
        chatid: frame.chatid,
        msgid: frame.msgid,
        outgoing: false,
        mtype: frame.mtype,
        body,
        state: 'received',
        time: clock.wallNow(),
      })
    } catch (error) {
      return fail(error)
    }
    const ref = { peer: p.record.key, chatid: frame.chatid, msgid: frame.msgid }
    sendReceipt(p, 'MESSAGE_RECV', ref)
    if (stored.inserted) emitter.emit('message', toMessage(stored.message))
    else if (stored.message.state === 'read') sendRead(p, ref)
  }

  const onReceipt = (frame: FrameOf<'MESSAGE_RECV' | 'MESSAGE_READ'>) => {
    if (!equalBytes(frame.target_hash, protocol.hash)) return
    const p = peers.get(toHex(frame.origin))
    if (!p) return
    const session = sessionFor(p, frame.sid)
    if (!session || !protocol.openReceipt(session, frame)) return
    const state = frame.type === 'MESSAGE_READ' ? 'read' : 'delivered'
    const id = toHex(frame.msgid)
    const ref = { peer: p.record.key, chatid: frame.chatid, msgid: frame.msgid, outgoing: true }
    const changed = store.advance(ref, state)
    if (p.inFlight.has(id)) {
      const current = changed ?? store.getMessage(ref)
      if (current && current.state !== 'queued' && current.state !== 'sent') {
        clock.clearTimeout(p.inFlight.get(id))
        p.inFlight.delete(id)
      }
    }
    if (changed) emitReceipt(changed)
    pump(p)
  }

  const onFrame = guard((frame: Frame) => {
    switch (frame.type) {
      case 'FRIEND_REQUEST':
        return onRequest(frame)
      case 'FRIEND_CONFIRM':
        return onConfirm(frame)
      case 'MESSAGE_SEND':
        return onMessage(frame)
      case 'MESSAGE_RECV':
      case 'MESSAGE_READ':
        return onReceipt(frame)
      default:
        return
    }
  })

  // ---- start -----------------------------------------------------------------------------

  for (const record of store.friends()) newPeer(record)
  // persisted before attaching, so a store that cannot write (full disk) fails the start cleanly
  const online = presenceFrame('CLIENT_ONLINE')
  link = await c.attach({
    onFrame,
    onPresence,
    refreshPresence: async (minNonce) =>
      presenceFrame('CLIENT_UPDATE', minNonce) as FrameOf<'CLIENT_UPDATE'>,
  })
  const announced = link.announce(online)
  if (!announced.ok) {
    // the node holds newer presence (our stored nonce is behind, e.g. a restored backup)
    const floor = announced.reason === 'stale' ? (link.lookup(protocol.hash)?.nonce ?? 0) : -1
    const retry = floor >= 0 ? link.announce(presenceFrame('CLIENT_ONLINE', floor)) : announced
    if (!retry.ok) {
      link.detach()
      throw new ClientError('protocol', `the node refused our presence: ${retry.reason}`)
    }
  }
  for (const p of peers.values()) {
    applyInfo(p, link.lookup(p.record.hash))
    if (available(p)) offer(p)
  }

  // ---- public API ------------------------------------------------------------------------

  const live = (options?: CallOptions) => {
    checkSignal(options?.signal)
    if (stopped) throw new ClientError('stopped', 'client is stopped')
  }

  const addFriend: Client['addFriend'] = async (ref, options) => {
    live(options)
    const key = keyOf(ref)
    if (equalBytes(key, protocol.key)) throw new ClientError('self', 'cannot add yourself')
    const hash = protocol.clientHash(key)
    const existing = peers.get(toHex(hash))
    if (existing) return friendView(existing)
    const request = store.getRequest(hash)
    if (request) return accept(key, options)
    const record: FriendRecord = {
      hash,
      key,
      nickname: options?.nickname,
      icon: undefined,
      status: 'requested',
      verified: false,
      keyChanged: false,
      previousKey: undefined,
      lastRequestNonce: 0,
      addedAt: clock.wallNow(),
    }
    store.transaction(() => {
      store.deleteBlocked(hash)
      store.putFriend(record)
    })
    const p = newPeer(record)
    offer(p)
    return friendView(p)
  }

  const accept: Client['accept'] = async (ref, options) => {
    live(options)
    const key = keyOf(ref)
    const hash = protocol.clientHash(key)
    const hex = toHex(hash)
    const request = store.getRequest(hash)
    if (!request) {
      const p = peers.get(hex)
      if (p) return friendView(p)
      throw new ClientError('no_request', 'no pending request from this key')
    }
    const record: FriendRecord = {
      hash,
      key,
      nickname: request.nickname,
      icon: undefined,
      status: 'friend',
      verified: false,
      keyChanged: request.conflictsWith !== undefined,
      previousKey: request.conflictsWith,
      lastRequestNonce: request.nonce,
      addedAt: clock.wallNow(),
    }
    store.transaction(() => {
      store.deleteRequest(hash)
      store.putFriend(record)
    })
    const p = newPeer(record)
    emitter.emit('friend-added', friendView(p))
    const frame = requestFrames.get(hex)
    requestFrames.delete(hex)
    if (frame && Math.abs(frame.nonce - clock.wallNow()) <= limits.maxRequestAge) answer(p, frame)
    else offer(p)
    return friendView(p)
  }

  const blockKey = (key: Uint8Array, reason: 'rejected' | 'blocked') => {
    const hash = protocol.clientHash(key)
    const hex = toHex(hash)
    store.transaction(() => {
      store.deleteRequest(hash)
      store.deleteFriend(hash)
      store.deletePendingReads(key)
      store.putBlocked({ hash, key, reason, at: clock.wallNow() })
    })
    requestFrames.delete(hex)
    const p = peers.get(hex)
    if (p) {
      pause(p)
      dropSessions(p)
      peers.delete(hex)
    }
  }

  const reject: Client['reject'] = async (ref, options) => {
    live(options)
    const key = keyOf(ref)
    if (!store.getRequest(protocol.clientHash(key))) {
      throw new ClientError('no_request', 'no pending request from this key')
    }
    blockKey(key, 'rejected')
  }

  const block: Client['block'] = async (ref, options) => {
    live(options)
    blockKey(keyOf(ref), 'blocked')
  }

  const unblock: Client['unblock'] = async (ref, options) => {
    live(options)
    store.deleteBlocked(protocol.clientHash(keyOf(ref)))
  }

  const removeFriend: Client['removeFriend'] = async (ref, options) => {
    live(options)
    const p = requirePeer(keyOf(ref))
    store.transaction(() => {
      store.deleteFriend(p.record.hash)
      store.deletePendingReads(p.record.key)
    })
    pause(p)
    dropSessions(p)
    peers.delete(p.hex)
  }

  const send: Client['send'] = async (ref, body, options) => {
    live(options)
    const p = requirePeer(keyOf(ref))
    const bytes = typeof body === 'string' ? utf8(body) : body
    const mtype = options?.mtype ?? MTYPE_TEXT
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
    const chatid = options?.chatid ?? protocol.defaultChatId(p.record.key)
    if (chatid.length !== CHATID_BYTES) {
      throw new ClientError('invalid_argument', `chatid is ${CHATID_BYTES} bytes`)
    }
    // written before the first send: the outbox is the source of truth (§11)
    const record = store.addOutgoing({
      peer: p.record.key,
      chatid,
      msgid: c.random(MSGID_BYTES),
      outgoing: true,
      mtype,
      body: bytes,
      state: 'queued',
      time: clock.wallNow(),
    })
    pump(p)
    return toMessage(store.getMessage(record) ?? record)
  }

  const markRead: Client['markRead'] = async (ref, options) => {
    live(options)
    const p = peerByKey(ref.peer)
    const read = { peer: ref.peer, chatid: ref.chatid, msgid: ref.msgid }
    if (p && ready(p)) {
      if (store.advance({ ...read, outgoing: false }, 'read')) sendRead(p, read)
      return
    }
    // not keyed: the receipt is kept in the same transaction as the state, so neither is lost
    store.transaction(() => {
      const changed = store.advance({ ...read, outgoing: false }, 'read')
      if (changed && p) store.putPendingRead(read)
    })
  }

  const history: Client['history'] = async (chatid, options) => {
    live(options)
    const limit = options?.limit ?? DEFAULT_PAGE
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) {
      throw new ClientError('invalid_argument', `limit must be 1..${MAX_PAGE}`)
    }
    const query = options?.before === undefined ? { limit } : { limit, before: options.before }
    return store.history(chatid, query).map(toMessage)
  }

  const updateIdentity = (next: IdentityRecord) => {
    store.putIdentity(next)
    identity = next
    const result = link?.announce(presenceFrame('CLIENT_UPDATE'))
    if (result && !result.ok) {
      throw new ClientError('protocol', `the node refused our presence: ${result.reason}`)
    }
  }

  const client: Client = {
    key: protocol.key,
    hash: protocol.hash,
    get nickname() {
      return identity.nickname
    },
    get icon() {
      return identity.icon
    },
    on: (name, fn) => emitter.on(name, fn),
    once: (name, fn) => emitter.once(name, fn),
    off: (name, fn) => emitter.off(name, fn),
    addFriend,
    accept,
    reject,
    block,
    unblock,
    removeFriend,
    send,
    markRead,
    history,
    chatId: (ref) => protocol.defaultChatId(keyOf(ref)),
    friends: async (options) => {
      live(options)
      return [...peers.values()].map(friendView)
    },
    requests: async (options) => {
      live(options)
      return store.requests().map(requestView)
    },
    outbox: async (options) => {
      live(options)
      return store.outbox().map(toMessage)
    },
    setNickname: async (nickname, options) => {
      live(options)
      checkNickname(nickname)
      updateIdentity({ ...identity, nickname })
    },
    setIcon: async (icon, options) => {
      live(options)
      checkIcon(icon)
      updateIdentity({ ...identity, icon })
    },
    safetyNumber: async (ref, options) => {
      live(options)
      return protocol.safetyNumber(keyOf(ref))
    },
    markVerified: async (ref, options) => {
      live(options)
      const p = requirePeer(keyOf(ref))
      p.record = { ...p.record, verified: true, keyChanged: false }
      store.putFriend(p.record)
      return friendView(p)
    },
    stop: async (options) => {
      checkSignal(options?.signal)
      if (stopped) return
      try {
        if (link && (options?.offline ?? true)) {
          link.announce(protocol.offline(nextNonce(META_PRESENCE_NONCE)))
        }
      } catch (error) {
        if (!(error instanceof StoreError)) throw error
      } finally {
        stopped = true
        for (const p of peers.values()) {
          pause(p)
          dropSessions(p)
        }
        link?.detach()
        link = undefined
        protocol.destroy()
        store.close()
      }
    },
  }
  return client
}
