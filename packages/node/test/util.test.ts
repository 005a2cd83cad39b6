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
})
