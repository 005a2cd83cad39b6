// Routing (§8.2): a cut link is routed around; a healed partition converges with no route loop at
// any moment, over many seeds.
import { describe, expect, it } from 'vitest'
import { delivered, everyNodeKnows } from '../src/conditions.ts'
import { assertNoRouteLoops } from '../src/invariants.ts'
import { createMesh } from '../src/mesh.ts'
import { seeds } from '../src/seed.ts'

describe('routing', () => {
  it('behavior: a cut link on the path is routed around and messages get through', async () => {
    await using mesh = await createMesh({
      nodes: 6,
      topology: 'ring',
      seed: 2,
      clients: [{ node: 0 }, { node: 2 }],
    })
    await mesh.befriend(0, 1)
    const target = mesh.clients[1]?.id as string
    const via = mesh.node(0).nextHop(target)
    expect(via).toBe(mesh.nodes[1]?.id)
    mesh.cut(0, 1)
    // the cut is silent: the link is given up after KEEPALIVE_TIMEOUT and the route moves to n5
    await mesh.until(() => mesh.node(0).nextHop(target) === mesh.nodes[5]?.id, {
      timeout: 60_000,
      what: 'reroute via n5',
    })
    const m = await mesh.send(0, 1, 'around the ring')
    await mesh.until(delivered(mesh, m), { timeout: 60_000 })
    assertNoRouteLoops(mesh)
  })

  const runs = seeds(12)
  for (const seed of runs) {
    it(`behavior: a healed partition converges to full presence and routes, with no loop after any event (seed ${seed})`, async () => {
      await using mesh = await createMesh({
        nodes: 14,
        topology: { random: { degree: 3 } },
        seed,
        clients: [0, 3, 7, 10, 13].map((node) => ({ node })),
      })
      const ids = mesh.clients.map((c) => c.id)
      mesh.check(() => assertNoRouteLoops(mesh, ids))
      for (let j = 0; j < 5; j++) await mesh.until(everyNodeKnows(mesh, j), { timeout: 30_000 })
      mesh.partition([
        [0, 1, 2, 3, 4, 5, 6],
        [7, 8, 9, 10, 11, 12, 13],
      ])
      // clients behind the cut become unreachable within a keepalive timeout and its retraction
      await mesh.until(() => mesh.node(0).client(ids[2] as string)?.reachable === false, {
        timeout: 90_000,
        what: `seed ${seed}: c2 unreachable from n0`,
      })
      await mesh.advance(30_000)
      mesh.heal()
      for (let j = 0; j < 5; j++) {
        await mesh.until(everyNodeKnows(mesh, j), {
          timeout: 120_000,
          what: `seed ${seed}: c${j} known everywhere after heal`,
        })
      }
      // every node's route leads to the client's home node
      for (const c of mesh.clients) {
        for (const n of mesh.nodes) {
          let at = n.node
          for (let hops = 0; at !== undefined && at.nextHop(c.id) !== 'local'; hops++) {
            expect(hops).toBeLessThan(14)
            const next = at.nextHop(c.id)
            at = mesh.nodes.find((x) => x.id === next)?.node
          }
          expect(at?.id).toBe(mesh.nodes[c.node]?.id)
        }
      }
    }, 30_000)
  }
})
