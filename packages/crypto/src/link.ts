// Link keys and the per-frame link MAC (protocol.md §6.3).
import { _abytes, _concat, _equal, _u64be, _utf8, _wipe, type Bytes } from './_utils.ts'
import { LINK_INFO, MAC_BYTES } from './constants.ts'
import { CryptoInputError } from './errors.ts'
import { _acrypto } from './identity.ts'
import type { Crypto, EphemeralKey } from './types.ts'

/** Which side of the connection we are: `initiator` connected, `responder` accepted (§6.2). */
export type LinkRole = 'initiator' | 'responder'

/** Inputs of {@link deriveLinkKeys}. */
export interface LinkKeyInput {
  /** Our side of the connection. */
  role: LinkRole
  /**
   * Our X25519 link secret, whose public key went out as our HELLO's `linkkey`: 32 bytes, or
   * the {@link EphemeralKey} that holds it (which this does not destroy).
   */
  linkSecret: Uint8Array | EphemeralKey
  /** The peer HELLO's `linkkey`. */
  peerLinkKey: Uint8Array
  /** MSGHASH (32 bytes) of the initiator's HELLO, `H_I`. */
  helloHashI: Uint8Array
  /** MSGHASH (32 bytes) of the responder's HELLO, `H_R`. */
  helloHashR: Uint8Array
}

/**
 * The MACs of one link: `HMAC-SHA256(k, u64be(counter) || signing input)`, with one counter per
 * direction (§6.3). Not safe to share between connections.
 */
export interface LinkMac {
  /** Counter of the next line we send (= lines sent so far). */
  readonly sent: number
  /** Counter of the next line we receive (= lines received so far). */
  readonly received: number
  /**
   * MAC of the next line we send, and advances `sent`.
   * @param signingInput - the §5.2 signing input of the line
   * @returns 32-byte MSGSIGNATURE
   */
  sign(signingInput: Uint8Array): Bytes
  /**
   * Checks the MAC of the next received line, and advances `received` whatever the outcome:
   * the peer counted that line too (§6.3).
   * @param signingInput - the line's signing input
   * @param mac - the line's MSGSIGNATURE
   * @returns whether it verifies
   */
  verify(signingInput: Uint8Array, mac: Uint8Array): boolean
  /** Advances `received` for a line that could not be decoded (its MAC cannot be checked). */
  skip(): void
  /** Wipes both keys; every later call throws. */
  destroy(): void
}

/** @internal `k_IR`, `k_RI` of §6.3 (exported for the vector generator and tests). */
export function _linkKeys(
  crypto: Crypto,
  input: LinkKeyInput,
): { kIR: Bytes; kRI: Bytes; shared: Bytes } {
  const { linkSecret } = input
  const shared =
    linkSecret instanceof Uint8Array
      ? crypto.x25519.sharedSecret(linkSecret, input.peerLinkKey)
      : linkSecret.agree(input.peerLinkKey)
  const okm = crypto.hkdfSha256(
    shared,
    _concat(input.helloHashI, input.helloHashR),
    _utf8(LINK_INFO),
    64,
  )
  const keys = { kIR: okm.slice(0, 32), kRI: okm.slice(32, 64), shared }
  okm.fill(0)
  return keys
}

/**
 * Derives the link MAC keys of a connection once both HELLOs have been verified (§6.3).
 * @param crypto - primitives
 * @param input - our role, our link secret, the peer's link key and both HELLO hashes
 * @returns the link's {@link LinkMac}, both counters at 0
 * @throws LowOrderPointError when the peer's `linkkey` is a low-order point (answer `BYE bad_signature`)
 * @example
 * ```ts
 * const link = deriveLinkKeys(crypto, { role: 'initiator', linkSecret, peerLinkKey: hello.linkkey,
 *   helloHashI: ourHello.hash, helloHashR: theirHello.hash })
 * const env = sealFrame(crypto, { type: 'KEEPALIVE_REQUEST', timestamp, id: 0 }, { mac: link })
 * ```
 */
export function deriveLinkKeys(crypto: Crypto, input: LinkKeyInput): LinkMac {
  _acrypto(crypto)
  if (typeof input !== 'object' || input === null)
    throw new CryptoInputError('input', 'expected an object')
  if (input.role !== 'initiator' && input.role !== 'responder')
    throw new CryptoInputError('input.role', "expected 'initiator' or 'responder'")
  const secret: unknown = input.linkSecret
  if (typeof (secret as EphemeralKey | null)?.agree !== 'function')
    _abytes('input.linkSecret', secret, 32)
  _abytes('input.peerLinkKey', input.peerLinkKey, 32)
  _abytes('input.helloHashI', input.helloHashI, 32)
  _abytes('input.helloHashR', input.helloHashR, 32)
  const { kIR, kRI, shared } = _linkKeys(crypto, input)
  shared.fill(0)
  return _linkMac(
    crypto,
    input.role === 'initiator' ? kIR : kRI,
    input.role === 'initiator' ? kRI : kIR,
  )
}

function _linkMac(crypto: Crypto, kSend: Bytes, kRecv: Bytes): LinkMac {
  let sent = 0
  let received = 0
  let live = true
  const alive = (): void => {
    if (!live) throw new CryptoInputError('link', 'destroyed')
  }
  return {
    get sent() {
      return sent
    },
    get received() {
      return received
    },
    sign(signingInput) {
      alive()
      _abytes('signingInput', signingInput)
      return crypto.hmacSha256(kSend, _concat(_u64be(sent++), signingInput))
    },
    verify(signingInput, mac) {
      alive()
      const counter = received++
      if (
        !(signingInput instanceof Uint8Array) ||
        !(mac instanceof Uint8Array) ||
        mac.length !== MAC_BYTES
      )
        return false
      return _equal(crypto.hmacSha256(kRecv, _concat(_u64be(counter), signingInput)), mac)
    },
    skip() {
      alive()
      received++
    },
    destroy() {
      live = false
      _wipe(kSend, kRecv)
    },
  }
}
