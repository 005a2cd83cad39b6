// The profile service (§17.3, §17.4) on the fake mesh and the virtual clock: PROFILE both ways,
// again on every change and at most one in flight, kept across restarts, taking precedence over
// presence; friends without the service (version-1 clients); TYPING and its timers.

import { createVirtualClock } from '@chat6/node/testing'
import { decodePayload, type FrameOf } from '@chat6/wire'
import { describe, expect, it } from 'vitest'
import type { Friend } from '../src/api.ts'
import { toHex } from '../src/bytes.ts'
import type { Attach, PresenceInfo } from '../src/link.ts'
import type { ServiceComponents, ServiceFactory } from '../src/services/service.ts'
import { type fakeMesh, fakeMesh as makeMesh } from './helpers/fakes.ts'
import { fakeClient, type Harnessed, memoryDisk, record } from './helpers/harness.ts'

type Mesh = ReturnType<typeof fakeMesh>

/**
 * The payloads of `mtype` a client handed to its node (the fake seals nothing), decoded, with
 * `delivered: false` on those the mesh dropped or refused.
 */
const payloads = (mesh: Mesh, mtype: number, from: Uint8Array) =>
  mesh
    .sent('MESSAGE_SEND', from)
    .filter((c) => (c.frame as FrameOf<'MESSAGE_SEND'>).mtype === mtype)
    .map((c) => {
      const r = decodePayload(mtype, (c.frame as FrameOf<'MESSAGE_SEND'>).message.slice(41))
      if (!r.ok) return { invalid: r.error.code }
      return c.delivered ? r.payload : { ...r.payload, delivered: false }
    })

/** PROFILE as `encodePayload` takes it, `cap=typing` by default. */
const profile = (nickname: string, more: { status?: string; note?: string } = {}) => ({
  type: 'PROFILE',
  nickname,
  ...more,
  cap: ['typing'],
})
const typing = (state: string) => ({ type: 'TYPING', state })

const friendOf = async (h: Harnessed, key: Uint8Array): Promise<Friend> => {
  const f = (await h.client.friends()).find((x) => toHex(x.key) === toHex(key))
  if (!f) throw new Error('not a friend')
  return f
}

/** A service that only keeps its components, to call `supports` and `outbox` from tests. */
function probe(caps: string[] = []) {
  let got: ServiceComponents | undefined
  const factory: ServiceFactory = (c) => {
    got = c
    return { caps }
  }
  return { factory, c: () => got as ServiceComponents }
}

async function setup(
  opts: { aProfile?: boolean; bProfile?: boolean; bCaps?: string[]; bAttach?: Attach } = {},
) {
  const clock = createVirtualClock()
  const mesh = makeMesh(clock)
  const diskA = memoryDisk()
  const diskB = memoryDisk()
  const pa = probe()
  const pb = probe(opts.bCaps)
  const a = await fakeClient(mesh, clock, {
    nickname: 'alice',
    store: diskA.open(),
    services: [pa.factory],
    ...(opts.aProfile === undefined ? {} : { profile: opts.aProfile }),
  })
  const b = await fakeClient(mesh, clock, {
    nickname: 'bob',
    store: diskB.open(),
    services: [pb.factory],
    ...(opts.bProfile === undefined ? {} : { profile: opts.bProfile }),
    ...(opts.bAttach ? { attach: opts.bAttach } : {}),
  })
  await clock.tick()
  await a.client.addFriend(b.key)
  await clock.tick()
  await b.client.accept(a.key)
  await clock.tick()
  const restart = async (h: Harnessed, profile = true) => {
    await h.client.stop()
    await clock.tick()
    const disk = h === a ? diskA : diskB
    return fakeClient(mesh, clock, { key: h.key, store: disk.open(), profile })
  }
  return { clock, mesh, a, b, pa, pb, restart }
}

describe('PROFILE (§17.3)', () => {
  it('behavior: each side sends its PROFILE once a session completes; neither shows it as a message', async () => {
    const clock = createVirtualClock()
    const mesh = makeMesh(clock)
    const a = await fakeClient(mesh, clock, { nickname: 'alice' })
    const b = await fakeClient(mesh, clock, { nickname: 'bob' })
    const evA = record(a.client)
    const evB = record(b.client)
    await clock.tick()
    await a.client.addFriend(b.key)
    await clock.tick()
    await b.client.accept(a.key)
    await clock.tick()
    expect(payloads(mesh, 2, a.key)).toEqual([profile('alice')])
    expect(payloads(mesh, 2, b.key)).toEqual([profile('bob')])
    const bob = await friendOf(a, b.key)
    expect([bob.nickname, bob.availability, bob.note, bob.typing]).toEqual([
      'bob',
      'online',
      undefined,
      false,
    ])
    // payloads of §17 are not chat messages: not in history, outbox, 'message' or 'receipt'
    for (const h of [a, b]) {
      expect(await h.client.history(a.client.chatId(b.key))).toEqual([])
      expect(await h.client.outbox()).toEqual([])
    }
    expect([evA.message, evA.receipt, evB.message, evB.receipt]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ])
    // ... but it went through the outbox: stored, delivered, and the next session sends nothing
    expect(
      a.store.history(a.client.chatId(b.key), { limit: 10 }).map((m) => [m.mtype, m.state]),
    ).toEqual([[2, 'delivered']])
    mesh.setReachable(b.key, false)
    await clock.tick()
    mesh.setReachable(b.key, true)
    await clock.advance(1000)
    expect((await friendOf(a, b.key)).keyed).toBe(true)
    expect(payloads(mesh, 2, a.key)).toHaveLength(1)
  })

  it('behavior: a change of status, note or nickname is sent at once to keyed friends, who show it', async () => {
    const { clock, mesh, a, b } = await setup()
    const ev = record(b.client)
    await a.client.setStatus({ availability: 'away', note: 'back at 2' })
    expect(a.client.status).toEqual({ availability: 'away', note: 'back at 2' })
    await clock.tick()
    expect(payloads(mesh, 2, a.key).at(-1)).toEqual(
      profile('alice', { status: 'away', note: 'back at 2' }),
    )
    const alice = await friendOf(b, a.key)
    expect([alice.availability, alice.note]).toEqual(['away', 'back at 2'])
    expect((ev.presence as Friend[]).at(-1)?.availability).toBe('away')
    // availability alone keeps the note; null clears it
    await a.client.setStatus({ availability: 'busy' })
    await clock.tick()
    expect((await friendOf(b, a.key)).note).toBe('back at 2')
    await a.client.setStatus({ note: null })
    await a.client.setNickname('alicia')
    await clock.tick()
    const now = await friendOf(b, a.key)
    expect([now.nickname, now.availability, now.note]).toEqual(['alicia', 'busy', undefined])
    // the same status again is no change: nothing sent
    const before = payloads(mesh, 2, a.key).length
    await a.client.setStatus({ availability: 'busy' })
    await clock.tick()
    expect(payloads(mesh, 2, a.key)).toHaveLength(before)
  })

  it('behavior: changes made while a friend is away go as one PROFILE, the latest, when they are back', async () => {
    const { clock, mesh, a, b } = await setup()
    const before = payloads(mesh, 2, a.key).length
    mesh.setReachable(b.key, false)
    await clock.tick()
    await a.client.setStatus({ availability: 'away' })
    await a.client.setStatus({ note: 'lunch' })
    await a.client.setStatus({ availability: 'busy', note: 'call' })
    await clock.advance(60_000)
    expect(payloads(mesh, 2, a.key)).toHaveLength(before)
    mesh.setReachable(b.key, true)
    await clock.advance(1000)
    expect(payloads(mesh, 2, a.key).slice(before)).toEqual([
      profile('alice', { status: 'busy', note: 'call' }),
    ])
    expect((await friendOf(b, a.key)).availability).toBe('busy')
  })

  it('behavior: at most one PROFILE is unacknowledged per friend; a change meanwhile goes after its receipt', async () => {
    const { clock, mesh, a, b } = await setup()
    const before = payloads(mesh, 2, a.key).length
    mesh.drop((f) => f.type === 'MESSAGE_RECV')
    await a.client.setStatus({ availability: 'away' })
    await clock.tick()
    await a.client.setStatus({ availability: 'busy' })
    await clock.advance(1000)
    // the first is retried (a lost one is retried, §11), the second waits for its receipt
    const away = profile('alice', { status: 'away' })
    expect(payloads(mesh, 2, a.key).slice(before)).toEqual([away])
    await clock.advance(30_000)
    expect(payloads(mesh, 2, a.key).slice(before)).toEqual([away, away])
    mesh.drop(() => false)
    await clock.advance(30_000)
    expect(payloads(mesh, 2, a.key).slice(before)).toEqual([
      away,
      away,
      away,
      profile('alice', { status: 'busy' }),
    ])
    expect((await friendOf(b, a.key)).availability).toBe('busy')
  })

  it('behavior: their PROFILE takes precedence over presence, which may carry no nickname (version-2 records)', async () => {
    // bob's node reports presence without nickname or icon, as a DHT record would
    const strip = (i: PresenceInfo | undefined) => i && { ...i, nickname: undefined }
    const blind: Attach = (key, handlers) => {
      let link: Awaited<ReturnType<Attach>> | undefined
      const wrapped = {
        ...handlers,
        onPresence: (change: Parameters<typeof handlers.onPresence>[0]) =>
          handlers.onPresence({ ...change, info: strip(change.info) }),
      }
      return Promise.resolve(mesh.attach(key, wrapped)).then((l) => {
        link = l
        return { ...l, lookup: (h: Uint8Array) => strip(link?.lookup(h)) }
      })
    }
    const clock = createVirtualClock()
    const mesh = makeMesh(clock)
    const a = await fakeClient(mesh, clock, { nickname: 'alice' })
    const b = await fakeClient(mesh, clock, { nickname: 'bob', attach: blind })
    await clock.tick()
    await b.client.addFriend(a.key)
    await clock.tick()
    expect((await friendOf(b, a.key)).nickname).toBe(undefined)
    await a.client.accept(b.key)
    await clock.tick()
    expect((await friendOf(b, a.key)).nickname).toBe('alice')
    await a.client.setNickname('alicia')
    await clock.tick()
    expect((await friendOf(b, a.key)).nickname).toBe('alicia')
  })

  it('behavior: what a friend told us and what they acknowledged survive restarts: nothing is sent twice', async () => {
    const { clock, mesh, a, b, restart } = await setup()
    await a.client.setStatus({ availability: 'away', note: 'on a train' })
    await clock.tick()
    const sent = payloads(mesh, 2, a.key).length
    const b2 = await restart(b)
    await clock.tick()
    // known before any new PROFILE arrives, even with alice offline
    await a.client.stop()
    await clock.tick()
    const alice = await friendOf(b2, a.key)
    expect([alice.reachable, alice.availability, alice.note]).toEqual([false, 'away', 'on a train'])
    const a2 = await restart(a)
    await clock.advance(1000)
    expect((await friendOf(a2, b.key)).keyed).toBe(true)
    // bob acknowledged this profile before: the new session sends none
    expect(payloads(mesh, 2, a.key)).toHaveLength(sent)
    expect(a2.client.status).toEqual({ availability: 'away', note: 'on a train' })
  })

  it('behavior: a friend without the service (a version-1 client) gets one PROFILE, stored as a message it does not show', async () => {
    const { clock, mesh, a, b, pa, restart } = await setup({ bProfile: false })
    // bob sends no PROFILE, and keeps alice's as a message of an unknown mtype (§17.2)
    expect(payloads(mesh, 2, b.key)).toEqual([])
    expect(payloads(mesh, 2, a.key)).toHaveLength(1)
    const chat = a.client.chatId(b.key)
    expect(b.store.history(chat, { limit: 10 }).map((m) => [m.mtype, m.outgoing])).toEqual([
      [2, false],
    ])
    expect(await b.client.history(chat)).toEqual([])
    expect(await a.client.outbox()).toEqual([])
    // no cap: no TYPING, and every other family is off for bob
    expect(pa.c().supports(b.key, 'typing')).toBe(false)
    await a.client.setTyping(b.key, true)
    expect(payloads(mesh, 3, a.key)).toEqual([])
    // later changes do not fill bob's history with payloads...
    await a.client.setStatus({ availability: 'busy' })
    await clock.advance(60_000)
    expect(payloads(mesh, 2, a.key)).toHaveLength(1)
    // ...until bob's client implements PROFILE: its first PROFILE brings alice's current one
    const b2 = await restart(b, true)
    await clock.advance(1000)
    expect(payloads(mesh, 2, b.key)).toHaveLength(1)
    expect(payloads(mesh, 2, a.key).at(-1)).toEqual(profile('alice', { status: 'busy' }))
    expect((await friendOf(b2, a.key)).availability).toBe('busy')
    expect(pa.c().supports(b.key, 'typing')).toBe(true)
  })

  it('behavior: supports(key, cap) follows the caps of the friend’s services, and is false for strangers', async () => {
    const { a, b, pa, pb } = await setup({ bCaps: ['group1', 'file1'] })
    expect(pa.c().supports(b.key, 'group1')).toBe(true)
    expect(pa.c().supports(b.key, 'file1')).toBe(true)
    expect(pa.c().supports(b.key, 'typing')).toBe(true)
    expect(pa.c().supports(b.key, 'mailbox1')).toBe(false)
    expect(pb.c().supports(a.key, 'group1')).toBe(false)
    expect(pa.c().supports(new Uint8Array(32).fill(9), 'typing')).toBe(false)
    await a.client.removeFriend(b.key)
    expect(pa.c().supports(b.key, 'typing')).toBe(false)
    expect(a.store.getProfile(b.protocol.hash)).toBeUndefined()
  })

  it('error: a PROFILE that does not decode is acknowledged, reported and not kept', async () => {
    const { clock, mesh, a, b, pa } = await setup()
    const ev = record(b.client)
    const before = await friendOf(b, a.key)
    pa.c().outbox.enqueue({
      peer: b.key,
      chatid: a.client.chatId(b.key),
      msgid: new Uint8Array(16).fill(7),
      outgoing: true,
      mtype: 2,
      body: new TextEncoder().encode('PROFILE note=no%20nickname'),
      state: 'queued',
      time: clock.wallNow(),
    })
    await clock.advance(1000)
    expect((ev.error as Error[]).map((e) => e.message)).toEqual([
      'a PROFILE that does not decode: bad_value',
    ])
    expect(mesh.sent('MESSAGE_RECV', b.key).at(-1)?.frame).toMatchObject({
      msgid: new Uint8Array(16).fill(7),
    })
    expect(await friendOf(b, a.key)).toEqual(before)
    await clock.advance(60_000)
    expect(payloads(mesh, 2, a.key)).toHaveLength(2) // the first, and this one once
  })

  it('error: setStatus refuses an unknown availability and a note that is empty or too long', async () => {
    const { a } = await setup()
    const code = (p: Promise<unknown>) =>
      p.then(
        () => 'ok',
        (e: { name: string; code: string }) => `${e.name} ${e.code}`,
      )
    expect(await code(a.client.setStatus({ availability: 'gone' as 'away' }))).toBe(
      'ClientError invalid_argument',
    )
    expect(await code(a.client.setStatus({ note: '' }))).toBe('ClientError invalid_argument')
    expect(await code(a.client.setStatus({ note: 'x'.repeat(141) }))).toBe(
      'ClientError invalid_argument',
    )
    expect(await code(a.client.setStatus({ note: 'a\u0007b' }))).toBe(
      'ClientError invalid_argument',
    )
    expect(await code(a.client.setStatus({ note: 'é'.repeat(70) }))).toBe('ok')
    expect(a.client.status).toEqual({ availability: 'online', note: 'é'.repeat(70) })
  })
})

describe('TYPING (§17.4)', () => {
  it('behavior: active goes at once and at most every 5 s while typing goes on; idle ends it', async () => {
    const { clock, mesh, a, b } = await setup()
    const ev = record(b.client)
    await a.client.setTyping(b.key, true)
    await clock.tick()
    expect(payloads(mesh, 3, a.key)).toEqual([typing('active')])
    expect((ev.typing as Friend[]).map((f) => f.typing)).toEqual([true])
    expect((await friendOf(b, a.key)).typing).toBe(true)
    for (let t = 1; t <= 9; t++) {
      await clock.advance(1000)
      await a.client.setTyping(b.key, true)
    }
    await clock.tick()
    // at 0, 5 s and (the 10th second) not yet: 0 and 5
    expect(payloads(mesh, 3, a.key)).toHaveLength(2)
    await clock.advance(1000)
    await a.client.setTyping(b.key, true)
    expect(payloads(mesh, 3, a.key)).toHaveLength(3)
    // still one 'typing' event: it only reports changes
    expect(ev.typing).toHaveLength(1)
    await a.client.setTyping(b.key, false)
    await clock.tick()
    expect(payloads(mesh, 3, a.key).at(-1)).toEqual(typing('idle'))
    expect((ev.typing as Friend[]).map((f) => f.typing)).toEqual([true, false])
    // idle goes once; nothing to say when nothing was typed
    await a.client.setTyping(b.key, false)
    expect(payloads(mesh, 3, a.key)).toHaveLength(4)
    // acknowledged, never stored (§17.4)
    expect(b.store.history(a.client.chatId(b.key), { limit: 10 }).map((m) => m.mtype)).toEqual([2])
    const typingIds = mesh
      .sent('MESSAGE_SEND', a.key)
      .filter((c) => (c.frame as FrameOf<'MESSAGE_SEND'>).mtype === 3)
      .map((c) => toHex((c.frame as FrameOf<'MESSAGE_SEND'>).msgid))
    const acked = mesh
      .sent('MESSAGE_RECV', b.key)
      .map((c) => toHex((c.frame as FrameOf<'MESSAGE_RECV'>).msgid))
    expect(typingIds.every((id) => acked.includes(id))).toBe(true)
  })

  it('behavior: a friend’s active lapses 10 s after the last one, on the client’s clock', async () => {
    const { clock, a, b } = await setup()
    const ev = record(b.client)
    await a.client.setTyping(b.key, true)
    await clock.advance(6000)
    await a.client.setTyping(b.key, true)
    await clock.advance(9_900)
    expect((await friendOf(b, a.key)).typing).toBe(true)
    await clock.advance(200)
    expect((await friendOf(b, a.key)).typing).toBe(false)
    expect((ev.typing as Friend[]).map((f) => f.typing)).toEqual([true, false])
  })

  it('behavior: typing ends when the friend becomes unreachable, and is sent only while keyed', async () => {
    const { clock, mesh, a, b } = await setup()
    const ev = record(a.client)
    await b.client.setTyping(a.key, true)
    await clock.tick()
    expect((await friendOf(a, b.key)).typing).toBe(true)
    mesh.setReachable(b.key, false)
    await clock.tick()
    expect((await friendOf(a, b.key)).typing).toBe(false)
    expect((ev.typing as Friend[]).map((f) => f.typing)).toEqual([true, false])
    // bob's node cannot route it: refused, and not counted as sent...
    await clock.advance(5000)
    await b.client.setTyping(a.key, true)
    await clock.tick()
    expect(payloads(mesh, 3, b.key).at(-1)).toEqual({ ...typing('active'), delivered: false })
    // ...so the first keystroke once they are keyed again says so at once
    mesh.setReachable(b.key, true)
    await clock.advance(1000)
    await b.client.setTyping(a.key, true)
    await clock.tick()
    expect(payloads(mesh, 3, b.key).at(-1)).toEqual(typing('active'))
    expect((await friendOf(a, b.key)).typing).toBe(true)
    // and alice, who saw bob leave, sends nothing while he is away
    mesh.setReachable(b.key, false)
    await clock.tick()
    const sent = payloads(mesh, 3, a.key).length
    await a.client.setTyping(b.key, true)
    expect(payloads(mesh, 3, a.key)).toHaveLength(sent)
  })

  it('behavior: a TYPING of another state is ignored; one that does not decode is reported', async () => {
    const { clock, a, b, pb } = await setup()
    const ev = record(a.client)
    const peer = pb.c().peers.byKey(a.key)
    if (!peer) throw new Error('alice is a friend')
    const chatid = b.client.chatId(a.key)
    const send = (text: string) =>
      pb
        .c()
        .payloads.sendEphemeral(peer, { chatid, mtype: 3, body: new TextEncoder().encode(text) })
    send('TYPING state=paused')
    send('TYPING state=Active')
    await clock.tick()
    expect((await friendOf(a, b.key)).typing).toBe(false)
    expect(ev.typing).toBeUndefined()
    expect((ev.error as Error[]).map((e) => e.message)).toEqual([
      'a TYPING that does not decode: bad_value',
    ])
  })
})
