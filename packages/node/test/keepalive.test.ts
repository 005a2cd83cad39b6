import { afterEach, describe, expect, it } from 'vitest'
import type { Chat6Node } from '../src/index.ts'
import { createMesh, type Mesh, rawUp } from './helpers.ts'

let mesh: Mesh | undefined
afterEach(async () => {
  await mesh?.stop()
  mesh = undefined
})

describe('keepalive and metric (§7)', () => {
  it('behavior: a keepalive request right after link up, then every 15 s', async () => {
    mesh = await createMesh(2)
    const [a, b] = mesh.nodes as [Chat6Node, Chat6Node]
    await mesh.connect(a, b)
    expect(a.stats().framesOut.KEEPALIVE_REQUEST).toBe(1)
    await mesh.clock.advance(14_999)
    expect(a.stats().framesOut.KEEPALIVE_REQUEST).toBe(1)
    await mesh.clock.advance(1)
    expect(a.stats().framesOut.KEEPALIVE_REQUEST).toBe(2)
    await mesh.clock.advance(45_000)
    expect(a.stats().framesOut.KEEPALIVE_REQUEST).toBe(5)
    expect(b.stats().framesOut.KEEPALIVE_RESPONSE).toBe(5)
    expect(a.peers()).toHaveLength(1)
  })

  it('behavior: BYE timeout after 30 s without a line', async () => {
    mesh = await createMesh(2)
    const [a, b] = mesh.nodes as [Chat6Node, Chat6Node]
    await mesh.connect(a, b)
    const reasons: string[] = []
    a.on('peer:disconnect', (e) => reasons.push(e.reason))
    const t0 = mesh.clock.now()
    mesh.net.cut(mesh.net.links()[0]?.a.host as string, mesh.net.links()[0]?.b.host as string)
    await mesh.clock.advance(29_000)
    expect(a.peers()).toHaveLength(1)
    await mesh.clock.runUntil(() => reasons.length > 0)
    expect(reasons).toEqual(['timeout'])
    expect(mesh.clock.now() - t0).toBe(30_000)
    expect(b.peers()).toHaveLength(0)
  })

  it('behavior: link metric is the mean of the last 10 RTTs in µs', async () => {
    mesh = await createMesh(2)
    const [a, b] = mesh.nodes as [Chat6Node, Chat6Node]
    await mesh.connect(a, b)
    // memory links deliver at once: an RTT of 0 makes the metric its floor of 1 µs
    expect(a.peers()[0]?.metric).toBe(1)
    const link = mesh.net.links()[0]
    link?.setLatency(5)
    await mesh.clock.advance(15_010)
    expect(a.peers()[0]?.rtts).toEqual([0, 10_000])
    expect(a.peers()[0]?.metric).toBe(5_000)
    await mesh.clock.advance(15_000 * 9)
    expect(a.peers()[0]?.rtts).toHaveLength(10)
    expect(a.peers()[0]?.metric).toBe(10_000)
    link?.setLatency(10)
    await mesh.clock.advance(15_010)
    expect(a.peers()[0]?.metric).toBe(11_000)
  })

  it('error: a response to no outstanding request is dropped', async () => {
    mesh = await createMesh(1)
    const node = mesh.nodes[0] as Chat6Node
    const p = await rawUp(mesh, node)
    p.send({ type: 'KEEPALIVE_RESPONSE', timestamp: 0, id: 0 })
    await mesh.clock.tick()
    p.send({ type: 'KEEPALIVE_RESPONSE', timestamp: 0, id: 0 })
    p.send({ type: 'KEEPALIVE_RESPONSE', timestamp: 0, id: 7 })
    await mesh.clock.tick()
    expect(node.stats().drops.unexpected_response).toBe(2)
    expect(node.peers()).toHaveLength(1)
  })

  it('behavior: a wall-clock jump neither fires nor stalls the keepalive', async () => {
    mesh = await createMesh(2, { maxClockSkew: Number.MAX_SAFE_INTEGER })
    const [a, b] = mesh.nodes as [Chat6Node, Chat6Node]
    await mesh.connect(a, b)
    mesh.clock.jumpWall(3_600_000)
    await mesh.clock.advance(14_000)
    expect(a.stats().framesOut.KEEPALIVE_REQUEST).toBe(1)
    await mesh.clock.advance(1_000)
    expect(a.stats().framesOut.KEEPALIVE_REQUEST).toBe(2)
  })

  it('error: frames with a timestamp outside MAX_CLOCK_SKEW are dropped', async () => {
    mesh = await createMesh(1)
    const node = mesh.nodes[0] as Chat6Node
    const p = await rawUp(mesh, node)
    p.send({ type: 'KEEPALIVE_REQUEST', timestamp: mesh.clock.wallNow() + 400_000, id: 0 })
    await mesh.clock.tick()
    expect(node.stats().drops.timestamp).toBe(1)
    expect(node.peers()).toHaveLength(1)
  })
})
