// The invariants must be able to fail: a hand-made next-hop cycle and a stale client view.
import { describe, expect, it } from 'vitest'
import { assertNoRouteLoops } from '../src/invariants.ts'
import type { Mesh } from '../src/mesh-types.ts'

const fakeMesh = (next: Record<string, string | undefined>): Mesh => {
  const nodes = Object.keys(next).map((id, i) => ({
    index: i,
    name: `n${i}`,
    id,
    alive: true,
    node: { id, nextHop: () => next[id], clients: () => [{ id: 'client' }] },
  }))
  return { nodes, clients: [], seed: 5, clock: { now: () => 1234 } } as unknown as Mesh
}

describe('assertNoRouteLoops', () => {
  it('behavior: passes on a tree of next hops', () => {
    expect(() => assertNoRouteLoops(fakeMesh({ a: 'b', b: 'local', c: 'b' }))).not.toThrow()
  })

  it('error: names the nodes of a loop, the seed and the time', () => {
    expect(() => assertNoRouteLoops(fakeMesh({ a: 'b', b: 'c', c: 'a', d: 'a' }))).toThrow(
      /route loop toward client client…: n\d → n\d → n\d → n\d \(seed 5, at 1234 ms\)/,
    )
  })
})
