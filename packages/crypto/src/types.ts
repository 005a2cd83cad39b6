// The primitive interface that both backends (noble, native) implement identically.
import type { Bytes } from './_utils.ts'

/** A key pair of raw 32-byte keys. */
export interface KeyPair {
  /** 32-byte secret (Ed25519 seed or X25519 scalar). */
  readonly secretKey: Bytes
  /** 32-byte public key. */
  readonly publicKey: Bytes
}

/** A secret key prepared once for repeated signing (the native backend parses it once). */
export interface Signer {
  /** 64-byte Ed25519 signature of `message`. */
  sign(message: Uint8Array): Bytes
  /** Wipes the signer's copy of the secret; `sign` must not be called afterwards. */
  destroy(): void
}

/** Ed25519 (RFC 8032, pure, no context) over raw 32-byte keys. */
export interface Ed25519 {
  /** New key pair; from `seed` (32 bytes) when given, else from the backend's random source. */
  keygen(seed?: Uint8Array): KeyPair
  /** Public key of a 32-byte secret seed. */
  publicKey(secretKey: Uint8Array): Bytes
  /** 64-byte signature of `message`. */
  sign(message: Uint8Array, secretKey: Uint8Array): Bytes
  /** Prepares `secretKey` for many signatures; cheaper than `sign` per call on the native backend. */
  signer(secretKey: Uint8Array): Signer
  /**
   * Strict RFC 8032 verification. Returns false, never throws, for a bad signature, a malformed
   * or small-order public key, a non-canonical encoding, or a wrong length.
   */
  verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean
}

/**
 * An X25519 key made for one exchange (forward secrecy): the secret stays inside it. On the
 * native backend with the system's randomness it exists only in OpenSSL, never as JS bytes.
 */
export interface EphemeralKey {
  /** 32-byte public key. */
  readonly publicKey: Bytes
  /**
   * The shared secret with `peerPublicKey`; throws `LowOrderPointError` for a low-order peer key,
   * and `TypeError` once destroyed.
   */
  agree(peerPublicKey: Uint8Array): Bytes
  /** Forgets the secret (wipes it where it is JS bytes); `agree` throws afterwards. */
  destroy(): void
}

/** X25519 (RFC 7748) over raw 32-byte keys. */
export interface X25519 {
  /** New key pair; from `seed` (32 bytes, used as the scalar) when given, else random. */
  keygen(seed?: Uint8Array): KeyPair
  /**
   * A new key for one exchange. The same key as `keygen()` would make from the same random
   * source, but on the native backend with system randomness about 4 times cheaper for the
   * key and the agreement together, and without the secret ever being JS bytes.
   */
  ephemeral(): EphemeralKey
  /** Public key of a 32-byte secret scalar. */
  publicKey(secretKey: Uint8Array): Bytes
  /** The shared secret; throws `LowOrderPointError` for a low-order peer key (all-zero output). */
  sharedSecret(secretKey: Uint8Array, peerPublicKey: Uint8Array): Bytes
}

/** XChaCha20-Poly1305 (draft-irtf-cfrg-xchacha-03): 32-byte key, 24-byte nonce, 16-byte tag appended. */
export interface XChaCha20Poly1305 {
  /** `ciphertext || tag` of `plaintext`, bound to `ad`. */
  seal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, ad?: Uint8Array): Bytes
  /** Plaintext of `ciphertext || tag`; throws `DecryptionError` when authentication fails. */
  open(key: Uint8Array, nonce: Uint8Array, sealed: Uint8Array, ad?: Uint8Array): Bytes
}

/** scrypt parameters (RFC 7914). */
export interface ScryptParams {
  /** CPU/memory cost, a power of two greater than 1. */
  N: number
  /** Block size. */
  r: number
  /** Parallelism. */
  p: number
  /** Output length in bytes. */
  dkLen: number
}

/** Name of a backend. */
export type BackendName = 'noble' | 'native'

/** Source of random bytes: returns `length` fresh bytes. */
export type RandomSource = (length: number) => Uint8Array

/**
 * The primitives of chat6. Every higher-level function of this package takes one, so that a
 * browser uses the noble backend, Node the native one, and tests inject randomness.
 */
export interface Crypto {
  /** Which implementation is behind this object. */
  readonly backend: BackendName
  /** SHA-256 digest. */
  sha256(data: Uint8Array): Bytes
  /** SHA-512 digest. */
  sha512(data: Uint8Array): Bytes
  /** HMAC-SHA256 (RFC 2104). */
  hmacSha256(key: Uint8Array, data: Uint8Array): Bytes
  /** HKDF-SHA256 extract-and-expand (RFC 5869); `length` at most 8160. */
  hkdfSha256(ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Bytes
  /** `length` random bytes from the backend's (or the injected) source. */
  randomBytes(length: number): Bytes
  /** Ed25519 signatures. */
  readonly ed25519: Ed25519
  /** X25519 key agreement. */
  readonly x25519: X25519
  /** XChaCha20-Poly1305 AEAD. */
  readonly xchacha20poly1305: XChaCha20Poly1305
  /** scrypt (RFC 7914), asynchronous so that large parameters do not block an event loop. */
  scrypt(password: Uint8Array, salt: Uint8Array, params: ScryptParams): Promise<Bytes>
}
