// Presence (§8.1): CLIENT_ONLINE, CLIENT_UPDATE and CLIENT_OFFLINE reach every node; a joining
// node learns the table; stale presence changes nothing.
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
    const before = mesh.node(30).client(mesh.clients[1]?.id ?? '')?.nonce ?? 0
    await mesh.client(1).setNickname('renamed')
    await mesh.until(
      () =>
        mesh.nodes.every((n) => n.node?.client(mesh.clients[1]?.id ?? '')?.nickname === 'renamed'),
      {
        timeout: 30_000,
        what: 'CLIENT_UPDATE everywhere',
      },
    )
    expect(mesh.node(30).client(mesh.clients[1]?.id ?? '')?.nonce).toBeGreaterThan(before)
    await mesh.stopClient(2)
    await mesh.until(everyNodeKnows(mesh, 2, { status: 'offline' }), {
      timeout: 30_000,
      what: 'CLIENT_OFFLINE everywhere',
    })
  })
})
