import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import {
  type Client,
  type ClientOptions,
  createClient,
  createMemoryStore,
  createSqliteStore,
  type Friend,
  type Message,
  type Receipt,
} from '../src/index.ts'
import { crypto, FAST_SEAL, stopAll, twoMemoryNodes } from './helpers/nodes.ts'
import { tempDir } from './helpers/tmp.ts'

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

async function world() {
  const { clock, nodes, net } = await twoMemoryNodes()
  cleanups.push(() => stopAll(...nodes))
  const start = async (i: 0 | 1, options: Partial<ClientOptions>) => {
    const client = await createClient({
      node: nodes[i],
      store: createMemoryStore(),
      crypto,
      clock,
      sealParams: FAST_SEAL,
      ...options,
    })
    cleanups.push(() => client.stop())
    return client
  }
  return { clock, nodes, net, start }
}

const friendOf = async (c: Client, key: Uint8Array) =>
  (await c.friends()).find((f) => Buffer.from(f.key).equals(Buffer.from(key))) as Friend

describe('integration: two real nodes, memory network', () => {
  it('behavior: strangers become friends, exchange messages both ways, and see receipts', async () => {
    const { clock, start } = await world()
    const alice = await start(0, { nickname: 'alice' })
    const bob = await start(1, { nickname: 'bob' })
    await clock.runUntil(() => false, { maxMs: 1000 })

    const requests: string[] = []
    bob.on('friend-request', (r) => requests.push(r.nickname ?? '?'))
    await alice.addFriend(bob.key)
    expect(await clock.runUntil(() => requests.length === 1)).toBe(true)
    expect(requests).toEqual(['alice'])
    await bob.accept(alice.key)
    expect(
      await clock
        .runUntil(() => false, { maxMs: 1000 })
        .then(async () => (await friendOf(alice, bob.key)).keyed),
    ).toBe(true)
    const seen = await friendOf(alice, bob.key)
    expect(seen).toMatchObject({ status: 'friend', online: true, reachable: true, nickname: 'bob' })

    const atBob: Message[] = []
    const atAlice: Message[] = []
    const receipts: Receipt[] = []
    bob.on('message', (m) => atBob.push(m))
    alice.on('message', (m) => atAlice.push(m))
    alice.on('receipt', (r) => receipts.push(r))
    await alice.send(bob.key, 'hello bob')
    await alice.send(bob.key, 'second')
    expect(await clock.runUntil(() => atBob.length === 2)).toBe(true)
    expect(atBob.map((m) => m.text)).toEqual(['hello bob', 'second'])
    await bob.send(alice.key, 'hi alice')
    expect(await clock.runUntil(() => atAlice.length === 1)).toBe(true)
    await bob.markRead(atBob[0] as Message)
    expect(await clock.runUntil(() => receipts.some((r) => r.state === 'read'))).toBe(true)
    expect(receipts.map((r) => r.state)).toEqual(['sent', 'sent', 'delivered', 'delivered', 'read'])
    const history = await alice.history(alice.chatId(bob.key))
    expect(history.map((m) => [m.text, m.state])).toEqual([
      ['hello bob', 'read'],
      ['second', 'delivered'],
      ['hi alice', 'received'],
    ])
    expect((await alice.safetyNumber(bob.key)).digits).toBe(
      (await bob.safetyNumber(alice.key)).digits,
    )
  })

  it('behavior: status, note and typing travel end to end, sealed like messages (§17.3, §17.4)', async () => {
    const { clock, start } = await world()
    const alice = await start(0, { nickname: 'alice' })
    const bob = await start(1, { nickname: 'bob' })
    await clock.runUntil(() => false, { maxMs: 1000 })
    await alice.addFriend(bob.key)
    await clock.runUntil(() => false, { maxMs: 1000 })
    await bob.accept(alice.key)
    await clock.runUntil(() => false, { maxMs: 1000 })
    const seen: Friend[] = []
    bob.on('presence', (f) => seen.push(f))
    await alice.setStatus({ availability: 'busy', note: 'in a call ☎' })
    expect(await clock.runUntil(() => seen.some((f) => f.note === 'in a call ☎'))).toBe(true)
    expect((await friendOf(bob, alice.key)).availability).toBe('busy')
    const typing: boolean[] = []
    alice.on('typing', (f) => typing.push(f.typing))
    await bob.setTyping(alice.key, true)
    expect(await clock.runUntil(() => typing.length === 1)).toBe(true)
    await clock.runUntil(() => false, { maxMs: 11_000 })
    expect(typing).toEqual([true, false])
    expect(await alice.history(alice.chatId(bob.key))).toEqual([])
    expect(await bob.outbox()).toEqual([])
  })

  it('behavior: the echo bot of the README answers a new friend', async () => {
    const { clock, start } = await world()
    const bot = await start(0, { nickname: 'echo' })
    // the handlers of examples/echo-bot.ts
    bot.on('friend-request', (request) => void bot.accept(request.key))
    bot.on('message', async (message) => {
      await bot.markRead(message)
      const { peer, text, chatid } = message
      if (text !== undefined) await bot.send(peer, text, { chatid })
    })
    const alice = await start(1, { nickname: 'alice' })
    const replies: Message[] = []
    const receipts: Receipt[] = []
    alice.on('message', (m) => replies.push(m))
    alice.on('receipt', (r) => receipts.push(r))
    await clock.runUntil(() => false, { maxMs: 1000 })
    await alice.addFriend(bot.key)
    await alice.send(bot.key, 'ping')
    expect(await clock.runUntil(() => replies.length === 1)).toBe(true)
    expect(replies[0]?.text).toBe('ping')
    expect(await clock.runUntil(() => receipts.some((r) => r.state === 'read'))).toBe(true)
  })

  it('behavior: presence follows nickname changes and a clean stop; queued messages go out when the friend returns', async () => {
    const { clock, start } = await world()
    const alice = await start(0, { nickname: 'alice' })
    const bobPath = join(tempDir('chat6-int-'), 'client.db')
    let bob = await start(1, { nickname: 'bob', store: createSqliteStore(bobPath) })
    await alice.addFriend(bob.key)
    await clock.runUntil(() => false, { maxMs: 1000 })
    await bob.accept(alice.key)
    await clock.runUntil(() => false, { maxMs: 1000 })

    const presence: Friend[] = []
    alice.on('presence', (f) => presence.push(f))
    await bob.setNickname('robert')
    expect(await clock.runUntil(() => presence.some((f) => f.nickname === 'robert'))).toBe(true)

    // bob leaves cleanly; alice's message waits in her outbox
    const bobKey = bob.key
    await bob.stop()
    expect(await clock.runUntil(() => presence.some((f) => !f.online))).toBe(true)
    await alice.send(bobKey, 'while you were away')
    await clock.runUntil(() => false, { maxMs: 120_000 })
    expect((await alice.outbox()).map((m) => m.state)).toEqual(['queued'])

    // bob comes back (same identity, new process): new session, then delivery
    bob = await start(1, { store: createSqliteStore(bobPath) })
    const got: Message[] = []
    bob.on('message', (m) => got.push(m))
    expect(await clock.runUntil(() => got.length === 1)).toBe(true)
    expect(got[0]?.text).toBe('while you were away')
    expect(await clock.runUntil(() => false, { maxMs: 1000 }).then(() => alice.outbox())).toEqual(
      [],
    )
  })
})
