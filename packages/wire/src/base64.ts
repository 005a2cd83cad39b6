// Strict canonical base64 (RFC 4648 §4, padded): the only form §3 allows, so that every value has
// exactly one spelling and `encode(decode(line))` reproduces the line.
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
const PAD = 0x3d
const INVALID = 0xff

/** Character codes of the alphabet, by 6-bit value. */
const ENC = new Uint8Array(64)
/** 6-bit value by character code, INVALID elsewhere (including '='). */
const DEC = new Uint8Array(256).fill(INVALID)
for (let i = 0; i < 64; i++) {
  const c = ALPHABET.charCodeAt(i)
  ENC[i] = c
  DEC[c] = i
}

const asciiDecoder = new TextDecoder()

/** @internal Length of the base64 text of `n` bytes. */
export function _b64Length(n: number): number {
  return Math.ceil(n / 3) * 4
}

/** @internal Byte length that `chars` characters of padded base64 ending in `pad` '=' hold. */
function byteLength(chars: number, pad: number): number {
  return (chars >>> 2) * 3 - pad
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

/**
 * @internal
 * Decodes the canonical base64 text `src[start..end)` if it holds between `min` and `max` bytes.
 * The length is checked before any work is done, so an oversized value costs nothing.
 */
export function _b64DecodeRange(
  src: Uint8Array,
  start: number,
  end: number,
  min: number,
  max: number,
): Uint8Array<ArrayBuffer> | undefined {
  const chars = end - start
  if (chars === 0) return min === 0 ? new Uint8Array(0) : undefined
  if ((chars & 3) !== 0) return undefined
  const pad = src[end - 1] === PAD ? (src[end - 2] === PAD ? 2 : 1) : 0
  const n = byteLength(chars, pad)
  if (n < min || n > max) return undefined
  const out = new Uint8Array(n)
  const last = end - 4
  let o = 0
  let i = start
  for (; i < last; i += 4) {
    const a = DEC[src[i] as number] as number
    const b = DEC[src[i + 1] as number] as number
    const c = DEC[src[i + 2] as number] as number
    const d = DEC[src[i + 3] as number] as number
    if ((a | b | c | d) > 63) return undefined
    const x = (a << 18) | (b << 12) | (c << 6) | d
    out[o] = x >>> 16
    out[o + 1] = x >>> 8
    out[o + 2] = x
    o += 3
  }
  // The final quad carries the padding; its unused bits must be zero (§3), else two texts
  // would decode to the same bytes.
  const a = DEC[src[i] as number] as number
  const b = DEC[src[i + 1] as number] as number
  if ((a | b) > 63) return undefined
  if (pad === 2) {
    if ((b & 15) !== 0) return undefined
    out[o] = (a << 2) | (b >>> 4)
    return out
  }
  const c = DEC[src[i + 2] as number] as number
  if (c > 63) return undefined
  if (pad === 1) {
    if ((c & 3) !== 0) return undefined
    out[o] = (a << 2) | (b >>> 4)
    out[o + 1] = (b << 4) | (c >>> 2)
    return out
  }
  const d = DEC[src[i + 3] as number] as number
  if (d > 63) return undefined
  const x = (a << 18) | (b << 12) | (c << 6) | d
  out[o] = x >>> 16
  out[o + 1] = x >>> 8
  out[o + 2] = x
  return out
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
  const src = new Uint8Array(n)
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i)
    // keeps a non-ASCII character from aliasing an alphabet byte when truncated to 8 bits
    if (c > 0x7f) return undefined
    src[i] = c
  }
  return _b64DecodeRange(src, 0, n, 0, Number.MAX_SAFE_INTEGER)
}
