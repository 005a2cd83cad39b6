// Long-lived client identities and per-start node keys (protocol.md §1). Neither object has a
// method that signs arbitrary bytes: signing happens only inside this package, under the
// domain-separation contexts of §5, so an identity key can never be made to sign a HELLO.

import { base64Encode } from '@chat6/wire'
import { sha256 } from '@noble/hashes/sha2.js'
import { _abytes, _copy, type Bytes } from './_utils.ts'
import { CryptoInputError } from './errors.ts'
import type { Crypto, Signer } from './types.ts'

/** A client's long-lived Ed25519 identity (`clientkey`, §1). */
export interface ClientIdentity {
  /** The 32-byte public key, `clientkey` on the wire. */
  readonly publicKey: Bytes
  /** `SHA-256(clientkey)`: how the mesh addresses this client (`target_hash`, `origin`). */
  readonly hash: Bytes
  /** The primitives this identity signs with. */
  readonly crypto: Crypto
  /**
   * A copy of the 32-byte secret seed, to be stored sealed (see `sealSecret`) and given back to
   * {@link createClientIdentity} later. Handle with care; wipe the copy when done.
   */
  exportSeed(): Bytes
  /** Wipes the secret; the identity cannot sign afterwards. */
  destroy(): void
}

/** A node's Ed25519 key (`nodekey`, §1): made at every start, never stored, never exported. */
export interface NodeKey {
  /** The 32-byte public key, `nodekey` in HELLO. */
  readonly publicKey: Bytes
  /** The public part only; the secret has no serialised form. */
  toJSON(): { nodekey: string }
}

const _signers = new WeakMap<object, Signer>()

/** @internal The signer behind an identity or node key, for the modules of this package. */
export function _signerOf(owner: ClientIdentity | NodeKey, field: string): Signer {
  const signer = _signers.get(owner)
  if (signer === undefined)
    throw new CryptoInputError(field, 'not a live identity or node key of @chat6/crypto')
  return signer
}

/**
 * The client hash of a client key: `SHA-256(clientkey)` (§1).
 * @param clientkey - 32-byte Ed25519 public key
 * @returns 32-byte hash
 * @example
 * ```ts
 * const target = clientHash(friend.clientkey)
 * ```
 */
export function clientHash(clientkey: Uint8Array): Bytes {
  return sha256(_abytes('clientkey', clientkey, 32)) as Bytes
}

/**
 * Creates a client identity, new or restored from its seed.
 * @param crypto - primitives (randomness for a new identity, and the signer)
 * @param seed - 32-byte secret seed from {@link ClientIdentity.exportSeed}; omitted: a new identity
 * @returns the identity
 * @example
 * ```ts
 * const alice = createClientIdentity(crypto)
 * const blob = await sealSecret(crypto, passphrase, alice.exportSeed())
 * const again = createClientIdentity(crypto, await openSealed(crypto, passphrase, blob))
 * ```
 */
export function createClientIdentity(crypto: Crypto, seed?: Uint8Array): ClientIdentity {
  _acrypto(crypto)
  const pair = crypto.ed25519.keygen(seed === undefined ? undefined : _abytes('seed', seed, 32))
  const secret = pair.secretKey
  const publicKey = pair.publicKey
  const hash = clientHash(publicKey)
  const signer = crypto.ed25519.signer(secret)
  let live = true
  const identity: ClientIdentity = Object.freeze({
    publicKey,
    hash,
    crypto,
    exportSeed: () => {
      if (!live) throw new CryptoInputError('identity', 'destroyed')
      return _copy(secret)
    },
    destroy: () => {
      live = false
      secret.fill(0)
      signer.destroy()
      _signers.delete(identity)
    },
  })
  _signers.set(identity, signer)
  return identity
}

/**
 * Creates this start's node key. The secret stays inside the returned object: it has no
 * accessor, `JSON.stringify` shows only the public key, and it dies with the process (§1).
 * @param crypto - primitives
 * @param seed - 32-byte seed, for test vectors only; omit it in production
 * @returns the node key
 * @example
 * ```ts
 * const nodeKey = createNodeKey(crypto)
 * const hello = { type: 'HELLO', timestamp: now, version: 1, nodekey: nodeKey.publicKey, linkkey, port }
 * ```
 */
export function createNodeKey(crypto: Crypto, seed?: Uint8Array): NodeKey {
  _acrypto(crypto)
  const pair = crypto.ed25519.keygen(seed === undefined ? undefined : _abytes('seed', seed, 32))
  const signer = crypto.ed25519.signer(pair.secretKey)
  pair.secretKey.fill(0)
  const publicKey = pair.publicKey
  const key: NodeKey = Object.freeze({
    publicKey,
    toJSON: () => ({ nodekey: base64Encode(publicKey) }),
  })
  _signers.set(key, signer)
  return key
}

/** @internal Checks that `crypto` looks like a {@link Crypto}. */
export function _acrypto(crypto: Crypto, field = 'crypto'): Crypto {
  if (typeof crypto !== 'object' || crypto === null || typeof crypto.sha256 !== 'function')
    throw new CryptoInputError(field, 'expected a Crypto from createCrypto()')
  return crypto
}
