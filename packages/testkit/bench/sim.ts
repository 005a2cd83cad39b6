// A lean in-memory mesh for the presence and scale benches: real @chat6/node relays on the memory
// network and one virtual clock, linked by testkit's seeded topology generator. createMesh does the
// same with traces, taps, clients and faults; at thousands of nodes its start-up wait (every
// topology edge checked after every fired timer) dominates the run, so the benches count links
// with events instead.
import {
  type ClientIdentity,
  type Crypto,
  createClientIdentity,
  createCrypto,
  signProof,
} from '@chat6/crypto'
import {
  type Chat6Node,
  type Connection,
  createNode,
  createNodeCrypto,
  type NodeOptions,
  type OutgoingPresenceFrame,
  type Transport,
} from '@chat6/node'
import {
  createMemoryNetwork,
  createSeededRandom,
  createVirtualClock,
  type VirtualClock,
} from '@chat6/node/testing'
import { deriveSeed, type Edge, type Topology, topologyEdges } from '../src/index.ts'

/** What a simulated mesh is made of. */
export interface SimInit {
  nodes: number
  topology: Topology
  seed: number
  /** One-way latency of every link, virtual ms (default 5, as createMesh). */
  latency?: number
  /** Frame type whose last write time the sim keeps (default CLIENT_ONLINE). */
  watchType?: string
  /** Node options beyond the defaults of docs/protocol.md §13. */
  nodeOptions?: Partial<NodeOptions>
}

/** A running simulated mesh. */
export interface Sim {
  readonly clock: VirtualClock
  readonly crypto: Crypto
  readonly nodes: Chat6Node[]
  readonly edges: readonly Edge[]
  readonly latency: number
  /** Virtual ms and wall ms the links took to come up. */
  readonly startVirtualMs: number
  readonly startWallMs: number
  /** Virtual ms of the latest write that carried a line of `watchType` (see {@link SimInit}). */
  readonly lastWatchedWrite: number
  /** Sum of one counter of `framesOut` over every node. */
  framesOut(type: string): number
  /** A fresh client identity (made apart from {@link Sim.announce}, so timing can leave it out). */
  identity(): ClientIdentity
  /** Attaches `identity` to node `at` and announces CLIENT_ONLINE; returns its base64 hash. */
  announce(at: number, identity: ClientIdentity, nickname: string): string
  /** Runs timers until `pred()` holds or `maxMs` virtual ms pass; whether it held. */
  runUntil(pred: () => boolean, maxMs: number): Promise<boolean>
  stop(): Promise<void>
}

const PORT = 7600

/** Builds a mesh and waits (on the virtual clock) until every topology link is up. */
export async function startSim(init: SimInit): Promise<Sim> {
  const clock = createVirtualClock()
  const latency = init.latency ?? 5
  const world = createSeededRandom(deriveSeed(init.seed, 'world'))
  const keyRandom = createSeededRandom(deriveSeed(init.seed, 'keys'))
  const crypto = createCrypto({ random: (n) => keyRandom.bytes(n) })
  const nodeCrypto = createNodeCrypto(crypto)
  const network = createMemoryNetwork({ clock, latency })
  const edges = topologyEdges(
    init.topology,
    init.nodes,
    createSeededRandom(deriveSeed(init.seed, 'topology')).float,
  )
  // Writes carrying the watched type mark the time, so a bench can tell when a flood went quiet.
  const watched = Buffer.from(` ${init.watchType ?? 'CLIENT_ONLINE'} `)
  let lastWatchedWrite = Number.NaN
  const watch = (t: Transport): Transport => ({
    listen: (addr, onConn) => t.listen(addr, (c) => onConn(watchConn(c))),
    dial: async (addr, opts) => watchConn(await t.dial(addr, opts)),
  })
  const watchConn = (c: Connection): Connection =>
    new Proxy(c, {
      get(target, prop) {
        if (prop === 'write')
          return (bytes: Uint8Array) => {
            if (Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).includes(watched))
              lastWatchedWrite = clock.now()
            return target.write(bytes)
          }
        const v = Reflect.get(target, prop, target)
        return typeof v === 'function' ? v.bind(target) : v
      },
    })
  const host = (i: number) => `2001:db8:${(i + 1).toString(16)}::1`
  const t0 = performance.now()
  const nodes: Chat6Node[] = []
  let up = 0
  for (let i = 0; i < init.nodes; i++) {
    const node = createNode({
      listen: { host: host(i), port: PORT },
      useShippedBootstrap: false,
      useEnvBootstrap: false,
      dataDir: false,
      targetPeers: 0,
      ...init.nodeOptions,
      transport: watch(network.transport(host(i))),
      clock,
      random: world,
      crypto: nodeCrypto,
    })
    node.on('peer:connect', () => up++)
    await node.start()
    nodes.push(node)
  }
  const v0 = clock.now()
  for (const [a, b] of edges) {
    nodes[a]?.dial({ host: host(b), port: PORT }).catch((e: unknown) => {
      throw new Error(`sim: link ${a}-${b} failed: ${String(e)}`)
    })
  }
  // each link is counted once by each side
  if (!(await clock.runUntil(() => up === 2 * edges.length, { maxMs: 120_000 })))
    throw new Error(`sim: only ${up / 2} of ${edges.length} links came up`)
  const startVirtualMs = clock.now() - v0
  const startWallMs = performance.now() - t0

  let clients = 0
  return {
    clock,
    crypto,
    nodes,
    edges,
    latency,
    startVirtualMs,
    startWallMs,
    get lastWatchedWrite() {
      return lastWatchedWrite
    },
    framesOut: (type) => nodes.reduce((s, n) => s + (n.stats().framesOut[type] ?? 0), 0),
    identity: () => createClientIdentity(crypto),
    announce(at, id, nickname) {
      const node = nodes[at]
      if (node === undefined) throw new RangeError(`sim: no node ${at}`)
      const att = node.attach(id.publicKey, { onFrame() {} })
      const frame = {
        type: 'CLIENT_ONLINE',
        clientkey: id.publicKey,
        nonce: 1_000 + clients++,
        nickname,
      } as const
      const r = att.announce(
        signProof(id, { ...frame, timestamp: 0, metric: 0, ttl: 64 }) as OutgoingPresenceFrame,
      )
      if (!r.ok) throw new Error(`sim: announce refused: ${r.reason}`)
      return att.id
    },
    runUntil: (pred, maxMs) => clock.runUntil(pred, { maxMs }),
    async stop() {
      for (const n of nodes) await n.stop()
    },
  }
}

/** Hop distances from `from` over `edges` (breadth-first), for the convergence floor. */
export function hopsFrom(n: number, edges: readonly Edge[], from: number): Int32Array {
  const adj: number[][] = Array.from({ length: n }, () => [])
  for (const [a, b] of edges) {
    adj[a]?.push(b)
    adj[b]?.push(a)
  }
  const dist = new Int32Array(n).fill(-1)
  dist[from] = 0
  const queue = [from]
  for (let q = 0; q < queue.length; q++) {
    const x = queue[q] as number
    for (const y of adj[x] ?? []) {
      if (dist[y] === -1) {
        dist[y] = (dist[x] as number) + 1
        queue.push(y)
      }
    }
  }
  return dist
}
