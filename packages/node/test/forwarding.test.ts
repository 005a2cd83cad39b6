import { encode, type FrameOf, hashInput, signingInput } from '@chat6/wire'
import { afterEach, describe, expect, it } from 'vitest'
import { rewriteHop } from '../src/hop.ts'
import type { Chat6Node } from '../src/index.ts'
import { createMesh, type Mesh, rawUp, seededCrypto, TestClient, wire } from './helpers.ts'

let mesh: Mesh | undefined
afterEach(async () => {
  await mesh?.stop()
  mesh = undefined
})

describe('routed frames (§9)', () => {
  it('behavior: a message crosses a line of three nodes and arrives once, unchanged end to end', async () => {
    mesh = await createMesh(3)
    const [a, b, c] = mesh.nodes as [Chat6Node, Chat6Node, Chat6Node]
    await wire(mesh, [
      [0, 1],
      [1, 2],
    ])
    const alice = new TestClient(a, 1)
    const carol = new TestClient(c, 3)
    alice.online()
    carol.online()
    await mesh.settle()
    const msg = alice.message(carol.hash)
    const r = alice.attachment.send(msg)
    expect(r).toMatchObject({ ok: true, via: b.id })
    await mesh.settle()
    expect(carol.received).toHaveLength(1)
    const got = carol.received[0] as FrameOf<'MESSAGE_SEND'>
    expect(got.message).toEqual(msg.message)
    expect(got.ttl).toBe(63) // 64 from A, one hop decremented at B
    expect(b.stats().forwarded).toBe(1)
    expect(c.stats().delivered).toBe(1)
  })

  it('behavior: clients on the same node are delivered locally', async () => {
    mesh = await createMesh(1)
    const node = mesh.nodes[0] as Chat6Node
    const alice = new TestClient(node, 1)
    const bob = new TestClient(node, 2)
    alice.online()
    bob.online()
    expect(alice.send(bob.hash)).toMatchObject({ ok: true, via: 'local' })
    expect(bob.received).toHaveLength(1)
  })

  it('error: no route to an unknown client', async () => {
    mesh = await createMesh(1)
    const alice = new TestClient(mesh.nodes[0] as Chat6Node, 1)
    alice.online()
    expect(alice.send(new Uint8Array(32).fill(3))).toEqual({ ok: false, reason: 'no_route' })
  })

  it('error: a duplicate routed frame is dropped before its MAC is checked', async () => {
    mesh = await createMesh(2)
    const [a, b] = mesh.nodes as [Chat6Node, Chat6Node]
    await mesh.connect(a, b)
    const bob = new TestClient(b, 2)
    bob.online()
    await mesh.settle()
    const p = await rawUp(mesh, a)
    const msg = bob.message(bob.hash)
    msg.origin = new Uint8Array(32).fill(1)
    p.send(msg)
    p.send({ ...msg, timestamp: msg.timestamp + 1 }) // same MSGHASH: timestamp and ttl are not hashed
    await mesh.settle()
    expect(bob.received).toHaveLength(1)
    expect(a.stats().drops.duplicate).toBe(1)
    // the link stays in step: a later frame still verifies
    p.send({ type: 'KEEPALIVE_REQUEST', timestamp: 0, id: 1 })
    await mesh.settle()
    expect(a.peers()).toHaveLength(2)
  })

  it('error: ttl 0 is dropped unless the target is attached here', async () => {
    mesh = await createMesh(2)
    const [a, b] = mesh.nodes as [Chat6Node, Chat6Node]
    await mesh.connect(a, b)
    const bob = new TestClient(b, 2)
    const ann = new TestClient(a, 1)
    bob.online()
    ann.online()
    await mesh.settle()
    const p = await rawUp(mesh, a)
    p.send({ ...bob.message(bob.hash), ttl: 0 })
    p.send({ ...ann.message(ann.hash), ttl: 0 })
    await mesh.settle()
    expect(a.stats().drops.ttl).toBe(1)
    expect(ann.received).toHaveLength(1)
    expect(bob.received).toHaveLength(0)
  })

  it('behavior: retries of one message take different feasible routes (path diversity)', async () => {
    mesh = await createMesh(4)
    const [a, b, c, d] = mesh.nodes as [Chat6Node, Chat6Node, Chat6Node, Chat6Node]
    await wire(mesh, [
      [0, 1],
      [0, 2],
      [1, 3],
      [2, 3],
    ])
    const alice = new TestClient(a, 1)
    const dave = new TestClient(d, 4)
    alice.online()
    dave.online()
    await mesh.settle()
    // both of A's routes to D must be feasible for diversity: D advertised with equal metrics
    const routes = a.routeTo(dave.hash)?.routes.filter((r) => r.feasible) ?? []
    expect(routes.length).toBe(2)
    const msgid = new Uint8Array(16).fill(7)
    const vias = new Set<string>()
    for (let i = 0; i < 4; i++) {
      const r = alice.send(dave.hash, { msgid })
      if (r.ok) vias.add(r.via)
    }
    await mesh.settle()
    expect(vias).toEqual(new Set([b.id, c.id]))
    expect(dave.received).toHaveLength(4)
    expect(b.stats().forwarded).toBe(2)
    expect(c.stats().forwarded).toBe(2)
  })

  it('behavior: the in-place hop rewrite equals a fresh encoding', () => {
    const crypto = seededCrypto(1)
    const frame: FrameOf<'MESSAGE_SEND'> = {
      type: 'MESSAGE_SEND',
      timestamp: 1_767_225_600_000,
      target_hash: new Uint8Array(32).fill(1),
      origin: new Uint8Array(32).fill(2),
      sid: new Uint8Array(16).fill(3),
      chatid: new Uint8Array(16).fill(4),
      msgid: new Uint8Array(16).fill(5),
      mtype: 1,
      message: new Uint8Array(100).fill(6),
      ttl: 64,
    }
    const hash = crypto.sha256(hashInput(frame))
    const si = signingInput(frame, hash)
    const next = { ...frame, timestamp: 1_767_225_600_123, ttl: 9 }
    expect(rewriteHop(si, next.timestamp, next.ttl)).toEqual(signingInput(next, hash))
    const line = encode({ signature: new Uint8Array(32), hash, frame })
    expect(line.length).toBeGreaterThan(si.length)
  })
})
