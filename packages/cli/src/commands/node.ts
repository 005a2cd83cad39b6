// `chat6 node`: a relay. Logs one line per significant event and a periodic status line,
// answers `chat6 status` on node.sock, and stops cleanly (BYE, last-known nodes) on a signal.
import { mkdir, readFile } from 'node:fs/promises'
import { addressKey } from '@chat6/node'
import { DEFAULT_PORT, formatHostPort } from '../addr.ts'
import { secondsOption } from '../args.ts'
import { EMPTY_CONFIG } from '../config.ts'
import type { Context } from '../context.ts'
import { serveControl } from '../control.ts'
import { EXIT } from '../exit-codes.ts'
import { createEventLog } from '../logline.ts'
import { networkPlan, startNode } from '../network.ts'
import { nodeStatus, statusLine } from '../node-status.ts'
import { onShutdown } from '../shutdown.ts'

const short = (id: string) => id.slice(0, 8)

/** Runs a relay until SIGINT/SIGTERM. */
export async function runNode(ctx: Context): Promise<number> {
  const { values } = ctx.parsed
  const plan = await networkPlan(values, EMPTY_CONFIG, { host: '::', port: DEFAULT_PORT })
  const statusEvery = secondsOption(values, 'status-interval', 60_000)
  const log = createEventLog(ctx.out, values.json === true)
  await mkdir(ctx.files.dir, { recursive: true, mode: 0o700 })

  const node = await startNode(plan, ctx.files.dir)
  const startedAt = Date.now()
  let control: Awaited<ReturnType<typeof serveControl>>
  try {
    control = await serveControl(
      ctx.files.nodeSocket,
      async (req, reply) => {
        if (req.op === 'status') reply({ status: nodeStatus(node, startedAt, 'node') })
        else reply({ error: 'this is a relay node: it has no client', code: 'usage' })
      },
      'a chat6 node',
    )
  } catch (e) {
    await node.stop()
    throw e
  }

  const where = node.listenAddress ? formatHostPort(node.listenAddress) : 'nowhere'
  log.line('listening', `listening on ${where} as node ${short(node.id)}`, {
    listen: where,
    id: node.id,
    pid: process.pid,
  })
  if (plan.peers.length > 0)
    log.line('bootstrap', `dialling ${plan.peers.map(formatHostPort).join(', ')}`, {
      peers: plan.peers.map(formatHostPort),
    })
  node.on('peer:connect', (p) =>
    log.line('peer-up', `peer up ${short(p.id)} ${formatHostPort(p.remote)} ${p.direction}`, {
      peer: p.id,
      remote: formatHostPort(p.remote),
      direction: p.direction,
    }),
  )
  node.on('peer:disconnect', ({ peer, reason, initiator }) =>
    log.line(
      'peer-down',
      `peer down ${short(peer.id)} ${formatHostPort(peer.remote)} reason=${reason} (${initiator})`,
      { peer: peer.id, remote: formatHostPort(peer.remote), reason, initiator },
    ),
  )
  // a relay sees every client of the mesh come and go: only worth a line when asked
  if (values.verbose === true) {
    node.on('client:online', (c) =>
      log.line(
        'client-online',
        `client online ${c.id.slice(0, 8)} ${c.local ? '(local)' : ''}`.trim(),
        {
          client: c.id,
        },
      ),
    )
    node.on('client:offline', (c) =>
      log.line('client-offline', `client offline ${c.id.slice(0, 8)}`, { client: c.id }),
    )
  }
  // a wrong --peer or a dead bootstrap node would otherwise be retried in silence
  node.on('dial:failed', ({ address, code, failures }) => {
    const addr = addressKey(address)
    log.line('dial-failed', `dial ${addr} failed (${code}), retrying with backoff`, {
      addr,
      code,
      failures,
    })
  })
  node.on('log', ({ level, msg, data }) => {
    if (level === 'warn' || level === 'error')
      log.line(level, `${level}: ${msg}${data ? ` ${JSON.stringify(data)}` : ''}`, { data })
  })

  const timer =
    statusEvery > 0
      ? setInterval(() => {
          const s = nodeStatus(node, startedAt, 'node')
          log.line('status', statusLine(s), { status: s })
        }, statusEvery)
      : undefined

  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    const off = onShutdown((s) => {
      off()
      resolve(s)
    })
  })
  clearInterval(timer)
  const peers = node.peers().length
  log.line('stopping', `${signal}: sending BYE to ${peers} peer${peers === 1 ? '' : 's'}`, {
    signal,
    peers,
  })
  await node.stop()
  await control.close()
  let saved = 0
  try {
    const data = JSON.parse(await readFile(ctx.files.knownNodes, 'utf8')) as { nodes?: unknown[] }
    saved = data.nodes?.length ?? 0
  } catch {}
  log.line(
    'stopped',
    `stopped; ${saved} last-known node${saved === 1 ? '' : 's'} saved to ${ctx.files.knownNodes}`,
    {
      saved,
      file: ctx.files.knownNodes,
    },
  )
  return EXIT.OK
}
