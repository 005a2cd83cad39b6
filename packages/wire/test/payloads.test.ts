import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  DECODE_ERROR_CODES,
  decodePayload,
  encodePayload,
  PAYLOAD_TYPES,
  type Payload,
  payloadMtype,
} from '../src/index.ts'
import { ascii, bytesOf } from './fixtures.ts'

// base64 written out by hand: 'alice' and 'out for lunch', and the four bytes 89 50 4E 47
const PROFILE_LINE =
  'PROFILE nickname=YWxpY2U= icon=iVBORw== status=away note=b3V0IGZvciBsdW5jaA== cap=file1 cap=group1 cap=typing'
const PROFILE: Payload = {
  type: 'PROFILE',
  nickname: 'alice',
  icon: Uint8Array.of(0x89, 0x50, 0x4e, 0x47),
  status: 'away',
  note: 'out for lunch',
  cap: ['file1', 'group1', 'typing'],
}

const codes: ReadonlySet<string> = new Set(DECODE_ERROR_CODES)
const errorOf = (mtype: number, text: string | Uint8Array) => {
  const r = decodePayload(mtype, typeof text === 'string' ? bytesOf(text) : text)
  return r.ok ? undefined : r.error.code
}

describe('payload registry (§19.5)', () => {
  it('behavior: PROFILE is mtype 2 and TYPING mtype 3', () => {
    expect(payloadMtype('PROFILE')).toBe(2)
    expect(payloadMtype('TYPING')).toBe(3)
  })
  it('behavior: every payload mtype is reserved by the spec (2..999)', () => {
    for (const t of Object.values(PAYLOAD_TYPES)) {
      expect(t.mtype).toBeGreaterThanOrEqual(2)
      expect(t.mtype).toBeLessThanOrEqual(999)
    }
  })
})

describe('encodePayload / decodePayload (§19.1)', () => {
  it('behavior: a PROFILE encodes to the hand-written line and decodes back', () => {
    const bytes = encodePayload(PROFILE)
    expect(ascii(bytes)).toBe(PROFILE_LINE)
    const r = decodePayload(2, bytes)
    expect(r.ok).toBe(true)
    if (!r.ok) return
    expect(r.payload).toEqual(PROFILE)
    expect(r.data).toBeUndefined()
  })

  it('behavior: optional fields are left out, and a decoded PROFILE without cap has none', () => {
    const bytes = encodePayload({ type: 'PROFILE', nickname: 'bob' })
    expect(ascii(bytes)).toBe('PROFILE nickname=Ym9i')
    const r = decodePayload(2, bytes)
    expect(r.ok && r.payload).toEqual({ type: 'PROFILE', nickname: 'bob', cap: [] })
  })

  it('behavior: TYPING round-trips', () => {
    expect(ascii(encodePayload({ type: 'TYPING', state: 'active' }))).toBe('TYPING state=active')
    const r = decodePayload(3, bytesOf('TYPING state=idle'))
    expect(r.ok && r.payload).toEqual({ type: 'TYPING', state: 'idle' })
  })

  it('behavior: decode(encode(p)) equals p for arbitrary PROFILEs', () => {
    const token = fc.stringMatching(/^[a-z0-9_]{1,32}$/)
    const text = (max: number) =>
      fc
        .string({ minLength: 1, maxLength: max / 4, unit: 'grapheme' })
        // biome-ignore lint/suspicious/noControlCharactersInRegex: text values have no controls
        .filter((s) => !/[\u0000-\u001f\u007f-\u009f]/.test(s) && bytesOf(s).length <= max)
    const profile = fc.record(
      {
        type: fc.constant('PROFILE' as const),
        nickname: text(64),
        icon: fc.uint8Array({ minLength: 1, maxLength: 64 }),
        status: token,
        note: text(140),
        cap: fc.uniqueArray(token, { maxLength: 16 }).map((a) => [...a].sort()),
      },
      { requiredKeys: ['type', 'nickname'] },
    )
    fc.assert(
      fc.property(profile, (p) => {
        const r = decodePayload(2, encodePayload(p as Payload))
        if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`)
        expect(r.payload).toEqual({ cap: [], ...p })
      }),
    )
  })

  it('behavior: decoding arbitrary bytes never throws and gives a §14 code', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1000 }), fc.uint8Array({ maxLength: 200 }), (m, b) => {
        const r = decodePayload(m, b)
        expect(r.ok || codes.has(r.error.code)).toBe(true)
      }),
    )
  })
})

describe('errors', () => {
  it('error: a payload under the mtype of another type is unknown_type', () => {
    expect(errorOf(3, 'PROFILE nickname=Ym9i')).toBe('unknown_type')
    expect(errorOf(1, 'TYPING state=idle')).toBe('unknown_type')
  })
  it('error: an unknown payload type is unknown_type, also a prototype key', () => {
    expect(errorOf(2, 'PROFILES nickname=Ym9i')).toBe('unknown_type')
    expect(errorOf(2, 'constructor')).toBe('unknown_type')
  })
  it('error: fields out of order, repeated, missing, unknown', () => {
    expect(errorOf(2, 'PROFILE status=away nickname=Ym9i')).toBe('field_order')
    expect(errorOf(2, 'PROFILE nickname=Ym9i nickname=Ym9i')).toBe('duplicate_field')
    expect(errorOf(2, 'PROFILE status=away')).toBe('missing_field')
    expect(errorOf(2, 'PROFILE nickname=Ym9i mood=happy')).toBe('unknown_field')
    expect(errorOf(2, 'PROFILE cap=a nickname=Ym9i')).toBe('field_order')
  })
  it('error: cap values out of order or repeated are bad_value (one encoding per set)', () => {
    expect(errorOf(2, 'PROFILE nickname=Ym9i cap=typing cap=file1')).toBe('bad_value')
    expect(errorOf(2, 'PROFILE nickname=Ym9i cap=file1 cap=file1')).toBe('bad_value')
    expect(() =>
      encodePayload({ type: 'PROFILE', nickname: 'b', cap: ['typing', 'file1'] }),
    ).toThrow(/out of order/)
  })
  it('error: bad values, non-canonical base64, controls in text', () => {
    expect(errorOf(2, 'PROFILE nickname=Ym9')).toBe('bad_value')
    expect(errorOf(2, 'PROFILE nickname=Ym9j')).toBe(undefined) // 'boc' is fine
    expect(errorOf(2, 'PROFILE nickname=Ym9p')).toBe(undefined)
    expect(errorOf(2, 'PROFILE nickname=Ym9iYQ==')).toBe(undefined)
    expect(errorOf(2, 'PROFILE nickname=Ym9iYR==')).toBe('bad_value') // unused bits set
    expect(errorOf(2, 'PROFILE nickname=G2M=')).toBe('bad_utf8') // ESC c
    expect(errorOf(3, 'TYPING state=Active')).toBe('bad_value')
  })
  it('error: spaces and bytes out of place', () => {
    expect(errorOf(3, 'TYPING  state=idle')).toBe('bad_structure')
    expect(errorOf(3, 'TYPING state=idle ')).toBe('bad_structure')
    expect(errorOf(3, ' TYPING state=idle')).toBe('bad_structure')
    expect(errorOf(3, 'TYPING state=idle\r')).toBe('bad_byte')
    expect(errorOf(3, bytesOf('TYPING state=id\u00e9'))).toBe('bad_byte')
  })
  it('error: data after LF on a type that carries none', () => {
    expect(errorOf(3, 'TYPING state=idle\n')).toBe('bad_structure')
    expect(errorOf(3, 'TYPING state=idle\nxyz')).toBe('bad_structure')
    expect(() => encodePayload({ type: 'TYPING', state: 'idle' }, Uint8Array.of(1))).toThrow(
      /no data/,
    )
  })
  it('error: a plaintext over MAX_MESSAGE_BYTES is line_too_long', () => {
    expect(errorOf(2, new Uint8Array(32_769))).toBe('line_too_long')
    expect(() =>
      encodePayload({ type: 'PROFILE', nickname: 'b', icon: new Uint8Array(16_384), note: 'x' }),
    ).not.toThrow()
  })
  it('error: invalid payload objects throw WireEncodeError', () => {
    expect(() => encodePayload({ type: 'NOPE' } as unknown as Payload)).toThrow(
      expect.objectContaining({ name: 'WireEncodeError', code: 'unknown_type' }),
    )
    expect(() => encodePayload({ type: 'TYPING' } as unknown as Payload)).toThrow(
      expect.objectContaining({ name: 'WireEncodeError', code: 'missing_field' }),
    )
  })
})

describe('docs/vectors/payloads.json', () => {
  const vectors = JSON.parse(
    readFileSync(new URL('../../../docs/vectors/payloads.json', import.meta.url), 'utf8'),
  ) as {
    valid: Array<{
      name: string
      mtype: number
      payload: Record<string, unknown>
      plaintext: string
    }>
    invalid: Array<{ mtype: number; plaintext: string; code: string }>
  }
  const fromJson = (o: Record<string, unknown>): Payload => {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(o)) {
      if (k.endsWith('_hex')) out[k.slice(0, -4)] = Uint8Array.from(Buffer.from(v as string, 'hex'))
      else out[k] = v
    }
    return out as Payload
  }
  for (const v of vectors.valid) {
    it(`behavior: ${v.name} encodes to its plaintext and decodes back`, () => {
      const p = fromJson(v.payload)
      expect(payloadMtype(p.type)).toBe(v.mtype)
      expect(ascii(encodePayload(p))).toBe(v.plaintext)
      const r = decodePayload(v.mtype, bytesOf(v.plaintext))
      expect(r.ok && r.payload).toEqual(p)
    })
  }
  for (const v of vectors.invalid) {
    it(`error: ${JSON.stringify(v.plaintext)} under mtype ${v.mtype} is ${v.code}`, () => {
      expect(errorOf(v.mtype, v.plaintext)).toBe(v.code)
    })
  }
})
