// Error classes of @chat6/node: one class per failure, discriminated by `name` and a stable
// `code`, with the underlying error as `cause`. Compare by name, never by instanceof.

/** Options accepted by every node error. */
export interface NodeErrorOptions {
  /** The underlying error, if any. */
  cause?: unknown
}

/**
 * Base class of every error thrown or returned by @chat6/node.
 * @example
 * ```ts
 * try { await node.dial(addr) } catch (e) {
 *   if (e instanceof Error && e.name === 'DialError') console.log((e as DialError).code)
 * }
 * ```
 */
export class NodeError extends Error {
  /** Stable, machine-readable reason. */
  readonly code: string
  constructor(code: string, message: string, options?: NodeErrorOptions) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'NodeError'
    this.code = code
  }
}

/**
 * Why a dial failed:
 * - `address`: not an IPv6 address, or outside the allow-list (§12.1);
 * - `refused`: nothing accepts connections there (or the transport failed another way);
 * - `unreachable`: no path to the host (the memory network's `cut`);
 * - `aborted`: the transport's dial was aborted;
 * - `closed`: the connection closed before HELLO, or the node stopped while dialling;
 * - `handshake`: the peer ended the handshake (its BYE reason is in the message);
 * - `self`: the address is this node.
 */
export type DialErrorCode =
  | 'address'
  | 'refused'
  | 'unreachable'
  | 'aborted'
  | 'closed'
  | 'handshake'
  | 'self'

const DIAL_ERROR_CODES: ReadonlySet<string> = new Set<DialErrorCode>([
  'address',
  'refused',
  'unreachable',
  'aborted',
  'closed',
  'handshake',
  'self',
])

/** @internal The DialError code for a transport's error code (`refused` when unknown). */
export function toDialErrorCode(code: unknown): DialErrorCode {
  return typeof code === 'string' && DIAL_ERROR_CODES.has(code)
    ? (code as DialErrorCode)
    : 'refused'
}

/** A dial failed; `code` says why (see {@link DialErrorCode}). */
export class DialError extends NodeError {
  declare readonly code: DialErrorCode
  constructor(code: DialErrorCode, message: string, options?: NodeErrorOptions) {
    super(code, message, options)
    this.name = 'DialError'
  }
}

/** A transport could not listen, accept or dial: `address`, `listen`, `closed`. */
export class TransportError extends NodeError {
  constructor(code: string, message: string, options?: NodeErrorOptions) {
    super(code, message, options)
    this.name = 'TransportError'
  }
}

/** The node is in the wrong state for the call: `not_started`, `started`, `stopped`. */
export class NodeStateError extends NodeError {
  constructor(code: string, message: string, options?: NodeErrorOptions) {
    super(code, message, options)
    this.name = 'NodeStateError'
  }
}

/** A client attachment call was refused: `attached`, `detached`, `invalid_frame`, `bad_proof`, `wrong_client`. */
export class AttachError extends NodeError {
  constructor(code: string, message: string, options?: NodeErrorOptions) {
    super(code, message, options)
    this.name = 'AttachError'
  }
}

/** A caller passed a bad argument (a programmer error): `field` names it. */
export class NodeInputError extends NodeError {
  readonly field: string
  constructor(field: string, message: string, options?: NodeErrorOptions) {
    super('invalid_input', `${field}: ${message}`, options)
    this.name = 'NodeInputError'
    this.field = field
  }
}
