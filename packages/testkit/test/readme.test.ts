// The README's minimal example, kept compiling and passing here.
import { assertNoRouteLoops, createMesh, delivered, everyNodeKnows } from '@chat6/testkit'
import { expect, it } from 'vitest'

it('behavior: the README example runs', async () => {
  await using mesh = await createMesh({
    nodes: 10,
    topology: 'ring',
    seed: 42,
    clients: [{ node: 0 }, { node: 5 }],
  })
  await mesh.until(everyNodeKnows(mesh, 1), { timeout: 30_000 })
  await mesh.befriend(0, 1)

  mesh.cut(0, 1) // the short way round breaks…
  const msg = await mesh.send(0, 1, 'hello')
  await mesh.until(delivered(mesh, msg), { timeout: 120_000 }) // …and the long way delivers
  assertNoRouteLoops(mesh)
  expect(mesh.clients[1]?.received.map((m) => m.text)).toEqual(['hello'])
})
