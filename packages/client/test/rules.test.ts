// The client's rules (§10, §11) on the fake mesh and the virtual clock: no real sleeps.

import { createVirtualClock } from '@chat6/node/testing'
import { describe, expect, it } from 'vitest'
import type { Friend, FriendRequest, Message, Receipt } from '../src/api.ts'
import { toHex } from '../src/bytes.ts'
import { createMemoryStore } from '../src/store/memory.ts'
import type { Store } from '../src/store/types.ts'
import { type Carried, fakeMesh, fakeProtocol, sha256 } from './helpers/fakes.ts'
import { fakeClient, type Harnessed, memoryDisk, record } from './helpers/harness.ts'

async function setup() {
  const clock = createVirtualClock()
  const mesh = fakeMesh(clock)
  const diskA = memoryDisk()
  const diskB = memoryDisk()
  const a = await fakeClient(mesh, clock, { nickname: 'alice', store: diskA.open() })
  const b = await fakeClient(mesh, clock, { nickname: 'bob', store: diskB.open() })
  await clock.tick()
  /** A new process for the same client, on the same (kept) store. */
  const restart = (h: Harnessed, disk = h === a ? diskA : diskB) =>
    fakeClient(mesh, clock, { key: h.key, store: disk.open() })
  return { clock, mesh, a, b, restart }
}

/** Two clients who are already friends, with a session up. */
async function friends() {
  const s = await setup()
  await s.a.client.addFriend(s.b.key)
  await s.clock.tick()
  await s.b.client.accept(s.a.key)
  await s.clock.tick()
  return s
}

const friendOf = async (c: { client: { friends(): Promise<Friend[]> } }, key: Uint8Array) =>
  (await c.client.friends()).find((f) => toHex(f.key) === toHex(key))

describe('friends (§10)', () => {
  it('behavior: a stranger’s request waits for the user, then both sides are keyed', async () => {
    const { clock, mesh, a, b } = await setup()
    const ev = record(b.client)
    const evA = record(a.client)
    await a.client.addFriend(b.key)
    await clock.tick()
    expect(ev['friend-request']).toHaveLength(1)
    expect((ev['friend-request'] as FriendRequest[])[0]?.nickname).toBe('alice')
    expect((await b.client.requests()).map((r) => toHex(r.key))).toEqual([toHex(a.key)])
    expect(mesh.sent('FRIEND_CONFIRM')).toHaveLength(0)
    expect((await friendOf(a, b.key))?.status).toBe('requested')

    await b.client.accept(a.key)
    await clock.tick()
    expect(mesh.sent('FRIEND_CONFIRM', b.key)).toHaveLength(1)
    expect(await b.client.requests()).toEqual([])
    expect((await friendOf(a, b.key))?.status).toBe('friend')
    expect((await friendOf(a, b.key))?.keyed).toBe(true)
    expect((await friendOf(b, a.key))?.keyed).toBe(true)
    expect(evA['friend-added']).toHaveLength(1)
    expect(ev['friend-added']).toHaveLength(1)
  })

  it('behavior: a friend’s request is confirmed at once, without asking the user', async () => {
    const { clock, mesh, a, b } = await friends()
    const ev = record(b.client)
    // A restarts: same key, same store, new process
    await a.client.stop()
    await clock.tick()
    const a2 = await fakeClient(mesh, clock, { key: a.key, store: createMemoryStore() })
    await a2.client.addFriend(b.key)
    await clock.tick()
    expect(ev['friend-request']).toBeUndefined()
    expect((await friendOf(a2, b.key))?.keyed).toBe(true)
  })

  it('behavior: crossing requests both complete, and each side holds two sessions', async () => {
    const { clock, mesh, a, b, restart } = await friends()
    // both restart at once: each offers, each answers the other's offer
    await a.client.stop()
    await b.client.stop()
    await clock.advance(1000)
    const a2 = await restart(a)
    const b2 = await restart(b)
    await clock.tick()
    expect(a2.protocol.sessions.length).toBe(2)
    expect(b2.protocol.sessions.length).toBe(2)
    expect(mesh.sent('FRIEND_REQUEST', a.key).length).toBeGreaterThanOrEqual(2)
    expect((await friendOf(a2, b.key))?.keyed).toBe(true)
    expect((await friendOf(b2, a.key))?.keyed).toBe(true)
    await a2.client.send(b.key, 'after crossing')
    const got: Message[] = []
    b2.client.on('message', (m) => got.push(m))
    await clock.tick()
    expect(got.map((m) => m.text)).toEqual(['after crossing'])
  })

  it('behavior: a rejected key stays blocked and is never answered', async () => {
    const { clock, mesh, a, b } = await setup()
    const ev = record(b.client)
    await a.client.addFriend(b.key)
    await clock.tick()
    await b.client.reject(a.key)
    await clock.advance(120_000)
    expect(mesh.sent('FRIEND_REQUEST', a.key).length).toBeGreaterThan(3)
    expect(mesh.sent('FRIEND_CONFIRM', b.key)).toHaveLength(0)
    expect(ev['friend-request']).toHaveLength(1)
    expect(await b.client.requests()).toEqual([])
    expect(b.store.getBlocked(sha256(a.key))?.reason).toBe('rejected')
  })

  it('behavior: a blocked friend is dropped and their requests go unanswered', async () => {
    const { clock, mesh, a, b } = await friends()
    await b.client.block(a.key)
    const before = mesh.sent('FRIEND_CONFIRM', b.key).length
    await a.client.stop()
    const a2 = await fakeClient(mesh, clock, { key: a.key })
    await a2.client.addFriend(b.key)
    await clock.advance(90_000)
    expect(mesh.sent('FRIEND_CONFIRM', b.key).length).toBe(before)
    expect(await b.client.friends()).toEqual([])
  })

  it('behavior: an unconfirmed request is re-sent every 30 s while the friend is online', async () => {
    const { clock, mesh, a, b } = await setup()
    await a.client.addFriend(b.key)
    const count = () => mesh.sent('FRIEND_REQUEST', a.key).length
    await clock.advance(29_000)
    expect(count()).toBe(1)
    await clock.advance(2_000)
    expect(count()).toBe(2)
    await clock.advance(30_000)
    expect(count()).toBe(3)
    // each retry is a new frame (new nonce), so relays do not drop it as a duplicate (§9)
    const nonces = mesh
      .sent('FRIEND_REQUEST', a.key)
      .map((c) => (c.frame as { nonce: number }).nonce)
    expect(new Set(nonces).size).toBe(3)
    await b.client.stop()
    await clock.advance(120_000)
    expect(count()).toBe(3)
  })

  it('behavior: a replayed request (same nonce) is not answered twice', async () => {
    const { clock, mesh, a, b } = await friends()
    const request = mesh.sent('FRIEND_REQUEST', a.key).at(-1)?.frame
    const confirms = mesh.sent('FRIEND_CONFIRM', b.key).length
    const attacker = mesh.attach(new Uint8Array(32).fill(9), {
      onFrame() {},
      onPresence() {},
      refreshPresence: async () => {
        throw new Error('unused')
      },
    })
    attacker.send(request as never)
    await clock.tick()
    expect(mesh.sent('FRIEND_CONFIRM', b.key).length).toBe(confirms)
  })

  it('behavior: a stranger’s request outside MAX_REQUEST_AGE is dropped, a friend’s is not (§10.1)', async () => {
    const { clock, mesh, a, b, restart } = await friends()
    const ev = record(b.client)
    const strangerKey = new Uint8Array(32).fill(7)
    const stranger = fakeProtocol(strangerKey)
    const link = mesh.attach(strangerKey, {
      onFrame() {},
      onPresence() {},
      refreshPresence: async () => {
        throw new Error('unused')
      },
    })
    // an hour ahead of b's clock: refused; then one within the window: surfaced
    link.send(stranger.offer(b.key, clock.wallNow() + 3_600_000).frame as never)
    await clock.tick()
    expect(ev['friend-request']).toBeUndefined()
    link.send(stranger.offer(b.key, clock.wallNow()).frame as never)
    await clock.tick()
    expect(ev['friend-request']).toHaveLength(1)

    // a friend whose wall clock jumped back restarts: its nonces run an hour ahead of every
    // clock, and it is still answered, because the nonce on record decides (§10.1)
    const confirms = mesh.sent('FRIEND_CONFIRM', b.key).length
    clock.jumpWall(-3_600_000)
    await a.client.stop()
    await clock.tick()
    const a2 = await restart(a)
    await clock.tick()
    expect(mesh.sent('FRIEND_CONFIRM', b.key).length).toBe(confirms + 1)
    expect((await friendOf(a2, b.key))?.keyed).toBe(true)
  })

  it('behavior: pending requests are capped, oldest dropped first', async () => {
    const clock = createVirtualClock()
    const mesh = fakeMesh(clock)
    const b = await fakeClient(mesh, clock, { limits: { maxPendingRequests: 3 } })
    const keys: Uint8Array[] = []
    for (let i = 0; i < 5; i++) {
      const s = await fakeClient(mesh, clock)
      keys.push(s.key)
      await clock.advance(1000)
      await s.client.addFriend(b.key)
      await clock.tick()
    }
    const pending = await b.client.requests()
    expect(pending.map((r) => toHex(r.key))).toEqual(keys.slice(2).map(toHex))
  })

  it('behavior: requests from one sender are rate-limited', async () => {
    const { clock, mesh, b, a } = await setup()
    // a hand-made sender that fires requests back to back with rising nonces
    const link = mesh.attach(a.key, {
      onFrame() {},
      onPresence() {},
      refreshPresence: async () => {
        throw new Error('unused')
      },
    })
    const now = clock.wallNow()
    for (let i = 1; i <= 10; i++) link.send(a.protocol.offer(b.key, now + i).frame)
    await clock.tick()
    expect(b.store.getRequest(sha256(a.key))?.nonce).toBe(now + 3)
    await clock.advance(10_000)
    link.send(a.protocol.offer(b.key, now + 20).frame)
    await clock.tick()
    expect(b.store.getRequest(sha256(a.key))?.nonce).toBe(now + 20)
  })

  it('behavior: forged requests do not spend a sender’s rate limit: it is charged only once the proof verifies (§10.5)', async () => {
    const { clock, mesh, b } = await setup()
    const ev = record(b.client)
    const key = new Uint8Array(32).fill(5)
    const honest = fakeProtocol(key)
    // an outsider on its own attachment sends requests that claim `key`, with proofs that fail
    const forger = mesh.attach(new Uint8Array(32).fill(6), {
      onFrame() {},
      onPresence() {},
      refreshPresence: async () => {
        throw new Error('unused')
      },
    })
    const now = clock.wallNow()
    for (let i = 1; i <= 10; i++) {
      const { frame } = honest.offer(b.key, now + i)
      forger.send({ ...frame, proof: new Uint8Array(64) })
    }
    await clock.tick()
    expect(ev['friend-request']).toBeUndefined()
    // the real owner of `key` asks at once: its bucket is still full
    forger.send(honest.offer(b.key, now + 20).frame)
    await clock.tick()
    expect(ev['friend-request']).toHaveLength(1)
    expect(b.store.getRequest(sha256(key))?.nonce).toBe(now + 20)
  })

  it('behavior: a stranger using a friend’s nickname is flagged, and stays flagged once added', async () => {
    const { clock, mesh, a, b } = await friends()
    const mallory = await fakeClient(mesh, clock, { nickname: 'bob' })
    const ev = record(a.client)
    await mallory.client.addFriend(a.key)
    await clock.tick()
    const request = (ev['friend-request'] as FriendRequest[])[0] as FriendRequest
    expect(toHex(request.conflictsWith as Uint8Array)).toBe(toHex(b.key))
    const added = await a.client.accept(mallory.key)
    expect(added.keyChanged).toBe(true)
    expect(toHex(added.previousKey as Uint8Array)).toBe(toHex(b.key))
    // the real bob's record is untouched
    expect((await friendOf(a, b.key))?.keyChanged).toBe(false)
    expect((await a.client.safetyNumber(mallory.key)).digits).toBe(
      (await mallory.client.safetyNumber(a.key)).digits,
    )
    const verified = await a.client.markVerified(mallory.key)
    expect(verified).toMatchObject({ keyChanged: false, verified: true })
  })

  it('error: accept without a request, and friends of no one, are typed errors', async () => {
    const { a, b } = await setup()
    await expect(a.client.accept(b.key)).rejects.toMatchObject({
      name: 'ClientError',
      code: 'no_request',
    })
    await expect(a.client.send(b.key, 'x')).rejects.toMatchObject({ code: 'unknown_friend' })
    await expect(a.client.addFriend(a.key)).rejects.toMatchObject({ code: 'self' })
    await expect(a.client.addFriend(new Uint8Array(3))).rejects.toMatchObject({
      code: 'invalid_argument',
    })
    const ac = new AbortController()
    ac.abort()
    await expect(a.client.friends({ signal: ac.signal })).rejects.toMatchObject({ code: 'aborted' })
  })
})

describe('messages (§11)', () => {
  it('behavior: queued → sent → delivered → read, with receipts', async () => {
    const { clock, a, b } = await friends()
    const receipts: Receipt[] = []
    a.client.on('receipt', (r) => receipts.push(r))
    const got: Message[] = []
    b.client.on('message', (m) => got.push(m))
    const sent = await a.client.send(b.key, 'hello')
    expect(sent.state).toBe('sent')
    await clock.tick()
    expect(got.map((m) => m.text)).toEqual(['hello'])
    expect(got[0]?.state).toBe('received')
    await b.client.markRead(got[0] as Message)
    await clock.tick()
    expect(receipts.map((r) => r.state)).toEqual(['sent', 'delivered', 'read'])
    const [mine] = await a.client.history(a.client.chatId(b.key))
    expect(mine?.state).toBe('read')
    expect((await b.client.history(b.client.chatId(a.key)))[0]?.state).toBe('read')
  })

  it('behavior: an unconfirmed message is re-sent every 30 s', async () => {
    const { clock, mesh, a, b } = await friends()
    mesh.drop((f) => f.type === 'MESSAGE_RECV')
    await a.client.send(b.key, 'are you there')
    const count = () => mesh.chat('MESSAGE_SEND', a.key).length
    await clock.advance(29_000)
    expect(count()).toBe(1)
    await clock.advance(2_000)
    expect(count()).toBe(2)
    await clock.advance(30_000)
    expect(count()).toBe(3)
    mesh.drop(() => false)
    await clock.advance(30_000)
    expect(count()).toBe(4)
    await clock.advance(300_000)
    expect(count()).toBe(4)
    expect((await a.client.outbox()).length).toBe(0)
  })

  it('behavior: the receiver dedupes retries and acknowledges each copy', async () => {
    const { clock, mesh, a, b } = await friends()
    mesh.drop((f) => f.type === 'MESSAGE_RECV')
    const got: Message[] = []
    b.client.on('message', (m) => got.push(m))
    await a.client.send(b.key, 'once')
    await clock.advance(95_000)
    expect(mesh.chat('MESSAGE_SEND', a.key)).toHaveLength(4)
    expect(mesh.chat('MESSAGE_RECV', b.key)).toHaveLength(4)
    expect(got).toHaveLength(1)
    expect(await b.client.history(b.client.chatId(a.key))).toHaveLength(1)
  })

  it('behavior: retries stop when the friend goes offline or unreachable and resume when back', async () => {
    const { clock, mesh, a, b, restart } = await friends()
    mesh.drop((f) => f.type === 'MESSAGE_SEND')
    await a.client.send(b.key, 'later')
    const count = () => mesh.chat('MESSAGE_SEND', a.key).length
    mesh.setReachable(b.key, false)
    await clock.tick()
    expect((await friendOf(a, b.key))?.reachable).toBe(false)
    await clock.advance(120_000)
    expect(count()).toBe(1)
    mesh.drop(() => false)
    const got: Message[] = []
    b.client.on('message', (m) => got.push(m))
    mesh.setReachable(b.key, true)
    await clock.tick()
    expect(got.map((m) => m.text)).toEqual(['later'])

    // offline (clean stop) then back with a new process: waits, then delivers
    await b.client.stop()
    await clock.tick()
    expect((await friendOf(a, b.key))?.online).toBe(false)
    await a.client.send(b.key, 'while you were out')
    await clock.advance(120_000)
    expect(count()).toBe(2)
    expect((await a.client.outbox()).map((m) => m.state)).toEqual(['queued'])
    const b2 = await restart(b)
    const got2: Message[] = []
    b2.client.on('message', (m) => got2.push(m))
    await clock.tick()
    expect(got2.map((m) => m.text)).toEqual(['while you were out'])
  })

  it('behavior: messages queued while offline go out in outbox order', async () => {
    const { clock, mesh, a, b } = await friends()
    mesh.setReachable(b.key, false)
    await clock.tick()
    for (let i = 0; i < 5; i++) await a.client.send(b.key, `m${i}`)
    expect((await a.client.outbox()).map((m) => m.text)).toEqual(['m0', 'm1', 'm2', 'm3', 'm4'])
    expect(mesh.chat('MESSAGE_SEND', a.key)).toHaveLength(0)
    const got: Message[] = []
    b.client.on('message', (m) => got.push(m))
    mesh.setReachable(b.key, true)
    await clock.tick()
    expect(got.map((m) => m.text)).toEqual(['m0', 'm1', 'm2', 'm3', 'm4'])
    const page = await b.client.history(b.client.chatId(a.key), { limit: 2 })
    expect(page.map((m) => m.text)).toEqual(['m3', 'm4'])
    const older = await b.client.history(b.client.chatId(a.key), {
      limit: 10,
      before: page[0]?.seq,
    })
    expect(older.map((m) => m.text)).toEqual(['m0', 'm1', 'm2'])
  })

  it('behavior: at most maxInFlight frames are outstanding per friend', async () => {
    const clock = createVirtualClock()
    const mesh = fakeMesh(clock)
    const a = await fakeClient(mesh, clock, { limits: { maxInFlight: 2 } })
    const b = await fakeClient(mesh, clock)
    await a.client.addFriend(b.key)
    await clock.tick()
    await b.client.accept(a.key)
    await clock.tick()
    mesh.drop((f) => f.type === 'MESSAGE_RECV')
    for (let i = 0; i < 4; i++) await a.client.send(b.key, `m${i}`)
    expect(mesh.chat('MESSAGE_SEND', a.key)).toHaveLength(2)
    mesh.drop(() => false)
    await clock.advance(30_000)
    await clock.tick()
    expect((await a.client.outbox()).length).toBe(0)
  })

  it.each([
    ['the memory store', createMemoryStore],
    [
      'a store that ignores the outbox page',
      (): Store => {
        const s = createMemoryStore()
        return { ...s, outbox: (query) => s.outbox({ peer: query?.peer }) }
      },
    ],
  ])(
    'behavior: the window refills past a message still in flight, and retries only that one (%s)',
    async (_, store) => {
      const clock = createVirtualClock()
      const mesh = fakeMesh(clock)
      const a = await fakeClient(mesh, clock, { limits: { maxInFlight: 2 }, store: store() })
      const b = await fakeClient(mesh, clock)
      await a.client.addFriend(b.key)
      await clock.tick()
      await b.client.accept(a.key)
      await clock.tick()
      const first = await a.client.send(b.key, 'm0')
      const firstId = Buffer.from(first.msgid).toString('hex')
      // the receipt of m0 is lost: it stays in flight while the others pass it
      mesh.drop(
        (f) => f.type === 'MESSAGE_RECV' && Buffer.from(f.msgid).toString('hex') === firstId,
      )
      for (let i = 1; i < 6; i++) await a.client.send(b.key, `m${i}`)
      for (let i = 0; i < 10; i++) await clock.tick()
      expect((await a.client.outbox()).map((m) => m.text)).toEqual(['m0'])
      expect(mesh.chat('MESSAGE_SEND', a.key)).toHaveLength(6)
      mesh.drop(() => false)
      await clock.advance(30_000)
      await clock.tick()
      expect(await a.client.outbox()).toEqual([])
      expect(mesh.chat('MESSAGE_SEND', a.key)).toHaveLength(7) // m0 once more, nothing else
      const got = (await b.client.history(b.client.chatId(a.key))).map((m) => m.text)
      expect(got.sort()).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'm5'])
    },
  )

  it('behavior: custom chat ids and app message types round-trip', async () => {
    const { clock, a, b } = await friends()
    const got: Message[] = []
    b.client.on('message', (m) => got.push(m))
    const chatid = new Uint8Array(16).fill(7)
    await a.client.send(b.key, new Uint8Array([1, 2, 3]), { mtype: 1000, chatid })
    await clock.tick()
    expect(got[0]).toMatchObject({ mtype: 1000, text: undefined, body: new Uint8Array([1, 2, 3]) })
    expect(await b.client.history(chatid)).toHaveLength(1)
    await expect(a.client.send(b.key, new Uint8Array([1]), { mtype: 5 })).rejects.toMatchObject({
      code: 'invalid_argument',
    })
    await expect(a.client.send(b.key, '')).rejects.toMatchObject({ code: 'invalid_argument' })
    await expect(a.client.send(b.key, 'x'.repeat(32_769))).rejects.toMatchObject({
      code: 'invalid_argument',
    })
  })

  it('behavior: stop destroys every session and pending offer', async () => {
    const { clock, a, b } = await friends()
    await a.client.send(b.key, 'x')
    await clock.tick()
    await a.client.stop()
    expect(a.protocol.sessions.length).toBeGreaterThan(0)
    expect(a.protocol.sessions.every((s) => s.destroyed)).toBe(true)
    expect(a.protocol.pendings.every((p) => p.destroyed)).toBe(true)
    await expect(a.client.send(b.key, 'y')).rejects.toMatchObject({ code: 'stopped' })
  })
})

describe('read receipts (§11.1)', () => {
  it('behavior: a message read while its sender is offline shows read at the sender after both restart', async () => {
    const { clock, mesh, a, b, restart } = await friends()
    const got: Message[] = []
    b.client.on('message', (m) => got.push(m))
    await a.client.send(b.key, 'read me later')
    await clock.tick()
    expect(got.map((m) => m.text)).toEqual(['read me later'])
    await a.client.stop()
    await clock.tick()

    await b.client.markRead(got[0] as Message)
    expect(mesh.chat('MESSAGE_READ', b.key)).toHaveLength(0)
    expect(b.store.pendingReads()).toHaveLength(1)
    await b.client.stop()
    await clock.advance(60_000)
    const b2 = await restart(b)
    await clock.advance(60_000)
    expect(mesh.chat('MESSAGE_READ', b.key)).toHaveLength(0)

    const a2 = await restart(a)
    const receipts: Receipt[] = []
    a2.client.on('receipt', (r) => receipts.push(r))
    await clock.tick()
    expect(receipts.map((r) => r.state)).toEqual(['read'])
    expect((await a2.client.history(a2.client.chatId(b.key)))[0]?.state).toBe('read')
    expect(mesh.chat('MESSAGE_READ', b.key)).toHaveLength(1)
    expect(b2.store.pendingReads()).toEqual([])
  })

  it('behavior: a read receipt waits while the sender is unreachable, then goes once, under the new session', async () => {
    const { clock, mesh, a, b } = await friends()
    const got: Message[] = []
    b.client.on('message', (m) => got.push(m))
    await a.client.send(b.key, 'hi')
    await clock.tick()
    mesh.setReachable(a.key, false)
    await clock.tick()
    expect((await friendOf(b, a.key))?.keyed).toBe(false)
    await b.client.markRead(got[0] as Message)
    await b.client.markRead(got[0] as Message)
    expect(mesh.chat('MESSAGE_READ', b.key)).toHaveLength(0)
    expect(b.store.pendingReads()).toHaveLength(1)

    mesh.setReachable(a.key, true)
    await clock.tick()
    const reads = mesh.chat('MESSAGE_READ', b.key)
    expect(reads).toHaveLength(1)
    const sid = (reads[0] as Carried).frame as { sid: Uint8Array }
    expect(toHex(sid.sid)).toBe(toHex(b.protocol.sessions.at(-1)?.sid as Uint8Array))
    expect((await a.client.history(a.client.chatId(b.key)))[0]?.state).toBe('read')
    expect(b.store.pendingReads()).toEqual([])
    await clock.advance(120_000)
    expect(mesh.chat('MESSAGE_READ', b.key)).toHaveLength(1)
  })

  it.each(['removeFriend', 'block'] as const)(
    'behavior: %s forgets the read receipts kept for that friend',
    async (how) => {
      const { clock, mesh, a, b } = await friends()
      const got: Message[] = []
      b.client.on('message', (m) => got.push(m))
      await a.client.send(b.key, 'one')
      await clock.tick()
      mesh.setReachable(a.key, false)
      await clock.tick()
      await b.client.markRead(got[0] as Message)
      expect(b.store.pendingReads()).toHaveLength(1)
      await b.client[how](a.key)
      expect(b.store.pendingReads()).toEqual([])
    },
  )
})

describe('presence (§8.1)', () => {
  it('behavior: reachable implies online, whatever the attachment reports', async () => {
    const clock = createVirtualClock()
    const mesh = fakeMesh(clock)
    const b = await fakeClient(mesh, clock)
    const a = await fakeClient(mesh, clock, {
      attach: (key, handlers) => {
        const link = mesh.attach(key, handlers)
        // a careless attachment: reachable without online
        return {
          ...link,
          lookup: (hash) => {
            const info = link.lookup(hash)
            return info && { ...info, reachable: true }
          },
        }
      },
    })
    await a.client.addFriend(b.key)
    await clock.tick()
    await b.client.accept(a.key)
    await clock.tick()
    expect(await friendOf(a, b.key)).toMatchObject({ online: true, reachable: true, keyed: true })
    await b.client.stop()
    await clock.tick()
    expect(await friendOf(a, b.key)).toMatchObject({
      online: false,
      reachable: false,
      keyed: false,
    })
  })

  it('behavior: a friend online without a route is online but not reachable, and not keyed', async () => {
    const { clock, mesh, a, b } = await friends()
    const ev = record(a.client)
    mesh.setReachable(b.key, false)
    await clock.tick()
    expect(await friendOf(a, b.key)).toMatchObject({ online: true, reachable: false, keyed: false })
    expect((ev.presence as Friend[]).at(-1)).toMatchObject({ online: true, reachable: false })
  })
})
