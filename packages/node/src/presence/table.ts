// The presence table (§8.1) and the routes it feeds (§8.2): applies presence from links and from
// attached clients in the order §8.1 verifies it, keeps tombstones and evicts (§8.4), re-runs
// route selection, reports `client:*` changes, and hands what must be advertised to the
// advertiser. Per link it keeps the new-key bucket (§8.4) and whether the peer relays (§12.2).

import { METRIC_INFINITY as INF } from '@chat6/wire'
import { b64 } from '../b64.ts'
import { type ClientRecord, ClientTable, type PresenceFrame } from '../client-table.ts'
import type { TimerId } from '../clock.ts'
import type { PresenceTable, ServiceComponents } from '../components.ts'
import type { EventSink } from '../events.ts'
import type { CheckedLine, Link } from '../link.ts'
import { LOCAL, RouteTable } from '../routes.ts'
import { TokenBucket } from '../token-bucket.ts'
import type { ClientInfo, PresenceChange, PresenceEvents } from '../types.ts'

/** Interval of tombstone expiry, ms (a local choice; §8.1 gives only the TTL). */
export const EXPIRY_INTERVAL = 60_000

type Bytes = Uint8Array<ArrayBuffer>

/** @internal */
export interface PresenceTableInit {
  /** How long tombstones and unreachable entries are kept (§8.1). */
  tombstoneTtl: number
  /** Client entries kept (§8.4). */
  maxClients: number
  /** New keys per second and burst one neighbour may introduce (§8.4). */
  newKeyRate: number
  newKeyBurst: number
  /** ttl of presence this node floods as home (§8.2). */
  defaultTtl: number
}

/** @internal */
export type PresenceTableComponents = Pick<
  ServiceComponents,
  | 'clock'
  | 'crypto'
  | 'log'
  | 'metrics'
  | 'registry'
  | 'connections'
  | 'advertiser'
  | 'routeRequests'
  | 'attachments'
> & { readonly events: EventSink<PresenceEvents> }

/** What the table keeps per link. */
interface LinkPresence {
  readonly newKeys: TokenBucket
  /** The first client announced online with a finite metric, until a second one shows (§12.2). */
  firstOnlineKey: string | undefined
  relays: boolean
}

/** @internal */
export function createPresenceTable(
  c: PresenceTableComponents,
  init: PresenceTableInit,
): PresenceTable {
  const records = new ClientTable(init.maxClients)
  const routes = new RouteTable({
    linkMetric: (n) => c.connections.link(n)?.metric ?? INF,
    homeTtl: init.defaultTtl,
  })
  const perLink = new Map<Link, LinkPresence>()
  let expiryTimer: TimerId | undefined

  const linkState = (link: Link): LinkPresence => {
    let s = perLink.get(link)
    if (s === undefined) {
      s = {
        newKeys: new TokenBucket(init.newKeyRate, init.newKeyBurst, c.clock.now()),
        firstOnlineKey: undefined,
        relays: false,
      }
      perLink.set(link, s)
    }
    return s
  }

  /** A client left the table: no route, no link holds it as advertised. */
  const forgetClient = (id: string): void => {
    routes.delete(id)
    c.advertiser.forget(id)
  }

  const makeRoom = (): boolean => {
    const room = records.makeRoom()
    for (const ev of room.evicted) forgetClient(ev)
    return room.ok
  }

  const info = (rec: ClientRecord): ClientInfo => {
    const sel = routes.selection(rec.id)
    const online = rec.frame.type !== 'CLIENT_OFFLINE'
    return {
      clientkey: rec.clientkey,
      hash: rec.hash,
      id: rec.id,
      nickname: rec.frame.type === 'CLIENT_OFFLINE' ? undefined : rec.frame.nickname,
      icon: rec.frame.type === 'CLIENT_OFFLINE' ? undefined : rec.frame.icon,
      nonce: rec.frame.nonce,
      status: rec.status,
      reachable: online && sel.metric < INF,
      local: rec.local,
      metric: online ? sel.metric : INF,
      nextHop: online ? (sel.via === LOCAL ? 'local' : sel.via) : undefined,
    }
  }

  /** Emits a `client:*` event and tells the attached clients that listen. */
  const report = (kind: PresenceChange['kind'], rec: ClientRecord): void => {
    const wanted = c.events.has(`client:${kind}`)
    const listeners = c.attachments.hasPresenceListeners()
    if (!wanted && !listeners) return
    const client = info(rec)
    c.events.emit(`client:${kind}`, client)
    if (listeners) c.attachments.notifyPresence({ kind, client })
  }

  const setReachable = (rec: ClientRecord, reachable: boolean): void => {
    if (rec.reachable === reachable) return
    rec.reachable = reachable
    if (!reachable) records.touch(rec, c.clock.now())
    report(reachable ? 'reachable' : 'unreachable', rec)
  }

  const reevaluate = (id: string, nonceGrew = false, announce?: 'online' | 'update'): void => {
    const rec = records.get(id)
    if (rec === undefined) return
    const significant = routes.evaluate(id)
    if (announce !== undefined) report(announce, rec)
    if (rec.status === 'offline') return
    const sel = routes.selection(id)
    if (significant || (nonceGrew && sel.metric < INF)) {
      for (const l of c.connections.links()) c.advertiser.enqueue(l, id)
    }
    setReachable(rec, sel.metric < INF)
    if (sel.metric >= INF && routes.isStarved(id)) c.routeRequests.requestRoute(rec)
  }

  const newRecord = (
    id: string,
    hash: Bytes,
    f: PresenceFrame,
    frameHash: Bytes,
    frameHashKey: string,
  ): ClientRecord => ({
    id,
    hash,
    clientkey: f.clientkey,
    frame: f,
    frameHash,
    frameHashKey,
    status: f.type === 'CLIENT_OFFLINE' ? 'offline' : 'online',
    updatedAt: c.clock.now(),
    offlineFrom: undefined,
    reachable: false,
    local: false,
    lastRefreshAt: Number.NEGATIVE_INFINITY,
  })

  const applyNewPresence = (rec: ClientRecord, f: PresenceFrame, from: string): void => {
    const prevStatus = rec.status
    const isNew = routes.nonce(rec.id) < 0 && !routes.isLocal(rec.id)
    routes.setNonce(rec.id, f.nonce)
    if (f.type === 'CLIENT_OFFLINE') {
      rec.status = 'offline'
      rec.offlineFrom = from === LOCAL ? undefined : from
      routes.setLocal(rec.id, false)
      routes.clearRoutes(rec.id)
      records.touch(rec, c.clock.now())
      routes.evaluate(rec.id)
      if (prevStatus === 'online' || isNew) report('offline', rec)
      setReachable(rec, false)
      // flooded to every neighbour but the one it came from (§8.1)
      if (from === LOCAL || f.ttl > 0)
        for (const l of c.connections.links()) if (l.id !== from) c.advertiser.enqueue(l, rec.id)
      return
    }
    rec.status = 'online'
    rec.offlineFrom = undefined
    records.touch(rec, c.clock.now())
    if (from === LOCAL) routes.setLocal(rec.id, true)
    else routes.update(rec.id, from, { nonce: f.nonce, advertised: f.metric, ttl: f.ttl })
    // selection first, so the event's ClientInfo shows the route the node now holds
    reevaluate(rec.id, true, prevStatus === 'offline' || isNew ? 'online' : 'update')
  }

  /** Presence from a link (§8.1): rate of new keys, nonce, proof (cached by MSGHASH), then apply. */
  const onPresence = (link: Link, f: PresenceFrame, line: CheckedLine): void => {
    const now = c.clock.now()
    const hash = c.crypto.sha256(f.clientkey)
    const id = b64(hash)
    const ls = linkState(link)
    let rec = records.get(id)
    if (rec === undefined && !ls.newKeys.take(now)) {
      c.metrics.drop(link, 'presence_rate', f.type)
      return
    }
    if (rec !== undefined && f.nonce < rec.frame.nonce) {
      c.metrics.drop(link, 'stale', f.type)
      return
    }
    if (rec === undefined || rec.frameHashKey !== line.hashKey) {
      if (!c.crypto.verifyProof(f)) {
        c.metrics.drop(link, 'bad_proof', f.type)
        return
      }
    }
    // relays for others (§12.2): presence of two keys with a finite metric (a poisoned reverse is not relaying)
    if (f.type !== 'CLIENT_OFFLINE' && f.metric < INF && !ls.relays) {
      if (ls.firstOnlineKey === undefined) ls.firstOnlineKey = id
      else if (ls.firstOnlineKey !== id) ls.relays = true
    }
    if (rec !== undefined && f.nonce === rec.frame.nonce) {
      // equal nonce: a route update only (§8.1)
      if (f.type === 'CLIENT_OFFLINE' || rec.status === 'offline') return
      routes.update(id, link.id, { nonce: f.nonce, advertised: f.metric, ttl: f.ttl })
      reevaluate(id)
      return
    }
    const kept = ownIcon(f)
    if (rec === undefined) {
      if (!makeRoom()) {
        c.metrics.drop(link, 'client_table_full', f.type)
        return
      }
      rec = newRecord(id, hash, kept, line.env.hash as Bytes, line.hashKey)
      records.insert(rec)
    } else {
      if (rec.local && rec.status === 'online') {
        c.log('warn', 'newer presence of a local client from a peer', { client: id, peer: link.id })
      }
      rec.frame = kept
      rec.frameHash = line.env.hash as Bytes
      rec.frameHashKey = line.hashKey
    }
    applyNewPresence(rec, kept, link.id)
  }

  const sendPresence = (link: Link, id: string): boolean => {
    const rec = records.get(id)
    if (rec === undefined) return false
    const f = rec.frame
    if (f.type === 'CLIENT_OFFLINE') {
      if (rec.offlineFrom === link.id) return false
      const ttl = rec.local ? init.defaultTtl : f.ttl - 1
      if (ttl < 0) return false
      link.send({ ...f, ttl }, rec.frameHash)
      return true
    }
    const adv = routes.advertFor(id, link.id)
    if (adv === undefined || adv.nonce !== f.nonce) return false
    link.send({ ...f, metric: adv.metric, ttl: adv.ttl }, rec.frameHash)
    routes.noteSent(id, adv.nonce, adv.metric)
    return true
  }

  const expire = (): void => {
    expiryTimer = c.clock.setTimeout(expire, EXPIRY_INTERVAL)
    for (const id of records.expired(c.clock.now(), init.tombstoneTtl)) {
      records.delete(id)
      forgetClient(id)
    }
  }

  c.registry.handle('CLIENT_ONLINE', onPresence)
  c.registry.handle('CLIENT_UPDATE', onPresence)
  c.registry.handle('CLIENT_OFFLINE', onPresence)
  c.registry.onLink({
    // a new neighbour gets every client we have a finite route to, and the tombstones (§8.2)
    up(link) {
      for (const id of routes.reachable()) c.advertiser.enqueue(link, id)
      for (const id of records.tombstoneIds()) c.advertiser.enqueue(link, id)
    },
    down(link) {
      perLink.delete(link)
      for (const id of routes.removeNeighbor(link.id)) reevaluate(id)
    },
    metric(link) {
      for (const id of routes.linkMetricChanged(link.id)) reevaluate(id)
    },
  })

  return {
    records,
    routes,
    applyNewPresence,
    newRecord,
    makeRoom,
    reevaluate,
    sendPresence,
    info,
    relays: (link) => perLink.get(link)?.relays ?? false,
    start() {
      expiryTimer = c.clock.setTimeout(expire, EXPIRY_INTERVAL)
    },
    stop() {
      c.clock.clearTimeout(expiryTimer)
    },
  }
}

/**
 * The presence frame as the table keeps it. @chat6/wire decodes values over 64 bytes into views of
 * shared 16 KiB slabs; a record may live for hours, so its icon gets bytes of its own rather than
 * pinning a slab. The other values of a presence frame are 64 bytes or less and already are.
 */
function ownIcon(f: PresenceFrame): PresenceFrame {
  return f.type !== 'CLIENT_OFFLINE' && f.icon !== undefined ? { ...f, icon: f.icon.slice() } : f
}
