import type { FrameOf } from '@chat6/wire'
import { afterEach, describe, expect, it } from 'vitest'
import {
  type Address,
  type Chat6Node,
  createMemoryKnownNodesStore,
  type Transport,
} from '../src/index.ts'
import { createMesh, type Mesh, RawPeer, rawUp, TestClient } from './helpers.ts'

let mesh: Mesh | undefined
afterEach(async () => {
  await mesh?.stop()
  mesh = undefined
})

type Resp = FrameOf<'NEIGHBORS_RESPONSE'>

describe('NEIGHBORS_REQUEST and NEIGHBORS_RESPONSE (§12.2)', () => {
  it('behavior: only neighbours that relay for others and accept connections are disclosed', async () => {
    mesh = await createMesh(3)
    const [center, relay, single] = mesh.nodes as [Chat6Node, Chat6Node, Chat6Node]
    await mesh.connect(relay, center)
    await mesh.connect(single, center)
    new TestClient(relay, 1).online()
    new TestClient(relay, 2).online()
    new TestClient(single, 3).online()
    // a peer that relays but listens nowhere (HELLO port 0)
    const noPort = await rawUp(mesh, center)
    const { identity, signedPresence } = await import('./helpers.ts')
    noPort.send(signedPresence(identity(10), { nonce: 1 }))
    noPort.send(signedPresence(identity(11), { nonce: 1 }))
    await mesh.settle()
    const asker = await rawUp(mesh, center)
    asker.send({ type: 'NEIGHBORS_REQUEST', timestamp: 0 })
    await mesh.settle()
    const resp = asker.frames().find((f) => f.type === 'NEIGHBORS_RESPONSE') as Resp
    expect(resp.neighbor).toEqual([{ ip: relay.listenAddress?.host, port: 7600 }])
    expect(center.peers().find((p) => p.id === relay.id)?.relays).toBe(true)
    expect(center.peers().find((p) => p.id === single.id)?.relays).toBe(false)
  })

  it('error: a second request within NEIGHBORS_MIN_INTERVAL is dropped', async () => {
    mesh = await createMesh(1)
    const node = mesh.nodes[0] as Chat6Node
    const p = await rawUp(mesh, node)
    p.send({ type: 'NEIGHBORS_REQUEST', timestamp: 0 })
    p.send({ type: 'NEIGHBORS_REQUEST', timestamp: 0 })
    await mesh.settle()
    expect(node.stats().drops.rate_limit).toBe(1)
    await mesh.clock.advance(10_000)
    p.send({ type: 'NEIGHBORS_REQUEST', timestamp: 0 })
    await mesh.settle()
    expect(p.frames().filter((f) => f.type === 'NEIGHBORS_RESPONSE')).toHaveLength(2)
  })

  it('error: an unsolicited response is dropped; refused entries are counted as bad_neighbor', async () => {
    mesh = await createMesh(1)
    const node = mesh.nodes[0] as Chat6Node
    const p = await rawUp(mesh, node)
    // the node asked on link up, as it is below TARGET_PEERS
    expect(p.frames().filter((f) => f.type === 'NEIGHBORS_REQUEST')).toHaveLength(1)
    const neighbor = [
      { ip: 'fd00::1', port: 7600 },
      { ip: '::1', port: 7600 },
      { ip: '2001:db8:77::1', port: 7600 },
    ]
    p.send({ type: 'NEIGHBORS_RESPONSE', timestamp: 0, neighbor })
    p.send({ type: 'NEIGHBORS_RESPONSE', timestamp: 0, neighbor })
    await mesh.settle()
    expect(node.stats().drops.bad_neighbor).toBe(2)
    expect(node.stats().drops.unsolicited).toBe(1)
  })

  it('behavior: a node dials the neighbours it discovers, up to TARGET_PEERS', async () => {
    mesh = await createMesh(4)
    const [hub, r1, r2, lone] = mesh.nodes as [Chat6Node, Chat6Node, Chat6Node, Chat6Node]
    await mesh.connect(r1, hub)
    await mesh.connect(r2, hub)
    await mesh.connect(lone, hub)
    for (const [n, s] of [
      [r1, 1],
      [r1, 2],
      [r2, 3],
      [r2, 4],
      [lone, 5],
    ] as const) {
      new TestClient(n, s).online()
    }
    await mesh.settle()
    const newcomer = await mesh.add({ targetPeers: 2, bootstrap: [hub.listenAddress as Address] })
    await mesh.clock.advance(5_000)
    const ids = newcomer.peers().map((p) => p.id)
    expect(ids).toContain(hub.id)
    expect(ids).toHaveLength(2)
    expect(ids.includes(r1.id) || ids.includes(r2.id)).toBe(true)
    expect(ids).not.toContain(lone.id)
  })
})

describe('bootstrap and last-known nodes (§12.3)', () => {
  it('behavior: a dead bootstrap node does not stop joining, and is retried with backoff and jitter', async () => {
    mesh = await createMesh(1)
    const live = mesh.nodes[0] as Chat6Node
    const dead = { host: '2001:db8:dead::1', port: 7600 }
    const tried: number[] = []
    const inner = mesh.net.transport()
    const transport: Transport = {
      listen: (a, f) => inner.listen(a, f),
      dial: (a, o) => {
        if (a.host === dead.host) tried.push(mesh?.clock.now() as number)
        return inner.dial(a, o)
      },
    }
    const node = await mesh.add({
      transport,
      listen: { host: inner.host, port: 7600 },
      bootstrap: [dead, live.listenAddress as Address],
    })
    await mesh.clock.advance(100)
    expect(node.peers().map((p) => p.id)).toEqual([live.id])
    await mesh.clock.advance(120_000)
    const gaps = tried.slice(1).map((t, i) => t - (tried[i] as number))
    expect(gaps.length).toBeGreaterThanOrEqual(5)
    gaps.slice(0, 5).forEach((g, i) => {
      const base = 1000 * 2 ** i
      expect(g).toBeGreaterThanOrEqual(base / 2)
      expect(g).toBeLessThanOrEqual(base)
    })
  })

  it('behavior: stop saves the neighbours that accept connections; the next start dials them', async () => {
    mesh = await createMesh(2)
    const [a, b] = mesh.nodes as [Chat6Node, Chat6Node]
    const store = createMemoryKnownNodesStore()
    const c = await mesh.add({ knownNodes: store })
    await mesh.connect(c, a)
    await mesh.connect(b, c)
    await c.stop()
    await mesh.settle()
    expect(store.nodes).toEqual(
      expect.arrayContaining([a.listenAddress as Address, b.listenAddress as Address]),
    )
    const d = await mesh.add({ knownNodes: store })
    await mesh.clock.advance(100)
    expect(
      d
        .peers()
        .map((p) => p.id)
        .sort(),
    ).toEqual([a.id, b.id].sort())
  })
})

describe('last-known nodes when isolated (§12.3)', () => {
  it('behavior: a node stopped without neighbours keeps the nodes it knew', async () => {
    mesh = await createMesh(0)
    const known = { host: '2001:db8:aaaa::1', port: 7600 }
    const store = createMemoryKnownNodesStore([known])
    const node = await mesh.add({ knownNodes: store })
    await mesh.clock.advance(1_000)
    expect(node.peers()).toHaveLength(0)
    await node.stop()
    expect(store.nodes).toEqual([known])
  })
})

describe('address allow-list (§12.1)', () => {
  it('error: dialling IPv4, mapped, loopback, link-local, multicast, ULA is refused by default', async () => {
    mesh = await createMesh(1)
    const node = mesh.nodes[0] as Chat6Node
    for (const host of [
      '192.0.2.1',
      '::ffff:192.0.2.1',
      '::1',
      'fe80::1',
      'ff02::1',
      'fd00::1',
      '::',
      'not-an-ip',
    ]) {
      await expect(node.dial({ host, port: 7600 })).rejects.toMatchObject({
        name: 'DialError',
        code: 'address',
      })
    }
  })

  it('behavior: loopback and ULA are allowed when configured', async () => {
    mesh = await createMesh(0)
    const ula = await mesh.add({ allowUla: true })
    const lo = await mesh.add({ allowLoopback: true })
    const target = await mesh.add({ allowUla: true, allowLoopback: true })
    void ula
    void lo
    const p = await RawPeer.dial(mesh, target, 'fd12:3456::1')
    p.sendHello()
    await mesh.settle()
    expect(p.byeReason()).toBeUndefined()
    const q = await RawPeer.dial(mesh, target, '::1')
    q.sendHello()
    await mesh.settle()
    expect(q.byeReason()).toBeUndefined()
    expect(target.peers()).toHaveLength(2)
  })

  it('error: BYE address for a peer from a scope not allowed', async () => {
    mesh = await createMesh(1)
    const node = mesh.nodes[0] as Chat6Node
    for (const host of ['fd00::1', '::1', 'fe80::2']) {
      const p = await RawPeer.dial(mesh, node, host)
      p.sendHello()
      await mesh.settle()
      expect(p.byeReason()).toBe('address')
    }
    // IPv4-mapped remotes are closed at accept, before any HELLO
    const m = await RawPeer.dial(mesh, node, '::ffff:192.0.2.7')
    await mesh.settle()
    expect(m.closed).toBe(true)
    expect(node.peers()).toHaveLength(0)
  })

  it('error: at most MAX_PEERS_PER_64 peers from one /64 and MAX_PEERS_PER_48 from one /48', async () => {
    mesh = await createMesh(1)
    const node = mesh.nodes[0] as Chat6Node
    const reasons: Array<string | undefined> = []
    for (let i = 1; i <= 5; i++) {
      const p = await RawPeer.dial(mesh, node, `2001:db8:99:1::${i}`)
      p.sendHello()
      await mesh.settle()
      reasons.push(p.byeReason())
    }
    expect(reasons).toEqual([undefined, undefined, undefined, undefined, 'address'])
    for (let i = 2; i <= 6; i++) {
      const p = await RawPeer.dial(mesh, node, `2001:db8:99:${i}::1`)
      p.sendHello()
      await mesh.settle()
      reasons.push(p.byeReason())
    }
    expect(reasons.slice(5)).toEqual([undefined, undefined, undefined, undefined, 'address'])
  })
})
