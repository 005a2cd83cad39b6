// Public types of @chat6/node: components in, options, the node's face, events out, and the
// client attachment API.
import type { FrameOf } from '@chat6/wire'
import type { AddressPolicy } from './address.ts'
import type { PresenceFrame } from './client-table.ts'
import type { Clock } from './clock.ts'
import type { CandidateSource } from './dialer.ts'
import type { DialErrorCode } from './errors.ts'
import type { TypedEvents } from './events.ts'
import type { KnownNodesStore } from './known-nodes.ts'
import type { Logger } from './logger.ts'
import type { NodeCrypto } from './node-crypto.ts'
import type { Random } from './random.ts'
import type { Address, Transport } from './transport.ts'

export type { PresenceFrame }

/** What a node is built from; each has a default, and tests pass stubs. */
export interface NodeComponents {
  /** How connections are made (default: TCP over IPv6). */
  transport: Transport
  /** Monotonic and wall time, timers (default: the system clock). */
  clock: Clock
  /** Jitter, backoff and peer choice (default: Math.random). */
  random: Random
  /** HELLO, link MACs, hashes, proofs (default: over @chat6/crypto's native backend). */
  crypto: NodeCrypto
  /** Structured logs (default: silent; every line is also a `log` event). */
  logger: Logger
  /** Last-known nodes (default: a JSON file in `dataDir`). */
  knownNodes: KnownNodesStore
}

/**
 * Options of a node. Every limit and timer defaults to the constant of docs/protocol.md named in
 * constants.ts; the overrides exist for tests, simulations and benchmarks.
 */
export interface NodeOptions extends AddressPolicy {
  /** Where to listen (default `[::]:7600`); `false` to accept no connections (HELLO port 0). */
  listen?: Address | false
  /** Addresses to dial at start, besides the shipped list, `CHAT6_BOOTSTRAP` and last-known nodes. */
  bootstrap?: Address[]
  /** Dial the shipped {@link BOOTSTRAP_NODES} (default true). */
  useShippedBootstrap?: boolean
  /** Read `CHAT6_BOOTSTRAP` from `process.env` (default true). */
  useEnvBootstrap?: boolean
  /** Directory of known-nodes.json when no `knownNodes` store is given (default `defaultDataDir()`); false: remember nothing. */
  dataDir?: string | false
  helloTimeout?: number
  maxPendingHandshakes?: number
  maxClockSkew?: number
  keepaliveInterval?: number
  keepaliveTimeout?: number
  rttWindow?: number
  defaultLinkMetric?: number
  defaultTtl?: number
  tombstoneTtl?: number
  maxClients?: number
  maxNewPresencePerSecond?: number
  maxNewPresenceBurst?: number
  /** Presence updates per second to a neighbour for clients already sent to it (§8.2). */
  presenceUpdatesPerSecond?: number
  presenceUpdateBurst?: number
  routeRequestMinInterval?: number
  dedupeTtl?: number
  dedupeMax?: number
  maxFramesPerSecond?: number
  maxFramesBurst?: number
  maxDropsPerMinute?: number
  neighborsMinInterval?: number
  targetPeers?: number
  maxPeers?: number
  maxPeersPer64?: number
  maxPeersPer48?: number
  backoffMin?: number
  backoffMax?: number
  maintainInterval?: number
  maxWriteBuffer?: number
}

/** Everything {@link createNode} takes: options plus optional components. */
export interface NodeInit extends NodeOptions, Partial<NodeComponents> {}

/** A connected peer node. */
export interface PeerInfo {
  /** base64 node key: the id used in `nextHop` and events. */
  id: string
  nodeKey: Uint8Array
  /** The peer's IP and its connection's port (ephemeral for inbound). */
  remote: Address
  /** The port the peer accepts connections on (0: none). */
  listenPort: number
  direction: 'inbound' | 'outbound'
  /** Link metric in µs (§7). */
  metric: number
  /** Last RTT samples, µs. */
  rtts: number[]
  /** Whether it relays for others (CLIENT_ONLINE for ≥ 2 keys, §12.2). */
  relays: boolean
  /** Monotonic ms when the link came up (uptime: `clock.now() - upAt`). */
  upAt: number
  /** Frames received on this link, its handshake included. */
  framesIn: number
  /** Frames sent on this link, its handshake included. */
  framesOut: number
}

/** A client as this node knows it (the presence table, §8.1). */
export interface ClientInfo {
  clientkey: Uint8Array
  /** SHA-256 of the client key. */
  hash: Uint8Array
  /** base64 of `hash`. */
  id: string
  /** Absent once offline. */
  nickname: string | undefined
  icon: Uint8Array | undefined
  nonce: number
  status: 'online' | 'offline'
  /** Online with a finite route. */
  reachable: boolean
  /** Attached to this node. */
  local: boolean
  /** Selected metric, µs (INFINITY when unreachable). */
  metric: number
  /** Peer id of the next hop, `'local'`, or undefined. */
  nextHop: string | undefined
}

/** The route toward a client (§8.2). */
export interface RouteInfo {
  nextHop: string | undefined
  metric: number
  nonce: number
  /** Feasibility distance. */
  fd: { nonce: number; metric: number } | undefined
  /** Every route held, per neighbour. */
  routes: Array<{
    neighbor: string
    nonce: number
    advertised: number
    metric: number
    feasible: boolean
  }>
}

/** Counters of a node. */
export interface NodeStats {
  framesIn: Record<string, number>
  framesOut: Record<string, number>
  bytesIn: number
  bytesOut: number
  /** Dropped frames per reason (see DropReason). */
  drops: Record<string, number>
  /** Links this node closed, by the reason of the BYE it sent (refused handshakes included, §6.5). */
  byesOut: Record<string, number>
  /** Links the peer closed, by the reason of the BYE it sent. */
  byesIn: Record<string, number>
  /** Frames delivered to attached clients. */
  delivered: number
  /** Routed frames forwarded to a peer. */
  forwarded: number
  peers: number
  pendingHandshakes: number
  clients: number
  clientsOnline: number
  clientsReachable: number
  attached: number
  /** Presence frames waiting in the pacing queues of every link (§8.2). */
  presenceQueued: number
}

/** An outbound dial that failed, as the `dial:failed` event reports it. */
export interface DialFailure {
  /** The address dialled (host in canonical form when it is an IPv6 address). */
  address: Address
  /** The code of the DialError the dial failed with. */
  code: DialErrorCode
  /** The message of that DialError. */
  message: string
  /**
   * `dial`: a call of {@link Chat6Node.dial}; otherwise the node's own dialling (§12.3), by where
   * it had the address from: `bootstrap`, `known` (last-known nodes) or `discovered` (NEIGHBORS).
   */
  source: 'dial' | CandidateSource
  /** Failures of this address in a row (always 1 for `dial`). */
  failures: number
  /**
   * Ms until the node may dial it again (it does if it still needs peers then); undefined when
   * it will not (`dial`, an address that is ourselves, a node stopping).
   */
  retryIn: number | undefined
  /**
   * Present (true) on the one failure after which the node forgets the address: one learnt from
   * a neighbour (`discovered`) that never brought a link up, after `MAX_DISCOVERED_FAILURES` (5)
   * failures in a row. Bootstrap and last-known addresses are never forgotten.
   */
  forgotten?: true
}

/** An address the node dials on its own to reach its target of peers (§12.3), as {@link Chat6Node.dialing} lists it. */
export interface DialCandidate {
  address: Address
  /** Where the node has it from. */
  source: CandidateSource
  /** Failed dials in a row (0 once a dial brought a link up). */
  failures: number
  /** Whether a link to it is up, or a dial of it is under way. */
  connected: boolean
  /**
   * Ms until its backoff ends and the node may dial it again (0: now, whenever the node wants
   * more peers); undefined when connected or when it is never dialled again (this node itself).
   */
  nextAttemptIn: number | undefined
  /** The code of the last failure, while it keeps failing. */
  lastError?: DialErrorCode
}

/** Events of a node. */
export interface NodeEvents extends ConnectionEvents, PresenceEvents, MetricsEvents {
  log: {
    level: 'debug' | 'info' | 'warn' | 'error'
    msg: string
    data: Record<string, unknown> | undefined
  }
}

/** Events of the links and dials (§6, §12.3). */
export interface ConnectionEvents {
  'peer:connect': PeerInfo
  'peer:disconnect': { peer: PeerInfo; reason: string; initiator: 'local' | 'remote' | 'transport' }
  /** An outbound dial failed: from `dial()`, bootstrap, last-known or discovered addresses. */
  'dial:failed': DialFailure
}

/** Events of the presence table (§8.1, §8.2). */
export interface PresenceEvents {
  'client:online': ClientInfo
  'client:update': ClientInfo
  'client:offline': ClientInfo
  'client:reachable': ClientInfo
  'client:unreachable': ClientInfo
}

/** Events of the counters: each counted drop (§6.5). */
export interface MetricsEvents {
  drop: { reason: string; peer: string | undefined; type: string | undefined }
}

/** A frame routed toward `target_hash` between clients (§9). */
export type RoutedFrame =
  | FrameOf<'FRIEND_REQUEST'>
  | FrameOf<'FRIEND_CONFIRM'>
  | FrameOf<'MESSAGE_SEND'>
  | FrameOf<'MESSAGE_RECV'>
  | FrameOf<'MESSAGE_READ'>

/** Frame `F` as a client hands it to its node: the node fills in `timestamp`, `ttl` and `metric`. */
export type OutgoingFrame<F> = F extends unknown
  ? Omit<F, 'timestamp' | 'ttl' | 'metric'> & { timestamp?: number; ttl?: number; metric?: number }
  : never

/** A routed frame as a client hands it to {@link Attachment.send}: `timestamp` and `ttl` are the node's. */
export type OutgoingRoutedFrame = OutgoingFrame<RoutedFrame>

/** A presence frame as a client hands it to {@link Attachment.announce}: `timestamp`, `metric`, `ttl` are the node's. */
export type OutgoingPresenceFrame = OutgoingFrame<PresenceFrame>

/** How a routed frame reached an attached client. */
export interface DeliveryInfo {
  /** MSGHASH of the frame (the same at every hop). */
  hash: Uint8Array
  /** Peer id it came from, or `'local'` from a client attached to this node. */
  from: string
}

/** A change in the presence table, as {@link ClientHandler.onPresence} reports it. */
export interface PresenceChange {
  kind: 'online' | 'update' | 'offline' | 'reachable' | 'unreachable'
  /** The client's state after the change. */
  client: ClientInfo
}

/** What a client gives the node when it attaches. */
export interface ClientHandler {
  /**
   * Any client's presence or reachability changed (the same as the node's `client:*` events).
   * Optional; must not throw (errors are logged).
   */
  onPresence?(change: PresenceChange): void
  /** A routed frame addressed to this client. Called synchronously; must not throw (errors are logged). */
  onFrame(frame: RoutedFrame, info: DeliveryInfo): void
  /**
   * Asked (at most once per second) when a ROUTE_REQUEST wants presence newer than the held one
   * (§8.3): resolve to a CLIENT_UPDATE signed with `nonce ≥ minNonce`. Optional: without it the
   * node cannot end route starvation toward this client.
   */
  refreshPresence?(minNonce: number): Promise<OutgoingPresenceFrame> | OutgoingPresenceFrame
}

/** Result of {@link Attachment.announce}. */
export type AnnounceResult =
  | { ok: true; hash: Uint8Array }
  | { ok: false; reason: 'detached' | 'wrong_client' | 'invalid' | 'bad_proof' | 'stale' }

/** Result of {@link Attachment.send}. */
export type SendResult =
  | { ok: true; hash: Uint8Array; via: string }
  | { ok: false; reason: 'detached' | 'invalid' | 'duplicate' | 'no_route' | 'backpressure' }

/** A client's handle on the node it is attached to. */
export interface Attachment {
  readonly clientkey: Uint8Array
  /** SHA-256 of the client key. */
  readonly hash: Uint8Array
  /** base64 of `hash`. */
  readonly id: string
  /**
   * Publishes the client's presence (CLIENT_ONLINE, CLIENT_UPDATE or CLIENT_OFFLINE), already
   * carrying its proof. The nonce must grow. The node sets metric 0 and ttl 64, and floods it.
   */
  announce(frame: OutgoingPresenceFrame): AnnounceResult
  /**
   * Sends a routed frame originated by this client. The node sets ttl 64 and the timestamp,
   * computes MSGHASH and the per-hop MACs, and delivers locally if the target is attached here.
   */
  send(frame: OutgoingRoutedFrame): SendResult
  /** What the node knows of a client, by hash (bytes or base64). */
  lookup(hash: Uint8Array | string): ClientInfo | undefined
  /**
   * Detaches. Announce CLIENT_OFFLINE first to leave cleanly; a client that just detaches is
   * retracted (unreachable) but stays online in others' tables until it expires.
   */
  detach(): void
}

/** A chat6 relay node. */
export interface Chat6Node extends TypedEvents<NodeEvents> {
  /** This run's Ed25519 node key (public). */
  readonly nodeKey: Uint8Array
  /** base64 node key: what peers use as this node's id. */
  readonly id: string
  /** Where it listens, once started (undefined when not listening). */
  readonly listenAddress: Address | undefined
  readonly status: 'idle' | 'started' | 'stopped'
  /** Listens, loads last-known nodes and starts dialling. */
  start(): Promise<void>
  /** Sends `BYE shutdown` to every peer, closes, and saves the last-known nodes. */
  stop(): Promise<void>
  /** Connects to a node; resolves once the link is up, rejects with a DialError. */
  dial(addr: Address): Promise<PeerInfo>
  peers(): PeerInfo[]
  /** The presence table. */
  clients(): ClientInfo[]
  /** One client, by hash (bytes or base64). */
  client(hash: Uint8Array | string): ClientInfo | undefined
  /** Route toward a client, by hash. */
  routeTo(hash: Uint8Array | string): RouteInfo | undefined
  /** Next hop toward a client (peer id, `'local'`, or undefined): for mesh-wide invariant checks. */
  nextHop(hash: Uint8Array | string): string | undefined
  stats(): NodeStats
  /** The addresses the node dials on its own (bootstrap, last-known, discovered) and their state. */
  dialing(): DialCandidate[]
  /** Attaches a client; several may attach to one node. */
  attach(clientkey: Uint8Array, handler: ClientHandler): Attachment
}
