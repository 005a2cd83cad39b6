// Strict canonical base64 (RFC 4648 §4, padded): the only form §3 allows, so that every value has
// exactly one spelling and `encode(decode(line))` reproduces the line.
import { _bytes, _ON_HEAP_MAX, _pool, _poolReserve, _poolTake } from './pool.ts'

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
const PAD = 0x3d

/** Character codes of the alphabet, by 6-bit value. */
const ENC = new Uint8Array(64)
// Decoding tables, one per position in a quad with the value already shifted into place, and -1
// for anything outside the alphabet (including '='): OR-ing four lookups gives the 24 bits of a
// quad, or a negative number if any character was bad — one test per quad instead of four.
const D0 = new Int32Array(256).fill(-1)
const D1 = new Int32Array(256).fill(-1)
const D2 = new Int32Array(256).fill(-1)
const D3 = new Int32Array(256).fill(-1)
for (let i = 0; i < 64; i++) {
  const c = ALPHABET.charCodeAt(i)
  ENC[i] = c
  D0[c] = i << 18
  D1[c] = i << 12
  D2[c] = i << 6
  D3[c] = i
}

// The same for two characters at once, as a little-endian 16-bit read gives them (the first in
// the low byte): their 12 bits, or -1 if either is not in the alphabet. 128 KiB, of which the
// 64 × 64 valid pairs touch about 12 KiB.
const PAIR = new Int16Array(65536).fill(-1)
for (let a = 0; a < 64; a++) {
  for (let b = 0; b < 64; b++)
    PAIR[ALPHABET.charCodeAt(a) | (ALPHABET.charCodeAt(b) << 8)] = (a << 6) | b
}

const asciiDecoder = new TextDecoder()
const utf8Encoder = new TextEncoder()

// base64Decode's copy of its text as bytes; one over TEXT_BYTES_KEPT is not kept.
const TEXT_BYTES_KEPT = 64 * 1024
let textBytes = new Uint8Array(0)

/** @internal Length of the base64 text of `n` bytes. */
export function _b64Length(n: number): number {
  return Math.ceil(n / 3) * 4
}

/**
 * @internal
 * Writes the base64 text of `src` into `out` at `pos`; returns the position after it.
 */
export function _b64Write(src: Uint8Array, out: Uint8Array, pos: number): number {
  const n = src.length
  const full = n - (n % 3)
  let o = pos
  for (let i = 0; i < full; i += 3) {
    const x = ((src[i] as number) << 16) | ((src[i + 1] as number) << 8) | (src[i + 2] as number)
    out[o] = ENC[x >>> 18] as number
    out[o + 1] = ENC[(x >>> 12) & 63] as number
    out[o + 2] = ENC[(x >>> 6) & 63] as number
    out[o + 3] = ENC[x & 63] as number
    o += 4
  }
  const rest = n - full
  if (rest === 1) {
    const x = src[full] as number
    out[o] = ENC[x >>> 2] as number
    out[o + 1] = ENC[(x & 3) << 4] as number
    out[o + 2] = PAD
    out[o + 3] = PAD
    o += 4
  } else if (rest === 2) {
    const x = ((src[full] as number) << 8) | (src[full + 1] as number)
    out[o] = ENC[x >>> 10] as number
    out[o + 1] = ENC[(x >>> 4) & 63] as number
    out[o + 2] = ENC[(x & 15) << 2] as number
    out[o + 3] = PAD
    o += 4
  }
  return o
}

/** @internal Where the value last decoded by {@link _b64Scan} ended. */
export const _b64Scanned = { end: 0 }

/**
 * Decodes canonical base64 from `src[start..]` into `out` at `at`, reading no further than
 * `stop`. Stops at the first character that cannot continue the value and records its position
 * in `_b64Scanned.end`. Returns the number of bytes written, or -1 if the text is not canonical.
 */
function decodeInto(
  src: Uint8Array,
  start: number,
  stop: number,
  out: Uint8Array,
  at: number,
): number {
  let o = at
  let i = start
  if (stop - start >= 64) {
    // A long value (a message, an icon): four quads per step, read and written a word at a
    // time, one table lookup per pair of characters: 40% faster than the loop below, which
    // takes over at the first bad or '=' character.
    const sv = new DataView(src.buffer, src.byteOffset, src.length)
    const ov = new DataView(out.buffer, out.byteOffset, out.length)
    for (; i + 16 <= stop; i += 16) {
      const a = sv.getUint32(i, true)
      const b = sv.getUint32(i + 4, true)
      const c = sv.getUint32(i + 8, true)
      const d = sv.getUint32(i + 12, true)
      const x = ((PAIR[a & 0xffff] as number) << 12) | (PAIR[a >>> 16] as number)
      const y = ((PAIR[b & 0xffff] as number) << 12) | (PAIR[b >>> 16] as number)
      const z = ((PAIR[c & 0xffff] as number) << 12) | (PAIR[c >>> 16] as number)
      const w = ((PAIR[d & 0xffff] as number) << 12) | (PAIR[d >>> 16] as number)
      if ((x | y | z | w) < 0) break
      ov.setUint32(o, (x << 8) | (y >>> 16))
      ov.setUint32(o + 4, (y << 16) | (z >>> 8))
      ov.setUint32(o + 8, (z << 24) | w)
      o += 12
    }
  }
  for (; i + 4 <= stop; i += 4) {
    const x =
      (D0[src[i] as number] as number) |
      (D1[src[i + 1] as number] as number) |
      (D2[src[i + 2] as number] as number) |
      (D3[src[i + 3] as number] as number)
    if (x < 0) break
    out[o] = x >>> 16
    out[o + 1] = x >>> 8
    out[o + 2] = x
    o += 3
  }
  // A padded final quad; its unused bits must be zero (§3), else two texts would decode to the
  // same bytes.
  if (i + 4 <= stop && src[i + 3] === PAD) {
    const a = D3[src[i] as number] as number
    const b = D3[src[i + 1] as number] as number
    if ((a | b) < 0) return -1
    if (src[i + 2] === PAD) {
      if ((b & 15) !== 0) return -1
      out[o++] = (a << 2) | (b >>> 4)
    } else {
      const c = D3[src[i + 2] as number] as number
      if (c < 0 || (c & 3) !== 0) return -1
      out[o] = (a << 2) | (b >>> 4)
      out[o + 1] = (b << 4) | (c >>> 2)
      o += 2
    }
    i += 4
  }
  _b64Scanned.end = i
  return o - at
}

// Bytes of a value too large for the pool land here first, then are copied out at their exact
// size: the length of a value is only known once it is read.
let scratch = new Uint8Array(0)

/**
 * @internal
 * Decodes the canonical base64 value starting at `start`, reading no further than `limit` nor
 * past the text of `max` bytes, and records where it ended in `_b64Scanned.end`; the caller
 * checks what stands there. Returns the bytes, or `undefined` if the text is not canonical or not
 * min..max bytes long. A result of over 64 bytes may be a view into a shared slab (pool.ts).
 */
export function _b64Scan(
  src: Uint8Array,
  start: number,
  limit: number,
  min: number,
  max: number,
): Uint8Array<ArrayBuffer> | undefined {
  const stop = Math.min(limit, start + _b64Length(max))
  if (min === max && max <= _ON_HEAP_MAX) {
    // known small size (keys, hashes, ids): straight into the result, no copy
    const out = new Uint8Array(max)
    return decodeInto(src, start, stop, out, 0) === max ? out : undefined
  }
  const room = ((stop - start) >> 2) * 3 // the most this value can decode to
  if (_poolReserve(room)) {
    const n = decodeInto(src, start, stop, _pool.bytes, _pool.pos)
    if (n < min || n > max) return undefined
    if (n > _ON_HEAP_MAX) return _poolTake(n)
    // small after all: a heap copy, and the slab space is used again
    const out = new Uint8Array(n)
    for (let k = 0; k < n; k++) out[k] = _pool.bytes[_pool.pos + k] as number
    return out
  }
  if (scratch.length < room) scratch = new Uint8Array(room)
  const n = decodeInto(src, start, stop, scratch, 0)
  return n >= min && n <= max ? scratch.slice(0, n) : undefined
}

/**
 * Encodes bytes as padded base64 (RFC 4648 §4), the form of every binary value on the wire.
 *
 * @param bytes - any bytes
 * @returns the canonical base64 text
 * @example
 * ```ts
 * base64Encode(new Uint8Array([104, 105])) // 'aGk='
 * ```
 */
export function base64Encode(bytes: Uint8Array): string {
  const out = new Uint8Array(_b64Length(bytes.length))
  _b64Write(bytes, out, 0)
  return asciiDecoder.decode(out)
}

/**
 * Decodes canonical padded base64. Anything else — missing padding, whitespace, the URL-safe
 * alphabet, non-zero unused bits — gives `undefined`, so `base64Encode(base64Decode(s)!) === s`
 * whenever the result is defined.
 *
 * @param text - untrusted text
 * @returns the bytes, or `undefined` if `text` is not canonical base64
 * @example
 * ```ts
 * base64Decode('aGk=') // Uint8Array [104, 105]
 * base64Decode('aGl=') // undefined: unused bits set
 * base64Decode('aGk')  // undefined: padding missing
 * ```
 */
export function base64Decode(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (typeof text !== 'string') return undefined
  const n = text.length
  if (n === 0) return new Uint8Array(0)
  if (n % 4 !== 0) return undefined
  // The text's bytes, through a reused buffer: only ASCII text reads as many bytes as it has
  // characters (a wider character must not alias an alphabet byte).
  let src = textBytes
  if (src.length < n) {
    src = new Uint8Array(n)
    if (n <= TEXT_BYTES_KEPT) textBytes = src
  }
  const done = utf8Encoder.encodeInto(text, src)
  if (done.read !== n || done.written !== n) return undefined
  const pad = src[n - 1] === PAD ? (src[n - 2] === PAD ? 2 : 1) : 0
  const out = _bytes((n / 4) * 3 - pad)
  return decodeInto(src, 0, n, out, 0) === out.length && _b64Scanned.end === n ? out : undefined
}
