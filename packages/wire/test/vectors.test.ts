// Checks the shared test vectors of docs/vectors/v1.json (§15): every line decodes, re-encodes
// byte for byte, and yields the recorded hash input and signing input.
import { existsSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { base64Decode, decode, encodeToString } from '../src/index.ts'
import { norm } from './fixtures.ts'

const file = new URL('../../../docs/vectors/v1.json', import.meta.url)

interface FrameVector {
  name: string
  line: string
  hashInput?: string
  signingInput?: string
  /** hex of MSGHASH and MSGSIGNATURE */
  hash?: string
  signature?: string
  frame?: Record<string, unknown>
}

const hex = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.length).toString('hex')

/** JSON frame → decoded form: binary fields are base64 strings there, Uint8Array here. */
const TEXTUAL = new Set(['type', 'reason', 'nickname'])
function fromJson(frame: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(frame)) {
    out[k] = typeof v === 'string' && !TEXTUAL.has(k) ? (base64Decode(v) ?? `not base64: ${v}`) : v
  }
  return out
}

if (!existsSync(file)) {
  describe('vectors', () => {
    it.skip('docs/vectors/v1.json does not exist yet: nothing to check (the crypto package writes it)', () => {})
  })
} else {
  const json = JSON.parse(readFileSync(file, 'utf8')) as { frames?: FrameVector[] }
  const frames = json.frames ?? []

  describe('vectors (docs/vectors/v1.json)', () => {
    it('behavior: the file has frame vectors', () => {
      expect(frames.length).toBeGreaterThan(0)
    })

    for (const v of frames) {
      it(`behavior: ${v.name} decodes, re-encodes byte for byte and gives its recorded §5 inputs`, () => {
        const r = decode(v.line)
        if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`)
        expect(encodeToString(r.envelope)).toBe(`${v.line}\n`)
        if (v.hashInput !== undefined) expect(hex(r.hashInput)).toBe(v.hashInput)
        if (v.signingInput !== undefined) expect(hex(r.signingInput)).toBe(v.signingInput)
        if (v.hash !== undefined) expect(hex(r.envelope.hash)).toBe(v.hash)
        if (v.signature !== undefined) expect(hex(r.envelope.signature)).toBe(v.signature)
        if (v.frame !== undefined) expect(norm(r.envelope.frame)).toEqual(norm(fromJson(v.frame)))
      })
    }
  })
}
