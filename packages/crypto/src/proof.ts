// Client proofs: Ed25519 by the client identity over the proof input (protocol.md §5.3).
import { type FrameOf, hashInput } from '@chat6/wire'
import { _concat, _context, _equal, type Bytes } from './_utils.ts'
import { PROOF_CONTEXT } from './constants.ts'
import { CryptoInputError } from './errors.ts'
import { _acrypto, _signerOf, type ClientIdentity } from './identity.ts'
import type { Crypto } from './types.ts'

/** The frame types that carry a `proof` (§4). */
export type ProvenType =
  | 'CLIENT_ONLINE'
  | 'CLIENT_UPDATE'
  | 'CLIENT_OFFLINE'
  | 'FRIEND_REQUEST'
  | 'FRIEND_CONFIRM'

/** A frame with a `proof` field. */
export type ProvenFrame = FrameOf<ProvenType>

/** A proven frame whose `proof` may still be missing. */
export type UnprovenFrame<F extends ProvenFrame = ProvenFrame> = F extends unknown
  ? Omit<F, 'proof'> & { proof?: Uint8Array }
  : never

const _PROOF_CONTEXT = _context(PROOF_CONTEXT)
const _PLACEHOLDER = new Uint8Array(64)
const _PROVEN = new Set<string>([
  'CLIENT_ONLINE',
  'CLIENT_UPDATE',
  'CLIENT_OFFLINE',
  'FRIEND_REQUEST',
  'FRIEND_CONFIRM',
])

/**
 * The bytes a proof signs: `"chat6/v1/proof" || 0x00 || proof input` (§5.3).
 * @param frame - a frame of a proven type, `proof` present or not
 * @returns the message given to Ed25519
 * @example
 * ```ts
 * const message = proofMessage(frame)
 * ```
 */
export function proofMessage(frame: UnprovenFrame): Bytes {
  if (typeof frame !== 'object' || frame === null || !_PROVEN.has(frame.type))
    throw new CryptoInputError('frame.type', 'not a frame type with a proof')
  // The proof input leaves `proof` out; a placeholder makes the frame valid for the encoder.
  return _concat(
    _PROOF_CONTEXT,
    hashInput({ ...frame, proof: _PLACEHOLDER } as ProvenFrame, 'proof'),
  )
}

/**
 * Signs a presence frame or session offer with the client identity, which must be the frame's
 * `clientkey` (§5.3).
 * @param identity - the client identity
 * @param frame - the frame, with or without a `proof`
 * @returns a copy of the frame with `proof` set
 * @example
 * ```ts
 * const online = signProof(alice, { type: 'CLIENT_ONLINE', timestamp: now, clientkey: alice.publicKey,
 *   nonce: now, nickname: 'alice', metric: 0, ttl: DEFAULT_TTL })
 * ```
 */
export function signProof<F extends ProvenFrame>(
  identity: ClientIdentity,
  frame: UnprovenFrame<F>,
): F {
  const signer = _signerOf(identity, 'identity')
  const message = proofMessage(frame)
  if (!(frame.clientkey instanceof Uint8Array) || !_equal(frame.clientkey, identity.publicKey))
    throw new CryptoInputError('frame.clientkey', 'is not the public key of the identity')
  return { ...frame, proof: signer.sign(message) } as unknown as F
}

/**
 * Verifies a frame's `proof` against its own `clientkey` (§5.3). Never throws on hostile input.
 * @param crypto - primitives
 * @param frame - a decoded frame of a proven type
 * @returns whether the proof is valid
 * @example
 * ```ts
 * if (!verifyProof(crypto, frame)) return drop('bad_proof')
 * ```
 */
export function verifyProof(crypto: Crypto, frame: ProvenFrame): boolean {
  _acrypto(crypto)
  let message: Bytes
  try {
    message = proofMessage(frame)
  } catch {
    return false
  }
  return crypto.ed25519.verify(frame.proof, message, frame.clientkey)
}
