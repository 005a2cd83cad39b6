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

/** A dial failed: `address` (not allowed), `refused`, `aborted`, `closed`, `handshake` (BYE). */
export class DialError extends NodeError {
  constructor(code: string, message: string, options?: NodeErrorOptions) {
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
