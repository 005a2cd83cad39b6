// The relay: owns the links, the presence table and routes (§8), forwards routed frames (§9),
// answers discovery (§12) and enforces the limits (§6.2, §6.5, §8.4, §12.1). Everything it needs
// arrives as components; everything it has to say leaves as events.
import { type Frame, type FrameOf, hashInput } from '@chat6/wire'
import {
  type AddressPolicy,
  canonicalHost,
  isAllowedAddress,
  isPlainIPv6,
  prefixKey,
} from './address.ts'
import { type ClientRecord, ClientTable, type PresenceFrame } from './client-table.ts'
import { systemClock } from './clock.ts'
import * as C from './constants.ts'
import { DedupeCache } from './dedupe.ts'
import { type CandidateSource, Dialer } from './dialer.ts'
import {
  AttachError,
  DialError,
  NodeInputError,
  NodeStateError,
  toDialErrorCode,
} from './errors.ts'
import { Emitter } from './events.ts'
import { rewriteHop } from './hop.ts'
import {
  BOOTSTRAP_NODES,
  bootstrapFromEnv,
  createFileKnownNodesStore,
  createMemoryKnownNodesStore,
  defaultDataDir,
  type KnownNodesStore,
} from './known-nodes.ts'
import { type CheckedLine, equalBytes, Link, type LinkConfig, type LinkHost } from './link.ts'
import { type Logger, silentLogger } from './logger.ts'
import type { NodeCrypto, NodeSigner } from './node-crypto.ts'
import { checkOptions } from './options.ts'
import { systemRandom } from './random.ts'
import type { ByeReason, DropReason } from './reasons.ts'
import { LOCAL, RouteTable } from './routes.ts'
import type { TokenBucket } from './token-bucket.ts'
import {
  type Address,
  addressKey,
  type Connection,
  type Listener,
  type Transport,
} from './transport.ts'
import type {
  AnnounceResult,
  Attachment,
  Chat6Node,
  ClientHandler,
  ClientInfo,
  NodeEvents,
  NodeInit,
  NodeStats,
  OutgoingPresenceFrame,
  OutgoingRoutedFrame,
  PeerInfo,
  PresenceChange,
  RoutedFrame,
  RouteInfo,
  SendResult,
} from './types.ts'

const INF = C.METRIC_INFINITY
const ROUTED = new Set<string>([
  'ROUTE_REQUEST',
  'FRIEND_REQUEST',
  'FRIEND_CONFIRM',
  'MESSAGE_SEND',
  'MESSAGE_RECV',
  'MESSAGE_READ',
])
const HOUSEKEEPING_INTERVAL = 60_000
const MAX_CANDIDATES = 1024
/** Last-known nodes written at stop, at most (a local choice). */
const MAX_KNOWN_SAVED = 64

type Bytes = Uint8Array<ArrayBuffer>
const b64 = (u: Uint8Array): string =>
  Buffer.from(u.buffer, u.byteOffset, u.byteLength).toString('base64')
const fromB64 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'base64'))

/** Options resolved against the constants. @internal */
export interface ResolvedConfig extends LinkConfig, AddressPolicy {
  maxPendingHandshakes: number
  defaultTtl: number
  tombstoneTtl: number
  maxClients: number
  maxNewPresencePerSecond: number
  maxNewPresenceBurst: number
  presenceUpdatesPerSecond: number
  presenceUpdateBurst: number
  routeRequestMinInterval: number
  dedupeTtl: number
  dedupeMax: number
  neighborsMinInterval: number
  targetPeers: number
  maxPeers: number
  maxPeersPer64: number
  maxPeersPer48: number
  backoffMin: number
  backoffMax: number
  maintainInterval: number
}

/** @internal */
export function resolveConfig(init: NodeInit): ResolvedConfig {
  checkOptions(init)
  return {
    helloTimeout: init.helloTimeout ?? C.HELLO_TIMEOUT,
    maxPendingHandshakes: init.maxPendingHandshakes ?? C.MAX_PENDING_HANDSHAKES,
    maxClockSkew: init.maxClockSkew ?? C.MAX_CLOCK_SKEW,
    keepaliveInterval: init.keepaliveInterval ?? C.KEEPALIVE_INTERVAL,
    keepaliveTimeout: init.keepaliveTimeout ?? C.KEEPALIVE_TIMEOUT,
    rttWindow: init.rttWindow ?? C.RTT_WINDOW,
    defaultLinkMetric: init.defaultLinkMetric ?? C.DEFAULT_LINK_METRIC,
    defaultTtl: init.defaultTtl ?? C.DEFAULT_TTL,
    tombstoneTtl: init.tombstoneTtl ?? C.TOMBSTONE_TTL,
    maxClients: init.maxClients ?? C.MAX_CLIENTS,
    maxNewPresencePerSecond: init.maxNewPresencePerSecond ?? C.MAX_NEW_PRESENCE_PER_SECOND,
    maxNewPresenceBurst: init.maxNewPresenceBurst ?? C.MAX_NEW_PRESENCE_BURST,
    presenceUpdatesPerSecond: init.presenceUpdatesPerSecond ?? C.PRESENCE_UPDATES_PER_SECOND,
    presenceUpdateBurst: init.presenceUpdateBurst ?? C.PRESENCE_UPDATE_BURST,
    routeRequestMinInterval: init.routeRequestMinInterval ?? C.ROUTE_REQUEST_MIN_INTERVAL,
    dedupeTtl: init.dedupeTtl ?? C.DEDUPE_TTL,
    dedupeMax: init.dedupeMax ?? C.DEDUPE_MAX,
    maxFramesPerSecond: init.maxFramesPerSecond ?? C.MAX_FRAMES_PER_SECOND,
    maxFramesBurst: init.maxFramesBurst ?? C.MAX_FRAMES_BURST,
    maxDropsPerMinute: init.maxDropsPerMinute ?? C.MAX_DROPS_PER_MINUTE,
    rateLimitByeFactor: C.RATE_LIMIT_BYE_FACTOR,
    neighborsMinInterval: init.neighborsMinInterval ?? C.NEIGHBORS_MIN_INTERVAL,
    targetPeers: init.targetPeers ?? C.TARGET_PEERS,
    maxPeers: init.maxPeers ?? C.MAX_PEERS,
    maxPeersPer64: init.maxPeersPer64 ?? C.MAX_PEERS_PER_64,
    maxPeersPer48: init.maxPeersPer48 ?? C.MAX_PEERS_PER_48,
    backoffMin: init.backoffMin ?? C.BACKOFF_MIN,
    backoffMax: init.backoffMax ?? C.BACKOFF_MAX,
    maintainInterval: init.maintainInterval ?? C.MAINTAIN_INTERVAL,
    maxWriteBuffer: init.maxWriteBuffer ?? C.MAX_WRITE_BUFFER,
    maxLineBytes: C.MAX_LINE_BYTES,
    protocolVersion: C.PROTOCOL_VERSION,
    allowLoopback: init.allowLoopback ?? false,
    allowUla: init.allowUla ?? false,
  }
}

interface PendingDial {
  resolve(p: PeerInfo): void
  reject(e: Error): void
}

/** The components a {@link Relay} runs with, all resolved. @internal */
export interface RelayComponents {
  transport: Transport
  clock: import('./clock.ts').Clock
  random: import('./random.ts').Random
  crypto: NodeCrypto
  logger: Logger
  knownNodes: KnownNodesStore
}

/** @internal The node behind {@link Chat6Node}; never exported from the package. */
export class Relay extends Emitter<NodeEvents> implements Chat6Node, LinkHost {
  readonly config: ResolvedConfig
  readonly clock: RelayComponents['clock']
  readonly crypto: NodeCrypto
  readonly signer: NodeSigner
  readonly id: string
  get nodeKey(): Uint8Array {
    return this.signer.publicKey
  }
  status: 'idle' | 'started' | 'stopped' = 'idle'
  listenPort = 0
  listenAddress: Address | undefined

  private readonly c: RelayComponents
  private readonly init: NodeInit
  private listener: Listener | undefined
  private loadedKnown: Address[] = []
  /** Links by peer id once up. */
  private readonly up = new Map<string, Link>()
  private readonly handshaking = new Set<Link>()
  private readonly pendingDials = new Map<Link, PendingDial>()
  private readonly routes: RouteTable
  private readonly table: ClientTable
  private readonly dedupe: DedupeCache
  private readonly attachments = new Map<string, AttachmentImpl>()
  private pathCounters = new Map<string, number>()
  private pathCountersOld = new Map<string, number>()
  private readonly dialer: Dialer
  private readonly ownRouteRequests = new Map<string, number>()
  private housekeepingTimer: unknown
  private maintainTimer: unknown
  private readonly st = {
    framesIn: {} as Record<string, number>,
    framesOut: {} as Record<string, number>,
    bytesIn: 0,
    bytesOut: 0,
    drops: {} as Record<string, number>,
    byesOut: {} as Record<string, number>,
    byesIn: {} as Record<string, number>,
    delivered: 0,
    forwarded: 0,
  }

  constructor(init: NodeInit, components: RelayComponents) {
    super()
    this.init = init
    this.c = components
    this.config = resolveConfig(init)
    this.clock = components.clock
    this.crypto = components.crypto
    this.signer = components.crypto.createNodeKey()
    this.id = b64(this.signer.publicKey)
    this.routes = new RouteTable({
      linkMetric: (n) => this.up.get(n)?.metric ?? INF,
      homeTtl: this.config.defaultTtl,
    })
    this.table = new ClientTable(this.config.maxClients)
    this.dedupe = new DedupeCache(this.config.dedupeTtl, this.config.dedupeMax)
    this.onListenerError = (e) => this.c.logger.error('event listener threw', { error: String(e) })
    this.dialer = new Dialer(
      {
        clock: this.clock,
        random: components.random,
        peerCount: () => this.up.size + this.outboundHandshakes(),
        isConnected: (a) => this.isConnectedTo(a),
        dial: (a) => this.connect(a),
        dialFailed: (f) => this.dialFailed(f.addr, f.error, f.source, f.failures, f.retryIn),
      },
      {
        targetPeers: this.config.targetPeers,
        backoffMin: this.config.backoffMin,
        backoffMax: this.config.backoffMax,
        maxCandidates: MAX_CANDIDATES,
      },
    )
  }

  // ---------------------------------------------------------------- lifecycle

  async start(): Promise<void> {
    if (this.status !== 'idle') throw new NodeStateError(this.status, `node is ${this.status}`)
    this.status = 'started'
    const listen = this.init.listen ?? { host: '::', port: C.DEFAULT_PORT }
    if (listen !== false) {
      this.listener = await this.c.transport.listen(listen, (conn) => this.accept(conn))
      this.listenAddress = this.listener.address
      this.listenPort = this.listener.address.port
    }
    const boot: Address[] = [...(this.init.bootstrap ?? [])]
    if (this.init.useShippedBootstrap !== false) boot.push(...BOOTSTRAP_NODES)
    if (this.init.useEnvBootstrap !== false) boot.push(...bootstrapFromEnv())
    this.dialer.add(this.usable(boot), 'bootstrap')
    const known = await this.c.knownNodes.load().catch(() => [])
    this.loadedKnown = known
    this.dialer.add(this.usable(known), 'known')
    this.housekeepingTimer = this.clock.setTimeout(() => this.housekeeping(), HOUSEKEEPING_INTERVAL)
    this.maintainTimer = this.clock.setTimeout(() => this.maintain(), this.config.maintainInterval)
    this.dialer.maintain()
    this.log('info', 'node started', { id: this.id, listen: this.listenAddress })
  }

  async stop(): Promise<void> {
    if (this.status === 'stopped') return
    const wasStarted = this.status === 'started'
    this.status = 'stopped'
    this.dialer.stop()
    this.clock.clearTimeout(this.housekeepingTimer)
    this.clock.clearTimeout(this.maintainTimer)
    const known = this.knownToSave()
    for (const link of [...this.up.values(), ...this.handshaking]) link.close('shutdown')
    await this.listener?.close()
    if (wasStarted) {
      try {
        await this.c.knownNodes.save(known)
      } catch (e) {
        this.log('warn', 'could not save known nodes', { error: String(e) })
      }
    }
    this.log('info', 'node stopped', { id: this.id })
  }

  /**
   * The neighbours that accept connections (§12.3), then the nodes known before this run, so a
   * node stopped while isolated does not forget where it came from.
   */
  private knownToSave(): Address[] {
    const out: Address[] = []
    const seen = new Set<string>()
    const add = (a: Address) => {
      const k = `${a.host},${a.port}`
      if (seen.has(k) || out.length >= MAX_KNOWN_SAVED) return
      seen.add(k)
      out.push(a)
    }
    for (const l of this.up.values()) {
      if (l.peerPort !== 0 && this.allowed(l.remoteHost))
        add({ host: l.remoteHost, port: l.peerPort })
    }
    for (const a of this.loadedKnown) if (this.allowed(a.host)) add(a)
    return out
  }

  // ---------------------------------------------------------------- connections

  /** Canonical, allowed addresses with a valid port. */
  private usable(addrs: Address[]): Address[] {
    const out: Address[] = []
    for (const a of addrs) {
      const host = canonicalHost(a.host)
      if (host === undefined || !this.allowed(host)) continue
      if (!Number.isInteger(a.port) || a.port < 1 || a.port > 65535) continue
      out.push({ host, port: a.port })
    }
    return out
  }

  allowed(host: string): boolean {
    return isAllowedAddress(host, this.config)
  }

  private accept(conn: Connection): void {
    const host = canonicalHost(conn.remote.host)
    if (this.status !== 'started' || host === undefined || !isPlainIPv6(host)) {
      conn.destroy()
      return
    }
    if (this.handshaking.size >= this.config.maxPendingHandshakes) {
      this.bumpDrop('pending_handshakes')
      conn.destroy()
      return
    }
    this.handshaking.add(new Link(this, conn, host, this.presenceRate()))
  }

  private presenceRate() {
    return {
      rate: this.config.maxNewPresencePerSecond,
      burst: this.config.maxNewPresenceBurst,
      updateRate: this.config.presenceUpdatesPerSecond,
      updateBurst: this.config.presenceUpdateBurst,
    }
  }

  async dial(addr: Address): Promise<PeerInfo> {
    try {
      return await this.connect(addr)
    } catch (e) {
      this.dialFailed(addr, e, 'dial', 1, undefined)
      throw e
    }
  }

  /** Reports a failed outbound dial: a `dial:failed` event and a debug log line. */
  private dialFailed(
    addr: Address,
    error: unknown,
    source: 'dial' | CandidateSource,
    failures: number,
    retryIn: number | undefined,
  ): void {
    // programmer errors (not started, a bad port) are thrown to the caller, not dial failures
    if ((error as Error | undefined)?.name !== 'DialError') return
    const { code, message } = error as DialError
    const address = { host: canonicalHost(addr.host) ?? addr.host, port: addr.port }
    this.log('debug', 'dial failed', { addr: addressKey(address), failures, code })
    this.emit('dial:failed', { address, code, message, source, failures, retryIn })
  }

  /** Dials and runs the handshake; rejects with a DialError (see {@link dialFailed}). */
  private async connect(addr: Address): Promise<PeerInfo> {
    if (this.status !== 'started') throw new NodeStateError('not_started', 'node is not started')
    const host = canonicalHost(addr.host)
    if (host === undefined || !isPlainIPv6(host))
      throw new DialError('address', `not an IPv6 address: ${addr.host}`)
    if (!this.allowed(host)) throw new DialError('address', `address not allowed: ${host}`)
    if (!Number.isInteger(addr.port) || addr.port < 1 || addr.port > 65535)
      throw new NodeInputError('port', 'must be 1..65535')
    let conn: Connection
    try {
      conn = await this.c.transport.dial({ host, port: addr.port })
    } catch (e) {
      throw new DialError(
        toDialErrorCode((e as { code?: unknown } | undefined)?.code),
        `dial [${host}]:${addr.port} failed: ${e instanceof Error ? e.message : String(e)}`,
        { cause: e },
      )
    }
    if (this.status !== 'started') {
      conn.destroy()
      throw new DialError('closed', 'node stopped while dialling')
    }
    return new Promise<PeerInfo>((resolve, reject) => {
      const link = new Link(this, conn, host, this.presenceRate())
      if (link.state === 'closed') return reject(new DialError('closed', 'connection closed'))
      this.handshaking.add(link)
      this.pendingDials.set(link, { resolve, reject })
    })
  }

  private outboundHandshakes(): number {
    let n = 0
    for (const l of this.handshaking) if (l.role === 'I') n++
    return n
  }

  private isConnectedTo(a: Address): boolean {
    for (const l of this.up.values())
      if (l.remoteHost === a.host && l.peerPort === a.port) return true
    for (const l of this.handshaking)
      if (l.role === 'I' && l.remoteHost === a.host && l.conn.remote.port === a.port) return true
    return false
  }

  /** LinkHost: the checks of §6.2 after version and self, and §12.1. */
  admit(link: Link): ByeReason | undefined {
    if (this.status !== 'started') return 'shutdown'
    const existing = this.up.get(link.id)
    if (existing !== undefined) {
      // On simultaneous dials both sides keep the link dialled by the lower node key (§6.2).
      // In every other case the link already up wins, unless it has not shown a valid MAC: it
      // may carry a replayed HELLO and must not keep the real node out (§6.3).
      const simultaneous = link.role === 'I' && existing.role === 'R'
      const keepNew = simultaneous
        ? Buffer.compare(this.signer.publicKey, link.peerNodeKey as Uint8Array) < 0
        : !existing.authenticated
      if (!keepNew) return 'duplicate'
      existing.close('duplicate')
    }
    if (this.up.size >= this.config.maxPeers) return 'busy'
    if (!this.allowed(link.remoteHost)) return 'address'
    const p64 = prefixKey(link.remoteHost, 64)
    const p48 = prefixKey(link.remoteHost, 48)
    let n64 = 0
    let n48 = 0
    for (const l of this.up.values()) {
      if (prefixKey(l.remoteHost, 48) !== p48) continue
      n48++
      if (prefixKey(l.remoteHost, 64) === p64) n64++
    }
    if (n64 >= this.config.maxPeersPer64 || n48 >= this.config.maxPeersPer48) return 'address'
    return undefined
  }

  linkUp(link: Link): void {
    this.handshaking.delete(link)
    this.up.set(link.id, link)
    const info = this.peerInfo(link)
    this.log('info', 'peer up', {
      peer: link.id,
      remote: link.remoteHost,
      direction: info.direction,
    })
    this.pendingDials.get(link)?.resolve(info)
    this.pendingDials.delete(link)
    // New neighbour (§8.2): every client we have a finite route to, and the tombstones.
    for (const id of this.routes.reachable()) this.enqueuePresence(link, id)
    for (const id of this.table.tombstoneIds()) this.enqueuePresence(link, id)
    if (this.up.size < this.config.targetPeers) this.askNeighbors(link)
    this.emit('peer:connect', info)
  }

  linkDown(link: Link, reason: string, initiator: 'local' | 'remote' | 'transport'): void {
    // every refusal and every goodbye, handshakes included, counted by its reason (§6.5)
    if (initiator === 'local') this.st.byesOut[reason] = (this.st.byesOut[reason] ?? 0) + 1
    else if (initiator === 'remote') this.st.byesIn[reason] = (this.st.byesIn[reason] ?? 0) + 1
    this.handshaking.delete(link)
    const pending = this.pendingDials.get(link)
    if (pending !== undefined) {
      this.pendingDials.delete(link)
      pending.reject(
        new DialError(reason === 'self' ? 'self' : 'handshake', `link closed: ${reason}`),
      )
    }
    if (!link.everUp || this.up.get(link.id) !== link) return
    this.up.delete(link.id)
    this.log('info', 'peer down', { peer: link.id, reason, initiator })
    for (const id of this.routes.removeNeighbor(link.id)) this.reevaluate(id)
    this.emit('peer:disconnect', { peer: this.peerInfo(link), reason, initiator })
    if (this.status === 'started') this.dialer.maintain()
  }

  metricChanged(link: Link): void {
    for (const id of this.routes.linkMetricChanged(link.id)) this.reevaluate(id)
  }

  private maintain(): void {
    if (this.status !== 'started') return
    this.maintainTimer = this.clock.setTimeout(() => this.maintain(), this.config.maintainInterval)
    this.dialer.maintain()
    if (this.up.size < this.config.targetPeers && this.up.size > 0) {
      const links = [...this.up.values()]
      const l = links[Math.floor(this.c.random.float() * links.length)] as Link
      this.askNeighbors(l)
    }
  }

  private housekeeping(): void {
    if (this.status !== 'started') return
    this.housekeepingTimer = this.clock.setTimeout(() => this.housekeeping(), HOUSEKEEPING_INTERVAL)
    const now = this.clock.now()
    this.dedupe.expire(now)
    for (const id of this.table.expired(now, this.config.tombstoneTtl)) {
      this.table.delete(id)
      this.forgetClient(id)
    }
    for (const [k, at] of this.ownRouteRequests)
      if (now - at > this.config.dedupeTtl) this.ownRouteRequests.delete(k)
  }

  // ---------------------------------------------------------------- accounting

  count(dir: 'in' | 'out', type: string, bytes: number): void {
    if (dir === 'in') {
      this.st.framesIn[type] = (this.st.framesIn[type] ?? 0) + 1
      this.st.bytesIn += bytes
    } else {
      this.st.framesOut[type] = (this.st.framesOut[type] ?? 0) + 1
      this.st.bytesOut += bytes
    }
  }

  private bumpDrop(reason: string): void {
    this.st.drops[reason] = (this.st.drops[reason] ?? 0) + 1
  }

  drop(link: Link | undefined, reason: DropReason, type?: string): void {
    this.bumpDrop(reason)
    if (this.has('drop')) this.emit('drop', { reason, peer: link?.id, type })
    link?.noteDrop(reason)
  }

  log(
    level: 'debug' | 'info' | 'warn' | 'error',
    msg: string,
    data?: Record<string, unknown>,
  ): void {
    this.c.logger[level](msg, data)
    if (this.has('log')) this.emit('log', { level, msg, data })
  }

  // ---------------------------------------------------------------- frames from links

  seen(type: Frame['type'], hashKey: string): boolean {
    return ROUTED.has(type) && this.dedupe.has(hashKey, this.clock.now())
  }

  frame(link: Link, line: CheckedLine): void {
    const f = line.env.frame
    switch (f.type) {
      case 'CLIENT_ONLINE':
      case 'CLIENT_UPDATE':
      case 'CLIENT_OFFLINE':
        this.onPresence(link, f, line)
        return
      case 'ROUTE_REQUEST':
        this.dedupe.add(line.hashKey, this.clock.now())
        this.onRouteRequest(link, f, line)
        return
      case 'FRIEND_REQUEST':
      case 'FRIEND_CONFIRM':
      case 'MESSAGE_SEND':
      case 'MESSAGE_RECV':
      case 'MESSAGE_READ':
        this.dedupe.add(line.hashKey, this.clock.now())
        this.onRouted(link, f, line)
        return
      case 'NEIGHBORS_REQUEST':
        this.onNeighborsRequest(link)
        return
      case 'NEIGHBORS_RESPONSE':
        this.onNeighborsResponse(link, f)
        return
      default:
        this.drop(link, 'bad_frame', f.type)
    }
  }

  // ---------------------------------------------------------------- presence (§8.1)

  private onPresence(link: Link, f: PresenceFrame, line: CheckedLine): void {
    const now = this.clock.now()
    const hash = this.crypto.sha256(f.clientkey)
    const id = b64(hash)
    let rec = this.table.get(id)
    if (rec === undefined && !link.presenceBucket.take(now)) {
      this.drop(link, 'presence_rate', f.type)
      return
    }
    if (rec !== undefined && f.nonce < rec.frame.nonce) {
      this.drop(link, 'stale', f.type)
      return
    }
    if (rec === undefined || rec.frameHashKey !== line.hashKey) {
      if (!this.crypto.verifyProof(f)) {
        this.drop(link, 'bad_proof', f.type)
        return
      }
    }
    // relays for others (§12.2): presence of two keys with a finite metric (a poisoned reverse is not relaying)
    if (f.type !== 'CLIENT_OFFLINE' && f.metric < INF && !link.relays) {
      if (link.firstOnlineKey === undefined) link.firstOnlineKey = id
      else if (link.firstOnlineKey !== id) link.relays = true
    }
    if (rec !== undefined && f.nonce === rec.frame.nonce) {
      // equal nonce: a route update only (§8.1)
      if (f.type === 'CLIENT_OFFLINE' || rec.status === 'offline') return
      this.routes.update(id, link.id, { nonce: f.nonce, advertised: f.metric, ttl: f.ttl })
      this.reevaluate(id)
      return
    }
    const kept = ownIcon(f)
    if (rec === undefined) {
      const room = this.table.makeRoom()
      for (const ev of room.evicted) this.forgetClient(ev)
      if (!room.ok) {
        this.drop(link, 'client_table_full', f.type)
        return
      }
      rec = this.newRecord(id, hash, kept, line.env.hash as Bytes, line.hashKey)
      this.table.insert(rec)
    } else {
      if (rec.local && rec.status === 'online') {
        this.log('warn', 'newer presence of a local client from a peer', {
          client: id,
          peer: link.id,
        })
      }
      rec.frame = kept
      rec.frameHash = line.env.hash as Bytes
      rec.frameHashKey = line.hashKey
    }
    this.applyNewPresence(rec, kept, link.id)
  }

  private newRecord(
    id: string,
    hash: Bytes,
    f: PresenceFrame,
    frameHash: Bytes,
    frameHashKey: string,
  ): ClientRecord {
    return {
      id,
      hash,
      clientkey: f.clientkey,
      frame: f,
      frameHash,
      frameHashKey,
      status: f.type === 'CLIENT_OFFLINE' ? 'offline' : 'online',
      updatedAt: this.clock.now(),
      offlineFrom: undefined,
      reachable: false,
      local: false,
      lastRefreshAt: Number.NEGATIVE_INFINITY,
    }
  }

  /** A presence with a newer nonce is held (rec.frame already set); `from` is a link id or LOCAL. */
  private applyNewPresence(rec: ClientRecord, f: PresenceFrame, from: string): void {
    const prevStatus = rec.status
    const isNew = this.routes.nonce(rec.id) < 0 && !this.routes.isLocal(rec.id)
    this.routes.setNonce(rec.id, f.nonce)
    if (f.type === 'CLIENT_OFFLINE') {
      rec.status = 'offline'
      rec.offlineFrom = from === LOCAL ? undefined : from
      this.routes.setLocal(rec.id, false)
      this.routes.clearRoutes(rec.id)
      this.table.touch(rec, this.clock.now())
      this.routes.evaluate(rec.id)
      if (prevStatus === 'online' || isNew) this.report('offline', rec)
      this.setReachable(rec, false)
      // flooded to every neighbour but the one it came from (§8.1)
      if (from === LOCAL || f.ttl > 0)
        for (const l of this.up.values()) if (l.id !== from) this.enqueuePresence(l, rec.id)
      return
    }
    rec.status = 'online'
    rec.offlineFrom = undefined
    this.table.touch(rec, this.clock.now())
    if (from === LOCAL) this.routes.setLocal(rec.id, true)
    else this.routes.update(rec.id, from, { nonce: f.nonce, advertised: f.metric, ttl: f.ttl })
    // selection first, so the event's ClientInfo shows the route the node now holds
    this.reevaluate(rec.id, true, prevStatus === 'offline' || isNew ? 'online' : 'update')
  }

  /** Re-runs selection after a change; advertises and reports as §8.2 asks. */
  private reevaluate(id: string, nonceGrew = false, announce?: 'online' | 'update'): void {
    const rec = this.table.get(id)
    if (rec === undefined) return
    const significant = this.routes.evaluate(id)
    if (announce !== undefined) this.report(announce, rec)
    if (rec.status === 'offline') return
    const sel = this.routes.selection(id)
    if (significant || (nonceGrew && sel.metric < INF)) {
      for (const l of this.up.values()) this.enqueuePresence(l, id)
    }
    this.setReachable(rec, sel.metric < INF)
    if (sel.metric >= INF && this.routes.isStarved(id)) this.requestRoute(rec)
  }

  private setReachable(rec: ClientRecord, reachable: boolean): void {
    if (rec.reachable === reachable) return
    rec.reachable = reachable
    if (!reachable) this.table.touch(rec, this.clock.now())
    this.report(reachable ? 'reachable' : 'unreachable', rec)
  }

  /** Emits a `client:*` event and tells the attached clients that listen. */
  private report(kind: PresenceChange['kind'], rec: ClientRecord): void {
    const wanted = this.has(`client:${kind}`)
    let listeners = false
    for (const a of this.attachments.values())
      if (a.handler.onPresence !== undefined) listeners = true
    if (!wanted && !listeners) return
    const client = this.info(rec)
    this.emit(`client:${kind}`, client)
    if (!listeners) return
    for (const a of [...this.attachments.values()]) {
      try {
        a.handler.onPresence?.({ kind, client })
      } catch (e) {
        this.log('error', 'client onPresence threw', { client: a.id, error: String(e) })
      }
    }
  }

  // Per-link presence queues (§8.2 pacing). A client whose presence has not gone out on this
  // link may be a new key to the neighbour: those drain at the rate it accepts new keys at, so an
  // honest sender is never dropped (§8.4). Updates of clients already sent drain at the faster
  // update rate: they are not new keys there, and pacing them as such capped the whole mesh at
  // about 50 presence changes a second.
  private enqueuePresence(link: Link, id: string): void {
    if (link.state !== 'up') return
    if (link.advertised.has(id) && !link.presenceQueue.has(id)) link.updateQueue.add(id)
    else link.presenceQueue.add(id)
    if (link.presenceTimer === undefined) {
      link.presenceTimer = this.clock.setTimeout(() => this.pumpPresence(link), 0)
    }
  }

  private pumpPresence(link: Link): void {
    link.presenceTimer = undefined
    if (link.state !== 'up') return
    const now = this.clock.now()
    this.drainPresence(link, link.updateQueue, link.presenceUpdateBucket, now)
    this.drainPresence(link, link.presenceQueue, link.presenceOutBucket, now)
    let wait = Number.POSITIVE_INFINITY
    if (link.updateQueue.size > 0) wait = link.presenceUpdateBucket.waitMs(now)
    if (link.presenceQueue.size > 0) wait = Math.min(wait, link.presenceOutBucket.waitMs(now))
    if (wait !== Number.POSITIVE_INFINITY) {
      link.presenceTimer = this.clock.setTimeout(() => this.pumpPresence(link), wait || 1)
    }
  }

  private drainPresence(link: Link, queue: Set<string>, bucket: TokenBucket, now: number): void {
    for (const id of queue) {
      if (!bucket.take(now)) break
      queue.delete(id)
      try {
        if (this.sendPresence(link, id)) link.advertised.add(id)
      } catch (e) {
        this.log('error', 'internal error sending presence', { client: id, error: String(e) })
        this.bumpDrop('internal')
      }
    }
  }

  /** A client left the table: no link holds it as advertised any more. */
  private forgetClient(id: string): void {
    this.routes.delete(id)
    for (const link of this.up.values()) {
      link.advertised.delete(id)
      link.updateQueue.delete(id)
    }
  }

  /** Sends the client's current presence on `link`; whether a frame went out. */
  private sendPresence(link: Link, id: string): boolean {
    const rec = this.table.get(id)
    if (rec === undefined) return false
    const f = rec.frame
    if (f.type === 'CLIENT_OFFLINE') {
      if (rec.offlineFrom === link.id) return false
      const ttl = rec.local ? this.config.defaultTtl : f.ttl - 1
      if (ttl < 0) return false
      link.send({ ...f, ttl }, rec.frameHash)
      return true
    }
    const adv = this.routes.advertFor(id, link.id)
    if (adv === undefined || adv.nonce !== f.nonce) return false
    link.send({ ...f, metric: adv.metric, ttl: adv.ttl }, rec.frameHash)
    this.routes.noteSent(id, adv.nonce, adv.metric)
    return true
  }

  // ---------------------------------------------------------------- ROUTE_REQUEST (§8.3)

  private requestRoute(rec: ClientRecord): void {
    const now = this.clock.now()
    const key = `${rec.id}|${rec.frame.nonce}`
    const last = this.ownRouteRequests.get(key)
    if (last !== undefined && now - last < this.config.routeRequestMinInterval) return
    const via = this.routes.lowestFiniteRoute(rec.id)
    const link = via === undefined ? undefined : this.up.get(via)
    if (link === undefined) return
    this.ownRouteRequests.set(key, now)
    const frame: FrameOf<'ROUTE_REQUEST'> = {
      type: 'ROUTE_REQUEST',
      timestamp: 0,
      target_hash: rec.hash,
      nonce: rec.frame.nonce,
      ttl: this.config.defaultTtl,
    }
    const hash = this.crypto.sha256(hashInput(frame))
    this.dedupe.add(b64(hash), now)
    this.log('debug', 'route request', { client: rec.id, nonce: rec.frame.nonce, via })
    link.send(frame, hash)
  }

  private onRouteRequest(link: Link, f: FrameOf<'ROUTE_REQUEST'>, line: CheckedLine): void {
    const id = b64(f.target_hash)
    const rec = this.table.get(id)
    const att = this.attachments.get(id)
    if (att !== undefined) {
      if (rec !== undefined && rec.frame.nonce > f.nonce && rec.status === 'online') {
        this.enqueuePresence(link, id)
        return
      }
      this.refreshLocal(att, f.nonce + 1)
      return
    }
    if (
      rec !== undefined &&
      rec.status === 'online' &&
      rec.frame.nonce > f.nonce &&
      this.routes.selection(id).metric < INF
    ) {
      this.enqueuePresence(link, id)
      return
    }
    if (f.ttl === 0) {
      this.drop(link, 'ttl', f.type)
      return
    }
    const via = this.routes.lowestFiniteRoute(id, link.id)
    const next = via === undefined ? undefined : this.up.get(via)
    if (next === undefined) {
      this.drop(link, 'no_route', f.type)
      return
    }
    this.forwardLine(next, line, f.ttl - 1, f.type)
  }

  private refreshLocal(att: AttachmentImpl, minNonce: number): void {
    const rec = this.table.get(att.id)
    const now = this.clock.now()
    if (rec === undefined || rec.status !== 'online' || att.handler.refreshPresence === undefined)
      return
    if (now - rec.lastRefreshAt < this.config.routeRequestMinInterval) return
    rec.lastRefreshAt = now
    Promise.resolve()
      .then(() => att.handler.refreshPresence?.(minNonce))
      .then((frame) => {
        if (frame === undefined || att.detached) return
        const r = att.announce(frame)
        if (!r.ok)
          this.log('warn', 'refreshed presence refused', { client: att.id, reason: r.reason })
      })
      .catch((e: unknown) =>
        this.log('warn', 'refreshPresence failed', { client: att.id, error: String(e) }),
      )
  }

  // ---------------------------------------------------------------- routed frames (§9)

  private onRouted(link: Link, f: RoutedFrame, line: CheckedLine): void {
    const id = b64(f.target_hash)
    const att = this.attachments.get(id)
    if (att !== undefined) {
      this.deliver(att, f, line.env.hash, link.id)
      return
    }
    if (f.ttl === 0) {
      this.drop(link, 'ttl', f.type)
      return
    }
    const next = this.pickNextHop(id, f, link.id)
    if (next === undefined) {
      this.drop(link, 'no_route', f.type)
      return
    }
    this.forwardLine(next, line, f.ttl - 1, f.type)
  }

  /**
   * Path diversity (§9): the k-th frame of one (origin, target, chatid, msgid) takes the
   * (k mod R)-th of the R finite routes: the selected one, then the feasible ones, then the
   * unfeasible ones. The first try takes the selected route unless it leads back to the sender
   * or none is selected; an unfeasible route cannot loop a frame for long, as every node
   * forwards one MSGHASH at most once.
   */
  private pickNextHop(
    id: string,
    f: RoutedFrame | OutgoingRoutedFrame,
    exclude: string | undefined,
  ): Link | undefined {
    const cands = this.routes.forwardCandidates(id, exclude, true)
    if (cands.length === 0) return undefined
    let idx = 0
    if (cands.length > 1) {
      // retries of a message share (origin, target, chatid, msgid); those of a session offer or
      // answer share (clientkey, target), as each retry is a new frame with a new nonce (§10.4)
      const key =
        f.type === 'FRIEND_REQUEST' || f.type === 'FRIEND_CONFIRM'
          ? `${f.type}|${b64(f.clientkey)}|${id}`
          : `${f.type}|${b64(f.origin)}|${id}|${b64(f.chatid)}|${b64(f.msgid)}`
      // two generations instead of LRU order: O(1), and no Map iteration (see DedupeCache)
      const k = this.pathCounters.get(key) ?? this.pathCountersOld.get(key) ?? 0
      this.pathCounters.set(key, k + 1)
      if (this.pathCounters.size > C.PATH_DIVERSITY_MAX / 2) {
        this.pathCountersOld = this.pathCounters
        this.pathCounters = new Map()
      }
      idx = k % cands.length
    }
    return this.up.get(cands[idx] as string)
  }

  private forwardLine(next: Link, line: CheckedLine, ttl: number, type: string): void {
    const si = rewriteHop(line.signingInput, Math.floor(this.clock.wallNow()), ttl)
    if (si === undefined) {
      this.drop(undefined, 'internal', type)
      return
    }
    if (next.sendSigningInput(si, type)) this.st.forwarded++
  }

  private deliver(att: AttachmentImpl, f: RoutedFrame, hash: Uint8Array, from: string): void {
    this.st.delivered++
    try {
      att.handler.onFrame(f, { hash, from })
    } catch (e) {
      this.log('error', 'client onFrame threw', { client: att.id, error: String(e) })
    }
  }

  // ---------------------------------------------------------------- discovery (§12.2)

  private askNeighbors(link: Link): void {
    const now = this.clock.now()
    if (now - link.lastNeighborsRequestAt < this.config.neighborsMinInterval) return
    // a request left unanswered for a maintenance round is given up
    if (link.neighborsAsked && now - link.lastNeighborsRequestAt < this.config.maintainInterval)
      return
    link.neighborsAsked = true
    link.lastNeighborsRequestAt = now
    link.send({ type: 'NEIGHBORS_REQUEST', timestamp: 0 })
  }

  private lastNeighborsAnswer = new WeakMap<Link, number>()

  private onNeighborsRequest(link: Link): void {
    const now = this.clock.now()
    const last = this.lastNeighborsAnswer.get(link)
    if (last !== undefined && now - last < this.config.neighborsMinInterval) {
      this.drop(link, 'rate_limit', 'NEIGHBORS_REQUEST')
      return
    }
    this.lastNeighborsAnswer.set(link, now)
    const eligible: Array<{ ip: string; port: number }> = []
    for (const l of this.up.values()) {
      if (l === link || !l.relays || l.peerPort === 0 || !this.allowed(l.remoteHost)) continue
      eligible.push({ ip: l.remoteHost, port: l.peerPort })
    }
    // a random subset when there are more than fit
    while (eligible.length > C.MAX_NEIGHBORS_PER_RESPONSE) {
      eligible.splice(Math.floor(this.c.random.float() * eligible.length), 1)
    }
    link.send({ type: 'NEIGHBORS_RESPONSE', timestamp: 0, neighbor: eligible })
  }

  private onNeighborsResponse(link: Link, f: FrameOf<'NEIGHBORS_RESPONSE'>): void {
    if (!link.neighborsAsked) {
      this.drop(link, 'unsolicited', f.type)
      return
    }
    link.neighborsAsked = false
    const good: Address[] = []
    for (const n of f.neighbor) {
      if (!this.allowed(n.ip)) {
        this.drop(link, 'bad_neighbor', f.type)
        continue
      }
      if (n.ip === this.listenAddress?.host && n.port === this.listenPort) continue
      good.push({ host: n.ip, port: n.port })
    }
    this.dialer.add(good, 'discovered')
    this.dialer.maintain()
  }

  // ---------------------------------------------------------------- views

  private peerInfo(l: Link): PeerInfo {
    return {
      id: l.id,
      nodeKey: l.peerNodeKey ?? new Uint8Array(0),
      remote: l.remote,
      listenPort: l.peerPort,
      direction: l.role === 'I' ? 'outbound' : 'inbound',
      metric: l.metric,
      rtts: [...l.rtts],
      relays: l.relays,
      upAt: l.upAt,
    }
  }

  peers(): PeerInfo[] {
    return [...this.up.values()].map((l) => this.peerInfo(l))
  }

  private info(rec: ClientRecord): ClientInfo {
    const sel = this.routes.selection(rec.id)
    const online = rec.frame.type !== 'CLIENT_OFFLINE'
    return {
      clientkey: rec.clientkey,
      hash: rec.hash,
      id: rec.id,
      nickname: rec.frame.type === 'CLIENT_OFFLINE' ? undefined : rec.frame.nickname,
      icon: rec.frame.type === 'CLIENT_OFFLINE' ? undefined : rec.frame.icon,
      nonce: rec.frame.nonce,
      status: rec.status,
      reachable: online && sel.metric < INF,
      local: rec.local,
      metric: online ? sel.metric : INF,
      nextHop: online ? (sel.via === LOCAL ? 'local' : sel.via) : undefined,
    }
  }

  private key(hash: Uint8Array | string): string {
    if (typeof hash === 'string') return hash
    if (!(hash instanceof Uint8Array) || hash.length !== 32)
      throw new NodeInputError('hash', 'expected 32 bytes')
    return b64(hash)
  }

  clients(): ClientInfo[] {
    return [...this.table.values()].map((r) => this.info(r))
  }

  client(hash: Uint8Array | string): ClientInfo | undefined {
    const rec = this.table.get(this.key(hash))
    return rec === undefined ? undefined : this.info(rec)
  }

  routeTo(hash: Uint8Array | string): RouteInfo | undefined {
    const id = this.key(hash)
    if (!this.routes.has(id)) return undefined
    const sel = this.routes.selection(id)
    const fd = this.routes.feasibilityDistance(id)
    const nonce = this.routes.nonce(id)
    return {
      nextHop: sel.via === LOCAL ? 'local' : sel.via,
      metric: sel.metric,
      nonce,
      fd,
      routes: this.routes.routes(id).map((r) => ({
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
  }

  nextHop(hash: Uint8Array | string): string | undefined {
    const rec = this.table.get(this.key(hash))
    if (rec === undefined || rec.status !== 'online') return undefined
    const v = this.routes.nextHop(rec.id)
    return v === LOCAL ? 'local' : v
  }

  stats(): NodeStats {
    let online = 0
    let reachable = 0
    for (const r of this.table.values()) {
      if (r.status === 'online') online++
      if (r.status === 'online' && r.reachable) reachable++
    }
    return {
      framesIn: { ...this.st.framesIn },
      framesOut: { ...this.st.framesOut },
      bytesIn: this.st.bytesIn,
      bytesOut: this.st.bytesOut,
      drops: { ...this.st.drops },
      byesOut: { ...this.st.byesOut },
      byesIn: { ...this.st.byesIn },
      delivered: this.st.delivered,
      forwarded: this.st.forwarded,
      peers: this.up.size,
      pendingHandshakes: this.handshaking.size,
      clients: this.table.size,
      clientsOnline: online,
      clientsReachable: reachable,
      attached: this.attachments.size,
    }
  }

  // ---------------------------------------------------------------- attachments

  attach(clientkey: Uint8Array, handler: ClientHandler): Attachment {
    if (!(clientkey instanceof Uint8Array) || clientkey.length !== 32)
      throw new NodeInputError('clientkey', 'expected 32 bytes')
    if (handler === null || typeof handler !== 'object' || typeof handler.onFrame !== 'function') {
      throw new NodeInputError('handler', 'expected { onFrame }')
    }
    const hash = this.crypto.sha256(clientkey)
    const id = b64(hash)
    if (this.attachments.has(id))
      throw new AttachError('attached', 'this client is already attached')
    const att = new AttachmentImpl(this, clientkey.slice(), hash, id, handler)
    this.attachments.set(id, att)
    const rec = this.table.get(id)
    if (rec !== undefined) rec.local = true
    return att
  }

  /** @internal */
  _announce(att: AttachmentImpl, input: OutgoingPresenceFrame): AnnounceResult {
    if (att.detached) return { ok: false, reason: 'detached' }
    if (!(input?.clientkey instanceof Uint8Array) || !equalBytes(input.clientkey, att.clientkey)) {
      return { ok: false, reason: 'wrong_client' }
    }
    let f: PresenceFrame
    let h: Bytes
    try {
      f = (
        input.type === 'CLIENT_OFFLINE'
          ? { ...input, timestamp: 0, ttl: this.config.defaultTtl }
          : { ...input, timestamp: 0, metric: 0, ttl: this.config.defaultTtl }
      ) as PresenceFrame
      h = this.crypto.sha256(hashInput(f))
      if (!this.crypto.verifyProof(f)) return { ok: false, reason: 'bad_proof' }
    } catch {
      return { ok: false, reason: 'invalid' }
    }
    let rec = this.table.get(att.id)
    if (rec !== undefined && f.nonce <= rec.frame.nonce) return { ok: false, reason: 'stale' }
    if (rec === undefined) {
      const room = this.table.makeRoom()
      for (const ev of room.evicted) this.forgetClient(ev)
      rec = this.newRecord(att.id, att.hash, f, h, b64(h))
      rec.local = true
      this.table.insert(rec)
    } else {
      rec.frame = f
      rec.frameHash = h
      rec.frameHashKey = b64(h)
      rec.local = true
    }
    this.applyNewPresence(rec, f, LOCAL)
    return { ok: true, hash: h }
  }

  /** @internal */
  _send(att: AttachmentImpl, input: OutgoingRoutedFrame): SendResult {
    if (att.detached) return { ok: false, reason: 'detached' }
    let f: RoutedFrame
    let h: Uint8Array
    try {
      f = { ...input, timestamp: 0, ttl: this.config.defaultTtl } as RoutedFrame
      h = this.crypto.sha256(hashInput(f))
    } catch {
      return { ok: false, reason: 'invalid' }
    }
    const hk = b64(h)
    const now = this.clock.now()
    if (this.dedupe.has(hk, now)) return { ok: false, reason: 'duplicate' }
    const id = b64(f.target_hash)
    const target = this.attachments.get(id)
    if (target !== undefined) {
      this.dedupe.add(hk, now)
      this.deliver(target, f, h, 'local')
      return { ok: true, hash: h, via: 'local' }
    }
    const next = this.pickNextHop(id, f, undefined)
    if (next === undefined) {
      this.bumpDrop('no_route')
      return { ok: false, reason: 'no_route' }
    }
    if (!next.send(f, h)) return { ok: false, reason: 'backpressure' }
    this.dedupe.add(hk, now)
    return { ok: true, hash: h, via: next.id }
  }

  /** @internal */
  _detach(att: AttachmentImpl): void {
    if (att.detached) return
    att.detached = true
    this.attachments.delete(att.id)
    const rec = this.table.get(att.id)
    if (rec === undefined) return
    rec.local = false
    this.routes.setLocal(att.id, false)
    if (rec.status === 'online') this.reevaluate(att.id)
  }

  /** @internal */
  _lookup(hash: Uint8Array | string): ClientInfo | undefined {
    return this.client(hash)
  }
}

/** @internal */
export class AttachmentImpl implements Attachment {
  detached = false
  constructor(
    private readonly relay: Relay,
    readonly clientkey: Uint8Array,
    readonly hash: Bytes,
    readonly id: string,
    readonly handler: ClientHandler,
  ) {}
  announce(frame: OutgoingPresenceFrame): AnnounceResult {
    return this.relay._announce(this, frame)
  }
  send(frame: OutgoingRoutedFrame): SendResult {
    return this.relay._send(this, frame)
  }
  lookup(hash: Uint8Array | string): ClientInfo | undefined {
    return this.relay._lookup(hash)
  }
  detach(): void {
    this.relay._detach(this)
  }
}

/** Resolves the components of `init`, defaulting what is missing. @internal */
export function resolveComponents(
  init: NodeInit,
  defaults: { transport: () => Transport; crypto: () => NodeCrypto },
): RelayComponents {
  let knownNodes = init.knownNodes
  if (knownNodes === undefined) {
    knownNodes =
      init.dataDir === false
        ? createMemoryKnownNodesStore()
        : createFileKnownNodesStore(init.dataDir ?? defaultDataDir())
  }
  return {
    transport: init.transport ?? defaults.transport(),
    clock: init.clock ?? systemClock,
    random: init.random ?? systemRandom,
    crypto: init.crypto ?? defaults.crypto(),
    logger: init.logger ?? silentLogger,
    knownNodes,
  }
}

export { fromB64 as _fromB64 }

/**
 * The presence frame as the table keeps it. @chat6/wire decodes values over 64 bytes into views of
 * shared 16 KiB slabs; a record may live for hours, so its icon gets bytes of its own rather than
 * pinning a slab. The other values of a presence frame are 64 bytes or less and already are.
 */
function ownIcon(f: PresenceFrame): PresenceFrame {
  return f.type !== 'CLIENT_OFFLINE' && f.icon !== undefined ? { ...f, icon: f.icon.slice() } : f
}
