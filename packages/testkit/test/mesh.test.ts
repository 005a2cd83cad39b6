import { describe, expect, it } from 'vitest'
import { createMesh } from '../src/mesh.ts'

describe('mesh', () => {
  it('behavior: brings up the topology and restarts a killed node with a fresh key', async () => {
    await using mesh = await createMesh({ nodes: 5, topology: 'ring', seed: 3 })
    expect(mesh.nodes.every((n) => n.alive)).toBe(true)
    expect(mesh.node(0).peers().length).toBe(2)
    const oldId = mesh.nodes[2]?.id
    await mesh.kill(2)
    await mesh.advance(5_000)
    expect(mesh.node(1).peers().length).toBe(1)
    await mesh.restart(2)
    await mesh.until(() => mesh.node(1).peers().length === 2 && mesh.node(3).peers().length === 2, {
      what: 'relinked',
    })
    expect(mesh.nodes[2]?.id).not.toBe(oldId)
    expect(mesh.trace.entries.some((e) => e.type === 'HELLO')).toBe(true)
  })
})
