import { describe, expect, it } from 'vitest'
import { formatTrace, TraceRecorder } from '../src/trace.ts'

describe('trace', () => {
  it('behavior: records the frame type and prints shortened fields with fates', () => {
    const t = new TraceRecorder(10)
    t.record({
      at: 1500,
      from: 'n0',
      to: 'n1',
      line: 'SIG HASH 1767225600000 CLIENT_ONLINE clientkey=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= nonce=5 metric=0 ttl=64',
      fate: 'dropped',
    })
    t.record({
      at: 1600,
      from: 'n1',
      to: 'n0',
      line: 'SIG HASH 1 KEEPALIVE_REQUEST id=0',
      fate: 'sent',
    })
    expect(t.entries.map((e) => e.type)).toEqual(['CLIENT_ONLINE', 'KEEPALIVE_REQUEST'])
    const text = t.print()
    expect(text).toBe(
      '    1.500s #0 n0 → n1 CLIENT_ONLINE clientkey=AAAAAAAA… nonce=5 metric=0 ttl=64 [dropped]',
    )
    expect(formatTrace(t.entries, { types: ['KEEPALIVE_REQUEST'] })).toContain(
      'n1 → n0 KEEPALIVE_REQUEST id=0',
    )
    expect(formatTrace(t.entries, { node: 'n2', omit: [] })).toBe('')
  })

  it('behavior: keeps at most about its limit, counting what it let go', () => {
    const t = new TraceRecorder(100)
    for (let i = 0; i < 1000; i++)
      t.record({ at: i, from: 'a', to: 'b', line: `s h ${i} BYE reason=x`, fate: 'sent' })
    expect(t.entries.length).toBeLessThanOrEqual(125)
    expect(t.entries.length + t.discarded).toBe(1000)
    expect(t.entries.at(-1)?.seq).toBe(999)
  })
})
