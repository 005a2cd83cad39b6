// Regressions found by the testkit's fault and liar scenarios.
import type { FrameOf } from '@chat6/wire'
import { afterEach, describe, expect, it } from 'vitest'
import type { Chat6Node, ClientInfo } from '../src/index.ts'
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

describe('regressions', () => {
  it('behavior: client:update reports the route selected after the newer nonce, not before', async () => {
    mesh = await createMesh(1)
    const node = mesh.nodes[0] as Chat6Node
    const k = await rawUp(mesh, node)
    const m = await rawUp(mesh, node)
    const id = identity(1)
    k.send(signedPresence(id, { nonce: 5, metric: 10 }))
    m.send(signedPresence(id, { nonce: 5, metric: 50 }))
    await mesh.settle()
    expect(node.nextHop(id.hash)).toBe(node.peers()[0]?.id)
    const updates: ClientInfo[] = []
    const flips: string[] = []
    node.on('client:update', (c) => updates.push(c))
    node.on('client:unreachable', () => flips.push('unreachable'))
    // the newer nonce arrives first through the neighbour that was not selected
    m.send(signedPresence(id, { nonce: 6, metric: 50 }))
    await mesh.settle()
    expect(updates).toHaveLength(1)
    expect(updates[0]).toMatchObject({ reachable: true, nonce: 6, nextHop: node.peers()[1]?.id })
    expect(flips).toEqual([])
  })

  it('behavior: a retry bypasses a metric-0 liar next to the sender through an unfeasible route', async () => {
    mesh = await createMesh(3)
    const [n0, n1, n2] = mesh.nodes as [Chat6Node, Chat6Node, Chat6Node]
    await wire(mesh, [
      [0, 1],
      [1, 2],
    ])
    const alice = new TestClient(n0, 1)
    const carol = new TestClient(n2, 3)
    alice.online()
    carol.online()
    const liar = await rawUp(mesh, n0)
    liar.answerKeepalives = true
    await mesh.clock.advance(15_000)
    const carolPresence = liar
      .frames()
      .find(
        (f) => f.type === 'CLIENT_ONLINE' && f.nickname === carol.nickname,
      ) as FrameOf<'CLIENT_ONLINE'>
    liar.send({ ...carolPresence, metric: 0, ttl: 64 })
    await mesh.settle()
    expect(n0.nextHop(carol.hash)).toBe(n0.peers().find((p) => p.id !== n1.id)?.id)
    expect(n0.routeTo(carol.hash)?.routes.find((r) => r.neighbor === n1.id)?.feasible).toBe(false)
    const msgid = new Uint8Array(16).fill(9)
    expect(alice.send(carol.hash, { msgid }).ok).toBe(true) // into the liar, which drops it
    await mesh.settle()
    expect(carol.received).toHaveLength(0)
    expect(alice.send(carol.hash, { msgid })).toMatchObject({ ok: true, via: n1.id })
    await mesh.settle()
    expect(carol.received).toHaveLength(1)
  })
})
