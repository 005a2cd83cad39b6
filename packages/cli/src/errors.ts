// The one error class of the CLI and the mapping of lower layers' errors onto it, so that every
// failure ends as one line on stderr with a documented exit code (see exit-codes.ts).
import { EXIT, type ExitCode } from './exit-codes.ts'

/** Why a command failed; each code has its own exit code ({@link CliError.exitCode}). */
export type CliErrorCode =
  | 'usage'
  | 'not_found'
  | 'passphrase'
  | 'conflict'
  | 'network'
  | 'unavailable'
  | 'failed'

const EXIT_OF: Record<CliErrorCode, ExitCode> = {
  usage: EXIT.USAGE,
  not_found: EXIT.NOT_FOUND,
  passphrase: EXIT.PASSPHRASE,
  conflict: EXIT.CONFLICT,
  network: EXIT.NETWORK,
  unavailable: EXIT.UNAVAILABLE,
  failed: EXIT.FAILURE,
}

/**
 * A failure the user should read about: its message is printed as `chat6: error: <message>`.
 * @example
 * ```ts
 * throw new CliError('usage', "unknown option '--nik' (did you mean --nick?)")
 * ```
 */
export class CliError extends Error {
  override readonly name = 'CliError'
  readonly code: CliErrorCode
  /** Extra lines printed after the message (a usage hint, candidates). */
  readonly hint: string | undefined
  constructor(code: CliErrorCode, message: string, options?: { cause?: unknown; hint?: string }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause })
    this.code = code
    this.hint = options?.hint
  }
  /** The process exit code for this error. */
  get exitCode(): ExitCode {
    return EXIT_OF[this.code]
  }
}

/** The exit code of an error code. */
export function exitCodeOf(code: CliErrorCode): ExitCode {
  return EXIT_OF[code]
}

interface Named {
  name?: unknown
  code?: unknown
  message?: unknown
  cause?: unknown
}

const asNamed = (e: unknown): Named => (typeof e === 'object' && e !== null ? (e as Named) : {})

/** The errno code (EADDRINUSE, ECONNREFUSED…) somewhere in a cause chain. */
export function errnoOf(e: unknown): string | undefined {
  for (let cur: unknown = e, depth = 0; cur !== undefined && depth < 8; depth++) {
    const n = asNamed(cur)
    if (typeof n.code === 'string' && /^E[A-Z]+$/.test(n.code)) return n.code
    cur = n.cause
  }
  return undefined
}

const ERRNO_TEXT: Record<string, string> = {
  EADDRINUSE: 'address already in use (another chat6 node on this port?)',
  EADDRNOTAVAIL: 'address not available on this host',
  EACCES: 'permission denied',
  ECONNREFUSED: 'connection refused',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable (is IPv6 configured?)',
  ETIMEDOUT: 'timed out',
  ENOENT: 'no such file or directory',
}

/**
 * Maps any thrown value to a {@link CliError}. Errors of the lower packages are matched by their
 * `name` and `code` (never `instanceof`, which fails across package copies).
 */
export function toCliError(e: unknown): CliError {
  if (e instanceof CliError) return e
  const n = asNamed(e)
  const name = typeof n.name === 'string' ? n.name : ''
  const code = typeof n.code === 'string' ? n.code : ''
  const message = typeof n.message === 'string' && n.message !== '' ? n.message : String(e)
  const wrap = (c: CliErrorCode, m = message) => new CliError(c, m, { cause: e })
  const errno = errnoOf(e)
  switch (name) {
    case 'ClientError':
      if (code === 'wrong_passphrase' || code === 'passphrase_required') return wrap('passphrase')
      if (code === 'unknown_friend' || code === 'no_request') return wrap('not_found')
      if (code === 'invalid_argument' || code === 'self') return wrap('usage')
      if (code === 'identity_mismatch') return wrap('conflict')
      return wrap('failed')
    case 'SealedBoxError':
      if (code === 'bad_passphrase') return wrap('passphrase', 'wrong passphrase')
      return wrap('failed')
    case 'StoreError':
      if (code === 'busy')
        return wrap('conflict', `${message} (is another chat6 using this data dir?)`)
      return wrap('failed')
    case 'TransportError':
    case 'DialError':
      return wrap('network', errno ? `${message}: ${ERRNO_TEXT[errno] ?? errno}` : message)
  }
  if (errno === 'EADDRINUSE' || errno === 'EADDRNOTAVAIL' || errno === 'ECONNREFUSED')
    return wrap('network', `${message.split(':')[0]}: ${ERRNO_TEXT[errno]}`)
  if (errno === 'ENOENT' || errno === 'EACCES') return wrap('failed')
  return wrap('failed')
}

/** Whether the error is a user's mistake or an expected condition (no stack unless debugging). */
export function isExpected(e: CliError): boolean {
  return e.code !== 'failed' || e.cause === undefined || errnoOf(e.cause) !== undefined
}

/**
 * The text printed on stderr for an error: one line, `chat6: error: …`, then the hint; with
 * `debug`, the stack (and causes') follow.
 */
export function formatError(e: CliError, debug: boolean): string {
  const oneLine = e.message.replace(/\s*\n\s*/g, ' ')
  let out = `chat6: error: ${oneLine}\n`
  if (e.hint !== undefined) out += `${e.hint.replace(/\n*$/, '')}\n`
  if (debug) {
    for (let cur: unknown = e.cause ?? e, depth = 0; cur !== undefined && depth < 8; depth++) {
      const stack = cur instanceof Error ? cur.stack : String(cur)
      out += `${depth === 0 ? '' : 'caused by: '}${stack}\n`
      cur = cur instanceof Error ? cur.cause : undefined
    }
  } else if (!isExpected(e)) {
    out += 'chat6: set CHAT6_DEBUG=1 to see where it failed\n'
  }
  return out
}
