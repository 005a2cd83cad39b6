// The client's promise under random faults: whatever the schedule of sends, crashes (no
// CLIENT_OFFLINE, in-flight frames lost), clean stops, restarts and frame loss, every message
// sent is shown to the friend exactly once and its sender ends with an empty outbox.
import { createVirtualClock } from '@chat6/node/testing'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { fakeMesh } from './helpers/fakes.ts'
import { fakeClient, type Harnessed, memoryDisk } from './helpers/harness.ts'

type Step = { after: number; who: 'a' | 'b'; kind: 'send' | 'crash' | 'stop' | 'restart' }

const step = fc.record({
  after: fc.integer({ min: 0, max: 40_000 }),
  who: fc.constantFrom('a' as const, 'b' as const),
  kind: fc.constantFrom(
    'send' as const,
    'send' as const,
    'crash' as const,
    'stop' as const,
    'restart' as const,
  ),
})

async function run(steps: Step[], lossSeed: number): Promise<void> {
  const clock = createVirtualClock()
  const mesh = fakeMesh(clock)
  const disks = { a: memoryDisk(), b: memoryDisk() }
  const shown = new Map<string, number>()
  const sent: string[] = []
  const start = async (who: 'a' | 'b', key?: Uint8Array) => {
    const h = await fakeClient(mesh, clock, {
      store: disks[who].open(),
      nickname: who,
      ...(key ? { key } : {}),
    })
    if (who === 'b') {
      h.client.on('message', (m) =>
        shown.set(m.text as string, (shown.get(m.text as string) ?? 0) + 1),
      )
    }
    return h
  }
  const up: Record<'a' | 'b', Harnessed | undefined> = { a: await start('a'), b: await start('b') }
  const keys = { a: (up.a as Harnessed).key, b: (up.b as Harnessed).key }
  await up.a?.client.addFriend(keys.b)
  await clock.tick()
  await up.b?.client.accept(keys.a)
  await clock.tick()

  // a deterministic loss pattern: drops roughly one routed frame (handshakes too) in four
  let x = lossSeed | 1
  mesh.drop((f) => {
    if (!f.type.startsWith('MESSAGE_') && !f.type.startsWith('FRIEND_')) return false
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    return (x >>> 0) % 4 === 0
  })

  let n = 0
  for (const s of steps) {
    await clock.advance(s.after)
    const h = up[s.who]
    if (s.kind === 'send' && up.a) {
      const text = `m${n++}`
      await up.a.client.send(keys.b, text)
      sent.push(text)
    } else if (s.kind === 'crash' && h) {
      mesh.crash(keys[s.who])
      await h.client.stop({ offline: false })
      up[s.who] = undefined
    } else if (s.kind === 'stop' && h) {
      await h.client.stop()
      up[s.who] = undefined
    } else if (s.kind === 'restart' && !h) {
      up[s.who] = await start(s.who, keys[s.who])
    }
  }
  for (const who of ['a', 'b'] as const) up[who] ??= await start(who, keys[who])
  mesh.drop(() => false)
  await clock.runUntil(() => false, { maxMs: 5 * 60_000 })

  const a = up.a as Harnessed
  const b = up.b as Harnessed
  expect(await a.client.outbox()).toEqual([])
  for (const text of sent) expect([text, shown.get(text)]).toEqual([text, 1])
  const stored = (await b.client.history(b.client.chatId(keys.a), { limit: 1000 })).map(
    (m) => m.text,
  )
  expect(stored.slice().sort()).toEqual(sent.slice().sort())
  await a.client.stop()
  await b.client.stop()
  totals.sent += sent.length
  totals.runs++
}
const totals = { sent: 0, runs: 0 }

describe('exactly once under faults', () => {
  it('behavior: every message is shown exactly once whatever crashes, stops and losses happen', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 4, maxLength: 24 }), fc.integer(), run),
      { numRuns: 100, seed: 6 },
    )
    // the property ran for real: many runs sent many messages
    expect(totals.runs).toBe(100)
    expect(totals.sent).toBeGreaterThan(100)
  }, 60_000)
})
