// The status of a node as `chat6 status` and the periodic status line show it, built from the
// node's peers(), clients() and stats().
import type { Chat6Node } from '@chat6/node'
import { formatHostPort } from './addr.ts'
import { table } from './format.ts'

/** A node's state, as JSON on the control socket and from `chat6 status --json`. */
export interface NodeStatus {
  role: 'node' | 'client'
  pid: number
  id: string
  listen: string | undefined
  uptimeSeconds: number
  peers: { id: string; remote: string; direction: string; listenPort: number; rttMs: number }[]
  clients: { known: number; online: number; reachable: number; attached: number }
  /** Routed frames forwarded to a peer (§9). */
  framesRelayed: number
  framesIn: number
  framesOut: number
  delivered: number
  drops: Record<string, number>
  dropsTotal: number
  /** Set when a client is open in the process. */
  client?: { nickname: string; hash: string; friends: number; online: number; outbox: number }
}

const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0)

/** Collects a node's status. */
export function nodeStatus(
  node: Chat6Node,
  startedAt: number,
  role: NodeStatus['role'],
): NodeStatus {
  const stats = node.stats()
  const peers = node.peers().map((p) => ({
    id: p.id,
    remote: formatHostPort(p.remote),
    direction: p.direction,
    listenPort: p.listenPort,
    rttMs: Math.round(p.metric / 100) / 10,
  }))
  return {
    role,
    pid: process.pid,
    id: node.id,
    listen: node.listenAddress === undefined ? undefined : formatHostPort(node.listenAddress),
    uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
    peers,
    clients: {
      known: stats.clients,
      online: stats.clientsOnline,
      reachable: stats.clientsReachable,
      attached: stats.attached,
    },
    framesRelayed: stats.forwarded,
    framesIn: sum(stats.framesIn),
    framesOut: sum(stats.framesOut),
    delivered: stats.delivered,
    drops: stats.drops,
    dropsTotal: sum(stats.drops),
  }
}

/** The one-line summary printed periodically by `chat6 node`. */
export function statusLine(s: NodeStatus): string {
  const drops = Object.entries(s.drops)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${k} ${n}`)
  return (
    `status: ${s.peers.length} peer${s.peers.length === 1 ? '' : 's'}, ` +
    `${s.clients.known} clients known (${s.clients.online} online), ` +
    `${s.framesRelayed} frames relayed, ${s.dropsTotal} dropped` +
    (drops.length > 0 ? ` (${drops.join(', ')})` : '')
  )
}

/** The text of `chat6 status`. */
export function statusText(s: NodeStatus): string {
  const lines = [
    `${s.role === 'node' ? 'relay node' : 'client node'} ${s.id.slice(0, 12)}… pid ${s.pid}, up ${s.uptimeSeconds} s`,
    `listening   ${s.listen ?? 'no (outbound only)'}`,
  ]
  if (s.client !== undefined)
    lines.push(
      `client      ${s.client.nickname} ${s.client.hash.slice(0, 8)}: ${s.client.friends} friends (${s.client.online} online), ${s.client.outbox} queued`,
    )
  lines.push(
    `clients     ${s.clients.known} known, ${s.clients.online} online, ${s.clients.reachable} reachable, ${s.clients.attached} attached here`,
    `frames      ${s.framesRelayed} relayed, ${s.framesIn} in, ${s.framesOut} out, ${s.delivered} delivered to local clients`,
    `drops       ${s.dropsTotal}${
      s.dropsTotal > 0
        ? ` (${Object.entries(s.drops)
            .map(([k, n]) => `${k} ${n}`)
            .join(', ')})`
        : ''
    }`,
    `peers       ${s.peers.length}`,
  )
  if (s.peers.length > 0)
    lines.push(
      table(
        s.peers.map((p) => [
          '   ',
          p.remote,
          p.direction,
          `${p.rttMs} ms`,
          `${p.id.slice(0, 12)}…`,
        ]),
      ),
    )
  return `${lines.join('\n')}\n`
}
