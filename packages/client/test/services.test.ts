// The extension point (src/services/service.ts): a service added beside the built-in ones hears
// about friends, takes the payloads of its mtype, and sends durably (outbox) or once
// (ephemeral), while every other mtype is still stored as a message (§11.1).
import { createVirtualClock } from '@chat6/node/testing'
import { describe, expect, it } from 'vitest'
import type { Message, Receipt } from '../src/api.ts'
import { toHex } from '../src/bytes.ts'
import type { IncomingPayload } from '../src/services/payloads.ts'
import type { ServiceComponents, ServiceFactory } from '../src/services/service.ts'
import { fakeMesh } from './helpers/fakes.ts'
import { fakeClient, record } from './helpers/harness.ts'

const TYPING = 1001 // ephemeral: worthless later
const STATUS = 1002 // durable: kept by the service, acknowledged once kept

/** A small status/typing service, written only against ServiceComponents. */
function statusService() {
  const got: IncomingPayload[] = []
  const log: string[] = []
  let components: ServiceComponents | undefined
  const factory: ServiceFactory = (c) => {
    components = c
    c.payloads.handle(TYPING, (payload) => got.push(payload))
    c.payloads.handle(STATUS, (payload, { ack }) => {
      // kept first (the service's own record in the store), acknowledged only then (§11)
      c.store.setMeta(
        `status:${toHex(payload.peer.record.key)}`,
        new TextDecoder().decode(payload.body),
      )
      got.push(payload)
      ack()
    })
    c.hooks.on('keyed', ({ peer, fresh }) => log.push(`keyed ${peer.record.nickname} ${fresh}`))
    c.hooks.on('unavailable', (peer) => log.push(`unavailable ${peer.record.nickname}`))
    c.hooks.on('removed', (peer) => log.push(`removed ${peer.record.nickname}`))
    return { stop: () => log.push('stop') }
  }
  const c = () => components as ServiceComponents
  return { factory, got, log, c }
}

async function friends() {
  const clock = createVirtualClock()
  const mesh = fakeMesh(clock)
  const sa = statusService()
  const sb = statusService()
  const a = await fakeClient(mesh, clock, { nickname: 'alice', services: [sa.factory] })
  const b = await fakeClient(mesh, clock, { nickname: 'bob', services: [sb.factory] })
  await clock.tick()
  await a.client.addFriend(b.key, { nickname: 'bob' })
  await clock.tick()
  await b.client.accept(a.key)
  await clock.tick()
  return { clock, mesh, a, b, sa, sb }
}

describe('services beside the built-in ones', () => {
  it('behavior: a service hears when a friend is keyed, unavailable and removed, and is stopped', async () => {
    const { clock, mesh, a, b, sa } = await friends()
    expect(sa.log).toEqual(['keyed bob true'])
    mesh.setReachable(b.key, false)
    await clock.tick()
    expect(sa.log.at(-1)).toBe('unavailable bob')
    await a.client.removeFriend(b.key)
    expect(sa.log.slice(-2)).toEqual(['unavailable bob', 'removed bob'])
    await a.client.stop()
    expect(sa.log.at(-1)).toBe('stop')
  })

  it('behavior: an ephemeral payload goes once, to the service of its mtype; nothing is stored or acknowledged', async () => {
    const { clock, mesh, a, b, sa, sb } = await friends()
    const peer = sa.c().peers.byKey(b.key)
    if (!peer) throw new Error('bob is a friend')
    const chatid = a.client.chatId(b.key)
    const body = new Uint8Array([1])
    expect(sa.c().payloads.sendEphemeral(peer, { chatid, mtype: TYPING, body })?.ok).toBe(true)
    await clock.advance(120_000)
    expect(sb.got.map((p) => [p.mtype, toHex(p.peer.record.key), p.body])).toEqual([
      [TYPING, toHex(a.key), body],
    ])
    expect(mesh.chat('MESSAGE_SEND', a.key)).toHaveLength(1)
    expect(mesh.chat('MESSAGE_RECV', b.key)).toHaveLength(0)
    expect(await b.client.history(chatid)).toEqual([])
    expect(await a.client.outbox()).toEqual([])
    // not keyed: not sent at all
    mesh.setReachable(b.key, false)
    await clock.tick()
    expect(sa.c().payloads.sendEphemeral(peer, { chatid, mtype: TYPING, body })).toBe(undefined)
  })

  it('behavior: a durable payload goes through the outbox, retried until the service acknowledges it', async () => {
    const { clock, mesh, a, b, sa, sb } = await friends()
    const receipts: Receipt[] = []
    a.client.on('receipt', (r) => receipts.push(r))
    const messages: Message[] = []
    b.client.on('message', (m) => messages.push(m))
    mesh.drop((f) => f.type === 'MESSAGE_SEND') // lost the first time
    const sent = sa.c().outbox.enqueue({
      peer: b.key,
      chatid: a.client.chatId(b.key),
      msgid: new Uint8Array(16).fill(9),
      outgoing: true,
      mtype: STATUS,
      body: new TextEncoder().encode('at lunch'),
      state: 'queued',
      time: clock.wallNow(),
    })
    expect(sent.state).toBe('sent')
    await clock.tick()
    expect(sb.got).toEqual([])
    mesh.drop(() => false)
    await clock.advance(30_000)
    expect(b.store.getMeta(`status:${toHex(a.key)}`)).toBe('at lunch')
    expect(receipts.map((r) => r.state)).toEqual(['sent', 'delivered'])
    expect(await a.client.outbox()).toEqual([])
    // the service took it: not a message at the receiver
    expect(messages).toEqual([])
  })

  it('behavior: a durable payload of mtype 2..999 is not a chat message: history, outbox and receipts leave it out', async () => {
    const { clock, mesh, a, b, sa } = await friends()
    const evA = record(a.client)
    const evB = record(b.client)
    const chatid = a.client.chatId(b.key)
    const reserved = (n: number) => ({
      peer: b.key,
      chatid,
      msgid: new Uint8Array(16).fill(n),
      outgoing: true,
      mtype: 42, // reserved (§17.5): no service of bob's takes it
      body: new Uint8Array([n]),
      state: 'queued' as const,
      time: clock.wallNow(),
    })
    mesh.drop((f) => f.type === 'MESSAGE_RECV')
    sa.c().outbox.enqueue(reserved(1))
    await a.client.send(b.key, 'a chat line')
    await clock.tick()
    expect((await a.client.outbox()).map((m) => m.text)).toEqual(['a chat line'])
    mesh.drop(() => false)
    await clock.advance(30_000)
    // delivered, and kept by bob (no type is lost, §17.2), but nobody shows it as a message
    expect(a.store.outbox()).toEqual([])
    expect(b.store.history(chatid, { limit: 10 }).map((m) => m.mtype)).toContain(42)
    for (const h of [a, b])
      expect((await h.client.history(chatid)).map((m) => m.text)).toEqual(['a chat line'])
    expect((evA.receipt as Receipt[]).map((r) => r.state)).toEqual(['sent', 'delivered'])
    expect((evB.message as Message[]).map((m) => m.mtype)).toEqual([1])
  })

  it('behavior: an mtype no service takes is still stored and shown as a message', async () => {
    const { clock, a, b, sb } = await friends()
    const messages: Message[] = []
    b.client.on('message', (m) => messages.push(m))
    await a.client.send(b.key, new Uint8Array([7]), { mtype: 1003 })
    await clock.tick()
    expect(messages.map((m) => m.mtype)).toEqual([1003])
    expect(sb.got).toEqual([])
  })
})
