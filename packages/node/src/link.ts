// One connection to a peer node: the HELLO handshake (§6.2), link MACs (§6.3), pre-link BYE
// (§6.4), per-line checks and drops (§6.5, §6.6), keepalive and link metric (§7). What the
// frames mean beyond the link is the services' business, reached through `LinkHost`; state a
// service keeps per link lives in that service, keyed by the link.

import type { EphemeralKey } from '@chat6/crypto'
import {
  createLineSplitter,
  decode,
  type Envelope,
  encode,
  type Frame,
  type FrameOf,
  hashInput,
  type LineSplitter,
  signingInput,
  ZERO_SIGNATURE,
} from '@chat6/wire'
import { b64 } from './b64.ts'
import type { Clock, TimerId } from './clock.ts'
import type { LinkMacs, NodeCrypto, NodeSigner } from './node-crypto.ts'
import { type ByeReason, countsTowardAbuse, type DropReason } from './reasons.ts'
import { TokenBucket, WindowCounter } from './token-bucket.ts'
import type { Address, Connection } from './transport.ts'

/** Limits and timers a link runs with (resolved node options). @internal */
export interface LinkConfig {
  helloTimeout: number
  keepaliveInterval: number
  keepaliveTimeout: number
  rttWindow: number
  defaultLinkMetric: number
  maxClockSkew: number
  maxFramesPerSecond: number
  maxFramesBurst: number
  maxDropsPerMinute: number
  rateLimitByeFactor: number
  maxWriteBuffer: number
  maxLineBytes: number
  protocolVersion: number
}

/** A line that passed every link-level check. @internal */
export interface CheckedLine {
  env: Envelope
  /** base64 MSGHASH, the key of dedupe and presence caches. */
  hashKey: string
  hashInput: Uint8Array
  signingInput: Uint8Array
}

/** What a link needs from its node. @internal */
export interface LinkHost {
  readonly clock: Clock
  readonly crypto: NodeCrypto
  readonly signer: NodeSigner
  readonly listenPort: number
  readonly config: LinkConfig
  /** Checks a peer's valid HELLO beyond version and self: duplicate, busy, address. */
  admit(link: Link): ByeReason | undefined
  linkUp(link: Link): void
  linkDown(link: Link, reason: string, initiator: 'local' | 'remote' | 'transport'): void
  /** Whether a routed frame with this MSGHASH was already seen (checked before its MAC, §9). */
  seen(type: Frame['type'], hashKey: string): boolean
  /** A checked frame other than HELLO, BYE and keepalives. */
  frame(link: Link, line: CheckedLine): void
  metricChanged(link: Link): void
  drop(link: Link, reason: DropReason, type?: string): void
  count(link: Link, dir: 'in' | 'out', type: string, bytes: number): void
  log(level: 'debug' | 'info' | 'warn' | 'error', msg: string, data?: Record<string, unknown>): void
}

const LF = 0x0a
const SP = 0x20

/** Assembles `<b64 mac> SP <signing input> LF` without re-encoding the frame. */
function assemble(mac: Uint8Array, si: Uint8Array): Uint8Array {
  const out = new Uint8Array(44 + 1 + si.length + 1)
  const m = b64(mac)
  for (let i = 0; i < 44; i++) out[i] = m.charCodeAt(i)
  out[44] = SP
  out.set(si, 45)
  out[out.length - 1] = LF
  return out
}

/** @internal */
export class Link {
  /** Peer's node key as base64 once its HELLO is accepted; the neighbour id in route tables. */
  id = ''
  state: 'handshake' | 'up' | 'closed' = 'handshake'
  readonly role: 'I' | 'R'
  /** Canonical remote host text. */
  readonly remoteHost: string
  peerNodeKey: Uint8Array | undefined
  /** Port the peer accepts connections on (HELLO `port`, 0: none). */
  peerPort = 0
  /** Link metric in µs (§7). */
  metric: number
  readonly rtts: number[] = []
  readonly connectedAt: number
  upAt = 0
  /** Whether the handshake completed (routes may go through it). */
  everUp = false
  /** Whether a line with a valid link MAC has arrived: until then the HELLO may be a replay (§6.3). */
  authenticated = false
  lastRx: number

  private readonly splitter: LineSplitter
  private readonly frameBucket: TokenBucket
  private readonly drops = new WindowCounter(60_000)
  private readonly rateDrops = new WindowCounter(1_000)
  private readonly linkKey: EphemeralKey
  private ourHelloHash: Uint8Array | undefined
  private peerHelloHash: Uint8Array | undefined
  private macs: LinkMacs | undefined
  private helloTimer: TimerId | undefined
  private keepaliveTimer: TimerId | undefined
  private idleTimer: TimerId | undefined
  private keepaliveId = 0
  private outstanding: { id: number; at: number } | undefined

  constructor(
    private readonly host: LinkHost,
    readonly conn: Connection,
    remoteHost: string,
  ) {
    const now = host.clock.now()
    this.role = conn.outbound ? 'I' : 'R'
    this.remoteHost = remoteHost
    this.metric = host.config.defaultLinkMetric
    this.connectedAt = now
    this.lastRx = now
    this.splitter = createLineSplitter({ maxLineBytes: host.config.maxLineBytes })
    this.frameBucket = new TokenBucket(
      host.config.maxFramesPerSecond,
      host.config.maxFramesBurst,
      now,
    )
    this.linkKey = host.crypto.linkKey()
    this.helloTimer = host.clock.setTimeout(
      () => this.close('handshake_timeout'),
      host.config.helloTimeout,
    )
    conn.onData((bytes) => this.onData(bytes))
    conn.onClose(() => this.onTransportClose())
    if (this.role === 'I') this.sendHello()
  }

  isClosed(): boolean {
    return this.state === 'closed'
  }

  /** The remote address as `{host, port}` (ephemeral port for inbound links). */
  get remote(): Address {
    return { host: this.remoteHost, port: this.conn.remote.port }
  }

  private onData(bytes: Uint8Array): void {
    if (this.state === 'closed') return
    for (const item of this.splitter.push(bytes)) {
      if (this.isClosed()) return
      if (!item.ok) {
        this.close('line_too_long')
        return
      }
      this.lastRx = this.host.clock.now()
      if (this.state === 'handshake') {
        try {
          this.onHandshakeLine(item.line)
        } catch (e) {
          // nothing a peer sends may escape into the transport: a bug here ends the handshake
          this.host.log('error', 'internal error in the handshake', { error: String(e) })
          this.host.drop(this, 'internal', 'HELLO')
          this.close('bad_frame')
        }
      } else this.onLine(item.line)
    }
  }

  // ---- handshake (§6.2) ----

  private onHandshakeLine(line: Uint8Array): void {
    const d = decode(line)
    if (!d.ok) {
      this.close(d.error.code === 'line_too_long' ? 'line_too_long' : 'bad_frame')
      return
    }
    const f = d.envelope.frame
    this.host.count(this, 'in', f.type, line.length + 1)
    if (f.type === 'BYE') {
      this.remoteBye(f.reason)
      return
    }
    if (f.type !== 'HELLO') {
      this.close('protocol')
      return
    }
    const { crypto, clock, config } = this.host
    if (!crypto.verifyHello(d)) {
      this.close('bad_signature')
      return
    }
    if (Math.abs(f.timestamp - clock.wallNow()) > config.maxClockSkew) {
      this.close('clock')
      return
    }
    if (f.version !== config.protocolVersion) {
      this.close('version')
      return
    }
    if (equalBytes(f.nodekey, this.host.signer.publicKey)) {
      this.close('self')
      return
    }
    this.peerNodeKey = f.nodekey
    this.peerPort = f.port
    this.id = b64(f.nodekey)
    this.peerHelloHash = d.envelope.hash
    const refusal = this.host.admit(this)
    if (refusal !== undefined) {
      this.close(refusal)
      return
    }
    if (this.role === 'R') this.sendHello()
    const hI = this.role === 'I' ? this.ourHelloHash : this.peerHelloHash
    const hR = this.role === 'I' ? this.peerHelloHash : this.ourHelloHash
    try {
      this.macs = crypto.linkMacs(
        this.role,
        this.linkKey,
        f.linkkey,
        hI as Uint8Array,
        hR as Uint8Array,
      )
    } catch (e) {
      this.host.log('warn', 'link key agreement failed', { peer: this.id, error: String(e) })
      this.close('bad_signature')
      return
    }
    this.linkKey.destroy()
    this.goUp()
  }

  private sendHello(): void {
    const { clock, signer, listenPort, config } = this.host
    const frame: FrameOf<'HELLO'> = {
      type: 'HELLO',
      timestamp: Math.floor(clock.wallNow()),
      version: config.protocolVersion,
      nodekey: signer.publicKey,
      linkkey: this.linkKey.publicKey,
      port: listenPort,
    }
    const env = signer.sealHello(frame)
    this.ourHelloHash = env.hash
    this.writeBytes(encode(env), 'HELLO')
  }

  private goUp(): void {
    const { clock, config } = this.host
    this.state = 'up'
    this.everUp = true
    this.upAt = clock.now()
    clock.clearTimeout(this.helloTimer)
    this.helloTimer = undefined
    this.sendKeepalive()
    this.idleTimer = clock.setTimeout(() => this.checkIdle(), config.keepaliveTimeout)
    this.host.linkUp(this)
  }

  // ---- keepalive and metric (§7) ----

  private sendKeepalive(): void {
    if (this.state !== 'up') return
    const id = this.keepaliveId++
    this.outstanding = { id, at: this.host.clock.now() }
    this.send({ type: 'KEEPALIVE_REQUEST', timestamp: 0, id })
    this.keepaliveTimer = this.host.clock.setTimeout(
      () => this.sendKeepalive(),
      this.host.config.keepaliveInterval,
    )
  }

  private checkIdle(): void {
    if (this.state !== 'up') return
    const { clock, config } = this.host
    const silent = clock.now() - this.lastRx
    if (silent >= config.keepaliveTimeout) {
      this.close('timeout')
      return
    }
    this.idleTimer = clock.setTimeout(() => this.checkIdle(), config.keepaliveTimeout - silent)
  }

  private onKeepaliveResponse(id: number): void {
    const o = this.outstanding
    if (o === undefined || o.id !== id) {
      this.host.drop(this, 'unexpected_response', 'KEEPALIVE_RESPONSE')
      return
    }
    this.outstanding = undefined
    const rttUs = Math.max(0, (this.host.clock.now() - o.at) * 1000)
    this.rtts.push(rttUs)
    if (this.rtts.length > this.host.config.rttWindow) this.rtts.shift()
    const mean = this.rtts.reduce((a, b) => a + b, 0) / this.rtts.length
    const metric = Math.max(1, Math.round(mean))
    if (metric !== this.metric) {
      this.metric = metric
      this.host.metricChanged(this)
    }
  }

  // ---- frames after the link is up ----

  private onLine(line: Uint8Array): void {
    const macs = this.macs as LinkMacs
    const { clock, config, crypto } = this.host
    const now = clock.now()
    let consumed = false
    let type = 'unknown'
    try {
      if (!this.frameBucket.take(now)) {
        macs.skip()
        consumed = true
        this.host.drop(this, 'rate_limit')
        if (this.rateDrops.add(now) > config.maxFramesPerSecond * config.rateLimitByeFactor)
          this.close('rate_limit')
        return
      }
      const d = decode(line)
      if (!d.ok) {
        macs.skip()
        consumed = true
        this.host.drop(this, 'bad_frame')
        return
      }
      const env = d.envelope
      const f = env.frame
      type = f.type
      this.host.count(this, 'in', type, line.length + 1)
      if (f.type === 'HELLO') {
        // a second HELLO is out of place whatever it is signed with (§6.2)
        macs.skip()
        consumed = true
        this.close('protocol')
        return
      }
      if (f.type === 'BYE') {
        consumed = true
        // a BYE closes whatever its MAC says (§6.4): it could be forged only by whoever could reset the stream
        this.remoteBye(f.reason)
        return
      }
      const hashKey = b64(env.hash)
      if (this.host.seen(f.type, hashKey)) {
        macs.skip()
        consumed = true
        this.host.drop(this, 'duplicate', type)
        return
      }
      consumed = true
      if (env.signature.length !== 32 || !macs.verify(d.signingInput, env.signature)) {
        this.close('bad_signature')
        return
      }
      this.authenticated = true
      if (!crypto.hashMatches(d.hashInput, env.hash)) {
        this.host.drop(this, 'bad_hash', type)
        return
      }
      if (Math.abs(f.timestamp - clock.wallNow()) > config.maxClockSkew) {
        this.host.drop(this, 'timestamp', type)
        return
      }
      switch (f.type) {
        case 'KEEPALIVE_REQUEST':
          this.send({ type: 'KEEPALIVE_RESPONSE', timestamp: 0, id: f.id })
          return
        case 'KEEPALIVE_RESPONSE':
          this.onKeepaliveResponse(f.id)
          return
        default:
          this.host.frame(this, {
            env,
            hashKey,
            hashInput: d.hashInput,
            signingInput: d.signingInput,
          })
      }
    } catch (e) {
      if (!consumed) macs.skip()
      this.host.log('error', 'internal error handling a frame', {
        peer: this.id,
        type,
        error: String(e),
      })
      this.host.drop(this, 'internal', type)
    }
  }

  /** Counts a drop against this peer; too many earn `BYE abuse` (§6.5). */
  noteDrop(reason: DropReason): void {
    if (this.state !== 'up' || !countsTowardAbuse(reason)) return
    if (this.drops.add(this.host.clock.now()) > this.host.config.maxDropsPerMinute)
      this.close('abuse')
  }

  // ---- sending ----

  /**
   * MACs and queues a frame; `timestamp` is set here. Returns false (and sends nothing, so the
   * MAC counter stays in step) when the link is not up or its write buffer is full.
   */
  send(frame: Frame, hash?: Uint8Array): boolean {
    if (this.state !== 'up') return false
    if (this.conn.bufferedBytes() > this.host.config.maxWriteBuffer) {
      this.host.drop(this, 'backpressure', frame.type)
      return false
    }
    frame.timestamp = Math.floor(this.host.clock.wallNow())
    const h = hash ?? this.host.crypto.sha256(hashInput(frame))
    const si = signingInput(frame, h)
    return this.writeBytes(assemble((this.macs as LinkMacs).sign(si), si), frame.type)
  }

  /** MACs and queues a ready signing input (a forwarded frame rewritten in place). */
  sendSigningInput(si: Uint8Array, type: string): boolean {
    if (this.state !== 'up') return false
    if (this.conn.bufferedBytes() > this.host.config.maxWriteBuffer) {
      this.host.drop(this, 'backpressure', type)
      return false
    }
    return this.writeBytes(assemble((this.macs as LinkMacs).sign(si), si), type)
  }

  private writeBytes(bytes: Uint8Array, type: string): boolean {
    if (!this.conn.write(bytes)) return false
    this.host.count(this, 'out', type, bytes.length)
    return true
  }

  // ---- closing ----

  /** Sends BYE `reason` (MAC'd when up, zero signature before, §6.4) and closes. */
  close(reason: ByeReason | string): void {
    if (this.state === 'closed') return
    const frame: Frame = { type: 'BYE', timestamp: Math.floor(this.host.clock.wallNow()), reason }
    try {
      if (this.state === 'up') this.send(frame)
      else {
        const hash = this.host.crypto.sha256(hashInput(frame))
        this.writeBytes(encode({ signature: ZERO_SIGNATURE, hash, frame }), 'BYE')
      }
    } catch (e) {
      this.host.log('warn', 'could not send BYE', { error: String(e) })
    }
    this.finish(reason, 'local')
    this.conn.close()
  }

  private remoteBye(reason: string): void {
    this.finish(reason, 'remote')
    this.conn.close()
  }

  private onTransportClose(): void {
    this.finish('closed', 'transport')
  }

  private finish(reason: string, initiator: 'local' | 'remote' | 'transport'): void {
    if (this.state === 'closed') return
    this.state = 'closed'
    const { clock } = this.host
    clock.clearTimeout(this.helloTimer)
    clock.clearTimeout(this.keepaliveTimer)
    clock.clearTimeout(this.idleTimer)
    this.linkKey.destroy()
    this.host.linkDown(this, reason, initiator)
  }
}

/** Constant-time-enough byte equality for public values. @internal */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}
