// Test fixtures: a mesh of nodes on the in-memory network and a virtual clock, a scripted raw
// peer that speaks the wire protocol by hand, and a client that signs real presence.
import {
  type ClientIdentity,
  createClientIdentity,
  createCrypto,
  createNodeKey,
  deriveLinkKeys,
  type LinkMac,
  sealFrame,
  signProof,
} from '@chat6/crypto'
import { decode, type Envelope, encode, type Frame, type FrameOf, hashInput } from '@chat6/wire'
import {
  type Address,
  type Attachment,
  type Chat6Node,
  type Connection,
  createMemoryKnownNodesStore,
  createNode,
  createNodeCrypto,
  type NodeInit,
  type RoutedFrame,
} from '../src/index.ts'
import {
  createMemoryNetwork,
  createSeededRandom,
  createVirtualClock,
  type MemoryNetwork,
  type VirtualClock,
} from '../src/testing.ts'

export const seededCrypto = (seed: number) => {
  const r = createSeededRandom(seed)
  return createCrypto({ random: (n) => r.bytes(n) })
}

export interface Mesh {
  clock: VirtualClock
  net: MemoryNetwork
  nodes: Chat6Node[]
  add(init?: Partial<NodeInit>): Promise<Chat6Node>
  connect(a: Chat6Node, b: Chat6Node): Promise<void>
  settle(ms?: number): Promise<void>
  stop(): Promise<void>
}

let seedCounter = 1

export async function createMesh(n = 0, init: Partial<NodeInit> = {}): Promise<Mesh> {
  const clock = createVirtualClock()
  const net = createMemoryNetwork({ clock })
  const nodes: Chat6Node[] = []
  const mesh: Mesh = {
    clock,
    net,
    nodes,
    async add(extra = {}) {
      const seed = seedCounter++
      const transport = net.transport()
      const node = createNode({
        transport,
        clock,
        random: createSeededRandom(seed),
        crypto: createNodeCrypto(seededCrypto(seed)),
        knownNodes: createMemoryKnownNodesStore(),
        useEnvBootstrap: false,
        listen: { host: transport.host, port: 7600 },
        ...init,
        ...extra,
      })
      await node.start()
      nodes.push(node)
      return node
    },
    async connect(a, b) {
      const p = a.dial(b.listenAddress as Address)
      let done = false
      p.then(
        () => {
          done = true
        },
        () => {
          done = true
        },
      )
      await clock.runUntil(() => done, { maxMs: 20_000 })
      await p
      await clock.tick()
    },
    async settle(ms = 0) {
      if (ms > 0) await clock.advance(ms)
      else await clock.tick()
    },
    async stop() {
      for (const node of nodes) await node.stop()
      await clock.advance(1)
    },
  }
  for (let i = 0; i < n; i++) await mesh.add()
  return mesh
}

/** Connects nodes along the given index pairs. */
export async function wire(mesh: Mesh, edges: Array<[number, number]>): Promise<void> {
  for (const [a, b] of edges)
    await mesh.connect(mesh.nodes[a] as Chat6Node, mesh.nodes[b] as Chat6Node)
}

// ---------------------------------------------------------------- test client

export class TestClient {
  readonly identity: ClientIdentity
  readonly attachment: Attachment
  readonly received: RoutedFrame[] = []
  nonce = 1_000
  nickname: string

  constructor(
    readonly node: Chat6Node,
    seed: number,
    nickname = `client${seed}`,
    opts: { refresh?: boolean } = {},
  ) {
    this.identity = createClientIdentity(seededCrypto(1000 + seed))
    this.nickname = nickname
    this.attachment = node.attach(this.identity.publicKey, {
      onFrame: (f) => this.received.push(f),
      ...(opts.refresh === false
        ? {}
        : { refreshPresence: async (min: number) => this.presence('CLIENT_UPDATE', min) }),
    })
  }

  get hash() {
    return this.identity.hash
  }

  presence(type: 'CLIENT_ONLINE' | 'CLIENT_UPDATE', minNonce = 0): FrameOf<'CLIENT_ONLINE'> {
    this.nonce = Math.max(this.nonce + 1, minNonce)
    return signProof(this.identity, {
      type,
      timestamp: 0,
      clientkey: this.identity.publicKey,
      nonce: this.nonce,
      nickname: this.nickname,
      metric: 0,
      ttl: 64,
    } as FrameOf<'CLIENT_ONLINE'>)
  }

  offlineFrame(): FrameOf<'CLIENT_OFFLINE'> {
    this.nonce++
    return signProof(this.identity, {
      type: 'CLIENT_OFFLINE',
      timestamp: 0,
      clientkey: this.identity.publicKey,
      nonce: this.nonce,
      ttl: 64,
    } as FrameOf<'CLIENT_OFFLINE'>)
  }

  online() {
    const r = this.attachment.announce(this.presence('CLIENT_ONLINE'))
    if (!r.ok) throw new Error(`announce failed: ${r.reason}`)
    return r
  }

  update(nickname?: string) {
    if (nickname !== undefined) this.nickname = nickname
    return this.attachment.announce(this.presence('CLIENT_UPDATE'))
  }

  offline() {
    return this.attachment.announce(this.offlineFrame())
  }

  message(
    to: Uint8Array,
    opts: { msgid?: Uint8Array; chatid?: Uint8Array; body?: Uint8Array } = {},
  ): FrameOf<'MESSAGE_SEND'> {
    const r = createSeededRandom(this.nonce++)
    return {
      type: 'MESSAGE_SEND',
      timestamp: 0,
      target_hash: to as Uint8Array<ArrayBuffer>,
      origin: this.identity.hash,
      sid: new Uint8Array(16).fill(1),
      chatid: (opts.chatid ?? new Uint8Array(16).fill(2)) as Uint8Array<ArrayBuffer>,
      msgid: (opts.msgid ?? r.bytes(16)) as Uint8Array<ArrayBuffer>,
      mtype: 1,
      message: (opts.body ?? r.bytes(64)) as Uint8Array<ArrayBuffer>,
      ttl: 64,
    }
  }

  send(to: Uint8Array, opts?: Parameters<TestClient['message']>[1]) {
    return this.attachment.send(this.message(to, opts))
  }
}

// ---------------------------------------------------------------- raw peer

const text = new TextDecoder()
const bytes = (s: string) => new TextEncoder().encode(s)

/** A hand-driven peer on the memory network: sends what the test says, records what it gets. */
let rawSeed = 9_000

export class RawPeer {
  readonly crypto = seededCrypto(rawSeed++)
  readonly nodeKey = createNodeKey(this.crypto)
  readonly linkPair = this.crypto.x25519.keygen()
  readonly lines: string[] = []
  closed = false
  mac: LinkMac | undefined
  helloHash: Uint8Array | undefined
  /** Answer the node's keepalives (so its link metric is measured, not the default). */
  answerKeepalives = false
  private buf = ''

  constructor(
    readonly conn: Connection,
    readonly clock: VirtualClock,
  ) {
    conn.onData((b) => {
      this.buf += text.decode(b)
      let i = this.buf.indexOf('\n')
      while (i >= 0) {
        const line = this.buf.slice(0, i)
        this.lines.push(line)
        this.buf = this.buf.slice(i + 1)
        i = this.buf.indexOf('\n')
        if (this.answerKeepalives && this.mac !== undefined) {
          const d = decode(line)
          if (d.ok && d.envelope.frame.type === 'KEEPALIVE_REQUEST') {
            this.send({ type: 'KEEPALIVE_RESPONSE', timestamp: 0, id: d.envelope.frame.id })
          }
        }
      }
    })
    conn.onClose(() => {
      this.closed = true
    })
  }

  static async dial(mesh: Mesh, node: Chat6Node, host?: string): Promise<RawPeer> {
    const t = mesh.net.transport(host)
    const p = t.dial(node.listenAddress as Address)
    await mesh.clock.tick()
    return new RawPeer(await p, mesh.clock)
  }

  decoded(): Array<Envelope> {
    return this.lines.map((l) => {
      const d = decode(l)
      if (!d.ok) throw new Error(`node sent an undecodable line: ${l}`)
      return d.envelope
    })
  }

  frames(): Frame[] {
    return this.decoded().map((e) => e.frame)
  }

  byeReason(): string | undefined {
    const bye = this.frames().find((f) => f.type === 'BYE') as FrameOf<'BYE'> | undefined
    return bye?.reason
  }

  helloFrame(over: Partial<FrameOf<'HELLO'>> = {}): FrameOf<'HELLO'> {
    return {
      type: 'HELLO',
      timestamp: this.clock.wallNow(),
      version: 1,
      nodekey: this.nodeKey.publicKey,
      linkkey: this.linkPair.publicKey,
      port: 0,
      ...over,
    }
  }

  sendHello(over: Partial<FrameOf<'HELLO'>> = {}, opts: { corrupt?: boolean } = {}): void {
    const frame = this.helloFrame(over)
    const env = sealFrame(this.crypto, frame, { nodeKey: this.nodeKey })
    if (opts.corrupt) env.signature = env.signature.slice().fill(7, 0, 4)
    this.helloHash = env.hash
    this.conn.write(encode(env))
  }

  /** After our HELLO was accepted: derives the MACs from the node's HELLO. */
  keys(): void {
    const hello = this.decoded().find((e) => e.frame.type === 'HELLO') as Envelope<FrameOf<'HELLO'>>
    if (hello === undefined) throw new Error('no HELLO from the node')
    this.mac = deriveLinkKeys(this.crypto, {
      role: 'initiator',
      linkSecret: this.linkPair.secretKey,
      peerLinkKey: hello.frame.linkkey,
      helloHashI: this.helloHash as Uint8Array,
      helloHashR: hello.hash,
    })
    // every line the node sent after its HELLO counts on the receive side
    const after = this.lines.length - 1 - this.decoded().findIndex((e) => e.frame.type === 'HELLO')
    for (let i = 0; i < after; i++) this.mac.skip()
  }

  /** Sends a frame with a made-up 32-byte signature (no link keys needed). */
  sendUnkeyed(frame: Frame): void {
    const hash = this.crypto.sha256(hashInput(frame))
    this.conn.write(encode({ signature: new Uint8Array(32).fill(9), hash, frame }))
  }

  /** Sends a HELLO (signed by our node key) after the link is up. */
  sendSecondHello(): void {
    this.conn.write(encode(sealFrame(this.crypto, this.helloFrame(), { nodeKey: this.nodeKey })))
  }

  send(frame: Frame, opts: { tamper?: boolean } = {}): void {
    const env = sealFrame(
      this.crypto,
      { ...frame, timestamp: frame.timestamp || this.clock.wallNow() },
      { mac: this.mac as LinkMac },
    )
    if (opts.tamper) env.signature = env.signature.slice().fill(0, 0, 8)
    this.conn.write(encode(env))
  }

  sendZeroBye(reason: string): void {
    this.conn.write(
      encode(
        sealFrame(
          this.crypto,
          { type: 'BYE', timestamp: this.clock.wallNow(), reason },
          { zero: true },
        ),
      ),
    )
  }

  writeLine(line: string): void {
    this.conn.write(bytes(`${line}\n`))
  }
}

export { hashInput }

/** A client identity for raw peers to sign presence with. */
export function identity(seed: number): ClientIdentity {
  return createClientIdentity(seededCrypto(5_000 + seed))
}

/** A signed presence frame, as a raw peer would relay it. */
export function signedPresence(
  id: ClientIdentity,
  over: {
    type?: 'CLIENT_ONLINE' | 'CLIENT_UPDATE'
    nonce: number
    metric?: number
    ttl?: number
    nickname?: string
    icon?: Uint8Array
  },
): FrameOf<'CLIENT_ONLINE'> {
  return signProof(id, {
    type: over.type ?? 'CLIENT_ONLINE',
    timestamp: 0,
    clientkey: id.publicKey,
    nonce: over.nonce,
    nickname: over.nickname ?? 'raw',
    ...(over.icon === undefined ? {} : { icon: over.icon }),
    metric: over.metric ?? 0,
    ttl: over.ttl ?? 64,
  } as FrameOf<'CLIENT_ONLINE'>)
}

/** A signed CLIENT_OFFLINE. */
export function signedOffline(
  id: ClientIdentity,
  nonce: number,
  ttl = 64,
): FrameOf<'CLIENT_OFFLINE'> {
  return signProof(id, {
    type: 'CLIENT_OFFLINE',
    timestamp: 0,
    clientkey: id.publicKey,
    nonce,
    ttl,
  } as FrameOf<'CLIENT_OFFLINE'>)
}

/** Completes a raw peer's handshake with `node`. */
export async function rawUp(
  mesh: Mesh,
  node: Chat6Node,
  opts: { host?: string; port?: number } = {},
): Promise<RawPeer> {
  const p = await RawPeer.dial(mesh, node, opts.host)
  p.sendHello({ port: opts.port ?? 0 })
  await mesh.clock.tick()
  p.keys()
  return p
}
