// Shared test helpers: both backends, hex, and a deterministic random source.

import type { Crypto } from '../src/index.ts'
import { createCrypto } from '../src/index.ts'

export const noble: Crypto = createCrypto({ backend: 'noble' })
export const native: Crypto = createCrypto({ backend: 'native' })
/** Both backends, for `describe.each`. */
export const backends: Array<[string, Crypto]> = [
  ['noble', noble],
  ['native', native],
]

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex')
}

export function unhex(text: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(Buffer.from(text, 'hex'))
}

export function utf8(text: string): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(text)
}

/** A counter-based random source: call i returns bytes i*… so runs repeat exactly. */
export function counterRandom(start = 1): (length: number) => Uint8Array {
  let n = start
  return (length) => {
    const out = new Uint8Array(length)
    for (let i = 0; i < length; i++) out[i] = (n + i) & 0xff
    n++
    return out
  }
}

/** Flips bit `bit` of a copy of `bytes`. */
export function flip(bytes: Uint8Array, bit: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(bytes)
  out[bit >> 3] = (out[bit >> 3] as number) ^ (1 << (bit & 7))
  return out
}
