// Presence (§8.1): CLIENT_ONLINE, CLIENT_UPDATE and CLIENT_OFFLINE reach every node; a joining
// node learns the table; stale presence changes nothing.
import { decode } from '@chat6/wire'
import { describe, expect, it } from 'vitest'
import { everyNodeKnows } from '../src/conditions.ts'
import { createMesh } from '../src/mesh.ts'

describe('presence', () => {
  it('behavior: CLIENT_ONLINE, UPDATE and OFFLINE reach every node of a 50-node random mesh', async () => {
    await using mesh = await createMesh({
      nodes: 50,
      topology: { random: { degree: 4 } },
      seed: 11,
      clients: [{ node: 0 }, { node: 25 }, { node: 49 }],
    })
    for (let j = 0; j < 3; j++)
      await mesh.until(everyNodeKnows(mesh, j), { timeout: 30_000, what: `c${j} known` })
    const id = mesh.clients[1]?.id as string
    const before = mesh.node(30).client(id)?.nonce ?? 0
    await mesh.client(1).setNickname('renamed')
    await mesh.until(() => mesh.nodes.every((n) => n.node?.client(id)?.nickname === 'renamed'), {
      timeout: 30_000,
      what: 'CLIENT_UPDATE everywhere',
    })
    expect(mesh.node(30).client(id)?.nonce).toBeGreaterThan(before)
    await mesh.stopClient(2)
    await mesh.until(everyNodeKnows(mesh, 2, { status: 'offline' }), {
      timeout: 30_000,
      what: 'CLIENT_OFFLINE everywhere',
    })
    // still online: the others were not disturbed
    expect(everyNodeKnows(mesh, 0)()).toBe(true)
  })

  it('behavior: a node joining a running mesh learns the full table from its first neighbour', async () => {
    await using mesh = await createMesh({ nodes: 8, topology: 'ring', seed: 5, clients: 4 })
    for (let j = 0; j < 4; j++) await mesh.until(everyNodeKnows(mesh, j), { timeout: 30_000 })
    const late = await mesh.addNode({ links: [3] })
    await mesh.until(
      () =>
        mesh
          .node(late)
          .clients()
          .filter((c) => c.status === 'online' && c.reachable).length === 4,
      {
        timeout: 10_000,
        what: 'the new node knows all 4 clients',
      },
    )
    const ids = new Set(
      mesh
        .node(late)
        .clients()
        .map((c) => c.id),
    )
    for (const c of mesh.clients) expect(ids.has(c.id)).toBe(true)
  })

  it('behavior: replayed older presence is dropped as stale and changes nothing', async () => {
    await using mesh = await createMesh({
      nodes: 4,
      topology: 'line',
      seed: 9,
      clients: [{ node: 0 }],
      liars: [3],
    })
    const id = mesh.clients[0]?.id as string
    await mesh.until(everyNodeKnows(mesh, 0), { timeout: 30_000 })
    const first = mesh.trace.entries.find((e) => e.type === 'CLIENT_ONLINE')
    const old = decode(`${first?.line}\n`)
    if (!old.ok) throw new Error('traced line does not decode')
    await mesh.client(0).setNickname('newer')
    await mesh.until(() => [0, 1, 2].every((i) => mesh.node(i).client(id)?.nickname === 'newer'), {
      timeout: 10_000,
    })
    const nonce = mesh.node(2).client(id)?.nonce
    const staleBefore = mesh.node(2).stats().drops.stale ?? 0
    mesh.inject(3, old.envelope.frame)
    await mesh.advance(5_000)
    expect(mesh.node(2).stats().drops.stale ?? 0).toBe(staleBefore + 1)
    for (const i of [0, 1, 2]) {
      expect(mesh.node(i).client(id)?.nickname).toBe('newer')
      expect(mesh.node(i).client(id)?.nonce).toBe(nonce)
    }
  })
})
