// Neighbour discovery (§12.2): asks a neighbour for the nodes it links to while we have fewer
// than the target, answers such requests with the neighbours that relay for others and accept
// connections, and hands the addresses learnt to the dialer.
import type { FrameOf } from '@chat6/wire'
import { MAX_NEIGHBORS_PER_RESPONSE } from '@chat6/wire'
import type { Discovery, ServiceComponents } from '../components.ts'
import type { Link } from '../link.ts'
import type { Address } from '../transport.ts'

/** @internal */
export interface DiscoveryInit {
  /** Least interval between requests on one link, and between answers to one link (§12.2). */
  minInterval: number
  /** A request left unanswered this long is given up (the maintenance interval, §12.3). */
  giveUpAfter: number
  /** Links we want (§12.3): below this we ask. */
  targetPeers: number
}

/** @internal */
export type DiscoveryComponents = Pick<
  ServiceComponents,
  'clock' | 'random' | 'metrics' | 'registry' | 'connections' | 'table'
>

/** What discovery keeps per link. */
interface LinkDiscovery {
  /** Whether our request waits for its answer. */
  asked: boolean
  lastRequestAt: number
  lastAnswerAt: number
}

/** @internal */
export function createDiscovery(c: DiscoveryComponents, init: DiscoveryInit): Discovery {
  const perLink = new Map<Link, LinkDiscovery>()
  const stateOf = (link: Link): LinkDiscovery => {
    let s = perLink.get(link)
    if (s === undefined) {
      s = {
        asked: false,
        lastRequestAt: Number.NEGATIVE_INFINITY,
        lastAnswerAt: Number.NEGATIVE_INFINITY,
      }
      perLink.set(link, s)
    }
    return s
  }

  const ask = (link: Link): void => {
    const now = c.clock.now()
    const s = stateOf(link)
    if (now - s.lastRequestAt < init.minInterval) return
    // a request left unanswered for a maintenance round is given up
    if (s.asked && now - s.lastRequestAt < init.giveUpAfter) return
    s.asked = true
    s.lastRequestAt = now
    link.send({ type: 'NEIGHBORS_REQUEST', timestamp: 0 })
  }

  const onRequest = (link: Link): void => {
    const now = c.clock.now()
    const s = stateOf(link)
    if (now - s.lastAnswerAt < init.minInterval) {
      c.metrics.drop(link, 'rate_limit', 'NEIGHBORS_REQUEST')
      return
    }
    s.lastAnswerAt = now
    const eligible: Array<{ ip: string; port: number }> = []
    for (const l of c.connections.links()) {
      if (
        l === link ||
        !c.table.relays(l) ||
        l.peerPort === 0 ||
        !c.connections.allowed(l.remoteHost)
      )
        continue
      eligible.push({ ip: l.remoteHost, port: l.peerPort })
    }
    // a random subset when there are more than fit
    while (eligible.length > MAX_NEIGHBORS_PER_RESPONSE) {
      eligible.splice(Math.floor(c.random.float() * eligible.length), 1)
    }
    link.send({ type: 'NEIGHBORS_RESPONSE', timestamp: 0, neighbor: eligible })
  }

  const onResponse = (link: Link, f: FrameOf<'NEIGHBORS_RESPONSE'>): void => {
    const s = perLink.get(link)
    if (s === undefined || !s.asked) {
      c.metrics.drop(link, 'unsolicited', f.type)
      return
    }
    s.asked = false
    const good: Address[] = []
    const self = c.connections.listenAddress
    for (const n of f.neighbor) {
      if (!c.connections.allowed(n.ip)) {
        c.metrics.drop(link, 'bad_neighbor', f.type)
        continue
      }
      if (n.ip === self?.host && n.port === self.port) continue
      good.push({ host: n.ip, port: n.port })
    }
    c.connections.discovered(good)
  }

  c.registry.handle('NEIGHBORS_REQUEST', onRequest)
  c.registry.handle('NEIGHBORS_RESPONSE', onResponse)
  c.registry.onLink({
    up(link) {
      if (c.connections.size < init.targetPeers) ask(link)
    },
    down(link) {
      perLink.delete(link)
    },
  })

  return {
    maintain() {
      const n = c.connections.size
      if (n >= init.targetPeers || n === 0) return
      const links = [...c.connections.links()]
      ask(links[Math.floor(c.random.float() * links.length)] as Link)
    },
  }
}
