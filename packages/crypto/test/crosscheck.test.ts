// noble and native must agree on every output, for random inputs and for hostile ones.
import { ED25519_TORSION_SUBGROUP } from '@noble/curves/ed25519.js'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { backends, flip, hex, native, noble, unhex } from './_helpers.ts'

const bytes = (min: number, max: number) => fc.uint8Array({ minLength: min, maxLength: max })
const key32 = fc.uint8Array({ minLength: 32, maxLength: 32 })

describe('noble and native agree', () => {
  it('behavior: hashes, HMAC and HKDF', () => {
    fc.assert(
      fc.property(
        bytes(0, 300),
        bytes(0, 100),
        bytes(0, 100),
        fc.integer({ min: 1, max: 300 }),
        (a, b, info, n) => {
          expect(hex(native.sha256(a))).toBe(hex(noble.sha256(a)))
          expect(hex(native.sha512(a))).toBe(hex(noble.sha512(a)))
          expect(hex(native.hmacSha256(b, a))).toBe(hex(noble.hmacSha256(b, a)))
          expect(hex(native.hkdfSha256(a, b, info, n))).toBe(hex(noble.hkdfSha256(a, b, info, n)))
        },
      ),
      { numRuns: 200 },
    )
  })

  it('behavior: HKDF with info longer than node:crypto allows falls back and still agrees', () => {
    const info = new Uint8Array(2000).fill(7)
    expect(hex(native.hkdfSha256(info, info, info, 64))).toBe(
      hex(noble.hkdfSha256(info, info, info, 64)),
    )
  })

  it('behavior: Ed25519 keys, signatures and verification', () => {
    fc.assert(
      fc.property(key32, bytes(0, 200), (seed, msg) => {
        const pk = noble.ed25519.publicKey(seed)
        expect(hex(native.ed25519.publicKey(seed))).toBe(hex(pk))
        const sig = noble.ed25519.sign(msg, seed)
        expect(hex(native.ed25519.sign(msg, seed))).toBe(hex(sig))
        for (const [, c] of backends) expect(c.ed25519.verify(sig, msg, pk)).toBe(true)
      }),
      { numRuns: 50 },
    )
  })

  it('behavior: X25519 public keys and shared secrets', () => {
    fc.assert(
      fc.property(key32, key32, (a, b) => {
        const pb = noble.x25519.publicKey(b)
        expect(hex(native.x25519.publicKey(b))).toBe(hex(pb))
        expect(hex(native.x25519.sharedSecret(a, pb))).toBe(hex(noble.x25519.sharedSecret(a, pb)))
      }),
      { numRuns: 50 },
    )
  })

  it('behavior: X25519 on arbitrary u-coordinates (including non-canonical) agrees or both refuse', () => {
    fc.assert(
      fc.property(key32, key32, (a, u) => {
        const results = backends.map(([, c]) => {
          try {
            return hex(c.x25519.sharedSecret(a, u))
          } catch (e) {
            return (e as Error).name
          }
        })
        expect(results[0]).toBe(results[1])
      }),
      { numRuns: 100 },
    )
  })

  it('behavior: XChaCha20-Poly1305 seal in one backend opens in the other', () => {
    fc.assert(
      fc.property(key32, bytes(24, 24), bytes(0, 2000), bytes(0, 100), (k, n, pt, ad) => {
        const sealed = noble.xchacha20poly1305.seal(k, n, pt, ad)
        expect(hex(native.xchacha20poly1305.seal(k, n, pt, ad))).toBe(hex(sealed))
        expect(hex(native.xchacha20poly1305.open(k, n, sealed, ad))).toBe(hex(pt))
      }),
      { numRuns: 100 },
    )
  })

  it('behavior: scrypt', async () => {
    await fc.assert(
      fc.asyncProperty(bytes(0, 40), bytes(0, 40), async (pw, salt) => {
        const params = { N: 16, r: 2, p: 1, dkLen: 32 }
        expect(hex(await native.scrypt(pw, salt, params))).toBe(
          hex(await noble.scrypt(pw, salt, params)),
        )
      }),
      { numRuns: 20 },
    )
  })
})

describe('Ed25519 verification policy is the same in both backends', () => {
  const seed = new Uint8Array(32).fill(9)
  const msg = new TextEncoder().encode('chat6')
  const pk = noble.ed25519.publicKey(seed)
  const sig = noble.ed25519.sign(msg, seed)
  const L = 2n ** 252n + 27742317777372353535851937790883648493n
  const le = (n: bigint) => {
    const out = new Uint8Array(32)
    for (let i = 0; i < 32; i++) out[i] = Number((n >> BigInt(8 * i)) & 0xffn)
    return out
  }
  const fromLe = (b: Uint8Array) => b.reduceRight((acc, x) => (acc << 8n) | BigInt(x), 0n)

  const cases: Array<[string, Uint8Array, Uint8Array]> = []
  // small-order public keys, with signatures that OpenSSL alone would accept for some messages
  for (const t of ED25519_TORSION_SUBGROUP) {
    const p = unhex(t)
    cases.push([`small-order key ${t.slice(0, 8)}`, p, new Uint8Array(64)])
    const zeroR = new Uint8Array(64)
    zeroR.set(p, 0)
    cases.push([`small-order key and R ${t.slice(0, 8)}`, p, zeroR])
  }
  // non-canonical S = S + L
  const sPlusL = new Uint8Array(sig)
  sPlusL.set(le(fromLe(sig.subarray(32)) + L), 32)
  cases.push(['S + L', pk, sPlusL])
  // non-canonical key encoding (y ≥ p): p + 1 encodes y = 1 non-canonically
  const nonCanonical = le(2n ** 255n - 19n + 1n)
  cases.push(['non-canonical key', nonCanonical, sig])
  // non-canonical encodings of small-order points, with the signature R = identity, S = 0 that
  // OpenSSL accepts for every message under such keys
  const identityR = new Uint8Array(64)
  identityR[0] = 1
  for (const [name, key] of [
    ['identity as y = p + 1', le(2n ** 255n - 19n + 1n)],
    ['order-4 point as y = p', le(2n ** 255n - 19n)],
    ['identity with the sign bit set', unhex(`01${'00'.repeat(30)}80`)],
    ['order-2 point with the sign bit set', unhex(`ec${'ff'.repeat(31)}`)],
  ] as const) {
    cases.push([`${name}, R = identity, S = 0`, key, identityR])
    cases.push([`${name}, zero signature`, key, new Uint8Array(64)])
  }
  cases.push(['key with sign bit flipped', flip(pk, 255), sig])
  cases.push(['R with sign bit flipped', pk, flip(sig, 255)])

  it('behavior: hostile keys and signatures are refused by both', () => {
    for (const [name, key, s] of cases)
      for (const [b, c] of backends)
        expect(c.ed25519.verify(s, msg, key), `${b}: ${name}`).toBe(false)
  })

  it('behavior: any single-bit flip of signature, message or key fails in both', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 64 * 8 + 32 * 8 + msg.length * 8 - 1 }), (bit) => {
        let s = sig
        let m = msg
        let k = pk
        if (bit < 512) s = flip(sig, bit)
        else if (bit < 768) k = flip(pk, bit - 512)
        else m = flip(msg, bit - 768)
        for (const [, c] of backends) expect(c.ed25519.verify(s, m, k)).toBe(false)
      }),
      { numRuns: 300 },
    )
  })
})

describe.each(backends)('%s AEAD rejects every single-bit change', (_n, c) => {
  it('behavior: flips in ciphertext, tag or AD fail with DecryptionError', () => {
    fc.assert(
      fc.property(
        key32,
        bytes(24, 24),
        bytes(1, 300),
        bytes(1, 50),
        fc.nat(),
        (k, n, pt, ad, r) => {
          const sealed = c.xchacha20poly1305.seal(k, n, pt, ad)
          const total = (sealed.length + ad.length + n.length) * 8
          const bit = r % total
          let s = sealed
          let a = ad
          let nn = n
          if (bit < sealed.length * 8) s = flip(sealed, bit)
          else if (bit < (sealed.length + ad.length) * 8) a = flip(ad, bit - sealed.length * 8)
          else nn = flip(n, bit - (sealed.length + ad.length) * 8)
          expect(() => c.xchacha20poly1305.open(k, nn, s, a)).toThrowError(
            expect.objectContaining({ name: 'DecryptionError' }),
          )
        },
      ),
      { numRuns: 200 },
    )
  })
})
