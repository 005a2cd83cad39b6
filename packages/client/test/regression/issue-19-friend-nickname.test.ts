// Issue 19, first round: a friend who was already online when added (or accepted) was saved
// without the nickname they announce: only a later presence change saved it, so after a restart
// with the friend offline they showed as a hash. The chat6 CLI worked around it by looking the
// nickname up in its node's presence table; the client now keeps it as soon as it sees it.
import { createVirtualClock } from '@chat6/node/testing'
import { describe, expect, it } from 'vitest'
import { fakeMesh } from '../helpers/fakes.ts'
import { fakeClient, memoryDisk } from '../helpers/harness.ts'

async function setup() {
  const clock = createVirtualClock()
  const mesh = fakeMesh(clock)
  const diskA = memoryDisk()
  const a = await fakeClient(mesh, clock, { nickname: 'alice', store: diskA.open() })
  const b = await fakeClient(mesh, clock, { nickname: 'bob' })
  await clock.tick()
  const restart = (h: typeof a) => fakeClient(mesh, clock, { key: h.key, store: diskA.open() })
  return { clock, mesh, a, b, restart }
}

describe('regression: issue 19, the nickname of a friend online when added', () => {
  it('regression: a friend already online when added or accepted is saved with the nickname they announce', async () => {
    const { clock, mesh, a, b, restart } = await setup()
    const carol = await fakeClient(mesh, clock, { nickname: 'carol' })
    await clock.tick()
    // alice adds bob without a name while bob is online: no later presence change names him
    await a.client.addFriend(b.key)
    await carol.client.addFriend(a.key)
    await clock.tick()
    await a.client.accept(carol.key)
    await b.client.stop()
    await carol.client.stop()
    await clock.tick()
    const a2 = await restart(a)
    await clock.tick()
    const names = (await a2.client.friends()).map((f) => [f.nickname, f.online])
    expect(names.sort()).toEqual([
      ['bob', false],
      ['carol', false],
    ])
    expect(a2.store.getFriend(b.protocol.hash)?.nickname).toBe('bob')
    expect(a2.store.getFriend(carol.protocol.hash)?.nickname).toBe('carol')
  })
})
