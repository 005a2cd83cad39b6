// The status of a node as `chat6 status` and the periodic status line show it, built from the
// node's peers(), dialing() and stats(). Each table is a list of columns: a new one is one entry
// in PEER_COLUMNS (or REDIAL_COLUMNS) and one field in PeerStatus (or RedialStatus).
import { type Chat6Node, systemClock } from '@chat6/node'
import { formatHostPort, peerAddress } from './addr.ts'
import { table } from './format.ts'

/** One peer in `chat6 status`. */
export interface PeerStatus {
  /** base64 node key. */
  id: string
  /** Where it accepts connections: the listen port for an inbound peer (see peerAddress). */
  address: string
  /** The connection's own remote address (an ephemeral port for inbound peers). */
  remote: string
  direction: string
  listenPort: number
  rttMs: number
  /** Seconds since the link came up. */
  upSeconds: number
  /** Frames received and sent on this link, its handshake included. */
  framesIn: number
  framesOut: number
}

/** An address the node dials on its own that is down: it is being redialled with backoff. */
export interface RedialStatus {
  address: string
  /** Where the node has it from: `bootstrap` (--peer, --bootstrap, config.json), `known`. */
  source: string
  /** Failed dials in a row. */
  failures: number
  /** Seconds until the next attempt (0: when the node next wants a peer). */
  nextInSeconds: number
  /** The DialError code of the last failure. */
  lastError: string | undefined
}

/** A node's state, as JSON on the control socket and from `chat6 status --json`. */
export interface NodeStatus {
  role: 'node' | 'client'
  pid: number
  id: string
  listen: string | undefined
  uptimeSeconds: number
  peers: PeerStatus[]
  /**
   * Configured (bootstrap) and last-known addresses that are down and being redialled; addresses
   * learnt from neighbours are only counted, in `redialDiscovered`.
   */
  redialling: RedialStatus[]
  redialDiscovered: number
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

/** Collects a node's status; `now` is the node's monotonic clock (PeerInfo.upAt is on it). */
export function nodeStatus(
  node: Chat6Node,
  startedAt: number,
  role: NodeStatus['role'],
  now: () => number = systemClock.now,
): NodeStatus {
  const stats = node.stats()
  const t = now()
  const peers = node.peers().map((p) => ({
    id: p.id,
    address: peerAddress(p),
    remote: formatHostPort(p.remote),
    direction: p.direction,
    listenPort: p.listenPort,
    rttMs: Math.round(p.metric / 100) / 10,
    upSeconds: Math.max(0, Math.round((t - p.upAt) / 1000)),
    framesIn: p.framesIn,
    framesOut: p.framesOut,
  }))
  const down = node.dialing().filter((d) => !d.connected && d.nextAttemptIn !== undefined)
  const redialling = down
    .filter((d) => d.source !== 'discovered')
    .map((d) => ({
      address: formatHostPort(d.address),
      source: d.source,
      failures: d.failures,
      nextInSeconds: Math.ceil((d.nextAttemptIn ?? 0) / 1000),
      lastError: d.lastError,
    }))
  return {
    role,
    pid: process.pid,
    id: node.id,
    listen: node.listenAddress === undefined ? undefined : formatHostPort(node.listenAddress),
    uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
    peers,
    redialling,
    redialDiscovered: down.length - redialling.length,
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

/** `45 s`, `12 min`, `3 h 05 min`, `2 d 4 h`. */
export function duration(seconds: number): string {
  if (seconds < 60) return `${seconds} s`
  const min = Math.floor(seconds / 60)
  if (min < 60) return `${min} min`
  const h = Math.floor(min / 60)
  if (h < 24) return `${h} h ${String(min % 60).padStart(2, '0')} min`
  return `${Math.floor(h / 24)} d ${h % 24} h`
}

/** The columns of the peer table: header and cell. */
const PEER_COLUMNS: readonly (readonly [string, (p: PeerStatus) => string])[] = [
  ['ADDRESS', (p) => p.address],
  ['DIR', (p) => (p.direction === 'inbound' ? 'in' : 'out')],
  ['RTT', (p) => `${p.rttMs} ms`],
  ['UP', (p) => duration(p.upSeconds)],
  ['IN', (p) => String(p.framesIn)],
  ['OUT', (p) => String(p.framesOut)],
  ['NODE', (p) => `${p.id.slice(0, 12)}…`],
]

/** The columns of the table of addresses being redialled. */
const REDIAL_COLUMNS: readonly (readonly [string, (r: RedialStatus) => string])[] = [
  ['ADDRESS', (r) => r.address],
  ['FROM', (r) => r.source],
  ['FAILED', (r) => `${r.failures}×`],
  ['NEXT', (r) => (r.nextInSeconds > 0 ? `in ${duration(r.nextInSeconds)}` : 'when needed')],
  ['LAST ERROR', (r) => r.lastError ?? '-'],
]

/** A table of `cols` over `rows`, indented under its heading line. */
function columns<T>(cols: readonly (readonly [string, (row: T) => string])[], rows: readonly T[]) {
  return table([cols.map(([h]) => h), ...rows.map((r) => cols.map(([, cell]) => cell(r)))])
    .split('\n')
    .map((l) => `  ${l}`)
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
    `${s.role === 'node' ? 'relay node' : 'client node'} ${s.id.slice(0, 12)}… pid ${s.pid}, up ${duration(s.uptimeSeconds)}`,
    `listening   ${s.listen ?? 'no (outbound only)'}`,
  ]
  if (s.client !== undefined)
    lines.push(
      `client      ${s.client.nickname} ${s.client.hash.slice(0, 8)}: ${s.client.friends} friend${s.client.friends === 1 ? '' : 's'} (${s.client.online} online), ${s.client.outbox} queued`,
    )
  // a relay has no clients of its own unless one attached to it: no "0 delivered" line then
  const local = s.role === 'client' || s.clients.attached > 0 || s.delivered > 0
  lines.push(
    `clients     ${s.clients.known} known, ${s.clients.online} online, ${s.clients.reachable} reachable${local ? `, ${s.clients.attached} attached here` : ''}`,
    `frames      ${s.framesRelayed} relayed, ${s.framesIn} in, ${s.framesOut} out${local ? `, ${s.delivered} delivered to clients here` : ''}`,
    `drops       ${s.dropsTotal}${
      s.dropsTotal > 0
        ? ` (${Object.entries(s.drops)
            .filter(([, n]) => n > 0)
            .map(([k, n]) => `${k} ${n}`)
            .join(', ')})`
        : ''
    }`,
    `peers       ${s.peers.length}`,
  )
  if (s.peers.length > 0) lines.push(...columns(PEER_COLUMNS, s.peers))
  if (s.redialling.length > 0 || s.redialDiscovered > 0) {
    const more = s.redialDiscovered > 0 ? ` (and ${s.redialDiscovered} learnt from neighbours)` : ''
    lines.push(`redialling  ${s.redialling.length}${more}`)
    if (s.redialling.length > 0) lines.push(...columns(REDIAL_COLUMNS, s.redialling))
  }
  return `${lines.join('\n')}\n`
}
