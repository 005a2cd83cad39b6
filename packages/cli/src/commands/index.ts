// The command table: name → what runs it. Each command's module is loaded when it runs, so
// `chat6 --help` or a command forwarded to a running daemon does not load the node, the client
// and SQLite. A command missing here answers "not implemented yet" with exit code 8
// (EXIT.UNAVAILABLE) rather than pretend to work.
import { availabilityArg, intOption, secondsOption } from '../args.ts'
import type { Context } from '../context.ts'
import { clientRunning, forward } from '../forward.ts'
import { parseKey } from '../resolve.ts'

/** Runs a command; resolves to its exit code. */
export type CommandRunner = (ctx: Context) => Promise<number>

/** A runner loaded on first use: `name` exported by the module `load` imports. */
const lazy =
  <M extends Record<string, unknown>>(load: () => Promise<M>, name: keyof M): CommandRunner =>
  async (ctx) =>
    ((await load())[name] as CommandRunner)(ctx)

/** Argument checks run before a session opens or a command is forwarded. */
const VALIDATORS: Readonly<Record<string, (ctx: Context) => void>> = {
  add: (ctx) => {
    parseKey(ctx.parsed.args.KEY ?? '')
    secondsOption(ctx.parsed.values, 'wait', 0)
  },
  send: (ctx) => {
    secondsOption(ctx.parsed.values, 'wait', 0)
  },
  history: (ctx) => {
    intOption(ctx.parsed.values, 'limit', 50, 1, 1000)
  },
  'set-status': (ctx) => {
    availabilityArg(ctx.parsed.args.STATUS ?? '')
  },
}

/** The commands that run against the client; a running chat/daemon on the data dir runs them. */
export const SESSION_COMMAND_NAMES = [
  'add',
  'friends',
  'send',
  'history',
  'requests',
  'accept',
  'reject',
  'set-status',
] as const

/** Forwarded to the process holding the data dir, or run in a session of its own. */
const sessionRunner =
  (name: (typeof SESSION_COMMAND_NAMES)[number]): CommandRunner =>
  async (ctx) => {
    // a bad argument is reported before a passphrase is asked or a node started
    VALIDATORS[name]?.(ctx)
    if (!ctx.forwarded && (await clientRunning(ctx))) return forward(ctx)
    const [{ registerSessionCommands, runInOwnSession }, { SESSION_COMMANDS }] = await Promise.all([
      import('../session.ts'),
      import('./session-commands.ts'),
    ])
    // this process now holds the data dir: commands forwarded to it run these
    registerSessionCommands(SESSION_COMMANDS)
    return runInOwnSession(ctx, SESSION_COMMANDS[name])
  }

/** The commands implemented in this build. */
export const COMMAND_RUNNERS: Readonly<Record<string, CommandRunner>> = {
  init: lazy(() => import('./identity.ts'), 'runInit'),
  whoami: lazy(() => import('./identity.ts'), 'runWhoami'),
  node: lazy(() => import('./node.ts'), 'runNode'),
  status: lazy(() => import('./status.ts'), 'runStatus'),
  daemon: lazy(() => import('./daemon.ts'), 'runDaemon'),
  chat: lazy(() => import('./chat.ts'), 'runChat'),
  demo: lazy(() => import('./demo.ts'), 'runDemo'),
  ...Object.fromEntries(SESSION_COMMAND_NAMES.map((n) => [n, sessionRunner(n)])),
}
