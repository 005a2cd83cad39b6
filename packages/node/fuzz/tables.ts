// Fuzz target: the presence and route tables (§8.1, §8.2, §8.4), model-based. fast-check commands
// drive the real RouteTable and ClientTable and a small reference model written from the spec:
// per client a nonce, per-neighbour routes whose metric is always `advertised + link metric`, a
// feasibility distance that only moves as §8.2 says, selection of the least feasible metric with
// 10 % hysteresis, poisoned reverse, starvation; and a presence table that evicts tombstones
// first, then the least recently updated remote client, never a local one. After every command
// the real tables must agree with the model.
import { METRIC_INFINITY as INF } from '@chat6/wire'
import fc from 'fast-check'
import { type ClientRecord, ClientTable } from '../src/client-table.ts'
import { isSignificantChange, LOCAL, RouteTable } from '../src/routes.ts'
import { runsFromEnv } from './runs.ts'

/** Cases per run of `pnpm fuzz` (CHAT6_FUZZ_RUNS overrides). */
export const numRuns = runsFromEnv()

const CLIENTS = ['c0', 'c1', 'c2'] as const
const NEIGHBORS = ['n0', 'n1', 'n2'] as const
const HOME_TTL = 64

// ---------------------------------------------------------------- the reference model

interface MRoute {
  nonce: number
  adv: number
  ttl: number
}
interface MEntry {
  nonce: number
  local: boolean
  routes: Map<string, MRoute>
  fd: { nonce: number; metric: number } | undefined
  selected: string | undefined
  announced: { nonce: number; metric: number; via: string | undefined } | undefined
}
interface MPresence {
  status: 'online' | 'offline'
  local: boolean
  reachable: boolean
  updatedAt: number
}

/** The model of both tables, and the real ones beside it. */
export interface World {
  lm: Map<string, number>
  entries: Map<string, MEntry>
  /** Presence records in least-recently-updated order. */
  presence: Map<string, MPresence>
  /** Tombstones in the order they became (or were last touched as) tombstones. */
  tombstones: string[]
  now: number
  max: number
}
export interface Real {
  routes: RouteTable
  table: ClientTable
  lm: Map<string, number>
}

const linkMetric = (w: { lm: Map<string, number> }, n: string) => w.lm.get(n) ?? 100_000

function metricOf(w: World, n: string, r: MRoute): number {
  return Math.min(INF, r.adv + linkMetric(w, n))
}
function feasible(nonce: number, adv: number, fd: MEntry['fd']): boolean {
  if (adv >= INF) return false
  return fd === undefined || nonce > fd.nonce || (nonce === fd.nonce && adv < fd.metric)
}
function usable(w: World, e: MEntry, n: string): boolean {
  const r = e.routes.get(n)
  return (
    r !== undefined &&
    r.nonce === e.nonce &&
    metricOf(w, n, r) < INF &&
    feasible(r.nonce, r.adv, e.fd)
  )
}
function entry(w: World, c: string): MEntry {
  let e = w.entries.get(c)
  if (e === undefined) {
    e = {
      nonce: -1,
      local: false,
      routes: new Map(),
      fd: undefined,
      selected: undefined,
      announced: undefined,
    }
    w.entries.set(c, e)
  }
  return e
}
function selection(w: World, c: string) {
  const e = w.entries.get(c)
  if (e === undefined) return { via: undefined, nonce: -1, metric: INF, ttl: 0 }
  if (e.local) return { via: LOCAL, nonce: e.nonce, metric: 0, ttl: HOME_TTL }
  const r = e.selected === undefined ? undefined : e.routes.get(e.selected)
  if (r === undefined || !usable(w, e, e.selected as string))
    return { via: undefined, nonce: e.nonce, metric: INF, ttl: 0 }
  return {
    via: e.selected,
    nonce: r.nonce,
    metric: metricOf(w, e.selected as string, r),
    ttl: r.ttl - 1,
  }
}

// ---------------------------------------------------------------- checks

class Mismatch extends Error {}
function eq(what: string, got: unknown, want: unknown): void {
  const g = JSON.stringify(got)
  const x = JSON.stringify(want)
  if (g !== x) throw new Mismatch(`${what}: got ${g}, model says ${x}`)
}

/** Everything observable about one client's routes agrees with the model. */
function agreeRoutes(w: World, r: Real, c: string): void {
  const e = w.entries.get(c)
  eq(`has(${c})`, r.routes.has(c), e !== undefined)
  eq(`nonce(${c})`, r.routes.nonce(c), e?.nonce ?? -1)
  eq(`fd(${c})`, r.routes.feasibilityDistance(c), e?.fd)
  const want = [...(e?.routes ?? new Map<string, MRoute>())].map(([n, x]) => ({
    neighbor: n,
    nonce: x.nonce,
    advertised: x.adv,
    metric: metricOf(w, n, x),
    ttl: x.ttl,
  }))
  const got = r.routes.routes(c).sort((a, b) => a.neighbor.localeCompare(b.neighbor))
  eq(
    `routes(${c})`,
    got,
    want.sort((a, b) => a.neighbor.localeCompare(b.neighbor)),
  )
  eq(`selection(${c})`, r.routes.selection(c), selection(w, c))
  eq(`isStarved(${c})`, r.routes.isStarved(c), starved(w, c))
  for (const x of [undefined, ...NEIGHBORS]) {
    checkCandidates(w, c, x, r.routes.forwardCandidates(c, x))
    checkLowest(w, c, x, r.routes.lowestFiniteRoute(c, x))
  }
}

function starved(w: World, c: string): boolean {
  const e = w.entries.get(c)
  if (e === undefined || e.local) return false
  let unfeasible = false
  for (const [n, r] of e.routes) {
    if (usable(w, e, n)) return false
    if (metricOf(w, n, r) < INF) unfeasible = true
  }
  return unfeasible
}

function checkCandidates(w: World, c: string, exclude: string | undefined, got: string[]): void {
  const e = w.entries.get(c)
  const sel = selection(w, c).via
  const want = new Set<string>()
  if (e !== undefined)
    for (const n of e.routes.keys()) if (n !== exclude && usable(w, e, n)) want.add(n)
  if (sel !== undefined && sel !== LOCAL && sel !== exclude) want.add(sel)
  eq(`forwardCandidates(${c}, ${exclude}) as a set`, [...got].sort(), [...want].sort())
  // the selected route first, then by metric (§9 path diversity)
  const rest = sel !== undefined && sel !== LOCAL && sel !== exclude ? got.slice(1) : got
  if (rest !== got && got[0] !== sel)
    throw new Mismatch(`forwardCandidates(${c}): ${got[0]} before the selected ${sel}`)
  for (let i = 1; i < rest.length; i++) {
    const m = (n: string) => metricOf(w, n, e?.routes.get(n) as MRoute)
    if (m(rest[i - 1] as string) > m(rest[i] as string))
      throw new Mismatch(`forwardCandidates(${c}) not by metric`)
  }
}

function checkLowest(
  w: World,
  c: string,
  exclude: string | undefined,
  got: string | undefined,
): void {
  const e = w.entries.get(c)
  let best = INF
  if (e !== undefined)
    for (const [n, r] of e.routes) if (n !== exclude) best = Math.min(best, metricOf(w, n, r))
  if (best >= INF) {
    eq(`lowestFiniteRoute(${c}, ${exclude})`, got, undefined)
    return
  }
  const r = got === undefined ? undefined : e?.routes.get(got)
  if (r === undefined || got === exclude || metricOf(w, got as string, r) !== best)
    throw new Mismatch(`lowestFiniteRoute(${c}, ${exclude}) = ${got}, lowest metric is ${best}`)
}

/** The presence table agrees with the model. */
function agreePresence(w: World, r: Real): void {
  eq('table.size', r.table.size, w.presence.size)
  eq(
    'table order',
    [...r.table.values()].map((x) => x.id),
    [...w.presence.keys()],
  )
  eq('tombstones', [...r.table.tombstoneIds()], w.tombstones)
  for (const [id, p] of w.presence) {
    const x = r.table.get(id) as ClientRecord
    eq(
      `record(${id})`,
      [x.status, x.local, x.reachable, x.updatedAt],
      [p.status, p.local, p.reachable, p.updatedAt],
    )
  }
  if (w.presence.size > w.max) throw new Mismatch(`table holds ${w.presence.size} > ${w.max}`)
}

function agreeAll(w: World, r: Real, only?: string): void {
  for (const c of CLIENTS) if (only === undefined || only === c) agreeRoutes(w, r, c)
  eq(
    'reachable()',
    [...r.routes.reachable()].sort(),
    CLIENTS.filter((c) => w.entries.has(c) && selection(w, c).metric < INF),
  )
  eq('routes.size', r.routes.size, w.entries.size)
}

// ---------------------------------------------------------------- commands

type Cmd = fc.Command<World, Real>
/** A route command about client `c` (or every client), checked against the model after it ran. */
const command = (name: string, run: (w: World, r: Real) => void, c?: string): Cmd => ({
  check: () => true,
  run: (w, r) => {
    run(w, r)
    agreeAll(w, r, c)
  },
  toString: () => name,
})
/** A presence-table command, checked against the model after it ran. */
const tableCommand = (name: string, run: (w: World, r: Real) => void): Cmd => ({
  check: () => true,
  run: (w, r) => {
    run(w, r)
    agreePresence(w, r)
  },
  toString: () => name,
})

const client = fc.constantFrom(...CLIENTS)
const neighbor = fc.constantFrom(...NEIGHBORS)
/** A nonce, mostly relative to what the model holds (so routes are often current). */
type NonceSpec = 'cur' | 'next' | number
const nonce: fc.Arbitrary<NonceSpec> = fc.oneof(
  { weight: 4, arbitrary: fc.constant('cur' as const) },
  { weight: 2, arbitrary: fc.constant('next' as const) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 5 }) },
)
const resolve = (w: World, c: string, spec: NonceSpec): number => {
  const held = w.entries.get(c)?.nonce ?? -1
  return spec === 'cur' ? Math.max(0, held) : spec === 'next' ? held + 1 : spec
}
const metric = fc.oneof(
  fc.constantFrom(0, 1, 99_999, 100_000, 110_000, INF - 1, INF),
  fc.integer({ min: 0, max: 400_000 }),
)

function doSetNonce(w: World, r: Real, c: string, n: number): void {
  r.routes.setNonce(c, n)
  const e = entry(w, c)
  if (n <= e.nonce) return
  e.nonce = n
  for (const [k, x] of [...e.routes]) if (x.nonce < n) e.routes.delete(k)
}
const setNonce = fc
  .tuple(client, nonce)
  .map(([c, spec]) =>
    command(`setNonce(${c}, ${spec})`, (w, r) => doSetNonce(w, r, c, resolve(w, c, spec)), c),
  )

function doUpdate(
  w: World,
  r: Real,
  c: string,
  n: string,
  s: number,
  adv: number,
  ttl: number,
): void {
  r.routes.update(c, n, { nonce: s, advertised: adv, ttl })
  const e = entry(w, c)
  if (s < e.nonce) return
  if (adv >= INF) e.routes.delete(n)
  else {
    const old = e.routes.get(n)
    if (old) Object.assign(old, { nonce: s, adv, ttl })
    else e.routes.set(n, { nonce: s, adv, ttl })
  }
}
const ttlArb = fc.oneof(fc.integer({ min: 1, max: 64 }), fc.constant(0))
const update = fc
  .tuple(client, neighbor, nonce, metric, ttlArb)
  .map(([c, n, spec, adv, ttl]) =>
    command(
      `update(${c}, ${n}, ${spec}, ${adv}, ${ttl})`,
      (w, r) => doUpdate(w, r, c, n, resolve(w, c, spec), adv, ttl),
      c,
    ),
  )

function doLinkChange(w: World, r: Real, n: string, m: number): void {
  w.lm.set(n, m)
  r.lm.set(n, m)
  const got = r.routes.linkMetricChanged(n).sort()
  eq(
    `linkMetricChanged(${n})`,
    got,
    CLIENTS.filter((c) => w.entries.get(c)?.routes.has(n)),
  )
}
const linkMetricArb = fc.oneof(fc.integer({ min: 1, max: 300_000 }), fc.constant(INF))
const linkChange = fc
  .tuple(neighbor, linkMetricArb)
  .map(([n, m]) => command(`linkMetric(${n}) = ${m}`, (w, r) => doLinkChange(w, r, n, m)))

const removeNeighbor = neighbor.map((n) =>
  command(`removeNeighbor(${n})`, (w, r) => {
    const got = r.routes.removeNeighbor(n).sort()
    eq(
      `removeNeighbor(${n})`,
      got,
      CLIENTS.filter((c) => w.entries.get(c)?.routes.has(n)),
    )
    for (const e of w.entries.values()) e.routes.delete(n)
  }),
)

const setLocal = fc.tuple(client, fc.boolean()).map(([c, l]) =>
  command(
    `setLocal(${c}, ${l})`,
    (w, r) => {
      r.routes.setLocal(c, l)
      entry(w, c).local = l
    },
    c,
  ),
)

const clearRoutes = client.map((c) =>
  command(
    `clearRoutes(${c})`,
    (w, r) => {
      r.routes.clearRoutes(c)
      const e = w.entries.get(c)
      if (e) {
        e.routes.clear()
        e.selected = undefined
      }
    },
    c,
  ),
)

const forget = client.map((c) =>
  command(
    `delete(${c})`,
    (w, r) => {
      r.routes.delete(c)
      w.entries.delete(c)
    },
    c,
  ),
)

/** Selection and the "advertise to all" decision (§8.2). */
function doEvaluate(w: World, r: Real, c: string): void {
  const got = r.routes.evaluate(c)
  const e = w.entries.get(c)
  if (e === undefined) {
    eq(`evaluate(${c})`, got, false)
    return
  }
  if (e.local) e.selected = LOCAL
  else {
    const usableNs = [...e.routes.keys()].filter((n) => usable(w, e, n))
    const m = (n: string) => metricOf(w, n, e.routes.get(n) as MRoute)
    const best = usableNs.length === 0 ? undefined : Math.min(...usableNs.map(m))
    const prev =
      e.selected !== undefined && e.selected !== LOCAL && usable(w, e, e.selected)
        ? e.selected
        : undefined
    const chosen = r.routes.selection(c).via
    if (best === undefined) {
      if (chosen !== undefined)
        throw new Mismatch(`evaluate(${c}) chose ${chosen} with no usable route`)
      e.selected = undefined
    } else {
      if (chosen === undefined || chosen === LOCAL || !usable(w, e, chosen))
        throw new Mismatch(`evaluate(${c}) chose ${chosen}, not a usable route`)
      // hysteresis: keep the current route unless another is at least 10 % better
      const keep = prev !== undefined && !(10 * best < 9 * m(prev))
      if (keep && chosen !== prev)
        throw new Mismatch(`evaluate(${c}) left ${prev} (${m(prev)}) for ${chosen} (best ${best})`)
      if (!keep && m(chosen) !== best)
        throw new Mismatch(`evaluate(${c}) chose metric ${m(chosen)}, best is ${best}`)
      // ties are the implementation's to break: adopt its choice
      e.selected = chosen
    }
  }
  const s = selection(w, c)
  const a = e.announced
  const significant =
    a === undefined
      ? s.metric < INF
      : s.nonce > a.nonce || s.via !== a.via || isSignificantChange(a.metric, s.metric)
  if (significant) e.announced = { nonce: s.nonce, metric: s.metric, via: s.via }
  eq(`evaluate(${c})`, got, significant)
}
const evaluate = client.map((c) => command(`evaluate(${c})`, (w, r) => doEvaluate(w, r, c), c))

/** What is advertised to one neighbour (poisoned reverse, retraction), and the FD it leaves (§8.2). */
function doAdvertise(w: World, r: Real, c: string, n: string): void {
  const got = r.routes.advertFor(c, n)
  const e = w.entries.get(c)
  let want: { nonce: number; metric: number; ttl: number } | undefined
  if (e !== undefined) {
    const s = selection(w, c)
    if (s.via === undefined) {
      let ttl = 0
      for (const x of e.routes.values()) ttl = Math.max(ttl, x.ttl - 1)
      want = { nonce: e.nonce, metric: INF, ttl: Math.max(1, ttl) }
    } else if (s.ttl >= 0) {
      want = { nonce: s.nonce, metric: s.via === n ? INF : s.metric, ttl: s.ttl }
    }
  }
  eq(`advertFor(${c}, ${n})`, got, want)
  if (got === undefined) return
  const before = e?.fd
  r.routes.noteSent(c, got.nonce, got.metric)
  if (e === undefined || got.metric >= INF) return
  if (e.fd === undefined || got.nonce > e.fd.nonce) e.fd = { nonce: got.nonce, metric: got.metric }
  else if (got.nonce === e.fd.nonce)
    e.fd = { nonce: got.nonce, metric: Math.min(e.fd.metric, got.metric) }
  // the FD never moves back: a newer nonce, or the same nonce and a metric no larger
  if (
    before &&
    e.fd &&
    (e.fd.nonce < before.nonce || (e.fd.nonce === before.nonce && e.fd.metric > before.metric))
  )
    throw new Mismatch('feasibility distance moved back')
}
const advertise = fc
  .tuple(client, neighbor)
  .map(([c, n]) => command(`advertise(${c} → ${n})`, (w, r) => doAdvertise(w, r, c, n), c))

/** What the node does with a newer or equal presence from a neighbour (§8.1): nonce, route, selection. */
const receive = fc.tuple(client, neighbor, nonce, metric, ttlArb).map(([c, n, spec, adv, ttl]) =>
  command(
    `receive(${c} from ${n}, ${spec}, ${adv}, ${ttl})`,
    (w, r) => {
      const s = resolve(w, c, spec)
      if (s < (w.entries.get(c)?.nonce ?? -1)) return
      doSetNonce(w, r, c, s)
      doUpdate(w, r, c, n, s, adv, ttl)
      doEvaluate(w, r, c)
    },
    c,
  ),
)

/** What the node does when a link's RTT moves (§7, §8.2): re-select, and advertise to all. */
const remeasure = fc.tuple(neighbor, linkMetricArb).map(([n, m]) =>
  command(`remeasure(${n}) = ${m}`, (w, r) => {
    doLinkChange(w, r, n, m)
    for (const c of CLIENTS) {
      doEvaluate(w, r, c)
      for (const x of NEIGHBORS) doAdvertise(w, r, c, x)
    }
  }),
)

/** What the node does when it advertises a client to every neighbour (§8.2). */
const broadcast = client.map((c) =>
  command(
    `broadcast(${c})`,
    (w, r) => {
      for (const n of NEIGHBORS) doAdvertise(w, r, c, n)
    },
    c,
  ),
)

// presence table (§8.1, §8.4)
const tick = fc.integer({ min: 0, max: 4_000_000 }).map((ms) =>
  tableCommand(`tick(${ms})`, (w) => {
    w.now += ms
  }),
)

const insert = fc
  .tuple(client, fc.constantFrom('online', 'offline') as fc.Arbitrary<'online' | 'offline'>)
  .map(([c, status]) =>
    tableCommand(`insert(${c}, ${status})`, (w, r) => {
      if (w.presence.has(c)) return
      const room = r.table.makeRoom()
      const evicted: string[] = []
      let ok = true
      while (w.presence.size >= w.max) {
        const v =
          w.tombstones.find((id) => !w.presence.get(id)?.local) ??
          [...w.presence].find(([, p]) => !p.local)?.[0]
        if (v === undefined) {
          ok = false
          break
        }
        w.presence.delete(v)
        w.tombstones = w.tombstones.filter((x) => x !== v)
        evicted.push(v)
      }
      eq(`makeRoom()`, room, { ok, evicted })
      if (!ok) return
      const rec: ClientRecord = {
        id: c,
        hash: new Uint8Array(32),
        clientkey: new Uint8Array(32),
        frame: undefined as unknown as ClientRecord['frame'],
        frameHash: new Uint8Array(32),
        frameHashKey: c,
        status,
        updatedAt: w.now,
        offlineFrom: undefined,
        reachable: false,
        local: false,
        lastRefreshAt: 0,
      }
      r.table.insert(rec)
      w.presence.set(c, { status, local: false, reachable: false, updatedAt: w.now })
      if (status === 'offline') w.tombstones.push(c)
    }),
  )

const touch = fc
  .tuple(
    client,
    fc.constantFrom('online', 'offline') as fc.Arbitrary<'online' | 'offline'>,
    fc.boolean(),
  )
  .map(([c, status, reachable]) =>
    tableCommand(`touch(${c}, ${status}, reachable=${reachable})`, (w, r) => {
      const rec = r.table.get(c)
      const p = w.presence.get(c)
      if (rec === undefined || p === undefined)
        return eq(`get(${c})`, rec === undefined, p === undefined)
      rec.status = status
      rec.reachable = reachable
      r.table.touch(rec, w.now)
      w.presence.delete(c)
      w.presence.set(c, { ...p, status, reachable, updatedAt: w.now })
      w.tombstones = w.tombstones.filter((x) => x !== c)
      if (status === 'offline') w.tombstones.push(c)
    }),
  )

const attach = fc.tuple(client, fc.boolean()).map(([c, local]) =>
  tableCommand(`local(${c}) = ${local}`, (w, r) => {
    const rec = r.table.get(c)
    const p = w.presence.get(c)
    if (rec === undefined || p === undefined) return
    rec.local = local
    p.local = local
  }),
)

const expire = fc.integer({ min: 1, max: 3_600_000 }).map((ttl) =>
  tableCommand(`expired(ttl ${ttl})`, (w, r) => {
    const got = r.table.expired(w.now, ttl)
    const want: string[] = []
    for (const [id, p] of w.presence) {
      if (w.now - p.updatedAt < ttl) break
      if (!p.local && (p.status === 'offline' || !p.reachable)) want.push(id)
    }
    eq(`expired(${ttl})`, got, want)
    for (const id of got) {
      r.table.delete(id)
      w.presence.delete(id)
      w.tombstones = w.tombstones.filter((x) => x !== id)
    }
  }),
)

const commands = [
  remeasure,
  receive,
  receive,
  receive,
  broadcast,
  broadcast,
  setNonce,
  update,
  update,
  update,
  linkChange,
  removeNeighbor,
  setLocal,
  clearRoutes,
  forget,
  evaluate,
  evaluate,
  advertise,
  advertise,
  tick,
  insert,
  insert,
  touch,
  attach,
  expire,
]

/** The model-based property of both tables. */
export const tablesProperty = fc.property(
  fc.integer({ min: 1, max: 4 }),
  fc.commands(commands, { maxCommands: 25 }),
  (max, cmds) => {
    const lm = new Map<string, number>()
    const real: Real = {
      lm,
      routes: new RouteTable({ linkMetric: (n) => lm.get(n) ?? 100_000, homeTtl: HOME_TTL }),
      table: new ClientTable(max),
    }
    const world: World = {
      lm: new Map(),
      entries: new Map(),
      presence: new Map(),
      tombstones: [],
      now: 0,
      max,
    }
    fc.modelRun(() => ({ model: world, real }), cmds)
    agreeAll(world, real)
    agreePresence(world, real)
  },
)
