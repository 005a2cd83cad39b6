// The read-only views of a node: peers, the presence table, routes, the dialer's candidates and
// the counters, as plain objects a caller may keep.
import { METRIC_INFINITY as INF } from '@chat6/wire'
import { b64 } from '../b64.ts'
import type { ServiceComponents, Views } from '../components.ts'
import { NodeInputError } from '../errors.ts'
import type { Link } from '../link.ts'
import { LOCAL } from '../routes.ts'
import type { ClientInfo, PeerInfo } from '../types.ts'

/** @internal */
export type ViewsComponents = Pick<
  ServiceComponents,
  'metrics' | 'connections' | 'table' | 'advertiser' | 'attachments'
>

const key = (hash: Uint8Array | string): string => {
  if (typeof hash === 'string') return hash
  if (!(hash instanceof Uint8Array) || hash.length !== 32)
    throw new NodeInputError('hash', 'expected 32 bytes')
  return b64(hash)
}

/** @internal */
export function createViews(c: ViewsComponents): Views {
  const peerInfo = (l: Link): PeerInfo => {
    const frames = c.metrics.link(l)
    return {
      id: l.id,
      nodeKey: l.peerNodeKey ?? new Uint8Array(0),
      remote: l.remote,
      listenPort: l.peerPort,
      direction: l.role === 'I' ? 'outbound' : 'inbound',
      metric: l.metric,
      rtts: [...l.rtts],
      relays: c.table.relays(l),
      upAt: l.upAt,
      framesIn: frames.framesIn,
      framesOut: frames.framesOut,
    }
  }
  const client = (hash: Uint8Array | string): ClientInfo | undefined => {
    const rec = c.table.records.get(key(hash))
    return rec === undefined ? undefined : c.table.info(rec)
  }
  return {
    peerInfo,
    peers: () => [...c.connections.links()].map(peerInfo),
    clients: () => [...c.table.records.values()].map((r) => c.table.info(r)),
    client,
    routeTo(hash) {
      const id = key(hash)
      const { routes } = c.table
      if (!routes.has(id)) return undefined
      const sel = routes.selection(id)
      const fd = routes.feasibilityDistance(id)
      const nonce = routes.nonce(id)
      return {
        nextHop: sel.via === LOCAL ? 'local' : sel.via,
        metric: sel.metric,
        nonce,
        fd,
        routes: routes.routes(id).map((r) => ({
          neighbor: r.neighbor,
          nonce: r.nonce,
          advertised: r.advertised,
          metric: r.metric,
          feasible:
            r.nonce === nonce &&
            r.advertised < INF &&
            (fd === undefined ||
              r.nonce > fd.nonce ||
              (r.nonce === fd.nonce && r.advertised < fd.metric)),
        })),
      }
    },
    nextHop(hash) {
      const rec = c.table.records.get(key(hash))
      if (rec === undefined || rec.status !== 'online') return undefined
      const v = c.table.routes.nextHop(rec.id)
      return v === LOCAL ? 'local' : v
    },
    stats() {
      let online = 0
      let reachable = 0
      for (const r of c.table.records.values()) {
        if (r.status === 'online') online++
        if (r.status === 'online' && r.reachable) reachable++
      }
      const m = c.metrics
      return {
        framesIn: { ...m.framesIn },
        framesOut: { ...m.framesOut },
        bytesIn: m.bytesIn,
        bytesOut: m.bytesOut,
        drops: { ...m.drops },
        byesOut: { ...m.byesOut },
        byesIn: { ...m.byesIn },
        delivered: m.counter('delivered').value,
        forwarded: m.counter('forwarded').value,
        peers: c.connections.size,
        pendingHandshakes: c.connections.pendingHandshakes,
        clients: c.table.records.size,
        clientsOnline: online,
        clientsReachable: reachable,
        attached: c.attachments.size,
        presenceQueued: c.advertiser.queued(),
      }
    },
  }
}
