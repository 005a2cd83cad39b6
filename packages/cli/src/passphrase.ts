// Where the identity passphrase comes from: --passphrase-file, then $CHAT6_PASSPHRASE, then a
// prompt with echo off when stdin is a terminal.
import { readFile } from 'node:fs/promises'
import { emitKeypressEvents } from 'node:readline'
import type { Context } from './context.ts'
import { CliError } from './errors.ts'

/** Reads a line from the terminal without echoing it. */
export function promptHidden(ctx: Context, question: string): Promise<string> {
  const stdin = ctx.io.stdin
  return new Promise((resolve, reject) => {
    ctx.err(question)
    emitKeypressEvents(stdin)
    const wasRaw = stdin.isRaw
    stdin.setRawMode?.(true)
    stdin.resume()
    let text = ''
    const done = (e?: Error) => {
      stdin.off('keypress', onKey)
      stdin.setRawMode?.(wasRaw ?? false)
      stdin.pause()
      ctx.err('\n')
      if (e) reject(e)
      else resolve(text)
    }
    const onKey = (str: string | undefined, key: { name?: string; ctrl?: boolean }) => {
      if (key.ctrl && (key.name === 'c' || key.name === 'd'))
        return done(new CliError('passphrase', 'no passphrase given (interrupted)'))
      if (key.name === 'return' || key.name === 'enter') return done()
      if (key.name === 'backspace') text = text.slice(0, -1)
      else if (str !== undefined && !key.ctrl && str >= ' ') text += str
    }
    stdin.on('keypress', onKey)
  })
}

/**
 * The passphrase given non-interactively, or undefined.
 * @throws CliError `usage` when --passphrase-file cannot be read or is empty
 */
export async function givenPassphrase(ctx: Context): Promise<string | undefined> {
  const file = ctx.parsed.values['passphrase-file']
  if (typeof file === 'string') {
    let text: string
    try {
      text = await readFile(file, 'utf8')
    } catch (e) {
      throw new CliError('usage', `cannot read --passphrase-file ${file}: ${(e as Error).message}`)
    }
    const line = text.split(/\r?\n/)[0] ?? ''
    if (line === '') throw new CliError('usage', `--passphrase-file ${file} is empty`)
    return line
  }
  const env = ctx.io.env.CHAT6_PASSPHRASE
  return env === undefined || env === '' ? undefined : env
}

/** Tries at the passphrase prompt before giving up. */
export const PASSPHRASE_TRIES = 3

const wrongPassphrase = (e: unknown) =>
  (e as { name?: string; code?: string }).name === 'ClientError' &&
  (e as { code?: string }).code === 'wrong_passphrase'

/**
 * Opens a sealed identity with its passphrase: the one given (--passphrase-file,
 * $CHAT6_PASSPHRASE) once, else asked for on a terminal, with {@link PASSPHRASE_TRIES} tries.
 * @param open - opens the identity; rejects with the client's `wrong_passphrase` error to try again
 * @throws CliError `passphrase` when none can be had, or after the last wrong one
 */
export async function withPassphrase<T>(
  ctx: Context,
  open: (passphrase: string) => Promise<T>,
): Promise<T> {
  const given = await givenPassphrase(ctx)
  if (given !== undefined) return open(given)
  if (!ctx.io.stdin.isTTY || ctx.forwarded)
    throw new CliError('passphrase', 'the identity is sealed: give its passphrase', {
      hint: 'use --passphrase-file FILE or set CHAT6_PASSPHRASE',
    })
  for (let attempt = 1; ; attempt++) {
    const p = await promptHidden(ctx, 'Passphrase: ')
    if (p === '') throw new CliError('passphrase', 'no passphrase given')
    try {
      return await open(p)
    } catch (e) {
      if (!wrongPassphrase(e)) throw e
      const left = PASSPHRASE_TRIES - attempt
      if (left === 0)
        throw new CliError('passphrase', `wrong passphrase (${PASSPHRASE_TRIES} tries)`, {
          cause: e,
        })
      ctx.err(`wrong passphrase: ${left} more ${left === 1 ? 'try' : 'tries'}\n`)
    }
  }
}
