import { describe, expect, it } from 'vitest'
import {
  decode,
  encode,
  encodeToString,
  FRAME_TYPES,
  type Frame,
  hashInput,
  PER_HOP_FIELDS,
  signingInput,
  ZERO_SIGNATURE,
} from '../src/index.ts'
import { ascii, B, bytesOf, HASH, MAC, samples, TS } from './fixtures.ts'

describe('every frame type', () => {
  it('behavior: covers the 15 types of §4', () => {
    expect(Object.keys(samples).sort()).toEqual([...FRAME_TYPES].sort())
    expect(FRAME_TYPES).toHaveLength(15)
  })

  for (const type of FRAME_TYPES) {
    const s = samples[type]
    it(`behavior: ${type} encodes to the hand-written line`, () => {
      expect(encodeToString(s.env)).toBe(`${s.line}\n`)
      expect(encode(s.env)).toEqual(bytesOf(`${s.line}\n`))
    })
    it(`behavior: ${type} decodes to the same envelope, with and without LF, from string and bytes`, () => {
      for (const input of [s.line, `${s.line}\n`, bytesOf(s.line), bytesOf(`${s.line}\n`)]) {
        const r = decode(input)
        expect(r.ok).toBe(true)
        if (!r.ok) return
        expect(r.envelope).toEqual(s.env)
        expect(ascii(r.hashInput)).toBe(s.hashInput)
        expect(ascii(r.signingInput)).toBe(s.line.slice(s.line.indexOf(' ') + 1))
      }
    })
    it(`behavior: ${type} hashInput and signingInput match the line`, () => {
      expect(ascii(hashInput(s.env.frame))).toBe(s.hashInput)
      expect(ascii(signingInput(s.env.frame, s.env.hash))).toBe(
        s.line.slice(s.line.indexOf(' ') + 1),
      )
    })
  }
})

describe('hash input', () => {
  it('behavior: leaves out the per-hop fields but keeps everything else in line order', () => {
    expect(PER_HOP_FIELDS).toEqual(['metric', 'ttl'])
    const online = samples.CLIENT_ONLINE
    expect(ascii(hashInput(online.env.frame))).not.toMatch(/metric=|ttl=/)
    expect(ascii(signingInput(online.env.frame, HASH))).toMatch(/ metric=0 ttl=64$/)
  })

  it('behavior: omit gives the §5.3 proof input, as in the spec example', () => {
    const frame = { ...samples.CLIENT_ONLINE.env.frame, icon: undefined } as Frame
    expect(ascii(hashInput(frame, 'proof'))).toBe(
      `CLIENT_ONLINE clientkey=${B.k1} nonce=${TS} nickname=${B.nick}`,
    )
  })

  it('behavior: omit gives the §5.4 associated-data body of messages and receipts', () => {
    expect(ascii(hashInput(samples.MESSAGE_SEND.env.frame, 'message'))).toBe(
      `MESSAGE_SEND target_hash=${B.k1} origin=${B.k2} sid=${B.a16} chatid=${B.b16} msgid=${B.c16} mtype=1`,
    )
    expect(ascii(hashInput(samples.MESSAGE_READ.env.frame, 'auth'))).toBe(
      `MESSAGE_READ target_hash=${B.k1} origin=${B.k2} sid=${B.a16} chatid=${B.b16} msgid=${B.c16}`,
    )
  })

  it('error: omitting a field the type does not have throws', () => {
    expect(() => hashInput(samples.HELLO.env.frame, 'proof')).toThrow(
      expect.objectContaining({ name: 'WireEncodeError', code: 'unknown_field', field: 'proof' }),
    )
  })

  it('behavior: decode hands out views into the line, not copies', () => {
    const line = bytesOf(`${samples.MESSAGE_SEND.line}\n`)
    const r = decode(line)
    if (!r.ok) throw new Error(r.error.message)
    expect(r.signingInput.buffer).toBe(line.buffer)
    expect(r.hashInput.buffer).toBe(line.buffer)
    expect(r.signingInput.constructor).toBe(Uint8Array)
  })
})

describe('decoded values', () => {
  // Longer values and string lines are carved out of a shared slab (src/pool.ts): no later
  // decode may write over bytes an earlier one handed out, across slabs and size classes.
  const message = (n: number, seed: number) =>
    Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed * 7) & 0xff)
  const lineOf = (n: number, seed: number) =>
    encode({
      signature: MAC,
      hash: HASH,
      frame: { ...samples.MESSAGE_SEND.env.frame, message: message(n, seed) } as Frame,
    })

  it('behavior: stay intact while later lines are decoded', () => {
    const sizes = [41, 64, 65, 100, 1064, 3000, 4096, 4097, 20_000, 32_808]
    const kept = []
    for (let k = 0; k < 300; k++) {
      const n = sizes[k % sizes.length] as number
      const line = lineOf(n, k)
      const r = decode(k % 2 === 0 ? line : ascii(line))
      if (!r.ok) throw new Error(r.error.message)
      kept.push({ k, n, r, text: ascii(line) })
    }
    for (const { k, n, r, text } of kept) {
      if (!r.ok) throw new Error('unreachable')
      const got = (r.envelope.frame as { message: Uint8Array }).message
      expect(got.length).toBe(n)
      expect(Buffer.from(got).equals(Buffer.from(message(n, k)))).toBe(true)
      expect(ascii(r.signingInput)).toBe(text.slice(text.indexOf(' ') + 1, -1))
      expect(ascii(r.hashInput)).toBe(
        text.slice(text.indexOf('MESSAGE_SEND'), text.indexOf(' ttl=')),
      )
    }
  })

  it('behavior: are plain Uint8Arrays that can be changed without touching another', () => {
    const a = decode(lineOf(1000, 1))
    const b = decode(lineOf(1000, 2))
    if (!a.ok || !b.ok) throw new Error('decode failed')
    const ma = (a.envelope.frame as { message: Uint8Array }).message
    const mb = (b.envelope.frame as { message: Uint8Array }).message
    expect(ma.constructor).toBe(Uint8Array)
    ma.fill(0)
    expect(Buffer.from(mb).equals(Buffer.from(message(1000, 2)))).toBe(true)
  })
})

describe('envelope', () => {
  it('behavior: a pre-link BYE carries the zero signature of §5.2', () => {
    expect(ZERO_SIGNATURE).toEqual(new Uint8Array(32))
    const line = encodeToString({
      signature: ZERO_SIGNATURE,
      hash: HASH,
      frame: { type: 'BYE', timestamp: 5, reason: 'busy' },
    })
    expect(line).toBe(`AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= ${B.hash} 5 BYE reason=busy\n`)
  })

  it('behavior: decode accepts a 32- or 64-byte signature on any type', () => {
    const bye = samples.BYE
    const r = decode(`${B.sig64}${bye.line.slice(bye.line.indexOf(' '))}`)
    expect(r.ok && r.envelope.signature.length).toBe(64)
    const hello = samples.HELLO
    const r2 = decode(`${B.mac}${hello.line.slice(hello.line.indexOf(' '))}`)
    expect(r2.ok && r2.envelope.signature).toEqual(MAC)
  })

  it('behavior: an absent optional field leaves no key, and an undefined one encodes as absent', () => {
    const r = decode(samples.CLIENT_UPDATE.line)
    expect(r.ok && 'icon' in r.envelope.frame).toBe(false)
    const withUndefined = {
      ...samples.CLIENT_UPDATE.env,
      frame: { ...samples.CLIENT_UPDATE.env.frame, icon: undefined },
    }
    expect(encodeToString(withUndefined)).toBe(`${samples.CLIENT_UPDATE.line}\n`)
  })

  it('behavior: NEIGHBORS_RESPONSE with no neighbour decodes to an empty array', () => {
    const line = encodeToString({
      signature: MAC,
      hash: HASH,
      frame: { type: 'NEIGHBORS_RESPONSE', timestamp: 1, neighbor: [] },
    })
    expect(line).toBe(`${B.mac} ${B.hash} 1 NEIGHBORS_RESPONSE\n`)
    const r = decode(line)
    expect(r.ok && r.envelope.frame).toEqual({
      type: 'NEIGHBORS_RESPONSE',
      timestamp: 1,
      neighbor: [],
    })
  })

  it('behavior: a nickname keeps a leading byte order mark', () => {
    const frame = { ...samples.CLIENT_UPDATE.env.frame, nickname: '\uFEFFbob' } as Frame
    const line = encode({ signature: MAC, hash: HASH, frame })
    const r = decode(line)
    expect(r.ok && r.envelope.frame).toEqual(frame)
  })
})
