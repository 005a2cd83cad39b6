import { METRIC_INFINITY } from '@chat6/wire'
import { afterEach, describe, expect, it } from 'vitest'
import type { Chat6Node, ClientInfo } from '../src/index.ts'
import {
  createMesh,
  identity,
  type Mesh,
  rawUp,
  signedOffline,
  signedPresence,
  TestClient,
} from './helpers.ts'

let mesh: Mesh | undefined
afterEach(async () => {
  await mesh?.stop()
  mesh = undefined
})

describe('presence (§8.1)', () => {
  it('behavior: a client online at one node is online and reachable at its neighbour', async () => {
    mesh = await createMesh(2)
    const [a, b] = mesh.nodes as [Chat6Node, Chat6Node]
    await mesh.connect(a, b)
    const seen: string[] = []
    b.on('client:online', (c) => seen.push(`online:${c.nickname}`))
    b.on('client:reachable', (c) => seen.push(`reachable:${c.nickname}`))
    const alice = new TestClient(a, 1, 'alice')
    alice.online()
    await mesh.settle()
    expect(seen).toEqual(['online:alice', 'reachable:alice'])
    const info = b.client(alice.hash) as ClientInfo
    expect(info).toMatchObject({
      nickname: 'alice',
      status: 'online',
      reachable: true,
      local: false,
      nextHop: a.id,
    })
    expect(info.metric).toBe(1)
    expect(a.client(alice.hash)).toMatchObject({ local: true, metric: 0, nextHop: 'local' })
  })

  it('behavior: a new neighbour gets the presence already held', async () => {
    mesh = await createMesh(2)
    const [a, b] = mesh.nodes as [Chat6Node, Chat6Node]
    const alice = new TestClient(a, 1, 'alice')
    alice.online()
    await mesh.connect(a, b)
    await mesh.settle()
    expect(b.client(alice.hash)?.reachable).toBe(true)
  })

  it('behavior: UPDATE changes the nickname, OFFLINE sets the client offline everywhere', async () => {
    mesh = await createMesh(3)
    const [a, b, c] = mesh.nodes as [Chat6Node, Chat6Node, Chat6Node]
    await mesh.connect(a, b)
    await mesh.connect(b, c)
    const alice = new TestClient(a, 1, 'alice')
    alice.online()
    await mesh.settle()
    alice.update('alicia')
    await mesh.settle()
    expect(c.client(alice.hash)?.nickname).toBe('alicia')
    const offline: string[] = []
    c.on('client:offline', (x) => offline.push(x.id))
    alice.offline()
    await mesh.settle()
    expect(offline).toEqual([alice.attachment.id])
    expect(c.client(alice.hash)).toMatchObject({
      status: 'offline',
      reachable: false,
      nextHop: undefined,
    })
    expect(c.nextHop(alice.hash)).toBeUndefined()
  })

  it('error: a stale nonce is dropped and a replay of the held one changes nothing', async () => {
    mesh = await createMesh(1)
    const node = mesh.nodes[0] as Chat6Node
    const p = await rawUp(mesh, node)
    const id = identity(1)
    p.send(signedPresence(id, { nonce: 10, nickname: 'ten' }))
    await mesh.clock.tick()
    const events: string[] = []
    node.on('client:update', () => events.push('update'))
    node.on('client:online', () => events.push('online'))
    p.send(signedPresence(id, { nonce: 9, nickname: 'nine' }))
    p.send(signedPresence(id, { nonce: 10, nickname: 'ten' }))
    await mesh.clock.tick()
    expect(node.stats().drops.stale).toBe(1)
    expect(node.client(id.hash)).toMatchObject({ nickname: 'ten', nonce: 10 })
    expect(events).toEqual([])
  })

  it('behavior: a held icon has its own bytes, not a view into a shared decode slab', async () => {
    // @chat6/wire hands out values over 64 bytes as views into 16 KiB slabs; a record kept for
    // hours must not pin one for a 1 KiB icon.
    mesh = await createMesh(1)
    const node = mesh.nodes[0] as Chat6Node
    const p = await rawUp(mesh, node)
    const id = identity(9)
    const icon = Uint8Array.from({ length: 1000 }, (_, i) => i & 0xff)
    p.send(signedPresence(id, { nonce: 10, icon }))
    await mesh.clock.tick()
    const held = node.client(id.hash)?.icon
    expect(held).toEqual(icon)
    expect(held?.buffer.byteLength).toBe(1000)
  })

  it('behavior: an OFFLINE tombstone blocks older ONLINE', async () => {
    mesh = await createMesh(1)
    const node = mesh.nodes[0] as Chat6Node
    const p = await rawUp(mesh, node)
    const id = identity(2)
    const old = signedPresence(id, { nonce: 10 })
    p.send(old)
    p.send(signedOffline(id, 11))
    await mesh.clock.tick()
    expect(node.client(id.hash)?.status).toBe('offline')
    p.send(old)
    await mesh.clock.tick()
    expect(node.client(id.hash)?.status).toBe('offline')
    expect(node.stats().drops.stale).toBe(1)
    // a newer ONLINE brings it back
    p.send(signedPresence(id, { nonce: 12 }))
    await mesh.clock.tick()
    expect(node.client(id.hash)?.status).toBe('online')
  })

  it('error: a presence whose proof fails is dropped', async () => {
    mesh = await createMesh(1)
    const node = mesh.nodes[0] as Chat6Node
    const p = await rawUp(mesh, node)
    const id = identity(3)
    const f = signedPresence(id, { nonce: 10 })
    p.send({ ...f, nickname: 'forged' })
    await mesh.clock.tick()
    expect(node.stats().drops.bad_proof).toBe(1)
    expect(node.client(id.hash)).toBeUndefined()
    expect(node.peers()).toHaveLength(1)
  })

  it('behavior: UPDATE for an unknown client is treated as ONLINE', async () => {
    mesh = await createMesh(1)
    const node = mesh.nodes[0] as Chat6Node
    const p = await rawUp(mesh, node)
    const id = identity(4)
    const seen: string[] = []
    node.on('client:online', () => seen.push('online'))
    p.send(signedPresence(id, { type: 'CLIENT_UPDATE', nonce: 5 }))
    await mesh.clock.tick()
    expect(seen).toEqual(['online'])
    expect(node.client(id.hash)?.status).toBe('online')
  })

  it('behavior: a presence verified once is not verified again when it arrives on another link', async () => {
    mesh = await createMesh(1)
    const node = mesh.nodes[0] as Chat6Node
    const p = await rawUp(mesh, node)
    const q = await rawUp(mesh, node)
    const id = identity(5)
    const f = signedPresence(id, { nonce: 10, metric: 50 })
    p.send(f)
    await mesh.clock.tick()
    // same MSGHASH (metric is per-hop): q's copy is a route update; a corrupted proof would show if it were checked
    q.send({ ...f, metric: 20 })
    await mesh.clock.tick()
    expect(
      node
        .routeTo(id.hash)
        ?.routes.map((r) => r.advertised)
        .sort(),
    ).toEqual([20, 50])
    expect(node.stats().drops.bad_proof ?? 0).toBe(0)
  })

  it('behavior: a client attached locally announces with metric 0 and the proof is checked', async () => {
    mesh = await createMesh(1)
    const node = mesh.nodes[0] as Chat6Node
    const alice = new TestClient(node, 9)
    const bad = alice.presence('CLIENT_ONLINE')
    expect(alice.attachment.announce({ ...bad, nickname: 'x' })).toEqual({
      ok: false,
      reason: 'bad_proof',
    })
    expect(alice.attachment.announce(bad).ok).toBe(true)
    expect(alice.attachment.announce(bad)).toEqual({ ok: false, reason: 'stale' })
    const other = new TestClient(node, 10)
    expect(alice.attachment.announce(other.presence('CLIENT_ONLINE'))).toEqual({
      ok: false,
      reason: 'wrong_client',
    })
    expect(node.client(alice.hash)).toMatchObject({ local: true, metric: 0, reachable: true })
    expect(node.routeTo(alice.hash)?.metric).toBe(0)
    alice.attachment.detach()
    expect(node.client(alice.hash)?.reachable).toBe(false)
    expect(node.client(alice.hash)?.metric).toBe(METRIC_INFINITY)
  })

  it('behavior: attached clients hear about presence changes through onPresence', async () => {
    mesh = await createMesh(2)
    const [a, b] = mesh.nodes as [Chat6Node, Chat6Node]
    await mesh.connect(a, b)
    const changes: string[] = []
    const ident = identity(77)
    b.attach(ident.publicKey, {
      onFrame: () => {},
      onPresence: (c) => changes.push(`${c.kind}:${c.client.nickname ?? '-'}`),
    })
    const alice = new TestClient(a, 1, 'alice')
    alice.online()
    await mesh.settle()
    alice.offline()
    await mesh.settle()
    expect(changes).toEqual(['online:alice', 'reachable:alice', 'offline:-', 'unreachable:-'])
  })
})
