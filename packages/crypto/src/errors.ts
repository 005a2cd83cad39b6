// Error classes of @chat6/crypto. Each failure has its own class with an explicit `name`
// (compare by name, never by instanceof across package copies) and a stable `code`.

/** Options accepted by every chat6 crypto error. */
export interface CryptoErrorOptions {
  /** The underlying error, if any (kept as the standard `cause`). */
  cause?: unknown
}

/**
 * Base class of every error thrown or returned by @chat6/crypto.
 * @example
 * ```ts
 * try { crypto.x25519.sharedSecret(secret, peer) } catch (e) {
 *   if (e instanceof Error && e.name === 'LowOrderPointError') drop()
 * }
 * ```
 */
export class CryptoError extends Error {
  /** Stable, machine-readable reason. */
  readonly code: string
  /**
   * @param code - stable reason code
   * @param message - short human-readable message
   * @param options - optional `cause`
   */
  constructor(code: string, message: string, options?: CryptoErrorOptions) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'CryptoError'
    this.code = code
  }
}

/** A programmer error: an argument of the wrong type, length or range. `field` names it. */
export class CryptoInputError extends CryptoError {
  /** Name of the offending argument or property. */
  readonly field: string
  /**
   * @param field - name of the bad argument
   * @param message - what is wrong with it
   * @param options - optional `cause`
   */
  constructor(field: string, message: string, options?: CryptoErrorOptions) {
    super('invalid_input', `${field}: ${message}`, options)
    this.name = 'CryptoInputError'
    this.field = field
  }
}

/** The requested backend is not available on this platform (code `backend_unavailable`). */
export class BackendUnavailableError extends CryptoError {
  /**
   * @param message - which backend and why
   * @param options - optional `cause`
   */
  constructor(message: string, options?: CryptoErrorOptions) {
    super('backend_unavailable', message, options)
    this.name = 'BackendUnavailableError'
  }
}

/**
 * An X25519 peer key is a low-order point, so the shared secret would be all zero and known to
 * anyone (code `low_order`; protocol.md §6.3, §10.3).
 */
export class LowOrderPointError extends CryptoError {
  /** @param options - optional `cause` */
  constructor(options?: CryptoErrorOptions) {
    super('low_order', 'X25519 public key is a low-order point', options)
    this.name = 'LowOrderPointError'
  }
}

/** AEAD authentication failed: wrong key, nonce, associated data or altered bytes (code `decrypt_failed`). */
export class DecryptionError extends CryptoError {
  /** @param options - optional `cause` */
  constructor(options?: CryptoErrorOptions) {
    super('decrypt_failed', 'ciphertext failed authentication', options)
    this.name = 'DecryptionError'
  }
}

/** Codes of {@link SessionError}. */
export type SessionErrorCode =
  | 'bad_proof'
  | 'bad_hash'
  | 'wrong_type'
  | 'wrong_target'
  | 'wrong_request'
  | 'unexpected_key'
  | 'low_order'
  | 'used'

/** A session offer or confirmation that must be refused (protocol.md §10). */
export class SessionError extends CryptoError {
  declare readonly code: SessionErrorCode
  /**
   * @param code - why the frame was refused
   * @param message - short description
   * @param options - optional `cause`
   */
  constructor(code: SessionErrorCode, message: string, options?: CryptoErrorOptions) {
    super(code, message, options)
    this.name = 'SessionError'
  }
}

/** Codes of {@link MessageError}. */
export type MessageErrorCode =
  | 'wrong_type'
  | 'wrong_session'
  | 'wrong_target'
  | 'wrong_origin'
  | 'bad_length'
  | 'decrypt_failed'
  | 'destroyed'

/** An end-to-end frame that does not open under a session (protocol.md §11). */
export class MessageError extends CryptoError {
  declare readonly code: MessageErrorCode
  /**
   * @param code - why the frame did not open
   * @param message - short description
   * @param options - optional `cause`
   */
  constructor(code: MessageErrorCode, message: string, options?: CryptoErrorOptions) {
    super(code, message, options)
    this.name = 'MessageError'
  }
}

/** Codes of {@link SealedBoxError}. */
export type SealedBoxErrorCode =
  | 'bad_passphrase'
  | 'corrupt'
  | 'unsupported_version'
  | 'unsupported_kdf'

/** A sealed secret that cannot be opened (see `sealSecret`). */
export class SealedBoxError extends CryptoError {
  declare readonly code: SealedBoxErrorCode
  /**
   * @param code - why the blob did not open
   * @param message - short description
   * @param options - optional `cause`
   */
  constructor(code: SealedBoxErrorCode, message: string, options?: CryptoErrorOptions) {
    super(code, message, options)
    this.name = 'SealedBoxError'
  }
}
