// The presence advertiser on its own (§8.2 pacing, §8.4): two coalescing queues per link on a
// virtual clock, a stub table that records what goes out, and links that are only `{ state }`.
import { describe, expect, it } from 'vitest'
import type { Link } from '../src/link.ts'
import { type AdvertiserInit, createPresenceAdvertiser } from '../src/presence/advertiser.ts'
import { createFrameRegistry } from '../src/registry.ts'
import { createVirtualClock } from '../src/testing.ts'

const RATES: AdvertiserInit = { rate: 10, burst: 5, updateRate: 100, updateBurst: 20 }

function setup(init: AdvertiserInit = RATES, send?: (link: Link, id: string) => boolean) {
  const clock = createVirtualClock()
  const sent: Array<[string, string]> = []
  const logs: string[] = []
  const drops: string[] = []
  const names = new Map<Link, string>()
  const link = (name: string): Link => {
    const l = { state: 'up' } as unknown as Link
    names.set(l, name)
    return l
  }
  const metrics = { bumpDrop: (r: string) => drops.push(r) } as never
  const registry = createFrameRegistry({ metrics })
  const adv = createPresenceAdvertiser(
    {
      clock,
      registry,
      log: (_level, msg) => logs.push(msg),
      metrics,
      table: {
        sendPresence:
          send ??
          ((l, id) => {
            sent.push([names.get(l) as string, id])
            return true
          }),
      },
    },
    init,
  )
  const ids = (from: number, n: number) => Array.from({ length: n }, (_, i) => `c${from + i}`)
  return { clock, adv, registry, sent, logs, drops, link, ids }
}

describe('presence advertiser: the new-key queue', () => {
  it('behavior: clients not yet sent on a link go out at the new-key rate, burst first', async () => {
    const { clock, adv, sent, link, ids } = setup()
    const l = link('n1')
    for (const id of ids(0, 25)) adv.enqueue(l, id)
    expect(adv.queued()).toBe(25)
    await clock.tick()
    expect(sent).toHaveLength(5)
    await clock.advance(1_000)
    expect(sent).toHaveLength(15)
    await clock.advance(1_000)
    expect(sent).toHaveLength(25)
    expect(sent.map(([, id]) => id)).toEqual(ids(0, 25))
    expect(adv.queued()).toBe(0)
  })

  it('behavior: a client queued twice before it went out is sent once', async () => {
    const { clock, adv, sent, link } = setup()
    const l = link('n1')
    adv.enqueue(l, 'a')
    adv.enqueue(l, 'a')
    adv.enqueue(l, 'a')
    expect(adv.queued()).toBe(1)
    await clock.advance(5_000)
    expect(sent).toEqual([['n1', 'a']])
  })

  it('behavior: each link has its own queues and buckets', async () => {
    const { clock, adv, sent, link, ids } = setup()
    const l1 = link('n1')
    const l2 = link('n2')
    for (const id of ids(0, 10)) adv.enqueue(l1, id)
    for (const id of ids(0, 10)) adv.enqueue(l2, id)
    await clock.tick()
    expect(sent.filter(([n]) => n === 'n1')).toHaveLength(5)
    expect(sent.filter(([n]) => n === 'n2')).toHaveLength(5)
  })
})

describe('presence advertiser: the update queue', () => {
  it('behavior: updates of clients already sent overtake a backlog of new keys, at the update rate', async () => {
    const { clock, adv, sent, link, ids } = setup()
    const l = link('n1')
    for (const id of ids(0, 5)) adv.enqueue(l, id)
    await clock.tick()
    expect(sent).toHaveLength(5)
    // a backlog of 50 new keys, then updates of the 5 already advertised
    for (const id of ids(100, 50)) adv.enqueue(l, id)
    for (const id of ids(0, 5)) adv.enqueue(l, id)
    expect(adv.queued()).toBe(55)
    await clock.advance(100)
    // the 5 updates went out within 100 ms; the new keys wait for their own bucket (1 per 100 ms)
    const after = sent.slice(5).map(([, id]) => id)
    expect(after.slice(0, 5)).toEqual(ids(0, 5))
    expect(after.length).toBeLessThanOrEqual(7)
  })

  it('behavior: updates are paced too, at their own rate and burst', async () => {
    const { clock, adv, sent, link, ids } = setup({ ...RATES, rate: 1e6, burst: 1e6 })
    const l = link('n1')
    for (const id of ids(0, 60)) adv.enqueue(l, id)
    await clock.tick()
    expect(sent).toHaveLength(60)
    for (const id of ids(0, 60)) adv.enqueue(l, id)
    await clock.tick()
    expect(sent).toHaveLength(60 + 20)
    await clock.advance(200)
    expect(sent).toHaveLength(60 + 40)
    await clock.advance(200)
    expect(sent).toHaveLength(120)
  })

  it('behavior: a client queued as new and not yet sent stays one new-key entry when it changes again', async () => {
    const { clock, adv, sent, link, ids } = setup()
    const l = link('n1')
    for (const id of ids(0, 5)) adv.enqueue(l, id)
    await clock.tick()
    adv.enqueue(l, 'x')
    adv.enqueue(l, 'x')
    expect(adv.queued()).toBe(1)
    await clock.advance(1_000)
    expect(sent.filter(([, id]) => id === 'x')).toHaveLength(1)
  })

  it('behavior: a forgotten client is a new key again; a presence that did not go out is not advertised', async () => {
    let refuse = true
    const out: string[] = []
    const { clock, adv, link } = setup({ ...RATES, burst: 1, rate: 1 }, (_l, id) => {
      out.push(id)
      return !refuse
    })
    const l = link('n1')
    adv.enqueue(l, 'a')
    await clock.tick()
    expect(out).toEqual(['a'])
    // 'a' did not go out: it is still a new key, and waits for the new-key bucket
    refuse = false
    adv.enqueue(l, 'a')
    await clock.advance(500)
    expect(out).toEqual(['a'])
    await clock.advance(600)
    expect(out).toEqual(['a', 'a'])
    // now advertised: an update goes out at once through the update bucket
    adv.enqueue(l, 'a')
    await clock.tick()
    expect(out).toEqual(['a', 'a', 'a'])
    // forgotten (left the table): new again
    adv.forget('a')
    adv.enqueue(l, 'a')
    await clock.advance(500)
    expect(out).toHaveLength(3)
    await clock.advance(600)
    expect(out).toHaveLength(4)
  })
})

describe('presence advertiser: links and errors', () => {
  it('behavior: nothing is queued for a link that is not up, and a link that goes down loses its queues', async () => {
    const { clock, adv, registry, sent, link, ids } = setup()
    const down = link('n0')
    ;(down as { state: string }).state = 'handshake'
    adv.enqueue(down, 'a')
    expect(adv.queued()).toBe(0)
    const l = link('n1')
    for (const id of ids(0, 20)) adv.enqueue(l, id)
    await clock.tick()
    expect(sent).toHaveLength(5)
    // the node reports link-down through the registry's listeners
    registry.linkDown(l, 'timeout', 'local')
    expect(adv.queued()).toBe(0)
    await clock.advance(10_000)
    expect(sent).toHaveLength(5)
  })

  it('error: a throwing send is logged and counted as an internal drop; the queue goes on', async () => {
    const out: string[] = []
    const { clock, adv, link, logs, drops } = setup(RATES, (_l, id) => {
      if (id === 'bad') throw new Error('boom')
      out.push(id)
      return true
    })
    const l = link('n1')
    for (const id of ['a', 'bad', 'b']) adv.enqueue(l, id)
    await clock.tick()
    expect(out).toEqual(['a', 'b'])
    expect(logs).toEqual(['internal error sending presence'])
    expect(drops).toEqual(['internal'])
  })

  it('behavior: stop cancels every pending pump', async () => {
    const { clock, adv, sent, link, ids } = setup()
    const l = link('n1')
    for (const id of ids(0, 20)) adv.enqueue(l, id)
    await clock.tick()
    adv.stop()
    await clock.advance(10_000)
    expect(sent).toHaveLength(5)
  })
})
