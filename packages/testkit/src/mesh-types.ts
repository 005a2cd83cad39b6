// The public shapes of a mesh: what createMesh takes and the handles it gives back.
import type { Client, ClientLimits, Message } from '@chat6/client'
import type { Address, Chat6Node, NodeOptions } from '@chat6/node'
import type { MemoryNetwork, VirtualClock } from '@chat6/node/testing'
import type { Frame } from '@chat6/wire'
import type { MeshClient, MeshClientSpec } from './clients.ts'
import type { FrameFaults } from './faults.ts'
import type { Edge, Topology } from './topology.ts'
import type { Trace } from './trace.ts'

/** Options of {@link createMesh}. */
export interface MeshInit {
  /** Number of nodes. */
  nodes: number
  /** How they are linked (default `'line'`). */
  topology?: Topology
  /** Seed of every random choice: topology, keys, jitter, faults (default 1). */
  seed?: number
  /** Crypto backend of nodes and clients (default `'native'`, the faster one). */
  crypto?: 'native' | 'noble'
  /**
   * Let nodes find peers themselves (NEIGHBORS_REQUEST, §12). Off by default: the mesh keeps
   * exactly the topology's links, redialling a lost link itself.
   */
  discovery?: boolean
  /** One-way latency of every link, virtual ms (default 5). */
  latency?: number
  /** Extra node options for every node (timers, limits), or per node index. */
  nodeOptions?: Partial<NodeOptions> | ((index: number) => Partial<NodeOptions>)
  /**
   * Clients to start once the links are up: a count (client `j` on node `j % nodes`) or one spec
   * per client.
   */
  clients?: number | readonly MeshClientSpec[]
  /** Client timer and limit overrides (for example `retryInterval`). */
  clientLimits?: Partial<ClientLimits>
  /** Indexes of nodes that lie: advertise metric 0 for every client and drop what they should relay. */
  liars?: readonly number[]
  /** Frame faults from the start (see {@link Mesh.setFaults}). */
  faults?: FrameFaults
  /** Record every line in `mesh.trace` (default true). */
  trace?: boolean
  /** Most trace entries kept (default 200 000). */
  traceLimit?: number
  /** Virtual ms to wait for the topology's links to come up at start (default 60 000). */
  startTimeout?: number
}

/** One node slot of a mesh; a restart puts a new node (fresh key) in the same slot. */
export interface MeshNode {
  readonly index: number
  /** `n<index>`: its name in the trace. */
  readonly name: string
  /** Its IPv6 host, `2001:db8:<index+1>::1`. */
  readonly host: string
  /** Where it listens. */
  readonly address: Address
  /** `'node'` for a real node, `'liar'` for a lying one. */
  readonly kind: 'node' | 'liar'
  /** Whether it runs (not killed). */
  readonly alive: boolean
  /** Starts at 0; a restart adds one. */
  readonly incarnation: number
  /** The running node (the latest one after a restart); undefined for a liar. */
  readonly node: Chat6Node | undefined
  /** Its node id (base64 node key) as its peers name it. */
  readonly id: string
}

/** Options of {@link Mesh.until}. */
export interface UntilOptions {
  /** Virtual ms to wait at most (default 120 000). */
  timeout?: number
  /** What is awaited, for the error message. */
  what?: string
}

/** Options of {@link Mesh.addNode}. */
export interface AddNodeOptions {
  /** Indexes of nodes to link with (mesh-kept links, like the topology's). */
  links?: readonly number[]
  /** Indexes of nodes given as bootstrap addresses only (the node dials and discovers itself). */
  bootstrap?: readonly number[]
  /** Extra node options. */
  nodeOptions?: Partial<NodeOptions>
}

/** A simulated mesh on one virtual clock. */
export interface Mesh extends AsyncDisposable {
  readonly seed: number
  readonly clock: VirtualClock
  readonly network: MemoryNetwork
  /** The links the mesh keeps up (topology plus `addNode` links), `[a, b]` with `a < b`. */
  readonly edges: readonly Edge[]
  readonly nodes: readonly MeshNode[]
  /** Every line written between nodes. */
  readonly trace: Trace
  readonly clients: readonly MeshClient[]
  /** The running node at `index`; throws for a liar or a killed node. */
  node(index: number): Chat6Node
  /** The running client at `index`; throws for a stopped one. */
  client(index: number): Client
  /** Starts one more client; resolves with its index. */
  addClient(spec: MeshClientSpec): Promise<number>
  /**
   * Makes two clients friends (`a` asks, `b` accepts) and waits until both have a session.
   * @param opts - wait bound in virtual ms (default 120 000)
   */
  befriend(a: number, b: number, opts?: UntilOptions): Promise<void>
  /** Client `a` sends `body` to its friend `b`; resolves with the stored outgoing message. */
  send(a: number, b: number, body: string | Uint8Array): Promise<Message>
  /** Stops a client: `clean` (default true) announces CLIENT_OFFLINE; false just vanishes. */
  stopClient(index: number, opts?: { clean?: boolean }): Promise<void>
  /** Starts a stopped client again with its store, on its node or on `node`. */
  restartClient(index: number, opts?: { node?: number }): Promise<void>
  /** Moves virtual time forward by `ms`, running every timer due. */
  advance(ms: number): Promise<void>
  /**
   * Registers an invariant (a function that throws when it does not hold) to run now and after
   * every fired timer during `advance` and `until`; returns a function that removes it.
   * @example
   * ```ts
   * mesh.check(() => assertNoRouteLoops(mesh))
   * ```
   */
  check(fn: () => void): () => void
  /**
   * Runs the mesh until `pred()` holds; throws a `MeshTimeoutError` naming the seed (with the end
   * of the trace) when `timeout` virtual ms pass first.
   */
  until(pred: () => boolean, opts?: UntilOptions): Promise<void>
  /** Silently drops everything on the link between two nodes (and refuses dials) until healed. */
  cut(a: number, b: number): void
  /** Heals one cut link, or with no arguments every cut and partition. */
  heal(a?: number, b?: number): void
  /** Cuts every pair of nodes in different groups; nodes in no group form one more group. */
  partition(groups: ReadonlyArray<readonly number[]>): void
  /** Crashes a node: its connections reset without BYE, its clients die with it. */
  kill(index: number): Promise<void>
  /** Starts a fresh node (new node key) in a killed node's slot, and restarts its clients. */
  restart(index: number): Promise<void>
  /** Adds a node to the running mesh; resolves with its index once started. */
  addNode(opts?: AddNodeOptions): Promise<number>
  /**
   * Makes the liar at `index` send `frame` to its peers, with a fresh timestamp and a valid link
   * MAC: a replayed or forged frame arriving from a node that completed the handshake.
   */
  inject(index: number, frame: Frame): void
  /** Routed frames the liar at `index` has dropped, and presence frames it re-advertised with metric 0. */
  liarStats(index: number): { dropped: number; lies: number }
  /** Sets (or clears, with undefined) the seeded frame faults. */
  setFaults(faults: FrameFaults | undefined): void
  /** Stops everything; also what `await using` calls. */
  stop(): Promise<void>
}
