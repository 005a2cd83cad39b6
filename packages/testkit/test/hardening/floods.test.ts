// Slow peers and floods at a live node over real TCP on ::1 (§6.2, §6.5, §7, §8.4, §12): every
// limit holds with short, configured values, memory stays bounded, and the honest neighbour is
// served throughout. Limits are shortened through node options, never by sleeping through them.
import { createClientIdentity, createCrypto, signProof } from '@chat6/crypto'
import {
  type Address,
  createNode,
  createTcpTransport,
  type NodeInit,
  type Transport,
} from '@chat6/node'
import type { FrameOf } from '@chat6/wire'
import { afterEach, describe, expect, it } from 'vitest'
import { EvilPeer } from './evil-peer.ts'
import { drops, LIVE_DEFAULTS, type Live, startLive } from './live.ts'

let live: Live | undefined
afterEach(async () => {
  await live?.stop()
  live = undefined
})

const start = async (opts: Partial<NodeInit>) => {
  live = await startLive(opts)
  return live
}

describe('slow peers', () => {
  it('error: peers that never finish their HELLO line get BYE handshake_timeout; past MAX_PENDING_HANDSHAKES they are closed at once', async () => {
    const l = await start({ helloTimeout: 400, maxPendingHandshakes: 6 })
    const slow: EvilPeer[] = []
    for (let i = 0; i < 16; i++) {
      const p = await l.evil()
      // half a HELLO, never its LF
      p.write('AAAA')
      slow.push(p)
    }
    // the cap closed the surplus without reading them
    await l.wait(() => slow.filter((p) => p.closed).length >= 10, 'the surplus is closed at once')
    expect(l.target.stats().pendingHandshakes).toBeLessThanOrEqual(6)
    expect(drops(l.target, 'pending_handshakes')).toBeGreaterThanOrEqual(10)
    await l.stillServes()
    // the held ones are given up at HELLO_TIMEOUT, with a reason
    await l.wait(() => slow.every((p) => p.closed), 'every slow peer is closed')
    const timedOut = slow.filter((p) => p.byeReason() === 'handshake_timeout')
    expect(timedOut.length).toBeGreaterThanOrEqual(1)
    expect(timedOut.length).toBeLessThanOrEqual(6)
    expect(l.target.stats().pendingHandshakes).toBe(0)
    // and a newcomer gets in once they are gone
    const late = await l.evilUp()
    expect(late.closed).toBe(false)
    await l.stillServes()
  })

  it('error: a peer that dribbles a line and never ends it gets BYE timeout (no LF is no sign of life)', async () => {
    const l = await start({ keepaliveInterval: 200, keepaliveTimeout: 800 })
    const p = await l.evilUp()
    const t0 = Date.now()
    while (!p.closed && Date.now() - t0 < 4_000) {
      p.write('A')
      await new Promise((r) => setTimeout(r, 20))
    }
    expect(p.byeReason()).toBe('timeout')
    expect(Date.now() - t0).toBeLessThan(3_000)
    await l.stillServes()
  })

  it('error: a peer that connects and sends nothing gets BYE handshake_timeout', async () => {
    const l = await start({ helloTimeout: 300 })
    const p = await l.evil()
    await l.wait(() => p.closed, 'closed at HELLO_TIMEOUT')
    expect(p.byeReason()).toBe('handshake_timeout')
    expect(p.lines).toHaveLength(1)
  })
})

describe('connection floods', () => {
  it('error: a flood of handshakes from one /64 gets at most MAX_PEERS_PER_64 links; the rest BYE address', async () => {
    // the default per-prefix limits; the honest neighbour is on ::1 too, so it holds one of the 4
    const l = await start({ maxPeersPer64: 4, maxPeersPer48: 8 })
    const flood = await Promise.all(Array.from({ length: 30 }, () => l.evil()))
    for (const p of flood) p.hello()
    await l.wait(() => flood.every((p) => p.lines.length > 0), 'every handshake is answered')
    const up = flood.filter((p) => p.framesOf('HELLO').length === 1 && p.byeReason() === undefined)
    const refused = flood.filter((p) => p.byeReason() === 'address')
    expect(up.length).toBe(3)
    expect(refused.length).toBe(27)
    expect(l.target.peers().length).toBe(4)
    await l.stillServes()
  })

  it('error: a flood of bare connections beyond MAX_PENDING_HANDSHAKES is closed at once and never grows the pending set', async () => {
    const l = await start({ maxPendingHandshakes: 16, helloTimeout: 1_000 })
    const flood = await Promise.all(Array.from({ length: 200 }, () => l.evil()))
    await l.wait(() => flood.filter((p) => p.closed).length >= 184, 'the surplus is closed')
    expect(l.target.stats().pendingHandshakes).toBeLessThanOrEqual(16)
    await l.stillServes()
    for (const p of flood) p.close()
    await l.wait(() => l.target.stats().pendingHandshakes === 0, 'nothing is left pending')
  })
})

describe('frame floods', () => {
  it('error: a flood of frames from one peer is rate-limited before any crypto, then earns BYE rate_limit', async () => {
    const l = await start({ maxFramesPerSecond: 200, maxFramesBurst: 400 })
    const p = await l.evilUp()
    // 5 000 MAC'd keepalives as fast as the socket takes them
    for (let i = 0; i < 5_000; i++) p.send({ type: 'KEEPALIVE_REQUEST', timestamp: 0, id: i })
    await l.wait(() => p.closed, 'the flooder is closed')
    expect(p.byeReason()).toBe('rate_limit')
    expect(drops(l.target, 'rate_limit')).toBeGreaterThan(2_000)
    // far fewer answers than requests: the surplus was never handled
    expect(p.framesOf('KEEPALIVE_RESPONSE').length).toBeLessThanOrEqual(500)
    await l.stillServes()
  })

  it('behavior: a peer just over its rate is only rate-limited (benign), never cut off', async () => {
    const l = await start({ maxFramesPerSecond: 200, maxFramesBurst: 100 })
    const p = await l.evilUp()
    for (let i = 0; i < 300; i++) p.send({ type: 'KEEPALIVE_REQUEST', timestamp: 0, id: i })
    await l.wait(() => drops(l.target, 'rate_limit') > 0, 'some frames are rate-limited')
    await new Promise((r) => setTimeout(r, 600))
    p.send({ type: 'KEEPALIVE_REQUEST', timestamp: 0, id: 99_999 })
    await l.wait(() => p.framesOf('KEEPALIVE_RESPONSE').some((f) => f.id === 99_999), 'answered')
    expect(p.closed).toBe(false)
  })
})

/** A fresh Sybil key's signed CLIENT_ONLINE. */
function sybil(i: number): FrameOf<'CLIENT_ONLINE'> {
  const id = createClientIdentity(createCrypto())
  return signProof(id, {
    type: 'CLIENT_ONLINE',
    timestamp: 0,
    clientkey: id.publicKey,
    nonce: 1 + i,
    nickname: `sybil${i}`,
    metric: 0,
    ttl: 64,
  } as FrameOf<'CLIENT_ONLINE'>)
}

describe('Sybil presence floods', () => {
  it('error: new keys from one peer are limited to MAX_NEW_PRESENCE per second, the table to MAX_CLIENTS, and friends’ presence still arrives', async () => {
    const l = await start({
      maxClients: 300,
      maxNewPresencePerSecond: 50,
      maxNewPresenceBurst: 100,
    })
    const p = await l.evilUp()
    const frames = Array.from({ length: 1_500 }, (_, i) => sybil(i))
    let maxSeen = 0
    const sample = setInterval(() => {
      maxSeen = Math.max(maxSeen, l.target.stats().clients)
    }, 5)
    const t0 = Date.now()
    try {
      // a steady flood for 1.5 s, while alice and bob change their presence
      let i = 0
      while (Date.now() - t0 < 1_500 && i < frames.length) {
        for (let k = 0; k < 100 && i < frames.length; k++)
          p.send(frames[i++] as FrameOf<'CLIENT_ONLINE'>)
        if (i === 500) {
          l.alice.rename('alice-during-flood')
          l.bob.rename('bob-during-flood')
        }
        await new Promise((r) => setTimeout(r, 10))
      }
      await l.wait(
        () =>
          l.target.client(l.alice.hash)?.nickname === 'alice-during-flood' &&
          l.honest.client(l.bob.hash)?.nickname === 'bob-during-flood',
        'friends’ presence arrives through the flood',
      )
    } finally {
      clearInterval(sample)
    }
    const elapsed = (Date.now() - t0) / 1000
    // alice, bob, the burst and the rate for the time flooded; never more than the table holds
    expect(maxSeen).toBeLessThanOrEqual(2 + 100 + Math.ceil(50 * elapsed) + 5)
    expect(maxSeen).toBeLessThanOrEqual(300)
    expect(drops(l.target, 'presence_rate')).toBeGreaterThan(1_000)
    // local clients are never evicted, and the flooder is not cut off for a benign limit
    expect(l.target.client(l.bob.hash)?.local).toBe(true)
    expect(p.closed).toBe(false)
    await l.stillServes()
  }, 20_000)
})

/** A transport that records every address dialled. */
function recording(inner: Transport, dialled: Address[]): Transport {
  return {
    listen: (a, fn) => inner.listen(a, fn),
    dial: (a, o) => {
      dialled.push(a)
      return inner.dial(a, o)
    },
  }
}

describe('NEIGHBORS_RESPONSE poisoning (§12.2)', () => {
  const POISON = [
    '::ffff:7f00:1', // IPv4-mapped 127.0.0.1
    '::ffff:a00:1', // IPv4-mapped 10.0.0.1
    'fe80::1', // link-local
    'ff02::1', // multicast
    'ff05::2', // multicast
    '::', // unspecified
    '64:ff9b::a00:1', // NAT64 (not global unicast 2000::/3)
    'fc00::1', // ULA, not allowed by this node
  ]

  it('error: poisoned entries are refused and counted, unsolicited answers dropped, honest peers kept', async () => {
    const dialled: Address[] = []
    // targetPeers > 0: the node asks each new neighbour for its neighbours
    const l = await start({
      targetPeers: 4,
      transport: recording(createTcpTransport(), dialled),
    })
    const p = await l.evilUp()
    await l.wait(() => p.framesOf('NEIGHBORS_REQUEST').length === 1, 'the node asks us')
    const good = { ip: '2001:db8:dead::1', port: 7600 }
    const badBefore = drops(l.target, 'bad_neighbor')
    p.send({
      type: 'NEIGHBORS_RESPONSE',
      timestamp: 0,
      neighbor: [...POISON.map((ip) => ({ ip, port: 7600 })), good],
    })
    await l.wait(
      () => drops(l.target, 'bad_neighbor') === badBefore + POISON.length,
      'every poisoned entry is refused',
    )
    // an answer nobody asked for is dropped whole
    const unsolicited = drops(l.target, 'unsolicited')
    p.send({
      type: 'NEIGHBORS_RESPONSE',
      timestamp: 0,
      neighbor: [{ ip: '2001:db8:beef::1', port: 1 }],
    })
    await l.wait(() => drops(l.target, 'unsolicited') === unsolicited + 1, 'unsolicited dropped')
    // IPv4 cannot even be written as a neighbour: the line does not decode
    const badFrame = drops(l.target, 'bad_frame')
    p.sendSigningInput(p.signingInputFor('NEIGHBORS_RESPONSE neighbor=127.0.0.1,7600'))
    await l.wait(() => drops(l.target, 'bad_frame') === badFrame + 1, 'IPv4 entry refused')
    await new Promise((r) => setTimeout(r, 200))
    const hosts = dialled.map((a) => a.host)
    for (const ip of POISON) expect(hosts).not.toContain(ip)
    expect(hosts).not.toContain('127.0.0.1')
    expect(hosts).not.toContain('2001:db8:beef::1')
    await l.stillServes()
  })

  it('error: a flood of unsolicited answers earns BYE abuse; the honest neighbour stays', async () => {
    const l = await start({})
    const p = await l.evilUp()
    for (let i = 0; i < 101; i++) p.send({ type: 'NEIGHBORS_RESPONSE', timestamp: 0, neighbor: [] })
    await l.wait(() => p.closed, 'the poisoner is closed')
    expect(p.byeReason()).toBe('abuse')
    await l.stillServes()
  })

  it('error: loopback entries are refused by a node that does not allow loopback (in-memory network, global addresses)', async () => {
    const { createMemoryNetwork, createVirtualClock } = await import('@chat6/node/testing')
    const clock = createVirtualClock()
    const net = createMemoryNetwork({ clock, latency: 1 })
    const t = net.transport('2001:db8:1::1')
    const dialled: Address[] = []
    const node = createNode({
      ...LIVE_DEFAULTS,
      listen: { host: t.host, port: 7600 },
      allowLoopback: false,
      targetPeers: 4,
      transport: recording(t, dialled),
      clock,
    })
    await node.start()
    const p = await (async () => {
      const conn = net.transport('2001:db8:2::1').dial({ host: t.host, port: 7600 })
      await clock.advance(5)
      return new EvilPeer(await conn, { wall: () => clock.wallNow() })
    })()
    p.hello({ port: 7600 })
    await clock.advance(10)
    p.keys()
    expect(p.framesOf('NEIGHBORS_REQUEST')).toHaveLength(1)
    p.send({
      type: 'NEIGHBORS_RESPONSE',
      timestamp: 0,
      neighbor: [
        { ip: '::1', port: 7600 },
        { ip: '2001:db8:3::1', port: 7600 },
      ],
    })
    await clock.advance(10)
    expect(node.stats().drops.bad_neighbor).toBe(1)
    expect(dialled.map((a) => a.host)).not.toContain('::1')
    expect(dialled.map((a) => a.host)).toContain('2001:db8:3::1')
    expect(node.peers()).toHaveLength(1)
    await node.stop()
  })
})
