// Fuzz target: the line codec (§2–§5.2, §14). Inputs are raw bytes, valid lines of every type,
// and valid lines with a few byte and token edits (which reach deep into the scanner). For each:
// decode never throws and answers a §14 code; what it accepts is canonical (it re-encodes byte for
// byte, and its hash and signing inputs are the frame's); a slow zod-based reference decoder
// accepts exactly the same lines; bytes and string forms agree.
import fc from 'fast-check'
import {
  DECODE_ERROR_CODES,
  decode,
  encode,
  encodeToString,
  type Frame,
  hashInput,
  signingInput,
} from '../src/index.ts'
import { anyEnvelope, envelopeOf, frames } from '../test/arbitraries.ts'
import { norm, samples } from '../test/fixtures.ts'
import { referenceDecode } from '../test/reference.ts'
import { runsFromEnv } from './runs.ts'

/** Cases per run of `pnpm fuzz` (CHAT6_FUZZ_RUNS overrides). */
export const numRuns = runsFromEnv()

const codes: ReadonlySet<string> = new Set(DECODE_ERROR_CODES)
const bytes = (s: string): Uint8Array => {
  const b = Buffer.from(s, 'latin1')
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength)
}
const same = (a: Uint8Array, b: Uint8Array) =>
  a.length === b.length && Buffer.from(a).equals(Buffer.from(b))

/** What a case is made of: a string of byte values 0..255 (one char per byte). */
type Case = string

const SAMPLE_LINES = Object.values(samples).map((s) => s.line)

// Valid lines, with the 32 KiB message generator kept rare: it costs more than it finds here.
const BIG = new Set(['MESSAGE_SEND', 'CLIENT_ONLINE', 'CLIENT_UPDATE'])
const smallEnvelope = envelopeOf(
  fc.oneof(
    ...Object.entries(frames)
      .filter(([t]) => !BIG.has(t))
      .map(([, a]) => a as fc.Arbitrary<Frame>),
  ),
)
const validLine = fc.oneof(
  { weight: 20, arbitrary: fc.constantFrom(...SAMPLE_LINES) },
  { weight: 8, arbitrary: smallEnvelope.map((e) => encodeToString(e).slice(0, -1)) },
  { weight: 1, arbitrary: anyEnvelope.map((e) => encodeToString(e).slice(0, -1)) },
)

const CHARS = [
  '=',
  ' ',
  'A',
  'a',
  'Z',
  'z',
  '0',
  '1',
  '9',
  '_',
  ':',
  ',',
  '/',
  '+',
  '-',
  '.',
  '\r',
  '\t',
  '\n',
  '\u0000',
  '\u007f',
  '\u0080',
  '\u00ff',
  'E',
  'Q',
  'g',
  'w',
]
const edit = fc.oneof(
  fc.tuple(fc.constant('replace' as const), fc.nat(), fc.constantFrom(...CHARS)),
  fc.tuple(fc.constant('insert' as const), fc.nat(), fc.constantFrom(...CHARS)),
  fc.tuple(fc.constant('byte' as const), fc.nat(), fc.integer({ min: 0, max: 255 })),
  fc.tuple(fc.constant('delete' as const), fc.nat(), fc.constant('')),
  fc.tuple(fc.constant('dupToken' as const), fc.nat(), fc.constant('')),
  fc.tuple(fc.constant('dropToken' as const), fc.nat(), fc.constant('')),
  fc.tuple(fc.constant('swapTokens' as const), fc.nat(), fc.constant('')),
  fc.tuple(fc.constant('truncate' as const), fc.nat(), fc.constant('')),
)
type Edit = typeof edit extends fc.Arbitrary<infer E> ? E : never

function applyEdit(line: string, [op, n, x]: Edit): string {
  const at = n % (line.length + 1)
  const toks = line.split(' ')
  const t = n % toks.length
  switch (op) {
    case 'replace':
      return line.slice(0, at) + x + line.slice(at + 1)
    case 'insert':
      return line.slice(0, at) + x + line.slice(at)
    case 'byte':
      return line.slice(0, at) + String.fromCharCode(x as number) + line.slice(at + 1)
    case 'delete':
      return line.slice(0, at) + line.slice(at + 1)
    case 'dupToken':
      toks.splice(t, 0, toks[t] as string)
      return toks.join(' ')
    case 'dropToken':
      toks.splice(t, 1)
      return toks.join(' ')
    case 'swapTokens':
      if (t + 1 < toks.length) [toks[t], toks[t + 1]] = [toks[t + 1] as string, toks[t] as string]
      return toks.join(' ')
    case 'truncate':
      return line.slice(0, at)
  }
}

/** Inputs of the codec target. */
export const codecInput: fc.Arbitrary<Case> = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('latin1')),
  },
  { weight: 2, arbitrary: validLine },
  {
    weight: 6,
    arbitrary: fc
      .tuple(validLine, fc.array(edit, { minLength: 1, maxLength: 4 }))
      .map(([line, edits]) => edits.reduce(applyEdit, line)),
  },
)

/** Checks one input; throws on a violation. Exported for the deterministic slice. */
export function checkCodec(input: Case): void {
  const b = bytes(input)
  const r = decode(b)
  if (!r.ok) {
    if (!codes.has(r.error.code)) throw new Error(`unknown error code ${r.error.code}`)
  } else {
    // canonical: exactly one encoding per frame, and this is it
    const line = b.length > 0 && b[b.length - 1] === 0x0a ? b : bytes(`${input}\n`)
    if (!same(encode(r.envelope), line)) throw new Error('accepted a non-canonical line')
    if (!same(r.hashInput, hashInput(r.envelope.frame))) throw new Error('hash input differs')
    if (!same(r.signingInput, signingInput(r.envelope.frame, r.envelope.hash)))
      throw new Error('signing input differs')
    if (!same(r.signingInput, line.subarray(line.indexOf(0x20) + 1, line.length - 1)))
      throw new Error('signing input is not the line after its first space')
  }
  // the string form agrees wherever it is defined (ASCII)
  if (!/[^\p{ASCII}]/u.test(input)) {
    const s = decode(input)
    if (s.ok !== r.ok || (!s.ok && !r.ok && s.error.code !== r.error.code))
      throw new Error('string and bytes decode differently')
    // differential: a slow decoder from zod schemas and split(' ') accepts the same set
    const ref = referenceDecode(input)
    if ((ref !== undefined) !== r.ok) throw new Error(`reference ${ref ? 'accepts' : 'refuses'}`)
    if (r.ok && JSON.stringify(norm(ref)) !== JSON.stringify(norm(r.envelope)))
      throw new Error('reference decodes another frame')
  }
}

/** The codec property. */
export const codecProperty = fc.property(codecInput, checkCodec)
