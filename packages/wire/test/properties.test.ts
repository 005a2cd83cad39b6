import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  checkFrame,
  DECODE_ERROR_CODES,
  decode,
  encode,
  encodeToString,
  FRAME_TYPES,
  frameSchema,
  hashInput,
  signingInput,
} from '../src/index.ts'
import { anyEnvelope, envelopeOf, frames } from './arbitraries.ts'
import { ascii, norm, samples } from './fixtures.ts'
import { referenceDecode } from './reference.ts'

const codes: ReadonlySet<string> = new Set(DECODE_ERROR_CODES)
const isResult = (r: ReturnType<typeof decode>) =>
  r.ok ? r.envelope !== undefined : codes.has(r.error.code)

describe('round trip', () => {
  for (const type of FRAME_TYPES) {
    it(`behavior: decode(encode(f)) equals f for arbitrary ${type} frames`, () => {
      fc.assert(
        fc.property(envelopeOf(frames[type]), (env) => {
          const line = encode(env)
          const r = decode(line)
          if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`)
          expect(norm(r.envelope)).toStrictEqual(norm(env))
          // the zod schemas agree with the scanner about what is a valid frame
          expect(norm(frameSchema.parse(r.envelope.frame))).toStrictEqual(norm(env.frame))
          expect(norm(checkFrame(r.envelope.frame))).toStrictEqual(
            norm({ ok: true, frame: env.frame }),
          )
          expect(norm(r.hashInput)).toBe(norm(hashInput(env.frame)))
          expect(norm(r.signingInput)).toBe(norm(signingInput(env.frame, env.hash)))
          expect(line.length).toBeLessThanOrEqual(65536)
          // and the string form of both directions agrees with the bytes
          expect(norm(decode(encodeToString(env)))).toStrictEqual(norm(r))
        }),
        { numRuns: 60 },
      )
    })
  }
})

describe('decode on hostile input', () => {
  it('behavior: arbitrary bytes give a result or a typed error, never a throw', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
        expect(isResult(decode(b))).toBe(true)
      }),
      { numRuns: 2000 },
    )
  })

  it('behavior: arbitrary strings give a result or a typed error, never a throw', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => {
        expect(isResult(decode(s))).toBe(true)
      }),
      { numRuns: 2000 },
    )
  })

  it('behavior: header-shaped garbage gives a result or a typed error', () => {
    const tok = fc.stringMatching(/^[A-Za-z0-9+/=_:,.-]{0,60}$/)
    fc.assert(
      fc.property(
        fc.array(tok, { maxLength: 12 }),
        fc.constantFrom(...FRAME_TYPES, 'X'),
        (toks, type) => {
          expect(isResult(decode([...toks.slice(0, 3), type, ...toks.slice(3)].join(' ')))).toBe(
            true,
          )
        },
      ),
      { numRuns: 2000 },
    )
  })
})

/** Small edits of valid lines, to reach deep into the scanner. */
const pool = [
  '=',
  ' ',
  'A',
  'a',
  '0',
  '1',
  '9',
  '_',
  ':',
  ',',
  '/',
  '+',
  '\r',
  '\t',
  '\n',
  'é',
  '\u0000',
  'Z',
  'g',
  '-',
]
const edit = fc.oneof(
  fc.record({ op: fc.constant('replace' as const), at: fc.nat(), ch: fc.constantFrom(...pool) }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), ch: fc.constantFrom(...pool) }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(), ch: fc.constant('') }),
  fc.record({ op: fc.constant('dupToken' as const), at: fc.nat(), ch: fc.constant('') }),
  fc.record({ op: fc.constant('swapTokens' as const), at: fc.nat(), ch: fc.constant('') }),
)
type Edit = {
  op: 'replace' | 'insert' | 'delete' | 'dupToken' | 'swapTokens'
  at: number
  ch: string
}

function applyEdit(line: string, e: Edit): string {
  const at = e.at % (line.length + 1)
  const toks = line.split(' ')
  const t = e.at % toks.length
  switch (e.op) {
    case 'replace':
      return line.slice(0, at) + e.ch + line.slice(at + 1)
    case 'insert':
      return line.slice(0, at) + e.ch + line.slice(at)
    case 'delete':
      return line.slice(0, at) + line.slice(at + 1)
    case 'dupToken':
      toks.splice(t, 0, toks[t] as string)
      return toks.join(' ')
    case 'swapTokens':
      if (t + 1 < toks.length) [toks[t], toks[t + 1]] = [toks[t + 1] as string, toks[t] as string]
      return toks.join(' ')
  }
}

describe('differential: fast decoder against a slow reference', () => {
  it('behavior: both accept exactly the same edited lines, with the same frames', () => {
    const line = anyEnvelope.map((env) => encodeToString(env).slice(0, -1))
    const small = fc.oneof(...Object.values(samples).map((s) => fc.constant(s.line)), line)
    fc.assert(
      fc.property(small, fc.array(edit, { minLength: 1, maxLength: 3 }), (base, edits) => {
        const mutated = edits.reduce(applyEdit, base)
        const fast = decode(mutated)
        const slow = referenceDecode(mutated)
        expect(fast.ok).toBe(slow !== undefined)
        if (fast.ok) expect(norm(fast.envelope)).toStrictEqual(norm(slow))
      }),
      { numRuns: 3000 },
    )
  })

  it('behavior: the reference accepts every valid line (so the comparison above has teeth)', () => {
    for (const s of Object.values(samples)) expect(referenceDecode(s.line)).toStrictEqual(s.env)
  })
})

describe('non-canonical variants of valid lines are rejected', () => {
  const variants: [string, (line: string) => string | undefined][] = [
    ['double space', (l) => l.replace(' ', '  ')],
    ['double space before the last token', (l) => l.replace(/ (\S+)$/, '  $1')],
    ['trailing space', (l) => `${l} `],
    ['leading space', (l) => ` ${l}`],
    ['CR LF', (l) => `${l}\r\n`],
    ['CR', (l) => `${l}\r`],
    [
      'lower-case type',
      (l) => l.replace(/ ([A-Z_]+)( |$)/, (_, t, e) => ` ${t.toLowerCase()}${e}`),
    ],
    [
      'type with one lower-case letter',
      (l) => l.replace(/ ([A-Z])([A-Z_]*)( |$)/, (_, a, t, e) => ` ${a.toLowerCase()}${t}${e}`),
    ],
    ['leading zero on the timestamp', (l) => l.replace(/^(\S+ \S+ )/, '$10')],
    [
      'leading zero on a uint field',
      (l) => (UINT_FIELD.test(l) ? l.replace(UINT_FIELD, ' $1=0$2') : undefined),
    ],
    ['signature without padding', (l) => l.replace(/^(\S+?)=+ /, '$1 ')],
    ['hash with extra padding', (l) => l.replace(/^(\S+) (\S+)/, '$1 $2=')],
    [
      'unused bits set in the hash',
      (l) => l.replace(/^(\S+ \S{42})(\S)=/, (_, a, c) => `${a}${flipLowBit(c)}=`),
    ],
    [
      'base64 value without padding',
      (l) =>
        /=[A-Za-z0-9+/]+=+( |$)/.test(l)
          ? l.replace(/(=[A-Za-z0-9+/]+?)=+( |$)/, '$1$2')
          : undefined,
    ],
    [
      'unused bits set in a value',
      (l) =>
        /=[A-Za-z0-9+/]+[A-Za-z0-9+/]=( |$)/.test(l)
          ? l.replace(
              /(=[A-Za-z0-9+/]+)([A-Za-z0-9+/])=( |$)/,
              (_, a, c, e) => `${a}${flipLowBit(c)}=${e}`,
            )
          : undefined,
    ],
    [
      'empty value',
      (l) => (/ [a-z_]+=\S/.test(l) ? l.replace(/ ([a-z_]+)=\S+/, ' $1=') : undefined),
    ],
    ['first two different fields swapped', swapFirstDistinct],
    ['a non-repeatable field duplicated', dupNonRepeatable],
    [
      'a field appended twice over',
      (l) => (/ ttl=\d+$/.test(l) ? `${l} ${l.match(/ttl=\d+$/)?.[0]}` : undefined),
    ],
    ['an unknown field', (l) => `${l} zzz=1`],
  ]

  for (const [what, mutate] of variants) {
    it(`error: ${what}`, () => {
      fc.assert(
        fc.property(anyEnvelope, (env) => {
          const line = encodeToString(env).slice(0, -1)
          const m = mutate(line)
          fc.pre(m !== undefined && m !== line)
          const r = decode(m as string)
          expect(r.ok).toBe(false)
        }),
        { numRuns: 80 },
      )
    })
  }
})

const UINT_FIELD = / (version|port|id|nonce|mtype|metric|ttl)=(\d)/

/** A base64 character with its lowest bit flipped: under padding, a set unused bit. */
function flipLowBit(c: string): string {
  const A = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
  return A[A.indexOf(c) ^ 1] as string
}

function fieldsOf(line: string): { head: string[]; fields: string[] } {
  const toks = line.split(' ')
  return { head: toks.slice(0, 4), fields: toks.slice(4) }
}

function swapFirstDistinct(line: string): string | undefined {
  const { head, fields } = fieldsOf(line)
  const name = (t: string) => t.slice(0, t.indexOf('='))
  const i = fields.findIndex(
    (f, k) => k + 1 < fields.length && name(f) !== name(fields[k + 1] as string),
  )
  if (i < 0) return undefined
  ;[fields[i], fields[i + 1]] = [fields[i + 1] as string, fields[i] as string]
  return [...head, ...fields].join(' ')
}

function dupNonRepeatable(line: string): string | undefined {
  const { head, fields } = fieldsOf(line)
  const i = fields.findIndex((f) => !f.startsWith('neighbor='))
  if (i < 0) return undefined
  fields.splice(i, 0, fields[i] as string)
  return [...head, ...fields].join(' ')
}

describe('a decoded line re-encodes byte for byte', () => {
  it('behavior: encode(decode(line)) === line for every accepted edited line', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...Object.values(samples).map((s) => s.line)),
        fc.array(edit, { minLength: 1, maxLength: 2 }),
        (base, edits) => {
          const m = edits.reduce(applyEdit, base)
          const r = decode(m)
          if (r.ok) expect(ascii(encode(r.envelope))).toBe(m.endsWith('\n') ? m : `${m}\n`)
        },
      ),
      { numRuns: 3000 },
    )
  })
})
