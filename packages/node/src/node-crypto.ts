// The cryptography a relay needs (§5, §6.3) behind one small interface, so tests can stub it.
// The default implementation is @chat6/crypto: HELLO signatures, link keys, proofs. The per-frame
// work (SHA-256, the link HMAC) runs on node:crypto's one-shot hash where there is one: a relay
// does it twice per frame per hop, and it is the same function, byte for byte (tested).
import * as nodeCrypto from 'node:crypto'
import {
  type Crypto,
  createCrypto,
  createNodeKey,
  deriveLinkKeys,
  type EphemeralKey,
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
  /**
   * A fresh X25519 link key (§6.3), used once by {@link NodeCrypto.linkMacs} and then destroyed.
   * With `@chat6/crypto`'s native backend its secret never becomes JS bytes.
   */
  linkKey(): EphemeralKey
  /** Whether a HELLO's MSGHASH and signature verify against its own `nodekey` (§6.2). */
  verifyHello(line: DecodedLine): boolean
  /** The link MACs (§6.3); throws on a low-order peer key. */
  linkMacs(
    role: 'I' | 'R',
    linkKey: EphemeralKey,
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

type OneShot = (algorithm: string, data: Uint8Array, encoding: 'buffer') => Buffer
const oneShot: OneShot | undefined = (nodeCrypto as unknown as { hash?: OneShot }).hash
const LINK_INFO = new TextEncoder().encode('chat6/v1/link')

/** HMAC-SHA256 with precomputed pads over two one-shot hashes (RFC 2104). */
class FastLinkMacs implements LinkMacs {
  private sent = 0
  private received = 0
  private readonly outer = Buffer.alloc(96)
  constructor(
    private readonly sendPads: [Buffer, Buffer],
    private readonly recvPads: [Buffer, Buffer],
    private readonly hash: OneShot,
  ) {}

  private mac(pads: [Buffer, Buffer], counter: number, si: Uint8Array): Buffer {
    const inner = Buffer.allocUnsafe(72 + si.length)
    pads[0].copy(inner, 0)
    inner.writeUInt32BE(Math.floor(counter / 0x1_0000_0000), 64)
    inner.writeUInt32BE(counter >>> 0, 68)
    inner.set(si, 72)
    pads[1].copy(this.outer, 0)
    this.outer.set(this.hash('sha256', inner, 'buffer'), 64)
    return this.hash('sha256', this.outer, 'buffer')
  }

  sign(si: Uint8Array): Uint8Array {
    const m = this.mac(this.sendPads, this.sent++, si)
    return new Uint8Array(m.buffer, m.byteOffset, 32)
  }

  verify(si: Uint8Array, mac: Uint8Array): boolean {
    const expected = this.mac(this.recvPads, this.received++, si)
    return mac.length === 32 && nodeCrypto.timingSafeEqual(expected, mac)
  }

  skip(): void {
    this.received++
  }
}

const pads = (key: Uint8Array): [Buffer, Buffer] => {
  const ipad = Buffer.alloc(64, 0x36)
  const opad = Buffer.alloc(64, 0x5c)
  for (let i = 0; i < key.length; i++) {
    ipad[i] = (ipad[i] as number) ^ (key[i] as number)
    opad[i] = (opad[i] as number) ^ (key[i] as number)
  }
  return [ipad, opad]
}

/** Options of {@link createNodeCrypto}. */
export interface NodeCryptoOptions {
  /** Use node:crypto's one-shot hash for per-frame SHA-256 and link MACs (default: when available). */
  fast?: boolean
}

/**
 * The node's crypto over @chat6/crypto.
 * @param crypto - primitives (default: `createCrypto()`, native where available)
 * @example
 * ```ts
 * const c = createNodeCrypto(createCrypto({ backend: 'noble' }))
 * ```
 */
export function createNodeCrypto(
  crypto: Crypto = createCrypto(),
  opts: NodeCryptoOptions = {},
): NodeCrypto {
  const fast = opts.fast !== false && oneShot !== undefined ? oneShot : undefined
  const sha256 = fast
    ? (data: Uint8Array): Uint8Array<ArrayBuffer> => {
        const h = fast('sha256', data, 'buffer')
        return new Uint8Array(h.buffer as ArrayBuffer, h.byteOffset, 32)
      }
    : (data: Uint8Array) => crypto.sha256(data)
  return {
    sha256,
    hashMatches: (data, hash) => hash.length === 32 && equal(sha256(data), hash),
    createNodeKey() {
      const key = createNodeKey(crypto)
      return {
        publicKey: key.publicKey,
        sealHello: (frame) => sealFrame(crypto, frame, { nodeKey: key }),
      }
    },
    linkKey: () => crypto.x25519.ephemeral(),
    verifyHello: (line) => verifyHello(crypto, line).ok,
    linkMacs(role, linkKey, peerLinkKey, helloHashI, helloHashR) {
      if (fast !== undefined) {
        // §6.3, as deriveLinkKeys computes it; sharedSecret throws on a low-order point
        const shared = linkKey.agree(peerLinkKey)
        const salt = new Uint8Array(64)
        salt.set(helloHashI, 0)
        salt.set(helloHashR, 32)
        const okm = crypto.hkdfSha256(shared, salt, LINK_INFO, 64)
        const kIR = pads(okm.subarray(0, 32))
        const kRI = pads(okm.subarray(32, 64))
        shared.fill(0)
        okm.fill(0)
        return role === 'I' ? new FastLinkMacs(kIR, kRI, fast) : new FastLinkMacs(kRI, kIR, fast)
      }
      return deriveLinkKeys(crypto, {
        role: role === 'I' ? 'initiator' : 'responder',
        linkSecret: linkKey,
        peerLinkKey,
        helloHashI,
        helloHashR,
      })
    },
    verifyProof: (frame) => verifyProof(crypto, frame),
  }
}
