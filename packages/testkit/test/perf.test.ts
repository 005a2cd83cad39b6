import { describe, expect, it } from 'vitest'
import { createMesh } from '../src/mesh.ts'

describe('performance', () => {
  it('behavior: ten virtual minutes of a 50-node random mesh take well under a second', async () => {
    await using mesh = await createMesh({
      nodes: 50,
      topology: { random: { degree: 4 } },
      seed: 1,
      trace: false,
    })
    const t0 = performance.now()
    await mesh.advance(600_000)
    const wall = performance.now() - t0
    console.log(`50 nodes, 10 virtual minutes: ${wall.toFixed(0)} ms wall`)
    expect(mesh.node(0).peers().length).toBeGreaterThan(0)
    // The goal is well under a second on one core; the bound only catches a pathological slowdown
    // on a loaded CI machine (turbo runs packages in parallel).
    expect(wall).toBeLessThan(5_000)
  })
})
