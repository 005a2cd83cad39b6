// `chat6 node`: a relay. Logs one line per significant event and a periodic status line,
// answers `chat6 status` on node.sock, serves Prometheus metrics when asked (--metrics), and
// stops cleanly (BYE, last-known nodes) on a signal.
import { readFile } from 'node:fs/promises'
import type { Chat6Node } from '@chat6/node'
import {
  DEFAULT_PORT,
  dialReason,
  forgottenText,
  formatHostPort,
  parseHostPort,
  peerAddress,
} from '../addr.ts'
import { secondsOption, stringOption } from '../args.ts'
import { EMPTY_CONFIG } from '../config.ts'
import type { Context } from '../context.ts'
import { serveControl } from '../control.ts'
import { makeDataDir } from '../data-dir.ts'
import { EXIT } from '../exit-codes.ts'
import { toHex } from '../format.ts'
import { createEventLog, type EventLog } from '../logline.ts'
import { type MetricsServer, serveMetrics } from '../metrics.ts'
import { networkPlan, startNode } from '../network.ts'
import { nodeStatus, statusLine } from '../node-status.ts'
import { onShutdown } from '../shutdown.ts'

const short = (id: string) => id.slice(0, 8)

/**
 * Logs the node's failed dials: a wrong --peer or a dead bootstrap node would otherwise be
 * retried in silence. Each address is logged when it starts failing or fails another way, not at
 * every retry, and once more when the node forgets it (learnt from a neighbour, never reached).
 */
export function logDials(node: Pick<Chat6Node, 'on'>, log: EventLog): void {
  const failing = new Map<string, string>()
  node.on('peer:connect', (p) => {
    failing.delete(formatHostPort(p.remote))
    failing.delete(peerAddress(p))
  })
  node.on('dial:failed', (f) => {
    const addr = formatHostPort(f.address)
    if (f.forgotten) {
      failing.delete(addr)
      log.line('dial-forgotten', forgottenText(f), { addr, failures: f.failures })
      return
    }
    const why = dialReason(f)
    if (failing.get(addr) === why) return
    failing.set(addr, why)
    const retry =
      f.retryIn === undefined
        ? ''
        : `, retrying with backoff (next in ${Math.ceil(f.retryIn / 1000)} s)`
    log.line('dial-failed', `dial ${addr} failed: ${why}${retry}`, {
      addr,
      code: f.code,
      reason: f.message,
      source: f.source,
      failures: f.failures,
    })
  })
}

/** Runs a relay until SIGINT/SIGTERM. */
export async function runNode(ctx: Context): Promise<number> {
  const { values } = ctx.parsed
  const plan = await networkPlan(values, EMPTY_CONFIG, { host: '::', port: DEFAULT_PORT })
  const statusEvery = secondsOption(values, 'status-interval', 60_000)
  const metricsText = stringOption(values, 'metrics')
  const metricsAt =
    metricsText === undefined
      ? undefined
      : parseHostPort(metricsText, { host: '::1', port: 9600 }, '--metrics')
  const log = createEventLog(ctx.out, values.json === true)
  await makeDataDir(ctx.files)

  const node = await startNode(plan, ctx.files.dir)
  const startedAt = Date.now()
  let control: Awaited<ReturnType<typeof serveControl>>
  let metrics: MetricsServer | undefined
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
  try {
    if (metricsAt !== undefined) metrics = await serveMetrics(node, metricsAt)
  } catch (e) {
    await node.stop()
    await control.close()
    throw e
  }

  const where = node.listenAddress ? formatHostPort(node.listenAddress) : 'nowhere'
  log.line('listening', `listening on ${where} as node ${short(node.id)}`, {
    listen: where,
    id: node.id,
    pid: process.pid,
  })
  if (metrics !== undefined) {
    const url = `http://${formatHostPort(metrics.address)}/metrics`
    log.line('metrics', `metrics on ${url}`, { url })
  }
  if (plan.peers.length > 0)
    log.line('bootstrap', `dialling ${plan.peers.map(formatHostPort).join(', ')}`, {
      peers: plan.peers.map(formatHostPort),
    })
  node.on('peer:connect', (p) =>
    log.line('peer-up', `peer up ${short(p.id)} ${peerAddress(p)} ${p.direction}`, {
      peer: p.id,
      address: peerAddress(p),
      remote: formatHostPort(p.remote),
      direction: p.direction,
    }),
  )
  node.on('peer:disconnect', ({ peer, reason, initiator }) =>
    log.line(
      'peer-down',
      `peer down ${short(peer.id)} ${peerAddress(peer)} reason=${reason} (${initiator})`,
      { peer: peer.id, address: peerAddress(peer), reason, initiator },
    ),
  )
  // a relay sees every client of the mesh come and go: only worth a line when asked
  if (values.verbose === true) {
    const hex = (c: { hash: Uint8Array }) => toHex(c.hash)
    node.on('client:online', (c) =>
      log.line(
        'client-online',
        `client online ${hex(c).slice(0, 8)}${c.local ? ' (attached here)' : ''}`,
        { client: hex(c) },
      ),
    )
    node.on('client:offline', (c) =>
      log.line('client-offline', `client offline ${hex(c).slice(0, 8)}`, { client: hex(c) }),
    )
  }
  logDials(node, log)
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
  await metrics?.close()
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
