import { METRIC_INFINITY } from '@chat6/wire'
import { describe, expect, it } from 'vitest'
import {
  checkNextHopAcyclic,
  isFeasible,
  isSignificantChange,
  LOCAL,
  RouteTable,
} from '../src/routes.ts'

const INF = METRIC_INFINITY
const table = (metrics: Record<string, number> = {}) =>
  new RouteTable({ linkMetric: (n) => metrics[n] ?? 1000, homeTtl: 64 })

describe('routes', () => {
  it('behavior: selects the feasible route of least metric', () => {
    const t = table({ a: 1000, b: 500 })
    t.setNonce('c', 1)
    t.update('c', 'a', { nonce: 1, advertised: 100, ttl: 64 })
    t.update('c', 'b', { nonce: 1, advertised: 300, ttl: 63 })
    expect(t.evaluate('c')).toBe(true)
    expect(t.selection('c')).toEqual({ via: 'b', nonce: 1, metric: 800, ttl: 62 })
  })

  it('behavior: hysteresis keeps the current route unless another is 10% better', () => {
    const t = table({ a: 1000, b: 950 })
    t.setNonce('c', 1)
    t.update('c', 'a', { nonce: 1, advertised: 0, ttl: 64 })
    t.evaluate('c')
    t.update('c', 'b', { nonce: 1, advertised: 0, ttl: 64 }) // 950: only 5% better
    expect(t.evaluate('c')).toBe(false)
    expect(t.nextHop('c')).toBe('a')
  })

  it('behavior: switches when another route is more than 10% better', () => {
    const m = { a: 1000, b: 1000 }
    const t = table(m)
    t.setNonce('c', 1)
    t.update('c', 'a', { nonce: 1, advertised: 0, ttl: 64 })
    t.update('c', 'b', { nonce: 1, advertised: 0, ttl: 64 })
    t.evaluate('c')
    expect(t.nextHop('c')).toBe('a')
    m.a = 2000
    t.linkMetricChanged('a')
    expect(t.evaluate('c')).toBe(true)
    expect(t.nextHop('c')).toBe('b')
  })

  it('behavior: feasibility refuses a route not better than what was advertised', () => {
    const t = table({ a: 10, b: 10 })
    t.setNonce('c', 1)
    t.update('c', 'a', { nonce: 1, advertised: 100, ttl: 64 })
    t.evaluate('c')
    t.noteSent('c', 1, 110)
    expect(t.feasibilityDistance('c')).toEqual({ nonce: 1, metric: 110 })
    t.removeNeighbor('a')
    t.update('c', 'b', { nonce: 1, advertised: 200, ttl: 64 }) // 200 ≥ FD 110: could be via us
    t.evaluate('c')
    expect(t.nextHop('c')).toBeUndefined()
    expect(t.isStarved('c')).toBe(true)
    // a newer nonce makes it feasible again (ROUTE_REQUEST answered)
    t.setNonce('c', 2)
    t.update('c', 'b', { nonce: 2, advertised: 200, ttl: 64 })
    expect(t.evaluate('c')).toBe(true)
    expect(t.nextHop('c')).toBe('b')
    expect(t.isStarved('c')).toBe(false)
  })

  it('behavior: poisoned reverse advertises INFINITY to the next hop', () => {
    const t = table()
    t.setNonce('c', 1)
    t.update('c', 'a', { nonce: 1, advertised: 0, ttl: 64 })
    t.evaluate('c')
    expect(t.advertFor('c', 'a')).toEqual({ nonce: 1, metric: INF, ttl: 63 })
    expect(t.advertFor('c', 'b')).toEqual({ nonce: 1, metric: 1000, ttl: 63 })
  })

  it('behavior: a presence received with ttl 0 is not advertised further', () => {
    const t = table()
    t.setNonce('c', 1)
    t.update('c', 'a', { nonce: 1, advertised: 0, ttl: 0 })
    t.evaluate('c')
    expect(t.nextHop('c')).toBe('a')
    expect(t.advertFor('c', 'b')).toBeUndefined()
  })

  it('behavior: link loss retracts once', () => {
    const t = table()
    t.setNonce('c', 1)
    t.update('c', 'a', { nonce: 1, advertised: 0, ttl: 64 })
    expect(t.evaluate('c')).toBe(true)
    expect(t.removeNeighbor('a')).toEqual(['c'])
    expect(t.evaluate('c')).toBe(true)
    expect(t.selection('c').metric).toBe(INF)
    expect(t.advertFor('c', 'b')?.metric).toBe(INF)
    expect(t.evaluate('c')).toBe(false)
  })

  it('behavior: a newer nonce forgets older routes and the local route always wins', () => {
    const t = table()
    t.setNonce('c', 1)
    t.update('c', 'a', { nonce: 1, advertised: 0, ttl: 64 })
    t.setNonce('c', 2)
    expect(t.routes('c')).toEqual([])
    t.setLocal('c', true)
    t.evaluate('c')
    expect(t.selection('c')).toEqual({ via: LOCAL, nonce: 2, metric: 0, ttl: 64 })
  })

  it('behavior: forward candidates put the selected route first and skip the source', () => {
    const t = table({ a: 100, b: 300, d: 200 })
    t.setNonce('c', 1)
    for (const n of ['a', 'b', 'd']) t.update('c', n, { nonce: 1, advertised: 0, ttl: 64 })
    t.evaluate('c')
    expect(t.forwardCandidates('c')).toEqual(['a', 'd', 'b'])
    expect(t.forwardCandidates('c', 'a')).toEqual(['d', 'b'])
  })

  it('behavior: helpers', () => {
    expect(isFeasible(1, INF, undefined)).toBe(false)
    expect(isFeasible(1, 5, { nonce: 1, metric: 5 })).toBe(false)
    expect(isFeasible(2, 50, { nonce: 1, metric: 5 })).toBe(true)
    expect(isSignificantChange(100, 111)).toBe(true)
    expect(isSignificantChange(100, 110)).toBe(false)
    expect(isSignificantChange(100, INF)).toBe(true)
  })

  it('behavior: checkNextHopAcyclic finds a cycle', () => {
    const hops: Record<string, string | undefined> = { x: 'y', y: 'z', z: 'x' }
    const views = Object.keys(hops).map((id) => ({ id, nextHop: () => hops[id] }))
    expect(checkNextHopAcyclic(views, 'c')).toEqual(['x', 'y', 'z', 'x'])
    hops.z = LOCAL
    expect(checkNextHopAcyclic(views, 'c')).toBeUndefined()
  })
})
