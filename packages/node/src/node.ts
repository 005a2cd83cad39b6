// The relay: a composition of services (connections, presence table and advertiser, route
// requests, forwarder, discovery, attachments, metrics, views) over one bag of components, the
// way js-libp2p builds a node. Frames reach the services through the registry's dispatch table;
// everything the node has to say leaves as events.

import { b64 } from './b64.ts'
import type { LogFn, ServiceComponents } from './components.ts'
import { resolveConfig } from './config.ts'
import { ConnectionManager } from './connections/connection-manager.ts'
import { createDiscovery } from './discovery/discovery.ts'
import { NodeStateError } from './errors.ts'
import { Emitter } from './events.ts'
import { createPresenceAdvertiser } from './presence/advertiser.ts'
import { createPresenceTable } from './presence/table.ts'
import { createFrameRegistry } from './registry.ts'
import { createAttachments } from './routing/attachments.ts'
import { createForwarder } from './routing/forwarder.ts'
import { createRouteRequests } from './routing/route-requests.ts'
import { createMetrics } from './services/metrics.ts'
import { createViews } from './services/views.ts'
import type { Address } from './transport.ts'
import type {
  Attachment,
  Chat6Node,
  ClientHandler,
  ClientInfo,
  DialCandidate,
  NodeComponents,
  NodeEvents,
  NodeInit,
  NodeStats,
  PeerInfo,
  RouteInfo,
} from './types.ts'

type Bag = { -readonly [K in keyof ServiceComponents]: ServiceComponents[K] }

/** @internal The node behind {@link Chat6Node}; never exported from the package. */
export class Relay extends Emitter<NodeEvents> implements Chat6Node {
  readonly id: string
  readonly nodeKey: Uint8Array
  status: 'idle' | 'started' | 'stopped' = 'idle'
  private readonly c: ServiceComponents
  private readonly connections: ConnectionManager

  constructor(init: NodeInit, components: NodeComponents) {
    super((e) => components.logger.error('event listener threw', { error: String(e) }))
    const config = resolveConfig(init)
    const signer = components.crypto.createNodeKey()
    this.nodeKey = signer.publicKey
    this.id = b64(signer.publicKey)
    const log: LogFn = (level, msg, data) => {
      components.logger[level](msg, data)
      if (this.has('log')) this.emit('log', { level, msg, data })
    }
    const c = { ...components, config, signer, events: this, log } as unknown as Bag
    // Services read each other from `c` when called, not when built; the order below is only
    // the order link listeners run in: the advertiser drops a closed link's queues before the
    // table re-routes around it, and a new link gets the table's presence before discovery asks.
    c.metrics = createMetrics(c)
    c.registry = createFrameRegistry(c)
    c.views = createViews(c)
    c.advertiser = createPresenceAdvertiser(c, {
      rate: config.maxNewPresencePerSecond,
      burst: config.maxNewPresenceBurst,
      updateRate: config.presenceUpdatesPerSecond,
      updateBurst: config.presenceUpdateBurst,
    })
    c.table = createPresenceTable(c, {
      tombstoneTtl: config.tombstoneTtl,
      maxClients: config.maxClients,
      newKeyRate: config.maxNewPresencePerSecond,
      newKeyBurst: config.maxNewPresenceBurst,
      defaultTtl: config.defaultTtl,
    })
    c.forwarder = createForwarder(c, { dedupeTtl: config.dedupeTtl, dedupeMax: config.dedupeMax })
    c.routeRequests = createRouteRequests(c, {
      minInterval: config.routeRequestMinInterval,
      defaultTtl: config.defaultTtl,
      rememberFor: config.dedupeTtl,
    })
    c.discovery = createDiscovery(c, {
      minInterval: config.neighborsMinInterval,
      giveUpAfter: config.maintainInterval,
      targetPeers: config.targetPeers,
    })
    c.attachments = createAttachments(c, { defaultTtl: config.defaultTtl })
    this.connections = new ConnectionManager(c, init)
    c.connections = this.connections
    this.c = c
  }

  get listenAddress(): Address | undefined {
    return this.c.connections.listenAddress
  }

  async start(): Promise<void> {
    if (this.status !== 'idle') throw new NodeStateError(this.status, `node is ${this.status}`)
    this.status = 'started'
    const { table, forwarder, routeRequests } = this.c
    const { connections } = this
    await connections.start()
    table.start()
    forwarder.start()
    routeRequests.start()
    connections.startMaintenance()
    this.c.log('info', 'node started', { id: this.id, listen: this.listenAddress })
  }

  async stop(): Promise<void> {
    if (this.status === 'stopped') return
    const wasStarted = this.status === 'started'
    this.status = 'stopped'
    const { table, forwarder, routeRequests, advertiser } = this.c
    table.stop()
    forwarder.stop()
    routeRequests.stop()
    await this.connections.stop(wasStarted)
    advertiser.stop()
    this.c.log('info', 'node stopped', { id: this.id })
  }

  dial(addr: Address): Promise<PeerInfo> {
    return this.c.connections.dial(addr)
  }

  peers(): PeerInfo[] {
    return this.c.views.peers()
  }

  clients(): ClientInfo[] {
    return this.c.views.clients()
  }

  client(hash: Uint8Array | string): ClientInfo | undefined {
    return this.c.views.client(hash)
  }

  routeTo(hash: Uint8Array | string): RouteInfo | undefined {
    return this.c.views.routeTo(hash)
  }

  nextHop(hash: Uint8Array | string): string | undefined {
    return this.c.views.nextHop(hash)
  }

  stats(): NodeStats {
    return this.c.views.stats()
  }

  dialing(): DialCandidate[] {
    return this.c.connections.dialing()
  }

  attach(clientkey: Uint8Array, handler: ClientHandler): Attachment {
    return this.c.attachments.attach(clientkey, handler)
  }
}
