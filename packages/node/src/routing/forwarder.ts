// Routed frames (§9): each MSGHASH forwarded at most once (the dedupe cache, also consulted
// before a line's MAC is checked), delivered to an attached target, or sent on toward it with
// ttl − 1 and path diversity across retries.
import { ROUTED_FRAME_TYPES } from '@chat6/wire'
import { b64 } from '../b64.ts'
import type { TimerId } from '../clock.ts'
import type { AttachedClient, Forwarder, ServiceComponents } from '../components.ts'
import { PATH_DIVERSITY_MAX } from '../constants.ts'
import { DedupeCache } from '../dedupe.ts'
import { rewriteHop } from '../hop.ts'
import type { CheckedLine, Link } from '../link.ts'
import type { OutgoingRoutedFrame, RoutedFrame } from '../types.ts'

/** Interval of dedupe expiry, ms (a local choice; §9 gives only the TTL). */
export const EXPIRY_INTERVAL = 60_000

/** The frame types this service forwards (ROUTE_REQUEST is the route-request service's). */
const FORWARDED = [
  'FRIEND_REQUEST',
  'FRIEND_CONFIRM',
  'MESSAGE_SEND',
  'MESSAGE_RECV',
  'MESSAGE_READ',
] as const satisfies ReadonlyArray<RoutedFrame['type']>

/** @internal */
export interface ForwarderInit {
  /** How long a MSGHASH is remembered, and how many at most (§9). */
  dedupeTtl: number
  dedupeMax: number
}

/** @internal */
export type ForwarderComponents = Pick<
  ServiceComponents,
  'clock' | 'log' | 'metrics' | 'registry' | 'connections' | 'table' | 'attachments'
>

/** @internal */
export function createForwarder(c: ForwarderComponents, init: ForwarderInit): Forwarder {
  const dedupe = new DedupeCache(init.dedupeTtl, init.dedupeMax)
  const delivered = c.metrics.counter('delivered')
  const forwarded = c.metrics.counter('forwarded')
  // retry counters per (origin, target, chatid, msgid) in two generations instead of LRU order:
  // O(1), and no Map iteration (see DedupeCache)
  let pathCounters = new Map<string, number>()
  let pathCountersOld = new Map<string, number>()
  let timer: TimerId | undefined

  /**
   * Path diversity (§9): the k-th frame of one (origin, target, chatid, msgid) takes the
   * (k mod R)-th of the R finite routes: the selected one, then the feasible ones, then the
   * unfeasible ones. The first try takes the selected route unless it leads back to the sender
   * or none is selected; an unfeasible route cannot loop a frame for long, as every node
   * forwards one MSGHASH at most once.
   */
  const pickNextHop = (
    id: string,
    f: RoutedFrame | OutgoingRoutedFrame,
    exclude: string | undefined,
  ): Link | undefined => {
    const cands = c.table.routes.forwardCandidates(id, exclude, true)
    if (cands.length === 0) return undefined
    let idx = 0
    if (cands.length > 1) {
      // retries of a message share (origin, target, chatid, msgid); those of a session offer or
      // answer share (clientkey, target), as each retry is a new frame with a new nonce (§10.4)
      const key =
        f.type === 'FRIEND_REQUEST' || f.type === 'FRIEND_CONFIRM'
          ? `${f.type}|${b64(f.clientkey)}|${id}`
          : `${f.type}|${b64(f.origin)}|${id}|${b64(f.chatid)}|${b64(f.msgid)}`
      const k = pathCounters.get(key) ?? pathCountersOld.get(key) ?? 0
      pathCounters.set(key, k + 1)
      if (pathCounters.size > PATH_DIVERSITY_MAX / 2) {
        pathCountersOld = pathCounters
        pathCounters = new Map()
      }
      idx = k % cands.length
    }
    return c.connections.link(cands[idx] as string)
  }

  const forwardLine = (next: Link, line: CheckedLine, ttl: number, type: string): void => {
    const si = rewriteHop(line.signingInput, Math.floor(c.clock.wallNow()), ttl)
    if (si === undefined) {
      c.metrics.drop(undefined, 'internal', type)
      return
    }
    if (next.sendSigningInput(si, type)) forwarded.value++
  }

  const deliver = (att: AttachedClient, f: RoutedFrame, hash: Uint8Array, from: string): void => {
    delivered.value++
    try {
      att.handler.onFrame(f, { hash, from })
    } catch (e) {
      c.log('error', 'client onFrame threw', { client: att.id, error: String(e) })
    }
  }

  const onRouted = (link: Link, f: RoutedFrame, line: CheckedLine): void => {
    dedupe.add(line.hashKey, c.clock.now())
    const id = b64(f.target_hash)
    const att = c.attachments.get(id)
    if (att !== undefined) {
      deliver(att, f, line.env.hash, link.id)
      return
    }
    if (f.ttl === 0) {
      c.metrics.drop(link, 'ttl', f.type)
      return
    }
    const next = pickNextHop(id, f, link.id)
    if (next === undefined) {
      c.metrics.drop(link, 'no_route', f.type)
      return
    }
    forwardLine(next, line, f.ttl - 1, f.type)
  }

  const expire = (): void => {
    timer = c.clock.setTimeout(expire, EXPIRY_INTERVAL)
    dedupe.expire(c.clock.now())
  }

  for (const type of FORWARDED) c.registry.handle(type, onRouted)

  return {
    seen: (type, hashKey) =>
      ROUTED_FRAME_TYPES.has(type as RoutedFrame['type']) && dedupe.has(hashKey, c.clock.now()),
    remember: (hashKey, now) => dedupe.add(hashKey, now),
    forwardLine,
    originate(f, h) {
      const hk = b64(h)
      const now = c.clock.now()
      if (dedupe.has(hk, now)) return { ok: false, reason: 'duplicate' }
      const id = b64(f.target_hash)
      const target = c.attachments.get(id)
      if (target !== undefined) {
        dedupe.add(hk, now)
        deliver(target, f, h, 'local')
        return { ok: true, hash: h, via: 'local' }
      }
      const next = pickNextHop(id, f, undefined)
      if (next === undefined) {
        c.metrics.bumpDrop('no_route')
        return { ok: false, reason: 'no_route' }
      }
      if (!next.send(f, h)) return { ok: false, reason: 'backpressure' }
      dedupe.add(hk, now)
      return { ok: true, hash: h, via: next.id }
    },
    start() {
      timer = c.clock.setTimeout(expire, EXPIRY_INTERVAL)
    },
    stop() {
      c.clock.clearTimeout(timer)
    },
  }
}
