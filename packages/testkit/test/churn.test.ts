// Delivery under churn: relays are killed and restarted (fresh node keys) while messages flow,
// always leaving a path; every message is shown exactly once, over many seeds.
import { createSeededRandom } from '@chat6/node/testing'
import { describe, expect, it } from 'vitest'
import { delivered, shownTwice } from '../src/conditions.ts'
import { assertNoRouteLoops } from '../src/invariants.ts'
import { createMesh } from '../src/mesh.ts'
import { deriveSeed, seeds } from '../src/seed.ts'
import { isConnected } from '../src/topology.ts'

const PAIRS: ReadonlyArray<readonly [number, number]> = [
  [0, 1],
  [2, 3],
  [0, 3],
  [1, 2],
]

describe('delivery under churn', () => {
  const runs = seeds(8)
  for (const seed of runs) {
    it(`behavior: every message is delivered exactly once across node kills and restarts (seed ${seed})`, async () => {
      const homes = [0, 1, 2, 3]
      await using mesh = await createMesh({
        nodes: 12,
        topology: { random: { degree: 4 } },
        seed,
        clients: homes.map((node) => ({ node })),
      })
      for (const [a, b] of PAIRS) await mesh.befriend(a, b, { timeout: 180_000 })
      const rnd = createSeededRandom(deriveSeed(seed, 'churn'))
      const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd.float() * xs.length)] as T
      const dead = new Set<number>()
      const sent: Array<{ to: number; msg: Awaited<ReturnType<typeof mesh.send>> }> = []
      for (let step = 0; step < 24; step++) {
        const relays = mesh.nodes.map((n) => n.index).filter((i) => !homes.includes(i))
        const alive = relays.filter((i) => !dead.has(i))
        const victim = pick(alive)
        if (dead.size > 0 && rnd.float() < 0.4) {
          const back = pick([...dead])
          await mesh.restart(back)
          dead.delete(back)
        } else if (isConnected(mesh.nodes.length, mesh.edges, new Set([...dead, victim]))) {
          await mesh.kill(victim)
          dead.add(victim)
        }
        assertNoRouteLoops(mesh)
        const [a, b] = pick(PAIRS)
        const [from, to] = rnd.float() < 0.5 ? [a, b] : [b, a]
        sent.push({ to, msg: await mesh.send(from, to, `seed ${seed} step ${step}`) })
        await mesh.advance(2_000 + Math.floor(rnd.float() * 20_000))
        assertNoRouteLoops(mesh)
      }
      for (const i of dead) await mesh.restart(i)
      await mesh.until(() => sent.every((s) => delivered(mesh, s.msg)()), {
        timeout: 300_000,
        what: `seed ${seed}: all ${sent.length} messages delivered`,
      })
      await mesh.advance(60_000)
      for (const c of mesh.clients) {
        expect(shownTwice(mesh, c.index)).toEqual([])
        expect(c.received.length).toBe(sent.filter((s) => s.to === c.index).length)
      }
    }, 30_000)
  }
})
