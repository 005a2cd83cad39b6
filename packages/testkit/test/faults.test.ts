// Injected faults: seeded frame drops, duplicates, reorders and delays (which the link MAC turns
// into link resets, §6.3), and a lying relay that advertises metric 0 and drops what it relays.
import type { Message } from '@chat6/client'
import { describe, expect, it } from 'vitest'
import { delivered, everyNodeKnows, shownTwice } from '../src/conditions.ts'
import { assertNoRouteLoops, assertPresenceAgrees } from '../src/invariants.ts'
import { createMesh } from '../src/mesh.ts'
import { seeds } from '../src/seed.ts'

describe('frame faults', () => {
  for (const seed of seeds(8)) {
    it(`behavior: messages are delivered exactly once through dropped, duplicated, reordered and delayed frames (seed ${seed})`, async () => {
      await using mesh = await createMesh({
        nodes: 10,
        topology: { random: { degree: 3 } },
        seed,
        clients: [{ node: 0 }, { node: 5 }, { node: 9 }],
      })
      await mesh.befriend(0, 1)
      await mesh.befriend(1, 2)
      mesh.setFaults({
        drop: 0.003,
        duplicate: 0.003,
        reorder: 0.003,
        delay: 0.05,
        delayMs: [1, 200],
      })
      const sent: Message[] = []
      for (let i = 0; i < 15; i++) {
        sent.push(await mesh.send(i % 2 === 0 ? 0 : 2, 1, `m${i}`))
        await mesh.advance(4_000)
      }
      mesh.setFaults(undefined)
      await mesh.advance(60_000)
      assertPresenceAgrees(mesh)
      await mesh.until(() => sent.every((m) => delivered(mesh, m)()), {
        timeout: 240_000,
        what: 'all delivered',
      })
      const fates = new Set(mesh.trace.entries.map((e) => e.fate))
      expect(fates.has('dropped') || fates.has('duplicated') || fates.has('reordered')).toBe(true)
      // a lost or repeated frame fails the next link MAC: the link was reset and rebuilt
      expect(
        mesh.trace.entries.some((e) => e.type === 'BYE' && e.line.endsWith('reason=bad_signature')),
      ).toBe(true)
      await mesh.advance(60_000)
      expect(shownTwice(mesh, 1)).toEqual([])
      expect(mesh.clients[1]?.received.length).toBe(sent.length)
      assertNoRouteLoops(mesh)
    }, 30_000)
  }
})

describe('lying node', () => {
  it('behavior: a liar advertising metric 0 attracts routes and drops the routed frames it gets', async () => {
    await using mesh = await createMesh({
      nodes: 4,
      topology: 'ring',
      seed: 1,
      clients: [{ node: 0 }, { node: 2 }],
      liars: [3],
    })
    await mesh.until(everyNodeKnows(mesh, 1), { timeout: 30_000 })
    // n0 has an honest 2-hop route via n1, yet selects the liar's "0 + one link"
    expect(mesh.node(0).nextHop(mesh.clients[1]?.id as string)).toBe(mesh.nodes[3]?.id)
    expect(mesh.liarStats(3).lies).toBeGreaterThan(0)
    void mesh.client(0).addFriend(mesh.clients[1]?.key as Uint8Array)
    await mesh.advance(5_000)
    expect(mesh.liarStats(3).dropped).toBeGreaterThan(0)
    assertNoRouteLoops(mesh)
  })

  it('behavior: a liar off the shortest path does not stop delivery', async () => {
    await using mesh = await createMesh({
      nodes: 6,
      topology: 'ring',
      seed: 1,
      clients: [{ node: 0 }, { node: 2 }],
      liars: [4],
    })
    await mesh.befriend(0, 1)
    const m = await mesh.send(0, 1, 'past the liar')
    await mesh.until(delivered(mesh, m), { timeout: 120_000 })
  })

  it('behavior: a metric-0 liar next to the sender drops the first try; the retry takes another route (§9)', async () => {
    await using mesh = await createMesh({
      nodes: 4,
      topology: 'ring',
      seed: 1,
      clients: [{ node: 0 }, { node: 2 }],
      liars: [3],
    })
    // befriend while the liar is cut off, so that the message is the first routed frame it sees
    mesh.cut(0, 3)
    mesh.cut(2, 3)
    await mesh.advance(40_000)
    await mesh.befriend(0, 1)
    mesh.heal()
    const target = mesh.clients[1]?.id as string
    await mesh.until(() => mesh.node(0).nextHop(target) === mesh.nodes[3]?.id, {
      timeout: 60_000,
      what: 'the liar attracts the route',
    })
    const sentAt = mesh.clock.now()
    const m = await mesh.send(0, 1, 'past the liar on retry')
    await mesh.until(delivered(mesh, m), { timeout: 120_000 })
    expect(mesh.liarStats(3).dropped).toBe(1)
    expect(mesh.clock.now() - sentAt).toBeGreaterThanOrEqual(30_000)
    assertNoRouteLoops(mesh)
  })

  it('behavior: friends make a session past a metric-0 liar next to the sender', async () => {
    await using mesh = await createMesh({
      nodes: 4,
      topology: 'ring',
      seed: 1,
      clients: [{ node: 0 }, { node: 2 }],
      liars: [3],
    })
    await mesh.befriend(0, 1, { timeout: 200_000 })
    const m = await mesh.send(0, 1, 'hello past the liar')
    await mesh.until(delivered(mesh, m), { timeout: 200_000 })
    expect(mesh.liarStats(3).dropped).toBeGreaterThan(0)
  })
})
