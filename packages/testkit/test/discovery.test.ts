// Discovery (§12): a node bootstrapped from one peer grows to its target degree through
// NEIGHBORS_REQUEST, and answers only ever disclose neighbours that relay for others and accept
// connections.
import { describe, expect, it } from 'vitest'
import { everyNodeKnows } from '../src/conditions.ts'
import { createMesh } from '../src/mesh.ts'

const neighborsIn = (line: string): string[] =>
  line
    .split(' ')
    .filter((t) => t.startsWith('neighbor='))
    .map((t) => t.slice('neighbor='.length))

describe('discovery', () => {
  it('behavior: a node bootstrapped from one peer grows to its target degree, and only relaying listeners are disclosed', async () => {
    await using mesh = await createMesh({
      nodes: 8,
      topology: 'ring',
      seed: 6,
      discovery: true,
      clients: [0, 2, 4, 6].map((node) => ({ node })),
    })
    // Q: a leaf behind n0 with one client of its own: it never relays presence of two keys.
    const q = await mesh.addNode({ links: [0], nodeOptions: { targetPeers: 0 } })
    await mesh.addClient({ node: q })
    // P: relays between n1 and n2 but accepts no connections (HELLO port 0).
    const p = await mesh.addNode({ links: [1, 2], nodeOptions: { targetPeers: 0, listen: false } })
    for (let j = 0; j < 5; j++) await mesh.until(everyNodeKnows(mesh, j), { timeout: 60_000 })
    await mesh.advance(60_000)
    expect(
      mesh
        .node(1)
        .peers()
        .find((x) => x.id === mesh.nodes[p]?.id)?.relays,
    ).toBe(true)
    expect(
      mesh
        .node(0)
        .peers()
        .find((x) => x.id === mesh.nodes[q]?.id)?.relays,
    ).toBe(false)

    const joiner = await mesh.addNode({ bootstrap: [0], nodeOptions: { targetPeers: 4 } })
    await mesh.until(() => mesh.node(joiner).peers().length >= 4, {
      timeout: 300_000,
      what: 'joiner has 4 peers',
    })
    const name = mesh.nodes[joiner]?.name
    const asked = mesh.trace.entries.filter(
      (e) => e.type === 'NEIGHBORS_REQUEST' && e.from === name,
    )
    const answers = mesh.trace.entries.filter(
      (e) => e.type === 'NEIGHBORS_RESPONSE' && e.to === name,
    )
    expect(asked.length).toBeGreaterThan(0)
    expect(answers.some((e) => neighborsIn(e.line).length > 0)).toBe(true)
    expect(mesh.node(joiner).peers().length).toBe(4)

    const hidden = new Set([mesh.nodes[q]?.host, mesh.nodes[p]?.host])
    const responses = mesh.trace.entries.filter((e) => e.type === 'NEIGHBORS_RESPONSE')
    expect(responses.length).toBeGreaterThan(0)
    for (const r of responses) {
      for (const addr of neighborsIn(r.line)) {
        const [host, port] = addr.split(',')
        expect(hidden.has(host)).toBe(false)
        expect(port).toBe('7600')
        // never the asker itself
        expect(mesh.nodes.find((n) => n.host === host)?.name).not.toBe(r.to)
      }
    }
    const peerIds = new Set(
      mesh
        .node(joiner)
        .peers()
        .map((x) => x.id),
    )
    expect(peerIds.has(mesh.nodes[q]?.id as string)).toBe(false)
    expect(peerIds.has(mesh.nodes[p]?.id as string)).toBe(false)
  })
})
