import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import type { Chat6Node } from '../src/index.ts'
import { createMesh, type Mesh, RawPeer, rawUp } from './helpers.ts'

let mesh: Mesh | undefined
afterEach(async () => {
  await mesh?.stop()
  mesh = undefined
})

const line = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('latin1')),
  fc.constantFrom('HELLO', 'AAAA BBBB 1 BYE reason=x', 'A B 0 KEEPALIVE_REQUEST id=1', '=== = ='),
)

describe('robustness', () => {
  it('behavior: random lines before and after the handshake never break the node', async () => {
    mesh = await createMesh(1, { maxDropsPerMinute: 1_000_000 })
    const node = mesh.nodes[0] as Chat6Node
    await fc.assert(
      fc.asyncProperty(
        fc.array(line, { maxLength: 20 }),
        fc.boolean(),
        async (lines, handshake) => {
          const p = handshake
            ? await rawUp(mesh as Mesh, node)
            : await RawPeer.dial(mesh as Mesh, node)
          for (const l of lines) p.writeLine(l.replaceAll('\n', ' '))
          await (mesh as Mesh).settle()
          p.conn.destroy()
          await (mesh as Mesh).settle()
        },
      ),
      { numRuns: 60, seed: 42 },
    )
    // still serving: a fresh peer completes the handshake
    const q = await rawUp(mesh, node)
    expect(q.frames().some((f) => f.type === 'HELLO')).toBe(true)
    expect(node.status).toBe('started')
  })
})
