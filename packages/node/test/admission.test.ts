// Admission of a link that finished its handshake (§6.2, §6.3, §12.1), as pure decisions, plus
// the simultaneous dial played out between two real nodes.
import { describe, expect, it } from 'vitest'
import { type AdmissionLink, keepsNewLink, sourceRefusal } from '../src/connections/admission.ts'
import type { Chat6Node } from '../src/index.ts'
import { createMesh } from './helpers.ts'

const key = (first: number) => {
  const k = new Uint8Array(32).fill(7)
  k[0] = first
  return k
}
const LOW = key(1)
const HIGH = key(200)
const link = (role: 'I' | 'R', peer: Uint8Array, authenticated = true): AdmissionLink => ({
  role,
  remoteHost: '2001:db8::1',
  peerNodeKey: peer,
  authenticated,
})

describe('the §6.2 simultaneous-dial tie-break', () => {
  it('behavior: the link dialled by the lower node key survives, on both sides', () => {
    // we (LOW) dialled HIGH while HIGH's dial to us is already up: ours is the one to keep
    expect(keepsNewLink(LOW, link('I', HIGH), link('R', HIGH))).toBe(true)
    // we (HIGH) dialled LOW while LOW's dial is up: LOW's is the one to keep, so ours is refused
    expect(keepsNewLink(HIGH, link('I', LOW), link('R', LOW))).toBe(false)
  })

  it('behavior: keys that differ only in their last byte are ordered by it', () => {
    const a = new Uint8Array(32).fill(9)
    const b = a.slice()
    b[31] = 10
    expect(keepsNewLink(a, link('I', b), link('R', b))).toBe(true)
    expect(keepsNewLink(b, link('I', a), link('R', a))).toBe(false)
  })

  it('behavior: in every other case the link up wins unless it has shown no valid MAC (§6.3)', () => {
    for (const [mine, theirs] of [
      ['R', 'R'],
      ['R', 'I'],
      ['I', 'I'],
    ] as const) {
      expect(keepsNewLink(LOW, link(mine, HIGH), link(theirs, HIGH, true))).toBe(false)
      expect(keepsNewLink(LOW, link(mine, HIGH), link(theirs, HIGH, false))).toBe(true)
    }
  })

  it('behavior: two nodes dialling each other at once end with one link, the one the lower key dialled', async () => {
    for (let round = 0; round < 4; round++) {
      const mesh = await createMesh(2)
      const [a, b] = mesh.nodes as [Chat6Node, Chat6Node]
      const lower = Buffer.compare(a.nodeKey, b.nodeKey) < 0 ? a : b
      const dials = [
        a.dial(b.listenAddress as never).catch(() => undefined),
        b.dial(a.listenAddress as never).catch(() => undefined),
      ]
      await mesh.settle(1_000)
      await Promise.all(dials)
      expect(a.peers()).toHaveLength(1)
      expect(b.peers()).toHaveLength(1)
      const fromLower = lower.peers()[0]
      expect(fromLower?.direction).toBe('outbound')
      await mesh.stop()
    }
  })
})

describe('§12.1 source limits', () => {
  const limits = { maxPeersPer64: 2, maxPeersPer48: 3 }
  const up = (...hosts: string[]) => hosts.map((remoteHost) => ({ remoteHost }))

  it('behavior: a /64 and a /48 hold at most their limit, whatever the links', () => {
    expect(sourceRefusal('2001:db8:0:1::3', up('2001:db8:0:1::1'), limits)).toBeUndefined()
    expect(sourceRefusal('2001:db8:0:1::3', up('2001:db8:0:1::1', '2001:db8:0:1::2'), limits)).toBe(
      'address',
    )
    expect(
      sourceRefusal(
        '2001:db8:0:4::1',
        up('2001:db8:0:1::1', '2001:db8:0:2::1', '2001:db8:0:3::1'),
        limits,
      ),
    ).toBe('address')
    expect(
      sourceRefusal(
        '2001:db9::1',
        up('2001:db8:0:1::1', '2001:db8:0:2::1', '2001:db8:0:3::1'),
        limits,
      ),
    ).toBeUndefined()
  })
})
