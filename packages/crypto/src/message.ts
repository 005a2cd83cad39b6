// End-to-end messages and receipts under a session (protocol.md §5.4, §11).

import { DEFAULT_TTL, type Envelope, type FrameOf, hashInput, MAX_MESSAGE_BYTES } from '@chat6/wire'
import { sha256 } from '@noble/hashes/sha2.js'
import { _abytes, _aint, _compare, _concat, _context, _copy, _equal, type Bytes } from './_utils.ts'
import { CHAT_CONTEXT, E2E_CONTEXT, ID_BYTES, NONCE_BYTES, TAG_BYTES } from './constants.ts'
import { CryptoInputError, MessageError } from './errors.ts'
import type { Session } from './session.ts'

type Send = FrameOf<'MESSAGE_SEND'>
/** A receipt type of §11. */
export type ReceiptType = 'MESSAGE_RECV' | 'MESSAGE_READ'
/** A receipt frame. */
export type Receipt = FrameOf<ReceiptType>

/** What {@link sealMessage} needs. */
export interface MessageInput {
  /** 16-byte conversation id (see {@link defaultChatId}). */
  chatid: Uint8Array
  /** 16-byte message id; default: 16 random bytes. Re-sends of one message keep it (§9). */
  msgid?: Uint8Array
  /** Message type: 1 = UTF-8 text, 2–999 reserved, 1000–65535 for applications (§11). */
  mtype: number
  /** 1..32768 bytes. */
  plaintext: Uint8Array
  /** Must equal the session's peer hash if given (it is taken from the session). */
  target_hash?: Uint8Array
  /** Must equal the session's own hash if given. */
  origin?: Uint8Array
  /** TIMESTAMP; default `Date.now()`. The sending hop rewrites it anyway. */
  timestamp?: number
  /** Hop limit; default `DEFAULT_TTL`. */
  ttl?: number
}

/** What {@link sealReceipt} needs. */
export interface ReceiptInput {
  /** `chatid` of the message being acknowledged. */
  chatid: Uint8Array
  /** `msgid` of the message being acknowledged. */
  msgid: Uint8Array
  /** TIMESTAMP; default `Date.now()`. */
  timestamp?: number
  /** Hop limit; default `DEFAULT_TTL`. */
  ttl?: number
}

/** Result of opening an end-to-end frame. */
export type OpenResult<T> = ({ ok: true } & T) | { ok: false; error: MessageError }

const _E2E_CONTEXT = _context(E2E_CONTEXT)
const _CHAT_CONTEXT = _context(CHAT_CONTEXT)

/**
 * The §5.4 associated data of an end-to-end frame: `"chat6/v1/e2e" || 0x00 || hash input
 * without the AEAD field`.
 * @param frame - a MESSAGE_SEND, MESSAGE_RECV or MESSAGE_READ (its AEAD field's value is ignored)
 * @returns the AD bytes
 * @example
 * ```ts
 * const ad = associatedData(frame)
 * ```
 */
export function associatedData(frame: Send | Receipt): Bytes {
  if (frame.type === 'MESSAGE_SEND') return _concat(_E2E_CONTEXT, hashInput(frame, 'message'))
  if (frame.type === 'MESSAGE_RECV' || frame.type === 'MESSAGE_READ')
    return _concat(_E2E_CONTEXT, hashInput(frame, 'auth'))
  throw new CryptoInputError('frame.type', 'not an end-to-end frame')
}

/**
 * The default chat of two clients: the first 16 bytes of
 * `SHA-256("chat6/v1/chat" || 0x00 || min(h_A, h_B) || max(h_A, h_B))` (§11). Symmetric.
 * @param hashA - one client hash (32 bytes)
 * @param hashB - the other
 * @returns 16-byte chat id
 * @example
 * ```ts
 * const chatid = defaultChatId(alice.hash, bobHash)
 * ```
 */
export function defaultChatId(hashA: Uint8Array, hashB: Uint8Array): Bytes {
  _abytes('hashA', hashA, 32)
  _abytes('hashB', hashB, 32)
  const [lo, hi] = _compare(hashA, hashB) <= 0 ? [hashA, hashB] : [hashB, hashA]
  return (sha256(_concat(_CHAT_CONTEXT, lo, hi)) as Bytes).slice(0, ID_BYTES)
}

/**
 * Encrypts a message to the session's peer: `message = nonce(24) || ciphertext || tag(16)`
 * under the session's send key, with a fresh random nonce (§11).
 * @param session - an established session
 * @param input - chat, message id, type and plaintext
 * @returns the MESSAGE_SEND frame (seal it for the link with `sealFrame`)
 * @example
 * ```ts
 * const frame = sealMessage(session, { chatid, mtype: 1, plaintext: utf8('hi') })
 * ```
 */
export function sealMessage(session: Session, input: MessageInput): Send {
  const { crypto } = _live(session)
  if (typeof input !== 'object' || input === null)
    throw new CryptoInputError('input', 'expected an object')
  _checkParties(session, input)
  _abytes('input.plaintext', input.plaintext)
  if (input.plaintext.length < 1 || input.plaintext.length > MAX_MESSAGE_BYTES)
    throw new CryptoInputError('input.plaintext', `expected 1 to ${MAX_MESSAGE_BYTES} bytes`)
  const frame: Send = {
    type: 'MESSAGE_SEND',
    timestamp: _aint('input.timestamp', input.timestamp ?? Date.now(), 0, Number.MAX_SAFE_INTEGER),
    target_hash: session.peerHash,
    origin: session.ownHash,
    sid: session.sid,
    chatid: _copy(_abytes('input.chatid', input.chatid, ID_BYTES)),
    msgid:
      input.msgid === undefined
        ? crypto.randomBytes(ID_BYTES)
        : _copy(_abytes('input.msgid', input.msgid, ID_BYTES)),
    mtype: _aint('input.mtype', input.mtype, 1, 65535),
    // placeholder of the final length, so that the AD is computed on a valid frame
    message: new Uint8Array(NONCE_BYTES + input.plaintext.length + TAG_BYTES),
    ttl: _aint('input.ttl', input.ttl ?? DEFAULT_TTL, 0, DEFAULT_TTL),
  }
  const nonce = crypto.randomBytes(NONCE_BYTES)
  const sealed = crypto.xchacha20poly1305.seal(
    session.sendKey,
    nonce,
    input.plaintext,
    associatedData(frame),
  )
  return { ...frame, message: _concat(nonce, sealed) }
}

/**
 * Opens a MESSAGE_SEND from the session's peer. Never throws on hostile frames.
 * @param session - the session named by the frame's `sid`
 * @param frame - the frame, or its envelope
 * @returns `{ ok: true, plaintext }` or a {@link MessageError}: `wrong_type`, `wrong_session`,
 *   `wrong_origin`, `wrong_target`, `bad_length`, `decrypt_failed`, `destroyed`
 * @example
 * ```ts
 * const r = openMessage(session, frame)
 * if (r.ok) store(frame.msgid, r.plaintext)
 * ```
 */
export function openMessage(
  session: Session,
  frame: Send | Envelope<Send>,
): OpenResult<{ plaintext: Bytes }> {
  const f = _unwrap(frame) as Send
  if (f?.type !== 'MESSAGE_SEND') return _fail('wrong_type', 'not a MESSAGE_SEND')
  const checked = _checkIncoming(session, f, f.message, NONCE_BYTES + 1 + TAG_BYTES)
  if (!checked.ok) return checked
  return _open(session, f, f.message)
}

/**
 * Makes a MESSAGE_RECV or MESSAGE_READ for a message received under this session:
 * `auth = nonce(24) || tag(16)`, the AEAD of the empty plaintext under our send key (§11).
 * @param session - the session the message arrived under
 * @param type - `'MESSAGE_RECV'` once stored, `'MESSAGE_READ'` once read
 * @param input - the message's `chatid` and `msgid`
 * @returns the receipt frame
 * @example
 * ```ts
 * const receipt = sealReceipt(session, 'MESSAGE_RECV', { chatid: m.chatid, msgid: m.msgid })
 * ```
 */
export function sealReceipt(session: Session, type: ReceiptType, input: ReceiptInput): Receipt {
  const { crypto } = _live(session)
  if (type !== 'MESSAGE_RECV' && type !== 'MESSAGE_READ')
    throw new CryptoInputError('type', "expected 'MESSAGE_RECV' or 'MESSAGE_READ'")
  if (typeof input !== 'object' || input === null)
    throw new CryptoInputError('input', 'expected an object')
  const frame: Receipt = {
    type,
    timestamp: _aint('input.timestamp', input.timestamp ?? Date.now(), 0, Number.MAX_SAFE_INTEGER),
    target_hash: session.peerHash,
    origin: session.ownHash,
    sid: session.sid,
    chatid: _copy(_abytes('input.chatid', input.chatid, ID_BYTES)),
    msgid: _copy(_abytes('input.msgid', input.msgid, ID_BYTES)),
    auth: new Uint8Array(NONCE_BYTES + TAG_BYTES),
    ttl: _aint('input.ttl', input.ttl ?? DEFAULT_TTL, 0, DEFAULT_TTL),
  }
  const nonce = crypto.randomBytes(NONCE_BYTES)
  const tag = crypto.xchacha20poly1305.seal(
    session.sendKey,
    nonce,
    new Uint8Array(0),
    associatedData(frame),
  )
  return { ...frame, auth: _concat(nonce, tag) }
}

/**
 * Checks a MESSAGE_RECV or MESSAGE_READ from the session's peer. Never throws on hostile frames.
 * @param session - the session named by the receipt's `sid`
 * @param frame - the receipt, or its envelope
 * @returns `{ ok: true, type }` or a {@link MessageError}
 * @example
 * ```ts
 * const r = openReceipt(session, frame)
 * if (r.ok && r.type === 'MESSAGE_RECV') outbox.delivered(frame.msgid)
 * ```
 */
export function openReceipt(
  session: Session,
  frame: Receipt | Envelope<Receipt>,
): OpenResult<{ type: ReceiptType }> {
  const f = _unwrap(frame) as Receipt
  if (f?.type !== 'MESSAGE_RECV' && f?.type !== 'MESSAGE_READ')
    return _fail('wrong_type', 'not a receipt')
  const checked = _checkIncoming(session, f, f.auth, NONCE_BYTES + TAG_BYTES)
  if (!checked.ok) return checked
  if (f.auth.length !== NONCE_BYTES + TAG_BYTES) return _fail('bad_length', 'auth is not 40 bytes')
  const opened = _open(session, f, f.auth)
  return opened.ok ? { ok: true, type: f.type } : opened
}

function _unwrap<F>(frame: F | Envelope): F {
  if (
    typeof frame === 'object' &&
    frame !== null &&
    'frame' in frame &&
    typeof frame.frame === 'object'
  )
    return frame.frame as F
  return frame as F
}

function _live(session: Session): Session {
  if (typeof session !== 'object' || session === null || typeof session.destroy !== 'function')
    throw new CryptoInputError('session', 'expected a Session')
  if (session.destroyed) throw new CryptoInputError('session', 'destroyed')
  return session
}

function _checkParties(session: Session, input: MessageInput): void {
  if (
    input.target_hash !== undefined &&
    !_equal(_abytes('input.target_hash', input.target_hash, 32), session.peerHash)
  )
    throw new CryptoInputError('input.target_hash', "is not the session peer's hash")
  if (
    input.origin !== undefined &&
    !_equal(_abytes('input.origin', input.origin, 32), session.ownHash)
  )
    throw new CryptoInputError('input.origin', "is not the session's own hash")
}

function _fail(
  code: MessageError['code'],
  message: string,
  cause?: unknown,
): { ok: false; error: MessageError } {
  return {
    ok: false,
    error: new MessageError(code, message, cause === undefined ? undefined : { cause }),
  }
}

function _checkIncoming(
  session: Session,
  f: Send | Receipt,
  sealed: unknown,
  minLength: number,
): { ok: true } | { ok: false; error: MessageError } {
  if (session.destroyed) return _fail('destroyed', 'session was destroyed')
  const bytes = (v: unknown, n: number): v is Uint8Array =>
    v instanceof Uint8Array && v.length === n
  if (!bytes(f.sid, ID_BYTES) || !_equal(f.sid, session.sid))
    return _fail('wrong_session', 'sid names another session')
  if (!bytes(f.origin, 32) || !_equal(f.origin, session.peerHash))
    return _fail('wrong_origin', 'origin is not the session peer')
  if (!bytes(f.target_hash, 32) || !_equal(f.target_hash, session.ownHash))
    return _fail('wrong_target', 'target_hash is not this client')
  if (!(sealed instanceof Uint8Array) || sealed.length < minLength)
    return _fail('bad_length', 'AEAD field too short')
  return { ok: true }
}

function _open(
  session: Session,
  f: Send | Receipt,
  field: Uint8Array,
): OpenResult<{ plaintext: Bytes }> {
  let ad: Bytes
  try {
    ad = associatedData(f)
  } catch (cause) {
    return _fail('wrong_type', 'frame is not valid', cause)
  }
  try {
    const plaintext = session.crypto.xchacha20poly1305.open(
      session.receiveKey,
      field.subarray(0, NONCE_BYTES),
      field.subarray(NONCE_BYTES),
      ad,
    )
    return { ok: true, plaintext }
  } catch (cause) {
    return _fail('decrypt_failed', 'message does not open under this session', cause)
  }
}
