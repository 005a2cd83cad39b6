// `chat6`'s top level: parses the command line, runs the command, and turns every failure into
// one line on stderr and a documented exit code (see exit-codes.ts).
import { createRequire } from 'node:module'
import { commandHelp, mainHelp, type ParsedCommand, parseTopLevel } from './args.ts'
import { COMMAND_RUNNERS } from './commands/index.ts'
import { type Context, type Io, makeContext } from './context.ts'
import { CliError, formatError, toCliError } from './errors.ts'
import { EXIT } from './exit-codes.ts'

/** The package version, for `chat6 --version`. */
export function version(): string {
  const require = createRequire(import.meta.url)
  return (require('../package.json') as { version: string }).version
}

/** Runs one parsed command in a context; errors are thrown, not printed. */
export async function runParsed(parsed: ParsedCommand, ctx: Context): Promise<number> {
  if (parsed.help) {
    ctx.out(commandHelp(parsed.spec))
    return EXIT.OK
  }
  const runner = COMMAND_RUNNERS[parsed.spec.name]
  if (runner === undefined)
    throw new CliError('unavailable', `'chat6 ${parsed.spec.name}' is not implemented yet`)
  return runner(ctx)
}

/**
 * Runs `chat6` with `argv` (the words after the script) and returns the exit code; every error
 * is printed as one line on stderr (with the stack when CHAT6_DEBUG=1).
 * @example
 * ```ts
 * process.exitCode = await main(process.argv.slice(2), processIo())
 * ```
 */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  const debug = io.env.CHAT6_DEBUG === '1'
  try {
    const top = parseTopLevel(argv)
    if (top.kind === 'help') {
      ;(top.exitCode === 0 ? io.stdout : io.stderr).write(mainHelp())
      return top.exitCode
    }
    if (top.kind === 'version') {
      io.stdout.write(`chat6 ${version()}\n`)
      return EXIT.OK
    }
    return await runParsed(top.parsed, makeContext(top.parsed, io))
  } catch (e) {
    const err = toCliError(e)
    io.stderr.write(formatError(err, debug))
    return err.exitCode
  }
}
