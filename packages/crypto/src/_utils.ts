// Internal byte helpers and argument checks. Every check names the field it rejects.
import { CryptoInputError } from './errors.ts'

/** Bytes backed by a plain ArrayBuffer, the only byte type in this package's public API. */
export type Bytes = Uint8Array<ArrayBuffer>

/** @internal */
export function _isBytes(value: unknown): value is Uint8Array {
  return (
    value instanceof Uint8Array ||
    (ArrayBuffer.isView(value) && value.constructor.name === 'Uint8Array')
  )
}

/** Throws {@link CryptoInputError} unless `value` is a Uint8Array of `length` (any length if omitted). */
export function _abytes(field: string, value: unknown, length?: number): Uint8Array {
  if (!_isBytes(value)) throw new CryptoInputError(field, 'expected Uint8Array')
  if (length !== undefined && value.length !== length)
    throw new CryptoInputError(field, `expected ${length} bytes, got ${value.length}`)
  return value
}

/** Throws unless `value` is an integer in [min, max]. */
export function _aint(field: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max)
    throw new CryptoInputError(field, `expected an integer in [${min}, ${max}]`)
  return value
}

/** Copies into a fresh ArrayBuffer-backed array (also turns a Node Buffer into a plain Uint8Array). */
export function _copy(data: Uint8Array): Bytes {
  const out = new Uint8Array(data.length)
  out.set(data)
  return out
}

/** Concatenates byte arrays. */
export function _concat(...parts: Uint8Array[]): Bytes {
  let length = 0
  for (const p of parts) length += p.length
  const out = new Uint8Array(length)
  let offset = 0
  for (const p of parts) {
    out.set(p, offset)
    offset += p.length
  }
  return out
}

/** Constant-time equality for equal lengths (length itself is not secret). */
export function _equal(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number)
  return diff === 0
}

/** Bytewise comparison, for sorting keys and hashes. */
export function _compare(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    const d = (a[i] as number) - (b[i] as number)
    if (d !== 0) return d
  }
  return a.length - b.length
}

/** True when every byte is zero (constant time in the length). */
export function _isZero(a: Uint8Array): boolean {
  let acc = 0
  for (let i = 0; i < a.length; i++) acc |= a[i] as number
  return acc === 0
}

const _encoder = new TextEncoder()

/** ASCII/UTF-8 bytes of a string. */
export function _utf8(text: string): Bytes {
  return _encoder.encode(text) as Bytes
}

/** A domain-separation context: the ASCII string followed by one 0x00 byte (protocol.md §5). */
export function _context(label: string): Bytes {
  return _concat(_utf8(label), new Uint8Array(1))
}

/** Unsigned 64-bit big-endian encoding of a safe integer. */
export function _u64be(n: number): Bytes {
  const out = new Uint8Array(8)
  const view = new DataView(out.buffer)
  view.setUint32(0, Math.floor(n / 0x1_0000_0000))
  view.setUint32(4, n >>> 0)
  return out
}

/** Lower-case hex of bytes. */
export function _hex(bytes: Uint8Array): string {
  let s = ''
  for (const b of bytes) s += b.toString(16).padStart(2, '0')
  return s
}

/** Bytes of lower- or upper-case hex; throws on odd length or bad digits. */
export function _unhex(hex: string): Bytes {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex))
    throw new CryptoInputError('hex', 'invalid hex string')
  const out = new Uint8Array(hex.length / 2)
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16)
  return out
}

/** Overwrites secrets with zeros. */
export function _wipe(...arrays: (Uint8Array | undefined)[]): void {
  for (const a of arrays) a?.fill(0)
}
