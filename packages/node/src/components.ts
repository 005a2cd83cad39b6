// What the services of a node are built from and what each offers the others: the node's
// components (transport, clock, …), its resolved config, and every service by its interface, in
// one bag the way js-libp2p hands `components` to each service. A service keeps the bag and reads
// a neighbour service at call time, so the order the node builds them in is free; each declares
// the part it uses as a `Pick` of this. The interfaces live here, apart from their
// implementations, so no service file imports another.
//
// A new service (a Kademlia DHT, say) is built the same way: `(components, init) => Service`. It
// registers handlers for its frame types and hears links come and go through `registry`, sends
// on a `Link` (`link.send(frame)`), finds or makes a link with `connections.linkTo(addr)` and
// `connections.dial(addr)`, and counts with `metrics.counter(name)`.
import type { FrameOf, FrameType } from '@chat6/wire'
import type { ClientRecord, ClientTable, PresenceFrame } from './client-table.ts'
import type { ResolvedConfig } from './config.ts'
import type { Emitter } from './events.ts'
import type { CheckedLine, Link } from './link.ts'
import type { NodeSigner } from './node-crypto.ts'
import type { DropReason } from './reasons.ts'
import type { RouteTable } from './routes.ts'
import type { Address } from './transport.ts'
import type {
  Attachment,
  Chat6Node,
  ClientHandler,
  ClientInfo,
  DialCandidate,
  NodeComponents,
  NodeEvents,
  PeerInfo,
  PresenceChange,
  RoutedFrame,
  SendResult,
} from './types.ts'

type Bytes = Uint8Array<ArrayBuffer>

/** Writes a log line and, when someone listens, a `log` event. @internal */
export type LogFn = (
  level: 'debug' | 'info' | 'warn' | 'error',
  msg: string,
  data?: Record<string, unknown>,
) => void

/** Who ended a link. @internal */
export type Initiator = 'local' | 'remote' | 'transport'

/** Everything a service may use. @internal */
export interface ServiceComponents extends NodeComponents {
  readonly config: ResolvedConfig
  readonly signer: NodeSigner
  /** The node's own events (`peer:*`, `client:*`, `drop`, `log`, …). */
  readonly events: Emitter<NodeEvents>
  readonly log: LogFn
  readonly registry: FrameRegistry
  readonly metrics: Metrics
  readonly connections: Connections
  readonly table: PresenceTable
  readonly advertiser: PresenceAdvertiser
  readonly routeRequests: RouteRequests
  readonly forwarder: Forwarder
  readonly discovery: Discovery
  readonly attachments: Attachments
  readonly views: Views
}

// ---------------------------------------------------------------- dispatch

/** Handles one checked frame of type `T` from `link`. @internal */
export type FrameHandler<T extends FrameType = FrameType> = (
  link: Link,
  frame: FrameOf<T>,
  line: CheckedLine,
) => void

/** What a service hears of links; each hook is optional. @internal */
export interface LinkListener {
  /** The handshake finished (§6.2); the link is in `connections.link(id)` now. */
  up?(link: Link): void
  /** A link that was up closed; per-link state kept for it is dropped here. */
  down?(link: Link, reason: string, initiator: Initiator): void
  /** Its metric changed (§7). */
  metric?(link: Link): void
}

/** Frame dispatch and link hooks (registry.ts). @internal */
export interface FrameRegistry {
  /** Registers the handler of a frame type; a type has one handler. */
  handle<T extends FrameType>(type: T, handler: FrameHandler<T>): void
  /** Adds a link listener; listeners run in the order they were added. */
  onLink(listener: LinkListener): void
  /** Runs the handler of a checked frame; a type nobody handles is dropped as `bad_frame`. */
  dispatch(link: Link, line: CheckedLine): void
  linkUp(link: Link): void
  linkDown(link: Link, reason: string, initiator: Initiator): void
  metricChanged(link: Link): void
}

// ---------------------------------------------------------------- connections

/** Listener, dials, handshakes, admission, the links up (connections/connection-manager.ts). @internal */
export interface Connections {
  readonly listenAddress: Address | undefined
  /** The link up to a peer, by peer id. */
  link(id: string): Link | undefined
  /** The links up. */
  links(): IterableIterator<Link>
  /** Links up. */
  readonly size: number
  readonly pendingHandshakes: number
  /** The link up to a node listening at `addr`, if any. */
  linkTo(addr: Address): Link | undefined
  /** Dials a node; resolves once the link is up (and `up` listeners ran). */
  dial(addr: Address): Promise<PeerInfo>
  /** Whether the address policy allows `host` (§12.1). */
  allowed(host: string): boolean
  /** Addresses learnt from a neighbour (§12.2): dialled while the node wants peers. */
  discovered(addrs: Address[]): void
  dialing(): DialCandidate[]
}

// ---------------------------------------------------------------- counters

/** Frames on one link, as PeerInfo reports them. @internal */
export interface LinkCounters {
  framesIn: number
  framesOut: number
}

/** A named counter a service adds. @internal */
export interface Counter {
  value: number
}

/** Counters of a node (services/metrics.ts). @internal */
export interface Metrics {
  /** One line in or out on `link`. */
  count(link: Link, dir: 'in' | 'out', type: string, bytes: number): void
  /** Counts a drop, emits `drop`, and charges the peer (§6.5). */
  drop(link: Link | undefined, reason: DropReason, type?: string): void
  /** Counts a drop that no peer is charged for. */
  bumpDrop(reason: string): void
  /** Counts a BYE sent (`local`) or received (`remote`). */
  bye(reason: string, initiator: Initiator): void
  /** Frames on a link so far. */
  link(link: Link): LinkCounters
  /** Forgets a closed link's counters. */
  linkClosed(link: Link): void
  /** A counter by name, created at 0 on first use. */
  counter(name: string): Counter
  readonly framesIn: Readonly<Record<string, number>>
  readonly framesOut: Readonly<Record<string, number>>
  readonly bytesIn: number
  readonly bytesOut: number
  readonly drops: Readonly<Record<string, number>>
  readonly byesOut: Readonly<Record<string, number>>
  readonly byesIn: Readonly<Record<string, number>>
}

// ---------------------------------------------------------------- presence

/** Outgoing presence, paced per link (presence/advertiser.ts). @internal */
export interface PresenceAdvertiser {
  /** Queues the client's current presence for `link` (a no-op unless the link is up). */
  enqueue(link: Link, id: string): void
  /** A client left the table: no link holds it as advertised or queued for update any more. */
  forget(id: string): void
  /** Presence frames waiting in the queues of every link. */
  queued(): number
  /** Drops the queues of a link that went down. */
  linkDown(link: Link): void
  stop(): void
}

/** The presence table and its routes (presence/table.ts). @internal */
export interface PresenceTable {
  readonly records: ClientTable
  readonly routes: RouteTable
  /** Applies presence from an attached client (`from` LOCAL) or a link (its id), nonce newer than held. */
  applyNewPresence(rec: ClientRecord, f: PresenceFrame, from: string): void
  /** A record for presence never held before. */
  newRecord(
    id: string,
    hash: Bytes,
    f: PresenceFrame,
    frameHash: Bytes,
    hashKey: string,
  ): ClientRecord
  /** Makes room for one record, forgetting the evicted; whether there is room. */
  makeRoom(): boolean
  /** Re-runs selection after a change; advertises and reports as §8.2 asks. */
  reevaluate(id: string, nonceGrew?: boolean, announce?: 'online' | 'update'): void
  /** Sends the client's current presence on `link`; whether a frame went out. */
  sendPresence(link: Link, id: string): boolean
  /** The client as the API shows it. */
  info(rec: ClientRecord): ClientInfo
  /** Whether the peer on `link` relays for others (§12.2). */
  relays(link: Link): boolean
  start(): void
  stop(): void
}

// ---------------------------------------------------------------- routing

/** ROUTE_REQUEST (routing/route-requests.ts). @internal */
export interface RouteRequests {
  /** Asks for newer presence of a client whose routes starve (§8.3). */
  requestRoute(rec: ClientRecord): void
  /** Asks an attached client for presence with a nonce of at least `minNonce`. */
  refreshLocal(att: AttachedClient, minNonce: number): void
  start(): void
  stop(): void
}

/** Routed frames (routing/forwarder.ts). @internal */
export interface Forwarder {
  /** Whether a routed frame with this MSGHASH was seen already (checked before its MAC, §9). */
  seen(type: string, hashKey: string): boolean
  /** Remembers a MSGHASH as seen. */
  remember(hashKey: string, now: number): void
  /** Sends a checked line on with a new ttl and timestamp (the MAC is the link's). */
  forwardLine(next: Link, line: CheckedLine, ttl: number, type: string): void
  /** Sends a frame an attached client originated (ttl and timestamp set, hash computed). */
  originate(f: RoutedFrame, hash: Uint8Array): SendResult
  start(): void
  stop(): void
}

/** Neighbour discovery (discovery/discovery.ts). @internal */
export interface Discovery {
  /** Asks a random neighbour when below the target (run by the connection manager's maintenance). */
  maintain(): void
}

// ---------------------------------------------------------------- clients and views

/** An attached client as the services see it. @internal */
export interface AttachedClient extends Attachment {
  readonly hash: Bytes
  readonly handler: ClientHandler
  readonly detached: boolean
}

/** Clients attached here (routing/attachments.ts). @internal */
export interface Attachments {
  attach(clientkey: Uint8Array, handler: ClientHandler): Attachment
  /** The attachment of a client id, if attached here. */
  get(id: string): AttachedClient | undefined
  readonly size: number
  hasPresenceListeners(): boolean
  /** Tells each attached client that listens; a throwing handler is logged. */
  notifyPresence(change: PresenceChange): void
}

/** The read-only views (services/views.ts): the node's own, and a link as PeerInfo. @internal */
export interface Views
  extends Pick<Chat6Node, 'peers' | 'clients' | 'client' | 'routeTo' | 'nextHop' | 'stats'> {
  peerInfo(l: Link): PeerInfo
}
