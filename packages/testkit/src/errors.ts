// Errors of @chat6/testkit, discriminated by `name`; a failed wait names its seed so that the run
// can be repeated with CHAT6_SEED=<seed>.

/** A mesh wait ran out of virtual time; the message carries the seed and the end of the trace. */
export class MeshTimeoutError extends Error {
  readonly seed: number
  constructor(message: string, seed: number, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'MeshTimeoutError'
    this.seed = seed
  }
}

/** A mesh invariant does not hold (for example a routing loop). */
export class MeshInvariantError extends Error {
  readonly seed: number
  constructor(message: string, seed: number) {
    super(message)
    this.name = 'MeshInvariantError'
    this.seed = seed
  }
}

/** A caller passed a bad argument; `field` names it. */
export class MeshInputError extends Error {
  readonly field: string
  constructor(field: string, message: string) {
    super(`${field}: ${message}`)
    this.name = 'MeshInputError'
    this.field = field
  }
}
