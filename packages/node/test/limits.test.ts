import { afterEach, describe, expect, it } from 'vitest'
import { type Chat6Node, createNodeCrypto } from '../src/index.ts'
import {
  createMesh,
  identity,
  type Mesh,
  RawPeer,
  rawUp,
  seededCrypto,
  signedOffline,
  signedPresence,
  TestClient,
} from './helpers.ts'

let mesh: Mesh | undefined
afterEach(async () => {
  await mesh?.stop()
  mesh = undefined
})

describe('limits (§6.2, §6.5, §8.4)', () => {
  it('error: frames over the per-peer rate are dropped (rate_limit) before any crypto', async () => {
    mesh = await createMesh(1)
    const node = mesh.nodes[0] as Chat6Node
    const p = await rawUp(mesh, node)
    for (let i = 0; i < 4_100; i++) p.send({ type: 'KEEPALIVE_REQUEST', timestamp: 0, id: i })
    await mesh.settle()
    expect(node.stats().drops.rate_limit).toBeGreaterThanOrEqual(99)
    expect(node.stats().drops.rate_limit).toBeLessThanOrEqual(101)
    // rate-limited drops are benign: no BYE abuse, and MAC counters stay in step
    expect(node.peers()).toHaveLength(1)
    await mesh.clock.advance(1_000)
    p.send({ type: 'KEEPALIVE_REQUEST', timestamp: 0, id: 99_999 })
    await mesh.settle()
    expect(node.peers()).toHaveLength(1)
  })

  it('error: too many counted drops in a minute earn BYE abuse', async () => {
    mesh = await createMesh(1)
    const node = mesh.nodes[0] as Chat6Node
    const p = await rawUp(mesh, node)
    for (let i = 0; i < 100; i++) p.writeLine(`bad line ${i}`)
    await mesh.settle()
    expect(node.stats().drops.bad_frame).toBe(100)
    expect(p.byeReason()).toBeUndefined()
    p.writeLine('one more')
    await mesh.settle()
    expect(p.byeReason()).toBe('abuse')
    expect(node.peers()).toHaveLength(0)
  })

  it('behavior: new keys go out at the new-key rate, updates of keys already sent at the update rate (§8.2)', async () => {
    mesh = await createMesh(2, { maxNewPresenceBurst: 10, maxNewPresencePerSecond: 5 })
    const [a, b] = mesh.nodes as [Chat6Node, Chat6Node]
    await mesh.connect(a, b)
    const clients = Array.from({ length: 30 }, (_, i) => new TestClient(a, 300 + i, `c${i}`))
    for (const c of clients) c.online()
    await mesh.settle()
    const known = () => b.clients().filter((c) => c.status === 'online').length
    expect(known()).toBe(10) // the burst of new keys
    await mesh.settle(1_000)
    expect(known()).toBe(15) // then 5 a second, as b accepts new keys
    await mesh.settle(3_000)
    expect(known()).toBe(30)
    // every client changes at once: b holds them all, so the 30 updates go out together
    for (const c of clients) c.update('renamed')
    await mesh.settle(10)
    expect(b.clients().filter((c) => c.nickname === 'renamed')).toHaveLength(30)
    expect(b.stats().drops.presence_rate ?? 0).toBe(0)
    // a client new to b still waits for the new-key rate
    const late = Array.from({ length: 10 }, (_, i) => new TestClient(a, 400 + i))
    for (const c of late) c.online()
    await mesh.settle(10)
    expect(known()).toBeLessThan(40)
    await mesh.settle(3_000)
    expect(known()).toBe(40)
    expect(b.stats().drops.presence_rate ?? 0).toBe(0)
  })

  it('error: a neighbour introducing too many new clients at once is limited (presence_rate)', async () => {
    mesh = await createMesh(1, { maxNewPresenceBurst: 20, maxNewPresencePerSecond: 5 })
    const node = mesh.nodes[0] as Chat6Node
    const p = await rawUp(mesh, node)
    for (let i = 0; i < 25; i++) p.send(signedPresence(identity(100 + i), { nonce: 1 }))
    await mesh.settle()
    expect(node.stats().clients).toBe(20)
    expect(node.stats().drops.presence_rate).toBe(5)
    await mesh.clock.advance(1_000)
    for (let i = 20; i < 25; i++) p.send(signedPresence(identity(100 + i), { nonce: 1 }))
    await mesh.settle()
    expect(node.stats().clients).toBe(25)
  })

  it('behavior: the client table evicts tombstones first, then the least recently updated, never a local client', async () => {
    mesh = await createMesh(1, { maxClients: 3 })
    const node = mesh.nodes[0] as Chat6Node
    const local = new TestClient(node, 1)
    local.online()
    const p = await rawUp(mesh, node)
    const [x, y, z] = [identity(201), identity(202), identity(203)]
    p.send(signedPresence(x, { nonce: 1 }))
    p.send(signedOffline(y, 2))
    await mesh.settle()
    p.send(signedPresence(x, { nonce: 3 })) // x updated after y
    p.send(signedPresence(z, { nonce: 1 }))
    await mesh.settle()
    expect(node.client(y.hash)).toBeUndefined()
    expect(node.client(x.hash)).toBeDefined()
    expect(node.client(z.hash)).toBeDefined()
    p.send(signedPresence(identity(204), { nonce: 1 }))
    await mesh.settle()
    expect(node.client(x.hash)).toBeUndefined()
    expect(node.client(local.hash)?.local).toBe(true)
    expect(node.stats().clients).toBe(3)
  })

  it('error: connections past MAX_PENDING_HANDSHAKES are closed at once', async () => {
    mesh = await createMesh(1, { maxPendingHandshakes: 2 })
    const node = mesh.nodes[0] as Chat6Node
    const peers = [
      await RawPeer.dial(mesh, node),
      await RawPeer.dial(mesh, node),
      await RawPeer.dial(mesh, node),
    ]
    await mesh.settle()
    expect(peers.map((p) => p.closed)).toEqual([false, false, true])
    expect(node.stats().pendingHandshakes).toBe(2)
  })

  it('behavior: a bug while handling a frame is a counted drop, never a crash', async () => {
    const crypto = createNodeCrypto(seededCrypto(77))
    const broken = {
      ...crypto,
      verifyProof: () => {
        throw new Error('boom')
      },
    }
    mesh = await createMesh(0)
    const node = await mesh.add({ crypto: broken })
    const logs: string[] = []
    node.on('log', (l) => logs.push(l.msg))
    const p = await rawUp(mesh, node)
    p.send(signedPresence(identity(1), { nonce: 1 }))
    await mesh.settle()
    expect(node.stats().drops.internal).toBe(1)
    expect(logs).toContain('internal error handling a frame')
    p.send({ type: 'KEEPALIVE_REQUEST', timestamp: 0, id: 5 })
    await mesh.settle()
    expect(node.peers()).toHaveLength(1)
  })

  it('error: a line longer than MAX_LINE_BYTES earns BYE line_too_long', async () => {
    mesh = await createMesh(1)
    const node = mesh.nodes[0] as Chat6Node
    const p = await rawUp(mesh, node)
    p.conn.write(new Uint8Array(70_000).fill(0x41))
    await mesh.settle()
    expect(p.byeReason()).toBe('line_too_long')
  })
})
