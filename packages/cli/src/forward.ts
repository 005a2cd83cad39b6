// Running a command in the chat6 process that holds the data dir (a chat, a daemon or another
// command), over client.sock. Kept apart from session.ts so that a forwarded command loads none
// of the node, client or SQLite code: `chat6 send` into a running daemon costs one process
// start and one request.
import type { Context } from './context.ts'
import { probe, requestControl } from './control.ts'
import { CliError } from './errors.ts'
import { EXIT } from './exit-codes.ts'

/** Whether a chat6 process holds the data dir's client (answers on client.sock). */
export function clientRunning(ctx: Context): Promise<boolean> {
  return probe(ctx.files.clientSocket)
}

/**
 * Runs the command in the process that holds the data dir's client, relaying its output.
 * @throws CliError `failed` when that process goes away before it answers
 */
export async function forward(ctx: Context): Promise<number> {
  let exit: number = EXIT.FAILURE
  let ended = false
  await requestControl(
    ctx.files.clientSocket,
    {
      op: 'run',
      argv: [ctx.parsed.spec.name, ...ctx.parsed.argv],
      stdoutIsTTY: ctx.io.stdout.isTTY === true,
    },
    (r) => {
      if ('out' in r) ctx.out(r.out)
      else if ('err' in r) ctx.err(r.err)
      else if ('exit' in r) {
        exit = r.exit
        ended = true
      } else if ('error' in r) {
        ctx.err(`chat6: error: ${r.error}\n`)
        ended = true
      }
    },
  )
  if (!ended) throw new CliError('failed', 'the chat6 process holding this data dir went away')
  return exit
}
