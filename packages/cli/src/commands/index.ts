// The command table: name → what runs it. A command missing here answers "not implemented yet"
// with exit code 8 (EXIT.UNAVAILABLE) rather than pretend to work.
import type { Context } from '../context.ts'
import { runNode } from './node.ts'
import { runStatus } from './status.ts'

/** Runs a command; resolves to its exit code. */
export type CommandRunner = (ctx: Context) => Promise<number>

/** The commands implemented in this build. */
export const COMMAND_RUNNERS: Readonly<Record<string, CommandRunner>> = {
  node: runNode,
  status: runStatus,
}
