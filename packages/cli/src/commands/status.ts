// `chat6 status`: asks the node (node.sock) or the client process (client.sock) running on the
// data dir for its state.
import type { Context } from '../context.ts'
import { probe, requestControl } from '../control.ts'
import { CliError } from '../errors.ts'
import { EXIT } from '../exit-codes.ts'
import { type NodeStatus, statusText } from '../node-status.ts'

/** Prints the status of what runs on the data dir. */
export async function runStatus(ctx: Context): Promise<number> {
  const sockets = [ctx.files.nodeSocket, ctx.files.clientSocket]
  const found: NodeStatus[] = []
  for (const path of sockets) {
    if (!(await probe(path))) continue
    await requestControl(
      path,
      { op: 'status' },
      (r) => {
        if ('status' in r) found.push(r.status as NodeStatus)
      },
      5000,
    )
  }
  if (found.length === 0)
    throw new CliError('network', `no chat6 node, daemon or chat is running on ${ctx.files.dir}`, {
      hint: 'start one with: chat6 node   (or chat6 daemon, chat6 chat)',
    })
  if (ctx.json) ctx.out(`${JSON.stringify(found.length === 1 ? found[0] : found, null, 2)}\n`)
  else ctx.out(found.map(statusText).join('\n'))
  return EXIT.OK
}
