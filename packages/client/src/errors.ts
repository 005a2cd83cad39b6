// Errors of @chat6/client. Each has a stable `name` and `code` (match on those, never on
// instanceof across packages) and keeps what caused it in `cause`.

/** Codes of {@link ClientError}. */
export type ClientErrorCode =
  | 'aborted'
  | 'stopped'
  | 'not_started'
  | 'invalid_argument'
  | 'unknown_friend'
  | 'blocked'
  | 'no_request'
  | 'self'
  | 'wrong_passphrase'
  | 'passphrase_required'
  | 'identity_mismatch'
  | 'protocol'

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

/** Codes of {@link StoreError}. */
export type StoreErrorCode = 'full' | 'corrupt' | 'io' | 'busy' | 'readonly' | 'closed' | 'failed'

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
