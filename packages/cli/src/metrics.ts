// Prometheus metrics of a relay (`chat6 node --metrics [::1]:9600`), with prom-client: every
// value is read from the node's stats() and peers() when scraped, so nothing is counted twice
// and nothing runs between scrapes. Served only when the operator asks for it. A new series is
// one entry in NODE_METRICS.
import { createServer, type Server } from 'node:http'
import type { Chat6Node, NodeStats, PeerInfo } from '@chat6/node'
import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client'
import { formatHostPort, type HostPort, peerAddress } from './addr.ts'
import { CliError, errnoOf } from './errors.ts'

/** A series: how it is read from the node at scrape time. */
interface MetricDef {
  name: string
  help: string
  kind: 'counter' | 'gauge'
  labels: readonly string[]
  /** Label values and value of each sample. */
  read(stats: NodeStats, peers: readonly PeerInfo[]): Iterable<[Record<string, string>, number]>
}

const one = (v: number): [Record<string, string>, number][] => [[{}, v]]
const byKey = (label: string, r: Record<string, number>) =>
  Object.entries(r).map(([k, v]): [Record<string, string>, number] => [{ [label]: k }, v])

/** Every series of a node, in the order a scrape shows them. */
export const NODE_METRICS: readonly MetricDef[] = [
  {
    name: 'chat6_peers',
    help: 'Peer links up, by direction',
    kind: 'gauge',
    labels: ['direction'],
    read: (_, peers) => [
      [{ direction: 'inbound' }, peers.filter((p) => p.direction === 'inbound').length],
      [{ direction: 'outbound' }, peers.filter((p) => p.direction === 'outbound').length],
    ],
  },
  {
    name: 'chat6_pending_handshakes',
    help: 'Connections still in the HELLO handshake',
    kind: 'gauge',
    labels: [],
    read: (s) => one(s.pendingHandshakes),
  },
  {
    name: 'chat6_clients',
    help: 'Clients in the presence table: known, online, reachable (online with a route), attached here',
    kind: 'gauge',
    labels: ['state'],
    read: (s) => [
      [{ state: 'known' }, s.clients],
      [{ state: 'online' }, s.clientsOnline],
      [{ state: 'reachable' }, s.clientsReachable],
      [{ state: 'attached' }, s.attached],
    ],
  },
  {
    name: 'chat6_presence_queued',
    help: 'Presence frames waiting in the pacing queues of every link (protocol §8.2)',
    kind: 'gauge',
    labels: [],
    read: (s) => one(s.presenceQueued),
  },
  {
    name: 'chat6_frames_in_total',
    help: 'Frames received from peers, by frame type',
    kind: 'counter',
    labels: ['type'],
    read: (s) => byKey('type', s.framesIn),
  },
  {
    name: 'chat6_frames_out_total',
    help: 'Frames sent to peers, by frame type',
    kind: 'counter',
    labels: ['type'],
    read: (s) => byKey('type', s.framesOut),
  },
  {
    name: 'chat6_bytes_in_total',
    help: 'Bytes received from peers',
    kind: 'counter',
    labels: [],
    read: (s) => one(s.bytesIn),
  },
  {
    name: 'chat6_bytes_out_total',
    help: 'Bytes sent to peers',
    kind: 'counter',
    labels: [],
    read: (s) => one(s.bytesOut),
  },
  {
    name: 'chat6_frames_relayed_total',
    help: 'Routed frames forwarded to a peer (protocol §9)',
    kind: 'counter',
    labels: [],
    read: (s) => one(s.forwarded),
  },
  {
    name: 'chat6_frames_delivered_total',
    help: 'Routed frames delivered to clients attached here',
    kind: 'counter',
    labels: [],
    read: (s) => one(s.delivered),
  },
  {
    name: 'chat6_drops_total',
    help: 'Frames dropped, by reason',
    kind: 'counter',
    labels: ['reason'],
    read: (s) => byKey('reason', s.drops),
  },
  {
    name: 'chat6_byes_total',
    help: 'Links closed by a BYE, by who sent it (sent: this node) and its reason (protocol §6.5)',
    kind: 'counter',
    labels: ['direction', 'reason'],
    read: (s) => [
      ...Object.entries(s.byesOut).map(([reason, v]): [Record<string, string>, number] => [
        { direction: 'sent', reason },
        v,
      ]),
      ...Object.entries(s.byesIn).map(([reason, v]): [Record<string, string>, number] => [
        { direction: 'received', reason },
        v,
      ]),
    ],
  },
  {
    name: 'chat6_link_rtt_seconds',
    help: 'Link metric (smoothed keepalive round-trip time, protocol §7) of each peer',
    kind: 'gauge',
    labels: ['peer'],
    read: (_, peers) =>
      peers.map((p): [Record<string, string>, number] => [
        { peer: peerAddress(p) },
        p.metric / 1e6,
      ]),
  },
]

/**
 * A registry with every series of `node` and the process's own (`process_resident_memory_bytes`
 * and prom-client's other defaults).
 */
export function nodeRegistry(node: Pick<Chat6Node, 'stats' | 'peers'>): Registry {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })
  const read = () => ({ stats: node.stats(), peers: node.peers() })
  for (const def of NODE_METRICS) {
    const common = {
      name: def.name,
      help: def.help,
      labelNames: [...def.labels],
      registers: [registry],
    }
    if (def.kind === 'counter')
      new Counter({
        ...common,
        collect() {
          const { stats, peers } = read()
          this.reset()
          for (const [labels, v] of def.read(stats, peers)) this.inc(labels, v)
        },
      })
    else
      new Gauge({
        ...common,
        collect() {
          const { stats, peers } = read()
          this.reset()
          for (const [labels, v] of def.read(stats, peers)) this.set(labels, v)
        },
      })
  }
  return registry
}

/** A listening metrics endpoint. */
export interface MetricsServer {
  /** Where it listens (the port is the real one when 0 was asked). */
  readonly address: HostPort
  close(): Promise<void>
}

/**
 * Serves `GET /metrics` (Prometheus text format) for `node` on `listen`.
 * @throws CliError `network` when it cannot listen
 */
export async function serveMetrics(
  node: Pick<Chat6Node, 'stats' | 'peers'>,
  listen: HostPort,
): Promise<MetricsServer> {
  const registry = nodeRegistry(node)
  const server: Server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('chat6: only GET /metrics here\n')
      return
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
      (e: unknown) => res.writeHead(500).end(`${(e as Error).message}\n`),
    )
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(listen.port, listen.host, () => {
      server.off('error', reject)
      resolve()
    })
  }).catch((e: unknown) => {
    const why =
      errnoOf(e) === 'EADDRINUSE'
        ? 'the port is in use'
        : errnoOf(e) === 'EADDRNOTAVAIL'
          ? 'that address is not one of this host'
          : (e as Error).message
    throw new CliError('network', `cannot serve metrics on ${formatHostPort(listen)}: ${why}`, {
      cause: e,
    })
  })
  const a = server.address()
  const port = typeof a === 'object' && a !== null ? a.port : listen.port
  return {
    address: { host: listen.host, port },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.()
        server.close(() => resolve())
      }),
  }
}
