// ROUTE_REQUEST (§8.3): asks the neighbour with the lowest finite route for newer presence when
// route selection starves, answers with held presence newer than asked for, asks an attached
// client to refresh its own, and forwards the rest toward the target once per MSGHASH.
import { type FrameOf, hashInput, METRIC_INFINITY as INF } from '@chat6/wire'
import { b64 } from '../b64.ts'
import type { ClientRecord } from '../client-table.ts'
import type { TimerId } from '../clock.ts'
import type { AttachedClient, RouteRequests, ServiceComponents } from '../components.ts'
import type { CheckedLine, Link } from '../link.ts'

/** Interval at which our own old requests are forgotten, ms (a local choice). */
export const CLEANUP_INTERVAL = 60_000

/** @internal */
export interface RouteRequestsInit {
  /** Least interval between two requests of ours for one (client, nonce), and between refreshes asked of one local client (§8.3). */
  minInterval: number
  /** ttl of requests we originate (§8.3). */
  defaultTtl: number
  /** How long our own requests are remembered (the MSGHASH lifetime, §9). */
  rememberFor: number
}

/** @internal */
export type RouteRequestsComponents = Pick<
  ServiceComponents,
  | 'clock'
  | 'crypto'
  | 'log'
  | 'metrics'
  | 'registry'
  | 'connections'
  | 'table'
  | 'forwarder'
  | 'advertiser'
  | 'attachments'
>

/** @internal */
export function createRouteRequests(
  c: RouteRequestsComponents,
  init: RouteRequestsInit,
): RouteRequests {
  /** `${client}|${nonce}` → monotonic ms we last asked. */
  const own = new Map<string, number>()
  let timer: TimerId | undefined

  const requestRoute = (rec: ClientRecord): void => {
    const now = c.clock.now()
    const key = `${rec.id}|${rec.frame.nonce}`
    const last = own.get(key)
    if (last !== undefined && now - last < init.minInterval) return
    const via = c.table.routes.lowestFiniteRoute(rec.id)
    const link = via === undefined ? undefined : c.connections.link(via)
    if (link === undefined) return
    own.set(key, now)
    const frame: FrameOf<'ROUTE_REQUEST'> = {
      type: 'ROUTE_REQUEST',
      timestamp: 0,
      target_hash: rec.hash,
      nonce: rec.frame.nonce,
      ttl: init.defaultTtl,
    }
    const hash = c.crypto.sha256(hashInput(frame))
    c.forwarder.remember(b64(hash), now)
    c.log('debug', 'route request', { client: rec.id, nonce: rec.frame.nonce, via })
    link.send(frame, hash)
  }

  const refreshLocal = (att: AttachedClient, minNonce: number): void => {
    const rec = c.table.records.get(att.id)
    const now = c.clock.now()
    if (rec === undefined || rec.status !== 'online' || att.handler.refreshPresence === undefined)
      return
    if (now - rec.lastRefreshAt < init.minInterval) return
    rec.lastRefreshAt = now
    Promise.resolve()
      .then(() => att.handler.refreshPresence?.(minNonce))
      .then((frame) => {
        if (frame === undefined || att.detached) return
        const r = att.announce(frame)
        if (!r.ok) c.log('warn', 'refreshed presence refused', { client: att.id, reason: r.reason })
      })
      .catch((e: unknown) =>
        c.log('warn', 'refreshPresence failed', { client: att.id, error: String(e) }),
      )
  }

  const onRouteRequest = (link: Link, f: FrameOf<'ROUTE_REQUEST'>, line: CheckedLine): void => {
    c.forwarder.remember(line.hashKey, c.clock.now())
    const id = b64(f.target_hash)
    const rec = c.table.records.get(id)
    const att = c.attachments.get(id)
    if (att !== undefined) {
      if (rec !== undefined && rec.frame.nonce > f.nonce && rec.status === 'online') {
        c.advertiser.enqueue(link, id)
        return
      }
      refreshLocal(att, f.nonce + 1)
      return
    }
    if (
      rec !== undefined &&
      rec.status === 'online' &&
      rec.frame.nonce > f.nonce &&
      c.table.routes.selection(id).metric < INF
    ) {
      c.advertiser.enqueue(link, id)
      return
    }
    if (f.ttl === 0) {
      c.metrics.drop(link, 'ttl', f.type)
      return
    }
    const via = c.table.routes.lowestFiniteRoute(id, link.id)
    const next = via === undefined ? undefined : c.connections.link(via)
    if (next === undefined) {
      c.metrics.drop(link, 'no_route', f.type)
      return
    }
    c.forwarder.forwardLine(next, line, f.ttl - 1, f.type)
  }

  const cleanup = (): void => {
    timer = c.clock.setTimeout(cleanup, CLEANUP_INTERVAL)
    const now = c.clock.now()
    for (const [k, at] of own) if (now - at > init.rememberFor) own.delete(k)
  }

  c.registry.handle('ROUTE_REQUEST', onRouteRequest)

  return {
    requestRoute,
    refreshLocal,
    start() {
      timer = c.clock.setTimeout(cleanup, CLEANUP_INTERVAL)
    },
    stop() {
      c.clock.clearTimeout(timer)
    },
  }
}
