// Bare peers that feed one relay presence, for the memory and join benches: each completes the
// handshake of §6.2–§6.3, answers keepalives, and writes MAC'd CLIENT_ONLINE lines; it decodes
// nothing else. Clients are random keys with random proofs, so the relay under test gets a
// NodeCrypto whose verifyProof accepts every proof (see memory.ts for why that is fair).
import {
  type Crypto,
  createCrypto,
  createNodeKey,
  deriveLinkKeys,
  type LinkMac,
  sealFrame,
} from '@chat6/crypto'
import {
  type Chat6Node,
  type Connection,
  createNode,
  createNodeCrypto,
  type NodeCrypto,
  type NodeOptions,
} from '@chat6/node'
import {
  createMemoryNetwork,
  createVirtualClock,
  type MemoryNetwork,
  type VirtualClock,
} from '@chat6/node/testing'
import { createLineSplitter, decode, encode, type FrameOf } from '@chat6/wire'

/** A relay under test on a memory network, with room for feeding peers. */
export interface Bed {
  readonly clock: VirtualClock
  readonly crypto: Crypto
  readonly network: MemoryNetwork
  readonly node: Chat6Node
  readonly nodeCrypto: NodeCrypto
  /** Host of the relay under test. */
  readonly host: string
}

const PORT = 7600
const KEEPALIVE = Buffer.from(' KEEPALIVE_REQUEST ')

/** Starts a relay whose proof checks always pass, on a fresh clock and memory network. */
export async function startBed(options: Partial<NodeOptions>, latency = 0): Promise<Bed> {
  const clock = createVirtualClock()
  const crypto = createCrypto()
  const network = createMemoryNetwork({ clock, latency })
  const nodeCrypto: NodeCrypto = { ...createNodeCrypto(crypto), verifyProof: () => true }
  const host = '2001:db8:1::1'
  const node = createNode({
    listen: { host, port: PORT },
    dataDir: false,
    targetPeers: 0,
    useShippedBootstrap: false,
    useEnvBootstrap: false,
    ...options,
    transport: network.transport(host),
    clock,
    crypto: nodeCrypto,
  })
  await node.start()
  return { clock, crypto, network, node, nodeCrypto, host }
}

/** Random client keys and proofs drawn once: a draw per field costs more than the relay's work. */
export class ClientPool {
  private readonly pool: Uint8Array
  constructor(
    crypto: Crypto,
    readonly size: number,
  ) {
    this.pool = new Uint8Array(size * 96)
    for (let at = 0; at < this.pool.length; at += 65_536)
      this.pool.set(crypto.randomBytes(Math.min(65_536, this.pool.length - at)), at)
  }

  /** Client `i`'s CLIENT_ONLINE as a neighbour `metric` µs away would advertise it. */
  presence(i: number, wallNow: number, metric: number): FrameOf<'CLIENT_ONLINE'> {
    const at = i * 96
    return {
      type: 'CLIENT_ONLINE',
      timestamp: wallNow,
      clientkey: this.pool.slice(at, at + 32),
      nonce: 1_767_225_600_000 + i,
      nickname: `user-${String(i).padStart(6, '0')}`,
      proof: this.pool.slice(at + 32, at + 96),
      metric,
      ttl: 63,
    }
  }
}

/** A feeding peer with its link up. */
export interface Feeder {
  /** Writes these lines (already MAC'd, in order) at once. */
  write(frames: ReadonlyArray<FrameOf<'CLIENT_ONLINE'>>): void
  close(): void
}

/** Dials the bed's relay from host number `index` (2 and up) and completes the handshake. */
export async function connectFeeder(bed: Bed, index: number): Promise<Feeder> {
  const { clock, crypto } = bed
  let dialed: Connection | undefined
  void bed.network
    .transport(`2001:db8:${index.toString(16)}::1`)
    .dial({ host: bed.host, port: PORT })
    .then((c) => {
      dialed = c
    })
  await clock.runUntil(() => dialed !== undefined, { maxMs: 10_000 })
  const conn = dialed
  if (conn === undefined) throw new Error('feeder: dial did not complete')
  const nodeKey = createNodeKey(crypto)
  const linkKey = crypto.x25519.keygen()
  const hello = sealFrame(
    crypto,
    {
      type: 'HELLO',
      timestamp: clock.wallNow(),
      version: 1,
      nodekey: nodeKey.publicKey,
      linkkey: linkKey.publicKey,
      port: 0,
    },
    { nodeKey },
  )
  let mac: LinkMac | undefined
  const splitter = createLineSplitter()
  conn.onData((bytes) => {
    for (const item of splitter.push(bytes)) {
      if (!item.ok) continue
      if (mac === undefined) {
        const r = decode(item.line)
        if (!r.ok || r.envelope.frame.type !== 'HELLO') throw new Error('feeder: no HELLO')
        mac = deriveLinkKeys(crypto, {
          role: 'initiator',
          linkSecret: linkKey.secretKey,
          peerLinkKey: r.envelope.frame.linkkey,
          helloHashI: hello.hash,
          helloHashR: r.envelope.hash,
        })
        continue
      }
      // keepalives keep the link up over long virtual runs; everything else is ignored unread
      const line = item.line as Uint8Array
      if (!Buffer.from(line.buffer, line.byteOffset, line.length).includes(KEEPALIVE)) continue
      const r = decode(line)
      if (r.ok && r.envelope.frame.type === 'KEEPALIVE_REQUEST') {
        const res = {
          type: 'KEEPALIVE_RESPONSE',
          timestamp: clock.wallNow(),
          id: r.envelope.frame.id,
        } as const
        conn.write(encode(sealFrame(crypto, res, { mac })))
      }
    }
  })
  conn.write(encode(hello))
  await clock.runUntil(() => mac !== undefined, { maxMs: 10_000 })
  const link = mac as LinkMac | undefined
  if (link === undefined) throw new Error('feeder: link did not come up')
  return {
    write(frames) {
      conn.write(Buffer.concat(frames.map((f) => encode(sealFrame(crypto, f, { mac: link })))))
    },
    close: () => conn.destroy(),
  }
}
