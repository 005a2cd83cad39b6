// Errors of @chat6/client. Each has a stable `name` and `code` (match on those, never on
// instanceof across packages) and keeps what caused it in `cause`.

/** Every code a {@link ClientError} has; a test checks that the sources throw these and no other. */
export const CLIENT_ERROR_CODES = [
  /** The call's AbortSignal fired. */
  'aborted',
  /** The client was stopped. */
  'stopped',
  /** A bad key, nickname, icon, mtype, message size, chat id or page size. */
  'invalid_argument',
  /** The key is not a friend. */
  'unknown_friend',
  /** No pending request from that key. */
  'no_request',
  /** Our own key. */
  'self',
  /** The passphrase does not open the stored identity. */
  'wrong_passphrase',
  /** The stored identity is sealed and no passphrase was given. */
  'passphrase_required',
  /** The stored secret is not the stored key's, or `seed` is another identity. */
  'identity_mismatch',
  /** The node refused our presence. */
  'protocol',
] as const

/** Codes of {@link ClientError}. */
export type ClientErrorCode = (typeof CLIENT_ERROR_CODES)[number]

/**
 * A client operation failed for a reason the caller can act on.
 *
 * @example
 * ```ts
 * try { await client.send(key, 'hi') } catch (e) {
 *   if ((e as Error).name === 'ClientError' && (e as ClientError).code === 'unknown_friend') …
 * }
 * ```
 */
export class ClientError extends Error {
  override readonly name = 'ClientError'
  readonly code: ClientErrorCode
  constructor(code: ClientErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.code = code
  }
}

/** Every code a {@link StoreError} has; a test checks that the sources throw these and no other. */
export const STORE_ERROR_CODES = [
  /** The disk or the `maxPages` quota is full (SQLITE_FULL). */
  'full',
  /** The file is damaged or not a database. */
  'corrupt',
  /** Reading or writing the file failed, or it cannot be opened. */
  'io',
  /** Another connection holds the lock past `busyTimeout`. */
  'busy',
  /** The file or its directory is read-only. */
  'readonly',
  /** The store was closed. */
  'closed',
  /** Anything else: a duplicate outgoing msgid, a schema newer than this build, another driver error. */
  'failed',
] as const

/** Codes of {@link StoreError}. */
export type StoreErrorCode = (typeof STORE_ERROR_CODES)[number]

/**
 * The store could not read or write. `full` (disk full), `corrupt` (damaged or not a
 * database) and `io` are reported as they happen; whatever was acknowledged before stays.
 */
export class StoreError extends Error {
  override readonly name = 'StoreError'
  readonly code: StoreErrorCode
  constructor(code: StoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.code = code
  }
}

/** The operation's AbortSignal fired before it finished. */
export function abortError(signal: AbortSignal): ClientError {
  return new ClientError('aborted', 'operation aborted', { cause: signal.reason })
}

/** Throws {@link ClientError} `aborted` if the signal has fired. */
export function checkSignal(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortError(signal)
}
