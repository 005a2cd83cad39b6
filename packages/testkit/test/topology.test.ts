import { describe, expect, it } from 'vitest'
import { isConnected, topologyEdges } from '../src/topology.ts'

// A tiny LCG: these tests only need some fixed sequence of floats.
const lcg = (seed: number) => {
  let x = seed >>> 0
  return () => {
    x = (Math.imul(x, 1_664_525) + 1_013_904_223) >>> 0
    return x / 4_294_967_296
  }
}

describe('topologyEdges', () => {
  it('behavior: fixed shapes', () => {
    expect(topologyEdges('line', 4, lcg(1))).toEqual([
      [0, 1],
      [1, 2],
      [2, 3],
    ])
    expect(topologyEdges('ring', 4, lcg(1))).toEqual([
      [0, 1],
      [0, 3],
      [1, 2],
      [2, 3],
    ])
    expect(topologyEdges('star', 3, lcg(1))).toEqual([
      [0, 1],
      [0, 2],
    ])
    // 3 columns: 0 1 2 / 3 4
    expect(topologyEdges('grid', 5, lcg(1))).toEqual([
      [0, 1],
      [0, 3],
      [1, 2],
      [1, 4],
      [3, 4],
    ])
  })

  it('behavior: random graphs are connected, of the asked mean degree, and fixed by the seed', () => {
    for (let seed = 0; seed < 50; seed++) {
      const edges = topologyEdges({ random: { degree: 4 } }, 50, lcg(seed))
      expect(edges.length).toBe(100)
      expect(isConnected(50, edges)).toBe(true)
      expect(new Set(edges.map((e) => e.join())).size).toBe(edges.length)
      expect(topologyEdges({ random: { degree: 4 } }, 50, lcg(seed))).toEqual(edges)
    }
  })

  it('behavior: explicit edges are normalised and deduplicated', () => {
    expect(
      topologyEdges(
        {
          edges: [
            [2, 1],
            [1, 2],
            [0, 1],
          ],
        },
        3,
        lcg(1),
      ),
    ).toEqual([
      [0, 1],
      [1, 2],
    ])
  })

  it('error: bad input names its field', () => {
    expect(() => topologyEdges({ edges: [[0, 5]] }, 3, lcg(1))).toThrow(/topology.edges\[0\]/)
    expect(() => topologyEdges({ random: { degree: 0 } }, 3, lcg(1))).toThrow(/degree/)
    expect(() => topologyEdges('line', 0, lcg(1))).toThrow(/nodes/)
  })

  it('behavior: isConnected ignores removed nodes', () => {
    const line = topologyEdges('line', 3, lcg(1))
    expect(isConnected(3, line)).toBe(true)
    expect(isConnected(3, line, new Set([1]))).toBe(false)
    expect(isConnected(3, line, new Set([0]))).toBe(true)
  })
})
