// What a command runs with: its parsed command line, where to write, the environment, and the
// data dir. Commands never touch `process` directly, so they also run forwarded over the
// control socket and in tests.
import { homedir } from 'node:os'
import type { ParsedCommand } from './args.ts'
import { type DataFiles, dataFiles, resolveDataDir } from './paths.ts'

/** The process around a command. */
export interface Io {
  stdout: { write(text: string): unknown; isTTY?: boolean; columns?: number; rows?: number }
  stderr: { write(text: string): unknown; isTTY?: boolean }
  stdin: NodeJS.ReadStream
  env: Readonly<Record<string, string | undefined>>
  cwd: string
  platform: NodeJS.Platform
  home: string
}

/** The real process. */
export function processIo(): Io {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
    platform: process.platform,
    home: homedir(),
  }
}

/** A command's view of its run. */
export interface Context {
  parsed: ParsedCommand
  io: Io
  /** Writes to stdout. */
  out(text: string): void
  /** Writes to stderr. */
  err(text: string): void
  /** `--json` was given. */
  json: boolean
  /** `CHAT6_DEBUG=1`. */
  debug: boolean
  /** The data dir's files (the dir is not created here). */
  files: DataFiles
  /** Aborted when a forwarded command's caller goes away. */
  signal: AbortSignal | undefined
  /** True when this runs in another chat6 process, forwarded over the control socket. */
  forwarded: boolean
}

/** Builds the context of a parsed command. */
export function makeContext(
  parsed: ParsedCommand,
  io: Io,
  extra: { signal?: AbortSignal; forwarded?: boolean } = {},
): Context {
  const flag = parsed.values['data-dir']
  const dir = resolveDataDir({
    flag: typeof flag === 'string' ? flag : undefined,
    env: io.env,
    platform: io.platform,
    home: io.home,
    cwd: io.cwd,
  })
  return {
    parsed,
    io,
    out: (t) => io.stdout.write(t),
    err: (t) => io.stderr.write(t),
    json: parsed.values.json === true,
    debug: io.env.CHAT6_DEBUG === '1',
    files: dataFiles(dir),
    signal: extra.signal,
    forwarded: extra.forwarded ?? false,
  }
}
