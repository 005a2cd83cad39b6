// The reference backend: pure JavaScript from the audited noble libraries. Runs everywhere.
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js'
import { ed25519, x25519 } from '@noble/curves/ed25519.js'
import { hkdf } from '@noble/hashes/hkdf.js'
import { hmac } from '@noble/hashes/hmac.js'
import { scryptAsync } from '@noble/hashes/scrypt.js'
import { sha256, sha512 } from '@noble/hashes/sha2.js'
import { randomBytes } from '@noble/hashes/utils.js'
import { _copy, _isZero } from '../_utils.ts'
import { DecryptionError, LowOrderPointError } from '../errors.ts'
import type { RawBackend } from './_raw.ts'

function sharedSecret(secretKey: Uint8Array, peerPublicKey: Uint8Array): Uint8Array<ArrayBuffer> {
  let shared: Uint8Array
  try {
    // noble refuses the low-order u-coordinates before running the ladder.
    shared = x25519.getSharedSecret(secretKey, peerPublicKey)
  } catch (cause) {
    throw new LowOrderPointError({ cause })
  }
  if (_isZero(shared)) throw new LowOrderPointError()
  return shared as Uint8Array<ArrayBuffer>
}

/** Builds the noble backend around a random source. */
export function _nobleBackend(random?: (length: number) => Uint8Array): RawBackend {
  const rand = random ?? ((n: number) => randomBytes(n))
  return {
    backend: 'noble',
    sha256: (data) => sha256(data) as Uint8Array<ArrayBuffer>,
    sha512: (data) => sha512(data) as Uint8Array<ArrayBuffer>,
    hmacSha256: (key, data) => hmac(sha256, key, data) as Uint8Array<ArrayBuffer>,
    hkdfSha256: (ikm, salt, info, length) =>
      hkdf(sha256, ikm, salt, info, length) as Uint8Array<ArrayBuffer>,
    randomBytes: (length) => _copy(rand(length)),
    ed25519: {
      publicKey: (secretKey) => ed25519.getPublicKey(secretKey) as Uint8Array<ArrayBuffer>,
      sign: (message, secretKey) => ed25519.sign(message, secretKey) as Uint8Array<ArrayBuffer>,
      signer: (secretKey) => {
        const secret = _copy(secretKey)
        return {
          sign: (message) => ed25519.sign(message, secret) as Uint8Array<ArrayBuffer>,
          destroy: () => secret.fill(0),
        }
      },
      verify: (signature, message, publicKey) => {
        try {
          // zip215: false is RFC 8032 strict: canonical encodings only, small-order keys refused.
          return ed25519.verify(signature, message, publicKey, { zip215: false })
        } catch {
          return false
        }
      },
    },
    x25519: {
      publicKey: (secretKey) => x25519.getPublicKey(secretKey) as Uint8Array<ArrayBuffer>,
      sharedSecret,
      ephemeral: () => {
        let secret: Uint8Array | undefined = _copy(rand(32))
        return {
          publicKey: x25519.getPublicKey(secret) as Uint8Array<ArrayBuffer>,
          agree: (peerPublicKey) => {
            if (secret === undefined) throw new TypeError('ephemeral key destroyed')
            return sharedSecret(secret, peerPublicKey)
          },
          destroy: () => {
            secret?.fill(0)
            secret = undefined
          },
        }
      },
    },
    xchacha20poly1305: {
      seal: (key, nonce, plaintext, ad) =>
        xchacha20poly1305(key, nonce, ad).encrypt(plaintext) as Uint8Array<ArrayBuffer>,
      open: (key, nonce, sealed, ad) => {
        try {
          return xchacha20poly1305(key, nonce, ad).decrypt(sealed) as Uint8Array<ArrayBuffer>
        } catch (cause) {
          throw new DecryptionError({ cause })
        }
      },
    },
    scrypt: async (password, salt, { N, r, p, dkLen }) =>
      (await scryptAsync(password, salt, {
        N,
        r,
        p,
        dkLen,
        maxmem: 2 ** 31,
      })) as Uint8Array<ArrayBuffer>,
  }
}
