import { METRIC_INFINITY } from '@chat6/wire'
import { afterEach, describe, expect, it } from 'vitest'
import { DEFAULT_LINK_METRIC } from '../src/constants.ts'
import type { Chat6Node } from '../src/index.ts'
import { checkNextHopAcyclic } from '../src/testing.ts'
import {
  createMesh,
  identity,
  type Mesh,
  rawUp,
  signedPresence,
  TestClient,
  wire,
} from './helpers.ts'

let mesh: Mesh | undefined
afterEach(async () => {
  await mesh?.stop()
  mesh = undefined
})

const hostOf = (n: Chat6Node) => n.listenAddress?.host as string
const setLatency = (m: Mesh, a: Chat6Node, b: Chat6Node, ms: number) => {
  for (const l of m.net.links(hostOf(a), hostOf(b))) l.setLatency(ms)
}
const acyclic = (m: Mesh, hash: Uint8Array) =>
  checkNextHopAcyclic(
    m.nodes.map((n) => ({ id: n.id, nextHop: () => n.nextHop(hash) })),
    'c',
  )
/** Runs the clock for `ms`, checking the next-hop graph for loops before every timer. */
const runChecked = async (m: Mesh, hash: Uint8Array, ms: number) => {
  let cycle: string[] | undefined
  await m.clock.runUntil(
    () => {
      cycle ??= acyclic(m, hash)
      return false
    },
    { maxMs: ms },
  )
  return cycle
}

describe('routing (§8.2)', () => {
  it('behavior: on a line the route goes hop by hop and metrics add up', async () => {
    mesh = await createMesh(3)
    const [a, b, c] = mesh.nodes as [Chat6Node, Chat6Node, Chat6Node]
    await wire(mesh, [
      [0, 1],
      [1, 2],
    ])
    setLatency(mesh, a, b, 1)
    setLatency(mesh, b, c, 2)
    await mesh.clock.advance(150_000) // fill the RTT windows
    const alice = new TestClient(a, 1)
    alice.online()
    await mesh.clock.advance(100)
    expect(c.nextHop(alice.hash)).toBe(b.id)
    expect(b.nextHop(alice.hash)).toBe(a.id)
    expect(b.routeTo(alice.hash)?.metric).toBe(2_000)
    expect(c.routeTo(alice.hash)?.metric).toBe(6_000)
  })

  it('behavior: poisoned reverse advertises INFINITY back to the next hop', async () => {
    mesh = await createMesh(1)
    const node = mesh.nodes[0] as Chat6Node
    const home = await rawUp(mesh, node)
    const other = await rawUp(mesh, node)
    const id = identity(1)
    home.send(signedPresence(id, { nonce: 5, metric: 0 }))
    await mesh.clock.advance(10)
    const toHome = home.frames().filter((f) => f.type === 'CLIENT_ONLINE')
    const toOther = other.frames().filter((f) => f.type === 'CLIENT_ONLINE')
    expect(toHome.map((f) => (f as { metric: number }).metric)).toEqual([METRIC_INFINITY])
    expect(toOther).toHaveLength(1)
    // the raw peer never answers keepalives: its link keeps DEFAULT_LINK_METRIC
    expect(toOther[0]).toMatchObject({ metric: DEFAULT_LINK_METRIC, ttl: 63 })
  })

  it('behavior: hysteresis keeps a route unless another is 10% better', async () => {
    mesh = await createMesh(4)
    const [a, b, c, d] = mesh.nodes as [Chat6Node, Chat6Node, Chat6Node, Chat6Node]
    await wire(mesh, [
      [0, 1],
      [0, 2],
      [1, 3],
      [2, 3],
    ])
    setLatency(mesh, a, b, 10)
    setLatency(mesh, b, d, 10)
    setLatency(mesh, a, c, 10)
    setLatency(mesh, c, d, 11)
    await mesh.clock.advance(150_100)
    const alice = new TestClient(a, 1)
    alice.online()
    await mesh.clock.advance(100)
    expect(d.nextHop(alice.hash)).toBe(b.id)
    // via C becomes 5% better: D stays on B
    setLatency(mesh, c, d, 9)
    setLatency(mesh, b, d, 10.5)
    await mesh.clock.advance(150_100)
    expect(d.routeTo(alice.hash)?.routes.find((r) => r.neighbor === c.id)?.metric).toBeLessThan(
      d.routeTo(alice.hash)?.metric as number,
    )
    expect(d.nextHop(alice.hash)).toBe(b.id)
    // via C becomes much better: D switches
    setLatency(mesh, b, d, 20)
    await mesh.clock.advance(150_100)
    expect(d.nextHop(alice.hash)).toBe(c.id)
  })

  it('behavior: link loss withdraws the route and traffic fails over (diamond)', async () => {
    mesh = await createMesh(4)
    const [a, b, c, d] = mesh.nodes as [Chat6Node, Chat6Node, Chat6Node, Chat6Node]
    await wire(mesh, [
      [0, 1],
      [0, 2],
      [1, 3],
      [2, 3],
    ])
    setLatency(mesh, a, c, 5)
    await mesh.clock.advance(150_100)
    const alice = new TestClient(a, 1)
    alice.online()
    await mesh.clock.advance(100)
    expect(d.nextHop(alice.hash)).toBe(b.id)
    for (const l of mesh.net.links(hostOf(a), hostOf(b))) l.reset()
    expect(await runChecked(mesh, alice.hash, 1_000)).toBeUndefined()
    expect(d.nextHop(alice.hash)).toBe(c.id)
    expect(b.nextHop(alice.hash)).toBe(d.id)
    expect(d.client(alice.hash)?.reachable).toBe(true)
  })

  it('behavior: a silent link failure is detected within KEEPALIVE_TIMEOUT and routed around (ring)', async () => {
    mesh = await createMesh(5)
    const n = mesh.nodes as Chat6Node[]
    await wire(mesh, [
      [0, 1],
      [1, 2],
      [2, 3],
      [3, 4],
      [4, 0],
    ])
    const alice = new TestClient(n[0] as Chat6Node, 1)
    alice.online()
    await mesh.clock.advance(100)
    expect(n[1]?.nextHop(alice.hash)).toBe(n[0]?.id)
    mesh.net.cut(hostOf(n[0] as Chat6Node), hostOf(n[1] as Chat6Node))
    expect(await runChecked(mesh, alice.hash, 31_000)).toBeUndefined()
    expect(n[1]?.nextHop(alice.hash)).toBe(n[2]?.id)
    expect(n[1]?.client(alice.hash)?.reachable).toBe(true)
    expect(n[2]?.nextHop(alice.hash)).toBe(n[3]?.id)
  })

  it('behavior: a client that leaves without OFFLINE becomes unreachable everywhere, without loops (ring)', async () => {
    mesh = await createMesh(6)
    await wire(mesh, [
      [0, 1],
      [1, 2],
      [2, 3],
      [3, 4],
      [4, 5],
      [5, 0],
      [1, 4],
    ])
    const alice = new TestClient(mesh.nodes[0] as Chat6Node, 1)
    alice.online()
    await mesh.clock.advance(100)
    expect(mesh.nodes.every((x) => x.client(alice.hash)?.reachable)).toBe(true)
    alice.attachment.detach()
    expect(await runChecked(mesh, alice.hash, 60_000)).toBeUndefined()
    expect(mesh.nodes.map((x) => x.client(alice.hash)?.reachable)).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
    ])
  })

  it('behavior: ROUTE_REQUEST ends starvation when only unfeasible routes are left', async () => {
    mesh = await createMesh(3)
    const [h, x, y] = mesh.nodes as [Chat6Node, Chat6Node, Chat6Node]
    await wire(mesh, [
      [0, 1],
      [0, 2],
      [2, 1],
    ])
    const alice = new TestClient(h, 1)
    alice.online()
    await mesh.clock.advance(100)
    expect(x.nextHop(alice.hash)).toBe(h.id)
    const viaY = x.routeTo(alice.hash)?.routes.find((r) => r.neighbor === y.id)
    expect(viaY?.feasible).toBe(false)
    const nonce = x.client(alice.hash)?.nonce as number
    const events: string[] = []
    x.on('client:unreachable', () => events.push('unreachable'))
    x.on('client:reachable', () => events.push('reachable'))
    for (const l of mesh.net.links(hostOf(h), hostOf(x))) l.reset()
    await mesh.clock.advance(2_000)
    expect(x.stats().framesOut.ROUTE_REQUEST).toBe(1)
    expect(events).toEqual(['unreachable', 'reachable'])
    expect(x.nextHop(alice.hash)).toBe(y.id)
    expect(x.client(alice.hash)?.nonce).toBeGreaterThan(nonce)
  })
})
