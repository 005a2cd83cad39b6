// Client-side protocol limits and timers. Each cites the section of docs/protocol.md that
// defines it; options of createClient() override the tunable ones.

/** Re-send interval for unconfirmed FRIEND_REQUEST and MESSAGE_SEND frames (§10.4, §11). */
export const RETRY_INTERVAL = 30_000

/** A FRIEND_REQUEST whose nonce differs from our wall clock by more is dropped (§10.1). */
export const MAX_REQUEST_AGE = 600_000

// The wire-level limits a client checks (hop limit §8.2/§9, message body §11, nickname and icon
// §4) are the protocol's, defined once in @chat6/wire.
export { DEFAULT_TTL, MAX_ICON_BYTES, MAX_MESSAGE_BYTES, MAX_NICKNAME_BYTES } from '@chat6/wire'

/** mtype of UTF-8 text (§11). 2–999 are reserved by the spec, 1000–65535 are for apps. */
export const MTYPE_TEXT = 1
/** First mtype an application may use (§11). */
export const MTYPE_APP_MIN = 1000
/** Largest mtype (§4). */
export const MTYPE_MAX = 65_535

/** Most pending (unanswered) incoming friend requests kept; the oldest is dropped (§10.5). */
export const MAX_PENDING_REQUESTS = 100

/** Per-sender token bucket for incoming FRIEND_REQUESTs: burst, then one per interval (§10.5). */
export const REQUEST_BURST = 3
export const REQUEST_REFILL_INTERVAL = 10_000

/** Most MESSAGE_SEND frames in flight (sent, not yet delivered) to one friend (§11.1). */
export const MAX_IN_FLIGHT = 64

/** Default and largest page of history() (§11.1). */
export const DEFAULT_PAGE = 50
export const MAX_PAGE = 1000

/** Length of chatid, msgid and sid values (§4). */
export const CHATID_BYTES = 16
export const MSGID_BYTES = 16

// The profile service's constants (§17.3, §17.4): the limits of a status message and the timers
// of TYPING, for apps that check input or show a typing indicator.
export {
  MAX_NOTE_BYTES,
  MTYPE_PROFILE,
  MTYPE_TYPING,
  TYPING_LAPSE,
  TYPING_REPEAT,
} from './services/profile/constants.ts'
