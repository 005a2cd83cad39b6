// Protocol constants of the relay, each beside the section of docs/protocol.md that defines it,
// and DEFAULTS: the tunable ones by option name, which NodeInit overrides. The wire-level
// constants (PROTOCOL_VERSION, MAX_LINE_BYTES, METRIC_INFINITY, DEFAULT_TTL, …) live in
// @chat6/wire and are imported from there.
import { DEFAULT_TTL } from '@chat6/wire'

/** Default TCP port a node listens on (§6.1). */
export const DEFAULT_PORT = 7600
/** Time from connect for the handshake to finish, ms (§6.2). */
export const HELLO_TIMEOUT = 10_000
/** Connections held that have not finished the handshake (§6.2). */
export const MAX_PENDING_HANDSHAKES = 64
/** Largest accepted difference between a frame's timestamp and our wall clock, ms (§6.6). */
export const MAX_CLOCK_SKEW = 300_000
/** Interval between keepalive requests on a link, ms (§7). */
export const KEEPALIVE_INTERVAL = 15_000
/** Silence after which a link is closed with `BYE timeout`, ms (§7). */
export const KEEPALIVE_TIMEOUT = 30_000
/** RTT samples averaged into the link metric (§7). */
export const RTT_WINDOW = 10
/** Link metric before the first RTT sample, µs (§7). */
export const DEFAULT_LINK_METRIC = 100_000
/** How long an OFFLINE tombstone (and an unreachable remote entry) is kept, ms (§8.1). */
export const TOMBSTONE_TTL = 3_600_000
/** Client entries a node keeps (§8.4). */
export const MAX_CLIENTS = 100_000
/** New client keys a neighbour may introduce per second (§8.4). */
export const MAX_NEW_PRESENCE_PER_SECOND = 50
/** Burst of new client keys per neighbour (§8.4). */
export const MAX_NEW_PRESENCE_BURST = 500
/**
 * Presence frames per second a node sends a neighbour for clients it has already sent presence
 * for on that link, which are not new keys to it (§8.2 pacing); a quarter of
 * `MAX_FRAMES_PER_SECOND`, so routed frames keep the rest.
 */
export const PRESENCE_UPDATES_PER_SECOND = 500
/** Burst of those presence updates per neighbour (§8.2). */
export const PRESENCE_UPDATE_BURST = 1_000
/** Minimum interval between presence refreshes asked of one local client, ms (§8.3). */
export const ROUTE_REQUEST_MIN_INTERVAL = 1_000
/** How long a routed frame's MSGHASH is remembered, ms (§9). */
export const DEDUPE_TTL = 600_000
/** MSGHASHes remembered at most (§9). */
export const DEDUPE_MAX = 65_536
/** Frames per second accepted from one peer (§6.5). */
export const MAX_FRAMES_PER_SECOND = 2_000
/** Burst of frames accepted from one peer (§6.5). */
export const MAX_FRAMES_BURST = 4_000
/** Counted drops per minute after which a peer earns `BYE abuse` (§6.5). */
export const MAX_DROPS_PER_MINUTE = 100
/** Minimum interval between NEIGHBORS_REQUEST on one link, ms (§12.2). */
export const NEIGHBORS_MIN_INTERVAL = 10_000
/** Links a node dials until it has them (§12.3). */
export const TARGET_PEERS = 8
/** Links a node holds at most, inbound included (§12.3). */
export const MAX_PEERS = 32
/** Peers accepted from one /64 (§12.1). */
export const MAX_PEERS_PER_64 = 4
/** Peers accepted from one /48 (§12.1). */
export const MAX_PEERS_PER_48 = 8
/** First retry delay of a failed bootstrap address, ms (§12.3). */
export const BACKOFF_MIN = 1_000
/** Largest retry delay of a failed bootstrap address, ms (§12.3). */
export const BACKOFF_MAX = 300_000
/** Interval of the peer-count maintenance (dialling, NEIGHBORS_REQUEST), ms (§12.3). */
export const MAINTAIN_INTERVAL = 30_000
/** Rate-limited lines per second past which a peer earns `BYE rate_limit`, as a multiple of its rate (§6.5). */
export const RATE_LIMIT_BYE_FACTOR = 10
/** Bytes queued on one connection past which frames to it are dropped (`backpressure`), a local limit. */
export const MAX_WRITE_BUFFER = 16 * 1024 * 1024
/** Routed-frame retry counters kept for path diversity (§9). */
export const PATH_DIVERSITY_MAX = 65_536

/**
 * The default of every tunable option of `createNode`, by option name; each is the constant of
 * docs/protocol.md named beside it (times in ms, metrics in µs). An option left undefined takes
 * the value here.
 * @example
 * ```ts
 * import { createNode, DEFAULTS } from '@chat6/node'
 *
 * // a test mesh that notices a dead link four times sooner than the protocol's 30 s
 * const node = createNode({ keepaliveTimeout: DEFAULTS.keepaliveTimeout / 4 })
 * ```
 */
export const DEFAULTS = Object.freeze({
  /** TCP port a node listens on (§6.1). */
  port: DEFAULT_PORT,
  /** Handshake deadline from connect (§6.2). */
  helloTimeout: HELLO_TIMEOUT,
  /** Connections held before their handshake finished (§6.2). */
  maxPendingHandshakes: MAX_PENDING_HANDSHAKES,
  /** Largest accepted timestamp skew (§6.6). */
  maxClockSkew: MAX_CLOCK_SKEW,
  /** Interval of keepalive requests (§7). */
  keepaliveInterval: KEEPALIVE_INTERVAL,
  /** Silence that ends a link with `BYE timeout` (§7). */
  keepaliveTimeout: KEEPALIVE_TIMEOUT,
  /** RTT samples in the link metric (§7). */
  rttWindow: RTT_WINDOW,
  /** Link metric before the first RTT sample, µs (§7). */
  defaultLinkMetric: DEFAULT_LINK_METRIC,
  /** Hop limit of frames this node originates or floods as home (§8.2, §9). */
  defaultTtl: DEFAULT_TTL,
  /** How long tombstones and unreachable entries are kept (§8.1). */
  tombstoneTtl: TOMBSTONE_TTL,
  /** Client entries kept (§8.4). */
  maxClients: MAX_CLIENTS,
  /** New client keys a neighbour may introduce per second (§8.4). */
  maxNewPresencePerSecond: MAX_NEW_PRESENCE_PER_SECOND,
  /** Burst of those new keys (§8.4). */
  maxNewPresenceBurst: MAX_NEW_PRESENCE_BURST,
  /** Presence updates per second sent a neighbour for clients it already has (§8.2). */
  presenceUpdatesPerSecond: PRESENCE_UPDATES_PER_SECOND,
  /** Burst of those updates (§8.2). */
  presenceUpdateBurst: PRESENCE_UPDATE_BURST,
  /** Least interval between refreshes asked of one local client (§8.3). */
  routeRequestMinInterval: ROUTE_REQUEST_MIN_INTERVAL,
  /** How long a routed MSGHASH is remembered (§9). */
  dedupeTtl: DEDUPE_TTL,
  /** MSGHASHes remembered at most (§9). */
  dedupeMax: DEDUPE_MAX,
  /** Frames per second accepted from one peer (§6.5). */
  maxFramesPerSecond: MAX_FRAMES_PER_SECOND,
  /** Burst of frames from one peer (§6.5). */
  maxFramesBurst: MAX_FRAMES_BURST,
  /** Counted drops per minute that earn `BYE abuse` (§6.5). */
  maxDropsPerMinute: MAX_DROPS_PER_MINUTE,
  /** Least interval between NEIGHBORS_REQUESTs on one link (§12.2). */
  neighborsMinInterval: NEIGHBORS_MIN_INTERVAL,
  /** Links dialled for (§12.3). */
  targetPeers: TARGET_PEERS,
  /** Links held at most (§12.3). */
  maxPeers: MAX_PEERS,
  /** Peers from one /64 (§12.1). */
  maxPeersPer64: MAX_PEERS_PER_64,
  /** Peers from one /48 (§12.1). */
  maxPeersPer48: MAX_PEERS_PER_48,
  /** First redial delay (§12.3). */
  backoffMin: BACKOFF_MIN,
  /** Largest redial delay (§12.3). */
  backoffMax: BACKOFF_MAX,
  /** Interval of the peer-count maintenance (§12.3). */
  maintainInterval: MAINTAIN_INTERVAL,
  /** Bytes queued on one connection before frames to it are dropped (a local limit). */
  maxWriteBuffer: MAX_WRITE_BUFFER,
})
