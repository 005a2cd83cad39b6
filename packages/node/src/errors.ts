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
 * - `refused`: nothing accepts connections there (ECONNREFUSED, or a transport error of no other code);
 * - `unreachable`: no route to the network or host (ENETUNREACH, EHOSTUNREACH; the memory network's `cut`);
 * - `timeout`: the connection attempt timed out (ETIMEDOUT);
 * - `reset`: the connection was reset while being set up (ECONNRESET);
 * - `aborted`: the transport's dial was aborted;
 * - `closed`: the connection closed before HELLO, or the node stopped while dialling;
 * - `handshake`: the peer ended the handshake (its BYE reason is in the message);
 * - `self`: the address is this node.
 */
export type DialErrorCode = (typeof DIAL_ERROR_CODES)[number]

/** How a transport's connection attempt can fail, the same code in both unions. */
const CONNECT_FAILURES = [
  'address',
  'refused',
  'unreachable',
  'timeout',
  'reset',
  'aborted',
] as const

/** Every {@link DialErrorCode}. @internal */
export const DIAL_ERROR_CODES = [...CONNECT_FAILURES, 'closed', 'handshake', 'self'] as const

/**
 * Why a transport failed:
 * - `address`: not an IPv6 address, or a remote that is not plain IPv6 (§6.1);
 * - `listen`: could not listen (port in use, address not ours);
 * - `refused`, `unreachable`, `timeout`, `reset`: a dial failed so (see {@link DialErrorCode});
 * - `aborted`: the dial's signal was aborted;
 * - `closed`: an open connection failed (the error it closed with).
 */
export type TransportErrorCode = (typeof TRANSPORT_ERROR_CODES)[number]

/** Every {@link TransportErrorCode}. @internal */
export const TRANSPORT_ERROR_CODES = [...CONNECT_FAILURES, 'listen', 'closed'] as const

/** Why a node call is out of place: `not_started` (dial before start), `started`, `stopped` (start twice or after stop). */
export type NodeStateErrorCode = (typeof NODE_STATE_ERROR_CODES)[number]

/** Every {@link NodeStateErrorCode}. @internal */
export const NODE_STATE_ERROR_CODES = ['not_started', 'started', 'stopped'] as const

/** Why `attach` was refused: `attached` (a client with this key is attached already). */
export type AttachErrorCode = (typeof ATTACH_ERROR_CODES)[number]

/** Every {@link AttachErrorCode}. @internal */
export const ATTACH_ERROR_CODES = ['attached'] as const

const DIAL_CODES: ReadonlySet<string> = new Set(DIAL_ERROR_CODES)

/** @internal The DialError code for a transport's error code (`refused` when unknown). */
export function toDialErrorCode(code: unknown): DialErrorCode {
  return typeof code === 'string' && DIAL_CODES.has(code) ? (code as DialErrorCode) : 'refused'
}

/** A dial failed; `code` says why (see {@link DialErrorCode}). */
export class DialError extends NodeError {
  declare readonly code: DialErrorCode
  constructor(code: DialErrorCode, message: string, options?: NodeErrorOptions) {
    super(code, message, options)
    this.name = 'DialError'
  }
}

/** A transport could not listen, dial, or keep a connection; `code` says why (see {@link TransportErrorCode}). */
export class TransportError extends NodeError {
  declare readonly code: TransportErrorCode
  constructor(code: TransportErrorCode, message: string, options?: NodeErrorOptions) {
    super(code, message, options)
    this.name = 'TransportError'
  }
}

/** The node is in the wrong state for the call (see {@link NodeStateErrorCode}). */
export class NodeStateError extends NodeError {
  declare readonly code: NodeStateErrorCode
  constructor(code: NodeStateErrorCode, message: string, options?: NodeErrorOptions) {
    super(code, message, options)
    this.name = 'NodeStateError'
  }
}

/**
 * `attach` was refused (see {@link AttachErrorCode}). The other refusals of an attachment
 * (detached, a stale or badly signed frame, …) are results, not errors: `AnnounceResult` and
 * `SendResult`.
 */
export class AttachError extends NodeError {
  declare readonly code: AttachErrorCode
  constructor(code: AttachErrorCode, message: string, options?: NodeErrorOptions) {
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
