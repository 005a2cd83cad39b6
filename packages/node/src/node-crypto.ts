// The cryptography a relay needs (§5, §6.3) behind one small interface, so tests can stub it.
// The default implementation is @chat6/crypto: HELLO signatures, link keys and MACs, proofs.
import {
  type Crypto,
  createCrypto,
  createNodeKey,
  deriveLinkKeys,
  type ProvenFrame,
  sealFrame,
  verifyHello,
  verifyProof,
} from '@chat6/crypto'
import type { DecodeResult, Envelope, FrameOf } from '@chat6/wire'

/** The MACs of one link (§6.3); each call advances its direction's counter. */
export interface LinkMacs {
  /** MAC of the next frame we send. */
  sign(signingInput: Uint8Array): Uint8Array
  /** Checks the MAC of the next frame received (the counter advances whatever the outcome). */
  verify(signingInput: Uint8Array, mac: Uint8Array): boolean
  /** Counts a received line whose MAC is not checked (§6.3). */
  skip(): void
}

/** A key pair of raw 32-byte keys. */
export interface RawKeyPair {
  secretKey: Uint8Array<ArrayBuffer>
  publicKey: Uint8Array<ArrayBuffer>
}

/** This run's node key (§1): the public key and a way to sign HELLO with it. */
export interface NodeSigner {
  readonly publicKey: Uint8Array<ArrayBuffer>
  /** The envelope of our HELLO: MSGHASH and the Ed25519 MSGSIGNATURE (§5.2). */
  sealHello(frame: FrameOf<'HELLO'>): Envelope
}

/** A decoded line as `decode()` returns it on success. */
export type DecodedLine = Extract<DecodeResult, { ok: true }>

/** The node's cryptographic component. */
export interface NodeCrypto {
  /** SHA-256. */
  sha256(data: Uint8Array): Uint8Array<ArrayBuffer>
  /** Whether SHA-256(data) equals `hash` (§5.1). */
  hashMatches(data: Uint8Array, hash: Uint8Array): boolean
  /** A fresh node key, never stored (§1). */
  createNodeKey(): NodeSigner
  /** A fresh X25519 link key (§6.3). */
  linkKey(): RawKeyPair
  /** Whether a HELLO's MSGHASH and signature verify against its own `nodekey` (§6.2). */
  verifyHello(line: DecodedLine): boolean
  /** The link MACs (§6.3); throws on a low-order peer key. */
  linkMacs(
    role: 'I' | 'R',
    linkSecret: Uint8Array,
    peerLinkKey: Uint8Array,
    helloHashI: Uint8Array,
    helloHashR: Uint8Array,
  ): LinkMacs
  /** Verifies the `proof` of a presence frame or session offer (§5.3). */
  verifyProof(frame: ProvenFrame): boolean
}

const equal = (a: Uint8Array, b: Uint8Array): boolean => {
  if (a.length !== b.length) return false
  let d = 0
  for (let i = 0; i < a.length; i++) d |= (a[i] as number) ^ (b[i] as number)
  return d === 0
}

/**
 * The node's crypto over @chat6/crypto.
 * @param crypto - primitives (default: `createCrypto()`, native where available)
 * @example
 * ```ts
 * const c = createNodeCrypto(createCrypto({ backend: 'noble' }))
 * ```
 */
export function createNodeCrypto(crypto: Crypto = createCrypto()): NodeCrypto {
  return {
    sha256: (data) => crypto.sha256(data),
    hashMatches: (data, hash) => hash.length === 32 && equal(crypto.sha256(data), hash),
    createNodeKey() {
      const key = createNodeKey(crypto)
      return {
        publicKey: key.publicKey,
        sealHello: (frame) => sealFrame(crypto, frame, { nodeKey: key }),
      }
    },
    linkKey: () => crypto.x25519.keygen(),
    verifyHello: (line) => verifyHello(crypto, line).ok,
    linkMacs: (role, linkSecret, peerLinkKey, helloHashI, helloHashR) =>
      deriveLinkKeys(crypto, {
        role: role === 'I' ? 'initiator' : 'responder',
        linkSecret,
        peerLinkKey,
        helloHashI,
        helloHashR,
      }),
    verifyProof: (frame) => verifyProof(crypto, frame),
  }
}
