// Safety numbers: what two people compare, aloud or by QR code, to rule out a swapped
// client key (protocol.md §10.6). Same derivation idea as Signal's, with chat6's own context.
import { _abytes, _compare, _concat, _context, _equal, type Bytes } from './_utils.ts'
import { SAFETY_CONTEXT } from './constants.ts'
import { _acrypto } from './identity.ts'
import type { Crypto } from './types.ts'

/** Rounds of SHA-512 per fingerprint: makes a search for a key with a chosen fingerprint costlier. */
export const SAFETY_ITERATIONS = 5200
/** Version byte of the QR form. */
export const SAFETY_QR_VERSION = 1

/** The safety number of two client keys. Both sides compute the same. */
export interface SafetyNumber {
  /** 60 decimal digits. */
  readonly digits: string
  /** The digits in 12 groups of 5, separated by spaces, for display. */
  readonly text: string
  /** 65 bytes for a QR code: version (1) || fingerprint(lower key) || fingerprint(higher key), 32 each. */
  readonly qr: Bytes
}

const _CONTEXT = _context(SAFETY_CONTEXT)

/** @internal The 64-byte iterated fingerprint of one key. */
export function _fingerprint(crypto: Crypto, key: Uint8Array): Bytes {
  let h = crypto.sha512(_concat(_CONTEXT, key))
  for (let i = 0; i < SAFETY_ITERATIONS; i++) h = crypto.sha512(_concat(h, key))
  return h
}

/** 30 digits from the first 30 bytes: six 5-byte big-endian numbers, each mod 100000. */
function _digits(fp: Uint8Array): string {
  let out = ''
  for (let i = 0; i < 6; i++) {
    let n = 0
    for (let j = 0; j < 5; j++) n = n * 256 + (fp[5 * i + j] as number)
    out += String(n % 100000).padStart(5, '0')
  }
  return out
}

/**
 * The safety number of two client keys (§10.6): for each key,
 * `F = SHA-512^(5201)` where `F_0 = SHA-512("chat6/v1/safety" || 0x00 || key)` and
 * `F_{i+1} = SHA-512(F_i || key)`; each key gives 30 digits (six 5-byte big-endian chunks of F,
 * each mod 100000); the digits of the bytewise-lower key come first.
 * @param crypto - primitives
 * @param keyA - one 32-byte client key
 * @param keyB - the other
 * @returns digits, display text and QR bytes
 * @example
 * ```ts
 * const n = safetyNumber(crypto, alice.publicKey, bobKey)
 * console.log(n.text) // '12345 67890 … (12 groups)'
 * ```
 */
export function safetyNumber(crypto: Crypto, keyA: Uint8Array, keyB: Uint8Array): SafetyNumber {
  _acrypto(crypto)
  _abytes('keyA', keyA, 32)
  _abytes('keyB', keyB, 32)
  const [lo, hi] = _compare(keyA, keyB) <= 0 ? [keyA, keyB] : [keyB, keyA]
  const fLo = _fingerprint(crypto, lo)
  const fHi = _fingerprint(crypto, hi)
  const digits = _digits(fLo) + _digits(fHi)
  const text = digits.match(/.{5}/g)?.join(' ') ?? digits
  const qr = _concat(new Uint8Array([SAFETY_QR_VERSION]), fLo.subarray(0, 32), fHi.subarray(0, 32))
  return Object.freeze({ digits, text, qr })
}

/**
 * Compares our QR form with one scanned from the peer's screen, in constant time.
 * @param ours - `safetyNumber(...).qr` computed locally
 * @param scanned - bytes read from the peer's QR code (untrusted)
 * @returns true only when both are the same version and the same keys
 * @example
 * ```ts
 * if (compareQr(n.qr, scannedBytes)) markVerified(bob)
 * ```
 */
export function compareQr(ours: Uint8Array, scanned: Uint8Array): boolean {
  _abytes('ours', ours)
  if (!(scanned instanceof Uint8Array) || scanned.length !== ours.length) return false
  if (ours[0] !== SAFETY_QR_VERSION) return false
  return _equal(ours, scanned)
}
