// Published vectors for every primitive, run against both backends.
import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { _hchacha20 } from '../src/backends/_hchacha.ts'
import { createCrypto, nativeAvailable } from '../src/index.ts'
import { backends, counterRandom, hex, unhex, utf8 } from './_helpers.ts'
import aead from './vectors/aead.json' with { type: 'json' }
import ed from './vectors/ed25519-rfc8032.json' with { type: 'json' }
import hkdf from './vectors/hkdf-rfc5869.json' with { type: 'json' }
import hmac from './vectors/hmac-rfc4231.json' with { type: 'json' }
import scrypt from './vectors/scrypt-rfc7914.json' with { type: 'json' }
import x from './vectors/x25519-rfc7748.json' with { type: 'json' }

describe('backend selection', () => {
  it('behavior: auto picks native on Node', () => {
    expect(nativeAvailable()).toBe(true)
    expect(createCrypto().backend).toBe('native')
    expect(createCrypto({ backend: 'noble' }).backend).toBe('noble')
  })
  it('error: native without getBuiltinModule throws BackendUnavailableError, auto falls back to noble', () => {
    const proc = globalThis.process as { getBuiltinModule?: unknown }
    const saved = proc.getBuiltinModule
    proc.getBuiltinModule = undefined
    try {
      expect(() => createCrypto({ backend: 'native' })).toThrowError(
        expect.objectContaining({ name: 'BackendUnavailableError' }),
      )
      expect(createCrypto().backend).toBe('noble')
    } finally {
      proc.getBuiltinModule = saved
    }
  })
  it('behavior: no source file imports a Node builtin at run time (the package loads in browsers)', () => {
    const dir = new URL('../src/', import.meta.url)
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) =>
      f.endsWith('.ts'),
    )
    expect(files.length).toBeGreaterThan(5)
    for (const f of files) {
      const text = readFileSync(new URL(f, dir), 'utf8')
      expect(text, f).not.toMatch(/^import (?!type )[^\n]*from 'node:/m)
      expect(text, f).not.toMatch(/\brequire\(/)
    }
  })
  it('error: a bad option names its field', () => {
    expect(() => createCrypto({ backend: 'openssl' as 'noble' })).toThrowError(
      expect.objectContaining({ name: 'CryptoInputError', field: 'opts.backend' }),
    )
  })
})

describe('HChaCha20 (draft-irtf-cfrg-xchacha-03 §2.2.1)', () => {
  it('behavior: matches the vector', () => {
    const v = aead.hchacha20
    expect(hex(_hchacha20(unhex(v.key), unhex(v.nonce)))).toBe(v.subkey)
  })
})

describe.each(backends)('%s backend', (_name, c) => {
  it('behavior: RFC 8032 Ed25519 vectors sign and verify', () => {
    for (const v of ed.vectors) {
      const sk = unhex(v.secretKey)
      const msg = unhex(v.message)
      expect(hex(c.ed25519.publicKey(sk)), v.name).toBe(v.publicKey)
      expect(hex(c.ed25519.keygen(sk).publicKey), v.name).toBe(v.publicKey)
      expect(hex(c.ed25519.sign(msg, sk)), v.name).toBe(v.signature)
      expect(hex(c.ed25519.signer(sk).sign(msg)), v.name).toBe(v.signature)
      expect(c.ed25519.verify(unhex(v.signature), msg, unhex(v.publicKey)), v.name).toBe(true)
      expect(c.ed25519.verify(unhex(v.signature), utf8('x'), unhex(v.publicKey)), v.name).toBe(
        false,
      )
    }
  })

  it('behavior: Ed25519 verify returns false, never throws, on malformed input', () => {
    const v = ed.vectors[0] as (typeof ed.vectors)[0]
    const sig = unhex(v.signature)
    const pk = unhex(v.publicKey)
    expect(c.ed25519.verify(sig.subarray(0, 63), new Uint8Array(0), pk)).toBe(false)
    expect(c.ed25519.verify(sig, new Uint8Array(0), pk.subarray(1))).toBe(false)
    expect(c.ed25519.verify(new Uint8Array(64), new Uint8Array(0), new Uint8Array(32))).toBe(false)
    expect(c.ed25519.verify(sig, new Uint8Array(0), new Uint8Array(32).fill(0xff))).toBe(false)
    expect(c.ed25519.verify('x' as unknown as Uint8Array, new Uint8Array(0), pk)).toBe(false)
  })

  it('behavior: RFC 7748 §5.2 X25519 scalar multiplication and iteration', () => {
    for (const v of x.scalarMult)
      expect(hex(c.x25519.sharedSecret(unhex(v.scalar), unhex(v.u)))).toBe(v.output)
    let k = unhex(x.iterated.start)
    let u = unhex(x.iterated.start)
    for (let i = 1; i <= 1000; i++) {
      const next = c.x25519.sharedSecret(k, u)
      u = k
      k = next
      if (i === 1) expect(hex(k)).toBe(x.iterated.after1)
    }
    expect(hex(k)).toBe(x.iterated.after1000)
  })

  it('behavior: RFC 7748 §6.1 Diffie-Hellman', () => {
    const d = x.dh
    expect(hex(c.x25519.publicKey(unhex(d.alicePrivate)))).toBe(d.alicePublic)
    expect(hex(c.x25519.keygen(unhex(d.bobPrivate)).publicKey)).toBe(d.bobPublic)
    expect(hex(c.x25519.sharedSecret(unhex(d.alicePrivate), unhex(d.bobPublic)))).toBe(d.shared)
    expect(hex(c.x25519.sharedSecret(unhex(d.bobPrivate), unhex(d.alicePublic)))).toBe(d.shared)
  })

  it('error: every low-order X25519 point is refused with LowOrderPointError', () => {
    const secret = unhex(x.dh.alicePrivate)
    for (const p of x.lowOrder.points)
      expect(() => c.x25519.sharedSecret(secret, unhex(p)), p).toThrowError(
        expect.objectContaining({ name: 'LowOrderPointError', code: 'low_order' }),
      )
  })

  it('behavior: an ephemeral key agrees with any other key as sharedSecret does, across backends', () => {
    const d = x.dh
    for (const [, other] of backends) {
      const ek = c.x25519.ephemeral()
      expect(ek.publicKey).toHaveLength(32)
      const shared = ek.agree(unhex(d.bobPublic))
      expect(hex(other.x25519.sharedSecret(unhex(d.bobPrivate), ek.publicKey))).toBe(hex(shared))
      const peer = other.x25519.ephemeral()
      expect(hex(ek.agree(peer.publicKey))).toBe(hex(peer.agree(ek.publicKey)))
    }
    // fresh keys each time
    expect(hex(c.x25519.ephemeral().publicKey)).not.toBe(hex(c.x25519.ephemeral().publicKey))
  })

  it('behavior: with an injected random source, ephemeral() makes the key keygen() would', () => {
    const a = createCrypto({ backend: c.backend, random: counterRandom(7) })
    const b = createCrypto({ backend: c.backend, random: counterRandom(7) })
    for (let i = 0; i < 3; i++) {
      const ek = a.x25519.ephemeral()
      const kp = b.x25519.keygen()
      expect(hex(ek.publicKey)).toBe(hex(kp.publicKey))
      expect(hex(ek.agree(unhex(x.dh.bobPublic)))).toBe(
        hex(b.x25519.sharedSecret(kp.secretKey, unhex(x.dh.bobPublic))),
      )
    }
  })

  it('error: an ephemeral key refuses low-order points, bad lengths, and use after destroy', () => {
    const ek = c.x25519.ephemeral()
    for (const p of x.lowOrder.points)
      expect(() => ek.agree(unhex(p)), p).toThrowError(
        expect.objectContaining({ name: 'LowOrderPointError', code: 'low_order' }),
      )
    expect(() => ek.agree(new Uint8Array(31))).toThrowError(
      expect.objectContaining({ name: 'CryptoInputError' }),
    )
    ek.destroy()
    expect(() => ek.agree(unhex(x.dh.bobPublic))).toThrow(TypeError)
  })

  it('behavior: XChaCha20-Poly1305 (draft-irtf-cfrg-xchacha-03 A.3.1)', () => {
    const v = aead.xchacha20poly1305
    const sealed = c.xchacha20poly1305.seal(
      unhex(v.key),
      unhex(v.nonce),
      unhex(v.plaintext),
      unhex(v.aad),
    )
    expect(hex(sealed)).toBe(v.ciphertext + v.tag)
    expect(hex(c.xchacha20poly1305.open(unhex(v.key), unhex(v.nonce), sealed, unhex(v.aad)))).toBe(
      v.plaintext,
    )
    expect(() =>
      c.xchacha20poly1305.open(unhex(v.key), unhex(v.nonce), sealed, new Uint8Array(0)),
    ).toThrowError(expect.objectContaining({ name: 'DecryptionError', code: 'decrypt_failed' }))
    expect(() =>
      c.xchacha20poly1305.open(unhex(v.key), unhex(v.nonce), sealed.subarray(0, 15)),
    ).toThrowError(expect.objectContaining({ name: 'DecryptionError' }))
  })

  it('behavior: XChaCha20-Poly1305 with empty plaintext and empty AD', () => {
    const key = new Uint8Array(32).fill(1)
    const nonce = new Uint8Array(24).fill(2)
    const tag = c.xchacha20poly1305.seal(key, nonce, new Uint8Array(0))
    expect(tag.length).toBe(16)
    expect(c.xchacha20poly1305.open(key, nonce, tag).length).toBe(0)
  })

  it('behavior: RFC 5869 HKDF-SHA256 cases 1-3', () => {
    for (const v of hkdf.vectors)
      expect(hex(c.hkdfSha256(unhex(v.ikm), unhex(v.salt), unhex(v.info), v.length)), v.name).toBe(
        v.okm,
      )
  })

  it('behavior: RFC 4231 HMAC-SHA256 cases 1-7', () => {
    for (const v of hmac.vectors) {
      const mac = c.hmacSha256(unhex(v.key), unhex(v.data))
      expect(hex(mac.subarray(0, v.truncate ?? 32)), v.name).toBe(v.mac)
    }
  })

  it('behavior: SHA-256 and SHA-512 of "abc"', () => {
    expect(hex(c.sha256(utf8('abc')))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    )
    expect(hex(c.sha512(utf8('abc')))).toBe(
      'ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f',
    )
  })

  it('behavior: RFC 7914 scrypt vectors', async () => {
    for (const v of scrypt.vectors) {
      const out = await c.scrypt(utf8(v.password), utf8(v.salt), {
        N: v.N,
        r: v.r,
        p: v.p,
        dkLen: v.dkLen,
      })
      expect(hex(out)).toBe(v.output)
    }
  })

  it('behavior: randomBytes gives fresh plain Uint8Arrays', () => {
    const a = c.randomBytes(32)
    expect(a.constructor).toBe(Uint8Array)
    expect(hex(a)).not.toBe(hex(c.randomBytes(32)))
    expect(c.randomBytes(0).length).toBe(0)
  })

  it('error: wrong lengths name the field', async () => {
    expect(() => c.x25519.sharedSecret(new Uint8Array(31), new Uint8Array(32))).toThrowError(
      expect.objectContaining({ name: 'CryptoInputError', field: 'secretKey' }),
    )
    expect(() =>
      c.xchacha20poly1305.seal(new Uint8Array(32), new Uint8Array(12), new Uint8Array(0)),
    ).toThrowError(expect.objectContaining({ field: 'nonce' }))
    expect(() =>
      c.hkdfSha256(new Uint8Array(1), new Uint8Array(0), new Uint8Array(0), 9000),
    ).toThrowError(expect.objectContaining({ field: 'length' }))
    await expect(
      c.scrypt(new Uint8Array(0), new Uint8Array(0), { N: 3, r: 1, p: 1, dkLen: 32 }),
    ).rejects.toThrowError(expect.objectContaining({ field: 'params.N' }))
    // RFC 7914 §2 bound N < 2^(16·r), which OpenSSL enforces: refused alike in both backends
    await expect(
      c.scrypt(new Uint8Array(0), new Uint8Array(0), { N: 2 ** 16, r: 1, p: 1, dkLen: 32 }),
    ).rejects.toThrowError(expect.objectContaining({ field: 'params.N' }))
  })

  it('behavior: public results are plain Uint8Array, never Buffer', () => {
    const key = new Uint8Array(32)
    for (const out of [
      c.sha256(key),
      c.hmacSha256(key, key),
      c.hkdfSha256(key, key, key, 32),
      c.ed25519.sign(key, key),
      c.ed25519.publicKey(key),
      c.x25519.publicKey(key),
      c.xchacha20poly1305.seal(key, new Uint8Array(24), key),
    ])
      expect(Object.getPrototypeOf(out)).toBe(Uint8Array.prototype)
  })
})

describe('native ChaCha20-Poly1305 (RFC 8439 §2.8.2), the AEAD under the native XChaCha20', () => {
  it('behavior: node:crypto matches the RFC vector', () => {
    const nc = process.getBuiltinModule('node:crypto') as typeof import('node:crypto')
    const v = aead.chacha20poly1305
    const cipher = nc.createCipheriv('chacha20-poly1305', unhex(v.key), unhex(v.nonce), {
      authTagLength: 16,
    })
    cipher.setAAD(unhex(v.aad), { plaintextLength: unhex(v.plaintext).length })
    const ct = Buffer.concat([cipher.update(unhex(v.plaintext)), cipher.final()])
    expect(ct.toString('hex')).toBe(v.ciphertext)
    expect(cipher.getAuthTag().toString('hex')).toBe(v.tag)
  })
})
