// The public types of a client: what the app sees of friends, requests and messages, the
// events, the options of each call, and the Client interface itself. client.ts implements it.
import type { TypedEvents } from './events.ts'
import type { SafetyNumber } from './protocol.ts'
import type { MessageRecord } from './store/types.ts'

/**
 * What a user tells friends about being around (§17.3 `status`): `online` (the default), `away`
 * or `busy`. It travels in PROFILE, end to end, never in presence.
 */
export type Availability = 'online' | 'away' | 'busy'

/** Our status as friends see it: availability and status message. */
export interface Status {
  availability: Availability
  /** The status message (1..140 UTF-8 bytes), or none. */
  note: string | undefined
}

/** A change of our status: a field left out stays as it is; `note: null` clears the message. */
export interface StatusUpdate {
  availability?: Availability
  note?: string | null
}

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
  /**
   * What their latest PROFILE says (§17.3): `away`, `busy`, else `online`. It is what they last
   * told us, kept while they are offline too: show it next to `reachable`, not instead of it.
   */
  availability: Availability
  /** Their status message, from their latest PROFILE. */
  note: string | undefined
  /**
   * They are typing in our chat now (§17.4): set by their TYPING `active`, cleared by `idle`,
   * 10 s after the last `active` (TYPING_LAPSE), or when they become unreachable.
   */
  typing: boolean
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

/** A message in history, incoming or outgoing: the stored record and its text. */
export interface Message extends MessageRecord {
  /** The UTF-8 text when mtype is 1 and the body is valid UTF-8. */
  text: string | undefined
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
  /**
   * A friend's presence, reachability or session state changed, or their PROFILE did (nickname,
   * icon, availability, note).
   */
  presence: Friend
  /** A friend started or stopped typing in our chat (`friend.typing`, §17.4). */
  typing: Friend
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

/** What every Client method takes last. */
export interface CallOptions {
  /** Aborts the call (ClientError `aborted`) if it fires first. */
  signal?: AbortSignal
}

/** Options of {@link Client.send}. */
export interface SendOptions extends CallOptions {
  /** Conversation id (16 bytes); default: the pair's default chat (§11). */
  chatid?: Uint8Array
  /** Message type; 1 (text) for strings; 1000–65535 for app-defined bytes. */
  mtype?: number
}

/** Options of {@link Client.history}. */
export interface HistoryOptions extends CallOptions {
  /** Only messages older than this seq. */
  before?: number
  /** Page size, default 50, at most 1000. */
  limit?: number
}

/** Options of {@link Client.stop}. */
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
  /** Our availability and status message, as friends get them in our PROFILE. */
  readonly status: Status
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
  /** Stores a new nickname, announces it (CLIENT_UPDATE) and sends friends our new PROFILE. */
  setNickname(nickname: string, options?: CallOptions): Promise<void>
  /** Stores a new icon (or none), announces it and sends friends our new PROFILE. */
  setIcon(icon: Uint8Array | undefined, options?: CallOptions): Promise<void>
  /**
   * Changes our availability and status message, and sends friends our new PROFILE (§17.3):
   * at once to those keyed, the others when they are next. Kept across restarts.
   *
   * @throws ClientError `invalid_argument` for an availability other than online/away/busy, or
   *   a note that is empty, over 140 UTF-8 bytes or holds control characters
   * @example
   * ```ts
   * await client.setStatus({ availability: 'away', note: 'back at 2' })
   * await client.setStatus({ availability: 'online', note: null })
   * ```
   */
  setStatus(status: StatusUpdate, options?: CallOptions): Promise<void>
  /**
   * Says whether the user is typing in this friend's chat (§17.4). Call it with `true` on every
   * change of the input (it sends TYPING `active` at most every 5 s) and with `false` when the
   * input is cleared or sent (one `idle`, if `active` went out). Ephemeral: sent only while the
   * friend is keyed, and only if their PROFILE lists `cap=typing`; otherwise nothing is sent.
   *
   * @throws ClientError `unknown_friend`
   * @example
   * ```ts
   * input.on('change', (text) => void client.setTyping(friend.key, text !== ''))
   * input.on('submit', () => void client.setTyping(friend.key, false))
   * ```
   */
  setTyping(key: FriendRef, active: boolean, options?: CallOptions): Promise<void>
  /** The safety number to compare with the friend out of band. */
  safetyNumber(key: FriendRef, options?: CallOptions): Promise<SafetyNumber>
  /** Records that the user compared safety numbers; clears keyChanged. */
  markVerified(key: FriendRef, options?: CallOptions): Promise<Friend>
  /** Stops timers, announces CLIENT_OFFLINE, detaches and closes the store. */
  stop(options?: StopOptions): Promise<void>
}
