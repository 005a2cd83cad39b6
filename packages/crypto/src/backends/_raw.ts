// What a backend implements. Arguments arrive already checked by createCrypto (crypto.ts).
import type { Bytes } from '../_utils.ts'
import type { BackendName, EphemeralKey, ScryptParams, Signer } from '../types.ts'

/** @internal The unchecked primitives of one backend. */
export interface RawBackend {
  readonly backend: BackendName
  sha256(data: Uint8Array): Bytes
  sha512(data: Uint8Array): Bytes
  hmacSha256(key: Uint8Array, data: Uint8Array): Bytes
  hkdfSha256(ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Bytes
  randomBytes(length: number): Bytes
  ed25519: {
    publicKey(secretKey: Uint8Array): Bytes
    sign(message: Uint8Array, secretKey: Uint8Array): Bytes
    signer(secretKey: Uint8Array): Signer
    verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean
  }
  x25519: {
    publicKey(secretKey: Uint8Array): Bytes
    sharedSecret(secretKey: Uint8Array, peerPublicKey: Uint8Array): Bytes
    ephemeral(): EphemeralKey
  }
  xchacha20poly1305: {
    seal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, ad?: Uint8Array): Bytes
    open(key: Uint8Array, nonce: Uint8Array, sealed: Uint8Array, ad?: Uint8Array): Bytes
  }
  scrypt(password: Uint8Array, salt: Uint8Array, params: ScryptParams): Promise<Bytes>
}
