// `chat6 chat`: the chat screen on a session of its own; while it runs, scripting commands on
// the same data dir are forwarded to it.
import type { Context } from '../context.ts'
import { CliError } from '../errors.ts'
import { EXIT } from '../exit-codes.ts'
import { openSession } from '../session.ts'
import { onShutdown } from '../shutdown.ts'
import { runChatScreen } from '../tui/app.ts'

/** Runs the interactive chat. */
export async function runChat(ctx: Context): Promise<number> {
  if (!ctx.io.stdin.isTTY || !ctx.io.stdout.isTTY)
    throw new CliError('usage', "'chat6 chat' needs a terminal", {
      hint: "for scripts use 'chat6 send', 'chat6 history' and 'chat6 daemon'",
    })
  const session = await openSession(ctx)
  // SIGTERM and SIGINT still restore the terminal and go offline cleanly
  const stop = new AbortController()
  const offSignal = onShutdown(() => stop.abort())
  try {
    await runChatScreen(ctx, {
      signal: stop.signal,
      client: session.client,
      nodeOf: () => session.node,
      network: () => {
        const n = session.node.peers().length
        return `${n} peer${n === 1 ? '' : 's'}`
      },
    })
  } finally {
    offSignal()
    await session.close()
  }
  return EXIT.OK
}
