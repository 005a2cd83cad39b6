// Connections (§6.1, §6.2, §12): the listener, accepting and dialling, the handshakes under way,
// admission of the links that finish them (§6.2 duplicates, §12.1 limits), the links up by peer
// id, the dialer that keeps the node at its target (§12.3), and the last-known nodes. It is the
// `LinkHost` of every link: checked frames go to the registry, link events to its listeners.
import { canonicalHost, isAllowedAddress, isPlainIPv6 } from '../address.ts'
import type { TimerId } from '../clock.ts'
import type { Connections, Initiator, ServiceComponents } from '../components.ts'
import type { ResolvedConfig } from '../config.ts'
import { type CandidateSource, Dialer } from '../dialer.ts'
import { DialError, NodeInputError, NodeStateError, toDialErrorCode } from '../errors.ts'
import type { EventSink } from '../events.ts'
import { BOOTSTRAP_NODES, bootstrapFromEnv } from '../known-nodes.ts'
import { Link, type LinkHost } from '../link.ts'
import type { ByeReason } from '../reasons.ts'
import { type Address, addressKey, type Connection, type Listener } from '../transport.ts'
import type { ConnectionEvents, DialCandidate, DialFailure, NodeInit, PeerInfo } from '../types.ts'
import { keepsNewLink, sourceRefusal } from './admission.ts'

/** Candidate addresses the dialer holds at most (a local choice). */
export const MAX_CANDIDATES = 1024
/** Last-known nodes written at stop, at most (a local choice). */
export const MAX_KNOWN_SAVED = 64

/** @internal */
export type ConnectionManagerInit = Pick<
  NodeInit,
  'listen' | 'bootstrap' | 'useShippedBootstrap' | 'useEnvBootstrap'
>

/** @internal */
export type ConnectionManagerComponents = Pick<
  ServiceComponents,
  | 'transport'
  | 'clock'
  | 'random'
  | 'crypto'
  | 'knownNodes'
  | 'config'
  | 'signer'
  | 'log'
  | 'metrics'
  | 'registry'
  | 'forwarder'
  | 'discovery'
  | 'views'
> & { readonly events: EventSink<ConnectionEvents> }

interface PendingDial {
  resolve(p: PeerInfo): void
  reject(e: Error): void
}

/** @internal */
export class ConnectionManager implements Connections, LinkHost {
  listenPort = 0
  listenAddress: Address | undefined
  private running = false
  private listener: Listener | undefined
  private loadedKnown: Address[] = []
  /** Links by peer id once up. */
  private readonly up = new Map<string, Link>()
  private readonly handshaking = new Set<Link>()
  private readonly pendingDials = new Map<Link, PendingDial>()
  private readonly dialer: Dialer
  private maintainTimer: TimerId | undefined

  constructor(
    private readonly c: ConnectionManagerComponents,
    private readonly init: ConnectionManagerInit,
  ) {
    this.dialer = new Dialer(
      {
        clock: c.clock,
        random: c.random,
        peerCount: () => this.up.size + this.outboundHandshakes(),
        isConnected: (a) => this.isConnectedTo(a),
        dial: (a) => this.connect(a),
        dialFailed: (f) =>
          this.dialFailed(f.addr, f.error, f.source, f.failures, f.retryIn, f.forgotten),
      },
      {
        targetPeers: c.config.targetPeers,
        backoffMin: c.config.backoffMin,
        backoffMax: c.config.backoffMax,
        maxCandidates: MAX_CANDIDATES,
      },
    )
  }

  // ---- LinkHost: what every link reads and calls ----
  get clock() {
    return this.c.clock
  }
  get crypto() {
    return this.c.crypto
  }
  get signer() {
    return this.c.signer
  }
  get config(): ResolvedConfig {
    return this.c.config
  }
  seen(type: string, hashKey: string): boolean {
    return this.c.forwarder.seen(type, hashKey)
  }
  frame: LinkHost['frame'] = (link, line) => this.c.registry.dispatch(link, line)
  metricChanged(link: Link): void {
    this.c.registry.metricChanged(link)
  }
  drop: LinkHost['drop'] = (link, reason, type) => this.c.metrics.drop(link, reason, type)
  count: LinkHost['count'] = (link, dir, type, bytes) =>
    this.c.metrics.count(link, dir, type, bytes)
  log: LinkHost['log'] = (level, msg, data) => this.c.log(level, msg, data)

  // ---- lifecycle ----

  /** Listens, and hands the bootstrap and last-known addresses to the dialer. */
  async start(): Promise<void> {
    this.running = true
    const listen = this.init.listen ?? { host: '::', port: this.c.config.port }
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
  }

  /** Starts the peer-count maintenance (§12.3): dialling now, and every `maintainInterval`. */
  startMaintenance(): void {
    this.maintainTimer = this.c.clock.setTimeout(
      () => this.maintain(),
      this.c.config.maintainInterval,
    )
    this.dialer.maintain()
  }

  /** Stops dialling, sends every peer `BYE shutdown`, stops listening, saves the last-known nodes. */
  async stop(wasStarted: boolean): Promise<void> {
    this.running = false
    this.dialer.stop()
    this.c.clock.clearTimeout(this.maintainTimer)
    const known = this.knownToSave()
    for (const link of [...this.up.values(), ...this.handshaking]) link.close('shutdown')
    await this.listener?.close()
    if (!wasStarted) return
    try {
      await this.c.knownNodes.save(known)
    } catch (e) {
      this.c.log('warn', 'could not save known nodes', { error: String(e) })
    }
  }

  private maintain(): void {
    if (!this.running) return
    this.maintainTimer = this.c.clock.setTimeout(
      () => this.maintain(),
      this.c.config.maintainInterval,
    )
    this.dialer.maintain()
    this.c.discovery.maintain()
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

  // ---- links ----

  /** The link up to a peer, by peer id. */
  link(id: string): Link | undefined {
    return this.up.get(id)
  }

  /** The links up. */
  links(): IterableIterator<Link> {
    return this.up.values()
  }

  /** Links up. */
  get size(): number {
    return this.up.size
  }

  get pendingHandshakes(): number {
    return this.handshaking.size
  }

  /** The link up to a node listening at `addr`, if any. */
  linkTo(addr: Address): Link | undefined {
    const host = canonicalHost(addr.host)
    for (const l of this.up.values())
      if (l.remoteHost === host && l.peerPort === addr.port) return l
    return undefined
  }

  allowed(host: string): boolean {
    return isAllowedAddress(host, this.c.config)
  }

  /** Addresses learnt from a neighbour (§12.2): dialled while the node wants peers. */
  discovered(addrs: Address[]): void {
    this.dialer.add(addrs, 'discovered')
    this.dialer.maintain()
  }

  /** The dialer's candidates, for `Chat6Node.dialing()`. */
  dialing(): DialCandidate[] {
    const now = this.c.clock.now()
    return this.dialer.list().map((d) => {
      const connected = this.isConnectedTo(d.addr)
      const out: DialCandidate = {
        address: d.addr,
        source: d.source,
        failures: d.failures,
        connected,
        nextAttemptIn: d.self || connected ? undefined : Math.max(0, d.nextAt - now),
      }
      if (d.lastError !== undefined) out.lastError = d.lastError
      return out
    })
  }

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

  private accept(conn: Connection): void {
    const host = canonicalHost(conn.remote.host)
    if (!this.running || host === undefined || !isPlainIPv6(host)) {
      conn.destroy()
      return
    }
    if (this.handshaking.size >= this.c.config.maxPendingHandshakes) {
      this.c.metrics.bumpDrop('pending_handshakes')
      conn.destroy()
      return
    }
    this.handshaking.add(new Link(this, conn, host))
  }

  /** Dials as `Chat6Node.dial` does: a failure is also a `dial:failed` event. */
  async dial(addr: Address): Promise<PeerInfo> {
    try {
      return await this.connect(addr)
    } catch (e) {
      this.dialFailed(addr, e, 'dial', 1, undefined, false)
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
    forgotten: boolean,
  ): void {
    // programmer errors (not started, a bad port) are thrown to the caller, not dial failures
    if ((error as Error | undefined)?.name !== 'DialError') return
    const { code, message } = error as DialError
    const address = { host: canonicalHost(addr.host) ?? addr.host, port: addr.port }
    this.c.log('debug', 'dial failed', { addr: addressKey(address), failures, code })
    const failure: DialFailure = { address, code, message, source, failures, retryIn }
    if (forgotten) failure.forgotten = true
    this.c.events.emit('dial:failed', failure)
  }

  /** Dials and runs the handshake; rejects with a DialError (see {@link dialFailed}). */
  private async connect(addr: Address): Promise<PeerInfo> {
    if (!this.running) throw new NodeStateError('not_started', 'node is not started')
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
    if (!this.running) {
      conn.destroy()
      throw new DialError('closed', 'node stopped while dialling')
    }
    return new Promise<PeerInfo>((resolve, reject) => {
      const link = new Link(this, conn, host)
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
    if (!this.running) return 'shutdown'
    const existing = this.up.get(link.id)
    if (existing !== undefined) {
      if (!keepsNewLink(this.c.signer.publicKey, link, existing)) return 'duplicate'
      existing.close('duplicate')
    }
    if (this.up.size >= this.c.config.maxPeers) return 'busy'
    if (!this.allowed(link.remoteHost)) return 'address'
    return sourceRefusal(link.remoteHost, this.up.values(), this.c.config)
  }

  linkUp(link: Link): void {
    this.handshaking.delete(link)
    this.up.set(link.id, link)
    const info = this.c.views.peerInfo(link)
    this.c.log('info', 'peer up', {
      peer: link.id,
      remote: link.remoteHost,
      direction: info.direction,
    })
    this.pendingDials.get(link)?.resolve(info)
    this.pendingDials.delete(link)
    this.c.registry.linkUp(link)
    this.c.events.emit('peer:connect', info)
  }

  linkDown(link: Link, reason: string, initiator: Initiator): void {
    // every refusal and every goodbye, handshakes included, counted by its reason (§6.5)
    this.c.metrics.bye(reason, initiator)
    this.handshaking.delete(link)
    const pending = this.pendingDials.get(link)
    if (pending !== undefined) {
      this.pendingDials.delete(link)
      pending.reject(
        new DialError(reason === 'self' ? 'self' : 'handshake', `link closed: ${reason}`),
      )
    }
    if (!link.everUp || this.up.get(link.id) !== link) {
      this.c.metrics.linkClosed(link)
      return
    }
    this.up.delete(link.id)
    this.c.log('info', 'peer down', { peer: link.id, reason, initiator })
    const peer = this.c.views.peerInfo(link)
    this.c.registry.linkDown(link, reason, initiator)
    this.c.metrics.linkClosed(link)
    this.c.events.emit('peer:disconnect', { peer, reason, initiator })
    if (this.running) this.dialer.maintain()
  }
}
