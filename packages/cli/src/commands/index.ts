// The command table: name → what runs it. A command missing here answers "not implemented yet"
// with exit code 8 (EXIT.UNAVAILABLE) rather than pretend to work.
import { intOption, secondsOption } from '../args.ts'
import type { Context } from '../context.ts'
import { parseKey } from '../resolve.ts'
import { registerSessionCommands, type SessionCommand, sessionRunner } from '../session.ts'
import { runChat } from './chat.ts'
import { runDaemon } from './daemon.ts'
import { runDemo } from './demo.ts'
import { runInit, runWhoami } from './identity.ts'
import { runNode } from './node.ts'
import {
  runAccept,
  runAdd,
  runFriends,
  runHistory,
  runReject,
  runRequests,
  runSend,
} from './scripting.ts'
import { runStatus } from './status.ts'

/** Runs a command; resolves to its exit code. */
export type CommandRunner = (ctx: Context) => Promise<number>

/** Commands that run against the client; a running chat/daemon on the data dir runs them. */
const SESSION_COMMANDS: Readonly<Record<string, SessionCommand>> = {
  add: runAdd,
  friends: runFriends,
  send: runSend,
  history: runHistory,
  requests: runRequests,
  accept: runAccept,
  reject: runReject,
}
registerSessionCommands(SESSION_COMMANDS)

/** Argument checks run before a session opens. */
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
}

/** The commands implemented in this build. */
export const COMMAND_RUNNERS: Readonly<Record<string, CommandRunner>> = {
  init: runInit,
  whoami: runWhoami,
  node: runNode,
  status: runStatus,
  daemon: runDaemon,
  chat: runChat,
  demo: runDemo,
  ...Object.fromEntries(
    Object.entries(SESSION_COMMANDS).map(([k, v]) => [k, sessionRunner(v, VALIDATORS[k])]),
  ),
}
