// The Babel route table of §8.2 as pure logic: per-neighbour routes, feasibility distance,
// selection with hysteresis, advertisement decisions. No I/O, no clock: the node feeds it.
import { METRIC_INFINITY } from '@chat6/wire'

/** The neighbour id that stands for "attached to this node". */
export const LOCAL = '@local'

/** A route to a client through one neighbour. */
export interface Route {
  /** Neighbour id. */
  readonly neighbor: string
  /** Presence nonce the route was advertised with (Babel seqno). */
  nonce: number
  /** Metric the neighbour advertised, µs. */
  advertised: number
  /** `min(INFINITY, advertised + link metric)`, µs. */
  metric: number
  /** `ttl` of the presence that carried it. */
  ttl: number
}

/** What this node currently selects for a client. */
export interface Selection {
  /** Neighbour id, {@link LOCAL}, or undefined when unreachable. */
  via: string | undefined
  /** Presence nonce of the selected route. */
  nonce: number
  /** Metric of the selected route (INFINITY when unreachable). */
  metric: number
  /** `ttl` to put on advertisements of this route (received ttl − 1; home: DEFAULT_TTL). */
  ttl: number
}

/** The feasibility distance `(nonce, metric)` of §8.2. */
export interface FeasibilityDistance {
  nonce: number
  metric: number
}

/** Options of {@link RouteTable}. */
export interface RouteTableInit {
  /** The current link metric of a neighbour, µs. */
  linkMetric(neighbor: string): number
  /** ttl the home node puts on its advertisements (DEFAULT_TTL). */
  homeTtl: number
}

interface Entry {
  nonce: number
  local: boolean
  routes: Map<string, Route>
  fd: FeasibilityDistance | undefined
  selected: string | undefined
  // last decision to advertise to all, for the "significant change" rule
  announced: { nonce: number; metric: number; via: string | undefined } | undefined
}

const INF = METRIC_INFINITY

/** Whether a route advertised as `(nonce, advertised)` is feasible against `fd` (§8.2). */
export function isFeasible(
  nonce: number,
  advertised: number,
  fd: FeasibilityDistance | undefined,
): boolean {
  if (advertised >= INF) return false
  if (fd === undefined) return true
  return nonce > fd.nonce || (nonce === fd.nonce && advertised < fd.metric)
}

/** Whether a metric change from `a` to `b` is significant (> 10%, or to/from INFINITY, §8.2). */
export function isSignificantChange(a: number, b: number): boolean {
  if (a === b) return false
  if (a >= INF || b >= INF) return true
  return Math.abs(b - a) * 10 > a
}

/**
 * Per-client Babel state. Keys are client ids (any string, e.g. the base64 client hash).
 * @example
 * ```ts
 * const t = new RouteTable({ linkMetric: () => 1000, homeTtl: 64 })
 * t.setNonce('c', 5)
 * t.update('c', 'n1', { nonce: 5, advertised: 0, ttl: 64 })
 * t.evaluate('c') // true: first selection, advertise to all
 * t.selection('c') // { via: 'n1', metric: 1000, ... }
 * ```
 */
export class RouteTable {
  private readonly entries = new Map<string, Entry>()
  // neighbour → clients with a route through it, for link-metric changes and link loss
  private readonly byNeighbor = new Map<string, Set<string>>()

  constructor(private readonly init: RouteTableInit) {}

  private entry(client: string): Entry {
    let e = this.entries.get(client)
    if (e === undefined) {
      e = {
        nonce: -1,
        local: false,
        routes: new Map(),
        fd: undefined,
        selected: undefined,
        announced: undefined,
      }
      this.entries.set(client, e)
    }
    return e
  }

  /** Whether the table knows `client`. */
  has(client: string): boolean {
    return this.entries.has(client)
  }

  /** The presence nonce routes are held for (-1 if none). */
  nonce(client: string): number {
    return this.entries.get(client)?.nonce ?? -1
  }

  /**
   * Moves the client to a newer presence nonce: routes advertised with an older nonce can no
   * longer be selected and are forgotten (they are unfeasible once we advertise the new one).
   */
  setNonce(client: string, nonce: number): void {
    const e = this.entry(client)
    if (nonce <= e.nonce) return
    e.nonce = nonce
    for (const [n, r] of e.routes) {
      if (r.nonce < nonce) this.deleteRoute(client, e, n)
    }
  }

  /** Marks the client as attached here (selected with metric 0) or not. */
  setLocal(client: string, local: boolean): void {
    this.entry(client).local = local
  }

  /** Whether the client is attached here. */
  isLocal(client: string): boolean {
    return this.entries.get(client)?.local === true
  }

  /** Records neighbour `neighbor`'s advertisement; INFINITY removes its route. */
  update(
    client: string,
    neighbor: string,
    adv: { nonce: number; advertised: number; ttl: number },
  ): void {
    const e = this.entry(client)
    if (adv.nonce < e.nonce) return
    if (adv.advertised >= INF) {
      this.deleteRoute(client, e, neighbor)
      return
    }
    const metric = Math.min(INF, adv.advertised + this.init.linkMetric(neighbor))
    const r = e.routes.get(neighbor)
    if (r === undefined) {
      e.routes.set(neighbor, {
        neighbor,
        nonce: adv.nonce,
        advertised: adv.advertised,
        metric,
        ttl: adv.ttl,
      })
      let set = this.byNeighbor.get(neighbor)
      if (set === undefined) {
        set = new Set()
        this.byNeighbor.set(neighbor, set)
      }
      set.add(client)
    } else {
      r.nonce = adv.nonce
      r.advertised = adv.advertised
      r.metric = metric
      r.ttl = adv.ttl
    }
  }

  private deleteRoute(client: string, e: Entry, neighbor: string): void {
    if (!e.routes.delete(neighbor)) return
    const set = this.byNeighbor.get(neighbor)
    set?.delete(client)
    if (set !== undefined && set.size === 0) this.byNeighbor.delete(neighbor)
  }

  /** Recomputes the metrics of routes through `neighbor`; returns the clients affected. */
  linkMetricChanged(neighbor: string): string[] {
    const clients = [...(this.byNeighbor.get(neighbor) ?? [])]
    const lm = this.init.linkMetric(neighbor)
    for (const c of clients) {
      const r = this.entries.get(c)?.routes.get(neighbor)
      if (r !== undefined) r.metric = Math.min(INF, r.advertised + lm)
    }
    return clients
  }

  /** Drops every route through `neighbor` (link loss: they become INFINITY); returns the clients affected. */
  removeNeighbor(neighbor: string): string[] {
    const clients = [...(this.byNeighbor.get(neighbor) ?? [])]
    for (const c of clients) {
      const e = this.entries.get(c)
      if (e !== undefined) this.deleteRoute(c, e, neighbor)
    }
    this.byNeighbor.delete(neighbor)
    return clients
  }

  /** Drops every route of a client (offline), keeping nothing but its nonce and FD. */
  clearRoutes(client: string): void {
    const e = this.entries.get(client)
    if (e === undefined) return
    for (const n of [...e.routes.keys()]) this.deleteRoute(client, e, n)
    e.selected = undefined
  }

  /** Forgets a client entirely (eviction, expiry). */
  delete(client: string): void {
    this.clearRoutes(client)
    this.entries.delete(client)
  }

  /** The feasibility distance of a client. */
  feasibilityDistance(client: string): FeasibilityDistance | undefined {
    const fd = this.entries.get(client)?.fd
    return fd === undefined ? undefined : { ...fd }
  }

  /** All routes of a client (copies). */
  routes(client: string): Route[] {
    return [...(this.entries.get(client)?.routes.values() ?? [])].map((r) => ({ ...r }))
  }

  private usable(e: Entry, r: Route): boolean {
    return r.nonce === e.nonce && r.metric < INF && isFeasible(r.nonce, r.advertised, e.fd)
  }

  /**
   * Runs selection (§8.2, with 10% hysteresis) and decides whether the change since the last
   * decision is significant: nonce grew, next hop changed, metric changed by more than 10% or to
   * or from INFINITY. Returns true when the node should advertise to every neighbour.
   */
  evaluate(client: string): boolean {
    const e = this.entries.get(client)
    if (e === undefined) return false
    this.select(e)
    const s = this.selectionOf(e)
    const a = e.announced
    const significant =
      a === undefined
        ? s.metric < INF
        : s.nonce > a.nonce || s.via !== a.via || isSignificantChange(a.metric, s.metric)
    if (significant) e.announced = { nonce: s.nonce, metric: s.metric, via: s.via }
    return significant
  }

  private select(e: Entry): void {
    if (e.local) {
      e.selected = LOCAL
      return
    }
    let best: Route | undefined
    for (const r of e.routes.values()) {
      if (!this.usable(e, r)) continue
      if (best === undefined || r.metric < best.metric) best = r
    }
    const cur = e.selected === undefined ? undefined : e.routes.get(e.selected)
    if (cur !== undefined && this.usable(e, cur) && best !== undefined) {
      e.selected = 10 * best.metric < 9 * cur.metric ? best.neighbor : cur.neighbor
    } else {
      e.selected = best?.neighbor
    }
  }

  private selectionOf(e: Entry): Selection {
    if (e.local) return { via: LOCAL, nonce: e.nonce, metric: 0, ttl: this.init.homeTtl }
    const r = e.selected === undefined ? undefined : e.routes.get(e.selected)
    if (r === undefined || !this.usable(e, r))
      return { via: undefined, nonce: e.nonce, metric: INF, ttl: 0 }
    return { via: r.neighbor, nonce: r.nonce, metric: r.metric, ttl: r.ttl - 1 }
  }

  /** The current selection (as of the last {@link evaluate}). */
  selection(client: string): Selection {
    const e = this.entries.get(client)
    if (e === undefined) return { via: undefined, nonce: -1, metric: INF, ttl: 0 }
    return this.selectionOf(e)
  }

  /** Next hop toward a client: a neighbour id, {@link LOCAL}, or undefined. */
  nextHop(client: string): string | undefined {
    return this.selection(client).via
  }

  /**
   * What to advertise to `neighbor` now: the selected metric, or INFINITY to the selected next
   * hop (poisoned reverse). Undefined when the received ttl is spent (a presence with ttl 0 is not
   * advertised further). Call {@link noteSent} once it is sent.
   */
  advertFor(
    client: string,
    neighbor: string,
  ): { nonce: number; metric: number; ttl: number } | undefined {
    const e = this.entries.get(client)
    if (e === undefined) return undefined
    const s = this.selectionOf(e)
    if (s.via === undefined) {
      // retraction: keep the ttl of what was announced, at least 1 hop
      return { nonce: e.nonce, metric: INF, ttl: Math.max(1, this.lastTtl(e)) }
    }
    if (s.ttl < 0) return undefined
    return { nonce: s.nonce, metric: s.via === neighbor ? INF : s.metric, ttl: s.ttl }
  }

  private lastTtl(e: Entry): number {
    let ttl = 0
    for (const r of e.routes.values()) ttl = Math.max(ttl, r.ttl - 1)
    return ttl
  }

  /** Updates the feasibility distance after an advertisement `(nonce, metric)` was sent (§8.2). */
  noteSent(client: string, nonce: number, metric: number): void {
    const e = this.entries.get(client)
    if (e === undefined || metric >= INF) return
    if (e.fd === undefined || nonce > e.fd.nonce) e.fd = { nonce, metric }
    else if (nonce === e.fd.nonce) e.fd = { nonce, metric: Math.min(e.fd.metric, metric) }
  }

  /** No finite feasible route, but a finite unfeasible one: time for ROUTE_REQUEST (§8.2, §8.3). */
  isStarved(client: string): boolean {
    const e = this.entries.get(client)
    if (e === undefined || e.local) return false
    let unfeasible = false
    for (const r of e.routes.values()) {
      if (this.usable(e, r)) return false
      if (r.metric < INF) unfeasible = true
    }
    return unfeasible
  }

  /**
   * Routes for forwarding, without `exclude` (the neighbour a frame came from): the selected one
   * first, then the other feasible finite routes by metric, then (with `unfeasible`) the finite
   * unfeasible ones by metric. Retries rotate over them (path diversity, §9).
   */
  forwardCandidates(client: string, exclude?: string, unfeasible = false): string[] {
    const e = this.entries.get(client)
    if (e === undefined) return []
    const sel = this.selectionOf(e).via
    const feasible: Route[] = []
    const rest: Route[] = []
    for (const r of e.routes.values()) {
      if (r.neighbor === sel || r.neighbor === exclude || r.metric >= INF || r.nonce !== e.nonce)
        continue
      if (this.usable(e, r)) feasible.push(r)
      else if (unfeasible) rest.push(r)
    }
    feasible.sort((x, y) => x.metric - y.metric)
    rest.sort((x, y) => x.metric - y.metric)
    const out = [...feasible, ...rest].map((r) => r.neighbor)
    if (sel !== undefined && sel !== LOCAL && sel !== exclude) out.unshift(sel)
    return out
  }

  /** The lowest finite route through a neighbour other than `exclude`, feasible or not (§8.3 step 4). */
  lowestFiniteRoute(client: string, exclude?: string): string | undefined {
    const e = this.entries.get(client)
    if (e === undefined) return undefined
    let best: Route | undefined
    for (const r of e.routes.values()) {
      if (r.neighbor === exclude || r.metric >= INF) continue
      if (best === undefined || r.metric < best.metric) best = r
    }
    return best?.neighbor
  }

  /** Client ids with a finite selected route (including local ones). */
  *reachable(): IterableIterator<string> {
    for (const [c, e] of this.entries) {
      if (this.selectionOf(e).metric < INF) yield c
    }
  }

  /** Number of clients held. */
  get size(): number {
    return this.entries.size
  }
}

/** One node's view for {@link checkNextHopAcyclic}: its id and its next hop toward a client. */
export interface NextHopView {
  /** This node's id, as its neighbours name it. */
  id: string
  /**
   * The neighbour id of the next hop toward `client`, `'local'` when it is attached to this node
   * (as {@link Chat6Node.nextHop} returns), or undefined.
   */
  nextHop(client: string): string | undefined
}

/**
 * Mesh-wide invariant for the testkit: following next hops toward `client` from any node never
 * revisits a node. Returns the first cycle found (node ids), or undefined.
 * @example
 * ```ts
 * const cycle = checkNextHopAcyclic(nodes.map((n) => ({ id: n.id, nextHop: (c) => n.nextHopId(c) })), hash)
 * expect(cycle).toBeUndefined()
 * ```
 */
export function checkNextHopAcyclic(views: NextHopView[], client: string): string[] | undefined {
  const byId = new Map(views.map((v) => [v.id, v]))
  for (const start of views) {
    const path: string[] = []
    const seen = new Set<string>()
    let cur: NextHopView | undefined = start
    while (cur !== undefined) {
      if (seen.has(cur.id)) return [...path.slice(path.indexOf(cur.id)), cur.id]
      seen.add(cur.id)
      path.push(cur.id)
      const next = cur.nextHop(client)
      if (next === undefined || next === LOCAL) break
      cur = byId.get(next)
    }
  }
  return undefined
}
