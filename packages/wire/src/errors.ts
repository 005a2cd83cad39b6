// Error codes of decoding (§14) and the one exception this package throws: a programmer handing
// encode() a frame that could not be decoded back.

/**
 * Every code a decoder returns, in the order of docs/protocol.md §14.
 *
 * @example
 * ```ts
 * const drops = Object.fromEntries(DECODE_ERROR_CODES.map((c) => [c, 0]))
 * ```
 */
export const DECODE_ERROR_CODES = [
  'line_too_long',
  'bad_byte',
  'bad_structure',
  'bad_signature',
  'bad_hash',
  'bad_timestamp',
  'unknown_type',
  'bad_field',
  'too_many_fields',
  'unknown_field',
  'duplicate_field',
  'field_order',
  'missing_field',
  'bad_value',
  'bad_utf8',
] as const

/** A stable decode error code (§14). */
export type DecodeErrorCode = (typeof DECODE_ERROR_CODES)[number]

/**
 * Why a line or a frame object was refused. Data, not an exception: untrusted input never throws.
 *
 * @example
 * ```ts
 * const r = decode('garbage')
 * if (!r.ok) console.log(r.error.code) // 'bad_structure'
 * ```
 */
export interface WireError {
  /** Stable code of §14; safe to count and switch on. */
  code: DecodeErrorCode
  /** Short human-readable explanation; not stable, do not parse. */
  message: string
  /** The wire name of the offending field, when one field is to blame. */
  field?: string
}

/**
 * Thrown by {@link encode} and its siblings when a frame could not be decoded back, that is on a
 * programmer error: a key of the wrong length, a number out of range, a missing field. Identify it
 * by `name`, not `instanceof`, as two copies of this package may be loaded.
 *
 * @example
 * ```ts
 * try {
 *   encode(env)
 * } catch (e) {
 *   if (e instanceof Error && e.name === 'WireEncodeError') console.log((e as WireEncodeError).code)
 * }
 * ```
 */
export class WireEncodeError extends Error {
  /** The §14 code a decoder would have returned for the resulting line. */
  readonly code: DecodeErrorCode
  /** The wire name of the offending field, if any. */
  readonly field: string | undefined

  constructor(
    code: DecodeErrorCode,
    message: string,
    field?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options)
    // set explicitly: class names are minified and copies of the package differ (STYLE.md)
    this.name = 'WireEncodeError'
    this.code = code
    this.field = field
  }
}

/** @internal */
export function _wireError(code: DecodeErrorCode, message: string, field?: string): WireError {
  return field === undefined ? { code, message } : { code, message, field }
}
