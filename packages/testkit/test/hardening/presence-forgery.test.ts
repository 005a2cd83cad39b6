// Forged, altered and replayed presence at a live node over real TCP on ::1 (§5.3, §8.1): the
// evil peer learns alice's real presence the way any neighbour does (the node sends it on link
// up), then tries to speak for her. Nothing it sends changes what the node or its honest
// neighbour believe about alice.
import { proofMessage } from '@chat6/crypto'
import type { FrameOf } from '@chat6/wire'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EvilPeer } from './evil-peer.ts'
import { drops, type Live, startLive } from './live.ts'

type Presence = FrameOf<'CLIENT_ONLINE'> | FrameOf<'CLIENT_UPDATE'> | FrameOf<'CLIENT_OFFLINE'>

let live: Live
beforeAll(async () => {
  live = await startLive()
})
afterAll(async () => {
  await live?.stop()
})

const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b))

/** alice's presence frames the evil peer has seen, oldest first. */
const seenOf = (p: EvilPeer): Presence[] =>
  p
    .frames()
    .filter(
      (f): f is Presence =>
        (f.type === 'CLIENT_ONLINE' || f.type === 'CLIENT_UPDATE' || f.type === 'CLIENT_OFFLINE') &&
        same(f.clientkey, live.alice.identity.publicKey),
    )

/** What the target and the honest node hold for alice. */
const view = () =>
  [live.target, live.honest].map((n) => {
    const c = n.client(live.alice.hash)
    return { nickname: c?.nickname, nonce: c?.nonce, status: c?.status, reachable: c?.reachable }
  })

async function evilWithAlice(): Promise<EvilPeer> {
  const p = await live.evilUp()
  await live.wait(() => seenOf(p).length > 0, 'the node sends alice’s presence to a new neighbour')
  return p
}

/** Sends `frame` and waits until the node has counted one more `reason`. */
async function expectDrop(p: EvilPeer, frame: Presence, reason: string) {
  const before = drops(live.target, reason)
  p.send(frame)
  await live.wait(() => drops(live.target, reason) === before + 1, `dropped as ${reason}`)
}

describe('forged and altered presence (§5.3)', () => {
  it('error: presence for alice’s key signed by another key is dropped as bad_proof', async () => {
    const p = await evilWithAlice()
    const before = view()
    const mallory = p.crypto.ed25519.keygen()
    const unsigned = {
      type: 'CLIENT_ONLINE' as const,
      timestamp: 0,
      clientkey: live.alice.identity.publicKey,
      nonce: live.alice.nonce + 1_000,
      nickname: 'alice (new phone)',
      metric: 0,
      ttl: 64,
    }
    const proof = p.crypto.ed25519.sign(proofMessage(unsigned), mallory.secretKey)
    await expectDrop(p, { ...unsigned, proof }, 'bad_proof')
    expect(view()).toEqual(before)
    await live.stillServes()
  })

  it('error: alice’s real presence with its nickname or nonce altered is dropped as bad_proof', async () => {
    const p = await evilWithAlice()
    const before = view()
    const real = seenOf(p).at(-1) as FrameOf<'CLIENT_ONLINE'>
    await expectDrop(p, { ...real, nickname: 'mallory' }, 'bad_proof')
    await expectDrop(p, { ...real, nonce: real.nonce + 1 }, 'bad_proof')
    await expectDrop(p, { ...real, icon: new Uint8Array([1, 2, 3]) }, 'bad_proof')
    expect(view()).toEqual(before)
    await live.stillServes()
  })

  it('error: a forged CLIENT_OFFLINE for alice is dropped; she stays online and reachable everywhere', async () => {
    const p = await evilWithAlice()
    const real = seenOf(p).at(-1) as FrameOf<'CLIENT_ONLINE'>
    await expectDrop(
      p,
      {
        type: 'CLIENT_OFFLINE',
        timestamp: 0,
        clientkey: real.clientkey,
        nonce: real.nonce + 1,
        proof: real.proof,
        ttl: 64,
      },
      'bad_proof',
    )
    for (const v of view()) expect(v).toMatchObject({ status: 'online', reachable: true })
    await live.stillServes()
  })
})

describe('replayed presence (§8.1)', () => {
  it('error: alice’s older presence replayed after she renamed is dropped as stale and changes nothing', async () => {
    const p = await evilWithAlice()
    const old = seenOf(p).at(-1) as FrameOf<'CLIENT_ONLINE'>
    live.alice.rename(`alice-${Date.now()}`)
    await live.wait(() => seenOf(p).some((f) => f.nonce > old.nonce), 'the rename reaches us')
    const before = view()
    await expectDrop(p, old, 'stale')
    expect(view()).toEqual(before)
    expect(before[0]?.nickname).toBe(live.alice.nickname)
  })

  it('error: alice’s old CLIENT_OFFLINE replayed after she came back is stale; her tombstone keeps older ONLINE out', async () => {
    const p = await evilWithAlice()
    const online = seenOf(p).at(-1) as FrameOf<'CLIENT_ONLINE'>
    live.alice.announce(live.alice.offlineFrame())
    await live.wait(() => seenOf(p).some((f) => f.type === 'CLIENT_OFFLINE'), 'OFFLINE reaches us')
    const offline = seenOf(p).find((f) => f.type === 'CLIENT_OFFLINE') as FrameOf<'CLIENT_OFFLINE'>
    // while she is offline, her earlier ONLINE cannot bring her back
    await expectDrop(p, online, 'stale')
    expect(view().map((v) => v.status)).toEqual(['offline', 'offline'])
    live.alice.online()
    await live.wait(
      () => view().every((v) => v.status === 'online' && v.reachable === true),
      'alice is back',
    )
    // and once she is back, her earlier OFFLINE cannot take her away
    await expectDrop(p, offline, 'stale')
    for (const v of view()) expect(v).toMatchObject({ status: 'online', reachable: true })
    await live.stillServes()
  })
})
