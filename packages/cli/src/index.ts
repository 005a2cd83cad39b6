// Public face of @chat6/cli: the `chat6` command as a function, for embedding and tests. The
// command itself starts in bin.ts.

export { type Io, processIo } from './context.ts'
export { CliError, type CliErrorCode } from './errors.ts'
export { EXIT, type ExitCode } from './exit-codes.ts'
export { main, version } from './main.ts'
export { COMMANDS, type CommandSpec, type OptionSpec, type PositionalSpec } from './spec.ts'
