// The outbox and its delivery window (§11, §11.1) on their own: a memory Store, the virtual clock
// and a fake send function that records what would have gone to the node. No client, no mesh.
import { createVirtualClock } from '@chat6/node/testing'
import { describe, expect, it } from 'vitest'
import { toHex } from '../src/bytes.ts'
import type { SendResult } from '../src/link.ts'
import { Hooks } from '../src/services/hooks.ts'
import { createOutbox, type OutboxComponents } from '../src/services/outbox.ts'
import type { PeerState, ServiceHooks } from '../src/services/types.ts'
import { createMemoryStore } from '../src/store/memory.ts'
import type { MessageRecord, Store } from '../src/store/types.ts'

const RETRY = 30_000
const bob = new Uint8Array(32).fill(2)
const carol = new Uint8Array(32).fill(3)
const chatid = new Uint8Array(16).fill(7)

function setup(over: Partial<OutboxComponents> & { maxInFlight?: number } = {}) {
  const clock = createVirtualClock()
  const store = over.store ?? createMemoryStore()
  /** Every frame handed to the "node": which message, in which state it was read. */
  const sent: MessageRecord[] = []
  const advanced: MessageRecord[] = []
  const state = { ready: true, result: { ok: true } as SendResult | undefined }
  const outbox = createOutbox({
    store,
    clock,
    limits: { maxInFlight: over.maxInFlight ?? 3, retryInterval: RETRY },
    send: (m) => {
      if (state.result?.ok) sent.push(m)
      return state.result
    },
    ready: () => state.ready,
    onAdvance: (m) => advanced.push(m),
    ...(over.hooks ? { hooks: over.hooks } : {}),
  })
  let n = 0
  const enqueue = (peer = bob) =>
    outbox.enqueue({
      peer,
      chatid,
      msgid: new Uint8Array(16).fill(++n),
      outgoing: true,
      mtype: 1,
      body: new TextEncoder().encode(`m${n}`),
      state: 'queued',
      time: 0,
    })
  /** Bodies of the frames sent so far, as text. */
  const texts = () => sent.map((m) => new TextDecoder().decode(m.body))
  const deliver = (m: MessageRecord, how: 'delivered' | 'read' = 'delivered') =>
    outbox.receipt({ peer: m.peer, chatid: m.chatid, msgid: m.msgid }, how)
  return { clock, store, outbox, sent, advanced, state, enqueue, texts, deliver }
}

describe('outbox: the delivery window (§11.1)', () => {
  it('behavior: stores before sending; at most maxInFlight frames per friend, in outbox order', () => {
    const { outbox, store, enqueue, texts, advanced } = setup({ maxInFlight: 3 })
    const first = enqueue()
    expect(first.state).toBe('sent')
    for (let i = 0; i < 4; i++) enqueue()
    expect(texts()).toEqual(['m1', 'm2', 'm3'])
    expect(outbox.inFlight(bob)).toBe(3)
    expect(store.outbox({ peer: bob }).map((m) => m.state)).toEqual([
      'sent',
      'sent',
      'sent',
      'queued',
      'queued',
    ])
    expect(advanced.map((m) => m.state)).toEqual(['sent', 'sent', 'sent'])
    // another friend has a window of their own
    enqueue(carol)
    expect(texts()).toEqual(['m1', 'm2', 'm3', 'm6'])
    expect(outbox.inFlight(carol)).toBe(1)
  })

  it('behavior: a receipt frees its slot and the next message in order goes', () => {
    const { outbox, enqueue, texts, deliver, advanced } = setup({ maxInFlight: 2 })
    const ms = [enqueue(), enqueue(), enqueue(), enqueue()]
    expect(texts()).toEqual(['m1', 'm2'])
    deliver(ms[1] as MessageRecord)
    expect(texts()).toEqual(['m1', 'm2', 'm3'])
    deliver(ms[0] as MessageRecord, 'read')
    expect(texts()).toEqual(['m1', 'm2', 'm3', 'm4'])
    expect(advanced.map((m) => `${new TextDecoder().decode(m.body)} ${m.state}`)).toEqual([
      'm1 sent',
      'm2 sent',
      'm2 delivered',
      'm3 sent',
      'm1 read',
      'm4 sent',
    ])
    expect(outbox.inFlight(bob)).toBe(2)
    // a receipt for what is already delivered changes nothing and reports nothing
    deliver(ms[1] as MessageRecord)
    expect(advanced).toHaveLength(6)
    expect(texts()).toHaveLength(4)
  })

  it('behavior: an unacknowledged frame is re-sent every retryInterval, alone, until its receipt', async () => {
    const { clock, enqueue, sent, texts, deliver } = setup()
    const m = enqueue()
    enqueue()
    const m1 = () => texts().filter((t) => t === 'm1').length
    deliver(sent[1] as MessageRecord)
    await clock.advance(RETRY - 1)
    expect(m1()).toBe(1)
    await clock.advance(2)
    expect(m1()).toBe(2)
    // the retry is the stored message, now `sent`
    expect(sent.at(-1)?.state).toBe('sent')
    await clock.advance(RETRY)
    expect(m1()).toBe(3)
    deliver(m)
    await clock.advance(10 * RETRY)
    expect(m1()).toBe(3)
    expect(texts()).toEqual(['m1', 'm2', 'm1', 'm1'])
    expect(clock.pending()).toBe(0)
  })

  it('behavior: the window refills past a frame still in flight, and the retry is that frame only', async () => {
    const { clock, enqueue, sent, texts, deliver, outbox } = setup({ maxInFlight: 2 })
    const m = [enqueue(), enqueue(), enqueue(), enqueue(), enqueue()]
    for (const x of m.slice(1)) deliver(sent.find((s) => toHex(s.msgid) === toHex(x.msgid)) ?? x)
    expect(texts()).toEqual(['m1', 'm2', 'm3', 'm4', 'm5'])
    expect(outbox.inFlight(bob)).toBe(1)
    await clock.advance(RETRY)
    expect(texts()).toEqual(['m1', 'm2', 'm3', 'm4', 'm5', 'm1'])
  })

  it('behavior: a friend who leaves takes every frame out of flight; on return all go again, oldest first', async () => {
    const { clock, enqueue, texts, state, outbox, deliver } = setup({ maxInFlight: 3 })
    const m = [enqueue(), enqueue(), enqueue(), enqueue()]
    expect(texts()).toEqual(['m1', 'm2', 'm3'])
    // gone: nothing is retried, nothing new goes
    state.ready = false
    outbox.land(bob)
    expect(outbox.inFlight(bob)).toBe(0)
    enqueue()
    await clock.advance(5 * RETRY)
    expect(texts()).toEqual(['m1', 'm2', 'm3'])
    // keyed again under a new session: the window starts over from the oldest undelivered
    state.ready = true
    outbox.pump(bob)
    expect(texts()).toEqual(['m1', 'm2', 'm3', 'm1', 'm2', 'm3'])
    deliver(m[0] as MessageRecord)
    expect(texts().at(-1)).toBe('m4')
  })

  it('behavior: a retry that finds the friend not ready leaves the frame for the next pump', async () => {
    const { clock, enqueue, texts, state, outbox } = setup({ maxInFlight: 3 })
    enqueue()
    enqueue()
    // not ready, but nobody landed the window (the friend re-announced and is being re-keyed)
    state.ready = false
    await clock.advance(RETRY)
    expect(outbox.inFlight(bob)).toBe(0)
    expect(texts()).toEqual(['m1', 'm2'])
    state.ready = true
    outbox.pump(bob)
    expect(texts()).toEqual(['m1', 'm2', 'm1', 'm2'])
  })

  it('behavior: a message that cannot be sealed stays queued for the next pump; one the node refuses is retried', async () => {
    const { clock, enqueue, texts, state, outbox, store } = setup()
    state.result = undefined // no session yet
    const m = enqueue()
    expect(outbox.inFlight(bob)).toBe(0)
    expect(store.getMessage(m)?.state).toBe('queued')
    state.result = { ok: false, reason: 'no_route' }
    outbox.pump(bob)
    // refused: in flight, still queued, retried like a lost frame
    expect(outbox.inFlight(bob)).toBe(1)
    expect(store.getMessage(m)?.state).toBe('queued')
    state.result = { ok: true }
    await clock.advance(RETRY)
    expect(texts()).toEqual(['m1'])
    expect(store.getMessage(m)?.state).toBe('sent')
  })

  it('behavior: a Store that ignores the page gets the same frames, and pump ends', () => {
    const inner = createMemoryStore()
    let reads = 0
    const store: Store = {
      ...inner,
      outbox: (query) => {
        // a pump that keeps reading the same page would never end: fail instead of hanging
        if (++reads > 100) throw new Error('pump reads the outbox again and again')
        return inner.outbox({ peer: query?.peer })
      },
    }
    const { enqueue, texts, deliver, outbox, state } = setup({ store, maxInFlight: 2 })
    state.ready = false
    const m = [enqueue(), enqueue(), enqueue(), enqueue(), enqueue()]
    state.ready = true
    outbox.pump(bob) // one read returns all five
    expect(texts()).toEqual(['m1', 'm2'])
    deliver(m[3] as MessageRecord) // not sent yet, but acknowledged (a copy from before a restart)
    expect(texts()).toEqual(['m1', 'm2'])
    deliver(m[1] as MessageRecord)
    expect(texts()).toEqual(['m1', 'm2', 'm3'])
    deliver(m[0] as MessageRecord)
    expect(texts()).toEqual(['m1', 'm2', 'm3', 'm5'])
    expect(outbox.inFlight(bob)).toBe(2)
  })

  it('behavior: with hooks it follows the friend: pumps when keyed, lands when unavailable, forgets when removed', async () => {
    const hooks = new Hooks<ServiceHooks>()
    const { clock, enqueue, texts, state, outbox } = setup({ hooks, maxInFlight: 2 })
    const peer = { record: { key: bob }, hex: toHex(bob) } as PeerState
    state.ready = false
    enqueue()
    enqueue()
    expect(texts()).toEqual([])
    state.ready = true
    hooks.run('keyed', { peer, fresh: true })
    expect(texts()).toEqual(['m1', 'm2'])
    // a second session while keyed: frames in flight stay in flight
    hooks.run('keyed', { peer, fresh: false })
    expect(texts()).toEqual(['m1', 'm2'])
    // back after being away: re-sent at once under the new session
    hooks.run('keyed', { peer, fresh: true })
    expect(texts()).toEqual(['m1', 'm2', 'm1', 'm2'])
    hooks.run('unavailable', peer)
    expect(outbox.inFlight(bob)).toBe(0)
    hooks.run('keyed', { peer, fresh: true })
    hooks.run('removed', peer)
    expect(outbox.inFlight(bob)).toBe(0)
    expect(clock.pending()).toBe(0)
  })
})
