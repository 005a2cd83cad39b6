// `chat6 chat`: the chat screen on a session of its own; while it runs, scripting commands on
// the same data dir are forwarded to it.
import { readConfig } from '../config.ts'
import type { Context } from '../context.ts'
import { CliError } from '../errors.ts'
import { EXIT } from '../exit-codes.ts'
import { openSession, registerSessionCommands } from '../session.ts'
import { onShutdown } from '../shutdown.ts'
import { runChatScreen } from '../tui/app.ts'
import { chatSettings } from '../tui/settings.ts'
import { SESSION_COMMANDS } from './session-commands.ts'

/** Runs the interactive chat. */
export async function runChat(ctx: Context): Promise<number> {
  if (!ctx.io.stdin.isTTY || !ctx.io.stdout.isTTY)
    throw new CliError('usage', "'chat6 chat' needs a terminal", {
      hint: "for scripts use 'chat6 send', 'chat6 history' and 'chat6 daemon'",
    })
  // a mistake in config.json is said before a passphrase is asked or a node started
  const settings = chatSettings(await readConfig(ctx.files.config), ctx.files.config)
  // while it runs, scripting commands on the same data dir are forwarded to it
  registerSessionCommands(SESSION_COMMANDS)
  const session = await openSession(ctx)
  // SIGTERM and SIGINT still restore the terminal and go offline cleanly
  const stop = new AbortController()
  const offSignal = onShutdown(() => stop.abort())
  try {
    await runChatScreen(ctx, {
      signal: stop.signal,
      client: session.client,
      node: session.node,
      dialling: session.plan.peers,
      settings,
    })
  } finally {
    offSignal()
    await session.close()
  }
  return EXIT.OK
}
