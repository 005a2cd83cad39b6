// Public face of @chat6/crypto: key pairs, signatures, session keys and encryption.

export type { CreateCryptoOptions } from './crypto.ts'
export { createCrypto, nativeAvailable } from './crypto.ts'
export * from './errors.ts'
export type * from './types.ts'
