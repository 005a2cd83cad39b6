// The native backend: node:crypto (OpenSSL), loaded at run time through process.getBuiltinModule
// so that this file has no static Node import and the package still loads in a browser.
import type * as NodeCrypto from 'node:crypto'
import { _concat, _copy, _isZero, _unhex, _wipe } from '../_utils.ts'
import { DecryptionError, LowOrderPointError } from '../errors.ts'
import type { Signer } from '../types.ts'
import { _hchacha20 } from './_hchacha.ts'
import type { RawBackend } from './_raw.ts'

type NodeCryptoModule = typeof NodeCrypto
type KeyObject = NodeCrypto.KeyObject

// DER prefixes of the raw 32-byte secret keys (RFC 8410 PKCS#8); public keys are imported as JWK.
const _ED25519_PKCS8 = _unhex('302e020100300506032b657004220420')
const _X25519_PKCS8 = _unhex('302e020100300506032b656e04220420')
const _SPKI_KEY_OFFSET = 12

/** Largest number of parsed Ed25519 public keys kept (a KeyObject costs more to build than a verify). */
const _PUBLIC_KEY_CACHE_SIZE = 4096
/** node:crypto's HKDF refuses info longer than this; longer info falls back to noble. */
const _NODE_HKDF_MAX_INFO = 1024

/** node:crypto when this runtime has it (Node ≥ 20.16, Deno, Bun), else undefined. */
export function _loadNodeCrypto(): NodeCryptoModule | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process
  try {
    const mod = proc?.getBuiltinModule?.('node:crypto') as NodeCryptoModule | undefined
    // chacha20-poly1305 and Ed25519 need OpenSSL ≥ 1.1.1; check the ones we rely on.
    if (mod && typeof mod.hkdfSync === 'function' && mod.getCiphers().includes('chacha20-poly1305'))
      return mod
  } catch {
    // a sandbox may forbid the call; the caller falls back to noble
  }
  return undefined
}

function _buf(b: Uint8Array): Uint8Array<ArrayBuffer> {
  return _copy(b)
}

/** node:crypto reads DER keys from any ArrayBufferView; only its typings insist on Buffer. */
function _der(bytes: Uint8Array): Buffer {
  return bytes as unknown as Buffer
}

/** A raw public key as the JWK node:crypto imports fastest (RFC 8037). */
function _okpJwk(crv: 'Ed25519' | 'X25519', publicKey: Uint8Array): NodeCrypto.JsonWebKey {
  // Buffer is a global wherever node:crypto is; this file is only run there
  const x = Buffer.from(publicKey.buffer, publicKey.byteOffset, publicKey.length).toString(
    'base64url',
  )
  return { kty: 'OKP', crv, x }
}

/** Builds the native backend; `noble` supplies what OpenSSL lacks (strict Ed25519 key checks). */
export function _nativeBackend(
  c: NodeCryptoModule,
  fallback: RawBackend,
  random?: (length: number) => Uint8Array,
): RawBackend {
  const rand = random ?? ((n: number) => c.randomFillSync(new Uint8Array(n)))

  const privateKey = (prefix: Uint8Array, secret: Uint8Array): KeyObject => {
    const der = _concat(prefix, secret)
    try {
      return c.createPrivateKey({ key: _der(der), format: 'der', type: 'pkcs8' })
    } finally {
      der.fill(0)
    }
  }
  /** The raw 32 bytes of a public KeyObject. */
  const rawPublicKey = (key: KeyObject): Uint8Array<ArrayBuffer> =>
    _buf(key.export({ type: 'spki', format: 'der' }).subarray(_SPKI_KEY_OFFSET))
  const publicKeyOf = (key: KeyObject): Uint8Array<ArrayBuffer> =>
    rawPublicKey(c.createPublicKey(key))

  // Parsed Ed25519 public keys, least recently used first; null marks a key refused by policy.
  const publicKeys = new Map<string, KeyObject | null>()
  const edPublicKey = (publicKey: Uint8Array): KeyObject | null => {
    const id = String.fromCharCode(...publicKey)
    const hit = publicKeys.get(id)
    if (hit !== undefined) {
      publicKeys.delete(id)
      publicKeys.set(id, hit)
      return hit
    }
    let key: KeyObject | null = null
    // OpenSSL accepts small-order keys (any message verifies with some signatures); the noble
    // backend refuses them, and so must we, or the two backends would disagree.
    if (_isAcceptableEd25519Key(publicKey)) {
      try {
        // JWK, not SPKI DER: OpenSSL's DER decoders cost ~15 times more for the same key
        key = c.createPublicKey({ key: _okpJwk('Ed25519', publicKey), format: 'jwk' })
      } catch {
        key = null
      }
    }
    publicKeys.set(id, key)
    if (publicKeys.size > _PUBLIC_KEY_CACHE_SIZE)
      publicKeys.delete(publicKeys.keys().next().value as string)
    return key
  }

  const signer = (secretKey: Uint8Array): Signer => {
    let key: KeyObject | undefined = privateKey(_ED25519_PKCS8, secretKey)
    return {
      sign: (message) => {
        if (key === undefined) throw new TypeError('signer destroyed')
        return _buf(c.sign(null, message, key))
      },
      // A KeyObject cannot be wiped from JS; dropping the reference is all we can do.
      destroy: () => {
        key = undefined
      },
    }
  }

  const agree = (privateKey: KeyObject, peerPublicKey: Uint8Array): Uint8Array<ArrayBuffer> => {
    let shared: Uint8Array<ArrayBuffer>
    try {
      const publicKey = c.createPublicKey({ key: _okpJwk('X25519', peerPublicKey), format: 'jwk' })
      // OpenSSL fails the derivation when the output is all zero, i.e. for a low-order point.
      shared = _buf(c.diffieHellman({ privateKey, publicKey }))
    } catch (cause) {
      throw new LowOrderPointError({ cause })
    }
    if (_isZero(shared)) throw new LowOrderPointError()
    return shared
  }

  const aeadNonce = (nonce: Uint8Array): Uint8Array<ArrayBuffer> => {
    const iv = new Uint8Array(12)
    iv.set(nonce.subarray(16, 24), 4)
    return iv
  }

  return {
    backend: 'native',
    sha256: (data) => _buf(c.createHash('sha256').update(data).digest()),
    sha512: (data) => _buf(c.createHash('sha512').update(data).digest()),
    hmacSha256: (key, data) => _buf(c.createHmac('sha256', key).update(data).digest()),
    hkdfSha256: (ikm, salt, info, length) =>
      info.length > _NODE_HKDF_MAX_INFO
        ? fallback.hkdfSha256(ikm, salt, info, length)
        : new Uint8Array(c.hkdfSync('sha256', ikm, salt, info, length)),
    randomBytes: (length) => _copy(rand(length)),
    ed25519: {
      publicKey: (secretKey) => publicKeyOf(privateKey(_ED25519_PKCS8, secretKey)),
      sign: (message, secretKey) =>
        _buf(c.sign(null, message, privateKey(_ED25519_PKCS8, secretKey))),
      signer,
      verify: (signature, message, publicKey) => {
        if (signature.length !== 64 || publicKey.length !== 32) return false
        const key = edPublicKey(publicKey)
        if (key === null) return false
        try {
          return c.verify(null, message, key, signature)
        } catch {
          return false
        }
      },
    },
    x25519: {
      publicKey: (secretKey) => publicKeyOf(privateKey(_X25519_PKCS8, secretKey)),
      sharedSecret: (secretKey, peerPublicKey) =>
        agree(privateKey(_X25519_PKCS8, secretKey), peerPublicKey),
      ephemeral: () => {
        let key: KeyObject | undefined
        let publicKey: Uint8Array<ArrayBuffer>
        if (random === undefined) {
          // OpenSSL makes the key: no DER import (~400 µs), and the secret is never JS bytes
          const pair = c.generateKeyPairSync('x25519')
          key = pair.privateKey
          publicKey = rawPublicKey(pair.publicKey)
        } else {
          // an injected source (tests, vectors) decides the key, as for keygen()
          const secret = _copy(rand(32))
          key = privateKey(_X25519_PKCS8, secret)
          publicKey = publicKeyOf(key)
          _wipe(secret)
        }
        return {
          publicKey,
          agree: (peerPublicKey) => {
            if (key === undefined) throw new TypeError('ephemeral key destroyed')
            return agree(key, peerPublicKey)
          },
          // A KeyObject cannot be wiped from JS; dropping the reference is all we can do.
          destroy: () => {
            key = undefined
          },
        }
      },
    },
    xchacha20poly1305: {
      seal: (key, nonce, plaintext, ad) => {
        const subkey = _hchacha20(key, nonce)
        try {
          const cipher = c.createCipheriv('chacha20-poly1305', subkey, aeadNonce(nonce), {
            authTagLength: 16,
          })
          if (ad !== undefined && ad.length > 0)
            cipher.setAAD(ad, { plaintextLength: plaintext.length })
          return _concat(cipher.update(plaintext), cipher.final(), cipher.getAuthTag())
        } finally {
          _wipe(subkey)
        }
      },
      open: (key, nonce, sealed, ad) => {
        if (sealed.length < 16) throw new DecryptionError()
        const subkey = _hchacha20(key, nonce)
        try {
          const decipher = c.createDecipheriv('chacha20-poly1305', subkey, aeadNonce(nonce), {
            authTagLength: 16,
          })
          decipher.setAuthTag(sealed.subarray(sealed.length - 16))
          if (ad !== undefined && ad.length > 0)
            decipher.setAAD(ad, { plaintextLength: sealed.length - 16 })
          const head = decipher.update(sealed.subarray(0, sealed.length - 16))
          let tail: Uint8Array
          try {
            tail = decipher.final()
          } catch (cause) {
            head.fill(0)
            throw new DecryptionError({ cause })
          }
          return _concat(head, tail)
        } finally {
          _wipe(subkey)
        }
      },
    },
    scrypt: (password, salt, { N, r, p, dkLen }) =>
      new Promise((resolve, reject) => {
        // node refuses to allocate more than maxmem; scrypt needs 128·N·r·p plus small change.
        const maxmem = 128 * N * r * p + 128 * r * p + 1024 * 1024
        c.scrypt(password, salt, dkLen, { N, r, p, maxmem }, (err, key) => {
          if (err) reject(err)
          else resolve(_buf(key))
        })
      }),
  }
}

/** Same public-key policy as noble's strict verify: canonical encoding, on the curve, not small order. */
// The canonical encodings of the eight Ed25519 points of small order (protocol §5), and the two
// non-canonical encodings of x = 0 (y = ±1 with the sign bit set).
const _SMALL_ORDER = new Set([
  '0100000000000000000000000000000000000000000000000000000000000000',
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  '0000000000000000000000000000000000000000000000000000000000000000',
  '0000000000000000000000000000000000000000000000000000000000000080',
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05',
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85',
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a',
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa',
  '0100000000000000000000000000000000000000000000000000000000000080',
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff',
])

/**
 * The key checks of protocol §5 that OpenSSL skips, by bytes alone (decoding the point, as noble
 * does, costs a square root: hundreds of µs per new key, which a Sybil flood would buy cheaply).
 * A y of p or more is non-canonical; the small-order list above covers the rest. A key that is no
 * curve point at all passes here and fails every verify, as it does in noble.
 */
function _isAcceptableEd25519Key(publicKey: Uint8Array): boolean {
  if (publicKey.length !== 32) return false
  let high = (publicKey[31] as number) & 0x7f
  for (let i = 30; i >= 1; i--) high &= publicKey[i] as number
  // y ≥ p = 2^255 − 19: bytes 1..30 all 0xff, top byte 0x7f (sign bit aside), low byte ≥ 0xed
  if (high === 0x7f && (publicKey[0] as number) >= 0xed) return false
  let hex = ''
  for (const b of publicKey) hex += b.toString(16).padStart(2, '0')
  return !_SMALL_ORDER.has(hex)
}
