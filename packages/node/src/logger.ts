// Structured logging: the node calls an injected logger with a message and a data object.

/** Severity of a log line. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error'

/** A structured logger; every method takes a short message and optional data. */
export interface Logger {
  debug(msg: string, data?: Record<string, unknown>): void
  info(msg: string, data?: Record<string, unknown>): void
  warn(msg: string, data?: Record<string, unknown>): void
  error(msg: string, data?: Record<string, unknown>): void
}

/** A logger that drops everything (the default). */
export const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
}

/**
 * A logger writing one JSON object per line to the console, at `level` and above.
 * @example
 * ```ts
 * createNode({ logger: createConsoleLogger('info') })
 * ```
 */
export function createConsoleLogger(level: LogLevel = 'info'): Logger {
  const order: LogLevel[] = ['debug', 'info', 'warn', 'error']
  const min = order.indexOf(level)
  const at =
    (l: LogLevel) =>
    (msg: string, data?: Record<string, unknown>): void => {
      if (order.indexOf(l) < min) return
      console.error(JSON.stringify({ level: l, msg, ...data }))
    }
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }
}
