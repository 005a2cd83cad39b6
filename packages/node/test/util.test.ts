import { formatIPv6 } from '@chat6/wire'
import { describe, expect, it } from 'vitest'
import {
  addressScope,
  canonicalHost,
  isAllowedAddress,
  parseIPv6Loose,
  prefixKey,
} from '../src/address.ts'
import { createVirtualClock } from '../src/clock.ts'
import { DedupeCache } from '../src/dedupe.ts'
import { createNode, NodeInputError } from '../src/index.ts'
import { createSeededRandom } from '../src/random.ts'
import { TokenBucket } from '../src/token-bucket.ts'

describe('virtual clock', () => {
  it('behavior: fires timers in time order, ties in creation order', async () => {
    const clock = createVirtualClock()
    const seen: string[] = []
    clock.setTimeout(() => seen.push('b'), 20)
    clock.setTimeout(() => seen.push('a'), 10)
    clock.setTimeout(() => seen.push('a2'), 10)
    const t = clock.setTimeout(() => seen.push('x'), 15)
    clock.clearTimeout(t)
    await clock.advance(19)
    expect(seen).toEqual(['a', 'a2'])
    expect(clock.now()).toBe(19)
    await clock.advance(1)
    expect(seen).toEqual(['a', 'a2', 'b'])
  })

  it('behavior: jumpWall moves the wall clock only', async () => {
    const clock = createVirtualClock({ wallStart: 1000 })
    let fired = false
    clock.setTimeout(() => {
      fired = true
    }, 100)
    clock.jumpWall(1_000_000)
    expect(clock.wallNow()).toBe(1_001_000)
    await clock.tick()
    expect(fired).toBe(false)
  })

  it('behavior: runUntil stops when the predicate holds', async () => {
    const clock = createVirtualClock()
    let n = 0
    const loop = () => {
      n++
      clock.setTimeout(loop, 1000)
    }
    loop()
    expect(await clock.runUntil(() => n >= 5)).toBe(true)
    expect(clock.now()).toBe(4000)
  })
})

describe('seeded random', () => {
  it('behavior: the same seed gives the same sequence', () => {
    const a = createSeededRandom(7)
    const b = createSeededRandom(7)
    expect([a.float(), a.float()]).toEqual([b.float(), b.float()])
    expect(a.bytes(5)).toEqual(b.bytes(5))
    const f = createSeededRandom(1).float()
    expect(f).toBeGreaterThanOrEqual(0)
    expect(f).toBeLessThan(1)
  })
})

describe('addresses', () => {
  it('behavior: parses and formats RFC 5952', () => {
    expect(canonicalHost('2001:DB8:0:0:0:0:0:1')).toBe('2001:db8::1')
    expect(canonicalHost('2001:db8:0:1:0:0:0:1')).toBe('2001:db8:0:1::1')
    expect(formatIPv6(parseIPv6Loose('::') as Uint8Array)).toBe('::')
    expect(canonicalHost('2001:db8:1:1:1:1:0:1')).toBe('2001:db8:1:1:1:1:0:1')
    expect(parseIPv6Loose('1::2::3')).toBeUndefined()
    expect(parseIPv6Loose('fe80::1%eth0')).toBeUndefined()
  })

  it('behavior: classifies scopes', () => {
    expect(addressScope('2001:db8::1')).toBe('global')
    expect(addressScope('::1')).toBe('loopback')
    expect(addressScope('fd00::1')).toBe('ula')
    expect(addressScope('fe80::1')).toBe('link_local')
    expect(addressScope('ff02::1')).toBe('multicast')
    expect(addressScope('::')).toBe('unspecified')
    expect(addressScope('::ffff:1.2.3.4')).toBe('ipv4_mapped')
    expect(addressScope('::ffff:102:304')).toBe('ipv4_mapped')
    expect(addressScope('1.2.3.4')).toBe('ipv4')
    expect(addressScope('nonsense')).toBe('invalid')
  })

  it('behavior: allow-list defaults to global unicast', () => {
    expect(isAllowedAddress('2a00::1')).toBe(true)
    expect(isAllowedAddress('::1')).toBe(false)
    expect(isAllowedAddress('::1', { allowLoopback: true })).toBe(true)
    expect(isAllowedAddress('fd12::1')).toBe(false)
    expect(isAllowedAddress('fd12::1', { allowUla: true })).toBe(true)
    for (const bad of ['1.2.3.4', '::ffff:1.2.3.4', 'fe80::1', 'ff02::1', '::', '4000::1']) {
      expect(isAllowedAddress(bad, { allowLoopback: true, allowUla: true })).toBe(false)
    }
  })

  it('behavior: prefix keys', () => {
    expect(prefixKey('2001:db8:1:2::1', 64)).toBe(prefixKey('2001:db8:1:2::ffff', 64))
    expect(prefixKey('2001:db8:1:2::1', 64)).not.toBe(prefixKey('2001:db8:1:3::1', 64))
    expect(prefixKey('2001:db8:1:2::1', 48)).toBe(prefixKey('2001:db8:1:3::1', 48))
  })
})

describe('token bucket and dedupe', () => {
  it('behavior: token bucket allows a burst then the rate', () => {
    const b = new TokenBucket(10, 5, 0)
    let ok = 0
    for (let i = 0; i < 20; i++) if (b.take(0)) ok++
    expect(ok).toBe(5)
    expect(b.take(50)).toBe(false)
    expect(b.take(100)).toBe(true)
    expect(b.take(100)).toBe(false)
  })

  it('behavior: dedupe forgets after the ttl and caps its size', () => {
    const d = new DedupeCache(1000, 3)
    d.add('a', 0)
    expect(d.has('a', 999)).toBe(true)
    expect(d.has('a', 1000)).toBe(false)
    for (const k of ['b', 'c', 'd', 'e']) d.add(k, 10)
    expect(d.size).toBeLessThanOrEqual(3)
  })

  it.each([
    [100_000, 'the cap', 1000],
    [100, 'the ttl', 256],
    [1_500, 'the ttl, after growing past expired slots', 1000],
  ])(
    'behavior: dedupe (ttl %i ms, bounded by %s) answers as a plain model does',
    (ttl, _, slots) => {
      // Used as the node uses it: a hash is added only when it is not already held. The model
      // keeps every add with its time and drops the oldest beyond the cap.
      const max = 1000
      const d = new DedupeCache(ttl, max)
      expect(d.capacity).toBeLessThan(max) // starts small
      const rnd = createSeededRandom(ttl)
      const model: Array<{ key: string; at: number }> = []
      let now = 0
      for (let step = 0; step < 20_000; step++) {
        now += Math.floor(rnd.float() * 3) // bursts within one ms, and pauses
        const key = `k${Math.floor(rnd.float() * 1500)}`
        const last = model.findLast((e) => e.key === key)
        const seen = last !== undefined && now - last.at < ttl
        expect(d.has(key, now)).toBe(seen)
        // sparse adds first, so that expiry has moved the ring's head before it has to grow
        if (!seen && rnd.float() < (step < 5_000 ? 0.1 : 0.7)) {
          d.add(key, now)
          model.push({ key, at: now })
          if (model.length > max) model.shift()
        }
        expect(d.capacity).toBeLessThanOrEqual(max)
        expect(d.size).toBeLessThanOrEqual(max)
        if (step % 500 === 0) {
          // after a full expiry it holds exactly the live keys, no stale ones
          d.expire(now)
          const live = new Set(model.filter((e) => now - e.at < ttl).map((e) => e.key))
          expect(d.size).toBe(live.size)
        }
      }
      expect(d.capacity).toBe(slots)
    },
  )
})

describe('node options', () => {
  it.each([
    [{ dedupeMax: 0 }, 'dedupeMax'],
    [{ rttWindow: 2.5 }, 'rttWindow'],
    [{ keepaliveInterval: 0 }, 'keepaliveInterval'],
    [{ helloTimeout: Number.NaN }, 'helloTimeout'],
    [{ maxFramesPerSecond: -1 }, 'maxFramesPerSecond'],
    [{ maxClients: Number.POSITIVE_INFINITY }, 'maxClients'],
    [{ defaultTtl: 65 }, 'defaultTtl'],
    [{ backoffMax: 10 }, 'backoffMax'],
    [{ maxPeers: '8' as unknown as number }, 'maxPeers'],
  ])('error: %o is a NodeInputError naming the option', (opts, field) => {
    let err: unknown
    try {
      createNode(opts)
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(NodeInputError)
    expect((err as NodeInputError).field).toBe(field)
  })

  it('behavior: zero rates and peer targets are allowed (they switch a feature off)', () => {
    const node = createNode({ targetPeers: 0, maxNewPresencePerSecond: 0, listen: false })
    expect(node.status).toBe('idle')
  })
})
