// The Store contract: everything a client keeps across restarts. Implementations are
// synchronous so that "stored, then acknowledged" is a plain sequence with no interleaving;
// every method is atomic, and transaction() groups several into one.

/** Outgoing: queued → sent → delivered → read. Incoming: received → read. */
export type MessageState = 'queued' | 'sent' | 'delivered' | 'received' | 'read'

/** Rank of a state: a stored state only ever moves to a higher rank. */
export const STATE_RANK: Record<MessageState, number> = {
  queued: 0,
  sent: 1,
  delivered: 2,
  received: 2,
  read: 3,
}

/** The client's own identity. `secret` is sealed under the passphrase when `sealed`. */
export interface IdentityRecord {
  key: Uint8Array
  secret: Uint8Array
  sealed: boolean
  nickname: string
  icon: Uint8Array | undefined
  createdAt: number
}

/** A friend: someone we added or whose request we accepted. Keyed by client hash. */
export interface FriendRecord {
  hash: Uint8Array
  key: Uint8Array
  /** Last nickname seen in the friend's presence (or given when adding). */
  nickname: string | undefined
  icon: Uint8Array | undefined
  /** `requested`: we asked and no session completed yet; `friend`: a session completed once. */
  status: 'requested' | 'friend'
  /** The user compared safety numbers and marked this key verified. */
  verified: boolean
  /** This key claimed the name of an existing friend with another key (see §10.5). */
  keyChanged: boolean
  /** The friend key this one claimed to replace, when keyChanged. */
  previousKey: Uint8Array | undefined
  /** Highest FRIEND_REQUEST nonce accepted from this key (§10.1 replay check). */
  lastRequestNonce: number
  addedAt: number
}

/** An incoming friend request from a stranger, waiting for accept/reject. */
export interface RequestRecord {
  hash: Uint8Array
  key: Uint8Array
  nickname: string | undefined
  nonce: number
  receivedAt: number
  /** Key of an existing friend whose nickname this stranger uses. */
  conflictsWith: Uint8Array | undefined
}

/** A key we never answer: the user rejected its request or blocked it. */
export interface BlockedRecord {
  hash: Uint8Array
  key: Uint8Array
  reason: 'rejected' | 'blocked'
  at: number
}

/** A message in history; outgoing ones not yet delivered also form the outbox. */
export interface MessageRecord {
  /** Local insertion order: the outbox order and the history cursor. */
  seq: number
  /** Client key of the other side. */
  peer: Uint8Array
  chatid: Uint8Array
  msgid: Uint8Array
  outgoing: boolean
  mtype: number
  body: Uint8Array
  state: MessageState
  /** Wall-clock ms when written. */
  time: number
}

/** A message to store; the store assigns its `seq`. */
export type NewMessage = Omit<MessageRecord, 'seq'>

/**
 * A MESSAGE_READ not sent yet because the friend was not keyed (§11.1): it names the incoming
 * message that was read, and goes out when the friend is next keyed, across restarts.
 */
export interface PendingReadRecord {
  /** Client key of the friend who sent the message. */
  peer: Uint8Array
  chatid: Uint8Array
  msgid: Uint8Array
}

/**
 * Names one stored message: the other side, the chat, the message id, and the direction (an
 * incoming and an outgoing message may share the other three). A {@link MessageRecord} is one.
 */
export interface StoredMessageRef {
  /** Client key of the other side. */
  peer: Uint8Array
  chatid: Uint8Array
  msgid: Uint8Array
  /** True for a message we sent, false for one we received. */
  outgoing: boolean
}

/**
 * Whether a message of this mtype is a chat message (§11): text (1) or an application's bytes
 * (1000–65535), what `send()` sends and `history()` shows. The mtypes between, 2–999, carry the
 * payloads of §17 that the client's services send and keep (a PROFILE, a file chunk): they travel
 * through the outbox like messages, and a client that does not implement one stores it, but
 * neither history nor the outbox of the app lists them.
 *
 * @example
 * ```ts
 * isChatMtype(1) // true
 * isChatMtype(2) // false: PROFILE
 * ```
 */
export const isChatMtype = (mtype: number): boolean => mtype === 1 || mtype >= 1000

/** Which part of the outbox to read. */
export interface OutboxQuery {
  /** Only messages to this client key (default: to everyone). */
  peer?: Uint8Array
  /** Only messages with seq above this (default 0: from the start). */
  after?: number
  /** At most this many (default: all). */
  limit?: number
  /** Only chat messages ({@link isChatMtype}), not the payloads of §17 (default false). */
  chatOnly?: boolean
}

/** Which page of a chat's history to read. */
export interface HistoryQuery {
  /** Only messages with seq below this. */
  before?: number
  limit: number
  /** Only chat messages ({@link isChatMtype}), not the payloads of §17 (default false). */
  chatOnly?: boolean
}

/** A friend's latest PROFILE (§17.3), as received. */
export interface FriendProfile {
  nickname: string
  icon: Uint8Array | undefined
  /** The `status` token as sent (`online`, `away`, `busy`, or another the app shows as online). */
  status: string | undefined
  /** The status message. */
  note: string | undefined
  /** The payload families the friend implements (`typing`, …), ascending. */
  caps: string[]
  /** Wall-clock ms when it arrived. */
  receivedAt: number
}

/**
 * What the profile service keeps per friend (§17.3): their latest PROFILE, and which version of
 * ours they acknowledged. Keyed by the friend's client hash.
 */
export interface ProfileRecord {
  hash: Uint8Array
  /** Their latest PROFILE; undefined until one arrives (a version-1 client never sends one). */
  theirs: FriendProfile | undefined
  /** The version of our profile they last acknowledged (0: none yet). */
  acked: number
  /** Our PROFILE to them still in the outbox, unacknowledged: its msgid and version. */
  pending: { msgid: Uint8Array; version: number } | undefined
}

/**
 * Persistent state of one client. Methods throw `StoreError` (by name) with code `full`,
 * `corrupt`, `io`, `busy`, `readonly`, `closed` or `failed`; a failed call changes nothing.
 */
export interface Store {
  getMeta(key: string): string | undefined
  setMeta(key: string, value: string): void

  getIdentity(): IdentityRecord | undefined
  putIdentity(identity: IdentityRecord): void

  friends(): FriendRecord[]
  getFriend(hash: Uint8Array): FriendRecord | undefined
  putFriend(friend: FriendRecord): void
  deleteFriend(hash: Uint8Array): void

  /** Pending requests, oldest first. */
  requests(): RequestRecord[]
  getRequest(hash: Uint8Array): RequestRecord | undefined
  putRequest(request: RequestRecord): void
  deleteRequest(hash: Uint8Array): void

  blocked(): BlockedRecord[]
  getBlocked(hash: Uint8Array): BlockedRecord | undefined
  putBlocked(record: BlockedRecord): void
  deleteBlocked(hash: Uint8Array): void

  /** Appends an outgoing message; returns it with its seq. */
  addOutgoing(message: NewMessage): MessageRecord
  /**
   * Stores an incoming message unless (peer, chatid, msgid) is already there. Returns the
   * stored record and whether it was new.
   */
  addIncoming(message: NewMessage): { message: MessageRecord; inserted: boolean }
  /** The message `ref` names, e.g. `getMessage({ peer, chatid, msgid, outgoing: true })`. */
  getMessage(ref: StoredMessageRef): MessageRecord | undefined
  /**
   * Moves the message `ref` names to a higher-ranked state, e.g.
   * `advance({ peer, chatid, msgid, outgoing: true }, 'delivered')`; returns the record if it
   * changed, undefined if it is missing or already at that state or past it.
   */
  advance(ref: StoredMessageRef, state: MessageState): MessageRecord | undefined
  /**
   * Outgoing messages in state queued or sent, in seq order; to one `peer` if given; only those
   * with seq above `after`, and at most `limit` of them (the client reads only what its send
   * window can take); only chat messages if `chatOnly`.
   */
  outbox(query?: OutboxQuery): MessageRecord[]
  /** Up to `limit` messages of a chat with seq < before (only chat messages if `chatOnly`), oldest first. */
  history(chatid: Uint8Array, query: HistoryQuery): MessageRecord[]

  /** Read receipts waiting to be sent, oldest first; to one peer if given. */
  pendingReads(peer?: Uint8Array): PendingReadRecord[]
  /** Keeps a read receipt until it is sent; keeping the same one again changes nothing. */
  putPendingRead(read: PendingReadRecord): void
  /** Forgets one read receipt (it was sent). */
  deletePendingRead(read: PendingReadRecord): void
  /** Forgets every read receipt to a peer (no longer a friend). */
  deletePendingReads(peer: Uint8Array): void

  /** What the profile service keeps for a friend (by client hash), if anything. */
  getProfile(hash: Uint8Array): ProfileRecord | undefined
  putProfile(profile: ProfileRecord): void
  deleteProfile(hash: Uint8Array): void

  /** Runs fn atomically: all its writes happen, or none. */
  transaction<T>(fn: () => T): T
  close(): void
}
