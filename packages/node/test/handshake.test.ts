import { sealFrame } from '@chat6/crypto'
import { encode } from '@chat6/wire'
import { afterEach, describe, expect, it } from 'vitest'
import { DEFAULT_LINK_METRIC } from '../src/constants.ts'
import type { Chat6Node, PeerInfo } from '../src/index.ts'
import { createMesh, type Mesh, RawPeer } from './helpers.ts'

let mesh: Mesh | undefined
afterEach(async () => {
  await mesh?.stop()
  mesh = undefined
})

const up = async (m: Mesh, p: RawPeer) => {
  p.sendHello()
  await m.clock.tick()
}

describe('handshake (§6.2)', () => {
  it('behavior: two nodes complete the handshake and see each other', async () => {
    mesh = await createMesh(2)
    const [a, b] = mesh.nodes as [Chat6Node, Chat6Node]
    const events: PeerInfo[] = []
    b.on('peer:connect', (p) => events.push(p))
    await mesh.connect(a, b)
    expect(a.peers().map((p) => p.id)).toEqual([b.id])
    expect(b.peers().map((p) => p.id)).toEqual([a.id])
    expect(a.peers()[0]?.direction).toBe('outbound')
    expect(b.peers()[0]?.direction).toBe('inbound')
    expect(b.peers()[0]?.listenPort).toBe(7600)
    expect(events).toHaveLength(1)
    expect(a.stats().framesOut.HELLO).toBe(1)
  })

  it('behavior: the accepting side answers a valid HELLO with its own and a keepalive follows', async () => {
    mesh = await createMesh(1)
    const node = mesh.nodes[0] as Chat6Node
    const p = await RawPeer.dial(mesh, node)
    await up(mesh, p)
    expect(
      p
        .frames()
        .map((f) => f.type)
        .slice(0, 2),
    ).toEqual(['HELLO', 'KEEPALIVE_REQUEST'])
    p.keys()
    expect(node.peers()).toHaveLength(1)
  })

  it('error: BYE version for another protocol version', async () => {
    mesh = await createMesh(1)
    const p = await RawPeer.dial(mesh, mesh.nodes[0] as Chat6Node)
    p.sendHello({ version: 2 })
    await mesh.clock.tick()
    expect(p.byeReason()).toBe('version')
    expect(p.closed).toBe(true)
    expect((mesh.nodes[0] as Chat6Node).stats().byesOut).toEqual({ version: 1 })
  })

  it('error: BYE self when a node dials itself', async () => {
    mesh = await createMesh(1)
    const node = mesh.nodes[0] as Chat6Node
    const dial = node.dial(node.listenAddress as { host: string; port: number })
    const result = dial.catch((e: { name: string; code: string }) => e)
    await mesh.clock.advance(10)
    expect(await result).toMatchObject({ name: 'DialError', code: 'self' })
    expect(node.peers()).toHaveLength(0)
  })

  it('error: BYE duplicate for a second link to the same node', async () => {
    mesh = await createMesh(2)
    const [a, b] = mesh.nodes as [Chat6Node, Chat6Node]
    await mesh.connect(a, b)
    const second = a
      .dial(b.listenAddress as { host: string; port: number })
      .catch((e: { code: string; message: string }) => e)
    await mesh.clock.advance(10)
    expect(await second).toMatchObject({ code: 'handshake', message: 'link closed: duplicate' })
    expect(a.peers()).toHaveLength(1)
    expect(b.peers()).toHaveLength(1)
  })

  it('behavior: a replayed HELLO does not keep the real node out (§6.3)', async () => {
    mesh = await createMesh(1)
    const node = mesh.nodes[0] as Chat6Node
    const real = await RawPeer.dial(mesh, node)
    // The attacker replays the real node's HELLO bytes; it has no link secret, so it never
    // sends a line with a valid MAC.
    const replayer = await RawPeer.dial(mesh, node)
    const hello = encode(sealFrame(real.crypto, real.helloFrame(), { nodeKey: real.nodeKey }))
    replayer.conn.write(hello)
    await mesh.clock.tick()
    expect(node.peers()).toHaveLength(1)
    expect(replayer.closed).toBe(false)
    // The real node now arrives with a fresh HELLO of the same node key and is let in.
    await up(mesh, real)
    real.keys()
    real.send({ type: 'KEEPALIVE_REQUEST', timestamp: 0, id: 0 })
    await mesh.clock.tick()
    expect(real.byeReason()).toBeUndefined()
    expect(real.closed).toBe(false)
    expect(replayer.byeReason()).toBe('duplicate')
    expect(node.peers()).toHaveLength(1)
    // Once authenticated, the real link wins against another replay.
    const again = await RawPeer.dial(mesh, node)
    again.conn.write(hello)
    await mesh.clock.tick()
    expect(again.byeReason()).toBe('duplicate')
    expect(real.closed).toBe(false)
  })

  it('behavior: simultaneous dials leave exactly one link', async () => {
    mesh = await createMesh(2)
    const [a, b] = mesh.nodes as [Chat6Node, Chat6Node]
    const p1 = a.dial(b.listenAddress as { host: string; port: number }).catch(() => undefined)
    const p2 = b.dial(a.listenAddress as { host: string; port: number }).catch(() => undefined)
    await mesh.clock.advance(100)
    await Promise.all([p1, p2])
    expect(a.peers()).toHaveLength(1)
    expect(b.peers()).toHaveLength(1)
    expect(a.peers()[0]?.direction).not.toBe(b.peers()[0]?.direction)
  })

  it('error: BYE busy when no room for another peer', async () => {
    mesh = await createMesh(2)
    const [a, b] = mesh.nodes as [Chat6Node, Chat6Node]
    await mesh.connect(a, b)
    const c = await mesh.add({ maxPeers: 1 })
    const p = await RawPeer.dial(mesh, c)
    await up(mesh, p)
    expect(p.byeReason()).toBeUndefined()
    const q = await RawPeer.dial(mesh, c)
    await up(mesh, q)
    expect(q.byeReason()).toBe('busy')
  })

  it('error: BYE protocol for a frame before HELLO', async () => {
    mesh = await createMesh(1)
    const p = await RawPeer.dial(mesh, mesh.nodes[0] as Chat6Node)
    p.sendUnkeyed({ type: 'KEEPALIVE_REQUEST', timestamp: mesh.clock.wallNow(), id: 0 })
    await mesh.clock.tick()
    expect(p.byeReason()).toBe('protocol')
    // a pre-link BYE carries the zero signature (§6.4)
    expect(p.decoded()[0]?.signature.every((x) => x === 0)).toBe(true)
  })

  it('error: BYE protocol for a second HELLO', async () => {
    mesh = await createMesh(1)
    const node = mesh.nodes[0] as Chat6Node
    const p = await RawPeer.dial(mesh, node)
    await up(mesh, p)
    p.keys()
    p.sendSecondHello()
    await mesh.clock.tick()
    expect(p.byeReason()).toBe('protocol')
    expect(node.peers()).toHaveLength(0)
  })

  it('error: BYE bad_signature for a HELLO whose signature does not verify', async () => {
    mesh = await createMesh(1)
    const p = await RawPeer.dial(mesh, mesh.nodes[0] as Chat6Node)
    p.sendHello({}, { corrupt: true })
    await mesh.clock.tick()
    expect(p.byeReason()).toBe('bad_signature')
  })

  it('error: BYE bad_frame for a HELLO that does not decode', async () => {
    mesh = await createMesh(1)
    const p = await RawPeer.dial(mesh, mesh.nodes[0] as Chat6Node)
    p.writeLine('garbage')
    await mesh.clock.tick()
    expect(p.byeReason()).toBe('bad_frame')
  })

  it('error: BYE clock for a HELLO outside MAX_CLOCK_SKEW', async () => {
    mesh = await createMesh(1)
    const p = await RawPeer.dial(mesh, mesh.nodes[0] as Chat6Node)
    p.sendHello({ timestamp: mesh.clock.wallNow() - 301_000 })
    await mesh.clock.tick()
    expect(p.byeReason()).toBe('clock')
  })

  it('error: BYE handshake_timeout when no HELLO comes within HELLO_TIMEOUT', async () => {
    mesh = await createMesh(1)
    const p = await RawPeer.dial(mesh, mesh.nodes[0] as Chat6Node)
    await mesh.clock.advance(9_999)
    expect(p.byeReason()).toBeUndefined()
    await mesh.clock.advance(1)
    expect(p.byeReason()).toBe('handshake_timeout')
    expect(p.closed).toBe(true)
  })

  it('error: a tampered link MAC earns BYE bad_signature', async () => {
    mesh = await createMesh(1)
    const node = mesh.nodes[0] as Chat6Node
    const p = await RawPeer.dial(mesh, node)
    await up(mesh, p)
    p.keys()
    p.send({ type: 'KEEPALIVE_REQUEST', timestamp: 0, id: 0 })
    await mesh.clock.tick()
    expect(p.frames().filter((f) => f.type === 'KEEPALIVE_RESPONSE')).toHaveLength(1)
    p.send({ type: 'KEEPALIVE_REQUEST', timestamp: 0, id: 1 }, { tamper: true })
    await mesh.clock.tick()
    expect(p.byeReason()).toBe('bad_signature')
    expect(node.peers()).toHaveLength(0)
  })

  it('behavior: a pre-link BYE from the peer just closes', async () => {
    mesh = await createMesh(1)
    const node = mesh.nodes[0] as Chat6Node
    const p = await RawPeer.dial(mesh, node)
    p.sendZeroBye('shutdown')
    await mesh.clock.tick()
    expect(p.closed).toBe(true)
    expect(p.lines).toHaveLength(0)
    expect(node.stats().pendingHandshakes).toBe(0)
    expect(node.stats().byesIn).toEqual({ shutdown: 1 })
    expect(node.stats().byesOut).toEqual({})
  })

  it('behavior: BYE shutdown on stop, with the default link metric before any sample', async () => {
    mesh = await createMesh(2)
    const [a, b] = mesh.nodes as [Chat6Node, Chat6Node]
    const p = await RawPeer.dial(mesh, a)
    expect(b.peers()).toHaveLength(0)
    await up(mesh, p)
    expect(a.peers()[0]?.metric).toBe(DEFAULT_LINK_METRIC)
    await a.stop()
    await mesh.clock.tick()
    expect(p.byeReason()).toBe('shutdown')
  })
})
