// The scripting commands by name, for a process that holds the data dir: it runs them for
// itself and for the commands forwarded to it.
import type { SessionCommand } from '../session.ts'
import {
  runAccept,
  runAdd,
  runFriends,
  runHistory,
  runReject,
  runRequests,
  runSend,
} from './scripting.ts'
import { runSetStatus } from './set-status.ts'

/** Name → the command run against an open session. */
export const SESSION_COMMANDS = {
  add: runAdd,
  friends: runFriends,
  send: runSend,
  history: runHistory,
  requests: runRequests,
  accept: runAccept,
  reject: runReject,
  'set-status': runSetStatus,
} satisfies Readonly<Record<string, SessionCommand>>
