// Injectable randomness for jitter, backoff and peer choice; a seeded source makes tests repeatable.
import { randomBytes as nodeRandomBytes } from 'node:crypto'

/** Source of randomness for non-cryptographic choices (keys come from the crypto component). */
export interface Random {
  /** `n` random bytes. */
  bytes(n: number): Uint8Array
  /** A float in [0, 1). */
  float(): number
}

/** Randomness from the operating system. */
export const systemRandom: Random = {
  bytes: (n) => new Uint8Array(nodeRandomBytes(n)),
  float: () => Math.random(),
}

/**
 * A deterministic generator (xoshiro128**, seeded through splitmix32) for tests and simulations.
 * Not for keys.
 * @example
 * ```ts
 * const r = createSeededRandom(42)
 * r.float() // always the same sequence for seed 42
 * ```
 */
export function createSeededRandom(seed: number): Random {
  let x = seed >>> 0
  const splitmix = (): number => {
    x = (x + 0x9e3779b9) >>> 0
    let z = x
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0
    return (z ^ (z >>> 16)) >>> 0
  }
  const s = [splitmix(), splitmix(), splitmix(), splitmix()] as [number, number, number, number]
  const next = (): number => {
    const result =
      Math.imul(((Math.imul(s[1], 5) << 7) | (Math.imul(s[1], 5) >>> 25)) >>> 0, 9) >>> 0
    const t = (s[1] << 9) >>> 0
    s[2] ^= s[0]
    s[3] ^= s[1]
    s[1] ^= s[2]
    s[0] ^= s[3]
    s[2] ^= t
    s[3] = ((s[3] << 11) | (s[3] >>> 21)) >>> 0
    return result
  }
  return {
    bytes(n) {
      const out = new Uint8Array(n)
      for (let i = 0; i < n; i += 4) {
        const v = next()
        for (let j = 0; j < 4 && i + j < n; j++) out[i + j] = (v >>> (8 * j)) & 0xff
      }
      return out
    },
    float: () => next() / 4_294_967_296,
  }
}
