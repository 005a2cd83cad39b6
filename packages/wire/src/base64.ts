// Strict canonical base64 (RFC 4648 §4, padded): the only form §3 allows, so that every value has
// exactly one spelling and `encode(decode(line))` reproduces the line.
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

const asciiDecoder = new TextDecoder()

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
 * Decodes canonical base64 from `src[start..]` into `out`, reading no further than `stop`. Stops
 * at the first character that cannot continue the value and records its position in
 * `_b64Scanned.end`. Returns the number of bytes written, or -1 if the text is not canonical.
 */
function decodeInto(src: Uint8Array, start: number, stop: number, out: Uint8Array): number {
  let o = 0
  let i = start
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
  return o
}

// Decoded bytes land here first, then are copied out at their exact size: the length of a value
// is only known once it is read, and sizing it by a first pass would read the line twice.
let scratch = new Uint8Array(256)

/**
 * @internal
 * Decodes the canonical base64 value starting at `start`, reading no further than `limit` nor
 * past the text of `max` bytes, and records where it ended in `_b64Scanned.end`; the caller
 * checks what stands there. Returns the bytes, or `undefined` if the text is not canonical or not
 * min..max bytes long.
 */
export function _b64Scan(
  src: Uint8Array,
  start: number,
  limit: number,
  min: number,
  max: number,
): Uint8Array<ArrayBuffer> | undefined {
  const stop = Math.min(limit, start + _b64Length(max))
  if (min === max) {
    // known size (keys, hashes, ids): straight into the result, no copy
    const out = new Uint8Array(max)
    return decodeInto(src, start, stop, out) === max ? out : undefined
  }
  if (scratch.length < stop - start) scratch = new Uint8Array(stop - start)
  const n = decodeInto(src, start, stop, scratch)
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
  const src = new Uint8Array(n)
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i)
    // keeps a non-ASCII character from aliasing an alphabet byte when truncated to 8 bits
    if (c > 0x7f) return undefined
    src[i] = c
  }
  const pad = src[n - 1] === PAD ? (src[n - 2] === PAD ? 2 : 1) : 0
  const out = new Uint8Array((n / 4) * 3 - pad)
  return decodeInto(src, 0, n, out) === out.length && _b64Scanned.end === n ? out : undefined
}
