// The session handshake: FRIEND_REQUEST, FRIEND_CONFIRM and the session keys (protocol.md §10).
import { DEFAULT_TTL, type Envelope, type FrameOf } from '@chat6/wire'
import { _abytes, _aint, _concat, _equal, _utf8, _wipe, type Bytes } from './_utils.ts'
import { SESSION_INFO } from './constants.ts'
import { CryptoInputError, SessionError } from './errors.ts'
import { frameHash } from './frames.ts'
import { _acrypto, type ClientIdentity, clientHash } from './identity.ts'
import { signProof, verifyProof } from './proof.ts'
import type { Crypto, EphemeralKey } from './types.ts'

type Request = FrameOf<'FRIEND_REQUEST'>
type Confirm = FrameOf<'FRIEND_CONFIRM'>

/** Per-frame options of the handshake frames. */
export interface HandshakeOptions {
  /** TIMESTAMP of the frame; default: the frame's `nonce` (both are wall-clock ms, §10.1). */
  timestamp?: number
  /** Hop limit; default `DEFAULT_TTL` (64). */
  ttl?: number
}

/** An established session (§10.3). Secrets stay in memory; {@link Session.destroy} wipes them. */
export interface Session {
  /** `requester` sent the FRIEND_REQUEST (A), `responder` the FRIEND_CONFIRM (B). */
  readonly role: 'requester' | 'responder'
  /** 16 bytes naming the session in MESSAGE_* frames. */
  readonly sid: Bytes
  /** Our client hash (`origin` of what we send). */
  readonly ownHash: Bytes
  /** The peer's client key. */
  readonly peerClientKey: Bytes
  /** The peer's client hash (`target_hash` of what we send). */
  readonly peerHash: Bytes
  /** MSGHASH of the request and of the confirm that made this session. */
  readonly requestHash: Bytes
  readonly confirmHash: Bytes
  /** Key that encrypts what we send (`k_AB` for the requester, `k_BA` for the responder). Throws once destroyed. */
  readonly sendKey: Bytes
  /** Key that opens what we receive. Throws once destroyed. */
  readonly receiveKey: Bytes
  /** Whether {@link Session.destroy} was called. */
  readonly destroyed: boolean
  /** The primitives this session encrypts with. */
  readonly crypto: Crypto
  /** Wipes both keys. */
  destroy(): void
}

/** A request sent and not yet confirmed. Holds the ephemeral secret `ek_A` until then. */
export interface PendingSession {
  /** The request frame, proof included. */
  readonly request: Request
  /** Its MSGHASH: the `request` field a valid confirm carries. */
  readonly requestHash: Bytes
  /** The client key we expect to answer. */
  readonly peerClientKey: Bytes
  /** True once a confirm completed it, or after {@link PendingSession.destroy}. */
  readonly done: boolean
  /** Wipes the ephemeral secret (e.g. when a newer request replaces this one). */
  destroy(): void
}

/** Result of {@link answerSession} and {@link completeSession}: a value, or why the frame was refused. */
export type SessionResult<T> = ({ ok: true } & T) | { ok: false; error: SessionError }

interface _PendingState {
  crypto: Crypto
  identity: ClientIdentity
  /** Our ephemeral key, until the session is made or the offer dropped. */
  key: EphemeralKey
  done: boolean
}

const _pending = new WeakMap<PendingSession, _PendingState>()

/**
 * Starts a session with a friend: a fresh ephemeral key and a signed FRIEND_REQUEST (§10.1).
 * @param crypto - primitives (the ephemeral key comes from its random source)
 * @param identity - our client identity (A)
 * @param peerClientKey - the friend's client key (B)
 * @param nonce - wall-clock ms, strictly increasing per sender
 * @param opts - timestamp and ttl of the request
 * @returns the request to send and the pending state to complete with the confirm
 * @example
 * ```ts
 * const { request, pending } = offerSession(crypto, alice, bobKey, Date.now())
 * send(encode(sealFrame(crypto, request, { mac: link })))
 * ```
 */
export function offerSession(
  crypto: Crypto,
  identity: ClientIdentity,
  peerClientKey: Uint8Array,
  nonce: number,
  opts: HandshakeOptions = {},
): { request: Request; requestHash: Bytes; pending: PendingSession } {
  _acrypto(crypto)
  const peerKey = new Uint8Array(_abytes('peerClientKey', peerClientKey, 32))
  _aint('nonce', nonce, 0, Number.MAX_SAFE_INTEGER)
  const ek = crypto.x25519.ephemeral()
  const request = signProof<Request>(identity, {
    type: 'FRIEND_REQUEST',
    timestamp: _aint('opts.timestamp', opts.timestamp ?? nonce, 0, Number.MAX_SAFE_INTEGER),
    target_hash: clientHash(peerKey),
    clientkey: identity.publicKey,
    nonce,
    sessionkey: ek.publicKey,
    ttl: _aint('opts.ttl', opts.ttl ?? DEFAULT_TTL, 0, DEFAULT_TTL),
  })
  const requestHash = frameHash(crypto, request)
  const state: _PendingState = { crypto, identity, key: ek, done: false }
  const pending: PendingSession = Object.freeze({
    request,
    requestHash,
    peerClientKey: peerKey,
    get done() {
      return state.done
    },
    destroy() {
      state.done = true
      state.key.destroy()
    },
  })
  _pending.set(pending, state)
  return { request, requestHash, pending }
}

/**
 * Answers a FRIEND_REQUEST addressed to us: checks it, makes our ephemeral key, signs the
 * FRIEND_CONFIRM and derives the session (§10.2, §10.3). Nonce freshness and `MAX_REQUEST_AGE`
 * (§10.1) need the client's state and clock, so the caller checks them before calling.
 * @param crypto - primitives
 * @param identity - our client identity (B)
 * @param request - the request frame, or its envelope (then its MSGHASH is checked too)
 * @param nonce - nonce of our confirm (wall-clock ms, strictly increasing)
 * @param opts - timestamp and ttl of the confirm
 * @returns `{ ok: true, confirm, session }`, or a {@link SessionError}: `wrong_type`, `bad_hash`,
 *   `wrong_target`, `bad_proof`, `low_order`
 * @example
 * ```ts
 * const r = answerSession(crypto, bob, request, Date.now())
 * if (r.ok) { send(r.confirm); sessions.add(r.session) }
 * ```
 */
export function answerSession(
  crypto: Crypto,
  identity: ClientIdentity,
  request: Request | Envelope<Request>,
  nonce: number,
  opts: HandshakeOptions = {},
): SessionResult<{ confirm: Confirm; session: Session }> {
  _acrypto(crypto)
  _aint('nonce', nonce, 0, Number.MAX_SAFE_INTEGER)
  const frame = _frameOf(crypto, request)
  if ('error' in frame) return { ok: false, error: frame.error }
  const req = frame.frame as Request
  if (req.type !== 'FRIEND_REQUEST') return _fail('wrong_type', 'not a FRIEND_REQUEST')
  if (!_equal(req.target_hash, identity.hash))
    return _fail('wrong_target', 'request is not addressed to this identity')
  if (!verifyProof(crypto, req)) return _fail('bad_proof', 'request proof does not verify')
  const ek = crypto.x25519.ephemeral()
  let shared: Bytes
  try {
    shared = ek.agree(req.sessionkey)
  } catch (cause) {
    return _fail('low_order', 'request session key is a low-order point', cause)
  } finally {
    ek.destroy()
  }
  const requestHash = frame.hash
  const confirm = signProof<Confirm>(identity, {
    type: 'FRIEND_CONFIRM',
    timestamp: _aint('opts.timestamp', opts.timestamp ?? nonce, 0, Number.MAX_SAFE_INTEGER),
    target_hash: clientHash(req.clientkey),
    clientkey: identity.publicKey,
    nonce,
    sessionkey: ek.publicKey,
    request: requestHash,
    ttl: _aint('opts.ttl', opts.ttl ?? DEFAULT_TTL, 0, DEFAULT_TTL),
  })
  const confirmHash = frameHash(crypto, confirm)
  const session = _session(
    crypto,
    'responder',
    shared,
    requestHash,
    confirmHash,
    identity.hash,
    req.clientkey,
  )
  return { ok: true, confirm, session }
}

/**
 * Completes a session with the FRIEND_CONFIRM that answers our pending request (§10.2, §10.3).
 * A refused confirm leaves the pending request usable; a completed one cannot be completed twice.
 * @param pending - from {@link offerSession}
 * @param confirm - the confirm frame, or its envelope (then its MSGHASH is checked too)
 * @returns `{ ok: true, session }`, or a {@link SessionError}: `used`, `wrong_type`, `bad_hash`,
 *   `wrong_request`, `wrong_target`, `unexpected_key`, `bad_proof`, `low_order`
 * @example
 * ```ts
 * const r = completeSession(pending, confirm)
 * if (!r.ok) log(r.error.code)
 * ```
 */
export function completeSession(
  pending: PendingSession,
  confirm: Confirm | Envelope<Confirm>,
): SessionResult<{ session: Session }> {
  const state = _pending.get(pending)
  if (state === undefined)
    throw new CryptoInputError('pending', 'not a PendingSession from offerSession()')
  if (state.done) return _fail('used', 'this request was already completed or destroyed')
  const { crypto, identity } = state
  const frame = _frameOf(crypto, confirm)
  if ('error' in frame) return { ok: false, error: frame.error }
  const conf = frame.frame as Confirm
  if (conf.type !== 'FRIEND_CONFIRM') return _fail('wrong_type', 'not a FRIEND_CONFIRM')
  if (!_equal(conf.request, pending.requestHash))
    return _fail('wrong_request', 'confirm answers another request')
  if (!_equal(conf.target_hash, identity.hash))
    return _fail('wrong_target', 'confirm is not addressed to this identity')
  if (!_equal(conf.clientkey, pending.peerClientKey))
    return _fail('unexpected_key', 'confirm is not from the expected client key')
  if (!verifyProof(crypto, conf)) return _fail('bad_proof', 'confirm proof does not verify')
  let shared: Bytes
  try {
    shared = state.key.agree(conf.sessionkey)
  } catch (cause) {
    return _fail('low_order', 'confirm session key is a low-order point', cause)
  }
  state.done = true
  state.key.destroy()
  const session = _session(
    crypto,
    'requester',
    shared,
    pending.requestHash,
    frame.hash,
    identity.hash,
    conf.clientkey,
  )
  return { ok: true, session }
}

function _fail(
  code: SessionError['code'],
  message: string,
  cause?: unknown,
): { ok: false; error: SessionError } {
  return {
    ok: false,
    error: new SessionError(code, message, cause === undefined ? undefined : { cause }),
  }
}

/** The frame and its MSGHASH; for an envelope the carried hash must match the frame. */
function _frameOf(
  crypto: Crypto,
  input: Request | Confirm | Envelope<Request> | Envelope<Confirm>,
): { frame: Request | Confirm; hash: Bytes } | { error: SessionError } {
  if (typeof input !== 'object' || input === null)
    throw new CryptoInputError('frame', 'expected a frame or an envelope')
  const isEnvelope = 'frame' in input && typeof input.frame === 'object'
  const frame = isEnvelope
    ? (input as Envelope<Request | Confirm>).frame
    : (input as Request | Confirm)
  let hash: Bytes
  try {
    hash = frameHash(crypto, frame)
  } catch (cause) {
    return { error: new SessionError('wrong_type', 'not a valid frame', { cause }) }
  }
  if (isEnvelope && !_equal(hash, (input as Envelope).hash))
    return { error: new SessionError('bad_hash', 'MSGHASH does not match the frame') }
  return { frame, hash }
}

function _session(
  crypto: Crypto,
  role: 'requester' | 'responder',
  shared: Bytes,
  requestHash: Bytes,
  confirmHash: Bytes,
  ownHash: Bytes,
  peerClientKey: Uint8Array,
): Session {
  const okm = crypto.hkdfSha256(shared, _concat(requestHash, confirmHash), _utf8(SESSION_INFO), 80)
  _wipe(shared)
  const kAB = okm.slice(0, 32)
  const kBA = okm.slice(32, 64)
  const sid = okm.slice(64, 80)
  _wipe(okm)
  const sendKey = role === 'requester' ? kAB : kBA
  const receiveKey = role === 'requester' ? kBA : kAB
  const peerKey = new Uint8Array(peerClientKey)
  let destroyed = false
  const live = (k: Bytes): Bytes => {
    if (destroyed) throw new CryptoInputError('session', 'destroyed')
    return k
  }
  return Object.freeze({
    role,
    sid,
    ownHash,
    peerClientKey: peerKey,
    peerHash: clientHash(peerKey),
    requestHash,
    confirmHash,
    crypto,
    get sendKey() {
      return live(sendKey)
    },
    get receiveKey() {
      return live(receiveKey)
    },
    get destroyed() {
      return destroyed
    },
    destroy() {
      destroyed = true
      _wipe(kAB, kBA)
    },
  })
}
