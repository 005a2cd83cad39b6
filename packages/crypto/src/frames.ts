// MSGHASH and MSGSIGNATURE of whole lines (protocol.md §5.1, §5.2, §6.4).
import {
  type DecodeResult,
  type Envelope,
  type Frame,
  type FrameOf,
  hashInput,
  signingInput,
  ZERO_SIGNATURE,
} from '@chat6/wire'
import { _concat, _context, _equal, type Bytes } from './_utils.ts'
import { HELLO_CONTEXT } from './constants.ts'
import { CryptoInputError } from './errors.ts'
import { _acrypto, _signerOf, type NodeKey } from './identity.ts'
import type { LinkMac } from './link.ts'
import type { Crypto } from './types.ts'

/** A successfully decoded line: what `decode()` of @chat6/wire returns when `ok`. */
export type DecodedLine = Extract<DecodeResult, { ok: true }>

/** How {@link sealFrame} authenticates a line (§5.2). */
export type SealWith =
  /** HELLO: Ed25519 by the node key. */
  | { nodeKey: NodeKey }
  /** Every frame after HELLO: the link MAC (advances its send counter). */
  | { mac: LinkMac }
  /** BYE before the link is up: the zero signature (§6.4). */
  | { zero: true }

/** Outcome of checking a received line. Codes match the BYE/drop reasons of §6.5. */
export type FrameCheck =
  | { ok: true }
  | {
      ok: false
      /** `bad_hash`: MSGHASH wrong; `bad_signature`: signature or MAC wrong; `wrong_type`: not the frame type this check is for. */
      code: 'bad_hash' | 'bad_signature' | 'wrong_type'
    }

const _HELLO_CONTEXT = _context(HELLO_CONTEXT)

/**
 * MSGHASH of a frame: `SHA-256(hash input)` (§5.1).
 * @param crypto - primitives
 * @param frame - a valid frame
 * @returns 32 bytes
 * @example
 * ```ts
 * const requestHash = frameHash(crypto, request)
 * ```
 */
export function frameHash(crypto: Crypto, frame: Frame): Bytes {
  return _acrypto(crypto).sha256(hashInput(frame))
}

/**
 * Computes MSGHASH and MSGSIGNATURE of a frame, giving the envelope that `encode()` turns into a line.
 * @param crypto - primitives
 * @param frame - the frame, its `timestamp` set
 * @param auth - `{ nodeKey }` for HELLO, `{ mac }` for every later frame, `{ zero: true }` for a pre-link BYE
 * @returns the envelope
 * @example
 * ```ts
 * const line = encode(sealFrame(crypto, { type: 'KEEPALIVE_REQUEST', timestamp: now, id: 0 }, { mac: link }))
 * ```
 */
export function sealFrame<F extends Frame>(crypto: Crypto, frame: F, auth: SealWith): Envelope<F> {
  _acrypto(crypto)
  if (typeof auth !== 'object' || auth === null)
    throw new CryptoInputError('auth', 'expected { nodeKey }, { mac } or { zero: true }')
  if (frame?.type === 'HELLO' && !('nodeKey' in auth))
    throw new CryptoInputError('auth', 'HELLO is signed with { nodeKey }')
  const hash = frameHash(crypto, frame)
  const input = signingInput(frame, hash)
  let signature: Uint8Array
  if ('nodeKey' in auth) {
    if (frame.type !== 'HELLO')
      throw new CryptoInputError('auth', 'only HELLO is signed with the node key')
    if (!_equal(frame.nodekey, auth.nodeKey.publicKey))
      throw new CryptoInputError('frame.nodekey', 'is not the public key of auth.nodeKey')
    signature = _signerOf(auth.nodeKey, 'auth.nodeKey').sign(_concat(_HELLO_CONTEXT, input))
  } else if ('mac' in auth) {
    signature = auth.mac.sign(input)
  } else if ('zero' in auth && auth.zero === true) {
    if (frame.type !== 'BYE')
      throw new CryptoInputError('auth', 'only BYE may carry the zero signature')
    signature = new Uint8Array(ZERO_SIGNATURE)
  } else {
    throw new CryptoInputError('auth', 'expected { nodeKey }, { mac } or { zero: true }')
  }
  return { signature, hash, frame }
}

/**
 * Checks a received HELLO: MSGHASH, and the Ed25519 signature by its own `nodekey` (§5.2, §6.2).
 * Clock skew, version and peer policy are the caller's to check.
 * @param crypto - primitives
 * @param line - the decoded line
 * @returns `{ ok: true }` or the reason (`BYE bad_signature` either way)
 * @example
 * ```ts
 * const r = decode(bytes)
 * if (!r.ok || r.envelope.frame.type !== 'HELLO') return bye('bad_frame')
 * if (!verifyHello(crypto, r).ok) return bye('bad_signature')
 * ```
 */
export function verifyHello(crypto: Crypto, line: DecodedLine): FrameCheck {
  _acrypto(crypto)
  const { envelope } = line
  const frame = envelope.frame
  if (frame.type !== 'HELLO') return { ok: false, code: 'wrong_type' }
  if (!_hashMatches(crypto, line)) return { ok: false, code: 'bad_hash' }
  const message = _concat(_HELLO_CONTEXT, line.signingInput)
  if (!crypto.ed25519.verify(envelope.signature, message, frame.nodekey))
    return { ok: false, code: 'bad_signature' }
  return { ok: true }
}

/**
 * Checks a received line after HELLO: MSGHASH and the link MAC (§5.2, §6.3). The link's receive
 * counter advances exactly once, whatever the outcome.
 * @param crypto - primitives
 * @param line - the decoded line
 * @param mac - the link's MACs
 * @returns `{ ok: true }` or the reason (a failed MAC is fatal: `BYE bad_signature`)
 * @example
 * ```ts
 * const r = decode(bytes)
 * if (!r.ok) { link.skip(); return drop(r.error.code) }
 * const check = verifyFrame(crypto, r, link)
 * ```
 */
export function verifyFrame(crypto: Crypto, line: DecodedLine, mac: LinkMac): FrameCheck {
  _acrypto(crypto)
  const macOk = mac.verify(line.signingInput, line.envelope.signature)
  if (!_hashMatches(crypto, line)) return { ok: false, code: 'bad_hash' }
  return macOk ? { ok: true } : { ok: false, code: 'bad_signature' }
}

/**
 * Whether a line is a BYE with the zero signature and a correct MSGHASH (§6.4). Such a BYE
 * authenticates nothing: treat it only as a reason to close.
 * @param crypto - primitives
 * @param line - the decoded line
 * @returns `{ ok: true }` for a well-formed pre-link BYE
 * @example
 * ```ts
 * if (verifyPreLinkBye(crypto, r).ok) close()
 * ```
 */
export function verifyPreLinkBye(crypto: Crypto, line: DecodedLine): FrameCheck {
  _acrypto(crypto)
  const env = line.envelope as Envelope<FrameOf<'BYE'>> | Envelope
  if (env.frame.type !== 'BYE') return { ok: false, code: 'wrong_type' }
  if (!_hashMatches(crypto, line)) return { ok: false, code: 'bad_hash' }
  return _equal(env.signature, ZERO_SIGNATURE) ? { ok: true } : { ok: false, code: 'bad_signature' }
}

function _hashMatches(crypto: Crypto, line: DecodedLine): boolean {
  return _equal(crypto.sha256(line.hashInput), line.envelope.hash)
}
