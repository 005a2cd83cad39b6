// Which links a node keeps (§6.2, §6.3, §12.1): a second link to a node already linked, the peer
// count, and the per-source limits, which count peers per /64 and per /48, not per link.
import { prefixKey } from '../address.ts'
import type { ByeReason } from '../reasons.ts'

/** The facts of a link admission looks at. @internal */
export interface AdmissionLink {
  readonly role: 'I' | 'R'
  readonly remoteHost: string
  readonly peerNodeKey: Uint8Array | undefined
  /** Whether a line with a valid link MAC has arrived on it (§6.3). */
  readonly authenticated: boolean
}

/** @internal */
export interface AdmissionLimits {
  maxPeers: number
  maxPeersPer64: number
  maxPeersPer48: number
}

/** Byte order of two node keys, as unsigned big-endian numbers. */
function compareKeys(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number)
  return a.length - b.length
}

/**
 * Whether a link to a node we already have a link with replaces the existing one. On
 * simultaneous dials (ours outbound, the existing one inbound) both sides keep the link dialled
 * by the lower node key (§6.2), so they agree without a message. In every other case the link
 * already up wins, unless it has not shown a valid MAC: it may carry a replayed HELLO and must
 * not keep the real node out (§6.3).
 * @internal
 */
export function keepsNewLink(
  ownKey: Uint8Array,
  link: AdmissionLink,
  existing: Pick<AdmissionLink, 'role' | 'authenticated'>,
): boolean {
  const simultaneous = link.role === 'I' && existing.role === 'R'
  return simultaneous
    ? compareKeys(ownKey, link.peerNodeKey as Uint8Array) < 0
    : !existing.authenticated
}

/** Whether one more link from `host` fits the /64 and /48 limits (§12.1). @internal */
export function sourceRefusal(
  host: string,
  up: Iterable<Pick<AdmissionLink, 'remoteHost'>>,
  limits: Omit<AdmissionLimits, 'maxPeers'>,
): ByeReason | undefined {
  const p64 = prefixKey(host, 64)
  const p48 = prefixKey(host, 48)
  let n64 = 0
  let n48 = 0
  for (const l of up) {
    if (prefixKey(l.remoteHost, 48) !== p48) continue
    n48++
    if (prefixKey(l.remoteHost, 64) === p64) n64++
  }
  if (n64 >= limits.maxPeersPer64 || n48 >= limits.maxPeersPer48) return 'address'
  return undefined
}
