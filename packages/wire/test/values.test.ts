import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { base64Decode, base64Encode, formatIPv6, parseIPv6 } from '../src/index.ts'

describe('base64', () => {
  it('behavior: agrees with RFC 4648 §10 test vectors', () => {
    const v: [string, string][] = [
      ['', ''],
      ['f', 'Zg=='],
      ['fo', 'Zm8='],
      ['foo', 'Zm9v'],
      ['foob', 'Zm9vYg=='],
      ['fooba', 'Zm9vYmE='],
      ['foobar', 'Zm9vYmFy'],
    ]
    for (const [plain, b64] of v) {
      const bytes = new TextEncoder().encode(plain)
      expect(base64Encode(bytes)).toBe(b64)
      expect(base64Decode(b64)).toEqual(bytes)
    }
  })

  it('behavior: round-trips any bytes and matches the platform encoder', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (b) => {
        const s = base64Encode(b)
        expect(s).toBe(Buffer.from(b).toString('base64'))
        expect(base64Decode(s)).toEqual(b)
      }),
    )
  })

  it('error: non-canonical or foreign forms give undefined', () => {
    for (const s of [
      'Zg',
      'Zg=',
      'Zh==',
      'Zm9=',
      'Zm8',
      'Zm8==',
      'Z===',
      '====',
      'Zm 9v',
      'Zm9v\n',
      '-_8=',
      'Zm9vé===',
      'Zg==Zg==',
    ]) {
      expect(base64Decode(s)).toBeUndefined()
    }
    expect(base64Decode(42 as unknown as string)).toBeUndefined()
  })

  it('behavior: results of every size stay intact while more are decoded', () => {
    const sizes = [0, 1, 47, 48, 64, 65, 1000, 4096, 4097, 16_384, 70_000, 100, 3]
    const bytes = sizes.map((n, k) => Uint8Array.from({ length: n }, (_, i) => (i * 13 + k) & 0xff))
    const decoded = bytes.map((b) => base64Decode(Buffer.from(b).toString('base64')))
    decoded.forEach((d, k) => {
      expect(d?.constructor).toBe(Uint8Array)
      expect(Buffer.from(d ?? []).equals(Buffer.from(bytes[k] ?? []))).toBe(true)
    })
  })

  it('error: one bad character anywhere in a long text is refused', () => {
    // Long texts are decoded four quads at a time: a bad character in any of the 16 positions
    // of a step, or in the quads left after the last step, must still be caught.
    for (const n of [48, 49, 50, 60, 61, 62, 100, 101, 102]) {
      const good = base64Encode(Uint8Array.from({ length: n }, (_, i) => (i * 37 + 5) & 0xff))
      expect(base64Decode(good)).toHaveLength(n)
      for (let i = 0; i < good.length; i++) {
        for (const bad of ['-', '_', ' ', '\n', '\u00c1', '\u0141']) {
          expect(base64Decode(good.slice(0, i) + bad + good.slice(i + 1))).toBeUndefined()
        }
        // '=' inside the text ends it early; only where it completes a padding is it canonical
        const padded = `${good.slice(0, i)}=${good.slice(i + 1)}`
        const d = base64Decode(padded)
        if (d !== undefined) expect(base64Encode(d)).toBe(padded)
        if (i < good.length - 4) expect(d).toBeUndefined()
      }
    }
  })

  it('behavior: a decoded long text always re-encodes to itself', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 40, maxLength: 160 }),
        fc.nat(),
        fc.nat(63),
        (b, at, v) => {
          const text = base64Encode(b)
          const i = at % text.length
          const s =
            text.slice(0, i) +
            'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'[v] +
            text.slice(i + 1)
          const d = base64Decode(s)
          if (d === undefined) expect(s).not.toBe(text)
          else expect(base64Encode(d)).toBe(s)
        },
      ),
      { numRuns: 3000 },
    )
  })

  it('behavior: a decoded text always re-encodes to itself', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9+/=]{0,12}$/), (s) => {
        const b = base64Decode(s)
        if (b !== undefined) expect(base64Encode(b)).toBe(s)
      }),
      { numRuns: 3000 },
    )
  })
})

describe('IPv6', () => {
  it('behavior: formats as RFC 5952 §4 says', () => {
    const cases: [string, string][] = [
      ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
      ['2001:0db8:0000:0000:0001:0000:0000:0001', '2001:db8::1:0:0:1'], // first of equal runs
      ['2001:0db8:0000:0001:0001:0001:0001:0001', '2001:db8:0:1:1:1:1:1'], // one zero group stays
      ['2001:0db8:0000:0000:0001:0000:0000:0000', '2001:db8:0:0:1::'], // longest run wins
      ['0000:0000:0000:0000:0000:0000:0000:0000', '::'],
      ['0000:0000:0000:0000:0000:0000:0000:0001', '::1'],
      ['0000:0000:0000:0000:0000:ffff:c000:0201', '::ffff:c000:201'], // never dotted
      ['fe80:0000:0000:0000:abcd:ef00:0000:0000', 'fe80::abcd:ef00:0:0'],
    ]
    for (const [full, canonical] of cases) {
      const bytes = Uint8Array.from(Buffer.from(full.replaceAll(':', ''), 'hex'))
      expect(formatIPv6(bytes)).toBe(canonical)
      expect(parseIPv6(canonical)).toEqual(bytes)
    }
  })

  it('error: every non-canonical spelling gives undefined', () => {
    const bad = [
      '2001:DB8::1',
      '2001:0db8::1',
      '2001:db8:0:0:0:0:0:1',
      '2001:db8::0:1',
      '2001:db8:0::1:1:1:1:1',
      '::ffff:192.0.2.1',
      'fe80::1%eth0',
      '[2001:db8::1]',
      '2001:db8::1::',
      '1:2:3:4:5:6:7:8:9',
      '1:2:3:4:5:6:7',
      ':1:2:3:4:5:6:7',
      '1::2::3',
      '12345::',
      ':::',
      '',
      ' ::1',
      '::1 ',
      '1.2.3.4',
    ]
    for (const s of bad) expect(parseIPv6(s), s).toBeUndefined()
  })

  it('behavior: parse(format(b)) is b for any address, and only the canonical text parses', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (b) => {
        expect(parseIPv6(formatIPv6(b))).toEqual(b)
      }),
    )
    fc.assert(
      fc.property(fc.ipV6(), (s) => {
        const b = parseIPv6(s)
        if (b !== undefined) expect(formatIPv6(b)).toBe(s)
      }),
      { numRuns: 2000 },
    )
  })

  it('error: formatIPv6 of anything but 16 bytes throws', () => {
    expect(() => formatIPv6(new Uint8Array(4))).toThrow(RangeError)
  })
})
