import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { checkFrame, encode, type Frame, WireEncodeError } from '../src/index.ts'
import { anyFrame } from './arbitraries.ts'
import { HASH, MAC } from './fixtures.ts'

/** Values that are wrong for most fields, and right for some. */
const junk = fc.constantFrom<unknown>(
  undefined,
  null,
  -1,
  0,
  1.5,
  65536,
  2 ** 53,
  Number.NaN,
  '',
  'x',
  'Ab',
  'a\u0000',
  '\uD800',
  'é'.repeat(40),
  new Uint8Array(0),
  new Uint8Array(16),
  new Uint8Array(31),
  new Uint8Array(32),
  new Uint8Array(40),
  new Uint8Array(64),
  [],
  [{ ip: '::1', port: 1 }],
  [{ ip: '::1', port: 0 }],
  [{ ip: '::1', port: 1, x: 1 }],
  {},
)

function encodeCode(frame: unknown): string | undefined {
  try {
    encode({ signature: MAC, hash: HASH, frame: frame as Frame })
    return undefined
  } catch (e) {
    if (!(e instanceof WireEncodeError)) throw e
    return e.code
  }
}

describe('checkFrame and encode agree', () => {
  it('behavior: on a frame with one field replaced, added or removed, both accept or both refuse with one code', () => {
    fc.assert(
      fc.property(anyFrame, fc.nat(), junk, fc.boolean(), (frame, k, value, extra) => {
        const keys = Object.keys(frame)
        const key = extra ? 'zzz' : (keys[k % keys.length] as string)
        const broken: Record<string, unknown> = { ...frame, [key]: value }
        if (value === undefined && !extra) delete broken[key]
        const checked = checkFrame(broken)
        const code = encodeCode(broken)
        expect(checked.ok ? undefined : checked.error.code).toBe(code)
      }),
      { numRuns: 3000 },
    )
  })
})
