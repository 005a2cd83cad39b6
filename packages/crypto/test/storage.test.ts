// Identities, sealed storage and safety numbers.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  compareQr,
  createClientIdentity,
  openSealed,
  SEALED_MAGIC,
  safetyNumber,
  sealSecret,
} from '../src/index.ts'
import { backends, flip, hex, native, noble, utf8 } from './_helpers.ts'

const FAST = { N: 16, r: 1, p: 1 }

describe.each(backends)('%s', (_name, c) => {
  it('behavior: an identity restored from its seed is the same identity', () => {
    const a = createClientIdentity(c)
    const b = createClientIdentity(c, a.exportSeed())
    expect(hex(b.publicKey)).toBe(hex(a.publicKey))
    expect(hex(a.hash)).toBe(hex(c.sha256(a.publicKey)))
    a.destroy()
    expect(() => a.exportSeed()).toThrowError(expect.objectContaining({ name: 'CryptoInputError' }))
  })

  it('behavior: sealed secrets round-trip, with the documented header', async () => {
    const secret = c.randomBytes(32)
    const blob = await sealSecret(c, 'correct horse battery staple', secret, {
      N: 1024,
      r: 8,
      p: 1,
    })
    expect(new TextDecoder().decode(blob.subarray(0, 4))).toBe(SEALED_MAGIC)
    expect([...blob.subarray(4, 9)]).toEqual([1, 1, 10, 8, 1])
    expect(blob.length).toBe(49 + 32 + 16)
    expect(hex(await openSealed(c, 'correct horse battery staple', blob))).toBe(hex(secret))
  })

  it('behavior: default parameters are scrypt N=2^15, r=8, p=1', async () => {
    const blob = await sealSecret(c, 'pw', new Uint8Array([1, 2, 3]))
    expect([...blob.subarray(6, 9)]).toEqual([15, 8, 1])
    expect([...(await openSealed(c, 'pw', blob))]).toEqual([1, 2, 3])
  })

  it('behavior: string passphrases are NFKC-normalised', async () => {
    const blob = await sealSecret(c, 'ﬁle', new Uint8Array([9]), FAST)
    expect([...(await openSealed(c, 'file', blob))]).toEqual([9])
    expect([...(await openSealed(c, utf8('file'), blob))]).toEqual([9])
  })

  it('error: a wrong passphrase is bad_passphrase', async () => {
    const blob = await sealSecret(c, 'right', new Uint8Array([1]), FAST)
    await expect(openSealed(c, 'wrong', blob)).rejects.toThrowError(
      expect.objectContaining({ name: 'SealedBoxError', code: 'bad_passphrase' }),
    )
  })

  it('error: malformed boxes are corrupt or unsupported', async () => {
    const blob = await sealSecret(c, 'pw', new Uint8Array([1]), FAST)
    const with_ = (i: number, v: number) => {
      const b = new Uint8Array(blob)
      b[i] = v
      return b
    }
    const expectCode = (p: Promise<unknown>, code: string) =>
      expect(p).rejects.toThrowError(expect.objectContaining({ name: 'SealedBoxError', code }))
    await expectCode(openSealed(c, 'pw', blob.subarray(0, 40)), 'corrupt')
    await expectCode(openSealed(c, 'pw', with_(0, 0x42)), 'corrupt')
    await expectCode(openSealed(c, 'pw', with_(4, 2)), 'unsupported_version')
    await expectCode(openSealed(c, 'pw', with_(5, 2)), 'unsupported_kdf')
    await expectCode(openSealed(c, 'pw', with_(6, 40)), 'corrupt') // N = 2^40: refused before scrypt
    await expectCode(openSealed(c, 'pw', with_(8, 200)), 'corrupt')
  })

  it('behavior: any single-bit flip of a sealed box is rejected', async () => {
    const blob = await sealSecret(c, 'pw', new Uint8Array([1, 2, 3, 4]), FAST)
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: blob.length * 8 - 1 }), async (bit) => {
        await expect(openSealed(c, 'pw', flip(blob, bit))).rejects.toThrowError(
          expect.objectContaining({ name: 'SealedBoxError' }),
        )
      }),
      { numRuns: 150 },
    )
  })

  it('behavior: safety numbers are the same on both sides, 60 digits in 12 groups', () => {
    const a = createClientIdentity(c).publicKey
    const b = createClientIdentity(c).publicKey
    const ab = safetyNumber(c, a, b)
    const ba = safetyNumber(c, b, a)
    expect(ab.digits).toBe(ba.digits)
    expect(ab.digits).toMatch(/^\d{60}$/)
    expect(ab.text.split(' ')).toHaveLength(12)
    expect(ab.qr.length).toBe(65)
    expect(ab.qr[0]).toBe(1)
    expect(compareQr(ab.qr, ba.qr)).toBe(true)
    const other = safetyNumber(c, a, createClientIdentity(c).publicKey)
    const halves = (d: string) => [d.slice(0, 30), d.slice(30)]
    // the fingerprint of the shared key `a` appears in both numbers
    expect(halves(other.digits).filter((h) => halves(ab.digits).includes(h))).toHaveLength(1)
    expect(other.digits).not.toBe(ab.digits)
    expect(compareQr(ab.qr, other.qr)).toBe(false)
    expect(compareQr(ab.qr, ab.qr.subarray(0, 64))).toBe(false)
  })
})

describe('interop', () => {
  it('behavior: a box sealed with one backend opens with the other; safety numbers agree', async () => {
    const blob = await sealSecret(noble, 'pw', new Uint8Array([5, 6]), FAST)
    expect([...(await openSealed(native, 'pw', blob))]).toEqual([5, 6])
    const a = new Uint8Array(32).fill(1)
    const b = new Uint8Array(32).fill(2)
    expect(safetyNumber(noble, a, b).digits).toBe(safetyNumber(native, a, b).digits)
  })
})
