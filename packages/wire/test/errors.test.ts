import { describe, expect, it } from 'vitest'
import {
  checkFrame,
  DECODE_ERROR_CODES,
  type DecodeErrorCode,
  decode,
  encode,
  type Frame,
  type FrameOf,
  MAX_LINE_BYTES,
} from '../src/index.ts'
import { B, HASH, MAC, samples, TS } from './fixtures.ts'

const H = `${B.mac} ${B.hash} ${TS}`
const hello = samples.HELLO.line
const online = samples.CLIENT_ONLINE.line
const sixtyFour = (b: string) => b.replaceAll('=', '') // not a multiple of 4 any more
const neighbors = (n: number) =>
  Array.from({ length: n }, (_, i) => `neighbor=2001:db8::${i + 1},1`).join(' ')

/** [what, line, code, field] — at least one line per §14 code. */
const cases: [string, string | Uint8Array, DecodeErrorCode, string?][] = [
  ['a line over MAX_LINE_BYTES', `${H} BYE reason=${'a'.repeat(MAX_LINE_BYTES)}`, 'line_too_long'],
  [
    'exactly one byte over, counting the LF',
    `${H} BYE reason=x`.padEnd(MAX_LINE_BYTES, 'x'),
    'line_too_long',
  ],
  ['a CR LF ending', `${samples.BYE.line}\r\n`, 'bad_byte'],
  ['a TAB', `${H}\tBYE reason=x`, 'bad_byte'],
  ['a non-ASCII character in a string', `${samples.BYE.line}é`, 'bad_byte'],
  [
    'a non-ASCII byte',
    Uint8Array.of(...new TextEncoder().encode(samples.BYE.line), 0xc3, 0xa9),
    'bad_byte',
  ],
  ['an LF inside the line', `${samples.BYE.line}\n${samples.BYE.line}`, 'bad_byte'],
  ['a bad byte after an earlier error', `${H} NOPE x\u0000`, 'bad_byte'],
  ['an empty line', '', 'bad_structure'],
  ['three header tokens', `${B.mac} ${B.hash} ${TS}`, 'bad_structure'],
  ['a leading space', ` ${samples.BYE.line}`, 'bad_structure'],
  ['a trailing space', `${samples.BYE.line} `, 'bad_structure'],
  ['two spaces in the header', `${B.mac}  ${B.hash} ${TS} BYE reason=x`, 'bad_structure'],
  ['two spaces between fields', samples.HELLO.line.replace(' port=', '  port='), 'bad_structure'],
  ['a trailing space after the type', `${H} NEIGHBORS_REQUEST `, 'bad_structure'],
  ['a signature of 33 bytes', `${'A'.repeat(43)}A= ${B.hash} ${TS} BYE reason=x`, 'bad_signature'],
  [
    'a signature without padding',
    `${sixtyFour(B.mac)} ${B.hash} ${TS} BYE reason=x`,
    'bad_signature',
  ],
  [
    'a signature with unused bits set',
    `${B.mac.slice(0, 42)}J= ${B.hash} ${TS} BYE reason=x`,
    'bad_signature',
  ],
  [
    'a 31-byte signature padded to 44 chars',
    `${'A'.repeat(42)}== ${B.hash} ${TS} BYE reason=x`,
    'bad_signature',
  ],
  ['a hash of 64 bytes', `${B.mac} ${B.sig64} ${TS} BYE reason=x`, 'bad_hash'],
  ['a url-safe hash', `${B.mac} ${'_'.repeat(43)}= ${TS} BYE reason=x`, 'bad_hash'],
  ['a timestamp with a leading zero', `${B.mac} ${B.hash} 0${TS} BYE reason=x`, 'bad_timestamp'],
  ['a negative timestamp', `${B.mac} ${B.hash} -1 BYE reason=x`, 'bad_timestamp'],
  ['a timestamp of 2^53', `${B.mac} ${B.hash} 9007199254740992 BYE reason=x`, 'bad_timestamp'],
  ['a lower-case type', `${H} bye reason=x`, 'unknown_type'],
  ['a type not in §4', `${H} PING`, 'unknown_type'],
  ['a field without "="', `${H} BYE reason`, 'bad_field'],
  ['a field name with upper case', `${H} BYE Reason=x`, 'bad_field'],
  ['a field name of 33 characters', `${H} BYE ${'a'.repeat(33)}=x`, 'bad_field'],
  ['an empty field name', `${H} BYE =x`, 'bad_field'],
  ['a field name starting with a digit', `${H} BYE 1reason=x`, 'bad_field'],
  ['41 fields', `${H} NEIGHBORS_RESPONSE ${neighbors(41)}`, 'too_many_fields'],
  ['33 neighbours', `${H} NEIGHBORS_RESPONSE ${neighbors(33)}`, 'too_many_fields', 'neighbor'],
  ['a field of another type', `${H} BYE id=1`, 'unknown_field', 'id'],
  ['a field after all known ones', `${samples.BYE.line} extra=1`, 'unknown_field', 'extra'],
  ['a repeated field', `${H} KEEPALIVE_REQUEST id=1 id=1`, 'duplicate_field', 'id'],
  [
    'a repeated field, not adjacent',
    hello.replace(' port=7600', ' port=7600 port=7600'),
    'duplicate_field',
    'port',
  ],
  [
    'fields swapped',
    hello.replace(/version=1 (nodekey=\S+)/, '$1 version=1'),
    'field_order',
    'version',
  ],
  [
    'a per-hop field first',
    online.replace(/ metric=0 ttl=64$/, ' ttl=64 metric=0'),
    'field_order',
    'metric',
  ],
  ['a required field absent', hello.replace(' port=7600', ''), 'missing_field', 'port'],
  ['every field absent', `${H} BYE`, 'missing_field', 'reason'],
  ['an empty value', hello.replace('port=7600', 'port='), 'bad_value', 'port'],
  ['a uint with a leading zero', hello.replace('port=7600', 'port=07600'), 'bad_value', 'port'],
  ['a uint over its range', hello.replace('port=7600', 'port=65536'), 'bad_value', 'port'],
  ['version 0', hello.replace('version=1', 'version=0'), 'bad_value', 'version'],
  ['ttl 65', samples.ROUTE_REQUEST.line.replace('ttl=64', 'ttl=65'), 'bad_value', 'ttl'],
  ['a key of 31 bytes', hello.replace(B.k1, `${'A'.repeat(40)}AA==`), 'bad_value', 'nodekey'],
  [
    'a key with unused bits set',
    hello.replace(B.k1, `${B.k1.slice(0, 42)}F=`),
    'bad_value',
    'nodekey',
  ],
  ['a token with upper case', `${H} BYE reason=Shutdown`, 'bad_value', 'reason'],
  ['a token of 33 characters', `${H} BYE reason=${'a'.repeat(33)}`, 'bad_value', 'reason'],
  [
    'an address with upper-case hex',
    `${H} NEIGHBORS_RESPONSE neighbor=2001:DB8::1,1`,
    'bad_value',
    'neighbor',
  ],
  [
    'an address with a zone',
    `${H} NEIGHBORS_RESPONSE neighbor=fe80::1%eth0,1`,
    'bad_value',
    'neighbor',
  ],
  [
    'an address with embedded IPv4',
    `${H} NEIGHBORS_RESPONSE neighbor=::ffff:192.0.2.1,1`,
    'bad_value',
    'neighbor',
  ],
  [
    'an address with port 0',
    `${H} NEIGHBORS_RESPONSE neighbor=2001:db8::1,0`,
    'bad_value',
    'neighbor',
  ],
  [
    'an address without port',
    `${H} NEIGHBORS_RESPONSE neighbor=2001:db8::1`,
    'bad_value',
    'neighbor',
  ],
  ['an empty nickname', online.replace(B.nick, ''), 'bad_value', 'nickname'],
  ['a nickname of 65 bytes', online.replace(B.nick, btoa('a'.repeat(65))), 'bad_value', 'nickname'],
  [
    'a nickname that is not UTF-8',
    online.replace(B.nick, btoa('\xff\xfe')),
    'bad_utf8',
    'nickname',
  ],
  [
    'a nickname with an overlong encoding',
    online.replace(B.nick, btoa('\xc0\xaf')),
    'bad_utf8',
    'nickname',
  ],
  [
    'a nickname with a surrogate',
    online.replace(B.nick, btoa('\xed\xa0\x80')),
    'bad_utf8',
    'nickname',
  ],
  ['a nickname with ESC', online.replace(B.nick, btoa('a\x1b[2J')), 'bad_utf8', 'nickname'],
  ['a nickname with DEL', online.replace(B.nick, btoa('a\x7f')), 'bad_utf8', 'nickname'],
  [
    'a nickname with a C1 control',
    online.replace(B.nick, btoa('a\xc2\x9b')),
    'bad_utf8',
    'nickname',
  ],
]

describe('decode errors (§14)', () => {
  for (const [what, line, code, field] of cases) {
    it(`error: ${what} is ${code}`, () => {
      const r = decode(line)
      expect(r.ok).toBe(false)
      if (r.ok) return
      expect(r.error.code).toBe(code)
      if (field !== undefined) expect(r.error.field).toBe(field)
      expect(r.error.message).toBeTypeOf('string')
    })
  }

  it('behavior: every §14 code is produced by at least one case above', () => {
    expect(new Set(cases.map((c) => c[2]))).toEqual(new Set(DECODE_ERROR_CODES))
  })

  it('behavior: the largest icon and message are accepted', () => {
    // 16384 bytes = 5461 full quads and one byte: 21848 characters ending in '=='
    const icon = `${'A'.repeat(21846)}==`
    expect(decode(online.replace(B.icon, icon)).ok).toBe(true)
    expect(decode(online.replace(B.icon, `AAAA${icon}`))).toMatchObject({
      error: { code: 'bad_value' },
    })
    const message = `${'A'.repeat(43744)}` // 32808 bytes
    const send = samples.MESSAGE_SEND.line.replace(B.msg, message)
    expect(decode(send).ok).toBe(true)
    expect(decode(send.replace(message, `AAAA${message}`))).toMatchObject({
      error: { code: 'bad_value' },
    })
  })

  it('behavior: the length limit counts the LF, with or without it given', () => {
    const atLimit = 'x'.repeat(MAX_LINE_BYTES - 1) // + LF = MAX_LINE_BYTES: not too long
    expect(decode(atLimit)).toMatchObject({ error: { code: 'bad_structure' } })
    expect(decode(`${atLimit}\n`)).toMatchObject({ error: { code: 'bad_structure' } })
    expect(decode(`${atLimit}x`)).toMatchObject({ error: { code: 'line_too_long' } })
    expect(decode(`${atLimit}x\n`)).toMatchObject({ error: { code: 'line_too_long' } })
  })

  it('error: a value that is neither string nor bytes does not throw', () => {
    for (const v of [undefined, null, 42, {}, [], new ArrayBuffer(4)]) {
      expect(decode(v as unknown as string)).toMatchObject({
        ok: false,
        error: { code: 'bad_structure' },
      })
    }
  })
})

describe('encode errors', () => {
  const base = samples.HELLO.env
  const throwsCode = (f: () => unknown, code: DecodeErrorCode, field?: string) =>
    expect(f).toThrow(
      expect.objectContaining({ name: 'WireEncodeError', code, ...(field ? { field } : {}) }),
    )

  it('error: a bad signature, hash or timestamp throws with the decode code', () => {
    throwsCode(() => encode({ ...base, signature: new Uint8Array(33) }), 'bad_signature')
    throwsCode(() => encode({ ...base, hash: new Uint8Array(31) }), 'bad_hash')
    throwsCode(() => encode({ ...base, frame: { ...base.frame, timestamp: -1 } }), 'bad_timestamp')
    throwsCode(() => encode({ ...base, frame: { ...base.frame, timestamp: 1.5 } }), 'bad_timestamp')
  })

  it('error: an invalid frame throws, naming the field', () => {
    const f = base.frame as Extract<Frame, { type: 'HELLO' }>
    throwsCode(
      () => encode({ ...base, frame: { ...f, type: 'PING' } as unknown as Frame }),
      'unknown_type',
    )
    throwsCode(
      () => encode({ ...base, frame: { ...f, extra: 1 } as Frame }),
      'unknown_field',
      'extra',
    )
    const { port: _, ...noPort } = f
    throwsCode(() => encode({ ...base, frame: noPort as Frame }), 'missing_field', 'port')
    throwsCode(() => encode({ ...base, frame: { ...f, port: 65536 } }), 'bad_value', 'port')
    throwsCode(
      () => encode({ ...base, frame: { ...f, nodekey: new Uint8Array(31) } }),
      'bad_value',
      'nodekey',
    )
    const bye = { type: 'BYE', timestamp: 0, reason: 'Nope' } as const
    throwsCode(() => encode({ signature: MAC, hash: HASH, frame: bye }), 'bad_value', 'reason')
    const on = samples.CLIENT_ONLINE.env.frame as FrameOf<'CLIENT_ONLINE'>
    throwsCode(
      () => encode({ ...base, frame: { ...on, nickname: 'a\u0007' } }),
      'bad_utf8',
      'nickname',
    )
    throwsCode(
      () => encode({ ...base, frame: { ...on, nickname: 'a\uD800' } }),
      'bad_utf8',
      'nickname',
    )
    throwsCode(
      () => encode({ ...base, frame: { ...on, nickname: 'é'.repeat(33) } }),
      'bad_value',
      'nickname',
    )
    const nr = (neighbor: unknown) =>
      encode({ ...base, frame: { type: 'NEIGHBORS_RESPONSE', timestamp: 0, neighbor } as Frame })
    throwsCode(() => nr([{ ip: '2001:DB8::1', port: 1 }]), 'bad_value', 'neighbor')
    throwsCode(() => nr([{ ip: '2001:db8::1', port: 1, zone: 'x' }]), 'bad_value', 'neighbor')
    throwsCode(() => nr(Array(33).fill({ ip: '::1', port: 1 })), 'too_many_fields', 'neighbor')
  })

  it('behavior: the error carries a stable name and is an Error', () => {
    try {
      encode({ ...base, hash: new Uint8Array(0) })
      expect.unreachable()
    } catch (e) {
      expect(e).toBeInstanceOf(Error)
      expect((e as Error).name).toBe('WireEncodeError')
    }
  })
})

describe('checkFrame', () => {
  it('behavior: accepts every sample frame', () => {
    for (const s of Object.values(samples))
      expect(checkFrame(s.env.frame)).toEqual({ ok: true, frame: s.env.frame })
  })

  const f = samples.HELLO.env.frame
  const on = samples.CLIENT_ONLINE.env.frame
  const checks: [string, unknown, DecodeErrorCode, string?][] = [
    ['not an object', 'HELLO', 'bad_structure'],
    ['an unknown type', { ...f, type: 'PING' }, 'unknown_type'],
    ['an unknown key', { ...f, extra: 1 }, 'unknown_field', 'extra'],
    ['a missing key', { ...f, port: undefined }, 'missing_field', 'port'],
    ['a bad timestamp', { ...f, timestamp: -1 }, 'bad_timestamp', 'timestamp'],
    ['a value out of range', { ...f, version: 0 }, 'bad_value', 'version'],
    ['a short key', { ...f, linkkey: new Uint8Array(1) }, 'bad_value', 'linkkey'],
    ['a control in a nickname', { ...on, nickname: '\u009b' }, 'bad_utf8', 'nickname'],
    [
      'too many neighbours',
      {
        type: 'NEIGHBORS_RESPONSE',
        timestamp: 0,
        neighbor: Array(33).fill({ ip: '::1', port: 1 }),
      },
      'too_many_fields',
      'neighbor',
    ],
  ]
  for (const [what, value, code, field] of checks) {
    it(`error: ${what} is ${code}`, () => {
      const r = checkFrame(value)
      expect(r.ok).toBe(false)
      if (r.ok) return
      expect(r.error.code).toBe(code)
      if (field !== undefined) expect(r.error.field).toBe(field)
    })
  }
})
