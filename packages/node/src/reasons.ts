// The BYE reasons that travel on the wire (§6.5) and the local drop reasons counted by a node.

/** BYE reasons of §6.5. A receiver accepts any token; these are the ones this node sends. */
export const BYE_REASONS = [
  'shutdown',
  'version',
  'self',
  'duplicate',
  'busy',
  'address',
  'protocol',
  'bad_frame',
  'bad_signature',
  'clock',
  'handshake_timeout',
  'timeout',
  'line_too_long',
  'rate_limit',
  'abuse',
] as const

/** A BYE reason this node sends (§6.5). */
export type ByeReason = (typeof BYE_REASONS)[number]

/**
 * Why a frame was dropped; counted per reason in `stats().drops`. Reasons marked (benign) arise
 * in an honest mesh and do not count toward `BYE abuse` (§6.5).
 */
export type DropReason =
  | 'bad_frame' // does not decode (§14)
  | 'bad_hash' // MSGHASH does not match the hash input (§5.1)
  | 'bad_proof' // client proof does not verify (§5.3)
  | 'timestamp' // outside MAX_CLOCK_SKEW (§6.6)
  | 'rate_limit' // (benign) over the per-peer frame rate (§6.5, §12.2)
  | 'presence_rate' // (benign) over the new-presence rate (§8.4)
  | 'duplicate' // (benign) routed frame seen within DEDUPE_TTL (§9)
  | 'stale' // (benign) presence older than held (§8.1)
  | 'ttl' // (benign) routed frame with ttl 0 (§9)
  | 'no_route' // (benign) no route to the target (§9)
  | 'unexpected_response' // keepalive response that is not the latest outstanding (§7)
  | 'unsolicited' // NEIGHBORS_RESPONSE not asked for (§12.2)
  | 'bad_neighbor' // a NEIGHBORS_RESPONSE entry refused by the allow-list (§12.2)
  | 'backpressure' // (benign, local) the outgoing buffer of a link is full
  | 'client_table_full' // (benign, local) the client table is full of local clients
  | 'internal' // (benign: our bug, not the peer's fault) a bug while handling the frame; logged

const BENIGN: ReadonlySet<DropReason> = new Set<DropReason>([
  'rate_limit',
  'presence_rate',
  'duplicate',
  'stale',
  'ttl',
  'no_route',
  'backpressure',
  'client_table_full',
  'bad_neighbor',
  'internal',
])

/** Whether a drop counts toward a peer's `MAX_DROPS_PER_MINUTE` (§6.5). */
export function countsTowardAbuse(reason: DropReason): boolean {
  return !BENIGN.has(reason)
}
